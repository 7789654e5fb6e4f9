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
    "Aggregate": "capexmodel._dataset",
    "BubbleRisk": "capexmodel._risk",
    "CalendarHalf": "capexmodel._period",
    "CalendarMonth": "capexmodel._period",
    "CalendarQuarter": "capexmodel._period",
    "CalendarYear": "capexmodel._period",
    "Calendarization": "capexmodel._calendarize",
    "CalendarizedPart": "capexmodel._calendarize",
    "ChipModel": "capexmodel._chips",
    "ChipPurchase": "capexmodel._chips",
    "Company": "capexmodel._company",
    "Conversion": "capexmodel._conversion",
    "ConversionSegment": "capexmodel._conversion",
    "Currency": "capexmodel._currency",
    "Dataset": "capexmodel._dataset",
    "DepreciationGap": "capexmodel._risk",
    "ExchangeRate": "capexmodel._conversion",
    "Fact": "capexmodel._facts",
    "FiscalCalendar": "capexmodel._fiscal",
    "Group": "capexmodel._dataset",
    "H100Equivalents": "capexmodel._chips",
    "Metric": "capexmodel._provenance",
    "MetricDefinition": "capexmodel._provenance",
    "Money": "capexmodel._money",
    "Period": "capexmodel._period",
    "Projection": "capexmodel._provenance",
    "Ranking": "capexmodel._dataset",
    "RankingRow": "capexmodel._dataset",
    "RateTable": "capexmodel._conversion",
    "RateUse": "capexmodel._conversion",
    "Region": "capexmodel._company",
    "Report": "capexmodel._report",
    "ReportRow": "capexmodel._report",
    "RevenueGap": "capexmodel._risk",
    "Signal": "capexmodel._risk",
    "Source": "capexmodel._provenance",
    "Statement": "capexmodel._dataset",
    "Status": "capexmodel._provenance",
    "bubble_risk": "capexmodel._risk",
    "build_report": "capexmodel._report",
    "cagr": "capexmodel._indicators",
    "calendarize": "capexmodel._calendarize",
    "capex_from_revenue": "capexmodel._projections",
    "capex_intensity": "capexmodel._indicators",
    "capex_to_depreciation": "capexmodel._indicators",
    "capex_to_net_income": "capexmodel._indicators",
    "capex_to_operating_cash_flow": "capexmodel._indicators",
    "chip": "capexmodel._chips",
    "combine_periods": "capexmodel._money",
    "depreciation_gap": "capexmodel._risk",
    "ecb_rates": "capexmodel._ecb",
    "fetch_companyfacts": "capexmodel._fetch",
    "format_money": "capexmodel._format",
    "format_percent": "capexmodel._format",
    "format_ratio": "capexmodel._format",
    "free_cash_flow": "capexmodel._indicators",
    "growth": "capexmodel._indicators",
    "h100_equivalents": "capexmodel._chips",
    "load_dataset": "capexmodel._loading",
    "merge_sources": "capexmodel._provenance",
    "parse_money": "capexmodel._format",
    "parse_number": "capexmodel._format",
    "ratio": "capexmodel._indicators",
    "read_companyfacts": "capexmodel._sec",
    "revenue_gap": "capexmodel._risk",
    "share": "capexmodel._indicators",
    "spread_plan": "capexmodel._projections",
    "total": "capexmodel._money",
    "year_over_year": "capexmodel._indicators",
}


# Read by type checkers and the docs, never at run time (importing `typing` to say so
# would double the cost of `import capexmodel`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from capexmodel._calendarize import Calendarization, CalendarizedPart, calendarize
    from capexmodel._chips import ChipModel, ChipPurchase, H100Equivalents, chip, h100_equivalents
    from capexmodel._company import Company, Region
    from capexmodel._conversion import Conversion, ConversionSegment, ExchangeRate, RateTable, RateUse
    from capexmodel._currency import Currency
    from capexmodel._dataset import Aggregate, Dataset, Group, Ranking, RankingRow, Statement
    from capexmodel._ecb import ecb_rates
    from capexmodel._facts import Fact
    from capexmodel._fetch import fetch_companyfacts
    from capexmodel._fiscal import FiscalCalendar
    from capexmodel._format import format_money, format_percent, format_ratio, parse_money, parse_number
    from capexmodel._indicators import (
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
    from capexmodel._loading import load_dataset
    from capexmodel._money import Money, combine_periods, total
    from capexmodel._period import CalendarHalf, CalendarMonth, CalendarQuarter, CalendarYear, Period
    from capexmodel._projections import capex_from_revenue, spread_plan
    from capexmodel._provenance import Metric, MetricDefinition, Projection, Source, Status, merge_sources
    from capexmodel._report import Report, ReportRow, build_report
    from capexmodel._risk import (
        BubbleRisk,
        DepreciationGap,
        RevenueGap,
        Signal,
        bubble_risk,
        depreciation_gap,
        revenue_gap,
    )
    from capexmodel._sec import read_companyfacts
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
