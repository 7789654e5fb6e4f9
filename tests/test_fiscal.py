import datetime as dt

import pytest

import capexmodel as cm

MICROSOFT = cm.FiscalCalendar(year_end_month=6)
ORACLE = cm.FiscalCalendar(year_end_month=5)
ALIBABA = cm.FiscalCalendar(year_end_month=3)


def test_fiscal_years_are_named_by_the_year_they_end_in():
    assert MICROSOFT.year(2025) == cm.Period(dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert ALIBABA.year(2025) == cm.Period(dt.date(2024, 4, 1), dt.date(2025, 3, 31))
    assert ORACLE.year(2025) == cm.Period(dt.date(2024, 6, 1), dt.date(2025, 5, 31))


def test_quarters_and_halves():
    assert MICROSOFT.quarter(2025, 1) == cm.Period(dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert MICROSOFT.quarter(2025, 4) == cm.CalendarQuarter(2025, 2)
    assert ORACLE.quarter(2025, 3) == cm.Period(dt.date(2024, 12, 1), dt.date(2025, 2, 28))
    assert MICROSOFT.half(2025, 1) == cm.CalendarHalf(2024, 2)
    assert ALIBABA.half(2025, 2) == cm.Period.parse("2024-10/2025-03")


def test_december_year_end_is_the_calendar():
    calendar = cm.FiscalCalendar()
    assert calendar.year_end_month == 12
    assert calendar.year(2024) == cm.CalendarYear(2024)
    assert [calendar.quarter(2024, q) for q in (1, 2, 3, 4)] == [cm.CalendarQuarter(2024, q) for q in (1, 2, 3, 4)]
    assert calendar.half(2024, 2) == cm.CalendarHalf(2024, 2)
    assert calendar.year_of(dt.date(2024, 12, 31)) == 2024


def test_reverse_lookups_for_dates():
    assert MICROSOFT.year_of(dt.date(2024, 6, 30)) == 2024
    assert MICROSOFT.year_of(dt.date(2024, 7, 1)) == 2025
    assert MICROSOFT.quarter_of(dt.date(2024, 7, 1)) == (2025, 1)
    assert MICROSOFT.quarter_of(dt.date(2025, 6, 30)) == (2025, 4)
    assert ORACLE.quarter_of(dt.date(2024, 3, 15)) == (2024, 4)
    assert ALIBABA.quarter_of(dt.date(2025, 1, 1)) == (2025, 4)


def test_reverse_lookups_for_periods():
    assert ORACLE.year_of(ORACLE.quarter(2025, 2)) == 2025
    assert ORACLE.quarter_of(cm.Period.parse("2024-09/2024-11")) == (2025, 2)
    assert MICROSOFT.year_of(cm.CalendarHalf(2025, 1)) == 2025


def test_straddling_periods_are_refused():
    with pytest.raises(cm.InvalidPeriodError, match="2024 straddles fiscal years 2024 and 2025"):
        MICROSOFT.year_of(cm.CalendarYear(2024))
    with pytest.raises(cm.InvalidPeriodError, match=r"2024-Q1 straddles fiscal quarters \(2024, 3\) and \(2024, 4\)"):
        ORACLE.quarter_of(cm.CalendarQuarter(2024, 1))


def test_reverse_lookups_refuse_other_things():
    with pytest.raises(
        cm.InvalidPeriodError, match=r"year_of\(\) takes a Period or a datetime\.date, got '2024-07-01'"
    ):
        MICROSOFT.year_of("2024-07-01")  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidPeriodError, match=r"quarter_of\(\) .* got the datetime .* \(pass its \.date\(\)\)"):
        MICROSOFT.quarter_of(dt.datetime(2024, 7, 1, 12, 0))  # noqa: DTZ001


def test_reverse_lookups_past_the_last_year_are_refused_naming_the_month():
    with pytest.raises(cm.InvalidPeriodError, match="9999-12 falls in fiscal year 10000, past the last year, 9999"):
        MICROSOFT.year_of(dt.date(9999, 12, 1))
    with pytest.raises(cm.InvalidPeriodError, match="9999-07 falls in fiscal year 10000"):
        MICROSOFT.quarter_of(cm.CalendarMonth(9999, 7))
    assert MICROSOFT.quarter_of(dt.date(9999, 6, 30)) == (9999, 4)


@pytest.mark.parametrize("month", [0, 13, -1, "6", 6.0, True, None])
def test_year_end_month_is_validated(month):
    with pytest.raises(cm.InvalidValueError, match=f"got {month!r}"):
        cm.FiscalCalendar(year_end_month=month)


def test_bad_fiscal_years_and_quarters():
    with pytest.raises(cm.InvalidPeriodError, match="quarter must be a whole number from 1 to 4, got 0"):
        MICROSOFT.quarter(2025, 0)
    with pytest.raises(cm.InvalidPeriodError, match="half must be a whole number from 1 to 2, got 3"):
        MICROSOFT.half(2025, 3)
    with pytest.raises(cm.InvalidPeriodError, match="got a month in year 0"):
        MICROSOFT.year(1)  # would start in July of year 0


def test_str_and_equality():
    assert str(MICROSOFT) == "fiscal years ending in month 6"
    assert cm.FiscalCalendar(year_end_month=6) == MICROSOFT
    assert hash(cm.FiscalCalendar(year_end_month=6)) == hash(MICROSOFT)
