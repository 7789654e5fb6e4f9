"""The pint unit registry, built once and only when a unit is first needed."""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

__all__ = ["units"]


@functools.cache
def units() -> pint.UnitRegistry[Decimal]:
    """The registry (building it takes pint about a quarter of a second, so it is lazy).

    Quantities hold exact Decimals; ``FLOP`` counts floating-point operations.

    Examples:
        >>> from capexmodel._units import units
        >>> print(units().Quantity(989, "TFLOP/s").to("FLOP/s"))
        9.89E+14 FLOP / second
    """
    import pint  # noqa: PLC0415 -- pint loads lazily, on first use

    registry: pint.UnitRegistry[Decimal] = pint.UnitRegistry(non_int_type=Decimal)
    registry.define("FLOP = [computation] = flop")
    return registry
