"""The calls of DESIGN.md's contract, as written there (the rest join as they land)."""

import datetime as dt
from decimal import Decimal

import capexmodel as cm


def test_the_contract_as_written():
    y24 = cm.CalendarYear(2024)
    capex = cm.Money("777", "USD", y24)  # amount, currency, period
    fiscal_2025 = cm.FiscalCalendar(year_end_month=6).year(2025)  # Period Jul 2024 - Jun 2025
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", y24)])
    usd = rates.convert(cm.Money("80000000000", "CNY", y24), "USD")
    combined = cm.total([capex, cm.Money("756", "USD", y24)])  # Money("1533", "USD", y24)

    assert (capex.amount, capex.currency, capex.period) == (Decimal(777), "USD", y24)
    assert (fiscal_2025.start, fiscal_2025.end) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert combined == cm.Money("1533", "USD", y24)
    assert (usd.currency, usd.period) == ("USD", y24)
    assert f"{usd.amount:,.2f}" == "11,065,006,915.63"
    assert str(usd.amount).startswith("11065006915.62")


def test_every_contract_error_derives_from_the_base_and_a_builtin():
    builtins = {
        cm.CurrencyMismatchError: ValueError,
        cm.PeriodMismatchError: ValueError,
        cm.UnknownCurrencyError: ValueError,
        cm.InvalidAmountError: ValueError,
        cm.MissingRateError: LookupError,
        cm.UndefinedIndicatorError: ArithmeticError,
        cm.DataFileError: ValueError,
    }
    for error, builtin in builtins.items():
        assert issubclass(error, cm.CapexModelError)
        assert issubclass(error, builtin)
