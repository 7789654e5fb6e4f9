import decimal
from decimal import Decimal, localcontext

import pytest

import capexmodel as cm

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)


def usd(amount, period=Y24):
    return cm.Money(amount, "USD", period)


class TestRatios:
    def test_amazon_2024(self):
        capex, revenue, ocf = usd("82999"), usd("637959"), usd("115877")
        assert cm.capex_intensity(capex, revenue) == Decimal(82999) / Decimal(637959)
        assert cm.capex_to_operating_cash_flow(capex, ocf) == Decimal(82999) / Decimal(115877)
        assert cm.capex_to_depreciation(capex, usd("52795")) == Decimal(82999) / Decimal(52795)
        assert cm.capex_to_net_income(capex, usd("59248")) == Decimal(82999) / Decimal(59248)
        assert cm.free_cash_flow(ocf, capex) == usd("32878")

    def test_the_articles_six_times(self):
        us, china = usd("2580"), usd("446")
        assert round(cm.ratio(us, china), 1) == Decimal("5.8")
        assert cm.share(usd("777"), us) == Decimal(777) / Decimal(2580)

    def test_exact_quotients_stay_exact(self):
        assert cm.ratio(usd(1), usd(8)) == Decimal("0.125")
        assert str(cm.capex_intensity(usd("12"), usd("100"))) == "0.12"

    def test_ratios_round_once_to_28_digits_whatever_the_callers_context(self):
        with localcontext(prec=4, rounding=decimal.ROUND_DOWN):
            assert cm.ratio(usd(2), usd(3)) == Decimal("0." + "6" * 27 + "7")

    def test_free_cash_flow_may_be_negative(self):
        assert cm.free_cash_flow(usd(20821), usd(21215)) == usd(-394)

    @pytest.mark.parametrize(
        ("call", "message"),
        [
            (lambda: cm.ratio(usd(1), usd(0)), "denominator is zero, got b=0 USD over 2024"),
            (lambda: cm.share(usd(1), usd(0)), "a share is undefined when whole is not positive, got whole=0 USD"),
            (lambda: cm.capex_intensity(usd(1), usd(-5)), "capex intensity is undefined when revenue is not positive"),
            (lambda: cm.capex_to_operating_cash_flow(usd(1), usd(-1)), "operating_cash_flow is not positive"),
            (lambda: cm.capex_to_net_income(usd(1), usd(-62360)), "net_income is not positive, got net_income=-62360"),
            (lambda: cm.capex_to_depreciation(usd(1), usd(0)), "depreciation is not positive"),
            (
                lambda: cm.capex_intensity(usd(-82999), usd(1)),
                (
                    "^capex intensity is undefined when capex is negative; capex is a positive outflow,"
                    " got capex=-82999 USD over 2024 "
                ),
            ),
            (lambda: cm.free_cash_flow(usd(1), usd(-1)), "sources that report capex as a negative cash flow"),
        ],
    )
    def test_undefined_ratios_are_errors_never_infinities(self, call, message):
        with pytest.raises(cm.UndefinedIndicatorError, match=message) as caught:
            call()
        assert isinstance(caught.value, ArithmeticError)

    def test_negative_numerators_keep_their_sign(self):
        assert cm.ratio(usd(-1), usd(4)) == Decimal("-0.25")
        assert cm.ratio(usd(1), usd(-4)) == Decimal("-0.25")

    def test_inputs_share_a_currency_and_a_period(self):
        with pytest.raises(cm.CurrencyMismatchError, match="capex is in USD and revenue in CNY: convert one first"):
            cm.capex_intensity(usd(1), cm.Money(1, "CNY", Y24))
        with pytest.raises(cm.PeriodMismatchError, match="capex is over 2024 and revenue over 2023"):
            cm.capex_intensity(usd(1), usd(1, Y23))
        with pytest.raises(cm.InvalidValueError, match="revenue must be a capexmodel.Money, got 5"):
            cm.capex_intensity(usd(1), 5)  # type: ignore[arg-type]


class TestGrowth:
    def test_bytedance_doubles(self):
        assert cm.growth(cm.Money(1600, "CNY", cm.CalendarYear(2025)), cm.Money(800, "CNY", Y24)) == 1

    def test_growth_is_rounded_once_to_28_digits(self):
        with localcontext(prec=5):
            assert cm.growth(usd(2, Y24), usd(3, Y23)) == Decimal("-0." + "3" * 28)

    def test_growth_needs_equal_periods_in_order(self):
        with pytest.raises(cm.PeriodMismatchError, match="equal length, got 2023 and 2024-Q1"):
            cm.growth(usd(1, cm.CalendarQuarter(2024, 1)), usd(1, Y23))
        with pytest.raises(cm.PeriodMismatchError, match="previous must come before current, got 2024 and 2023"):
            cm.growth(usd(1, Y23), usd(1, Y24))
        with pytest.raises(cm.PeriodMismatchError, match="must come before"):
            cm.growth(usd(1, Y24), usd(1, Y24))

    @pytest.mark.parametrize("base", ["0", "-5"])
    def test_a_base_that_is_not_positive_is_undefined(self, base):
        with pytest.raises(cm.UndefinedIndicatorError, match=f"got previous={base} USD over 2023"):
            cm.growth(usd(1, Y24), usd(base, Y23))

    def test_growth_needs_one_currency(self):
        with pytest.raises(cm.CurrencyMismatchError, match="previous is in CNY and current in USD"):
            cm.growth(usd(1, Y24), cm.Money(1, "CNY", Y23))

    def test_cagr(self):
        assert round(cm.cagr(usd(100, cm.CalendarYear(2021)), usd("133.1", Y24)), 20) == Decimal("0.1")
        assert cm.cagr(usd(100, Y23), usd(121, Y24)) == cm.growth(usd(121, Y24), usd(100, Y23))
        assert cm.cagr(usd(100, cm.CalendarYear(2022)), usd(0, Y24)) == -1
        half_years = cm.cagr(usd(100, cm.CalendarHalf(2023, 1)), usd(110, cm.CalendarHalf(2023, 2)))
        assert round(half_years, 6) == Decimal("0.21")  # 10% in half a year compounds to 21% a year

    def test_cagr_edge_cases(self):
        with pytest.raises(cm.UndefinedIndicatorError, match="last is negative, got last=-1 USD over 2024"):
            cm.cagr(usd(100, Y23), usd(-1, Y24))
        with pytest.raises(cm.UndefinedIndicatorError, match="got first=0 USD"):
            cm.cagr(usd(0, Y23), usd(1, Y24))

    def test_year_over_year_on_quarters(self):
        series = [
            cm.Money(amount, "CNY", cm.CalendarQuarter(year, q))
            for year, q, amount in [
                (2023, 3, "100"),
                (2023, 4, "200"),
                (2024, 3, "150"),
                (2024, 4, "500"),
                (2025, 1, "10"),
            ]
        ]
        assert cm.year_over_year(series) == {
            cm.CalendarQuarter(2024, 3): Decimal("0.5"),
            cm.CalendarQuarter(2024, 4): Decimal("1.5"),
        }

    def test_year_over_year_takes_one_series(self):
        meta = cm.Company(id="meta", name_en="Meta", name_zh="Meta", region="US", currency="USD")
        mixed = [cm.Fact(meta, "capex", usd(10, Y23)), cm.Fact(meta, "revenue", usd(100, Y24))]
        with pytest.raises(cm.InvalidValueError, match="takes one series .* got meta capex; meta revenue"):
            cm.year_over_year(mixed)

    @pytest.mark.parametrize(
        "context",
        [
            decimal.Context(prec=decimal.MAX_PREC),
            decimal.Context(prec=5, rounding=decimal.ROUND_DOWN),
            decimal.Context(Emax=5, Emin=-5, traps=list(decimal.Context().flags)),
        ],
        ids=["MAX_PREC", "prec=5, ROUND_DOWN", "Emax=5, every trap"],
    )
    def test_cagr_does_not_depend_on_the_callers_context(self, context):
        first, last = usd(100, cm.CalendarYear(2021)), usd(133, Y24)
        with localcontext(context) as caller:
            rate = cm.cagr(first, last)
            assert not any(caller.flags.values())
        wide = decimal.Context(prec=60)
        expected = wide.power(Decimal("1.33"), wide.divide(1, 3)) - 1
        assert rate == decimal.Context(prec=28).plus(expected)

    def test_cagr_ignores_the_callers_traps(self):
        with localcontext() as context:
            context.traps[decimal.Inexact] = True
            rate = cm.cagr(usd(100, cm.CalendarYear(2021)), usd(200, Y24))
        assert round(rate, 4) == Decimal("0.2599")

    def test_year_over_year_on_facts_and_fiscal_quarters(self):
        alibaba = cm.Company(
            id="alibaba",
            name_en="Alibaba",
            name_zh="阿里巴巴",
            region="CN",
            fiscal_calendar=cm.FiscalCalendar(year_end_month=3),
            currency="CNY",
        )
        calendar = alibaba.fiscal_calendar
        amounts = [(2024, 4), (2025, 12)]
        facts = [cm.Fact(alibaba, "capex", cm.Money(a, "CNY", calendar.quarter(fy, 3))) for fy, a in amounts]
        assert cm.year_over_year(facts) == {cm.CalendarQuarter(2024, 4): Decimal(2)}

    def test_year_over_year_refuses_duplicates_and_junk(self):
        with pytest.raises(cm.InvalidValueError, match="one amount per period, got two over 2024"):
            cm.year_over_year([usd(1), usd(2)])
        with pytest.raises(cm.PeriodMismatchError, match="twelve months or fewer, got 2023-01/2024-12"):
            cm.year_over_year([usd(1, cm.Period.parse("2023-01/2024-12"))])
        with pytest.raises(cm.InvalidValueError, match="every amount must be a capexmodel.Money, got 5"):
            cm.year_over_year([5])  # type: ignore[list-item]
        with pytest.raises(cm.InvalidValueError, match="expected an iterable of Money or Fact, got None"):
            cm.year_over_year(None)  # type: ignore[arg-type]
