import decimal
import operator
import pickle
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

import capexmodel as cm

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)


def usd(amount, period=Y24):
    return cm.Money(amount, "USD", period)


def test_contract_lines():
    capex = cm.Money("777", "USD", Y24)
    assert capex.amount == Decimal(777)
    assert capex.currency == "USD"
    assert capex.period == Y24
    assert cm.total([capex, cm.Money("756", "USD", Y24)]) == cm.Money("1533", "USD", Y24)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (777, Decimal(777)),
        ("777.5", Decimal("777.5")),
        (Decimal("0.1"), Decimal("0.1")),
        ("-3", Decimal(-3)),
        ("1e3", Decimal(1000)),
        (" 12 ", Decimal(12)),
        ("1_000", Decimal(1000)),
        (10**30, Decimal(10**30)),
    ],
)
def test_exact_inputs_are_accepted(given, expected):
    assert cm.Money(given, "USD", Y24).amount == expected


def test_amounts_keep_their_digits():
    assert str(cm.Money("777.50", "USD", Y24).amount) == "777.50"
    assert cm.Money("777.50", "USD", Y24) == cm.Money("777.5", "USD", Y24)
    assert hash(cm.Money("777.50", "USD", Y24)) == hash(cm.Money("777.5", "USD", Y24))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (77.7, "not the float 77.7 \\(pass Decimal\\('77.7'\\) to keep it exact\\)"),
        (float("nan"), "not the float nan"),
        ("NaN", "must be finite, got 'NaN'"),
        ("-Infinity", "must be finite, got '-Infinity'"),
        (Decimal("sNaN"), "must be finite, got Decimal\\('sNaN'\\)"),
        ("777亿", "must be a number, got the string '777亿'"),
        ("", "must be a number, got the string ''"),
        (True, "got True of type bool"),
        (None, "got None of type NoneType"),
        (Fraction(1, 3), "got Fraction\\(1, 3\\) of type Fraction"),
        ("1e1000", "amount '1e1000' is out of range: amounts lie below 1e1000 with at most 1000 decimal places"),
        ("1e-1001", "amount '1e-1001' is out of range"),
        pytest.param(10**5000, "amount <an int of 16610 bits> is out of range", id="a huge int"),
    ],
)
def test_inexact_or_non_numeric_amounts_are_refused(given, message):
    with pytest.raises(cm.InvalidAmountError, match=message):
        cm.Money(given, "USD", Y24)


def test_string_amounts_are_read_even_when_the_context_does_not_trap():
    with localcontext(decimal.Context(traps=[])) as context:
        with pytest.raises(cm.InvalidAmountError, match="must be a number, got the string 'abc'"):
            cm.Money("abc", "USD", Y24)
        assert not context.flags[decimal.InvalidOperation]  # read in the library's context, not the caller's


@pytest.mark.parametrize("text", ["1e999999999999999999999", "-1e-999999999999999999999", "1e9999999999999999999999"])
def test_string_amounts_beyond_every_exponent_are_refused_in_any_context(text):
    with localcontext(decimal.Context(traps=[], Emax=5, Emin=-5)) as context:
        with pytest.raises(cm.InvalidAmountError, match="must be a number"):
            cm.Money(text, "USD", Y24)
        assert not any(context.flags.values())


def test_a_decimal_subclass_is_kept_as_a_plain_decimal():
    class Amount(Decimal):
        pass

    assert type(usd(Amount("1.5")).amount) is Decimal


def test_currency_and_period_are_validated():
    with pytest.raises(cm.UnknownCurrencyError, match="'RMB'"):
        cm.Money(1, "RMB", Y24)
    with pytest.raises(cm.InvalidPeriodError, match="got '2024'"):
        cm.Money(1, "USD", "2024")  # type: ignore[arg-type]
    assert cm.Money(1, "usd", Y24).currency is cm.Currency("USD")


def test_addition_subtraction_and_signs():
    assert usd("777") + usd("756") == usd("1533")
    assert usd("777") - usd("756") == usd("21")
    assert -usd("5") == usd("-5")
    assert +usd("5") == usd("5")
    assert abs(usd("-5")) == usd("5")
    assert abs(usd("5")) == usd("5")


def test_addition_is_exact_beyond_the_decimal_context():
    big = usd("1" * 40)
    tiny = "0." + "0" * 29 + "1"
    assert (big + usd(tiny)).amount == Decimal("1" * 40 + tiny[1:])
    assert str((big * Decimal("1.5")).amount) == "1" + "6" * 39 + ".5"  # 40 digits: beyond the context's 28
    assert str((big * 3).amount) == "3" * 40
    assert str((big - usd("0.01")).amount) == "1" * 39 + "0.99"
    assert str((-big).amount) == "-" + "1" * 40
    assert str(abs(-big).amount) == "1" * 40
    assert str((-usd(0)).amount) == "0"


def test_adding_different_currencies_or_periods_is_refused():
    with pytest.raises(cm.CurrencyMismatchError, match="cannot add 777 USD and 800 CNY: currencies differ"):
        usd("777") + cm.Money("800", "CNY", Y24)
    with pytest.raises(cm.PeriodMismatchError, match="cannot subtract 1 USD over 2024 and 1 USD over 2023"):
        usd(1) - usd(1, Y23)
    with pytest.raises(cm.PeriodMismatchError):
        usd(1, cm.CalendarQuarter(2024, 1)) + usd(1, cm.CalendarQuarter(2024, 2))


def test_equal_spans_from_different_calendars_add():
    microsoft_q1 = cm.FiscalCalendar(year_end_month=6).quarter(2025, 1)
    assert usd(1, microsoft_q1) + usd(2, cm.CalendarQuarter(2024, 3)) == usd(3, cm.CalendarQuarter(2024, 3))


def test_sum_works_with_a_zero_start():
    assert sum([usd(1), usd(2), usd(3)]) == usd(6)
    assert usd(1) + 0 == usd(1)
    assert 0 + usd(1) == usd(1)


@pytest.mark.parametrize("other", [1, Decimal(0), 0.0, "0", None])
def test_adding_plain_numbers_is_a_type_error(other):
    with pytest.raises(TypeError):
        usd(1) + other
    with pytest.raises(TypeError):
        other + usd(1)


def test_subtracting_a_number_is_a_type_error():
    with pytest.raises(TypeError):
        usd(1) - 0


def test_scaling_keeps_currency_and_period():
    assert usd("777") * 2 == usd("1554")
    assert 2 * usd("777") == usd("1554")
    assert usd("100") * Decimal("0.12") == usd("12.00")
    assert usd("100") / 4 == usd("25")
    assert usd("800") / Decimal("7.230") == usd(Decimal(800) / Decimal("7.230"))


def test_division_rounds_to_28_digits_half_to_even_whatever_the_callers_context():
    two_thirds = Decimal("0.6666666666666666666666666667")
    with localcontext(decimal.Context(prec=5)) as context:
        assert (usd(1) / 3).amount == Decimal("0." + "3" * 28)
        context.rounding = decimal.ROUND_DOWN
        assert (usd(2) / 3).amount == two_thirds
        assert usd(2) / usd(3) == two_thirds
        assert not any(context.flags.values())
    assert (usd(2) / 3).amount == two_thirds


@pytest.mark.parametrize("divisor", [1, 2, 4, 8, 10, Decimal("0.5"), Decimal(1024), Decimal("0.0625")])
def test_terminating_division_is_exact_beyond_the_context(divisor):
    amount = Decimal("1234567890123456789012345678901.25")  # 33 digits: more than the context's 28
    quotient = (usd(amount) / divisor).amount
    assert decimal.Context(prec=100).multiply(quotient, divisor) == amount
    assert usd(amount) / usd(quotient) == divisor


def test_a_terminating_quotient_with_the_most_digits_its_divisor_allows_is_exact():
    nines, eighth = "9" * 30, Decimal("124999999999999999999999999999.875")  # 33 digits: 1 / 8 adds three
    assert (usd(nines) / 8).amount == eighth
    assert usd(nines) / usd(8) == eighth


AMOUNT_33_DIGITS = "1234567890123456789012345678901.25"


def divisions():
    """Exact quotients that need more digits than the context, and exponents far from zero; and 1 / 3."""
    return [
        usd(AMOUNT_33_DIGITS) / 2,
        usd(AMOUNT_33_DIGITS + "E-60") / 2,
        usd("1e20") / 2,
        usd(1) / 3,
        usd(AMOUNT_33_DIGITS + "E-60") / usd(2),
    ]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("prec", 5), ("Emax", 10), ("Emin", -10), ("rounding", decimal.ROUND_DOWN), ("traps", decimal.Inexact)],
)
def test_division_takes_nothing_from_the_default_context(monkeypatch, setting, value):
    expected = [(repr(result), str(result)) for result in divisions()]
    if setting == "traps":
        monkeypatch.setitem(decimal.DefaultContext.traps, value, True)
    else:
        monkeypatch.setattr(decimal.DefaultContext, setting, value)
    assert [(repr(result), str(result)) for result in divisions()] == expected
    assert str((usd("1e20") / 2).amount) == "50000000000000000000"


def test_division_ignores_the_callers_traps_and_exponent_limits():
    with localcontext() as context:
        context.traps[decimal.Inexact] = True
        context.Emax = 3
        assert str((usd(1) / 3).amount) == "0." + "3" * 28
        assert (usd("1e10") / 1).amount == Decimal("1e10")


def test_a_float_factor_is_refused_saying_what_a_factor_may_be():
    message = r"^a factor must be an int or a Decimal, not the float 1\.5 \(pass Decimal\('1\.5'\) to keep it exact\)$"
    with pytest.raises(cm.InvalidAmountError, match=message):
        usd(1) * 1.5
    with pytest.raises(cm.InvalidAmountError, match=message):
        usd(1) / 1.5


@pytest.mark.parametrize("factor", [1.5, float("inf"), Decimal("NaN"), True])
def test_bad_factors_are_refused(factor):
    with pytest.raises(cm.InvalidAmountError, match="a factor"):
        usd(1) * factor
    with pytest.raises(cm.InvalidAmountError, match="a factor"):
        usd(1) / factor


@pytest.mark.parametrize("factor", ["2", Fraction(1, 2), None])
def test_unsupported_factors_are_type_errors(factor):
    with pytest.raises(TypeError):
        usd(1) * factor
    with pytest.raises(TypeError):
        usd(1) / factor


def test_money_divided_by_money_is_a_decimal():
    ratio = usd("2580") / usd("446")
    assert isinstance(ratio, Decimal)
    assert round(ratio, 1) == Decimal("5.8")
    assert usd(4) / usd(2, Y23) == Decimal(2)  # growth divides amounts over different periods


def test_division_errors():
    message = r"^cannot divide 1 USD by 1 CNY: currencies differ \(convert one first\)$"
    with pytest.raises(cm.CurrencyMismatchError, match=message):
        usd(1) / cm.Money(1, "CNY", Y24)
    with pytest.raises(cm.DivisionByZeroError, match="cannot divide 1 USD over 2024 by 0 USD over 2024"):
        usd(1) / usd(0)
    with pytest.raises(cm.DivisionByZeroError, match="cannot divide 1 USD over 2024 by zero") as caught:
        usd(1) / 0
    assert isinstance(caught.value, ZeroDivisionError)


def test_comparisons_need_same_currency_and_period():
    assert usd(1) < usd(2)
    assert usd(2) <= usd(2)
    assert usd(3) > usd(2)
    assert usd(2) >= usd(2)
    assert not usd(2) > usd(2)
    assert max([usd(1), usd(5), usd(3)]) == usd(5)
    with pytest.raises(cm.CurrencyMismatchError, match="cannot compare"):
        assert usd(1) < cm.Money(2, "CNY", Y24)
    with pytest.raises(cm.PeriodMismatchError, match="cannot compare"):
        assert usd(1) >= usd(2, Y23)
    with pytest.raises(TypeError):
        assert usd(1) < 2


@pytest.mark.parametrize(
    ("compare", "expected"),
    [
        (operator.lt, [True, False, False]),
        (operator.le, [True, True, False]),
        (operator.gt, [False, False, True]),
        (operator.ge, [False, True, True]),
    ],
)
def test_each_comparison_orders_amounts(compare, expected):
    assert [compare(usd(1), usd(2)), compare(usd(2), usd(2)), compare(usd(3), usd(2))] == expected


@pytest.mark.parametrize("compare", [operator.lt, operator.le, operator.gt, operator.ge])
def test_each_comparison_names_both_amounts_in_order_when_they_do_not_compare(compare):
    currencies = r"^cannot compare 1 USD and 2 CNY: currencies differ \(convert one first\)$"
    with pytest.raises(cm.CurrencyMismatchError, match=currencies):
        compare(usd(1), cm.Money(2, "CNY", Y24))
    periods = (
        r"^cannot compare 1 USD over 2024 and 2 USD over 2023: periods differ"
        r" \(use combine_periods\(\) for adjacent periods\)$"
    )
    with pytest.raises(cm.PeriodMismatchError, match=periods):
        compare(usd(1), usd(2, Y23))


@pytest.mark.parametrize("name", ["__lt__", "__le__", "__gt__", "__ge__"])
def test_comparisons_with_anything_but_money_are_left_to_the_other_operand(name):
    assert getattr(usd(1), name)(usd(2)) is (name in {"__lt__", "__le__"})  # two amounts: answered, not left
    assert getattr(usd(1), name)(2) is NotImplemented
    assert getattr(usd(1), name)(Decimal(1)) is NotImplemented


def test_equality_is_false_across_currencies_and_periods_and_types():
    assert usd(1) != cm.Money(1, "CNY", Y24)
    assert usd(1) != usd(1, Y23)
    assert usd(1) != 1


def test_zero_has_no_sign():
    assert str(cm.Money("-0", "USD", Y24).amount) == "0"
    assert str((usd(0) * -1).amount) == "0"
    assert str((usd("0.00") * Decimal(-2)).amount) == "0.00"
    assert str((usd(0) / -3).amount) == "0"
    assert str(round(usd("-0.001"), 2).amount) == "0.00"
    assert str(abs(cm.Money("-0.0", "USD", Y24)).amount) == "0.0"


def test_results_are_held_to_the_bounds_of_an_amount():
    with pytest.raises(
        cm.InvalidAmountError,
        match=r"10000000000.*\.\.\. \(1000 characters\) USD over 2024 \* Decimal\('1E\+999'\) is out of range",
    ):
        usd("1e999") * Decimal("1e999")
    message = r"^0\.0+\.\.\. \(1001 characters\) USD over 2024 / Decimal\('1E\+999'\) is out of range"
    with pytest.raises(cm.InvalidAmountError, match=message):
        usd("1e-999") / Decimal("1e999")
    assert (usd(0) * Decimal("1e-999") * Decimal("1e-999")).amount == 0


NEAR_THE_BOUND = "9.9e999"
BIG, MINUS_BIG = usd(NEAR_THE_BOUND), usd("-" + NEAR_THE_BOUND)


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        pytest.param(lambda: round(usd(NEAR_THE_BOUND), -1000), r"round\(9900.*, -1000\) is out of range", id="round"),
        pytest.param(lambda: round(usd(NEAR_THE_BOUND), -999), r"round\(9900.*, -999\) is out of range", id="round-1"),
        pytest.param(lambda: usd(NEAR_THE_BOUND) + usd(NEAR_THE_BOUND), r"2024 \+ 9900.* is out of range", id="add"),
        pytest.param(lambda: BIG - MINUS_BIG, r"2024 - -9900.* is out of range", id="sub"),
        pytest.param(lambda: sum([usd(NEAR_THE_BOUND)] * 2), "is out of range", id="sum"),
        pytest.param(lambda: cm.total([BIG, BIG]), "the total of 2 amounts in USD over 2024", id="total"),
        pytest.param(
            lambda: cm.combine_periods([usd(NEAR_THE_BOUND, Y23), usd(NEAR_THE_BOUND)]),
            "the sum of 2 amounts in USD over 2023-01/2024-12 is out of range",
            id="combine_periods",
        ),
        pytest.param(
            lambda: cm.free_cash_flow(usd("-" + NEAR_THE_BOUND), usd(NEAR_THE_BOUND)), "is out of range", id="fcf"
        ),
    ],
)
def test_every_result_is_an_amount_the_constructor_accepts(operation, message):
    with pytest.raises(cm.InvalidAmountError, match=message):
        operation()


def test_results_at_the_bounds_are_kept():
    assert cm.Money("1e-1000", "USD", Y24).amount == Decimal("1e-1000")  # 1000 decimal places, the most there are
    assert (usd("1e-500") * Decimal("1e-500")).amount == Decimal("1e-1000")
    assert round(usd("4e999"), -1000) == usd(0)
    assert str(round(usd("-4e999"), -1000).amount) == "0"
    assert round(usd(NEAR_THE_BOUND), -998).amount == Decimal("9.9e999")
    assert (usd(NEAR_THE_BOUND) + usd("-" + NEAR_THE_BOUND)).amount == 0
    largest = usd("9" * 1000)
    assert cm.Money((largest - usd(1)).amount, "USD", Y24) == largest - usd(1)


def test_str_writes_every_digit_without_an_exponent():
    assert repr((usd(800) / Decimal("0.5")).amount) == "Decimal('1600')"
    assert repr((usd(780000) / Decimal("7.80")).amount) == "Decimal('100000')"
    assert str(usd(800) / Decimal("0.5")) == "1600 USD over 2024"
    assert str(usd("1e3")) == "1000 USD over 2024"
    assert repr(usd("1e3")) == "Money('1E+3', 'USD', Period.parse('2024'))"


@pytest.mark.parametrize("ndigits", [10**7, -(10**12), 1.5, "2", True])
def test_round_refuses_absurd_or_non_integer_places(ndigits):
    message = rf"^round\(\) takes a whole number of places from -1000 to 1000, got {re.escape(repr(ndigits))}$"
    with pytest.raises(cm.InvalidValueError, match=message):
        round(usd(1), ndigits)


def test_rounding_only_when_asked():
    assert round(usd("110.65"), 1) == usd("110.6")
    assert round(usd("110.75"), 1) == usd("110.8")
    assert str(round(usd("110.65")).amount) == "111"
    assert round(usd("123456"), -3).amount == Decimal("1.23E+5")


def test_str_repr_and_pickle():
    money = cm.Money("777.50", "USD", cm.CalendarQuarter(2024, 3))
    assert str(money) == "777.50 USD over 2024-Q3"
    assert repr(money) == "Money('777.50', 'USD', Period.parse('2024-Q3'))"
    assert eval(repr(money), {"Money": cm.Money, "Period": cm.Period}) == money  # noqa: S307
    assert pickle.loads(pickle.dumps(money)) == money


def test_money_is_immutable():
    with pytest.raises(AttributeError):
        usd(1).amount = Decimal(2)


class TestTotal:
    def test_adds_exactly(self):
        amounts = [usd(Decimal(i) / 100) for i in range(1, 101)]
        assert cm.total(amounts) == usd("50.50")
        assert cm.total(iter(amounts)) == usd("50.50")
        assert cm.total(tuple(amounts)) == usd("50.50")

    def test_accepts_equal_periods_built_separately(self):
        assert cm.total([usd(1, cm.CalendarYear(2024)), usd(2, cm.Period.parse("2024"))]) == usd(3)

    def test_accepts_amounts_whose_parts_are_equal_but_not_shared(self):
        unpickled = pickle.loads(pickle.dumps(usd(2)))  # its period is a copy, not the shared instance
        assert unpickled.period is not usd(1).period
        assert cm.total([usd(1), unpickled]) == usd(3)

    def test_refuses_mixed_currencies_naming_the_amount(self):
        with pytest.raises(cm.CurrencyMismatchError, match="total\\(\\) adds amounts in USD, got 800 CNY over 2024"):
            cm.total([usd(1), usd(2), cm.Money(800, "CNY", Y24)])

    def test_refuses_mixed_periods_naming_the_amount(self):
        with pytest.raises(cm.PeriodMismatchError, match="total\\(\\) adds amounts over 2024, got 2 USD over 2023"):
            cm.total([usd(1), usd(2, Y23)])

    def test_refuses_non_money(self):
        with pytest.raises(cm.InvalidAmountError, match="total\\(\\) adds Money, got Decimal\\('2'\\)"):
            cm.total([usd(1), Decimal(2)])  # type: ignore[list-item]
        with pytest.raises(cm.InvalidAmountError, match="total\\(\\) adds Money, got Decimal\\('2'\\)"):
            cm.total([Decimal(2), usd(1)])  # type: ignore[list-item]

    @pytest.mark.parametrize("amounts", [5, None, usd(1)])
    def test_refuses_what_is_not_iterable(self, amounts):
        expected = f"takes an iterable of Money, got {re.escape(repr(amounts))}$"
        with pytest.raises(cm.InvalidValueError, match=rf"^total\(\) {expected}"):
            cm.total(amounts)
        with pytest.raises(cm.InvalidValueError, match=rf"^combine_periods\(\) {expected}"):
            cm.combine_periods(amounts)

    def test_is_exact_beyond_the_decimal_context(self):
        amounts = [usd("0.000000000000000000000000000001"), usd("1" * 40)]
        assert cm.total(amounts).amount == Decimal("1" * 40 + ".000000000000000000000000000001")
        assert cm.combine_periods([usd("1" * 40, Y23), usd("0.01")]).amount == Decimal("1" * 40 + ".01")

    def test_empty_needs_currency_and_period(self):
        message = "^total\\(\\) of no amounts needs currency= and period= to say what zero is$"
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.total([])
        with pytest.raises(cm.InvalidValueError, match="needs currency= and period="):
            cm.total([], currency="USD")
        assert cm.total([], currency="usd", period=Y24) == usd(0)

    def test_checks_the_declared_currency_and_period(self):
        assert cm.total([usd(1)], currency="USD", period=Y24) == usd(1)
        with pytest.raises(cm.CurrencyMismatchError, match="adds amounts in CNY, got 1 USD"):
            cm.total([usd(1)], currency="CNY")
        with pytest.raises(cm.PeriodMismatchError, match="adds amounts over 2023, got 1 USD over 2024"):
            cm.total([usd(1)], period=Y23)


class TestCombinePeriods:
    ORACLE = cm.FiscalCalendar(year_end_month=5)

    def quarters(self, amounts=("2303", "3970", "5862", "9080")):
        return [cm.Money(a, "USD", self.ORACLE.quarter(2025, q)) for q, a in enumerate(amounts, start=1)]

    def test_four_fiscal_quarters_make_the_fiscal_year(self):
        year = cm.combine_periods(self.quarters())
        assert year == cm.Money("21215", "USD", self.ORACLE.year(2025))

    def test_order_does_not_matter(self):
        assert cm.combine_periods(reversed(self.quarters())) == cm.combine_periods(self.quarters())

    def test_a_single_amount_is_itself(self):
        assert cm.combine_periods([usd(5)]) == usd(5)

    def test_gaps_are_refused_naming_the_uncovered_months(self):
        q1, _, q3, q4 = self.quarters()
        with pytest.raises(cm.PeriodMismatchError, match="no amount covers 2024-09/2024-11"):
            cm.combine_periods([q1, q3, q4])

    def test_overlaps_are_refused(self):
        with pytest.raises(cm.PeriodMismatchError, match="their periods overlap"):
            cm.combine_periods([usd(1, cm.CalendarHalf(2024, 1)), usd(1, cm.CalendarQuarter(2024, 2))])
        with pytest.raises(cm.PeriodMismatchError, match="their periods overlap"):
            cm.combine_periods([usd(1), usd(1)])

    def test_currencies_must_match(self):
        with pytest.raises(cm.CurrencyMismatchError, match="currencies differ"):
            cm.combine_periods([usd(1, cm.CalendarHalf(2024, 1)), cm.Money(1, "CNY", cm.CalendarHalf(2024, 2))])

    def test_needs_money(self):
        with pytest.raises(cm.InvalidValueError, match=r"^combine_periods\(\) needs at least one amount$"):
            cm.combine_periods([])
        with pytest.raises(cm.InvalidAmountError, match="combine_periods\\(\\) adds Money, got 3"):
            cm.combine_periods([usd(1), 3])  # type: ignore[list-item]


def test_shared_periods_are_bounded_and_sharing_is_only_a_speed_up(monkeypatch):
    from capexmodel._model import money as _money  # noqa: PLC0415

    monkeypatch.setattr(_money, "_MAX_INTERNED_PERIODS", 2)
    monkeypatch.setattr(_money, "_interned_periods", {})
    amounts = [usd(1, cm.CalendarMonth(2024, month)) for month in (1, 2, 3, 1)]
    assert len(_money._interned_periods) <= 2
    assert [amount.period for amount in amounts] == [cm.CalendarMonth(2024, month) for month in (1, 2, 3, 1)]
    assert amounts[0] + amounts[3] == usd(2, cm.CalendarMonth(2024, 1))


def test_amounts_over_equal_periods_share_one_period(monkeypatch):
    from capexmodel._model import money as _money  # noqa: PLC0415

    monkeypatch.setattr(_money, "_interned_periods", {})
    first, second = usd(1, cm.Period.parse("2024-Q3")), usd(2, cm.FiscalCalendar(year_end_month=6).quarter(2025, 1))
    assert first.period == cm.CalendarQuarter(2024, 3)
    assert first.period is second.period
