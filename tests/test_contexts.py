"""The caller's decimal context plays no part: same results in any context, and the context left as it was.

capexmodel computes in its own contexts (`capexmodel._context`): sums, differences and
products exactly, a quotient that does not terminate rounded once to 28 significant digits,
half to even. Every operation on the value model is run under hostile contexts (five digits,
tiny exponent limits, every trap set, rounding down, the largest precision) and must give what
it gives under the default context, raise the same error, and leave the caller's precision,
rounding, limits, traps and flags untouched.
"""

import decimal
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import capexmodel as cm
from tests import strategies as cms

EVERY_SIGNAL = list(decimal.Context().flags)

CONTEXTS = {
    "prec=5": decimal.Context(prec=5),
    "Emax=5, Emin=-5": decimal.Context(Emax=5, Emin=-5),
    "every trap": decimal.Context(traps=EVERY_SIGNAL),
    "ROUND_DOWN": decimal.Context(rounding=decimal.ROUND_DOWN),
    "MAX_PREC": decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN),
    "all at once": decimal.Context(
        prec=5, rounding=decimal.ROUND_DOWN, Emax=5, Emin=-5, capitals=0, clamp=1, traps=EVERY_SIGNAL
    ),
}

ALIBABA = cm.Company(id="alibaba", name_en="Alibaba", name_zh="阿里巴巴", region="CN", currency="CNY")


def state(context):
    """Everything about a context that a library could change."""
    return (
        context.prec,
        context.rounding,
        context.Emin,
        context.Emax,
        context.capitals,
        context.clamp,
        dict(context.traps),
        dict(context.flags),
    )


def outcome(call):
    """What a call gives: its value and how it reads (computed later, outside any context), or its error."""
    try:
        return ("value", call())
    except cm.CapexModelError as error:
        return (type(error), str(error))


def readable(result):
    """A result with what `==` does not see: the exponent of a Decimal, the repr of a Money."""
    kind, value = result
    if kind != "value":
        return result
    return kind, value, repr(value)


def shifted(period, months):
    """`period` moved `months` later."""
    return cm.Period.from_months(cms.divmod_month(period._first + months), cms.divmod_month(period._last + months))


def operations(a, b, k, rate, period):
    """Every operation on amounts `a` and `b` (over `period`, in one currency), factor `k` and exchange rate `rate`."""
    currency = a.currency
    other = "EUR" if currency != "EUR" else "USD"
    year = period.start.year
    window = cm.Period.from_months((year - 1, 1), (year + 4, 12))
    table = cm.RateTable([cm.ExchangeRate(currency, other, rate, window)])
    later, three_years_on = shifted(period, 12), shifted(period, 36)
    odd_months_on = shifted(period, period.month_count + 5)  # a root that is not a whole number of years
    quarters = [
        cm.Money(amount, currency, cm.CalendarQuarter(year, q))
        for q, amount in enumerate((a.amount, b.amount, a.amount * 3, b.amount + 1), start=1)
    ]
    straddling = [  # quarters of a year that ends in February, as Oracle's ends in May
        cm.Money(amount, currency, cm.Period.from_months(cms.divmod_month(first), cms.divmod_month(first + 2)))
        for first, amount in zip(
            range(year * 12 - 1, year * 12 + 12, 3), (a.amount, b.amount, a.amount, k, b.amount), strict=True
        )
    ]
    # capex and revenue are never negative
    plan = cm.Fact(ALIBABA, "capex", cm.Money(abs(a.amount), "CNY", cm.Period.from_months((year, 1), (year + 2, 12))))
    revenue = cm.Fact(ALIBABA, "revenue", cm.Money(abs(b.amount), "CNY", cm.CalendarYear(year)))
    purchases = [cm.ChipPurchase("meta", "H20", 7, period), cm.ChipPurchase("xai", "H100", 3, period)]
    signals = tuple(
        cm.Signal(name, None, 1, "above", fires, weight, "reason", "note")
        for name, fires, weight in [
            ("a", True, abs(k)),
            ("b", False, rate),
            ("c", None, 3),
            ("d", True, Decimal("0.123456789")),
        ]
    )
    amount_text = str(a.amount)
    return [
        lambda: cm.Money(amount_text, currency, period),
        lambda: a + b,
        lambda: a - b,
        lambda: -a,
        lambda: abs(a),
        lambda: +a,
        lambda: a * k,
        lambda: k * a,
        lambda: a / k,
        lambda: a / 7,
        lambda: a / b,
        lambda: round(a),
        lambda: round(a, 2),
        lambda: round(a, -3),
        lambda: round(a, 30),
        lambda: (a < b, a <= b, a > b, a >= b, a == b),
        lambda: hash(a) == hash(cm.Money(a.amount, currency, period)),
        lambda: cm.total([a, b, a]),
        lambda: sum([a, b]),
        lambda: cm.combine_periods([a, cm.Money(b.amount, currency, shifted(period, period.month_count))]),
        lambda: (str(a), repr(a), str(a / 7), repr(a / 7)),
        lambda: table.convert(a, other),
        lambda: table.convert(table.convert(a, other), currency),
        lambda: table.conversion(other, currency, period).rate,
        lambda: table.conversion(currency, other, period).rate,
        lambda: (str(table.rates[0]), repr(table.rates[0])),
        lambda: cm.calendarize(quarters, cm.CalendarYear(year)).value,
        lambda: cm.calendarize(straddling, cm.CalendarYear(year)).value,
        lambda: [part.contribution for part in cm.calendarize(straddling, cm.CalendarYear(year)).parts],
        lambda: cm.calendarize(straddling, cm.CalendarYear(year), method="quarter-end").value,
        lambda: cm.ratio(a, b),
        lambda: cm.share(a, b),
        lambda: cm.capex_intensity(a, b),
        lambda: cm.capex_to_operating_cash_flow(a, b),
        lambda: cm.capex_to_net_income(a, b),
        lambda: cm.capex_to_depreciation(a, b),
        lambda: cm.free_cash_flow(a, b),
        lambda: cm.growth(cm.Money(b.amount, currency, later), a),
        lambda: cm.cagr(a, cm.Money(b.amount, currency, three_years_on)),
        lambda: cm.cagr(a, cm.Money(b.amount, currency, odd_months_on)),
        lambda: cm.year_over_year([a, cm.Money(b.amount, currency, later)]),
        lambda: [fact.value for fact in cm.spread_plan(plan, [cm.CalendarYear(year + i) for i in range(3)])],
        lambda: [
            fact.value
            for fact in cm.spread_plan(
                plan, [cm.Period.from_months((year, 1), (year, 5)), cm.Period.from_months((year, 6), (year + 2, 12))]
            )
        ],
        lambda: (
            cm.capex_from_revenue(
                revenue, period=cm.CalendarYear(year + 1), revenue_growth=k, capex_to_revenue=rate
            ).value
        ),
        lambda: cm.h100_equivalents(purchases).value,
        lambda: cm.h100_equivalents(purchases, basis={"H20": Fraction(1, 3)}).value,
        lambda: cm.h100_equivalents(purchases, basis={"H20": rate}).value,
        lambda: (cm.BubbleRisk("meta", period, signals).score, cm.BubbleRisk("meta", period, signals).coverage),
    ]


@settings(max_examples=min(settings().max_examples, 150))
@given(
    data=st.data(),
    a=cms.amounts,
    b=cms.amounts,
    k=cms.factors,
    rate=cms.rates,
    currency=cms.currencies,
    period=cms.periods(max_months=12),
)
def test_every_operation_gives_the_same_result_in_any_context(data, a, b, k, rate, currency, period):  # noqa: PLR0917
    a, b = cm.Money(a, currency, period), cm.Money(b, currency, period)
    with decimal.localcontext(decimal.Context()):
        expected = [readable(outcome(call)) for call in operations(a, b, k, rate, period)]
    name = data.draw(st.sampled_from(sorted(CONTEXTS)), label="context")
    calls = operations(a, b, k, rate, period)
    with decimal.localcontext(CONTEXTS[name]) as caller:
        results = [outcome(call) for call in calls]
        after = state(caller)
    assert after == state(CONTEXTS[name]), name
    assert [readable(result) for result in results] == expected, name


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_the_article_in_a_hostile_context(name):
    """Alibaba's plan, Tencent's rule, the article's rate and a bubble score, in each context."""
    y24 = cm.CalendarYear(2024)
    plan = cm.Fact(ALIBABA, "capex", cm.Money("1000003", "CNY", cm.Period.parse("2025-01/2027-12")))
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
    signals = (
        cm.Signal("a", None, 1, "above", True, 1, "r", "n"),
        cm.Signal("b", None, 1, "above", False, 2, "r", "n"),
    )
    with decimal.localcontext(CONTEXTS[name]) as caller:
        parts = [fact.value.amount for fact in cm.spread_plan(plan, [cm.CalendarYear(y) for y in (2025, 2026, 2027)])]
        usd = rates.convert(cm.Money("80000000000", "CNY", y24), "USD")
        score = cm.BubbleRisk("meta", y24, signals).score
        after = state(caller)
    assert after == state(CONTEXTS[name])
    third = Decimal("333334.3333333333333333333333")
    assert parts == [third, third, Decimal(1000003) - 2 * third]
    assert usd.amount == Decimal("11065006915.62932226832641770")
    assert score == Decimal("0.3333333333333333333333333333")
