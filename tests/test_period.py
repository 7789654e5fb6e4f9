import datetime as dt
import pickle
import re

import pytest

import capexmodel as cm


def test_calendar_helpers_build_the_right_spans():
    assert cm.CalendarYear(2024) == cm.Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert cm.CalendarHalf(2024, 1) == cm.Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert cm.CalendarQuarter(2024, 4) == cm.Period(dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    assert cm.CalendarMonth(2023, 2).end == dt.date(2023, 2, 28)
    assert cm.CalendarMonth(2024, 2).end == dt.date(2024, 2, 29)


def test_equality_and_hash_are_by_span():
    microsoft_q1 = cm.FiscalCalendar(year_end_month=6).quarter(2025, 1)
    assert microsoft_q1 == cm.CalendarQuarter(2024, 3)
    assert hash(microsoft_q1) == hash(cm.CalendarQuarter(2024, 3))
    assert len({microsoft_q1, cm.CalendarQuarter(2024, 3), cm.CalendarQuarter(2024, 4)}) == 2
    assert cm.CalendarYear(2024) != "2024"  # type: ignore[comparison-overlap]


@pytest.mark.parametrize(
    ("period", "label"),
    [
        (cm.CalendarYear(2024), "2024"),
        (cm.CalendarHalf(2024, 2), "2024-H2"),
        (cm.CalendarQuarter(2024, 1), "2024-Q1"),
        (cm.CalendarMonth(2024, 11), "2024-11"),
        (cm.Period.from_months((2024, 4), (2025, 3)), "2024-04/2025-03"),
        (cm.Period.from_months((2024, 2), (2024, 4)), "2024-02/2024-04"),  # three months, not a quarter
        (cm.Period.from_months((2024, 4), (2024, 9)), "2024-04/2024-09"),  # six months, not a half
        (cm.Period.from_months((2024, 1), (2025, 12)), "2024-01/2025-12"),
    ],
)
def test_labels_name_the_span_and_parse_back(period, label):
    assert period.label == label
    assert str(period) == label
    assert repr(period) == f"Period.parse({label!r})"
    assert cm.Period.parse(label) == period


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (dt.date(2024, 1, 2), dt.date(2024, 12, 31), "starts on the first day of a month, got start=2024-01-02"),
        (dt.date(2024, 1, 1), dt.date(2024, 12, 30), "ends on the last day of a month, got end=2024-12-30"),
        (dt.date(2024, 1, 1), dt.date(2024, 2, 28), "ends on the last day of a month, got end=2024-02-28"),
        (dt.date(2024, 7, 1), dt.date(2024, 6, 30), "ends after it starts, got start=2024-07-01 and end=2024-06-30"),
        ("2024-01-01", dt.date(2024, 6, 30), "starts on a datetime.date, got start='2024-01-01'"),
        (dt.date(2024, 1, 1), None, "ends on a datetime.date, got end=None"),
        (dt.date(2024, 1, 1), "2024-12-31", "ends on a datetime.date, got end='2024-12-31'$"),
        (dt.datetime(2024, 1, 1), dt.date(2024, 6, 30), "starts on a datetime.date, got start=datetime.datetime"),  # noqa: DTZ001
    ],
)
def test_bad_bounds_are_refused_naming_the_value(start, end, message):
    with pytest.raises(cm.InvalidPeriodError, match=message.replace("(", r"\(")):
        cm.Period(start, end)


@pytest.mark.parametrize("label", ["", "24", "2024-Q5", "2024-H3", "2024/2025", "FY-2025", "٢٠٢٤", "2024 ", "2024-q3"])
def test_parse_refuses_what_is_not_a_label(label):
    expected = "expected a label such as '2024', '2024-H1', '2024-Q3', '2024-07' or '2024-04/2025-03'"
    message = f"^cannot read a period from {re.escape(repr(label))}: {expected}$"
    with pytest.raises(cm.InvalidPeriodError, match=message):
        cm.Period.parse(label)


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("0000", "year must be a whole number from 1 to 9999, got 0"),
        ("2024-13", "month must be a whole number from 1 to 12, got 13"),
        ("2024-00", "month must be a whole number from 1 to 12, got 0"),
        ("2025-03/2024-04", "a period ends after it starts, got 2025-03 to 2024-04"),
    ],
)
def test_parse_says_why_a_label_names_no_period(label, reason):
    with pytest.raises(cm.InvalidPeriodError, match=f"^cannot read a period from '{re.escape(label)}': {reason}$"):
        cm.Period.parse(label)


def test_parse_refuses_non_strings():
    with pytest.raises(cm.InvalidPeriodError, match="cannot read a period from 2024"):
        cm.Period.parse(2024)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cm.CalendarYear(0), "year must be a whole number from 1 to 9999, got 0"),
        (lambda: cm.CalendarYear("2024"), "got '2024'"),  # type: ignore[arg-type]
        (lambda: cm.CalendarYear(True), "year must be a whole number from 1 to 9999, got True"),
        (lambda: cm.CalendarQuarter(2024, 5), "quarter must be a whole number from 1 to 4, got 5"),
        (lambda: cm.CalendarHalf(2024, 0), "half must be a whole number from 1 to 2, got 0"),
        (lambda: cm.CalendarMonth(2024, 13), "month must be a whole number from 1 to 12, got 13"),
        (lambda: cm.Period.from_months((2025, 3), (2024, 4)), "ends after it starts, got 2025-03 to 2024-04"),
        (lambda: cm.Period.from_months((2024, 13), (2025, 1)), "^month must be a whole number from 1 to 12, got 13$"),
        (lambda: cm.Period.from_months((2024, 1), (2024, 0)), "^month must be a whole number from 1 to 12, got 0$"),
        (  # a fiscal year that ends in June of year 1 starts in July of year 0
            lambda: cm.FiscalCalendar(year_end_month=6).year(1),
            "^a period lies within the years 1 to 9999, got a month in year 0$",
        ),
    ],
)
def test_helpers_refuse_bad_numbers(call, message):
    with pytest.raises(cm.InvalidPeriodError, match=message):
        call()


def test_month_count():
    assert cm.CalendarMonth(2024, 1).month_count == 1
    assert cm.Period.from_months((2023, 12), (2024, 11)).month_count == 12
    assert cm.Period.from_months((2020, 1), (2024, 12)).month_count == 60


def test_contains_periods_and_dates():
    year = cm.CalendarYear(2024)
    assert year.contains(year)
    assert year.contains(cm.CalendarMonth(2024, 12))
    assert not year.contains(cm.Period.parse("2024-12/2025-01"))
    assert year.contains(dt.date(2024, 1, 1))
    assert year.contains(dt.date(2024, 12, 31))
    assert not year.contains(dt.date(2023, 12, 31))


def test_contains_refuses_other_things():
    with pytest.raises(cm.InvalidPeriodError, match=r"contains\(\) takes a Period or a datetime.date, got '2024'"):
        cm.CalendarYear(2024).contains("2024")  # type: ignore[arg-type]
    message = r"got the datetime datetime\.datetime\(2024, 5, 1, 0, 0\) \(pass its \.date\(\)\)$"
    with pytest.raises(cm.InvalidPeriodError, match=message):
        cm.CalendarYear(2024).contains(dt.datetime(2024, 5, 1))  # noqa: DTZ001


@pytest.mark.parametrize("method", ["overlaps", "is_adjacent_to"])
@pytest.mark.parametrize("other", ["2024", dt.date(2024, 1, 1), None])
def test_overlaps_and_adjacency_take_periods_only(method, other):
    with pytest.raises(cm.InvalidPeriodError, match=rf"{method}\(\) takes a Period, got {re.escape(repr(other))}"):
        getattr(cm.CalendarYear(2024), method)(other)


@pytest.mark.parametrize("pair", [2024, (2024,), (2024, 1, 1), [2024, 1], None])
def test_from_months_takes_year_month_pairs(pair):
    expected = rf"must be a \(year, month\) pair such as \(2024, 4\), got {re.escape(repr(pair))}$"
    with pytest.raises(cm.InvalidPeriodError, match=f"^first {expected}"):
        cm.Period.from_months(pair, (2024, 12))
    with pytest.raises(cm.InvalidPeriodError, match=f"^last {expected}"):
        cm.Period.from_months((2024, 1), pair)


def test_overlaps_and_adjacency():
    q3, q4 = cm.CalendarQuarter(2024, 3), cm.CalendarQuarter(2024, 4)
    assert not q3.overlaps(q4)
    assert q3.is_adjacent_to(q4)
    assert q4.is_adjacent_to(q3)
    assert q3.overlaps(cm.CalendarHalf(2024, 2))
    assert not q3.is_adjacent_to(cm.CalendarHalf(2024, 2))
    assert not cm.CalendarQuarter(2024, 1).is_adjacent_to(q3)
    assert cm.CalendarYear(2024).is_adjacent_to(cm.CalendarMonth(2025, 1))


def test_periods_are_immutable_and_pickle():
    year = cm.CalendarYear(2024)
    with pytest.raises(AttributeError):
        year.start = dt.date(2023, 1, 1)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(year)) == year


def test_extreme_years():
    assert cm.CalendarYear(1).label == "0001"
    assert cm.CalendarYear(9999).end == dt.date(9999, 12, 31)
