from decimal import Decimal

import pytest

import capexmodel as cm

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
META = cm.Company(id="meta", name_en="Meta", name_zh="Meta", region="US", currency="USD")
ORACLE = cm.Company(
    id="oracle",
    name_en="Oracle",
    name_zh="甲骨文",
    region="US",
    currency="USD",
    fiscal_calendar=cm.FiscalCalendar(year_end_month=5),
)
TENCENT = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
BYTEDANCE = cm.Company(id="bytedance", name_en="ByteDance", name_zh="字节跳动", region="CN", currency="CNY")
RATES = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", Y24)])
NAMES = [
    "capex_to_operating_cash_flow",
    "capex_to_net_income",
    "capex_to_depreciation",
    "capex_intensity",
    "capex_growth_minus_revenue_growth",
    "free_cash_flow_margin",
]


def facts(company, currency="USD", **by_metric):
    """Facts from keyword arguments: metric=amount for 2024, metric_2023=amount for 2023."""
    result = []
    for key, amount in by_metric.items():
        metric, _, year = key.partition("_20")
        period = cm.CalendarYear(int("20" + year)) if year else Y24
        result.append(cm.Fact(company, metric, cm.Money(amount, currency, period)))
    return result


META_2024 = facts(
    META,
    capex="37256",
    revenue="164501",
    operating_cash_flow="91328",
    net_income="62360",
    depreciation_and_amortization="15498",
    capex_2023="27266",
    revenue_2023="134902",
)


class TestCompany:
    def test_every_signal_is_named_with_its_threshold_and_reason(self):
        risk = cm.bubble_risk(META_2024, Y24, company=META)
        assert [signal.name for signal in risk.signals] == NAMES
        assert all(signal.reason and signal.known for signal in risk.signals)
        assert risk.subject == "meta"
        assert risk.period == Y24
        values = {signal.name: signal.value for signal in risk.signals}
        assert values["capex_to_operating_cash_flow"] == Decimal(37256) / Decimal(91328)
        assert values["capex_intensity"] == Decimal(37256) / Decimal(164501)
        assert values["free_cash_flow_margin"] == Decimal(91328 - 37256) / Decimal(164501)
        capex_growth = Decimal(37256 - 27266) / Decimal(27266)
        revenue_growth = Decimal(164501 - 134902) / Decimal(134902)
        assert values["capex_growth_minus_revenue_growth"] == capex_growth - revenue_growth
        firing = [signal.name for signal in risk.signals if signal.fires]
        assert firing == ["capex_to_depreciation", "capex_intensity"]
        assert risk.score == Decimal(2) / Decimal(6)
        assert risk.coverage == 1
        assert risk.signal("capex_intensity").threshold == Decimal("0.2")
        assert risk.signal("free_cash_flow_margin").direction == "below"

    def test_missing_inputs_make_signals_unknown_not_zero(self):
        risk = cm.bubble_risk(
            facts(TENCENT, "CNY", capex="76760", revenue="660257", net_income="196467"), Y24, company="tencent"
        )
        unknown = [signal.name for signal in risk.signals if not signal.known]
        assert unknown == [
            "capex_to_operating_cash_flow",
            "capex_to_depreciation",
            "capex_growth_minus_revenue_growth",
            "free_cash_flow_margin",
        ]
        assert all(
            signal.value is None and signal.note.startswith("unknown") for signal in risk.signals if not signal.known
        )
        assert risk.score == 0
        assert risk.coverage == Decimal(2) / Decimal(6)

    def test_no_facts_at_all_gives_no_score(self):
        risk = cm.bubble_risk([], Y24, company="meta")
        assert risk.score is None
        assert risk.coverage == 0

    def test_a_loss_makes_the_profit_signal_fire_without_a_value(self):
        risk = cm.bubble_risk(facts(META, capex="100", net_income="-5"), Y24, company="meta")
        signal = risk.signal("capex_to_net_income")
        assert signal.fires is True
        assert signal.value is None
        assert "net_income is not positive" in signal.note

    def test_capex_from_nothing_fires_the_growth_signal(self):
        risk = cm.bubble_risk(
            facts(META, capex="100", revenue="10", capex_2023="0", revenue_2023="10"), Y24, company="meta"
        )
        assert risk.signal("capex_growth_minus_revenue_growth").fires is True
        flat = cm.bubble_risk(
            facts(META, capex="0", revenue="10", capex_2023="0", revenue_2023="10"), Y24, company="meta"
        )
        assert flat.signal("capex_growth_minus_revenue_growth").fires is False
        no_revenue_base = cm.bubble_risk(
            facts(META, capex="1", revenue="10", capex_2023="1", revenue_2023="0"), Y24, company="meta"
        )
        assert no_revenue_base.signal("capex_growth_minus_revenue_growth").fires is None

    def test_no_capex_does_not_fire_against_a_cash_burn(self):
        risk = cm.bubble_risk(facts(META, capex="0", operating_cash_flow="-5"), Y24, company="meta")
        assert risk.signal("capex_to_operating_cash_flow").fires is False

    def test_an_overridden_threshold_says_so(self):
        risk = cm.bubble_risk(META_2024, Y24, company="meta", thresholds={"capex_intensity": "0.5"})
        assert risk.signal("capex_intensity").reason.startswith("set by the caller; the default, 0.2, is there because")

    def test_a_subject_with_no_facts_at_all_is_probably_a_typo(self):
        with pytest.raises(cm.InvalidValueError, match="no fact is about Meta: check the company id or region code"):
            cm.bubble_risk(META_2024, Y24, company="Meta")
        with pytest.raises(cm.InvalidValueError, match="needs the year before 0001"):
            cm.bubble_risk(META_2024, cm.CalendarYear(1), company="meta")

    def test_records_are_validated(self):
        with pytest.raises(cm.InvalidAmountError, match="a weight must be"):
            cm.Signal("x", None, "0.2", "above", None, "abc", "reason", "note")
        with pytest.raises(cm.InvalidValueError, match="direction must be 'above' or 'below', got 'up'"):
            cm.Signal("x", None, "0.2", "up", None, 1, "reason", "note")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="signals must hold Signal values, got 1"):
            cm.BubbleRisk("x", Y24, (1, 2))  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="gpu_run_rate must be a Money"):
            cm.RevenueGap(1, 2, 3, 4, 5, 6)  # type: ignore[arg-type]

    def test_a_negative_capex_cannot_reach_the_signals(self):
        with pytest.raises(cm.InvalidValueError, match="capex is never negative"):
            facts(META, capex="-100", net_income="5")

    def test_thresholds_and_weights_are_parameters(self):
        risk = cm.bubble_risk(
            META_2024, Y24, company="meta", thresholds={"capex_intensity": "0.25"}, weights={"capex_to_depreciation": 4}
        )
        assert not risk.signal("capex_intensity").fires
        assert risk.score == Decimal(4) / Decimal(9)

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"thresholds": {"capex_intensty": 1}}, "no signal called 'capex_intensty' for thresholds"),
            ({"weights": {"capex_intensity": -1}}, "a weight must not be negative"),
            ({"weights": {"capex_intensity": 0.5}}, "not the float 0.5"),
            ({"weights": 3}, "weights must be a mapping"),
            ({"company": "meta", "region": "US"}, "pass exactly one of company= and region="),
            ({"company": None}, "pass exactly one of company= and region="),
            ({"company": 7}, "company must be a Company or a company id, got 7"),
        ],
    )
    def test_bad_arguments(self, arguments, message):
        arguments = {"company": "meta"} | arguments
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.bubble_risk(META_2024, Y24, **arguments)

    def test_two_facts_for_one_metric_are_refused(self):
        doubled = [*META_2024, cm.Fact(META, "capex", cm.Money("39225", "USD", Y24), basis="with finance leases")]
        with pytest.raises(cm.AmbiguousFactError, match="two capex facts for meta over 2024: 37256 USD"):
            cm.bubble_risk(doubled, Y24, company="meta")

    def test_facts_must_be_facts(self):
        with pytest.raises(cm.InvalidValueError, match="reads Fact values, got 1"):
            cm.bubble_risk([1], Y24, company="meta")  # type: ignore[list-item]
        with pytest.raises(cm.InvalidValueError, match="takes an iterable of Fact, got None"):
            cm.bubble_risk(None, Y24, company="meta")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="assesses a Period, got '2024'"):
            cm.bubble_risk(META_2024, "2024", company="meta")  # type: ignore[arg-type]

    def test_a_signal_weight_is_never_negative(self):
        with pytest.raises(cm.InvalidValueError, match="a weight must not be negative, got -1"):
            cm.Signal("capex_intensity", None, Decimal("0.2"), "above", True, -1, "why", "", (), ())

    def test_the_growth_signal_does_not_depend_on_the_callers_context(self):
        import decimal  # noqa: PLC0415

        expected = cm.bubble_risk(META_2024, Y24, company="meta").signal("capex_growth_minus_revenue_growth").value
        with decimal.localcontext(prec=5) as caller:
            caller.traps[decimal.Inexact] = caller.traps[decimal.Rounded] = True
            caller.clear_flags()
            risk = cm.bubble_risk(META_2024, Y24, company="meta")
            raised = [signal.__name__ for signal, up in caller.flags.items() if up]
            assert not raised
        assert risk.signal("capex_growth_minus_revenue_growth").value == expected

    def test_unknown_signal_names(self):
        with pytest.raises(cm.InvalidValueError, match="no signal called 'bubble': the signals are capex_to_op"):
            cm.bubble_risk(META_2024, Y24, company="meta").signal("bubble")


class TestRegion:
    def test_a_region_adds_up_the_companies_that_have_each_input(self):
        us = [*META_2024, *facts(ORACLE, capex="21215", operating_cash_flow="20821", revenue="57399")]
        risk = cm.bubble_risk(us, Y24, region="US")
        assert risk.subject == "US"
        coverage = risk.signal("capex_to_operating_cash_flow")
        assert coverage.value == Decimal(37256 + 21215) / Decimal(91328 + 20821)
        assert coverage.note == "from meta, oracle"
        assert coverage.companies == ("meta", "oracle")
        assert coverage.left_out == ()
        profit = risk.signal("capex_to_net_income")
        assert profit.value == Decimal(37256) / Decimal(62360)
        assert (profit.note, profit.companies, profit.left_out) == ("from meta", ("meta",), ("oracle",))

    def test_companies_with_facts_over_other_periods_are_named(self):
        microsoft = cm.Company(
            id="microsoft",
            name_en="Microsoft",
            name_zh="微软",
            region="US",
            currency="USD",
            fiscal_calendar=cm.FiscalCalendar(year_end_month=6),
        )
        fiscal_2024 = cm.Fact(microsoft, "capex", cm.Money("44477", "USD", microsoft.fiscal_calendar.year(2024)))
        risk = cm.bubble_risk([*META_2024, fiscal_2024], Y24, region="US")
        signal = risk.signal("capex_intensity")
        assert signal.companies == ("meta",)
        assert signal.left_out == ("microsoft",)
        assert "left out, with facts over other periods (calendarize them): microsoft" in signal.note

    def test_growth_is_in_constant_currency(self):
        tencent = facts(TENCENT, "CNY", capex="76760", revenue="660257", capex_2023="23893", revenue_2023="609015")
        rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", Y24), cm.ExchangeRate("USD", "CNY", "7.0", Y23)])
        in_usd = cm.bubble_risk(tencent, Y24, company="tencent", rates=rates, currency="USD")
        in_cny = cm.bubble_risk(tencent, Y24, company="tencent")
        gap = "capex_growth_minus_revenue_growth"
        # Equal but for the last of the 28 digits to which each converted amount is rounded.
        assert abs(in_usd.signal(gap).value - in_cny.signal(gap).value) < Decimal("1e-26")  # type: ignore[operator]

    def test_a_region_in_two_currencies_needs_rates(self):
        mixed = [*facts(TENCENT, "USD", capex="10617"), *facts(TENCENT, "CNY", revenue="660257")]
        with pytest.raises(cm.CurrencyMismatchError, match="capex is in USD and revenue in CNY"):
            cm.bubble_risk(mixed, Y24, company="tencent")
        china = [
            *facts(TENCENT, "CNY", capex="76760", revenue="660257"),
            *facts(BYTEDANCE, "USD", capex="11065", revenue="155000"),
        ]
        with pytest.raises(cm.CurrencyMismatchError, match="the inputs are in CNY, USD"):
            cm.bubble_risk(china, Y24, region="CN")
        a_year_apart = [
            *facts(TENCENT, "CNY", capex="76760", revenue="660257"),
            *facts(TENCENT, "USD", capex_2023="6700", revenue_2023="86000"),
        ]
        with pytest.raises(cm.CurrencyMismatchError, match="the inputs are in CNY, USD: pass rates= and currency="):
            cm.bubble_risk(a_year_apart, Y24, company="tencent")
        risk = cm.bubble_risk(china, Y24, region=cm.Region("CN"), rates=RATES, currency="USD")
        intensity = risk.signal("capex_intensity").value
        expected = (Decimal(76760) / Decimal("7.230") + 11065) / (Decimal(660257) / Decimal("7.230") + 155000)
        assert intensity is not None
        assert abs(intensity - expected) < Decimal("1e-20")

    def test_currency_and_rates_go_together(self):
        with pytest.raises(cm.InvalidValueError, match="converting needs both rates= and currency="):
            cm.bubble_risk(META_2024, Y24, company="meta", currency="USD")
        with pytest.raises(cm.InvalidValueError, match="converting needs both rates= and currency="):
            cm.bubble_risk(META_2024, Y24, company="meta", rates=RATES)
        with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable, got 'x'"):
            cm.bubble_risk(META_2024, Y24, company="meta", rates="x", currency="USD")  # type: ignore[arg-type]

    def test_bad_regions(self):
        with pytest.raises(cm.InvalidValueError, match="unknown region 'China'"):
            cm.bubble_risk(META_2024, Y24, region="China")
        with pytest.raises(cm.InvalidValueError, match="region must be a Region or a region code"):
            cm.bubble_risk(META_2024, Y24, region=5)  # type: ignore[arg-type]


class TestRevenueGap:
    def test_sequoias_600_billion_question(self):
        gap = cm.revenue_gap(cm.Money("150e9", "USD", Y24), cm.Money("100e9", "USD", Y24))
        assert gap.required == cm.Money("600e9", "USD", Y24)
        assert gap.gap == cm.Money("500e9", "USD", Y24)
        assert (gap.gpu_share_of_cost, gap.end_user_margin) == (Decimal("0.5"), Decimal("0.5"))

    def test_the_factors_are_parameters(self):
        gap = cm.revenue_gap(
            cm.Money(150, "USD", Y24), cm.Money(700, "USD", Y24), gpu_share_of_cost=1, end_user_margin="0"
        )
        assert gap.required == cm.Money(150, "USD", Y24)
        assert gap.gap == cm.Money(-550, "USD", Y24)

    @pytest.mark.parametrize(
        ("share", "margin", "message"),
        [
            (0, "0.5", r"gpu_share_of_cost must lie in \(0, 1\], got 0"),
            ("1.5", "0.5", "got '1.5'"),
            ("0.5", 1, r"end_user_margin must lie in \[0, 1\), got 1"),
            ("0.5", "-0.1", "got '-0.1'"),
        ],
    )
    def test_factors_outside_their_range_are_undefined(self, share, margin, message):
        with pytest.raises(cm.UndefinedIndicatorError, match=message):
            cm.revenue_gap(
                cm.Money(1, "USD", Y24), cm.Money(1, "USD", Y24), gpu_share_of_cost=share, end_user_margin=margin
            )

    def test_amounts_share_currency_and_period(self):
        with pytest.raises(cm.CurrencyMismatchError):
            cm.revenue_gap(cm.Money(1, "USD", Y24), cm.Money(1, "CNY", Y24))

    def test_a_run_rate_is_a_years_spending(self):
        half = cm.CalendarHalf(2024, 1)
        with pytest.raises(cm.PeriodMismatchError, match="must be over 12 months, got 2024-H1"):
            cm.revenue_gap(cm.Money(1, "USD", half), cm.Money(1, "USD", half))
        with pytest.raises(cm.UndefinedIndicatorError, match="zero or more, got gpu_run_rate=-1 USD over 2024"):
            cm.revenue_gap(cm.Money(-1, "USD", Y24), cm.Money(1, "USD", Y24))


class TestDepreciationGap:
    def test_amazon_six_to_five_years(self):
        gap = cm.depreciation_gap(cm.Money("300", "USD", cm.CalendarYear(2025)), from_years=6, to_years=5)
        assert (gap.before.amount, gap.after.amount, gap.change.amount) == (Decimal(50), Decimal(60), Decimal(10))
        assert (gap.from_years, gap.to_years) == (Decimal(6), Decimal(5))

    def test_meta_five_and_a_half_years(self):
        gap = cm.depreciation_gap(cm.Money("110", "USD", cm.CalendarYear(2025)), from_years=5, to_years="5.5")
        assert gap.change == cm.Money(-2, "USD", cm.CalendarYear(2025))

    def test_edge_cases(self):
        with pytest.raises(cm.UndefinedIndicatorError, match="a useful life must be positive, got to_years=0"):
            cm.depreciation_gap(cm.Money(1, "USD", Y24), from_years=6, to_years=0)
        with pytest.raises(cm.PeriodMismatchError, match="cost must be over 12 months, got 2024-Q1"):
            cm.depreciation_gap(cm.Money(1, "USD", cm.CalendarQuarter(2024, 1)), from_years=6, to_years=5)
        with pytest.raises(cm.InvalidValueError, match="cost must be a capexmodel.Money, got 1"):
            cm.depreciation_gap(1, from_years=6, to_years=5)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidAmountError, match="from_years must be .* not the float 5.5"):
            cm.depreciation_gap(cm.Money(1, "USD", Y24), from_years=5.5, to_years=5)


def test_facts_of_other_companies_periods_and_markets_are_ignored():
    nvidia = cm.Company(id="nvidia", name_en="Nvidia", name_zh="英伟达", region="US", currency="USD")
    noise = [
        *facts(TENCENT, "CNY", capex="1"),
        *facts(META, capex_2022="1"),
        cm.Fact(nvidia, "revenue_by_market", cm.Money("61300", "USD", Y24), market="US"),
    ]
    assert cm.bubble_risk([*META_2024, *noise], Y24, company="meta") == cm.bubble_risk(META_2024, Y24, company="meta")
