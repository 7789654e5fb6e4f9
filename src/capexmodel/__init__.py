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
- Errors: everything a user can get wrong raises a `CapexModelError`.

Examples:
    >>> import capexmodel as cm
    >>> y24 = cm.CalendarYear(2024)
    >>> cm.total([cm.Money("777", "USD", y24), cm.Money("756", "USD", y24)])
    Money('1533', 'USD', Period.parse('2024'))
"""

from capexmodel._company import Company, Region
from capexmodel._currency import Currency
from capexmodel._errors import (
    CapexModelError,
    CurrencyMismatchError,
    DataFileError,
    DivisionByZeroError,
    InvalidAmountError,
    InvalidPeriodError,
    InvalidValueError,
    MissingRateError,
    PeriodMismatchError,
    UndefinedIndicatorError,
    UnknownCurrencyError,
)
from capexmodel._fiscal import FiscalCalendar
from capexmodel._money import Money, combine_periods, total
from capexmodel._period import CalendarHalf, CalendarMonth, CalendarQuarter, CalendarYear, Period

__all__ = [
    "CalendarHalf",
    "CalendarMonth",
    "CalendarQuarter",
    "CalendarYear",
    "CapexModelError",
    "Company",
    "Currency",
    "CurrencyMismatchError",
    "DataFileError",
    "DivisionByZeroError",
    "FiscalCalendar",
    "InvalidAmountError",
    "InvalidPeriodError",
    "InvalidValueError",
    "MissingRateError",
    "Money",
    "Period",
    "PeriodMismatchError",
    "Region",
    "UndefinedIndicatorError",
    "UnknownCurrencyError",
    "__version__",
    "combine_periods",
    "total",
]

__version__ = "0.1.0.dev0"
"""The version of capexmodel."""

