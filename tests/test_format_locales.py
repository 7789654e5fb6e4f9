"""Every amount `format_money` writes, in every locale babel knows, reads back with `parse_money` in that locale.

One test per locale: for a set of amounts (zero, small, large, negative, many
decimals, one whose rounding carries) in dollars and in the locale's own
currency, in both styles, the text read back is the amount written (rounded to the
short style's three significant digits, half to even, or exact in the precise style).
Ratios written with `format_ratio` read back with `parse_number` likewise.
"""

import datetime as dt
from decimal import Decimal

import babel
import babel.localedata
import babel.numbers
import pytest

import capexmodel as cm

Y24 = cm.CalendarYear(2024)

LOCALES = babel.localedata.locale_identifiers()

#: Zero, small, rounding up to the next power of ten, large, negative, past every compact
#: suffix, and more digits than the default decimal context keeps.
AMOUNTS = tuple(
    Decimal(amount)
    for amount in (
        *("0", "-0.001234", "999.95", "1000", "77700000000", "-1500000000000", "1E+15"),
        "12345678901234567890.123456789",
    )
)

#: Dollars everywhere; yuan, yen (no decimals) and every other currency as some locale's own.
CURRENCIES = ("USD",)


def rounded(amount: Decimal, digits: int) -> Decimal:
    """`amount` to `digits` significant digits, half to even, as the short style shows it."""
    return amount if not amount else round(amount, digits - 1 - amount.adjusted())


def own_currencies(locale: str) -> tuple[str, ...]:
    territory = babel.Locale.parse(locale).territory
    return tuple(babel.numbers.get_territory_currencies(territory, dt.date(2024, 1, 1))) if territory else ()


def test_babel_knows_many_locales():
    assert len(LOCALES) > 1000
    assert {"en_US", "zh_Hans_CN", "zh_Hant_HK", "de_CH", "vec", "sw", "ml", "fy", "my", "si"} <= set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_amount_written_in_the_locale_reads_back_in_it(locale):
    for code in dict.fromkeys((*CURRENCIES, *own_currencies(locale))):
        for amount in AMOUNTS:
            money = cm.Money(amount, code, Y24)
            for style, expected in (("short", rounded(amount, 3)), ("precise", amount)):
                text = format_money_checked(money, locale, style)
                assert cm.parse_money(text, Y24, locale=locale) == cm.Money(expected, code, Y24), (style, text)


def format_money_checked(money: cm.Money, locale: str, style: str) -> str:
    return cm.format_money(money, locale=locale, style=style)  # type: ignore[arg-type]


RATIOS = tuple(map(Decimal, ("0", "5.7848", "-0.000123", "1234567891.23", "-98765432109876.5")))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_ratio_written_in_the_locale_reads_back_in_it(locale):
    for ratio in RATIOS:
        text = cm.format_ratio(ratio, locale, digits=15)
        assert cm.parse_number(text, locale=locale) == ratio, text
