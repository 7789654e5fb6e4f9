"""What every table function checks before it computes: column types, nulls and the cells of object columns.

A table is read in one pass over its key columns, eagerly, on every engine (a polars
LazyFrame or a Dask DataFrame is computed that far, as the (currency, period) pairs
are). Every problem is reported in one `DataFileError`, by row (the first row is 1)
and column, as `facts_from_frame` reports them.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import re
from typing import TYPE_CHECKING, Any

from capexmodel._context import QUOTIENT
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

#: What a cell of each kind must be, and what a column of them holds, as errors say it.
_EXPECTED = {
    "text": ("a string", "strings"),
    "date": ("a date or an ISO date string (YYYY-MM-DD)", "dates or ISO date strings (YYYY-MM-DD)"),
    "amount": ("an exact number", "exact decimals, whole numbers or numeric strings"),
}


def expected_kind(column: str) -> str | None:
    """What a column must hold: "text", "date", "amount", or None for a column the checks leave alone."""
    if column in TEXT:
        return "text"
    if column in DATES:
        return "date"
    return "amount" if column == "amount" else None


def column_problem(column: str, dtype: object) -> str:
    """The problem of a column whose type cannot hold what it must."""
    return f"table, column {column!r}: expected {_EXPECTED[expected_kind(column) or 'text'][1]}, got a {dtype} column"


def missing_problem(column: str, first: int, count: int) -> str:
    """The problem of nulls in a column that needs a value in every row."""
    return f"table, row {first}, column {column!r}: missing{_more(count)}"


def cell_problem(column: str, first: int, count: int, value: object) -> str:
    """The problem of cells of the wrong type, in an object column."""
    what = _EXPECTED[expected_kind(column) or "text"][0]
    return f"table, row {first}, column {column!r}: expected {what}, got {show(value)}{_more(count)}"


def _more(count: int) -> str:
    return f" (and in {count - 1} more rows)" if count > 1 else ""


def raise_problems(problems: Sequence[str]) -> None:
    """Nothing, or a `DataFileError` listing `problems`."""
    if problems:
        raise DataFileError(list(problems))


def duplicate_columns(names: Sequence[object]) -> None:
    """Nothing, or a `DataFileError` naming each column the table has twice (which one would be read?)."""
    counts = collections.Counter(names)
    raise_problems(
        [f"table, column {name!r}: the table has it {count} times" for name, count in counts.items() if count > 1]
    )


def missing(value: object) -> bool:
    """None, or the NaN, NA or NaT pandas may write for a missing value."""
    not_a_number = isinstance(value, float) and value != value  # noqa: PLR0124 -- NaN is the float unequal to itself
    return value is None or type(value).__name__ in {"NAType", "NaTType"} or not_a_number


def is_text(value: object) -> bool:
    """A string, as a text cell must be."""
    return isinstance(value, str)


def is_date(value: object) -> bool:
    """A date (a datetime too: `Period` refuses one that is not midnight), as a date cell must be."""
    return isinstance(value, dt.date)


CELL_CHECKS: dict[str, Callable[[object], bool]] = {"text": is_text, "date": is_date}

#: A date as an ISO string: four, two and two ASCII digits (``2024-01-01``, never ``2024-1-1`` or ``20240101``).
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_date(value: object) -> object:
    """A string that is an ISO date (``YYYY-MM-DD``) as that date; any other value as it is, for the checks to name."""
    if isinstance(value, str) and ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value  # 2024-02-30: named as it is
    return value


# pandas and Dask


def pandas_kind(dtype: Any) -> str:  # noqa: ANN401 -- a pandas dtype
    """The family of a pandas dtype: text, date, decimal, integer, float, object, category, null or other."""
    import pandas as pd  # noqa: PLC0415 -- only for pandas tables
    import pyarrow as pa  # noqa: PLC0415 -- the frames extra

    if isinstance(dtype, pd.ArrowDtype):
        arrow = dtype.pyarrow_dtype
        families = {
            "text": (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view),
            "date": (pa.types.is_date, pa.types.is_timestamp),
            "decimal": (pa.types.is_decimal,),
            "integer": (pa.types.is_integer,),
            "float": (pa.types.is_floating,),
            "null": (pa.types.is_null,),
        }
        return next((kind for kind, tests in families.items() if any(test(arrow) for test in tests)), "other")
    api = pd.api.types
    numpy_families: list[tuple[str, Callable[[Any], bool]]] = [
        ("text", lambda kind: isinstance(kind, pd.StringDtype)),
        ("category", lambda kind: isinstance(kind, pd.CategoricalDtype)),
        ("object", api.is_object_dtype),
        ("date", api.is_datetime64_any_dtype),
        ("other", api.is_bool_dtype),
        ("integer", api.is_integer_dtype),
        ("float", api.is_float_dtype),
    ]
    return next((kind for kind, test in numpy_families if test(dtype)), "other")


#: What each kind of column may be, on pandas (float amounts are refused before, with their own error).
_PANDAS_ALLOWED = {
    "text": {"text", "object", "category", "null"},
    "date": {"date", "object", "text", "null"},
    "amount": {"decimal", "integer", "text", "object", "null"},
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
    """The (column, kind) pairs whose cells need a look: object and category columns of text or dates.

    Amounts are read one by one anyway, and each error names its row.
    """
    return [
        (column, kind)
        for column in part.columns
        if (kind := expected_kind(column)) in CELL_CHECKS and pandas_kind(part[column].dtype) in {"object", "category"}
    ]


def with_dates(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame in, one out
    """The part, its period columns of text (or of objects) with each ISO date string read as its date."""
    names = [name for name in DATES if name in part.columns and pandas_kind(part[name].dtype) in {"text", "object"}]
    if not names:
        return part
    return part.assign(**{name: part[name].map(iso_date).astype(object) for name in names})


def pandas_part_problems(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame in, a small one out
    """A small table of the part's problems (each column's first null or wrong cell, 0-based, and how many), or pairs.

    Its first row, of the problem "rows", holds the number of rows of the part, so
    that Dask's partitions can be numbered into the table's rows. A part with no
    problem lists its (currency, period_start, period_end) pairs instead, as "pair" rows.
    """
    # pandas asks each Decimal whether it is NaN; a signalling NaN answers with InvalidOperation unless told not to.
    part = with_dates(part)
    with decimal.localcontext(QUOTIENT) as context:
        context.traps[decimal.InvalidOperation] = False
        found = [("", "rows", 0, len(part), None), *_nulls(part), *_wrong_cells(part)]
    if len(found) == 1:  # the cells are what they must be: they can be compared and hashed
        found += [("", "pair", 0, 0, pair) for pair in part[list(PAIR)].drop_duplicates().itertuples(index=False)]
    names = ("column", "problem", "first", "count", "value")
    import pandas as pd  # noqa: PLC0415 -- only for pandas tables

    return pd.DataFrame(
        {name: pd.Series(values, dtype=object) for name, values in zip(names, zip(*found, strict=True), strict=True)}
    )


def _nulls(part: Any) -> list[tuple[str, str, int, int, object]]:  # noqa: ANN401 -- a pandas DataFrame
    found: list[tuple[str, str, int, int, object]] = []
    for column in REQUIRED:  # prepare() has made sure the table has them
        nulls = part[column].isna().to_numpy().nonzero()[0]
        if len(nulls):
            found.append((column, "missing", int(nulls[0]), len(nulls), None))
    return found


def _wrong_cells(part: Any) -> list[tuple[str, str, int, int, object]]:  # noqa: ANN401 -- a pandas DataFrame
    import pandas as pd  # noqa: PLC0415 -- only for pandas tables

    found: list[tuple[str, str, int, int, object]] = []
    for column, kind in _cells_to_check(part):
        values = part[column]
        values = values.astype(object) if isinstance(values.dtype, pd.CategoricalDtype) else values
        if pd.api.types.infer_dtype(values, skipna=True) in {"empty", "string" if kind == "text" else "date"}:
            continue
        check = CELL_CHECKS[kind]
        wrong = [index for index, value in enumerate(values) if not missing(value) and not check(value)]
        if wrong:
            found.append((column, "cell", wrong[0], len(wrong), values.iloc[wrong[0]]))
    return found


def read_parts(summary: Any) -> list[dict[str, Any]]:  # noqa: ANN401 -- the parts' summaries, one after the other
    """The table's distinct (currency, period) pairs, from the summaries of its parts in order, or its problems.

    Rows are numbered over the whole table.
    """
    offset = length = 0
    found: dict[tuple[str, str], tuple[int, int, object]] = {}  # (column, problem): (first row, count, value)
    pairs: dict[tuple[object, ...], None] = {}
    for column, problem, first, count, value in summary.itertuples(index=False):
        if problem == "rows":  # a new part starts
            offset, length = offset + length, int(count)
        elif problem == "pair":
            pairs[tuple(value)] = None
        elif (column, problem) in found:
            row, total, shown = found[column, problem]
            found[column, problem] = (row, total + int(count), shown)
        else:
            found[column, problem] = (offset + int(first) + 1, int(count), value)
    order = [*REQUIRED, *TEXT]
    ordered = sorted(found.items(), key=lambda item: (order.index(item[0][0]), item[0][1]))
    raise_problems(
        [
            missing_problem(column, row, count) if problem == "missing" else cell_problem(column, row, count, value)
            for (column, problem), (row, count, value) in ordered
        ]
    )
    return [dict(zip(PAIR, pair, strict=True)) for pair in pairs]


# polars


def polars_column_problems(schema: Any) -> list[str]:  # noqa: ANN401 -- a polars Schema
    """The problems of columns whose polars type cannot hold what they must."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    allowed = {
        "text": (pl.String, pl.Categorical, pl.Enum, pl.Null),
        "date": (pl.Date, pl.Datetime, pl.Null),
        "amount": (
            pl.Decimal,
            pl.String,
            pl.Null,
            pl.Int8,
            pl.Int16,
            pl.Int32,
            pl.Int64,
            pl.Int128,
            pl.UInt8,
            pl.UInt16,
            pl.UInt32,
            pl.UInt64,
            pl.UInt128,
        ),
    }
    return [
        column_problem(column, dtype)
        for column, dtype in schema.items()
        if (kind := expected_kind(column)) is not None and not isinstance(dtype, allowed[kind])
    ]


def polars_null_problems(lazy: Any, columns: Sequence[str]) -> list[str]:  # noqa: ANN401 -- a polars LazyFrame
    """The null problems of `columns`, each with its first row: the second look, once nulls are known to be there."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    numbered = lazy.with_row_index("_row", offset=1)
    queries = [numbered.filter(pl.col(column).is_null()).select(pl.col("_row").first(), pl.len()) for column in columns]
    return [
        missing_problem(column, int(result["_row"][0]), int(result["len"][0]))
        for column, result in zip(columns, pl.collect_all(queries), strict=True)
    ]
