"""Hostile input to every public constructor of the value model raises only capexmodel's errors.

`strategies.hostile` is anything a caller could pass: all of Unicode (NUL and lone surrogates
included), digits from other scripts, numbers of every kind near every limit, subclasses of
the builtins and objects of the wrong type. What a constructor accepts, it must accept as one
well-defined value: rebuilding it from its own fields, or from its repr, gives it back.
"""

import datetime as dt
import decimal
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from tests import strategies as cms

Y24 = cm.CalendarYear(2024)
NAMESPACE = {
    "Money": cm.Money,
    "Period": cm.Period,
    "ExchangeRate": cm.ExchangeRate,
    "Source": cm.Source,
    "Decimal": Decimal,
    "datetime": dt,
}


def built(call, *args, **kwargs):
    """The value `call` builds, or None when it refuses the input with one of capexmodel's errors."""
    try:
        return call(*args, **kwargs)
    except cm.CapexModelError:
        return None


def rebuilds_from_its_repr(value):
    assert eval(repr(value), NAMESPACE) == value  # noqa: S307 -- the repr of a value the test built


@given(cms.hostile, cms.hostile, cms.hostile)
def test_money_from_anything(amount, currency, period):
    built(cm.Money, amount, currency, period)


@given(st.one_of(cms.hostile, cms.any_text, cms.number_like_text))
def test_money_from_any_amount(amount):
    money = built(cm.Money, amount, "USD", Y24)
    if money is not None:
        assert type(money.amount) is Decimal
        assert money.amount.is_finite()
        assert cm.Money(money.amount, "USD", Y24) == money
        rebuilds_from_its_repr(money)


@given(st.one_of(cms.hostile, cms.any_text))
def test_currency(code):
    currency = built(cm.Currency, code)
    if currency is not None:
        assert currency == currency.code.upper()
        assert cm.Currency(currency.code) is currency


@given(cms.hostile, cms.hostile)
def test_period(start, end):
    period = built(cm.Period, start, end)
    if period is not None:
        assert cm.Period.parse(period.label) == period


@given(st.one_of(cms.hostile, cms.any_text, cms.number_like_text, cms.number_like_text.map(lambda text: text + "-Q1")))
def test_period_parse(label):
    period = built(cm.Period.parse, label)
    if period is not None:
        assert period.label == label


@given(cms.hostile, cms.hostile, st.tuples(cms.hostile, cms.hostile))
def test_periods_from_numbers(year, number, pair):
    for helper in (cm.CalendarHalf, cm.CalendarQuarter, cm.CalendarMonth):
        built(helper, year, number)
    built(cm.CalendarYear, year)
    built(cm.Period.from_months, pair, pair)
    built(cm.Period.from_months, (year, number), pair)


@given(cms.hostile, cms.hostile, cms.hostile)
def test_fiscal_calendar(month, year, number):
    calendar = built(cm.FiscalCalendar, year_end_month=month) or cm.FiscalCalendar(year_end_month=6)
    built(calendar.year, year)
    built(calendar.half, year, number)
    built(calendar.quarter, year, number)
    built(calendar.year_of, number)
    built(calendar.quarter_of, number)


@given(st.one_of(cms.hostile, cms.any_text), st.one_of(cms.hostile, cms.any_text))
def test_region_and_its_names(code, locale):
    region = built(cm.Region, code) or cm.Region("CN")
    built(region.name, locale)


@given(
    st.fixed_dictionaries(
        {
            "id": cms.hostile,
            "name_en": st.one_of(cms.hostile, cms.any_text),
            "name_zh": st.one_of(cms.hostile, cms.any_text),
            "region": cms.hostile,
            "fiscal_calendar": cms.hostile,
            "currency": cms.hostile,
            "tickers": st.one_of(cms.hostile, st.lists(st.one_of(cms.hostile, cms.any_text), max_size=3)),
        }
    )
)
def test_company(fields):
    built(cm.Company, **fields)


@given(cms.hostile, cms.hostile, st.one_of(cms.hostile, cms.number_like_text), cms.hostile, cms.hostile)
def test_exchange_rate(base, quote, rate, window, source):
    built(cm.ExchangeRate, base, quote, rate, window, source)
    exchange_rate = built(cm.ExchangeRate, "USD", "CNY", rate, Y24)
    if exchange_rate is not None:
        assert exchange_rate.rate > 0
        rebuilds_from_its_repr(exchange_rate)


@given(st.one_of(cms.hostile, st.lists(st.one_of(cms.hostile, cms.exchange_rates(window=Y24)), max_size=4)))
def test_rate_table(rates):
    table = built(cm.RateTable, rates)
    if table is not None and table.rates:  # one rate per pair and window: no conversion is ever ambiguous
        rate = table.rates[0]
        built(table.convert, cm.Money(1, rate.base, Y24), rate.quote)


@given(cms.hostile, cms.hostile, cms.hostile, cms.hostile)
def test_provenance(publisher, title, date, note):
    built(cm.Source, publisher, title, date, note)
    built(cm.Metric, publisher)
    built(cm.Status.parse, title)
    built(cm.Status.combine, date)
    built(cm.Projection, publisher, title)
    built(cm.merge_sources, note)


@given(
    st.fixed_dictionaries(
        {
            "company": st.one_of(cms.hostile, cms.companies()),
            "metric": st.one_of(cms.hostile, st.just("capex")),
            "value": st.one_of(cms.hostile, cms.money()),
            "basis": st.one_of(cms.hostile, cms.any_text),
            "status": st.one_of(cms.hostile, cms.statuses),
            "sources": st.one_of(cms.hostile, st.lists(st.one_of(cms.hostile, cms.sources), max_size=2)),
            "market": cms.hostile,
            "derivation": cms.hostile,
        }
    )
)
def test_fact(fields):
    built(cm.Fact, **fields)


@given(cms.hostile, cms.hostile, st.one_of(cms.hostile, cms.number_like_text), cms.hostile, cms.hostile)
def test_chips(buyer, name, quantity, period, basis):
    built(cm.chip, name)
    built(cm.ChipPurchase, buyer, name, quantity, period)
    built(cm.ChipModel, buyer, name, "Hopper", quantity, basis)
    purchase = cm.ChipPurchase("meta", "H20", 3, Y24)
    built(cm.h100_equivalents, [purchase], basis=basis)
    built(cm.h100_equivalents, [purchase], basis={"H20": quantity})
    built(cm.h100_equivalents, buyer)


@given(cms.hostile, cms.hostile, cms.hostile, cms.hostile, cms.hostile)
def test_h100_equivalents(value, exact, basis, factors, by_buyer):
    built(cm.H100Equivalents, value, exact, basis, factors, by_buyer)
    built(cm.H100Equivalents, Decimal(1), Fraction(1), "bf16", {"H100": exact}, {"meta": value})


@given(st.lists(cms.hostile, min_size=8, max_size=8), cms.hostile)
def test_signals_and_bubble_risk(fields, other):
    signal = built(cm.Signal, *fields)
    built(cm.Signal, "capex_intensity", None, fields[0], "above", None, fields[1], "reason", "note")
    risk = built(cm.BubbleRisk, other, Y24, [signal] if signal is not None else fields[:2])
    if risk is not None:
        assert risk.score is None or 0 <= risk.score <= 1
        built(risk.signal, other)


@given(cms.hostile, cms.hostile, cms.hostile, cms.hostile)
def test_result_records(first, second, third, fourth):
    for record in (cm.RateUse, cm.ConversionSegment, cm.CalendarizedPart):
        built(record, first, second)
    built(cm.Conversion, first, second, third, fourth)
    built(cm.Calendarization, first, second, third, fourth)


@given(cms.money(), st.one_of(cms.hostile, cms.money()))
def test_money_operators(money, other):
    for operation in (
        lambda: money + other,
        lambda: money - other,
        lambda: money * other,
        lambda: money / other,
        lambda: money < other,
        lambda: money <= other,
        lambda: money > other,
        lambda: money >= other,
        lambda: other + money,
        lambda: other * money,
    ):
        try:
            result = operation()
        except (cm.CapexModelError, TypeError):  # TypeError: an operand of a type Money does not support
            continue
        if isinstance(result, cm.Money):  # every result is a Money the constructor accepts
            assert cm.Money(result.amount, result.currency, result.period) == result
    rounded = built(round, money, other)
    if rounded is not None:
        assert cm.Money(rounded.amount, rounded.currency, rounded.period) == rounded


@given(cms.hostile)
def test_a_string_amount_signals_nothing_in_the_callers_context(amount):
    with decimal.localcontext(decimal.Context(traps=[])) as context:
        built(cm.Money, amount, "USD", Y24)
        assert not any(context.flags.values())
