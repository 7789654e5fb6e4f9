"""Compare how much big tech companies invest in compute, with numbers you can trust.

capexmodel models capital expenditure and how it is financed as immutable,
typed values, across companies, currencies, fiscal calendars and countries:

- `Money`: an exact `Decimal` amount in a `Currency` over a `Period`;
  `total` and `combine_periods` add many amounts, refusing to mix currencies or
  periods by accident.
- `Period`: a span of whole calendar months (`CalendarYear`, `CalendarHalf`,
  `CalendarQuarter`, `CalendarMonth`), and `FiscalCalendar` for years that end in
  another month, named by the calendar year they end in.
- `Company` and `Region`: who invests, where, in which currency and calendar.
- `ExchangeRate` and `RateTable`: explicit, traceable conversion (direct, inverse,
  cross, and month-weighted blends only when asked); `Conversion` says how.
- `calendarize`: fiscal periods restated over calendar periods, by months or by
  quarter-end, recording how (`Calendarization`).
- `Fact`, `Metric`, `Status`, `Source`: one number about one company, what it
  covers and where it comes from; `Fact.derive` carries sources and status through.
- Data and presentation: `load_dataset` (the article's figures and public filings,
  embedded, or your own CSV files), `read_companyfacts` (SEC XBRL company facts),
  `ecb_rates` (the ECB's daily euro reference rates averaged by month, quarter and
  year), `format_money` and `parse_money` (亿美元 or $B); `fetch_companyfacts`
  downloads the SEC's company facts (the only network access, and only when called);
  `build_report` computes the article's comparison as a `Report`, whose `Report.rows`
  are one tidy table of `ReportRow`s (what ``capexmodel report --format csv`` writes).
- Indicators: `capex_intensity`, cash coverage (`capex_to_operating_cash_flow`, ...),
  `growth`, `cagr`, `year_over_year`; chip compute (`chip`, `ChipPurchase`,
  `h100_equivalents`); bubble risk (`bubble_risk`, `revenue_gap`, `depreciation_gap`);
  projections by the article's rules (`spread_plan`, `capex_from_revenue`).
- Errors: everything a user can get wrong raises a `CapexModelError`.

Examples:
    >>> import capexmodel as cm
    >>> y24 = cm.CalendarYear(2024)
    >>> cm.total([cm.Money("777", "USD", y24), cm.Money("756", "USD", y24)])
    Money('1533', 'USD', Period.parse('2024'))
"""

from capexmodel._errors import (
    AmbiguousCompanyError,
    AmbiguousFactError,
    AmbiguousRateError,
    CapexModelError,
    CurrencyMismatchError,
    DataFileError,
    DivisionByZeroError,
    FactNotFoundError,
    FetchError,
    IncompleteTotalError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidValueError,
    MissingRateError,
    PeriodMismatchError,
    UndefinedIndicatorError,
    UnknownChipError,
    UnknownCompanyError,
    UnknownCurrencyError,
    UnknownMetricError,
    UnknownNameError,
)
from capexmodel._lazy import load as _load

#: Where each public name that loads on first use lives. `import capexmodel` loads
#: only the errors; the rest (and attrs, babel, pint behind it) loads when first used,
#: through `capexmodel._lazy.load`, safely from any thread.
_LAZY: dict[str, str] = {
    "Aggregate": "capexmodel._sources.dataset",
    "BubbleRisk": "capexmodel._indicators.risk",
    "CalendarHalf": "capexmodel._model.period",
    "CalendarMonth": "capexmodel._model.period",
    "CalendarQuarter": "capexmodel._model.period",
    "CalendarYear": "capexmodel._model.period",
    "Calendarization": "capexmodel._model.calendarization",
    "CalendarizedPart": "capexmodel._model.calendarization",
    "ChipModel": "capexmodel._indicators.chips",
    "ChipPurchase": "capexmodel._indicators.chips",
    "Company": "capexmodel._model.company",
    "Conversion": "capexmodel._model.conversion",
    "ConversionSegment": "capexmodel._model.conversion",
    "Currency": "capexmodel._model.currency",
    "Dataset": "capexmodel._sources.dataset",
    "DepreciationGap": "capexmodel._indicators.risk",
    "ExchangeRate": "capexmodel._model.conversion",
    "Fact": "capexmodel._model.facts",
    "FiscalCalendar": "capexmodel._model.fiscal",
    "Group": "capexmodel._sources.dataset",
    "H100Equivalents": "capexmodel._indicators.chips",
    "Metric": "capexmodel._model.provenance",
    "MetricDefinition": "capexmodel._model.provenance",
    "Money": "capexmodel._model.money",
    "Period": "capexmodel._model.period",
    "Projection": "capexmodel._model.provenance",
    "Ranking": "capexmodel._sources.dataset",
    "RankingRow": "capexmodel._sources.dataset",
    "RateTable": "capexmodel._fx.rates",
    "RateUse": "capexmodel._model.conversion",
    "Region": "capexmodel._model.company",
    "Report": "capexmodel._present.report",
    "ReportRow": "capexmodel._present.report",
    "RevenueGap": "capexmodel._indicators.risk",
    "Signal": "capexmodel._indicators.risk",
    "Source": "capexmodel._model.provenance",
    "Statement": "capexmodel._sources.dataset",
    "Status": "capexmodel._model.provenance",
    "bubble_risk": "capexmodel._indicators.risk",
    "build_report": "capexmodel._present.report",
    "cagr": "capexmodel._indicators.ratios",
    "calendarize": "capexmodel._fx.calendarize",
    "capex_from_revenue": "capexmodel._indicators.projections",
    "capex_intensity": "capexmodel._indicators.ratios",
    "capex_to_depreciation": "capexmodel._indicators.ratios",
    "capex_to_net_income": "capexmodel._indicators.ratios",
    "capex_to_operating_cash_flow": "capexmodel._indicators.ratios",
    "chip": "capexmodel._indicators.chips",
    "combine_periods": "capexmodel._model.money",
    "depreciation_gap": "capexmodel._indicators.risk",
    "ecb_rates": "capexmodel._fx.ecb",
    "fetch_companyfacts": "capexmodel._sources.fetch",
    "format_money": "capexmodel._present.format",
    "format_percent": "capexmodel._present.format",
    "format_ratio": "capexmodel._present.format",
    "free_cash_flow": "capexmodel._indicators.ratios",
    "growth": "capexmodel._indicators.ratios",
    "h100_equivalents": "capexmodel._indicators.chips",
    "load_dataset": "capexmodel._sources.loading",
    "merge_sources": "capexmodel._model.provenance",
    "parse_money": "capexmodel._model.reading",
    "parse_number": "capexmodel._model.reading",
    "ratio": "capexmodel._indicators.ratios",
    "read_companyfacts": "capexmodel._sources.sec",
    "revenue_gap": "capexmodel._indicators.risk",
    "share": "capexmodel._indicators.ratios",
    "spread_plan": "capexmodel._indicators.projections",
    "total": "capexmodel._model.money",
    "year_over_year": "capexmodel._indicators.ratios",
}


# Read by type checkers and the docs, never at run time (importing `typing` to say so
# would double the cost of `import capexmodel`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from capexmodel._fx.calendarize import calendarize
    from capexmodel._fx.ecb import ecb_rates
    from capexmodel._fx.rates import RateTable
    from capexmodel._indicators.chips import ChipModel, ChipPurchase, H100Equivalents, chip, h100_equivalents
    from capexmodel._indicators.projections import capex_from_revenue, spread_plan
    from capexmodel._indicators.ratios import (
        cagr,
        capex_intensity,
        capex_to_depreciation,
        capex_to_net_income,
        capex_to_operating_cash_flow,
        free_cash_flow,
        growth,
        ratio,
        share,
        year_over_year,
    )
    from capexmodel._indicators.risk import (
        BubbleRisk,
        DepreciationGap,
        RevenueGap,
        Signal,
        bubble_risk,
        depreciation_gap,
        revenue_gap,
    )
    from capexmodel._model.calendarization import Calendarization, CalendarizedPart
    from capexmodel._model.company import Company, Region
    from capexmodel._model.conversion import Conversion, ConversionSegment, ExchangeRate, RateUse
    from capexmodel._model.currency import Currency
    from capexmodel._model.facts import Fact
    from capexmodel._model.fiscal import FiscalCalendar
    from capexmodel._model.money import Money, combine_periods, total
    from capexmodel._model.period import CalendarHalf, CalendarMonth, CalendarQuarter, CalendarYear, Period
    from capexmodel._model.provenance import Metric, MetricDefinition, Projection, Source, Status, merge_sources
    from capexmodel._model.reading import parse_money, parse_number
    from capexmodel._present.format import format_money, format_percent, format_ratio
    from capexmodel._present.report import Report, ReportRow, build_report
    from capexmodel._sources.dataset import Aggregate, Dataset, Group, Ranking, RankingRow, Statement
    from capexmodel._sources.fetch import fetch_companyfacts
    from capexmodel._sources.loading import load_dataset
    from capexmodel._sources.sec import read_companyfacts
else:  # Hidden from type checkers, so that a misspelt name is still a type error.

    def __getattr__(name: str) -> object:
        """Load a public name on first use (PEP 562), one thread at a time."""
        module = _LAZY.get(name)
        if module is None:
            msg = f"module 'capexmodel' has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(_load(module), name)
        globals()[name] = value
        return value


del TYPE_CHECKING


def __dir__() -> list[str]:
    """List the public names, loaded or not."""
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Aggregate",
    "AmbiguousCompanyError",
    "AmbiguousFactError",
    "AmbiguousRateError",
    "BubbleRisk",
    "CalendarHalf",
    "CalendarMonth",
    "CalendarQuarter",
    "CalendarYear",
    "Calendarization",
    "CalendarizedPart",
    "CapexModelError",
    "ChipModel",
    "ChipPurchase",
    "Company",
    "Conversion",
    "ConversionSegment",
    "Currency",
    "CurrencyMismatchError",
    "DataFileError",
    "Dataset",
    "DepreciationGap",
    "DivisionByZeroError",
    "ExchangeRate",
    "Fact",
    "FactNotFoundError",
    "FetchError",
    "FiscalCalendar",
    "Group",
    "H100Equivalents",
    "IncompleteTotalError",
    "InvalidAmountError",
    "InvalidPeriodError",
    "InvalidValueError",
    "Metric",
    "MetricDefinition",
    "MissingRateError",
    "Money",
    "Period",
    "PeriodMismatchError",
    "Projection",
    "Ranking",
    "RankingRow",
    "RateTable",
    "RateUse",
    "Region",
    "Report",
    "ReportRow",
    "RevenueGap",
    "Signal",
    "Source",
    "Statement",
    "Status",
    "UndefinedIndicatorError",
    "UnknownChipError",
    "UnknownCompanyError",
    "UnknownCurrencyError",
    "UnknownMetricError",
    "UnknownNameError",
    "__version__",
    "bubble_risk",
    "build_report",
    "cagr",
    "calendarize",
    "capex_from_revenue",
    "capex_intensity",
    "capex_to_depreciation",
    "capex_to_net_income",
    "capex_to_operating_cash_flow",
    "chip",
    "combine_periods",
    "depreciation_gap",
    "ecb_rates",
    "fetch_companyfacts",
    "format_money",
    "format_percent",
    "format_ratio",
    "free_cash_flow",
    "growth",
    "h100_equivalents",
    "load_dataset",
    "merge_sources",
    "parse_money",
    "parse_number",
    "ratio",
    "read_companyfacts",
    "revenue_gap",
    "share",
    "spread_plan",
    "total",
    "year_over_year",
]

__version__ = "0.1.0.dev0"
"""The version of capexmodel."""
