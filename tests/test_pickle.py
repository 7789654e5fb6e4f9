"""Every public value and every error pickles, copies and deep-copies to an equal value."""

import copy
import datetime as dt
import inspect
import pickle
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest

import capexmodel as cm

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
ARTICLE = cm.Source("Caijing", "中美科技巨头算力投资对比", dt.date(2025, 4, 14), "2024 average rate")
META = cm.Company(id="meta", name_en="Meta", name_zh="Meta", region="US", currency="USD", tickers=("META",))
RATES = cm.RateTable(
    [cm.ExchangeRate("USD", "CNY", "7.230", Y24, source=ARTICLE), cm.ExchangeRate("USD", "CNY", "7.1", Y23)]
)
CONVERSION = RATES.conversion("CNY", "USD", cm.FiscalCalendar(year_end_month=3).year(2024), blend=True)
CALENDARIZATION = cm.calendarize(
    [
        cm.Money(1, "USD", cm.Period.parse("2023-12/2024-02")),
        cm.Money(2, "USD", cm.Period.parse("2024-03/2024-11")),
        cm.Money(3, "USD", cm.Period.parse("2024-12/2025-02")),
    ],
    Y24,
)
FACT = cm.Fact(META, "capex", cm.Money("37256", "USD", Y24), "incl. finance leases", "reported", [ARTICLE])
PROJECTION = cm.capex_from_revenue(
    cm.Fact(META, "revenue", cm.Money("164501", "USD", Y23)), period=Y24, revenue_growth="0.1", capex_to_revenue="0.2"
)
RISK = cm.bubble_risk([FACT, cm.Fact(META, "revenue", cm.Money("164501", "USD", Y24))], Y24, company="meta")
DATASET = cm.load_dataset()
REPORT = cm.build_report(DATASET, "zh_CN", year=2024, companies=["meta", "tencent"])

VALUES = {
    "Money": cm.Money("1266.666666666666666666666667", "CNY", Y24),
    "Currency": cm.Currency("usd"),
    "Period": cm.Period.parse("2024-04/2025-03"),
    "FiscalCalendar": cm.FiscalCalendar(year_end_month=6),
    "Company": META,
    "Region": cm.Region("CN"),
    "ExchangeRate": RATES.rates[0],
    "RateTable": RATES,
    "RateUse": CONVERSION.segments[0].uses[0],
    "ConversionSegment": CONVERSION.segments[0],
    "Conversion": CONVERSION,
    "Calendarization": CALENDARIZATION,
    "CalendarizedPart": CALENDARIZATION.parts[0],
    "Fact": cm.Fact.derive(
        CONVERSION.apply(cm.Money(8, "CNY", CONVERSION.period)),
        [cm.Fact(META, "capex", cm.Money(8, "CNY", CONVERSION.period))],
        derivation=CONVERSION,
    ),
    "Metric": cm.Metric("revenue_by_market"),
    "MetricDefinition": cm.Metric.CAPEX.definition,
    "Group": DATASET.group("china-seven"),
    "Status": cm.Status.GUIDANCE,
    "Source": ARTICLE,
    "Projection": PROJECTION.derivation,
    "ChipModel": cm.chip("H20"),
    "ChipPurchase": cm.ChipPurchase(META, "H20", 230_000, Y24, source=ARTICLE),
    "H100Equivalents": cm.h100_equivalents(
        [cm.ChipPurchase("bytedance", "H20", 230_000, Y24)], basis={"H20": Fraction(1, 3)}
    ),
    "Signal": RISK.signals[0],
    "BubbleRisk": RISK,
    "RevenueGap": cm.revenue_gap(cm.Money("150", "USD", Y24), cm.Money("100", "USD", Y24)),
    "DepreciationGap": cm.depreciation_gap(cm.Money("100", "USD", Y24), from_years=5, to_years=6),
    "Statement": DATASET.statements[0],
    "Aggregate": DATASET.total("capex", period=Y24, region="US", currency="USD"),
    "Ranking": DATASET.rank("capex_intensity", period=Y24, region="US"),
    "RankingRow": DATASET.rank("capex", period=Y24, currency="USD").rows[0],
    "Dataset": DATASET,
    "Report": REPORT,
    "ReportRow": REPORT.rows()[0],
}

ERRORS = {
    name: getattr(cm, name)
    for name in cm.__all__
    if inspect.isclass(getattr(cm, name)) and issubclass(getattr(cm, name), BaseException)
}


#: The errors that say what went wrong in attributes too.
STRUCTURED: dict[type[BaseException], dict[str, object]] = {
    cm.UnknownMetricError: {"name": "capx", "suggestion": "capex"},
    cm.UnknownNameError: {"kind": "source", "name": "caijng"},
    cm.UnknownCompanyError: {"kind": "company", "name": "opnai", "suggestions": ("openai",)},
    cm.AmbiguousCompanyError: {"name": "roadrunner", "candidates": ("acme", "beta")},
    cm.FactNotFoundError: {"company": "nvidia", "metric": "capex", "period": Y24},
    cm.IncompleteTotalError: {"missing": ("nvidia", "xai")},
}


def copies(value):
    return {
        "pickle": pickle.loads(pickle.dumps(value)),
        "pickle, protocol 0": pickle.loads(pickle.dumps(value, protocol=0)),
        "copy": copy.copy(value),
        "deepcopy": copy.deepcopy(value),
    }


def fields(value):
    """A value's fields, for the classes that compare by identity (a `Dataset`)."""
    return attrs.astuple(value, recurse=False) if attrs.has(type(value)) else value


def test_every_public_value_class_is_covered():
    classes = {name for name in cm.__all__ if inspect.isclass(getattr(cm, name))}
    assert classes == set(VALUES) | set(ERRORS)
    for name, value in VALUES.items():
        assert type(value) is getattr(cm, name)


@pytest.mark.parametrize("name", sorted(VALUES))
def test_every_public_value_pickles_and_copies_to_an_equal_value(name):
    value = VALUES[name]
    for how, copied in copies(value).items():
        assert type(copied) is type(value), how
        if name == "Dataset":  # compares by identity: its fields must survive
            assert fields(copied) == fields(value), how
        else:
            assert copied == value, how
            assert hash(copied) == hash(value), how
        assert repr(copied) == repr(value), how


def test_interned_values_come_back_interned():
    assert pickle.loads(pickle.dumps(cm.Currency("USD"))) is cm.Currency("USD")
    money = pickle.loads(pickle.dumps(VALUES["Money"]))
    assert money.currency is cm.Currency("CNY")


def test_a_copied_rate_table_converts():
    for copied in copies(RATES).values():
        assert copied.convert(cm.Money(1, "USD", Y24), "CNY") == cm.Money("7.230", "CNY", Y24)


def test_read_only_mappings_stay_read_only_after_a_copy():
    for copied in copies(VALUES["H100Equivalents"]).values():
        assert copied.factors == {"H20": Fraction(1, 3)}
        with pytest.raises(TypeError):
            copied.factors["H20"] = Fraction(1)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_every_error_pickles_and_copies_to_an_equal_error(name):
    error_class = ERRORS[name]
    message = f"what went wrong, with the value {Decimal('7.230')!r}"
    if error_class is cm.DataFileError:
        error = cm.DataFileError(
            [
                "facts.csv, line 3, field 'amount': expected a number, got '77,7'",
                "rates.csv, line 2, field 'rate': a rate is positive, got '0'",
            ]
        )
    elif error_class in STRUCTURED:
        error = error_class(message, **STRUCTURED[error_class])
    else:
        error = error_class(message)
    error.add_note("a note added on the way up")
    for how, copied in copies(error).items():
        assert type(copied) is error_class, how
        assert copied.args == error.args, how
        assert str(copied) == str(error), how
        assert copied.__notes__ == error.__notes__, how
        if error_class is cm.DataFileError:
            assert copied.problems == error.problems, how
        assert vars(copied) == vars(error), how  # what callers act on survives: FactNotFoundError.period, ...


def test_a_data_file_error_of_one_string_is_one_problem():
    error = cm.DataFileError("facts.csv, line 3: a problem")
    assert error.problems == ("facts.csv, line 3: a problem",)
    assert str(error) == "1 problem in the data:\n  facts.csv, line 3: a problem"
