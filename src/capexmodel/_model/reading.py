"""Amounts and numbers read from text, exactly: the grammar that `parse_money` and `parse_number` read.

The number is read through babel's CLDR data for a locale (its grouping and decimal
signs, its currency symbols and compact suffixes), the scale words of
`capexmodel._model.scale` (万, 亿, 万亿, thousand, million, billion, trillion, ...),
and every number stays an exact `Decimal`. The data loader reads its files' numbers
with `parse_number`; the formatter (`capexmodel._present.format`) reads its own text
back with this grammar before it returns it.

Every function here computes in the library's own decimal contexts, never in the
caller's, and leaves the caller's context and its flags as they were.
"""

from __future__ import annotations

import decimal
import functools
import re
import unicodedata
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple, ParamSpec, TypeVar

from capexmodel._context import EXACT
from capexmodel._errors import (
    CurrencyMismatchError,
    InvalidAmountError,
    InvalidValueError,
    UnknownCurrencyError,
    show,
)
from capexmodel._lazy import public
from capexmodel._model.company import number_character
from capexmodel._model.currency import Currency
from capexmodel._model.money import _MAX_MAGNITUDE, Money, _bounded
from capexmodel._model.scale import LETTERS, scale_factor, scale_words

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import babel

    from capexmodel._model.period import Period

__all__ = ["ARTICLE_CURRENCY_NAMES", "parse_money", "parse_number"]


#: How Simplified Chinese financial writing names three currencies, where CLDR's names
#: differ or may drift: CNY is 元 (CLDR: 人民币), USD 美元 and HKD 港元, so that
#: ``format_money`` writes "800亿元" and "777亿美元" as the article does. Every other
#: currency takes babel's name for the locale (欧元, 日元, ...); traditional-script
#: locales (zh_TW, zh_HK) take babel's names for all. Parsing reads these names too.
ARTICLE_CURRENCY_NAMES: Final[Mapping[str, str]] = MappingProxyType({"USD": "美元", "CNY": "元", "HKD": "港元"})


#: The compact suffixes of English amounts, each the scale word it abbreviates ("$77.7B"),
#: read after a number in any ASCII case.
_LETTER_SCALES: Final[Mapping[str, str]] = MappingProxyType({letter.lower(): word for letter, word in LETTERS.items()})


#: A currency code in text: three letters, not run into a fourth.
_CODE: Final = re.compile("[A-Za-z]{3}(?![A-Za-z])")


#: The locales whose currency symbols are read when `parse_money` is given no locale.
_DEFAULT_READING_LOCALES: Final = ("en_US", "zh_CN")


_MONEY_EXAMPLES: Final = "'800亿元', '777亿美元', '$77.7B', '77.7 billion USD' or '82,999 million USD'"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_own_context(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `function` in the library's exact context: the caller's is neither used nor changed."""

    @functools.wraps(function)
    def in_own_context(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with decimal.localcontext(EXACT):
            return function(*args, **kwargs)

    return in_own_context


@public
@_in_own_context
def parse_money(
    text: str,
    period: Period,
    *,
    currency: str | None = None,
    locale: str | babel.Locale | None = None,
) -> Money:
    """Read an amount written the way people write them, exactly.

    The text is a number, an optional scale and a currency: "800亿元", "777亿美元",
    "1.5万亿元", "111亿港元", "$77.7B", "77.7 billion USD", "USD 77.7 billion",
    "82,999 million USD", "-CN¥1.2T". In detail:

    - the number is read exactly (never through a float), with the locale's grouping
      and decimal sign, which must be well placed as one of the locale's patterns
      places them ("1,2" and "0,123" are refused), and an optional sign before it or
      before the currency, or after it where the locale writes it there (Frisian
      "1.500,00-"). Its digits may be of any script, as `Decimal` reads them
      (Unicode's decimal digits: ١٢٣, १२३, full-width digits); a character that
      only stands for a number (², ①, ½, Ⅻ) is refused, by name;
    - the scale is one or more scale words (万, 亿, 万亿, 千, their
      traditional forms 萬, 億, and thousand, million, billion, trillion, mn, bn, tn in
      upper or lower case), or one of the suffixes K, M, B, T right after the number. With a
      `locale`, the locale's own compact suffixes are read too, as CLDR defines them
      (German "Mrd.", French "Md", Japanese 兆), and an English word or letter the
      locale gives another meaning is refused rather than misread (French "Bn" and
      Spanish "B" are 10**12; Swedish "tn" is a thousand). No scale is read where
      a longer currency symbol or code starts: Spanish "5 BTN" is 5 ngultrum;
    - the currency, before or after, is an ISO code (``USD``), a currency symbol of
      the locale (``$``, ``CN¥``, ``HK$``; of en_US and zh_CN when no locale is given),
      or a currency's Chinese name: babel's (人民币, 欧元) or the article's
      (元 for CNY, 美元, 港元; see `ARTICLE_CURRENCY_NAMES`). 元, 美元, 港元 and 日元
      are told apart. A symbol that means different currencies in different
      locales (¥ is JPY in en_US, CNY in zh_CN) needs `currency` or `locale`.

    Args:
        text: The text to read.
        period: The period the amount flows over.
        currency: The currency when the text names none ("48.5万"); when the text
            names one, the two must agree.
        locale: The locale the text is written for, which decides its grouping and
            decimal signs and its currency symbols; by default, English and
            Chinese conventions.

    Returns:
        The exact amount.

    Raises:
        InvalidAmountError: the text cannot be read as an amount, names no currency
            and `currency` is not given, or names an ambiguous one; the message
            quotes the text.
        CurrencyMismatchError: the text names a currency other than `currency`.
        UnknownCurrencyError: `currency` is not a known code.
        InvalidPeriodError: `period` is not a `Period`.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._model.reading import parse_money
        >>> y24 = cm.CalendarYear(2024)
        >>> parse_money("1.5万亿元", y24)
        Money('1500000000000', 'CNY', Period.parse('2024'))
        >>> parse_money("$77.7B", y24)
        Money('77700000000', 'USD', Period.parse('2024'))
        >>> parse_money("1,5 Bn €", y24, locale="fr_FR")  # a French billion is 10**12
        Money('1500000000000', 'EUR', Period.parse('2024'))
        >>> parse_money("48.5万", y24, currency="CNY")
        Money('485000', 'CNY', Period.parse('2024'))
        >>> parse_money("48.5万", y24)
        Traceback (most recent call last):
        ...
        capexmodel.InvalidAmountError: '48.5万' names no currency: pass currency=, as in ...
    """
    amount, named = _read_text(text, locale, what="an amount of money", examples=_MONEY_EXAMPLES)
    wanted = None if currency is None else Currency(currency)
    if named is None:
        if wanted is None:
            msg = f"{show(text)} names no currency: pass currency=, as in parse_money({text!r}, period, currency='CNY')"
            raise InvalidAmountError(msg)
        return Money(amount, wanted, period)
    spelling, codes = named
    if wanted is not None:
        if wanted not in codes:
            named_as = " or ".join(sorted(codes)) + ("" if spelling.upper() in codes else f" ({spelling!r})")
            msg = f"{show(text)} is in {named_as}, but currency={wanted.code!r}"
            raise CurrencyMismatchError(msg)
        return Money(amount, wanted, period)
    if len(codes) > 1:
        msg = (
            f"{show(text)} is ambiguous: {spelling!r} is {' or '.join(sorted(codes))};"
            " pass currency= or the locale= it is written for"
        )
        raise InvalidAmountError(msg)
    (code,) = codes
    return Money(amount, code, period)


@public
@_in_own_context
def parse_number(text: str, *, locale: str | babel.Locale | None = None) -> Decimal:
    """Read a number with an optional scale, exactly: "48.5万" is 485000.

    The number and the scale are read as `parse_money` reads them; a currency is
    refused (read it with `parse_money`).

    Args:
        text: The text to read.
        locale: The locale the text is written for (its grouping and decimal signs);
            by default, English and Chinese conventions.

    Returns:
        The exact number.

    Raises:
        InvalidAmountError: the text is not a number with an optional scale; the
            message quotes it.

    Examples:
        >>> from capexmodel._model.reading import parse_number
        >>> parse_number("48.5万"), parse_number("1.5万亿"), parse_number("82,999 million")
        (Decimal('485000'), Decimal('1500000000000'), Decimal('82999000000'))
    """
    amount, named = _read_text(text, locale, what="a number", examples="'48.5万', '1.5万亿' or '82,999 million'")
    if named is not None:
        msg = f"{show(text)} is an amount of money, not a number: read it with parse_money()"
        raise InvalidAmountError(msg)
    return amount


# Parsing helpers


def _parse_locale(locale: object) -> babel.Locale:
    """A babel `Locale` from an identifier (``zh_CN`` or ``zh-CN``) or a `Locale`."""
    import babel  # noqa: PLC0415 -- babel loads lazily, on first use

    if isinstance(locale, babel.Locale):
        return locale
    if isinstance(locale, str):
        try:
            return babel.Locale.parse(locale.replace("-", "_"))
        except (babel.UnknownLocaleError, ValueError):
            pass
    msg = f"unknown locale {show(locale)}: expected a CLDR locale such as 'zh_CN' or 'en_US'"
    raise InvalidValueError(msg)


class _Parts(NamedTuple):
    """The parts of an amount in text, as a `_Reader` finds them."""

    sign: str | None
    before: str | None
    sign2: str | None
    number: str
    sign3: str | None
    words: str | None
    letter: str | None
    after: str


class _Reader:
    """The grammar of amounts in one locale: compiled patterns, its scale words and currency spellings.

    The patterns have no two ways to match one text (each number, word and run of
    spaces is matched atomically, and currencies are looked up, not matched), so that
    reading takes time linear in the text's length whatever the text; a longer scale
    word is preferred to two shorter ones (万亿, not 万 and 亿), which mean the same.
    """

    def __init__(self, locale: babel.Locale | None) -> None:
        import babel  # noqa: PLC0415 -- babel loads lazily, on first use
        from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol  # noqa: PLC0415

        number_locale = locale or babel.Locale.parse(_DEFAULT_READING_LOCALES[0])
        self.number_locale = number_locale
        self.group = _normalize(get_group_symbol(number_locale))
        self.decimal = _normalize(get_decimal_symbol(number_locale))
        patterns = [
            pattern
            for formats in (number_locale.decimal_formats, number_locale.currency_formats)
            for pattern in formats.values()
        ]
        # Every grouping the locale's patterns use is read: Malayalam groups amounts of
        # money in threes ("77,700,000.00") and other numbers in twos after the first three.
        self.groupings = frozenset(pattern.grouping for pattern in patterns if "," in pattern.pattern)
        # A sign after the number is read only where the locale writes one (Frisian "1.500,00-").
        self.trailing_sign = any("-" in pattern.suffix[1] for pattern in patterns)
        symbol_locales = [locale] if locale else [babel.Locale.parse(name) for name in _DEFAULT_READING_LOCALES]
        self.currencies = _currency_spellings(symbol_locales)
        # A locale's own compact suffixes (Mrd., Md, 兆, 억) are read as CLDR defines them, and
        # an English word or letter they give another meaning is not read at all: French
        # "Bn" and Swedish "bn" are 10**12, Spanish "B" too, Swedish "tn" is a thousand.
        self.suffixes = _compact_suffixes(locale) if locale else {}
        words = [word for word in scale_words() if not self._clashes(word, scale_factor(word))]
        letters = [letter for letter, word in _LETTER_SCALES.items() if not self._clashes(letter, scale_factor(word))]
        by_initial: dict[str, list[str]] = {}
        for spelling in self.currencies:
            by_initial.setdefault(spelling[0].casefold(), []).append(spelling)
        alternatives = [
            _word_pattern(word, by_initial.get(word[0].casefold(), []), english=word in words)
            for word in sorted({*words, *self.suffixes}, key=lambda word: (-len(word), word))
        ]
        word = f"(?>{'|'.join(alternatives)})"
        letter = "|".join(_word_pattern(one, by_initial.get(one, []), letter=True) for one in letters) or "(?!)"
        group, point = re.escape(self.group), re.escape(self.decimal)
        number = rf"(?>[0-9]++(?:{group}[0-9]++)*+(?:{point}[0-9]*+)?+|{point}[0-9]++)"
        signs = {"-", "+", "\N{MINUS SIGN}", _normalize(get_minus_sign_symbol(number_locale))}
        sign = f"[{re.escape(''.join(sorted(signs)))}]"
        space = r"\s*+"
        # A currency is looked up, not matched: before the number, the longest spelling
        # or code there (`currency_at`); after it, all that is left. Hundreds of
        # spellings in the pattern would make compiling it slow.
        self.head = re.compile(rf"(?P<sign>{sign})?{space}")
        self.body = re.compile(
            rf"{space}(?P<sign2>{sign})?{space}(?P<number>{number})(?P<sign3>{sign})?"
            rf"(?:{space}(?P<words>{word}(?:{space}{word})*+)|(?P<letter>{letter}))?{space}(?P<after>(?s:.*))",
        )
        self.words = re.compile(word)
        self.longest = max(map(len, self.currencies))

    def parts(self, text: str) -> _Parts | None:
        """The parts of `text`, or None if it is not a number with an optional scale and currency."""
        head = self.head.match(text)
        assert head is not None  # noqa: S101 -- every part of the head is optional
        before = self.currency_at(text, head.end())
        body = self.body.fullmatch(text, head.end() + len(before or ""))
        if body is None:
            return None
        return _Parts(head["sign"], before, *body.group("sign2", "number", "sign3", "words", "letter", "after"))

    def currency_at(self, text: str, start: int) -> str | None:
        """The longest currency spelling, or three letters not run into a fourth (a code), at `start`, if any."""
        spelling = next(
            (text[start:end] for end in range(start + self.longest, start, -1) if text[start:end] in self.currencies),
            None,
        )
        code = _CODE.match(text, start)
        return code[0] if code is not None and len(spelling or "") < len(code[0]) else spelling

    def _clashes(self, word: str, factor: Decimal) -> bool:
        """Whether the locale spells `word` (in any case) as a suffix with another meaning."""
        return any(suffix.casefold() == word.casefold() and value != factor for suffix, value in self.suffixes.items())

    def factor(self, word: str) -> Decimal:
        """The multiple a scale word or suffix stands for: the locale's CLDR suffix, else the scale word.

        Every one is a power of ten, returned as ``1E+n``, so that multiplying many of
        them takes no longer than adding their exponents.
        """
        suffix = self.suffixes.get(word)
        factor = suffix if suffix is not None else scale_factor(_LETTER_SCALES.get(word.lower(), word))
        return factor.normalize(EXACT)

    def well_grouped(self, groups: list[str]) -> bool:
        """Whether the digits between group signs follow one of the locale's groupings, with no leading zero.

        A grouping is (primary, secondary): the last group has `primary` digits, those
        before it `secondary`, and the first one to `secondary` ("1,23,45,678" is
        (3, 2)). "0,123" is refused: no locale groups a leading zero, and a European
        reader means 0.123.
        """
        first, *middle, last = groups
        return not first.startswith("0") and any(
            len(last) == primary and len(first) <= secondary and all(len(group) == secondary for group in middle)
            for primary, secondary in self.groupings
        )


def _word_pattern(word: str, currencies: Iterable[str], *, english: bool = False, letter: bool = False) -> str:
    """A scale word in a pattern: English words and letters in any ASCII case and not run into another word.

    A locale's CLDR suffix is matched as CLDR writes it, and may touch a currency
    ("77.7GUS$"). No word is read where a longer currency symbol or code starts:
    Spanish "B" (10**12) is not the B of "BTN", Portuguese "M" not the M of "MTn",
    the letter K not the K of "Kč".
    """
    folded = word.casefold() if english or letter else word
    longer = [
        re.escape(spelling)
        for spelling in currencies
        if len(spelling) > len(word) and (spelling.casefold() if english or letter else spelling).startswith(folded)
    ]
    if re.fullmatch("[A-Za-z]{1,2}", word):
        longer.append("[A-Za-z]{3}(?![A-Za-z])")
    guard = f"(?!{'|'.join(longer)})" if longer else ""
    if (english and word.isascii()) or letter:
        # ASCII case only: re's Unicode case folding would match a long s (U+017F) to s, a dotless i to i.
        return f"{guard}(?ai:{re.escape(word)})(?![A-Za-z])"
    return f"{guard}{re.escape(word)}"


def _compact_suffixes(locale: babel.Locale) -> dict[str, Decimal]:
    """The locale's compact-number suffixes and what each multiplies by, from CLDR's short patterns.

    A pattern such as ``0 Mrd'.' ¤`` at magnitude 10**9 makes ``Mrd.`` mean 10**9, and
    ``0000亿`` at 10**11 makes 亿 mean 10**8. Words written before the number (Swahili
    "elfu 0") are not read; a suffix that means two things in one locale is left out.
    """
    from babel.numbers import parse_pattern  # noqa: PLC0415 -- babel loads lazily, on first use

    found: dict[str, set[Decimal]] = {}
    for formats in (locale.compact_decimal_formats, locale.compact_currency_formats):
        for by_magnitude in formats.get("short", {}).values():
            for magnitude, written in by_magnitude.items():
                pattern = parse_pattern(written)
                suffix = " ".join(_normalize(pattern.suffix[0].replace("¤", "").replace("'", "")).split())
                zeros = pattern.int_prec[0]
                if suffix and zeros:
                    found.setdefault(suffix, set()).add(Decimal(int(magnitude)).scaleb(1 - zeros))
    return {suffix: factors.pop() for suffix, factors in found.items() if len(factors) == 1}


#: The compatibility forms folded into the plain characters they stand for: full- and
#: half-width forms (the full-width dollar, yen and comma). Every other compatibility
#: form is left as it is written.
_FOLDED_FORMS: Final = ("<wide>", "<narrow>")


def _normalize(text: str) -> str:
    """Write `text` the one way the grammar reads it.

    Decimal digits of any script (Unicode category Nd, the digits `Decimal` reads: ７,
    ٧, ७) become ASCII digits, every space a plain space, full- and half-width forms
    the characters they stand for, and format marks (category Cf, such as the
    direction marks of right-to-left locales) are dropped. Nothing else is folded:
    NFKC would turn ³ into 3 and ① into 1.
    """
    composed = unicodedata.normalize("NFC", text)
    return composed if composed.isascii() else "".join(map(_fold, composed))


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "Cf":
        return ""
    if category == "Zs":
        return " "
    if unicodedata.decomposition(char).startswith(_FOLDED_FORMS):
        return unicodedata.normalize("NFKC", char)
    return char


def _currency_spellings(locales: list[babel.Locale]) -> dict[str, frozenset[str]]:
    """Symbols of `locales`, the Chinese names of currencies, and the article's names, each with its codes."""
    found: dict[str, set[str]] = {}
    for where in locales:
        for code, symbol in where.currency_symbols.items():
            # A symbol spelt like a code is read as that code: en_US writes ILR as "ILS".
            # A symbol that is only a format mark (CLDR's Portuguese escudo is U+200B) is not read.
            if not re.fullmatch("[A-Z]{3}", symbol) and _normalize(symbol):
                found.setdefault(_normalize(symbol), set()).add(code)
    for name in {"zh_CN", *(str(where) for where in locales if where.language == "zh")}:
        for spelling, codes in _chinese_names(name).items():
            found.setdefault(spelling, set()).update(codes)
    for code, name in ARTICLE_CURRENCY_NAMES.items():
        found[name] = {code}
    return {spelling: frozenset(codes) for spelling, codes in found.items()}


@functools.cache
def _chinese_names(locale_name: str) -> Mapping[str, frozenset[str]]:
    """Babel's names of currencies in a Chinese locale, each with its codes (read once for each locale)."""
    import babel  # noqa: PLC0415 -- babel loads lazily, on first use

    found: dict[str, set[str]] = {}
    for code, name in babel.Locale.parse(locale_name).currencies.items():
        found.setdefault(_normalize(name), set()).add(code)
    return MappingProxyType({name: frozenset(codes) for name, codes in found.items()})


@functools.lru_cache(maxsize=64)
def _reader(locale_name: str | None) -> _Reader:
    """The grammar of one locale (or of English and Chinese, for None), built once for each of the last 64 used."""
    return _Reader(None if locale_name is None else _parse_locale(locale_name))


def _read_text(
    text: object, locale: str | babel.Locale | None, *, what: str, examples: str
) -> tuple[Decimal, tuple[str, frozenset[str]] | None]:
    """The exact number in `text`, within the bounds of an amount, and the currency it names, if any."""
    if not isinstance(text, str):
        msg = f"cannot read {what} from {show(text)}: expected a string such as {examples}"
        raise InvalidAmountError(msg)
    plain = _PLAIN.fullmatch(text.lower() if text.isascii() else text) if locale is None else None
    if plain is not None:
        amount, named = _scaled(Decimal(plain["number"]), _product(_SCALE_WORD.findall(plain["words"] or ""))), None
    else:
        reader = _reader(None if locale is None else str(_parse_locale(locale)))
        amount, named = _read(text, reader, what=what, examples=examples)
    return _bounded(amount, lambda: f"the number in {show(text)}"), named


#: One scale word as `_PLAIN` reads it, lowercase, the longest first (万亿, not 万 and 亿,
#: which mean the same); an English word is not run into another word.
_SCALE_WORD: Final = re.compile("|".join(re.escape(w) + ("(?![a-z])" if w.isascii() else "") for w in scale_words()))


#: Text the grammar of the default locales (English and Chinese) reads without
#: needing their locale data: ASCII digits with an optional decimal point and no sign,
#: then optionally scale words, with single spaces ("149亿", "82999 million",
#: "7.230"); read in lower case where it is ASCII. The grammar reads every such text
#: alike, as this number (no currency spelling of those locales starts with a digit or
#: is spelt as scale words: tested), so reading it this way first spares loading their
#: locale data and building the grammar, most of what loading the embedded dataset
#: would cost. (Case-insensitive patterns would take several times longer to compile.)
_PLAIN: Final = re.compile(
    rf"(?P<number>[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)"
    rf"(?: ?(?P<words>(?:{_SCALE_WORD.pattern})(?: ?(?:{_SCALE_WORD.pattern}))*+))?"
)


def _read(text: str, reader: _Reader, *, what: str, examples: str) -> tuple[Decimal, tuple[str, frozenset[str]] | None]:
    """The exact number in `text`, and the currency it names (its spelling and codes), if any."""
    stray = number_character(text)
    if stray is not None:
        name = unicodedata.name(stray, f"U+{ord(stray):04X}")
        msg = f"cannot read {show(text)} as {what}: {stray!r} ({name}) is not a decimal digit"
        raise InvalidAmountError(msg)
    parts = reader.parts(_normalize(text).strip())
    if parts is None or not _currency_like(parts.after, reader):
        msg = (
            f"cannot read {show(text)} as {what}: expected a number, an optional scale"
            f" (万, 亿, 万亿, thousand, million, billion, K, M, B ...) and a currency, as in {examples}"
        )
        if what == "a number":
            msg = f"cannot read {show(text)} as {what}: expected a number and an optional scale, as in {examples}"
        raise InvalidAmountError(msg)
    signs = [sign for sign in (parts.sign, parts.sign2, parts.sign3) if sign is not None]
    if len(signs) > 1:
        msg = f"cannot read {show(text)} as {what}: it has two signs"
        raise InvalidAmountError(msg)
    if parts.sign3 is not None and not reader.trailing_sign:
        msg = f"cannot read {show(text)} as {what}: {reader.number_locale} writes no sign after a number"
        raise InvalidAmountError(msg)
    if parts.before and parts.after:
        msg = f"cannot read {show(text)} as {what}: it names a currency twice"
        raise InvalidAmountError(msg)
    number = _read_number(parts.number, reader, text, what)
    amount = _scaled(number, _scale(parts.words, parts.letter, reader))
    if signs and signs[0] != "+":
        amount = EXACT.minus(amount)
    spelling = parts.before or parts.after or None
    return amount, None if spelling is None else (spelling, _currency_codes(spelling, reader, text, what))


def _read_number(digits: str, reader: _Reader, text: str, what: str) -> Decimal:
    """Read the digits of a number exactly, checking that the locale groups them so."""
    whole, point, fraction = digits.partition(reader.decimal)
    groups = whole.split(reader.group)
    if len(groups) > 1 and not reader.well_grouped(groups):
        msg = f"cannot read {show(text)} as {what}: {digits!r} is not a well-formed number in {reader.number_locale}"
        raise InvalidAmountError(msg)
    integer = "".join(groups)
    return Decimal(f"{integer}.{fraction}" if point else integer)


def _scaled(number: Decimal, factor: Decimal) -> Decimal:
    """`number` times the factor its scale words give, written plainly where that is exact."""
    amount = number if factor == 1 else EXACT.multiply(number, factor)
    if factor != 1 and amount.adjusted() < _MAX_MAGNITUDE:  # beyond, out of range: never written out in full
        amount = _whole_if_integral(amount)
    return amount


def _product(words: Iterable[str]) -> Decimal:
    """The product of scale words' multiples, each a power of ten written as ``1E+n``."""
    factor = Decimal(1)
    for word in words:
        factor = EXACT.multiply(factor, scale_factor(word).normalize(EXACT))
    return factor


def _whole_if_integral(number: Decimal) -> Decimal:
    """Write a scaled number plainly: 1.5万亿 is 1500000000000 (not 1.5E+12), 12.30万 is 123000, 1.2345万 is 12345."""
    normalized = number.normalize(EXACT)
    positive_exponent = normalized.adjusted() >= len(normalized.as_tuple().digits)
    return normalized.quantize(Decimal(1), context=EXACT) if positive_exponent else normalized


def _scale(words: str | None, letter: str | None, reader: _Reader) -> Decimal:
    """The product of the scale words (or the letter suffix), from the scale-word table or the locale's CLDR data."""
    factor = Decimal(1)
    if letter is not None:
        factor = reader.factor(letter)
    elif words is not None:
        for word in reader.words.findall(words):
            factor = EXACT.multiply(factor, reader.factor(word))
    return factor


def _currency_like(spelling: str, reader: _Reader) -> bool:
    """Whether the text after the number is nothing, a currency's spelling, or three letters (a code)."""
    return not spelling or spelling in reader.currencies or re.fullmatch("[A-Za-z]{3}", spelling) is not None


def _currency_codes(spelling: str, reader: _Reader, text: str, what: str) -> frozenset[str]:
    codes = reader.currencies.get(spelling)
    if codes is not None:
        return codes
    try:
        return frozenset({Currency(spelling).code})
    except UnknownCurrencyError:
        msg = f"cannot read {show(text)} as {what}: {spelling!r} is not a known currency code, symbol or name"
        raise InvalidAmountError(msg) from None
