"""Tables out: query results, totals, bubble-risk signals and calendarizations as pandas, polars or pyarrow tables."""

import builtins
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from tests import strategies as cms

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

Y24 = cm.CalendarYear(2024)
DS = cm.load_dataset()
BACKENDS = ["pyarrow", "pandas", "polars"]


def column(table, name):
    """A column's cells as Python values, whatever the backend (None for a null)."""
    if isinstance(table, pa.Table):
        return table.column(name).to_pylist()
    if isinstance(table, pl.DataFrame):
        return table[name].to_list()
    return [None if value is pd.NA or value is None else value for value in table[name].tolist()]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_query_result_becomes_a_table_with_exact_amounts(backend):
    found = DS.select(metric="capex", period="2024")
    table = frames.to_frame(found, backend)
    given_rows = len(found)
    assert column(table, "company")[:given_rows] == [fact.company.id for fact in found]
    amounts = column(table, "amount")[:given_rows]
    assert all(type(amount) is Decimal for amount in amounts)
    assert amounts == [fact.value.amount for fact in found]
    assert column(table, "input_only")[:given_rows] == [False] * given_rows
    assert all(column(table, "input_only")[given_rows:])


def test_a_query_result_cites_the_datasets_source_ids_when_given_them_and_reads_back():
    found = DS.select(company="meta")
    table = frames.to_frame(found, "pandas", sources=DS.sources)
    assert frames.facts_from_frame(table, DS) == found


def test_without_source_ids_sources_are_numbered_in_the_order_first_cited():
    found = DS.select(metric="capex", period="2024", status="estimate")
    cited = list(dict.fromkeys(source for fact in found for source in fact.sources))
    table = frames.to_frame(found)
    first = column(table, "sources")[0].split()
    assert first == [f"s{cited.index(source) + 1}" for source in found[0].sources]


def test_a_generator_of_facts_is_read_once():
    table = frames.to_frame(fact for fact in DS.facts[:3])
    assert table.num_rows >= 3


@pytest.mark.parametrize("bad", [42, "capex", b"x", None])
def test_to_frame_refuses_what_is_not_facts(bad):
    with pytest.raises(cm.InvalidValueError, match="to_frame\\(\\) takes a Dataset or an iterable of Fact"):
        frames.to_frame(bad)


def test_to_frame_refuses_an_iterable_of_other_things_and_sources_that_are_not_a_mapping():
    with pytest.raises(cm.InvalidValueError, match="facts must be capexmodel.Fact values, got 1"):
        frames.to_frame([1])  # type: ignore[list-item]
    with pytest.raises(cm.InvalidValueError, match="sources must be a mapping from id to Source"):
        frames.to_frame(DS.facts[:1], sources=["caijing"])  # type: ignore[call-overload]
    with pytest.raises(cm.InvalidValueError, match="source_ids has no id for the source"):
        frames.to_frame(DS.facts[:1], sources={})


@given(st.lists(cms.facts(cm.Company(id="acme", name_en="A", name_zh="A", region="US", currency="USD"), Y24)))
def test_any_facts_keep_their_exact_amounts(facts):
    table = frames.to_frame(facts)
    amounts = table.column("amount").to_pylist()
    assert [Decimal(amount) for amount in amounts] == [fact.value.amount for fact in facts]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("scope", [{"region": "US"}, {"region": "CN"}, {"group": "us-five"}])
def test_an_aggregate_becomes_a_table_whose_amounts_add_up_to_it(backend, scope):
    aggregate = DS.total("capex", period=Y24, currency="USD", **scope)
    table = aggregate.to_frame(backend)
    amounts = column(table, "amount")
    present = [amount for amount in amounts if amount is not None]
    assert present == [fact.value.amount for fact in aggregate.facts]
    assert sum(present, Decimal(0)) == aggregate.value.amount
    assert column(table, "company") == [*(fact.company.id for fact in aggregate.facts), *aggregate.missing]
    assert column(table, "missing") == [False] * len(aggregate.facts) + [True] * len(aggregate.missing)
    assert set(column(table, "currency")) == {"USD"}


def test_an_aggregate_table_says_what_its_source_counts_the_figure_in():
    table = DS.total("capex", period=Y24, group="us-five", currency="USD").to_frame()
    oracle = table.column("company").to_pylist().index("oracle")
    assert table.column("period_start")[oracle].as_py().isoformat() == "2024-03-01"
    assert table.column("counted_as_start")[oracle].as_py().isoformat() == "2024-01-01"
    assert "Caijing" in table.column("sources")[0].as_py()


def test_amounts_too_long_for_a_decimal_column_are_exact_strings():
    huge = cm.Money("1" + "0" * 40 + ".5", "USD", Y24)
    fact = cm.Fact(cm.Company(id="acme", name_en="A", name_zh="A", region="US", currency="USD"), "capex", huge)
    table = cm.Aggregate(huge, [fact], ["beta"]).to_frame()
    assert table.schema.field("amount").type == pa.string()
    assert table.column("amount").to_pylist() == [format(huge.amount, "f"), None]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_bubble_risk_becomes_one_row_per_signal_with_exact_values(backend):
    risk = DS.bubble_risk(Y24, company="meta")
    table = risk.to_frame(backend)
    assert column(table, "signal") == [signal.name for signal in risk.signals]
    assert column(table, "value") == [signal.value for signal in risk.signals]
    assert column(table, "threshold") == [signal.threshold for signal in risk.signals]
    assert column(table, "weight") == [signal.weight for signal in risk.signals]
    assert column(table, "fires") == [signal.fires for signal in risk.signals]
    assert column(table, "companies") == [" ".join(signal.companies) for signal in risk.signals]


def test_a_region_bubble_risk_lists_who_was_left_out():
    risk = DS.bubble_risk(Y24, region="CN", currency="USD")
    table = risk.to_frame()
    assert table.column("left_out").to_pylist() == [" ".join(signal.left_out) for signal in risk.signals]
    assert set(table.column("subject").to_pylist()) == {"CN"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_calendarization_becomes_one_row_per_input(backend):
    quarters = [cm.Money("10", "USD", cm.Period.parse(label)) for label in ("2024-03/2024-05", "2024-06/2024-08")]
    result = cm.calendarize(quarters, cm.Period.parse("2024-04/2024-06"))
    table = result.to_frame(backend)
    assert column(table, "share") == ["2/3", "1/3"]
    contributions = column(table, "contribution")
    assert contributions == [part.contribution.amount for part in result.parts]
    assert column(table, "input_amount") == [Decimal(10), Decimal(10)]
    assert str(sum(contributions, Decimal(0))) == "10.00000000000000000000000000"


def test_tables_need_the_frames_extra(monkeypatch):
    real_import = builtins.__import__

    def without_pyarrow(name, *args, **kwargs):
        if name == "pyarrow":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_pyarrow)
    with pytest.raises(cm.InvalidValueError, match=r"pip install 'capexmodel\[frames\]'"):
        DS.bubble_risk(Y24, company="meta").to_frame()


def test_an_unknown_backend_is_refused():
    with pytest.raises(cm.InvalidValueError, match="backend must be 'pyarrow', 'pandas' or 'polars', got 'dask'"):
        DS.total("capex", period=Y24, region="US", currency="USD").to_frame("dask")  # type: ignore[arg-type]
