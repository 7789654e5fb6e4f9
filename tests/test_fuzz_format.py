"""Parsing and formatting under fuzzing and under hostile decimal contexts.

Arbitrary input (all of Unicode, compatibility digits, NUL, lone surrogates) raises
only capexmodel's errors; digits are read as `Decimal` reads them and nothing else
that stands for a number is; and every operation gives the same result, or the same
error, whatever the caller's decimal context, which it leaves as it was.
"""

import decimal
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._model.reading import parse_money, parse_number
from capexmodel._model.scale import scale_factor
from capexmodel._present.format import format_money, format_percent, format_ratio
from tests import strategies as cms

Y24 = cm.CalendarYear(2024)

locales = st.none() | st.sampled_from(cms.FUZZ_LOCALES)


def succeeds_or_raises_our_error(call, *args, **kwargs):
    """Call; the only exceptions let through are capexmodel's (anything else fails the test)."""
    try:
        return call(*args, **kwargs)
    except cm.CapexModelError as error:
        return error


# Fuzzing: only capexmodel's errors


@given(cms.any_texts, locales, st.none() | st.sampled_from(["USD", "CNY", "EUR"]))
def test_parse_money_of_any_text(text, locale, currency):
    result = succeeds_or_raises_our_error(parse_money, text, Y24, currency=currency, locale=locale)
    if isinstance(result, cm.Money):
        assert result.amount.is_finite()
        assert currency is None or result.currency == currency


@given(cms.any_texts, locales)
def test_parse_number_of_any_text(text, locale):
    result = succeeds_or_raises_our_error(parse_number, text, locale=locale)
    assert isinstance(result, Decimal | cm.InvalidAmountError)


@given(cms.amount_texts(max_pieces=4), cms.number_characters, cms.amount_texts(max_pieces=4), locales)
def test_a_character_that_stands_for_a_number_is_never_read(before, character, after, locale):
    text = before + character + after
    with pytest.raises(cm.InvalidAmountError, match="is not a decimal digit"):
        parse_number(text, locale=locale)
    with pytest.raises(cm.InvalidAmountError, match="is not a decimal digit"):
        parse_money(text, Y24, currency="USD", locale=locale)


@given(st.text(cms.decimal_digits, min_size=1, max_size=40))
def test_digits_of_every_script_are_read_as_decimal_reads_them(digits):
    assert parse_number(digits) == Decimal(digits)
    assert parse_money(f"{digits} USD", Y24) == cm.Money(Decimal(digits), "USD", Y24)


@given(st.integers(min_value=-(10**20), max_value=10**20), cms.decimal_digits)
def test_a_number_written_in_any_script_is_the_number(number, digit):
    zero = ord(digit) - unicodedata.decimal(digit)
    written = str(number).translate({ord("0") + value: zero + value for value in range(10)})
    assert parse_number(written) == number


any_locales = st.sampled_from(cms.FUZZ_LOCALES) | st.text(cms.any_characters, max_size=12)


@given(cms.money(), any_locales, cms.anything)
def test_format_money_with_any_locale_and_digits(amount, locale, digits):
    succeeds_or_raises_our_error(format_money, amount, locale, digits=digits)


@given(cms.money(), st.sampled_from(cms.FUZZ_LOCALES), cms.anything | st.sampled_from(["short", "precise"]))
def test_format_money_in_any_style(amount, locale, style):
    succeeds_or_raises_our_error(format_money, amount, locale, style=style)


values = cms.anything | cms.any_texts | st.decimals() | st.sampled_from(["1e5", "١٢.٣", "sNaN", "-0", "1E+999999"])


@given(values, any_locales, cms.anything)
def test_format_ratio_and_format_percent_of_anything(value, locale, digits):
    succeeds_or_raises_our_error(format_ratio, value, locale, digits=digits)
    succeeds_or_raises_our_error(format_percent, value, locale, digits=digits)


# The caller's decimal context is neither used nor changed

ALL_SIGNALS = [
    decimal.Clamped,
    decimal.DivisionByZero,
    decimal.FloatOperation,
    decimal.Inexact,
    decimal.InvalidOperation,
    decimal.Overflow,
    decimal.Rounded,
    decimal.Subnormal,
    decimal.Underflow,
]

HOSTILE_CONTEXTS = {
    "tiny, every trap on": decimal.Context(
        prec=5, rounding=decimal.ROUND_DOWN, Emax=5, Emin=-5, clamp=1, traps=ALL_SIGNALS
    ),
    "one digit, no traps": decimal.Context(prec=1, rounding=decimal.ROUND_CEILING, traps=[]),
    "widest, every trap on": decimal.Context(
        prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=ALL_SIGNALS
    ),
    "inexact and rounded trapped": decimal.Context(
        prec=28, rounding=decimal.ROUND_05UP, traps=[decimal.Inexact, decimal.Rounded]
    ),
}

OPERATIONS = {
    "parse a billion": lambda: parse_money("1 billion USD", Y24),
    "parse 万亿": lambda: parse_money("1.5万亿元", Y24),
    "parse many digits": lambda: parse_money("123456789012345678901234567890.123456789亿元", Y24),
    "parse a trailing sign": lambda: parse_money("US$\N{NO-BREAK SPACE}1.500,00-", Y24, locale="fy"),
    "parse a German billion": lambda: parse_money("77,7 Mrd. $", Y24, locale="de_DE"),
    "parse a small amount": lambda: parse_money("0.000001 USD", Y24),
    "parse out of range": lambda: parse_money("1" * 1001 + " USD", Y24),
    "parse a superscript": lambda: parse_money("2³ USD", Y24),
    "parse a number": lambda: parse_number("48.5万"),
    "parse Arabic-Indic digits": lambda: parse_number("١٢٣.٤", locale="ar_EG"),
    "parse scales out of range": lambda: parse_number("1" + "万亿" * 100),
    "format short": lambda: format_money(cm.Money("11065006915.63", "USD", Y24), "zh_CN"),
    "format short, many digits": lambda: format_money(cm.Money("1234567.891", "USD", Y24), "en_US", digits=40),
    "format precise": lambda: format_money(cm.Money("82999000000.125", "USD", Y24), style="precise"),
    "format the largest": lambda: format_money(cm.Money(10**999 - 1, "EUR", Y24), "de_CH", style="precise"),
    "format the smallest": lambda: format_money(cm.Money("1E-1000", "USD", Y24), "fr_FR"),
    "format in full": lambda: format_money(cm.Money("1000", "USD", Y24), "vec"),
    "format a ratio": lambda: format_ratio(Decimal("5.7848")),
    "format a long ratio": lambda: format_ratio("3.14159265358979323846264338327950288", digits=30),
    "format a non-number": lambda: format_ratio("abc"),
    "format a percentage": lambda: format_percent(Decimal("0.1301"), "de_DE"),
    "format a tiny percentage": lambda: format_percent("1E-30", digits=50),
    "read a scale word": lambda: scale_factor("万亿"),
}


def outcome(operation):
    """The result, or the error's type and message."""
    try:
        return operation()
    except cm.CapexModelError as error:
        return type(error), str(error)


EXPECTED = {name: outcome(operation) for name, operation in OPERATIONS.items()}


def test_the_operations_give_results_and_errors_alike():
    assert EXPECTED["parse a billion"] == cm.Money(10**9, "USD", Y24)
    assert EXPECTED["format short"] == "111亿美元"
    assert EXPECTED["parse a superscript"][0] is cm.InvalidAmountError
    assert EXPECTED["format a non-number"][0] is cm.InvalidAmountError
    assert EXPECTED["parse Arabic-Indic digits"] == Decimal("123.4")


def snapshot(context):
    return (context.prec, context.rounding, context.Emax, context.Emin, context.clamp, dict(context.traps))


@pytest.mark.parametrize("context_name", HOSTILE_CONTEXTS)
@pytest.mark.parametrize("operation_name", OPERATIONS)
def test_each_operation_is_the_same_in_any_decimal_context_and_leaves_it_alone(context_name, operation_name):
    with decimal.localcontext(HOSTILE_CONTEXTS[context_name]) as context:
        context.clear_flags()
        before = snapshot(context)
        assert outcome(OPERATIONS[operation_name]) == EXPECTED[operation_name]
        assert snapshot(decimal.getcontext()) == before
        assert not any(context.flags.values())


@given(cms.money(), st.sampled_from(cms.FUZZ_LOCALES), st.integers(min_value=1, max_value=40))
@pytest.mark.parametrize("context_name", HOSTILE_CONTEXTS)
def test_formatting_any_amount_is_the_same_in_any_decimal_context(context_name, amount, locale, digits):
    expected = outcome(lambda: format_money(amount, locale, digits=digits))
    with decimal.localcontext(HOSTILE_CONTEXTS[context_name]) as context:
        context.clear_flags()
        assert outcome(lambda: format_money(amount, locale, digits=digits)) == expected
        assert not any(context.flags.values())
