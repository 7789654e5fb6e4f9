"""Projections that follow stated rules: a plan spread evenly, capex as a share of grown revenue."""

from __future__ import annotations

import decimal
import itertools
from decimal import Decimal
from typing import TYPE_CHECKING

from capexmodel._context import EXACT
from capexmodel._errors import InvalidValueError, PeriodMismatchError, UndefinedIndicatorError, show
from capexmodel._lazy import public
from capexmodel._model.facts import Fact
from capexmodel._model.money import _bounded, _divide, _intern_period, _money, _multiply, _to_decimal
from capexmodel._model.period import Period
from capexmodel._model.provenance import Metric, Projection, Status

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["capex_from_revenue", "spread_plan"]

_ONE = Decimal(1)


def _check_fact(value: object, name: str) -> Fact:
    if not isinstance(value, Fact):
        msg = f"{name} must be a capexmodel.Fact, got {show(value)}"
        raise InvalidValueError(msg)
    return value


@public
def spread_plan(plan: Fact, periods: Sequence[Period]) -> tuple[Fact, ...]:
    """Spread a multi-year plan evenly: each period gets ``plan × its months / the plan's months``.

    The periods must tile the plan's period, in order. Every result is an estimate
    carrying its rule. Alibaba's 3800亿元 over three years is 1266.67亿元 a year.
    When a share does not terminate, it is rounded to 28 significant digits and the
    last period takes the remainder, so the parts add up to the plan exactly, whatever
    the caller's decimal context.

    Args:
        plan: The plan, a fact over the whole span.
        periods: The periods to spread it over, in order, tiling the plan's period.

    Returns:
        One estimate per period, each derived from `plan` by a `Projection` ("spread").

    Raises:
        InvalidValueError: `plan` is not a `Fact`, or `periods` is not one or more `Period`.
        PeriodMismatchError: The periods do not tile the plan's period in order.
        InvalidAmountError: A result reaches 1e1000.

    Examples:
        >>> import capexmodel as cm
        >>> alibaba = cm.Company(id="alibaba", name_en="Alibaba", name_zh="阿里巴巴", region="CN", currency="CNY")
        >>> three_years = cm.Period.parse("2025-01/2027-12")
        >>> plan = cm.Fact(alibaba, "capex", cm.Money("380000000000", "CNY", three_years), status="guidance")
        >>> first, *_ = cm.spread_plan(plan, [cm.CalendarYear(year) for year in (2025, 2026, 2027)])
        >>> round(first.value, -6).amount, first.status, first.derivation.method
        (Decimal('1.26667E+11'), <Status.ESTIMATE: 'estimate'>, 'spread')
    """
    plan = _check_fact(plan, "plan")
    try:
        parts = list(periods)
    except TypeError:
        msg = f"spread_plan() takes a sequence of Period, got {show(periods)}"
        raise InvalidValueError(msg) from None
    if not parts or not all(isinstance(part, Period) for part in parts):
        msg = f"spread_plan() takes one or more Period values, got {show(periods)}"
        raise InvalidValueError(msg)
    whole = plan.value.period
    contiguous = all(a.is_adjacent_to(b) and a.end < b.start for a, b in itertools.pairwise(parts))
    if not contiguous or parts[0].start != whole.start or parts[-1].end != whole.end:
        shown = ", ".join(map(str, parts))
        msg = f"the periods must tile the plan's {whole} in order, got {shown}"
        raise PeriodMismatchError(msg)
    amounts = [_divide(_multiply(plan.value.amount, Decimal(p.month_count)), Decimal(whole.month_count)) for p in parts]
    with decimal.localcontext(EXACT):  # the parts add up to the plan exactly
        amounts[-1] = plan.value.amount - sum(amounts[:-1], Decimal(0))
    results = []
    for part, amount in zip(parts, amounts, strict=True):
        rule = f"{plan.value} spread evenly: {part.month_count} of its {whole.month_count} months"
        results.append(_projected(plan, plan.metric, amount, part, Projection("spread", rule)))
    return tuple(results)


@public
def capex_from_revenue(
    revenue: Fact, *, period: Period, revenue_growth: Decimal | str | int, capex_to_revenue: Decimal | str | int
) -> Fact:
    """Project capex as a share of grown revenue: ``revenue × (1 + growth) × rate`` over `period`.

    `period` has the revenue's length and directly follows it (one step of growth).
    The result is an estimate carrying its rule. Tencent, in the article: capex at
    12% of revenue, revenue growing 10%.

    Args:
        revenue: The revenue fact to grow.
        period: The period to project capex over: as long as the revenue's, right after it.
        revenue_growth: The growth of revenue over one period (``"0.10"`` for 10%), above −1.
        capex_to_revenue: Capex as a share of the grown revenue (``"0.12"`` for 12%), zero or more.

    Returns:
        The projected capex, an estimate derived from `revenue` by a `Projection`
        ("share-of-revenue").

    Raises:
        InvalidValueError: `revenue` is not a revenue `Fact`, or `period` not a `Period`.
        PeriodMismatchError: `period` does not directly follow the revenue's, or differs in length.
        InvalidAmountError: `revenue_growth` or `capex_to_revenue` is not an exact number,
            or the result reaches 1e1000.
        UndefinedIndicatorError: `revenue_growth` is −1 or less, or `capex_to_revenue` is negative.

    Examples:
        >>> import capexmodel as cm
        >>> tencent = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
        >>> revenue = cm.Fact(tencent, "revenue", cm.Money("660257000000", "CNY", cm.CalendarYear(2024)))
        >>> capex = cm.capex_from_revenue(revenue, period=cm.CalendarYear(2025), revenue_growth="0.10",
        ...                               capex_to_revenue="0.12")
        >>> capex.metric, capex.value.amount, capex.status
        (Metric('capex'), Decimal('87153924000.0000'), <Status.ESTIMATE: 'estimate'>)
    """
    revenue = _check_fact(revenue, "revenue")
    if not isinstance(period, Period):
        msg = f"period must be a capexmodel.Period, got {show(period)}"
        raise InvalidValueError(msg)
    if revenue.metric != Metric.REVENUE:
        msg = f"revenue must be a revenue fact, got a {revenue.metric} fact"
        raise InvalidValueError(msg)
    base = revenue.value.period
    if period.month_count != base.month_count or period._first != base._last + 1:
        msg = f"the projected period must directly follow the revenue's and be as long, got {base} then {period}"
        raise PeriodMismatchError(msg)
    growth, rate = _to_decimal(revenue_growth, "revenue_growth"), _to_decimal(capex_to_revenue, "capex_to_revenue")
    if growth <= -1 or rate < 0:
        msg = f"revenue_growth must be above -1 and capex_to_revenue zero or more, got {growth} and {rate}"
        raise UndefinedIndicatorError(msg)
    amount = _multiply(_multiply(revenue.value.amount, EXACT.add(_ONE, growth)), rate)
    shown_rate, shown_growth = EXACT.to_sci_string(rate), EXACT.to_sci_string(growth)
    rule = f"{shown_rate} of revenue, with revenue growing {shown_growth} from {revenue.value}"
    return _projected(revenue, Metric.CAPEX, amount, period, Projection("share-of-revenue", rule), basis="")


def _projected(
    source: Fact, metric: Metric, amount: Decimal, period: Period, projection: Projection, *, basis: str | None = None
) -> Fact:
    amount = _bounded(amount, lambda: f"the {metric} projected over {period} ({projection.rule})")
    value = _money(amount, source.value.currency, _intern_period(period))
    kept_basis = source.basis if basis is None else basis
    return Fact(
        source.company,
        metric,
        value,
        kept_basis,
        Status.ESTIMATE,
        source.sources,
        derivation=projection,
        inputs=(source,),
    )
