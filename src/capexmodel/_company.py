"""Companies and the regions they belong to."""

from __future__ import annotations

import functools
import re
from typing import final

import attrs

from capexmodel._currency import Currency
from capexmodel._errors import InvalidValueError, show
from capexmodel._fiscal import FiscalCalendar
from capexmodel._lazy import load, public
from capexmodel._validators import instance_of, tuple_of

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


def _check_region_code(_: Region, __: attrs.Attribute[str], code: str) -> None:
    if not isinstance(code, str) or code not in _territory_names("en"):
        msg = f"unknown region {show(code)}: expected a CLDR territory code such as 'US', 'CN' or 'EU'"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class Region:
    """A country or group of countries, named by its CLDR territory code (``US``, ``CN``, ``EU``).

    Names come from CLDR, in any locale babel knows.

    Examples:
        >>> import capexmodel as cm
        >>> china = cm.Region("CN")
        >>> china.name("en"), china.name("zh_CN")
        ('China', '中国')
    """

    code: str = attrs.field(validator=_check_region_code)
    """The CLDR territory code: an ISO 3166-1 alpha-2 code or a CLDR grouping such as ``EU``."""

    def name(self, locale: str = "en") -> str:
        """The region's name in `locale`.

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


def _to_tickers(value: object) -> tuple[str, ...]:
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


def to_cik(value: object, *, text: bool = True) -> int:
    """A CIK from a whole number, or (unless ``text=False``) from at most ten ASCII digits (``"0001652044"``).

    Examples:
        >>> from capexmodel._company import to_cik
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
        msg = (
            f"a CIK is the SEC's Central Index Key, a whole number from 1 to {MAX_CIK}"
            f" written in at most ten ASCII digits, got {show(value)}"
        )
        raise InvalidValueError(msg)
    return number


def _check_cik(_: Company, __: attrs.Attribute[int | None], value: object) -> None:
    if value is not None:
        to_cik(value, text=False)  # a Company holds the number, never its text


@public
@final
@attrs.frozen(kw_only=True)
class Company:
    """A company whose investment is compared: an id, names, a region, a calendar, a currency.

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

    cik: int | None = attrs.field(default=None, validator=_check_cik)
    """The SEC's Central Index Key, for a company that files with the SEC (Alphabet's is
    1652044); None otherwise. `read_companyfacts` finds an embedded company by it."""

    def __str__(self) -> str:
        """Return the English name."""
        return self.name_en
