"""The library's own decimal contexts: capexmodel never computes in the caller's.

Every computation runs in one of these (``with decimal.localcontext(EXACT):``, or
``EXACT.add(a, b)``), so that a result never depends on the caller's precision,
exponent limits, rounding or traps, and the caller's context and its flags are left
as they were. `decimal.localcontext` works on a copy; calling a context's methods
directly may leave flags on it (a quotient's ``Inexact``), which nothing reads.
Neither context traps ``Inexact`` or ``Rounded``: rounding a quotient is expected.
Every setting is given, so that none is taken from `decimal.DefaultContext`.

Examples:
    >>> from decimal import Decimal
    >>> from capexmodel._context import EXACT, QUOTIENT
    >>> EXACT.add(Decimal("1e40"), Decimal("1"))
    Decimal('10000000000000000000000000000000000000001')
    >>> QUOTIENT.divide(Decimal(2), Decimal(3))
    Decimal('0.6666666666666666666666666667')
"""

from __future__ import annotations

import decimal
from typing import Final

__all__ = ["EXACT", "QUOTIENT", "QUOTIENT_DIGITS"]

_TRAPS: Final = [decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero]

EXACT: Final = decimal.Context(
    prec=decimal.MAX_PREC,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    capitals=1,
    clamp=0,
    flags=[],
    traps=_TRAPS,
)
"""Sums, differences and products: the largest precision the decimal module allows, so they are exact."""

QUOTIENT_DIGITS: Final = 28
"""Significant digits of a quotient, root or power that does not terminate."""

QUOTIENT: Final = decimal.Context(
    prec=QUOTIENT_DIGITS,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    capitals=1,
    clamp=0,
    flags=[],
    traps=_TRAPS,
)
"""Quotients, roots and powers that do not terminate: rounded once, to 28 significant digits, half to even."""
