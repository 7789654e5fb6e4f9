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
