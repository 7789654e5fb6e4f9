"""The package's layers, and the direction their imports may point.

Bottom to top: the package root (the errors, the decimal contexts, lazy loading),
``_model``, ``_fx``, ``_indicators``, ``_sources``, ``frames``, ``_present``. Every
module belongs to exactly one layer. An import at module level (a class body, a ``try``
at module level, anything run when the module loads) may point to the module's own
layer or a lower one. An import inside a function may point up only if `ALLOWED_UP`
lists it, with the reason; an entry that no longer occurs fails too, so that the list
cannot go stale. Imports under ``if TYPE_CHECKING:`` are not dependencies: type
checkers read them, Python never runs them.

The imports are read from the source with `ast`; only the package root is imported, for its
table of the public names that load a module on first use (such a name counts as an import of that module).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

import capexmodel

SOURCE = Path(__file__).parent.parent / "src" / "capexmodel"
#: The public names that load on first use, and the module each loads: `capexmodel`'s own table.
LAZY: dict[str, str] = capexmodel._LAZY

#: The layers, bottom to top, and their members: a name ending in "." is a subpackage
#: (itself and every module in it); any other name is one module.
LAYERS: dict[str, tuple[str, ...]] = {
    "root": ("capexmodel", "capexmodel._errors", "capexmodel._context", "capexmodel._lazy"),
    "_model": ("capexmodel._model.",),
    "_fx": ("capexmodel._fx.",),
    "_indicators": ("capexmodel._indicators.",),
    "_sources": ("capexmodel._sources.",),
    "frames": ("capexmodel.frames.",),
    # `python -m capexmodel` runs the command: the entry point sits with it, at the top
    # (nothing imports it).
    "_present": ("capexmodel._present.", "capexmodel.__main__"),
}
ORDER = list(LAYERS)

#: The imports inside a function that point up, each with the reason: (importer,
#: imported) -> why. Each one loads a higher layer on first use of one method.
ALLOWED_UP: dict[tuple[str, str], str] = {
    ("capexmodel._model.calendarization", "capexmodel.frames._layout"): (
        "Calendarization.to_frame hands the table layer its parts"
    ),
    ("capexmodel._indicators.risk", "capexmodel.frames._layout"): (
        "BubbleRisk.to_frame hands the table layer its signals"
    ),
    ("capexmodel._sources.dataset", "capexmodel.frames._layout"): (
        "Aggregate.to_frame hands the table layer its facts"
    ),
}


class Import(NamedTuple):
    importer: str
    imported: str
    where: str  # "module level", "function" or "type checking"
    line: int


def layers_of(module: str) -> list[str]:
    """The layers `module` belongs to (one, unless the map is wrong)."""
    return [
        layer
        for layer, members in LAYERS.items()
        for member in members
        if module == member.rstrip(".") or (member.endswith(".") and module.startswith(member))
    ]


def _layer(module: str) -> str | None:
    """The one layer of `module`; None if it has none or several (a problem `check` reports)."""
    layers = layers_of(module)
    return layers[0] if len(layers) == 1 else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_sources() -> dict[str, str]:
    """Every module of the package, by name, with its source."""
    return {module_name(path): path.read_text(encoding="utf-8") for path in sorted(SOURCE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Collects a module's imports of the package, each with where it is made."""

    def __init__(self, module: str, package: str, modules: set[str]) -> None:
        self.module, self.package, self.modules = module, package, modules
        self.where = "module level"
        self.found: list[Import] = []
        self.roots: set[str] = set()  # the names the package's root is bound to here: `import capexmodel as cm`

    def _within(self, node: ast.AST, where: str) -> None:
        outer, self.where = self.where, where
        self.generic_visit(node)
        self.where = outer

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._within(node, "function" if self.where == "module level" else self.where)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._within(node, "function" if self.where == "module level" else self.where)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._within(node, "function" if self.where == "module level" else self.where)

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        outer = self.where
        self.where = "type checking"
        for statement in node.body:
            self.visit(statement)
        self.where = outer
        for statement in node.orelse:
            self.visit(statement)

    def _add(self, imported: str, line: int) -> None:
        if imported == "capexmodel" or imported.startswith("capexmodel."):
            self.found.append(Import(self.module, imported, self.where, line))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)
            if alias.name == "capexmodel":
                self.roots.add(alias.asname or alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # `capexmodel.build_report` loads the module behind the public name, as an import would.
        if isinstance(node.value, ast.Name) and node.value.id in self.roots and node.attr in LAZY:
            self._add(LAZY[node.attr], node.lineno)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            parts = self.package.split(".")
            base = ".".join([*parts[: len(parts) - node.level + 1], *([base] if base else [])])
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            if base == "capexmodel" and (alias.name in LAZY or alias.name == "*"):
                # A public name loads its module on first use; `*` loads every one of them.
                for name in LAZY if alias.name == "*" else [alias.name]:
                    self._add(LAZY[name], node.lineno)
                continue
            self._add(submodule if submodule in self.modules else base, node.lineno)


def imports(module: str, source: str, modules: set[str]) -> list[Import]:
    """The package's modules that `module` imports, and where.

    ``from capexmodel._model import money`` imports the module ``capexmodel._model.money``;
    ``from capexmodel._model.money import Money`` imports ``capexmodel._model.money``.
    """
    is_package = any(name.startswith(module + ".") for name in modules)
    visitor = _Imports(module, module if is_package else module.rpartition(".")[0], modules)
    visitor.visit(ast.parse(source))
    return visitor.found


def check(sources: dict[str, str]) -> tuple[list[str], set[tuple[str, str]]]:
    """The violations of the layering in `sources` (module name -> source), and the upward imports in functions.

    Returns:
        One message per violation, and every (importer, imported) pair imported upward
        inside a function, listed or not (to find the entries of `ALLOWED_UP` that no longer occur).
    """
    problems: list[str] = []
    modules = set(sources)
    for module in sorted(modules):
        layers = layers_of(module)
        if len(layers) != 1:
            problems.append(f"{module} is in {len(layers)} layers ({', '.join(layers) or 'none'}): map it in LAYERS")
    up_in_functions: set[tuple[str, str]] = set()
    for module, source in sorted(sources.items()):
        layer = _layer(module)
        if layer is None:
            continue
        for found in imports(module, source, modules):
            target = _layer(found.imported)
            if target is None or found.where == "type checking" or ORDER.index(target) <= ORDER.index(layer):
                continue
            pair = (found.importer, found.imported)
            if found.where == "function":
                up_in_functions.add(pair)
                if pair in ALLOWED_UP:
                    continue
            problems.append(
                f"{found.importer} ({layer}) imports {found.imported} ({target}, a higher layer)"
                f" {'at module level' if found.where == 'module level' else 'in a function'}, line {found.line}"
            )
    return problems, up_in_functions


def test_every_module_sits_in_one_layer_and_imports_only_downward():
    problems, _ = check(package_sources())
    assert problems == []


def test_every_allowed_upward_import_still_occurs():
    _, up_in_functions = check(package_sources())
    assert set(ALLOWED_UP) - up_in_functions == set()


def test_an_allowed_upward_import_that_no_longer_occurs_is_found():
    sources = package_sources()
    sources["capexmodel._sources.dataset"] = sources["capexmodel._sources.dataset"].replace(
        "from capexmodel.frames._layout import", "from capexmodel._model.display import"
    )
    _, up_in_functions = check(sources)
    assert set(ALLOWED_UP) - up_in_functions == {("capexmodel._sources.dataset", "capexmodel.frames._layout")}


def test_the_layers_cover_the_package():
    modules = package_sources()
    assert "capexmodel._model.money" in modules  # the walk finds the subpackages' modules
    assert {layer for module in modules for layer in layers_of(module)} == set(ORDER)


def test_a_lower_layer_importing_a_higher_one_at_module_level_is_reported():
    sources = package_sources()
    sources["capexmodel._model.synthetic"] = (
        '"""A value type that reaches for the report."""\n\nfrom capexmodel._present.report import build_report\n'
    )
    problems, _ = check(sources)
    assert problems == [
        (
            "capexmodel._model.synthetic (_model) imports capexmodel._present.report (_present, a higher layer)"
            " at module level, line 3"
        )
    ]


def test_an_upward_import_in_a_function_is_reported_unless_listed_and_type_checking_is_not():
    sources = package_sources()
    sources["capexmodel._fx.synthetic"] = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from capexmodel._sources.dataset import Dataset\n"
        "def rows():\n"
        "    from capexmodel._sources import dataset\n"
        "    return dataset\n"
    )
    problems, _ = check(sources)
    assert problems == [
        (
            "capexmodel._fx.synthetic (_fx) imports capexmodel._sources.dataset (_sources, a higher layer)"
            " in a function, line 5"
        )
    ]


def test_a_module_outside_the_map_is_reported():
    sources = package_sources()
    sources["capexmodel._helpers"] = "import capexmodel._errors\n"
    problems, _ = check(sources)
    assert problems == ["capexmodel._helpers is in 0 layers (none): map it in LAYERS"]


def test_relative_imports_are_read_as_the_modules_they_name():
    sources = package_sources()
    sources["capexmodel._model.synthetic"] = "from .._present import report\nfrom .money import Money\n"
    found = imports("capexmodel._model.synthetic", sources["capexmodel._model.synthetic"], set(sources))
    assert [(item.imported, item.where) for item in found] == [
        ("capexmodel._present.report", "module level"),
        ("capexmodel._model.money", "module level"),
    ]


def test_importing_capexmodel_loads_no_layer():
    code = "import sys, capexmodel; print(sorted(m for m in sys.modules if m.startswith('capexmodel')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.split() == ["['capexmodel',", "'capexmodel._errors',", "'capexmodel._lazy']"]


@pytest.mark.parametrize(
    "line",
    [
        "from capexmodel import build_report",
        "from capexmodel import *",
        "import capexmodel\nreport = capexmodel.build_report",
        "import capexmodel as cm\nreport = cm.build_report",
    ],
)
def test_a_public_name_that_loads_a_higher_layer_is_an_import_of_that_layer(line):
    sources = package_sources()
    sources["capexmodel._model.synthetic"] = line + "\n"
    problems, _ = check(sources)
    assert any(
        problem.startswith("capexmodel._model.synthetic (_model) imports capexmodel._present.report (_present")
        for problem in problems
    )
    sources["capexmodel._model.synthetic"] = "import capexmodel\nversion = capexmodel.__version__\n"
    assert check(sources)[0] == []  # the root itself is the bottom layer
