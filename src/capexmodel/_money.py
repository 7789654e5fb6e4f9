"""Money: an exact amount of one currency flowing over one period."""

from __future__ import annotations

import decimal
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING, Final, final, overload

import attrs

from capexmodel._currency import Currency
from capexmodel._errors import (
    CurrencyMismatchError,
    DivisionByZeroError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidValueError,
    PeriodMismatchError,
)
from capexmodel._period import Period

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Money", "combine_periods", "total"]

#: Sums, differences and products are computed in this context: its precision is the
#: largest the decimal module allows, so they are exact; only division rounds.
_EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero],
)
_add, _subtract, _multiply, _negate = _EXACT.add, _EXACT.subtract, _EXACT.multiply, _EXACT.minus

#: Amounts and factors are refused beyond this power of ten in either direction, far
#: past any real figure, so that exact arithmetic never runs out of memory.
_MAX_MAGNITUDE: Final = 1000

#: One instance per distinct span, so that comparing the periods of two amounts
#: is usually an identity check.
_interned_periods: Final[dict[Period, Period]] = {}


def _to_decimal(value: object, what: str = "amount") -> Decimal:
    """Convert an int, a finite Decimal or a numeric string to a Decimal, exactly."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value)
        except decimal.InvalidOperation:
            msg = f"{what} must be a number, got the string {value!r}"
            raise InvalidAmountError(msg) from None
    elif isinstance(value, float):
        msg = (
            f"{what} must be an int, a Decimal or a numeric string, not the float {value!r} "
            f"(pass '{value!r}' to keep it exact)"
        )
        raise InvalidAmountError(msg)
    else:
        msg = f"{what} must be an int, a Decimal or a numeric string, got {value!r} of type {type(value).__name__}"
        raise InvalidAmountError(msg)
    if not result.is_finite():
        msg = f"{what} must be finite, got {value!r}"
        raise InvalidAmountError(msg)
    exponent = result.as_tuple().exponent
    if not isinstance(exponent, int) or exponent < -_MAX_MAGNITUDE or result.adjusted() >= _MAX_MAGNITUDE:
        msg = f"{what} must be below 1e{_MAX_MAGNITUDE} with at most {_MAX_MAGNITUDE} decimal places, got {value!r}"
        raise InvalidAmountError(msg)
    return result


def _intern_period(period: object) -> Period:
    if not isinstance(period, Period):
        msg = f"period must be a capexmodel.Period (for example cm.CalendarYear(2024)), got {period!r}"
        raise InvalidPeriodError(msg)
    return _interned_periods.setdefault(period, period)


def _factor(value: object) -> Decimal | None:
    """A multiplier or divisor as a Decimal, or None when Money does not support its type."""
    if isinstance(value, int | float | Decimal):
        return _to_decimal(value, "a factor")
    return None


@final
@attrs.frozen(repr=False, order=False)
class Money:
    """An exact amount of money in one currency, flowing over one period.

    The amount is a `Decimal`: ints, Decimals and numeric strings are accepted,
    floats, NaN and infinities are refused. ``+`` and ``-`` need the same currency
    and period and are exact; ``*`` and ``/`` by a number keep both (division
    rounds in the active decimal context); ``Money / Money`` in one currency is a
    `Decimal`. Adding amounts over adjacent periods is `combine_periods`.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.Money("777", "USD", y24) + cm.Money("756", "USD", y24)
        Money('1533', 'USD', Period.parse('2024'))
        >>> cm.Money("800", "CNY", y24) / 2
        Money('400', 'CNY', Period.parse('2024'))
    """

    amount: Decimal = attrs.field(converter=_to_decimal)
    """The exact amount, in units of `currency` (not thousands, millions or 亿)."""

    currency: Currency = attrs.field(converter=Currency)
    """The currency of the amount."""

    period: Period = attrs.field(converter=_intern_period)
    """The window the amount flows over."""

    def _check_compatible(self, other: Money, verb: str) -> None:
        if self.currency is not other.currency and self.currency != other.currency:
            msg = f"cannot {verb} {self._short()} and {other._short()}: currencies differ (convert one first)"
            raise CurrencyMismatchError(msg)
        if self.period is not other.period and self.period != other.period:
            msg = (
                f"cannot {verb} {self} and {other}: periods differ"
                " (use combine_periods() for adjacent periods)"
            )
            raise PeriodMismatchError(msg)

    def __add__(self, other: Money) -> Money:
        """Add an amount of the same currency over the same period (``+ 0`` too, for `sum`)."""
        if type(other) is not Money:
            return self if other.__class__ is int and other == 0 else NotImplemented
        currency, period = self.currency, self.period
        if other.currency is not currency or other.period is not period:
            self._check_compatible(other, "add")
        return _money(_add(self.amount, other.amount), currency, period)

    __radd__ = __add__

    def __sub__(self, other: Money) -> Money:
        """Subtract an amount of the same currency over the same period."""
        if type(other) is not Money:
            return NotImplemented
        self._check_compatible(other, "subtract")
        return _money(_subtract(self.amount, other.amount), self.currency, self.period)

    def __neg__(self) -> Money:
        """The opposite amount."""
        return _money(_negate(self.amount), self.currency, self.period)

    def __pos__(self) -> Money:
        """The amount itself."""
        return self

    def __abs__(self) -> Money:
        """The amount without its sign."""
        return self if self.amount >= 0 else -self

    def __mul__(self, factor: int | Decimal) -> Money:
        """Scale by an int or a Decimal, exactly."""
        number = _factor(factor)
        if number is None:
            return NotImplemented
        return _money(_multiply(self.amount, number), self.currency, self.period)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, divisor: Money) -> Decimal: ...
    @overload
    def __truediv__(self, divisor: int | Decimal) -> Money: ...
    def __truediv__(self, divisor: Money | int | Decimal) -> Money | Decimal:
        """Divide by a number (a Money) or by an amount of the same currency (a Decimal).

        Division rounds in the active decimal context (28 significant digits unless
        changed). The periods of two divided amounts may differ (growth compares them).
        """
        if type(divisor) is Money:
            if self.currency != divisor.currency:
                msg = f"cannot divide {self._short()} by {divisor._short()}: currencies differ (convert one first)"
                raise CurrencyMismatchError(msg)
            if not divisor.amount:
                msg = f"cannot divide {self} by {divisor}, which is zero"
                raise DivisionByZeroError(msg)
            return self.amount / divisor.amount
        number = _factor(divisor)
        if number is None:
            return NotImplemented
        if not number:
            msg = f"cannot divide {self} by zero"
            raise DivisionByZeroError(msg)
        return _money(self.amount / number, self.currency, self.period)

    def _compare(self, other: object, verb: str) -> tuple[Decimal, Decimal] | None:
        if type(other) is not Money:
            return None
        self._check_compatible(other, verb)
        return self.amount, other.amount

    def __lt__(self, other: Money) -> bool:
        """Compare with an amount of the same currency over the same period."""
        pair = self._compare(other, "compare")
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: Money) -> bool:
        """Compare with an amount of the same currency over the same period."""
        pair = self._compare(other, "compare")
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: Money) -> bool:
        """Compare with an amount of the same currency over the same period."""
        pair = self._compare(other, "compare")
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: Money) -> bool:
        """Compare with an amount of the same currency over the same period."""
        pair = self._compare(other, "compare")
        return NotImplemented if pair is None else pair[0] >= pair[1]

    def __round__(self, ndigits: int = 0) -> Money:
        """Round to `ndigits` decimal places, half to even: rounding only when asked.

        Examples:
            >>> import capexmodel as cm
            >>> round(cm.Money("110.65", "USD", cm.CalendarYear(2024)), 1)
            Money('110.6', 'USD', Period.parse('2024'))
        """
        exponent = Decimal(1).scaleb(-ndigits)
        rounded = self.amount.quantize(exponent, rounding=decimal.ROUND_HALF_EVEN, context=_EXACT)
        return _money(rounded, self.currency, self.period)

    def _short(self) -> str:
        return f"{self.amount} {self.currency}"

    def __str__(self) -> str:
        """Return ``<amount> <currency> over <period label>``, every digit kept."""
        return f"{self.amount} {self.currency} over {self.period}"

    def __repr__(self) -> str:
        """Return a constructor call that evaluates back to an equal amount."""
        return f"Money('{self.amount}', '{self.currency}', {self.period!r})"


_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__
_set_period = Money.__dict__["period"].__set__
_new = object.__new__


def _money(amount: Decimal, currency: Currency, period: Period) -> Money:
    """Build a Money from parts already validated, skipping the converters (the fast path)."""
    money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    _set_period(money, period)
    return money


def total(
    amounts: Iterable[Money],
    *,
    currency: str | None = None,
    period: Period | None = None,
) -> Money:
    """Add many amounts of one currency over one period, exactly and fast.

    Every amount must share the currency and the period (`CurrencyMismatchError`,
    `PeriodMismatchError` otherwise); the check is done once for the whole list,
    then the Decimals are added. An empty list gives zero only when `currency` and
    `period` say what zero; when given, they are also checked against every amount.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.total([cm.Money("777", "USD", y24), cm.Money("756", "USD", y24)])
        Money('1533', 'USD', Period.parse('2024'))
        >>> cm.total([], currency="CNY", period=y24)
        Money('0', 'CNY', Period.parse('2024'))
    """
    items = amounts if isinstance(amounts, list | tuple) else list(amounts)
    if not items:
        if currency is None or period is None:
            msg = "total() of no amounts needs currency= and period= to say what zero is"
            raise InvalidValueError(msg)
        return Money(0, currency, period)
    _check_all_money(items, "total()")
    want_currency = items[0].currency if currency is None else Currency(currency)
    want_period = items[0].period if period is None else _intern_period(period)
    # One pass each; list.count() compares by identity first, and currencies and
    # periods are interned, so a list that matches costs no __eq__ calls at all.
    count = len(items)
    if [item.currency for item in items].count(want_currency) != count:
        wrong = next(item for item in items if item.currency != want_currency)
        msg = f"total() adds amounts in {want_currency}, got {wrong}"
        raise CurrencyMismatchError(msg)
    if [item.period for item in items].count(want_period) != count:
        wrong = next(item for item in items if item.period != want_period)
        msg = f"total() adds amounts over {want_period}, got {wrong}"
        raise PeriodMismatchError(msg)
    with decimal.localcontext(_EXACT):
        amount = sum([item.amount for item in items], Decimal(0))
    return _money(amount, want_currency, want_period)


def _check_all_money(items: list[Money] | tuple[Money, ...], caller: str) -> None:
    if list(map(type, items)).count(Money) != len(items):
        wrong = next(item for item in items if type(item) is not Money)
        msg = f"{caller} adds Money, got {wrong!r}"
        raise InvalidAmountError(msg)


def combine_periods(amounts: Iterable[Money]) -> Money:
    """Add amounts over adjacent, non-overlapping periods into one amount over their union.

    This is how four fiscal quarters become the fiscal year. The amounts must share
    a currency; their periods, in any order, must tile one span with no gap and no
    overlap (`PeriodMismatchError` names the gap or the overlap).

    Examples:
        >>> import capexmodel as cm
        >>> oracle = cm.FiscalCalendar(year_end_month=5)
        >>> quarters = [cm.Money(amount, "USD", oracle.quarter(2025, q))
        ...             for q, amount in zip((1, 2, 3, 4), ("2303", "3970", "5862", "9080"))]
        >>> cm.combine_periods(quarters)
        Money('21215', 'USD', Period.parse('2024-06/2025-05'))
    """
    items = list(amounts)
    if not items:
        msg = "combine_periods() needs at least one amount"
        raise InvalidValueError(msg)
    _check_all_money(items, "combine_periods()")
    items.sort(key=lambda item: (item.period.start, item.period.end))
    for earlier, later in itertools.pairwise(items):
        if earlier.currency != later.currency:
            msg = f"cannot combine {earlier} and {later}: currencies differ (convert one first)"
            raise CurrencyMismatchError(msg)
        if earlier.period.overlaps(later.period):
            msg = f"cannot combine {earlier} and {later}: their periods overlap"
            raise PeriodMismatchError(msg)
        if not earlier.period.is_adjacent_to(later.period):
            gap = Period._from_indices(earlier.period._last + 1, later.period._first - 1)
            msg = f"cannot combine {earlier} and {later}: no amount covers {gap}"
            raise PeriodMismatchError(msg)
    with decimal.localcontext(_EXACT):
        amount = sum([item.amount for item in items], Decimal(0))
    union = _intern_period(Period(items[0].period.start, items[-1].period.end))
    return _money(amount, items[0].currency, union)
