"""Where numbers come from: metrics, statuses and sources."""

from __future__ import annotations

import datetime as dt
import enum
import re
import threading
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar, final

import attrs

from capexmodel._errors import InvalidValueError, UnknownMetricError, show
from capexmodel._lazy import public

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Metric", "MetricDefinition", "Projection", "Source", "Status", "declare", "forget", "merge_sources"]

_T = TypeVar("_T")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


@public
@final
@attrs.frozen
class MetricDefinition:
    """What a metric means and the sign its values may take.

    `Metric.vocabulary` lists them; `Metric.definition` gives a metric's.

    Attributes:
        name: The metric's name: lower-case words joined by ``_``.
        may_be_negative: Whether a value may be below zero.
        description: What the metric measures, in a sentence.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Metric.CAPEX.definition.may_be_negative
        False
    """

    name: str
    """The metric's name: lower-case words joined by ``_``."""

    may_be_negative: bool
    """Whether a value may be below zero (net income may; capex, revenue and D&A may not)."""

    description: str
    """What the metric measures, in a sentence."""


#: The vocabulary: the metrics capexmodel knows, and those declared with `Metric.declare`.
_VOCABULARY: dict[str, MetricDefinition] = {
    name: MetricDefinition(name, may_be_negative=negative, description=description)
    for name, negative, description in (
        ("capex", False, "Capital expenditure: cash spent on property and equipment."),
        ("revenue", False, "Revenue (sales)."),
        ("operating_cash_flow", True, "Net cash from operating activities."),
        ("net_income", True, "Net income (profit for the period)."),
        ("depreciation_and_amortization", False, "Depreciation and amortization expense."),
        ("free_cash_flow", True, "Operating cash flow less capex."),
        ("revenue_by_market", False, "Revenue from customers in one market."),
    )
}
_DECLARING = threading.Lock()


@public
@final
class Metric(str):
    """What a number measures: capex, revenue, operating cash flow, ...

    Metrics are a known vocabulary, each with its sign rule (`Metric.vocabulary`):
    capex, revenue and D&A are never negative; net income and operating cash flow
    may be. A name outside it is refused with `UnknownMetricError`, which suggests
    the metric meant, so that a typo never becomes a metric of its own; declare your
    own metrics with `Metric.declare`. A `Metric` is a `str`, so it compares equal
    to its name; the common ones are class attributes (`Metric.CAPEX`, ...).

    Attributes:
        name: The name of a known or declared metric, such as ``"capex"``.

    Raises:
        UnknownMetricError: `name` is not a known or declared metric (the message
            suggests the metric meant).
        InvalidValueError: `name` is not a string of lower-case words joined by ``_``,
            and close to no known metric.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Metric("capex") == cm.Metric.CAPEX == "capex"
        True
        >>> cm.Metric("revenues")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownMetricError: unknown metric 'revenues': did you mean 'revenue'? ...
    """

    __slots__ = ()

    CAPEX: ClassVar[Metric]
    """Capital expenditure: cash spent on property and equipment (a positive outflow)."""
    REVENUE: ClassVar[Metric]
    """Revenue (sales)."""
    OPERATING_CASH_FLOW: ClassVar[Metric]
    """Net cash from operating activities."""
    NET_INCOME: ClassVar[Metric]
    """Net income (profit for the period)."""
    DEPRECIATION_AND_AMORTIZATION: ClassVar[Metric]
    """Depreciation and amortization expense."""
    FREE_CASH_FLOW: ClassVar[Metric]
    """Operating cash flow less capex."""
    REVENUE_BY_MARKET: ClassVar[Metric]
    """Revenue from customers in one market (Nvidia's United States or mainland China, say)."""

    def __new__(cls, name: Metric | str) -> Metric:
        """Accept the name of a known or declared metric; refuse any other, suggesting the metric meant."""
        if type(name) is cls:
            return name
        if isinstance(name, str) and name in _VOCABULARY:
            return super().__new__(cls, name)
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            msg = f"a metric name is lower-case words joined by '_', such as 'operating_cash_flow', got {show(name)}"
            if not isinstance(name, str) or (suggestion := _suggest(name.strip().lower().replace(" ", "_"))) is None:
                raise InvalidValueError(msg)
            msg += f"; did you mean {suggestion!r}?"
            raise UnknownMetricError(msg, name=name, suggestion=suggestion)
        suggestion = _suggest(name)
        hint = f"did you mean {suggestion!r}? " if suggestion else ""
        known = ", ".join(sorted(_VOCABULARY))
        msg = (
            f"unknown metric {name!r}: {hint}the known metrics are {known};"
            f" declare a metric of your own with Metric.declare({name!r}, may_be_negative=...)"
        )
        raise UnknownMetricError(msg, name=name, suggestion=suggestion)

    @classmethod
    def declare(cls, name: str, *, may_be_negative: bool, description: str = "") -> Metric:
        """Add a metric of your own to the vocabulary, with its sign rule (declaring it again is harmless).

        Args:
            name: The metric's name: lower-case words joined by ``_``.
            may_be_negative: Whether a value may be below zero.
            description: What the metric measures, in a sentence.

        Returns:
            The metric.

        Raises:
            InvalidValueError: `name` is not lower-case words joined by ``_``,
                `may_be_negative` is not a bool or `description` not a string, or the metric
                is known with another sign rule.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Metric.declare("ai_revenue", may_be_negative=False, description="Revenue from AI services.")
            Metric('ai_revenue')
        """
        declare(name, may_be_negative=may_be_negative, description=description)
        return super().__new__(cls, name)

    @classmethod
    def vocabulary(cls) -> tuple[MetricDefinition, ...]:
        """Every known and declared metric, by name.

        Returns:
            The definition of every metric, sorted by name.

        Examples:
            >>> import capexmodel as cm
            >>> {d.name: d.may_be_negative for d in cm.Metric.vocabulary()}["net_income"]
            True
        """
        return tuple(sorted(_VOCABULARY.values(), key=lambda definition: definition.name))

    @property
    def definition(self) -> MetricDefinition:
        """What the metric means and its sign rule.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Metric.NET_INCOME.definition.description
            'Net income (profit for the period).'
        """
        return _VOCABULARY[self]

    @property
    def name(self) -> str:
        """The metric's name as a plain `str`.

        Examples:
            >>> import capexmodel as cm
            >>> type(cm.Metric.CAPEX.name).__name__, cm.Metric.CAPEX.name
            ('str', 'capex')
        """
        return str(self)

    def __repr__(self) -> str:
        """Return ``Metric('<name>')``."""
        return f"Metric({str(self)!r})"

    def __reduce__(self) -> tuple[type[Metric], tuple[str]]:
        """Pickle as the name."""
        return (Metric, (str(self),))


def declare(name: str, *, may_be_negative: bool, description: str) -> bool:
    """Add a metric to the vocabulary (see `Metric.declare`); whether it is new (False when declared already)."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        msg = f"a metric name is lower-case words joined by '_', such as 'ai_revenue', got {show(name)}"
        raise InvalidValueError(msg)
    if not isinstance(may_be_negative, bool):
        msg = f"may_be_negative must be True or False, got {show(may_be_negative)}"
        raise InvalidValueError(msg)
    if not isinstance(description, str):
        msg = f"description must be a string, got {show(description)}"
        raise InvalidValueError(msg)
    with _DECLARING:
        known = _VOCABULARY.get(name)
        if known is not None and known.may_be_negative != may_be_negative:
            rule = "may be negative" if known.may_be_negative else "is never negative"
            msg = f"the metric {name!r} is already declared, and {rule}; got may_be_negative={may_be_negative}"
            raise InvalidValueError(msg)
        if known is None:
            _VOCABULARY[name] = MetricDefinition(name, may_be_negative=may_be_negative, description=description)
        return known is None


def forget(names: Iterable[str]) -> None:
    """Take metrics out of the vocabulary again: those a data file declared before its load failed."""
    with _DECLARING:
        for name in names:
            _VOCABULARY.pop(name, None)


def _suggest(name: str) -> str | None:
    """The known metric closest to a misspelt name (or the one it begins), if one is close."""
    longer = sorted(known for known in _VOCABULARY if known.startswith(name) and len(name) >= 3)  # noqa: PLR2004
    if len(longer) == 1:
        return longer[0]
    import difflib  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

    matches = difflib.get_close_matches(name, list(_VOCABULARY), n=1, cutoff=0.6)
    return matches[0] if matches else None


Metric.CAPEX = Metric("capex")
Metric.REVENUE = Metric("revenue")
Metric.OPERATING_CASH_FLOW = Metric("operating_cash_flow")
Metric.NET_INCOME = Metric("net_income")
Metric.DEPRECIATION_AND_AMORTIZATION = Metric("depreciation_and_amortization")
Metric.FREE_CASH_FLOW = Metric("free_cash_flow")
Metric.REVENUE_BY_MARKET = Metric("revenue_by_market")


@public
@final
class Status(enum.StrEnum):
    """How sure a number is: reported, derived, guidance or estimate (from surest to least).

    A value computed from others is `DERIVED`, unless any input is an `ESTIMATE` or
    `GUIDANCE`: then it is an `ESTIMATE` (see `Status.combine`). A `Status` is a
    `str` equal to its value (``Status.ESTIMATE == "estimate"``).

    Examples:
        >>> import capexmodel as cm
        >>> cm.Status.combine([cm.Status.REPORTED, cm.Status.REPORTED])
        <Status.DERIVED: 'derived'>
        >>> cm.Status.combine([cm.Status.REPORTED, cm.Status.ESTIMATE])
        <Status.ESTIMATE: 'estimate'>
    """

    REPORTED = "reported"
    """Stated by the company in its filings or results."""
    DERIVED = "derived"
    """Computed from reported numbers (a restatement, a sum, a conversion)."""
    GUIDANCE = "guidance"
    """The company's own forecast."""
    ESTIMATE = "estimate"
    """A third party's estimate (a broker, a research firm), or computed from one."""

    @classmethod
    def parse(cls, value: Status | str) -> Status:
        """The `Status` named by `value` (a `Status` or its value, such as ``"estimate"``).

        Args:
            value: A `Status`, or its value.

        Returns:
            The status.

        Raises:
            InvalidValueError: `value` is not a status nor the value of one.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Status.parse("guidance")
            <Status.GUIDANCE: 'guidance'>
        """
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(repr(status.value) for status in cls)
            msg = f"status must be a Status or one of {names}, got {show(value)}"
            raise InvalidValueError(msg) from None

    @classmethod
    def combine(cls, statuses: Iterable[Status | str]) -> Status:
        """The status of a value computed from inputs with these statuses.

        `ESTIMATE` if any input is an estimate or guidance (a forecast stays a
        forecast), otherwise `DERIVED`.

        Args:
            statuses: The inputs' statuses, each a `Status` or its value.

        Returns:
            `ESTIMATE` or `DERIVED`.

        Raises:
            InvalidValueError: `statuses` is not an iterable (a string is refused), or an
                item is not a status.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Status.combine([cm.Status.GUIDANCE, "reported"])
            <Status.ESTIMATE: 'estimate'>
        """
        parsed = [cls.parse(status) for status in _iterate(statuses, "Status.combine()", "statuses")]
        return cls.ESTIMATE if {cls.ESTIMATE, cls.GUIDANCE} & set(parsed) else cls.DERIVED


def _check_text(_: Source, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name} must be a non-empty string, got {show(value)}"
        raise InvalidValueError(msg)


def _check_optional_text(_: Source, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        msg = f"{attribute.name} must be a non-empty string or None, got {show(value)}"
        raise InvalidValueError(msg)


def _check_date(_: Source, __: attrs.Attribute[dt.date | None], value: dt.date | None) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        msg = f"date must be a datetime.date or None, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class Source:
    """Where a number was published.

    Attributes:
        publisher: Who published it: a company, a broker, a newspaper, a research firm.
        title: The document: a filing, a report, an article.
        date: When it was published, a `datetime.date`; None (unknown) by default.
        note: Anything a reader should know; None by default.

    Raises:
        InvalidValueError: `publisher` or `title` is not a non-empty string, `note` is
            neither None nor one, or `date` is not a `datetime.date`.

    Examples:
        >>> import capexmodel as cm, datetime
        >>> article = cm.Source("Caijing", "中美科技巨头算力投资对比", datetime.date(2025, 4, 14))
        >>> str(article)
        'Caijing, 中美科技巨头算力投资对比 (2025-04-14)'
    """

    publisher: str = attrs.field(validator=_check_text)
    """Who published it: a company, a broker, a newspaper, a research firm."""

    title: str = attrs.field(validator=_check_text)
    """The document: a filing, a report, an article."""

    date: dt.date | None = attrs.field(default=None, validator=_check_date)
    """When it was published, if known."""

    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    """Anything a reader should know: the page, a caveat, how a figure was read."""

    def __str__(self) -> str:
        """Return ``publisher, title (date): note``, leaving out what is unknown."""
        text = f"{self.publisher}, {self.title}"
        if self.date is not None:
            text += f" ({self.date.isoformat()})"
        if self.note is not None:
            text += f": {self.note}"
        return text


def _check_projection_method(_: Projection, __: attrs.Attribute[str], value: str) -> None:
    if value not in ("spread", "share-of-revenue"):
        msg = f"a projection's method is 'spread' or 'share-of-revenue', got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class Projection:
    """The rule a projected fact follows, in words and by name.

    Attributes:
        method: ``"spread"`` (a plan divided by months) or ``"share-of-revenue"`` (a rate on grown revenue).
        rule: The rule in words, with its numbers.

    Raises:
        InvalidValueError: `method` is not one of the two, or `rule` is not a non-empty string.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Projection("spread", "a plan over 2025-01/2027-12 spread evenly: 12 of its 36 months").method
        'spread'
    """

    method: Literal["spread", "share-of-revenue"] = attrs.field(validator=_check_projection_method)
    """``"spread"`` (a plan divided by months) or ``"share-of-revenue"`` (a rate on grown revenue)."""

    rule: str = attrs.field(validator=_check_text)
    """The rule in words, with its numbers."""


def _iterate(values: Iterable[_T], caller: str, what: str) -> list[_T]:
    if isinstance(values, str):
        msg = f"{caller} takes an iterable of {what}, got the string {show(values)}"
        raise InvalidValueError(msg)
    try:
        return list(values)
    except TypeError:
        msg = f"{caller} takes an iterable of {what}, got {show(values)}"
        raise InvalidValueError(msg) from None


@public
def merge_sources(*groups: Iterable[Source]) -> tuple[Source, ...]:
    """The union of several groups of sources, each source once, in first-seen order.

    Args:
        *groups: Groups of sources, each an iterable of `Source`.

    Returns:
        Every source of the groups, each once, in the order first seen.

    Raises:
        InvalidValueError: A group is not an iterable (a string is refused), or holds
            something other than a `Source`.

    Examples:
        >>> import capexmodel as cm
        >>> a, b = cm.Source("Amazon", "10-K 2024"), cm.Source("Omdia", "Hopper shipments")
        >>> cm.merge_sources([a, b], [b, a])
        (Source(publisher='Amazon', title='10-K 2024', date=None, note=None), Source(publisher='Omdia', title='Hopper shipments', date=None, note=None))
    """  # noqa: E501
    sources = [source for group in groups for source in _iterate(group, "merge_sources()", "Source")]
    for source in sources:
        if not isinstance(source, Source):
            msg = f"merge_sources() merges Source values, got {show(source)}"
            raise InvalidValueError(msg)
    return tuple(dict.fromkeys(sources))
