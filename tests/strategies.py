"""Hypothesis strategies for every capexmodel type, in one place."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

import capexmodel as cm

#: Codes real analyses use, plus a few rarer ones CLDR knows.
CURRENCY_CODES = ("USD", "CNY", "HKD", "EUR", "JPY", "GBP", "KRW", "TWD", "INR", "CHF", "BHD")

currencies = st.sampled_from(CURRENCY_CODES).map(cm.Currency)

#: Exact amounts as analysts write them (whole units, cents, the odd long decimal),
#: and amounts with 30 to 60 digits, more than the default decimal context keeps.
amounts = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(Decimal),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**6), max_value=10**6, places=9, allow_nan=False, allow_infinity=False),
    st.builds(
        lambda coefficient, exponent: Decimal(coefficient).scaleb(exponent),
        st.integers(min_value=10**29, max_value=10**60) | st.integers(min_value=-(10**60), max_value=-(10**29)),
        st.integers(min_value=-40, max_value=5),
    ),
)

#: Factors for scaling: ints and short decimals, as in "12% of revenue".
factors = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False),
)

years = st.integers(min_value=1990, max_value=2100)
year_end_months = st.integers(min_value=1, max_value=12)
fiscal_calendars = year_end_months.map(lambda month: cm.FiscalCalendar(year_end_month=month))
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def periods(draw: st.DrawFn, max_months: int = 36) -> cm.Period:
    """Any span of 1 to `max_months` whole months starting between 1990 and 2100."""
    year = draw(years)
    month = draw(st.integers(min_value=1, max_value=12))
    length = draw(st.integers(min_value=1, max_value=max_months))
    last_year, last_month0 = divmod(year * 12 + month - 1 + length - 1, 12)
    return cm.Period.from_months((year, month), (last_year, last_month0 + 1))


@st.composite
def money(draw: st.DrawFn, currency: cm.Currency | None = None, period: cm.Period | None = None) -> cm.Money:
    """An amount in `currency` over `period` (each drawn when not given)."""
    return cm.Money(
        draw(amounts),
        currency if currency is not None else draw(currencies),
        period if period is not None else draw(periods()),
    )


@st.composite
def money_lists(draw: st.DrawFn, min_size: int = 1, max_size: int = 30) -> list[cm.Money]:
    """Several amounts sharing one currency and one period."""
    currency, period = draw(currencies), draw(periods())
    return draw(st.lists(money(currency, period), min_size=min_size, max_size=max_size))


regions = st.sampled_from(("US", "CN", "HK", "JP", "DE", "EU", "GB", "KR", "TW", "IN")).map(cm.Region)
company_ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
names = st.text(min_size=1, max_size=20).map(str.strip).filter(bool)
tickers = st.lists(st.from_regex(r"[A-Z0-9.:]{1,10}", fullmatch=True), max_size=3, unique=True).map(tuple)


@st.composite
def companies(draw: st.DrawFn) -> cm.Company:
    """A valid company with any region, calendar, currency and tickers."""
    return cm.Company(
        id=draw(company_ids),
        name_en=draw(names),
        name_zh=draw(names),
        region=draw(regions),
        fiscal_calendar=draw(fiscal_calendars),
        currency=draw(currencies),
        tickers=draw(tickers),
    )


#: Anything at all a user might pass to a constructor by mistake.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(),
    st.binary(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.integers(), st.integers()),
    st.sampled_from(["USD", "usd", "2024", "2024-Q3", "1e3", "NaN", "-Infinity", "sNaN", "1_000", " 7.230 "]),
    st.builds(object),
)
