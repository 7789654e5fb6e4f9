"""Currencies: ISO 4217 codes that babel's CLDR data knows."""

from __future__ import annotations

import functools
from typing import Final, final

from capexmodel._errors import UnknownCurrencyError, show
from capexmodel._lazy import load, public

__all__ = ["Currency"]


@functools.cache
def _known_codes() -> frozenset[str]:
    """Every currency code in CLDR, current and historic (loaded once, on first use)."""
    load("babel.core")  # babel loads lazily, on first use, safely from any thread
    from babel.core import get_global  # noqa: PLC0415 -- loaded just above

    return frozenset(get_global("all_currencies"))


@public
@final
class Currency(str):
    """An ISO 4217 currency code known to babel's CLDR data, such as ``"USD"`` or ``"CNY"``.

    A `Currency` is a `str`, so it compares equal to its code. Lower-case input is
    normalised to upper case; anything else that is not a known code raises
    `UnknownCurrencyError`. Instances are interned: ``Currency("usd") is Currency("USD")``.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Currency("cny")
        Currency('CNY')
        >>> cm.Currency("CNY") == "CNY"
        True
    """

    __slots__ = ()

    _interned: Final[dict[object, Currency]] = {}

    def __new__(cls, code: object) -> Currency:
        """Return the interned `Currency` for `code`, validating it on first sight."""
        try:
            return cls._interned[code]
        except (KeyError, TypeError):  # TypeError: an unhashable code
            pass
        if not isinstance(code, str):
            msg = f"a currency code is a string such as 'USD', got {show(code)}"
            raise UnknownCurrencyError(msg)
        canonical = code.upper()
        if not code.isascii() or canonical not in _known_codes():
            msg = f"unknown currency code {show(code)}: expected an ISO 4217 code such as 'USD' or 'CNY'"
            raise UnknownCurrencyError(msg)
        currency = cls._interned.get(canonical)
        if currency is None:
            currency = super().__new__(cls, canonical)
        cls._interned[canonical] = cls._interned[code] = currency
        return currency

    def __repr__(self) -> str:
        """Return ``Currency('USD')``."""
        return f"Currency({str(self)!r})"

    def __reduce__(self) -> tuple[type[Currency], tuple[str]]:
        """Pickle as the code, so unpickling goes through validation and interning."""
        return (Currency, (str(self),))

    @property
    def code(self) -> str:
        """The three-letter code as a plain `str`.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Currency("usd").code
            'USD'
        """
        return str(self)
