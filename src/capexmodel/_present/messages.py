"""The words the report, the command and the charts show, in the reader's language.

Every user-facing text is an English message marked for translation and looked up in
a gettext catalog, kept with babel's tools (``pybabel extract``, ``update``,
``compile``; the commands are in ``src/capexmodel/_present/locale/README.md``). There are three
catalogs: ``en``, ``zh_Hans`` (mainland China, Singapore) and ``zh_Hant`` (Hong Kong,
Macau, Taiwan). A locale reads the catalog of its language and script; any other
language reads English.

The data's own texts go through the same catalogs. `extract_data` is a babel
extraction method (registered in ``babel.cfg``) that collects the columns of the
embedded CSV files listed in `DATA_TEXTS`, each under a message context naming what
it is (``basis``, ``publisher``, ...), so ``pybabel extract`` puts them in the template
beside the code's messages. The choice, per kind of text:

- Prose (a fact's basis, a source's title and note, a statement) is translated in the
  catalogs: a translator sees it where the other messages are, gets it marked fuzzy
  when the English changes, and a new language is a new catalog, not a new column in
  every file and a new field in every class.
- Names of companies and groups are in the catalogs too (context ``company`` and
  ``group``), because the traditional forms (騰訊, 亞馬遜) need one place and the data
  files have one Chinese column. The data's ``name_zh`` stays what the article
  prints and what `Dataset.company` finds; the Simplified catalog repeats it, and a
  test keeps the two equal. A company of the user's own data, which no catalog
  knows, is shown by its ``name_zh`` in Chinese and its ``name_en`` otherwise.
- Publishers' names are data like titles: a publication known by a Chinese name
  (《财经》) gets it in the Chinese catalogs; one known by its own name (Omdia, The
  Information) keeps it.
- A data text's message writes a literal ``%`` as ``%%`` (`data_message`), gettext's
  convention for messages that babel reads as printf-style (``63% of``), so that
  ``pybabel compile`` checks translations of them as of any other message.
- The statements keep their ``text_zh`` column, the article's own words; the report
  shows the catalog's translation of ``text_en`` (which names companies as the tables
  do: 甲骨文, not Oracle) and falls back to ``text_zh`` for a statement no catalog has.

Examples:
    >>> from capexmodel._present.messages import catalog_for, translation
    >>> catalog_for("zh_TW"), catalog_for("zh_CN"), catalog_for("fr_FR")
    ('zh_Hant', 'zh_Hans', 'en')
    >>> translation("en_US").gettext("Status")
    'Status'
    >>> translation("zh_TW").pgettext("company", "Tencent")
    '騰訊'
"""

from __future__ import annotations

import csv
import gettext
import io
import pkgutil
import threading
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Final

from capexmodel._errors import N_, InvalidValueError, show

if TYPE_CHECKING:
    from collections.abc import Collection, Iterator, Mapping

    import babel

__all__ = [
    "CATALOGS",
    "DATA_TEXTS",
    "DOMAIN",
    "NP_",
    "N_",
    "catalog_for",
    "data_message",
    "data_text",
    "extract_data",
    "translate_data",
    "translation",
]

DOMAIN: Final = "capexmodel"
"""The gettext domain: the catalogs are ``locale/<catalog>/LC_MESSAGES/capexmodel.mo`` in the package."""

CATALOGS: Final = ("en", "zh_Hans", "zh_Hant")
"""The catalogs the package ships."""

DATA_TEXTS: Final[Mapping[str, tuple[tuple[str, str, str], ...]]] = {
    "companies.csv": (("name_en", "company", "name_zh"),),
    "groups.csv": (("name_en", "group", "name_zh"),),
    "facts.csv": (("basis", "basis", ""),),
    "sources.csv": (("publisher", "publisher", ""), ("title", "source title", ""), ("note", "source note", "")),
    "statements.csv": (("text_en", "statement", "text_zh"),),
}
"""The embedded data's texts that the catalogs translate: per file, each column's name, the
message context its texts take, and a column shown to translators beside each (the
data's Chinese, where it has some)."""

#: What the translators read beside each context's texts.
_CONTEXT_NOTES: Final = {
    "company": "a company's name",
    "group": "a group of companies, as the report's totals name it",
    "basis": "what a figure covers (its basis), shown beside the figure",
    "publisher": "who published a source: a company, a broker, a magazine",
    "source title": "the title of a source (a filing, a report, an article)",
    "source note": "a note on a source: how it was read, a caveat",
    "statement": "a sentence of the source article, shown as a note under a table",
}

#: The regions whose Chinese is written in traditional characters when a locale names no script.
_TRADITIONAL_REGIONS: Final = frozenset({"HK", "MO", "TW"})

_LOADED: dict[str, gettext.GNUTranslations] = {}
_LOCK = threading.Lock()


def NP_(context: str, message: str) -> str:  # noqa: N802 -- N_ with a message context
    """Mark `message`, in `context`, for the catalogs, leaving it untranslated (``pgettext`` later).

    Examples:
        >>> NP_("publisher", "European Central Bank")
        'European Central Bank'
    """
    del context  # read by pybabel extract (keyword NP_:1c,2 in babel.cfg), not at run time
    return message


def extract_data(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: Mapping[str, object]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    r"""Babel's extraction method for the data files: the texts of the columns `DATA_TEXTS` lists.

    Registered in ``babel.cfg`` for ``src/capexmodel/_sources/data/*.csv``; yields each text
    as a ``pgettext`` message (its context and itself) at its line, with a comment for
    translators. Rows that are comments (``#`` first) and empty cells are skipped.

    Args:
        fileobj: The CSV file, opened in binary mode (its name picks the columns).
        keywords: The keywords of the extraction (unused: every text is a ``pgettext``).
        comment_tags: The comment tags of the extraction (unused).
        options: The options of ``babel.cfg`` for the file (unused).

    Yields:
        ``(line number, "pgettext", (context, text), comments)``.

    Examples:
        >>> import io
        >>> data = io.BytesIO("id,name_en,name_zh\n# a comment\ntencent,Tencent,腾讯\n".encode())
        >>> data.name = "companies.csv"
        >>> list(extract_data(data, (), (), {}))
        [(3, 'pgettext', ('company', 'Tencent'), ["Translators: a company's name; the data has 腾讯"])]
    """
    del keywords, comment_tags, options
    columns = DATA_TEXTS.get(PurePath(str(getattr(fileobj, "name", ""))).name, ())
    reader = csv.reader(io.StringIO(fileobj.read().decode("utf-8"), newline=""))
    header: list[str] | None = None
    for row in reader:
        if not row or row[0].startswith("#"):
            continue
        if header is None:
            header = row
            continue
        cells = dict(zip(header, row, strict=False))
        for column, context, beside in columns:
            text = cells.get(column, "")
            if text:
                comment = f"Translators: {_CONTEXT_NOTES[context]}"
                if cells.get(beside):
                    comment += f"; the data has {cells[beside]}"
                if "%" in text:
                    comment += "; write a percent sign as %%"
                yield reader.line_num, "pgettext", (context, data_message(text)), [comment]


def data_message(text: str) -> str:
    """The message id of a text of the data: the text, with a literal ``%`` written ``%%``.

    Examples:
        >>> data_message("63% of the global cloud market")
        '63%% of the global cloud market'
    """
    return text.replace("%", "%%")


def translate_data(words: gettext.NullTranslations, context: str, text: str) -> str | None:
    """The catalog's translation of a text of the data, in `context`; None if the catalog has none.

    Examples:
        >>> translate_data(translation("zh_CN"), "company", "Tencent")
        '腾讯'
        >>> translate_data(translation("en_US"), "company", "Tencent") is None
        True
    """
    message = data_message(text)
    translated = words.pgettext(context, message)
    return None if translated == message else translated.replace("%%", "%")


def data_text(words: gettext.NullTranslations, context: str, text: str) -> str:
    """A text of the data in the catalog's words, or as the data writes it where the catalog has none.

    Examples:
        >>> data_text(translation("zh_CN"), "company", "Tencent"), data_text(translation("en_US"), "company", "Tencent")
        ('腾讯', 'Tencent')
    """
    return (translate_data(words, context, text) if text else None) or text


def catalog_for(locale: str | babel.Locale) -> str:
    """The catalog a locale reads: ``zh_Hant``, ``zh_Hans`` or ``en``.

    Chinese with the traditional script (``zh_Hant``, ``zh_Hant_HK``), or of Hong
    Kong, Macau or Taiwan when no script is named (``zh_TW``), reads ``zh_Hant``;
    any other Chinese reads ``zh_Hans``; every other language reads ``en``.

    Args:
        locale: A CLDR locale such as ``"zh_CN"`` or ``"zh-Hant-HK"``, or a `babel.Locale`.

    Returns:
        The catalog's name, one of `CATALOGS`.

    Raises:
        InvalidValueError: `locale` is not a locale CLDR knows.

    Examples:
        >>> catalog_for("zh_Hant_HK"), catalog_for("zh_SG"), catalog_for("en_GB")
        ('zh_Hant', 'zh_Hans', 'en')
    """
    from capexmodel._model.reading import _parse_locale  # noqa: PLC0415 -- babel loads lazily, on first use

    where = _parse_locale(locale)
    if where.language != "zh":
        return "en"
    script = where.script or ("Hant" if where.territory in _TRADITIONAL_REGIONS else "Hans")
    return "zh_Hant" if script == "Hant" else "zh_Hans"


def translation(locale: str | babel.Locale) -> gettext.GNUTranslations:
    """The catalog a locale reads (see `catalog_for`), loaded once, safely from any thread.

    Args:
        locale: A CLDR locale such as ``"zh_CN"``, or a `babel.Locale`.

    Returns:
        The catalog, whose ``gettext`` and ``ngettext`` translate messages.

    Raises:
        InvalidValueError: `locale` is not a locale CLDR knows.

    Examples:
        >>> translation("zh_CN").gettext("Status") != "Status"
        True
    """
    name = catalog_for(locale)
    with _LOCK:
        loaded = _LOADED.get(name)
        if loaded is None:
            loaded = _LOADED[name] = _load(name)
    return loaded


def _load(name: str) -> gettext.GNUTranslations:
    """Read a shipped catalog (from the installed package, whether a folder or a zip)."""
    path = f"locale/{name}/LC_MESSAGES/{DOMAIN}.mo"
    data = pkgutil.get_data("capexmodel._present", path)
    if data is None:  # pragma: no cover -- the loader of an installed package always reads files
        msg = f"the catalog {show(path)} is missing from the package; reinstall capexmodel"
        raise InvalidValueError(msg)
    return gettext.GNUTranslations(io.BytesIO(data))
