"""Amounts, ratios, percentages and periods written for a locale.

Formatting goes through babel's CLDR data: compact numbers (777亿, 77.7B), currency
symbols and names, digit grouping and decimal signs. Rounding happens here and only
here, to a number of significant digits. Reading text is `capexmodel._model.reading`'s
business, one layer down: the data loader reads numbers too.

Every function here computes in the library's own decimal contexts, never in the
caller's, and leaves the caller's context and its flags as they were. Nothing is
printed that does not read back: `format_money` reads its own text back with
`parse_money` before returning it.
"""

from __future__ import annotations

import copy
import decimal
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

from capexmodel._errors import (
    InvalidAmountError,
    InvalidValueError,
    shorten,
    show,
)
from capexmodel._lazy import public
from capexmodel._model.money import _MAX_MAGNITUDE, Money, _to_decimal
from capexmodel._model.reading import (
    _MONEY_EXAMPLES,
    ARTICLE_CURRENCY_NAMES,
    _in_own_context,
    _parse_locale,
    _read,
    _reader,
)
from capexmodel._present.messages import translation

if TYPE_CHECKING:
    from collections.abc import Mapping

    import babel

    from capexmodel._model.currency import Currency
    from capexmodel._model.period import Period

__all__ = ["format_money", "format_percent", "format_period", "format_ratio"]

#: The most significant digits any amount has (a thousand before the point, a thousand after).
_MAX_DIGITS: Final = 2 * _MAX_MAGNITUDE

#: babel divides, rounds and quantizes in the active context; this one is wide enough
#: that nothing an amount or `digits` allows is ever rounded by accident.
_WIDE: Final = decimal.Context(
    prec=8 * _MAX_MAGNITUDE,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero],
)

#: The forms each style tries, in order, until one reads back as the amount written:
#: compact ("$77.7B"), in full with the currency's symbol ("$77,700,000,000.00"), then
#: without group signs (for the locales whose grouping babel writes wrongly), then with
#: the currency's code (for the symbols CLDR spells as another currency's code).
_FULL_FORMS: Final = ("symbol", "symbol ungrouped", "code", "code ungrouped")
_FORMS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"short": ("compact", *_FULL_FORMS), "precise": _FULL_FORMS}
)

_STYLES: Final = tuple(_FORMS)


@public
@_in_own_context
def format_money(
    money: Money,
    locale: str | babel.Locale = "en_US",
    *,
    digits: int = 3,
    style: Literal["short", "precise"] = "short",
) -> str:
    """Write an amount as a reader of `locale` expects it.

    The ``"short"`` style rounds the amount to `digits` significant digits (half to
    even; trailing zeros are not shown) and writes it compactly, as CLDR's data for
    the locale says:

    - in Chinese (``zh_CN``, ``zh_TW``, ...), the compact number (万, 亿, 万亿; 萬, 億)
      followed by the currency's name: "777亿美元", "800亿元", "1.5万亿元". Simplified
      Chinese uses `ARTICLE_CURRENCY_NAMES` for USD, CNY and HKD, as the article does,
      and babel's name for every other currency (欧元, 日元);
    - in every other locale, babel's compact currency format: "$77.7B" in ``en_US``,
      "77,7 Mrd. $" in ``de_DE``.

    The ``"precise"`` style writes every digit of the exact amount (at least the
    currency's usual decimals) with the locale's currency symbol and grouping:
    "$82,999,000,000.00". Nothing is rounded.

    Every text is read back with `parse_money` in the same locale before it is
    returned, and must give the amount written (the rounded one, in the short style)
    in its currency. Where the compact form does not (babel misreads CLDR's pattern,
    as for Swahili and Venetian in babel 2.19, or the locale writes its scale before
    the number), the short style writes the rounded amount in full instead
    ("1 000,00 US$" for 1000 USD in ``vec``), never scaled by the wrong power of ten.
    Where the full form does not either (babel 2.19 drops group signs written as an
    apostrophe, in the Swiss locales), the amount is written in full without group
    signs ("$ 77700000000.00" in ``de_CH``); where the currency's symbol is another
    currency's code (CLDR writes ILR as "ILS" in ``zh_CN``), with the currency's
    code ("ILR77,700,000,000.00"). Where no form reads back, the amount is refused.

    Args:
        money: The amount to write.
        locale: A CLDR locale such as ``"zh_CN"`` or ``"en-US"``, or a `babel.Locale`.
        digits: Significant digits the short style keeps, from 1 to 2000.
        style: ``"short"`` or ``"precise"``.

    Returns:
        The text.

    Raises:
        InvalidValueError: `money` is not a `Money`, the locale is unknown,
            `digits` or `style` is not one of the values above, or the locale cannot
            write the amount in a form that reads back as it.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.format import format_money
        >>> y24 = cm.CalendarYear(2024)
        >>> format_money(cm.Money("77700000000", "USD", y24), locale="zh_CN")
        '777亿美元'
        >>> format_money(cm.Money("11065006915.63", "USD", y24), locale="zh_CN")
        '111亿美元'
        >>> format_money(cm.Money("1500000000000", "CNY", y24), locale="zh_CN")
        '1.5万亿元'
        >>> format_money(cm.Money("77700000000", "USD", y24))
        '$77.7B'
        >>> format_money(cm.Money("11065006915.63", "USD", y24), locale="zh_CN", digits=5)
        '110.65亿美元'
        >>> format_money(cm.Money("82999000000", "USD", y24), style="precise")
        '$82,999,000,000.00'
    """
    if type(money) is not Money:
        msg = f"format_money() takes a Money, got {show(money)}"
        raise InvalidValueError(msg)
    where = _parse_locale(locale)
    if style not in _STYLES:
        msg = f"style must be one of {', '.join(map(repr, _STYLES))}, got {show(style)}"
        raise InvalidValueError(msg)
    shown = _significant(money.amount, _check_digits(digits)) if style == "short" else money.amount
    written = []
    for form in _FORMS[style]:
        text = _write(shown, money.currency, where, digits, form=form)
        if _reads_back(text, shown, money.currency, where):
            return text
        written.append(text)
    amount = f"{shorten(f'{shown:f}')} {money.currency.code}"
    msg = (
        f"cannot write {amount} faithfully in {where}: babel writes it as"
        f" {' or as '.join(map(repr, dict.fromkeys(written)))}, which does not read back as that amount;"
        " choose another locale"
    )
    raise InvalidValueError(msg)


@public
@_in_own_context
def format_ratio(value: int | Decimal | str, locale: str | babel.Locale = "en_US", *, digits: int = 2) -> str:
    """Write a ratio (5.8 times, say) to `digits` significant digits, for `locale`.

    The value is rounded half to even and written with exactly `digits` significant
    digits (6 with two digits is "6.0"), with the locale's decimal sign and grouping
    (no grouping where babel's would not read back: it drops the Swiss apostrophes).

    Args:
        value: The ratio, an int, a Decimal or a numeric string (floats are refused).
        locale: A CLDR locale such as ``"zh_CN"``, or a `babel.Locale`.
        digits: Significant digits, from 1 to 2000.

    Returns:
        The text.

    Raises:
        InvalidAmountError: `value` is not an exact, finite number.
        InvalidValueError: the locale is unknown or `digits` is out of range.

    Examples:
        >>> from decimal import Decimal
        >>> from capexmodel._present.format import format_ratio
        >>> format_ratio(Decimal("5.7848"))
        '5.8'
        >>> format_ratio(Decimal("5.7848"), "de_DE", digits=3)
        '5,78'
        >>> format_ratio(1234567, digits=3)
        '1,230,000'
    """
    number = _to_decimal(value, "a ratio")
    where = _parse_locale(locale)
    return _format_significant(number, where.decimal_formats[None], where, _check_digits(digits))


@public
@_in_own_context
def format_percent(value: int | Decimal | str, locale: str | babel.Locale = "en_US", *, digits: int = 3) -> str:
    """Write a fraction (0.1301) as a percentage to `digits` significant digits ("13.0%").

    The percentage is rounded half to even and written with exactly `digits`
    significant digits, with the locale's percent pattern, decimal sign and grouping
    (no grouping where babel's would not read back, as `format_ratio` says).

    Args:
        value: The fraction (1 is 100%), an int, a Decimal or a numeric string.
        locale: A CLDR locale such as ``"zh_CN"``, or a `babel.Locale`.
        digits: Significant digits, from 1 to 2000.

    Returns:
        The text.

    Raises:
        InvalidAmountError: `value` is not an exact, finite number.
        InvalidValueError: the locale is unknown or `digits` is out of range.

    Examples:
        >>> from decimal import Decimal
        >>> from capexmodel._present.format import format_percent
        >>> format_percent(Decimal("0.1301")), format_percent(Decimal("0.1301"), "zh_CN")
        ('13.0%', '13.0%')
        >>> format_percent(Decimal("0.0125"), digits=2)  # half to even
        '1.2%'
    """
    number = _to_decimal(value, "a percentage")
    where = _parse_locale(locale)
    return _format_significant(number, where.percent_formats[None], where, _check_digits(digits))


def format_period(period: Period, locale: str | babel.Locale = "en_US") -> str:
    """Write a period as a sentence of `locale` names it, with babel's CLDR date patterns.

    A calendar year is its year ("2024", "2024年"), a calendar quarter its quarter
    ("4th quarter 2024", "2024年第4季度"), a calendar half "H1 2024" ("2024年上半年"),
    a month its month ("Jan 2025", "2025年1月"); any other span goes from its first
    month to its last ("Jan 2025 to Dec 2027", "2025年1月至2027年12月"), joined as the
    locale's catalog says.

    Args:
        period: The period.
        locale: A CLDR locale such as ``"zh_CN"``, or a `babel.Locale`.

    Returns:
        The text.

    Raises:
        InvalidValueError: the locale is unknown.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.format import format_period
        >>> span = cm.Period.parse("2025-01/2027-12")
        >>> format_period(span), format_period(span, "zh_CN"), format_period(span, "zh_TW")
        ('Jan 2025 to Dec 2027', '2025年1月至2027年12月', '2025年1月至2027年12月')
        >>> format_period(cm.CalendarYear(2024), "zh_CN"), format_period(cm.CalendarQuarter(2024, 4), "zh_CN")
        ('2024年', '2024年第4季度')
    """
    from babel.dates import format_skeleton  # noqa: PLC0415 -- babel loads lazily, on first use

    where = _parse_locale(locale)
    first, count = period.start, period.month_count
    year = format_skeleton("y", first, locale=where)
    if count == 12 and first.month == 1:  # noqa: PLR2004 -- a year is twelve months
        return year
    if count == 3 and first.month % 3 == 1:  # noqa: PLR2004 -- a quarter is three months
        return format_skeleton("yQQQQ", first, locale=where)
    words = translation(where)
    if count == 6 and first.month in {1, 7}:  # noqa: PLR2004 -- a half is six months
        # Translators: the first or the second half of a calendar year; {year} is written as the locale writes a year
        half = words.gettext("H1 {year}") if first.month == 1 else words.gettext("H2 {year}")
        return half.format(year=year)
    start = format_skeleton("yMMM", first, locale=where)
    if count == 1:
        return start
    # Translators: a span of months, from the first month to the last ("Jan 2025 to Dec 2027")
    return words.gettext("{start} to {end}").format(start=start, end=format_skeleton("yMMM", period.end, locale=where))


# Formatting helpers


def _check_digits(digits: object) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= _MAX_DIGITS:
        msg = f"digits must be a whole number of significant digits from 1 to {_MAX_DIGITS}, got {show(digits)}"
        raise InvalidValueError(msg)
    return digits


def _significant(number: Decimal, digits: int) -> Decimal:
    """Round to `digits` significant digits, half to even; never add digits."""
    exponent = number.adjusted() - digits + 1
    current = number.as_tuple().exponent
    if not number or (isinstance(current, int) and current >= exponent):
        return number
    return number.quantize(Decimal(1).scaleb(exponent), context=_WIDE)


def _format_significant(number: Decimal, pattern: babel.numbers.NumberPattern, where: babel.Locale, digits: int) -> str:
    """Apply a locale's number pattern showing exactly `digits` significant digits.

    The digits are grouped only where the grouped number reads back as itself: babel
    2.19 strips the apostrophes the Swiss locales group with, in pairs, and would write
    "1234567'891.23".
    """
    with decimal.localcontext(_WIDE):
        scaled = number.scaleb(pattern.scale)  # a percentage is the fraction times 10**2
        exponent = (scaled.adjusted() if scaled else 0) - digits + 1
        shown = scaled.quantize(Decimal(1).scaleb(exponent))
        fraction = max(0, -exponent)
        exact = copy.copy(pattern)
        exact.frac_prec = (fraction, fraction)
        bare = copy.copy(exact)
        bare.prefix = bare.suffix = ("", "")
        grouped = str(bare.apply(abs(shown).scaleb(-pattern.scale), where))
        grouping = _reads_as(grouped, abs(shown), where)
        return str(exact.apply(shown.scaleb(-pattern.scale), where, group_separator=grouping))


def _write(shown: Decimal, currency: Currency, where: babel.Locale, digits: int, *, form: str) -> str:
    """The amount as babel writes it for the locale, in one of the `_FORMS`."""
    from babel.numbers import (  # noqa: PLC0415 -- babel loads lazily, on first use
        format_compact_currency,
        format_compact_decimal,
        format_currency,
    )

    with decimal.localcontext(_WIDE):
        if form != "compact":
            sign, _, grouping = form.partition(" ")
            pattern = None if sign == "symbol" else where.currency_formats["standard"].pattern.replace("¤", "¤¤")
            return format_currency(
                shown, currency.code, pattern, where, decimal_quantization=False, group_separator=not grouping
            )
        # The number already has at most `digits` significant digits, so `digits`
        # fraction digits after the compact scaling are enough never to round again.
        if where.language == "zh":
            number = format_compact_decimal(shown, locale=where, fraction_digits=digits)
            return f"{number}{_chinese_currency_name(currency, where)}"
        return format_compact_currency(shown, currency.code, locale=where, fraction_digits=digits)


def _reads_as(text: str, number: Decimal, where: babel.Locale) -> bool:
    """Whether `parse_number` reads `text`, in the locale, as exactly `number`."""
    try:
        read, named = _read(text, _reader(str(where)), what="a number", examples="")
    except InvalidAmountError:
        return False
    return read == number and named is None


def _reads_back(text: str, amount: Decimal, currency: Currency, where: babel.Locale) -> bool:
    """Whether `parse_money` reads `text`, in the locale, as exactly `amount` in `currency` and nothing else."""
    try:
        read, named = _read(text, _reader(str(where)), what="an amount of money", examples=_MONEY_EXAMPLES)
    except InvalidAmountError:
        return False
    return read == amount and named is not None and named[1] == {currency.code}


def _chinese_currency_name(currency: Currency, where: babel.Locale) -> str:
    """The article's name in Simplified Chinese, otherwise babel's name for the locale."""
    if where.script != "Hant" and currency.code in ARTICLE_CURRENCY_NAMES:
        return ARTICLE_CURRENCY_NAMES[currency.code]
    from babel.numbers import get_currency_name  # noqa: PLC0415 -- babel loads lazily, on first use

    return get_currency_name(currency.code, locale=where)
