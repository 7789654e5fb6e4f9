"""Money: an exact amount of one currency flowing over one period."""

from __future__ import annotations

import decimal
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING, Final, final, overload

import attrs

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import (
    CurrencyMismatchError,
    DivisionByZeroError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidValueError,
    PeriodMismatchError,
    shorten,
    show,
)
from capexmodel._lazy import public
from capexmodel._model.currency import Currency
from capexmodel._model.display import html, markdown, money_view
from capexmodel._model.period import Period

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["Money", "combine_periods", "total"]

#: The library's exact context under the name other modules import it by.
_EXACT: Final = EXACT
#: Sums, differences and products: exact, whatever the caller's context.
_add, _subtract, _multiply, _negate = EXACT.add, EXACT.subtract, EXACT.multiply, EXACT.minus

#: Amounts, factors and the results of `*`, `/` and `round` are refused beyond this
#: power of ten in either direction, far past any real figure, so that exact
#: arithmetic stays small.
_MAX_MAGNITUDE: Final = 1000

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)

#: One instance per distinct span, so that comparing the periods of two amounts
#: is usually an identity check; cleared when it grows past the limit.
_interned_periods: Final[dict[Period, Period]] = {}
_MAX_INTERNED_PERIODS: Final = 65_536


_AMOUNT_TYPES = "an int, a Decimal or a numeric string"
_FACTOR_TYPES = "an int or a Decimal"


def _to_decimal(value: object, what: str = "amount", accepted: str = _AMOUNT_TYPES, *, strings: bool = True) -> Decimal:
    """Convert an int, a finite Decimal or (when `strings`) a numeric string, exactly; `accepted` says so in errors."""
    if type(value) is Decimal:
        result = value
    elif isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        result = Decimal(value)  # exact, and a plain Decimal even from a subclass
    elif isinstance(value, str) and strings:
        try:
            with decimal.localcontext(EXACT):  # a malformed string signals here, not in the caller's context
                result = Decimal(value)
        except decimal.DecimalException:
            msg = f"{what} must be a number, got the string {show(value)}"
            raise InvalidAmountError(msg) from None
    elif isinstance(value, float):
        msg = f"{what} must be {accepted}, not the float {value!r} (pass Decimal('{value!r}') to keep it exact)"
        raise InvalidAmountError(msg)
    else:
        msg = f"{what} must be {accepted}, got {show(value)} of type {type(value).__name__}"
        raise InvalidAmountError(msg)
    if not result.is_finite():
        msg = f"{what} must be finite, got {show(value)}"
        raise InvalidAmountError(msg)
    return _bounded(result, lambda: f"{what} {show(value)}")


def _bounded(result: Decimal, describe: Callable[[], str]) -> Decimal:
    """Hold a finite Decimal to the bounds of an amount, and give zero no sign."""
    exponent = result.as_tuple().exponent
    assert isinstance(exponent, int)  # noqa: S101 -- only finite numbers get here
    if exponent < -_MAX_MAGNITUDE or result.adjusted() >= _MAX_MAGNITUDE:
        if not result:
            return _ZERO
        msg = (
            f"{describe()} is out of range: amounts lie below 1e{_MAX_MAGNITUDE}"
            f" with at most {_MAX_MAGNITUDE} decimal places"
        )
        raise InvalidAmountError(msg)
    return result or result.copy_abs()


def _check_sum(result: Decimal, describe: Callable[[], str]) -> Decimal:
    """Hold a sum or difference of amounts below 1e1000 (its places are already within bounds)."""
    if result.adjusted() >= _MAX_MAGNITUDE:
        msg = f"{describe()} is out of range: amounts lie below 1e{_MAX_MAGNITUDE}"
        raise InvalidAmountError(msg)
    return result


def _divide(dividend: Decimal, divisor: Decimal) -> Decimal:
    """Divide exactly when the quotient terminates; otherwise round once, in `QUOTIENT`."""
    # A terminating quotient has at most this many digits: the divisor's factors of 2
    # and 5 add at most log2(divisor) < 3.33 digits per digit of the divisor.
    digits = len(dividend.as_tuple().digits) + 4 * len(divisor.as_tuple().digits) + 2
    wide = decimal.Context(prec=digits, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[])
    quotient = wide.divide(dividend, divisor)
    if not wide.flags[decimal.Inexact]:
        # An exact whole quotient is written without an exponent: 100000, not 1.000E+5.
        exponent = quotient.as_tuple().exponent
        return quotient.quantize(_ONE, context=EXACT) if isinstance(exponent, int) and exponent > 0 else quotient
    return QUOTIENT.divide(dividend, divisor)


def _to_amount(value: Decimal | int | str) -> Decimal:
    """The converter of `Money.amount`: an int, a Decimal or a numeric string, exactly (a float is refused)."""
    return _to_decimal(value)


def _intern_period(period: Period) -> Period:
    if not isinstance(period, Period):
        msg = f"period must be a capexmodel.Period (for example cm.CalendarYear(2024)), got {show(period)}"
        raise InvalidPeriodError(msg)
    interned = _interned_periods.get(period)
    if interned is None:
        if len(_interned_periods) >= _MAX_INTERNED_PERIODS:
            _interned_periods.clear()  # sharing is only a speed-up: equal periods still compare equal
        interned = _interned_periods[period] = period
    return interned


def _factor(value: object) -> Decimal | None:
    """A multiplier or divisor as a Decimal, or None when Money does not support its type."""
    if isinstance(value, int | float | Decimal):
        return _to_decimal(value, "a factor", _FACTOR_TYPES, strings=False)
    return None


@public
@final
@attrs.frozen(repr=False, order=False)
class Money:
    """An exact amount of money in one currency, flowing over one period.

    The amount is a `Decimal`: ints, Decimals and numeric strings are accepted,
    floats, NaN and infinities are refused. ``+`` and ``-`` need the same currency
    and period; ``*`` and ``/`` by a number keep both; ``Money / Money`` in one
    currency is a `Decimal`. Sums, differences and products are exact; a quotient is
    exact when it terminates and otherwise rounds once, to 28 significant digits, half
    to even. None of this depends on the caller's decimal context, which is left as it
    was. Adding amounts over adjacent periods is `combine_periods`.

    Attributes:
        amount: The exact amount; an int, a `Decimal` or a numeric string, which the
            constructor converts to a `Decimal`.
        currency: The currency; a `Currency` or its ISO 4217 code (``"usd"`` is USD).
        period: The window the amount flows over, a `Period`.

    Raises:
        InvalidAmountError: `amount` is a float, NaN, an infinity, not a number, or beyond
            1e1000 or 1000 decimal places; also for an operation whose result is.
        UnknownCurrencyError: `currency` is not an ISO 4217 code.
        InvalidPeriodError: `period` is not a `Period`.
        CurrencyMismatchError: Amounts in different currencies are added, subtracted,
            compared or divided one by the other.
        PeriodMismatchError: Amounts over different periods are added, subtracted or compared.
        DivisionByZeroError: An amount is divided by zero.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.Money("777", "USD", y24) + cm.Money("756", "USD", y24)
        Money('1533', 'USD', Period.parse('2024'))
        >>> cm.Money("800", "CNY", y24) / 2
        Money('400', 'CNY', Period.parse('2024'))
    """

    amount: Decimal = attrs.field(converter=_to_amount)
    """The exact amount, in units of `currency` (not thousands, millions or 亿)."""

    currency: Currency = attrs.field(converter=Currency)
    """The currency of the amount."""

    period: Period = attrs.field(converter=_intern_period)
    """The window the amount flows over."""

    def _check_compatible(self, other: Money, verb: str) -> None:
        if self.currency is not other.currency and self.currency != other.currency:
            amounts = f"{self._brief(period=False)} and {other._brief(period=False)}"
            msg = f"cannot {verb} {amounts}: currencies differ (convert one first)"
            raise CurrencyMismatchError(msg)
        if self.period is not other.period and self.period != other.period:
            msg = (
                f"cannot {verb} {self._brief()} and {other._brief()}: periods differ"
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
        amount = _add(self.amount, other.amount)
        if amount.adjusted() >= _MAX_MAGNITUDE:
            _check_sum(amount, lambda: f"{self._brief()} + {other._brief()}")
        return _money(amount, currency, period)

    __radd__ = __add__

    def __sub__(self, other: Money) -> Money:
        """Subtract an amount of the same currency over the same period."""
        if type(other) is not Money:
            return NotImplemented
        self._check_compatible(other, "subtract")
        amount = _check_sum(_subtract(self.amount, other.amount), lambda: f"{self._brief()} - {other._brief()}")
        return _money(amount, self.currency, self.period)

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
        product = _bounded(_multiply(self.amount, number), lambda: f"{self._brief()} * {show(factor)}")
        return _money(product, self.currency, self.period)

    __rmul__ = __mul__

    @overload
    def __truediv__(self, divisor: Money) -> Decimal: ...
    @overload
    def __truediv__(self, divisor: int | Decimal) -> Money: ...
    def __truediv__(self, divisor: Money | int | Decimal) -> Money | Decimal:
        """Divide by a number (a Money) or by an amount of the same currency (a Decimal).

        Division is exact when the quotient terminates (dividing by 2, 4 or 10 never
        rounds); otherwise it rounds once, to 28 significant digits, half to even,
        whatever the caller's decimal context. The periods of two divided amounts may
        differ (growth compares them).

        Examples:
            >>> import capexmodel as cm
            >>> capex = cm.Money("3800", "CNY", cm.CalendarYear(2025))
            >>> capex / 3
            Money('1266.666666666666666666666667', 'CNY', Period.parse('2025'))
            >>> capex / cm.Money("1600", "CNY", cm.CalendarYear(2025))
            Decimal('2.375')
        """
        if type(divisor) is Money:
            if self.currency != divisor.currency:
                amounts = f"{self._brief(period=False)} by {divisor._brief(period=False)}"
                msg = f"cannot divide {amounts}: currencies differ (convert one first)"
                raise CurrencyMismatchError(msg)
            if not divisor.amount:
                msg = f"cannot divide {self._brief()} by {divisor._brief()}, which is zero"
                raise DivisionByZeroError(msg)
            return _divide(self.amount, divisor.amount)
        number = _factor(divisor)
        if number is None:
            return NotImplemented
        if not number:
            msg = f"cannot divide {self._brief()} by zero"
            raise DivisionByZeroError(msg)
        quotient = _bounded(_divide(self.amount, number), lambda: f"{self._brief()} / {show(divisor)}")
        return _money(quotient, self.currency, self.period)

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

        A result of 1e1000 or more (rounding 9.9e999 to a multiple of 1e1000) is refused,
        as the constructor refuses it.

        Examples:
            >>> import capexmodel as cm
            >>> round(cm.Money("110.65", "USD", cm.CalendarYear(2024)), 1)
            Money('110.6', 'USD', Period.parse('2024'))
        """
        if isinstance(ndigits, bool) or not isinstance(ndigits, int) or abs(ndigits) > _MAX_MAGNITUDE:
            limit = _MAX_MAGNITUDE
            msg = f"round() takes a whole number of places from -{limit} to {limit}, got {show(ndigits)}"
            raise InvalidValueError(msg)
        exponent = Decimal((0, (1,), -ndigits))
        rounded = self.amount.quantize(exponent, rounding=decimal.ROUND_HALF_EVEN, context=EXACT)
        return _money(_bounded(rounded, lambda: f"round({self._brief()}, {ndigits})"), self.currency, self.period)

    def _brief(self, *, period: bool = True) -> str:
        """The amount as error messages show it: like `str`, but a very long amount is cut."""
        text = f"{shorten(f'{self.amount:f}')} {self.currency}"
        return f"{text} over {self.period}" if period else text

    def __str__(self) -> str:
        """Return ``<amount> <currency> over <period label>``, every digit kept, no exponent."""
        return f"{self.amount:f} {self.currency} over {self.period}"

    def __repr__(self) -> str:
        """Return a constructor call that evaluates back to an equal amount."""
        return f"Money('{EXACT.to_sci_string(self.amount)}', '{self.currency}', {self.period!r})"

    def __format__(self, spec: str) -> str:
        """Format the amount alone with a numeric format spec, as `Decimal` does: exactly, never via float.

        An empty spec gives `str` (amount, currency and period). Any other spec formats
        just the number, so that ``f"{capex:,.0f} {capex.currency}"`` says what it shows;
        rounding is half to even, whatever the caller's decimal context. A spec that
        `Decimal` does not accept is an `InvalidValueError` naming it.

        Examples:
            >>> import capexmodel as cm
            >>> capex = cm.Money("77700000000", "USD", cm.CalendarYear(2024))
            >>> format(capex, ",.0f"), f"{capex / 10**9:.1f} bn {capex.currency}"
            ('77,700,000,000', '77.7 bn USD')
            >>> f"{capex}"
            '77700000000 USD over 2024'
        """
        if not spec:
            return str(self)
        try:
            with decimal.localcontext(EXACT):
                return format(self.amount, spec)
        except (ValueError, TypeError):
            msg = f"{show(spec)} is not a format spec for a Decimal amount (for example ',.0f' or '.2%')"
            raise InvalidValueError(msg) from None

    def _repr_html_(self) -> str:
        """The amount, currency and period as a one-row HTML table (for notebooks)."""
        return html(money_view(self))

    def _repr_markdown_(self) -> str:
        """The amount, currency and period as a one-row Markdown table (for notebooks)."""
        return markdown(money_view(self))


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


@public
def total(
    amounts: Iterable[Money],
    *,
    currency: str | None = None,
    period: Period | None = None,
) -> Money:
    """Add many amounts of one currency over one period, exactly and fast.

    Every amount must share the currency and the period; the check is done once for
    the whole list, then the Decimals are added. An empty list gives zero only when
    `currency` and `period` say what zero; when given, they are also checked against
    every amount.

    Args:
        amounts: The amounts to add.
        currency: The currency every amount must be in (an ISO 4217 code); needed for
            an empty list.
        period: The period every amount must be over; needed for an empty list.

    Returns:
        The sum, in the amounts' currency over their period.

    Raises:
        InvalidValueError: `amounts` is not an iterable, or is empty without both
            `currency` and `period`.
        InvalidAmountError: An item is not a `Money`, or the sum reaches 1e1000.
        CurrencyMismatchError: The amounts' currencies differ (or differ from `currency`).
        PeriodMismatchError: The amounts' periods differ (or differ from `period`).

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.total([cm.Money("777", "USD", y24), cm.Money("756", "USD", y24)])
        Money('1533', 'USD', Period.parse('2024'))
        >>> cm.total([], currency="CNY", period=y24)
        Money('0', 'CNY', Period.parse('2024'))
    """
    items = amounts if isinstance(amounts, list | tuple) else _listed(amounts, "total()")
    if not items:
        if currency is None or period is None:
            msg = "total() of no amounts needs currency= and period= to say what zero is"
            raise InvalidValueError(msg)
        return Money(0, currency, period)
    first = items[0]
    if type(first) is not Money:
        _check_all_money(items, "total()")
    want_currency = first.currency if currency is None else Currency(currency)
    want_period = first.period if period is None else _intern_period(period)
    # One pass: currencies and periods are interned, so a list that matches passes on
    # identity alone. Anything else (an error, or an equal period that was not shared)
    # takes the careful path, which finds the culprit or confirms the match by equality.
    count = len(items)
    decimals = [
        item.amount
        for item in items
        if item.__class__ is Money and item.currency is want_currency and item.period is want_period
    ]
    if len(decimals) != count:
        _check_all_alike(items, want_currency, want_period)
        decimals = [item.amount for item in items]
    with decimal.localcontext(EXACT):
        amount = sum(decimals, Decimal(0))
    amount = _check_sum(amount, lambda: f"the total of {count} amounts in {want_currency} over {want_period}")
    return _money(amount, want_currency, want_period)


def _check_all_alike(items: list[Money] | tuple[Money, ...], currency: Currency, period: Period) -> None:
    """Raise for the first amount that is not Money in `currency` over `period`."""
    _check_all_money(items, "total()")
    for item in items:
        if item.currency != currency:
            msg = f"total() adds amounts in {currency}, got {item._brief()}"
            raise CurrencyMismatchError(msg)
        if item.period != period:
            msg = f"total() adds amounts over {period}, got {item._brief()}"
            raise PeriodMismatchError(msg)


def _listed(amounts: Iterable[Money], caller: str) -> list[Money]:
    try:
        return list(amounts)
    except TypeError:
        msg = f"{caller} takes an iterable of Money, got {show(amounts)}"
        raise InvalidValueError(msg) from None


def _check_all_money(items: list[Money] | tuple[Money, ...], caller: str) -> None:
    if list(map(type, items)).count(Money) != len(items):
        wrong = next(item for item in items if type(item) is not Money)
        msg = f"{caller} adds Money, got {show(wrong)}"
        raise InvalidAmountError(msg)


@public
def combine_periods(amounts: Iterable[Money]) -> Money:
    """Add amounts over adjacent, non-overlapping periods into one amount over their union.

    This is how four fiscal quarters become the fiscal year. The amounts must share
    a currency; their periods, in any order, must tile one span with no gap and no
    overlap.

    Args:
        amounts: The amounts to add, in any order.

    Returns:
        The sum, over the span the periods tile.

    Raises:
        InvalidValueError: `amounts` is not an iterable, or is empty.
        InvalidAmountError: An item is not a `Money`, or the sum reaches 1e1000.
        CurrencyMismatchError: The amounts' currencies differ.
        PeriodMismatchError: Two periods overlap, or leave a gap (named in the message).

    Examples:
        >>> import capexmodel as cm
        >>> oracle = cm.FiscalCalendar(year_end_month=5)
        >>> quarters = [cm.Money(amount, "USD", oracle.quarter(2025, q))
        ...             for q, amount in zip((1, 2, 3, 4), ("2303", "3970", "5862", "9080"))]
        >>> cm.combine_periods(quarters)
        Money('21215', 'USD', Period.parse('2024-06/2025-05'))
    """
    items = _listed(amounts, "combine_periods()")
    if not items:
        msg = "combine_periods() needs at least one amount"
        raise InvalidValueError(msg)
    _check_all_money(items, "combine_periods()")
    items.sort(key=lambda item: (item.period.start, item.period.end))
    for earlier, later in itertools.pairwise(items):
        if earlier.currency != later.currency:
            msg = f"cannot combine {earlier._brief()} and {later._brief()}: currencies differ (convert one first)"
            raise CurrencyMismatchError(msg)
        if earlier.period.overlaps(later.period):
            msg = f"cannot combine {earlier._brief()} and {later._brief()}: their periods overlap"
            raise PeriodMismatchError(msg)
        if not earlier.period.is_adjacent_to(later.period):
            gap = Period._from_indices(earlier.period._last + 1, later.period._first - 1)
            msg = f"cannot combine {earlier._brief()} and {later._brief()}: no amount covers {gap}"
            raise PeriodMismatchError(msg)
    with decimal.localcontext(EXACT):
        amount = sum([item.amount for item in items], Decimal(0))
    union = _intern_period(Period(items[0].period.start, items[-1].period.end))
    amount = _check_sum(amount, lambda: f"the sum of {len(items)} amounts in {items[0].currency} over {union}")
    return _money(amount, items[0].currency, union)
