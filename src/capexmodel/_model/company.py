"""Companies and the regions they belong to."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Final, final

import attrs

from capexmodel._errors import N_, InvalidValueError, show
from capexmodel._lazy import load, public
from capexmodel._model.currency import Currency
from capexmodel._model.fiscal import FiscalCalendar
from capexmodel._model.validators import instance_of, tuple_of

__all__ = ["Company", "Region"]


@functools.cache
def _territory_names(locale: str) -> dict[str, str]:
    """CLDR's territory names in `locale` (loaded once per locale, on first use)."""
    load("babel")  # babel loads lazily, on first use, safely from any thread
    from babel import Locale, UnknownLocaleError  # noqa: PLC0415 -- loaded just above

    try:
        return dict(Locale.parse(locale).territories)
    except (UnknownLocaleError, ValueError, TypeError):
        msg = f"unknown locale {show(locale)}: expected a CLDR locale such as 'en' or 'zh_CN'"
        raise InvalidValueError(msg) from None


#: CLDR's territory codes: babel's ``Locale("en").territories``, which a test keeps this in
#: step with, written out so that checking a code does not load a locale's data.
_TERRITORY_TEXT: Final = (
    "001 002 003 005 009 011 013 014 015 017 018 019 021 029 030 034 035 039 053 054 057 061 142 143 "
    "145 150 151 154 155 202 419 AC AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF "
    "BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CP CQ CR CU "
    "CV CW CX CY CZ DE DG DJ DK DM DO DZ EA EC EE EG EH ER ES ET EU EZ FI FJ FK FM FO FR GA GB GD GE "
    "GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU IC ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG "
    "MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA QO RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN "
    "SO SR SS ST SV SX SY SZ TA TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM UN US UY UZ "
    "VA VC VE VG VI VN VU WF WS XA XB XK YE YT ZA ZM ZW ZZ"
)
_TERRITORY_CODES: Final = frozenset(_TERRITORY_TEXT.split())


def _region_code(code: str) -> str:
    """A CLDR territory code in upper case, as CLDR writes it (``"cn"`` is ``"CN"``); anything else is refused."""
    canonical = code.upper() if isinstance(code, str) and code.isascii() else None
    if canonical is None or canonical not in _TERRITORY_CODES:
        msg = f"unknown region {show(code)}: expected a CLDR territory code such as 'US', 'CN' or 'EU'"
        raise InvalidValueError(msg)
    return canonical


@public
@final
@attrs.frozen
class Region:
    """A country or group of countries, named by its CLDR territory code (``US``, ``CN``, ``EU``).

    Codes are read in any case, as currency codes are (``Region("cn") == Region("CN")``);
    anything that is not a CLDR territory code is refused. Names come from CLDR, in any
    locale babel knows.

    Attributes:
        code: The CLDR territory code, in any case; kept in upper case.

    Raises:
        InvalidValueError: `code` is not a CLDR territory code.

    Examples:
        >>> import capexmodel as cm
        >>> china = cm.Region("cn")
        >>> china.code, china.name("en"), china.name("zh_CN")
        ('CN', 'China', '中国')
    """

    code: str = attrs.field(converter=_region_code)
    """The CLDR territory code, in upper case: an ISO 3166-1 alpha-2 code or a CLDR grouping such as ``EU``."""

    def name(self, locale: str = "en") -> str:
        """The region's name in `locale`.

        Args:
            locale: A CLDR locale such as ``"en"`` or ``"zh_CN"``.

        Returns:
            CLDR's name of the region in that locale (the code, where CLDR has no name).

        Raises:
            InvalidValueError: The locale is unknown.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Region("US").name("zh_CN")
            '美国'
        """
        if not isinstance(locale, str):
            msg = f"unknown locale {show(locale)}: expected a CLDR locale such as 'en' or 'zh_CN'"
            raise InvalidValueError(msg)
        return _territory_names(locale).get(self.code, self.code)

    def __str__(self) -> str:
        """Return the code."""
        return self.code


def _to_region(value: Region | str) -> Region:
    return value if isinstance(value, Region) else Region(value)


_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_TICKER = re.compile(r"\S+")


def _check_id(_: Company, __: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        msg = (
            "a company id is lower-case letters and digits joined by '-' or '_',"
            f" such as 'china-mobile', got {show(value)}"
        )
        raise InvalidValueError(msg)


def _check_name(_: Company, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        msg = f"{attribute.name} must be a non-empty string without surrounding spaces, got {show(value)}"
        raise InvalidValueError(msg)


def number_character(text: str) -> str | None:
    """The first character of `text` that stands for a number but is not a decimal digit (³, ①, ½, Ⅻ, ㋀), if any.

    NFKC would read such a character as digits or letters that the writer may not have
    meant (``"ⅹAI"`` as ``"xai"``), so names and amounts that hold one are refused
    (this is the one rule for both: the number reader uses it too).

    Examples:
        >>> from capexmodel._model.company import number_character
        >>> number_character("xAI"), number_character("ⅹAI")
        (None, 'ⅹ')
    """
    return None if text.isascii() else next(filter(_stands_for_a_number, text), None)


@functools.lru_cache(maxsize=4096)
def _stands_for_a_number(char: str) -> bool:
    """A number character of category No or Nl, or one that NFKC turns into digits ("㋀" is "1月")."""
    category = unicodedata.category(char)
    return category in {"No", "Nl"} or (
        category != "Nd" and any(unicodedata.category(part) == "Nd" for part in unicodedata.normalize("NFKC", char))
    )


def fold(name: str) -> str:
    """`name` as names are compared: NFKC, case folded, decimal digits of any script in ASCII, spaces collapsed.

    Format marks (zero-width spaces, direction marks) are dropped. A name holding a
    `number_character` is refused before it is folded.

    Examples:
        >>> from capexmodel._model.company import fold
        >>> fold("Ｍｉｃｒｏｓｏｆｔ"), fold("  China   Mobile "), fold("０７００.HK")
        ('microsoft', 'china mobile', '0700.hk')
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    if not folded.isascii():
        folded = "".join(map(_fold_character, folded))
    return " ".join(folded.split())


@functools.lru_cache(maxsize=4096)
def _fold_character(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    return "" if category == "Cf" else char


def _to_aliases(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    aliases = tuple_of(value, str, "aliases")
    seen: dict[str, str] = {}
    for alias in aliases:
        stray = number_character(alias)
        if not alias.strip() or alias != alias.strip() or "|" in alias or stray is not None:
            msg = (
                "an alias is a non-empty name without surrounding spaces, '|' or characters that stand"
                f" for numbers (such as ① or Ⅻ), got {show(alias)} in {show(value)}"
            )
            raise InvalidValueError(msg)
        if fold(alias) in seen:
            msg = f"aliases must not repeat, got {show(seen[fold(alias)])} and {show(alias)} in {show(value)}"
            raise InvalidValueError(msg)
        seen[fold(alias)] = alias
    return aliases


def _to_tickers(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    tickers = tuple_of(value, str, "tickers")
    for ticker in tickers:
        if not _TICKER.fullmatch(ticker):
            msg = f"a ticker is a non-empty string without spaces, got {show(ticker)} in {show(value)}"
            raise InvalidValueError(msg)
    if len(set(tickers)) != len(tickers):
        msg = f"tickers must not repeat, got {show(value)}"
        raise InvalidValueError(msg)
    return tickers


#: The SEC's Central Index Keys run to ten digits.
MAX_CIK = 9_999_999_999
#: What a CIK is, as a refusal says it (the command says it in the reader's words).
CIK_RULE: Final = N_(
    "a CIK is the SEC's Central Index Key, a whole number from 1 to {max} written in at most ten ASCII digits,"
    " got {value}"
)


def to_cik(value: object, *, text: bool = True) -> int:
    """A CIK from a whole number, or (unless ``text=False``) from at most ten ASCII digits (``"0001652044"``).

    Examples:
        >>> from capexmodel._model.company import to_cik
        >>> to_cik(1652044), to_cik("0001652044")
        (1652044, 1652044)
    """
    if type(value) is int:
        number = value
    elif text and isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_CIK)):
        number = int(value)
    else:
        number = -1
    if not 0 < number <= MAX_CIK:
        raise InvalidValueError(CIK_RULE.format(max=MAX_CIK, value=show(value)))
    return number


def _check_cik(_: Company, __: attrs.Attribute[int | None], value: object) -> None:
    if value is not None:
        to_cik(value, text=False)  # a Company holds the number, never its text


@public
@final
@attrs.frozen(kw_only=True)
class Company:
    """A company whose investment is compared: an id, names, a region, a calendar, a currency.

    Every argument is passed by keyword.

    Attributes:
        id: A stable identifier: lower-case letters and digits joined by ``-`` or ``_``.
        name_en: The English name.
        name_zh: The Chinese name.
        region: Where the company is based: a `Region`, or its code.
        fiscal_calendar: The company's `FiscalCalendar`; calendar years by default.
        currency: The currency the company reports in: a `Currency`, or its code.
        tickers: Exchange tickers (strings without spaces, none repeated); none by default.
        aliases: Other names the company goes by, none repeated; none by default.
        cik: The SEC's Central Index Key, a whole number from 1 to 9999999999; None by default.

    Raises:
        InvalidValueError: A field is not of its kind: an id that is not lower-case
            letters and digits, an empty name, an unknown region, a repeated ticker or
            alias, an alias holding a character that stands for a number, a CIK out of range.
        UnknownCurrencyError: `currency` is not an ISO 4217 code.

    Examples:
        >>> import capexmodel as cm
        >>> alibaba = cm.Company(
        ...     id="alibaba", name_en="Alibaba", name_zh="阿里巴巴", region="CN",
        ...     fiscal_calendar=cm.FiscalCalendar(year_end_month=3), currency="CNY",
        ...     tickers=("BABA", "9988.HK"),
        ... )
        >>> alibaba.fiscal_calendar.year(2025)
        Period.parse('2024-04/2025-03')
        >>> alibaba.region.name("zh_CN")
        '中国'
    """

    id: str = attrs.field(validator=_check_id)
    """A stable identifier: lower-case letters and digits joined by ``-`` or ``_``."""

    name_en: str = attrs.field(validator=_check_name)
    """The English name."""

    name_zh: str = attrs.field(validator=_check_name)
    """The Chinese name."""

    region: Region = attrs.field(converter=_to_region)
    """Where the company is based (a `Region` or its code)."""

    fiscal_calendar: FiscalCalendar = attrs.field(
        factory=FiscalCalendar, validator=instance_of(FiscalCalendar, "a FiscalCalendar")
    )
    """The company's fiscal calendar; calendar years by default."""

    currency: Currency = attrs.field(converter=Currency)
    """The currency the company reports in."""

    tickers: tuple[str, ...] = attrs.field(default=(), converter=_to_tickers)
    """Exchange tickers, in the company's own order; none for a private company."""

    aliases: tuple[str, ...] = attrs.field(default=(), converter=_to_aliases)
    """Other names the company goes by (``("Google",)`` for Alphabet), by which `Dataset.company` finds it
    too; none by default. They do not repeat (compared as `Dataset.company` compares names)."""

    cik: int | None = attrs.field(default=None, validator=_check_cik)
    """The SEC's Central Index Key, for a company that files with the SEC (Alphabet's is
    1652044); None otherwise. `read_companyfacts` finds an embedded company by it."""

    def __str__(self) -> str:
        """Return the English name."""
        return self.name_en
