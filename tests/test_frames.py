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
    frame = frames.to_frame(DS, backend)
    assert frames.from_frame(frame, DS).facts == DS.facts
    assert frames.from_frame(frame).facts == DS.facts  # the embedded dataset is the default base


def test_the_layout():
    table = frames.to_frame(DS, "pyarrow")
    assert tuple(table.column_names) == frames.COLUMNS + frames.PROVENANCE_COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(38, 0)
    assert table.schema.field("period_start").type == pa.date32()
    first = table.slice(0, 1).to_pylist()[0]
    assert first == {
        "company": "amazon",
        "metric": "capex",
        "period_start": cm.CalendarYear(2024).start,
        "period_end": cm.CalendarYear(2024).end,
        "currency": "USD",
        "amount": Decimal(77700000000),
        "basis": "as the article gives it",
        "status": "reported",
        "sources": "caijing",
        "market": None,
        "id": 1,
        "inputs": "",
        "derivation": None,
        "rule": None,
        "note": "the 10-K's purchases of property and equipment net of proceeds, 77,658 million, rounded",
        "counted_as_start": None,
        "counted_as_end": None,
        "segment": None,
        "input_only": False,
    }
    polars = frames.to_frame(DS, "polars")
    assert polars.schema["amount"] == pl.Decimal(38, 0)
    pandas = frames.to_frame(DS, "pandas")
    assert pandas["amount"].iloc[0] == Decimal(77700000000)


@given(st.lists(cms.amounts, min_size=1, max_size=20), st.sampled_from(["pyarrow", "pandas", "polars"]))
def test_any_exact_amounts_round_trip(amounts, backend):
    tencent = DS.company("tencent")
    facts = tuple(
        cm.Fact(tencent, "net_income", cm.Money(amount, "CNY", cm.CalendarMonth(2000 + i // 12, i % 12 + 1)))
        for i, amount in enumerate(amounts)
    )
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
    table = (
        frames.to_frame(DS, "polars")
        .head(4)
        .with_columns(
            pl.Series("company", ["amazon", "openai", "amazon", "amazon"]),
            pl.Series("sources", ["caijing", "caijing", "sec", "caijing"]),
            pl.Series("status", ["reported", "reported", "reported", "rumour"]),
        )
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
    text_dates = table.assign(period_start=["2024/01/01", "2024/01/01"])
    with pytest.raises(cm.DataFileError, match="row 1, column 'period_start': expected dates or ISO date strings"):
        frames.from_frame(text_dates)
    with pytest.raises(cm.DataFileError, match="missing columns basis"):
        frames.from_frame(table.drop(columns=["basis"]))
    with pytest.raises(cm.InvalidValueError, match="reads a pandas, polars or pyarrow table, got 5"):
        frames.from_frame(5)  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidValueError, match="backend must be 'pyarrow', 'pandas' or 'polars', got 'dask'"):
        frames.to_frame(DS, "dask")  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("module", "backend", "message"),
    [
        ("pyarrow", "pyarrow", "frames extra"),
        ("polars", "polars", "needs polars"),
        ("pandas", "pandas", "needs pandas"),
    ],
)
def test_missing_engines_say_what_to_install(monkeypatch, module, backend, message):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(cm.InvalidValueError, match=message):
        frames.to_frame(DS, backend)


def test_reading_other_tables_needs_narwhals(monkeypatch):
    frame = pd.DataFrame({"company": []})
    monkeypatch.setitem(sys.modules, "narwhals", None)
    with pytest.raises(cm.InvalidValueError, match="frames extra"):
        frames.from_frame(frame)


def test_derived_facts_bring_their_inputs_and_derivations():
    y24 = cm.CalendarYear(2024)
    tencent = DS.fact("tencent", "capex", y24)
    plan = DS.fact("alibaba", "capex", "2025-01/2027-12")
    spread = cm.spread_plan(plan, [cm.CalendarYear(2025), cm.CalendarYear(2026), cm.CalendarYear(2027)])[0]
    converted = DS.convert(DS.fact("bytedance", "capex", y24), "USD")
    oracle = DS.fact("oracle", "capex", y24)
    quarter_end = attrs.evolve(
        oracle,
        derivation=cm.calendarize([item.value for item in oracle.inputs], oracle.value.period, method="quarter-end"),
    )
    facts = (tencent, spread, converted, quarter_end)
    table = frames.facts_table(facts, {source: key for key, source in DS.sources.items()})
    rows = table.to_pylist()
    assert len(rows) == 4 + 1 + 1 + 1 + 4  # each fact's inputs follow, once
    assert [row["derivation"] for row in rows[:4]] == ["convert", "spread", "convert", "calendarize quarter-end"]
    assert rows[1]["rule"] == spread.derivation.rule  # type: ignore[union-attr]
    back = frames.facts_from_frame(table, DS)
    assert back[:4] == facts


def test_an_input_equal_to_a_row_is_cited_by_that_row():
    oracle = DS.fact("oracle", "capex", cm.CalendarYear(2024))
    quarters = [attrs.evolve(item) for item in oracle.inputs]  # equal, not the same objects
    table = frames.facts_table([*quarters, oracle], {source: key for key, source in DS.sources.items()})
    assert table.num_rows == 5
    assert table.column("inputs").to_pylist()[4] == "1 2 3 4"


def _rows_of(*facts):
    return frames.facts_table(facts, {source: key for key, source in DS.sources.items()}).to_pylist()


def test_malformed_derivations_are_reported_by_row_and_column():
    import pyarrow as pa  # noqa: PLC0415

    tencent = DS.fact("tencent", "capex", cm.CalendarYear(2024))
    rows = _rows_of(tencent)

    def problems(*changed):
        table = pa.Table.from_pylist(
            list(changed),
            schema=frames.facts_table([tencent], {source: key for key, source in DS.sources.items()}).schema,
        )
        with pytest.raises(cm.DataFileError) as caught:
            frames.facts_from_frame(table, DS)
        return caught.value.problems

    assert problems({**rows[0], "inputs": "9"}, rows[1]) == ("table, row 1, column 'inputs': no row has the id '9'",)
    assert problems({**rows[0], "inputs": "2"}, {**rows[1], "inputs": "1", "derivation": "convert"}) == (
        "table, row 1, column 'inputs': the inputs go round in a circle",
        "table, row 2, column 'inputs': its input 1 cannot be read",
    )
    assert problems({**rows[0], "derivation": "sum"}, rows[1])[0].startswith(
        "table, row 1, column 'derivation': expected convert (one input), calendarize"
    )
    assert problems({**rows[0], "derivation": "spread", "rule": None}, rows[1])[0].startswith(
        "table, row 1, column 'derivation': rule must be a non-empty string"
    )
    assert problems({**rows[1], "counted_as_start": cm.CalendarYear(2024).start})[0] == (
        "table, row 1, column 'counted_as_start': expected dates or nulls, got datetime.date(2024, 1, 1) and None"
    )
    undeclared = {**rows[0], "derivation": None}
    assert (
        frames.facts_from_frame(
            pa.Table.from_pylist(
                [undeclared, rows[1]],
                schema=frames.facts_table([tencent], {source: key for key, source in DS.sources.items()}).schema,
            ),
            DS,
        )[0].inputs
        == tencent.inputs
    )


def test_a_table_without_provenance_columns_still_reads():
    table = frames.to_frame(DS, "pyarrow").select(list(frames.COLUMNS))
    facts = frames.facts_from_frame(table, DS)
    assert [fact.value for fact in facts] == [fact.value for fact in DS.facts]
    assert all(not fact.inputs for fact in facts)


def test_cells_of_the_wrong_type_are_reported_by_row_and_column():
    table = frames.to_frame(DS, "polars").head(3)
    numbered = table.with_columns(sources=pl.Series([1, 2, 3]))  # was an AttributeError
    with pytest.raises(cm.DataFileError) as caught:
        frames.from_frame(numbered, DS)
    assert caught.value.problems[0] == "table, row 1, column 'sources': expected a string, got 1"
    assert len(caught.value.problems) == 3
    for column, value in [("company", 7), ("metric", 7), ("currency", 840), ("basis", 1), ("status", 2), ("market", 3)]:
        bad = table.to_pandas().astype({column: object})
        bad.loc[1, column] = value
        with pytest.raises(cm.DataFileError, match=rf"table, row 2, column '{column}': expected a string, got"):
            frames.from_frame(bad, DS)


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
    table = frames.to_frame(DS, "pandas").head(2)
    noon = table.assign(period_start=pd.Series([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 12)], dtype=object))  # noqa: DTZ001
    with pytest.raises(cm.DataFileError, match="table, row 2: a period starts on a datetime.date, got"):
        frames.from_frame(noon, DS)  # pyarrow made a date of the datetime, its noon lost
    mixed = table.assign(company=pd.Series(["amazon", b"microsoft"], dtype=object))
    with pytest.raises(cm.DataFileError) as caught:
        frames.from_frame(mixed, DS)  # pyarrow made bytes of every cell, and row 1 was blamed
    assert caught.value.problems == ("table, row 2, column 'company': expected a string, got b'microsoft'",)
    noted = table.assign(comment=pd.Series([1, "a"], dtype=object))  # a column the layout does not read
    assert frames.from_frame(noted, DS).facts == DS.facts[:2]
    for amount, message in [
        (b"2", "amount must be an int, a Decimal or a numeric string, got b'2'"),
        (True, "amount must be an int, a Decimal or a numeric string, got True"),
    ]:
        spoilt = table.assign(amount=pd.Series([Decimal(1), amount], dtype=object))
        with pytest.raises(cm.DataFileError, match=f"table, row 2: {message}"):
            frames.from_frame(spoilt, DS)
    nameless = table.assign(company=pd.Series(["amazon", None], dtype=object))
    with pytest.raises(cm.DataFileError, match="table, row 2, column 'company': missing"):
        frames.from_frame(nameless, DS)


def test_a_conversion_at_rates_other_than_the_datasets_is_refused_not_rebuilt_wrong():
    y24 = cm.CalendarYear(2024)
    at_six = DS.convert(
        DS.fact("bytedance", "capex", y24), "USD", rates=cm.RateTable([cm.ExchangeRate("USD", "CNY", "6.0", y24)])
    )
    dataset = attrs.evolve(DS, facts=(*DS.facts, at_six))
    table = frames.to_frame(dataset, "polars")
    assert table["rule"].to_list()[-1] == "1/6"
    with pytest.raises(cm.DataFileError, match="converted by a factor of 1/6, where the dataset's rates give 100/723"):
        frames.from_frame(table, DS)
    at_article = frames.from_frame(frames.to_frame(DS, "polars"), DS)
    assert at_article.facts == DS.facts


def test_a_blended_conversion_is_rebuilt_as_a_blend():
    rates = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", "7.0", cm.CalendarYear(2024)),
            cm.ExchangeRate("USD", "CNY", "7.5", cm.CalendarYear(2025)),
        ]
    )
    dataset = attrs.evolve(DS, rates=rates)
    fiscal = dataset.fact("alibaba", "capex", "2024-04/2025-03")
    blended = dataset.convert(fiscal, "USD", blend=True)
    back = frames.facts_from_frame(frames.facts_table([blended], {s: k for k, s in DS.sources.items()}), dataset)
    assert back[0] == blended
    assert back[0].derivation.method == "blend"  # type: ignore[union-attr]


def test_a_conversions_rule_is_its_factor():
    table = frames.to_frame(DS, "pyarrow").to_pylist()
    tencent = next(row for row in table if row["company"] == "tencent" and row["derivation"] == "convert")
    tencent["rule"] = "seven"
    with pytest.raises(cm.DataFileError, match="a conversion's rule is its exact factor, such as 100/723, got 'seven'"):
        frames.facts_from_frame(pa.Table.from_pylist(table, schema=frames.to_frame(DS, "pyarrow").schema), DS)


def test_input_only_rows_are_read_back_as_inputs_and_checked():
    ds = cm.load_dataset()
    derived = next(fact for fact in ds.facts if fact.inputs)
    table = frames.facts_table([derived], {source: key for key, source in ds.sources.items()})
    flags = table.column("input_only").to_pylist()
    assert flags == [False] + [True] * (len(flags) - 1)
    assert frames.facts_from_frame(table, ds) == (derived,)
    pandas = table.to_pandas()  # numpy booleans
    assert frames.facts_from_frame(pandas, ds) == (derived,)
    pandas["input_only"] = pandas["input_only"].astype(object)
    pandas.loc[0, "input_only"] = "no"
    with pytest.raises(cm.DataFileError, match="row 1, column 'input_only': expected true, false or null, got 'no'"):
        frames.facts_from_frame(pandas, ds)
