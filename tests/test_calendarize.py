from decimal import ROUND_UP, Decimal, localcontext
from fractions import Fraction

import pytest

import capexmodel as cm

Y24 = cm.CalendarYear(2024)
ORACLE = cm.FiscalCalendar(year_end_month=5)


def usd(amount, period):
    return cm.Money(amount, "USD", period if isinstance(period, cm.Period) else cm.Period.parse(period))


AMAZON_2024 = [usd(a, cm.CalendarQuarter(2024, q)) for q, a in enumerate(["14925", "17620", "22620", "27834"], 1)]

# Oracle's quarters ending Feb, May, Aug and Nov 2024 and Feb 2025 (REFERENCE_DATA.md, section B; the
# first is an unconfirmed figure, fine as test input).
ORACLE_QUARTERS = [
    usd("1674", ORACLE.quarter(2024, 3)),  # Dec 2023 - Feb 2024
    usd("2798", ORACLE.quarter(2024, 4)),  # Mar - May 2024
    usd("2303", ORACLE.quarter(2025, 1)),  # Jun - Aug 2024
    usd("3970", ORACLE.quarter(2025, 2)),  # Sep - Nov 2024
    usd("5862", ORACLE.quarter(2025, 3)),  # Dec 2024 - Feb 2025
]


@pytest.mark.parametrize("method", ["months", "quarter-end"])
def test_amazons_quarters_give_the_10k_total_by_either_method(method):
    result = cm.calendarize(AMAZON_2024, Y24, method=method)
    assert result.value == usd("82999", Y24)
    assert result.method == method
    assert result.target == Y24
    assert [part.share for part in result.parts] == [1, 1, 1, 1]


def test_oracle_by_months_weighs_the_straddling_quarters():
    result = cm.calendarize(ORACLE_QUARTERS, Y24, method="months")
    # Jan-Feb 2024 are 2/3 of the Dec-Feb quarter; Dec 2024 is 1/3 of the next one.
    assert result.value == usd(Decimal(1674) * 2 / 3 + 2798 + 2303 + 3970 + Decimal(5862) / 3, Y24)
    assert result.value == usd("12141", Y24)
    assert [(str(part.counted), part.share) for part in result.parts] == [
        ("2024-01/2024-02", Fraction(2, 3)),
        ("2024-03/2024-05", 1),
        ("2024-06/2024-08", 1),
        ("2024-09/2024-11", 1),
        ("2024-12", Fraction(1, 3)),
    ]
    assert result.parts[0].contribution == usd("1116", "2024-01/2024-02")
    assert result.parts[-1].contribution == usd("1954", "2024-12")


def test_oracle_by_quarter_end_sums_the_quarters_ending_in_2024():
    result = cm.calendarize(ORACLE_QUARTERS, Y24, method="quarter-end")
    assert result.value == usd(1674 + 2798 + 2303 + 3970, Y24)
    assert [str(part.amount.period) for part in result.parts] == [
        "2023-12/2024-02",
        "2024-03/2024-05",
        "2024-06/2024-08",
        "2024-09/2024-11",
    ]
    assert all(part.counted == part.amount.period for part in result.parts)


def test_oracles_two_calendar_2024_figures_differ():
    by_months = cm.calendarize(ORACLE_QUARTERS, Y24).value
    by_quarter_end = cm.calendarize(ORACLE_QUARTERS, Y24, method="quarter-end").value
    assert by_months - by_quarter_end == usd(12141 - 10745, Y24)


def test_a_missing_quarter_by_months_names_the_uncovered_months():
    quarters = [q for q in ORACLE_QUARTERS if q.period != ORACLE.quarter(2025, 1)]
    with pytest.raises(cm.PeriodMismatchError, match="to 2024 by months: no amount covers 2024-06/2024-08"):
        cm.calendarize(quarters, Y24)


def test_missing_edges_by_months_are_named():
    with pytest.raises(cm.PeriodMismatchError, match="no amount covers 2024-01/2024-02, 2024-12"):
        cm.calendarize(ORACLE_QUARTERS[1:4], Y24)


def test_a_missing_quarter_by_quarter_end_is_an_error_not_a_zero():
    with pytest.raises(cm.PeriodMismatchError, match="by quarter-end: no amount covers 2024-06/2024-08"):
        cm.calendarize([q for q in ORACLE_QUARTERS if q.period != ORACLE.quarter(2025, 1)], Y24, method="quarter-end")
    with pytest.raises(
        cm.PeriodMismatchError,
        match="the amounts ending inside it cover 2024-03/2024-11, 9 months, not 12; missing: 2023-12/2024-02$",
    ):
        cm.calendarize(ORACLE_QUARTERS[1:], Y24, method="quarter-end")
    with pytest.raises(cm.PeriodMismatchError, match="no amount's period ends inside it"):
        cm.calendarize([usd(1, "2025-Q1")], Y24, method="quarter-end")


@pytest.mark.parametrize(
    ("periods", "missing"),
    [
        (["2024-Q2", "2024-Q3", "2024-Q4"], "missing: 2024-Q1"),
        (["2024-Q1", "2024-Q2", "2024-Q3"], "missing: 2024-Q4"),
        (["2024-Q2", "2024-Q3"], "missing: 6 months, before 2024-04 and/or after 2024-09"),
        ([f"2024-{month:02d}" for month in range(2, 13)], "missing: 2024-01"),
        (["2024-Q2", "2024-07", "2024-08", "2024-09", "2024-Q4"], "missing: 2024-Q1"),
        (["2024-Q2", "2024-07/2024-11"], "missing: 4 months, before 2024-04 and/or after 2024-11"),
        (["2024-03/2024-07", "2024-08/2024-12"], "missing: 2024-01/2024-02"),  # not a whole 5-month input
        (["2024-Q3", "2024-Q4"], "missing: 2024-H1"),  # two quarters' room before, none after
        (["2024-02/2024-06", "2024-07/2024-11"], "missing: 2 months, before 2024-02 and/or after 2024-11"),
        # lengths 2 and 4: no one length to assume, so the month after could hold a missing amount
        (
            ["2024-04/2024-05", "2024-06/2024-07", "2024-08/2024-11"],
            "missing: 4 months, before 2024-04 and/or after 2024-11",
        ),
        # the span starts before the target: nothing missing can end inside it before the span
        (["2023-12/2024-02", "2024-03/2024-04"], "missing: 2024-05/2024-11"),
    ],
)
def test_quarter_end_names_where_the_missing_months_can_be(periods, missing):
    with pytest.raises(cm.PeriodMismatchError, match=f"{missing}$"):
        cm.calendarize([usd(1, period) for period in periods], Y24, method="quarter-end")


@pytest.mark.parametrize(
    ("year", "periods", "missing"),
    [
        (1, ["0001-02/0001-04", "0001-05/0001-07", "0001-08/0001-10"], "3 months, before 0001-02 and/or after 0001-10"),
        (9999, ["9999-02/9999-04", "9999-05/9999-07", "9999-08/9999-10"], "9998-11/9999-01"),
        (9999, ["9999-Q1", "9999-Q2", "9999-Q3"], "9999-Q4"),
        (1, ["0001-Q2", "0001-Q3", "0001-Q4"], "0001-Q1"),  # the first quarter there is
    ],
)
def test_quarter_end_at_the_ends_of_the_calendar_says_what_is_missing(year, periods, missing):
    # Before year 1 there is nothing: the missing quarter cannot be named as one that ends before it.
    with pytest.raises(cm.PeriodMismatchError, match=f"missing: {missing}$"):
        cm.calendarize([usd(1, period) for period in periods], cm.CalendarYear(year), method="quarter-end")


@pytest.mark.parametrize("method", ["months", "quarter-end"])
@pytest.mark.parametrize("year", [1, 9999])
def test_the_first_and_last_years_calendarize_like_any_other(year, method):
    quarters = [usd(quarter, cm.CalendarQuarter(year, quarter)) for quarter in (1, 2, 3, 4)]
    assert cm.calendarize(quarters, cm.CalendarYear(year), method=method).value == usd(10, cm.CalendarYear(year))


def test_the_covered_months_show_a_shifted_window():
    result = cm.calendarize(ORACLE_QUARTERS, Y24, method="quarter-end")
    assert result.covered == cm.Period.parse("2023-12/2024-11")
    assert cm.calendarize(ORACLE_QUARTERS, Y24).covered == Y24
    shifted = cm.calendarize([usd(100, "2023-04/2024-03")], Y24, method="quarter-end")
    assert shifted.value == usd(100, Y24)
    assert shifted.covered == cm.Period.parse("2023-04/2024-03")


def test_records_are_validated():
    part = cm.calendarize(AMAZON_2024, Y24).parts[0]
    with pytest.raises(cm.InvalidValueError, match="amount must be a Money, got 1"):
        cm.CalendarizedPart(1, Y24)  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidValueError, match="counted must be a Period, got '2024'"):
        cm.CalendarizedPart(part.amount, "2024")  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidValueError, match="counted months 2024 must lie inside the input's period, 2024-Q1"):
        cm.CalendarizedPart(part.amount, Y24)
    with pytest.raises(cm.InvalidValueError, match="method must be 'months' or 'quarter-end', got 'mean'"):
        cm.Calendarization(usd(1, Y24), Y24, "mean", (part,))  # type: ignore[arg-type]
    message = r"^parts must be a non-empty list or tuple of CalendarizedPart, got \(\)$"
    with pytest.raises(cm.InvalidValueError, match=message):
        cm.Calendarization(usd(1, Y24), Y24, "months", ())


def test_quarter_end_refuses_a_span_longer_than_the_target():
    halves = [usd(1, "2023-07/2024-06"), usd(1, "2024-H2")]
    with pytest.raises(cm.PeriodMismatchError, match=r"cover 2023-07/2024-12, 18 months, not 12$"):
        cm.calendarize(halves, Y24, method="quarter-end")


def test_overlapping_inputs_are_refused():
    with pytest.raises(cm.PeriodMismatchError, match="cannot calendarize 1 USD over 2024-H1 with 1 USD over 2024-Q2"):
        cm.calendarize([usd(1, "2024-H1"), usd(1, "2024-Q2"), usd(1, "2024-H2")], Y24)


def test_inputs_that_do_not_count_are_ignored():
    result = cm.calendarize([usd(5, "2023"), *AMAZON_2024, usd(7, "2025-Q1")], Y24)
    assert result.value == usd("82999", Y24)
    assert len(result.parts) == 4


def test_currencies_must_match():
    with pytest.raises(cm.CurrencyMismatchError, match="USD over 2024-Q1 with 1 CNY over 2025-Q1: currencies differ"):
        cm.calendarize([*AMAZON_2024, cm.Money(1, "CNY", cm.CalendarQuarter(2025, 1))], Y24)


def test_the_value_is_rounded_once_and_only_when_a_share_does_not_terminate():
    thirds = [usd(1, "2023-12/2024-02"), usd(0, "2024-03/2024-11"), usd(2, "2024-12/2025-02")]
    with localcontext(prec=5, rounding=ROUND_UP):  # the caller's context plays no part
        # 2/3 * 1 + 1/3 * 2 = 4/3, rounded once, to 28 digits; adding rounded parts would give ...3334.
        assert cm.calendarize(thirds, Y24).value.amount == Decimal("1." + "3" * 27)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cm.calendarize(AMAZON_2024, Y24, method="average"), "'months' or 'quarter-end', got 'average'"),  # type: ignore[arg-type]
        (lambda: cm.calendarize(AMAZON_2024, "2024"), "over a Period, got target='2024'"),  # type: ignore[arg-type]
        (lambda: cm.calendarize([], Y24), "^calendarize\\(\\) needs at least one amount$"),
        (lambda: cm.calendarize(None, Y24), "takes an iterable of Money, got None"),  # type: ignore[arg-type]
        (lambda: cm.calendarize(5, Y24), "takes an iterable of Money, got 5$"),  # type: ignore[arg-type]
        (lambda: cm.calendarize([1, 2], Y24), "restates Money, got 1"),  # type: ignore[list-item]
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(cm.InvalidValueError, match=message):
        call()


@pytest.mark.parametrize("method", ["months", "quarter-end"])
def test_a_value_beyond_the_bounds_of_an_amount_is_refused_naming_it(method):
    halves = [usd("9e999", "2024-H1"), usd("9e999", "2024-H2")]
    with pytest.raises(cm.InvalidAmountError, match="^the amount calendarized to 2024 is out of range"):
        cm.calendarize(halves, Y24, method=method)


def test_a_contribution_beyond_the_bounds_of_an_amount_is_refused_naming_it():
    part = cm.CalendarizedPart(usd("1e-1000", "2024-Q1"), cm.CalendarMonth(2024, 1))
    message = r"^1/3 of 0\.0+\.\.\. \(1002 characters\) USD over 2024-Q1 is out of range"
    with pytest.raises(cm.InvalidAmountError, match=message):
        _ = part.contribution


def test_str_describes_the_result():
    result = cm.calendarize(ORACLE_QUARTERS, Y24)
    assert str(result) == (
        "12141 USD over 2024 by months from 2/3 of 2023-12/2024-02, 2024-03/2024-05,"
        " 2024-06/2024-08, 2024-09/2024-11, 1/3 of 2024-12/2025-02"
    )
