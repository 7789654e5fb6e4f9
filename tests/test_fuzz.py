"""Arbitrary input to the constructors raises only capexmodel's documented errors."""

import contextlib

from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from tests import strategies as cms


def succeeds_or_raises_our_error(call, *args, **kwargs):
    with contextlib.suppress(cm.CapexModelError):
        call(*args, **kwargs)


@given(cms.anything, cms.anything, cms.anything)
def test_money(amount, currency, period):
    succeeds_or_raises_our_error(cm.Money, amount, currency, period)


@given(cms.anything, st.sampled_from(["USD", "CNY"]), cms.periods())
def test_money_with_a_valid_currency_and_period(amount, currency, period):
    succeeds_or_raises_our_error(cm.Money, amount, currency, period)


@given(st.text(max_size=12))
def test_money_from_any_string(text):
    succeeds_or_raises_our_error(cm.Money, text, "USD", cm.CalendarYear(2024))


@given(cms.anything, cms.anything)
def test_period(start, end):
    succeeds_or_raises_our_error(cm.Period, start, end)


@given(st.dates(), st.dates())
def test_period_from_any_dates(start, end):
    succeeds_or_raises_our_error(cm.Period, start, end)


@given(st.one_of(cms.anything, st.from_regex(r"[0-9]{4}(-[0-9HQ]{2,3})?(/[0-9]{4}-[0-9]{2})?", fullmatch=True)))
def test_period_parse(label):
    succeeds_or_raises_our_error(cm.Period.parse, label)


@given(cms.anything, cms.anything)
def test_period_helpers(year, number):
    for helper in (cm.CalendarHalf, cm.CalendarQuarter, cm.CalendarMonth):
        succeeds_or_raises_our_error(helper, year, number)
    succeeds_or_raises_our_error(cm.CalendarYear, year)
    succeeds_or_raises_our_error(cm.Period.from_months, (year, number), (year, number))


@given(cms.anything)
def test_currency(code):
    succeeds_or_raises_our_error(cm.Currency, code)


@given(cms.anything, cms.anything, cms.anything)
def test_fiscal_calendar(month, year, number):
    try:
        calendar = cm.FiscalCalendar(year_end_month=month)
    except cm.CapexModelError:
        return
    for method in (calendar.half, calendar.quarter):
        succeeds_or_raises_our_error(method, year, number)
    succeeds_or_raises_our_error(calendar.year, year)
    succeeds_or_raises_our_error(calendar.year_of, number)
    succeeds_or_raises_our_error(calendar.quarter_of, number)


@given(cms.anything, st.text(max_size=4))
def test_region(code, text):
    succeeds_or_raises_our_error(cm.Region, code)
    succeeds_or_raises_our_error(cm.Region, text)


@given(
    st.fixed_dictionaries(
        {
            "id": st.one_of(cms.anything, cms.company_ids),
            "name_en": st.one_of(cms.anything, cms.names),
            "name_zh": st.one_of(cms.anything, cms.names),
            "region": st.one_of(cms.anything, st.text(max_size=3)),
            "fiscal_calendar": st.one_of(cms.anything, cms.fiscal_calendars),
            "currency": cms.anything,
            "tickers": st.one_of(cms.anything, st.lists(cms.anything, max_size=3), cms.tickers),
        }
    )
)
def test_company(fields):
    succeeds_or_raises_our_error(cm.Company, **fields)


@given(st.lists(st.one_of(cms.anything, cms.money()), max_size=4), cms.anything, cms.anything)
def test_total_and_combine_periods(amounts, currency, period):
    succeeds_or_raises_our_error(cm.total, amounts, currency=currency, period=period)
    succeeds_or_raises_our_error(cm.combine_periods, amounts)


def raises_only_ours_or_type_error(call, *args):
    """Operators may also refuse an operand's type with TypeError, as Python's protocol says."""
    with contextlib.suppress(cm.CapexModelError, TypeError):
        call(*args)


@given(cms.anything, cms.anything)
def test_total_and_combine_periods_of_anything(amounts, other):
    succeeds_or_raises_our_error(cm.total, amounts)
    succeeds_or_raises_our_error(cm.combine_periods, amounts)
    succeeds_or_raises_our_error(cm.total, [amounts, other])
    succeeds_or_raises_our_error(cm.combine_periods, (amounts, other))


@given(cms.periods(), cms.anything)
def test_period_methods(period, other):
    for method in (period.contains, period.overlaps, period.is_adjacent_to):
        succeeds_or_raises_our_error(method, other)
    succeeds_or_raises_our_error(cm.Period.from_months, other, other)


@given(cms.money(), cms.anything)
def test_money_operators(money, other):
    for operator in ("__add__", "__radd__", "__sub__", "__mul__", "__rmul__", "__truediv__", "__lt__", "__ge__"):
        raises_only_ours_or_type_error(lambda name=operator: _apply(getattr(money, name)(other)))
    succeeds_or_raises_our_error(round, money, other)


@given(st.sampled_from(["US", "CN"]).map(cm.Region), cms.anything)
def test_region_names(region, locale):
    succeeds_or_raises_our_error(region.name, locale)


def _apply(result):
    """Turn NotImplemented into the TypeError the operator would raise."""
    if result is NotImplemented:
        raise TypeError


@given(cms.anything, cms.anything, cms.anything, cms.anything, cms.anything)
def test_exchange_rate(base, quote, rate, window, source):
    succeeds_or_raises_our_error(cm.ExchangeRate, base, quote, rate, window, source)
    succeeds_or_raises_our_error(cm.ExchangeRate, "USD", "CNY", rate, cm.CalendarYear(2024))


@given(st.one_of(cms.anything, st.lists(st.one_of(cms.anything, cms.exchange_rates()), max_size=3)))
def test_rate_table(rates):
    succeeds_or_raises_our_error(cm.RateTable, rates)


@given(cms.anything, cms.anything, cms.anything, st.booleans())
def test_conversions(money, currency, via, blend):
    table = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
    succeeds_or_raises_our_error(table.convert, money, currency, blend=blend, via=via)
    succeeds_or_raises_our_error(table.conversion, currency, "USD", money, blend=blend)
    conversion = table.conversion("CNY", "USD", cm.CalendarYear(2024))
    succeeds_or_raises_our_error(conversion.apply, money)


@given(cms.anything, cms.anything, cms.anything, cms.anything)
def test_provenance(publisher, title, date, note):
    succeeds_or_raises_our_error(cm.Source, publisher, title, date, note)
    succeeds_or_raises_our_error(cm.Metric, publisher)


@given(
    st.fixed_dictionaries(
        {
            "company": st.one_of(cms.anything, cms.companies()),
            "metric": st.one_of(cms.anything, st.just("capex")),
            "value": st.one_of(cms.anything, cms.money()),
            "basis": cms.anything,
            "status": st.one_of(cms.anything, cms.statuses),
            "sources": st.one_of(cms.anything, st.lists(st.one_of(cms.anything, cms.sources), max_size=2)),
            "market": st.one_of(cms.anything, st.just("US")),
            "derivation": cms.anything,
        }
    )
)
def test_fact(fields):
    succeeds_or_raises_our_error(cm.Fact, **fields)


@given(st.one_of(cms.anything, st.lists(st.one_of(cms.anything, cms.money()), max_size=3)), cms.anything, cms.anything)
def test_calendarize(amounts, target, method):
    succeeds_or_raises_our_error(cm.calendarize, amounts, target, method=method)
    succeeds_or_raises_our_error(cm.calendarize, amounts, cm.CalendarYear(2024))


@given(cms.anything, cms.anything, cms.anything, cms.anything)
def test_derive_and_provenance_helpers(value, inputs, derivation, other):
    company = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
    fact = cm.Fact(company, "capex", cm.Money(1, "CNY", cm.CalendarYear(2024)))
    succeeds_or_raises_our_error(cm.Fact.derive, value, inputs, derivation=derivation)
    succeeds_or_raises_our_error(cm.Fact.derive, fact.value, [fact], derivation=derivation, metric=other, basis=other)
    succeeds_or_raises_our_error(cm.Status.combine, inputs)
    succeeds_or_raises_our_error(cm.Status.parse, other)
    succeeds_or_raises_our_error(cm.merge_sources, inputs, other)


@given(cms.anything, cms.anything, cms.anything, cms.anything)
def test_result_records(first, second, third, fourth):
    for record in (cm.RateUse, cm.ConversionSegment, cm.CalendarizedPart):
        succeeds_or_raises_our_error(record, first, second)
    succeeds_or_raises_our_error(cm.Conversion, first, second, third, fourth)
    succeeds_or_raises_our_error(cm.Calendarization, first, second, third, fourth)


INDICATORS = [
    cm.ratio,
    cm.share,
    cm.capex_intensity,
    cm.capex_to_operating_cash_flow,
    cm.capex_to_net_income,
    cm.capex_to_depreciation,
    cm.free_cash_flow,
    cm.growth,
    cm.cagr,
]


@given(st.one_of(cms.anything, cms.money()), st.one_of(cms.anything, cms.money()), st.sampled_from(INDICATORS))
def test_indicators(a, b, indicator):
    succeeds_or_raises_our_error(indicator, a, b)
    succeeds_or_raises_our_error(cm.year_over_year, [a, b])
    succeeds_or_raises_our_error(cm.year_over_year, a)


@given(cms.anything, cms.anything, cms.anything, cms.anything, cms.anything)
def test_chips(buyer, name, quantity, period, basis):
    succeeds_or_raises_our_error(cm.chip, name)
    succeeds_or_raises_our_error(cm.ChipPurchase, buyer, name, quantity, period)
    succeeds_or_raises_our_error(cm.ChipModel, buyer, name, "Hopper", quantity, basis)
    purchase = cm.ChipPurchase("meta", "H100", 1, cm.CalendarYear(2024))
    succeeds_or_raises_our_error(cm.h100_equivalents, [purchase], basis=basis)
    succeeds_or_raises_our_error(cm.h100_equivalents, [purchase], basis={"H100": quantity})
    succeeds_or_raises_our_error(cm.h100_equivalents, buyer)


@given(cms.anything, cms.anything, cms.anything, cms.anything)
def test_risk(facts, period, thresholds, weights):
    succeeds_or_raises_our_error(cm.bubble_risk, facts, period, company=thresholds)
    succeeds_or_raises_our_error(cm.bubble_risk, [], cm.CalendarYear(2024), region=weights)
    succeeds_or_raises_our_error(
        cm.bubble_risk, [], cm.CalendarYear(2024), company="acme", thresholds=thresholds, weights=weights
    )
    succeeds_or_raises_our_error(
        cm.bubble_risk,
        [],
        cm.CalendarYear(2024),
        company="acme",
        thresholds={"capex_intensity": period},
        weights={"capex_intensity": facts},
    )
    money = cm.Money(1, "USD", cm.CalendarYear(2024))
    succeeds_or_raises_our_error(cm.revenue_gap, facts, money)
    succeeds_or_raises_our_error(cm.revenue_gap, money, money, gpu_share_of_cost=period, end_user_margin=weights)
    succeeds_or_raises_our_error(cm.depreciation_gap, money, from_years=thresholds, to_years=weights)
    succeeds_or_raises_our_error(cm.depreciation_gap, facts, from_years=5, to_years=6)


@given(cms.anything, cms.anything, cms.anything, cms.anything)
def test_projections(plan, periods, growth, rate):
    company = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
    fact = cm.Fact(company, "revenue", cm.Money(1, "CNY", cm.CalendarYear(2024)))
    succeeds_or_raises_our_error(cm.spread_plan, plan, periods)
    succeeds_or_raises_our_error(cm.spread_plan, fact, periods)
    succeeds_or_raises_our_error(
        cm.capex_from_revenue, plan, period=periods, revenue_growth=growth, capex_to_revenue=rate
    )
    succeeds_or_raises_our_error(
        cm.capex_from_revenue, fact, period=cm.CalendarYear(2025), revenue_growth=growth, capex_to_revenue=rate
    )
    succeeds_or_raises_our_error(cm.Projection, plan, periods)
