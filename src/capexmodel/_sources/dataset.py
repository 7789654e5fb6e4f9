"""The dataset: companies, facts, rates and chip purchases, and the queries and analyses over them.

Reading data files is `capexmodel._sources.loading`'s business; this module only answers questions.
"""

from __future__ import annotations

import decimal
import functools
import threading
import types
import unicodedata
import weakref
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, final, overload

import attrs

from capexmodel._context import QUOTIENT
from capexmodel._errors import (
    AmbiguousCompanyError,
    AmbiguousFactError,
    CurrencyMismatchError,
    FactNotFoundError,
    IncompleteTotalError,
    InvalidAmountError,
    InvalidValueError,
    UndefinedIndicatorError,
    UnknownCompanyError,
    UnknownMetricError,
    UnknownNameError,
    shorten,
    show,
)
from capexmodel._fx.calendarize import calendarize
from capexmodel._fx.rates import RateTable
from capexmodel._indicators.chips import ChipPurchase, H100Equivalents, h100_equivalents
from capexmodel._lazy import public
from capexmodel._model.calendarization import Calendarization
from capexmodel._model.company import Company, Region, fold, number_character
from capexmodel._model.conversion import Conversion
from capexmodel._model.currency import Currency
from capexmodel._model.facts import Fact
from capexmodel._model.money import Money, _money, total
from capexmodel._model.period import Period
from capexmodel._model.provenance import Metric, Source, Status, merge_sources
from capexmodel._model.validators import instance_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from capexmodel._indicators.chips import Precision
    from capexmodel._indicators.risk import BubbleRisk
    from capexmodel._model.calendarization import Method
    from capexmodel.frames import Backend

__all__ = ["Aggregate", "Dataset", "Group", "Ranking", "RankingRow", "Statement"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")


def in_own_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` in the library's decimal context: the caller's is neither used nor changed.

    Quotients that do not terminate round to 28 significant digits, half to even,
    whatever the caller's precision, rounding or traps; the caller's flags stay as they were.
    """

    @functools.wraps(function)
    def in_own(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(QUOTIENT):
            return function(*args, **kwargs)

    return in_own


def _methods_in_own_context(cls: type[_T]) -> type[_T]:
    """Run every public method of `cls` in the library's decimal context (see `in_own_context`).

    One rule for the whole class, so that no query or analysis, now or later, can
    forget it; and the methods stay undecorated functions, which mutation testing
    (mutmut mutates no decorated function) can reach.
    """
    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and isinstance(member, types.FunctionType):
            setattr(cls, name, in_own_context(member))
    return cls


def _check_name(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value:
        msg = f"{attribute.name} must be a non-empty string, got {show(value)}"
        raise InvalidValueError(msg)


def _check_statement_value(_: Statement, __: attrs.Attribute[Decimal], value: object) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        msg = f"a statement's value is a finite Decimal, got {show(value)}"
        raise InvalidAmountError(msg)


@public
@final
@attrs.frozen
class Statement:
    """A statement of the source that is not an amount of money: a share, a growth multiple, a rank.

    Attributes:
        key: A stable name for the statement.
        value: The number stated, a finite `Decimal` (floats are refused).
        unit: What the number counts: ``share``, ``times``, ``rank``.
        text_en: The statement in English.
        text_zh: The statement in Chinese.
        source: Where it was stated, a `Source`.

    Raises:
        InvalidValueError: `key` is not a name, or a field is not of its type.
        InvalidAmountError: `value` is not a finite `Decimal`.

    Examples:
        >>> import capexmodel as cm
        >>> share = cm.load_dataset().statement("cloud_share_aws_azure_gcp")
        >>> share.value, share.unit
        (Decimal('0.63'), 'share')
    """

    key: str = attrs.field(validator=_check_name)
    """A stable name for the statement."""

    value: Decimal = attrs.field(validator=_check_statement_value)
    """The number stated (a `Decimal`; floats are refused)."""

    unit: str = attrs.field(validator=instance_of(str, "a string"))
    """What the number counts: ``share``, ``times``, ``rank``."""

    text_en: str = attrs.field(validator=instance_of(str, "a string"))
    """The statement in English."""

    text_zh: str = attrs.field(validator=instance_of(str, "a string"))
    """The statement in Chinese."""

    source: Source = attrs.field(validator=instance_of(Source, "a capexmodel.Source"))
    """Where it was stated."""


def _to_members(value: Iterable[str]) -> tuple[str, ...]:
    members = tuple(value) if not isinstance(value, str) else ()
    if not members or not all(isinstance(member, str) for member in members):
        msg = f"a group's members are one or more company ids, got {show(value)}"
        raise InvalidValueError(msg)
    repeated = sorted({member for member in members if members.count(member) > 1})
    if repeated:
        msg = f"a group names each company once, got {', '.join(repeated)} more than once"
        raise InvalidValueError(msg)
    return members


@public
@final
@attrs.frozen
class Group:
    """A named set of companies that a source compares as one: the article's US five and China seven.

    A group is not a region: the US five leave out Nvidia and xAI, which are American too.

    Attributes:
        id: A stable id, such as ``us-five``.
        name_en: The group's name in English.
        name_zh: The group's name in Chinese.
        members: The companies' ids, in order, each once.
        source: Who defined the group, a `Source`; None by default.

    Raises:
        InvalidValueError: `id` is not a name, `members` is not one or more company ids,
            each once, or a field is not of its type.

    Examples:
        >>> import capexmodel as cm
        >>> cm.load_dataset().group("us-five").members
        ('amazon', 'microsoft', 'alphabet', 'meta', 'oracle')
    """

    id: str = attrs.field(validator=_check_name)
    """A stable id, such as ``us-five``."""

    name_en: str = attrs.field(validator=instance_of(str, "a string"))
    """The group's name in English."""

    name_zh: str = attrs.field(validator=instance_of(str, "a string"))
    """The group's name in Chinese."""

    members: tuple[str, ...] = attrs.field(converter=_to_members)
    """The companies' ids, in order, each once."""

    source: Source | None = attrs.field(
        default=None, validator=instance_of(Source, "a capexmodel.Source", optional=True)
    )
    """Who defined the group."""


def _to_facts(value: Iterable[Fact]) -> tuple[Fact, ...]:
    return tuple_of(value, Fact, "facts", non_empty=True)


def _to_missing(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_of(value, str, "missing")


@public
@final
@attrs.frozen
class Aggregate:
    """A total over several facts, with the facts it added and the companies it could not find.

    A total that leaves companies out says so: in `missing`, in `complete` and in its
    `str`; ``total(..., complete=True)`` refuses to leave any out.

    `Dataset.total` computes them.

    Attributes:
        value: The total, a `Money` in one currency over one period.
        facts: The facts added (one or more), one per company.
        missing: The ids of the companies asked about that have no such fact.

    Raises:
        InvalidValueError: A field is not of its type, or `facts` is empty.

    Examples:
        >>> import capexmodel as cm
        >>> us = cm.load_dataset().total("capex", period=cm.CalendarYear(2024), group="us-five", currency="USD")
        >>> us.value
        Money('258000000000', 'USD', Period.parse('2024'))
        >>> [fact.company.id for fact in us.facts]
        ['amazon', 'microsoft', 'alphabet', 'meta', 'oracle']
        >>> [str(fact.value.period) for fact in us.relabelled]
        ['2024-03/2025-02']
    """

    value: Money = attrs.field(validator=instance_of(Money, "a capexmodel.Money"))
    """The total, in one currency over one period."""

    facts: tuple[Fact, ...] = attrs.field(converter=_to_facts)
    """The facts added, one per company (converted where needed)."""

    missing: tuple[str, ...] = attrs.field(converter=_to_missing)
    """The companies asked about that have no such fact (by id)."""

    @property
    def complete(self) -> bool:
        """Whether every company asked about was added.

        Examples:
            >>> import capexmodel as cm
            >>> cm.load_dataset().total("capex", period=cm.CalendarYear(2024), region="US", currency="USD").complete
            False
        """
        return not self.missing

    @property
    def relabelled(self) -> tuple[Fact, ...]:
        """The facts added whose months are not the total's period, but which their source counts in it.

        Examples:
            >>> import capexmodel as cm
            >>> us = cm.load_dataset().total("capex", period=cm.CalendarYear(2024), group="us-five", currency="USD")
            >>> [fact.company.id for fact in us.relabelled]
            ['oracle']
        """
        return tuple(fact for fact in self.facts if fact.value.period != self.value.period)

    @property
    def status(self) -> Status:
        """Derived, or an estimate if any fact added is one.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> ds.total("capex", period=cm.CalendarYear(2024), group="china-seven", currency="USD").status
            <Status.ESTIMATE: 'estimate'>
        """
        return Status.combine(fact.status for fact in self.facts)

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the facts added, each once.

        Examples:
            >>> import capexmodel as cm
            >>> us = cm.load_dataset().total("capex", period=cm.CalendarYear(2024), group="us-five", currency="USD")
            >>> [source.publisher for source in us.sources]
            ['Caijing (财经)']
        """
        return merge_sources(*(fact.sources for fact in self.facts))

    def __repr__(self) -> str:
        """Return ``<Aggregate: metric of companies over period: amount currency, complete>``, short."""
        from capexmodel._model.display import aggregate_repr  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return aggregate_repr(self)

    def _repr_html_(self) -> str:
        """The facts added, the companies missing and the total, as an HTML table (for notebooks)."""
        from capexmodel._model.display import aggregate_view, html  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return html(aggregate_view(self))

    def _repr_markdown_(self) -> str:
        """The facts added, the companies missing and the total, as a Markdown table (for notebooks)."""
        from capexmodel._model.display import aggregate_view, markdown  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return markdown(aggregate_view(self))

    def to_frame(self, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides the type
        """The facts added and the companies missing, one row each, as a table of `backend`.

        Columns: ``company``, ``metric``, ``period_start``, ``period_end``,
        ``currency``, ``amount`` (an exact decimal column), ``status``, ``basis``,
        ``sources`` (each source's text, separated by `` | ``), ``counted_as_start``,
        ``counted_as_end`` and ``missing`` (true for a company with no figure, whose
        amount is null). The amounts add up to `value`. Needs the ``frames`` extra.

        Args:
            backend: ``"pyarrow"``, ``"pandas"`` or ``"polars"``.

        Returns:
            The table, of the backend's own type.

        Raises:
            InvalidValueError: `backend` is not one of those, or its package is not installed.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> us = ds.total("capex", period=cm.CalendarYear(2024), region="US", currency="USD")
            >>> table = us.to_frame("polars")
            >>> table["amount"].sum() == us.value.amount, table.filter(table["missing"])["company"].to_list()
            (True, ['nvidia', 'xai'])
        """
        from capexmodel.frames._layout import aggregate_table  # noqa: PLC0415 -- tables load on first use

        return aggregate_table(self, backend)

    def __str__(self) -> str:
        """The total, what it adds up, and what it leaves out."""
        text = f"{self.value}: {self.facts[0].metric} of {', '.join(fact.company.id for fact in self.facts)}"
        for fact in self.relabelled:
            text += f"; {fact.company.id}'s figure covers {fact.value.period}"
        if self.missing:
            text += f"; INCOMPLETE: no figure for {', '.join(self.missing)}"
        return text


def _check_ranked_value(_: RankingRow, __: attrs.Attribute[Money | Decimal], value: object) -> None:
    if not isinstance(value, Money) and not (isinstance(value, Decimal) and value.is_finite()):
        msg = f"a ranked value is a capexmodel.Money or a finite Decimal, got {show(value)}"
        raise InvalidAmountError(msg)


def _check_rank(_: RankingRow, __: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        msg = f"a rank is a whole number from 1, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class RankingRow:
    """One company's place in a `Ranking`: its rank, the value ranked and the facts it comes from.

    Attributes:
        company: The `Company`.
        value: The value ranked: a `Money` (in the ranking's currency) or an indicator's `Decimal`.
        rank: The place, a whole number from 1.
        facts: The facts the value comes from (one or more).

    Raises:
        InvalidValueError: `company` is not a `Company`, `rank` is not a whole number
            from 1, or `facts` is empty or holds something else.
        InvalidAmountError: `value` is neither a `Money` nor a finite `Decimal`.

    Examples:
        >>> import capexmodel as cm
        >>> first = cm.load_dataset().rank("capex", period="2024", currency="USD").rows[0]
        >>> first
        RankingRow(company=<Company amazon>, value=Money('77700000000', 'USD', Period.parse('2024')), rank=1)
    """

    company: Company = attrs.field(
        validator=instance_of(Company, "a capexmodel.Company"), repr=lambda company: f"<Company {company.id}>"
    )
    """The company."""

    value: Money | Decimal = attrs.field(validator=_check_ranked_value)
    """The value ranked: an amount (in the ranking's currency) or an indicator's `Decimal`."""

    rank: int = attrs.field(validator=_check_rank)
    """The place, from 1; companies whose values are equal share it, and the next place is skipped."""

    facts: tuple[Fact, ...] = attrs.field(converter=_to_facts, repr=False)
    """The facts the value comes from: the metric's figure, or an indicator's inputs."""


def _to_rows(value: Iterable[RankingRow]) -> tuple[RankingRow, ...]:
    return tuple_of(value, RankingRow, "rows")


def _show_rows(rows: tuple[RankingRow, ...]) -> str:
    """The rows in a `Ranking`'s repr: how many, and the first few companies."""
    first = ", ".join(row.company.id for row in rows[:_SHOWN_ROWS])
    return f"<{len(rows)} rows: {first}{', ...' if len(rows) > _SHOWN_ROWS else ''}>"


#: A `Ranking`'s repr names the companies of its first this many rows.
_SHOWN_ROWS = 3


@public
@final
@attrs.frozen
class Ranking:
    """Companies ordered by a metric or an indicator over a period, with those left out for want of a figure.

    Ties share a rank and are listed by company id; a company without the figure is
    never dropped silently: it is in `left_out` (by id), and `str` says so.

    `Dataset.rank` computes them.

    Attributes:
        by: What is ranked: a metric (``"capex"``) or an indicator (``"capex_intensity"``).
        period: The `Period` ranked.
        rows: The companies with a figure, in order, each a `RankingRow`.
        left_out: The ids of the companies asked about that have no figure.
        descending: Whether the largest value comes first; True by default.

    Raises:
        InvalidValueError: A field is not of its type.

    Examples:
        >>> import capexmodel as cm
        >>> ranking = cm.load_dataset().rank("capex", period="2024", group="us-five", currency="USD")
        >>> print(ranking)
        capex over 2024, largest first:
          1  amazon     77700000000 USD
          2  microsoft  75600000000 USD
          3  alphabet   52500000000 USD
          4  meta       37300000000 USD
          5  oracle     14900000000 USD (covers 2024-03/2025-02)
    """

    by: str = attrs.field(validator=instance_of(str, "a string"))
    """What is ranked: a metric (``"capex"``) or an indicator (``"capex_intensity"``)."""

    period: Period = attrs.field(validator=instance_of(Period, "a capexmodel.Period"))
    """The period ranked."""

    rows: tuple[RankingRow, ...] = attrs.field(converter=_to_rows, repr=_show_rows)
    """The companies with a figure, in order."""

    left_out: tuple[str, ...] = attrs.field(converter=_to_missing)
    """The companies asked about that have no figure (by id), in the order they were asked about."""

    descending: bool = attrs.field(default=True, validator=instance_of(bool, "True or False"))
    """Whether the largest value comes first."""

    def __str__(self) -> str:
        """The ranking as a small table, and who is left out."""
        order = "largest" if self.descending else "smallest"
        lines = [f"{self.by} over {self.period}, {order} first:"]
        width = max((len(row.company.id) for row in self.rows), default=0)
        for row in self.rows:
            value = row.value
            if isinstance(value, Money):
                text = value._brief(period=False)
                if value.period != self.period:
                    text += f" (covers {value.period})"
            else:
                text = f"{value:f}"
            part = f" [{row.facts[0].segment}]" if row.facts[0].segment is not None else ""
            lines.append(f"{row.rank:>3}  {row.company.id:<{width}}  {text}{part}")
        if self.left_out:
            lines.append(f"left out, for want of a figure: {', '.join(self.left_out)}")
        return "\n".join(lines)


@public
@final
@_methods_in_own_context
@attrs.frozen(eq=False)
class Dataset:
    """Companies, facts, exchange rates, chip purchases and statements, and queries over them.

    When several facts fit a query (the article's 777亿美元 and Amazon's 10-K figures
    for its 2024 capex), the one citing the dataset's preferred sources (the article,
    in the embedded dataset) is used; `basis=` or `source=` select another. A lookup
    that finds nothing raises a `LookupError`: `FactNotFoundError`,
    `UnknownCompanyError` or `UnknownNameError`.

    `load_dataset` builds one from the embedded data or your own files.

    Attributes:
        companies: Every `Company`, in file order.
        sources: Every `Source`, by id.
        facts: Every `Fact`, in file order.
        rates: The dataset's exchange rates, a `RateTable`.
        purchases: Chip purchases, each a `ChipPurchase`.
        statements: Statements that are not amounts of money, each a `Statement`.
        preferred_sources: The sources whose facts win when several fit a query, in order.
        groups: Named groups of companies, each a `Group`; none by default.
        superseded: Values that later filings replaced; none by default.

    Examples:
        >>> import capexmodel as cm
        >>> ds = cm.load_dataset()
        >>> ds.fact("amazon", "capex", cm.CalendarYear(2024)).value
        Money('77700000000', 'USD', Period.parse('2024'))
        >>> ds.fact("amazon", "capex", cm.CalendarYear(2024), basis="purchases of property and equipment, gross").value
        Money('82999000000', 'USD', Period.parse('2024'))
    """

    companies: tuple[Company, ...]
    """Every company, in file order."""

    sources: Mapping[str, Source]
    """Every source, by id."""

    facts: tuple[Fact, ...]
    """Every fact, in file order."""

    rates: RateTable
    """The dataset's exchange rates (the article's 2024 average, 1 USD = 7.230 CNY)."""

    purchases: tuple[ChipPurchase, ...]
    """Chip purchases."""

    statements: tuple[Statement, ...]
    """Statements that are not amounts of money."""

    preferred_sources: tuple[Source, ...]
    """The sources whose facts win when several fit a query, in order."""

    groups: tuple[Group, ...] = ()
    """Named groups of companies (the article's ``us-five`` and ``china-seven``)."""

    superseded: tuple[Fact, ...] = ()
    """Values that later filings replaced (restated figures), oldest filing first; queries ignore them,
    `Dataset.history` shows them."""

    def __repr__(self) -> str:
        """Return ``<Dataset: 12 companies, 112 facts, 2023-2025, 14 sources>``: what it holds, not all of it."""
        from capexmodel._model.display import dataset_repr  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return dataset_repr(self)

    def _repr_html_(self) -> str:
        """The companies, with how many facts each has, as an HTML table (for notebooks)."""
        from capexmodel._model.display import dataset_view, html  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return html(dataset_view(self))

    def _repr_markdown_(self) -> str:
        """The companies, with how many facts each has, as a Markdown table (for notebooks)."""
        from capexmodel._model.display import dataset_view, markdown  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return markdown(dataset_view(self))

    # Lookups -----------------------------------------------------------------------------

    def company(self, name: Company | str) -> Company:
        """The company with this id, English or Chinese name, ticker or alias, in any case.

        Names are compared after Unicode NFKC normalisation and case folding (full-width
        letters are the letters they stand for; runs of spaces are one space); a name
        holding a character that stands for a number but is not a digit (①, Ⅻ) is
        refused rather than read. An id written exactly as it is always finds its
        company. Every query that takes a company (`select`, `fact`, `total`,
        `intensity`, `growth`, `bubble_risk`, `rank`) finds it here.

        Args:
            name: A `Company`, or its id, name, ticker or alias.

        Returns:
            The company.

        Raises:
            UnknownCompanyError: No company goes by `name` (the message suggests the closest names).
            AmbiguousCompanyError: Several companies go by `name` (the message lists them).
            InvalidValueError: `name` holds a character that stands for a number but is not a digit.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> [ds.company(name).id for name in ("MSFT", "microsoft", "google", "腾讯", "9988.hk")]
            ['microsoft', 'microsoft', 'alphabet', 'tencent', 'alibaba']
        """
        return _directory(self).find(name.id if isinstance(name, Company) else name)

    def companies_in(self, region: Region | str) -> tuple[Company, ...]:
        """The companies of a region, in file order.

        Args:
            region: A `Region`, or its code.

        Returns:
            The companies based there, in file order (none, for a region without any).

        Raises:
            InvalidValueError: `region` is not a CLDR territory code.

        Examples:
            >>> import capexmodel as cm
            >>> [company.id for company in cm.load_dataset().companies_in("CN")][:3]
            ['bytedance', 'alibaba', 'tencent']
        """
        code = region if isinstance(region, Region) else Region(region)
        return tuple(company for company in self.companies if company.region == code)

    def _in_region(self, region: Region | str) -> tuple[Company, ...]:
        """The companies of a region, which must have some (`UnknownNameError` lists the regions that do)."""
        members = self.companies_in(region)
        if not members:
            code = _region(region).code
            known = ", ".join(sorted({company.region.code for company in self.companies})) or "none"
            msg = f"the dataset has no company in region {code}: its regions are {known}"
            raise UnknownNameError(msg, kind="region", name=code)
        return members

    def group(self, group_id: str) -> Group:
        """The group with this id.

        Args:
            group_id: The group's id, such as ``"us-five"``.

        Returns:
            The group.

        Raises:
            UnknownNameError: The dataset has no group with that id (the message lists them).

        Examples:
            >>> import capexmodel as cm
            >>> cm.load_dataset().group("china-seven").name_zh
            '中国七家科技公司'
        """
        for group in self.groups:
            if group.id == group_id:
                return group
        known = ", ".join(group.id for group in self.groups) or "none"
        msg = f"unknown group {show(group_id)}: the dataset's groups are {known}"
        raise UnknownNameError(msg, kind="group", name=group_id)

    def statement(self, key: str) -> Statement:
        """The statement with this key.

        Args:
            key: The statement's key.

        Returns:
            The statement.

        Raises:
            UnknownNameError: The dataset has no statement with that key (the message lists the keys).

        Examples:
            >>> import capexmodel as cm
            >>> cm.load_dataset().statement("cloud_share_aws_azure_gcp").unit
            'share'
        """
        for statement in self.statements:
            if statement.key == key:
                return statement
        known = ", ".join(statement.key for statement in self.statements)
        msg = f"no statement called {show(key)}: the dataset has {known}"
        raise UnknownNameError(msg, kind="statement", name=key)

    def select(
        self,
        *,
        company: Company | str | None = None,
        metric: Metric | str | None = None,
        period: Period | str | None = None,
        status: Status | str | None = None,
        region: Region | str | None = None,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | str | None = None,
    ) -> tuple[Fact, ...]:
        """Every fact that matches all the criteria given (None matches anything).

        A period matches the facts over it and those their source counts in it
        (`Fact.counted_as`). An unknown company, source or basis is an error, never an
        empty result.

        Args:
            company: The company (a `Company`, or its id, name, ticker or alias).
            metric: The metric (a `Metric` or its name).
            period: The period (a `Period`, or its label such as ``"2024"`` or ``"2024-Q4"``).
            status: The status (a `Status` or its value).
            region: The companies' region (a `Region` or its code).
            basis: The basis, as the facts write it.
            source: A source the facts cite (a `Source` of the dataset, or its id).
            market: The market of a revenue split (a `Region` or its code).

        Returns:
            The facts that match, in file order.

        Raises:
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownNameError: `source` or `basis` is not the dataset's.
            UnknownMetricError: `metric` is not a known or declared metric.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.
            InvalidValueError: `status` is not a status, or `region` or `market` not a region code.

        Examples:
            >>> import capexmodel as cm
            >>> estimates = cm.load_dataset().select(status="estimate", metric="capex", period="2024")
            >>> [fact.company.id for fact in estimates]
            ['bytedance', 'china-mobile', 'china-telecom']
        """
        company_id = None if company is None else self.company(company).id
        wanted_metric = None if metric is None else Metric(metric)
        wanted_period = None if period is None else _period(period)
        wanted_status = None if status is None else Status.parse(status)
        wanted_region = None if region is None else _region(region)
        wanted_market = None if market is None else _region(market)
        wanted_source = None if source is None else self._source(source)
        if basis is not None:
            self._check_basis(basis)
        return tuple(
            fact
            for fact in self.facts
            if (company_id is None or fact.company.id == company_id)
            and (wanted_metric is None or fact.metric == wanted_metric)
            and (wanted_period is None or wanted_period in (fact.value.period, fact.counted_as))
            and (wanted_status is None or fact.status == wanted_status)
            and (wanted_region is None or fact.company.region == wanted_region)
            and (basis is None or fact.basis == basis)
            and (wanted_source is None or wanted_source in fact.sources)
            and (wanted_market is None or fact.market == wanted_market)
        )

    def fact(
        self,
        company: Company | str,
        metric: Metric | str,
        period: Period | str,
        *,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | str | None = None,
        whole_company: bool = False,
    ) -> Fact:
        """The one fact about `company`'s `metric` over `period` (a Period or its label).

        With ``whole_company=True``, only figures that cover the whole company count
        (not a segment, such as China Mobile's compute capex). Several fit: the one
        citing the first preferred source that any of them cites (and, among those,
        the one derived from the others: the figure the source published).

        Args:
            company: The company (a `Company`, or its id, name, ticker or alias).
            metric: The metric (a `Metric` or its name).
            period: The period (a `Period`, or its label).
            basis: Only facts with this basis.
            source: Only facts citing this source (a `Source` of the dataset, or its id).
            market: The market of a revenue split (a `Region` or its code).
            whole_company: Whether only figures that cover the whole company count.

        Returns:
            The fact.

        Raises:
            FactNotFoundError: No fact fits (the message names the periods that have the metric).
            AmbiguousFactError: Several fit and none cites a preferred source (the message lists them).
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownNameError: `source` or `basis` is not the dataset's.
            UnknownMetricError: `metric` is not a known or declared metric.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.
            InvalidValueError: `whole_company` is not a bool.

        Examples:
            >>> import capexmodel as cm
            >>> oracle = cm.load_dataset().fact("oracle", "capex", "2024")
            >>> str(oracle.value.period), str(oracle.counted_as)
            ('2024-03/2025-02', '2024')
        """
        _check_flag("whole_company", whole_company)
        wanted = _period(period)
        member = self.company(company)
        found = self.select(company=member, metric=metric, period=wanted, basis=basis, source=source, market=market)
        candidates = found if market is not None else tuple(fact for fact in found if fact.market is None)
        if whole_company:
            candidates = tuple(fact for fact in candidates if fact.segment is None)
        if not candidates:
            raise self._not_found(member, metric, wanted, basis, source, market=market, markets=_markets(found))
        return self._preferred(candidates)

    def history(self, company: Company | str, metric: Metric | str, period: Period | str) -> tuple[Fact, ...]:
        """Every value of `company`'s `metric` over `period`: the replaced ones, oldest filing first, then the current.

        The current value is the one `Dataset.fact` gives; before it come the values of
        `Dataset.superseded` that it replaced (same basis, months and part of the company).

        Args:
            company: The company (a `Company`, or its id, name, ticker or alias).
            metric: The metric (a `Metric` or its name).
            period: The period (a `Period`, or its label).

        Returns:
            The replaced values, oldest filing first, then the current one.

        Raises:
            FactNotFoundError: No fact fits.
            AmbiguousFactError: Several fit and none cites a preferred source.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownMetricError: `metric` is not a known or declared metric.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> [str(fact.value) for fact in ds.history("alphabet", "capex", "2023")]
            ['32251000000 USD over 2023']
        """
        current = self.fact(company, metric, period)

        def series(fact: Fact) -> tuple[object, ...]:
            return fact.company.id, fact.metric, fact.value.period, fact.basis, fact.segment, fact.market

        earlier = tuple(fact for fact in self.superseded if series(fact) == series(current))
        return (*earlier, current)

    def _not_found(
        self,
        company: Company,
        metric: Metric | str,
        period: Period,
        basis: str | None,
        source: object,
        *,
        market: Region | str | None = None,
        markets: str = "",
    ) -> FactNotFoundError:
        company_id = company.id
        metric = Metric(metric)
        others = sorted(
            {str(fact.value.period) for fact in self.facts if fact.company.id == company_id and fact.metric == metric}
        )
        has = f"{company_id} has {metric} over {', '.join(others)}" if others else f"{company_id} has no {metric} fact"
        if markets:
            has = f"{company_id} has {metric} for the markets {markets}: pass market= to choose one"
        selectors = _selectors(basis, source, None if market is None else _region(market))
        msg = f"no {metric} fact for {company_id} over {period}{selectors}; {has}"
        return FactNotFoundError(msg, company=company_id, metric=metric, period=period)

    def _preferred(self, candidates: tuple[Fact, ...]) -> Fact:
        if len(candidates) == 1:
            return candidates[0]
        for preferred in self.preferred_sources:
            citing = [fact for fact in candidates if preferred in fact.sources]
            if not citing:
                continue
            citing = [fact for fact in citing if not any(_derives_from(other, fact) for other in citing)]
            if len(citing) == 1:
                return citing[0]
            break  # the most preferred source that any of them cites gives several: a tie
        shown = "; ".join(f"{fact.value._brief(period=False)} ({fact.basis or 'no basis'})" for fact in candidates)
        first = candidates[0]
        msg = (
            f"several {first.metric} facts for {first.company.id} over {first.value.period}: {shown};"
            " pass basis= or source= to choose one"
        )
        raise AmbiguousFactError(msg)

    def _source(self, source: Source | str) -> Source:
        if isinstance(source, Source) and source in self.sources.values():
            return source
        found = self.sources.get(source) if isinstance(source, str) else None
        if found is None:
            known = ", ".join(self.sources)
            msg = f"unknown source {show(source)}: the dataset has {known}"
            raise UnknownNameError(msg, kind="source", name=source)
        return found

    def _check_basis(self, basis: object) -> None:
        if not isinstance(basis, str) or not any(fact.basis == basis for fact in self.facts):
            known = "; ".join(repr(basis) for basis in dict.fromkeys(fact.basis for fact in self.facts) if basis)
            msg = f"no fact has the basis {show(basis)}: the bases are {known}"
            raise UnknownNameError(msg, kind="basis", name=basis)

    # Totals and conversions -----------------------------------------------------------------

    def total(
        self,
        metric: Metric | str,
        *,
        period: Period | str,
        region: Region | str | None = None,
        group: Group | str | None = None,
        companies: Iterable[Company | str] | None = None,
        currency: str | None = None,
        rates: RateTable | None = None,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | str | None = None,
        complete: bool = False,
    ) -> Aggregate:
        """Add up one metric over `period` for a region's, a group's or the named companies, in one currency.

        Each company contributes its one fact (see `Dataset.fact`) in `currency`: a
        figure its source converted (the article's at 7.230) is re-derived from its
        input at `rates` (the dataset's own by default), any other is converted.
        Companies without the fact are listed in `Aggregate.missing`, never counted
        as zero, unless ``complete=True``. As in `Dataset.fact`, only facts for `market`
        count (revenue by market needs one; any other metric has none).

        Args:
            metric: The metric (a `Metric` or its name).
            period: The period (a `Period`, or its label).
            region: Add up the companies of this region (a `Region` or its code).
            group: Add up the companies of this group (a `Group` or its id).
            companies: Add up these companies (each a `Company`, or its id or name).
            currency: The currency to add up in (an ISO 4217 code); needed when the figures
                are in several.
            rates: The rates to convert with; the dataset's by default.
            basis: Only facts with this basis.
            source: Only facts citing this source (a `Source` of the dataset, or its id).
            market: The market of a revenue split (a `Region` or its code).
            complete: Whether leaving a company out is an error.

        Returns:
            The total, the facts added and the companies missing.

        Raises:
            InvalidValueError: Not exactly one of `region`, `group` and `companies` is given,
                `companies` names no company or one twice, `rates` is not a `RateTable`, or
                `complete` is not a bool.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownNameError: The group, source or basis is not the dataset's, or no company is
                in `region`.
            UnknownMetricError: `metric` is not a known or declared metric.
            InvalidPeriodError: `period` is a label that names no period.
            FactNotFoundError: None of the companies has the fact.
            AmbiguousFactError: Several facts fit for one company and none cites a preferred source.
            IncompleteTotalError: ``complete=True`` and some company has no such fact.
            CurrencyMismatchError: The figures are in several currencies and `currency` is not given.
            MissingRateError: No rate converts a figure to `currency`.
            UnknownCurrencyError: `currency` is not an ISO 4217 code.

        Examples:
            >>> import capexmodel as cm
            >>> ds, y24 = cm.load_dataset(), cm.CalendarYear(2024)
            >>> china = ds.total("capex", period=y24, group="china-seven", currency="USD")
            >>> cm.format_money(china.value, locale="zh_CN"), china.status
            ('446亿美元', <Status.ESTIMATE: 'estimate'>)
            >>> other = cm.RateTable([cm.ExchangeRate("USD", "CNY", "6.0", y24)])
            >>> at_six = ds.total("capex", period=y24, group="china-seven", currency="USD", rates=other)
            >>> cm.format_money(at_six.value, locale="zh_CN")
            '537亿美元'
        """
        members = self._members(region, group, companies)
        if rates is not None and not isinstance(rates, RateTable):
            msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
            raise InvalidValueError(msg)
        _check_flag("complete", complete)
        wanted = _period(period)
        metric = Metric(metric)
        if source is not None:
            self._source(source)
        if basis is not None:
            self._check_basis(basis)
        wanted_market = None if market is None else _region(market)
        table = self.rates if rates is None else rates
        found: list[Fact] = []
        missing: list[str] = []
        other_markets: list[Fact] = []
        for member in members:
            candidates, matching = self._candidates(
                member, metric, wanted, basis=basis, source=source, market=wanted_market
            )
            if not candidates:
                missing.append(member.id)
                other_markets.extend(fact for fact in matching if fact.market is not None)
                continue
            fact = self._preferred(candidates)
            found.append(fact if currency is None else self._restate(fact, Currency(currency), table))
        if missing and complete:
            msg = (
                f"the total of {metric} over {wanted} leaves out {', '.join(missing)}: they have no such fact"
                + _selectors(basis, source)
            )
            raise IncompleteTotalError(msg, missing=tuple(missing))
        if not found:
            raise _nothing_found(members, metric, wanted, _selectors(basis, source, wanted_market), other_markets)
        value = total([_money(fact.value.amount, fact.value.currency, wanted) for fact in found])
        return Aggregate(value, tuple(found), tuple(missing))

    def _members(
        self,
        region: Region | str | None,
        group: Group | str | None,
        companies: Iterable[Company | str] | None,
        *,
        caller: str = "total() adds up",
    ) -> tuple[Company, ...]:
        if sum(choice is not None for choice in (region, group, companies)) != 1:
            msg = f"{caller} a region's, a group's or the named companies: pass one of region=, group=, companies="
            raise InvalidValueError(msg)
        if region is not None:
            return self._in_region(region)
        if group is not None:
            chosen = group if isinstance(group, Group) else self.group(group)
            return tuple(self.company(member) for member in chosen.members)
        return self._named(companies)  # type: ignore[arg-type]

    def _named(self, companies: Iterable[Company | str], argument: str = "companies=") -> tuple[Company, ...]:
        """The companies `argument` names, each found by `company` once; every unknown name in one error."""
        if isinstance(companies, str) or not hasattr(companies, "__iter__"):
            msg = f"{argument} must be a list of companies, ids or names, got {show(companies)}"
            raise InvalidValueError(msg)
        found: list[Company] = []
        unknown: list[UnknownCompanyError] = []
        for name in companies:
            try:
                found.append(self.company(name))
            except UnknownCompanyError as error:
                unknown.append(error)
        if len(unknown) == 1:
            raise unknown[0]
        if unknown:
            known = ", ".join(company.id for company in self.companies)
            msg = f"unknown companies {', '.join(show(error.name) for error in unknown)}: the dataset knows {known}"
            raise UnknownCompanyError(msg, name=unknown[0].name)
        if not found:
            msg = f"{argument} names no company: name one or more companies, by id or name"
            raise InvalidValueError(msg)
        repeated = sorted({member.id for member in found if found.count(member) > 1})
        if repeated:
            msg = f"{argument} names {', '.join(repeated)} more than once: each company counts once"
            raise InvalidValueError(msg)
        return tuple(found)

    def rank(
        self,
        by: Metric | str,
        *,
        period: Period | str,
        region: Region | str | None = None,
        group: Group | str | None = None,
        companies: Iterable[Company | str] | None = None,
        currency: str | None = None,
        rates: RateTable | None = None,
        descending: bool = True,
    ) -> Ranking:
        """Rank companies by a metric (``"capex"``) or by capex intensity (``"capex_intensity"``) over `period`.

        Every company of the dataset is ranked, or those of one region, group or list.
        A metric's figure is the one `Dataset.total` would add (see `Dataset.fact`),
        converted to `currency` at `rates` as `total` converts it; figures in several
        currencies need `currency=`. Capex intensity is `Dataset.intensity`'s (a ratio,
        so `currency=` does not apply). Ties share a rank and are listed by company id;
        companies without the figure (or whose intensity is undefined) are in
        `Ranking.left_out`, never dropped silently.

        Args:
            by: A metric (a `Metric` or its name), or ``"capex_intensity"``.
            period: The period (a `Period`, or its label).
            region: Rank the companies of this region (a `Region` or its code).
            group: Rank the companies of this group (a `Group` or its id).
            companies: Rank these companies (each a `Company`, or its id or name).
            currency: The currency to rank amounts in (an ISO 4217 code); not for an indicator.
            rates: The rates to convert with; the dataset's by default.
            descending: Whether the largest value comes first.

        Returns:
            The companies in order, and those left out.

        Raises:
            InvalidValueError: More than one of `region`, `group` and `companies` is given,
                `companies` names no company or one twice, `rates` is not a `RateTable`,
                `descending` is not a bool, or `currency` is given for an indicator.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownNameError: The group is not the dataset's, or no company is in `region`.
            UnknownMetricError: `by` is neither an indicator nor a known metric.
            InvalidPeriodError: `period` is a label that names no period.
            AmbiguousFactError: Several facts fit for one company and none cites a preferred source.
            CurrencyMismatchError: The figures are in several currencies and `currency` is not given.
            MissingRateError: No rate converts a figure to `currency`.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> by_capex = ds.rank("capex", period="2024", currency="USD")
            >>> [(row.rank, row.company.id) for row in by_capex.rows[:3]], by_capex.left_out
            ([(1, 'amazon'), (2, 'microsoft'), (3, 'alphabet')], ('nvidia', 'xai'))
            >>> by_intensity = ds.rank("capex_intensity", period="2024", group="us-five")
            >>> [(row.company.id, round(row.value, 3)) for row in by_intensity.rows[:2]]
            [('microsoft', Decimal('0.289')), ('oracle', Decimal('0.267'))]
        """
        _check_flag("descending", descending)
        wanted = _period(period)
        table = self.rates if rates is None else rates
        if not isinstance(table, RateTable):
            msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
            raise InvalidValueError(msg)
        indicator = by if isinstance(by, str) and by in _INDICATORS else None
        metric = None if indicator is not None else _rankable_metric(by)
        if indicator is not None and currency is not None:
            msg = f"{indicator} is a ratio, which no currency enters: rank it without currency= (got {show(currency)})"
            raise InvalidValueError(msg)
        target = None if currency is None else Currency(currency)
        if (region, group, companies) == (None, None, None):
            members = self.companies
        else:
            members = self._members(region, group, companies, caller="rank() ranks")
        ranked: list[tuple[Company, Money | Decimal, tuple[Fact, ...]]] = []
        left_out: list[str] = []
        for member in members:
            figure = self._figure(member, metric, wanted, target, table)
            if figure is None:
                left_out.append(member.id)
            else:
                ranked.append((member, *figure))
        currencies: dict[str, list[str]] = {}
        for member, value, _ in ranked:
            if isinstance(value, Money):
                currencies.setdefault(value.currency, []).append(member.id)
        if len(currencies) > 1:
            shown = shorten("; ".join(f"{code} for {', '.join(ids)}" for code, ids in sorted(currencies.items())))
            msg = f"{metric} over {wanted} is in several currencies ({shown}): pass currency= to rank in one"
            raise CurrencyMismatchError(msg)
        name = indicator if indicator is not None else str(metric)
        return Ranking(name, wanted, _ranked(ranked, descending), left_out, descending)

    def _figure(
        self, member: Company, metric: Metric | None, period: Period, currency: Currency | None, rates: RateTable
    ) -> tuple[Money | Decimal, tuple[Fact, ...]] | None:
        """What `rank` ranks `member` by, and its facts: the metric's figure, or capex intensity (for no metric)."""
        if metric is None:
            try:
                return self._intensity(member, period, rates)
            except (FactNotFoundError, UndefinedIndicatorError):
                return None
        candidates = self._candidates(member, metric, period)[0]
        if not candidates:
            return None
        fact = self._preferred(candidates)
        fact = fact if currency is None else self._restate(fact, currency, rates)
        return fact.value, (fact,)

    def _candidates(
        self,
        member: Company,
        metric: Metric,
        period: Period,
        *,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | None = None,
    ) -> tuple[tuple[Fact, ...], tuple[Fact, ...]]:
        """The facts a total or a ranking picks `member`'s figure from (those for `market`), and all that match."""
        matching = self.select(company=member, metric=metric, period=period, basis=basis, source=source)
        return tuple(fact for fact in matching if fact.market == market), matching

    @overload
    def convert(self, value: Money, currency: str, *, rates: RateTable | None = None, blend: bool = False) -> Money: ...
    @overload
    def convert(self, value: Fact, currency: str, *, rates: RateTable | None = None, blend: bool = False) -> Fact: ...
    def convert(
        self, value: Money | Fact, currency: str, *, rates: RateTable | None = None, blend: bool = False
    ) -> Money | Fact:
        """Convert an amount, or a fact, to `currency` with `rates` (the dataset's by default).

        A fact that its source converted (the article's figures in dollars at 7.230)
        is re-derived from its input, never converted back and forth; the result is a
        derived fact that says how.

        Args:
            value: A `Money`, or a `Fact`.
            currency: The currency to convert to (an ISO 4217 code).
            rates: The rates to convert with; the dataset's by default.
            blend: Whether a month-weighted blend of rates may be used where no rate covers
                the whole period.

        Returns:
            The amount in `currency`, or a fact derived in it.

        Raises:
            InvalidValueError: `rates` is not a `RateTable`, or `value` is not a `Money`.
            UnknownCurrencyError: `currency` is not an ISO 4217 code.
            MissingRateError: No rate or route covers the period.
            AmbiguousRateError: Several rates or routes fit equally well.

        Examples:
            >>> import capexmodel as cm
            >>> ds, y24 = cm.load_dataset(), cm.CalendarYear(2024)
            >>> bytedance = ds.fact("bytedance", "capex", y24)
            >>> cm.format_money(ds.convert(bytedance.value, "USD"), locale="zh_CN")
            '111亿美元'
            >>> tencent = ds.fact("tencent", "capex", y24)
            >>> str(tencent.value), str(ds.convert(tencent, "CNY").value)
            ('10700000000 USD over 2024', '77361000000 CNY over 2024')
        """
        table = self.rates if rates is None else rates
        if not isinstance(table, RateTable):
            msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
            raise InvalidValueError(msg)
        if isinstance(value, Fact):
            return self._restate(value, Currency(currency), table, blend=blend)
        return table.convert(value, currency, blend=blend)

    def _restate(self, fact: Fact, currency: Currency, table: RateTable, *, blend: bool = False) -> Fact:
        """`fact` in `currency`: re-derived from its input if it is a conversion, else converted."""
        fact = as_reported(fact)
        if fact.value.currency == currency:
            return fact
        conversion = table.conversion(fact.value.currency, currency, fact.value.period, blend=blend)
        return Fact.derive(conversion.apply(fact.value), [fact], derivation=conversion)

    def recompute(self, fact: Fact, *, rates: RateTable | None = None, method: Method | None = None) -> Fact:
        """Compute a derived fact again from its inputs: convert at `rates`, calendarize by `method`.

        The published figure and the recomputed one may differ: the article prints
        51亿美元 for China Mobile, where 371亿元 at 7.230 is 51.3亿美元. A conversion made
        with a month-weighted blend of rates is recomputed as one. A fact whose
        inputs are not in the dataset (its `note` says why) cannot be recomputed.

        Args:
            fact: A fact derived by a conversion or a calendarization.
            rates: The rates to convert with; the dataset's by default.
            method: How to calendarize (``"months"`` or ``"quarter-end"``); the fact's own
                method by default.

        Returns:
            The fact computed again, derived from its inputs (themselves recomputed).

        Raises:
            InvalidValueError: `fact` is not derived from facts by a conversion or a
                calendarization, `rates` is not a `RateTable`, or `method` is not a method.
            MissingRateError: No rate covers an input's period.
            PeriodMismatchError: The inputs no longer cover the fact's period by `method`.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> oracle = ds.fact("oracle", "capex", "2024")
            >>> oracle.value.amount, ds.recompute(oracle).value.amount
            (Decimal('14900000000'), Decimal('14933000000'))
        """
        table = self.rates if rates is None else rates
        if not isinstance(table, RateTable):
            msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
            raise InvalidValueError(msg)
        derivation = fact.derivation if isinstance(fact, Fact) else None
        if not isinstance(derivation, Conversion | Calendarization) or not fact.inputs:
            why = f" ({fact.note})" if isinstance(fact, Fact) and fact.note else ""
            msg = f"cannot recompute {show(fact)}: it is not derived from facts of the dataset{why}"
            if isinstance(fact, Fact) and fact.inputs and derivation is None:
                msg = (
                    f"cannot recompute {show(fact)}: it is computed from its inputs{why} by arithmetic"
                    " that no exchange rate or calendarization enters, so it stands as it is"
                )
            raise InvalidValueError(msg)
        inputs = [
            self.recompute(item, rates=table, method=method) if _is_derived(item) else item for item in fact.inputs
        ]
        if isinstance(derivation, Conversion):
            blend = derivation.method == "blend"  # a blend of rates is recomputed as a blend
            conversion = table.conversion(derivation.base, derivation.quote, derivation.period, blend=blend)
            return attrs.evolve(
                Fact.derive(conversion.apply(inputs[0].value), inputs, derivation=conversion, basis=fact.basis),
                counted_as=fact.counted_as,
            )
        restated = calendarize([item.value for item in inputs], fact.value.period, method=method or derivation.method)
        return attrs.evolve(
            Fact.derive(restated.value, inputs, derivation=restated, basis=fact.basis), counted_as=fact.counted_as
        )

    # Analyses ---------------------------------------------------------------------------------

    def intensity(self, company: Company | str, period: Period | str) -> Decimal:
        """Capex intensity (capex / revenue) of one company from the dataset's preferred facts.

        Both figures cover the whole company (never a segment such as China Mobile's
        compute capex) and the same months; capex is taken in revenue's currency,
        re-derived where its source converted it.

        Args:
            company: The company (a `Company`, or its id, name, ticker or alias).
            period: The period (a `Period`, or its label).

        Returns:
            Capex over revenue.

        Raises:
            FactNotFoundError: The company has no whole-company capex or revenue over `period`.
            AmbiguousFactError: Several fit and none cites a preferred source.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.
            MissingRateError: No rate converts capex to revenue's currency.
            UndefinedIndicatorError: Capex is negative, or revenue not positive.

        Examples:
            >>> import capexmodel as cm
            >>> round(cm.load_dataset().intensity("tencent", "2024"), 4)
            Decimal('0.1172')
        """
        return self._intensity(self.company(company), _period(period), self.rates)[0]

    def _intensity(self, company: Company, period: Period, rates: RateTable) -> tuple[Decimal, tuple[Fact, Fact]]:
        """Capex intensity, and the capex (in revenue's currency) and revenue it divides."""
        capex = self.fact(company, Metric.CAPEX, period, whole_company=True)
        revenue = as_reported(self.fact(company, Metric.REVENUE, period, whole_company=True))
        capex = self._restate(capex, revenue.value.currency, rates)
        from capexmodel._indicators.ratios import capex_intensity  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return capex_intensity(capex.value, revenue.value), (capex, revenue)

    def growth(
        self, company: Company | str, metric: Metric | str, period: Period | str, *, whole_company: bool = False
    ) -> Decimal:
        """Growth of one company's metric over `period` against the same months a year earlier.

        The figure over `period` is the one `Dataset.fact` picks (with ``whole_company=True``,
        among figures that cover the whole company); the earlier one covers the same
        months a year before and the same part of the company (China Mobile's compute
        capex grows against its compute capex, never against its total capex). Both are
        taken as reported; when their currencies differ, the earlier one is converted at
        the rates of `period` (constant currency: a move of the rate is not growth).

        Args:
            company: The company (a `Company`, or its id, name, ticker or alias).
            metric: The metric (a `Metric` or its name).
            period: The period (a `Period`, or its label).
            whole_company: Whether only figures that cover the whole company count.

        Returns:
            ``current / earlier − 1``.

        Raises:
            FactNotFoundError: No figure over `period`, or none over the same months a year
                earlier that covers the same part of the company.
            AmbiguousFactError: Several fit and none cites a preferred source.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownMetricError: `metric` is not a known or declared metric.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.
            MissingRateError: No rate converts the earlier figure to the current one's currency.
            UndefinedIndicatorError: The earlier figure is zero or negative.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> round(ds.growth("alphabet", "capex", "2024-Q4"), 3)
            Decimal('0.296')
            >>> round(ds.growth("china-mobile", "capex", "2024", whole_company=True), 3)
            Decimal('-0.090')
        """
        member = self.company(company)
        current = as_reported(self.fact(member, metric, period, whole_company=whole_company))
        months = current.value.period
        earlier_period = Period._from_indices(months._first - 12, months._last - 12)
        same = [
            fact
            for fact in self.select(company=member, metric=metric, period=earlier_period)
            if fact.value.period == earlier_period and fact.market is None
        ]
        alike = tuple(fact for fact in same if fact.segment == current.segment)
        if not alike:
            error = self._not_found(member, metric, earlier_period, None, None)
            if same:
                covers = _part(current.segment)
                msg = (
                    f"no {current.metric} fact for {current.company.id} over {earlier_period} that covers {covers},"
                    f" as the figure over {months} does; its figures over {earlier_period} cover"
                    f" {', '.join(dict.fromkeys(_part(fact.segment) for fact in same))}"
                )
                error = FactNotFoundError(msg, company=current.company.id, metric=current.metric, period=earlier_period)
            raise error
        before = as_reported(self._preferred(alike)).value
        if before.currency != current.value.currency:
            in_current_months = _money(before.amount, before.currency, months)
            at_current_rates = self.rates.convert(in_current_months, current.value.currency)
            before = _money(at_current_rates.amount, at_current_rates.currency, before.period)
        from capexmodel._indicators.ratios import growth  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return growth(current.value, before)

    def bubble_risk(
        self,
        period: Period | str,
        *,
        company: Company | str | None = None,
        region: Region | str | None = None,
        currency: str = "USD",
        thresholds: Mapping[str, object] | None = None,
    ) -> BubbleRisk:
        """`bubble_risk` of one company or region from the dataset's preferred facts, in one call.

        For each company, metric and period the signals need, the fact is picked
        exactly as `Dataset.fact` picks it, among figures that cover the whole company.
        Figures their source converted are
        taken as reported, and everything is converted to `currency` at the rates of
        `period` (the company's own currency, for one company).

        Args:
            period: The period (a `Period`, or its label).
            company: The company assessed (a `Company`, or its id or name); give this or `region`.
            region: The region assessed (a `Region` or its code); give this or `company`.
            currency: The currency a region's amounts are added up in (an ISO 4217 code).
            thresholds: Thresholds that replace the defaults, by signal name.

        Returns:
            The six signals and their score.

        Raises:
            InvalidValueError: Neither or both of `company` and `region` are given, or a
                threshold names no signal.
            UnknownCompanyError: `company` is a name no company of the dataset goes by.
            AmbiguousCompanyError: `company` is a name several companies go by.
            UnknownNameError: No company of the dataset is in `region`.
            InvalidValueError: `period` is neither a `Period` nor a label.
            InvalidPeriodError: `period` is a label that names no period.
            AmbiguousFactError: Two facts for one metric and period tie.
            MissingRateError: No rate converts an amount to `currency`.

        Examples:
            >>> import capexmodel as cm
            >>> risk = cm.load_dataset().bubble_risk("2024", company="meta")
            >>> [signal.name for signal in risk.signals if signal.fires]
            ['capex_to_depreciation', 'capex_intensity']
        """
        wanted = _period(period)
        earlier = Period._from_indices(wanted._first - 12, wanted._last - 12)
        if company is not None:
            scope: tuple[Company, ...] = (self.company(company),)
            company, currency = scope[0], scope[0].currency
        elif region is not None:
            scope = self._in_region(region)
        else:
            scope = ()
        chosen = []
        for member in scope:
            for metric in _RISK_METRICS:
                for when in (wanted, earlier):
                    try:
                        chosen.append(as_reported(self.fact(member, metric, when, whole_company=True)))
                    except FactNotFoundError:
                        continue
        from capexmodel._indicators.risk import bubble_risk  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

        return bubble_risk(
            chosen, wanted, company=company, region=region, rates=self.rates, currency=currency, thresholds=thresholds
        )

    def h100_equivalents(
        self, basis: Precision | Mapping[str, object] = "bf16", *, region: Region | str | None = None
    ) -> H100Equivalents:
        """H100-equivalents of the dataset's chip purchases, for a region's buyers or all of them.

        Args:
            basis: ``"bf16"``, ``"fp8"``, ``"bandwidth"``, or a mapping from chip name
                to factor, as for `capexmodel.h100_equivalents`.
            region: The region whose buyers count (a `Region` or its code); all buyers by default.

        Returns:
            The count, with its basis, the factor of each chip and the count of each buyer.

        Raises:
            InvalidValueError: `basis` is not a basis, or `region` is not a region code.
            UnknownNameError: The dataset has no company in `region`.
            UndefinedIndicatorError: A chip has no figure on the basis.

        Examples:
            >>> import capexmodel as cm
            >>> round(cm.load_dataset().h100_equivalents("bandwidth", region="CN").value)
            549254
        """
        purchases = self.purchases
        if region is not None:
            members = {company.id for company in self._in_region(region)}
            purchases = tuple(purchase for purchase in purchases if purchase.buyer_id in members)
        return h100_equivalents(purchases, basis=basis)


_RISK_METRICS = (
    Metric.CAPEX,
    Metric.REVENUE,
    Metric.OPERATING_CASH_FLOW,
    Metric.NET_INCOME,
    Metric.DEPRECIATION_AND_AMORTIZATION,
)


def as_reported(fact: Fact) -> Fact:
    """The figure a conversion started from: the input of a converted fact, followed back; any other fact itself.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._sources.dataset import as_reported
        >>> str(as_reported(cm.load_dataset().fact("tencent", "capex", "2024")).value)
        '77361000000 CNY over 2024'
    """
    while isinstance(fact.derivation, Conversion) and len(fact.inputs) == 1:
        fact = fact.inputs[0]
    return fact


def _is_derived(fact: Fact) -> bool:
    return isinstance(fact.derivation, Conversion | Calendarization) and bool(fact.inputs)


def _derives_from(fact: Fact, other: Fact) -> bool:
    """Whether `other` is one of `fact`'s inputs, or theirs."""
    return any(item is other or item == other or _derives_from(item, other) for item in fact.inputs)


def _period(period: Period | str) -> Period:
    """A period, or the period a label names (``"2024"``, ``"2024-Q4"``); anything else is refused."""
    if isinstance(period, Period):
        return period
    if isinstance(period, str):
        return Period.parse(period)
    msg = f"period must be a capexmodel.Period or a label such as '2024' or '2024-Q4', got {show(period)}"
    raise InvalidValueError(msg)


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        msg = f"{name} must be True or False, got {show(value)}"
        raise InvalidValueError(msg)


def _part(segment: str | None) -> str:
    """The part of a company a figure covers, in words."""
    return "the whole company" if segment is None else segment


def _markets(facts: Iterable[Fact]) -> str:
    """The markets of facts split by market, sorted and joined ("" for none)."""
    return ", ".join(sorted({fact.market.code for fact in facts if fact.market is not None}))


def _region(region: Region | str) -> Region:
    return region if isinstance(region, Region) else Region(region)


def _nothing_found(
    members: tuple[Company, ...], metric: Metric, period: Period, selectors: str, other_markets: list[Fact]
) -> FactNotFoundError:
    """The error of a total that found no fact at all, saying which markets there are, if any."""
    asked = ", ".join(member.id for member in members)
    msg = f"none of {asked} has a {metric} fact over {period}{selectors}"
    if other_markets:
        having = ", ".join(dict.fromkeys(fact.company.id for fact in other_markets))
        msg += f"; {having} has {metric} for the markets {_markets(other_markets)}: pass market= to choose one"
    return FactNotFoundError(msg, metric=metric, period=period)


def _selectors(basis: str | None, source: object, market: Region | None = None) -> str:
    parts = [f"basis={basis!r}" if basis is not None else "", f"source={show(source)}" if source is not None else ""]
    parts.append(f"market={market}" if market is not None else "")
    chosen = ", ".join(part for part in parts if part)
    return f" with {chosen}" if chosen else ""


#: Ids listed in an unknown-company message at most; the rest are counted.
_LISTED_IDS = 30


@final
class _Directory:
    """A dataset's companies by every name they go by (id, English and Chinese names, tickers, aliases), folded."""

    __slots__ = ("by_id", "by_name", "written")

    def __init__(self, companies: Iterable[Company]) -> None:
        self.by_id: dict[str, Company] = {}
        self.by_name: dict[str, dict[str, Company]] = {}
        self.written: dict[str, str] = {}  # a folded name as a company writes it, for messages
        for company in companies:
            self.by_id.setdefault(company.id, company)
            for name in (company.id, company.name_en, company.name_zh, *company.tickers, *company.aliases):
                if number_character(name) is None:  # a name no query can spell is not indexed
                    folded = fold(name)
                    self.by_name.setdefault(folded, {}).setdefault(company.id, company)
                    self.written.setdefault(folded, name)

    def find(self, name: object) -> Company:
        """The one company that goes by `name` (see `Dataset.company`)."""
        if not isinstance(name, str):
            raise self._unknown(name, "")
        exact = self.by_id.get(name)
        if exact is not None:
            return exact
        stray = number_character(name)
        if stray is not None:
            what = unicodedata.name(stray, f"U+{ord(stray):04X}")
            raise self._unknown(name, f" ({stray!r}, {what}, stands for a number: write it in digits or letters)")
        found = self.by_name.get(fold(name), {})
        if len(found) > 1:
            named = ", ".join(f"{company.id} ({company.name_en})" for company in found.values())
            msg = f"{show(name)} names several companies: {named}; pass the id of the one meant"
            raise AmbiguousCompanyError(msg, name=name, candidates=tuple(found))
        if not found:
            raise self._unknown(name, "")
        (company,) = found.values()
        return company

    def _unknown(self, name: object, why: str) -> UnknownCompanyError:
        suggestions: dict[str, str] = {}  # id -> the name that comes close
        if isinstance(name, str) and not why:
            import difflib  # noqa: PLC0415 -- loaded on first use, so that loading the data stays fast

            for close in difflib.get_close_matches(fold(name), list(self.by_name), n=3, cutoff=0.75):
                for company_id in self.by_name[close]:
                    suggestions.setdefault(company_id, self.written[close])
        ids = sorted(self.by_id)
        known = ", ".join(ids[:_LISTED_IDS]) + (f" and {len(ids) - _LISTED_IDS} more" if len(ids) > _LISTED_IDS else "")
        meant = " or ".join(
            repr(written) if written == company_id else f"{written!r} ({company_id})"
            for company_id, written in suggestions.items()
        )
        hint = f" did you mean {meant}?" if meant else ""
        msg = f"unknown company {show(name)}{why}:{hint} the dataset knows {known or 'none'}"
        return UnknownCompanyError(msg, kind="company", name=name, suggestions=tuple(suggestions))


_directories: weakref.WeakKeyDictionary[Dataset, _Directory] = weakref.WeakKeyDictionary()
_directories_lock = threading.Lock()


def _directory(dataset: Dataset) -> _Directory:
    """The dataset's `_Directory`, made on first use, once, whichever thread asks first."""
    found = _directories.get(dataset)
    if found is None:
        with _directories_lock:  # another thread may have made it meanwhile: then it is kept
            found = _directories[dataset] = _directories.get(dataset) or _Directory(dataset.companies)
    return found


#: The indicators `Dataset.rank` ranks by, besides metrics.
_INDICATORS = ("capex_intensity",)


def _rankable_metric(by: Metric | str) -> Metric:
    """The metric `by` names; an unknown name says what may be ranked."""
    try:
        return Metric(by)
    except UnknownMetricError as error:
        msg = f"cannot rank by {show(by)}: it is neither an indicator ({', '.join(_INDICATORS)}) nor a metric: {error}"
        raise UnknownMetricError(msg, name=error.name, suggestion=error.suggestion) from None


def _ranked(ranked: list[tuple[Company, Money | Decimal, tuple[Fact, ...]]], descending: bool) -> list[RankingRow]:  # noqa: FBT001 -- private
    """Rows in order: by value (the largest first when `descending`), ties by company id and sharing a rank."""

    def number(value: Money | Decimal) -> Decimal:
        return value.amount if isinstance(value, Money) else value

    ordered = sorted(ranked, key=lambda item: item[0].id)
    ordered.sort(key=lambda item: number(item[1]), reverse=descending)  # stable: ties stay by id
    rows: list[RankingRow] = []
    for company, value, facts in ordered:
        tied = rows and number(rows[-1].value) == number(value)
        rows.append(RankingRow(company, value, rows[-1].rank if tied else len(rows) + 1, facts))
    return rows
