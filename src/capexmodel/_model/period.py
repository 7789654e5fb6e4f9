"""Periods: spans of whole calendar months."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import TYPE_CHECKING, final

import attrs

from capexmodel._errors import InvalidPeriodError, show
from capexmodel._lazy import public

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["CalendarHalf", "CalendarMonth", "CalendarQuarter", "CalendarYear", "Period"]

_MIN_YEAR, _MAX_YEAR = 1, 9999


def _month_index(year: int, month: int) -> int:
    """Months since January of year 0, so consecutive months differ by one."""
    return year * 12 + month - 1


def _first_day(index: int) -> dt.date:
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, 1)


def _last_day(index: int) -> dt.date:
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, _days_in_month(year, month0 + 1))


def _days_in_month(year: int, month: int) -> int:
    # The `calendar` module would do, but importing it costs more than all of this module.
    if month == 12:  # noqa: PLR2004 -- December
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def _check_start(_: Period, __: attrs.Attribute[dt.date], start: dt.date) -> None:
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        msg = f"a period starts on a datetime.date, got start={show(start)}"
        raise InvalidPeriodError(msg)
    if start.day != 1:
        msg = f"a period starts on the first day of a month, got start={start}"
        raise InvalidPeriodError(msg)


def _check_end(instance: Period, _: attrs.Attribute[dt.date], end: dt.date) -> None:
    if not isinstance(end, dt.date) or isinstance(end, dt.datetime):
        msg = f"a period ends on a datetime.date, got end={show(end)}"
        raise InvalidPeriodError(msg)
    if end.day != _days_in_month(end.year, end.month):
        msg = f"a period ends on the last day of a month, got end={end}"
        raise InvalidPeriodError(msg)
    if end < instance.start:
        msg = f"a period ends after it starts, got start={instance.start} and end={end}"
        raise InvalidPeriodError(msg)


_FIRST_INDEX, _LAST_INDEX = _month_index(_MIN_YEAR, 1), _month_index(_MAX_YEAR, 12)
_MONTH = r"([0-9]{4})-([0-9]{2})"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year", re.compile(r"([0-9]{4})")),
    ("half", re.compile(r"([0-9]{4})-H([12])")),
    ("quarter", re.compile(r"([0-9]{4})-Q([1-4])")),
    ("month", re.compile(_MONTH)),
    ("range", re.compile(_MONTH + "/" + _MONTH)),
)

#: A fiscal label: ``FY2025``, ``FY2025-H2``, ``FY2025-Q1``, found in any case (and
#: read in capitals only: the fix of ``fy2025`` is written in the error).
_FISCAL = re.compile(r"FY([0-9]{4})(?:-([HQ])([0-9]))?", re.IGNORECASE | re.ASCII)
_FISCAL_PARTS = {"H": "half", "Q": "quarter"}


def fiscal_label(label: str) -> tuple[int, str, int] | None:
    """The fiscal year, part ("year", "half" or "quarter") and number a fiscal label names; None for another label.

    A fiscal label not in capitals (``fy2025``) raises `InvalidPeriodError` saying how to write it.
    """
    match = _FISCAL.fullmatch(label)
    if match is None:
        return None
    if match[0] != match[0].upper():
        msg = f"cannot read a period from {show(label)}: write a fiscal label in capitals, {label.upper()!r}"
        raise InvalidPeriodError(msg)
    return int(match[1]), _FISCAL_PARTS.get(match[2], "year"), int(match[3] or 1)


@public
@final
@attrs.frozen(cache_hash=True, repr=False)
class Period:
    """A span of whole calendar months, from the first day of a month to the last day of one.

    Equality and hashing are by span: Microsoft's fiscal 2025 first quarter is the
    same `Period` as calendar Q3 2024. The `label` names the span in the shortest
    standard form (``2024``, ``2024-H2``, ``2024-Q3``, ``2024-07``, or an ISO 8601
    interval ``2024-07/2025-06``), and `Period.parse` reads any label back.

    Attributes:
        start: The first day of the first month, a `datetime.date`.
        end: The last day of the last month, a `datetime.date`.

    Raises:
        InvalidPeriodError: `start` is not the first day of a month, `end` not the last
            day of one, either is not a `datetime.date` (or is a `datetime.datetime`), or
            `end` comes before `start`.

    Examples:
        >>> import capexmodel as cm, datetime
        >>> q3 = cm.Period(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
        >>> q3
        Period.parse('2024-Q3')
        >>> q3 == cm.FiscalCalendar(year_end_month=6).quarter(2025, 1)
        True
        >>> q3.month_count
        3
    """

    start: dt.date = attrs.field(validator=_check_start)
    """The first day of the first month."""

    end: dt.date = attrs.field(validator=_check_end)
    """The last day of the last month."""

    @classmethod
    def from_months(cls, first: tuple[int, int], last: tuple[int, int]) -> Period:
        """Build the period from month ``first`` to month ``last``, each a ``(year, month)``.

        Args:
            first: The first month, as ``(year, month)``.
            last: The last month, as ``(year, month)``.

        Returns:
            The period from the first day of `first` to the last day of `last`.

        Raises:
            InvalidPeriodError: A month is not a ``(year, month)`` pair of whole numbers
                (years 1 to 9999, months 1 to 12), or `last` comes before `first`.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Period.from_months((2024, 4), (2025, 3))
            Period.parse('2024-04/2025-03')
        """
        return cls._from_indices(_month_of_pair("first", first), _month_of_pair("last", last))

    @classmethod
    def parse(cls, label: str) -> Period:
        """Read a period from its label: ``2024``, ``2024-H1``, ``2024-Q3``, ``2024-07``, ``2024-04/2025-03``.

        Args:
            label: The label, as `Period.label` writes it.

        Returns:
            The period the label names.

        Raises:
            InvalidPeriodError: `label` is not such a label, names a month that does not
                exist, or is a fiscal label (``FY2025``), whose months depend on a
                `FiscalCalendar` (read it with `FiscalCalendar.parse`).

        Examples:
            >>> import capexmodel as cm
            >>> cm.Period.parse("2024-Q3").end
            datetime.date(2024, 9, 30)
            >>> cm.Period.parse("2024-04/2025-03").month_count
            12
        """
        if isinstance(label, str):
            for kind, pattern in _PATTERNS:
                match = pattern.fullmatch(label)
                if match:
                    numbers = [int(group) for group in match.groups()]
                    try:
                        if kind == "range":
                            return cls.from_months((numbers[0], numbers[1]), (numbers[2], numbers[3]))
                        return _CALENDAR_BUILDERS[kind](*numbers)
                    except InvalidPeriodError as error:
                        msg = f"cannot read a period from {show(label)}: {error}"
                        raise InvalidPeriodError(msg) from None
        if isinstance(label, str) and fiscal_label(label) is not None:
            msg = (
                f"cannot read a period from {show(label)} alone: a fiscal label's months depend on the company's"
                f" fiscal calendar; read it with one, as in FiscalCalendar(year_end_month=6).parse({label!r}),"
                " or write the months, as in '2024-07/2025-06'"
            )
            raise InvalidPeriodError(msg)
        msg = (
            f"cannot read a period from {show(label)}: expected a label such as "
            "'2024', '2024-H1', '2024-Q3', '2024-07' or '2024-04/2025-03'"
        )
        raise InvalidPeriodError(msg)

    @classmethod
    def _from_indices(cls, first: int, last: int) -> Period:
        for index in (first, last):
            if not _FIRST_INDEX <= index <= _LAST_INDEX:
                year = index // 12
                msg = f"a period lies within the years {_MIN_YEAR} to {_MAX_YEAR}, got a month in year {year}"
                raise InvalidPeriodError(msg)
        if last < first:
            msg = f"a period ends after it starts, got {_month_label(first)} to {_month_label(last)}"
            raise InvalidPeriodError(msg)
        return cls(_first_day(first), _last_day(last))

    @property
    def _first(self) -> int:
        return _month_index(self.start.year, self.start.month)

    @property
    def _last(self) -> int:
        return _month_index(self.end.year, self.end.month)

    @property
    def month_count(self) -> int:
        """The number of calendar months in the period.

        Examples:
            >>> import capexmodel as cm
            >>> cm.CalendarYear(2024).month_count
            12
        """
        return self._last - self._first + 1

    @property
    def label(self) -> str:
        """The shortest standard name of the span.

        Examples:
            >>> import capexmodel as cm
            >>> cm.CalendarYear(2024).label, cm.CalendarHalf(2024, 2).label, cm.CalendarMonth(2024, 7).label
            ('2024', '2024-H2', '2024-07')
        """
        first, count = self._first, self.month_count
        year, month0 = divmod(first, 12)
        if count == 12 and month0 == 0:  # noqa: PLR2004 -- a year is twelve months
            return f"{year:04d}"
        if count == 6 and month0 % 6 == 0:  # noqa: PLR2004 -- a half is six months
            return f"{year:04d}-H{month0 // 6 + 1}"
        if count == 3 and month0 % 3 == 0:  # noqa: PLR2004 -- a quarter is three months
            return f"{year:04d}-Q{month0 // 3 + 1}"
        if count == 1:
            return _month_label(first)
        return f"{_month_label(first)}/{_month_label(self._last)}"

    def contains(self, other: Period | dt.date) -> bool:
        """Whether a date, or every month of another period, lies inside this period.

        Args:
            other: A period, or a `datetime.date`.

        Returns:
            True if `other` lies wholly inside this period.

        Raises:
            InvalidPeriodError: `other` is neither a `Period` nor a `datetime.date` (a
                `datetime.datetime` is refused too).

        Examples:
            >>> import capexmodel as cm, datetime
            >>> cm.CalendarYear(2024).contains(cm.CalendarQuarter(2024, 2))
            True
            >>> cm.CalendarYear(2024).contains(datetime.date(2025, 1, 1))
            False
        """
        if isinstance(other, Period):
            return self.start <= other.start and other.end <= self.end
        return self.start <= _date(other, "contains()") <= self.end

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one month.

        Args:
            other: Another period.

        Returns:
            True if the periods share a month.

        Raises:
            InvalidPeriodError: `other` is not a `Period`.

        Examples:
            >>> import capexmodel as cm
            >>> cm.CalendarYear(2024).overlaps(cm.Period.parse("2024-12/2025-02"))
            True
        """
        _check_period(other, "overlaps()")
        return self.start <= other.end and other.start <= self.end

    def is_adjacent_to(self, other: Period) -> bool:
        """Whether one period starts in the month right after the other ends.

        Args:
            other: Another period.

        Returns:
            True if one period starts in the month after the other ends.

        Raises:
            InvalidPeriodError: `other` is not a `Period`.

        Examples:
            >>> import capexmodel as cm
            >>> cm.CalendarQuarter(2024, 4).is_adjacent_to(cm.CalendarQuarter(2025, 1))
            True
            >>> cm.CalendarQuarter(2024, 4).is_adjacent_to(cm.CalendarQuarter(2024, 4))
            False
        """
        _check_period(other, "is_adjacent_to()")
        return self._last + 1 == other._first or other._last + 1 == self._first

    def __str__(self) -> str:
        """Return the `label`."""
        return self.label

    def __repr__(self) -> str:
        """Return ``Period.parse('<label>')``, which evaluates back to an equal period."""
        return f"Period.parse({self.label!r})"


def _month_label(index: int) -> str:
    year, month0 = divmod(index, 12)
    return f"{year:04d}-{month0 + 1:02d}"


def _month_runs(indices: Iterable[int]) -> list[Period]:
    """Group month indices into periods of consecutive months, in order."""
    ordered = sorted(set(indices))
    runs = []
    for _, group in itertools.groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0]):
        months = [index for _, index in group]
        runs.append(Period._from_indices(months[0], months[-1]))
    return runs


def _check_period(value: object, caller: str) -> None:
    if not isinstance(value, Period):
        msg = f"{caller} takes a Period, got {show(value)}"
        raise InvalidPeriodError(msg)


def _date(value: object, caller: str) -> dt.date:
    """A plain date, refusing datetimes (whose time of day a period cannot honour)."""
    if isinstance(value, dt.datetime):
        msg = f"{caller} takes a Period or a datetime.date, got the datetime {show(value)} (pass its .date())"
        raise InvalidPeriodError(msg)
    if not isinstance(value, dt.date):
        msg = f"{caller} takes a Period or a datetime.date, got {show(value)}"
        raise InvalidPeriodError(msg)
    return value


def _month_of_pair(name: str, pair: object) -> int:
    if not isinstance(pair, tuple) or len(pair) != 2:  # noqa: PLR2004 -- (year, month)
        msg = f"{name} must be a (year, month) pair such as (2024, 4), got {show(pair)}"
        raise InvalidPeriodError(msg)
    return _checked_index(*pair)


def _check_int(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        msg = f"{name} must be a whole number from {low} to {high}, got {show(value)}"
        raise InvalidPeriodError(msg)
    return value


def _checked_index(year: object, month: object) -> int:
    return _month_index(_check_int("year", year, _MIN_YEAR, _MAX_YEAR), _check_int("month", month, 1, 12))


_PARTS_OF_A_YEAR = {"year": 1, "half": 2, "quarter": 4, "month": 12}


def _part_of_year(first_month: int, part: str, number: object) -> Period:
    """Part `number` (a half, a quarter, ...) of the twelve months from month index `first_month`."""
    count = _PARTS_OF_A_YEAR[part]
    months = 12 // count
    start = first_month + months * (_check_int(part, number, 1, count) - 1)
    return Period._from_indices(start, start + months - 1)


@public
def CalendarYear(year: int) -> Period:  # noqa: N802 -- named as the period it builds
    """The calendar year `year`, January to December.

    Args:
        year: The year, from 1 to 9999.

    Returns:
        The period from 1 January to 31 December.

    Raises:
        InvalidPeriodError: `year` is not a whole number from 1 to 9999.

    Examples:
        >>> import capexmodel as cm
        >>> cm.CalendarYear(2024)
        Period.parse('2024')
    """
    return _part_of_year(_checked_index(year, 1), "year", 1)


@public
def CalendarHalf(year: int, half: int) -> Period:  # noqa: N802 -- named as the period it builds
    """Half `half` (1 or 2) of calendar year `year`.

    Args:
        year: The year, from 1 to 9999.
        half: 1 for January to June, 2 for July to December.

    Returns:
        The six months of the half.

    Raises:
        InvalidPeriodError: `year` or `half` is not a whole number in its range.

    Examples:
        >>> import capexmodel as cm
        >>> cm.CalendarHalf(2024, 2).start
        datetime.date(2024, 7, 1)
    """
    return _part_of_year(_checked_index(year, 1), "half", half)


@public
def CalendarQuarter(year: int, quarter: int) -> Period:  # noqa: N802 -- named as the period it builds
    """Quarter `quarter` (1 to 4) of calendar year `year`.

    Args:
        year: The year, from 1 to 9999.
        quarter: The quarter, from 1 (January to March) to 4.

    Returns:
        The three months of the quarter.

    Raises:
        InvalidPeriodError: `year` or `quarter` is not a whole number in its range.

    Examples:
        >>> import capexmodel as cm
        >>> cm.CalendarQuarter(2024, 3)
        Period.parse('2024-Q3')
    """
    return _part_of_year(_checked_index(year, 1), "quarter", quarter)


@public
def CalendarMonth(year: int, month: int) -> Period:  # noqa: N802 -- named as the period it builds
    """The single calendar month `month` of `year`.

    Args:
        year: The year, from 1 to 9999.
        month: The month, from 1 (January) to 12.

    Returns:
        The month, from its first day to its last.

    Raises:
        InvalidPeriodError: `year` or `month` is not a whole number in its range.

    Examples:
        >>> import capexmodel as cm
        >>> cm.CalendarMonth(2024, 2).end
        datetime.date(2024, 2, 29)
    """
    return _part_of_year(_checked_index(year, 1), "month", month)


_CALENDAR_BUILDERS: dict[str, Callable[..., Period]] = {
    "year": CalendarYear,
    "half": CalendarHalf,
    "quarter": CalendarQuarter,
    "month": CalendarMonth,
}
