"""The pint unit registry, for physical quantities: built once, and only when first needed.

Importing capexmodel, reading amounts, loading the dataset and writing the report never
load pint; a chip's throughput, memory, bandwidth or power does. The registry is built
in the library's own decimal context (`QUOTIENT`: pint divides while it reads its
definitions), never in the caller's, and by one thread only: every caller gets the
same registry, so quantities from two calls can always be combined.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from capexmodel._context import QUOTIENT
from capexmodel._lazy import LOCK

if TYPE_CHECKING:
    import pint

__all__ = ["units"]

#: The registry, once built.
_BUILT: Final[list[pint.UnitRegistry[Decimal]]] = []


def units() -> pint.UnitRegistry[Decimal]:
    """The registry (building it takes pint about a quarter of a second, so it is lazy).

    Quantities hold exact Decimals; ``FLOP`` counts floating-point operations. Every
    call, from any thread, returns the same registry.

    Examples:
        >>> from capexmodel._model.units import units
        >>> print(units().Quantity(989, "TFLOP/s").to("FLOP/s"))
        9.89E+14 FLOP / second
        >>> units() is units()
        True
    """
    with LOCK:  # the lock of everything loaded lazily: one registry, whichever thread asks first
        if not _BUILT:
            _BUILT.append(_build())
        return _BUILT[0]


def _build() -> pint.UnitRegistry[Decimal]:
    import pint  # noqa: PLC0415 -- pint loads lazily, on first use

    with decimal.localcontext(QUOTIENT):
        registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(non_int_type=Decimal)
        registry.define("FLOP = [computation] = flop")
    return registry
