"""The dataset's queries on small datasets built in the test, where every message and field can be checked in full."""

import re
from decimal import Decimal

import attrs
import pytest

import capexmodel as cm
from capexmodel._sources.dataset import as_reported

Y22, Y23, Y24, Y25 = (cm.CalendarYear(year) for year in (2022, 2023, 2024, 2025))
ARTICLE = cm.Source("Caijing", "The article")
BROKER = cm.Source("Zheshang", "The broker's note")
FILING = cm.Source("Acme", "Annual report")
USD_CNY = cm.ExchangeRate("USD", "CNY", "7.230", Y24)
ACME = cm.Company(id="acme", name_en="Acme", name_zh="阿克米", region="CN", currency="CNY")
BETA = cm.Company(id="beta", name_en="Beta", name_zh="贝塔", region="US", currency="USD")
GAMMA = cm.Company(id="gamma", name_en="Gamma", name_zh="伽马", region="CN", currency="CNY")
GROUPS = (cm.Group("both", "Both", "两家", ["acme", "beta"]), cm.Group("one", "One", "一家", ["acme"]))
STATEMENTS = (
    cm.Statement("share", Decimal("0.5"), "share", "half", "一半", ARTICLE),
    cm.Statement("rank", Decimal(1), "rank", "first", "第一", ARTICLE),
)


def dataset(*facts, companies=(ACME, BETA, GAMMA), preferred=(ARTICLE,), rates=(USD_CNY,), groups=GROUPS):
    """A dataset of these facts, with the companies, sources, rates, groups and statements above."""
    return cm.Dataset(
        companies=companies,
        sources={"caijing": ARTICLE, "zheshang": BROKER, "acme-ar": FILING},
        facts=facts,
        rates=cm.RateTable(rates),
        purchases=(),
        statements=STATEMENTS,
        preferred_sources=preferred,
        groups=groups,
    )


def fact(company, metric, amount, period, *, currency=None, basis="", sources=(ARTICLE,), **fields):
    currency = currency or company.currency
    return cm.Fact(company, metric, cm.Money(amount, currency, period), basis, "reported", sources, **fields)


def converted(source_fact, currency, rates=(USD_CNY,)):
    """`source_fact` converted to `currency`, as a derived fact."""
    conversion = cm.RateTable(rates).conversion(source_fact.value.currency, currency, source_fact.value.period)
    return cm.Fact.derive(conversion.apply(source_fact.value), [source_fact], derivation=conversion)


def calendarized(facts, target, method="months"):
    result = cm.calendarize([item.value for item in facts], target, method=method)
    return cm.Fact.derive(result.value, facts, derivation=result)


class TestLookups:
    def test_an_unknown_company_lists_the_known_ones_and_says_what_was_asked(self):
        message = "^unknown company 'openai': the dataset knows acme, beta, gamma$"
        with pytest.raises(cm.UnknownCompanyError, match=message) as caught:
            dataset().company("openai")
        assert (caught.value.kind, caught.value.name) == ("company", "openai")

    def test_an_unknown_group_lists_the_groups_or_says_there_are_none(self):
        message = "^unknown group 'all': the dataset's groups are both, one$"
        with pytest.raises(cm.UnknownNameError, match=message) as caught:
            dataset().group("all")
        assert (caught.value.kind, caught.value.name) == ("group", "all")
        with pytest.raises(cm.UnknownNameError, match="^unknown group 'all': the dataset's groups are none$"):
            dataset(groups=()).group("all")

    def test_an_unknown_statement_lists_the_keys(self):
        message = "^no statement called 'size': the dataset has share, rank$"
        with pytest.raises(cm.UnknownNameError, match=message) as caught:
            dataset().statement("size")
        assert (caught.value.kind, caught.value.name) == ("statement", "size")

    def test_an_unknown_source_lists_the_ids(self):
        message = "^unknown source 'sec': the dataset has caijing, zheshang, acme-ar$"
        with pytest.raises(cm.UnknownNameError, match=message) as caught:
            dataset().select(source="sec")
        assert (caught.value.kind, caught.value.name) == ("source", "sec")
        with pytest.raises(cm.UnknownNameError, match=r"^unknown source \['caijing'\]: the dataset has"):
            dataset().select(source=["caijing"])

    def test_an_unknown_basis_lists_the_bases(self):
        ds = dataset(
            fact(ACME, "capex", 1, Y24, basis="gross"),
            fact(ACME, "capex", 2, Y23),
            fact(ACME, "revenue", 3, Y24, basis="net"),
            fact(BETA, "capex", 4, Y24, basis="gross"),
        )
        message = "^no fact has the basis 'total': the bases are 'gross'; 'net'$"
        with pytest.raises(cm.UnknownNameError, match=message) as caught:
            ds.select(basis="total")
        assert (caught.value.kind, caught.value.name) == ("basis", "total")

    def test_regions_and_markets_may_be_given_as_regions(self):
        sales = fact(BETA, "revenue_by_market", 5, Y24, market="CN")
        ds = dataset(fact(ACME, "capex", 1, Y24), fact(BETA, "capex", 2, Y24), sales)
        assert ds.select(region=cm.Region("CN")) == ds.select(region="CN") == (ds.facts[0],)
        assert ds.select(market=cm.Region("CN")) == (sales,)
        assert ds.fact("beta", "revenue_by_market", Y24, market=cm.Region("CN")) is sales

    def test_a_period_that_is_neither_a_period_nor_a_label_is_named(self):
        message = "^period must be a capexmodel.Period or a label such as '2024' or '2024-Q4', got 2024$"
        with pytest.raises(cm.InvalidValueError, match=message):
            dataset().fact("acme", "capex", 2024)


class TestFact:
    def test_not_found_names_the_periods_the_metric_has_or_that_it_has_none(self):
        ds = dataset(fact(ACME, "capex", 1, Y23), fact(ACME, "capex", 2, Y22), fact(ACME, "revenue", 3, Y25))
        message = "^no capex fact for acme over 2024; acme has capex over 2022, 2023$"
        with pytest.raises(cm.FactNotFoundError, match=message) as caught:
            ds.fact("acme", "capex", Y24)
        assert (caught.value.company, caught.value.metric, caught.value.period) == ("acme", "capex", Y24)
        message = "^no revenue fact for beta over 2024; beta has no revenue fact$"
        with pytest.raises(cm.FactNotFoundError, match=message):
            ds.fact("beta", "revenue", Y24)

    def test_not_found_names_the_basis_and_source_asked_for(self):
        ds = dataset(fact(ACME, "capex", 1, Y23, basis="gross"), fact(BETA, "capex", 2, Y24))
        message = "^no capex fact for acme over 2024 with basis='gross', source='zheshang'; acme has capex over 2023$"
        with pytest.raises(cm.FactNotFoundError, match=message):
            ds.fact("acme", "capex", Y24, basis="gross", source="zheshang")
        with pytest.raises(cm.FactNotFoundError, match="^no capex fact for acme over 2024 with source='zheshang';"):
            ds.fact("acme", "capex", Y24, source="zheshang")

    def test_a_tie_lists_every_candidate_with_its_basis(self):
        ds = dataset(
            fact(ACME, "capex", 1, Y24, basis="gross"),
            fact(ACME, "capex", 3, cm.Period.parse("2024-04/2025-03"), counted_as=Y24),
            fact(ACME, "capex", 2, Y24),
        )
        message = (  # over the period of the first, which is the one asked about
            "several capex facts for acme over 2024: 1 CNY (gross); 3 CNY (no basis); 2 CNY (no basis);"
            " pass basis= or source= to choose one"
        )
        with pytest.raises(cm.AmbiguousFactError, match=f"^{re.escape(message)}$"):
            ds.fact("acme", "capex", Y24)

    def test_the_first_preferred_source_that_any_candidate_cites_decides(self):
        broker, filing = fact(ACME, "capex", 1, Y24, sources=(BROKER,)), fact(ACME, "capex", 2, Y24, sources=(FILING,))
        ds = dataset(broker, filing, preferred=(ARTICLE, FILING, BROKER))
        assert ds.fact("acme", "capex", Y24) is filing

    def test_the_figure_derived_from_the_others_wins_even_from_an_equal_copy(self):
        yuan = fact(ACME, "capex", "7230", Y24)
        dollars = converted(yuan, "USD")
        copy = attrs.evolve(yuan)
        assert copy == yuan
        assert copy is not yuan
        assert dataset(dollars, copy).fact("acme", "capex", Y24) is dollars

    def test_the_figure_derived_from_the_others_wins_over_an_input_of_its_input(self):
        yuan = fact(ACME, "capex", "7230", Y24)
        euros = converted(converted(yuan, "USD"), "EUR", rates=(cm.ExchangeRate("EUR", "USD", "1.25", Y24),))
        assert dataset(euros, yuan).fact("acme", "capex", Y24) is euros


class TestTotal:
    def test_basis_and_source_choose_the_facts_added(self):
        ds = dataset(
            fact(ACME, "capex", 1, Y24, basis="gross"),
            fact(ACME, "capex", 2, Y24, basis="net"),
            fact(BETA, "capex", 3, Y24),
            fact(BETA, "capex", 4, Y24, sources=(BROKER,)),
        )
        assert ds.total("capex", period=Y24, companies=["acme"], basis="gross").value == cm.Money(1, "CNY", Y24)
        assert ds.total("capex", period=Y24, companies=["beta"], source="zheshang").value == cm.Money(4, "USD", Y24)

    def test_what_is_left_out_or_not_found_is_named_with_the_selectors(self):
        ds = dataset(fact(ACME, "capex", 1, Y24, basis="gross"), fact(BETA, "capex", 2, Y23, basis="gross"))
        left_out = (
            "^the total of capex over 2024 leaves out beta: they have no such fact with"
            " basis='gross', source='caijing'$"
        )
        with pytest.raises(cm.IncompleteTotalError, match=left_out):
            ds.total("capex", period=Y24, companies=["acme", "beta"], basis="gross", source="caijing", complete=True)
        nothing = "^none of acme, beta has a capex fact over 2022 with basis='gross', source='caijing'$"
        with pytest.raises(cm.FactNotFoundError, match=nothing) as caught:
            ds.total("capex", period=Y22, companies=["acme", "beta"], basis="gross", source="caijing")
        assert (caught.value.metric, caught.value.period) == ("capex", Y22)

    def test_the_companies_with_figures_by_market_are_named(self):
        ds = dataset(
            fact(ACME, "revenue_by_market", 1, Y24, market="US"), fact(BETA, "revenue_by_market", 2, Y24, market="CN")
        )
        message = (
            "^none of acme, beta has a revenue_by_market fact over 2024; acme, beta has revenue_by_market"
            " for the markets CN, US: pass market= to choose one$"
        )
        with pytest.raises(cm.FactNotFoundError, match=message):
            ds.total("revenue_by_market", period=Y24, companies=["acme", "beta"])

    def test_rates_must_be_a_rate_table(self):
        with pytest.raises(cm.InvalidValueError, match="^rates must be a capexmodel.RateTable, got '7.2'$"):
            dataset().total("capex", period=Y24, companies=["acme"], rates="7.2")

    def test_what_to_add_up_is_said_once_and_plainly(self):
        ds = dataset(fact(ACME, "capex", 1, Y24), fact(BETA, "capex", 2, Y24))
        assert ds.total("capex", period=Y24, group=ds.group("one")).value == cm.Money(1, "CNY", Y24)
        one_of = (
            "^total\\(\\) adds up a region's, a group's or the named companies: pass one of"
            " region=, group=, companies=$"
        )
        with pytest.raises(cm.InvalidValueError, match=one_of):
            ds.total("capex", period=Y24)
        for companies in (5, "acme"):
            message = f"^companies= must be a list of companies, ids or names, got {companies!r}$"
            with pytest.raises(cm.InvalidValueError, match=message):
                ds.total("capex", period=Y24, companies=companies)
        message = "^companies= names no company: name one or more companies, by id or name$"
        with pytest.raises(cm.InvalidValueError, match=message):
            ds.total("capex", period=Y24, companies=[])
        twice = "^companies= names acme, beta more than once: each company counts once$"
        with pytest.raises(cm.InvalidValueError, match=twice):
            ds.total("capex", period=Y24, companies=["acme", "beta", "beta", "acme"])

    def test_a_region_without_companies_in_a_dataset_without_any(self):
        message = "^the dataset has no company in region JP: its regions are none$"
        with pytest.raises(cm.UnknownNameError, match=message):
            dataset(companies=()).total("capex", period=Y24, region="JP")

    def test_the_aggregate_says_what_it_adds_what_it_relabels_and_what_it_leaves_out(self):
        shifted = cm.Period.parse("2024-03/2025-02")
        ds = dataset(fact(ACME, "capex", 1, Y24), fact(GAMMA, "capex", 2, shifted, counted_as=Y24))
        assert str(ds.total("capex", period=Y24, companies=["acme"])) == "1 CNY over 2024: capex of acme"
        assert str(ds.total("capex", period=Y24, companies=["acme", "beta", "gamma"])) == (
            "3 CNY over 2024: capex of acme, gamma; gamma's figure covers 2024-03/2025-02;"
            " INCOMPLETE: no figure for beta"
        )


ALIBABA_FY2025 = cm.Period.parse("2024-04/2025-03")
TWO_YEARS = (USD_CNY, cm.ExchangeRate("USD", "CNY", "7.2", Y25))


class TestConvert:
    def test_a_blend_of_rates_is_used_only_when_asked(self):
        yuan = fact(ACME, "capex", "7230", ALIBABA_FY2025)
        ds = dataset(yuan, rates=TWO_YEARS)
        with pytest.raises(cm.MissingRateError, match="pass blend=True"):
            ds.convert(yuan, "USD")
        with pytest.raises(cm.MissingRateError, match="pass blend=True"):
            ds.convert(yuan.value, "USD")
        with pytest.raises(cm.MissingRateError, match="pass blend=True"):
            ds.total("capex", period=ALIBABA_FY2025, companies=["acme"], currency="USD")
        blended = ds.rates.convert(yuan.value, "USD", blend=True)
        assert ds.convert(yuan.value, "USD", blend=True) == blended
        assert ds.convert(yuan, "USD", blend=True).value == blended

    def test_rates_must_be_a_rate_table(self):
        with pytest.raises(cm.InvalidValueError, match="^rates must be a capexmodel.RateTable, got '7.2'$"):
            dataset().convert(cm.Money(1, "CNY", Y24), "USD", rates="7.2")

    def test_a_fact_restated_from_one_input_is_converted_as_it_is(self):
        fiscal_year = fact(BETA, "capex", 100, cm.Period.parse("2023-04/2024-03"))
        restated = calendarized([fiscal_year], Y24, method="quarter-end")
        assert as_reported(restated) is restated
        in_yuan = dataset(restated, fiscal_year).convert(restated, "CNY")
        assert in_yuan.inputs == (restated,)
        assert in_yuan.value == cm.Money("723.000", "CNY", Y24)


USD_EUR = cm.ExchangeRate("EUR", "USD", "1.25", Y24)


class TestRecompute:
    def test_only_facts_derived_from_facts_are_recomputed(self):
        ds = dataset(fact(ACME, "capex", 1, Y24))
        not_derived = "it is not derived from facts of the dataset"
        message = rf"^cannot recompute Money\('1', 'CNY', Period.parse\('2024'\)\): {not_derived}$"
        with pytest.raises(cm.InvalidValueError, match=message):
            ds.recompute(cm.Money(1, "CNY", Y24))
        with pytest.raises(cm.InvalidValueError, match="it is not derived from facts of the dataset$"):
            ds.recompute(ds.facts[0])
        message = r"it is not derived from facts of the dataset \(from the annual report\)$"
        with pytest.raises(cm.InvalidValueError, match=message):
            ds.recompute(attrs.evolve(ds.facts[0], note="from the annual report"))
        projected = cm.capex_from_revenue(
            fact(ACME, "revenue", 100, Y24), period=Y25, revenue_growth="0.1", capex_to_revenue="0.2"
        )
        with pytest.raises(cm.InvalidValueError, match="it is not derived from facts of the dataset$"):
            ds.recompute(projected)
        with pytest.raises(cm.InvalidValueError, match="^rates must be a capexmodel.RateTable, got '7.2'$"):
            ds.recompute(converted(ds.facts[0], "USD"), rates="7.2")

    def test_an_input_that_is_not_a_conversion_or_a_calendarization_is_kept(self):
        projected = cm.capex_from_revenue(
            fact(ACME, "revenue", 100, Y24), period=Y25, revenue_growth="0.1", capex_to_revenue="0.2"
        )
        rates = (cm.ExchangeRate("USD", "CNY", "7.2", Y25),)
        in_dollars = converted(projected, "USD", rates=rates)
        assert dataset(in_dollars, rates=rates).recompute(in_dollars).value == in_dollars.value

    def test_derived_inputs_are_recomputed_at_the_rates_given(self):
        yuan = fact(ACME, "capex", "7230", Y24)
        euros = converted(converted(yuan, "USD"), "EUR", rates=(USD_EUR,))
        other = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.5", Y24), USD_EUR])
        recomputed = dataset(euros, rates=(USD_CNY, USD_EUR)).recompute(euros, rates=other)
        assert recomputed.value == cm.Money(Decimal(7230) / Decimal("7.5") / Decimal("1.25"), "EUR", Y24)
        assert recomputed.inputs[0].value == cm.Money(964, "USD", Y24)

    def test_derived_inputs_are_recalendarized_by_the_method_given(self):
        quarters = [
            fact(BETA, "capex", amount, cm.Period.parse(span))
            for amount, span in [
                ("1674", "2023-12/2024-02"),
                ("2798", "2024-03/2024-05"),
                ("2303", "2024-06/2024-08"),
                ("3970", "2024-09/2024-11"),
                ("5862", "2024-12/2025-02"),
            ]
        ]
        by_months = calendarized(quarters, Y24)
        assert by_months.value == cm.Money(12141, "USD", Y24)
        ds = dataset(by_months)
        assert ds.recompute(by_months, method="quarter-end").value == cm.Money(10745, "USD", Y24)
        in_yuan = ds.recompute(converted(by_months, "CNY"), method="quarter-end")
        assert in_yuan.value == cm.Money(Decimal(10745) * Decimal("7.230"), "CNY", Y24)

    def test_a_recomputed_fact_keeps_its_basis_and_the_period_it_is_counted_as(self):
        window = cm.Period.parse("2024-03/2025-02")
        quarters = [
            fact(BETA, "capex", 1, cm.Period.parse(span))
            for span in ("2024-03/2024-05", "2024-06/2024-08", "2024-09/2024-11", "2024-12/2025-02")
        ]
        published = attrs.evolve(calendarized(quarters, window), basis="four quarters", counted_as=Y24)
        again = dataset(published).recompute(published)
        assert (again.value, again.basis, again.counted_as) == (published.value, "four quarters", Y24)
        assert isinstance(again.derivation, cm.Calendarization)
        rates = (cm.ExchangeRate("USD", "CNY", "7.1", window),)
        in_yuan = attrs.evolve(converted(published, "CNY", rates=rates), basis="in yuan")
        assert in_yuan.counted_as == Y24
        again = dataset(in_yuan, rates=rates).recompute(in_yuan)
        assert (again.value, again.basis, again.counted_as) == (in_yuan.value, "in yuan", Y24)
        # Counted as 2024 by whoever converted it, though its input is not counted as anything.
        plain = fact(BETA, "capex", 4, window)
        in_yuan = attrs.evolve(converted(plain, "CNY", rates=rates), counted_as=Y24)
        assert dataset(in_yuan, rates=rates).recompute(in_yuan).counted_as == Y24


COMPUTE = "compute"


class TestAnalyses:
    def test_intensity_takes_the_whole_companys_revenue(self):
        ds = dataset(
            fact(ACME, "capex", 10, Y24),
            fact(ACME, "revenue", 100, Y24, sources=(FILING,)),
            fact(ACME, "revenue", 40, Y24, segment=COMPUTE),
        )
        assert ds.fact("acme", "revenue", Y24).segment == COMPUTE  # the preferred source's, were it asked
        assert ds.intensity("acme", Y24) == Decimal("0.1")

    def test_growth_compares_the_same_metric(self):
        ds = dataset(fact(ACME, "capex", 2, Y24), fact(ACME, "capex", 1, Y23), fact(ACME, "revenue", 10, Y23))
        assert ds.growth("acme", "capex", Y24) == 1

    def test_growth_compares_figures_over_the_same_months_only(self):
        fiscal = cm.Period.parse("2022-06/2023-05")
        ds = dataset(fact(ACME, "capex", 2, Y24), fact(ACME, "capex", 1, fiscal, counted_as=Y23))
        message = "^no capex fact for acme over 2023; acme has capex over 2022-06/2023-05, 2024$"
        with pytest.raises(cm.FactNotFoundError, match=message) as caught:
            ds.growth("acme", "capex", Y24)
        assert (caught.value.company, caught.value.metric, caught.value.period) == ("acme", "capex", Y23)

    def test_growth_names_the_parts_of_the_company_the_earlier_figures_cover(self):
        ds = dataset(
            fact(ACME, "capex", 2, Y24),
            fact(ACME, "capex", 1, Y23, segment=COMPUTE),
            fact(ACME, "capex", 1, Y23, segment="cloud", sources=(BROKER,)),
        )
        message = (
            "^no capex fact for acme over 2023 that covers the whole company, as the figure over 2024 does;"
            " its figures over 2023 cover compute, cloud$"
        )
        with pytest.raises(cm.FactNotFoundError, match=message) as caught:
            ds.growth("acme", "capex", Y24)
        assert (caught.value.company, caught.value.metric, caught.value.period) == ("acme", "capex", Y23)

    def test_bubble_risk_compares_with_the_year_before_and_the_whole_company(self):
        ds = dataset(
            fact(ACME, "capex", 30, Y24, sources=(FILING,)),
            fact(ACME, "capex", 3, Y24, segment=COMPUTE),
            fact(ACME, "revenue", 100, Y24),
            fact(ACME, "capex", 20, Y23),
            fact(ACME, "revenue", 80, Y23),
            fact(GAMMA, "capex", 5, Y23),
        )
        risk = ds.bubble_risk(Y24, company="acme")
        assert risk.signal("capex_intensity").value == Decimal("0.3")
        assert risk.signal("capex_growth_minus_revenue_growth").value == Decimal("0.5") - Decimal("0.25")
        # Gamma has a figure for the year before only: it is one of the region's companies left out.
        assert ds.bubble_risk(Y24, region="CN").signal("capex_intensity").left_out == ("gamma",)

    def test_h100_equivalents_count_on_the_bf16_basis_unless_told(self):
        shipped = cm.load_dataset()
        assert shipped.h100_equivalents() == shipped.h100_equivalents("bf16")
