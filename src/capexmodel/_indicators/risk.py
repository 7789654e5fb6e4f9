"""Bubble risk: named signals and a score, Sequoia's revenue gap, and useful-life sensitivity."""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, final

import attrs

from capexmodel._context import EXACT
from capexmodel._errors import (
    AmbiguousFactError,
    CurrencyMismatchError,
    InvalidValueError,
    PeriodMismatchError,
    UndefinedIndicatorError,
    show,
)
from capexmodel._indicators.ratios import _check_pair
from capexmodel._indicators.rules import SIGNALS
from capexmodel._lazy import public
from capexmodel._model.company import Company, Region
from capexmodel._model.currency import Currency
from capexmodel._model.display import html, markdown, risk_repr, risk_text, risk_view
from capexmodel._model.facts import Fact
from capexmodel._model.money import Money, _divide, _money, _multiply, _subtract, _to_decimal, total
from capexmodel._model.period import Period
from capexmodel._model.provenance import Metric
from capexmodel._model.validators import instance_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from capexmodel._fx.rates import RateTable
    from capexmodel.frames import Backend

__all__ = [
    "BubbleRisk",
    "DepreciationGap",
    "RevenueGap",
    "Signal",
    "bubble_risk",
    "depreciation_gap",
    "revenue_gap",
]

Direction = Literal["above", "below"]


def _to_number(value: Decimal | int | str) -> Decimal:
    return _to_decimal(value, "a threshold or weight")


def _to_weight(value: Decimal | int | str) -> Decimal:
    weight = _to_decimal(value, "a weight")
    if weight < 0:
        msg = f"a weight must not be negative, got {show(value)}"
        raise InvalidValueError(msg)
    return weight


def _check_direction(_: object, __: attrs.Attribute[str], value: object) -> None:
    if value not in ("above", "below"):
        msg = f"direction must be 'above' or 'below', got {show(value)}"
        raise InvalidValueError(msg)


def _to_ids(value: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple_of(value, str, "company ids")


@public
@final
@attrs.frozen
class Signal:
    """One bubble-risk signal: its value, its threshold, and whether it fires.

    `fires` is None when the signal is unknown (an input is missing); unknown
    signals count neither for nor against the score.

    Attributes:
        name: The signal's name, such as ``"capex_to_operating_cash_flow"``.
        value: The indicator's value, a `Decimal`; None when unknown or undefined.
        threshold: Where the signal starts to fire: an int, a `Decimal` or a numeric
            string, converted to a `Decimal`.
        direction: ``"above"`` or ``"below"``.
        fires: Whether the signal fires; None when it is unknown.
        weight: The signal's weight in the score, zero or more (converted as `threshold` is).
        reason: Why the threshold sits where it does.
        note: What the value was computed from, or why it is unknown.
        companies: The ids of the companies whose inputs were used; none by default.
        left_out: The ids of the subject's companies left out; none by default.

    Raises:
        InvalidValueError: A field is not of its type, `direction` is not one of the two,
            or `weight` is negative.
        InvalidAmountError: `threshold` or `weight` is not an exact number.

    Examples:
        >>> import capexmodel as cm
        >>> from decimal import Decimal
        >>> signal = cm.Signal("capex_intensity", Decimal("0.13"), Decimal("0.2"), "above", False, 1,
        ...                    reason="utility-like intensity", note="from amazon")
        >>> signal.known, signal.fires
        (True, False)
    """

    name: str = attrs.field(validator=instance_of(str, "a string"))
    """The signal's name, such as ``"capex_to_operating_cash_flow"``."""

    value: Decimal | None = attrs.field(validator=instance_of(Decimal, "a Decimal", optional=True))
    """The indicator's value; None when unknown or undefined."""

    threshold: Decimal = attrs.field(converter=_to_number)
    """Where the signal starts to fire."""

    direction: Direction = attrs.field(validator=_check_direction)
    """``"above"``: fires when the value exceeds the threshold; ``"below"``: when it falls under it."""

    fires: bool | None = attrs.field(validator=instance_of(bool, "True or False", optional=True))
    """Whether the signal fires; None when it is unknown."""

    weight: Decimal = attrs.field(converter=_to_weight)
    """The signal's weight in the score."""

    reason: str = attrs.field(validator=instance_of(str, "a string"))
    """Why the threshold sits where it does."""

    note: str = attrs.field(validator=instance_of(str, "a string"))
    """What the value was computed from, or why it is unknown or fires without a value."""

    companies: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)
    """The companies whose inputs were used (by id)."""

    left_out: tuple[str, ...] = attrs.field(default=(), converter=_to_ids)
    """The subject's companies left out: some input missing, or facts over other periods (by id)."""

    @property
    def known(self) -> bool:
        """Whether the signal could be evaluated.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Signal("capex_intensity", None, 1, "above", None, 1, reason="", note="no revenue").known
            False
        """
        return self.fires is not None


def _to_signals(value: tuple[Signal, ...] | list[Signal]) -> tuple[Signal, ...]:
    return tuple_of(value, Signal, "signals")


def _exact_sum(values: Iterable[Decimal]) -> Decimal:
    with decimal.localcontext(EXACT):
        return sum(values, Decimal(0))


@public
@final
@attrs.frozen
class BubbleRisk:
    """The bubble-risk signals of a company or a region over a period, and their score.

    The score is the weighted share of the known signals that fire, in [0, 1]:
    ``Σ weight × fires / Σ weight`` over known signals; None when none is known.
    `coverage` is the weighted share of signals that are known.

    `bubble_risk` and `Dataset.bubble_risk` assess them.

    Attributes:
        subject: The company id or the region code.
        period: The `Period` assessed.
        signals: The signals, each a `Signal`.

    Raises:
        InvalidValueError: A field is not of its type.

    Examples:
        >>> import capexmodel as cm
        >>> risk = cm.BubbleRisk("amazon", cm.CalendarYear(2024), ())
        >>> risk.score is None, risk.coverage
        (True, Decimal('0'))
    """

    subject: str = attrs.field(validator=instance_of(str, "a string"))
    """The company id or the region code."""

    period: Period = attrs.field(validator=instance_of(Period, "a Period"))
    """The period assessed."""

    signals: tuple[Signal, ...] = attrs.field(converter=_to_signals)
    """The six signals, always in the same order (see `bubble_risk`)."""

    @property
    def score(self) -> Decimal | None:
        """The weighted share of known signals that fire; None when no signal is known.

        Weights add up exactly; the share is exact when it terminates and otherwise
        rounded to 28 significant digits, whatever the caller's decimal context.

        Examples:
            >>> import capexmodel as cm
            >>> risk = cm.load_dataset().bubble_risk(cm.CalendarYear(2024), company="meta")
            >>> round(risk.score, 3)
            Decimal('0.400')
        """
        known = [signal for signal in self.signals if signal.known]
        weight = _exact_sum(signal.weight for signal in known)
        if not weight:
            return None
        return _divide(_exact_sum(signal.weight for signal in known if signal.fires), weight)

    @property
    def coverage(self) -> Decimal:
        """The weighted share of the signals that are known.

        Examples:
            >>> import capexmodel as cm
            >>> round(cm.load_dataset().bubble_risk(cm.CalendarYear(2024), company="meta").coverage, 3)
            Decimal('0.833')
        """
        weight = _exact_sum(signal.weight for signal in self.signals)
        if not weight:
            return Decimal(0)
        return _divide(_exact_sum(s.weight for s in self.signals if s.known), weight)

    def __repr__(self) -> str:
        """Return ``<BubbleRisk: subject over period, score, how many signals fire>``, short."""
        return risk_repr(self)

    def __str__(self) -> str:
        """The score, then one line per signal: its value, its threshold, whether it fires and why."""
        return risk_text(self)

    def _repr_html_(self) -> str:
        """The signals as an HTML table (for notebooks)."""
        return html(risk_view(self))

    def _repr_markdown_(self) -> str:
        """The signals as a Markdown table (for notebooks)."""
        return markdown(risk_view(self))

    def to_frame(self, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides the type
        """The signals, one row each, as a table of `backend`: a pyarrow Table, or a pandas or polars DataFrame.

        Columns: ``subject``, ``period_start``, ``period_end``, ``signal``, ``value``,
        ``threshold`` and ``weight`` (exact decimal columns; ``value`` is null when
        unknown), ``direction``, ``fires`` (null when unknown), ``reason``, ``note``,
        ``companies`` and ``left_out`` (company ids separated by spaces). Needs the
        ``frames`` extra.

        Args:
            backend: ``"pyarrow"``, ``"pandas"`` or ``"polars"``.

        Returns:
            The table, of the backend's own type.

        Raises:
            InvalidValueError: `backend` is not one of those, or its package is not installed.

        Examples:
            >>> import capexmodel as cm
            >>> risk = cm.load_dataset().bubble_risk(cm.CalendarYear(2024), company="meta")
            >>> table = risk.to_frame("pandas")
            >>> table.loc[table["fires"] == True, "signal"].tolist()
            ['capex_to_depreciation', 'capex_intensity']
        """
        from capexmodel.frames._layout import risk_table  # noqa: PLC0415 -- tables load on first use

        return risk_table(self, backend)

    def signal(self, name: str) -> Signal:
        """The signal called `name`.

        Args:
            name: The signal's name, such as ``"capex_intensity"``.

        Returns:
            The signal.

        Raises:
            InvalidValueError: No signal has that name.

        Examples:
            >>> import capexmodel as cm
            >>> risk = cm.load_dataset().bubble_risk(cm.CalendarYear(2024), company="meta")
            >>> risk.signal("capex_intensity").fires
            True
        """
        for signal in self.signals:
            if signal.name == name:
                return signal
        known = ", ".join(signal.name for signal in self.signals)
        msg = f"no signal called {show(name)}: the signals are {known}"
        raise InvalidValueError(msg)


#: The default thresholds, their direction, and the reason for each.
DEFAULT_THRESHOLDS: dict[str, tuple[Decimal, Direction, str]] = {
    "capex_to_operating_cash_flow": (
        Decimal("0.8"),
        "above",
        (
            "above 80% of operating cash flow, capex leaves little for anything else, and above 100% it"
            " needs outside money; big tech ran at 40-70% before 2024"
        ),
    ),
    "capex_to_net_income": (
        Decimal(1),
        "above",
        "capex above a year's profit means the investment is not covered by earnings",
    ),
    "capex_to_depreciation": (
        Decimal(2),
        "above",
        (
            "assets growing at twice the rate they wear out is a build-out, not upkeep; big tech's"
            " long-run norm is about 1.5"
        ),
    ),
    "capex_intensity": (
        Decimal("0.2"),
        "above",
        (
            "capex above 20% of revenue is the intensity of utilities and telecom operators, not of"
            " software and cloud businesses (10-15% historically)"
        ),
    ),
    "capex_growth_minus_revenue_growth": (
        Decimal("0.2"),
        "above",
        "capex growing 20 points a year faster than revenue is spending ahead of demand",
    ),
    "free_cash_flow_margin": (
        Decimal("0.05"),
        "below",
        "free cash flow under 5% of revenue leaves no cushion if the investment does not pay off",
    ),
}

#: The default weights: every signal counts the same.
DEFAULT_WEIGHTS: dict[str, Decimal] = dict.fromkeys(DEFAULT_THRESHOLDS, Decimal(1))


def _settings(given: Mapping[str, object] | None, defaults: Mapping[str, Decimal], what: str) -> dict[str, Decimal]:
    settings = dict(defaults)
    if given is None:
        return settings
    if not hasattr(given, "items"):
        msg = f"{what} must be a mapping from signal name to a number, got {show(given)}"
        raise InvalidValueError(msg)
    for name, value in given.items():
        if name not in settings:
            known = ", ".join(settings)
            msg = f"no signal called {show(name)} for {what}: the signals are {known}"
            raise InvalidValueError(msg)
        number = _to_decimal(value, f"the {what[:-1]} of {name}")
        if what == "weights" and number < 0:
            msg = f"a weight must not be negative, got {name}={show(value)}"
            raise InvalidValueError(msg)
        settings[name] = number
    return settings


@public
def bubble_risk(
    facts: Iterable[Fact],
    period: Period,
    *,
    company: Company | str | None = None,
    region: Region | str | None = None,
    rates: RateTable | None = None,
    currency: str | None = None,
    thresholds: Mapping[str, object] | None = None,
    weights: Mapping[str, object] | None = None,
) -> BubbleRisk:
    """Assess bubble risk for one company, or one region, over `period` from its facts.

    Six signals, with their default thresholds (each signal carries the reason for its own):

    - ``capex_to_operating_cash_flow`` above 0.8;
    - ``capex_to_net_income`` above 1;
    - ``capex_to_depreciation`` above 2;
    - ``capex_intensity`` (capex / revenue) above 0.2;
    - ``capex_growth_minus_revenue_growth`` (against the same months a year earlier)
      above 0.2;
    - ``free_cash_flow_margin`` ((operating cash flow − capex) / revenue) below 0.05.

    A signal whose input is missing is unknown, never zero. A ratio whose cash or
    profit denominator is not positive fires (the risk is at its worst), with no
    value. For a region, each signal adds up the inputs of the companies that have
    all of them, converted to `currency` with `rates`, and says which were left out.
    The score is the weighted share of known signals that fire (equal weights by
    default). The facts used are those over `period` (and a year before, for growth)
    with no market; two facts for one metric and period are an `AmbiguousFactError`
    (`Dataset.bubble_risk` picks one per metric and period, as `Dataset.fact` does).

    Args:
        facts: The facts to assess, of the company or of the region's companies.
        period: The period assessed.
        company: The company assessed (a `Company` or its id); give this or `region`.
        region: The region assessed (a `Region` or its code); give this or `company`.
        rates: The rates that convert the region's amounts to `currency`.
        currency: The currency a region's amounts are added up in (an ISO 4217 code).
        thresholds: Thresholds that replace the defaults, by signal name.
        weights: Weights that replace the defaults (1 each), by signal name.

    Returns:
        The six signals and their score.

    Raises:
        InvalidValueError: Neither or both of `company` and `region` are given, `period`
            is not a `Period` or has no year before it, `facts` is not an iterable of
            `Fact`, `rates` or `currency` is missing or of the wrong type where a region's
            amounts need converting, or a threshold or weight names no signal (or a
            weight is negative).
        InvalidAmountError: A threshold or weight is not an exact number.
        AmbiguousFactError: Two facts of one company are for one metric and period.
        CurrencyMismatchError: A signal's inputs are in different currencies and cannot
            be converted.
        MissingRateError: No rate converts an amount to `currency`.

    Examples:
        >>> import capexmodel as cm
        >>> y23, y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
        >>> meta = cm.Company(id="meta", name_en="Meta", name_zh="Meta", region="US", currency="USD")
        >>> facts = [cm.Fact(meta, metric, cm.Money(amount, "USD", period)) for metric, amount, period in [
        ...     ("capex", "37256", y24), ("revenue", "164501", y24), ("operating_cash_flow", "91328", y24),
        ...     ("net_income", "62360", y24), ("depreciation_and_amortization", "15498", y24),
        ...     ("capex", "27266", y23), ("revenue", "134902", y23)]]
        >>> risk = cm.bubble_risk(facts, y24, company="meta")
        >>> [signal.name for signal in risk.signals if signal.fires]
        ['capex_to_depreciation', 'capex_intensity']
        >>> round(risk.score, 3), risk.coverage
        (Decimal('0.333'), Decimal('1'))
    """
    limits = _settings(thresholds, {name: spec[0] for name, spec in DEFAULT_THRESHOLDS.items()}, "thresholds")
    weighting = _settings(weights, DEFAULT_WEIGHTS, "weights")
    subject, member = _subject(company, region)
    conversion = _conversion_of(rates, currency)
    if not isinstance(period, Period):
        msg = f"bubble_risk() assesses a Period, got {show(period)}"
        raise InvalidValueError(msg)
    if period._first < 24:  # noqa: PLR2004 -- a period in year 1 has no year before it
        msg = f"bubble_risk() needs the year before {period}, which is before year 1"
        raise InvalidValueError(msg)
    previous = Period._from_indices(period._first - 12, period._last - 12)
    table, misaligned = _table(facts, member, subject, (period, previous))
    signals = []
    for name, (default, direction, default_reason) in DEFAULT_THRESHOLDS.items():
        needed = [(Metric(item.metric), previous if item.previous else period) for item in SIGNALS[name].inputs]
        complete = sorted(company_id for company_id, values in table.items() if all(key in values for key in needed))
        left_out = sorted((set(table) - set(complete)) | misaligned)
        value, fires, note = _evaluate(name, table, complete, needed=needed, period=period, conversion=conversion)
        if fires is None and value is not None:
            fires = value > limits[name] if direction == "above" else value < limits[name]
        if misaligned:
            note += f"; left out, with facts over other periods (calendarize them): {', '.join(sorted(misaligned))}"
        reason = default_reason
        if limits[name] != default:
            reason = f"set by the caller; the default, {default}, is there because {default_reason}"
        signal = Signal(name, value, limits[name], direction, fires, weighting[name], reason, note, complete, left_out)
        signals.append(signal)
    return BubbleRisk(subject, period, tuple(signals))


def _conversion_of(rates: object, currency: str | None) -> _Conversion:
    from capexmodel._fx.rates import RateTable  # noqa: PLC0415 -- conversion loads with the facts anyway

    if rates is not None and not isinstance(rates, RateTable):
        msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
        raise InvalidValueError(msg)
    if (rates is None) != (currency is None):
        msg = "converting needs both rates= and currency="
        raise InvalidValueError(msg)
    return rates, None if currency is None else Currency(currency)


def _subject(company: Company | str | None, region: Region | str | None) -> tuple[str, Callable[[Company], bool]]:
    if (company is None) == (region is None):
        msg = "bubble_risk() assesses one company or one region: pass exactly one of company= and region="
        raise InvalidValueError(msg)
    if company is not None:
        company_id = company.id if isinstance(company, Company) else company
        if not isinstance(company_id, str):
            msg = f"company must be a Company or a company id, got {show(company)}"
            raise InvalidValueError(msg)
        return company_id, lambda candidate: candidate.id == company_id
    if not isinstance(region, Region | str):
        msg = f"region must be a Region or a region code such as 'CN', got {show(region)}"
        raise InvalidValueError(msg)
    code = region if isinstance(region, Region) else Region(region)
    return code.code, lambda candidate: candidate.region == code


_Table = dict[str, dict[tuple[Metric, Period], Money]]


def _table(
    facts: Iterable[Fact], member: Callable[[Company], bool], subject: str, periods: tuple[Period, Period]
) -> tuple[_Table, set[str]]:
    """The subject's amounts by company, metric and period, and the companies with facts over other periods."""
    try:
        items = list(facts)
    except TypeError:
        msg = f"bubble_risk() takes an iterable of Fact, got {show(facts)}"
        raise InvalidValueError(msg) from None
    table: _Table = {}
    seen: set[str] = set()
    misaligned: set[str] = set()
    for fact in items:
        if not isinstance(fact, Fact):
            msg = f"bubble_risk() reads Fact values, got {show(fact)}"
            raise InvalidValueError(msg)
        if not member(fact.company) or fact.market is not None:
            continue
        seen.add(fact.company.id)
        if fact.value.period not in periods:
            if fact.value.period.overlaps(periods[0]):
                misaligned.add(fact.company.id)
            continue
        values = table.setdefault(fact.company.id, {})
        key = (fact.metric, fact.value.period)
        if key in values:
            msg = (
                f"two {fact.metric} facts for {fact.company.id} over {fact.value.period}: {values[key]._brief()}"
                f" and {fact.value._brief()}; pass only the one to use, or let Dataset.bubble_risk() choose"
            )
            raise AmbiguousFactError(msg)
        values[key] = fact.value
    if items and not seen:
        msg = f"no fact is about {subject}: check the company id or region code"
        raise InvalidValueError(msg)
    return table, misaligned - set(table)


def _evaluate(
    name: str,
    table: _Table,
    companies: list[str],
    *,
    needed: list[tuple[Metric, Period]],
    period: Period,
    conversion: _Conversion,
) -> tuple[Decimal | None, bool | None, str]:
    """The signal's value, whether it fires regardless of the threshold, and a note.

    Where the signal's indicator is undefined, its rule says whether the signal fires
    (the worst case: capex against a cash, profit or revenue measure that is not
    positive, or capex growing from nothing) or is unknown; with no capex there is no
    risk to flag. (Capex is never negative: facts refuse it.)
    """
    if not companies:
        missing = ", ".join(f"{metric} over {when}" for metric, when in needed)
        return None, None, f"unknown: no company has all of {missing}"
    rule = SIGNALS[name]
    values = {
        item.role: _sum([table[company_id][key] for company_id in companies], conversion, period)
        for item, key in zip(rule.inputs, needed, strict=True)
    }
    first, *others = rule.inputs
    for item in others:
        if item.previous:
            if values[item.role].currency != values[first.role].currency:
                raise _mixed(values.values())
        else:
            _check_pair(values[first.role], first.role, values[item.role], item.role)
    amounts = {role: money.amount for role, money in values.items()}
    guard = rule.failed(amounts)
    if guard is None:
        return rule.value(amounts), None, f"from {', '.join(companies)}"
    reason = rule.message(guard, values[guard.role])
    if not amounts["capex"]:
        return None, False, f"does not fire: there is no capex ({reason})"
    if guard.fires is None:
        return None, None, f"unknown: {reason}"
    return None, True, f"fires without a value: {reason}"


_Conversion = tuple["RateTable | None", "Currency | None"]


def _mixed(amounts: Iterable[Money]) -> CurrencyMismatchError:
    currencies = sorted({str(amount.currency) for amount in amounts})
    return CurrencyMismatchError(
        f"the inputs are in {', '.join(currencies)}: pass rates= and currency= to convert them"
    )


def _sum(amounts: list[Money], conversion: _Conversion, period: Period) -> Money:
    """The total of `amounts`, converted to one currency at the rates of `period`.

    Converting every year at the same period's rates keeps growth in constant
    currency: a move in the exchange rate is not capex growth.
    """
    rates, currency = conversion
    if rates is not None and currency is not None:
        converted = []
        for amount in amounts:
            at_period_rate = rates.convert(_money(amount.amount, amount.currency, period), currency)
            converted.append(_money(at_period_rate.amount, currency, amount.period))
        amounts = converted
    if len({amount.currency for amount in amounts}) > 1:
        raise _mixed(amounts)
    return total(amounts)


@public
@final
@attrs.frozen
class RevenueGap:
    """Sequoia's "$600B question": the revenue AI must earn to pay for its GPUs, and the gap.

    `revenue_gap` computes them.

    Attributes:
        gpu_run_rate: Annualized spending on data-center GPUs, a `Money`.
        ai_revenue: Expected AI revenue over the same period, a `Money`.
        gpu_share_of_cost: The GPUs' share of a data center's total cost, a `Decimal`.
        end_user_margin: The gross margin the buyers of AI compute need to make, a `Decimal`.
        required: The revenue needed, a `Money`.
        gap: ``required - ai_revenue``, a `Money`.

    Raises:
        InvalidValueError: A field is not of its type.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> gap = cm.revenue_gap(cm.Money("150e9", "USD", y24), cm.Money("100e9", "USD", y24))
        >>> gap.required.amount, gap.gap.amount
        (Decimal('600000000000'), Decimal('500000000000'))
    """

    gpu_run_rate: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """Annualized spending on data-center GPUs."""

    ai_revenue: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """Expected AI revenue over the same period."""

    gpu_share_of_cost: Decimal = attrs.field(validator=instance_of(Decimal, "a Decimal"))
    """The GPUs' share of a data center's total cost (Sequoia: half; the rest is energy, buildings, ...)."""

    end_user_margin: Decimal = attrs.field(validator=instance_of(Decimal, "a Decimal"))
    """The gross margin the buyers of AI compute need to make (Sequoia: 50%)."""

    required: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """Revenue needed: ``run-rate / gpu share of cost / (1 - end-user margin)``."""

    gap: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """``required - ai_revenue``: what is still missing (negative when covered)."""


def _fraction_in(value: object, name: str, *, low_open: bool, high_open: bool) -> Decimal:
    number = _to_decimal(value, name)
    above_low = number > 0 if low_open else number >= 0
    below_high = number < 1 if high_open else number <= 1
    if not (above_low and below_high):
        bounds = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        msg = f"{name} must lie in {bounds}, got {show(value)}"
        raise UndefinedIndicatorError(msg)
    return number


@public
def revenue_gap(
    gpu_run_rate: Money,
    ai_revenue: Money,
    *,
    gpu_share_of_cost: Decimal | str | int = Decimal("0.5"),
    end_user_margin: Decimal | str | int = Decimal("0.5"),
) -> RevenueGap:
    """Sequoia's "$600B question": ``required = run-rate / gpu share of cost / (1 − end-user margin)``.

    With the defaults, a $150B GPU run-rate needs $600B of revenue: GPUs are half a
    data center's cost, and the buyers of compute need a 50% margin.

    Args:
        gpu_run_rate: A year's spending on data-center GPUs, zero or more.
        ai_revenue: Expected AI revenue, in the same currency over the same twelve months.
        gpu_share_of_cost: The GPUs' share of a data center's total cost, in (0, 1].
        end_user_margin: The gross margin the buyers of compute need, in [0, 1).

    Returns:
        The revenue required, and the gap between it and `ai_revenue`.

    Raises:
        InvalidValueError: An amount is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods, or not over twelve months.
        InvalidAmountError: `gpu_share_of_cost` or `end_user_margin` is not an exact number.
        UndefinedIndicatorError: The run-rate is negative, or the share or margin lies
            outside its interval.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.revenue_gap(cm.Money("150", "USD", y24), cm.Money("0", "USD", y24)).required
        Money('600', 'USD', Period.parse('2024'))
    """
    run_rate, revenue = _check_pair(gpu_run_rate, "gpu_run_rate", ai_revenue, "ai_revenue")
    if run_rate.period.month_count != 12:  # noqa: PLR2004 -- a run-rate is a year's spending
        msg = f"a GPU run-rate is a year's spending: the amounts must be over 12 months, got {run_rate.period}"
        raise PeriodMismatchError(msg)
    if run_rate.amount < 0:
        msg = f"a GPU run-rate is spending, zero or more, got gpu_run_rate={run_rate._brief()}"
        raise UndefinedIndicatorError(msg)
    share = _fraction_in(gpu_share_of_cost, "gpu_share_of_cost", low_open=True, high_open=False)
    margin = _fraction_in(end_user_margin, "end_user_margin", low_open=False, high_open=True)
    needed = _divide(run_rate.amount, _multiply(share, _subtract(Decimal(1), margin)))
    required = _money(needed, run_rate.currency, run_rate.period)
    return RevenueGap(run_rate, revenue, share, margin, required, required - revenue)


@public
@final
@attrs.frozen
class DepreciationGap:
    """How a year's straight-line depreciation changes when servers' useful life changes.

    `depreciation_gap` computes them.

    Attributes:
        cost: The depreciable cost of the servers concerned, a `Money`.
        from_years: The useful life before the change, in years, a `Decimal`.
        to_years: The useful life after it, a `Decimal`.
        before: A year's depreciation before, a `Money`.
        after: A year's depreciation after, a `Money`.
        change: ``after - before``, a `Money`.

    Raises:
        InvalidValueError: A field is not of its type.

    Examples:
        >>> import capexmodel as cm
        >>> gap = cm.depreciation_gap(cm.Money("60", "USD", cm.CalendarYear(2025)), from_years=6, to_years=5)
        >>> gap.before.amount, gap.after.amount, gap.change.amount
        (Decimal('10'), Decimal('12'), Decimal('2'))
    """

    cost: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """The depreciable cost of the servers concerned."""

    from_years: Decimal = attrs.field(validator=instance_of(Decimal, "a Decimal"))
    """The useful life before the change, in years."""

    to_years: Decimal = attrs.field(validator=instance_of(Decimal, "a Decimal"))
    """The useful life after it."""

    before: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """A year's depreciation before: ``cost / from_years``."""

    after: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """A year's depreciation after: ``cost / to_years``."""

    change: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """``after - before``: positive when the life gets shorter (Amazon, six to five years from 2025)."""


@public
def depreciation_gap(cost: Money, *, from_years: object, to_years: object) -> DepreciationGap:
    """A year's straight-line depreciation of `cost` over two useful lives, and the change.

    ``before = cost / from_years``, ``after = cost / to_years``. `cost` is the
    depreciable cost of the servers concerned, over the twelve months whose charge is
    measured. Amazon cut a subset of servers from six to five years from 2025 (more
    depreciation: lower profit); Meta extended some to 5.5 years (less).

    Args:
        cost: The depreciable cost, over twelve months.
        from_years: The useful life before, in years (an int, a `Decimal` or a numeric string).
        to_years: The useful life after, in years.

    Returns:
        A year's depreciation before and after, and the change.

    Raises:
        InvalidValueError: `cost` is not a `Money`.
        PeriodMismatchError: `cost` is not over twelve months.
        InvalidAmountError: A life is not an exact number.
        UndefinedIndicatorError: A life is zero or negative.

    Examples:
        >>> import capexmodel as cm
        >>> meta = cm.depreciation_gap(cm.Money("55", "USD", cm.CalendarYear(2025)), from_years=5, to_years="5.5")
        >>> meta.change.amount
        Decimal('-1')
    """
    if not isinstance(cost, Money):
        msg = f"cost must be a capexmodel.Money, got {show(cost)}"
        raise InvalidValueError(msg)
    if cost.period.month_count != 12:  # noqa: PLR2004 -- a year's charge
        msg = f"depreciation_gap() measures a year's charge: cost must be over 12 months, got {cost.period}"
        raise PeriodMismatchError(msg)
    lives = []
    for name, value in (("from_years", from_years), ("to_years", to_years)):
        years = _to_decimal(value, name)
        if years <= 0:
            msg = f"a useful life must be positive, got {name}={show(value)}"
            raise UndefinedIndicatorError(msg)
        lives.append(years)
    before, after = (cost / years for years in lives)
    return DepreciationGap(cost, lives[0], lives[1], before, after, after - before)
