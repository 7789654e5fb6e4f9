"""Exchange rates and conversion: direct, inverse, cross and month-weighted blends."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, final

import attrs

from capexmodel._errors import (
    AmbiguousRateError,
    InvalidValueError,
    MissingRateError,
    show,
)
from capexmodel._lazy import public
from capexmodel._model.conversion import Conversion, ConversionSegment, ExchangeRate, RateUse
from capexmodel._model.currency import Currency
from capexmodel._model.money import Money
from capexmodel._model.period import Period, _month_runs
from capexmodel._model.validators import list_of

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["RateTable"]


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
