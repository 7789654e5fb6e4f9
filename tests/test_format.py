"""Formatting amounts, ratios and percentages for a locale, and parsing amounts back."""

import contextlib
import decimal
import re
import subprocess
import sys
import unicodedata
from decimal import Decimal

import babel
import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._model import reading
from capexmodel._model.reading import ARTICLE_CURRENCY_NAMES, parse_money, parse_number
from capexmodel._model.scale import scale_factor, scale_words
from capexmodel._present.format import format_money, format_percent, format_ratio
from tests import strategies as cms

Y24 = cm.CalendarYear(2024)
NBSP = "\N{NO-BREAK SPACE}"


def money(amount, currency="USD"):
    return cm.Money(amount, currency, Y24)


# format_money, short style


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("77700000000", "USD", "777亿美元"),
        ("80000000000", "CNY", "800亿元"),
        ("1500000000000", "CNY", "1.5万亿元"),
        ("11065006915.63", "USD", "111亿美元"),
        ("258000000000", "USD", "2580亿美元"),
        ("44600000000", "USD", "446亿美元"),
        ("11100000000", "HKD", "111亿港元"),
        ("485000", "CNY", "48.5万元"),
        ("-77700000000", "USD", "-777亿美元"),
        ("100000000000000", "CNY", "100万亿元"),
        ("1234", "CNY", "1230元"),
        ("0.5", "USD", "0.5美元"),
        ("0", "CNY", "0元"),
        ("77700000000", "EUR", "777亿欧元"),
        ("77700000000", "JPY", "777亿日元"),
    ],
)
def test_simplified_chinese_reads_as_the_article_writes(amount, currency, expected):
    assert format_money(money(amount, currency), locale="zh_CN") == expected


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("77700000000", "USD", "$77.7B"),
        ("80000000000", "USD", "$80B"),
        ("258000000000", "USD", "$258B"),
        ("1500000000000", "USD", "$1.5T"),
        ("48500", "USD", "$48.5K"),
        ("-77700000000", "USD", "-$77.7B"),
        ("80000000000", "CNY", "CN¥80B"),
        ("11100000000", "HKD", "HK$11.1B"),
        ("999", "USD", "$999"),
    ],
)
def test_english_uses_babels_compact_currency_format(amount, currency, expected):
    assert format_money(money(amount, currency), locale="en_US") == expected
    assert format_money(money(amount, currency)) == expected  # en_US is the default


def test_the_article_names_override_cldr_only_for_three_currencies():
    assert dict(ARTICLE_CURRENCY_NAMES) == {"USD": "美元", "CNY": "元", "HKD": "港元"}
    assert babel.numbers.get_currency_name("CNY", locale="zh_CN") == "人民币"  # what the override replaces
    assert format_money(money("80000000000", "CNY"), locale="zh_CN") == "800亿元"


def test_other_chinese_locales_use_babels_units_and_names():
    assert format_money(money("77700000000"), locale="zh_TW") == "777億美元"
    assert format_money(money("80000000000", "CNY"), locale="zh_TW") == "800億人民幣"
    assert format_money(money("77700000000", "CNY"), locale="zh_Hans_SG") == "777亿元"


def test_other_locales_follow_babel():
    assert format_money(money("77700000000"), locale="de_DE") == f"77,7{NBSP}Mrd.{NBSP}$"
    assert format_money(money("77700000000", "EUR"), locale="en_GB") == "€77.7bn"
    assert parse_money("€77.7bn", Y24) == money("77700000000", "EUR")


def test_locales_are_accepted_as_bcp47_tags_and_babel_locales():
    m = money("77700000000")
    assert format_money(m, locale="zh-CN") == format_money(m, locale=babel.Locale.parse("zh_CN")) == "777亿美元"


@pytest.mark.parametrize(
    ("amount", "digits", "expected"),
    [
        ("11065006915.63", 1, "100亿美元"),
        ("11065006915.63", 2, "110亿美元"),
        ("11065006915.63", 4, "110.7亿美元"),
        ("11065006915.63", 5, "110.65亿美元"),
        ("11065000000", 4, "110.6亿美元"),  # half to even
        ("11075000000", 4, "110.8亿美元"),
        ("99950", 3, "10万美元"),  # rounding carries into the next unit
        ("9999", 3, "1万美元"),
        ("1500000000000", 6, "1.5万亿美元"),  # trailing zeros are not shown
        ("0.001234", 2, "0.0012美元"),
    ],
)
def test_rounding_to_significant_digits(amount, digits, expected):
    assert format_money(money(amount), locale="zh_CN", digits=digits) == expected


def test_many_digits_are_kept_exactly():
    m = money("123456789012345678901234567890.123456789", "CNY")
    assert format_money(m, locale="zh_CN", digits=40) == "123456789012345678.901234567890123456789万亿元"
    assert format_money(m, locale="zh_CN", digits=30) == "123456789012345678.90123456789万亿元"
    assert format_money(m, locale="zh_CN", digits=18) == "123456789012345679万亿元"


def test_extreme_amounts_are_formatted():
    assert format_money(money(10**999 - 1), locale="zh_CN") == "1" + "0" * 987 + "万亿美元"
    assert format_money(money("1E-1000"), locale="en_US") == "$0." + "0" * 999 + "1"


# format_money, precise style


def test_the_precise_style_writes_every_digit():
    assert format_money(money("82999000000"), style="precise") == "$82,999,000,000.00"
    assert format_money(money("11065006915.625"), style="precise") == "$11,065,006,915.625"
    assert format_money(money("82999000000"), locale="zh_CN", style="precise") == "US$82,999,000,000.00"
    long = money("123456789012345678901234567890.123456789", "CNY")
    assert format_money(long, style="precise") == "CN¥123,456,789,012,345,678,901,234,567,890.123456789"
    assert format_money(money("1", "JPY"), locale="ja_JP", style="precise") == "￥1"


# format_money errors


@pytest.mark.parametrize("locale", ["xx", "zh_XX", "", "en-US-x-whatever", 42, None])
def test_an_unknown_locale_is_named(locale):
    with pytest.raises(cm.InvalidValueError, match=rf"unknown locale {locale!r}"):
        format_money(money(1), locale=locale)


@pytest.mark.parametrize("digits", [0, -1, 2001, True, 2.5, "3", None])
def test_bad_digits_are_refused(digits):
    with pytest.raises(cm.InvalidValueError, match="digits must be a whole number"):
        format_money(money(1), digits=digits)


def test_a_bad_style_is_refused():
    with pytest.raises(cm.InvalidValueError, match="style must be one of 'short', 'precise', got 'long'"):
        format_money(money(1), style="long")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [777, Decimal(777), "777 USD", None])
def test_format_money_takes_money(value):
    with pytest.raises(cm.InvalidValueError, match="format_money\\(\\) takes a Money"):
        format_money(value)


# format_ratio and format_percent


@pytest.mark.parametrize(
    ("value", "locale", "digits", "expected"),
    [
        (Decimal("5.7848"), "en_US", 2, "5.8"),
        (Decimal("5.7848"), "zh_CN", 2, "5.8"),
        (Decimal("5.7848"), "de_DE", 2, "5,8"),
        (Decimal("5.7848"), "en_US", 1, "6"),
        (Decimal("3.6"), "en_US", 3, "3.60"),
        (6, "en_US", 2, "6.0"),
        ("0.25", "en_US", 1, "0.2"),  # half to even
        (Decimal(1234567), "en_US", 3, "1,230,000"),
        (Decimal("-0.012345"), "en_US", 2, "-0.012"),
        (Decimal(0), "en_US", 2, "0.0"),
    ],
)
def test_format_ratio(value, locale, digits, expected):
    assert format_ratio(value, locale, digits=digits) == expected


@pytest.mark.parametrize(
    ("value", "locale", "digits", "expected"),
    [
        (Decimal("0.1301"), "en_US", 3, "13.0%"),
        (Decimal("0.1301"), "zh_CN", 3, "13.0%"),
        (Decimal("0.1301"), "de_DE", 3, f"13,0{NBSP}%"),
        (Decimal("0.1301"), "en_US", 2, "13%"),
        (Decimal("0.0125"), "en_US", 2, "1.2%"),
        (Decimal("-0.5"), "en_US", 3, "-50.0%"),
        (Decimal("12.5"), "en_US", 3, "1,250%"),
        (1, "en_US", 3, "100%"),
    ],
)
def test_format_percent(value, locale, digits, expected):
    assert format_percent(value, locale, digits=digits) == expected


@pytest.mark.parametrize("function", [format_ratio, format_percent])
def test_ratios_and_percentages_refuse_floats_bad_locales_and_bad_digits(function):
    with pytest.raises(cm.InvalidAmountError, match="float"):
        function(0.5)
    with pytest.raises(cm.InvalidAmountError, match="finite"):
        function(Decimal("NaN"))
    with pytest.raises(cm.InvalidValueError, match="unknown locale 'xx'"):
        function(Decimal(1), "xx")
    with pytest.raises(cm.InvalidValueError, match="digits"):
        function(Decimal(1), digits=0)


# parse_money


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("800亿元", "80000000000", "CNY"),
        ("777亿美元", "77700000000", "USD"),
        ("1.5万亿元", "1500000000000", "CNY"),
        ("111亿港元", "11100000000", "HKD"),
        ("2580亿美元", "258000000000", "USD"),
        ("100亿日元", "10000000000", "JPY"),
        ("5亿欧元", "500000000", "EUR"),
        ("3800亿人民币", "380000000000", "CNY"),
        ("3千亿元", "300000000000", "CNY"),
        ("1.5萬億元", "1500000000000", "CNY"),
        ("$77.7B", "77700000000", "USD"),
        ("$48.5k", "48500", "USD"),
        ("$1.5T", "1500000000000", "USD"),
        ("$5M", "5000000", "USD"),
        ("CN¥80B", "80000000000", "CNY"),
        ("HK$11.1B", "11100000000", "HKD"),
        ("US$82,999,000,000.00", "82999000000", "USD"),
        ("€77.7B", "77700000000", "EUR"),
        ("77.7 billion USD", "77700000000", "USD"),
        ("USD 77.7 billion", "77700000000", "USD"),
        ("USD77.7B", "77700000000", "USD"),
        ("82,999 million USD", "82999000000", "USD"),
        ("82,999 Million usd", "82999000000", "USD"),
        ("5 thousand million CNY", "5000000000", "CNY"),
        ("5.2bn EUR", "5200000000", "EUR"),
        ("1 BHD", "1", "BHD"),
        ("-777亿美元", "-77700000000", "USD"),
        ("-$77.7B", "-77700000000", "USD"),
        ("$-77.7B", "-77700000000", "USD"),
        ("\N{MINUS SIGN}$77.7B", "-77700000000", "USD"),
        ("+5 USD", "5", "USD"),
        ("  ７７７亿美元 ", "77700000000", "USD"),  # full-width digits and spaces around
        ("$12.50", "12.50", "USD"),
        (".5 USD", "0.5", "USD"),
        ("123456789012345678901234567890.123456789亿元", "12345678901234567890123456789012345678.9", "CNY"),
    ],
)
def test_parse_money(text, amount, currency):
    parsed = parse_money(text, Y24)
    assert parsed == cm.Money(amount, currency, Y24)
    assert type(parsed.amount) is Decimal


def test_yuan_us_dollars_and_hong_kong_dollars_are_told_apart():
    assert [parse_money(f"111亿{name}", Y24).currency for name in ("元", "美元", "港元", "日元", "欧元")] == [
        "CNY",
        "USD",
        "HKD",
        "JPY",
        "EUR",
    ]


def test_scaled_amounts_are_written_without_spurious_decimals():
    assert str(parse_money("1.5万亿元", Y24).amount) == "1500000000000"
    assert str(parse_money("$77.7B", Y24).amount) == "77700000000"
    assert str(parse_money("12.345678万元", Y24).amount) == "123456.78"


def test_a_currency_can_be_given_when_the_text_names_none():
    assert parse_money("48.5万", Y24, currency="CNY") == money("485000", "CNY")
    assert parse_money("1.5 billion", Y24, currency="usd") == money("1500000000", "USD")


def test_a_text_without_a_currency_needs_one():
    with pytest.raises(cm.InvalidAmountError, match="'48.5万' names no currency: pass currency="):
        parse_money("48.5万", Y24)


def test_the_given_currency_must_agree_with_the_text():
    assert parse_money("800亿元", Y24, currency="CNY") == money("80000000000", "CNY")
    with pytest.raises(cm.CurrencyMismatchError, match="'800亿元' is in CNY \\('元'\\), but currency='USD'"):
        parse_money("800亿元", Y24, currency="USD")
    with pytest.raises(cm.CurrencyMismatchError, match="'5 USD' is in USD, but currency='CNY'"):
        parse_money("5 USD", Y24, currency="CNY")
    with pytest.raises(cm.UnknownCurrencyError):
        parse_money("5", Y24, currency="RMB")


def test_an_ambiguous_symbol_needs_a_currency_or_a_locale():
    with pytest.raises(cm.InvalidAmountError, match="'¥' is CNY or JPY; pass currency= or the locale="):
        parse_money("¥800亿", Y24)
    assert parse_money("¥800亿", Y24, currency="CNY") == money("80000000000", "CNY")
    assert parse_money("¥800亿", Y24, locale="zh_CN") == money("80000000000", "CNY")
    assert parse_money("¥800", Y24, locale="en_US") == money("800", "JPY")
    assert parse_money("￥800", Y24, locale="ja_JP") == money("800", "JPY")


def test_the_locale_decides_grouping_and_decimal_signs():
    assert parse_money("1.234,5 €", Y24, locale="de_DE") == money("1234.5", "EUR")
    assert parse_money(f"1\N{NARROW NO-BREAK SPACE}234,5{NBSP}€", Y24, locale="fr_FR") == money("1234.5", "EUR")
    with pytest.raises(cm.InvalidAmountError, match="cannot read '1.234,5 EUR'"):
        parse_money("1.234,5 EUR", Y24)
    with pytest.raises(cm.InvalidAmountError, match="'1,5' is not a well-formed number in en_US"):
        parse_money("1,5 EUR", Y24)


@pytest.mark.parametrize(
    ("text", "locale", "amount", "currency"),
    [
        ("1,5 Bn €", "fr_FR", "1500000000000", "EUR"),  # French billion: 10**12
        ("1,5 Md €", "fr_FR", "1500000000", "EUR"),  # milliard
        ("77,7 Mrd. $", "de_DE", "77700000000", "USD"),
        ("3 bn SEK", "sv_SE", "3000000000000", "SEK"),
        ("3 tn kr", "sv_SE", "3000", "SEK"),  # Swedish "tn" is tusen
        ("5 B USD", "es_ES", "5000000000000", "USD"),  # Spanish billón
        ("5B USD", "es_ES", "5000000000000", "USD"),
        ("5 mil M USD", "es_ES", "5000000000", "USD"),
        ("￥1.5兆", "ja_JP", "1500000000000", "JPY"),
        ("777億美元", "zh_TW", "77700000000", "USD"),
        ("€77.7bn", "en_GB", "77700000000", "EUR"),
        ("₹1.5Cr", "en_IN", "15000000", "INR"),
        ("Rp 5 M", "id_ID", "5000000000", "IDR"),  # Indonesian miliar
        ("Rp 5 jt", "id_ID", "5000000", "IDR"),  # juta
    ],
)
def test_with_a_locale_its_own_compact_suffixes_are_read_as_cldr_defines_them(text, locale, amount, currency):
    assert parse_money(text, Y24, locale=locale) == money(amount, currency)


@pytest.mark.parametrize(
    ("text", "locale"),
    [("1 bn EUR", "fr_FR"), ("5b USD", "es_ES"), ("2 TN SEK", "sv_SE"), ("1 Bn SEK", "sv_SE")],
)
def test_an_english_scale_a_locale_means_otherwise_is_refused_not_misread(text, locale):
    with pytest.raises(cm.InvalidAmountError, match="cannot read"):
        parse_money(text, Y24, locale=locale)


def test_without_a_locale_english_meanings_hold():
    assert parse_money("1 bn EUR", Y24) == money("1000000000", "EUR")
    assert parse_money("5B USD", Y24) == money("5000000000", "USD")


def test_a_symbol_spelt_like_a_code_does_not_hide_the_code():
    assert babel.numbers.get_currency_symbol("ILR", locale="zh_CN") == "ILS"
    assert parse_money("5 ILS", Y24).currency == "ILS"
    assert parse_money("5 ILS", Y24, locale="zh_CN").currency == "ILS"


def test_where_babel_misreads_compact_patterns_the_amount_is_written_in_full():
    # babel 2.19 counts the zeros of Swahili's "0B;-0B" twice and would write 77.7 billion as "7770B".
    text = format_money(money("77700000000", "INR"), locale="sw")
    assert text == f"₹{NBSP}77,700,000,000.00"
    assert parse_money(text, Y24, locale="sw") == money("77700000000", "INR")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cannot read '' as an amount of money"),
        ("abc", "cannot read 'abc' as an amount of money: expected a number"),
        ("5 meters", "cannot read '5 meters'"),
        ("1e5 USD", "cannot read '1e5 USD'"),
        ("NaN USD", "cannot read 'NaN USD'"),
        ("5 5 USD", "cannot read '5 5 USD'"),
        ("5 USD USD", "cannot read '5 USD USD'"),
        ("$77.7 B", "cannot read '\\$77.7 B'"),
        ("1,2亿元", "cannot read '1,2亿元' as an amount of money: '1,2' is not a well-formed number"),
        ("12,34,567 USD", "'12,34,567' is not a well-formed number"),
        ("--5 USD", "cannot read '--5 USD' as an amount of money: it has two signs"),
        ("-$-5", "it has two signs"),
        ("$5 USD", "cannot read '\\$5 USD' as an amount of money: it names a currency twice"),
        ("5 XYZ", "'XYZ' is not a known currency code, symbol or name"),
        ("1" * 1001 + " USD", "is out of range"),
    ],
)
def test_unreadable_text_is_quoted(text, message):
    with pytest.raises(cm.InvalidAmountError, match=message):
        parse_money(text, Y24)


@pytest.mark.parametrize("text", [None, 5, Decimal(5), b"5 USD", ["5 USD"]])
def test_parse_money_takes_a_string(text):
    with pytest.raises(cm.InvalidAmountError, match="expected a string such as '800亿元'"):
        parse_money(text, Y24)


def test_parse_money_needs_a_period():
    with pytest.raises(cm.InvalidPeriodError):
        parse_money("800亿元", "2024")  # type: ignore[arg-type]


def test_an_unknown_reading_locale_is_named():
    with pytest.raises(cm.InvalidValueError, match="unknown locale 'xx'"):
        parse_money("5 USD", Y24, locale="xx")


# parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("48.5万", Decimal(485000)),
        ("1.5万亿", Decimal(1500000000000)),
        ("82,999 million", Decimal(82999000000)),
        ("777亿", Decimal(77700000000)),
        ("77.7B", Decimal(77700000000)),
        ("0.1万", Decimal(1000)),
        ("12", Decimal(12)),
        ("-3.25", Decimal("-3.25")),
        ("2 Billion", Decimal(2000000000)),
    ],
)
def test_parse_number(text, expected):
    parsed = parse_number(text)
    assert parsed == expected
    assert type(parsed) is Decimal


def test_parse_number_refuses_currencies_and_garbage():
    with pytest.raises(cm.InvalidAmountError, match="'800亿元' is an amount of money, not a number"):
        parse_number("800亿元")
    with pytest.raises(cm.InvalidAmountError, match="cannot read 'lots' as a number"):
        parse_number("lots")
    with pytest.raises(cm.InvalidAmountError, match="expected a string"):
        parse_number(48.5)  # type: ignore[arg-type]


def test_parse_number_reads_the_locales_signs():
    assert parse_number("1.234,5 Million", locale="de_DE") == Decimal(1234500000)


# Scale words are a table


def test_scale_words_and_their_multiples():
    expected = {
        "thousand": 10**3,
        "thousands": 10**3,
        "million": 10**6,
        "millions": 10**6,
        "mn": 10**6,
        "billion": 10**9,
        "billions": 10**9,
        "bn": 10**9,
        "trillion": 10**12,
        "trillions": 10**12,
        "tn": 10**12,
        "千": 10**3,
        "万": 10**4,
        "萬": 10**4,
        "百万": 10**6,
        "百萬": 10**6,
        "亿": 10**8,
        "億": 10**8,
        "万亿": 10**12,
        "萬億": 10**12,
    }
    assert sorted(scale_words()) == sorted(expected)
    assert [len(word) for word in scale_words()] == sorted((len(word) for word in expected), reverse=True)
    for word, factor in expected.items():
        assert scale_factor(word) == Decimal(factor)
    assert scale_factor("BN") == scale_factor("Billion") == Decimal(10**9)
    for word in ("meter", "", "K", "亿亿"):
        with pytest.raises(LookupError, match="is not a scale word"):
            scale_factor(word)


@pytest.mark.parametrize(
    "read",
    [
        lambda: parse_number("1 thou\N{LATIN SMALL LETTER LONG S}and"),
        lambda: parse_number("1 B\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}LLION"),
        lambda: parse_number("1 b\N{LATIN SMALL LETTER DOTLESS I}llion"),
        lambda: parse_money("2.5 M\N{LATIN CAPITAL LETTER I WITH DOT ABOVE}LLION USD", Y24),
    ],
)
def test_a_scale_word_is_latin_letters_in_ascii_case_only(read):
    # Before the fix, re's Unicode case folding matched these letters (long s as s, dotted and dotless I as i)
    # and the reader then raised a bare LookupError.
    with pytest.raises(cm.InvalidAmountError, match="cannot read"):
        read()


@given(cms.plain_number_texts())
def test_plain_numbers_are_read_as_the_grammar_reads_them(text):
    # Plain numbers ("149亿", "82999 million") are read without building the grammar of
    # the default locales; the grammar must read every one of them alike.
    examples = "'48.5万'"
    try:
        expected = reading._read(text, reading._reader(None), what="a number", examples=examples)
    except cm.InvalidAmountError:
        expected = None
    plain = reading._PLAIN.fullmatch(text.lower() if text.isascii() else text)
    if plain is not None:
        assert expected == (reading._read_text(text, None, what="a number", examples=examples)[0], None)
        assert str(expected[0]) == str(parse_number(text))  # the same digits and exponent, not only equal
    if expected is None:
        assert plain is None


def test_no_currency_of_the_default_locales_looks_like_a_plain_number():
    # What makes reading plain numbers without the grammar safe: no currency spelling there
    # starts with a digit or a point, or is made of scale words.
    words = f"(?:{reading._SCALE_WORD.pattern})(?: ?(?:{reading._SCALE_WORD.pattern}))*"
    spellings = reading._reader(None).currencies
    assert len(spellings) > 100
    for spelling in spellings:
        assert not spelling[0].isdigit()
        assert not spelling.startswith(".")
        assert re.fullmatch(words, spelling, re.IGNORECASE) is None


def test_loading_the_dataset_reads_its_numbers_without_the_grammar():
    code = (
        "import capexmodel as cm, capexmodel._model.reading as f, babel.localedata as data; cm.load_dataset(); "
        "print(f._reader.cache_info().currsize, sorted(name for name in data._cache if name.startswith('zh')))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "0 []"  # before: the grammar of English and Chinese, and babel's Chinese data


def test_importing_the_format_module_loads_neither_babel_nor_pint():
    code = (
        "import sys, capexmodel._present.format; "
        "print(sorted(m for m in ('pint', 'babel', 'babel.numbers') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


# Fuzzing: arbitrary input raises only capexmodel's errors


def succeeds_or_raises_our_error(call, *args, **kwargs):
    with contextlib.suppress(cm.CapexModelError):
        call(*args, **kwargs)


#: Characters the grammar of amounts is made of, so that fuzzing goes past the first check.
AMOUNT_ALPHABET = (
    "0123456789,.-+ \N{MINUS SIGN}\u00a0\u202f\u200e万亿千萬億元美港日欧人民币$¥￥€£BKMTbkmtUSDCNYHKthousandmilionbr"
)


@given(st.text() | st.text(alphabet=AMOUNT_ALPHABET, max_size=20), st.none() | st.sampled_from(["USD", "CNY"]))
def test_parse_money_of_any_text(text, currency):
    succeeds_or_raises_our_error(parse_money, text, Y24, currency=currency)


@given(st.text() | st.text(alphabet=AMOUNT_ALPHABET, max_size=20), st.none() | st.sampled_from(["de_DE", "fr_FR"]))
def test_parse_number_of_any_text(text, locale):
    succeeds_or_raises_our_error(parse_number, text, locale=locale)


@given(cms.anything, cms.anything)
def test_parse_money_of_anything(text, period):
    succeeds_or_raises_our_error(parse_money, text, period)


@given(cms.money(), cms.anything | st.text(max_size=12), cms.anything)
def test_format_money_with_any_locale_and_digits(amount, locale, digits):
    succeeds_or_raises_our_error(format_money, amount, locale, digits=digits)


@given(cms.anything, st.sampled_from(["en_US", "zh_CN", "ar_EG", "fr_FR"]), st.integers(min_value=-2, max_value=60))
def test_ratios_and_percentages_of_anything(value, locale, digits):
    succeeds_or_raises_our_error(format_ratio, value, locale, digits=digits)
    succeeds_or_raises_our_error(format_percent, value, locale, digits=digits)


# Hardening (issue 12): digits, faithful locales, the caller's context, linear parsing


@pytest.mark.parametrize(
    ("text", "character"),
    [
        ("10⁹ USD", "⁹"),  # was read as 109 USD
        ("2³ USD", "³"),  # 23
        ("①⓪ USD", "①"),  # 10
        ("5₂ USD", "₂"),
        ("½ USD", "½"),
        ("Ⅻ USD", "Ⅻ"),
        ("⒈5 USD", "⒈"),
        ("㋀ USD", "㋀"),  # IDEOGRAPHIC TELEGRAPH SYMBOL FOR JANUARY: "1月" under NFKC
    ],
)
def test_characters_that_stand_for_numbers_but_are_not_decimal_digits_are_refused_by_name(text, character):
    name = unicodedata.name(character)
    with pytest.raises(cm.InvalidAmountError, match=rf"{re.escape(repr(character))} \({name}\) is not a decimal digit"):
        parse_money(text, Y24)
    with pytest.raises(cm.InvalidAmountError, match=rf"\({name}\) is not a decimal digit"):
        parse_number(text.removesuffix(" USD"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\N{FULLWIDTH DIGIT ONE}\N{FULLWIDTH DIGIT TWO}.5万", Decimal(125000)),
        ("١٢٣", Decimal(123)),  # Arabic-Indic
        ("۱۲۳", Decimal(123)),  # extended Arabic-Indic (Persian)
        ("१२३.५", Decimal("123.5")),  # Devanagari
        ("௧௨ million", Decimal(12000000)),  # Tamil
        ("\N{MATHEMATICAL BOLD DIGIT FIVE}", Decimal(5)),  # category Nd, as Decimal reads it
    ],
)
def test_decimal_digits_of_every_script_are_read_as_decimal_reads_them(text, expected):
    assert parse_number(text) == expected


def test_a_csv_amount_with_a_superscript_is_refused_by_file_line_and_field(tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "amazon,capex,2023,2³,million,USD,,reported,caijing,\n",
        encoding="utf-8",
    )
    with pytest.raises(cm.DataFileError) as caught:
        cm.load_dataset(tmp_path)
    (problem,) = caught.value.problems
    assert "facts.csv, line 2, field 'amount'" in problem
    assert "'³' (SUPERSCRIPT THREE) is not a decimal digit" in problem


def test_a_locale_whose_compact_form_reads_back_as_another_amount_gets_the_amount_in_full():
    # babel 2.19 writes 1000 USD as "1 US$" in Venetian: CLDR's pattern "0" there means "do not abbreviate".
    text = format_money(money("1000"), locale="vec")
    assert text == "1\N{NARROW NO-BREAK SPACE}000,00\N{NARROW NO-BREAK SPACE}US$"
    assert parse_money(text, Y24, locale="vec") == money("1000")


def test_an_amount_no_form_of_the_locale_writes_faithfully_is_refused(monkeypatch):
    import babel.numbers  # noqa: PLC0415

    monkeypatch.setattr(babel.numbers, "format_compact_currency", lambda *_args, **_kwargs: "$1")
    monkeypatch.setattr(babel.numbers, "format_currency", lambda *_args, **_kwargs: "$1.00")
    for style in ("short", "precise"):
        with pytest.raises(cm.InvalidValueError, match="cannot write 1000 USD faithfully in en_US: .*'\\$1"):
            format_money(money("1000"), style=style)
    assert format_money(money("1"), style="precise") == "$1.00"  # what does read back is written


@pytest.mark.parametrize("locale", ["ml", "mr", "or", "ta", "dv", "fy", "my", "si", "blo", "sw_KE", "vec", "si_LK"])
@pytest.mark.parametrize("amount", ["1000", "77700000000", "-1500000000000", "123456.789", "485000", "-0.001234"])
@pytest.mark.parametrize("style", ["short", "precise"])
def test_amounts_read_back_in_locales_that_wrote_them_unreadably(locale, amount, style):
    written = money(amount)
    text = format_money(written, locale=locale, style=style)
    expected = written.amount if style == "precise" else round(written, 2 - written.amount.adjusted()).amount
    assert parse_money(text, Y24, locale=locale) == money(expected)


@pytest.mark.parametrize(
    ("text", "locale", "amount"),
    [
        ("$7,77,00,00,000.00", "ml", "7770000000"),  # the locale's decimal grouping
        ("$777,000,000.00", "ml", "777000000"),  # its currency grouping
        ("US$\N{NO-BREAK SPACE}1.500,00-", "fy", "-1500"),  # a trailing minus sign
    ],
)
def test_every_grouping_and_sign_placement_of_the_locale_is_read(text, locale, amount):
    assert parse_money(text, Y24, locale=locale) == money(amount)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,123 USD", "'0,123' is not a well-formed number"),  # 0.123 in Europe; never 123
        ("5- USD", "cannot read '5- USD'"),  # en_US never writes a minus after the number
        ("$7,77,000.00", "'7,77,000.00' is not a well-formed number"),
    ],
)
def test_numbers_the_locale_would_not_write_are_refused(text, message):
    with pytest.raises(cm.InvalidAmountError, match=message):
        parse_money(text, Y24)


def test_the_callers_decimal_context_is_neither_used_nor_changed():
    with decimal.localcontext() as context:
        context.Emax, context.Emin, context.prec, context.rounding = 5, -5, 5, decimal.ROUND_DOWN
        context.clear_flags()
        assert parse_money("1 billion USD", Y24) == money(10**9)  # raised decimal.Overflow
        assert parse_number("123456.789万") == Decimal(1234567890)
        assert format_money(money("123456789"), locale="zh_CN") == "1.23亿美元"
        assert (context.Emax, context.prec, context.rounding) == (5, 5, decimal.ROUND_DOWN)
        assert not any(context.flags.values())


def test_scale_words_are_read_in_linear_time():
    # "万亿" is one word and also 万 then 亿: before, each repeat doubled the time (22 took about 13 s).
    with pytest.raises(cm.InvalidAmountError, match="cannot read"):
        parse_number("1" + "万亿" * 22 + "!")
    with pytest.raises(cm.InvalidAmountError, match="cannot read"):
        parse_number("1" + " 万亿" * 20_000 + "!")
    # Multiplying the scales was quadratic in their number (100 000 of them took about 35 s).
    with pytest.raises(cm.InvalidAmountError, match="out of range"):
        parse_number("1" + "万亿" * 100_000)
    with pytest.raises(cm.InvalidAmountError, match="out of range"):
        parse_money("0.5" + " billion" * 100_000 + " USD", Y24)


def test_a_currency_symbol_that_is_only_a_format_mark_is_not_read_as_a_currency():
    # CLDR's Portuguese escudo sign is U+200B: every text used to name PTE in pt_PT.
    assert babel.numbers.get_currency_symbol("PTE", locale="pt_PT") == "\N{ZERO WIDTH SPACE}"
    with pytest.raises(cm.InvalidAmountError, match="names no currency"):
        parse_money("-0,5 M", Y24, locale="pt_PT")
    assert parse_money("-0,5 M", Y24, locale="pt_PT", currency="EUR") == money("-500000", "EUR")


@pytest.mark.parametrize(
    ("text", "locale", "amount", "currency"),
    [
        ("5 BTN", "es_ES", "5", "BTN"),  # was B (10**12) times TN (10**12), in no currency
        ("5 B BTN", "es_ES", "5000000000000", "BTN"),
        ("-0,50\N{NO-BREAK SPACE}MTn", "pt_MZ", "-0.50", "MZN"),  # was M times Tn
        ("5 M MTn", "pt_MZ", "5000000", "MZN"),
    ],
)
def test_a_scale_suffix_is_not_read_where_a_longer_currency_symbol_or_code_starts(text, locale, amount, currency):
    assert parse_money(text, Y24, locale=locale) == money(amount, currency)
    assert parse_money(text, Y24, locale=locale, currency=currency) == money(amount, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "style", "expected"),
    [
        # babel 2.19 strips the apostrophes it groups with in Swiss locales: "$ 77700000'000.00".
        ("77700000000", "USD", "de_CH", "precise", f"${NBSP}77700000000.00"),
        ("77700000000", "EUR", "fr_CH", "precise", f"77700000000,00{NBSP}€"),
        ("1234.5", "USD", "de_CH", "precise", f"${NBSP}1'234.50"),  # one group sign survives
        # CLDR writes the old shekel (ILR) as "ILS", the new one's code, in Chinese.
        ("77700000000", "ILR", "zh_CN", "precise", "ILR77,700,000,000.00"),
    ],
)
def test_where_the_full_form_does_not_read_back_a_plainer_one_is_written(amount, currency, locale, style, expected):
    written = money(amount, currency)
    text = format_money(written, locale=locale, style=style)
    assert text == expected
    assert parse_money(text, Y24, locale=locale) == written


@pytest.mark.parametrize(
    ("function", "value", "digits", "expected"),
    [
        # babel 2.19 wrote "1234567'891.23": it strips the apostrophes it groups with in pairs.
        (format_ratio, Decimal("1234567891.23"), 12, "1234567891.23"),
        (format_ratio, Decimal("-98765432109876.5"), 15, "-98765432109876.5"),
        (format_percent, Decimal("12345678.9"), 10, "1234567890%"),
        (format_ratio, Decimal("1234.5"), 5, "1'234.5"),  # grouped where it reads back
    ],
)
def test_ratios_and_percentages_are_grouped_only_where_the_grouping_reads_back(function, value, digits, expected):
    assert function(value, "de_CH", digits=digits) == expected


@pytest.mark.parametrize("locale", ["de_CH", "fr_CH", "it_CH", "en_IN", "ml", "fy", "ar_EG", "en_US"])
def test_a_ratio_reads_back_as_written(locale):
    for value in (Decimal("1234567891.23"), Decimal("-98765432109876.5"), Decimal("0.000123"), Decimal(0)):
        text = format_ratio(value, locale, digits=15)
        assert parse_number(text, locale=locale) == value


@pytest.mark.parametrize(
    ("text", "locale", "amount", "currency"),
    [
        ("RUB 5", "en_ZA", "5", "RUB"),  # the code is longer than the rand's symbol R
        ("R 5", "en_ZA", "5", "ZAR"),
        ("R5", "en_ZA", "5", "ZAR"),
        ("kr.5", "da_DK", "5", "DKK"),  # the longest symbol: kr., then 5 (not kr, then .5)
        ("USD5", None, "5", "USD"),
        ("US$-5", None, "-5", "USD"),
    ],
)
def test_the_currency_before_the_number_is_the_longest_symbol_or_code_there(text, locale, amount, currency):
    assert parse_money(text, Y24, locale=locale) == money(amount, currency)
