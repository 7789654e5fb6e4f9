"""Tables flowing from one table function into the next: checked once, the same numbers lazy or eager."""

from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from tests import strategies as cms
from tests.test_frame_indicators import PANELS, on, row

RATES = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(year)) for year in range(1999, 2102)])
amounts = st.one_of(st.none(), st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))


@st.composite
def fiscal_panels(draw):
    """Series of periods of 1 to 12 months in dollars or yuan (as spelt), some amounts unknown."""
    rows = []
    for company in draw(st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=2, unique=True)):
        currency = draw(cms.spelt(draw(st.sampled_from(["USD", "CNY"]))))
        for metric in draw(st.lists(st.sampled_from(["capex", "revenue"]), min_size=1, max_size=2, unique=True)):
            tiles = [tile for tile in draw(cms.tilings(max_parts=8, max_months=12)) if 2000 <= tile.start.year <= 2100]
            rows += [row(company, metric, tile, currency, draw(amounts)) for tile in tiles]
    return rows


def chain(table):
    """Convert to dollars, calendarize, then the indicators over the years (and the years once more)."""
    years = frames.calendarize(frames.convert(table, RATES, "USD", blend=True))
    return {
        "years": years,
        "ratios": frames.ratios(years),
        "year_over_year": frames.year_over_year(years),
        "again": frames.calendarize(years),
        "in_yuan": frames.convert(years, RATES, "CNY"),
    }


def rows_of(result):
    table = result.collect() if isinstance(result, pl.LazyFrame) else result
    return sorted(table.rows(), key=repr)


@PANELS
@given(panel=fiscal_panels())
def test_a_lazy_chain_gives_what_an_eager_chain_gives(panel):
    eager, lazy = chain(on("polars", panel)), chain(on("polars", panel).lazy())
    assert all(isinstance(result, pl.LazyFrame) for result in lazy.values())
    for name, result in eager.items():
        assert rows_of(lazy[name]) == rows_of(result), name


def test_a_lazy_table_a_table_function_gave_back_is_neither_checked_nor_computed_again(monkeypatch):
    rows = [row("a", "capex", cm.CalendarQuarter(2024, quarter), "CNY", Decimal(quarter)) for quarter in (1, 2, 3, 4)]
    converted = frames.convert(on("polars", rows).lazy(), RATES, "USD")
    collected = []
    collect = pl.LazyFrame.collect

    def counted(self, *args, **kwargs):
        collected.append(self)
        return collect(self, *args, **kwargs)

    monkeypatch.setattr(pl.LazyFrame, "collect", counted)
    years = frames.calendarize(converted)
    results = [frames.ratios(years), frames.year_over_year(years), frames.calendarize(years)]
    assert collected == []  # nothing computed until asked
    monkeypatch.undo()
    assert rows_of(years) == rows_of(frames.calendarize(frames.convert(on("polars", rows), RATES, "USD")))
    assert all(isinstance(result, pl.LazyFrame) for result in results)


def test_a_table_made_from_a_lazy_result_is_checked_again():
    rows = [row("a", "capex", cm.CalendarQuarter(2024, quarter), "USD", Decimal(quarter)) for quarter in (1, 2, 3, 4)]
    converted = frames.convert(on("polars", rows).lazy(), RATES, "CNY")
    moved = converted.with_columns(period_start=pl.col("period_start").dt.offset_by("3d"))
    with pytest.raises(cm.InvalidPeriodError, match="not whole months"):
        frames.calendarize(moved)
    with pytest.raises(cm.DataFileError, match="column 'company': missing"):
        frames.ratios(converted.with_columns(company=pl.lit(None, pl.String)))


def _quarters(currency, company="a"):
    return [
        row(company, metric, cm.CalendarQuarter(year, quarter), currency, Decimal(year - 2000 + quarter))
        for year in (2023, 2024)
        for quarter in (1, 2, 3, 4)
        for metric in ("capex", "revenue")
    ]


def test_collect_all_gives_each_result_as_collecting_it_alone_would():
    years = frames.calendarize(frames.convert(on("polars", _quarters("CNY")).lazy(), RATES, "USD"))
    results = [frames.ratios(years), frames.year_over_year(years), years]
    computed = frames.collect_all(*results)
    assert all(isinstance(table, pl.DataFrame) for table in computed)
    assert [rows_of(table) for table in computed] == [rows_of(result) for result in results]


def test_collect_all_runs_the_steps_its_results_share_once(monkeypatch):
    from capexmodel.frames import _engine  # noqa: PLC0415

    # A factor that terminates neither way (a blend of two years' rates) is applied row by row in Python.
    rates = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(2024)),
            cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarYear(2025)),
        ]
    )
    rows = [
        row("a", metric, cm.Period.parse("2024-11/2025-01"), "CNY", Decimal("123456789012345678.5"))
        for metric in ("capex", "revenue")
    ]
    calls = []
    exact = _engine._exact_products

    def counted(rows):
        calls.append(len(rows))
        return exact(rows)

    monkeypatch.setattr(_engine, "_exact_products", counted)
    converted = frames.convert(on("polars", rows).lazy(), rates, "USD", blend=True)
    alone = sum(len(table) for table in frames.collect_all(converted))
    once = sum(calls)
    calls.clear()
    frames.collect_all(frames.ratios(converted), frames.year_over_year(converted))
    assert alone == once == sum(calls) == 2  # both results, and the two amounts converted once
    calls.clear()
    frames.ratios(converted).collect()
    frames.year_over_year(converted).collect()
    assert sum(calls) == 2 * once  # collected one by one, each converts again


def test_collect_all_gives_eager_tables_back_as_they_are():
    table = on("polars", _quarters("USD"))
    pandas = table.to_pandas()
    arrow = table.to_arrow()
    assert all(a is b for a, b in zip(frames.collect_all(table, pandas, arrow), (table, pandas, arrow), strict=True))
    assert frames.collect_all() == []


def test_collect_all_collects_any_lazyframe_and_computes_dask_tables():
    import dask.dataframe as dd  # noqa: PLC0415

    lazy = on("polars", _quarters("USD")).lazy()
    distributed = frames.ratios(dd.from_pandas(on("polars", _quarters("USD")).to_pandas(), npartitions=2))
    plain, computed = frames.collect_all(lazy, distributed)
    assert plain.equals(lazy.collect())
    assert type(computed).__name__ == "DataFrame"
    assert (
        computed.sort_values(["period_start"])
        .reset_index(drop=True)
        .equals(distributed.compute().sort_values(["period_start"]).reset_index(drop=True))
    )


def test_collect_all_reports_an_overflow_as_invalid_value():
    big = [row("a", "capex", cm.CalendarQuarter(2024, quarter), "USD", Decimal("6e19")) for quarter in (1, 2, 3, 4)]
    years = frames.calendarize(on("polars", big).lazy())
    with pytest.raises(cm.InvalidValueError):
        frames.collect_all(years)
