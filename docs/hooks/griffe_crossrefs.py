"""A griffe extension that links the names docstrings write in backticks to their reference entries.

A docstring that says `` `Money` ``, `` `Fact.convert` ``, `` `frames.ratios` `` or
`` `capexmodel.total` `` means the object of that name; this extension rewrites each
such name into a cross-reference (`` [`Money`][capexmodel.Money] ``) that
mkdocs-autorefs turns into a link to the entry on the reference pages. mkdocstrings'
own cross-references need that bracket syntax written out (its ``scoped_crossrefs``
resolves ``[Money][]``, not `` `Money` ``), which reads worse in the source and in
``help()``.

A name is linked only when it names an entry the reference shows: a public name of the
package or of a public subpackage (in its ``__all__``: ``capexmodel``,
``capexmodel.frames``), or a public, documented member a class defines itself
(``Money.amount``, ``Fact.convert``). A bare name is looked up in the namespace the
documented object is public in (``convert`` in a ``capexmodel.frames`` docstring is
``capexmodel.frames.convert``), then in the package; ``frames.ratios`` and
``capexmodel.frames.ratios`` are read from the package. Everything else stays code as
written:

- names that name nothing documented (`` `Decimal` ``, `` `amount` `` in prose, a
  private `` `_pivot` ``), and anything written in double backticks;
- a bare name that is one of the object's own parameters or members (`` `total` `` in
  a docstring of `Dataset.total` is the method or its argument, not the function);
- the object's own name (an entry does not link to itself);
- code: fenced blocks and ``>>>`` examples with their output.

mkdocs.yml loads it after ``griffe_attrs`` (whose constructors give the parameters), for
the documented package only: ``- docs/hooks/griffe_crossrefs.py: {packages: [capexmodel]}``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import griffe

if TYPE_CHECKING:
    from collections.abc import Iterator

#: A name in single backticks: dotted identifiers, optionally called (`` `load_dataset()` ``).
#: Not in double backticks, and not the text of a link already (`` [`Money`][...] ``).
_NAME = re.compile(
    r"(?<![`\w\[\\])`(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?P<call>\(\))?`(?![`\w\]])"
)
_FENCE = re.compile(r"(`{3,}|~{3,})")
_PROMPT = ">>>"


class BacktickCrossrefs(griffe.Extension):
    """Link the names in backticks of every docstring of the loaded package to their entries."""

    def __init__(self, packages: list[str] | None = None) -> None:
        """Rewrite the docstrings of the named `packages` only (of every package loaded when None)."""
        super().__init__()
        self.packages = None if packages is None else frozenset(packages)

    def on_package(self, *, pkg: griffe.Module, **kwargs: object) -> None:  # noqa: ARG002 -- griffe's hook signature
        """Rewrite the docstrings of `pkg` and of everything in it."""
        if self.packages is not None and pkg.name not in self.packages:
            return
        entries = Entries(pkg)
        for obj in _objects(pkg):
            if obj.docstring is not None:
                obj.docstring.value = link_names(obj.docstring.value, obj, entries)


class Entries:
    """The reference entries of a package: each public name, and each documented member of a public class."""

    def __init__(self, pkg: griffe.Module) -> None:
        """Collect the entries of `pkg` and its public subpackages, by the path the reference shows them under."""
        self.package = pkg.path
        self.objects: dict[str, griffe.Object] = {}
        self.namespaces: list[str] = []
        for module in _public_modules(pkg):
            if not module.exports:
                continue
            self.namespaces.append(module.path)
            for name in module.exports:
                if not isinstance(name, str) or name.startswith("_"):
                    continue
                target = _target(module.members.get(name))
                if target is None:
                    continue
                path = f"{module.path}.{name}"
                self.objects[path] = target
                if isinstance(target, griffe.Class):
                    self._add_members(path, target)

    def _add_members(self, path: str, cls: griffe.Class) -> None:
        for name, member in cls.members.items():
            target = _target(member)
            if name.startswith("_") or target is None or target.docstring is None:
                continue
            self.objects[f"{path}.{name}"] = target

    def home(self, obj: griffe.Object) -> str:
        """The namespace `obj` is public in: the longest public module of its path that has entries."""
        parts = obj.path.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.namespaces:
                return candidate
        return self.package

    def resolve(self, name: str, obj: griffe.Object) -> str | None:
        """The entry `name` names, seen from the docstring of `obj`; None when it names none."""
        candidates = [f"{self.home(obj)}.{name}", f"{self.package}.{name}"]
        if name.startswith(f"{self.package}."):
            candidates.insert(0, name)
        for candidate in candidates:
            if candidate in self.objects:
                return candidate
        return None


def link_names(text: str, obj: griffe.Object, entries: Entries) -> str:
    r"""`text` with each name in backticks that names an entry written as a cross-reference to it.

    Examples:
        >>> import griffe
        >>> code = '__all__ = ["Money", "total"]\nclass Money: ...\ndef total(amounts): ...'
        >>> with griffe.temporary_visited_package("pkg", {"__init__.py": code}) as pkg:
        ...     link_names("Adds `amounts` of `Money` (`total`), not `Decimal`.", pkg["total"], Entries(pkg))
        'Adds `amounts` of [`Money`][pkg.Money] (`total`), not `Decimal`.'
    """
    local = _local_names(obj)
    itself = _target(obj)

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        if "." not in name and name in local:
            return match[0]
        path = entries.resolve(name, obj)
        if path is None or entries.objects[path] is itself:
            return match[0]
        return f"[{match[0]}][{path}]"

    return "\n".join(_NAME.sub(replace, line) if prose else line for line, prose in _lines(text))


def _lines(text: str) -> Iterator[tuple[str, bool]]:
    """Each line of `text`, and whether it is prose: not in a fenced block, not a ``>>>`` example or its output."""
    fence: str | None = None
    example = False
    for line in text.split("\n"):
        stripped = line.lstrip()
        opening = _FENCE.match(stripped)
        if fence is not None:
            fence = None if stripped.startswith(fence) else fence
            yield line, False
        elif opening is not None:
            fence = opening[1]
            yield line, False
        else:
            example = stripped.startswith(_PROMPT) or (example and bool(stripped))
            yield line, not example


def _local_names(obj: griffe.Object) -> set[str]:
    """The names a bare word in the docstring of `obj` may mean besides an entry: parameters and members."""
    names: set[str] = set()
    scopes = [obj]
    if obj.parent is not None and isinstance(obj.parent, griffe.Class):
        scopes.append(obj.parent)
    for scope in scopes:
        if isinstance(scope, griffe.Function):
            names.update(parameter.name for parameter in scope.parameters)
        if isinstance(scope, griffe.Class):
            names.update(scope.members)
            init = scope.members.get("__init__")
            if isinstance(init, griffe.Function):
                names.update(parameter.name for parameter in init.parameters)
    return names


def _target(obj: griffe.Object | griffe.Alias | None) -> griffe.Object | None:
    """`obj` itself, or what the alias `obj` stands for; None when it stands for nothing loaded."""
    if obj is None or not obj.is_alias:
        return obj  # type: ignore[return-value]  # not an alias: an object
    try:
        return obj.final_target  # type: ignore[union-attr]
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _public_modules(module: griffe.Module) -> Iterator[griffe.Module]:
    """`module` and its submodules whose names do not start with an underscore."""
    yield module
    for name, member in module.members.items():
        if isinstance(member, griffe.Module) and not member.is_alias and not name.startswith("_"):
            yield from _public_modules(member)


def _objects(obj: griffe.Object) -> Iterator[griffe.Object]:
    """`obj` and everything written in it, private modules included (aliases are their targets' business)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _objects(member)  # type: ignore[arg-type]  # not an alias: an object
