"""Exchange rates and the record of a conversion: the route, each rate used, and its factor.

These are values: `RateTable` (in `capexmodel._fx.rates`) finds the route and builds
them; a `Fact` derived by conversion keeps its `Conversion`.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, final

import attrs

from capexmodel._context import EXACT
from capexmodel._errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidValueError,
    PeriodMismatchError,
    show,
)
from capexmodel._lazy import public
from capexmodel._model.currency import Currency
from capexmodel._model.display import conversion_view, html, markdown
from capexmodel._model.money import Money, _bounded, _divide, _money, _multiply, _to_decimal
from capexmodel._model.period import Period
from capexmodel._model.provenance import Source, merge_sources
from capexmodel._model.validators import instance_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Conversion", "ConversionSegment", "ExchangeRate", "RateUse"]


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
