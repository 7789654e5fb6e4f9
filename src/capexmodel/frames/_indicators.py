"""The indicators over whole tables, written once against narwhals."""

from __future__ import annotations

import contextlib
import decimal
import functools
import math
import sys
from decimal import Decimal
from operator import add, sub
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import (
    AmbiguousFactError,
    CurrencyMismatchError,
    InvalidPeriodError,
    InvalidValueError,
    UnknownCompanyError,
    show,
)
from capexmodel._indicators.rules import CAPEX_RATIOS, FREE_CASH_FLOW, GROWTH, SIGNALS, Input, Rule, combine
from capexmodel.frames._engine import SCALE, Engine, Key, polars_errors, prepare

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import narwhals as nw
    from narwhals.typing import IntoFrameT

    from capexmodel._fx.rates import RateTable
    from capexmodel._model.company import Company

__all__ = ["bubble_signals", "calendarize", "convert", "ratios", "totals", "year_over_year"]

_EIGHTEEN_PLACES = Decimal(1).scaleb(-SCALE, context=EXACT)
_P = ParamSpec("_P")
_R = TypeVar("_R")
_YEAR = 12  # months
_WHOLE_YEAR = 2**_YEAR - 1  # a bit for each month


def _in_own_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """`function`, run in the library's decimal context: the caller's, and its flags, are left as they were.

    What polars or Dask compute later (a LazyFrame collected, a Dask frame computed)
    sets the context itself, in whichever thread runs it. Dask is told to keep Python
    objects as they are while the computation is built: it would make strings of
    them (of an int beyond 64 bits, say). Dask's settings are the process's, so this
    one holds for any Dask work done while the call runs.
    """

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(QUOTIENT), contextlib.ExitStack() as stack:
            dask = sys.modules.get("dask")
            if dask is not None:  # a Dask table means Dask is imported; no other table needs it
                stack.enter_context(dask.config.set({"dataframe.convert-string": False}))
            return function(*args, **kwargs)

    return run


@_in_own_context
def convert(facts: IntoFrameT, rates: RateTable, currency: str, *, blend: bool = False) -> IntoFrameT:
    """The facts with every amount converted to `currency`, by `rates`' rules.

    Each (currency, period) pair in the table is converted as `RateTable.conversion`
    says, so a missing rate raises `MissingRateError` (never a null) and `blend=`
    means what it means there. Each amount is multiplied by the exact factor and
    rounded once, half to even, to 18 decimal places. The other columns are kept.

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.
        rates: The exchange rates to convert by.
        currency: The currency to convert to (an ISO 4217 code).
        blend: Whether a month-weighted blend of rates may be used where no rate
            covers a whole period.

    Returns:
        A table of the same kind as `facts`, its amounts in `currency`.

    Raises:
        InvalidValueError: `rates` is not a `RateTable`, `facts` is not a table of a
            supported kind, lacks a column of the layout, or an amount overflows
            ``decimal(38, 18)``; or the ``frames`` extra is not installed.
        UnknownCurrencyError: `currency` is not an ISO 4217 code.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).
        MissingRateError: No rate covers a pair of currency and period in the table.
        AmbiguousRateError: Several rates or routes fit one pair equally well.

    Examples:
        >>> import datetime as dt, polars as pl
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> capex = pl.DataFrame({"company": ["bytedance"], "metric": ["capex"], "currency": ["CNY"],
        ...                       "period_start": [dt.date(2024, 1, 1)], "period_end": [dt.date(2024, 12, 31)],
        ...                       "amount": [80_000_000_000]})
        >>> rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", cm.CalendarYear(2024))])
        >>> frames.convert(capex, rates, "USD")["amount"].item()
        Decimal('11065006915.629322268326417704')
    """
    from capexmodel._fx.rates import RateTable  # noqa: PLC0415
    from capexmodel._model.currency import Currency  # noqa: PLC0415

    if not isinstance(rates, RateTable):
        msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
        raise InvalidValueError(msg)
    target = Currency(currency)
    engine, frame = prepare(facts, "convert", largest=True)
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        factors = [rates.conversion(key.currency, target, key.period, blend=blend).factor for key in engine.keys]
        # One factor per (currency, period), joined by month indices: the dates may be written more than one way.
        table, slow = engine.factor_table(
            {
                "currency": [key.currency for key in engine.keys],
                "first": [key.period._first for key in engine.keys],
                "last": [key.period._last for key in engine.keys],
            },
            factors,
            like=frame,
        )
        joined = engine.join_left(frame, table, ["currency", "first", "last"])
        converted = engine.convert_amounts(joined, slow=slow).with_columns(
            *engine.markets(), currency=nw.lit(target.code)
        )
        # Its pairs: the target currency over each period with an amount (the others were left out).
        keys = [Key(target.code, key.period) for key in engine.keys if key.known]
        exact = all(key.known is not None for key in engine.keys)
        return engine.finish(converted.select(engine.columns), ["amount"], keys=keys if exact else None)

    return cast("IntoFrameT", polars_errors(run))


@_in_own_context
def calendarize(facts: IntoFrameT) -> IntoFrameT:
    """The facts restated over calendar years, by months, as `capexmodel.calendarize` does.

    Each amount counts in proportion to the months its period shares with a year;
    a year is restated only when the facts of one series (company, metric, basis,
    market, currency) cover its twelve months with no gap and no overlap, and the
    sum is rounded once to 18 places. Otherwise ``amount`` is null and ``reason``
    says why ("covers 9 of 12 months", "the facts overlap"). Periods longer than
    twelve months are refused. The result has the series columns, ``period_start``,
    ``period_end``, ``amount``, ``months`` (the months counted: a month two facts
    cover counts twice) and ``reason``.

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.

    Returns:
        A table of the same kind as `facts`, one row per series and calendar year.

    Raises:
        InvalidValueError: `facts` is not a table of a supported kind, lacks a column of
            the layout, or an amount overflows ``decimal(38, 18)``; or the ``frames``
            extra is not installed.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).
        InvalidPeriodError: A fact's period is longer than twelve months.

    Examples:
        >>> import datetime as dt, polars as pl
        >>> from capexmodel import frames
        >>> oracle = pl.DataFrame({
        ...     "company": "oracle", "metric": "capex", "currency": "USD",
        ...     "period_start": [dt.date(2023, 12, 1), dt.date(2024, 3, 1), dt.date(2024, 6, 1), dt.date(2024, 9, 1),
        ...                      dt.date(2024, 12, 1)],
        ...     "period_end": [dt.date(2024, 2, 29), dt.date(2024, 5, 31), dt.date(2024, 8, 31),
        ...                    dt.date(2024, 11, 30), dt.date(2025, 2, 28)],
        ...     "amount": [1674, 2798, 2303, 3970, 5862]})
        >>> years = frames.calendarize(oracle).sort("period_start")
        >>> years.select("period_start", "amount", "reason").rows()[1]
        (datetime.date(2024, 1, 1), Decimal('12141.000000000000000000'), None)
    """
    from capexmodel._model.period import CalendarYear  # noqa: PLC0415

    engine, frame = prepare(facts, "calendarize")
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        length = nw.col("last") - nw.col("first") + 1
        if any(key.period.month_count > _YEAR for key in engine.keys):
            row = engine.collect(frame.filter(length > _YEAR).select("company", "metric", "first", "last").head(1))[0]
            msg = (
                f"calendarize() splits periods of twelve months or fewer, got {row['company']} {row['metric']}"
                f" over {_span(row)}"
            )
            raise InvalidPeriodError(msg)
        # Shares of months stay whole numbers over the lengths' least common multiple (3 for quarters).
        common = math.lcm(*{key.period.month_count for key in engine.keys})
        # With one currency in the table, the currency tells no series apart: it comes back as a constant.
        one = engine.currency
        series = [name for name in engine.series if one is None or name != "currency"]
        work = frame.with_columns(length=length, y0=nw.col("first") // 12, y1=nw.col("last") // 12)
        keys = [*series, "year"]
        first_year = work.select(
            *series,
            nw.col("y0").alias("year"),
            (nw.col("first") - nw.col("y0") * 12).alias("low"),
            nw.when(nw.col("y1") > nw.col("y0"))
            .then(nw.lit(11))
            .otherwise(nw.col("last") - nw.col("y0") * 12)
            .alias("high"),
            "amount",
            "length",
        )
        second_year = work.filter(nw.col("y1") > nw.col("y0")).select(
            *series,
            nw.col("y1").alias("year"),
            (nw.col("y1") * 0).alias("low"),
            (nw.col("last") - nw.col("y1") * 12).alias("high"),
            "amount",
            "length",
        )
        parts = nw.concat([first_year, second_year]).with_columns(months=nw.col("high") - nw.col("low") + 1)
        parts = parts.with_columns(
            value=engine.multiply(nw.col("amount"), nw.col("months") * (common // nw.col("length"))),
            mask=nw.lit(2) ** (nw.col("high") + 1) - nw.lit(2) ** nw.col("low"),
        )
        span = range(
            min((key.period.start.year for key in engine.keys), default=0),
            max((key.period.end.year for key in engine.keys), default=-1) + 1,
        )
        calendar = engine.frame(
            {
                "year": list(span),
                "period_start": [CalendarYear(year).start for year in span],
                "period_end": [CalendarYear(year).end for year in span],
            },
            like=work.with_columns(year=nw.col("y0")),
        )
        sums = (nw.col("value").sum(), nw.col("months").sum(), nw.col("mask").sum())
        if engine.kind == "dask":  # Dask loses the group keys when this group-by is joined, so join first
            years = parts.join(calendar, on="year", how="left").group_by(*keys, "period_start", "period_end").agg(*sums)
        else:  # the year's dates join the (much shorter) grouped table
            years = parts.group_by(*keys).agg(*sums).join(calendar, on="year", how="left")
        # Without overlaps the months' bits never carry, so the sum of the masks has one bit per month counted.
        bits = sum(
            (nw.col("mask") // 2**bit - (nw.col("mask") // 2 ** (bit + 1)) * 2 for bit in range(16)), start=nw.lit(0)
        )
        complete = (nw.col("months") == _YEAR) & (nw.col("mask") == _WHOLE_YEAR)
        reason = (
            nw.when(complete)
            .then(nw.lit(None, nw.String))
            .otherwise(
                nw.when(bits != nw.col("months"))
                .then(nw.lit("the facts overlap"))
                .otherwise(
                    nw.concat_str([nw.lit("covers "), nw.col("months").cast(nw.String), nw.lit(" of 12 months")])
                )
            )
        )
        years = engine.with_quotient(years, "_restated", nw.col("value"), common, whole=True)
        restated = nw.when(complete).then(nw.col("_restated")).otherwise(None)
        constant = [] if one is None else [nw.lit(one).alias("currency")]
        years = years.with_columns(*engine.markets(), *constant, amount=restated, reason=reason)
        # Its pairs: each currency over each year its amounts touch (whether a year has an amount is not known).
        made = [
            Key(key.currency, CalendarYear(year), known=None)
            for key in engine.keys
            if key.known
            for year in range(key.period.start.year, key.period.end.year + 1)
        ]
        return engine.finish(
            years.select(*engine.series, "period_start", "period_end", "amount", "months", "reason"),
            ["amount"],
            keys=made if all(key.known is not None for key in engine.keys) else None,
        )

    return cast("IntoFrameT", polars_errors(run))


@_in_own_context
def totals(facts: IntoFrameT, companies: Iterable[Company]) -> IntoFrameT:
    """Totals by region, metric and period: the amounts added up exactly, as `capexmodel.total` does.

    `companies` says each company's region (``Dataset.companies``); a company it does
    not list is `UnknownCompanyError`. Facts with a market are left out. Each company
    counts once: two facts for one company, metric and period (two bases, say) are
    `AmbiguousFactError`, so filter the table to one basis or source first. A total
    needs one currency: amounts in several are `CurrencyMismatchError` (convert
    first). ``facts`` counts the facts added up.

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.
        companies: The companies of the table, which say each one's region.

    Returns:
        A table of the same kind as `facts`: ``region``, ``metric``, ``period_start``,
        ``period_end``, ``currency``, ``amount`` and ``facts``.

    Raises:
        InvalidValueError: `facts` is not a table of a supported kind, lacks a column of
            the layout, or an amount overflows ``decimal(38, 18)``; or the ``frames``
            extra is not installed.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).
            Also when an item of `companies` is not a `Company`.
        UnknownCompanyError: The table has a company that `companies` does not list.
        AmbiguousFactError: The table has two facts for one company, metric and period.
        CurrencyMismatchError: A total would add amounts in several currencies.

    Examples:
        >>> import datetime as dt, polars as pl
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> # Count Oracle's March to February as 2024, as the article does, and keep its published figures:
        >>> table = frames.to_frame(ds, "polars").with_columns(
        ...     period_start=pl.coalesce("counted_as_start", "period_start"),
        ...     period_end=pl.coalesce("counted_as_end", "period_end"))
        >>> inputs = table["inputs"].str.split(" ").explode().implode()  # the rows that others derive from
        >>> article = table.filter(
        ...     pl.col("sources").str.contains("caijing"), ~pl.col("id").cast(pl.String).is_in(inputs),
        ...     metric="capex", period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31))
        >>> by_region = frames.totals(frames.convert(article, ds.rates, "USD"), ds.companies).sort("region")
        >>> by_region.select("region", "amount", "facts").rows()
        [('CN', Decimal('44565006915.629322268326417704'), 7), ('US', Decimal('258000000000.000000000000000000'), 5)]
    """
    from capexmodel._model.company import Company  # noqa: PLC0415

    regions = {}
    for company in companies:
        if not isinstance(company, Company):
            msg = f"companies must be capexmodel.Company values, got {show(company)}"
            raise InvalidValueError(msg)
        regions[company.id] = company.region.code
    engine, frame = prepare(facts, "totals")
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        kept = engine.unsplit(frame)
        seen = [row["company"] for row in engine.collect(kept.select("company").unique())]
        unknown = sorted(company for company in seen if company not in regions)
        if unknown:
            msg = f"no region for {', '.join(unknown)}: pass the companies of the table (known: {', '.join(regions)})"
            raise UnknownCompanyError(msg)
        twice = engine.collect(
            kept.group_by("company", "metric", "first", "last")
            .agg(nw.col("amount").count().alias("count"))
            .filter(nw.col("count") > 1)
            .head(1)
        )
        if twice:
            row = twice[0]
            msg = (
                f"{row['count']} {row['metric']} facts for {row['company']} over {_span(row)}: keep one per"
                " company (filter by basis or source) before adding up"
            )
            raise AmbiguousFactError(msg)
        table = engine.frame({"company": list(regions), "region": list(regions.values())}, like=kept)
        keys = ["region", "metric", "first", "last"]
        sums = (
            kept.join(table, on="company", how="left")
            .group_by(*keys, "currency")
            .agg(
                nw.col("amount").sum(),
                nw.col("company").count().alias("facts"),
                nw.col("period_start").min(),
                nw.col("period_end").max(),
            )
        )
        mixed = engine.collect(
            sums.group_by(*keys)
            .agg(nw.col("currency").count().alias("currencies"))
            .filter(nw.col("currencies") > 1)
            .head(1)
        )
        if mixed:
            row = mixed[0]
            msg = f"the {row['metric']} of {row['region']} over {_span(row)} is in several currencies: convert first"
            raise CurrencyMismatchError(msg)
        return engine.finish(
            sums.select("region", "metric", "currency", "period_start", "period_end", "amount", "facts"), ["amount"]
        )

    return cast("IntoFrameT", polars_errors(run))


def _span(row: Mapping[str, Any]) -> str:
    """The period of a row with month indices, as a label (2024, 2024-Q3, 2024-02/2024-04)."""
    from capexmodel._model.period import Period  # noqa: PLC0415

    return str(Period._from_indices(row["first"], row["last"]))


_INPUTS = tuple(dict.fromkeys(item.metric for rule in SIGNALS.values() for item in rule.inputs))
_EARLIER = tuple(dict.fromkeys(item.metric for rule in SIGNALS.values() for item in rule.inputs if item.previous))


def _pivot(engine: Engine, frame: Any, *, previous: tuple[str, ...] = ()) -> Any:  # noqa: ANN401
    """One row per company and period: each input's sum, count and currency (and a year earlier's, if asked).

    With one currency in the table, currencies need no tracking: they are constants.
    """
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    kept = engine.unsplit(frame).filter(nw.col("metric").is_in([*_INPUTS]))
    one = engine.currency
    rows = kept.select(
        "company",
        "first",
        "last",
        "period_start",
        "period_end",
        nw.lit(1).alias("_current"),
        *_inputs(engine, _INPUTS, "", track=one is None),
        *_inputs(engine, previous, "_before", track=one is None, blank=True),
    )
    if previous:
        shifted = kept.filter(nw.col("metric").is_in([*previous])).select(  # dates earlier than the current ones
            "company",
            (nw.col("first") + 12).alias("first"),
            (nw.col("last") + 12).alias("last"),
            "period_start",
            "period_end",
            nw.lit(0).alias("_current"),
            *_inputs(engine, _INPUTS, "", track=one is None, blank=True),
            *_inputs(engine, previous, "_before", track=one is None),
        )
        rows = nw.concat([rows, shifted.select(rows.collect_schema().names())])
    names = rows.collect_schema().names()
    sums = [
        nw.col(name).max() if name.endswith("_currency") else nw.col(name).sum()
        for name in names
        if name.endswith(("_n", "_before", "_currency")) or name in _INPUTS or name == "_current"
    ]
    if not previous:  # the dates tell the periods apart
        grouped = rows.group_by("company", "period_start", "period_end").agg(*sums)
    else:
        sums += [nw.col("period_start").max(), nw.col("period_end").max()]
        grouped = rows.group_by("company", "first", "last").agg(*sums).filter(nw.col("_current") > 0)
    if one is None:
        return grouped
    return grouped.with_columns(
        *(nw.lit(one).alias(f"{metric}_currency") for metric in _INPUTS),
        *(nw.lit(one).alias(f"{metric}_before_currency") for metric in previous),
    )


def _inputs(
    engine: Engine, metrics: tuple[str, ...], suffix: str, *, track: bool, blank: bool = False
) -> list[nw.Expr]:
    """Each metric's amount, count (and currency, if tracked) on this row, named with `suffix`; zeros if `blank`."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    columns = []
    for metric in metrics:
        chosen = nw.col("metric") == metric
        amount = engine.number(0) if blank else nw.when(chosen).then(nw.col("amount")).otherwise(engine.number(0))
        count = nw.lit(0) if blank else chosen
        columns += [amount.alias(f"{metric}{suffix}"), count.cast(nw.Int64).alias(f"{metric}{suffix}_n")]
        if track:
            currency = (
                nw.lit(None, nw.String)
                if blank
                else nw.when(chosen).then(nw.col("currency")).otherwise(nw.lit(None, nw.String))
            )
            columns.append(currency.alias(f"{metric}{suffix}_currency"))
    return columns


def _first(checks: list[tuple[nw.Expr, nw.Expr]], default: nw.Expr) -> nw.Expr:
    """The value of the first check whose condition holds, else `default`."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    result = default
    for condition, value in reversed(checks):
        result = nw.when(condition).then(value).otherwise(result)
    return result


def _first_reason(*checks: tuple[nw.Expr, str]) -> nw.Expr:
    """The reason of the first check that holds, or null."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    return _first([(condition, nw.lit(text)) for condition, text in checks], nw.lit(None, nw.String))


def _column(item: Input) -> str:
    """The column of `_pivot`'s table that holds the input."""
    return f"{item.metric}_before" if item.previous else item.metric


def _checks(engine: Engine, rule: Rule, column: Callable[[Input], str] = _column) -> list[tuple[nw.Expr, str]]:
    """The rule's guards, as conditions on the table's columns with their reasons."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    zero = engine.number(0)
    inputs = {item.role: item for item in rule.inputs}
    return [
        (guard.fails(nw.col(column(inputs[guard.role])), zero), guard.reason(inputs[guard.role].words))
        for guard in rule.guards
    ]


def _input_checks(rule: Rule) -> list[tuple[nw.Expr, str]]:
    """What leaves a rule's inputs in `_pivot`'s table unusable: a missing or doubled fact, or two currencies."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    first, *others = (item for item in rule.inputs if not item.previous)
    checks = []
    for earlier, when in ((False, "over the period"), (True, "a year earlier")):
        items = [item for item in rule.inputs if item.previous == earlier]
        checks += [(nw.col(f"{_column(item)}_n") == 0, f"no {item.label} {when}") for item in items]
        checks += [
            (nw.col(f"{_column(item)}_n") > 1, f"more than one {item.label} fact {when}; keep one (filter by basis)")
            for item in items
        ]
    checks += [
        (
            nw.col(f"{first.metric}_currency") != nw.col(f"{item.metric}_currency"),
            f"{first.label} and {item.label} are in different currencies; convert first",
        )
        for item in others
    ]
    checks += [
        (
            nw.col(f"{item.metric}_before_currency") != nw.col(f"{item.metric}_currency"),
            f"{item.words} is in another currency; convert first",
        )
        for item in rule.inputs
        if item.previous
    ]
    return checks


def _with_value(
    engine: Engine,
    table: Any,  # noqa: ANN401 -- a narwhals frame
    rule: Rule,
    name: str,
    reason: str,
    *,
    column: Callable[[Input], str] = _column,
) -> Any:  # noqa: ANN401 -- a narwhals frame
    """`table` with the rule's value as column `name`, null where column `reason` says why.

    The value is computed from zeros where it is null, so that a row left null cannot
    overflow or divide by zero; each quotient is rounded once, half to even, to 18
    places, and a growth is ``amount / previous − 1``, so that a large difference
    cannot overflow either.
    """
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    defined = nw.col(reason).is_null()
    inputs = {item.role: item for item in rule.inputs}

    def kept(role: str) -> nw.Expr:
        return nw.when(defined).then(nw.col(column(inputs[role]))).otherwise(engine.number(0))

    parts = []
    for index, term in enumerate((*rule.terms, *rule.less)):
        top = combine([kept(role) for role in term.added], [kept(role) for role in term.taken], add, sub)
        if term.denominator is None:
            parts.append(top)
            continue
        quotient = f"_{name}_{index}"
        table = engine.with_quotient(table, quotient, top, _safe(engine, column(inputs[term.denominator])))
        parts.append(nw.col(quotient) - engine.number(term.offset) if term.offset else nw.col(quotient))
    value = combine(parts[: len(rule.terms)], parts[len(rule.terms) :], add, sub)
    return table.with_columns(nw.when(defined).then(value).otherwise(None).alias(name))


def _safe(engine: Engine, name: str) -> nw.Expr:
    """The column where it is positive, one elsewhere, so that dividing never fails on rows left null."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    return nw.when(nw.col(name) > engine.number(0)).then(nw.col(name)).otherwise(engine.number(1))


@_in_own_context
def ratios(facts: IntoFrameT) -> IntoFrameT:
    """Capex intensity, the cash-coverage ratios and free cash flow, per company and period.

    One row per company and period with any of capex, revenue, operating cash flow,
    net income or depreciation (facts with a market are left out). Each indicator
    follows its scalar function (`capex_intensity`, `capex_to_operating_cash_flow`,
    `capex_to_net_income`, `capex_to_depreciation`, `free_cash_flow`); where that
    function would raise, the value is null and ``<name>_reason`` says why (no capex,
    two facts for one input, currencies that differ, negative capex, a denominator
    that is not positive). Ratios are rounded once, half to even, to 18 places.

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.

    Returns:
        A table of the same kind as `facts`: ``company``, ``period_start``,
        ``period_end``, ``currency``, then each indicator and its ``<name>_reason``.

    Raises:
        InvalidValueError: `facts` is not a table of a supported kind, lacks a column of
            the layout, or an amount overflows ``decimal(38, 18)``; or the ``frames``
            extra is not installed.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).

    Examples:
        >>> import datetime as dt, polars as pl
        >>> from capexmodel import frames
        >>> meta = pl.DataFrame({"company": "meta", "currency": "USD", "period_start": dt.date(2024, 1, 1),
        ...                      "period_end": dt.date(2024, 12, 31), "metric": ["capex", "revenue", "net_income"],
        ...                      "amount": [37_256, 164_501, 62_360]})
        >>> frames.ratios(meta).select("capex_intensity", "capex_to_depreciation_reason").row(0)
        (Decimal('0.226478866389869970'), 'no depreciation over the period')
    """
    engine, frame = prepare(facts, "ratios")
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        table = _pivot(engine, frame)
        rules = [*CAPEX_RATIOS.values(), FREE_CASH_FLOW]
        names = [rule.name for rule in rules]
        table = table.with_columns(
            _first_reason(*_input_checks(rule), *_checks(engine, rule)).alias(f"{rule.name}_reason") for rule in rules
        )
        for rule in rules:
            table = _with_value(engine, table, rule, rule.name, f"{rule.name}_reason")
        result = table.with_columns(currency=nw.col("capex_currency")).select(
            "company",
            "period_start",
            "period_end",
            "currency",
            *[column for name in names for column in (name, f"{name}_reason")],
        )
        return engine.finish(result, names)

    return cast("IntoFrameT", polars_errors(run))


@_in_own_context
def year_over_year(facts: IntoFrameT) -> IntoFrameT:
    """Each amount's growth against the same months a year earlier, as `capexmodel.growth` computes it.

    One row per series (company, metric, basis, market) and period, with ``amount``,
    ``previous`` (the amount over the same months a year earlier) and ``growth``
    (``amount / previous − 1``, rounded once to 18 places). Where the scalar
    function would raise or leave the amount out, ``growth`` is null and ``reason``
    says why: no amount a year earlier, one in another currency, a base that is not
    positive, a period longer than a year, or two facts for one period (then
    ``amount`` or ``previous`` is null too: neither fact is the one).

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.

    Returns:
        A table of the same kind as `facts`: the series columns, ``period_start``,
        ``period_end``, ``currency``, ``amount``, ``previous``, ``growth`` and ``reason``.

    Raises:
        InvalidValueError: `facts` is not a table of a supported kind, lacks a column of
            the layout, or an amount overflows ``decimal(38, 18)``; or the ``frames``
            extra is not installed.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).

    Examples:
        >>> import datetime as dt, polars as pl
        >>> from capexmodel import frames
        >>> meta = pl.DataFrame({"company": "meta", "metric": "capex", "currency": "USD",
        ...                      "period_start": [dt.date(2023, 1, 1), dt.date(2024, 1, 1)],
        ...                      "period_end": [dt.date(2023, 12, 31), dt.date(2024, 12, 31)],
        ...                      "amount": [27_266, 37_256]})
        >>> frames.year_over_year(meta).sort("period_start").select("growth", "reason").rows()
        [(None, 'no amount a year earlier'), (Decimal('0.366390376292818895'), None)]
    """
    engine, frame = prepare(facts, "year_over_year")
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        zero, no_currency, one = engine.number(0), nw.lit(None, nw.String), engine.currency
        keys = [name for name in engine.series if name != "currency"]  # a year earlier may be in another currency
        tracked = one is None  # with one currency in the table, currencies need no tracking
        current = frame.select(
            *keys,
            "first",
            "last",
            "period_start",
            "period_end",
            "amount",
            nw.lit(1).cast(nw.Int64).alias("_n"),
            zero.alias("previous"),
            nw.lit(0).cast(nw.Int64).alias("_before_n"),
            *(["currency", no_currency.alias("_before_currency")] if tracked else []),
        )
        # A year-earlier row keeps its own dates, which are earlier than the current row's, so the group's
        # latest dates are the current period's.
        earlier = frame.select(
            *keys,
            (nw.col("first") + 12).alias("first"),
            (nw.col("last") + 12).alias("last"),
            "period_start",
            "period_end",
            zero.alias("amount"),
            nw.lit(0).cast(nw.Int64).alias("_n"),
            nw.col("amount").alias("previous"),
            nw.lit(1).cast(nw.Int64).alias("_before_n"),
            *([no_currency.alias("currency"), nw.col("currency").alias("_before_currency")] if tracked else []),
        )
        rows = nw.concat([current, earlier.select(current.collect_schema().names())])
        currencies = [nw.col("currency").max(), nw.col("_before_currency").max()] if tracked else []
        grouped = (
            rows.group_by(*keys, "first", "last")
            .agg(
                nw.col("amount").sum(),
                nw.col("previous").sum(),
                nw.col("_n").sum(),
                nw.col("_before_n").sum(),
                *currencies,
                nw.col("period_start").max(),
                nw.col("period_end").max(),
            )
            .filter(nw.col("_n") > 0)
        )
        if not tracked:
            grouped = grouped.with_columns(currency=nw.lit(one), _before_currency=nw.lit(one))
        reason = _first_reason(
            (nw.col("last") - nw.col("first") >= _YEAR, "year over year compares periods of twelve months or fewer"),
            (
                (nw.col("_n") > 1) | (nw.col("_before_n") > 1),
                "more than one amount over the period or a year earlier; keep one (filter by basis)",
            ),
            (nw.col("_before_n") == 0, "no amount a year earlier"),
            (
                nw.col("_before_currency") != nw.col("currency"),
                "the amount a year earlier is in another currency; convert first",
            ),
            *_checks(engine, GROWTH, _growth_column),
        )
        grouped = _with_value(
            engine, grouped.with_columns(reason=reason), GROWTH, "growth", "reason", column=_growth_column
        )
        result = grouped.with_columns(
            *engine.markets(),
            amount=nw.when(nw.col("_n") == 1).then(nw.col("amount")).otherwise(None),
            previous=nw.when(nw.col("_before_n") == 1).then(nw.col("previous")).otherwise(None),
        ).select(*engine.series, "period_start", "period_end", "amount", "previous", "growth", "reason")
        return engine.finish(result, ["amount", "previous", "growth"])

    return cast("IntoFrameT", polars_errors(run))


def _growth_column(item: Input) -> str:
    """The column of `year_over_year`'s table that holds the input."""
    return "previous" if item.previous else "amount"


@_in_own_context
def bubble_signals(facts: IntoFrameT, thresholds: Mapping[str, object] | None = None) -> IntoFrameT:
    """The six bubble-risk signals of `capexmodel.bubble_risk`, for every company and period.

    One row per company, period and signal: ``value`` (null when undefined),
    ``threshold``, ``fires`` (true, false, or null when unknown) and ``reason``
    (why the value is null). The rules are the scalar ones: a missing input is
    unknown; a negative capex is unknown; capex against a cash, profit or revenue
    measure that is not positive fires without a value, unless there is no capex;
    growth needs the same months a year earlier. Inputs of one signal in different
    currencies, or two facts for one input, are unknown with a reason (the scalar
    function raises).

    Args:
        facts: A table in the facts table layout: polars, pandas, pyarrow or Dask.
        thresholds: Thresholds that replace the defaults, by signal name (as for
            `capexmodel.bubble_risk`); None for the defaults.

    Returns:
        A table of the same kind as `facts`: ``company``, ``period_start``,
        ``period_end``, ``currency``, ``signal``, ``value``, ``threshold``, ``fires``
        and ``reason``.

    Raises:
        InvalidValueError: `facts` is not a table of a supported kind, lacks a column of
            the layout, or an amount overflows ``decimal(38, 18)``; or the ``frames``
            extra is not installed.
        DataFileError: A key column has a null, or a column or cell is of the wrong type
            (every such problem, by row and column).
            Also when a threshold names no signal, is not an exact number, or needs
            more than 18 decimal places.

    Examples:
        >>> import datetime as dt, polars as pl
        >>> from capexmodel import frames
        >>> metrics = ["capex", "revenue", "operating_cash_flow", "net_income", "depreciation_and_amortization"]
        >>> meta = pl.DataFrame({"company": "meta", "currency": "USD", "metric": [*metrics, "capex", "revenue"],
        ...                      "period_start": [dt.date(2024, 1, 1)] * 5 + [dt.date(2023, 1, 1)] * 2,
        ...                      "period_end": [dt.date(2024, 12, 31)] * 5 + [dt.date(2023, 12, 31)] * 2,
        ...                      "amount": [37_256, 164_501, 91_328, 62_360, 15_498, 27_266, 134_902]})
        >>> signals = frames.bubble_signals(meta).filter(period_start=dt.date(2024, 1, 1))
        >>> signals.filter(fires=True)["signal"].to_list()
        ['capex_to_depreciation', 'capex_intensity']
    """
    from capexmodel._indicators.risk import DEFAULT_THRESHOLDS, _settings  # noqa: PLC0415

    limits = _settings(thresholds, {name: spec[0] for name, spec in DEFAULT_THRESHOLDS.items()}, "thresholds")
    for name, limit in limits.items():
        if limit.copy_abs() >= 10**20 or limit != limit.quantize(_EIGHTEEN_PLACES, context=EXACT):
            msg = f"the threshold of {name}, {limit}, needs more than the 18 decimal places a table holds"
            raise InvalidValueError(msg)
    engine, frame = prepare(facts, "bubble_signals")
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    def run() -> Any:  # noqa: ANN401
        table = _pivot(engine, frame, previous=_EARLIER)
        parts = [
            _signal_rows(engine, table, name, limits[name], direction)
            for name, (_, direction, _) in DEFAULT_THRESHOLDS.items()
        ]
        return engine.finish(nw.concat(parts), ["value", "threshold"], flags=["fires"])

    return cast("IntoFrameT", polars_errors(run))


def _signal_rows(engine: Engine, table: Any, name: str, limit: Decimal, direction: str) -> Any:  # noqa: ANN401
    """One signal's rows: its value, whether it fires, and why it has no value.

    An input that is missing, doubled or in another currency makes the signal
    unknown; where a guard of the signal's rule fails, the rule says whether the
    signal fires (the worst case) or is unknown, and with no capex it does not fire.
    """
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    rule = SIGNALS[name]
    # Whether a signal fires is "true", "false" or null until it leaves: pandas cannot hold a null boolean.
    true, false, unknown = nw.lit("true"), nw.lit("false"), nw.lit(None, nw.String)
    inputs, guards = _input_checks(rule), _checks(engine, rule)
    # The reason is worked out first and once: the value is computed only where it is defined, and whether the
    # signal fires follows from the reason.
    table = _with_value(engine, table.with_columns(reason=_first_reason(*inputs, *guards)), rule, "value", "reason")
    reason, value, has_capex = nw.col("reason"), nw.col("value"), nw.col("capex") != engine.number(0)
    outcomes = [
        (reason == text, nw.when(has_capex).then(true if guard.fires else unknown).otherwise(false))
        for guard, (_, text) in zip(rule.guards, guards, strict=True)
    ]
    compared = value > engine.number(limit) if direction == "above" else value < engine.number(limit)
    fires = _first(
        [(reason.is_in([text for _, text in inputs]), unknown), *outcomes],
        nw.when(compared).then(true).otherwise(false),
    )
    return table.select(
        "company",
        "period_start",
        "period_end",
        nw.col("capex_currency").alias("currency"),
        nw.lit(name).alias("signal"),
        "value",
        engine.number(limit).alias("threshold"),
        fires.alias("fires"),
        "reason",
    )


def collect_all(*tables: object) -> list[Any]:
    """Compute several results in one pass, so that the steps they share run once.

    A polars LazyFrame a table function gave back is computed as one plan with the
    others: ``ratios(years)`` and ``year_over_year(years)`` convert and calendarize
    once, not once each, as `polars.collect_all` would for plans written by hand.
    Dask tables are computed together with `dask.compute`. Eager tables (polars and
    pandas DataFrames, pyarrow Tables) are already computed and come back as they are.
    A decimal overflow is `InvalidValueError`, as when each result is collected.

    Args:
        *tables: The tables to compute.

    Returns:
        The computed tables, in the order given: polars DataFrames for LazyFrames,
        pandas DataFrames for Dask tables, and every other table unchanged.

    Raises:
        InvalidValueError: An amount overflows ``decimal(38, 18)``.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> meta = cm.load_dataset().select(company="meta")
        >>> years = frames.calendarize(frames.to_frame(meta, "polars").lazy())
        >>> intensity, growth = frames.collect_all(frames.ratios(years), frames.year_over_year(years))
        >>> type(intensity).__name__, type(growth).__name__
        ('DataFrame', 'DataFrame')
    """
    from capexmodel.frames._engine import collect_polars_all, plan_of  # noqa: PLC0415

    results = list(tables)
    lazy = [
        index for index, table in enumerate(tables) if type(table).__module__.startswith("polars") and _is_lazy(table)
    ]
    if lazy:
        plans = [plan_of(tables[index]) for index in lazy]
        computed = collect_polars_all([tables[i] if p is None else p for i, p in zip(lazy, plans, strict=True)])
        for index, frame in zip(lazy, computed, strict=True):
            results[index] = frame
    dask = [index for index, table in enumerate(tables) if type(table).__module__.startswith("dask")]
    if dask:
        from dask.base import compute  # noqa: PLC0415 -- only for Dask tables

        run: Any = compute  # untyped
        with decimal.localcontext(QUOTIENT):  # the amounts are written back in this thread
            computed = run(*(tables[index] for index in dask))
        for index, frame in zip(dask, computed, strict=True):
            results[index] = frame
    return results


def _is_lazy(table: object) -> bool:
    """Whether a polars table is a LazyFrame."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    return isinstance(table, pl.LazyFrame)
