"""The ``capexmodel`` command: the article's comparison from the embedded data, in five formats.

``capexmodel fetch sec`` downloads the SEC's company facts: the command's only network access.
Exit statuses: 0 success, 1 an error in the data or the user's request (a `CapexModelError`
or an `OSError`), 2 a usage error (the arguments themselves).

The command's words are in the language of ``--locale``, else of the environment's
locale, from the same catalogs as the report's (`capexmodel._present.messages`): its errors
and notes, and its help and usage errors too. The catalog is chosen before the
arguments are parsed (``--locale X`` or ``--locale=X`` read ahead, else the
environment's), and the parser writes argparse's own texts ("usage:", "options:",
"invalid choice", "the following arguments are required", ...) from the catalogs,
without touching argparse's globals: argparse's ``argparse`` domain ships no
translations. Option names, metavars and choices stay as the user types them. The
data-file problems the loader finds stay in English under a translated heading.
"""

from __future__ import annotations

import argparse
import csv
import errno
import functools
import gettext
import io
import locale as system_locale
import os
import re
import sys
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, NoReturn, cast

import attrs

from capexmodel._errors import (
    AmbiguousCompanyError,
    CapexModelError,
    DataFileError,
    InvalidValueError,
    UnknownCompanyError,
    show,
)
from capexmodel._present.messages import N_, translation

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

    from capexmodel._model.company import Company
    from capexmodel._present.report import Report
    from capexmodel._sources.dataset import Dataset

__all__ = ["main"]

FORMATS = ("table", "markdown", "csv", "json", "html")

EXIT_STATUSES = N_("""exit status:
  0  success
  1  an error in the data or the request: a file that cannot be read or is malformed,
     a year the data does not cover, an unknown company (the message says which)
  2  a usage error: an unknown option or format, a malformed argument""")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status: 0 success, 1 a data or user error, 2 a usage error.

    Examples:
        >>> from capexmodel._present.cli import main
        >>> main(["report", "--format", "csv", "--companies", "meta"])  # doctest: +ELLIPSIS
        section,company,metric,period,value,currency,unit,status,basis,source,note
        capex_2024,meta,capex,2024,37300000000,USD,USD,reported,...
        0
    """
    given = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(translation(_asked_locale(given) or _default_locale()))
    try:
        arguments = parser.parse_args(given)
    except SystemExit as leaving:  # --help, --version and usage errors: argparse chose the status, an int
        return cast("int", leaving.code)
    words = translation(getattr(arguments, "locale", None) or _default_locale())
    if arguments.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if arguments.command == "fetch":
            return _fetch(arguments, words)
        return _report(arguments, words)
    except (CapexModelError, OSError) as error:
        _say(words, _error_text(error, words))
        return 1


def _say(words: gettext.GNUTranslations, message: str) -> None:
    """Write one of the command's messages to standard error, after its name."""
    # Translators: how the command starts each message it writes to standard error
    sys.stderr.write(words.gettext("capexmodel: {message}").format(message=message) + "\n")


def _error_text(error: CapexModelError | OSError, words: gettext.GNUTranslations) -> str:
    """What went wrong, in the reader's words where the error's fields say it (else the error's own message)."""
    if isinstance(error, DataFileError):
        count = len(error.problems)
        heading = words.ngettext("{count} problem in the data:", "{count} problems in the data:", count)
        return "\n".join([heading.format(count=count), *(f"  {problem}" for problem in error.problems)])
    if not isinstance(error, CapexModelError) and error.filename is not None and error.strerror:
        reason = OS_REASONS.get(error.errno) if error.errno is not None else None
        reason = words.gettext(reason) if reason is not None else error.strerror
        return words.gettext("{file}: {reason}").format(file=error.filename, reason=reason)
    return str(error)


#: The reasons a file cannot be read or written that the command says in the reader's
#: words, by ``errno``; any other reason is the system's own.
OS_REASONS: Final = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.EISDIR: N_("a folder, not a file"),
    errno.ENOTDIR: N_("not a folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EROFS: N_("a read-only file system"),
}


def _version() -> str:
    import capexmodel  # noqa: PLC0415 -- the package is loaded by now; its version is read only here

    return f"capexmodel {capexmodel.__version__}"


_ENGLISH: Final = gettext.NullTranslations()
"""The command's words where no catalog is asked for: the messages themselves, English."""


def _year(text: str, words: gettext.NullTranslations = _ENGLISH) -> int:
    """A calendar year written as four ASCII digits."""
    if not re.fullmatch(r"[0-9]{4}", text):
        msg = words.gettext("expected a calendar year such as 2024, got {text}").format(text=show(text))
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _companies(text: str, words: gettext.NullTranslations = _ENGLISH) -> tuple[str, ...]:
    """Names separated by commas, none empty."""
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        msg = words.gettext("expected company ids or names separated by commas, got {text} (an empty name)")
        raise argparse.ArgumentTypeError(msg.format(text=show(text)))
    return names


def _locale(text: str, words: gettext.NullTranslations = _ENGLISH) -> str:
    """A CLDR locale, as written (``zh-CN`` with an underscore)."""
    from capexmodel._model.reading import _parse_locale  # noqa: PLC0415 -- babel loads only when a locale is given

    try:
        _parse_locale(text)
    except CapexModelError:
        msg = words.gettext("unknown locale {text}: expected a CLDR locale such as zh_CN or en_US")
        raise argparse.ArgumentTypeError(msg.format(text=show(text))) from None
    return text.replace("-", "_")


def _path(text: str, words: gettext.NullTranslations = _ENGLISH) -> Path:
    """A path given on the command line, neither empty (read as the current folder) nor holding a NUL character."""
    if not text or "\0" in text:
        msg = words.gettext("expected a file or folder name, got {text}").format(text=show(text))
        raise argparse.ArgumentTypeError(msg)
    from pathlib import Path  # noqa: PLC0415 -- only the options that take a path need it

    return Path(text)


def _asked_locale(argv: Sequence[str]) -> str | None:
    """The locale ``--locale X`` or ``--locale=X`` asks for, read before parsing.

    The last value that is a locale wins; an option abbreviated as argparse allows
    (``--loc``) counts. None when no ``--locale`` with a locale is given before a ``--``:
    the parser then speaks the environment's language, and reports a malformed value.
    """
    asked = None
    given = iter(argv)
    for argument in given:
        if argument == "--":
            break
        name, equals, value = argument.partition("=")
        if not (len(name) >= len(_LOCALE_PREFIX) and "--locale".startswith(name)):
            continue
        text = value if equals else next(given, None)
        try:
            asked = _locale(text) if text is not None else asked
        except argparse.ArgumentTypeError:
            continue
    return asked


#: The shortest abbreviation of ``--locale``: no other option starts with it (a test checks).
_LOCALE_PREFIX = "--l"


def _parser(words: gettext.NullTranslations | None = None) -> argparse.ArgumentParser:
    """The command's parser, its help and usage errors in the language of `words` (English without).

    Examples:
        >>> from capexmodel._present.messages import translation
        >>> _parser().format_usage().strip()
        'usage: capexmodel [-h] [--version] {report,fetch} ...'
        >>> _parser(translation("zh_CN")).format_usage().strip()
        '用法：capexmodel [-h] [--version] {report,fetch} ...'
    """
    if words is None:
        words = _ENGLISH
    parser = _Parser(
        words=words,
        prog="capexmodel",
        description=words.gettext("Compare big tech's compute capex, as the Caijing article does."),
        epilog=words.gettext(EXIT_STATUSES),
    )
    parser.add_argument(
        "--version", action="version", version=_version(), help=words.gettext("print the version and exit")
    )
    commands = parser.add_subparsers(dest="command")
    report = commands.add_parser(
        "report",
        words=words,
        help=words.gettext("print the article's comparison from the embedded data"),
        description=words.gettext(
            "The article's comparison, computed from the embedded data (and yours, with --data). "
            "--format csv writes one tidy table, one number a row: section, company, metric, period, value "
            "(an exact decimal in unit, never rounded), currency, unit, status, basis, source, note; "
            "the notes of the sections go to standard error. --format json holds the same rows and the sections."
        ),
        epilog=words.gettext(EXIT_STATUSES),
    )
    report.add_argument(
        "--locale",
        type=functools.partial(_locale, words=words),
        default=None,
        help=words.gettext(
            "a CLDR locale for labels and numbers, such as zh_CN, en_US or zh_Hant_HK; labels are Chinese"
            " for zh locales, else English (default: the environment's, else en_US)"
        ),
    )
    report.add_argument(
        "--format", choices=FORMATS, default="table", help=words.gettext("output format (default: table)")
    )
    report.add_argument(
        "--output",
        type=functools.partial(_path, words=words),
        default=None,
        metavar="FILE",
        help=words.gettext("write to FILE instead of standard output"),
    )
    report.add_argument(
        "--year",
        type=functools.partial(_year, words=words),
        default=None,
        help=words.gettext(
            "the calendar year the report covers; projections are for the year after, and the article's"
            " statements appear only in the report of their year (default: the article's, 2024)"
        ),
    )
    report.add_argument(
        "--companies",
        type=functools.partial(_companies, words=words),
        default=None,
        metavar="NAMES",
        help=words.gettext(
            "only these companies: ids or names separated by commas, such as meta,tencent (default: the"
            " article's twelve)"
        ),
    )
    report.add_argument(
        "--data",
        type=functools.partial(_path, words=words),
        default=None,
        help=words.gettext("a folder of CSV files (or one file) to merge into the embedded data"),
    )
    report.add_argument(
        "--rates",
        choices=("dataset", "ecb"),
        default="dataset",
        help=words.gettext(
            "exchange rates: the dataset's (the article's 2024 average, 7.230) or the ECB's"
            " reference-rate averages (needs capexmodel[ecb]) (default: dataset)"
        ),
    )
    report.add_argument(
        "--chart",
        type=functools.partial(_path, words=words),
        default=None,
        metavar="DIR",
        help=words.gettext(
            "also write charts of the article's figures 1, 2, 3, 5 and 6 as PNG and SVG into DIR, for the"
            " report's year and companies (needs matplotlib)"
        ),
    )
    fetch = commands.add_parser(
        "fetch",
        words=words,
        help=words.gettext("download public data files (the only command that uses the network)"),
    )
    sources = fetch.add_subparsers(dest="source", required=True)
    sec = sources.add_parser(
        "sec",
        words=words,
        help=words.gettext("the SEC's XBRL company facts, as CIK##########.json"),
        description=words.gettext(
            "Download the SEC's XBRL company facts of each CIK into DIR, as CIK##########.json, "
            "by the SEC's rules: a declared User-Agent, at most ten requests a second. "
            "A file already in DIR is kept unless --refresh."
        ),
    )
    sec.add_argument(
        "cik",
        nargs="+",
        metavar="CIK",
        help=words.gettext("the SEC's Central Index Key (digits, such as 320193 for Apple)"),
    )
    sec.add_argument(
        "--user-agent",
        required=True,
        metavar="'NAME EMAIL'",
        help=words.gettext("who is asking, as the SEC requires: a name and an e-mail address"),
    )
    sec.add_argument(
        "--to",
        type=functools.partial(_path, words=words),
        required=True,
        metavar="DIR",
        help=words.gettext("the folder to write into"),
    )
    sec.add_argument(
        "--refresh", action="store_true", help=words.gettext("download files that are already in DIR again")
    )
    sec.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help=words.gettext(
            "download from another address: a mirror (https) or a test server on 127.0.0.1 "
            "(default: https://data.sec.gov)"
        ),
    )
    return parser


#: Punctuation that closes (never starts a line) and opens (never ends one) in Chinese text.
_CLOSING: Final = frozenset("，。、；：！？）》」』")  # noqa: RUF001
_OPENING: Final = frozenset("（《「『")  # noqa: RUF001


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, a wide character counting two.

    A line breaks at a space or beside a wide character, never before closing or after
    opening punctuation; a run of narrow characters (a word, a number, an option) is
    never split, even when it is wider than `width` alone.
    """
    lines: list[str] = []
    line = ""
    for word in text.split():
        units: list[str] = []
        for char in word:
            joins = units and (
                char in _CLOSING or units[-1][-1] in _OPENING or _width(char) == _width(units[-1][-1]) == 1
            )
            if joins:
                units[-1] += char
            else:
                units.append(char)
        for index, unit in enumerate(units):
            piece = f" {unit}" if index == 0 and line else unit
            if line and _width(line) + _width(piece) > width:
                lines.append(line)
                line = unit
            else:
                line += piece
    return [*lines, line] if line else lines


class _Formatter(argparse.HelpFormatter):
    """argparse's help, in the reader's words: the usage's prefix, the headings' colons, Chinese wrapped by width.

    A description is wrapped; a text written in lines (the exit statuses) keeps its lines.
    """

    def __init__(self, prog: str, *, words: gettext.NullTranslations) -> None:
        super().__init__(prog)
        self._words = words
        self._headings: list[str] = []

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            # Translators: what starts the line that shows how to call the command, before "capexmodel report [-h] ..."
            prefix = self._words.gettext("usage: ")
        super().add_usage(usage, actions, groups, prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        # argparse aligns the usage's lines by the prefix's length in characters: give it a stand-in as wide
        # on screen as the prefix (a Chinese one is two columns a character), then put the prefix in its place.
        prefix = prefix or ""
        stand_in = " " * _width(prefix)
        return super()._format_usage(usage, actions, groups, stand_in).replace(stand_in, prefix, 1)

    def start_section(self, heading: str | None) -> None:
        if heading:
            self._headings.append(heading)
        super().start_section(heading)

    def format_help(self) -> str:
        # argparse writes a heading as "heading:", with a colon of its own: each heading's line is written again
        # Translators: a heading of the help, such as "options", above the options it heads
        colon = self._words.gettext("{heading}:")
        headed = {f"{heading}:": colon.format(heading=heading) for heading in self._headings}
        lines = super().format_help().split("\n")
        return "\n".join(
            line.removesuffix(line.lstrip(" ")) + headed[line.lstrip(" ")] if line.lstrip(" ") in headed else line
            for line in lines
        )

    def _split_lines(self, text: str, width: int) -> list[str]:
        if _width(text) == len(text):
            return super()._split_lines(text, width)
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        if _width(text) == len(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in _wrap(text, width - len(indent)))


def _name(action: argparse.Action) -> str:
    """How a usage error names an argument: its options, else its metavar, else its choices, else its name."""
    if action.option_strings:
        return "/".join(action.option_strings)
    if isinstance(action.metavar, str):
        return action.metavar
    if action.choices:
        return "{" + ",".join(map(str, action.choices)) + "}"
    return action.dest


class _Parser(argparse.ArgumentParser):
    """argparse's parser, writing its help and usage errors in the reader's words.

    The errors argparse finds are recognised by where they arise, never by their text: a
    type's `argparse.ArgumentTypeError` (the types write their messages in the reader's
    words), a value outside the choices (`_check_value`), an option without its value
    (`_match_argument`), an ambiguous abbreviation (`_get_option_tuples`), arguments left
    over (`parse_args`). Required arguments are checked here, after argparse's parse,
    so that argparse's English message for them never arises.
    """

    def __init__(self, *, words: gettext.NullTranslations, **options: Any) -> None:  # noqa: ANN401 -- argparse's own
        super().__init__(
            formatter_class=functools.partial(_Formatter, words=words), add_help=False, exit_on_error=False, **options
        )
        self._words = words
        self._relaxed: tuple[argparse.Action, ...] = ()  # the required arguments, while argparse parses
        self._positionals.title = words.gettext("positional arguments")
        self._optionals.title = words.gettext("options")
        self.add_argument("-h", "--help", action="help", help=words.gettext("show this help message and exit"))

    def parse_args(self, args: Iterable[str] | None = None, namespace: Any = None) -> Any:  # noqa: ANN401 -- argparse's overloads
        parsed, left = self.parse_known_args(args, namespace)
        if left:
            self.error(self._words.gettext("unrecognized arguments: {arguments}").format(arguments=" ".join(left)))
        return parsed

    def parse_known_args(
        self,
        args: Iterable[str] | None = None,
        namespace: Any = None,  # noqa: ANN401 -- argparse's overloads
    ) -> tuple[Any, list[str]]:
        # Required arguments are checked below, in the reader's words: argparse is told they are not while it
        # parses, and told again that they are while it writes the usage or the help (-h, an error) meanwhile.
        self._relaxed = tuple(action for action in self._actions if action.required)
        try:
            try:
                self._require(required=False)
                parsed, left = super().parse_known_args(args, namespace)
            finally:
                self._require(required=True)
                required, self._relaxed = self._relaxed, ()
        except argparse.ArgumentError as error:
            if error.argument_name is None:  # raised by this class, with the argument's name in the message
                self.error(error.message)
            self.error(self._argument(error.argument_name, error.message))
        missing = [_name(action) for action in required if getattr(parsed, action.dest, None) is None]
        if missing:
            message = self._words.gettext("the following arguments are required: {names}")
            self.error(message.format(names=self._words.gettext(", ").join(missing)))
        return parsed, left

    def _require(self, *, required: bool) -> None:
        for action in self._relaxed:
            action.required = required

    def format_usage(self) -> str:
        self._require(required=True)
        try:
            return super().format_usage()
        finally:
            self._require(required=False)

    def format_help(self) -> str:
        self._require(required=True)
        try:
            return super().format_help()
        finally:
            self._require(required=False)

    def _argument(self, name: str, message: str) -> str:
        # Translators: a usage error about one argument, such as "argument --year: expected a calendar year ..."
        return self._words.gettext("argument {name}: {message}").format(name=name, message=message)

    def _check_value(self, action: argparse.Action, value: Any) -> None:  # noqa: ANN401 -- argparse's own
        if action.choices is not None and value not in action.choices:
            message = self._words.gettext("invalid choice: {value} (choose from {choices})").format(
                value=show(value), choices=self._words.gettext(", ").join(map(str, action.choices))
            )
            raise argparse.ArgumentError(None, self._argument(_name(action), message))

    def _match_argument(self, action: argparse.Action, arg_strings_pattern: str) -> int:
        try:
            return super()._match_argument(action, arg_strings_pattern)
        except argparse.ArgumentError:  # raised only when the option's values are not there
            if action.nargs is not None:
                raise
            message = self._words.gettext("expected one argument")
            raise argparse.ArgumentError(None, self._argument(_name(action), message)) from None

    def _get_option_tuples(self, option_string: str) -> list[tuple[argparse.Action, str, str | None]]:
        found = super()._get_option_tuples(option_string)
        if len(found) > 1:  # argparse's own check comes next, in English
            message = self._words.gettext("ambiguous option: {option} could match {options}")
            self.error(
                message.format(option=option_string, options=self._words.gettext(", ").join(t[1] for t in found))
            )
        return found

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        # Translators: a usage error, after the command's name, such as "capexmodel report: error: ..."
        self.exit(2, self._words.gettext("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


def _fetch(arguments: argparse.Namespace, words: gettext.GNUTranslations) -> int:
    from capexmodel._sources.fetch import SEC_URL, Fetcher, check_cik  # noqa: PLC0415 -- the command loads what it needs

    refused = _refused(arguments, words)
    if refused is not None:
        _say(words, refused)
        return 1
    fetcher = Fetcher(arguments.user_agent, arguments.base_url or SEC_URL)
    ciks = list(dict.fromkeys(check_cik(cik) for cik in arguments.cik))  # every CIK checked before any request
    for cik in ciks:
        path, downloaded = fetcher.fetch(cik, arguments.to, refresh=arguments.refresh)
        if not downloaded:
            _say(words, words.gettext("kept {path}, already there (--refresh downloads it again)").format(path=path))
        sys.stdout.write(f"{path}\n")
    return 0


def _refused(arguments: argparse.Namespace, words: gettext.GNUTranslations) -> str | None:
    """What the SEC's rules refuse in the arguments of ``fetch sec``, in the reader's words; None when nothing.

    The library's own checks decide, and their rules' texts are the messages translated.
    """
    from capexmodel._model.company import CIK_RULE, MAX_CIK  # noqa: PLC0415 -- the command loads what it needs
    from capexmodel._sources.fetch import (  # noqa: PLC0415
        BASE_URL_RULE,
        USER_AGENT_RULE,
        check_base_url,
        check_cik,
        check_user_agent,
    )

    checks = [
        (check_user_agent, arguments.user_agent, USER_AGENT_RULE),
        *((check_cik, cik, CIK_RULE) for cik in arguments.cik),
    ]
    if arguments.base_url is not None:
        checks.append((check_base_url, arguments.base_url, BASE_URL_RULE))
    for check, value, message in checks:
        try:
            check(value)
        except InvalidValueError:
            return words.gettext(message).format(value=show(value), max=MAX_CIK)
    return None


def _default_locale() -> str:
    """The environment's locale if it is Chinese (``zh_TW.UTF-8`` gives ``zh_TW``), else ``en_US``.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides, else Python's
    view of the system's locale.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return _chinese(value) or "en_US"
    return _chinese(system_locale.getlocale()[0] or "") or "en_US"


def _chinese(value: str) -> str | None:
    """A Chinese locale of the environment as CLDR names it (``zh_HK.UTF-8`` is ``zh_HK``), else None."""
    from capexmodel._model.reading import _parse_locale  # noqa: PLC0415 -- babel loads only when a locale is needed

    name = value.split(".", maxsplit=1)[0].split("@", maxsplit=1)[0].replace("-", "_")
    if not name.lower().startswith("zh"):
        return None
    try:
        _parse_locale(name)
    except CapexModelError:
        return "zh_CN"  # Chinese, in a spelling CLDR does not know: the article's
    return name


def _report(arguments: argparse.Namespace, words: gettext.GNUTranslations) -> int:
    from capexmodel._present.report import build_report, covered_years  # noqa: PLC0415
    from capexmodel._sources.loading import load_dataset  # noqa: PLC0415 -- the command loads what it needs

    locale = arguments.locale or _default_locale()
    dataset = load_dataset(arguments.data)
    if arguments.rates == "ecb":
        from capexmodel._fx.ecb import ecb_rates  # noqa: PLC0415

        dataset = attrs.evolve(dataset, rates=ecb_rates())
    chosen = None if arguments.companies is None else _chosen(dataset, arguments.companies, words)
    if arguments.year is not None and arguments.year not in (years := covered_years(dataset, chosen)):
        message = words.gettext("the data has no reported or derived capex for {year}: the years it covers are {years}")
        shown = words.gettext(", ").join(map(str, years)) or words.gettext("none")
        raise InvalidValueError(message.format(year=arguments.year, years=shown))
    report = build_report(dataset, locale, year=arguments.year, companies=chosen)
    text = render_html(report, dataset) if arguments.format == "html" else RENDERERS[arguments.format](report)
    if arguments.output is None:
        sys.stdout.write(text)
    else:
        arguments.output.write_text(text, encoding="utf-8")
    if arguments.format == "csv":  # the table holds numbers only: its notes go beside it, by section key
        for section in report.sections:
            for note in section.notes:
                _say(words, words.gettext("note: {section}: {note}").format(section=section.key, note=note))
    if arguments.chart is not None:
        return _charts(dataset, locale, arguments, words)
    return 0


def _chosen(dataset: Dataset, names: Sequence[str], words: gettext.GNUTranslations) -> tuple[Company, ...]:
    """The companies --companies names, each once; every unknown name in one error, in the reader's words."""
    found: list[Company] = []
    unknown: list[UnknownCompanyError] = []
    # Translators: separates the names in a list ("amazon, meta")
    comma = words.gettext(", ")
    for name in names:
        try:
            found.append(dataset.company(name))
        except UnknownCompanyError as error:
            unknown.append(error)
        except AmbiguousCompanyError as error:
            message = words.gettext("{name} names several companies: {companies}; give an id")
            raise InvalidValueError(
                message.format(name=show(error.name), companies=comma.join(error.candidates))
            ) from None
    if unknown:
        message = words.ngettext(
            "unknown company {names}: the dataset knows {known}",
            "unknown companies {names}: the dataset knows {known}",
            len(unknown),
        ).format(
            names=comma.join(show(error.name) for error in unknown),
            known=comma.join(company.id for company in dataset.companies),
        )
        meant = [show(error.suggestions[0]) for error in unknown if error.suggestions]
        if meant:
            message = words.gettext("{message}; did you mean {companies}?").format(
                message=message, companies=comma.join(meant)
            )
        raise InvalidValueError(message)
    repeated = sorted({company.id for company in found if found.count(company) > 1})
    if repeated:
        message = words.gettext("--companies names {companies} more than once: each company counts once")
        raise InvalidValueError(message.format(companies=comma.join(repeated)))
    return tuple(found)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(report: Report) -> str:
    """Plain-text tables, aligned for wide (CJK) characters too."""
    out = []
    for section in report.sections:
        keys = [key for key, _ in section.columns]
        titles = dict(section.columns)
        widths = {key: max([_width(titles[key]), *(_width(row[key]) for row in section.rows)]) for key in keys}
        out.append(section.title)
        out.append("  ".join(_pad(titles[key], widths[key]) for key in keys).rstrip())
        out.append("  ".join("-" * widths[key] for key in keys))
        out.extend("  ".join(_pad(row[key], widths[key]) for key in keys).rstrip() for row in section.rows)
        out.extend(f"* {note}" for note in section.notes)
        out.append("")
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    """Markdown: a heading and a pipe table per section."""
    out = []
    for section in report.sections:
        keys = [key for key, _ in section.columns]
        out.append(f"## {section.title}\n")
        out.append("| " + " | ".join(title for _, title in section.columns) + " |")
        out.append("|" + "---|" * len(keys))
        out.extend("| " + " | ".join(row[key].replace("|", "\\|") for key in keys) + " |" for row in section.rows)
        if section.notes:
            out.append("")
            out.extend(f"- {note}" for note in section.notes)
        out.append("")
    return "\n".join(out)


def render_csv(report: Report) -> str:
    """CSV: one tidy table, one number a row (`Report.rows`), values as exact decimals, no notes."""
    from capexmodel._present.report import COLUMNS  # noqa: PLC0415 -- loaded with the report

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(getattr(row, column)) for column in COLUMNS] for row in report.rows())
    return buffer.getvalue()


def _cell(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def render_json(report: Report) -> str:
    """JSON: the tidy rows of `render_csv` (decimals as strings), and every section as displayed, with its notes."""
    from capexmodel._present.report import COLUMNS  # noqa: PLC0415 -- loaded with the report

    document = {
        "locale": report.locale,
        "year": report.year,
        "companies": None if report.companies is None else list(report.companies),
        "columns": list(COLUMNS),
        "rows": [{column: _cell(getattr(row, column)) for column in COLUMNS} for row in report.rows()],
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "columns": [{"key": key, "title": title} for key, title in section.columns],
                "rows": list(section.rows),
                "values": list(section.values),
                "notes": list(section.notes),
            }
            for section in report.sections
        ],
    }
    import json  # noqa: PLC0415 -- only this format needs it

    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_html(report: Report, dataset: Dataset) -> str:
    """HTML: one self-contained page of the report's tables and notes, its charts and its sources."""
    from capexmodel._present.page import report_page  # noqa: PLC0415 -- only this format needs it

    return report_page(report, dataset)


RENDERERS = {
    "table": render_table,
    "markdown": render_markdown,
    "csv": render_csv,
    "json": render_json,
}


def _charts(dataset: Dataset, locale: str, arguments: argparse.Namespace, words: gettext.GNUTranslations) -> int:
    try:
        from capexmodel._present.charts import write_charts  # noqa: PLC0415 -- matplotlib is optional
    except ImportError:
        _say(words, words.gettext("charts need matplotlib: pip install 'capexmodel[plot]'"))
        return 1
    for note in write_charts(dataset, locale, arguments.chart, year=arguments.year, companies=arguments.companies):
        _say(words, note)
    return 0
