"""Scale words: the words amounts are written with (万, 亿, million, bn) and what each multiplies by.

A plain table, read without loading anything: every multiple is an exact power of ten.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["scale_factor", "scale_words"]

#: Each scale word's spellings and the power of ten it stands for. 万亿 is 万 times 亿,
#: a trillion; 萬, 億 and 萬億 are the traditional characters. Words can be multiplied in
#: text ("千亿", "thousand million"). The suffixes K, M, B and T are read by the number
#: reader, as abbreviations of these words.
_SPELLINGS: Final = (
    (("thousand",), 3),
    (("million", "mn"), 6),
    (("billion", "bn"), 9),
    (("trillion", "tn"), 12),
    (("千",), 3),
    (("万", "萬"), 4),
    (("亿", "億"), 8),
    (("万亿", "萬億"), 12),
)

#: Every spelling and its multiple; Latin words in lower case.
_FACTORS: Final[Mapping[str, Decimal]] = MappingProxyType(
    {spelling: Decimal(10**exponent) for spellings, exponent in _SPELLINGS for spelling in spellings}
)


@functools.cache
def scale_words() -> tuple[str, ...]:
    """Every spelling of every scale word, longest first.

    Examples:
        >>> from capexmodel._scale import scale_words
        >>> scale_words()[:4]
        ('thousand', 'trillion', 'billion', 'million')
        >>> "万亿" in scale_words() and "億" in scale_words()
        True
    """
    return tuple(sorted(_FACTORS, key=lambda word: (-len(word), word)))


def scale_factor(word: str) -> Decimal:
    """The exact multiple a scale word stands for.

    Latin words are read in any ASCII case ("Billion", "BN"). Any other word raises
    `LookupError`.

    Examples:
        >>> from capexmodel._scale import scale_factor
        >>> scale_factor("亿"), scale_factor("Billion"), scale_factor("萬億")
        (Decimal('100000000'), Decimal('1000000000'), Decimal('1000000000000'))
    """
    factor = _FACTORS.get(word.lower() if word.isascii() else word)
    if factor is None:
        msg = f"{word!r} is not a scale word"
        raise LookupError(msg)
    return factor
