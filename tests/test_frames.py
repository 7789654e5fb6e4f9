import sys
from decimal import Decimal

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from tests import strategies as cms

DS = cm.load_dataset()


@pytest.mark.parametrize("backend", ["pyarrow", "pandas", "polars"])
def test_the_embedded_facts_round_trip_on_every_backend(backend):
    frame = frames.to_frame(DS, backend)
    assert frames.from_frame(frame, DS).facts == DS.facts
    assert frames.from_frame(frame).facts == DS.facts  # the embedded dataset is the default base


def test_the_layout():
    table = frames.to_frame(DS, "pyarrow")
    assert tuple(table.column_names) == frames.COLUMNS + frames.PROVENANCE_COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(38, 0)
    assert table.schema.field("period_start").type == pa.date32()
    first = table.slice(0, 1).to_pylist()[0]
    assert first == {"company": "amazon", "metric": "capex", "period_start": cm.CalendarYear(2024).start,
                     "period_end": cm.CalendarYear(2024).end, "currency": "USD", "amount": Decimal(77700000000),
                     "basis": "as the article gives it", "status": "reported", "sources": "caijing", "market": None,
                     "id": 1, "inputs": "", "derivation": None, "rule": None,
                     "note": "the 10-K's purchases of property and equipment net of proceeds, 77,658 million, rounded",
                     "counted_as_start": None, "counted_as_end": None, "segment": None}
    polars = frames.to_frame(DS, "polars")
    assert polars.schema["amount"] == pl.Decimal(38, 0)
    pandas = frames.to_frame(DS, "pandas")
    assert pandas["amount"].iloc[0] == Decimal(77700000000)


@given(st.lists(cms.amounts, min_size=1, max_size=20), st.sampled_from(["pyarrow", "pandas", "polars"]))
def test_any_exact_amounts_round_trip(amounts, backend):
    tencent = DS.company("tencent")
    facts = tuple(cm.Fact(tencent, "net_income", cm.Money(amount, "CNY", cm.CalendarMonth(2000 + i // 12, i % 12 + 1)))
                  for i, amount in enumerate(amounts))
    dataset = attrs.evolve(DS, facts=facts)
    back = frames.from_frame(frames.to_frame(dataset, backend), DS)
    assert [fact.value for fact in back.facts] == [fact.value for fact in facts]


def test_amounts_too_wide_for_a_decimal_column_are_exact_strings():
    tencent = DS.company("tencent")
    wide = cm.Fact(tencent, "capex", cm.Money("1" * 30 + "." + "1" * 10, "CNY", cm.CalendarYear(2024)))
    dataset = attrs.evolve(DS, facts=(wide,))
    table = frames.to_frame(dataset, "pyarrow")
    assert table.schema.field("amount").type == pa.string()
    assert frames.from_frame(table, DS).facts == (wide,)


def test_malformed_rows_are_reported_by_row_and_column():
    table = frames.to_frame(DS, "polars").head(4).with_columns(
        pl.Series("company", ["amazon", "openai", "amazon", "amazon"]),
        pl.Series("sources", ["caijing", "caijing", "sec", "caijing"]),
        pl.Series("status", ["reported", "reported", "reported", "rumour"]),
    )
    with pytest.raises(cm.DataFileError) as caught:
        frames.from_frame(table, DS)
    assert caught.value.problems == (
        "table, row 2, column 'company': unknown company 'openai'",
        "table, row 3, column 'sources': unknown source 'sec'",
        "table, row 4: status must be a Status or one of 'reported', 'derived', 'guidance', 'estimate', got 'rumour'",
    )


def test_floats_dates_and_columns_are_checked():
    table = frames.to_frame(DS, "pandas").head(2)
    floats = table.assign(amount=[1.5, 2.5])
    with pytest.raises(cm.DataFileError, match="row 1, column 'amount': expected an exact decimal, got the float 1.5"):
        frames.from_frame(floats)
    text_dates = table.assign(period_start=["2024-01-01", "2024-01-01"])
    with pytest.raises(cm.DataFileError, match="row 1, column 'period_start': expected dates"):
        frames.from_frame(text_dates)
    with pytest.raises(cm.DataFileError, match="missing columns basis"):
        frames.from_frame(table.drop(columns=["basis"]))
    with pytest.raises(cm.InvalidValueError, match="reads a pandas, polars or pyarrow table, got 5"):
        frames.from_frame(5)
    with pytest.raises(cm.InvalidValueError, match="backend must be 'pyarrow', 'pandas' or 'polars', got 'dask'"):
        frames.to_frame(DS, "dask")  # type: ignore[arg-type]


@pytest.mark.parametrize(("module", "backend", "message"), [
    ("pyarrow", "pyarrow", "frames extra"), ("polars", "polars", "needs polars"), ("pandas", "pandas", "needs pandas"),
])
def test_missing_engines_say_what_to_install(monkeypatch, module, backend, message):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(cm.InvalidValueError, match=message):
        frames.to_frame(DS, backend)


def test_reading_other_tables_needs_narwhals(monkeypatch):
    frame = pd.DataFrame({"company": []})
    monkeypatch.setitem(sys.modules, "narwhals", None)
    with pytest.raises(cm.InvalidValueError, match="frames extra"):
        frames.from_frame(frame)
