"""Exchange rates and conversion: direct, inverse, cross and month-weighted blends."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, final

import attrs

from capexmodel._context import EXACT
from capexmodel._currency import Currency
from capexmodel._display import conversion_view, html, markdown
from capexmodel._errors import (
    AmbiguousRateError,
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidValueError,
    MissingRateError,
    PeriodMismatchError,
    show,
)
from capexmodel._lazy import public
from capexmodel._money import Money, _bounded, _divide, _money, _multiply, _to_decimal
from capexmodel._period import Period, _month_runs
from capexmodel._provenance import Source, merge_sources
from capexmodel._validators import instance_of, list_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Conversion", "ConversionSegment", "ExchangeRate", "RateTable", "RateUse"]


def _to_rate(value: Decimal | int | str) -> Decimal:
    rate = _to_decimal(value, "rate")
    if rate <= 0:
        msg = f"a rate is positive, got {show(value)}"
        raise InvalidAmountError(msg)
    return rate


@public
@final
@attrs.frozen(repr=False)
class ExchangeRate:
    """One `base` is worth `rate` `quote`, on average over the period `window`.

    The rate is an exact positive `Decimal` (ints, Decimals and numeric strings are
    accepted, floats refused, as for `Money`).

    Attributes:
        base: The currency of which one unit is priced: a `Currency`, or its code.
        quote: The currency the price is in: a `Currency`, or its code.
        rate: How many `quote` one `base` is worth; an int, a `Decimal` or a numeric
            string, which the constructor converts to a `Decimal`.
        window: The `Period` the rate is an average over.
        source: Where the rate comes from, a `Source`; None by default.

    Raises:
        UnknownCurrencyError: `base` or `quote` is not an ISO 4217 code.
        InvalidAmountError: `rate` is not an exact number, or not positive.
        InvalidValueError: `base` and `quote` are the same currency, `window` is not a
            `Period`, or `source` not a `Source`.

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

    window: Period = attrs.field(validator=instance_of(Period, "a capexmodel.Period"))
    """The period the rate is an average over."""

    source: Source | None = attrs.field(
        default=None, validator=instance_of(Source, "a capexmodel.Source", optional=True)
    )
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
        rate = EXACT.to_sci_string(self.rate)
        return f"ExchangeRate('{self.base}', '{self.quote}', '{rate}', {self.window!r}{source})"


@public
@final
@attrs.frozen
class RateUse:
    """One stored rate as a conversion uses it: as stored, or inverted (dividing by it).

    Attributes:
        rate: The stored `ExchangeRate`.
        inverted: Whether the conversion goes from the rate's quote to its base.

    Raises:
        InvalidValueError: `rate` is not an `ExchangeRate`, or `inverted` not a bool.

    Examples:
        >>> import capexmodel as cm
        >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
        >>> use = cm.RateUse(rate, inverted=True)
        >>> use.base, use.quote, use.factor
        (Currency('CNY'), Currency('USD'), Fraction(100, 723))
    """

    rate: ExchangeRate = attrs.field(validator=instance_of(ExchangeRate, "an ExchangeRate"))
    """The stored rate."""

    inverted: bool = attrs.field(validator=instance_of(bool, "True or False"))
    """Whether the conversion goes from the rate's quote to its base."""

    @property
    def base(self) -> Currency:
        """The currency this use converts from.

        Examples:
            >>> import capexmodel as cm
            >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
            >>> cm.RateUse(rate, inverted=False).base, cm.RateUse(rate, inverted=True).base
            (Currency('USD'), Currency('CNY'))
        """
        return self.rate.quote if self.inverted else self.rate.base

    @property
    def quote(self) -> Currency:
        """The currency this use converts to.

        Examples:
            >>> import capexmodel as cm
            >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
            >>> cm.RateUse(rate, inverted=False).quote, cm.RateUse(rate, inverted=True).quote
            (Currency('CNY'), Currency('USD'))
        """
        return self.rate.base if self.inverted else self.rate.quote

    @property
    def factor(self) -> Fraction:
        """The exact multiplier: the rate, or its inverse.

        Examples:
            >>> import capexmodel as cm
            >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
            >>> cm.RateUse(rate, inverted=False).factor, cm.RateUse(rate, inverted=True).factor
            (Fraction(723, 100), Fraction(100, 723))
        """
        rate = Fraction(self.rate.rate)
        return 1 / rate if self.inverted else rate

    def inverse(self) -> RateUse:
        """The same rate used the other way round.

        Returns:
            The use of the same rate, inverted if this one is not, and not if it is.

        Examples:
            >>> import capexmodel as cm
            >>> rate = cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))
            >>> cm.RateUse(rate, inverted=False).inverse().inverted
            True
        """
        return RateUse(self.rate, inverted=not self.inverted)

    def __str__(self) -> str:
        """Describe the rate and the direction it is used in."""
        return f"the inverse of {self.rate}" if self.inverted else str(self.rate)


def _to_uses(value: Iterable[RateUse]) -> tuple[RateUse, ...]:
    uses = tuple_of(value, RateUse, "uses")
    for earlier, later in itertools.pairwise(uses):
        if earlier.quote != later.base:
            msg = f"the rates of a segment must chain, but {earlier} is followed by {later}"
            raise InvalidValueError(msg)
    return uses


@public
@final
@attrs.frozen
class ConversionSegment:
    """A run of months converted along one route: one `RateUse` per hop, chained.

    A plain conversion has one segment covering its whole period; a blend has one
    segment per run of months that the same rates cover.

    Attributes:
        months: The `Period` this segment converts.
        uses: The `RateUse` of each hop, chained (each converts to the currency the next
            converts from): none for the identity, one direct or inverted, two for a cross.

    Raises:
        InvalidValueError: `months` is not a `Period`, an item of `uses` is not a
            `RateUse`, or the uses do not chain.

    Examples:
        >>> import capexmodel as cm
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
        >>> segment, = rates.conversion("USD", "CNY", cm.CalendarQuarter(2024, 3)).segments
        >>> str(segment.months), segment.factor
        ('2024-Q3', Fraction(723, 100))
    """

    months: Period = attrs.field(validator=instance_of(Period, "a Period"))
    """The months this segment converts."""

    uses: tuple[RateUse, ...] = attrs.field(converter=_to_uses)
    """The rates used, hop by hop: none for the identity, one direct or inverted, two for a cross."""

    @property
    def factor(self) -> Fraction:
        """The exact multiplier of this route: the product of its rates' factors.

        Examples:
            >>> import capexmodel as cm
            >>> y24 = cm.CalendarYear(2024)
            >>> usd_cny = cm.RateUse(cm.ExchangeRate("USD", "CNY", "7.2", y24), inverted=False)
            >>> cny_hkd = cm.RateUse(cm.ExchangeRate("HKD", "CNY", "0.9", y24), inverted=True)
            >>> cm.ConversionSegment(y24, (usd_cny, cny_hkd)).factor
            Fraction(8, 1)
        """
        factor = Fraction(1)
        for use in self.uses:
            factor *= use.factor
        return factor

    def inverse(self) -> ConversionSegment:
        """The same route walked backwards.

        Returns:
            The segment over the same months whose uses are these, inverted, in reverse order.

        Examples:
            >>> import capexmodel as cm
            >>> y24 = cm.CalendarYear(2024)
            >>> usd_cny = cm.RateUse(cm.ExchangeRate("USD", "CNY", "7.2", y24), inverted=False)
            >>> cm.ConversionSegment(y24, (usd_cny,)).inverse().factor
            Fraction(5, 36)
        """
        return ConversionSegment(self.months, tuple(use.inverse() for use in reversed(self.uses)))

    def __str__(self) -> str:
        """Describe the route."""
        return "; then ".join(map(str, self.uses)) if self.uses else "no conversion"


def _to_segments(value: Iterable[ConversionSegment]) -> tuple[ConversionSegment, ...]:
    return tuple_of(value, ConversionSegment, "segments", non_empty=True)


Method = Literal["identity", "direct", "inverse", "cross", "blend"]


@public
@final
@attrs.frozen
class Conversion:
    """How amounts over `period` convert from `base` to `quote`: the route and every rate used.

    `method` says how: ``"identity"`` (same currency), ``"direct"`` (a stored rate),
    ``"inverse"`` (a stored rate the other way round), ``"cross"`` (through a third
    currency, `via`) or ``"blend"`` (month-weighted, one `ConversionSegment` per run
    of months with the same rates). `RateTable.conversion` builds them.

    Attributes:
        base: The currency converted from: a `Currency`, or its code.
        quote: The currency converted to: a `Currency`, or its code.
        period: The `Period` of the amounts this conversion applies to.
        segments: One or more `ConversionSegment`, in order, that together cover `period`,
            each with a route from `base` to `quote`.

    Raises:
        UnknownCurrencyError: `base` or `quote` is not an ISO 4217 code.
        InvalidValueError: `period` is not a `Period`, `segments` is empty or holds
            something else, the segments do not tile the period in order, or a route
            does not go from `base` to `quote`.

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

    base: Currency = attrs.field(converter=Currency)
    """The currency converted from."""

    quote: Currency = attrs.field(converter=Currency)
    """The currency converted to."""

    period: Period = attrs.field(validator=instance_of(Period, "a Period"))
    """The period of the amounts this conversion applies to."""

    segments: tuple[ConversionSegment, ...] = attrs.field(converter=_to_segments)
    """Runs of months, in order, that together cover `period`, each with its route."""

    def __attrs_post_init__(self) -> None:
        """Check that the segments tile the period and every route goes from base to quote."""
        expected_first = self.period._first
        for segment in self.segments:
            if segment.months._first != expected_first:
                msg = f"the segments of a conversion must tile {self.period} in order, got {segment.months} next"
                raise InvalidValueError(msg)
            expected_first = segment.months._last + 1
            ends = (segment.uses[0].base, segment.uses[-1].quote) if segment.uses else (self.base, self.base)
            if ends != (self.base, self.quote):
                msg = f"every route must go from {self.base} to {self.quote}, got {ends[0]} to {ends[1]}"
                raise InvalidValueError(msg)
        if self.segments[-1].months.end != self.period.end:
            msg = f"the segments of a conversion must tile {self.period}, but they end with {self.segments[-1].months}"
            raise InvalidValueError(msg)

    @property
    def method(self) -> Method:
        """How the conversion is made: identity, direct, inverse, cross or blend.

        Examples:
            >>> import capexmodel as cm
            >>> y24 = cm.CalendarYear(2024)
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.2", y24)])
            >>> rates.conversion("USD", "CNY", y24).method, rates.conversion("CNY", "USD", y24).method
            ('direct', 'inverse')
        """
        if len(self.segments) > 1:
            return "blend"
        uses = self.segments[0].uses
        if not uses:
            return "identity"
        if len(uses) > 1:
            return "cross"
        return "inverse" if uses[0].inverted else "direct"

    @property
    def via(self) -> Currency | None:
        """The currency a cross conversion goes through; None for any other route.

        Examples:
            >>> import capexmodel as cm
            >>> y24 = cm.CalendarYear(2024)
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.2", y24),
            ...                       cm.ExchangeRate("HKD", "CNY", "0.9", y24)])
            >>> rates.conversion("USD", "HKD", y24).via
            Currency('CNY')
        """
        uses = self.segments[0].uses
        return uses[0].quote if len(uses) > 1 else None

    @property
    def factor(self) -> Fraction:
        """The exact multiplier from `base` to `quote`: the month-weighted sum of the segments' factors.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
            >>> rates.conversion("CNY", "USD", cm.CalendarYear(2024)).factor
            Fraction(100, 723)
        """
        months = self.period.month_count
        return sum((Fraction(s.months.month_count, months) * s.factor for s in self.segments), Fraction(0))

    @property
    def rate(self) -> Decimal:
        """`factor` as a Decimal: exact when it terminates, otherwise rounded to 28 significant digits.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
            >>> rates.conversion("CNY", "USD", cm.CalendarYear(2024)).rate
            Decimal('0.1383125864453665283540802213')
        """
        return _divide(Decimal(self.factor.numerator), Decimal(self.factor.denominator))

    @property
    def rates(self) -> tuple[ExchangeRate, ...]:
        """Every stored rate the conversion uses, each once, in order.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
            >>> [str(rate) for rate in rates.conversion("CNY", "USD", cm.CalendarYear(2024)).rates]
            ['1 USD = 7.230 CNY, average over 2024']
        """
        return tuple(dict.fromkeys(use.rate for segment in self.segments for use in segment.uses))

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the rates used, each once.

        Examples:
            >>> import capexmodel as cm
            >>> y24, pboc = cm.CalendarYear(2024), cm.Source("PBOC", "Central parity rates")
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.1", y24, source=pboc)])
            >>> rates.conversion("CNY", "USD", y24).sources == (pboc,)
            True
        """
        return merge_sources(rate.source for rate in self.rates if rate.source is not None)

    def inverse(self) -> Conversion:
        """The conversion from `quote` back to `base`, along the same routes.

        For a single route the factors multiply to one; a blend's inverse weights the
        inverted factors by months, so it is not the reciprocal of the blend.

        Returns:
            The conversion from `quote` to `base` over the same period.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
            >>> rates.conversion("CNY", "USD", cm.CalendarYear(2024)).inverse().factor
            Fraction(723, 100)
        """
        return Conversion(self.quote, self.base, self.period, tuple(s.inverse() for s in self.segments))

    def apply(self, money: Money) -> Money:
        """Convert `money`, which must be in `base` over `period`.

        The exact result is kept when it terminates; otherwise it is rounded once, to 28
        significant digits, half to even, whatever the caller's decimal context.

        Args:
            money: The amount to convert.

        Returns:
            The amount in `quote`, over the same period.

        Raises:
            InvalidValueError: `money` is not a `Money`.
            CurrencyMismatchError: `money` is not in `base`.
            PeriodMismatchError: `money` is not over `period`.
            InvalidAmountError: The result reaches 1e1000.

        Examples:
            >>> import capexmodel as cm
            >>> y24 = cm.CalendarYear(2024)
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
            >>> rates.conversion("USD", "CNY", y24).apply(cm.Money("777", "USD", y24))
            Money('5617.710', 'CNY', Period.parse('2024'))
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
        uses = self.segments[0].uses
        if len(self.segments) == 1 and not uses:
            return money
        if len(self.segments) == 1 and len(uses) == 1:  # one stored rate: plain Decimal arithmetic
            operation = _divide if uses[0].inverted else _multiply
            amount = operation(money.amount, uses[0].rate.rate)
        else:
            factor = self.factor
            amount = _divide(_multiply(money.amount, Decimal(factor.numerator)), Decimal(factor.denominator))
        amount = _bounded(amount, lambda: f"{money._brief()} in {self.quote}")
        return _money(amount, self.quote, money.period)

    def __str__(self) -> str:
        """Describe the route and every rate used."""
        if self.method == "identity":
            return f"{self.base} over {self.period} needs no conversion"
        if len(self.segments) == 1:
            route = str(self.segments[0])
        else:
            months = self.period.month_count
            route = " + ".join(f"{Fraction(s.months.month_count, months)} of ({s})" for s in self.segments)
        return f"{self.base} to {self.quote} over {self.period} ({self.method}): {route}"

    def _repr_html_(self) -> str:
        """The route of each run of months and its exact factor, as an HTML table (for notebooks)."""
        return html(conversion_view(self))

    def _repr_markdown_(self) -> str:
        """The route of each run of months and its exact factor, as a Markdown table (for notebooks)."""
        return markdown(conversion_view(self))


def _to_rates(rates: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    return tuple(list_of(rates, ExchangeRate, "RateTable()"))


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


_BLEND_HINT = "pass blend=True to accept a month-weighted blend of the rates that cover its months"


@public
@final
@attrs.frozen
class RateTable:
    """A set of exchange rates that converts `Money` explicitly and traceably.

    To convert an amount over a period, the table tries in turn:

    1. a stored rate for the pair, used either way round, whose window covers the
       period (of several, the narrowest window);
    2. a cross rate through a third currency whose two rates cover the period (the
       one such currency, or the one named by ``via=``);
    3. only with ``blend=True``: the same, month by month, weighting each month's
       rates by the months they cover (direct first, then cross).

    Nothing fits: `MissingRateError`, naming the pair, the period and what the table
    has. Two equally good rates or routes: `AmbiguousRateError`. The table holds at
    most one rate per pair of currencies and window, either way round: a second one
    (even the same rate twice) is refused when the table is built.

    Attributes:
        rates: The stored `ExchangeRate` values, in the order given (any iterable of them).

    Raises:
        InvalidValueError: `rates` is not an iterable of `ExchangeRate`, or holds two
            rates for one pair of currencies and window.

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
        seen: dict[tuple[str, str, Period], ExchangeRate] = {}
        by_pair: dict[tuple[str, str], list[ExchangeRate]] = {}
        for rate in self.rates:
            pair = _pair(rate.base, rate.quote)
            clash = seen.get((*pair, rate.window))
            if clash is not None:
                shown = f"{rate}, given twice" if clash == rate else f"{clash} and {rate}"
                msg = f"two rates for {rate.base}/{rate.quote} over {rate.window}: {shown} (a table holds one)"
                raise InvalidValueError(msg)
            seen[(*pair, rate.window)] = rate
            by_pair.setdefault(pair, []).append(rate)
        object.__setattr__(self, "_by_pair", {pair: tuple(group) for pair, group in by_pair.items()})

    def convert(self, money: Money, currency: str, *, blend: bool = False, via: str | None = None) -> Money:
        """Convert `money` to `currency` (`RateTable.conversion` says which rates are used).

        Args:
            money: The amount to convert.
            currency: The currency to convert to (an ISO 4217 code).
            blend: Whether a month-weighted blend of rates may be used where no rate
                covers the whole period.
            via: The currency a cross conversion must go through; by default the one
                currency that links the two, if any.

        Returns:
            The amount in `currency`, over the same period.

        Raises:
            InvalidValueError: `money` is not a `Money`, `blend` not a bool, or `via` is
                one of the two currencies.
            UnknownCurrencyError: `currency` or `via` is not an ISO 4217 code.
            MissingRateError: No rate or route covers the period (nor its months, with
                ``blend=True``).
            AmbiguousRateError: Several rates or routes fit equally well.
            InvalidAmountError: The result reaches 1e1000.

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

        Args:
            base: The currency to convert from (an ISO 4217 code).
            quote: The currency to convert to (an ISO 4217 code).
            period: The period of the amounts to convert.
            blend: Whether a month-weighted blend of rates may be used where no rate
                covers the whole period.
            via: The currency a cross conversion must go through; by default the one
                currency that links the two, if any.

        Returns:
            The conversion: its route, its rates and its exact factor.

        Raises:
            InvalidValueError: `period` is not a `Period`, `blend` not a bool, or `via` is
                one of the two currencies.
            UnknownCurrencyError: A currency is not an ISO 4217 code.
            MissingRateError: No rate or route covers the period (nor its months, with
                ``blend=True``).
            AmbiguousRateError: Several rates or routes fit equally well.

        Examples:
            >>> import capexmodel as cm
            >>> rates = cm.RateTable([
            ...     cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarYear(2023)),
            ...     cm.ExchangeRate("USD", "CNY", "7.2", cm.CalendarYear(2024)),
            ... ])
            >>> alibaba_fy2024 = cm.FiscalCalendar(year_end_month=3).year(2024)
            >>> conversion = rates.conversion("USD", "CNY", alibaba_fy2024, blend=True)
            >>> conversion.method, conversion.rate
            ('blend', Decimal('7.125'))
        """
        base, quote = Currency(base), Currency(quote)
        if not isinstance(period, Period):
            msg = f"conversion() takes a Period, got {show(period)}"
            raise InvalidValueError(msg)
        if not isinstance(blend, bool):
            msg = f"blend must be True or False, got {show(blend)}"
            raise InvalidValueError(msg)
        if base == quote:
            return Conversion(base, quote, period, (ConversionSegment(period, ()),))
        if via is not None:
            hub = Currency(via)
            if hub in {base, quote}:
                msg = f"via={via!r} must differ from both currencies, {base} and {quote}"
                raise InvalidValueError(msg)
            routes: list[tuple[Currency, ...]] = [(base, hub, quote)]
        else:
            hubs = sorted(self._linked(base) & self._linked(quote))
            routes = [(base, quote), *((base, Currency(hub), quote) for hub in hubs)]
        return self._find(routes, period, blend=blend)

    def _linked(self, currency: Currency) -> set[str]:
        return {other for pair in self._by_pair if currency in pair for other in pair if other != currency}

    def _find(self, routes: list[tuple[Currency, ...]], period: Period, *, blend: bool) -> Conversion:
        """The first kind of conversion that works: covering direct, covering cross, then blends."""
        direct: list[tuple[Currency, ...]] = [route for route in routes if len(route) == 2]  # noqa: PLR2004
        crosses: list[tuple[Currency, ...]] = [route for route in routes if len(route) == 3]  # noqa: PLR2004
        reasons: list[str] = []
        kinds: list[tuple[str, list[tuple[Currency, ...]]]] = [("cover", direct), ("cover", crosses)]
        if blend:
            kinds += [("blend", direct), ("blend", crosses)]
        for kind, group in kinds:
            found: list[Conversion] = []
            for route in group:
                try:
                    found.append(self._route(route, period, blend=kind == "blend"))
                except MissingRateError as missing:
                    reasons.append(f"through {route[1]}: {missing}" if len(route) > 2 else str(missing))  # noqa: PLR2004
            if len(found) > 1:
                names = ", ".join(str(conversion.via) for conversion in found)
                base, quote = routes[0][0], routes[0][-1]
                msg = f"{base} converts to {quote} over {period} through {names}: pass via= to choose one"
                raise AmbiguousRateError(msg)
            if found:
                return found[0]
        base, quote = routes[0][0], routes[0][-1]
        if not crosses and _pair(base, quote) not in self._by_pair:
            reasons.append("no currency links them")
        hint = f"; {_BLEND_HINT}" if not blend and self._partly_covered(routes, period) else ""
        msg = f"no rate converts {base} to {quote} over {period}: " + "; ".join(dict.fromkeys(reasons)) + hint
        raise MissingRateError(msg)

    def _partly_covered(self, routes: list[tuple[Currency, ...]], period: Period) -> bool:
        """Whether some route has, for each hop, rates over part of `period` (so a blend could help)."""
        return any(
            all(
                any(rate.window.overlaps(period) for rate in self._by_pair.get(_pair(base, quote), ()))
                for base, quote in itertools.pairwise(route)
            )
            for route in routes
        )

    def _route(self, route: tuple[Currency, ...], period: Period, *, blend: bool) -> Conversion:
        """Convert along `route` (base, [hub,] quote) with rates covering `period`, or blended by month."""
        hops = list(itertools.pairwise(route))
        if not blend:
            uses = tuple(self._covering(base, quote, period) for base, quote in hops)
            return Conversion(route[0], route[-1], period, (ConversionSegment(period, uses),))
        by_month = [self._month_by_month(base, quote, period) for base, quote in hops]
        segments = []
        first = period._first
        for _, run in itertools.groupby(range(period.month_count), key=lambda i: tuple(m[i] for m in by_month)):
            months = list(run)
            rates = [month_rates[months[0]] for month_rates in by_month]
            uses = tuple(RateUse(rate, inverted=rate.base != base) for rate, (base, _) in zip(rates, hops, strict=True))
            span = Period._from_indices(first + months[0], first + months[-1])
            segments.append(ConversionSegment(span, uses))
        return Conversion(route[0], route[-1], period, tuple(segments))

    def _candidates(self, base: Currency, quote: Currency) -> tuple[ExchangeRate, ...]:
        candidates = self._by_pair.get(_pair(base, quote), ())
        if not candidates:
            msg = f"the table has no {base}/{quote} rate"
            raise MissingRateError(msg)
        return candidates

    def _covering(self, base: Currency, quote: Currency, period: Period) -> RateUse:
        candidates = self._candidates(base, quote)
        covering = [rate for rate in candidates if rate.window.contains(period)]
        if not covering:
            msg = f"no {base}/{quote} rate covers {period}, only {_windows(candidates)}"
            raise MissingRateError(msg)
        shortest = min(rate.window.month_count for rate in covering)
        narrowest = [rate for rate in covering if rate.window.month_count == shortest]
        if len(narrowest) > 1:
            msg = f"several rates fit {base}/{quote} over {period} equally well: " + "; ".join(map(str, narrowest))
            raise AmbiguousRateError(msg)
        return RateUse(narrowest[0], inverted=narrowest[0].base != base)

    def _month_by_month(self, base: Currency, quote: Currency, period: Period) -> list[ExchangeRate]:
        """For each month of `period`, the rate with the narrowest window covering it."""
        first, count = period._first, period.month_count
        best: list[ExchangeRate | None] = [None] * count
        tied = [False] * count
        for rate in self._candidates(base, quote):
            low, high = max(rate.window._first, first), min(rate.window._last, period._last)
            for index in range(low - first, high - first + 1):
                current = best[index]
                if current is None or rate.window.month_count < current.window.month_count:
                    best[index], tied[index] = rate, False
                elif rate.window.month_count == current.window.month_count:
                    tied[index] = True
        if any(tied):
            months = ", ".join(map(str, _month_runs(first + i for i, tie in enumerate(tied) if tie)))
            msg = f"several {base}/{quote} rates fit {months} equally well"
            raise AmbiguousRateError(msg)
        uncovered = [first + index for index, rate in enumerate(best) if rate is None]
        if uncovered:
            gaps = ", ".join(map(str, _month_runs(uncovered)))
            msg = f"no blend of {base}/{quote} rates covers {period}: they leave out {gaps}"
            raise MissingRateError(msg)
        return [rate for rate in best if rate is not None]


def _window_key(rate: ExchangeRate) -> tuple[object, ...]:
    return (rate.window.start, rate.window.end)


#: A table's windows are listed one by one up to this many; beyond, the months they cover.
_LISTED_WINDOWS = 8


def _windows(rates: tuple[ExchangeRate, ...]) -> str:
    """The windows of `rates`, listed when few, else as the runs of months they cover (ECB tables have thousands)."""
    if len(rates) <= _LISTED_WINDOWS:
        return ", ".join(str(rate.window) for rate in sorted(rates, key=_window_key))
    months = {index for rate in rates for index in range(rate.window._first, rate.window._last + 1)}
    runs = ", ".join(map(str, _month_runs(sorted(months))))
    return f"{len(rates):,} windows over {runs}"
