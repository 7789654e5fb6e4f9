import datetime as dt
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
    frame = DS.to_frame(backend)
    assert cm.Dataset.from_frame(frame, DS).facts == DS.facts
    assert cm.Dataset.from_frame(frame).facts == DS.facts  # the embedded dataset is the default base


def test_the_layout():
    table = DS.to_frame("pyarrow")
    assert tuple(table.column_names) == frames.COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(38, 0)
    assert table.schema.field("period_start").type == pa.date32()
    first = table.slice(0, 1).to_pylist()[0]
    assert first == {"company": "amazon", "metric": "capex", "period_start": cm.CalendarYear(2024).start,
                     "period_end": cm.CalendarYear(2024).end, "currency": "USD", "amount": Decimal(77700000000),
                     "basis": "as the article gives it", "status": "reported", "sources": "caijing", "market": None}
    polars = DS.to_frame("polars")
    assert polars.schema["amount"] == pl.Decimal(38, 0)
    pandas = DS.to_frame("pandas")
    assert pandas["amount"].iloc[0] == Decimal(77700000000)


@given(st.lists(cms.amounts, min_size=1, max_size=20), st.sampled_from(["pyarrow", "pandas", "polars"]))
def test_any_exact_amounts_round_trip(amounts, backend):
    tencent = DS.company("tencent")
    facts = tuple(cm.Fact(tencent, "capex", cm.Money(amount, "CNY", cm.CalendarMonth(2000 + i // 12, i % 12 + 1)))
                  for i, amount in enumerate(amounts))
    dataset = attrs.evolve(DS, facts=facts)
    back = cm.Dataset.from_frame(dataset.to_frame(backend), DS)
    assert [fact.value for fact in back.facts] == [fact.value for fact in facts]


def test_amounts_too_wide_for_a_decimal_column_are_exact_strings():
    tencent = DS.company("tencent")
    wide = cm.Fact(tencent, "capex", cm.Money("1" * 30 + "." + "1" * 10, "CNY", cm.CalendarYear(2024)))
    dataset = attrs.evolve(DS, facts=(wide,))
    table = dataset.to_frame("pyarrow")
    assert table.schema.field("amount").type == pa.string()
    assert cm.Dataset.from_frame(table, DS).facts == (wide,)


def test_malformed_rows_are_reported_by_row_and_column():
    table = DS.to_frame("polars").head(4).with_columns(
        pl.Series("company", ["amazon", "openai", "amazon", "amazon"]),
        pl.Series("sources", ["caijing", "caijing", "sec", "caijing"]),
        pl.Series("status", ["reported", "reported", "reported", "rumour"]),
    )
    with pytest.raises(cm.DataFileError) as caught:
        cm.Dataset.from_frame(table, DS)
    assert caught.value.problems == (
        "table, row 2, column 'company': unknown company 'openai'",
        "table, row 3, column 'sources': unknown source 'sec'",
        "table, row 4: status must be a Status or one of 'reported', 'derived', 'guidance', 'estimate', got 'rumour'",
    )


def test_floats_dates_and_columns_are_checked():
    table = DS.to_frame("pandas").head(2)
    floats = table.assign(amount=[1.5, 2.5])
    with pytest.raises(cm.DataFileError, match="row 1, column 'amount': expected an exact decimal, got the float 1.5"):
        cm.Dataset.from_frame(floats)
    text_dates = table.assign(period_start=["2024-01-01", "2024-01-01"])
    with pytest.raises(cm.DataFileError, match="row 1, column 'period_start': expected dates"):
        cm.Dataset.from_frame(text_dates)
    with pytest.raises(cm.DataFileError, match="missing columns basis"):
        cm.Dataset.from_frame(table.drop(columns=["basis"]))
    with pytest.raises(cm.InvalidValueError, match="reads a pandas, polars or pyarrow table, got 5"):
        cm.Dataset.from_frame(5)
    with pytest.raises(cm.InvalidValueError, match="backend must be 'pyarrow', 'pandas' or 'polars', got 'dask'"):
        DS.to_frame("dask")  # type: ignore[arg-type]


@pytest.mark.parametrize(("module", "backend", "message"), [
    ("pyarrow", "pyarrow", "frames extra"), ("polars", "polars", "needs polars"), ("pandas", "pandas", "needs pandas"),
])
def test_missing_engines_say_what_to_install(monkeypatch, module, backend, message):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(cm.InvalidValueError, match=message):
        DS.to_frame(backend)


def test_reading_other_tables_needs_narwhals(monkeypatch):
    frame = pd.DataFrame({"company": []})
    monkeypatch.setitem(sys.modules, "narwhals", None)
    with pytest.raises(cm.InvalidValueError, match="frames extra"):
        cm.Dataset.from_frame(frame)


def test_cells_of_the_wrong_type_are_reported_by_row_and_column():
    table = DS.to_frame("polars").head(3)
    numbered = table.with_columns(sources=pl.Series([1, 2, 3]))  # was an AttributeError
    with pytest.raises(cm.DataFileError) as caught:
        cm.Dataset.from_frame(numbered, DS)
    assert caught.value.problems[0] == "table, row 1, column 'sources': expected a string, got 1"
    assert len(caught.value.problems) == 3
    for column, value in [("company", 7), ("metric", 7), ("currency", 840), ("basis", 1), ("status", 2),
                          ("market", 3)]:
        bad = table.to_pandas().astype({column: object})
        bad.loc[1, column] = value
        with pytest.raises(cm.DataFileError, match=rf"table, row 2, column '{column}': expected a string, got"):
            cm.Dataset.from_frame(bad, DS)


def test_facts_table_needs_an_id_for_every_source_and_ids_that_read_back():
    ids = {source: key for key, source in DS.sources.items()}
    with pytest.raises(cm.InvalidValueError, match="source_ids has no id for the source Source"):
        frames.facts_table(DS.facts, {})  # was a KeyError
    for spoiled, message in [("two words", "'two words' has a space"), ("", "'' is empty"), (7, "7 is not a string")]:
        with pytest.raises(cm.InvalidValueError, match=f"source id {message}"):
            frames.facts_table(DS.facts, {**ids, DS.sources["caijing"]: spoiled})  # type: ignore[dict-item]
    with pytest.raises(cm.InvalidValueError, match="source id 'caijing' names two sources"):
        frames.facts_table(DS.facts, {**ids, DS.sources["zheshang"]: "caijing"})
    with pytest.raises(cm.InvalidValueError, match=r"source_ids must be a mapping from Source to id, got \[\("):
        frames.facts_table(DS.facts, list(ids.items()))  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidValueError, match="facts must be capexmodel.Fact values, got 'capex'"):
        frames.facts_table(["capex"], ids)  # type: ignore[list-item]


def test_pandas_cells_are_read_as_they_are_not_as_pyarrow_would_make_them():
    table = DS.to_frame("pandas").head(2)
    noon = table.assign(period_start=pd.Series([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 12)], dtype=object))  # noqa: DTZ001
    with pytest.raises(cm.DataFileError, match="table, row 2: a period starts on a datetime.date, got"):
        cm.Dataset.from_frame(noon, DS)  # pyarrow made a date of the datetime, its noon lost
    mixed = table.assign(company=pd.Series(["amazon", b"microsoft"], dtype=object))
    with pytest.raises(cm.DataFileError) as caught:
        cm.Dataset.from_frame(mixed, DS)  # pyarrow made bytes of every cell, and row 1 was blamed
    assert caught.value.problems == ("table, row 2, column 'company': expected a string, got b'microsoft'",)
    noted = table.assign(note=pd.Series([1, "a"], dtype=object))  # a column the layout does not read
    assert cm.Dataset.from_frame(noted, DS).facts == DS.facts[:2]
    for amount, message in [(b"2", "amount must be an int, a Decimal or a numeric string, got b'2'"),
                            (True, "amount must be an int, a Decimal or a numeric string, got True")]:
        spoilt = table.assign(amount=pd.Series([Decimal(1), amount], dtype=object))
        with pytest.raises(cm.DataFileError, match=f"table, row 2: {message}"):
            cm.Dataset.from_frame(spoilt, DS)
    nameless = table.assign(company=pd.Series(["amazon", None], dtype=object))
    with pytest.raises(cm.DataFileError, match="table, row 2, column 'company': missing"):
        cm.Dataset.from_frame(nameless, DS)
