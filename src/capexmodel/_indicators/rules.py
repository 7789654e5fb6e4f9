"""The indicator rules, stated once: what each indicator reads, when it is undefined and why, and its formula.

The scalar functions (`capex_intensity`, `growth`, `bubble_risk`, ...) and the table
functions (`frames.ratios`, `frames.year_over_year`, `frames.bubble_signals`) are
both built from these rules, so a guard and its reason are written once. Guards and
formulas use a small vocabulary that works on `Decimal` values and on narwhals
expressions alike: a comparison with zero, and signed sums over a denominator.

Examples:
    >>> from decimal import Decimal
    >>> from capexmodel._indicators.rules import CAPEX_INTENSITY
    >>> guard = CAPEX_INTENSITY.failed({"capex": Decimal(5), "revenue": Decimal(0)})
    >>> guard.reason("revenue")
    'revenue is not positive'
    >>> CAPEX_INTENSITY.value({"capex": Decimal(5), "revenue": Decimal(20)})
    Decimal('0.25')
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, TypeVar, overload

import attrs

from capexmodel._errors import UndefinedIndicatorError
from capexmodel._model.money import _add, _divide, _multiply, _subtract

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import narwhals as nw

    from capexmodel._model.money import Money

__all__ = [
    "CAPEX_INTENSITY",
    "CAPEX_RATIOS",
    "FREE_CASH_FLOW",
    "GROWTH",
    "SIGNALS",
    "Guard",
    "Input",
    "Rule",
    "Term",
    "combine",
]

Test = Literal["negative", "not positive"]
_T = TypeVar("_T")


@attrs.frozen
class Input:
    """One input of a rule."""

    role: str
    """Its name in the rule and the scalar function's argument (``operating_cash_flow``, ``previous``)."""

    metric: str
    """The metric it is in a table (``depreciation_and_amortization``)."""

    label: str
    """It in words, as a table's reasons name it (``depreciation``, ``the amount``)."""

    previous: bool = False
    """Whether it is the amount over the same months a year earlier."""

    @property
    def words(self) -> str:
        """The input in words, a year earlier if it is (``capex a year earlier``)."""
        return f"{self.label} a year earlier" if self.previous else self.label


@attrs.frozen
class Guard:
    """A condition on one input under which the indicator is undefined."""

    role: str
    """The input tested."""

    test: Test
    """``negative`` (below zero) or ``not positive`` (zero or below)."""

    why: str = ""
    """What the reason adds to the test, if anything."""

    hint: str = ""
    """What a scalar function's error adds: how to fix the input."""

    fires: bool | None = True
    """Whether a bubble signal fires when this guard fails and there is capex; None: the signal is unknown."""

    @overload
    def fails(self, value: Decimal, zero: Decimal) -> bool: ...
    @overload
    def fails(self, value: nw.Expr, zero: nw.Expr) -> nw.Expr: ...
    def fails(self, value: Decimal | nw.Expr, zero: Decimal | nw.Expr) -> bool | nw.Expr:
        """Whether `value` fails the guard: a Decimal, or a narwhals expression with its engine's zero."""
        return value < zero if self.test == "negative" else value <= zero

    def reason(self, subject: str) -> str:
        """Why the indicator is undefined, naming the input `subject` (``revenue is not positive``)."""
        text = f"{subject} is {self.test}"
        return f"{text}; {self.why}" if self.why else text


@attrs.frozen
class Term:
    """``(Σ added − Σ taken) / denominator − offset``; without a denominator, ``Σ added − Σ taken``."""

    added: tuple[str, ...]
    """The inputs added up (at least one)."""

    taken: tuple[str, ...] = ()
    """The inputs taken off."""

    denominator: str | None = None
    """The input divided by, always guarded to be positive."""

    offset: int = 0
    """What is taken off the quotient (1 for a growth)."""


def combine(
    added: Sequence[_T], taken: Sequence[_T], add: Callable[[_T, _T], _T], subtract: Callable[[_T, _T], _T]
) -> _T:
    """``Σ added − Σ taken`` with the given operations (exact ones for Decimals, narwhals' for expressions)."""
    return functools.reduce(subtract, taken, functools.reduce(add, added[1:], added[0]))


@attrs.frozen
class Rule:
    """An indicator: its inputs, its guards in the order they are checked, and its formula."""

    name: str
    """The indicator's name, as a table's columns and a bubble signal call it."""

    meaning: str
    """The indicator in words, as error messages name it."""

    inputs: tuple[Input, ...]
    """What it reads; the first is the one other inputs' currencies are compared with."""

    guards: tuple[Guard, ...]
    """When it is undefined, checked in this order."""

    terms: tuple[Term, ...]
    """The formula: the sum of these terms ..."""

    less: tuple[Term, ...] = ()
    """... less the sum of these."""

    def failed(self, amounts: Mapping[str, Decimal]) -> Guard | None:
        """The first guard that `amounts` (by role) fail, or None when the indicator is defined."""
        return next((guard for guard in self.guards if guard.fails(amounts[guard.role], Decimal(0))), None)

    def message(self, guard: Guard, value: Money) -> str:
        """What a scalar function says when `guard` fails on `value`."""
        hint = f" ({guard.hint})" if guard.hint else ""
        reason = guard.reason(guard.role)
        return f"{self.meaning} is undefined when {reason}, got {guard.role}={value._brief()}{hint}"

    def check(self, values: Mapping[str, Money]) -> dict[str, Decimal]:
        """The amounts of `values` (by role); `UndefinedIndicatorError` with the reason if a guard fails."""
        amounts = {role: money.amount for role, money in values.items()}
        guard = self.failed(amounts)
        if guard is not None:
            raise UndefinedIndicatorError(self.message(guard, values[guard.role]))
        return amounts

    def value(self, amounts: Mapping[str, Decimal]) -> Decimal:
        """The formula over `amounts` (by role), which pass the guards.

        Sums and differences are exact; each quotient is exact when it terminates and
        otherwise rounded once, to 28 significant digits (a growth is computed as
        ``(current − previous) / previous``, so that it too rounds once).
        """

        def term_value(term: Term) -> Decimal:
            top = combine(
                [amounts[role] for role in term.added], [amounts[role] for role in term.taken], _add, _subtract
            )
            if term.denominator is None:
                return top
            bottom = amounts[term.denominator]
            return _divide(_subtract(top, _multiply(term.offset, bottom)) if term.offset else top, bottom)

        return combine(
            [term_value(term) for term in self.terms], [term_value(term) for term in self.less], _add, _subtract
        )


_CAPEX = Input("capex", "capex", "capex")
_REVENUE = Input("revenue", "revenue", "revenue")
_OPERATING_CASH_FLOW = Input("operating_cash_flow", "operating_cash_flow", "operating cash flow")
_NEGATIVE_CAPEX = Guard(
    "capex",
    "negative",
    why="capex is a positive outflow",
    hint="sources that report capex as a negative cash flow need negating",
    fires=None,
)


def _capex_over(name: str, meaning: str, other: Input) -> Rule:
    """``capex / other``: capex not negative, `other` positive (or the bubble signal fires)."""
    guards = (_NEGATIVE_CAPEX, Guard(other.role, "not positive"))
    return Rule(name, meaning, (_CAPEX, other), guards, (Term(("capex",), denominator=other.role),))


CAPEX_INTENSITY = _capex_over("capex_intensity", "capex intensity", _REVENUE)
"""``capex / revenue``."""

CAPEX_RATIOS = {
    rule.name: rule
    for rule in (
        CAPEX_INTENSITY,
        _capex_over("capex_to_operating_cash_flow", "capex to operating cash flow", _OPERATING_CASH_FLOW),
        _capex_over("capex_to_net_income", "capex to net income", Input("net_income", "net_income", "net income")),
        _capex_over(
            "capex_to_depreciation",
            "capex to depreciation",
            Input("depreciation", "depreciation_and_amortization", "depreciation"),
        ),
    )
}
"""Capex over revenue, operating cash flow, net income and depreciation, by name."""

FREE_CASH_FLOW = Rule(
    "free_cash_flow",
    "free cash flow",
    (_CAPEX, _OPERATING_CASH_FLOW),
    (_NEGATIVE_CAPEX,),
    (Term(("operating_cash_flow",), ("capex",)),),
)
"""``operating cash flow - capex``: defined whenever capex is not negative."""

GROWTH = Rule(
    "growth",
    "growth",
    (Input("current", "amount", "the amount"), Input("previous", "amount", "the amount", previous=True)),
    (Guard("previous", "not positive"),),
    (Term(("current",), denominator="previous", offset=1),),
)
"""``current / previous - 1``, from a positive base."""


def _growth(metric: Input) -> Term:
    return Term((metric.role,), denominator=f"previous_{metric.role}", offset=1)


def _previous(metric: Input) -> Input:
    return attrs.evolve(metric, role=f"previous_{metric.role}", previous=True)


SIGNALS = {
    rule.name: rule
    for rule in (
        CAPEX_RATIOS["capex_to_operating_cash_flow"],
        CAPEX_RATIOS["capex_to_net_income"],
        CAPEX_RATIOS["capex_to_depreciation"],
        CAPEX_INTENSITY,
        Rule(
            "capex_growth_minus_revenue_growth",
            "capex growth minus revenue growth",
            (_CAPEX, _previous(_CAPEX), _REVENUE, _previous(_REVENUE)),
            # Capex growing from nothing is the worst case; revenue growing from nothing has no meaning.
            (Guard("previous_capex", "not positive"), Guard("previous_revenue", "not positive", fires=None)),
            (_growth(_CAPEX),),
            (_growth(_REVENUE),),
        ),
        Rule(
            "free_cash_flow_margin",
            "free cash flow margin",
            (_CAPEX, _OPERATING_CASH_FLOW, _REVENUE),
            (_NEGATIVE_CAPEX, Guard("revenue", "not positive")),
            (Term(("operating_cash_flow",), ("capex",), "revenue"),),
        ),
    )
}
"""The bubble-risk signals' indicators, by signal name, in the order `bubble_risk` gives them."""
