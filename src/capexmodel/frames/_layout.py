"""The facts table layout, and conversion between datasets and tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, overload

from capexmodel._errors import CapexModelError, DataFileError, InvalidValueError, show
from capexmodel.frames._checks import iso_date, missing

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    import pandas as pd
    import polars as pl
    import pyarrow as pa
    from narwhals.typing import IntoDataFrame

    from capexmodel._indicators.risk import BubbleRisk
    from capexmodel._model.calendarization import Calendarization
    from capexmodel._model.conversion import Conversion
    from capexmodel._model.currency import Currency
    from capexmodel._model.facts import Fact
    from capexmodel._model.money import Money
    from capexmodel._model.period import Period
    from capexmodel._model.provenance import Source
    from capexmodel._sources.dataset import Aggregate, Dataset

__all__ = [
    "COLUMNS",
    "PROVENANCE_COLUMNS",
    "Backend",
    "aggregate_table",
    "as_backend",
    "calendarization_table",
    "facts_from_frame",
    "facts_table",
    "from_frame",
    "risk_table",
    "to_frame",
]

COLUMNS = (
    "company",
    "metric",
    "period_start",
    "period_end",
    "currency",
    "amount",
    "basis",
    "status",
    "sources",
    "market",
)
"""The columns of the facts table, in order."""

PROVENANCE_COLUMNS = (
    "id",
    "inputs",
    "derivation",
    "rule",
    "note",
    "counted_as_start",
    "counted_as_end",
    "segment",
    "input_only",
)
"""The columns after `COLUMNS` that say how a fact was derived; a table may leave them out."""

Backend = Literal["pyarrow", "pandas", "polars"]
"""The engines `to_frame` writes for."""

_MAX_DIGITS = 38


def _pyarrow() -> Any:  # noqa: ANN401 -- the pyarrow module, untyped
    try:
        import pyarrow as pa  # noqa: PLC0415 -- an optional extra, loaded on first use
    except ImportError:
        msg = "tables need the frames extra: pip install 'capexmodel[frames]'"
        raise InvalidValueError(msg) from None
    return pa


def _amount_type(amounts: list[Decimal]) -> pa.DataType:
    """decimal128(38, s) when every amount fits exactly at the largest scale s, else a string column."""
    pa = _pyarrow()
    scale = max((max(0, -int(amount.as_tuple().exponent)) for amount in amounts), default=0)
    if scale <= _MAX_DIGITS and all(max(amount.adjusted() + 1, 1) + scale <= _MAX_DIGITS for amount in amounts):
        return pa.decimal128(_MAX_DIGITS, scale)
    return pa.string()


def _closed(facts: Iterable[Fact]) -> list[Fact]:
    """The facts, then the inputs of derived facts that are not among them (each once)."""
    rows = list(facts)
    known = set(rows)
    for fact in rows:  # grows while it is read: inputs of inputs are added too
        for item in fact.inputs:
            if item not in known:
                known.add(item)
                rows.append(item)
    return rows


def _derivation_of(fact: Fact) -> tuple[str | None, str | None]:
    """The derivation's name and its rule: a projection's in words, a conversion's exact factor."""
    from capexmodel._model.calendarization import Calendarization  # noqa: PLC0415
    from capexmodel._model.conversion import Conversion  # noqa: PLC0415
    from capexmodel._model.provenance import Projection  # noqa: PLC0415

    derivation = fact.derivation
    if isinstance(derivation, Conversion):
        return "convert", str(derivation.factor)
    if isinstance(derivation, Calendarization):
        return ("calendarize quarter-end" if derivation.method == "quarter-end" else "calendarize"), None
    if isinstance(derivation, Projection):
        return derivation.method, derivation.rule
    return None, None


def facts_table(facts: Iterable[Fact], source_ids: Mapping[Source, str]) -> pa.Table:
    """The facts as a pyarrow Table in the facts table layout, citing sources by `source_ids`.

    A derived fact's inputs are rows too (added after the facts given when they are
    not among them, with ``input_only`` true), cited in its ``inputs`` column by their
    ``id``: the row number, from 1.

    Args:
        facts: The facts, each a `Fact`.
        source_ids: The id to cite each source by (a non-empty string without spaces,
            one per source), by `Source`.

    Returns:
        The table, with the columns `COLUMNS` then `PROVENANCE_COLUMNS`.

    Raises:
        InvalidValueError: An item of `facts` is not a `Fact`, `source_ids` is not a
            mapping, lacks a source the facts cite, or gives an id that is not a
            non-empty string without spaces or that names two sources; or the
            ``frames`` extra is not installed.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> table = frames.facts_table(ds.facts[:2], {source: key for key, source in ds.sources.items()})
        >>> table.column("company").to_pylist()
        ['amazon', 'microsoft']
    """
    pa = _pyarrow()
    given = _facts(facts)
    rows = _closed(given)
    ids = _source_ids(rows, source_ids)
    number: dict[Fact, int] = {}
    for index, fact in enumerate(rows, start=1):
        number.setdefault(fact, index)
    derivations = [_derivation_of(fact) for fact in rows]
    amounts = [fact.value.amount for fact in rows]
    amount_type = _amount_type(amounts)
    columns = {
        "company": pa.array([fact.company.id for fact in rows], pa.string()),
        "metric": pa.array([fact.metric.name for fact in rows], pa.string()),
        "period_start": pa.array([fact.value.period.start for fact in rows], pa.date32()),
        "period_end": pa.array([fact.value.period.end for fact in rows], pa.date32()),
        "currency": pa.array([fact.value.currency.code for fact in rows], pa.string()),
        "amount": pa.array(amounts if amount_type != pa.string() else [str(a) for a in amounts], amount_type),
        "basis": pa.array([fact.basis for fact in rows], pa.string()),
        "status": pa.array([fact.status.value for fact in rows], pa.string()),
        "sources": pa.array([" ".join(ids[source] for source in fact.sources) for fact in rows], pa.string()),
        "market": pa.array([None if fact.market is None else fact.market.code for fact in rows], pa.string()),
        "id": pa.array(range(1, len(rows) + 1), pa.int64()),
        "inputs": pa.array([" ".join(str(number[item]) for item in fact.inputs) for fact in rows], pa.string()),
        "derivation": pa.array([name for name, _ in derivations], pa.string()),
        "rule": pa.array([rule for _, rule in derivations], pa.string()),
        "note": pa.array([fact.note for fact in rows], pa.string()),
        "counted_as_start": pa.array([fact.counted_as and fact.counted_as.start for fact in rows], pa.date32()),
        "counted_as_end": pa.array([fact.counted_as and fact.counted_as.end for fact in rows], pa.date32()),
        "segment": pa.array([fact.segment for fact in rows], pa.string()),
        "input_only": pa.array([index >= len(given) for index in range(len(rows))], pa.bool_()),
    }
    return pa.table(columns)


def _facts(facts: Iterable[Fact]) -> list[Fact]:
    from capexmodel._model.facts import Fact  # noqa: PLC0415 -- a cycle: the dataset module imports this one

    rows = list(facts)
    for fact in rows:
        if not isinstance(fact, Fact):
            msg = f"facts must be capexmodel.Fact values, got {show(fact)}"
            raise InvalidValueError(msg)
    return rows


def _source_ids(facts: list[Fact], source_ids: Mapping[Source, str]) -> dict[Source, str]:
    """The id of each source the facts cite: a non-empty string without spaces, one per source, so it reads back."""
    if not isinstance(source_ids, Mapping):
        msg = f"source_ids must be a mapping from Source to id, got {show(source_ids)}"
        raise InvalidValueError(msg)
    ids: dict[Source, str] = {}
    named: dict[str, Source] = {}
    for source in dict.fromkeys(source for fact in facts for source in fact.sources):
        if source not in source_ids:
            msg = f"source_ids has no id for the source {show(source)}"
            raise InvalidValueError(msg)
        given = source_ids[source]
        problem = (
            "is not a string"
            if not isinstance(given, str)
            else "is empty"
            if not given
            else "has a space; the sources column separates ids by spaces"
            if any(character.isspace() for character in given)
            else f"names two sources, {show(named[given])} and {show(source)}"
            if given in named
            else None
        )
        if problem is not None:
            msg = f"source id {show(given)} {problem}"
            raise InvalidValueError(msg)
        ids[source], named[given] = given, source
    return ids


@overload
def to_frame(
    data: Dataset | Iterable[Fact],
    backend: Literal["pyarrow"] = "pyarrow",
    *,
    sources: Mapping[str, Source] | None = None,
) -> pa.Table: ...
@overload
def to_frame(
    data: Dataset | Iterable[Fact], backend: Literal["pandas"], *, sources: Mapping[str, Source] | None = None
) -> pd.DataFrame: ...
@overload
def to_frame(
    data: Dataset | Iterable[Fact], backend: Literal["polars"], *, sources: Mapping[str, Source] | None = None
) -> pl.DataFrame: ...
def to_frame(
    data: Dataset | Iterable[Fact],
    backend: Backend = "pyarrow",
    *,
    sources: Mapping[str, Source] | None = None,
) -> pa.Table | pd.DataFrame | pl.DataFrame:
    """Facts as a table of `backend`: a pyarrow Table, or a pandas or polars DataFrame.

    A dataset's sources are cited by its ids, so `from_frame` finds them again; other
    facts cite theirs by the ids of `sources`, or, without it, by ``s1``, ``s2``, ...
    in the order the facts first cite them.

    Args:
        data: A `Dataset` (all its facts) or any iterable of facts, such as what
            `Dataset.select` gives.
        backend: ``"pyarrow"``, ``"pandas"`` or ``"polars"``.
        sources: The sources to cite by id (a mapping from id to `Source`, such as
            ``ds.sources``); a dataset's own by default.

    Returns:
        The table, in the facts table layout: a `pyarrow.Table`, a `pandas.DataFrame`
        (of Arrow-backed columns) or a `polars.DataFrame`.

    Raises:
        InvalidValueError: `data` is neither a dataset nor an iterable of `Fact`,
            `sources` is not a mapping or lacks a source the facts cite, `backend` is
            not one of the three, or its package (or the ``frames`` extra) is not installed.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> frames.to_frame(ds, "polars").height
        112
        >>> table = frames.to_frame(ds.select(metric="capex", period="2024", status="estimate"))
        >>> table.column("company").to_pylist(), table.column("sources").to_pylist()
        (['bytedance', 'china-mobile', 'china-telecom'], ['s1 s2', 's3', 's3'])
        >>> meta = frames.to_frame(ds.select(company="meta", metric="capex"), "pandas", sources=ds.sources)
        >>> meta["sources"].tolist()[:3]
        ['caijing', 'guidance-2025', 'meta-10k-2024']
    """
    from capexmodel._sources.dataset import Dataset  # noqa: PLC0415 -- a cycle: the dataset module loads this one

    if isinstance(data, Dataset):
        facts: Iterable[Fact] = data.facts
        sources = data.sources if sources is None else sources
    elif isinstance(data, str | bytes) or not hasattr(data, "__iter__"):
        msg = f"to_frame() takes a Dataset or an iterable of Fact, got {show(data)}"
        raise InvalidValueError(msg)
    else:
        facts = _facts(data)
    if sources is None:
        ids = {source: f"s{number}" for number, source in enumerate(_cited(facts), start=1)}
    elif isinstance(sources, Mapping):
        ids = {source: source_id for source_id, source in sources.items()}
    else:
        msg = f"sources must be a mapping from id to Source (such as a dataset's sources), got {show(sources)}"
        raise InvalidValueError(msg)
    return as_backend(facts_table(facts, ids), backend)


def _cited(facts: Iterable[Fact]) -> list[Source]:
    """The sources the facts and their inputs cite, each once, in the order first cited."""
    return list(dict.fromkeys(source for fact in _closed(facts) for source in fact.sources))


def as_backend(table: pa.Table, backend: Backend) -> Any:  # noqa: ANN401 -- the backend decides the type
    """A pyarrow table as a table of `backend`, every column's type kept (decimals stay decimals)."""
    if backend == "pyarrow":
        return table
    if backend == "polars":
        try:
            import polars as pl  # noqa: PLC0415 -- optional
        except ImportError:
            msg = "backend='polars' needs polars: pip install polars"
            raise InvalidValueError(msg) from None
        return pl.from_arrow(table)
    if backend == "pandas":
        try:
            import pandas as pd  # noqa: PLC0415 -- optional
        except ImportError:
            msg = "backend='pandas' needs pandas: pip install pandas"
            raise InvalidValueError(msg) from None
        return table.to_pandas(types_mapper=pd.ArrowDtype)
    msg = f"backend must be 'pyarrow', 'pandas' or 'polars', got {show(backend)}"
    raise InvalidValueError(msg)


def _decimals(values: list[Decimal | None]) -> pa.Array:
    """Exact decimals (None for null) as a decimal128 column at the scale that holds them all, else strings."""
    pa = _pyarrow()
    present = [value for value in values if value is not None]
    kind = _amount_type(present)
    if kind == pa.string():
        return pa.array([None if value is None else format(value, "f") for value in values], kind)
    return pa.array(values, kind)


def _period_columns(prefix: str, periods: list[Period | None]) -> dict[str, pa.Array]:
    pa = _pyarrow()
    return {
        f"{prefix}_start": pa.array([period and period.start for period in periods], pa.date32()),
        f"{prefix}_end": pa.array([period and period.end for period in periods], pa.date32()),
    }


def _texts(values: Iterable[str | None]) -> pa.Array:
    return _pyarrow().array(list(values), _pyarrow().string())


def aggregate_table(aggregate: Aggregate, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides
    """An aggregate's facts, one row each, then one row per company missing (null amount, ``missing`` true).

    Columns: ``company``, ``metric``, ``period_start``, ``period_end``, ``currency``,
    ``amount`` (exact decimal), ``status``, ``basis``, ``sources`` (each source's text,
    separated by `` | ``), ``counted_as_start``, ``counted_as_end``, ``missing``.
    """
    pa = _pyarrow()
    facts, total = aggregate.facts, aggregate.value
    absent = list(aggregate.missing)
    blank: list[None] = [None] * len(absent)
    metric = str(facts[0].metric)
    columns = {
        "company": _texts([*(fact.company.id for fact in facts), *absent]),
        "metric": _texts([*(str(fact.metric) for fact in facts), *[metric] * len(absent)]),
        **_period_columns("period", [*(fact.value.period for fact in facts), *[total.period] * len(absent)]),
        "currency": _texts([*(fact.value.currency.code for fact in facts), *[total.currency.code] * len(absent)]),
        "amount": _decimals([*(fact.value.amount for fact in facts), *blank]),
        "status": _texts([*(fact.status.value for fact in facts), *blank]),
        "basis": _texts([*(fact.basis for fact in facts), *blank]),
        "sources": _texts([*(" | ".join(map(str, fact.sources)) for fact in facts), *blank]),
        **_period_columns("counted_as", [*(fact.counted_as for fact in facts), *blank]),
        "missing": pa.array([False] * len(facts) + [True] * len(absent), pa.bool_()),
    }
    return as_backend(pa.table(columns), backend)


def risk_table(risk: BubbleRisk, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides
    """A bubble-risk assessment's signals, one row each.

    Columns: ``subject``, ``period_start``, ``period_end``, ``signal``, ``value``,
    ``threshold``, ``weight`` (exact decimals; ``value`` null when unknown),
    ``direction``, ``fires`` (null when unknown), ``reason``, ``note``,
    ``companies`` and ``left_out`` (company ids separated by spaces).
    """
    pa = _pyarrow()
    signals = risk.signals
    columns = {
        "subject": _texts([risk.subject] * len(signals)),
        **_period_columns("period", [risk.period] * len(signals)),
        "signal": _texts(signal.name for signal in signals),
        "value": _decimals([signal.value for signal in signals]),
        "threshold": _decimals([signal.threshold for signal in signals]),
        "weight": _decimals([signal.weight for signal in signals]),
        "direction": _texts(signal.direction for signal in signals),
        "fires": pa.array([signal.fires for signal in signals], pa.bool_()),
        "reason": _texts(signal.reason for signal in signals),
        "note": _texts(signal.note for signal in signals),
        "companies": _texts(" ".join(signal.companies) for signal in signals),
        "left_out": _texts(" ".join(signal.left_out) for signal in signals),
    }
    return as_backend(pa.table(columns), backend)


def calendarization_table(calendarization: Calendarization, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401
    """A calendarization's inputs, one row each: what was counted of each, and what it contributed.

    Columns: ``input_start``, ``input_end``, ``currency``, ``input_amount``,
    ``counted_start``, ``counted_end``, ``share`` (an exact fraction, such as ``1/3``)
    and ``contribution`` (exact decimals: the share of the input, rounded to 28
    significant digits only when it does not terminate).
    """
    parts = calendarization.parts
    columns = {
        **_period_columns("input", [part.amount.period for part in parts]),
        "currency": _texts(part.amount.currency.code for part in parts),
        "input_amount": _decimals([part.amount.amount for part in parts]),
        **_period_columns("counted", [part.counted for part in parts]),
        "share": _texts(str(part.share) for part in parts),
        "contribution": _decimals([part.contribution.amount for part in parts]),
    }
    return as_backend(_pyarrow().table(columns), backend)


def _layout_rows(frame: object) -> list[dict[str, Any]]:
    """The rows of a table in the facts table layout, each cell as the table holds it (None for a null).

    pandas and polars tables are read as they are, not through pyarrow: pyarrow would
    make one type of a column's cells (a datetime a date, a string bytes).
    """
    pa = _pyarrow()
    if isinstance(frame, pa.Table):
        _check_layout(frame.column_names)
        rows: list[dict[str, Any]] = frame.select(_columns(frame.column_names)).to_pylist()
        return [dict.fromkeys(PROVENANCE_COLUMNS) | row for row in rows]
    try:
        import narwhals as nw  # noqa: PLC0415 -- an optional extra
    except ImportError:
        msg = "tables need the frames extra: pip install 'capexmodel[frames]'"
        raise InvalidValueError(msg) from None
    try:
        native: Any = frame
        eager = nw.from_native(native, eager_only=True)
    except TypeError:
        msg = f"from_frame() reads a pandas, polars or pyarrow table, got {show(frame)}"
        raise InvalidValueError(msg) from None
    _check_layout(eager.columns)
    return [
        dict.fromkeys(PROVENANCE_COLUMNS) | {column: None if missing(value) else value for column, value in row.items()}
        for row in eager.select(_columns(eager.columns)).rows(named=True)
    ]


def _columns(present: list[str]) -> list[str]:
    """The layout's columns, and those of its provenance columns the table has."""
    return [*COLUMNS, *(column for column in PROVENANCE_COLUMNS if column in present)]


def _check_layout(columns: list[str]) -> None:
    absent = [column for column in COLUMNS if column not in columns]
    if absent:
        raise DataFileError([f"table: missing columns {', '.join(absent)}; expected {', '.join(COLUMNS)}"])


def facts_from_frame(frame: IntoDataFrame, dataset: Dataset) -> tuple[Fact, ...]:
    """Read facts from a table in the facts table layout; companies, sources and rates come from `dataset`.

    A derived fact's derivation is rebuilt from its inputs: a conversion with the
    dataset's rates, a calendarization by calendarizing them again.

    Args:
        frame: A pandas, polars or pyarrow table in the facts table layout (the
            columns of `PROVENANCE_COLUMNS` may be left out).
        dataset: The dataset whose companies, sources and rates the table cites.

    Returns:
        The facts, in the table's order, without the rows that are only another's input.

    Raises:
        InvalidValueError: `frame` is not a pandas, polars or pyarrow table, or the
            ``frames`` extra is not installed.
        DataFileError: A column of the layout is missing, or rows are malformed: every
            problem, by row number (the first row is 1) and column.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> frames.facts_from_frame(frames.to_frame(ds, "pandas"), ds) == ds.facts
        True
    """
    rows = _layout_rows(frame)
    problems: list[str] = []
    facts: dict[int, Fact] = {}
    for number, row in enumerate(rows, start=1):
        try:
            facts[number] = _fact_of(row, dataset)
        except _RowError as problem:
            problems.append(f"table, row {number}, column {problem.column!r}: {problem}")
        except InvalidValueError as error:
            problems.append(f"table, row {number}: {error}")
    if not problems:
        _Derivations(rows, facts, dataset, problems).resolve()
    only_inputs = {number for number, row in enumerate(rows, start=1) if _input_only(row, number, problems)}
    if problems:
        raise DataFileError(problems)
    return tuple(facts[number] for number in range(1, len(rows) + 1) if number not in only_inputs)


def _input_only(row: dict[str, Any], number: int, problems: list[str]) -> bool:
    """Whether a row is there only as another's input (a null is false)."""
    value = row["input_only"]
    if value is not None and not isinstance(value, bool):
        problems.append(f"table, row {number}, column 'input_only': expected true, false or null, got {show(value)}")
    return value is True


class _RowError(Exception):
    """A malformed cell, with its column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _fact_of(row: dict[str, Any], dataset: Dataset) -> Fact:
    from capexmodel._model.facts import Fact  # noqa: PLC0415
    from capexmodel._model.money import Money  # noqa: PLC0415
    from capexmodel._model.period import Period  # noqa: PLC0415
    from capexmodel._model.provenance import Metric, Status  # noqa: PLC0415

    text = {column: _text(row, column) for column in _TEXT_COLUMNS}
    company = next((company for company in dataset.companies if company.id == text["company"]), None)
    if company is None:
        raise _RowError("company", f"unknown company {text['company']!r}")
    unknown = [source_id for source_id in text["sources"].split() if source_id not in dataset.sources]
    if unknown:
        raise _RowError("sources", f"unknown source {unknown[0]!r}")
    sources = [dataset.sources[source_id] for source_id in text["sources"].split()]
    start, end = iso_date(row["period_start"]), iso_date(row["period_end"])  # "2024-01-01" is read as a date
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        wrong = "period_start" if not isinstance(start, dt.date) else "period_end"
        msg = f"expected dates or ISO date strings (YYYY-MM-DD), got {start!r} and {end!r}"
        raise _RowError(wrong, msg)
    amount = row["amount"]
    if isinstance(amount, float):
        raise _RowError("amount", f"expected an exact decimal, got the float {amount!r}")
    value = Money(amount, text["currency"], Period(start, end))
    status = Status.parse(text["status"])
    counted = iso_date(row["counted_as_start"]), iso_date(row["counted_as_end"])
    first, last = counted
    counted_as = Period(first, last) if isinstance(first, dt.date) and isinstance(last, dt.date) else None
    if counted_as is None and counted != (None, None):
        raise _RowError("counted_as_start", f"expected dates or nulls, got {counted[0]!r} and {counted[1]!r}")
    return Fact(
        company,
        Metric(text["metric"]),
        value,
        text["basis"],
        status,
        sources,
        market=text["market"] or None,
        note=text["note"],
        counted_as=counted_as,
        segment=text["segment"] or None,
    )


#: The text columns of the layout, and whether each needs a value ("" stands for none in the others).
_TEXT_COLUMNS = {
    "company": True,
    "metric": True,
    "currency": True,
    "basis": False,
    "status": True,
    "sources": False,
    "market": False,
    "inputs": False,
    "derivation": False,
    "rule": False,
    "note": False,
    "segment": False,
}


def _text(row: dict[str, Any], column: str) -> str:
    """A text cell: a string, or "" for a null where the column allows one."""
    value = row[column]
    if value is None and not _TEXT_COLUMNS[column]:
        return ""
    if value is None:
        raise _RowError(column, "missing")
    if not isinstance(value, str):
        raise _RowError(column, f"expected a string, got {show(value)}")
    return value


class _Derivations:
    """Gives each derived row its inputs and derivation, inputs first."""

    def __init__(
        self, rows: list[dict[str, Any]], facts: dict[int, Fact], dataset: Dataset, problems: list[str]
    ) -> None:
        self.rows, self.facts, self.dataset, self.problems = rows, facts, dataset, problems
        self.numbers = {str(row["id"]): number for number, row in enumerate(rows, start=1) if row["id"] is not None}
        self.done: set[int] = set()
        self.failed: set[int] = set()

    def resolve(self) -> None:
        for number in range(1, len(self.rows) + 1):
            self.derive(number, ())

    def derive(self, number: int, chain: tuple[int, ...]) -> bool:
        """Derive one row's fact, its inputs first; False (and a problem) when it cannot be."""
        if number in self.done or number in self.failed:
            return number in self.done
        row = self.rows[number - 1]
        try:
            if number in chain:
                raise _RowError("inputs", "the inputs go round in a circle")  # noqa: TRY301 -- reported below
            inputs = [self.facts[self.input(token, number, chain)] for token in _text(row, "inputs").split()]
            self.facts[number] = _with_derivation(self.facts[number], inputs, row, self.dataset)
        except _RowError as problem:
            self.fail(number, f"column {problem.column!r}: {problem}")
        except CapexModelError as error:
            self.fail(number, f"column 'derivation': {error}")
        else:
            self.done.add(number)
            return True
        return False

    def fail(self, number: int, problem: str) -> None:
        """Report a row's problem, once: a row in a circle is reached again on the way out."""
        if number not in self.failed:
            self.failed.add(number)
            self.problems.append(f"table, row {number}, {problem}")

    def input(self, token: str, number: int, chain: tuple[int, ...]) -> int:
        """The row number of an input, derived first."""
        found = self.numbers.get(token)
        if found is None:
            raise _RowError("inputs", f"no row has the id {token!r}")
        if not self.derive(found, (*chain, number)):
            raise _RowError("inputs", f"its input {token} cannot be read")
        return found


def _conversion(dataset: Dataset, source: Money, currency: Currency) -> Conversion:
    """The dataset's conversion of `source` to `currency`: a single rate if one covers it, else a blend."""
    from capexmodel._errors import MissingRateError  # noqa: PLC0415

    try:
        return dataset.rates.conversion(source.currency, currency, source.period)
    except MissingRateError:
        return dataset.rates.conversion(source.currency, currency, source.period, blend=True)


def _fraction(text: str) -> Fraction:
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        msg = f"a conversion's rule is its exact factor, such as 100/723, got {show(text)}"
        raise InvalidValueError(msg) from None


#: The methods of a projection, by the name the ``derivation`` column gives them.
_PROJECTIONS: dict[str, Literal["spread", "share-of-revenue"]] = {
    "spread": "spread",
    "share-of-revenue": "share-of-revenue",
}


def _with_derivation(fact: Fact, inputs: list[Fact], row: dict[str, Any], dataset: Dataset) -> Fact:
    import attrs  # noqa: PLC0415

    from capexmodel._fx.calendarize import calendarize  # noqa: PLC0415
    from capexmodel._model.provenance import Projection  # noqa: PLC0415

    name, rule = _text(row, "derivation") or None, _text(row, "rule") or None
    if name is None and not inputs:
        return fact
    method = _PROJECTIONS.get(name or "")
    if method is not None:
        return attrs.evolve(fact, derivation=Projection(method, rule or ""), inputs=inputs)
    if name == "convert" and len(inputs) == 1:
        conversion = _conversion(dataset, inputs[0].value, fact.value.currency)
        if rule is not None and _fraction(rule) != conversion.factor:
            msg = (
                f"the fact was converted by a factor of {rule}, where the dataset's rates give {conversion.factor}:"
                " conversions are rebuilt with the rates of the dataset given, so give the one whose rates made it"
            )
            raise InvalidValueError(msg)
        return attrs.evolve(fact, derivation=conversion, inputs=inputs)
    if name in ("calendarize", "calendarize quarter-end") and inputs:
        restated = calendarize(
            [item.value for item in inputs],
            fact.value.period,
            method="quarter-end" if name == "calendarize quarter-end" else "months",
        )
        return attrs.evolve(fact, derivation=restated, inputs=inputs)
    if name is None:
        return attrs.evolve(fact, inputs=inputs)
    msg = (
        f"expected convert (one input), calendarize or calendarize quarter-end (inputs), spread or"
        f" share-of-revenue, got {show(name)} with {len(inputs)} inputs"
    )
    raise InvalidValueError(msg)


def from_frame(frame: IntoDataFrame, base: Dataset | None = None) -> Dataset:
    """A dataset whose facts are the table's, and whose companies, sources, rates and chips are `base`'s.

    ``from_frame(to_frame(ds), ds)`` gives back `ds`'s facts exactly.

    Args:
        frame: A pandas, polars or pyarrow table in the facts table layout (the
            columns of `PROVENANCE_COLUMNS` may be left out).
        base: The dataset whose companies, sources, rates and chips the table cites;
            the embedded dataset by default.

    Returns:
        A copy of `base` whose facts are the table's.

    Raises:
        InvalidValueError: `frame` is not a pandas, polars or pyarrow table, or the
            ``frames`` extra is not installed.
        DataFileError: A column of the layout is missing, or rows are malformed: every
            problem, by row number (the first row is 1) and column.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> frames.from_frame(frames.to_frame(ds, "polars")).facts == ds.facts
        True
    """
    import attrs  # noqa: PLC0415

    from capexmodel._sources.loading import load_dataset  # noqa: PLC0415

    dataset = base if base is not None else load_dataset()
    return attrs.evolve(dataset, facts=facts_from_frame(frame, dataset))
