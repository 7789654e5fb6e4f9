"""A griffe extension that gives a module's public constants the type of their value.

A constant written without an annotation (``SCALE = 18``, ``COLUMNS = ("company", ...)``)
would show on the reference page with no type. This extension reads the value the
module holds at run time and annotates the constant with its type: ``int``,
``tuple[str, ...]``; a name bound to a typing construct (``Backend = Literal[...]``) is
annotated ``TypeAlias``. Constants that carry an annotation keep it.

mkdocs.yml loads it with ``extensions: [docs/hooks/griffe_constants.py]``.
"""

from __future__ import annotations

import typing

import griffe

_PLAIN = (bool, int, str, bytes, float)


class ConstantTypes(griffe.Extension):
    """Annotate each public, unannotated module-level constant with the type of its value."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: object) -> None:  # noqa: ARG002 -- griffe's hook signature
        """Annotate the constants of `pkg` and of its submodules."""
        modules = [pkg]
        while modules:
            module = modules.pop()
            for name, member in module.members.items():
                if member.is_alias:
                    continue
                if isinstance(member, griffe.Module):
                    modules.append(member)
                elif isinstance(member, griffe.Attribute) and member.annotation is None and not name.startswith("_"):
                    _annotate(module, name, member)


def _annotate(module: griffe.Module, name: str, attribute: griffe.Attribute) -> None:
    try:
        value = getattr(griffe.dynamic_import(module.path), name)
    except (ImportError, AttributeError):
        return
    annotation = _type_of(value)
    if annotation is not None:
        attribute.annotation = annotation


def _type_of(value: object) -> str | None:
    """The type of `value` as it would be written in an annotation; None when no plain one fits."""
    if typing.get_origin(value) is not None:
        return "TypeAlias"
    if isinstance(value, _PLAIN):
        return type(value).__name__
    if isinstance(value, tuple):
        kinds = {type(item) for item in value}
        if len(kinds) == 1 and (kind := kinds.pop()) in _PLAIN:
            return f"tuple[{kind.__name__}, ...]"
    return None
