"""The table functions give back the kind of table they are given, as mypy sees it and as it is.

mypy checks this file (``assert_type`` fails the check where a function's type says
less, such as ``Any``); pytest runs it, so the types are also what comes back.
pandas and pyarrow ship no type information: to mypy their tables are ``Any``, so
for them only the run checks the kind.
"""

from typing import assert_type

import pandas as pd
import polars as pl
import pyarrow as pa

import capexmodel as cm
from capexmodel import frames

DS = cm.load_dataset()
META = DS.select(company="meta", source="meta-10k-2024")  # one fact per metric and year, as totals() needs


def test_to_frame_gives_the_table_of_the_backend_named():
    assert isinstance(assert_type(frames.to_frame(META, "polars"), pl.DataFrame), pl.DataFrame)
    assert isinstance(frames.to_frame(META, "pandas"), pd.DataFrame)
    assert isinstance(frames.to_frame(META, "pyarrow"), pa.Table)
    assert isinstance(frames.to_frame(META), pa.Table)


def test_a_polars_dataframe_in_gives_a_polars_dataframe_out():
    table = frames.to_frame(META, "polars")
    years = assert_type(frames.calendarize(frames.convert(table, DS.rates, "USD")), pl.DataFrame)
    results = (
        years,
        assert_type(frames.ratios(years), pl.DataFrame),
        assert_type(frames.year_over_year(years), pl.DataFrame),
        assert_type(frames.bubble_signals(years), pl.DataFrame),
        assert_type(frames.totals(years, DS.companies), pl.DataFrame),
    )
    assert all(type(result) is pl.DataFrame for result in results)


def test_a_polars_lazyframe_in_gives_a_polars_lazyframe_out():
    table = frames.to_frame(META, "polars").lazy()
    years = assert_type(frames.calendarize(frames.convert(table, DS.rates, "USD")), pl.LazyFrame)
    results = (
        years,
        assert_type(frames.ratios(years), pl.LazyFrame),
        assert_type(frames.year_over_year(years), pl.LazyFrame),
        assert_type(frames.bubble_signals(years), pl.LazyFrame),
        assert_type(frames.totals(years, DS.companies), pl.LazyFrame),
    )
    assert all(type(result) is pl.LazyFrame for result in results)


def test_a_pandas_dataframe_in_gives_a_pandas_dataframe_out():
    table: pd.DataFrame = frames.to_frame(META, "pandas")
    years = frames.calendarize(frames.convert(table, DS.rates, "USD"))
    results = (
        years,
        frames.ratios(years),
        frames.year_over_year(years),
        frames.bubble_signals(years),
        frames.totals(years, DS.companies),
    )
    assert all(type(result) is pd.DataFrame for result in results)


def test_a_pyarrow_table_in_gives_a_pyarrow_table_out():
    years = frames.calendarize(frames.to_frame(META, "pyarrow"))
    assert type(years) is pa.Table
    assert type(frames.ratios(years)) is pa.Table
