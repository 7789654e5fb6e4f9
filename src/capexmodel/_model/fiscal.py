"""Fiscal calendars: years that end in a given month, named by the year they end in."""

from __future__ import annotations

from typing import TYPE_CHECKING, final

import attrs

from capexmodel._errors import InvalidPeriodError, InvalidValueError, show
from capexmodel._lazy import public
from capexmodel._model.period import _MAX_YEAR, Period, _checked_index, _date, _month_index, _part_of_year, fiscal_label

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["FiscalCalendar"]


def _check_year_end_month(_: FiscalCalendar, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:  # noqa: PLR2004 -- months
        msg = f"year_end_month must be a month number from 1 to 12, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class FiscalCalendar:
    """A fiscal calendar whose years end in `year_end_month`.

    Fiscal years are named by the calendar year they end in: with a June year-end
    (Microsoft), fiscal 2025 runs from July 2024 to June 2025 and its first quarter
    is July to September 2024. A December year-end gives the calendar years.

    Attributes:
        year_end_month: The calendar month (1 to 12) in which every fiscal year ends;
            12 by default.

    Raises:
        InvalidValueError: `year_end_month` is not a whole number from 1 to 12.

    Examples:
        >>> import capexmodel as cm
        >>> microsoft = cm.FiscalCalendar(year_end_month=6)
        >>> microsoft.year(2025)
        Period.parse('2024-07/2025-06')
        >>> microsoft.quarter(2025, 1)
        Period.parse('2024-Q3')
        >>> microsoft.quarter_of(cm.CalendarMonth(2025, 2))
        (2025, 3)
    """

    year_end_month: int = attrs.field(default=12, validator=_check_year_end_month)
    """The calendar month (1 to 12) in which every fiscal year ends."""

    def _first_month(self, fiscal_year: int) -> int:
        """The month index of the first month of `fiscal_year`."""
        return _checked_index(fiscal_year, self.year_end_month) - 11

    def year(self, fiscal_year: int) -> Period:
        """The twelve months of `fiscal_year`.

        Args:
            fiscal_year: The fiscal year, named by the calendar year it ends in.

        Returns:
            The period from the first month of the fiscal year to its last.

        Raises:
            InvalidPeriodError: `fiscal_year` is not a whole number from 1 to 9999, or
                the year would start before year 1.

        Examples:
            >>> import capexmodel as cm
            >>> cm.FiscalCalendar(year_end_month=3).year(2025)  # Alibaba's fiscal 2025
            Period.parse('2024-04/2025-03')
        """
        return _part_of_year(self._first_month(fiscal_year), "year", 1)

    def half(self, fiscal_year: int, half: int) -> Period:
        """Half `half` (1 or 2) of `fiscal_year`.

        Args:
            fiscal_year: The fiscal year, named by the calendar year it ends in.
            half: 1 for the first six months of the fiscal year, 2 for the last six.

        Returns:
            The six months of the half.

        Raises:
            InvalidPeriodError: `fiscal_year` or `half` is not a whole number in its range.

        Examples:
            >>> import capexmodel as cm
            >>> cm.FiscalCalendar(year_end_month=6).half(2025, 2)
            Period.parse('2025-H1')
        """
        return _part_of_year(self._first_month(fiscal_year), "half", half)

    def quarter(self, fiscal_year: int, quarter: int) -> Period:
        """Quarter `quarter` (1 to 4) of `fiscal_year`.

        Args:
            fiscal_year: The fiscal year, named by the calendar year it ends in.
            quarter: The fiscal quarter, from 1 (the first three months of the fiscal year) to 4.

        Returns:
            The three months of the quarter.

        Raises:
            InvalidPeriodError: `fiscal_year` or `quarter` is not a whole number in its range.

        Examples:
            >>> import capexmodel as cm
            >>> cm.FiscalCalendar(year_end_month=5).quarter(2025, 3)  # Oracle, Dec 2024 - Feb 2025
            Period.parse('2024-12/2025-02')
        """
        return _part_of_year(self._first_month(fiscal_year), "quarter", quarter)

    def parse(self, label: str) -> Period:
        """Read a period label, a fiscal one (``FY2025``, ``FY2025-H2``, ``FY2025-Q1``) in this calendar.

        Fiscal labels are written in capitals; any other label is read as `Period.parse` reads it.

        Args:
            label: A fiscal label, or any label `Period.parse` reads.

        Returns:
            The period the label names.

        Raises:
            InvalidPeriodError: `label` is not a label, a fiscal label is not in capitals
                (``fy2025``), or it names a half or quarter that does not exist.

        Examples:
            >>> import capexmodel as cm
            >>> microsoft = cm.FiscalCalendar(year_end_month=6)
            >>> microsoft.parse("FY2025"), microsoft.parse("FY2025-Q1"), microsoft.parse("FY2025-H2")
            (Period.parse('2024-07/2025-06'), Period.parse('2024-Q3'), Period.parse('2025-H1'))
            >>> microsoft.parse("2024-Q3")
            Period.parse('2024-Q3')
        """
        fiscal = fiscal_label(label) if isinstance(label, str) else None
        if fiscal is None:
            return Period.parse(label)
        year, part, number = fiscal
        try:
            return _part_of_year(self._first_month(year), part, number)
        except InvalidPeriodError as error:
            msg = f"cannot read a period from {show(label)}: {error}"
            raise InvalidPeriodError(msg) from None

    def year_of(self, when: dt.date | Period) -> int:
        """The fiscal year that a date, or every month of a period, falls in.

        Args:
            when: A `datetime.date`, or a `Period`.

        Returns:
            The fiscal year, named by the calendar year it ends in.

        Raises:
            InvalidPeriodError: `when` is neither a date nor a period (a `datetime.datetime`
                is refused too), or is a period that straddles two fiscal years.

        Examples:
            >>> import capexmodel as cm, datetime
            >>> cm.FiscalCalendar(year_end_month=6).year_of(datetime.date(2024, 7, 1))
            2025
        """
        first, last = _month_span(when, "year_of()")
        year = self._year_of_month(first)
        if self._year_of_month(last) != year:
            msg = f"{when} straddles fiscal years {year} and {self._year_of_month(last)} ({self})"
            raise InvalidPeriodError(msg)
        return year

    def quarter_of(self, when: dt.date | Period) -> tuple[int, int]:
        """The ``(fiscal year, quarter)`` that a date, or every month of a period, falls in.

        Args:
            when: A `datetime.date`, or a `Period`.

        Returns:
            The fiscal year and the quarter's number, from 1 to 4.

        Raises:
            InvalidPeriodError: `when` is neither a date nor a period (a `datetime.datetime`
                is refused too), or is a period that straddles two fiscal quarters.

        Examples:
            >>> import capexmodel as cm, datetime
            >>> cm.FiscalCalendar(year_end_month=3).quarter_of(datetime.date(2024, 12, 31))
            (2025, 3)
        """
        first, last = _month_span(when, "quarter_of()")
        found = self._quarter_of_month(first)
        if self._quarter_of_month(last) != found:
            msg = f"{when} straddles fiscal quarters {found} and {self._quarter_of_month(last)} ({self})"
            raise InvalidPeriodError(msg)
        return found

    def _year_of_month(self, index: int) -> int:
        # The fiscal year ending in month `year_end_month` of calendar year Y holds
        # month indices 12 * Y + year_end_month - 12 .. 12 * Y + year_end_month - 1.
        year = (index - self.year_end_month) // 12 + 1
        if year > _MAX_YEAR:
            year0, month0 = divmod(index, 12)
            msg = f"{year0:04d}-{month0 + 1:02d} falls in fiscal year {year}, past the last year, {_MAX_YEAR} ({self})"
            raise InvalidPeriodError(msg)
        return year

    def _quarter_of_month(self, index: int) -> tuple[int, int]:
        year = self._year_of_month(index)
        return year, (index - self._first_month(year)) // 3 + 1

    def __str__(self) -> str:
        """Name the calendar by its year-end month."""
        return f"fiscal years ending in month {self.year_end_month}"


def _month_span(when: object, caller: str) -> tuple[int, int]:
    if isinstance(when, Period):
        return when._first, when._last
    date = _date(when, caller)
    index = _month_index(date.year, date.month)
    return index, index
