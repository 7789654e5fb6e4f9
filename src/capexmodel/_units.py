"""The pint unit registry, built once and only when a unit is first needed.

The registry is built in the library's own decimal context (`QUOTIENT`: pint divides
while it reads its definitions), never in the caller's, and by one thread only: every
caller gets the same registry, so quantities from two calls can always be combined.
"""

from __future__ import annotations

import decimal
import functools
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from capexmodel._context import QUOTIENT
from capexmodel._lazy import LOCK

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pint

__all__ = ["scale_factor", "scale_words", "units"]

#: The scale words amounts are written with, as dimensionless units of the registry
#: (pint's definition syntax: ``name = value = symbol = alias...``, ``_`` for no
#: symbol). 万亿 is 万 times 亿, a trillion; 億 and 萬 are the traditional characters.
#: Words can be multiplied in text ("千亿", "thousand million"); the suffixes K, M, B
#: and T are not units here, since pint already names kelvin, molar, byte and tesla.
_SCALE_DEFINITIONS: Final = (
    "thousand = 10 ** 3",
    "million = 10 ** 6 = _ = mn",
    "billion = 10 ** 9 = _ = bn",
    "trillion = 10 ** 12 = _ = tn",
    "千 = 10 ** 3",
    "万 = 10 ** 4 = _ = 萬",
    "亿 = 10 ** 8 = _ = 億",
    "万亿 = 10 ** 12 = _ = 萬億",
)

#: The registry, once built.
_BUILT: Final[list[pint.UnitRegistry[Decimal]]] = []


def units() -> pint.UnitRegistry[Decimal]:
    """The registry (building it takes pint about a quarter of a second, so it is lazy).

    Quantities hold exact Decimals; ``FLOP`` counts floating-point operations. Every
    call, from any thread, returns the same registry.

    Examples:
        >>> from capexmodel._units import units
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
        registry.load_definitions(["@group scale", *(f"    {line}" for line in _SCALE_DEFINITIONS), "@end"])
    return registry


@functools.cache
def scale_words() -> tuple[str, ...]:
    """Every spelling of every scale word in the registry's ``scale`` group, longest first.

    Examples:
        >>> from capexmodel._units import scale_words
        >>> scale_words()[:4]
        ('thousand', 'trillion', 'billion', 'million')
        >>> "万亿" in scale_words() and "億" in scale_words()
        True
    """
    spellings = (
        part.strip() for line in _SCALE_DEFINITIONS for index, part in enumerate(line.split("=")) if index != 1
    )
    return tuple(sorted({word for word in spellings if word != "_"}, key=lambda word: (-len(word), word)))


def scale_factor(word: str) -> Decimal:
    """The exact multiple a scale word stands for, read from the registry.

    Latin words are read in any case ("Billion", "BN"). A word outside the ``scale``
    group (a unit such as ``meter``, or no unit at all) raises `LookupError`. The
    factors are read from pint once, whatever the caller's decimal context.

    Examples:
        >>> from capexmodel._units import scale_factor
        >>> scale_factor("亿"), scale_factor("Billion"), scale_factor("萬億")
        (Decimal('100000000'), Decimal('1000000000'), Decimal('1000000000000'))
    """
    factor = _scale_factors().get(word.lower() if word.isascii() else word)
    if factor is None:
        msg = f"{word!r} is not a scale word"
        raise LookupError(msg)
    return factor


@functools.cache
def _scale_factors() -> Mapping[str, Decimal]:
    """Each scale word's multiple, converted by pint (in the library's context, exact for powers of ten)."""
    registry = units()
    with decimal.localcontext(QUOTIENT):
        return MappingProxyType({word: Decimal(registry.Quantity(Decimal(1), word).m_as("")) for word in scale_words()})
