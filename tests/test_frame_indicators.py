"""The table functions agree with the scalar ones, row by row, on polars and pandas (and Dask)."""

import contextlib
import datetime as dt
import decimal
import math
import sys
from collections import Counter, defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel import frames
from capexmodel._context import QUOTIENT
from tests import strategies as cms

INPUTS = ("capex", "revenue", "operating_cash_flow", "net_income", "depreciation_and_amortization")
PERIODS = (
    cm.CalendarYear(2022),
    cm.CalendarYear(2023),
    cm.CalendarYear(2024),
    cm.CalendarQuarter(2023, 4),
    cm.CalendarQuarter(2024, 4),
)
EIGHTEEN = Decimal("1e-18")
BACKENDS = ["polars", "pandas"]
#: A table function on pandas runs a few hundred pandas operations, so these tests draw fewer panels than
#: the CI profile's default (60 keeps the whole CI run, browser and chart tests included, under its 20
#: minutes on two cores; every engine runs the same narwhals code, which polars' panels search too).
PANELS = settings(max_examples=min(settings().max_examples, 60))

amounts = st.one_of(
    st.integers(min_value=1, max_value=10**9).map(Decimal),
    st.decimals(min_value=-100, max_value=10**7, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(0), Decimal(-1), Decimal(3), Decimal(7)]),
)


@contextlib.contextmanager
def wide_quotients():
    """The scalar functions with room to spare: quotients to 100 digits, not 28 (for the oracle only)."""
    digits, QUOTIENT.prec = QUOTIENT.prec, 100
    try:
        yield
    finally:
        QUOTIENT.prec = digits


def exact(function, *args):
    """The scalar function's value, computed with room to spare, rounded once to 18 places."""
    with decimal.localcontext(prec=100), wide_quotients():
        value = function(*args)
        value = value.value if isinstance(value, cm.Calendarization) else value
        value = value.amount if isinstance(value, cm.Money) else value
        return value.quantize(EIGHTEEN, rounding=ROUND_HALF_EVEN)


def row(company, metric, period, currency, amount, basis=""):  # noqa: PLR0917 -- a table row, in column order
    return {
        "company": company,
        "metric": metric,
        "period_start": period.start,
        "period_end": period.end,
        "currency": currency,
        "amount": amount,
        "basis": basis,
    }


def table(rows):
    """The rows as a facts table (pyarrow), with exact decimal amounts."""
    schema = pa.schema(
        [
            ("company", pa.string()),
            ("metric", pa.string()),
            ("period_start", pa.date32()),
            ("period_end", pa.date32()),
            ("currency", pa.string()),
            ("amount", pa.decimal128(38, 4)),
            ("basis", pa.string()),
        ]
    )
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
    return [
        {
            key: None if value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value
            for key, value in record.items()
        }
        for record in result.to_dict("records")
    ]


@st.composite
def panels(draw, *, duplicates=True, mixed=True, periods=PERIODS, metrics=INPUTS, signs=False):
    """Facts of one to three companies over years and quarters: some missing, some twice, a few in another currency.

    Currency codes are spelt in upper, lower or mixed case, which the table functions read as one code. Some
    facts have a row with a null amount beside them (a fact nobody knows), which the table functions leave out.
    With `signs`, each metric's sign rule holds (capex, revenue and D&A are never negative), as facts require.
    """
    companies = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
    rows = []
    for company in companies:
        currency = draw(st.sampled_from(["USD", "CNY"]))
        for metric in metrics:
            for period in periods:
                how = draw(st.integers(min_value=0, max_value=5))
                if how == 0:
                    continue
                other = "EUR" if mixed and how == 5 else currency
                keep_sign = not signs or cm.Metric(metric).definition.may_be_negative
                sign = (lambda amount: amount) if keep_sign else abs
                rows.append(row(company, metric, period, draw(cms.spelt(other)), sign(draw(amounts))))
                if draw(st.integers(min_value=0, max_value=9)) == 0:
                    rows.append(row(company, metric, period, draw(cms.spelt(other)), None))
                if duplicates and how == 4:
                    rows.append(
                        row(company, metric, period, draw(cms.spelt(currency)), sign(draw(amounts)), basis="restated")
                    )
    return rows


def known(rows):
    """The rows whose amount is known: those the table functions read."""
    return [item for item in rows if item["amount"] is not None]


def given_as(backend, rows, lazy):
    """The rows as a table of `backend`; on polars, a LazyFrame if `lazy`."""
    table_ = on(backend, rows)
    return table_.lazy() if lazy and backend == "polars" else table_


def canonical(rows):
    """The rows with their currency codes in upper case, as the tables give them back."""
    return [{**item, "currency": item["currency"].upper()} for item in rows]


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
@PANELS
@given(panel=panels(), lazy=st.booleans())
def test_ratios_agree_with_the_scalar_functions(backend, panel, lazy):
    result = {
        (item["company"], item["period_start"]): item
        for item in computed(frames.ratios(given_as(backend, panel, lazy)))
    }
    panel = known(panel)
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
@PANELS
@given(panel=panels(mixed=False), lazy=st.booleans())
def test_year_over_year_agrees_with_growth(backend, panel, lazy):
    result = computed(frames.year_over_year(given_as(backend, panel, lazy)))
    panel = known(panel)
    series = by_key(canonical(panel), "company", "metric", "basis", "currency", "period_start", "period_end")
    assert {
        (item["company"], item["metric"], item["basis"], item["currency"], item["period_start"], item["period_end"])
        for item in result
    } == set(series)
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
    """Series of periods of 1 to 12 months, some tiling whole years, some with a gap, an overlap or a null amount."""
    rows = []
    for company in draw(st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=2, unique=True)):
        tiles = draw(cms.tilings(max_parts=10, max_months=12))
        tiles = [tile for tile in tiles if 2000 <= tile.start.year <= 2100]
        damage = draw(st.integers(min_value=0, max_value=5))
        if tiles and damage == 1:
            del tiles[draw(st.integers(min_value=0, max_value=len(tiles) - 1))]
        elif tiles and damage == 2:
            tiles.append(tiles[draw(st.integers(min_value=0, max_value=len(tiles) - 1))])
        rows += [row(company, "capex", tile, draw(cms.spelt("USD")), draw(amounts)) for tile in tiles]
        if tiles and damage == 3:  # an amount nobody knows, over a tile: left out, not an overlap
            rows.append(row(company, "capex", tiles[0], "USD", None))
    return rows


@pytest.mark.parametrize("backend", BACKENDS)
@PANELS
@given(panel=fiscal_panels(), lazy=st.booleans())
def test_calendarize_agrees_with_the_scalar_calendarize(backend, panel, lazy):
    result = computed(frames.calendarize(given_as(backend, panel, lazy)))
    panel = known(panel)
    for got in result:
        assert (got["period_start"], got["period_end"]) == (
            cm.CalendarYear(got["period_start"].year).start,
            cm.CalendarYear(got["period_start"].year).end,
        )
        year = cm.CalendarYear(got["period_start"].year)
        amounts_ = [money(item) for item in panel if item["company"] == got["company"]]
        overlapping = [item for item in amounts_ if item.period.overlaps(year)]
        assert got["months"] == sum(
            len(range(max(item.period._first, year._first), min(item.period._last, year._last) + 1))
            for item in overlapping
        )
        try:
            expected = exact(cm.calendarize, amounts_, year)
        except cm.PeriodMismatchError:
            expected = None
        assert got["amount"] == expected
        assert (got["reason"] is None) == (expected is not None)
    years = {
        (item["company"], year)
        for item in panel
        for year in range(item["period_start"].year, item["period_end"].year + 1)
    }
    assert {(got["company"], got["period_start"].year) for got in result} == years


rate_values = st.decimals(min_value=Decimal("0.01"), max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def rate_tables(draw):
    rates = [cm.ExchangeRate("USD", "CNY", draw(rate_values), cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
    rates += [cm.ExchangeRate("EUR", "USD", draw(rate_values), cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
    return cm.RateTable(rates)


@pytest.mark.parametrize("backend", BACKENDS)
@PANELS
@given(
    panel=panels(duplicates=False),
    rates=rate_tables(),
    target=st.sampled_from(["USD", "CNY", "EUR"]),
    lazy=st.booleans(),
)
def test_convert_agrees_with_the_rate_table(backend, panel, rates, target, lazy):
    result = computed(frames.convert(given_as(backend, panel, lazy), rates, target))
    panel = known(panel)
    assert len(result) == len(panel)
    expected = sorted(
        (item["company"], item["metric"], item["period_start"], exact(rates.convert, money(item), target))
        for item in panel
    )
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
COMPANIES = [
    cm.Company(id=key, name_en=key, name_zh=key, region=region, currency="USD") for key, region in REGIONS.items()
]


@pytest.mark.parametrize("backend", BACKENDS)
@PANELS
@given(panel=panels(mixed=False, duplicates=False), lazy=st.booleans())
def test_totals_agree_with_total(backend, panel, lazy):
    panel = [{**item, "currency": "USD" if item["currency"].isupper() else "usd"} for item in panel]
    result = computed(frames.totals(given_as(backend, panel, lazy), COMPANIES))
    panel = known(panel)
    groups = defaultdict(list)
    for item in panel:
        groups[(REGIONS[item["company"]], item["metric"], item["period_start"])].append(money(item))
    assert {(got["region"], got["metric"], got["period_start"]): (got["amount"], got["facts"]) for got in result} == {
        key: (cm.total(amounts_).amount, len(amounts_)) for key, amounts_ in groups.items()
    }


@pytest.mark.parametrize("backend", BACKENDS)
@PANELS
@given(panel=panels(mixed=False, signs=True), lazy=st.booleans())
def test_bubble_signals_agree_with_bubble_risk(backend, panel, lazy):
    result = by_key(computed(frames.bubble_signals(given_as(backend, panel, lazy))), "company", "period_start")
    panel = known(panel)
    facts = [
        cm.Fact(company, item["metric"], money(item), item["basis"])
        for item in panel
        for company in COMPANIES
        if company.id == item["company"]
    ]
    assert set(result) == {(item["company"], item["period_start"]) for item in panel}
    for (company, start), rows in result.items():
        period = next(period for period in PERIODS if period.start == start and period.end == rows[0]["period_end"])
        before = cm.Period._from_indices(period._first - 12, period._last - 12)
        counts = Counter((fact.metric, fact.value.period) for fact in facts if fact.company.id == company)
        single = [fact for fact in facts if fact.basis != "restated"]  # what the scalar function accepts
        with decimal.localcontext(prec=100), wide_quotients():
            risk = cm.bubble_risk(single, period, company=company)
        for got in rows:
            needed = [
                (cm.Metric(metric), when)
                for metric in SIGNAL_INPUTS[got["signal"]]
                for when in ((period, before) if got["signal"] == GROWTH else (period,))
            ]
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
                revenue = exact(
                    cm.growth, money(inputs["revenue", start][0]), money(inputs["revenue", before.start][0])
                )
                with decimal.localcontext(prec=100):  # exact: the difference may need more than 28 digits
                    assert got["value"] == capex - revenue
            else:
                expected = None if signal.value is None else exact(Decimal, signal.value)
                assert got["value"] == expected, got["signal"]
            assert (got["reason"] is None) == (signal.value is not None), got["signal"]


def fixed_panel():
    """A deterministic panel with gaps, doubles, zeros, negatives and two currencies."""
    numbers = iter(
        [
            Decimal(value)
            for value in (
                "37256",
                "164501",
                "0",
                "-5",
                "91328.25",
                "62360",
                "15498.5",
                "7",
                "1",
                "3",
                "27266",
                "134902",
                "0.0001",
                "99",
                "12345.6789",
            )
        ]
        * 40
    )
    rows = []
    for index, company in enumerate(["a", "b", "c"]):
        currency = "USD" if index != 1 else "CNY"
        for position, metric in enumerate(INPUTS):
            for step, period in enumerate(PERIODS):
                if (index + position + step) % 7 == 3:
                    continue
                rows.append(row(company, metric, period, currency, next(numbers)))
                if (index * position + step) % 11 == 5:
                    rows.append(row(company, metric, period, currency, next(numbers), basis="restated"))
    return rows


def sort_key(record):
    return tuple(str(record[key]) for key in sorted(record))


def test_the_same_code_gives_the_same_tables_on_dask_partitions():
    import dask.dataframe as dd  # noqa: PLC0415 -- a test extra

    rows = fixed_panel()
    single = [item for item in rows if item["basis"] == ""]
    usd = [{**item, "currency": "USD"} for item in single]
    rates = cm.RateTable(
        [cm.ExchangeRate("USD", "CNY", "7.2301", cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
    )
    calls = [
        (rows, frames.ratios),
        (rows, frames.year_over_year),
        (rows, frames.bubble_signals),
        (rows, frames.calendarize),
        (rows, lambda frame: frames.convert(frame, rates, "USD")),
        (usd, lambda frame: frames.totals(frame, COMPANIES)),
    ]
    for data, function in calls:
        pandas = on("pandas", data)
        distributed = dd.from_pandas(pandas, npartitions=3)
        assert distributed.npartitions == 3
        result = function(distributed)
        assert isinstance(result, dd.DataFrame)  # lazy until computed
        expected = sorted(records(function(pandas)), key=sort_key)
        assert sorted(records(result), key=sort_key) == expected
        assert sorted(records(function(on("polars", data))), key=sort_key) == expected
        assert expected


def test_every_engine_gives_back_its_own_kind_of_table():
    rows = fixed_panel()
    assert isinstance(frames.ratios(on("pyarrow", rows)), pa.Table)
    lazy = frames.ratios(on("polars", rows).lazy())
    assert isinstance(lazy, pl.LazyFrame)
    assert sorted(records(lazy.collect()), key=sort_key) == sorted(
        records(frames.ratios(on("polars", rows))), key=sort_key
    )
    assert isinstance(frames.ratios(on("pandas", rows)), pd.DataFrame)
    assert frames.ratios(on("pandas", rows))["capex_intensity"].dtype == pd.ArrowDtype(pa.decimal128(38, 18))
    assert frames.bubble_signals(on("pandas", rows))["fires"].dtype == pd.ArrowDtype(pa.bool_())


def test_pyarrow_tables_are_computed_by_pandas_without_polars(monkeypatch):
    rows = fixed_panel()
    expected = sorted(records(frames.ratios(on("pyarrow", rows))), key=sort_key)
    monkeypatch.setitem(sys.modules, "polars", None)
    result = frames.ratios(on("pyarrow", rows))
    assert isinstance(result, pa.Table)
    assert sorted(records(result), key=sort_key) == expected


def test_reasons_say_what_the_scalar_function_would_have_raised():
    year = cm.CalendarYear(2024)
    rows = [
        row("a", "capex", year, "USD", Decimal(-5)),
        row("a", "revenue", year, "USD", Decimal(10)),
        row("a", "net_income", year, "CNY", Decimal(10)),
        row("a", "operating_cash_flow", year, "USD", Decimal(0)),
    ]
    got = records(frames.ratios(on("polars", rows)))[0]
    assert got["capex_intensity_reason"] == "capex is negative; capex is a positive outflow"
    assert got["capex_to_net_income_reason"] == "capex and net income are in different currencies; convert first"
    assert got["capex_to_depreciation_reason"] == "no depreciation over the period"
    rows[0] = row("a", "capex", year, "USD", Decimal(5))
    got = records(frames.ratios(on("pandas", rows)))[0]
    assert got["capex_to_operating_cash_flow_reason"] == "operating cash flow is not positive"
    assert got["capex_intensity"] == Decimal("0.5")
    assert got["free_cash_flow"] == Decimal(-5)


def test_calendarize_says_which_years_are_incomplete_or_overlap():
    quarters = [cm.CalendarQuarter(2024, quarter) for quarter in (1, 2, 3)]
    rows = [row("a", "capex", quarter, "USD", Decimal(1)) for quarter in quarters]
    rows += [row("b", "capex", quarter, "USD", Decimal(1)) for quarter in [*quarters, quarters[0]]]
    got = {item["company"]: item for item in records(frames.calendarize(on("pandas", rows)))}
    assert (got["a"]["amount"], got["a"]["reason"], got["a"]["months"]) == (None, "covers 9 of 12 months", 9)
    assert (got["b"]["amount"], got["b"]["reason"], got["b"]["months"]) == (None, "the facts overlap", 12)


def test_calendarize_refuses_periods_longer_than_a_year():
    rows = [row("a", "capex", cm.Period.parse("2024-01/2025-06"), "USD", Decimal(1))]
    with pytest.raises(cm.InvalidPeriodError, match="twelve months or fewer, got a capex over 2024-01/2025-06"):
        frames.calendarize(on("polars", rows))


def test_a_missing_rate_raises_never_a_null():
    rows = [row("a", "capex", cm.CalendarYear(2025), "CNY", Decimal(1))]
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(2024))])
    for backend in BACKENDS:
        with pytest.raises(cm.MissingRateError, match="no rate converts CNY to USD over 2025"):
            frames.convert(on(backend, rows), rates, "USD")
    with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable, got"):
        frames.convert(on("polars", rows), {"CNY": 7}, "USD")  # type: ignore[arg-type]


def test_totals_refuse_unknown_companies_doubles_and_mixed_currencies():
    year = cm.CalendarYear(2024)
    with pytest.raises(cm.UnknownCompanyError, match="no region for z"):
        frames.totals(on("polars", [row("z", "capex", year, "USD", Decimal(1))]), COMPANIES)
    doubled = [row("a", "capex", year, "USD", Decimal(1)), row("a", "capex", year, "USD", Decimal(2), "restated")]
    with pytest.raises(cm.AmbiguousFactError, match="2 capex facts for a over 2024: keep one per company"):
        frames.totals(on("pandas", doubled), COMPANIES)
    mixed = [row("a", "capex", year, "USD", Decimal(1)), row("c", "capex", year, "CNY", Decimal(2))]
    with pytest.raises(cm.CurrencyMismatchError, match="the capex of US over 2024 is in several currencies"):
        frames.totals(on("polars", mixed), COMPANIES)
    with pytest.raises(cm.InvalidValueError, match="companies must be capexmodel.Company values, got 'a'"):
        frames.totals(on("polars", mixed), ["a"])  # type: ignore[list-item]


def test_bad_tables_are_refused_with_what_is_wrong():
    year = cm.CalendarYear(2024)
    with pytest.raises(cm.InvalidValueError, match=r"ratios\(\) reads a polars, pandas, pyarrow or Dask table, got 5"):
        frames.ratios(5)  # type: ignore[type-var]
    with pytest.raises(cm.InvalidValueError, match="the table has no amount column"):
        frames.ratios(
            pl.DataFrame(
                {
                    "company": ["a"],
                    "metric": ["capex"],
                    "period_start": [year.start],
                    "period_end": [year.end],
                    "currency": ["USD"],
                }
            )
        )
    floats = pl.DataFrame(
        {
            "company": ["a"],
            "metric": ["capex"],
            "period_start": [year.start],
            "period_end": [year.end],
            "currency": ["USD"],
            "amount": [1.5],
        }
    )
    with pytest.raises(cm.InvalidValueError, match="amount must hold exact decimals, got a Float64 column"):
        frames.ratios(floats)
    with pytest.raises(cm.InvalidValueError, match="amount must hold exact decimals, got a float64 column"):
        frames.ratios(floats.to_pandas())
    fine = floats.with_columns(amount=pl.lit(Decimal("1.5")))
    objects = fine.to_pandas().assign(amount=[Decimal("0.0000000000000000001")])
    with pytest.raises(cm.InvalidValueError, match="amount 1E-19 has more than 18 decimal places"):
        frames.ratios(objects)
    with pytest.raises(cm.InvalidValueError, match="row 1, column 'amount': amount must be an int, .* the float 1.5"):
        frames.ratios(fine.to_pandas().assign(amount=pd.Series([1.5], dtype=object)))
    narrow = fine.with_columns(amount=pl.lit(Decimal("1.5")).cast(pl.Decimal(38, 20)))
    with pytest.raises(cm.InvalidValueError, match=r"with more than 18 decimal places"):
        frames.ratios(narrow)


def test_amounts_beyond_decimal_38_18_raise_on_every_engine():
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "CNY", Decimal(90000000000000000000))]
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "0.5", year)])
    with pytest.raises(cm.InvalidValueError, match=r"does not fit decimal\(38, 18\)"):
        frames.convert(on("polars", rows), rates, "USD")
    with pytest.raises(cm.InvalidValueError, match="more than 20 digits before the point"):
        frames.convert(on("pandas", rows), rates, "USD")


def test_bubble_thresholds_can_be_set():
    rows = [
        row("a", "capex", cm.CalendarYear(2024), "USD", Decimal(1)),
        row("a", "revenue", cm.CalendarYear(2024), "USD", Decimal(4)),
    ]
    signals = {
        item["signal"]: item for item in records(frames.bubble_signals(on("polars", rows), {"capex_intensity": "0.3"}))
    }
    assert (signals["capex_intensity"]["threshold"], signals["capex_intensity"]["fires"]) == (Decimal("0.3"), False)
    with pytest.raises(cm.InvalidValueError, match="no signal called 'nope'"):
        frames.bubble_signals(on("polars", rows), {"nope": 1})


def test_table_functions_say_which_extra_they_need(monkeypatch):
    monkeypatch.setitem(sys.modules, "narwhals", None)
    with pytest.raises(cm.InvalidValueError, match="frames extra"):
        frames.ratios(on("polars", fixed_panel()))


def test_the_embedded_facts_keep_their_markets_and_null_amounts_are_left_out():
    dataset = cm.load_dataset()
    result = frames.year_over_year(frames.to_frame(dataset, "polars"))
    markets = set(result["market"].to_list())
    assert None in markets
    assert {"US", "CN"} <= markets
    years = frames.calendarize(frames.to_frame(dataset, "pandas").query("company != 'alibaba'"))
    assert set(years["market"].dropna()) == {"US", "CN"}
    rows = [
        row("a", "capex", cm.CalendarYear(2023), "USD", Decimal(1)),
        row("a", "capex", cm.CalendarYear(2024), "USD", None),
    ]
    for backend in BACKENDS:
        got = records(frames.year_over_year(on(backend, rows)))
        assert [(item["period_start"], item["reason"]) for item in got] == [
            (cm.CalendarYear(2023).start, "no amount a year earlier")
        ]


ENGINES = ["polars", "pandas", "pyarrow"]


@PANELS
@given(
    amount=st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False, allow_infinity=False),
    rates=st.lists(rate_values, min_size=2, max_size=2),
    start=st.integers(min_value=7, max_value=12),
)
def test_blended_conversions_agree_on_every_engine(amount, rates, start):
    table = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", rate, cm.CalendarYear(year))
            for rate, year in zip(rates, (2023, 2024), strict=True)
        ]
    )
    period = cm.Period.from_months((2023, start), (2024, start - 1))
    expected = exact(lambda: table.convert(cm.Money(amount, "CNY", period), "USD", blend=True))
    for engine in ENGINES:
        got = records(frames.convert(on(engine, [row("a", "capex", period, "CNY", amount)]), table, "USD", blend=True))
        assert got[0]["amount"] == expected, engine


def test_conversions_by_long_rates_do_not_overflow():
    year = cm.CalendarYear(2024)
    table = cm.RateTable([cm.ExchangeRate("CNY", "USD", "0.138310225797805885", year)])
    expected = exact(table.convert, cm.Money(76_760_000_000, "CNY", year), "USD")
    monthly = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", f"7.{1012 + 222 * month}", cm.CalendarMonth(2024, month))
            for month in range(1, 13)
        ]
    )
    blended = exact(lambda: monthly.convert(cm.Money(1000, "CNY", year), "USD", blend=True))
    for engine in ENGINES:
        got = records(
            frames.convert(on(engine, [row("a", "capex", year, "CNY", Decimal(76_760_000_000))]), table, "USD")
        )
        assert got[0]["amount"] == expected == Decimal("10616692932.2395797326")
        got = records(
            frames.convert(on(engine, [row("a", "capex", year, "CNY", Decimal(1000))]), monthly, "USD", blend=True)
        )
        assert got[0]["amount"] == blended


def test_conversion_keeps_rows_in_order_and_markets_as_they_were():
    dataset = cm.load_dataset()
    table = frames.to_frame(dataset, "polars").filter(pl.col("period_end") <= dt.date(2024, 12, 31))
    monthly = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", f"7.{1012 + 222 * month}", cm.CalendarMonth(year, month))
            for year in (2023, 2024)
            for month in range(1, 13)
        ]
    )
    converted = frames.convert(table, monthly, "USD", blend=True)
    assert converted["company"].to_list() == table["company"].to_list()
    assert converted["market"].to_list() == table["market"].to_list()
    assert None in converted["market"].to_list()


def test_growth_signal_needs_one_currency_across_the_years():
    rows = [
        row("a", "capex", cm.CalendarYear(2023), "CNY", Decimal(50)),
        row("a", "capex", cm.CalendarYear(2024), "USD", Decimal(100)),
        row("a", "revenue", cm.CalendarYear(2023), "USD", Decimal(1000)),
        row("a", "revenue", cm.CalendarYear(2024), "USD", Decimal(1000)),
    ]
    for backend in BACKENDS:
        signals = {
            item["signal"]: item
            for item in records(frames.bubble_signals(on(backend, rows)))
            if item["period_start"] == cm.CalendarYear(2024).start
        }
        growth = signals["capex_growth_minus_revenue_growth"]
        assert (growth["value"], growth["fires"]) == (None, None)
        assert growth["reason"] == "capex a year earlier is in another currency; convert first"
        yoy = [
            item
            for item in records(frames.year_over_year(on(backend, rows)))
            if item["metric"] == "capex" and item["period_start"] == cm.CalendarYear(2024).start
        ]
        assert yoy[0]["reason"] == "the amount a year earlier is in another currency; convert first"


def test_string_amounts_are_checked_never_rounded():
    year = cm.CalendarYear(2024)
    base = {
        "company": ["a"],
        "metric": ["capex"],
        "period_start": [year.start],
        "period_end": [year.end],
        "currency": ["USD"],
    }
    for text, message in [
        ("0.1234567890123456789", "more than 18 decimal places"),
        ("1E-19", "more than 18"),
        ("abc", "row 1, column 'amount': amount must be a number, got the string 'abc'"),
        ("Infinity", "amount must be finite"),
    ]:
        for table in (pl.DataFrame({**base, "amount": [text]}), pd.DataFrame({**base, "amount": [text]})):
            with pytest.raises(cm.InvalidValueError, match=message):
                frames.ratios(table)
    exact_text = pl.DataFrame({**base, "amount": [" 0.123456789012345678 "]})
    assert frames.year_over_year(exact_text)["amount"].item() == Decimal("0.123456789012345678")


def test_large_amounts_calendarize_and_grow_as_the_scalar_functions_do():
    year = cm.CalendarYear(2024)
    rows = [
        row("a", "capex", quarter, "KRW", Decimal(4000000000000000))
        for quarter in (cm.CalendarQuarter(2024, q) for q in range(1, 5))
    ]
    expected = exact(cm.calendarize, [money(item) for item in rows], year)
    big = [
        row("b", "net_income", cm.CalendarYear(2023), "USD", Decimal(60000000000000000000)),
        row("b", "net_income", year, "USD", Decimal(-60000000000000000000)),
        row("c", "net_income", cm.CalendarYear(2023), "USD", Decimal("-0.5")),
        row("c", "net_income", year, "USD", Decimal(99999999999999999999)),
    ]
    for engine in ENGINES:
        assert records(frames.calendarize(on(engine, rows)))[0]["amount"] == expected == Decimal("1.6E16")
        growth = {
            item["company"]: item
            for item in records(frames.year_over_year(on(engine, big)))
            if item["period_start"] == year.start
        }
        assert growth["b"]["growth"] == Decimal(-2)
        assert growth["c"]["reason"] == "the amount a year earlier is not positive"


def test_two_facts_for_one_period_are_not_added_up_by_year_over_year():
    rows = [
        row("a", "capex", cm.CalendarYear(2023), "USD", Decimal(100)),
        row("a", "capex", cm.CalendarYear(2024), "USD", Decimal(120)),
        row("a", "capex", cm.CalendarYear(2024), "USD", Decimal(130)),
    ]
    for backend in BACKENDS:
        latest = [
            item
            for item in records(frames.year_over_year(on(backend, rows)))
            if item["period_start"] == cm.CalendarYear(2024).start
        ]
        assert [(item["amount"], item["growth"]) for item in latest] == [(None, None)]
        assert latest[0]["reason"].startswith("more than one amount")


def test_currency_codes_are_read_as_money_reads_them():
    year = cm.CalendarYear(2024)
    rows = [
        row("a", "capex", year, "usd", Decimal(100)),
        row("a", "revenue", year, "USD", Decimal(1000)),
        row("c", "capex", year, "Usd", Decimal(5)),
    ]
    for backend in BACKENDS:
        got = records(frames.ratios(on(backend, rows)))
        assert {item["company"]: item["capex_intensity"] for item in got}["a"] == Decimal("0.1")
        totals = records(frames.totals(on(backend, rows), COMPANIES))
        assert [(item["currency"], item["amount"]) for item in totals if item["metric"] == "capex"] == [
            ("USD", Decimal(105))
        ]
    with pytest.raises(cm.UnknownCurrencyError, match="XYZ"):
        frames.ratios(on("polars", [row("a", "capex", year, "XYZ", Decimal(1))]))


def test_periods_must_be_whole_months_on_every_function():
    bad = [
        {
            "company": "a",
            "metric": "capex",
            "period_start": dt.date(2024, 1, 15),
            "period_end": dt.date(2024, 12, 31),
            "currency": "USD",
            "amount": Decimal(1),
            "basis": "",
        }
    ]
    backwards = [{**bad[0], "period_start": dt.date(2024, 12, 1), "period_end": dt.date(2024, 2, 29)}]
    for function in (
        frames.ratios,
        frames.year_over_year,
        frames.calendarize,
        frames.bubble_signals,
        lambda table: frames.totals(table, COMPANIES),
    ):
        for rows in (bad, backwards):
            with pytest.raises(cm.InvalidPeriodError, match="is not whole months"):
                function(on("polars", rows))
    timestamps = on("pandas", [row("a", "capex", cm.CalendarYear(2024), "CNY", Decimal(723))])
    timestamps = timestamps.astype({"period_start": "datetime64[ns]", "period_end": "datetime64[ns]"})
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(2024))])
    assert records(frames.convert(timestamps, rates, "USD"))[0]["amount"] == Decimal(100)


def test_thresholds_must_fit_the_tables_decimals():
    rows = [row("a", "capex", cm.CalendarYear(2024), "USD", Decimal(1))]
    with pytest.raises(cm.InvalidValueError, match="the threshold of capex_intensity, 0.1999999999999999999, needs"):
        frames.bubble_signals(on("polars", rows), {"capex_intensity": "0.1999999999999999999"})


def test_calendarize_calls_an_overlap_an_overlap_even_with_a_gap():
    quarters = [cm.CalendarQuarter(2024, 1), cm.CalendarQuarter(2024, 1), cm.CalendarQuarter(2024, 2)]
    rows = [row("a", "capex", quarter, "USD", Decimal(1)) for quarter in quarters]
    for backend in BACKENDS:
        got = records(frames.calendarize(on(backend, rows)))[0]
        assert (got["amount"], got["reason"]) == (None, "the facts overlap")


def on_any(engine, rows):
    """The rows as a facts table of `engine`: polars, a polars LazyFrame, pandas, pyarrow or Dask."""
    if engine == "lazy":
        return on("polars", rows).lazy()
    if engine == "dask":
        import dask.dataframe as dd  # noqa: PLC0415 -- a test extra

        return dd.from_pandas(on("pandas", rows), npartitions=2)
    return on(engine, rows)


def computed(result):
    """The result's rows, once computed: a LazyFrame collected, a Dask frame computed."""
    return records(result.collect() if isinstance(result, pl.LazyFrame) else result)


YEAR_2024_RATES = cm.RateTable(
    [cm.ExchangeRate("USD", "CNY", "7.23", cm.CalendarYear(year)) for year in (2022, 2023, 2024)]
)
FUNCTIONS = {
    "convert": lambda table: frames.convert(table, YEAR_2024_RATES, "CNY"),
    "calendarize": frames.calendarize,
    "totals": lambda table: frames.totals(table, COMPANIES),
    "ratios": frames.ratios,
    "year_over_year": frames.year_over_year,
    "bubble_signals": frames.bubble_signals,
}
ALL_ENGINES = ["polars", "lazy", "pandas", "pyarrow", "dask"]


def spelled(rows, spellings):
    """The rows with each USD code spelt in turn as one of `spellings`."""
    return [
        {**item, "currency": spellings[index % len(spellings)]} if item["currency"] == "USD" else item
        for index, item in enumerate(rows)
    ]


@pytest.mark.parametrize("engine", ["polars", "pandas", "pyarrow"])
@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_each_function_reads_usd_and_usd_in_lower_case_as_one_currency(engine, name):
    year = cm.CalendarYear(2024)
    rows = [
        row(company, metric, period, "USD", Decimal(amount))
        for company, amount in (("a", 10), ("c", 30))
        for metric in INPUTS
        for period in (cm.CalendarYear(2023), year)
    ]
    function = FUNCTIONS[name]
    expected = sorted(computed(function(on(engine, rows))), key=sort_key)
    got = sorted(computed(function(on(engine, spelled(rows, ["usd", "USD", "Usd"])))), key=sort_key)
    assert got == expected
    assert len(got) == (len(rows) if name == "convert" else len(got))


def test_convert_gives_one_row_per_row_when_a_period_spells_a_code_two_ways():
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "usd", Decimal(723)), row("c", "capex", year, "USD", Decimal(1446))]
    for engine in ENGINES:
        got = records(frames.convert(on(engine, rows), YEAR_2024_RATES, "CNY"))
        assert [(item["company"], item["currency"], item["amount"]) for item in got] == [
            ("a", "CNY", Decimal("5227.29")),
            ("c", "CNY", Decimal("10454.58")),
        ], engine


def run_fully(function, table):
    """The function's result, computed: errors that wait for a LazyFrame's or a Dask frame's compute come out."""
    return computed(function(table))


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize("column", ["company", "metric", "period_start", "period_end", "currency"])
def test_a_null_in_a_key_column_is_refused_naming_its_row_and_column(engine, column):
    year = cm.CalendarYear(2024)
    rows = [
        row("a", "capex", year, "USD", Decimal(1)),
        row("c", "revenue", year, "USD", Decimal(2)),
        row("a", "revenue", year, "USD", Decimal(3)),
    ]
    rows[1][column] = None
    for name, function in FUNCTIONS.items():
        with pytest.raises(cm.DataFileError, match=rf"table, row 2, column '{column}': missing") as caught:
            run_fully(function, on_any(engine, rows))
        assert len(caught.value.problems) == 1, name


def test_the_reported_cases_of_raw_errors_raise_capexmodel_errors():
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "USD", Decimal(1)), row("c", "capex", year, "USD", Decimal(2))]
    nameless = [rows[0], {**rows[1], "company": None}]
    with pytest.raises(cm.DataFileError, match="row 2, column 'company': missing"):
        frames.totals(on("polars", nameless), COMPANIES)  # was a TypeError
    undated = [rows[0], {**rows[1], "period_start": None}]
    with pytest.raises(cm.DataFileError, match="row 2, column 'period_start': missing"):
        frames.ratios(on("pandas", undated))  # was pandas' IntCastingNaNError
    huge = [row("a", "capex", year, "USD", Decimal(9 * 10**19)), row("c", "capex", year, "USD", Decimal(9 * 10**19))]
    with pytest.raises(cm.InvalidValueError, match=r"does not fit decimal\(38, 18\)"):
        frames.totals(on("polars", huge), COMPANIES)
    lazy = frames.totals(on("polars", huge).lazy(), COMPANIES)
    with pytest.raises(cm.InvalidValueError, match=r"does not fit decimal\(38, 18\)"):
        lazy.collect()  # was polars' ComputeError


@pytest.mark.parametrize("engine", ["polars", "lazy", "pandas", "pyarrow"])
def test_columns_of_the_wrong_type_are_refused_naming_the_column(engine):
    year = cm.CalendarYear(2024)
    good = on("polars", [row("a", "capex", year, "USD", Decimal(1))])
    cases = {
        "company": good.with_columns(company=pl.lit(7)),
        "metric": good.with_columns(metric=pl.lit(True)),
        "currency": good.with_columns(currency=pl.lit(840)),
        "period_start": good.with_columns(period_start=pl.lit("2024/01/01")),
        "period_end": good.with_columns(period_end=pl.lit(20241231)),
        "basis": good.with_columns(basis=pl.lit(1.5)),
        "amount": good.with_columns(amount=pl.lit(True)),
    }
    for column, bad in cases.items():
        native = {"polars": bad, "lazy": bad.lazy(), "pandas": bad.to_pandas(), "pyarrow": bad.to_arrow()}[engine]
        for name, function in FUNCTIONS.items():
            with pytest.raises(cm.CapexModelError, match=rf"column '{column}'"):
                run_fully(function, native)
            assert name


@pytest.mark.parametrize("engine", ["pandas", "dask"])
def test_cells_of_the_wrong_type_in_object_columns_are_refused_naming_row_and_column(engine):
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "USD", Decimal(1)), row("c", "capex", year, "USD", Decimal(2))]
    frame = on("pandas", rows).astype(object)
    cases = {"company": 5, "metric": b"capex", "currency": 840, "period_start": "2024/01/01", "basis": 1}
    for column, value in cases.items():
        bad = frame.copy()
        bad.loc[1, column] = value
        native = bad if engine == "pandas" else dd_of(bad)
        for function in FUNCTIONS.values():
            with pytest.raises(cm.DataFileError, match=rf"table, row 2, column '{column}': expected"):
                run_fully(function, native)


def dd_of(frame):
    """The frame on Dask, its object columns kept as objects (Dask would make strings of them, dates too)."""
    import dask  # noqa: PLC0415 -- a test extra
    import dask.dataframe as dd  # noqa: PLC0415

    with dask.config.set({"dataframe.convert-string": False}):
        return dd.from_pandas(frame, npartitions=2)


def hostile_context():
    """A caller's context that traps rounding of any kind and keeps five digits."""
    return decimal.Context(
        prec=5,
        rounding=decimal.ROUND_DOWN,
        Emin=-30,
        Emax=30,
        traps=[
            decimal.Inexact,
            decimal.Rounded,
            decimal.InvalidOperation,
            decimal.Overflow,
            decimal.Underflow,
            decimal.Subnormal,
            decimal.Clamped,
            decimal.FloatOperation,
        ],
    )


CONTEXT_CALLS = {
    **FUNCTIONS,
    "convert by a rate that does not terminate": lambda table: frames.convert(table, YEAR_2024_RATES, "USD"),
    "convert by a blend": lambda table: frames.convert(
        table,
        cm.RateTable(
            [
                cm.ExchangeRate("USD", "CNY", f"7.{1012 + 222 * month}", cm.CalendarMonth(year, month))
                for year in (2022, 2023, 2024)
                for month in range(1, 13)
            ]
        ),
        "USD",
        blend=True,
    ),
    "bubble_signals with thresholds": lambda table: frames.bubble_signals(
        table, {"capex_intensity": "0.123456789012345678", "capex_to_depreciation": "123456789.5"}
    ),
}


DASK_CONTEXT_CALLS = ["convert by a rate that does not terminate"]


def context_rows():
    rows = [
        row(company, metric, period, currency, Decimal(amount))
        for company, currency, amount in (("a", "CNY", "1234567.891"), ("b", "cny", "7"), ("c", "CNY", "-3.5"))
        for metric in INPUTS
        for period in PERIODS
    ]
    return [*rows, row("b", "capex", cm.Period.parse("2024-02/2024-08"), "CNY", Decimal("99999999999.1234"))]


@pytest.mark.parametrize("engine", [*ALL_ENGINES, "strings"])
def test_every_table_function_leaves_the_callers_context_alone(engine):
    rows = context_rows()
    if engine == "strings":  # exact strings, read on polars by a function of polars' own threads
        native = on("polars", rows).with_columns(pl.col("amount").cast(pl.String))
    else:
        native = on_any(engine, rows)
    # On Dask, what runs when the result is computed is the same for every function: one call shows it.
    calls = DASK_CONTEXT_CALLS if engine == "dask" else list(CONTEXT_CALLS)
    for name in calls:
        function = CONTEXT_CALLS[name]
        expected = sorted(run_fully(function, native), key=sort_key)
        caller = hostile_context()
        with decimal.localcontext(caller):
            got = sorted(run_fully(function, native), key=sort_key)
        assert got == expected, name
        assert not any(caller.flags.values()), (name, caller.flags)
        assert (caller.prec, caller.rounding, caller.Emin, caller.Emax) == (5, decimal.ROUND_DOWN, -30, 30)
        assert [trap for trap, on_ in caller.traps.items() if on_] == [
            trap for trap, on_ in hostile_context().traps.items() if on_
        ]


def test_thresholds_beyond_64_bit_units_compare_exactly_on_dask():
    year = cm.CalendarYear(2024)
    rows = [
        row(company, metric, year, "USD", Decimal(amount))
        for company, capex, depreciation in (("a", 10**12, 1), ("c", 100, 20))
        for metric, amount in (("capex", capex), ("depreciation_and_amortization", depreciation))
    ]
    thresholds = {"capex_to_depreciation": "123456789.5"}  # more units of 10⁻¹⁸ than 64 bits hold
    for engine in ("pandas", "dask"):  # Dask made a string of the threshold, and compared ints with it
        got = {
            item["company"]: (item["fires"], item["threshold"])
            for item in records(frames.bubble_signals(on_any(engine, rows), thresholds))
            if item["signal"] == "capex_to_depreciation"
        }
        assert got == {"a": (True, Decimal("123456789.5")), "c": (False, Decimal("123456789.5"))}, engine


def test_an_amount_that_cannot_be_read_is_named_by_its_row():
    year = cm.CalendarYear(2024)
    rows = [row(company, "capex", year, "USD", Decimal(1)) for company in "abcabc"]
    text = on("pandas", rows).astype({"amount": object})
    text.loc[4, "amount"] = "1,5"
    with pytest.raises(cm.InvalidAmountError, match=r"^table, row 5, column 'amount': amount must be a number, got"):
        frames.ratios(text)
    with pytest.raises(cm.InvalidAmountError, match=r"^table, row 5, column 'amount': amount must be a number, got"):
        frames.ratios(pl.from_pandas(text.astype({"amount": str})).lazy()).collect()
    with pytest.raises(cm.InvalidAmountError, match=r"^table, partition 2, row 2, column 'amount': amount must be"):
        records(frames.convert(dd_of(text), YEAR_2024_RATES, "CNY"))  # Dask reads amounts as it computes


def test_object_columns_of_dates_and_midnight_datetimes_are_read_as_dates():
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "USD", Decimal(1)), row("c", "capex", year, "USD", Decimal(2))]
    mixed = on("pandas", rows).astype({"period_start": object, "period_end": object})
    mixed.loc[1, "period_start"] = dt.datetime(2024, 1, 1)  # noqa: DTZ001
    mixed.loc[1, "period_end"] = dt.datetime(2024, 12, 31)  # noqa: DTZ001
    stamps = mixed.assign(
        period_start=[dt.datetime(2024, 1, 1)] * 2,  # noqa: DTZ001
        period_end=[dt.datetime(2024, 12, 31)] * 2,  # noqa: DTZ001
    ).astype({"period_start": object, "period_end": object})
    for table in (mixed, stamps, dd_of(mixed)):
        assert [
            (item["region"], item["period_start"], item["amount"], item["facts"])
            for item in records(frames.totals(table, COMPANIES))
        ] == [("US", year.start, Decimal(3), 2)]


def test_tables_that_are_not_dask_need_no_dask(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)  # as if Dask were not installed
    rows = [row("a", "capex", cm.CalendarYear(2024), "usd", Decimal(1))]
    assert records(frames.convert(on("polars", rows), YEAR_2024_RATES, "CNY"))[0]["amount"] == Decimal("7.23")


def test_errors_on_pandas_need_no_polars(monkeypatch):
    rows = [row("z", "capex", cm.CalendarYear(2024), "USD", Decimal(1))]
    monkeypatch.setitem(sys.modules, "polars", None)  # as if polars were not installed
    with pytest.raises(cm.UnknownCompanyError, match="no region for z"):
        frames.totals(on("pyarrow", rows), COMPANIES)


def test_dask_partitions_are_numbered_into_the_tables_rows():
    year = cm.CalendarYear(2024)
    rows = [row("a", "capex", year, "USD", Decimal(1)) for _ in range(6)]
    for index in (3, 4):  # rows 4 and 5: the second and third partitions
        rows[index]["company"] = None
    for index in (1, 5):  # rows 2 and 6: the first and third
        rows[index]["metric"] = None
    import dask.dataframe as dd  # noqa: PLC0415 -- a test extra

    table_ = dd.from_pandas(on("pandas", rows), npartitions=3)
    assert table_.npartitions == 3
    with pytest.raises(cm.DataFileError) as caught:
        frames.ratios(table_)
    assert caught.value.problems == (
        "table, row 4, column 'company': missing (and in 1 more rows)",
        "table, row 2, column 'metric': missing (and in 1 more rows)",
    )


def test_amounts_polars_cannot_hold_are_refused_naming_their_row():
    year = cm.CalendarYear(2024)
    base = pl.DataFrame(
        {
            "company": ["a", "c", "a"],
            "metric": ["capex", "capex", "revenue"],
            "period_start": [year.start] * 3,
            "period_end": [year.end] * 3,
            "currency": ["USD"] * 3,
        }
    )
    wide = [
        base.with_columns(amount=pl.Series([1, -(10**25), 3], dtype=pl.Int128)),
        base.with_columns(amount=pl.Series([Decimal(1), Decimal(-(10**25)), Decimal(3)], dtype=pl.Decimal(38, 2))),
    ]
    for table_ in wide:
        for native in (table_, table_.lazy()):
            with pytest.raises(cm.InvalidValueError, match=r"table, row 2, column 'amount': -10{25}(\.00)? does not"):
                frames.convert(native, YEAR_2024_RATES, "CNY")  # was narwhals' InvalidOperationError
    fits = base.with_columns(amount=pl.Series([1, 10**20 - 1, 3], dtype=pl.Int128))
    intensity = {item["company"]: item["capex_intensity"] for item in computed(frames.ratios(fits))}
    assert intensity == {"a": Decimal("0.333333333333333333"), "c": None}  # c has no revenue


def test_a_column_given_twice_is_refused():
    year = cm.CalendarYear(2024)
    frame = on("pandas", [row("a", "capex", year, "USD", Decimal(1))])
    doubled = pd.concat([frame, frame[["amount"]]], axis=1)  # was narwhals' DuplicateError
    single = table([row("a", "capex", year, "USD", Decimal(1))])
    arrow = pa.Table.from_arrays([*single.columns, single["amount"]], names=[*single.column_names, "amount"])
    for native in (doubled, arrow, dd_of(doubled)):
        with pytest.raises(cm.DataFileError, match="table, column 'amount': the table has it 2 times"):
            frames.ratios(native)


def test_a_signalling_nan_in_an_object_column_is_a_cell_of_the_wrong_type():
    year = cm.CalendarYear(2024)
    frame = on("pandas", [row("a", "capex", year, "USD", Decimal(1)), row("c", "capex", year, "USD", Decimal(2))])
    for column in ("company", "basis"):
        spoilt = frame.astype({column: object})
        spoilt.loc[1, column] = Decimal("sNaN")  # pandas' own null check raised decimal.InvalidOperation
        with pytest.raises(cm.DataFileError, match=rf"row 2, column '{column}': expected a string, got Decimal"):
            frames.totals(spoilt, COMPANIES)
