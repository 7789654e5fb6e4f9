"""Calendarize: restate amounts over one set of periods as an amount over another, and record how."""

from __future__ import annotations

import itertools
from fractions import Fraction
from typing import TYPE_CHECKING

from capexmodel._errors import CurrencyMismatchError, InvalidValueError, PeriodMismatchError, show
from capexmodel._lazy import public
from capexmodel._model.calendarization import Calendarization, CalendarizedPart, Method, _exact, _validate_method
from capexmodel._model.money import Money, _intern_period, _money
from capexmodel._model.period import _FIRST_INDEX, Period, _month_label, _month_runs

if TYPE_CHECKING:
    from collections.abc import Iterable


__all__ = ["calendarize"]


@public
def calendarize(amounts: Iterable[Money], target: Period, *, method: Method = "months") -> Calendarization:
    """Restate amounts over their own periods (fiscal quarters, say) as one amount over `target`.

    - ``method="months"``: each amount counts in proportion to the months its period
      shares with `target`; the amounts that overlap `target` must cover it with no
      gap and no overlap.
    - ``method="quarter-end"``: each amount whose period ends inside `target` counts
      whole (the convention of adding up the quarters reported in a year); those
      amounts must be contiguous and span as many months as `target`.

    Amounts that do not count are ignored. Missing coverage is a
    `PeriodMismatchError` naming the months, never a zero. When the amounts tile
    `target` exactly, both methods give the exact sum. The value is added up
    exactly and rounded once, only if a share does not terminate.

    Args:
        amounts: The amounts, each over its own period, all in one currency.
        target: The period to restate them over.
        method: ``"months"`` or ``"quarter-end"``.

    Returns:
        The amount over `target`, with the method and the parts of the inputs that count.

    Raises:
        InvalidValueError: `amounts` is empty or holds something other than `Money`,
            `target` is not a `Period`, or `method` is not one of the two.
        CurrencyMismatchError: The amounts' currencies differ.
        PeriodMismatchError: The amounts that count overlap, or leave months of the
            target uncovered (named in the message).

    Examples:
        >>> import capexmodel as cm
        >>> oracle = [cm.Money(amount, "USD", cm.Period.parse(span)) for amount, span in [
        ...     ("1674", "2023-12/2024-02"), ("2798", "2024-03/2024-05"), ("2303", "2024-06/2024-08"),
        ...     ("3970", "2024-09/2024-11"), ("5862", "2024-12/2025-02")]]
        >>> cm.calendarize(oracle, cm.CalendarYear(2024)).value.amount
        Decimal('12141')
        >>> cm.calendarize(oracle, cm.CalendarYear(2024), method="quarter-end").value.amount
        Decimal('10745')
    """
    _validate_method(method)
    if not isinstance(target, Period):
        msg = f"calendarize() restates amounts over a Period, got target={show(target)}"
        raise InvalidValueError(msg)
    items = _checked_amounts(amounts)
    if method == "months":
        counted = [item for item in items if item.period.overlaps(target)]
        _check_no_overlaps(counted)
        covered = {index for item in counted for index in range(item.period._first, item.period._last + 1)}
        uncovered = [index for index in range(target._first, target._last + 1) if index not in covered]
        if uncovered:
            gaps = ", ".join(map(str, _month_runs(uncovered)))
            msg = f"cannot calendarize to {target} by months: no amount covers {gaps}"
            raise PeriodMismatchError(msg)
        parts = tuple(CalendarizedPart(item, _shared_months(item.period, target)) for item in counted)
    else:
        counted = [item for item in items if target.contains(item.period.end)]
        _check_quarter_end_span(counted, target)
        parts = tuple(CalendarizedPart(item, item.period) for item in counted)
    total = sum((Fraction(part.amount.amount) * part.share for part in parts), Fraction(0))
    amount = _exact(total, f"the amount calendarized to {target}")
    value = _money(amount, parts[0].amount.currency, _intern_period(target))
    return Calendarization(value, target, method, parts)


def _checked_amounts(amounts: Iterable[Money]) -> list[Money]:
    try:
        items = list(amounts)
    except TypeError:
        msg = f"calendarize() takes an iterable of Money, got {show(amounts)}"
        raise InvalidValueError(msg) from None
    if not items:
        msg = "calendarize() needs at least one amount"
        raise InvalidValueError(msg)
    for item in items:
        if not isinstance(item, Money):
            msg = f"calendarize() restates Money, got {show(item)}"
            raise InvalidValueError(msg)
        if item.currency != items[0].currency:
            msg = f"cannot calendarize {items[0]._brief()} with {item._brief()}: currencies differ (convert first)"
            raise CurrencyMismatchError(msg)
    items.sort(key=lambda item: (item.period.start, item.period.end))
    return items


def _check_no_overlaps(items: list[Money]) -> None:
    for earlier, later in itertools.pairwise(items):
        if earlier.period.overlaps(later.period):
            msg = f"cannot calendarize {earlier._brief()} with {later._brief()}: their periods overlap"
            raise PeriodMismatchError(msg)


def _shared_months(period: Period, target: Period) -> Period:
    return Period._from_indices(max(period._first, target._first), min(period._last, target._last))


def _check_quarter_end_span(counted: list[Money], target: Period) -> None:
    if not counted:
        msg = f"cannot calendarize to {target} by quarter-end: no amount's period ends inside it"
        raise PeriodMismatchError(msg)
    _check_no_overlaps(counted)
    for earlier, later in itertools.pairwise(counted):
        if not earlier.period.is_adjacent_to(later.period):
            gap = Period._from_indices(earlier.period._last + 1, later.period._first - 1)
            msg = f"cannot calendarize to {target} by quarter-end: no amount covers {gap}"
            raise PeriodMismatchError(msg)
    span = Period(counted[0].period.start, counted[-1].period.end)
    if span.month_count != target.month_count:
        msg = (
            f"cannot calendarize to {target} by quarter-end: the amounts ending inside it cover {span},"
            f" {span.month_count} months, not {target.month_count}"
        )
        missing = target.month_count - span.month_count
        if missing > 0:
            msg += "; " + _missing_months(counted, span, target, missing)
        raise PeriodMismatchError(msg)


def _missing_months(counted: list[Money], span: Period, target: Period, missing: int) -> str:
    """Where the missing months of a quarter-end calendarization can be, as precisely as can be told.

    Missing amounts count only if they end inside the target, so they sit just before
    the span (ending no earlier than the target's first month) or just after it
    (ending no later than its last). When every counted amount has the same length,
    the missing ones are assumed to have it too. The missing months are the room left
    before the span plus the room left after it: with no room before, they all come
    after; with room before and less than one amount's length after, they all come
    before (unless that is before year 1).
    """
    lengths = {item.period.month_count for item in counted}
    unit = lengths.pop() if len(lengths) == 1 else 1
    if missing % unit:
        unit = 1
    if span._first <= target._first:
        return f"missing: {Period._from_indices(span._last + 1, span._last + missing)}"
    if target._last - span._last < unit and span._first - missing >= _FIRST_INDEX:
        return f"missing: {Period._from_indices(span._first - missing, span._first - 1)}"
    return f"missing: {missing} months, before {_month_label(span._first)} and/or after {_month_label(span._last)}"
