"""Names in backticks in docstrings become links to their reference entries (docs/hooks/griffe_crossrefs.py).

The extension runs as the docs build runs it: griffe loads a package with it, and the
docstrings come out with `` [`Money`][pkg.Money] `` where a name resolves to a
documented public object, and untouched everywhere else. The strict docs build then
fails on any link that does not resolve; these tests say which names are linked.
"""

from __future__ import annotations

import re
from pathlib import Path

import griffe
import pytest

ROOT = Path(__file__).parent.parent
HOOK = ROOT / "docs" / "hooks" / "griffe_crossrefs.py"
_LINK = re.compile(r"\[`(?P<text>[^`]+)`\]\[(?P<target>[^\]]+)\]")

PACKAGE = {
    "__init__.py": '''
"""The package: `Money`, `total`, `frames.ratios`."""
from pkg._core import Money, total
__all__ = ["Money", "total"]
''',
    "_core.py": '''
class Money:
    """An amount; add many with `total` or `pkg.total()`, read `Money.amount`.

    Not linked: `Decimal`, `Money.nothing`, `_hidden`, `Money._brief`, ``total``, `Money`.

    Examples:
        >>> `total`
        `total`

    ```python
    `total`
    ```

    After the example, `total` again.
    """

    amount: int = 0
    """The amount of a `Money`."""

    undocumented: int = 0

    def _brief(self):
        """Private."""


def total(amounts, money=None):
    """Add `amounts` (each a `Money`); `total` itself and `money` stay code; see `Money.undocumented`."""
''',
    "frames/__init__.py": '''
"""Tables: `ratios`, `total`, `Money`."""
from pkg.frames._table import ratios
__all__ = ["ratios"]
''',
    "frames/_table.py": '''
def ratios(table):
    """Ratios of `table`, like `total` of `frames.ratios`... and `ratios`."""
''',
}


@pytest.fixture(scope="module")
def pkg() -> griffe.Module:
    extensions = griffe.load_extensions({str(HOOK): {"packages": ["pkg"]}})
    with griffe.temporary_pypackage("pkg", PACKAGE) as package:
        return _module(griffe.load("pkg", search_paths=[package.tmpdir], extensions=extensions))


def _module(loaded: griffe.Object | griffe.Alias) -> griffe.Module:
    assert isinstance(loaded, griffe.Module)
    return loaded


def _links(docstring: str) -> list[tuple[str, str]]:
    return [(match["text"], match["target"]) for match in _LINK.finditer(docstring)]


def _docstring(pkg: griffe.Module, path: str) -> str:
    docstring = (pkg[path] if path else pkg).docstring
    assert docstring is not None
    return docstring.value


def test_a_name_that_resolves_becomes_a_link_to_its_entry(pkg):
    links = _links(_docstring(pkg, "_core.Money"))
    assert ("total", "pkg.total") in links
    assert ("pkg.total()", "pkg.total") in links
    assert ("Money.amount", "pkg.Money.amount") in links
    assert "add many with [`total`][pkg.total] or [`pkg.total()`][pkg.total]" in _docstring(pkg, "_core.Money")


def test_names_that_resolve_to_nothing_documented_stay_code(pkg):
    docstring = _docstring(pkg, "_core.Money")
    line = next(line for line in docstring.splitlines() if line.startswith("Not linked"))
    assert line == "Not linked: `Decimal`, `Money.nothing`, `_hidden`, `Money._brief`, ``total``, `Money`."
    # A member without a docstring has no entry; a parameter is not the function of that name.
    assert _links(_docstring(pkg, "_core.total")) == [("Money", "pkg.Money")]


def test_nothing_in_an_example_or_a_code_block_is_linked(pkg):
    docstring = _docstring(pkg, "_core.Money")
    assert ">>> `total`\n    `total`\n" in docstring
    assert "```python\n`total`\n```" in docstring
    assert "After the example, [`total`][pkg.total] again." in docstring
    assert [text for text, _ in _links(docstring)].count("total") == 2  # the summary's and the one after


def test_an_entry_does_not_link_to_itself_and_a_member_links_to_its_class(pkg):
    assert "`Money`." in _docstring(pkg, "_core.Money")  # its own name, plain
    assert _links(_docstring(pkg, "_core.Money.amount")) == [("Money", "pkg.Money")]


def test_a_bare_name_is_read_in_the_namespace_its_object_is_public_in(pkg):
    assert _links(_docstring(pkg, "frames")) == [
        ("ratios", "pkg.frames.ratios"),
        ("total", "pkg.total"),
        ("Money", "pkg.Money"),
    ]
    # Seen from the package, `frames.ratios` is the subpackage's; the function does not link to itself.
    assert _links(_docstring(pkg, "")) == [
        ("Money", "pkg.Money"),
        ("total", "pkg.total"),
        ("frames.ratios", "pkg.frames.ratios"),
    ]
    assert _links(_docstring(pkg, "frames._table.ratios")) == [("total", "pkg.total")]


def test_other_packages_are_left_alone():
    extensions = griffe.load_extensions({str(HOOK): {"packages": ["another"]}})
    with griffe.temporary_pypackage("pkg", PACKAGE) as package:
        loaded = _module(griffe.load("pkg", search_paths=[package.tmpdir], extensions=extensions))
    assert _links(_docstring(loaded, "_core.Money")) == []


@pytest.fixture(scope="module")
def capexmodel_docs() -> griffe.Module:
    """capexmodel as the docs build loads it (mkdocs.yml's extensions, in its order)."""
    extensions = griffe.load_extensions(
        str(ROOT / "docs" / "hooks" / "griffe_attrs.py"), {str(HOOK): {"packages": ["capexmodel"]}}
    )
    return _module(griffe.load("capexmodel", search_paths=[str(ROOT / "src")], extensions=extensions))


def test_capexmodel_docstrings_link_to_their_entries(capexmodel_docs):
    money = _docstring(capexmodel_docs, "_model.money.Money")
    assert "is [`combine_periods`][capexmodel.combine_periods]." in money
    assert "The amount is a `Decimal`" in money  # not capexmodel's: code, no link
    assert "    >>> cm.Money(" in money  # the example is as written
    frames = _docstring(capexmodel_docs, "frames")
    assert "read\nwith [`from_frame`][capexmodel.frames.from_frame]" in frames
    assert "[`DataFileError`][capexmodel.DataFileError] naming" in frames
    assert "| ``company`` | string |" in frames  # double backticks: code
    # A method's own name may be the method or the function of that name: code, no link.
    method = _docstring(capexmodel_docs, "_sources.dataset.Dataset.bubble_risk")
    assert method.startswith("`bubble_risk` of one company")
    assert "exactly as [`Dataset.fact`][capexmodel.Dataset.fact] picks it" in method


def test_every_capexmodel_link_is_to_an_object_on_a_reference_page(capexmodel_docs):
    pages = "\n".join(page.read_text(encoding="utf-8") for page in (ROOT / "docs" / "reference").glob("*.md"))
    shown = set(re.findall(r"^::: (\S+)", pages, flags=re.MULTILINE))
    shown |= {f"capexmodel.frames.{name}" for name in re.findall(r"^ +- (\w+)$", pages, flags=re.MULTILINE)}
    targets: set[str] = set()
    for obj in _all_objects(capexmodel_docs):
        if obj.docstring is not None:
            targets.update(target for _, target in _links(obj.docstring.value))
    assert len(targets) > 100
    assert {target for target in targets if not (target in shown or target.rsplit(".", 1)[0] in shown)} == set()


def _all_objects(obj: griffe.Object):
    yield obj
    for member in obj.members.values():
        if isinstance(member, griffe.Object):
            yield from _all_objects(member)
