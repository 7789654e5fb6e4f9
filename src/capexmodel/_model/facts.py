"""Facts: one number about one company, with what it covers and where it comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, final

import attrs

from capexmodel._errors import InvalidValueError, show
from capexmodel._lazy import public
from capexmodel._model.calendarization import Calendarization
from capexmodel._model.company import Company, Region
from capexmodel._model.conversion import Conversion
from capexmodel._model.display import fact_repr, fact_text, fact_view, html, markdown
from capexmodel._model.money import Money
from capexmodel._model.period import Period
from capexmodel._model.provenance import Metric, Projection, Source, Status, merge_sources
from capexmodel._model.validators import instance_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

__all__ = ["Fact"]

_T = TypeVar("_T")

#: How a derived fact was computed.
Derivation = Calendarization | Conversion | Projection


def _to_status(value: Status | str) -> Status:
    return Status.parse(value)


def _to_sources(value: Iterable[Source]) -> tuple[Source, ...]:
    return tuple_of(value, Source, "sources")


def _to_market(value: Region | str | None) -> Region | None:
    return value if value is None or isinstance(value, Region) else Region(value)


def _to_inputs(value: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple_of(value, Fact, "inputs")


def _check_segment(_: Fact, __: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        msg = f"segment must be a non-empty string or None, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class Fact:
    """One number about one company: what it measures, its value, what it covers and its sources.

    Attributes:
        company: The `Company` the number is about.
        metric: What the number measures: a `Metric`, or its name.
        value: The amount, its currency and the period it covers, a `Money`.
        basis: What the number covers, when that needs saying; "" by default.
        status: How sure the number is: a `Status`, or its value (``"estimate"``);
            reported by default.
        sources: Where the number was published, an iterable of `Source`; none by default.
        market: The market of a revenue split (`Metric.REVENUE_BY_MARKET`): a `Region`, or
            its code; None by default. Keyword only, as are the fields below.
        derivation: How a derived number was computed: a `Calendarization`, a `Conversion`
            or a `Projection`; None by default.
        inputs: The facts a derived number was computed from; none by default.
        note: How the number was obtained, when a reader needs telling; "" by default.
        counted_as: The `Period` the source counts the number in, when not the one it
            covers; None by default.
        segment: The part of the company the number covers; None (the whole) by default.

    Raises:
        InvalidValueError: A field is not of its type; the value is negative for a
            metric that never is; `counted_as` is the value's own period; a projected
            fact is not an estimate; or a market is given for a metric other than
            revenue by market, or not given for it.
        UnknownMetricError: `metric` is not a known or declared metric.

    Examples:
        >>> import capexmodel as cm, datetime
        >>> bytedance = cm.Company(id="bytedance", name_en="ByteDance", name_zh="字节跳动",
        ...                        region="CN", currency="CNY")
        >>> zheshang = cm.Source("Zheshang Securities", "ByteDance capex estimate")
        >>> fact = cm.Fact(bytedance, "capex", cm.Money("80000000000", "CNY", cm.CalendarYear(2024)),
        ...                status="estimate", sources=[zheshang])
        >>> fact.metric, fact.status
        (Metric('capex'), <Status.ESTIMATE: 'estimate'>)
    """

    company: Company = attrs.field(validator=instance_of(Company, "a capexmodel.Company"))
    """The company the number is about."""

    metric: Metric = attrs.field(converter=Metric)
    """What the number measures (a `Metric` or its name)."""

    value: Money = attrs.field(validator=instance_of(Money, "a capexmodel.Money"))
    """The amount, its currency and the period it covers."""

    basis: str = attrs.field(default="", validator=instance_of(str, "a string"))
    """What the number covers, when that needs saying: "including finance leases",
    "compute-only capex (算力口径)"."""

    status: Status = attrs.field(default=Status.REPORTED, converter=_to_status)
    """How sure the number is (a `Status` or its value, such as ``"estimate"``)."""

    sources: tuple[Source, ...] = attrs.field(default=(), converter=_to_sources)
    """Where the number was published."""

    market: Region | None = attrs.field(default=None, converter=_to_market, kw_only=True)
    """The market a split of revenue is about (`Metric.REVENUE_BY_MARKET`); None otherwise."""

    derivation: Derivation | None = attrs.field(
        default=None,
        validator=instance_of(
            (Calendarization, Conversion, Projection), "a Calendarization, a Conversion, a Projection", optional=True
        ),
        kw_only=True,
    )
    """How a derived number was computed: a `Calendarization`, a `Conversion` or a `Projection`."""

    inputs: tuple[Fact, ...] = attrs.field(default=(), converter=_to_inputs, kw_only=True)
    """The facts a derived number was computed from, as far as they are known (see `note`)."""

    note: str = attrs.field(default="", validator=instance_of(str, "a string"), kw_only=True)
    """How the number was obtained, when a reader needs telling: an input that is not
    public, a published figure that differs from the filing."""

    counted_as: Period | None = attrs.field(
        default=None, validator=instance_of(Period, "a Period", optional=True), kw_only=True
    )
    """The period the source counts the number in, when it is not the one the number covers:
    the article counts Oracle's March 2024 to February 2025 as 2024. None otherwise."""

    segment: str | None = attrs.field(default=None, validator=_check_segment, kw_only=True)
    """The part of the company the number covers, when not the whole of it: China Mobile's
    capex on compute (算力口径). None for the whole company."""

    def __attrs_post_init__(self) -> None:
        """Apply the metric's sign rule; require a market for revenue by market, and only there."""
        if self.value.amount < 0 and not self.metric.definition.may_be_negative:
            msg = (
                f"{self.metric} is never negative, got {self.value._brief()} for {self.company.id}"
                " (enter an outflow such as capex as a positive amount)"
            )
            raise InvalidValueError(msg)
        if self.counted_as == self.value.period:
            msg = f"counted_as is for a period other than the one the value covers, got {self.counted_as} for both"
            raise InvalidValueError(msg)
        if isinstance(self.derivation, Projection) and self.status is not Status.ESTIMATE:
            msg = f"a projected fact is an estimate, got status={self.status.value}"
            raise InvalidValueError(msg)
        if (self.metric == Metric.REVENUE_BY_MARKET) != (self.market is not None):
            msg = (
                "a fact has a market exactly when its metric is revenue_by_market,"
                f" got {self.metric} and market={self.market}"
            )
            raise InvalidValueError(msg)

    def __repr__(self) -> str:
        """Return ``<Fact: company metric over period: amount currency, status, basis>``: short, not every field."""
        return fact_repr(self)

    def __str__(self) -> str:
        """A few lines for a person: who, what, when and the value, then status, basis and sources."""
        return fact_text(self)

    def _repr_html_(self) -> str:
        """The fact's fields as an HTML table (for notebooks)."""
        return html(fact_view(self))

    def _repr_markdown_(self) -> str:
        """The fact's fields as a Markdown table (for notebooks)."""
        return markdown(fact_view(self))

    @classmethod
    def derive(
        cls,
        value: Money,
        inputs: Iterable[Fact],
        *,
        derivation: Derivation | None = None,
        company: Company | None = None,
        metric: Metric | str | None = None,
        basis: str | None = None,
        segment: str | None = None,
    ) -> Fact:
        """A fact computed from `inputs`: it carries their sources and is an estimate if any input is.

        Company, metric, basis and segment default to the ones the inputs share; where
        they differ, pass them (``segment=""`` for the whole company). A revenue-by-market
        fact keeps the inputs' shared market. The period the inputs are counted as is
        kept only for a value over the inputs' own months (a conversion of Oracle's
        March-February year, counted as the calendar year, is counted so too). The
        sources are the inputs' and the derivation's (a conversion's rates), each once;
        the status is `Status.combine` of the inputs'; `inputs` holds the inputs.

        Args:
            value: The computed value.
            inputs: The facts it was computed from (one or more).
            derivation: How it was computed, if by a `Calendarization`, a `Conversion` or a
                `Projection`; the value must be what it gives.
            company: The company; by default the one the inputs share.
            metric: The metric (a `Metric` or its name); by default the one the inputs share.
            basis: The basis; by default the one the inputs share.
            segment: The segment (``""`` for the whole company); by default the one the
                inputs share.

        Returns:
            The derived fact.

        Raises:
            InvalidValueError: `inputs` holds no facts or something else; the inputs differ in
                company, metric, basis or segment and none is given; or the value is not what
                `derivation` gives, or not one a `Fact` accepts.
            UnknownMetricError: `metric` is not a known or declared metric.

        Examples:
            >>> import capexmodel as cm
            >>> tencent = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
            >>> y24 = cm.CalendarYear(2024)
            >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
            >>> reported = cm.Fact(tencent, "capex", cm.Money("76760000000", "CNY", y24))
            >>> conversion = rates.conversion("CNY", "USD", y24)
            >>> in_usd = cm.Fact.derive(conversion.apply(reported.value), [reported], derivation=conversion)
            >>> in_usd.status, round(in_usd.value, -6)
            (<Status.DERIVED: 'derived'>, Money('1.0617E+10', 'USD', Period.parse('2024')))
        """
        try:
            facts = [inputs] if isinstance(inputs, Fact) else list(inputs)
        except TypeError:
            facts = []
        if not facts or not all(isinstance(fact, Fact) for fact in facts):
            msg = f"derive() needs one or more Facts as inputs, got {show(inputs)}"
            raise InvalidValueError(msg)
        _check_against(value, derivation)
        derived_metric = Metric(metric) if metric is not None else _shared(facts, "metric", lambda f: f.metric)
        by_market = derived_metric == Metric.REVENUE_BY_MARKET
        return cls(
            company if company is not None else _shared(facts, "company", lambda fact: fact.company),
            derived_metric,
            value,
            basis if basis is not None else _shared(facts, "basis", lambda fact: fact.basis),
            Status.ESTIMATE if isinstance(derivation, Projection) else Status.combine(fact.status for fact in facts),
            merge_sources(*(fact.sources for fact in facts), _sources_of(derivation)),
            market=_shared(facts, "market", lambda fact: fact.market) if by_market else None,
            derivation=derivation,
            inputs=facts,
            counted_as=_counted_as(value, facts),
            segment=_segment(facts) if segment is None else segment or None,
        )


def _check_against(value: Money, derivation: Derivation | None) -> None:
    """Refuse a derived value that is not what its derivation gives."""
    if isinstance(derivation, Calendarization) and value != derivation.value:
        msg = f"the value {show(value)} is not the calendarization's, {derivation.value}"
        raise InvalidValueError(msg)
    if isinstance(derivation, Conversion) and (
        not isinstance(value, Money) or (value.currency, value.period) != (derivation.quote, derivation.period)
    ):
        msg = f"the value {show(value)} is not in {derivation.quote} over {derivation.period}, as the conversion gives"
        raise InvalidValueError(msg)


def _sources_of(derivation: Derivation | None) -> tuple[Source, ...]:
    return derivation.sources if isinstance(derivation, Conversion) else ()


def _counted_as(value: Money, facts: list[Fact]) -> Period | None:
    """The period the inputs are counted as, for a value over their own months; None otherwise."""
    if not isinstance(value, Money) or any(fact.value.period != value.period for fact in facts):
        return None
    counted = {fact.counted_as for fact in facts}
    return counted.pop() if len(counted) == 1 else None


def _segment(facts: list[Fact]) -> str | None:
    """The part of the company the inputs share (None for the whole); inputs of different parts are refused."""
    parts = list(dict.fromkeys(fact.segment for fact in facts))
    if len(parts) > 1:
        shown = ", ".join("the whole company" if part is None else part for part in parts)
        msg = f"the inputs differ in segment ({shown}): pass segment= ('' for the whole company) to say which"
        msg += " part of the company the derived fact covers"
        raise InvalidValueError(msg)
    return parts[0]


def _shared(facts: list[Fact], name: str, get: Callable[[Fact], _T]) -> _T:
    values = list(dict.fromkeys(get(fact) for fact in facts))
    if len(values) > 1:
        shown = ", ".join(map(str, values))
        msg = f"the inputs differ in {name} ({shown}): pass {name}= to say which the derived fact has"
        raise InvalidValueError(msg)
    return values[0]
