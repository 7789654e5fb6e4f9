"""Indicators: ratios, cash coverage and growth, as pure functions of `Money`.

Sign convention: capex is a positive outflow throughout. Many data sources (cash-flow
statements, data vendors) report it as a negative number; negate those amounts
before use. A negative capex is refused rather than silently flipped.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from capexmodel._context import QUOTIENT
from capexmodel._errors import (
    CurrencyMismatchError,
    InvalidValueError,
    PeriodMismatchError,
    UndefinedIndicatorError,
    show,
)
from capexmodel._indicators.rules import CAPEX_RATIOS, FREE_CASH_FLOW, GROWTH, Rule
from capexmodel._lazy import public
from capexmodel._model.money import Money, _divide

if TYPE_CHECKING:
    from collections.abc import Iterable

    from capexmodel._model.facts import Fact
    from capexmodel._model.period import Period

__all__ = [
    "cagr",
    "capex_intensity",
    "capex_to_depreciation",
    "capex_to_net_income",
    "capex_to_operating_cash_flow",
    "free_cash_flow",
    "growth",
    "ratio",
    "share",
    "year_over_year",
]

#: Digits beyond `QUOTIENT`'s that `cagr` computes its root with, before rounding once.
_SPARE_DIGITS = 10


def _check_money(value: object, name: str) -> Money:
    if not isinstance(value, Money):
        msg = f"{name} must be a capexmodel.Money, got {show(value)}"
        raise InvalidValueError(msg)
    return value


def _check_pair(a: object, a_name: str, b: object, b_name: str) -> tuple[Money, Money]:
    """Two amounts in one currency over one period, as every ratio needs."""
    first, second = _check_money(a, a_name), _check_money(b, b_name)
    if first.currency != second.currency:
        msg = f"{a_name} is in {first.currency} and {b_name} in {second.currency}: convert one first"
        raise CurrencyMismatchError(msg)
    if first.period != second.period:
        msg = f"{a_name} is over {first.period} and {b_name} over {second.period}: a ratio needs one period"
        raise PeriodMismatchError(msg)
    return first, second


def _quotient(numerator: Money, denominator: Money) -> Decimal:
    return _divide(numerator.amount, denominator.amount)


def _positive(value: Money, name: str, meaning: str) -> None:
    if value.amount <= 0:
        msg = f"{meaning} is undefined when {name} is not positive, got {name}={value._brief()}"
        raise UndefinedIndicatorError(msg)


def _capex_over(rule: Rule, capex: Money, other: Money) -> Decimal:
    """The rule's ``capex / other``, for two amounts in one currency over one period."""
    role = rule.inputs[1].role
    capex, other = _check_pair(capex, "capex", other, role)
    return rule.value(rule.check({"capex": capex, role: other}))


@public
def ratio(a: Money, b: Money) -> Decimal:
    """``a / b`` for two amounts in one currency over one period.

    Signs are kept as they are: the caller knows what a negative ratio means.

    Args:
        a: The numerator.
        b: The denominator, in the same currency over the same period.

    Returns:
        The exact quotient, or rounded once to 28 significant digits if it does not terminate.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `b` is zero (a ratio is never infinite).

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> round(cm.ratio(cm.Money("2580", "USD", y24), cm.Money("446", "USD", y24)), 2)
        Decimal('5.78')
    """
    a, b = _check_pair(a, "a", b, "b")
    if not b.amount:
        msg = f"a ratio is undefined when its denominator is zero, got b={b._brief()}"
        raise UndefinedIndicatorError(msg)
    return _quotient(a, b)


@public
def share(part: Money, whole: Money) -> Decimal:
    """``part / whole``: the share of a positive whole that `part` makes up.

    Args:
        part: The part.
        whole: The whole, in the same currency over the same period.

    Returns:
        The share, exact or rounded once to 28 significant digits.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `whole` is zero or negative.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> round(cm.share(cm.Money("777", "USD", y24), cm.Money("2580", "USD", y24)), 3)
        Decimal('0.301')
    """
    part, whole = _check_pair(part, "part", whole, "whole")
    _positive(whole, "whole", "a share")
    return _quotient(part, whole)


@public
def capex_intensity(capex: Money, revenue: Money) -> Decimal:
    """Capex intensity: ``capex / revenue``, the share of sales reinvested in assets.

    Capex is a positive outflow: a negative one is refused, not flipped.

    Args:
        capex: Capital expenditure, a positive outflow.
        revenue: Revenue, in the same currency over the same period.

    Returns:
        The ratio, exact or rounded once to 28 significant digits.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `capex` is negative, or `revenue` is not positive.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> round(cm.capex_intensity(cm.Money("82999", "USD", y24), cm.Money("637959", "USD", y24)), 3)
        Decimal('0.130')
    """
    return _capex_over(CAPEX_RATIOS["capex_intensity"], capex, revenue)


@public
def capex_to_operating_cash_flow(capex: Money, operating_cash_flow: Money) -> Decimal:
    """``capex / operating cash flow``: how much of the cash the business makes goes back into assets.

    Above 1, capex needs outside money. When a business burns cash the ratio means
    nothing, so it is refused.

    Args:
        capex: Capital expenditure, a positive outflow.
        operating_cash_flow: Operating cash flow, in the same currency over the same period.

    Returns:
        The ratio, exact or rounded once to 28 significant digits.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `capex` is negative, or `operating_cash_flow` is not positive.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> ocf = cm.Money("115877", "USD", y24)
        >>> round(cm.capex_to_operating_cash_flow(cm.Money("82999", "USD", y24), ocf), 2)
        Decimal('0.72')
    """
    return _capex_over(CAPEX_RATIOS["capex_to_operating_cash_flow"], capex, operating_cash_flow)


@public
def capex_to_net_income(capex: Money, net_income: Money) -> Decimal:
    """``capex / net income``: capex measured in years of profit.

    A loss makes the ratio meaningless, not negative, so it is refused.

    Args:
        capex: Capital expenditure, a positive outflow.
        net_income: Net income, in the same currency over the same period.

    Returns:
        The ratio, exact or rounded once to 28 significant digits.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `capex` is negative, or `net_income` is not positive.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> round(cm.capex_to_net_income(cm.Money("37256", "USD", y24), cm.Money("62360", "USD", y24)), 2)
        Decimal('0.60')
    """
    return _capex_over(CAPEX_RATIOS["capex_to_net_income"], capex, net_income)


@public
def capex_to_depreciation(capex: Money, depreciation: Money) -> Decimal:
    """``capex / depreciation and amortization``: how fast the asset base grows.

    Above 1, assets are added faster than they wear out.

    Args:
        capex: Capital expenditure, a positive outflow.
        depreciation: Depreciation and amortization, in the same currency over the same period.

    Returns:
        The ratio, exact or rounded once to 28 significant digits.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `capex` is negative, or `depreciation` is not positive.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> round(cm.capex_to_depreciation(cm.Money("82999", "USD", y24), cm.Money("52795", "USD", y24)), 2)
        Decimal('1.57')
    """
    return _capex_over(CAPEX_RATIOS["capex_to_depreciation"], capex, depreciation)


@public
def free_cash_flow(operating_cash_flow: Money, capex: Money) -> Money:
    """Free cash flow: ``operating cash flow − capex``, exactly (it may be negative).

    Args:
        operating_cash_flow: Operating cash flow.
        capex: Capital expenditure, a positive outflow, in the same currency over the same period.

    Returns:
        Free cash flow, in the same currency over the same period.

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The two amounts are over different periods.
        UndefinedIndicatorError: `capex` is negative.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.free_cash_flow(cm.Money("115877", "USD", y24), cm.Money("82999", "USD", y24))
        Money('32878', 'USD', Period.parse('2024'))
    """
    ocf, capex = _check_pair(operating_cash_flow, "operating_cash_flow", capex, "capex")
    FREE_CASH_FLOW.check({"operating_cash_flow": ocf, "capex": capex})
    return ocf - capex


def _check_sequence(earlier: Money, earlier_name: str, later: Money, later_name: str) -> tuple[Money, Money]:
    earlier, later = _check_money(earlier, earlier_name), _check_money(later, later_name)
    if earlier.currency != later.currency:
        msg = f"{earlier_name} is in {earlier.currency} and {later_name} in {later.currency}: convert one first"
        raise CurrencyMismatchError(msg)
    if earlier.period.month_count != later.period.month_count:
        msg = f"growth compares periods of equal length, got {earlier.period} and {later.period}"
        raise PeriodMismatchError(msg)
    if not earlier.period.end < later.period.start:
        msg = f"{earlier_name} must come before {later_name}, got {earlier.period} and {later.period}"
        raise PeriodMismatchError(msg)
    return earlier, later


@public
def growth(current: Money, previous: Money) -> Decimal:
    """Growth: ``current / previous − 1``, for periods of equal length, `previous` first.

    Growth from a loss or from nothing has no meaning, so it is refused. Year over
    year is growth against the same period a year earlier (`year_over_year`).

    Args:
        current: The later amount.
        previous: The earlier amount, in the same currency over a period of the same length.

    Returns:
        The growth, exact or rounded once to 28 significant digits (0.5 is 50%).

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The periods differ in length, or `previous` does not come before `current`.
        UndefinedIndicatorError: `previous` is zero or negative.

    Examples:
        >>> import capexmodel as cm
        >>> cm.growth(cm.Money("1600", "CNY", cm.CalendarYear(2025)), cm.Money("800", "CNY", cm.CalendarYear(2024)))
        Decimal('1')
    """
    previous, current = _check_sequence(previous, "previous", current, "current")
    return GROWTH.value(GROWTH.check({"current": current, "previous": previous}))


@public
def cagr(first: Money, last: Money) -> Decimal:
    """Compound annual growth rate: ``(last / first) ** (1 / years) − 1``.

    `years` is the time between the starts of the two periods, in months over 12
    (from calendar 2021 to calendar 2024: 3). Over exactly one year it equals
    `growth`. The root is taken with ten digits to spare and rounded once, to 28 significant
    digits, half to even, whatever the caller's decimal context.

    Args:
        first: The earliest amount.
        last: The latest amount, in the same currency over a period of the same length.

    Returns:
        The rate per year, rounded once to 28 significant digits (0.1 is 10% a year).

    Raises:
        InvalidValueError: An argument is not a `Money`.
        CurrencyMismatchError: The two amounts are in different currencies.
        PeriodMismatchError: The periods differ in length, or `first` does not come before `last`.
        UndefinedIndicatorError: `first` is zero or negative, or `last` is negative.

    Examples:
        >>> import capexmodel as cm
        >>> first, last = cm.Money("100", "USD", cm.CalendarYear(2021)), cm.Money("133.1", "USD", cm.CalendarYear(2024))
        >>> round(cm.cagr(first, last), 6)
        Decimal('0.100000')
    """
    first, last = _check_sequence(first, "first", last, "last")
    _positive(first, "first", "a compound growth rate")
    if last.amount < 0:
        msg = f"a compound growth rate is undefined when last is negative, got last={last._brief()}"
        raise UndefinedIndicatorError(msg)
    months = last.period._first - first.period._first
    if months == 12:  # noqa: PLR2004 -- one year: no root to take
        return growth(last, first)
    wide = QUOTIENT.copy()
    wide.prec += _SPARE_DIGITS
    root = wide.power(wide.divide(last.amount, first.amount), wide.divide(Decimal(12), Decimal(months)))
    return QUOTIENT.plus(wide.subtract(root, 1))


@public
def year_over_year(amounts: Iterable[Money | Fact]) -> dict[Period, Decimal]:
    """Growth of each amount against the one over the same months a year earlier.

    For quarters this is quarter year over year (Q4 2024 against Q4 2023); for years,
    year over year. Amounts may be `Money` or `Fact` (facts about one company and one
    metric); amounts without a match a year earlier are left out; periods must be
    twelve months or shorter. The keys are the later periods, in order.

    Args:
        amounts: The amounts, as `Money` or as facts of one company, metric, basis and market.

    Returns:
        The growth of each amount that has a match a year earlier, by its period, in order.

    Raises:
        InvalidValueError: `amounts` is not an iterable of `Money` or `Fact`, holds facts
            of several series, or two amounts over one period.
        CurrencyMismatchError: An amount and the one a year earlier are in different currencies.
        PeriodMismatchError: A period is longer than twelve months.
        UndefinedIndicatorError: An amount a year earlier is zero or negative.

    Examples:
        >>> import capexmodel as cm
        >>> series = [cm.Money(a, "CNY", cm.CalendarQuarter(y, 4)) for y, a in [(2023, "100"), (2024, "150")]]
        >>> cm.year_over_year(series)
        {Period.parse('2024-Q4'): Decimal('0.5')}
    """
    values = _values(amounts)
    by_span: dict[tuple[int, int], Money] = {}
    for money in values:
        if money.period.month_count > 12:  # noqa: PLR2004 -- a year a year earlier
            msg = f"year_over_year() compares periods of twelve months or fewer, got {money.period}"
            raise PeriodMismatchError(msg)
        if by_span.setdefault((money.period._first, money.period._last), money) is not money:
            msg = f"year_over_year() needs one amount per period, got two over {money.period}"
            raise InvalidValueError(msg)
    result: dict[Period, Decimal] = {}
    for money in sorted(values, key=lambda item: item.period.start):
        previous = by_span.get((money.period._first - 12, money.period._last - 12))
        if previous is not None:
            result[money.period] = growth(money, previous)
    return result


def _values(amounts: Iterable[Money | Fact]) -> list[Money]:
    from capexmodel._model.facts import Fact  # noqa: PLC0415 -- facts load the model's heavier parts

    try:
        items = list(amounts)
    except TypeError:
        msg = f"expected an iterable of Money or Fact, got {show(amounts)}"
        raise InvalidValueError(msg) from None
    facts = [item for item in items if isinstance(item, Fact)]
    series = {(fact.company.id, fact.metric, fact.basis, fact.market) for fact in facts}
    if len(series) > 1:
        shown = "; ".join(sorted(f"{company} {metric}" for company, metric, _, _ in series))
        msg = f"year_over_year() takes one series (one company, one metric, one basis), got {shown}"
        raise InvalidValueError(msg)
    values = [item.value if isinstance(item, Fact) else item for item in items]
    for value in values:
        _check_money(value, "every amount")
    return values
