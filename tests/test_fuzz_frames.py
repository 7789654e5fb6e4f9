"""Hostile tables given to the table functions raise only capexmodel's errors, on every engine.

Tables are drawn with nulls in any column, columns of the wrong type, strings where
numbers belong, missing columns and no rows. Each is given to one table function on
one engine, and the result is computed (a LazyFrame collected, a Dask frame computed):
a table function either gives a table or raises a `CapexModelError`, never an
engine's own exception.
"""

import contextlib
import datetime as dt
import decimal

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from tests import strategies as cms

#: Each table is one call of a table function, which runs tens (polars) to hundreds (pandas) of engine
#: operations: fewer tables than the profile's default, so that CI stays quick.
SOME = settings(max_examples=min(settings().max_examples, 200))
FEW = settings(max_examples=min(settings().max_examples, 100))
#: Dask builds and runs a graph for each, in seconds: a smoke run.
SMOKE = settings(max_examples=min(settings().max_examples, 6))

POLARS_TYPES: dict[str, pl.DataType | type[pl.DataType]] = {
    **dict.fromkeys(
        ("company", "metric", "currency", "basis", "market", "status", "misspelt", "text", "numeric text"), pl.String
    ),
    "int": pl.Int64,
    "bigint": pl.Int128,
    "float": pl.Float64,
    "bool": pl.Boolean,
    "date": pl.Date,
    "datetime": pl.Datetime("us"),
    "decimal": pl.Decimal(38, 4),
    "null": pl.Null,
}

YEARS = (2022, 2023, 2024)
RATES = cm.RateTable(
    [
        *(cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(year)) for year in YEARS),
        *(cm.ExchangeRate("EUR", "USD", "1.0825", cm.CalendarYear(year)) for year in YEARS),
        *(
            cm.ExchangeRate("USD", "CNY", f"7.{1012 + 222 * month}", cm.CalendarMonth(2024, month))
            for month in range(1, 13)
        ),
    ]
)
COMPANIES = [
    cm.Company(id=key, name_en=key, name_zh=key, region=region, currency="USD")
    for key, region in (("a", "US"), ("b", "CN"), ("c", "US"))
]
CALLS = {
    "convert": lambda table: frames.convert(table, RATES, "USD"),
    "convert with a blend": lambda table: frames.convert(table, RATES, "CNY", blend=True),
    "calendarize": frames.calendarize,
    "totals": lambda table: frames.totals(table, COMPANIES),
    "ratios": frames.ratios,
    "year_over_year": frames.year_over_year,
    "bubble_signals": frames.bubble_signals,
}


def polars_table(columns):
    return pl.DataFrame(
        [pl.Series(name, values, dtype=POLARS_TYPES[kind], strict=False) for name, (kind, values) in columns.items()]
    )


def native(engine, columns):
    """The drawn table on `engine`."""
    table = polars_table(columns)
    if engine == "polars":
        return table
    if engine == "lazy":
        return table.lazy()
    table = table.with_columns(pl.col(pl.Int128).cast(pl.Decimal(38, 0)))  # Arrow has no 128-bit integers
    if engine == "pyarrow":
        return table.to_arrow()
    if engine == "pandas":
        return table.to_pandas()
    if engine == "pandas on arrow":
        return table.to_pandas(use_pyarrow_extension_array=True)
    import dask  # noqa: PLC0415 -- a test extra
    import dask.dataframe as dd  # noqa: PLC0415

    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(table.to_pandas(use_pyarrow_extension_array=True), npartitions=2)


def computed(result):
    """The rows of a result, computed whatever the engine."""
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    if isinstance(result, pl.DataFrame):
        return result.rows(named=True)
    if isinstance(result, pa.Table):
        return result.to_pylist()
    if hasattr(result, "compute"):
        result = result.compute()
    return result.to_dict("records")


def rows_with_amounts(columns):
    kind, values = columns.get("amount", ("null", []))
    return sum(value is not None and kind != "null" for value in values)


def gives_a_table_or_raises_ours(call, table, columns):
    try:
        rows = computed(CALLS[call](table))
    except cm.CapexModelError as error:
        event(type(error).__name__)
    else:
        event("a table")
        assert isinstance(rows, list)
        if call.startswith("convert"):  # every row with an amount, converted
            assert len(rows) == rows_with_amounts(columns)
            assert all(item["currency"] == ("USD" if call == "convert" else "CNY") for item in rows)
            assert all(isinstance(item["amount"], decimal.Decimal) for item in rows)


@SOME
@given(
    columns=cms.hostile_tables(),
    engine=st.sampled_from(["polars", "lazy", "pyarrow"]),
    call=st.sampled_from(list(CALLS)),
)
def test_hostile_tables_on_polars(columns, engine, call):
    gives_a_table_or_raises_ours(call, native(engine, columns), columns)


@FEW
@given(
    columns=cms.hostile_tables(),
    engine=st.sampled_from(["pandas", "pandas on arrow"]),
    call=st.sampled_from(list(CALLS)),
)
def test_hostile_tables_on_pandas(columns, engine, call):
    gives_a_table_or_raises_ours(call, native(engine, columns), columns)


@SMOKE
@given(columns=cms.hostile_tables(max_rows=4), call=st.sampled_from(list(CALLS)))
def test_hostile_tables_on_dask(columns, call):
    gives_a_table_or_raises_ours(call, native("dask", columns), columns)


@FEW
@given(
    cells=st.fixed_dictionaries(
        {
            name: st.lists(cms.object_cells, min_size=3, max_size=3)
            for name in ("company", "metric", "period_start", "currency", "amount", "basis")
        }
    ),
    call=st.sampled_from(list(CALLS)),
)
def test_object_columns_with_cells_of_any_type(cells, call):
    year = cm.CalendarYear(2024)
    table = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in cells.items()})
    table["period_end"] = pd.Series([year.end] * 3, dtype=object)
    with contextlib.suppress(cm.CapexModelError):
        computed(CALLS[call](table))


@pytest.mark.parametrize("engine", ["polars", "lazy", "pyarrow", "pandas", "pandas on arrow", "dask"])
def test_empty_tables_give_empty_tables(engine):
    columns: dict[str, tuple[str, list[object]]] = {name: (kind, []) for name, kind in cms.RIGHT_KINDS.items()}
    calls = ["convert", "totals"] if engine == "dask" else CALLS  # Dask takes seconds a call: two show it
    for call in calls:
        assert computed(CALLS[call](native(engine, columns))) == [], call


def test_a_table_of_nulls_names_the_first_null_of_each_key_column():
    columns = {name: ("null", [None, None]) for name in cms.RIGHT_KINDS}
    with pytest.raises(cm.DataFileError) as caught:
        frames.ratios(native("polars", columns))
    assert caught.value.problems == tuple(
        f"table, row 1, column '{name}': missing (and in 1 more rows)"
        for name in ("company", "metric", "period_start", "period_end", "currency")
    )


@pytest.mark.parametrize("engine", ["polars", "lazy", "pandas", "dask"])
def test_datetimes_at_midnight_are_dates_and_others_are_refused(engine):
    midnight = {
        "company": ("company", ["a"]),
        "metric": ("metric", ["capex"]),
        "currency": ("currency", ["USD"]),
        "period_start": ("datetime", [dt.datetime(2024, 1, 1)]),  # noqa: DTZ001
        "period_end": ("datetime", [dt.datetime(2024, 12, 31)]),  # noqa: DTZ001
        "amount": ("decimal", [1]),
    }
    assert [item["amount"] for item in computed(frames.convert(native(engine, midnight), RATES, "CNY"))] == [
        decimal.Decimal("7.23")
    ]
    noon = {**midnight, "period_start": ("datetime", [dt.datetime(2024, 1, 1, 12)])}  # noqa: DTZ001
    with pytest.raises(cm.InvalidPeriodError, match="is not whole months"):
        computed(frames.convert(native(engine, noon), RATES, "CNY"))


def outcome(call, table):
    """What a table function gives for `table`: its rows (each missing value as None), or its error and message."""
    try:
        rows = computed(CALLS[call](table))
    except cm.CapexModelError as error:
        return type(error).__name__, str(error)
    return [{name: None if pd.isna(value) else value for name, value in row.items()} for row in rows]


#: A row of the facts table that every table function reads, in 2022.
ROW = {
    "company": "a",
    "metric": "capex",
    "period_start": cm.CalendarYear(2022).start,
    "period_end": cm.CalendarYear(2022).end,
    "currency": "USD",
    "amount": decimal.Decimal(0),
    "basis": "",
    "market": "",
    "status": "reported",
}


def arrow_table(rows, **nulls):
    """A pandas table on arrow of `rows` copies of `ROW`, the columns named in `nulls` all null, of arrow type null."""
    types = {
        "company": pa.string(),
        "metric": pa.string(),
        "period_start": pa.date32(),
        "period_end": pa.date32(),
        "currency": pa.string(),
        "amount": pa.decimal128(38, 4),
        "basis": pa.string(),
        "market": pa.string(),
        "status": pa.string(),
    }
    return pd.DataFrame(
        {
            name: pd.Series(
                [None if name in nulls else value] * rows,
                dtype=pd.ArrowDtype(pa.null() if name in nulls else types[name]),
            )
            for name, value in ROW.items()
        }
    )


def test_an_all_null_market_of_arrow_null_type_is_no_market():
    table = arrow_table(3, market=True)
    assert table["market"].dtype == pd.ArrowDtype(pa.null())
    rows = computed(frames.convert(table, RATES, "USD"))
    assert [(item["amount"], pd.isna(item["market"])) for item in rows] == [(decimal.Decimal(0), True)] * 3


def test_totals_of_an_empty_table_whose_company_is_of_arrow_null_type():
    table = arrow_table(0, company=True)
    assert table["company"].dtype == pd.ArrowDtype(pa.null())
    assert computed(frames.totals(table, COMPANIES)) == []


def of_the_null_type(table, column):
    """Whether a column of a native table is of the null type (an object column on pandas, which has none)."""
    if isinstance(table, (pl.DataFrame, pl.LazyFrame)):
        return table.collect_schema()[column] == pl.Null
    if isinstance(table, pa.Table):
        return table.schema.field(column).type == pa.null()
    return table[column].dtype in {pd.ArrowDtype(pa.null()), np.dtype(object)}


@pytest.mark.parametrize(
    ("engine", "column"),
    [
        *(
            (engine, column)
            for engine in ("polars", "lazy", "pyarrow", "pandas", "pandas on arrow")
            for column in cms.RIGHT_KINDS
        ),
        *(("dask", column) for column in ("company", "period_start", "market")),  # Dask takes seconds a call
    ],
)
def test_a_column_of_the_null_type_is_read_as_nulls_of_its_own_type(engine, column):
    """An all-null column whose type is null gives what an all-null column of the right type gives, on every engine.

    A null in a key column is a `DataFileError` naming row and column; an empty table gives an empty table.
    Three calls stand for all: every table function reads its table through the same checks.
    """
    calls = ["totals"] if engine == "dask" else ["convert", "totals", "ratios"]
    for rows in (0, 3):
        typed = {name: (kind, [ROW[name]] * rows) for name, kind in cms.RIGHT_KINDS.items()}
        nulls_of_their_type = native(engine, {**typed, column: (cms.RIGHT_KINDS[column], [None] * rows)})
        null_type = native(engine, {**typed, column: ("null", [None] * rows)})
        assert of_the_null_type(null_type, column)
        for call in calls:
            expected = outcome(call, nulls_of_their_type)
            assert outcome(call, null_type) == expected, (rows, call)
            if rows and column in {"company", "metric", "period_start", "period_end", "currency"}:
                problem = f"table, row 1, column {column!r}: missing (and in 2 more rows)"
                assert expected == ("DataFileError", f"1 problem in the data:\n  {problem}"), call
            elif not rows:
                assert expected == [], call
