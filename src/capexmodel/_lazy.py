"""Loading on first use, safely from any thread.

`import capexmodel` loads only the errors and this module; the model, and babel and
pint behind it, load when first used. Two threads that first use capexmodel at the
same moment must not import one package from two sides: Python locks a submodule
before its package, so ``import babel`` in one thread and ``from babel.core import
...`` in another can each find the other's module half initialised (``cannot import
name 'Locale' from partially initialized module 'babel.core'``). `load` imports a
package before its submodules, one thread at a time: the package's lazy names and
the model's lazy imports go through it.

Examples:
    >>> from capexmodel._lazy import load
    >>> load("babel.core").__name__
    'babel.core'
"""

from __future__ import annotations

import sys
from _thread import RLock  # what threading.RLock is, without the cost of importing threading

# Read by type checkers, never at run time (`import capexmodel` does not load `typing`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import TypeVar

    _T = TypeVar("_T")

__all__ = ["LOCK", "load", "name_after", "public"]

LOCK = RLock()
"""Held while anything loads lazily (re-entrant: loading one module may load another)."""


def load(name: str) -> ModuleType:
    """Import the module `name`, its packages first, under `LOCK`; at once if it is loaded.

    Examples:
        >>> from capexmodel._lazy import load
        >>> load("capexmodel._model.period").CalendarYear(2024)
        Period.parse('2024')
    """
    module = sys.modules.get(name)
    if module is not None and not getattr(getattr(module, "__spec__", None), "_initializing", False):
        return module
    with LOCK:
        parts = name.split(".")
        for end in range(1, len(parts) + 1):
            __import__(".".join(parts[:end]))
        return sys.modules[name]


def public(named: _T) -> _T:
    """Name a class or function after the package users import it from, ``capexmodel``.

    Reprs, tracebacks, docs and pickles then say ``capexmodel.Money``, never the private
    module it is written in (a pickle finds it through the package's lazy names).

    Examples:
        >>> import capexmodel as cm
        >>> cm.Money.__module__, cm.total.__module__
        ('capexmodel', 'capexmodel')
    """
    return name_after(named, "capexmodel")


def name_after(named: _T, package: str) -> _T:
    """Name `named` after `package`, keeping its docstring's examples tested where it is written.

    Doctest collects a module's examples from the names whose ``__module__`` is that module;
    the module's ``__test__`` (doctest's own list of more names to test) keeps them in.
    """
    written_in = sys.modules[named.__module__]
    vars(written_in).setdefault("__test__", {})[named.__name__] = named  # type: ignore[attr-defined]
    named.__module__ = package
    return named
