"""Exchange rates and conversion: direct, inverse, cross and month-weighted blends."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, final

import attrs

from capexmodel._currency import Currency
from capexmodel._errors import (
    AmbiguousRateError,
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidValueError,
    MissingRateError,
    PeriodMismatchError,
    show,
)
from capexmodel._money import Money, _bounded, _divide, _money, _multiply, _to_decimal
from capexmodel._period import Period, _month_runs
from capexmodel._provenance import Source, merge_sources

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Conversion", "ConversionStep", "ExchangeRate", "RateTable", "RateUse"]


def _to_rate(value: object) -> Decimal:
    rate = _to_decimal(value, "rate")
    if rate <= 0:
        msg = f"a rate is positive, got {show(value)}"
        raise InvalidAmountError(msg)
    return rate


def _check_window(_: ExchangeRate, __: attrs.Attribute[Period], window: Period) -> None:
    if not isinstance(window, Period):
        msg = f"a rate's window is a capexmodel.Period (for example cm.CalendarYear(2024)), got {show(window)}"
        raise InvalidValueError(msg)


def _check_source(_: object, __: attrs.Attribute[Source | None], source: Source | None) -> None:
    if source is not None and not isinstance(source, Source):
        msg = f"source must be a capexmodel.Source or None, got {show(source)}"
        raise InvalidValueError(msg)


@final
@attrs.frozen(repr=False)
class ExchangeRate:
    """One `base` is worth `rate` `quote`, on average over the period `window`.

    The rate is an exact positive `Decimal` (ints, Decimals and numeric strings are
    accepted, floats refused, as for `Money`).

    Examples:
        >>> import capexmodel as cm
        >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
        >>> str(rate)
        '1 USD = 7.230 CNY, average over 2024'
    """

    base: Currency = attrs.field(converter=Currency)
    """The currency of which one unit is priced."""

    quote: Currency = attrs.field(converter=Currency)
    """The currency the price is in."""

    rate: Decimal = attrs.field(converter=_to_rate)
    """How many `quote` one `base` is worth."""

    window: Period = attrs.field(validator=_check_window)
    """The period the rate is an average over."""

    source: Source | None = attrs.field(default=None, validator=_check_source)
    """Where the rate comes from."""

    def __attrs_post_init__(self) -> None:
        """Refuse a rate from a currency to itself."""
        if self.base == self.quote:
            msg = f"a rate converts between two currencies, got {self.base} to {self.quote}"
            raise InvalidValueError(msg)

    def __str__(self) -> str:
        """Return ``1 USD = 7.230 CNY, average over 2024``."""
        return f"1 {self.base} = {self.rate:f} {self.quote}, average over {self.window}"

    def __repr__(self) -> str:
        """Return a constructor call that evaluates back to an equal rate."""
        source = "" if self.source is None else f", source={self.source!r}"
        return f"ExchangeRate('{self.base}', '{self.quote}', '{self.rate}', {self.window!r}{source})"


@final
@attrs.frozen
class RateUse:
    """One stored rate as a conversion uses it: as stored or inverted, for a share of the months.

    Examples:
        >>> import capexmodel as cm
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
        >>> use, = rates.conversion("CNY", "USD", cm.CalendarYear(2024)).steps[0].uses
        >>> use.inverted, use.factor
        (True, Fraction(100, 723))
    """

    rate: ExchangeRate
    """The stored rate."""

    inverted: bool
    """Whether the conversion goes from the rate's quote to its base (dividing by the rate)."""

    weight: Fraction = Fraction(1)
    """The share of the period's months this rate is used for: 1 unless blended."""

    @property
    def factor(self) -> Fraction:
        """The exact multiplier this rate gives, before weighting: the rate or its inverse."""
        rate = Fraction(self.rate.rate)
        return 1 / rate if self.inverted else rate


@final
@attrs.frozen
class ConversionStep:
    """One hop of a conversion, from `base` to `quote`, with the rates it uses.

    Examples:
        >>> import capexmodel as cm
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
        >>> step, = rates.conversion("USD", "CNY", cm.CalendarYear(2024)).steps
        >>> step.factor
        Fraction(723, 100)
    """

    base: Currency
    """The currency this hop converts from."""

    quote: Currency
    """The currency this hop converts to."""

    uses: tuple[RateUse, ...]
    """The rates used: one, or several weighted by months in a blend."""

    @property
    def factor(self) -> Fraction:
        """The exact multiplier of this hop: the weighted sum of its rates' factors."""
        return sum((use.weight * use.factor for use in self.uses), Fraction(0))


@final
@attrs.frozen
class Conversion:
    """How an amount over `period` converts from `base` to `quote`: the rates and the route.

    `method` names the route (``"identity"``, ``"direct"``, ``"inverse"`` or
    ``"cross"``); `blended` says whether any hop is a month-weighted blend.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
        >>> conversion = rates.conversion("CNY", "USD", y24)
        >>> conversion.method, conversion.factor
        ('inverse', Fraction(100, 723))
        >>> conversion.apply(cm.Money("80000000000", "CNY", y24))
        Money('11065006915.62932226832641770', 'USD', Period.parse('2024'))
    """

    base: Currency
    """The currency converted from."""

    quote: Currency
    """The currency converted to."""

    period: Period
    """The period of the amounts this conversion applies to."""

    steps: tuple[ConversionStep, ...]
    """The hops, in order: none for the identity, one for a direct or inverse rate, two for a cross."""

    @property
    def method(self) -> Literal["identity", "direct", "inverse", "cross"]:
        """The route: ``"identity"``, ``"direct"``, ``"inverse"`` or ``"cross"``."""
        if not self.steps:
            return "identity"
        if len(self.steps) > 1:
            return "cross"
        return "inverse" if all(use.inverted for use in self.steps[0].uses) else "direct"

    @property
    def blended(self) -> bool:
        """Whether any hop blends several rates, weighted by months."""
        return any(len(step.uses) > 1 for step in self.steps)

    @property
    def factor(self) -> Fraction:
        """The exact multiplier from `base` to `quote`: the product of the hops' factors."""
        factor = Fraction(1)
        for step in self.steps:
            factor *= step.factor
        return factor

    @property
    def rate(self) -> Decimal:
        """`factor` as a Decimal: exact when it terminates, otherwise rounded in the active context."""
        return _divide(Decimal(self.factor.numerator), Decimal(self.factor.denominator))

    @property
    def rates(self) -> tuple[ExchangeRate, ...]:
        """Every stored rate the conversion uses, in order."""
        return tuple(use.rate for step in self.steps for use in step.uses)

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the rates used, each once."""
        return merge_sources(rate.source for rate in self.rates if rate.source is not None)

    def apply(self, money: Money) -> Money:
        """Convert `money`, which must be in `base` over `period`.

        The exact product is kept when it terminates; otherwise it is rounded once,
        to the active decimal context's precision and rounding mode.
        """
        if not isinstance(money, Money):
            msg = f"apply() converts Money, got {show(money)}"
            raise InvalidValueError(msg)
        if money.currency != self.base:
            msg = f"this conversion is from {self.base}, got {money._brief()}"
            raise CurrencyMismatchError(msg)
        if money.period != self.period:
            msg = f"this conversion is over {self.period}, got {money._brief()}"
            raise PeriodMismatchError(msg)
        if not self.steps:
            return money
        if len(self.steps) == 1 and len(self.steps[0].uses) == 1:  # one stored rate: Decimal arithmetic
            use = self.steps[0].uses[0]
            operation = _divide if use.inverted else _multiply
            amount = operation(money.amount, use.rate.rate)
        else:
            factor = self.factor
            amount = _divide(_multiply(money.amount, Decimal(factor.numerator)), Decimal(factor.denominator))
        amount = _bounded(amount, lambda: f"{money._brief()} in {self.quote}")
        return _money(amount, self.quote, money.period)

    def __str__(self) -> str:
        """Describe the route and every rate used."""
        if not self.steps:
            return f"{self.base} over {self.period} needs no conversion"
        hops = "; then ".join(_describe_step(step) for step in self.steps)
        return f"{self.base} to {self.quote} over {self.period} ({self.method}): {hops}"


def _describe_step(step: ConversionStep) -> str:
    def describe(use: RateUse) -> str:
        text = f"the inverse of {use.rate}" if use.inverted else str(use.rate)
        return text if use.weight == 1 else f"{use.weight} of ({text})"

    return " + ".join(describe(use) for use in step.uses)


def _to_rates(rates: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    try:
        items = tuple(rates)
    except TypeError:
        msg = f"a RateTable takes an iterable of ExchangeRate, got {show(rates)}"
        raise InvalidValueError(msg) from None
    for rate in items:
        if not isinstance(rate, ExchangeRate):
            msg = f"a RateTable holds ExchangeRate values, got {show(rate)}"
            raise InvalidValueError(msg)
    return items


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@final
@attrs.frozen
class RateTable:
    """A set of exchange rates that converts `Money` explicitly and traceably.

    A conversion uses the stored rate, in either direction, with the narrowest window
    that covers the amount's period; failing that, a cross rate through the one
    currency that links the two (or the one named by ``via=``). Nothing covers the
    period: `MissingRateError`, unless ``blend=True`` accepts a month-weighted blend
    of the rates whose windows cover its months. Two equally narrow candidates:
    `AmbiguousRateError`. At most one rate per pair of currencies and window.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
        >>> rates.convert(cm.Money("80000000000", "CNY", y24), "USD")
        Money('11065006915.62932226832641770', 'USD', Period.parse('2024'))
        >>> rates.convert(cm.Money("777", "USD", y24), "CNY")
        Money('5617.710', 'CNY', Period.parse('2024'))
    """

    rates: tuple[ExchangeRate, ...] = attrs.field(converter=_to_rates)
    """The stored rates, in the order given."""

    _by_pair: dict[tuple[str, str], tuple[ExchangeRate, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Index the rates by pair of currencies, refusing two for one pair and window."""
        by_pair: dict[tuple[str, str], list[ExchangeRate]] = {}
        for rate in self.rates:
            group = by_pair.setdefault(_pair(rate.base, rate.quote), [])
            clash = next((other for other in group if other.window == rate.window), None)
            if clash is not None:
                msg = f"two rates for {rate.base}/{rate.quote} over {rate.window}: {clash} and {rate}"
                raise InvalidValueError(msg)
            group.append(rate)
        object.__setattr__(self, "_by_pair", {pair: tuple(group) for pair, group in by_pair.items()})

    def convert(self, money: Money, currency: str, *, blend: bool = False, via: str | None = None) -> Money:
        """Convert `money` to `currency` (see `RateTable.conversion` for which rates are used).

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
            >>> rates.convert(cm.Money("800", "CNY", cm.CalendarQuarter(2024, 3)), "CNY")
            Money('800', 'CNY', Period.parse('2024-Q3'))
        """
        if not isinstance(money, Money):
            msg = f"convert() converts Money, got {show(money)}"
            raise InvalidValueError(msg)
        return self.conversion(money.currency, currency, money.period, blend=blend, via=via).apply(money)

    def conversion(
        self, base: str, quote: str, period: Period, *, blend: bool = False, via: str | None = None
    ) -> Conversion:
        """Find how to convert amounts over `period` from `base` to `quote`, and say so.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([
            ...     cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarYear(2023)),
            ...     cm.ExchangeRate("USD", "CNY", "7.2", cm.CalendarYear(2024)),
            ... ])
            >>> alibaba_fy2024 = cm.FiscalCalendar(year_end_month=3).year(2024)
            >>> conversion = rates.conversion("USD", "CNY", alibaba_fy2024, blend=True)
            >>> conversion.blended, conversion.rate
            (True, Decimal('7.125'))
        """
        base, quote = Currency(base), Currency(quote)
        if not isinstance(period, Period):
            msg = f"conversion() takes a Period, got {show(period)}"
            raise InvalidValueError(msg)
        if base == quote:
            return Conversion(base, quote, period, ())
        if via is not None:
            hub = Currency(via)
            if hub in {base, quote}:
                msg = f"via={via!r} must differ from both currencies, {base} and {quote}"
                raise InvalidValueError(msg)
            steps = (self._step(base, hub, period, blend=blend), self._step(hub, quote, period, blend=blend))
            return Conversion(base, quote, period, steps)
        if _pair(base, quote) in self._by_pair:
            return Conversion(base, quote, period, (self._step(base, quote, period, blend=blend),))
        return self._cross(base, quote, period, blend=blend)

    def _cross(self, base: Currency, quote: Currency, period: Period, *, blend: bool) -> Conversion:
        hubs = sorted(
            {c for pair in self._by_pair if base in pair for c in pair if c != base}
            & {c for pair in self._by_pair if quote in pair for c in pair if c != quote}
        )
        routes: list[Conversion] = []
        failures: list[str] = []
        for hub in hubs:
            link = Currency(hub)
            try:
                steps = (self._step(base, link, period, blend=blend), self._step(link, quote, period, blend=blend))
            except MissingRateError as error:
                failures.append(str(error))
                continue
            routes.append(Conversion(base, quote, period, steps))
        if len(routes) == 1:
            return routes[0]
        if routes:
            names = ", ".join(route.steps[0].quote for route in routes)
            msg = f"{base} converts to {quote} over {period} through {names}: pass via= to choose one"
            raise AmbiguousRateError(msg)
        what = f"no rate converts {base} to {quote} over {period}"
        if failures:
            msg = f"{what}: the table has no {base}/{quote} rate, and no cross route works: " + "; ".join(failures)
        else:
            msg = f"{what}: the table has no {base}/{quote} rate and no currency links them"
        raise MissingRateError(msg)

    def _step(self, base: Currency, quote: Currency, period: Period, *, blend: bool) -> ConversionStep:
        candidates = self._by_pair.get(_pair(base, quote), ())
        if not candidates:
            msg = f"no rate converts {base} to {quote} over {period}: the table has no {base}/{quote} rate"
            raise MissingRateError(msg)
        covering = [rate for rate in candidates if rate.window.contains(period)]
        if covering:
            rate = _narrowest(covering, f"{base}/{quote} over {period}")
            return ConversionStep(base, quote, (RateUse(rate, inverted=rate.base != base),))
        windows = ", ".join(str(rate.window) for rate in sorted(candidates, key=_window_key))
        if not blend:
            msg = (
                f"no {base}/{quote} rate covers {period}; the table's {base}/{quote} rates cover {windows}"
                " (pass blend=True to accept a month-weighted blend of the rates that cover its months)"
            )
            raise MissingRateError(msg)
        return ConversionStep(base, quote, _blend(candidates, base, period, windows))


def _window_key(rate: ExchangeRate) -> tuple[object, ...]:
    return (rate.window.start, rate.window.end)


def _narrowest(rates: list[ExchangeRate], what: str) -> ExchangeRate:
    shortest = min(rate.window.month_count for rate in rates)
    narrowest = [rate for rate in rates if rate.window.month_count == shortest]
    if len(narrowest) > 1:
        msg = f"several rates fit {what} equally well: " + "; ".join(map(str, narrowest))
        raise AmbiguousRateError(msg)
    return narrowest[0]


def _blend(candidates: tuple[ExchangeRate, ...], base: Currency, period: Period, windows: str) -> tuple[RateUse, ...]:
    """Weight, for each month of `period`, the narrowest rate covering it; refuse uncovered months."""
    months: dict[ExchangeRate, int] = {}
    uncovered: list[int] = []
    for index in range(period._first, period._last + 1):
        month = Period._from_indices(index, index)
        covering = [rate for rate in candidates if rate.window.contains(month)]
        if not covering:
            uncovered.append(index)
            continue
        rate = _narrowest(covering, f"{covering[0].base}/{covering[0].quote} over {month}")
        months[rate] = months.get(rate, 0) + 1
    if uncovered:
        gaps = ", ".join(map(str, _month_runs(uncovered)))
        pair = f"{candidates[0].base}/{candidates[0].quote}"
        msg = f"no blend of {pair} rates covers {period}: they cover {windows}, leaving out {gaps}"
        raise MissingRateError(msg)
    total = period.month_count
    return tuple(
        RateUse(rate, inverted=rate.base != base, weight=Fraction(count, total))
        for rate, count in sorted(months.items(), key=lambda item: _window_key(item[0]))
    )
