"""ISO date strings in the period columns, on every engine: read as dates exactly, anything else named."""

import datetime as dt
from decimal import Decimal
from typing import Any

import dask.dataframe as dd
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from capexmodel.frames import _checks
from tests import strategies as cst

DS = cm.load_dataset()


def rows(start: dt.date = dt.date(2024, 1, 1), end: dt.date = dt.date(2024, 12, 31)) -> list[dict[str, object]]:
    period = {"period_start": start, "period_end": end, "currency": "USD"}
    return [
        {"company": "meta", "metric": "capex", **period, "amount": Decimal("39.23")},
        {"company": "meta", "metric": "revenue", **period, "amount": Decimal("164.5")},
    ]


def as_strings(table: list[dict[str, object]], **cells: str) -> list[dict[str, object]]:
    text = [{**row, "period_start": str(row["period_start"]), "period_end": str(row["period_end"])} for row in table]
    text[-1].update(cells)
    return text


ENGINES = {
    "pandas": pd.DataFrame,
    "pandas string": lambda table: pd.DataFrame(table).astype({"period_start": "string", "period_end": "string"}),
    "dask": lambda table: dd.from_pandas(pd.DataFrame(table), npartitions=2),  # Dask makes strings of the dates
    "polars": pl.DataFrame,
    "polars lazy": pl.LazyFrame,
    "pyarrow": lambda table: pa.Table.from_pylist([{**row, "amount": str(row["amount"])} for row in table]),
}


def intensity(result: Any) -> Decimal:
    if isinstance(result, dd.DataFrame):
        result = result.compute()
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    if isinstance(result, pa.Table):
        result = pl.from_arrow(result)
    if isinstance(result, pl.DataFrame):
        return Decimal(result["capex_intensity"][0])
    return Decimal(result["capex_intensity"].iloc[0])


@pytest.mark.parametrize("engine", ENGINES)
def test_iso_strings_are_read_as_the_dates_they_write(engine):
    expected = intensity(frames.ratios(ENGINES[engine](rows())))
    assert intensity(frames.ratios(ENGINES[engine](as_strings(rows())))) == expected
    assert expected.quantize(Decimal("0.0001")) == Decimal("0.2385")  # 39.23 / 164.5


def test_dask_from_pandas_of_dates_gives_strings_and_is_read():
    table = dd.from_pandas(pd.DataFrame(rows()), npartitions=1)
    assert _checks.pandas_kind(table["period_start"].dtype) == "text"  # what the issue found
    assert intensity(frames.ratios(table)).quantize(Decimal("0.0001")) == Decimal("0.2385")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", ["2024/12/31", "2024-1-31", "20241231", "2024-02-30", "٢٠٢٤-12-31", "2024-12-31 "])
def test_any_other_string_is_named_by_row_and_column(engine, text):
    table = ENGINES[engine](as_strings(rows(), period_end=text))
    with pytest.raises(cm.DataFileError) as caught:
        frames.ratios(table)
    (problem,) = caught.value.problems
    assert problem.startswith("table, row 2, column 'period_end': expected a date or an ISO date string (YYYY-MM-DD)")
    assert repr(text) in problem


@given(start=cst.dates.map(lambda day: day.replace(day=1)))
def test_any_iso_string_reads_as_its_date(start):
    assert _checks.iso_date(start.isoformat()) == start
    assert _checks.iso_date(start) is start


def test_from_frame_reads_iso_strings_too():
    table = frames.to_frame(DS, "pandas")
    text = table.assign(
        period_start=table["period_start"].map(lambda day: day.isoformat()),
        period_end=table["period_end"].map(lambda day: day.isoformat()),
        counted_as_start=table["counted_as_start"].map(lambda day: None if pd.isna(day) else day.isoformat()),
        counted_as_end=table["counted_as_end"].map(lambda day: None if pd.isna(day) else day.isoformat()),
    )
    assert frames.from_frame(text).facts == frames.from_frame(table).facts
    with pytest.raises(cm.DataFileError, match="column 'period_end': expected dates or ISO date strings"):
        frames.from_frame(text.assign(period_end="2024-12-32"))


@given(st.text(max_size=12))
def test_a_string_is_a_date_or_left_for_the_checks(text):
    read = _checks.iso_date(text)
    assert read == text or (isinstance(read, dt.date) and read.isoformat() == text)
