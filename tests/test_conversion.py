import decimal
import re
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

import capexmodel as cm

Y23, Y24, Y25 = cm.CalendarYear(2023), cm.CalendarYear(2024), cm.CalendarYear(2025)
ARTICLE = cm.Source("Caijing", "中美科技巨头算力投资对比", note="2024 average rate")
USD_CNY_2024 = cm.ExchangeRate("USD", "CNY", "7.230", Y24, source=ARTICLE)
RATES = cm.RateTable([USD_CNY_2024])


class TestExchangeRate:
    def test_fields(self):
        assert USD_CNY_2024.base == "USD"
        assert USD_CNY_2024.quote == "CNY"
        assert USD_CNY_2024.rate == Decimal("7.230")
        assert USD_CNY_2024.window == Y24
        assert USD_CNY_2024.source is ARTICLE

    def test_str_and_repr(self):
        assert str(USD_CNY_2024) == "1 USD = 7.230 CNY, average over 2024"
        rate = cm.ExchangeRate("usd", "hkd", "7.8", cm.CalendarQuarter(2024, 1))
        assert repr(rate) == "ExchangeRate('USD', 'HKD', '7.8', Period.parse('2024-Q1'))"
        namespace = {"ExchangeRate": cm.ExchangeRate, "Period": cm.Period, "Source": cm.Source}
        assert eval(repr(USD_CNY_2024), namespace) == USD_CNY_2024  # noqa: S307

    @pytest.mark.parametrize(
        ("rate", "error", "message"),
        [
            (7.23, cm.InvalidAmountError, r"rate must be .* not the float 7.23"),
            ("0", cm.InvalidAmountError, "a rate is positive, got '0'"),
            ("-7.23", cm.InvalidAmountError, "a rate is positive, got '-7.23'"),
            ("NaN", cm.InvalidAmountError, "rate must be finite"),
            ("seven", cm.InvalidAmountError, "rate must be a number, got the string 'seven'"),
        ],
    )
    def test_bad_rates_are_refused(self, rate, error, message):
        with pytest.raises(error, match=message):
            cm.ExchangeRate("USD", "CNY", rate, Y24)

    def test_other_fields_are_validated(self):
        with pytest.raises(cm.UnknownCurrencyError, match="'RMB'"):
            cm.ExchangeRate("USD", "RMB", "7.23", Y24)
        with pytest.raises(cm.InvalidValueError, match="two currencies, got USD to USD"):
            cm.ExchangeRate("USD", "usd", "1", Y24)
        with pytest.raises(cm.InvalidValueError, match=r"window must be a capexmodel\.Period, got '2024'"):
            cm.ExchangeRate("USD", "CNY", "7.23", "2024")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match=r"source must be a capexmodel\.Source or None, got 'Caijing'"):
            cm.ExchangeRate("USD", "CNY", "7.23", Y24, source="Caijing")  # type: ignore[arg-type]


class TestDirectAndInverse:
    def test_the_contract_line(self):
        usd = RATES.convert(cm.Money("80000000000", "CNY", Y24), "USD")
        assert usd.currency == "USD"
        assert usd.period == Y24
        assert str(usd.amount).startswith("11065006915.62")
        assert usd.amount == Decimal(80000000000) / Decimal("7.230")  # rounded once, in the context

    def test_direct_conversion_is_exact(self):
        assert RATES.convert(cm.Money("777", "USD", Y24), "CNY") == cm.Money("5617.71", "CNY", Y24)

    def test_the_rate_covers_parts_of_its_window(self):
        q3 = cm.CalendarQuarter(2024, 3)
        assert RATES.convert(cm.Money("100", "USD", q3), "CNY") == cm.Money("723", "CNY", q3)

    def test_own_currency_is_returned_unchanged(self):
        money = cm.Money("800", "CNY", Y23)  # no rate covers 2023, and none is needed
        assert RATES.convert(money, "CNY") is money
        assert RATES.conversion("CNY", "cny", Y23).method == "identity"

    def test_conversion_reports_what_it_used(self):
        inverse = RATES.conversion("CNY", "USD", Y24)
        assert inverse.method == "inverse"
        assert inverse.via is None
        assert inverse.rates == (USD_CNY_2024,)
        assert inverse.sources == (ARTICLE,)
        assert inverse.factor == Fraction(100, 723)
        assert str(inverse) == "CNY to USD over 2024 (inverse): the inverse of 1 USD = 7.230 CNY, average over 2024"
        direct = RATES.conversion("USD", "CNY", Y24)
        assert direct.method == "direct"
        assert direct.rate == Decimal("7.23")
        assert str(RATES.conversion("USD", "USD", Y24)) == "USD over 2024 needs no conversion"

    def test_the_narrowest_covering_window_wins(self):
        quarterly = cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarQuarter(2024, 3))
        rates = cm.RateTable([USD_CNY_2024, quarterly])
        assert rates.conversion("USD", "CNY", cm.CalendarMonth(2024, 8)).rates == (quarterly,)
        assert rates.conversion("USD", "CNY", cm.CalendarMonth(2024, 11)).rates == (USD_CNY_2024,)
        assert rates.conversion("USD", "CNY", Y24).rates == (USD_CNY_2024,)

    def test_equally_narrow_windows_are_ambiguous(self):
        rates = cm.RateTable([USD_CNY_2024, cm.ExchangeRate("CNY", "USD", "0.14", cm.Period.parse("2024-07/2025-06"))])
        message = (
            "several rates fit CNY/USD over 2024-Q3 equally well: 1 USD = 7.230 CNY, average over 2024;"
            " 1 CNY = 0.14 USD, average over 2024-07/2025-06"
        )
        with pytest.raises(cm.AmbiguousRateError, match=f"^{re.escape(message)}$"):
            rates.conversion("CNY", "USD", cm.CalendarQuarter(2024, 3))


class TestMissingRates:
    def test_a_period_the_rate_does_not_cover(self):
        alibaba_fy2025 = cm.FiscalCalendar(year_end_month=3).year(2025)
        with pytest.raises(cm.MissingRateError) as caught:
            RATES.convert(cm.Money("85972", "CNY", alibaba_fy2025), "USD")
        message = str(caught.value)
        assert "no CNY/USD rate covers 2024-04/2025-03" in message
        assert "only 2024" in message
        assert "blend=True" in message
        assert isinstance(caught.value, LookupError)

    def test_every_window_of_the_pair_is_named(self):
        rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.3", Y25), cm.ExchangeRate("USD", "CNY", "7.1", Y23)])
        message = "^no rate converts USD to CNY over 2024: no USD/CNY rate covers 2024, only 2023, 2025$"  # no blend
        with pytest.raises(cm.MissingRateError, match=message):
            rates.conversion("USD", "CNY", Y24)

    def test_a_pair_the_table_does_not_have(self):
        with pytest.raises(cm.MissingRateError, match="EUR to CNY over 2024: the table has no EUR/CNY"):
            RATES.convert(cm.Money("1", "EUR", Y24), "CNY")

    def test_the_empty_table(self):
        message = "^no rate converts EUR to CNY over 2024: the table has no EUR/CNY rate; no currency links them$"
        with pytest.raises(cm.MissingRateError, match=message):
            cm.RateTable([]).convert(cm.Money("1", "EUR", Y24), "CNY")

    def test_only_rates_of_the_two_currencies_link_them(self):
        rates = cm.RateTable([cm.ExchangeRate("CNY", "USD", "0.138", Y24), cm.ExchangeRate("GBP", "JPY", "190", Y24)])
        message = "^no rate converts CNY to EUR over 2024: the table has no CNY/EUR rate; no currency links them$"
        with pytest.raises(cm.MissingRateError, match=message):
            rates.convert(cm.Money("1", "CNY", Y24), "EUR")


class TestBlend:
    RATES = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", "7.1", Y23),
            cm.ExchangeRate("USD", "CNY", "7.2", Y24),
            cm.ExchangeRate("CNY", "USD", "0.125", Y25),  # stored the other way round
        ]
    )

    def test_alibabas_fiscal_year_from_two_calendar_years(self):
        fy2025 = cm.FiscalCalendar(year_end_month=3).year(2025)  # 9 months of 2024, 3 of 2025
        conversion = self.RATES.conversion("USD", "CNY", fy2025, blend=True)
        assert conversion.method == "blend"
        segments = [(str(s.months), [(u.rate.window, u.inverted) for u in s.uses]) for s in conversion.segments]
        assert segments == [("2024-04/2024-12", [(Y24, False)]), ("2025-Q1", [(Y25, True)])]
        assert conversion.factor == Fraction(3, 4) * Fraction("7.2") + Fraction(1, 4) * 8
        assert self.RATES.convert(cm.Money("100", "USD", fy2025), "CNY", blend=True) == cm.Money(740, "CNY", fy2025)

    def test_never_by_default(self):
        fy2025 = cm.FiscalCalendar(year_end_month=3).year(2025)
        with pytest.raises(cm.MissingRateError, match="blend=True"):
            self.RATES.convert(cm.Money("100", "USD", fy2025), "CNY")

    def test_a_covering_rate_is_used_even_when_blending_is_allowed(self):
        assert self.RATES.conversion("USD", "CNY", Y24, blend=True).rates == (self.RATES.rates[1],)
        assert self.RATES.conversion("USD", "CNY", Y24, blend=True).method == "direct"

    def test_a_covering_rate_beats_a_blend_of_narrower_ones(self):
        rates = cm.RateTable([USD_CNY_2024, cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarQuarter(2024, 3))])
        conversion = rates.conversion("USD", "CNY", Y24, blend=True)
        assert (conversion.method, conversion.rates) == ("direct", (USD_CNY_2024,))

    def test_uncovered_months_are_named(self):
        span = cm.Period.parse("2025-07/2026-06")
        with pytest.raises(cm.MissingRateError, match="USD/CNY rates covers 2025-07/2026-06: they leave out 2026-H1"):
            self.RATES.conversion("USD", "CNY", span, blend=True)

    def test_every_uncovered_run_of_months_is_named(self):
        rates = cm.RateTable(
            [
                cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarQuarter(2024, 1)),
                cm.ExchangeRate("USD", "CNY", "7.2", cm.CalendarQuarter(2024, 3)),
            ]
        )
        message = "; no blend of USD/CNY rates covers 2024: they leave out 2024-Q2, 2024-Q4$"
        with pytest.raises(cm.MissingRateError, match=message):
            rates.conversion("USD", "CNY", Y24, blend=True)

    def test_description_names_the_weights(self):
        fy2025 = cm.FiscalCalendar(year_end_month=3).year(2025)
        text = str(self.RATES.conversion("USD", "CNY", fy2025, blend=True))
        assert text == (
            "USD to CNY over 2024-04/2025-03 (blend): 3/4 of (1 USD = 7.2 CNY, average over 2024)"
            " + 1/4 of (the inverse of 1 CNY = 0.125 USD, average over 2025)"
        )


class TestCross:
    EUR_USD = cm.ExchangeRate("EUR", "USD", "1.082", Y24)
    RATES = cm.RateTable([USD_CNY_2024, EUR_USD])

    def test_a_cross_rate_goes_through_the_common_currency(self):
        conversion = self.RATES.conversion("EUR", "CNY", Y24)
        assert conversion.method == "cross"
        assert conversion.via == "USD"
        assert [(use.base, use.quote) for use in conversion.segments[0].uses] == [("EUR", "USD"), ("USD", "CNY")]
        assert conversion.factor == Fraction("1.082") * Fraction("7.230")
        assert self.RATES.convert(cm.Money("1000", "EUR", Y24), "CNY") == cm.Money("7822.86", "CNY", Y24)

    def test_cross_both_ways(self):
        there = self.RATES.conversion("EUR", "CNY", Y24)
        back = self.RATES.conversion("CNY", "EUR", Y24)
        assert back.factor == 1 / there.factor
        assert str(back).startswith("CNY to EUR over 2024 (cross): the inverse of 1 USD = 7.230 CNY")

    def test_several_routes_need_via(self):
        rates = cm.RateTable(
            [
                *self.RATES.rates,
                cm.ExchangeRate("HKD", "USD", "0.128", Y24),
                cm.ExchangeRate("EUR", "HKD", "8.45", Y24),
                cm.ExchangeRate("HKD", "CNY", "0.92", Y24),
            ]
        )
        with pytest.raises(cm.AmbiguousRateError, match="EUR converts to CNY over 2024 through HKD, USD: pass via="):
            rates.conversion("EUR", "CNY", Y24)
        assert rates.conversion("EUR", "CNY", Y24, via="HKD").factor == Fraction("8.45") * Fraction("0.92")
        assert rates.conversion("EUR", "CNY", Y24, via="usd").factor == Fraction("1.082") * Fraction("7.230")

    def test_via_a_currency_without_rates(self):
        message = "^no rate converts EUR to CNY over 2024: through HKD: the table has no EUR/HKD rate$"
        with pytest.raises(cm.MissingRateError, match=message):
            self.RATES.conversion("EUR", "CNY", Y24, via="HKD")

    def test_convert_takes_the_route_via_names(self):
        rates = cm.RateTable([*self.RATES.rates, cm.ExchangeRate("EUR", "CNY", "7.8", Y24)])
        money = cm.Money("1082", "USD", Y24)
        assert rates.convert(money, "CNY") == cm.Money("7822.860", "CNY", Y24)  # the direct rate
        assert rates.convert(money, "CNY", via="EUR") == cm.Money("7800", "CNY", Y24)

    def test_a_cross_segment_describes_both_legs(self):
        (segment,) = self.RATES.conversion("EUR", "CNY", Y24).segments
        assert str(segment) == "1 EUR = 1.082 USD, average over 2024; then 1 USD = 7.230 CNY, average over 2024"

    def test_via_must_be_a_third_currency(self):
        with pytest.raises(cm.InvalidValueError, match="via='CNY' must differ from both currencies"):
            self.RATES.conversion("EUR", "CNY", Y24, via="CNY")

    def test_a_cross_route_that_does_not_cover_the_period(self):
        rates = cm.RateTable([USD_CNY_2024, cm.ExchangeRate("EUR", "USD", "1.08", Y23)])
        with pytest.raises(cm.MissingRateError, match="USD: no EUR/USD rate covers 2024, only 2023$"):
            rates.conversion("EUR", "CNY", Y24)


class TestRateTable:
    def test_two_rates_for_one_pair_and_window_are_refused(self):
        message = (
            "two rates for CNY/USD over 2024: 1 USD = 7.230 CNY, average over 2024 and"
            " 1 CNY = 0.138 USD, average over 2024 (a table holds one)"
        )
        with pytest.raises(cm.InvalidValueError, match=f"^{re.escape(message)}$"):
            cm.RateTable([USD_CNY_2024, cm.ExchangeRate("CNY", "USD", "0.138", Y24)])

    @pytest.mark.parametrize(
        "again",
        [USD_CNY_2024, cm.ExchangeRate("USD", "CNY", "7.230", Y24, source=ARTICLE)],
        ids=["the same object", "an equal rate"],
    )
    def test_a_rate_given_twice_is_refused_when_the_table_is_built(self, again):
        message = "two rates for USD/CNY over 2024: 1 USD = 7.230 CNY, average over 2024, given twice"
        with pytest.raises(cm.InvalidValueError, match=re.escape(message)):
            cm.RateTable([USD_CNY_2024, again])

    @pytest.mark.parametrize("rates", [None, 7.23, [USD_CNY_2024, "7.23"]])
    def test_only_exchange_rates(self, rates):
        with pytest.raises(cm.InvalidValueError, match=r"RateTable\(\) takes (an iterable of )?ExchangeRate"):
            cm.RateTable(rates)

    def test_convert_and_conversion_check_their_arguments(self):
        with pytest.raises(cm.InvalidValueError, match="convert\\(\\) converts Money, got 800"):
            RATES.convert(800, "USD")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="conversion\\(\\) takes a Period, got '2024'"):
            RATES.conversion("USD", "CNY", "2024")  # type: ignore[arg-type]
        with pytest.raises(cm.UnknownCurrencyError, match="'RMB'"):
            RATES.convert(cm.Money("1", "USD", Y24), "RMB")

    def test_apply_checks_currency_and_period(self):
        conversion = RATES.conversion("CNY", "USD", Y24)
        with pytest.raises(cm.CurrencyMismatchError, match="this conversion is from CNY, got 1 USD over 2024"):
            conversion.apply(cm.Money("1", "USD", Y24))
        with pytest.raises(cm.PeriodMismatchError, match="this conversion is over 2024, got 1 CNY over 2024-Q1"):
            conversion.apply(cm.Money("1", "CNY", cm.CalendarQuarter(2024, 1)))
        with pytest.raises(cm.InvalidValueError, match=re.escape("apply() converts Money, got 1")):
            conversion.apply(1)  # type: ignore[arg-type]

    @pytest.mark.parametrize("currency", ["CNY", "EUR"])  # one stored rate, and a cross rate
    def test_a_result_beyond_the_bounds_of_an_amount_is_refused_naming_it(self, currency):
        rates = cm.RateTable([USD_CNY_2024, cm.ExchangeRate("EUR", "CNY", "0.5", Y24)])  # a made-up rate
        message = rf"^9000+\.\.\. \(1000 characters\) USD over 2024 in {currency} is out of range"
        with pytest.raises(cm.InvalidAmountError, match=message):
            rates.convert(cm.Money("9e999", "USD", Y24), currency)

    def test_conversion_rounds_to_28_digits_whatever_the_callers_context(self):
        with localcontext(decimal.Context(prec=6, rounding=decimal.ROUND_DOWN)) as context:
            assert RATES.convert(cm.Money("800", "CNY", Y24), "USD").amount == Decimal("110.6500691562932226832641770")
            assert RATES.conversion("CNY", "USD", Y24).rate == Decimal("0.1383125864453665283540802213")
            assert not any(context.flags.values())


class TestBlendedCross:
    EUR_USD = (cm.ExchangeRate("EUR", "USD", "1.0", Y24), cm.ExchangeRate("EUR", "USD", "2.0", Y25))
    USD_CNY = (cm.ExchangeRate("USD", "CNY", "7.0", Y24), cm.ExchangeRate("USD", "CNY", "8.0", Y25))
    RATES = cm.RateTable([*EUR_USD, *USD_CNY])

    def test_each_month_is_converted_along_its_own_route(self):
        span = cm.Period.parse("2024-07/2025-06")
        conversion = self.RATES.conversion("EUR", "CNY", span, blend=True)
        assert conversion.method == "blend"
        assert conversion.via == "USD"
        # Half the months at 1.0 x 7.0, half at 2.0 x 8.0 (not the product of the two legs' averages).
        assert conversion.factor == Fraction(1, 2) * 7 + Fraction(1, 2) * 16
        assert [str(segment.months) for segment in conversion.segments] == ["2024-H2", "2025-H1"]


class TestFallbacks:
    def test_a_covering_cross_route_beats_a_direct_pair_that_does_not_cover(self):
        rates = cm.RateTable(
            [
                cm.ExchangeRate("EUR", "USD", "1.08", Y24),
                cm.ExchangeRate("EUR", "CNY", "7.8", Y24),
                cm.ExchangeRate("USD", "CNY", "7.1", Y23),
            ]
        )
        conversion = rates.conversion("USD", "CNY", Y24)
        assert conversion.method == "cross"
        assert conversion.via == "EUR"
        assert rates.conversion("USD", "CNY", Y23).method == "direct"

    def test_blend_must_be_a_bool(self):
        with pytest.raises(cm.InvalidValueError, match="blend must be True or False, got 'no'"):
            RATES.convert(cm.Money("1", "CNY", Y24), "USD", blend="no")  # type: ignore[arg-type]

    def test_equally_narrow_rates_in_a_blend_are_ambiguous(self):
        rates = cm.RateTable([USD_CNY_2024, cm.ExchangeRate("USD", "CNY", "7.2", cm.Period.parse("2024-07/2025-06"))])
        with pytest.raises(cm.AmbiguousRateError, match="several USD/CNY rates fit 2024-H2 equally well"):
            rates.conversion("USD", "CNY", cm.Period.parse("2024-04/2025-03"), blend=True)

    def test_every_run_of_equally_narrow_rates_in_a_blend_is_named(self):
        rates = cm.RateTable(
            [
                USD_CNY_2024,
                cm.ExchangeRate("USD", "CNY", "7.2", cm.Period.parse("2024-07/2025-06")),
                cm.ExchangeRate("USD", "CNY", "7.1", cm.Period.parse("2024-09/2024-10")),
            ]
        )
        message = "^several USD/CNY rates fit 2024-07/2024-08, 2024-11/2024-12 equally well$"
        with pytest.raises(cm.AmbiguousRateError, match=message):
            rates.conversion("USD", "CNY", cm.Period.parse("2024-04/2025-03"), blend=True)


class TestInverse:
    def test_the_inverse_of_a_conversion_walks_it_backwards(self):
        cross = TestCross.RATES.conversion("EUR", "CNY", Y24)
        back = cross.inverse()
        assert (back.base, back.quote, back.method, back.via) == ("CNY", "EUR", "cross", "USD")
        assert back.factor * cross.factor == 1
        assert back.inverse() == cross
        assert RATES.conversion("USD", "USD", Y24).inverse().method == "identity"

    def test_a_blends_inverse_is_not_its_reciprocal(self):
        fy2025 = cm.FiscalCalendar(year_end_month=3).year(2025)
        blend = TestBlend.RATES.conversion("USD", "CNY", fy2025, blend=True)
        assert blend.inverse().inverse() == blend
        assert blend.inverse().factor != 1 / blend.factor
        assert blend.inverse() == TestBlend.RATES.conversion("CNY", "USD", fy2025, blend=True)


class TestRecords:
    def test_rate_uses_are_validated(self):
        with pytest.raises(cm.InvalidValueError, match="rate must be an ExchangeRate, got '7.23'"):
            cm.RateUse("7.23", inverted=False)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="inverted must be True or False, got 1"):
            cm.RateUse(USD_CNY_2024, inverted=1)  # type: ignore[arg-type]

    def test_segments_must_chain(self):
        eur_usd = cm.RateUse(TestCross.EUR_USD, inverted=False)
        with pytest.raises(cm.InvalidValueError, match="must chain, but 1 EUR = 1.082 USD.* is followed by 1 EUR"):
            cm.ConversionSegment(Y24, (eur_usd, eur_usd))
        with pytest.raises(cm.InvalidValueError, match="uses must be a list or tuple of RateUse, got 'direct'"):
            cm.ConversionSegment(Y24, "direct")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="months must be a Period, got '2024'"):
            cm.ConversionSegment("2024", ())  # type: ignore[arg-type]
        assert str(cm.ConversionSegment(Y24, ())) == "no conversion"

    def test_conversions_must_tile_their_period_and_go_from_base_to_quote(self):
        direct = cm.RateUse(USD_CNY_2024, inverted=False)
        with pytest.raises(cm.InvalidValueError, match="every route must go from USD to CNY, got USD to USD"):
            cm.Conversion("USD", "CNY", Y24, (cm.ConversionSegment(Y24, ()),))
        with pytest.raises(cm.InvalidValueError, match="every route must go from CNY to USD, got USD to CNY"):
            cm.Conversion("CNY", "USD", Y24, (cm.ConversionSegment(Y24, (direct,)),))
        with pytest.raises(cm.InvalidValueError, match="must tile 2024 in order, got 2024-H2 next"):
            cm.Conversion("USD", "CNY", Y24, (cm.ConversionSegment(cm.CalendarHalf(2024, 2), (direct,)),))
        with pytest.raises(cm.InvalidValueError, match="must tile 2024, but they end with 2024-H1"):
            cm.Conversion("USD", "CNY", Y24, (cm.ConversionSegment(cm.CalendarHalf(2024, 1), (direct,)),))
        message = r"^segments must be a non-empty list or tuple of ConversionSegment, got \(\)$"
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.Conversion("USD", "CNY", Y24, ())


def test_a_blend_takes_the_narrowest_rate_for_each_month():
    quarterly = cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarQuarter(2024, 3))
    rates = cm.RateTable([quarterly, USD_CNY_2024, cm.ExchangeRate("USD", "CNY", "7.19", Y25)])
    conversion = rates.conversion("USD", "CNY", cm.Period.parse("2024-04/2025-03"), blend=True)
    runs = [(str(segment.months), segment.uses[0].rate.rate) for segment in conversion.segments]
    assert runs == [
        ("2024-Q2", Decimal("7.230")),
        ("2024-Q3", Decimal("7.1")),
        ("2024-Q4", Decimal("7.230")),
        ("2025-Q1", Decimal("7.19")),
    ]
    assert conversion.factor == (Fraction("7.230") * 2 + Fraction("7.1") + Fraction("7.19")) / 4


class TestTheLastPeriods:
    """Periods end as late as December 9999: converting over them works like any other."""

    LAST_YEAR = cm.CalendarYear(9999)
    RATES = cm.RateTable(
        [
            cm.ExchangeRate("USD", "CNY", "7", LAST_YEAR),
            cm.ExchangeRate("EUR", "USD", "2", LAST_YEAR),
            cm.ExchangeRate("USD", "HKD", "8", cm.Period.parse("9999-01/9999-06")),
            cm.ExchangeRate("USD", "HKD", "9", cm.Period.parse("9999-07/9999-12")),
        ]
    )

    @pytest.mark.parametrize(
        ("base", "quote", "period", "expected"),
        [
            ("USD", "CNY", cm.CalendarYear(9999), "7"),
            ("CNY", "USD", cm.CalendarMonth(9999, 12), "0.1428571428571428571428571429"),
            ("EUR", "CNY", cm.CalendarQuarter(9999, 4), "14"),
            ("USD", "HKD", cm.CalendarYear(9999), "8.5"),
        ],
    )
    def test_every_route_converts_over_december_9999(self, base, quote, period, expected):
        converted = self.RATES.convert(cm.Money(1, base, period), quote, blend=True)
        assert converted == cm.Money(expected, quote, period)
        assert self.RATES.conversion(base, quote, period, blend=True).inverse().period == period

    def test_a_conversion_record_can_end_in_december_9999(self):
        segment = cm.ConversionSegment(self.LAST_YEAR, (cm.RateUse(self.RATES.rates[0], inverted=False),))
        assert cm.Conversion("USD", "CNY", self.LAST_YEAR, (segment,)).factor == 7


class TestMissingRateMessages:
    def test_many_windows_are_shown_as_the_months_they_cover(self):
        months = [cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarMonth(2023, month)) for month in range(1, 13)]
        rates = cm.RateTable([*months, cm.ExchangeRate("USD", "CNY", "7.2", cm.CalendarYear(2025))])
        message = "no USD/CNY rate covers 2024, only 13 windows over 2023, 2025$"
        with pytest.raises(cm.MissingRateError, match=message):
            rates.convert(cm.Money("1", "USD", Y24), "CNY")

    def test_a_blend_is_suggested_only_when_rates_cover_part_of_the_period(self):
        rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.1", cm.CalendarYear(2023))])
        with pytest.raises(cm.MissingRateError, match="only 2023; pass blend=True"):
            rates.convert(cm.Money("1", "USD", cm.Period.parse("2023-07/2024-06")), "CNY")
        with pytest.raises(cm.MissingRateError, match="only 2023$"):
            rates.convert(cm.Money("1", "USD", Y24), "CNY")
