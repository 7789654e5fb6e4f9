import decimal
from decimal import Decimal, localcontext

import pytest

import capexmodel as cm

ALIBABA = cm.Company(
    id="alibaba",
    name_en="Alibaba",
    name_zh="阿里巴巴",
    region="CN",
    currency="CNY",
    fiscal_calendar=cm.FiscalCalendar(year_end_month=3),
)
TENCENT = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
ARTICLE = cm.Source("Caijing", "中美科技巨头算力投资对比")
YEARS = [cm.CalendarYear(year) for year in (2025, 2026, 2027)]
PLAN = cm.Fact(
    ALIBABA,
    "capex",
    cm.Money("380000000000", "CNY", cm.Period.parse("2025-01/2027-12")),
    status="guidance",
    sources=[ARTICLE],
)


class TestSpreadPlan:
    def test_alibabas_plan_spread_over_three_years(self):
        projected = cm.spread_plan(PLAN, YEARS)
        assert [fact.value.period for fact in projected] == YEARS
        assert all(fact.status is cm.Status.ESTIMATE for fact in projected)
        assert all(fact.sources == (ARTICLE,) for fact in projected)
        assert all(fact.metric == "capex" and fact.company == ALIBABA for fact in projected)
        assert projected[0].value.amount == Decimal(380000000000) / 3
        rule = projected[0].derivation
        assert isinstance(rule, cm.Projection)
        assert rule.method == "spread"
        assert rule.rule == "380000000000 CNY over 2025-01/2027-12 spread evenly: 12 of its 36 months"

    def test_uneven_periods_get_their_months_share(self):
        with localcontext(prec=50):  # the caller's context plays no part
            halves = cm.spread_plan(PLAN, [cm.Period.parse("2025-01/2025-06"), cm.Period.parse("2025-07/2027-12")])
        first = Decimal("63333333333.33333333333333333")  # a sixth, to 28 digits
        assert [fact.value.amount for fact in halves] == [first, Decimal("316666666666.66666666666666667")]

    def test_the_parts_add_up_to_the_plan_exactly(self):
        projected = cm.spread_plan(PLAN, YEARS)
        assert cm.combine_periods(fact.value for fact in projected) == PLAN.value

    @pytest.mark.parametrize(
        "periods",
        [YEARS[:2], YEARS[::-1], [YEARS[0], YEARS[2]], [cm.Period.parse("2024-07/2025-12"), *YEARS[1:]]],
    )
    def test_the_periods_must_tile_the_plan(self, periods):
        with pytest.raises(cm.PeriodMismatchError, match="the periods must tile the plan's 2025-01/2027-12 in order"):
            cm.spread_plan(PLAN, periods)

    @pytest.mark.parametrize(
        ("amount", "context"),
        [
            ("1000003", decimal.Context(prec=5)),
            ("1234567890123456789012345678901", decimal.Context()),  # 31 digits: more than 28
            ("1234567890123456789012345678901.6", decimal.Context(prec=3, rounding=decimal.ROUND_DOWN, traps=[])),
        ],
    )
    def test_the_parts_add_up_to_the_plan_in_any_context(self, amount, context):
        plan = cm.Fact(ALIBABA, "capex", cm.Money(amount, "CNY", PLAN.value.period), status="guidance")
        expected = cm.spread_plan(plan, YEARS)
        with localcontext(context) as caller:
            projected = cm.spread_plan(plan, YEARS)
            assert not any(caller.flags.values())
        assert projected == expected
        assert cm.combine_periods(fact.value for fact in projected) == plan.value
        third = Decimal(amount) / 3  # in the default context: 28 significant digits, half to even
        assert [fact.value.amount for fact in projected[:2]] == [third, third]

    def test_a_part_beyond_the_bounds_of_an_amount_is_refused(self):
        plan = cm.Fact(ALIBABA, "capex", cm.Money("1e-1000", "CNY", PLAN.value.period), status="guidance")
        with pytest.raises(cm.InvalidAmountError, match=r"the capex projected over 2025 \(.*\) is out of range"):
            cm.spread_plan(plan, YEARS)

    def test_bad_arguments(self):
        with pytest.raises(cm.InvalidValueError, match="plan must be a capexmodel.Fact"):
            cm.spread_plan(PLAN.value, YEARS)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="one or more Period values"):
            cm.spread_plan(PLAN, [])
        with pytest.raises(cm.InvalidValueError, match="takes a sequence of Period, got None"):
            cm.spread_plan(PLAN, None)  # type: ignore[arg-type]


class TestCapexFromRevenue:
    REVENUE = cm.Fact(TENCENT, "revenue", cm.Money("660257000000", "CNY", cm.CalendarYear(2024)), sources=[ARTICLE])

    def test_tencents_rule(self):
        capex = cm.capex_from_revenue(
            self.REVENUE, period=cm.CalendarYear(2025), revenue_growth="0.10", capex_to_revenue="0.12"
        )
        assert capex.value == cm.Money(
            Decimal(660257000000) * Decimal("1.1") * Decimal("0.12"), "CNY", cm.CalendarYear(2025)
        )
        assert capex.metric == cm.Metric.CAPEX
        assert capex.status is cm.Status.ESTIMATE
        assert capex.sources == (ARTICLE,)
        assert capex.derivation == cm.Projection(
            "share-of-revenue", "0.12 of revenue, with revenue growing 0.10 from 660257000000 CNY over 2024"
        )

    @pytest.mark.parametrize(
        "context",
        [
            decimal.Context(prec=5),
            decimal.Context(prec=3, rounding=decimal.ROUND_DOWN, traps=[]),
            decimal.Context(Emax=5, Emin=-5, traps=list(decimal.Context().flags)),
        ],
    )
    def test_the_callers_context_plays_no_part(self, context):
        def project():
            return cm.capex_from_revenue(
                self.REVENUE, period=cm.CalendarYear(2025), revenue_growth="0.123456", capex_to_revenue="0.12"
            )

        with localcontext(context) as caller:
            capex = project()
            assert not any(caller.flags.values())
        assert capex == project()
        assert capex.value.amount == Decimal("89012362583.04000000")

    def test_a_projection_beyond_the_bounds_of_an_amount_is_refused(self):
        revenue = cm.Fact(TENCENT, "revenue", cm.Money("9e999", "CNY", cm.CalendarYear(2024)))
        with pytest.raises(cm.InvalidAmountError, match="the capex projected over 2025 .* is out of range"):
            cm.capex_from_revenue(revenue, period=cm.CalendarYear(2025), revenue_growth="0.5", capex_to_revenue="1")

    def test_the_period_must_follow_and_match(self):
        for period in (cm.CalendarYear(2024), cm.CalendarHalf(2025, 1), cm.CalendarYear(2023), cm.CalendarYear(2026)):
            with pytest.raises(cm.PeriodMismatchError, match="must directly follow the revenue's and be as long"):
                cm.capex_from_revenue(self.REVENUE, period=period, revenue_growth=0, capex_to_revenue=1)

    @pytest.mark.parametrize(("growth", "rate"), [("-1", "0.12"), ("-2", "0.12"), ("0.1", "-0.12")])
    def test_growth_above_minus_one_and_a_rate_of_zero_or_more(self, growth, rate):
        with pytest.raises(cm.UndefinedIndicatorError, match="revenue_growth must be above -1"):
            cm.capex_from_revenue(
                self.REVENUE, period=cm.CalendarYear(2025), revenue_growth=growth, capex_to_revenue=rate
            )

    def test_the_input_must_be_revenue_and_its_basis_is_not_copied(self):
        capex = cm.Fact(TENCENT, "capex", cm.Money(1, "CNY", cm.CalendarYear(2024)))
        with pytest.raises(cm.InvalidValueError, match="revenue must be a revenue fact, got a capex fact"):
            cm.capex_from_revenue(capex, period=cm.CalendarYear(2025), revenue_growth=0, capex_to_revenue=1)
        revenue = cm.Fact(TENCENT, "revenue", cm.Money(1, "CNY", cm.CalendarYear(2024)), basis="total revenue")
        projected = cm.capex_from_revenue(revenue, period=cm.CalendarYear(2025), revenue_growth=0, capex_to_revenue=1)
        assert projected.basis == ""

    def test_bad_arguments(self):
        with pytest.raises(cm.InvalidAmountError, match="revenue_growth must be .* not the float 0.1"):
            cm.capex_from_revenue(self.REVENUE, period=cm.CalendarYear(2025), revenue_growth=0.1, capex_to_revenue=1)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="period must be a capexmodel.Period"):
            cm.capex_from_revenue(self.REVENUE, period="2025", revenue_growth=0, capex_to_revenue=1)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="revenue must be a capexmodel.Fact"):
            cm.capex_from_revenue(1, period=cm.CalendarYear(2025), revenue_growth=0, capex_to_revenue=1)  # type: ignore[arg-type]


def test_a_projected_fact_is_always_an_estimate():
    rule = cm.Projection("spread", "a plan spread evenly")
    with pytest.raises(cm.InvalidValueError, match="a projected fact is an estimate, got status=reported"):
        cm.Fact(ALIBABA, "capex", PLAN.value, derivation=rule)
    reported = cm.Fact(ALIBABA, "capex", PLAN.value)
    assert cm.Fact.derive(PLAN.value, [reported], derivation=rule).status is cm.Status.ESTIMATE


def test_projections_are_validated():
    with pytest.raises(cm.InvalidValueError, match="a projection's method is 'spread' or 'share-of-revenue', got 'x'"):
        cm.Projection("x", "rule")  # type: ignore[arg-type]
    with pytest.raises(cm.InvalidValueError, match="rule must be a non-empty string"):
        cm.Projection("spread", "")
