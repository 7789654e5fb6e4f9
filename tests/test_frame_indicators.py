"""The table functions agree with the scalar ones, row by row, on polars and pandas (and Dask)."""

import datetime as dt
import decimal
from collections import Counter, defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from tests import strategies as cms

INPUTS = ("capex", "revenue", "operating_cash_flow", "net_income", "depreciation_and_amortization")
PERIODS = (cm.CalendarYear(2022), cm.CalendarYear(2023), cm.CalendarYear(2024), cm.CalendarQuarter(2023, 4),
           cm.CalendarQuarter(2024, 4))
EIGHTEEN = Decimal("1e-18")
BACKENDS = ["polars", "pandas"]

amounts = st.one_of(
    st.integers(min_value=1, max_value=10**9).map(Decimal),
    st.decimals(min_value=-100, max_value=10**7, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(0), Decimal(-1), Decimal(3), Decimal(7)]),
)


def exact(function, *args):
    """The scalar function's value, computed with room to spare, rounded once to 18 places."""
    with decimal.localcontext(prec=100):
        value = function(*args)
        value = value.amount if isinstance(value, cm.Money) else value
        return value.quantize(EIGHTEEN, rounding=ROUND_HALF_EVEN)


def row(company, metric, period, currency, amount, basis=""):
    return {"company": company, "metric": metric, "period_start": period.start, "period_end": period.end,
            "currency": currency, "amount": amount, "basis": basis}


def table(rows):
    """The rows as a facts table (pyarrow), with exact decimal amounts."""
    schema = pa.schema([("company", pa.string()), ("metric", pa.string()), ("period_start", pa.date32()),
                        ("period_end", pa.date32()), ("currency", pa.string()), ("amount", pa.decimal128(38, 4)),
                        ("basis", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)


def on(backend, rows):
    arrow = table(rows)
    if backend == "polars":
        return pl.from_arrow(arrow)
    if backend == "pandas":
        return arrow.to_pandas(types_mapper=pd.ArrowDtype)
    return arrow


def records(result):
    """The result's rows as dicts, nulls as None, whatever the engine."""
    if isinstance(result, pl.DataFrame):
        return result.rows(named=True)
    if isinstance(result, pa.Table):
        return result.to_pylist()
    if hasattr(result, "compute"):
        result = result.compute()
    return [{key: None if value is pd.NA or (isinstance(value, float) and value != value) else value
             for key, value in record.items()} for record in result.to_dict("records")]


@st.composite
def panels(draw, *, duplicates=True, mixed=True, periods=PERIODS, metrics=INPUTS):
    """Facts of one to three companies over years and quarters: some missing, some twice, a few in another currency."""
    companies = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    rows = []
    for company in companies:
        currency = draw(st.sampled_from(["USD", "CNY"]))
        for metric in metrics:
            for period in periods:
                how = draw(st.integers(min_value=0, max_value=5))
                if how == 0:
                    continue
                other = "EUR" if mixed and how == 5 else currency  # noqa: PLR2004
                rows.append(row(company, metric, period, other, draw(amounts)))
                if duplicates and how == 4:  # noqa: PLR2004
                    rows.append(row(company, metric, period, currency, draw(amounts), basis="restated"))
    return rows


def by_key(rows, *names):
    grouped = defaultdict(list)
    for item in rows:
        grouped[tuple(item[name] for name in names)].append(item)
    return grouped


def money(item):
    return cm.Money(item["amount"], item["currency"], cm.Period(item["period_start"], item["period_end"]))


def scalar_or_none(function, *groups):
    """The scalar value over one fact per input, or None where it raises or an input is missing or doubled."""
    if any(len(group) != 1 for group in groups):
        return None
    try:
        return exact(function, *(money(group[0]) for group in groups))
    except (cm.UndefinedIndicatorError, cm.CurrencyMismatchError):
        return None


RATIOS = {
    "capex_intensity": (cm.capex_intensity, "revenue"),
    "capex_to_operating_cash_flow": (cm.capex_to_operating_cash_flow, "operating_cash_flow"),
    "capex_to_net_income": (cm.capex_to_net_income, "net_income"),
    "capex_to_depreciation": (cm.capex_to_depreciation, "depreciation_and_amortization"),
}


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=panels())
def test_ratios_agree_with_the_scalar_functions(backend, panel):
    result = {(item["company"], item["period_start"]): item for item in records(frames.ratios(on(backend, panel)))}
    facts = by_key(panel, "company", "period_start", "metric")
    assert set(result) == {(item["company"], item["period_start"]) for item in panel}
    for (company, start), got in result.items():
        inputs = {metric: facts.get((company, start, metric), []) for metric in INPUTS}
        for name, (function, other) in RATIOS.items():
            expected = scalar_or_none(function, inputs["capex"], inputs[other])
            assert got[name] == expected, name
            assert (got[f"{name}_reason"] is None) == (expected is not None), name
        free = scalar_or_none(cm.free_cash_flow, inputs["operating_cash_flow"], inputs["capex"])
        assert got["free_cash_flow"] == free
        assert (got["free_cash_flow_reason"] is None) == (free is not None)


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=panels(mixed=False))
def test_year_over_year_agrees_with_growth(backend, panel):
    result = records(frames.year_over_year(on(backend, panel)))
    series = by_key(panel, "company", "metric", "basis", "currency", "period_start", "period_end")
    assert {(item["company"], item["metric"], item["basis"], item["currency"], item["period_start"],
             item["period_end"]) for item in result} == set(series)
    for got in result:
        key = (got["company"], got["metric"], got["basis"], got["currency"])
        period = cm.Period(got["period_start"], got["period_end"])
        before = cm.Period._from_indices(period._first - 12, period._last - 12)
        current, previous = series[(*key, period.start, period.end)], series.get((*key, before.start, before.end), [])
        expected = scalar_or_none(cm.growth, current, previous)
        assert got["growth"] == expected
        assert (got["reason"] is None) == (expected is not None)
        assert got["amount"] == sum(item["amount"] for item in current)
        assert got["previous"] == (previous[0]["amount"] if len(previous) == 1 else None)


@st.composite
def fiscal_panels(draw):
    """Series of periods of 1 to 12 months, some tiling whole years, some with a gap or an overlap."""
    rows = []
    for company in draw(st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=2, unique=True)):
        tiles = draw(cms.tilings(max_parts=10, max_months=12))
        tiles = [tile for tile in tiles if 2000 <= tile.start.year <= 2100]  # noqa: PLR2004
        damage = draw(st.integers(min_value=0, max_value=5))
        if tiles and damage == 1:
            del tiles[draw(st.integers(min_value=0, max_value=len(tiles) - 1))]
        elif tiles and damage == 2:  # noqa: PLR2004
            tiles.append(tiles[draw(st.integers(min_value=0, max_value=len(tiles) - 1))])
        rows += [row(company, "capex", tile, "USD", draw(amounts)) for tile in tiles]
    return rows


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=fiscal_panels())
def test_calendarize_agrees_with_the_scalar_calendarize(backend, panel):
    result = records(frames.calendarize(on(backend, panel)))
    for got in result:
        assert (got["period_start"], got["period_end"]) == (cm.CalendarYear(got["period_start"].year).start,
                                                            cm.CalendarYear(got["period_start"].year).end)
        year = cm.CalendarYear(got["period_start"].year)
        amounts_ = [money(item) for item in panel if item["company"] == got["company"]]
        overlapping = [item for item in amounts_ if item.period.overlaps(year)]
        assert got["months"] == sum(len(range(max(item.period._first, year._first),
                                              min(item.period._last, year._last) + 1)) for item in overlapping)
        try:
            expected = exact(lambda: cm.calendarize(amounts_, year).value)
        except cm.PeriodMismatchError:
            expected = None
        assert got["amount"] == expected
        assert (got["reason"] is None) == (expected is not None)
    years = {(item["company"], year) for item in panel
             for year in range(item["period_start"].year, item["period_end"].year + 1)}
    assert {(got["company"], got["period_start"].year) for got in result} == years


rate_values = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def rate_tables(draw):
    rates = [cm.ExchangeRate("USD", "CNY", draw(rate_values), cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
    rates += [cm.ExchangeRate("EUR", "USD", draw(rate_values), cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
    return cm.RateTable(rates)


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=panels(duplicates=False), rates=rate_tables(), target=st.sampled_from(["USD", "CNY", "EUR"]))
def test_convert_agrees_with_the_rate_table(backend, panel, rates, target):
    result = records(frames.convert(on(backend, panel), rates, target))
    assert len(result) == len(panel)
    expected = sorted((item["company"], item["metric"], item["period_start"], exact(rates.convert, money(item), target))
                      for item in panel)
    assert sorted((got["company"], got["metric"], got["period_start"], got["amount"]) for got in result) == expected
    assert {got["currency"] for got in result} <= {target}


GROWTH = "capex_growth_minus_revenue_growth"
SIGNAL_INPUTS = {
    "capex_to_operating_cash_flow": ("capex", "operating_cash_flow"),
    "capex_to_net_income": ("capex", "net_income"),
    "capex_to_depreciation": ("capex", "depreciation_and_amortization"),
    "capex_intensity": ("capex", "revenue"),
    GROWTH: ("capex", "revenue"),
    "free_cash_flow_margin": ("capex", "operating_cash_flow", "revenue"),
}
REGIONS = {"a": "US", "b": "CN", "c": "US"}
COMPANIES = [cm.Company(id=key, name_en=key, name_zh=key, region=region, currency="USD")
             for key, region in REGIONS.items()]


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=panels(mixed=False))
def test_totals_agree_with_total(backend, panel):
    panel = [{**item, "currency": "USD"} for item in panel]
    result = records(frames.totals(on(backend, panel), COMPANIES))
    groups = defaultdict(list)
    for item in panel:
        groups[(REGIONS[item["company"]], item["metric"], item["basis"], item["period_start"])].append(money(item))
    assert {(got["region"], got["metric"], got["basis"], got["period_start"]): (got["amount"], got["facts"])
            for got in result} == {key: (cm.total(amounts_).amount, len(amounts_)) for key, amounts_ in groups.items()}


@pytest.mark.parametrize("backend", BACKENDS)
@given(panel=panels(mixed=False))
def test_bubble_signals_agree_with_bubble_risk(backend, panel):
    result = by_key(records(frames.bubble_signals(on(backend, panel))), "company", "period_start")
    facts = [cm.Fact(company, item["metric"], money(item), item["basis"]) for item in panel
             for company in COMPANIES if company.id == item["company"]]
    assert set(result) == {(item["company"], item["period_start"]) for item in panel}
    for (company, start), rows in result.items():
        period = next(period for period in PERIODS if period.start == start and period.end == rows[0]["period_end"])
        before = cm.Period._from_indices(period._first - 12, period._last - 12)
        counts = Counter((fact.metric, fact.value.period) for fact in facts if fact.company.id == company)
        single = [fact for fact in facts if fact.basis != "restated"]  # what the scalar function accepts
        with decimal.localcontext(prec=100):
            risk = cm.bubble_risk(single, period, company=company)
        for got in rows:
            needed = [(metric, when) for metric in SIGNAL_INPUTS[got["signal"]]
                      for when in ((period, before) if got["signal"] == GROWTH else (period,))]
            if any(counts[key] > 1 for key in needed):  # the scalar function refuses two facts; the table says why
                assert got["fires"] is None, (got, counts)
                assert got["value"] is None
                assert got["reason"] is not None
                continue
            signal = risk.signal(got["signal"])
            assert got["fires"] == signal.fires, (got, signal)
            assert got["threshold"] == signal.threshold
            if got["signal"] == GROWTH and signal.value is not None:
                # the difference of the two growths, each rounded to 18 places
                inputs = by_key([item for item in panel if item["company"] == company], "metric", "period_start")
                capex = exact(cm.growth, money(inputs["capex", start][0]), money(inputs["capex", before.start][0]))
                revenue = exact(cm.growth, money(inputs["revenue", start][0]),
                                money(inputs["revenue", before.start][0]))
                assert got["value"] == capex - revenue
            else:
                expected = None if signal.value is None else exact(lambda: signal.value)
                assert got["value"] == expected, got["signal"]
            assert (got["reason"] is None) == (signal.value is not None), got["signal"]
