"""The indicator rules: one guard gives the scalar error and the table's reason alike."""

import datetime as dt
import decimal
from decimal import Decimal

import polars as pl
import pytest

import capexmodel as cm
from capexmodel import frames
from capexmodel._context import EXACT
from capexmodel._indicators.rules import CAPEX_RATIOS, FREE_CASH_FLOW, GROWTH, SIGNALS, Term, combine

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
SCALAR = {
    "capex_intensity": cm.capex_intensity,
    "capex_to_operating_cash_flow": cm.capex_to_operating_cash_flow,
    "capex_to_net_income": cm.capex_to_net_income,
    "capex_to_depreciation": cm.capex_to_depreciation,
    "free_cash_flow": lambda capex, operating_cash_flow: cm.free_cash_flow(operating_cash_flow, capex),
}
CASES = [(rule, guard) for rule in [*CAPEX_RATIOS.values(), FREE_CASH_FLOW] for guard in rule.guards]


def failing(guard):
    return Decimal(-1) if guard.test == "negative" else Decimal(0)


@pytest.mark.parametrize(("rule", "guard"), CASES, ids=[f"{rule.name}-{guard.role}" for rule, guard in CASES])
def test_a_guard_gives_the_scalar_error_and_the_table_reason(rule, guard):
    amounts = {item.role: failing(guard) if item.role == guard.role else Decimal(5) for item in rule.inputs}
    values = {role: cm.Money(amount, "USD", Y24) for role, amount in amounts.items()}
    with pytest.raises(cm.UndefinedIndicatorError) as caught:
        SCALAR[rule.name](*values.values())
    words = {item.role: item.words for item in rule.inputs}[guard.role]
    assert str(caught.value) == (
        f"{rule.meaning} is undefined when {guard.reason(guard.role)},"
        f" got {guard.role}={amounts[guard.role]} USD over 2024{f' ({guard.hint})' if guard.hint else ''}"
    )
    table = pl.DataFrame(
        {
            "company": "a",
            "currency": "USD",
            "period_start": Y24.start,
            "period_end": Y24.end,
            "metric": [item.metric for item in rule.inputs],
            "amount": list(amounts.values()),
        }
    )
    got = frames.ratios(table).row(0, named=True)
    assert (got[rule.name], got[f"{rule.name}_reason"]) == (None, guard.reason(words))


def test_the_reasons_read_as_the_documented_ones():
    reasons = {
        guard.reason(item.words)
        for rule in SIGNALS.values()
        for item in rule.inputs
        for guard in rule.guards
        if guard.role == item.role
    }
    assert reasons == {
        "capex is negative; capex is a positive outflow",
        "operating cash flow is not positive",
        "net income is not positive",
        "depreciation is not positive",
        "revenue is not positive",
        "capex a year earlier is not positive",
        "revenue a year earlier is not positive",
    }
    assert GROWTH.guards[0].reason(GROWTH.inputs[1].words) == "the amount a year earlier is not positive"


def test_formulas_add_and_take_off_exactly_and_round_each_quotient_once():
    huge = Decimal("1e30")
    assert combine([Decimal("0.1"), huge], [huge], EXACT.add, EXACT.subtract) == Decimal("0.1")
    margin = SIGNALS["free_cash_flow_margin"]
    amounts = {"operating_cash_flow": EXACT.add(huge, Decimal("0.5")), "capex": huge, "revenue": Decimal(2)}
    with decimal.localcontext(prec=3, rounding=decimal.ROUND_DOWN):  # the caller's context plays no part
        assert margin.value(amounts) == Decimal("0.25")
        growths = {"capex": Decimal(2), "previous_capex": Decimal(3), "revenue": Decimal(1)}
        assert SIGNALS["capex_growth_minus_revenue_growth"].value({**growths, "previous_revenue": Decimal(1)}) == (
            Decimal("-0." + "3" * 28)
        )
    assert Term(("a",)).denominator is None
    assert FREE_CASH_FLOW.value({"operating_cash_flow": Decimal("5.5"), "capex": Decimal(7)}) == Decimal("-1.5")


def test_a_doubled_input_a_year_earlier_is_named():
    rows = [
        ("capex", Y24, 10),
        ("revenue", Y24, 10),
        ("capex", Y23, 5),
        ("revenue", Y23, 5),
        ("revenue", Y23, 6),
    ]
    table = pl.DataFrame(
        {
            "company": "a",
            "currency": "USD",
            "metric": [metric for metric, _, _ in rows],
            "period_start": [period.start for _, period, _ in rows],
            "period_end": [period.end for _, period, _ in rows],
            "amount": [amount for _, _, amount in rows],
        }
    )
    got = frames.bubble_signals(table).filter(
        signal="capex_growth_minus_revenue_growth", period_start=dt.date(2024, 1, 1)
    )
    assert got.select("fires", "reason").row(0) == (
        None,
        "more than one revenue fact a year earlier; keep one (filter by basis)",
    )
