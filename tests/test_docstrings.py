"""Every public name is documented the same way, in Google style.

Every public function, class, method and property of ``capexmodel`` and
``capexmodel.frames`` has an ``Examples:`` section with a ``>>>`` example; every
parameter (from `inspect.signature`) is under ``Args:`` (a class's constructor
parameters may be under ``Attributes:``, as attrs fields are), and no parameter it does
not have; ``Returns:`` where the return annotation is not None (properties read as
attributes and need none); and a ``Raises:`` section names only capexmodel's errors.
The docstrings are read with griffe's Google-style parser (the one the reference pages
are built with), so a section the docs would not show as a section does not count.
"""

from __future__ import annotations

import enum
import functools
import inspect
import logging

import griffe
import pytest

import capexmodel as cm
from capexmodel import frames

_Kind = griffe.DocstringSectionKind


def _documented() -> dict[str, object]:
    """Every public function and class, by the name users reach it by."""
    names = {f"capexmodel.{name}": getattr(cm, name) for name in cm.__all__}
    names |= {f"capexmodel.frames.{name}": getattr(frames, name) for name in frames.__all__}
    return {name: obj for name, obj in names.items() if inspect.isclass(obj) or inspect.isfunction(obj)}


PUBLIC = _documented()


def _members(cls: type) -> dict[str, object]:
    """The public methods and properties a class defines itself (not those it inherits from builtins)."""
    kinds = (property, functools.cached_property, classmethod, staticmethod)
    return {
        name: member
        for name, member in vars(cls).items()
        if not name.startswith("_") and (isinstance(member, kinds) or inspect.isfunction(member))
    }


def _sections(doc: str | None) -> list[griffe.DocstringSection]:
    assert doc, "no docstring"
    docstring = griffe.Docstring(inspect.cleandoc(doc))
    return griffe.parse_google(docstring, warn_unknown_params=False, warn_missing_types=False)


def _named(sections: list[griffe.DocstringSection], *kinds: griffe.DocstringSectionKind) -> list[str]:
    return [item.name for section in sections if section.kind in kinds for item in section.value]


def _parameters(function: object, *, bound: bool) -> list[inspect.Parameter]:
    try:
        parameters = list(inspect.signature(function).parameters.values())  # type: ignore[arg-type]
    except ValueError:  # a builtin's constructor (an exception's): nothing of capexmodel's to document
        return []
    return parameters[1:] if bound else parameters


def _problems(
    doc: str | None, parameters: list[inspect.Parameter], *, returns: bool, fields: bool = False
) -> list[str]:
    """What the docstring lacks: Args for `parameters`, Returns if `returns`, an example; stale or unknown names."""
    sections = _sections(doc)
    problems = []
    kinds = (_Kind.parameters, _Kind.other_parameters) + ((_Kind.attributes,) if fields else ())
    documented = {name.lstrip("*") for name in _named(sections, *kinds)}
    expected = [parameter.name for parameter in parameters]
    if missing := [name for name in expected if name not in documented]:
        problems.append(f"no Args for {', '.join(missing)}")
    if stale := sorted({name.lstrip("*") for name in _named(sections, _Kind.parameters)} - set(expected)):
        problems.append(f"Args for parameters it does not have: {', '.join(stale)}")
    if returns and not any(section.kind in {_Kind.returns, _Kind.yields} for section in sections):
        problems.append("no Returns")
    examples = [text for section in sections if section.kind is _Kind.examples for kind, text in section.value]
    if not any(text.lstrip().startswith(">>>") for text in examples):
        problems.append("no >>> example under Examples")
    for section in sections:
        if section.kind is _Kind.raises:
            for item in section.value:
                error = getattr(cm, str(item.annotation), None)
                if not (inspect.isclass(error) and issubclass(error, cm.CapexModelError)):
                    problems.append(f"Raises names {item.annotation}, not a capexmodel error")
    return problems


def _returns_something(function: object) -> bool:
    annotation = inspect.signature(function).return_annotation  # type: ignore[arg-type]
    return annotation not in {None, "None", inspect.Signature.empty}


def _signature_parameters(parameters: list[inspect.Parameter], *, variadic: bool) -> list[inspect.Parameter]:
    kinds = {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    return [parameter for parameter in parameters if variadic or parameter.kind not in kinds]


def _problems_of(obj: object) -> dict[str, list[str]]:
    """Each of the object's and its members' problems, by the member's name ("" for the object)."""
    found = {}
    if inspect.isclass(obj):
        parameters = [] if issubclass(obj, enum.Enum) else _parameters(obj, bound=False)
        # The class docstring documents the constructor: Args, or Attributes for attrs fields.
        found[""] = _problems(
            obj.__doc__, _signature_parameters(parameters, variadic=False), returns=False, fields=True
        )
        for name, member in _members(obj).items():
            if isinstance(member, (property, functools.cached_property)):
                # Read as attributes: described, not Returns, and shown in use.
                getter = member.fget if isinstance(member, property) else member.func
                found[name] = _problems(getter.__doc__, [], returns=False)
                continue
            function = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
            bound = not isinstance(member, staticmethod)
            parameters = _signature_parameters(_parameters(function, bound=bound), variadic=True)
            found[name] = _problems(function.__doc__, parameters, returns=_returns_something(function))
    else:
        parameters = _signature_parameters(_parameters(obj, bound=False), variadic=True)
        found[""] = _problems(obj.__doc__, parameters, returns=_returns_something(obj))
    return {name: problems for name, problems in found.items() if problems}


def _short(name: str) -> str:
    return name.removeprefix("capexmodel.")


@pytest.mark.parametrize("name", sorted(PUBLIC), ids=_short)
def test_every_public_name_documents_its_parameters_returns_and_an_example(name):
    problems = _problems_of(PUBLIC[name])
    assert not problems, "\n".join(
        f"{name}{'.' + member if member else ''}: {'; '.join(found)}" for member, found in problems.items()
    )


@pytest.mark.parametrize(
    ("doc", "parameters", "returns", "expected"),
    [
        pytest.param(
            """Add.

            Args:
                a: One.
                b: The other.

            Returns:
                The sum.

            Examples:
                >>> 1 + 1
                2
            """,
            ["a", "b"],
            True,
            [],
            id="complete",
        ),
        pytest.param(
            """Add.

            Args:
                a: One.
                c: Not a parameter.

            Examples:
                1 + 1 is 2.
            """,
            ["a", "b"],
            True,
            [
                "no Args for b",
                "Args for parameters it does not have: c",
                "no Returns",
                "no >>> example under Examples",
            ],
            id="incomplete",
        ),
        pytest.param(
            """Add.

            Parameters: a and b.

            Raises:
                ValueError: Always.

            Examples:
                >>> 1 + 1
                2
            """,
            ["a"],
            False,
            ["no Args for a", "Raises names ValueError, not a capexmodel error"],
            id="sections-in-prose-and-builtin-errors",
        ),
    ],
)
def test_the_check_finds_what_a_docstring_lacks(doc, parameters, returns, expected):
    signature = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in parameters]
    assert _problems(doc, signature, returns=returns) == expected


def test_griffe_reads_every_docstring_without_a_warning(caplog):
    with caplog.at_level(logging.WARNING):
        for obj in PUBLIC.values():
            _problems_of(obj)
    assert not caplog.records, [record.getMessage() for record in caplog.records]
