"""The facts table layout, and conversion between datasets and tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from capexmodel._errors import DataFileError, InvalidValueError, show
from capexmodel.frames._checks import missing

if TYPE_CHECKING:
    from collections.abc import Iterable
    from decimal import Decimal

    import pyarrow as pa

    from capexmodel._dataset import Dataset
    from capexmodel._facts import Fact
    from capexmodel._provenance import Source

__all__ = ["COLUMNS", "Backend", "facts_from_frame", "facts_table", "from_frame", "to_frame"]

COLUMNS = ("company", "metric", "period_start", "period_end", "currency", "amount", "basis", "status", "sources",
           "market")
"""The columns of the facts table, in order."""

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


def facts_table(facts: Iterable[Fact], source_ids: Mapping[Source, str]) -> pa.Table:
    """The facts as a pyarrow Table in the facts table layout, citing sources by `source_ids`.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> table = frames.facts_table(ds.facts[:2], {source: key for key, source in ds.sources.items()})
        >>> table.column("company").to_pylist()
        ['amazon', 'microsoft']
    """
    pa = _pyarrow()
    rows = _facts(facts)
    ids = _source_ids(rows, source_ids)
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
    }
    return pa.table(columns)


def _facts(facts: Iterable[Fact]) -> list[Fact]:
    from capexmodel._facts import Fact  # noqa: PLC0415 -- a cycle: the dataset module imports this one

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
        problem = ("is not a string" if not isinstance(given, str) else "is empty" if not given
                   else "has a space; the sources column separates ids by spaces"
                   if any(character.isspace() for character in given)
                   else f"names two sources, {show(named[given])} and {show(source)}" if given in named else None)
        if problem is not None:
            msg = f"source id {show(given)} {problem}"
            raise InvalidValueError(msg)
        ids[source], named[given] = given, source
    return ids


def to_frame(dataset: Dataset, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides the type
    """The dataset's facts as a table of `backend`: a pyarrow Table, or a pandas or polars DataFrame.

    Sources are cited by the dataset's ids, so `from_frame` finds them again.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> frames.to_frame(cm.load_dataset(), "polars").height
        71
    """
    table = facts_table(dataset.facts, {source: source_id for source_id, source in dataset.sources.items()})
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


def _layout_rows(frame: object) -> list[dict[str, Any]]:
    """The rows of a table in the facts table layout, each cell as the table holds it (None for a null).

    pandas and polars tables are read as they are, not through pyarrow: pyarrow would
    make one type of a column's cells (a datetime a date, a string bytes).
    """
    pa = _pyarrow()
    if isinstance(frame, pa.Table):
        _check_layout(frame.column_names)
        rows: list[dict[str, Any]] = frame.select(list(COLUMNS)).to_pylist()
        return rows
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
    return [{column: None if missing(value) else value for column, value in row.items()}
            for row in eager.select(list(COLUMNS)).rows(named=True)]


def _check_layout(columns: list[str]) -> None:
    absent = [column for column in COLUMNS if column not in columns]
    if absent:
        raise DataFileError([f"table: missing columns {', '.join(absent)}; expected {', '.join(COLUMNS)}"])


def facts_from_frame(frame: object, dataset: Dataset) -> tuple[Fact, ...]:
    """Read facts from a table in the facts table layout; companies and sources come from `dataset`.

    Every malformed row is reported, by row number (the first row is 1) and column, in
    one `DataFileError`.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> frames.facts_from_frame(ds.to_frame("pandas"), ds) == ds.facts
        True
    """
    problems: list[str] = []
    facts: list[Fact] = []
    for number, row in enumerate(_layout_rows(frame), start=1):
        try:
            facts.append(_fact_of(row, dataset))
        except _RowError as problem:
            problems.append(f"table, row {number}, column {problem.column!r}: {problem}")
        except InvalidValueError as error:
            problems.append(f"table, row {number}: {error}")
    if problems:
        raise DataFileError(problems)
    return tuple(facts)


class _RowError(Exception):
    """A malformed cell, with its column."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def _fact_of(row: dict[str, Any], dataset: Dataset) -> Fact:
    from capexmodel._facts import Fact  # noqa: PLC0415
    from capexmodel._money import Money  # noqa: PLC0415
    from capexmodel._period import Period  # noqa: PLC0415
    from capexmodel._provenance import Metric, Status  # noqa: PLC0415

    text = {column: _text(row, column) for column in _TEXT_COLUMNS}
    company = next((company for company in dataset.companies if company.id == text["company"]), None)
    if company is None:
        raise _RowError("company", f"unknown company {text['company']!r}")
    unknown = [source_id for source_id in text["sources"].split() if source_id not in dataset.sources]
    if unknown:
        raise _RowError("sources", f"unknown source {unknown[0]!r}")
    sources = [dataset.sources[source_id] for source_id in text["sources"].split()]
    start, end = row["period_start"], row["period_end"]
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise _RowError("period_start", f"expected dates, got {start!r} and {end!r}")
    amount = row["amount"]
    if isinstance(amount, float):
        raise _RowError("amount", f"expected an exact decimal, got the float {amount!r}")
    value = Money(amount, text["currency"], Period(start, end))
    status = Status.parse(text["status"])
    market = text["market"] or None
    return Fact(company, Metric(text["metric"]), value, text["basis"], status, sources, market=market)


#: The text columns of the layout, and whether each needs a value ("" stands for none in the others).
_TEXT_COLUMNS = {"company": True, "metric": True, "currency": True, "basis": False, "status": True,
                 "sources": False, "market": False}


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


def from_frame(frame: object, base: Dataset | None = None) -> Dataset:
    """A dataset whose facts are the table's, and whose companies, sources, rates and chips are `base`'s.

    `base` is the embedded dataset by default. ``from_frame(to_frame(ds), ds)``
    gives back `ds`'s facts exactly.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> frames.from_frame(frames.to_frame(ds, "polars")).facts == ds.facts
        True
    """
    import attrs  # noqa: PLC0415

    from capexmodel._dataset import load_dataset  # noqa: PLC0415

    dataset = base if base is not None else load_dataset()
    return attrs.evolve(dataset, facts=facts_from_frame(frame, dataset))
