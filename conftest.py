"""Collection settings for the whole tree: each docstring example runs once."""

import pytest

#: The package namespaces: their public names are written in private modules, and
#: tested there (see `capexmodel._lazy.name_after`).
_NAMESPACES = ("src/capexmodel/__init__.py::capexmodel.", "src/capexmodel/frames/__init__.py::capexmodel.frames.")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Leave out a public name's examples collected a second time from its package's namespace.

    A name loaded before the namespace is collected sits in it too; whether it does
    depends on the order of collection, so its examples run where they are written.
    """
    items[:] = [item for item in items if not item.nodeid.startswith(_NAMESPACES)]
