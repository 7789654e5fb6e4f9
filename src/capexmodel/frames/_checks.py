"""What every table function checks before it computes: column types, nulls and the cells of object columns.

A table is read in one pass over its key columns, eagerly, on every engine (a polars
LazyFrame or a Dask DataFrame is computed that far, as the (currency, period) pairs
are). Every problem is reported in one `DataFileError`, by row (the first row is 1)
and column, as `facts_from_frame` reports them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from capexmodel._errors import DataFileError, show

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

#: Columns read as text: codes, names and labels.
TEXT = ("company", "metric", "currency", "basis", "market")
#: Columns that must hold a value in every row.
REQUIRED = ("company", "metric", "period_start", "period_end", "currency")
#: Columns of dates.
DATES = ("period_start", "period_end")
#: The columns whose (currency, period) pairs every table function looks up.
PAIR = ("currency", "period_start", "period_end")

_EXPECTED = {"text": ("a string", "strings"), "date": ("a date", "dates")}


def expected_kind(column: str) -> str | None:
    """What a column must hold: "text", "date", or None for a column the checks leave alone."""
    if column in TEXT:
        return "text"
    if column in DATES:
        return "date"
    return None


def column_problem(column: str, dtype: object) -> str:
    """The problem of a column whose type cannot hold what it must."""
    kind = expected_kind(column)
    plural = _EXPECTED[kind][1] if kind else "values"
    return f"table, column {column!r}: expected {plural}, got a {dtype} column"


def missing_problem(column: str, first: int, count: int) -> str:
    """The problem of nulls in a column that needs a value in every row."""
    return f"table, row {first}, column {column!r}: missing{_more(count)}"


def cell_problem(column: str, first: int, count: int, value: object) -> str:
    """The problem of cells of the wrong type, in an object column."""
    kind = expected_kind(column)
    what = _EXPECTED[kind][0] if kind else "a value"
    return f"table, row {first}, column {column!r}: expected {what}, got {show(value)}{_more(count)}"


def _more(count: int) -> str:
    return f" (and in {count - 1} more rows)" if count > 1 else ""


def raise_problems(problems: Sequence[str]) -> None:
    """Nothing, or a `DataFileError` listing `problems`."""
    if problems:
        raise DataFileError(list(problems))


def duplicate_columns(names: Sequence[object]) -> None:
    """Nothing, or a `DataFileError` naming each column the table has twice (which one would be read?)."""
    seen: set[object] = set()
    twice = [name for name in names if name in seen or seen.add(name)]  # type: ignore[func-returns-value]
    raise_problems([f"table, column {name!r}: the table has it more than once" for name in dict.fromkeys(twice)])


def missing(value: object) -> bool:
    """None, or the NaN, NA or NaT pandas may write for a missing value."""
    return (value is None or type(value).__name__ in {"NAType", "NaTType"}
            or (isinstance(value, float) and value != value))  # noqa: PLR0124


def is_text(value: object) -> bool:
    """A string, as a text cell must be."""
    return isinstance(value, str)


def is_date(value: object) -> bool:
    """A date (a datetime too: `Period` refuses one that is not midnight), as a date cell must be."""
    return isinstance(value, dt.date)


CELL_CHECKS: dict[str, Callable[[object], bool]] = {"text": is_text, "date": is_date}


# pandas and Dask


def pandas_kind(dtype: Any) -> str:  # noqa: ANN401 -- a pandas dtype
    """The family of a pandas dtype: text, date, decimal, integer, float, object, category, null or other."""
    import pandas as pd  # noqa: PLC0415 -- only for pandas tables
    import pyarrow as pa  # noqa: PLC0415 -- the frames extra

    if isinstance(dtype, pd.ArrowDtype):
        arrow = dtype.pyarrow_dtype
        families = {"text": (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view),
                    "date": (pa.types.is_date, pa.types.is_timestamp), "decimal": (pa.types.is_decimal,),
                    "integer": (pa.types.is_integer,), "float": (pa.types.is_floating,), "null": (pa.types.is_null,)}
        return next((kind for kind, tests in families.items() if any(test(arrow) for test in tests)), "other")
    api = pd.api.types
    numpy_families: list[tuple[str, Callable[[Any], bool]]] = [
        ("text", lambda kind: isinstance(kind, pd.StringDtype)),
        ("category", lambda kind: isinstance(kind, pd.CategoricalDtype)),
        ("object", api.is_object_dtype), ("date", api.is_datetime64_any_dtype), ("other", api.is_bool_dtype),
        ("integer", api.is_integer_dtype), ("float", api.is_float_dtype),
    ]
    return next((kind for kind, test in numpy_families if test(dtype)), "other")


#: What each kind of column may be, on pandas.
_PANDAS_ALLOWED = {
    "text": {"text", "object", "category", "null"},
    "date": {"date", "object", "null"},
}


def pandas_column_problems(dtypes: Any) -> list[str]:  # noqa: ANN401 -- a pandas Series of dtypes
    """The problems of columns whose pandas type cannot hold what they must."""
    problems = []
    for column, dtype in dtypes.items():
        kind = expected_kind(column)
        if kind is not None and pandas_kind(dtype) not in _PANDAS_ALLOWED[kind]:
            problems.append(column_problem(column, dtype))
    return problems


def _cells_to_check(part: Any) -> list[tuple[str, str]]:  # noqa: ANN401 -- a pandas DataFrame
    """The (column, kind) pairs whose cells need a look: object and category columns of text or dates."""
    return [(column, kind) for column in part.columns if (kind := expected_kind(column)) is not None
            and pandas_kind(part[column].dtype) in {"object", "category"}]


def pandas_part_problems(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame in, a small one out
    """A small table of the part's problems: each column's first null or wrong cell (0-based), and how many.

    Its first row, of the problem "rows", holds the number of rows of the part, so
    that Dask's partitions can be numbered into the table's rows.
    """
    import pandas as pd  # noqa: PLC0415 -- only for pandas tables

    found: list[tuple[str, str, int, int, object]] = [("", "rows", 0, len(part), None)]
    for column in REQUIRED:
        if column in part.columns:
            nulls = part[column].isna().to_numpy().nonzero()[0]
            if len(nulls):
                found.append((column, "missing", int(nulls[0]), len(nulls), None))
    for column, kind in _cells_to_check(part):
        values = part[column]
        values = values.astype(object) if isinstance(values.dtype, pd.CategoricalDtype) else values
        if pd.api.types.infer_dtype(values, skipna=True) in {"empty", "string" if kind == "text" else "date"}:
            continue
        check = CELL_CHECKS[kind]
        wrong = [index for index, value in enumerate(values) if not pd.isna(value) and not check(value)]
        if wrong:
            found.append((column, "cell", wrong[0], len(wrong), values.iloc[wrong[0]]))
    names = ("column", "problem", "first", "count", "value")
    return pd.DataFrame({name: pd.Series(values, dtype=object)
                         for name, values in zip(names, zip(*found, strict=True), strict=True)})


def problems_of_parts(summary: Any) -> list[str]:  # noqa: ANN401 -- the parts' summaries, one after the other
    """The problems of a table, from the summaries of its parts in order, with rows numbered over the table."""
    offset = length = 0
    found: dict[tuple[str, str], tuple[int, int, object]] = {}  # (column, problem): (first row, count, value)
    for column, problem, first, count, value in summary.itertuples(index=False):
        if problem == "rows":  # a new part starts
            offset, length = offset + length, int(count)
        elif (column, problem) in found:
            row, total, shown = found[column, problem]
            found[column, problem] = (row, total + int(count), shown)
        else:
            found[column, problem] = (offset + int(first) + 1, int(count), value)
    order = [*REQUIRED, *TEXT]
    ordered = sorted(found.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))
    return [missing_problem(column, row, count) if problem == "missing" else cell_problem(column, row, count, value)
            for (column, problem), (row, count, value) in ordered]


# polars


def polars_column_problems(schema: Any) -> list[str]:  # noqa: ANN401 -- a polars Schema
    """The problems of columns whose polars type cannot hold what they must."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    allowed = {"text": (pl.String, pl.Categorical, pl.Enum, pl.Null), "date": (pl.Date, pl.Datetime, pl.Null)}
    problems = []
    for column, dtype in schema.items():
        kind = expected_kind(column)
        if kind is not None and not isinstance(dtype, allowed[kind]) and dtype not in allowed[kind]:
            problems.append(column_problem(column, dtype))
    return problems


def polars_null_problems(lazy: Any, columns: Sequence[str]) -> list[str]:  # noqa: ANN401 -- a polars LazyFrame
    """The null problems of `columns`, each with its first row: the second look, once nulls are known to be there."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    numbered = lazy.with_row_index("_row", offset=1)
    queries = [numbered.filter(pl.col(column).is_null()).select(pl.col("_row").first(), pl.len()) for column in columns]
    return [missing_problem(column, int(result["_row"][0]), int(result["len"][0]))
            for column, result in zip(columns, pl.collect_all(queries), strict=True) if result["len"][0]]
