"""A griffe extension that shows the constructor of classes whose ``__init__`` griffe cannot see.

griffe reads the source, and attrs writes ``__init__`` at run time, so a class such as
``Money`` would show no signature. For every class that attrs made and that defines no
``__init__`` of its own, this extension adds one whose parameters are those of the
generated ``__init__`` (names, order, keyword-only markers, and the annotations attrs
gives them, the converters' input types included), with each default as the source
writes it (``Status.REPORTED``, ``FiscalCalendar()`` for a factory). A class built by its
``__new__`` alone (``Currency``, ``Metric``) gets an ``__init__`` with the same parameters,
since mkdocstrings shows a class's signature from its ``__init__``.

mkdocs.yml loads it with ``extensions: [docs/hooks/griffe_attrs.py]``.
"""

from __future__ import annotations

import ast
import inspect
from typing import TYPE_CHECKING, Any

import attrs
import griffe

if TYPE_CHECKING:
    from collections.abc import Iterator

_FIELD_CALLS = frozenset({"attrs.field", "attr.ib", "attr.attrib", "attr.field"})
_FACTORY_CALLS = frozenset({"attrs.Factory", "attr.Factory"})
_KINDS: dict[object, griffe.ParameterKind] = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
}


class AttrsInit(griffe.Extension):
    """Add the generated ``__init__`` to every attrs class of the loaded packages."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: object) -> None:  # noqa: ARG002 -- griffe's hook signature
        """Give each attrs class of `pkg` that writes no ``__init__`` the one attrs generates."""
        for cls in _classes(pkg):
            if "__init__" in cls.members:
                continue
            new = cls.members.get("__new__")
            if isinstance(new, griffe.Function):
                _init_like_new(cls, new)
            else:
                _add_init(cls)


def _classes(module: griffe.Module | griffe.Class) -> Iterator[griffe.Class]:
    """Every class written in `module`, nested classes and submodules included (no aliases)."""
    for member in module.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Class):
            yield member
            yield from _classes(member)
        elif isinstance(member, griffe.Module):
            yield from _classes(member)


def _init_like_new(cls: griffe.Class, new: griffe.Function) -> None:
    """An ``__init__`` with the parameters of `new` (its ``cls`` read as ``self``)."""
    first, *rest = new.parameters
    parameters = [griffe.Parameter("self", kind=first.kind), *rest]
    _set_init(cls, parameters, new.lineno, new.endlineno)


def _add_init(cls: griffe.Class) -> None:
    try:
        runtime = griffe.dynamic_import(cls.path)
    except ImportError:
        return
    if not (isinstance(runtime, type) and attrs.has(runtime)):
        return
    fields = {field.alias: field for field in attrs.fields(runtime) if field.init}
    generated = inspect.signature(runtime.__init__)
    parameters = [griffe.Parameter("self", kind=griffe.ParameterKind.positional_or_keyword)]
    for parameter in list(generated.parameters.values())[1:]:
        field = fields[parameter.name]
        member = cls.members.get(field.name)
        parameters.append(
            griffe.Parameter(
                parameter.name,
                annotation=_annotation(parameter.annotation, cls),
                kind=_KINDS[parameter.kind],
                default=_default(field, member if isinstance(member, griffe.Attribute) else None),
                docstring=member.docstring if member is not None else None,
            )
        )
    # The class's own lines, so that a source block or link for the constructor shows the class.
    _set_init(cls, parameters, cls.lineno, cls.endlineno)


def _set_init(cls: griffe.Class, parameters: list[griffe.Parameter], lineno: int | None, endlineno: int | None) -> None:
    init = griffe.Function(
        "__init__",
        lineno=lineno,
        endlineno=endlineno,
        parent=cls,
        parameters=griffe.Parameters(*parameters),
        returns="None",
    )
    cls.set_member("__init__", init)


def _annotation(annotation: object, cls: griffe.Class) -> str | griffe.Expr | None:
    """The annotation attrs gives a parameter, as an expression in the class's scope (so names link)."""
    if annotation is inspect.Parameter.empty:
        return None
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return text
    return griffe.safe_get_annotation(node, cls) or text


def _default(field: attrs.Attribute[Any], member: griffe.Attribute | None) -> str | griffe.Expr | None:
    """A parameter's default as the source writes it, else as attrs holds it; None when required."""
    if field.default is attrs.NOTHING:
        return None
    written = _written_default(member.value if member is not None else None)
    if written is not None:
        return written
    factory = getattr(field.default, "factory", None)  # an attrs.Factory holds its callable here
    if callable(factory):
        return f"{getattr(factory, '__qualname__', repr(factory))}()"
    return repr(field.default)


def _written_default(value: str | griffe.Expr | None) -> str | griffe.Expr | None:
    """The default of ``attrs.field(default=...)``, ``factory=...``, ``Factory(...)`` or a plain value."""
    if not isinstance(value, griffe.ExprCall):
        return value
    if value.canonical_path in _FACTORY_CALLS and value.arguments:
        return griffe.ExprCall(value.arguments[0], [])  # type: ignore[arg-type]  # a factory is an expression
    if value.canonical_path not in _FIELD_CALLS:
        return value
    for argument in value.arguments:
        if isinstance(argument, griffe.ExprKeyword) and argument.name == "default":
            return _written_default(argument.value)
        if isinstance(argument, griffe.ExprKeyword) and argument.name == "factory":
            return griffe.ExprCall(argument.value, [])  # type: ignore[arg-type]
    return None
