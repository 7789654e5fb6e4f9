"""Every public constructor says what it accepts.

A parameter that goes through an attrs converter takes the converter's parameter type
in the generated ``__init__`` (and in the reference's signatures, and for type
checkers through attrs' mypy plugin); a converter typed ``object`` would show
``Money(amount: object, ...)``. No public class's constructor has a parameter typed
``object`` or ``Any``, except those that keep whatever value they are given (an
error's record of what was asked for).
"""

from __future__ import annotations

import ast
import enum
import inspect
from decimal import Decimal

import pytest

import capexmodel as cm
from capexmodel import frames

#: (class, parameter) pairs that really take any value: an error keeps the value the
#: caller asked for, whatever it was, to say what was wrong with it.
ANYTHING = frozenset(
    {
        ("FactNotFoundError", "period"),
        ("UnknownCompanyError", "name"),
        ("UnknownNameError", "name"),
    }
)

_LOOSE = frozenset({"object", "Any"})


def _classes() -> dict[str, type]:
    names = {name: getattr(cm, name) for name in cm.__all__}
    names |= {name: getattr(frames, name) for name in frames.__all__}
    return {name: value for name, value in names.items() if inspect.isclass(value)}


def _parameters(cls: type) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(cls)
    except ValueError:  # a builtin exception's constructor: nothing of capexmodel's
        return []
    return list(signature.parameters.values())


def _loose_names(annotation: object) -> set[str]:
    """The names ``object`` and ``Any`` where they appear in `annotation` (``typing.Any`` too)."""
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    names = set()
    for node in ast.walk(ast.parse(text, mode="eval")):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
    return names & _LOOSE


def _loose_parameters() -> set[tuple[str, str]]:
    return {
        (name, parameter.name)
        for name, cls in _classes().items()
        for parameter in _parameters(cls)
        if parameter.annotation is not inspect.Parameter.empty and _loose_names(parameter.annotation)
    }


def test_no_public_constructor_takes_object_or_any_unless_it_keeps_anything():
    assert _loose_parameters() - ANYTHING == set()


def test_the_parameters_that_take_anything_still_do():
    # A stale entry would hide nothing, but would say something false about the API.
    assert ANYTHING.issubset(_loose_parameters())


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (cm.Money, {"amount": "Decimal | int | str", "currency": "Currency | str", "period": "Period"}),
        (cm.Fact, {"metric": "Metric | str"}),
        (cm.Currency, {"code": "Currency | str"}),
        (cm.Metric, {"name": "Metric | str"}),
        (cm.Region, {"code": "str"}),
        (cm.ExchangeRate, {"base": "Currency | str", "quote": "Currency | str", "rate": "Decimal | int | str"}),
        (cm.Company, {"currency": "Currency | str", "tickers": "tuple[str, ...] | list[str]"}),
        (cm.ChipModel, {"bf16_tflops": "Decimal | int | str | None", "power_watts": "Decimal | int | str | None"}),
        (cm.H100Equivalents, {"factors": "Mapping[str, Fraction]"}),
        (cm.Signal, {"threshold": "Decimal | int | str", "companies": "tuple[str, ...] | list[str]"}),
        (cm.BubbleRisk, {"signals": "tuple[Signal, ...] | list[Signal]"}),
    ],
)
def test_converted_parameters_show_the_types_their_converters_accept(cls, expected):
    annotations = {parameter.name: parameter.annotation for parameter in _parameters(cls)}
    shown = {name: annotations.get(name) for name in expected}
    assert shown == expected


def test_the_types_shown_are_accepted():
    # What the signature of Money promises, the constructor takes, and converts.
    period = cm.CalendarYear(2024)
    amounts = [
        cm.Money(value, currency, period) for value in (Decimal(5), 5, "5") for currency in ("usd", cm.Currency("USD"))
    ]
    assert {(money.amount, money.currency) for money in amounts} == {(Decimal(5), cm.Currency("USD"))}
    assert cm.Metric(cm.Metric("capex")) == cm.Metric.CAPEX
    assert cm.Company(id="x", name_en="X", name_zh="X", region="us", currency="usd", tickers=["X"]).tickers == ("X",)


def test_every_public_constructor_parameter_is_annotated():
    # An unannotated converter (a lambda, say) leaves its parameter bare: the checks above would not see it.
    # An enum's "constructor" is the enum machinery's own call, not the library's.
    bare = {
        (name, parameter.name)
        for name, cls in _classes().items()
        if not issubclass(cls, enum.Enum)
        for parameter in _parameters(cls)
        if parameter.annotation is inspect.Parameter.empty
    }
    assert bare == set()
