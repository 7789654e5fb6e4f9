"""The ``capexmodel`` command: the article's comparison from the embedded data, in five formats.

``capexmodel fetch sec`` downloads the SEC's company facts: the command's only network access.
Exit statuses: 0 success, 1 an error in the data or the user's request (a `CapexModelError`
or an `OSError`), 2 a usage error (the arguments themselves).

The command's own messages (its errors, its notes) are in the language of ``--locale``,
else of the environment's locale, from the same catalogs as the report's
(`capexmodel._present.messages`). The data-file problems the loader finds, and argparse's help
and usage errors, stay in English: argparse's texts are its own (the standard library's
``argparse`` domain, which ships no translations).
"""

from __future__ import annotations

import argparse
import csv
import io
import locale as system_locale
import os
import re
import sys
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, cast

import attrs

from capexmodel._errors import (
    AmbiguousCompanyError,
    CapexModelError,
    DataFileError,
    InvalidValueError,
    UnknownCompanyError,
    show,
)
from capexmodel._present.messages import translation

if TYPE_CHECKING:
    import gettext
    from collections.abc import Sequence
    from pathlib import Path

    from capexmodel._model.company import Company
    from capexmodel._present.report import Report
    from capexmodel._sources.dataset import Dataset

__all__ = ["main"]

FORMATS = ("table", "markdown", "csv", "json", "html")

EXIT_STATUSES = """exit status:
  0  success
  1  an error in the data or the request: a file that cannot be read or is malformed,
     a year the data does not cover, an unknown company (the message says which)
  2  a usage error: an unknown option or format, a malformed argument"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status: 0 success, 1 a data or user error, 2 a usage error.

    Examples:
        >>> from capexmodel._present.cli import main
        >>> main(["report", "--format", "csv", "--companies", "meta"])  # doctest: +ELLIPSIS
        section,company,metric,period,value,currency,unit,status,basis,source,note
        capex_2024,meta,capex,2024,37300000000,USD,USD,reported,...
        0
    """
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
        words = translation(getattr(arguments, "locale", None) or _default_locale())
    except SystemExit as leaving:  # --help, --version and usage errors: argparse chose the status, an int
        return cast("int", leaving.code)
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
        return words.gettext("{file}: {reason}").format(file=error.filename, reason=error.strerror)
    return str(error)


def _version() -> str:
    import capexmodel  # noqa: PLC0415 -- the package is loaded by now; its version is read only here

    return f"capexmodel {capexmodel.__version__}"


def _year(text: str) -> int:
    """A calendar year written as four ASCII digits."""
    if not re.fullmatch(r"[0-9]{4}", text):
        msg = f"expected a calendar year such as 2024, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _companies(text: str) -> tuple[str, ...]:
    """Names separated by commas, none empty."""
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        msg = f"expected company ids or names separated by commas, got {text!r} (an empty name)"
        raise argparse.ArgumentTypeError(msg)
    return names


def _locale(text: str) -> str:
    """A CLDR locale, as written (``zh-CN`` with an underscore)."""
    from capexmodel._model.reading import _parse_locale  # noqa: PLC0415 -- babel loads only when a locale is given

    try:
        _parse_locale(text)
    except CapexModelError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text.replace("-", "_")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capexmodel",
        description="Compare big tech's compute capex, as the Caijing article does.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version(), help="print the version and exit")
    commands = parser.add_subparsers(dest="command")
    report = commands.add_parser(
        "report",
        help="print the article's comparison from the embedded data",
        description="The article's comparison, computed from the embedded data (and yours, with --data). "
        "--format csv writes one tidy table, one number a row: section, company, metric, period, value "
        "(an exact decimal in unit, never rounded), currency, unit, status, basis, source, note; "
        "the notes of the sections go to standard error. --format json holds the same rows and the sections.",
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument(
        "--locale",
        type=_locale,
        default=None,
        help="a CLDR locale for labels and numbers, such as zh_CN, en_US or zh_Hant_HK; labels are Chinese"
        " for zh locales, else English (default: the environment's, else en_US)",
    )
    report.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    report.add_argument(
        "--output", type=_path, default=None, metavar="FILE", help="write to FILE instead of standard output"
    )
    report.add_argument(
        "--year",
        type=_year,
        default=None,
        help="the calendar year the report covers; projections are for the year after, and the article's"
        " statements appear only in the report of their year (default: the article's, 2024)",
    )
    report.add_argument(
        "--companies",
        type=_companies,
        default=None,
        metavar="NAMES",
        help="only these companies: ids or names separated by commas, such as meta,tencent (default: the"
        " article's twelve)",
    )
    report.add_argument(
        "--data", type=_path, default=None, help="a folder of CSV files (or one file) to merge into the embedded data"
    )
    report.add_argument(
        "--rates",
        choices=("dataset", "ecb"),
        default="dataset",
        help="exchange rates: the dataset's (the article's 2024 average, 7.230) or the ECB's"
        " reference-rate averages (needs capexmodel[ecb]) (default: dataset)",
    )
    report.add_argument(
        "--chart",
        type=_path,
        default=None,
        metavar="DIR",
        help="also write charts of the article's figures 1, 2, 3, 5 and 6 as PNG and SVG into DIR, for the"
        " report's year and companies (needs matplotlib)",
    )
    fetch = commands.add_parser("fetch", help="download public data files (the only command that uses the network)")
    sources = fetch.add_subparsers(dest="source", required=True)
    sec = sources.add_parser(
        "sec",
        help="the SEC's XBRL company facts, as CIK##########.json",
        description="Download the SEC's XBRL company facts of each CIK into DIR, as CIK##########.json, "
        "by the SEC's rules: a declared User-Agent, at most ten requests a second. "
        "A file already in DIR is kept unless --refresh.",
    )
    sec.add_argument(
        "cik", nargs="+", metavar="CIK", help="the SEC's Central Index Key (digits, such as 320193 for Apple)"
    )
    sec.add_argument(
        "--user-agent",
        required=True,
        metavar="'NAME EMAIL'",
        help="who is asking, as the SEC requires: a name and an e-mail address",
    )
    sec.add_argument("--to", type=_path, required=True, metavar="DIR", help="the folder to write into")
    sec.add_argument("--refresh", action="store_true", help="download files that are already in DIR again")
    sec.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="download from another address: a mirror (https) or a test server on 127.0.0.1 "
        "(default: https://data.sec.gov)",
    )
    return parser


def _path(text: str) -> Path:
    """A path given on the command line (pathlib, and urllib and ipaddress behind it, load only then)."""
    from pathlib import Path  # noqa: PLC0415 -- only the options that take a path need it

    return Path(text)


def _fetch(arguments: argparse.Namespace, words: gettext.GNUTranslations) -> int:
    from capexmodel._sources.fetch import SEC_URL, Fetcher, check_cik  # noqa: PLC0415 -- the command loads what it needs

    fetcher = Fetcher(arguments.user_agent, arguments.base_url or SEC_URL)
    ciks = list(dict.fromkeys(check_cik(cik) for cik in arguments.cik))  # every CIK checked before any request
    for cik in ciks:
        path, downloaded = fetcher.fetch(cik, arguments.to, refresh=arguments.refresh)
        if not downloaded:
            _say(words, words.gettext("kept {path}, already there (--refresh downloads it again)").format(path=path))
        sys.stdout.write(f"{path}\n")
    return 0


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
