"""Scale words: the words amounts are written with (万, 亿, million, bn) and what each multiplies by.

A plain table, read without loading anything: every multiple is an exact power of ten.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NoReturn

from capexmodel._errors import InvalidValueError, show

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["LETTERS", "scale_factor", "scale_words", "unit_words"]

#: Each scale word's spellings and the power of ten it stands for, the first spelling
#: being the one a unit column is written back as. 万亿 is 万 times 亿, a trillion; 萬,
#: 億, 百萬 and 萬億 are the traditional characters. Words can be multiplied in text
#: ("千亿", "thousand million").
_SPELLINGS: Final = (
    (("thousand", "thousands"), 3),
    (("million", "millions", "mn"), 6),
    (("billion", "billions", "bn"), 9),
    (("trillion", "trillions", "tn"), 12),
    (("千",), 3),
    (("万", "萬"), 4),
    (("百万", "百萬"), 6),
    (("亿", "億"), 8),
    (("万亿", "萬億"), 12),
)

#: The one-letter abbreviations of scale words: "$77.7B" in an amount, ``M`` in a unit
#: column. A unit column takes them in upper case only: a lower-case ``m`` may be milli.
LETTERS: Final[Mapping[str, str]] = MappingProxyType({"K": "thousand", "M": "million", "B": "billion", "T": "trillion"})

#: Every spelling and its multiple; Latin words in lower case.
_FACTORS: Final[Mapping[str, Decimal]] = MappingProxyType(
    {spelling: Decimal(10**exponent) for spellings, exponent in _SPELLINGS for spelling in spellings}
)

#: Every spelling and the first spelling of its word.
_FIRST: Final[Mapping[str, str]] = MappingProxyType(
    {spelling: spellings[0] for spellings, _ in _SPELLINGS for spelling in spellings}
)


@functools.cache
def scale_words() -> tuple[str, ...]:
    """Every spelling of every scale word, longest first.

    Examples:
        >>> from capexmodel._model.scale import scale_words
        >>> scale_words()[:4]
        ('thousands', 'trillions', 'billions', 'millions')
        >>> "万亿" in scale_words() and "億" in scale_words()
        True
    """
    return tuple(sorted(_FACTORS, key=lambda word: (-len(word), word)))


def scale_factor(word: str) -> Decimal:
    """The exact multiple a scale word stands for.

    Latin words are read in any ASCII case ("Billion", "BN"). Any other word raises
    `LookupError`.

    Examples:
        >>> from capexmodel._model.scale import scale_factor
        >>> scale_factor("亿"), scale_factor("Billion"), scale_factor("萬億")
        (Decimal('100000000'), Decimal('1000000000'), Decimal('1000000000000'))
    """
    factor = _FACTORS.get(word.lower() if word.isascii() else word)
    if factor is None:
        msg = f"{word!r} is not a scale word"
        raise LookupError(msg)
    return factor


def unit_words(unit: str) -> str:
    """The scale words a data file's unit column gives, each in its first spelling ("" for none).

    Latin words are read in any ASCII case ("Millions", "BN"), the letters K, M, B
    and T in upper case only, Chinese words with or without spaces between them
    ("百万", "千 亿"). Anything else raises `InvalidValueError`, saying what to write:
    a lower-case ``m`` or ``k`` is refused, since ``m`` may be milli.

    Examples:
        >>> from capexmodel._model.scale import unit_words
        >>> unit_words("M"), unit_words("Billions"), unit_words("百萬"), unit_words("thousand mn")
        ('million', 'billion', '百万', 'thousand million')
        >>> unit_words("m")
        Traceback (most recent call last):
        ...
        capexmodel.InvalidValueError: a unit of 'm' is ambiguous (a lower-case letter may be a unit of measure, ...
    """
    words: list[str] = []
    for token in unit.split():
        if token in LETTERS:
            words.append(LETTERS[token])
        elif token.upper() in LETTERS:
            letter = token.upper()
            msg = (
                f"a unit of {token!r} is ambiguous (a lower-case letter may be a unit of measure, m milli):"
                f" write {letter!r} or {LETTERS[letter]!r}"
            )
            raise InvalidValueError(msg)
        elif token.isascii():
            words.append(_word(token.lower(), unit))
        else:
            words.extend(_chinese_words(token, unit))
    # Chinese words are written together ("千亿"), Latin words apart ("thousand million").
    return "".join(f" {word}" if word.isascii() else word for word in words).strip()


def _chinese_words(token: str, unit: str) -> list[str]:
    """The scale words run together in `token`, the longest first at each place ("万亿", not 万 and 亿)."""
    words = []
    start = 0
    while start < len(token):
        end = next((end for end in range(len(token), start, -1) if token[start:end] in _FACTORS), None)
        if end is None:
            _not_a_unit(unit)
        words.append(_FIRST[token[start:end]])
        start = end
    return words


def _word(word: str, unit: str) -> str:
    first = _FIRST.get(word)
    if first is None:
        _not_a_unit(unit)
    return first


def _not_a_unit(unit: str) -> NoReturn:
    msg = (
        "a unit is scale words such as 亿, 万, 百万, million, mn, billion, bn, thousand"
        f" or the letters K, M, B, T (or nothing), got {show(unit)}"
    )
    raise InvalidValueError(msg)
