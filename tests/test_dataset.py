import decimal
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm

Y24, Y25 = cm.CalendarYear(2024), cm.CalendarYear(2025)
DS = cm.load_dataset()


class TestTheArticle:
    def test_the_us_five_and_china_seven(self):
        us = DS.total("capex", period=Y24, region="US", currency="USD")
        china = DS.total("capex", period=Y24, region="CN", currency="USD")
        assert us.value == cm.Money(Decimal(777 + 756 + 525 + 373 + 149) * 10**8, "USD", Y24)
        assert cm.format_money(us.value, locale="zh_CN") == "2580亿美元"
        assert cm.format_money(china.value, locale="zh_CN") == "446亿美元"
        assert round(cm.ratio(us.value, china.value), 1) == Decimal("5.8")
        assert len(us.facts) == 5
        assert len(china.facts) == 7

    def test_china_total_converts_bytedances_yuan_at_the_articles_rate(self):
        china = DS.total("capex", period=Y24, region="CN", currency="USD")
        bytedance = next(fact for fact in china.facts if fact.company.id == "bytedance")
        assert bytedance.value.amount == Decimal(80000000000) / Decimal("7.230")
        assert isinstance(bytedance.derivation, cm.Conversion)
        assert china.status is cm.Status.ESTIMATE
        assert DS.sources["zheshang"] in china.sources

    def test_nvidia_us_over_china(self):
        fiscal_2025 = DS.company("nvidia").fiscal_calendar.year(2025)  # what the article calls 2024
        assert fiscal_2025 == cm.Period.parse("2024-02/2025-01")
        us = DS.fact("nvidia", "revenue_by_market", fiscal_2025, market="US")
        china = DS.fact("nvidia", "revenue_by_market", fiscal_2025, market="CN")
        assert round(us.value / china.value, 1) == Decimal("3.6")

    def test_bytedance_in_dollars(self):
        bytedance = DS.fact("bytedance", "capex", Y24)
        assert bytedance.value == cm.Money("80000000000", "CNY", Y24)
        assert cm.format_money(DS.convert(bytedance.value, "USD"), locale="zh_CN") == "111亿美元"

    def test_the_2025_rules(self):
        assert DS.fact("bytedance", "capex", Y25).value == cm.Money("160000000000", "CNY", Y25)
        plan = DS.fact("alibaba", "capex", cm.Period.parse("2025-01/2027-12"))
        first = cm.spread_plan(plan, [cm.CalendarYear(y) for y in (2025, 2026, 2027)])[0]
        assert cm.format_money(first.value, locale="zh_CN") == "1270亿元"
        revenue = DS.fact("tencent", "revenue", Y24)
        rule = {s.key: s.value for s in DS.statements}
        tencent = cm.capex_from_revenue(
            revenue,
            period=Y25,
            revenue_growth=rule["tencent_2025_revenue_growth"],
            capex_to_revenue=rule["tencent_2025_capex_to_revenue"],
        )
        assert tencent.value == cm.Money(Decimal(660257) * 10**6 * Decimal("1.1") * Decimal("0.12"), "CNY", Y25)

    def test_hopper_purchases_on_both_bases(self):
        china = DS.h100_equivalents({"H20": Fraction(1, 3)}, region="CN")
        assert china.exact == Fraction(460_000, 3)
        assert DS.h100_equivalents("bf16", region="CN").exact == 460_000 * Fraction(148, 989)
        assert DS.h100_equivalents("bf16").by_buyer["microsoft"] == 485_000

    def test_the_statements(self):
        assert DS.statement("cloud_share_aws_azure_gcp").value == Decimal("0.63")
        with pytest.raises(cm.UnknownNameError, match="no statement called 'nope'"):
            DS.statement("nope")

    def test_calendarizing_shipped_quarters(self):
        amazon = [DS.fact("amazon", "capex", cm.CalendarQuarter(2024, q)) for q in (1, 2, 3, 4)]
        assert cm.calendarize([fact.value for fact in amazon], Y24).value == cm.Money(82999 * 10**6, "USD", Y24)


class TestQueries:
    def test_companies(self):
        assert DS.company("tencent").name_zh == "腾讯"
        assert [c.id for c in DS.companies_in(cm.Region("US"))] == [
            "amazon",
            "microsoft",
            "alphabet",
            "meta",
            "oracle",
            "nvidia",
            "xai",
        ]
        with pytest.raises(cm.UnknownCompanyError, match="unknown company 'openai': the dataset knows alibaba"):
            DS.company("openai")

    def test_the_preferred_source_wins_and_selectors_choose_others(self):
        assert DS.fact("amazon", "capex", Y24).sources == (DS.sources["caijing"],)
        gross = DS.fact("amazon", "capex", Y24, basis="purchases of property and equipment, gross")
        assert gross.value.amount == 82999 * 10**6
        with pytest.raises(cm.AmbiguousFactError, match="several capex facts for amazon over 2024"):
            DS.fact("amazon", "capex", Y24, source="amazon-10k-2024")
        with pytest.raises(cm.FactNotFoundError, match="no capex fact for baidu over 2025; baidu has capex over 2024"):
            DS.fact("baidu", "capex", Y25)
        with pytest.raises(cm.UnknownNameError, match="unknown source 'sec'"):
            DS.fact("amazon", "capex", Y24, source="sec")

    def test_select(self):
        fiscal = DS.select(company="microsoft", period=cm.FiscalCalendar(year_end_month=6).year(2024))
        assert {fact.metric for fact in fiscal} == {
            "revenue",
            "net_income",
            "operating_cash_flow",
            "capex",
            "depreciation_and_amortization",
        }
        assert all(fact.status is cm.Status.ESTIMATE for fact in DS.select(source="zheshang"))
        assert len(DS.select(market="CN")) == 1
        derived = DS.select(region="CN", metric="capex", period=Y24, status="derived")
        assert {fact.company.id for fact in derived} == {
            "alibaba",
            "tencent",
            "baidu",
            "china-mobile",
            "china-telecom",
            "china-unicom",
        }

    def test_totals_name_what_is_missing_and_convert_with_given_rates(self):
        rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7", Y24)])
        china = DS.total("capex", period=Y24, companies=["bytedance", "tencent"], currency="USD", rates=rates)
        assert china.value.amount == Decimal(80000000000) / 7 + Decimal(77361000000) / 7  # Tencent's, re-derived
        revenue = DS.total("revenue", period=Y24, region="CN", currency="USD")
        assert revenue.missing == ()
        assert revenue.complete
        income = DS.total("net_income", period=Y24, region="CN", currency="USD")
        assert income.missing == ("bytedance", "alibaba", "china-mobile", "china-telecom", "china-unicom")
        assert not income.complete

    def test_total_arguments(self):
        with pytest.raises(cm.InvalidValueError, match="pass one of region=, group=, companies="):
            DS.total("capex", period=Y24)
        with pytest.raises(cm.InvalidValueError, match="pass one of region=, group=, companies="):
            DS.total("capex", period=Y24, region="US", group="us-five")
        with pytest.raises(cm.FactNotFoundError, match="none of amazon, .* has a capex fact over 2022"):
            DS.total("capex", period=cm.CalendarYear(2022), region="US")
        with pytest.raises(cm.CurrencyMismatchError):
            DS.total("capex", period=Y24, region="CN")

    def test_selecting_by_source_object(self):
        article = DS.sources["caijing"]
        assert DS.select(source=article) == DS.select(source="caijing")


class TestFiguresAsReported:
    """Every figure is held as its source reports it; what was converted or restated is re-derived."""

    def test_the_articles_converted_figures_name_their_yuan_inputs(self):
        for company in ("alibaba", "tencent", "baidu", "china-mobile", "china-telecom", "china-unicom"):
            published = DS.fact(company, "capex", Y24)
            assert published.value.currency == "USD"
            assert isinstance(published.derivation, cm.Conversion)
            (yuan,) = published.inputs
            assert yuan.value.currency == "CNY"
            assert published.derivation.rates == DS.rates.rates
        tencent = DS.fact("tencent", "capex", Y24).inputs[0]
        assert tencent.value.amount == Decimal(107) * Decimal("7.230") * 10**8
        assert "does not give the yuan figure" in tencent.note

    def test_a_total_at_other_rates_reconverts_every_chinese_figure_from_yuan(self):
        other = cm.RateTable([cm.ExchangeRate("USD", "CNY", "6.0", Y24)])
        at_article = DS.total("capex", period=Y24, group="china-seven", currency="USD")
        at_six = DS.total("capex", period=Y24, group="china-seven", currency="USD", rates=other)
        assert cm.format_money(at_six.value, locale="zh_CN") == "537亿美元"
        # A 20.5% stronger yuan moves every figure by 20.5%, not only ByteDance's.
        assert at_six.value / at_article.value == Decimal("7.230") / Decimal("6.0")
        assert all(fact.derivation.rates == other.rates for fact in at_six.facts)  # type: ignore[union-attr]

    @given(
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal(50), places=4), st.sampled_from(["direct", "inverse"])
    )
    def test_for_any_rate_the_china_total_is_the_yuan_inputs_converted(self, rate, direction):
        exchange = (
            cm.ExchangeRate("USD", "CNY", rate, Y24)
            if direction == "direct"
            else cm.ExchangeRate("CNY", "USD", rate, Y24)
        )
        table = cm.RateTable([exchange])
        china = DS.total("capex", period=Y24, group="china-seven", currency="USD", rates=table)
        yuan = []
        for company in DS.group("china-seven").members:
            fact = DS.fact(company, "capex", Y24)
            yuan.append(fact.inputs[0] if fact.inputs else fact)
        assert all(fact.value.currency == "CNY" for fact in yuan)
        assert china.value == cm.total([table.convert(fact.value, "USD") for fact in yuan])

    def test_the_defaults_still_reproduce_the_article(self):
        us = DS.total("capex", period=Y24, group="us-five", currency="USD")
        china = DS.total("capex", period=Y24, group="china-seven", currency="USD")
        assert us.value.amount == Decimal(2580) * 10**8
        assert cm.format_money(china.value, locale="zh_CN") == "446亿美元"

    def test_published_and_recomputed_figures_may_differ_and_both_are_kept(self):
        mobile = DS.fact("china-mobile", "capex", Y24)
        assert mobile.value.amount == 51 * 10**8
        assert round(DS.recompute(mobile).value.amount / 10**8, 2) == Decimal("51.31")
        filing = DS.fact("tencent", "capex", Y24, source="tencent-secondary")
        assert filing.value == cm.Money(76760 * 10**6, "CNY", Y24)
        assert round(DS.convert(filing, "USD").value.amount / 10**8, 1) == Decimal("106.2")
        assert DS.fact("tencent", "capex", Y24).value.amount == 107 * 10**8

    def test_oracles_figure_says_which_months_it_covers(self):
        oracle = DS.fact("oracle", "capex", Y24)
        assert oracle.value.period == cm.Period.parse("2024-03/2025-02")
        assert oracle.counted_as == Y24
        assert isinstance(oracle.derivation, cm.Calendarization)
        assert [str(item.value.period) for item in oracle.inputs] == [
            "2024-03/2024-05",
            "2024-06/2024-08",
            "2024-09/2024-11",
            "2024-12/2025-02",
        ]
        assert DS.recompute(oracle).value.amount == 14933 * 10**6
        by_quarter_end = DS.recompute(oracle, method="quarter-end")
        assert by_quarter_end.value.amount == 14933 * 10**6  # the quarters tile the window either way
        us = DS.total("capex", period=Y24, group="us-five", currency="USD")
        assert [fact.company.id for fact in us.relabelled] == ["oracle"]
        assert "oracle's figure covers 2024-03/2025-02" in str(us)

    def test_recomputing_needs_inputs(self):
        with pytest.raises(cm.InvalidValueError, match="cannot recompute .* quarters including finance leases"):
            DS.recompute(DS.fact("microsoft", "capex", Y24))
        with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable"):
            DS.recompute(DS.fact("oracle", "capex", Y24), rates="7.2")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable"):
            DS.convert(DS.fact("oracle", "capex", Y24), "CNY", rates="7.2")  # type: ignore[call-overload]

    def test_recomputing_a_conversion_at_other_rates(self):
        other = cm.RateTable([cm.ExchangeRate("USD", "CNY", "8", Y24)])
        baidu = DS.recompute(DS.fact("baidu", "capex", Y24), rates=other)
        assert baidu.value == cm.Money(Decimal(7953000000) / 8, "USD", Y24)
        assert baidu.inputs == DS.fact("baidu", "capex", Y24).inputs

    def test_the_corrected_bases(self):
        assert DS.fact("microsoft", "capex", Y24).basis == "including finance leases"
        assert "including non-controlling interests" in DS.fact("tencent", "net_income", Y24).basis
        assert "consolidated" in DS.fact("alibaba", "net_income", cm.Period.parse("2024-04/2025-03")).basis
        assert DS.fact("baidu", "net_income", Y24).basis == "attributable to Baidu"
        assert DS.fact("alphabet", "depreciation_and_amortization", Y24).basis.endswith("only")
        assert DS.fact("meta", "depreciation_and_amortization", Y24).basis == "total depreciation and amortization"

    def test_no_unconfirmed_figure_ships_as_reported(self):
        unconfirmed = DS.sources["unconfirmed"]
        for fact in DS.facts:
            if unconfirmed in fact.sources:
                assert fact.status is cm.Status.ESTIMATE, fact


class TestLoudOnDoubt:
    def test_the_articles_groups_are_not_regions(self):
        assert DS.group("us-five").members == ("amazon", "microsoft", "alphabet", "meta", "oracle")
        assert len(DS.group("china-seven").members) == 7
        with pytest.raises(cm.UnknownNameError, match="unknown group 'us-six': the dataset's groups are us-five"):
            DS.group("us-six")

    def test_a_total_that_leaves_companies_out_says_so(self):
        us = DS.total("capex", period=Y24, region="US", currency="USD")
        assert us.missing == ("nvidia", "xai")
        assert not us.complete
        assert "INCOMPLETE: no figure for nvidia, xai" in str(us)
        with pytest.raises(cm.IncompleteTotalError, match="leaves out nvidia, xai") as caught:
            DS.total("capex", period=Y24, region="US", currency="USD", complete=True)
        assert isinstance(caught.value, LookupError)
        assert caught.value.missing == ("nvidia", "xai")
        assert DS.total("capex", period=Y24, group="us-five", currency="USD", complete=True).complete
        with pytest.raises(cm.InvalidValueError, match="complete must be True or False"):
            DS.total("capex", period=Y24, group="us-five", complete="yes")  # type: ignore[arg-type]

    def test_a_quarter_without_every_company(self):
        q4 = DS.total("capex", period=cm.CalendarQuarter(2024, 4), group="us-five")
        assert q4.missing == ("oracle",)
        assert "INCOMPLETE: no figure for oracle" in str(q4)

    def test_lookups_that_find_nothing_are_lookup_errors(self):
        with pytest.raises(cm.UnknownNameError, match="unknown source 'caijng'") as caught:
            DS.total("capex", period=Y24, region="US", source="caijng")
        assert caught.value.kind == "source"
        assert caught.value.name == "caijng"
        with pytest.raises(cm.FactNotFoundError) as not_found:
            DS.fact("nvidia", "capex", Y24)
        assert isinstance(not_found.value, LookupError)
        assert not isinstance(not_found.value, ValueError)
        assert (not_found.value.company, not_found.value.metric, not_found.value.period) == ("nvidia", "capex", Y24)
        with pytest.raises(cm.UnknownCompanyError):
            DS.select(company="openai")
        with pytest.raises(cm.UnknownNameError, match="no fact has the basis 'gross'"):
            DS.select(basis="gross")
        with pytest.raises(cm.UnknownNameError, match="no fact has the basis 'gross'"):
            DS.total("capex", period=Y24, region="US", basis="gross")
        with pytest.raises(cm.UnknownNameError, match="unknown source"):
            DS.select(source=cm.Source("Someone", "Something"))

    def test_a_misspelt_metric_says_what_was_meant(self):
        with pytest.raises(cm.UnknownMetricError, match="did you mean 'capex'"):
            DS.fact("meta", "capx", Y24)

    def test_a_company_named_twice_is_refused(self):
        with pytest.raises(cm.InvalidValueError, match="names amazon more than once: each company counts once"):
            DS.total("capex", period=Y24, companies=["amazon", "amazon"])
        with pytest.raises(cm.InvalidValueError, match="names amazon more than once"):
            DS.total("capex", period=Y24, companies=["amazon", DS.company("amazon")])

    def test_periods_may_be_labels_but_nothing_else(self):
        assert DS.fact("amazon", "capex", "2024") == DS.fact("amazon", "capex", Y24)
        assert DS.select(period="2024-Q4") == DS.select(period=cm.CalendarQuarter(2024, 4))
        for wrong in (2024, None, Y24.start):
            with pytest.raises(cm.InvalidValueError, match="period must be a capexmodel.Period or a label"):
                DS.fact("amazon", "capex", wrong)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidPeriodError):
            DS.select(period="twenty24")

    def test_a_statement_value_is_a_decimal(self):
        source = DS.sources["caijing"]
        with pytest.raises(cm.InvalidAmountError, match="a statement's value is a finite Decimal, got 0.63"):
            cm.Statement("share", 0.63, "share", "x", "x", source)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidAmountError):
            cm.Statement("share", Decimal("NaN"), "share", "x", "x", source)

    def test_a_group_names_each_company_once(self):
        with pytest.raises(cm.InvalidValueError, match="a group names each company once, got meta more than once"):
            cm.Group("g", "G", "G", ["meta", "meta"])
        with pytest.raises(cm.InvalidValueError, match="one or more company ids"):
            cm.Group("g", "G", "G", [])


class TestDatasetAnalyses:
    def test_the_one_call_bubble_risk_works_on_the_shipped_data(self):
        with pytest.raises(cm.AmbiguousFactError, match="two capex facts for meta over 2024"):
            cm.bubble_risk(DS.facts, Y24, company="meta")
        risk = DS.bubble_risk(Y24, company="meta")
        assert [signal.name for signal in risk.signals if signal.fires] == ["capex_to_depreciation", "capex_intensity"]
        # The preferred capex fact (the article's 373亿美元) is the one used, as Dataset.fact picks it.
        assert risk.signal("capex_intensity").value == Decimal(37300) / Decimal(164501)

    def test_bubble_risk_of_a_region_and_its_arguments(self):
        risk = DS.bubble_risk("2024", region="CN", thresholds={"capex_intensity": "0.1"})
        assert risk.subject == "CN"
        assert risk.signal("capex_intensity").threshold == Decimal("0.1")
        with pytest.raises(cm.InvalidValueError, match="pass exactly one of company= and region="):
            DS.bubble_risk(Y24)

    def test_bubble_risk_refuses_a_tie(self, tmp_path):
        (tmp_path / "facts.csv").write_text(
            "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
            "meta,revenue,2024,1,亿,USD,one,reported,zheshang,\n"
            "meta,revenue,2024,2,亿,USD,two,reported,zheshang,\n",
            encoding="utf-8",
        )
        doubled = cm.load_dataset(tmp_path)
        with pytest.raises(cm.AmbiguousFactError, match="several revenue facts for meta over 2024"):
            doubled.bubble_risk(Y24, company="meta")

    def test_segments_are_not_the_whole_company(self):
        mobile = DS.fact("china-mobile", "capex", Y24)
        assert mobile.segment == "compute (算力口径)"
        whole = DS.fact("china-mobile", "capex", Y24, whole_company=True)
        assert whole.basis == "total capex"
        assert DS.intensity("china-mobile", Y24) == Decimal(1640) / Decimal(10408)

    def test_intensity_exists_for_every_company_compared(self):
        compared = [*DS.group("us-five").members, *DS.group("china-seven").members]
        intensities = {company: DS.intensity(company, Y24) for company in compared}
        assert len(intensities) == 12
        assert intensities["tencent"] == Decimal(77361) / Decimal(660257)  # capex re-derived in yuan
        assert intensities["oracle"] == Decimal(14900) / Decimal(55783)  # both over March 2024 - February 2025
        assert intensities["microsoft"] == Decimal(75600) / Decimal(261802)

    def test_growth_and_the_fourth_quarter_ranking(self):
        money = cm.Money
        assert DS.growth("alphabet", "capex", "2024") == cm.growth(
            money(52500 * 10**6, "USD", Y24), money(32251 * 10**6, "USD", cm.CalendarYear(2023))
        )
        tencent = DS.growth("tencent", "capex", "2024-Q4")
        assert round(tencent, 4) == Decimal("3.8600")
        ranking = sorted(
            (
                company
                for company in DS.group("us-five").members + DS.group("china-seven").members
                if DS.select(company=company, metric="capex", period="2023-Q4")
            ),
            key=lambda company: DS.growth(company, "capex", "2024-Q4"),
            reverse=True,
        )
        assert ranking[0] == "tencent"
        # Tencent's 2024 capex is the article's dollar figure; its 2023 is in yuan: growth in constant currency.
        assert DS.growth("tencent", "capex", Y24) == cm.growth(
            money(77361 * 10**6, "CNY", Y24), money(23893 * 10**6, "CNY", cm.CalendarYear(2023))
        )
        with pytest.raises(cm.FactNotFoundError):
            DS.growth("meta", "capex", "2024-Q4")

    def test_growth_across_currencies_converts_the_earlier_year_at_the_later_rates(self, tmp_path):
        (tmp_path / "companies.csv").write_text(
            "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers\nacme,Acme,阿克米,CN,CNY,12,\n",
            encoding="utf-8",
        )
        (tmp_path / "facts.csv").write_text(
            "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
            "acme,capex,2024,100,亿,USD,,reported,caijing,\n"
            "acme,capex,2023,723,亿,CNY,,reported,caijing,\n",
            encoding="utf-8",
        )
        (tmp_path / "rates.csv").write_text("base,quote,rate,window,source\nUSD,CNY,6,2023,caijing\n", encoding="utf-8")
        ds = cm.load_dataset(tmp_path)
        # 723亿元 at 2024's 7.230 is 100亿美元: no growth (at 2023's rate of 6 it would look like a fall).
        assert ds.growth("acme", "capex", Y24) == 0


class TestLayers:
    def test_the_dataset_reads_no_files_and_needs_no_tables(self):
        code = (
            "import sys, capexmodel._sources.dataset; "
            "print(sorted(m for m in sys.modules"
            " if m.startswith('capexmodel.frames') or m == 'capexmodel._sources.loading'))"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"


FACTS_HEADER = "company,metric,period,amount,unit,currency,basis,status,sources,market,counted_as\n"


def with_facts(tmp_path, *rows, sources=""):
    """The embedded dataset with these facts.csv rows (and sources.csv rows) added."""
    (tmp_path / "facts.csv").write_text(FACTS_HEADER + "".join(row + "\n" for row in rows), encoding="utf-8")
    if sources:
        (tmp_path / "sources.csv").write_text(
            "id,publisher,title,date,note,preferred\n" + sources + "\n", encoding="utf-8"
        )
    return cm.load_dataset(tmp_path)


class TestReviewedQueries:
    """Queries and analyses that gave a wrong or misleading answer without an error."""

    def test_growth_compares_the_same_part_of_the_company(self):
        # 2024 is China Mobile's compute capex (371亿元); 2023 its total capex (1803亿元): not a fall of 79%.
        with pytest.raises(
            cm.FactNotFoundError,
            match="no capex fact for china-mobile over 2023 that covers"
            " compute \\(算力口径\\), as the figure over 2024 does",
        ):
            DS.growth("china-mobile", "capex", "2024")
        assert DS.growth("china-mobile", "capex", "2024", whole_company=True) == cm.growth(
            cm.Money(1640 * 10**8, "CNY", Y24), cm.Money(1803 * 10**8, "CNY", cm.CalendarYear(2023))
        )
        assert DS.growth("china-mobile", "capex", "2025") == cm.growth(  # compute on compute
            cm.Money(373 * 10**8, "CNY", Y25), cm.Money(371 * 10**8, "CNY", Y24)
        )

    def test_growth_compares_the_same_months_a_year_apart(self, tmp_path):
        # Oracle's "2024" is March 2024 - February 2025; its calendar 2023, or a fiscal year counted as 2023,
        # are not the same months a year earlier.
        ds = with_facts(
            tmp_path,
            "oracle,capex,2023,70,亿,USD,calendar,reported,caijing,,",
            "oracle,capex,2022-06/2023-05,40,亿,USD,fiscal,reported,caijing,,2023",
        )
        with pytest.raises(cm.FactNotFoundError, match="no capex fact for oracle over 2023-03/2024-02"):
            ds.growth("oracle", "capex", "2024")
        ds = with_facts(tmp_path, "oracle,capex,2023-03/2024-02,70,亿,USD,,reported,caijing,,2023")
        window = cm.Period.parse("2024-03/2025-02")
        assert ds.growth("oracle", "capex", "2024") == cm.growth(
            cm.Money(149 * 10**8, "USD", window), cm.Money(70 * 10**8, "USD", cm.Period.parse("2023-03/2024-02"))
        )

    def test_a_tie_in_the_most_preferred_source_is_ambiguous(self, tmp_path):
        ds = with_facts(
            tmp_path,
            "meta,capex,2023,28100,million,USD,gross,reported,mine,,",
            "meta,capex,2023,27266,million,USD,net,reported,mine,,",
            "meta,capex,2023,100,亿,USD,article,reported,caijing,,",
            sources="mine,Me,My sheet,,,yes",
        )
        with pytest.raises(cm.AmbiguousFactError, match="several capex facts for meta over 2023"):
            ds.fact("meta", "capex", "2023")
        with pytest.raises(cm.AmbiguousFactError):
            ds.total("capex", period="2023", companies=["meta"])
        assert ds.fact("meta", "capex", "2023", basis="net").value.amount == 27266 * 10**6

    def test_a_total_of_revenue_by_market_names_its_market(self):
        us = DS.total("revenue_by_market", period=Y24, companies=["nvidia"], market="US")
        assert us.value == cm.Money(613 * 10**8, "USD", Y24)
        with pytest.raises(
            cm.FactNotFoundError, match="nvidia has revenue_by_market for the markets CN, US: pass market="
        ):
            DS.total("revenue_by_market", period=Y24, companies=["nvidia"])
        with pytest.raises(cm.FactNotFoundError, match="nvidia has revenue_by_market for the markets CN, US"):
            DS.fact("nvidia", "revenue_by_market", Y24)
        assert DS.total("capex", period=Y24, group="us-five", market=None).value.amount == 2580 * 10**8

    def test_an_empty_scope_is_refused_naming_it(self):
        with pytest.raises(cm.InvalidValueError, match="companies= names no company"):
            DS.total("capex", period=Y24, companies=[])
        for call in (
            lambda: DS.total("capex", period=Y24, region="JP"),
            lambda: DS.bubble_risk(Y24, region="JP"),
            lambda: DS.h100_equivalents(region="JP"),
        ):
            with pytest.raises(
                cm.UnknownNameError, match="the dataset has no company in region JP: its regions are CN, US"
            ) as caught:
                call()
            assert (caught.value.kind, caught.value.name) == ("region", "JP")

    def test_an_aggregate_adds_up_facts(self):
        with pytest.raises(cm.InvalidValueError, match="facts must be a non-empty list or tuple of Fact"):
            cm.Aggregate(cm.Money(1, "USD", Y24), (), ())

    def test_a_market_asked_for_is_named_when_nothing_is_found(self):
        with pytest.raises(cm.FactNotFoundError, match="no revenue_by_market fact for nvidia over 2024 with market=JP"):
            DS.fact("nvidia", "revenue_by_market", Y24, market="JP")
        with pytest.raises(
            cm.FactNotFoundError,
            match="none of nvidia has a revenue_by_market fact over 2024"
            " with market=JP; nvidia has revenue_by_market for the markets CN, US",
        ):
            DS.total("revenue_by_market", period=Y24, companies=["nvidia"], market="JP")


class TestReviewedData:
    """The embedded data against the reference data (sections A, B and D)."""

    def test_the_operators_combined_figures_are_statements(self):
        total = DS.statement("operators_2024_total_capex")
        assert (total.value, total.unit) == (Decimal(3189), "亿 CNY")
        whole = [
            DS.fact(company, "capex", Y24, whole_company=True).value.amount
            for company in ("china-mobile", "china-telecom", "china-unicom")
        ]
        assert round(sum(whole) / 10**8) == total.value  # 1640 + 935 + 613.7, the first two unconfirmed
        plans = DS.statement("operators_2025_capex_plans")
        assert (plans.value, plans.unit, plans.source) == (Decimal(2898), "亿 CNY", DS.sources["guidance-2025"])

    def test_amazons_quarters_are_gross_like_the_year_they_add_up_to(self):
        gross = "purchases of property and equipment, gross"
        quarters = [DS.fact("amazon", "capex", cm.CalendarQuarter(2024, q), basis=gross) for q in (1, 2, 3, 4)]
        assert sum(fact.value.amount for fact in quarters) == DS.fact("amazon", "capex", Y24, basis=gross).value.amount
        assert DS.fact("amazon", "capex", "2023-Q4").basis == gross


class TestReviewedValues:
    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"key": ""}, "key must be a non-empty string, got ''"),
            ({"unit": 5}, "unit must be a string, got 5"),
            ({"text_en": None}, "text_en must be a string, got None"),
            ({"source": "caijing"}, "source must be a capexmodel.Source, got 'caijing'"),
        ],
    )
    def test_a_statement_is_checked(self, fields, message):
        valid = {
            "key": "k",
            "value": Decimal(1),
            "unit": "share",
            "text_en": "a",
            "text_zh": "b",
            "source": DS.sources["caijing"],
        }
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.Statement(**(valid | fields))

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"id": 5}, "id must be a non-empty string, got 5"),
            ({"name_en": None}, "name_en must be a string, got None"),
            ({"source": "caijing"}, "source must be a capexmodel.Source or None, got 'caijing'"),
            ({"members": "amazon"}, "a group's members are one or more company ids, got 'amazon'"),
        ],
    )
    def test_a_group_is_checked(self, fields, message):
        valid = {"id": "g", "name_en": "G", "name_zh": "G", "members": ["amazon"], "source": None}
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.Group(**(valid | fields))

    def test_whole_company_is_true_or_false(self):
        with pytest.raises(cm.InvalidValueError, match="whole_company must be True or False, got 'no'"):
            DS.fact("china-mobile", "capex", Y24, whole_company="no")  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="whole_company must be True or False, got 0"):
            DS.growth("china-mobile", "capex", Y24, whole_company=0)  # type: ignore[arg-type]

    def test_a_blended_conversion_is_recomputed_as_a_blend(self):
        fiscal = cm.Period.parse("2024-04/2025-03")
        two_years = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.2", Y24), cm.ExchangeRate("USD", "CNY", "7.3", Y25)])
        blended = DS.convert(DS.fact("alibaba", "capex", fiscal), "USD", rates=two_years, blend=True)
        assert isinstance(blended.derivation, cm.Conversion)
        assert blended.derivation.method == "blend"
        again = DS.recompute(blended, rates=two_years)
        assert again.value == blended.value
        assert again.derivation == blended.derivation


CALLER_CONTEXTS = [
    decimal.Context(prec=3),
    decimal.Context(prec=5, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact, decimal.Rounded]),
    decimal.Context(prec=40, rounding=decimal.ROUND_UP),
]


class TestTheCallersContext:
    """The analyses compute in the library's decimal context, whatever the caller's, and leave it as it was."""

    @staticmethod
    def answers():
        other = cm.RateTable([cm.ExchangeRate("USD", "CNY", "6.0", Y24)])
        tencent = DS.fact("tencent", "capex", Y24)
        return [
            DS.total("capex", period=Y24, group="china-seven", currency="USD").value,
            DS.total("capex", period=Y24, group="china-seven", currency="USD", rates=other).value,
            DS.convert(tencent, "USD", rates=other).value,
            DS.recompute(DS.fact("china-mobile", "capex", Y24)).value,
            DS.intensity("tencent", Y24),
            DS.growth("tencent", "capex", "2024-Q4"),
            DS.bubble_risk(Y24, company="meta").score,
            DS.bubble_risk(Y24, region="US").signals,
            DS.h100_equivalents("bf16", region="CN").value,
        ]

    @pytest.mark.parametrize("context", CALLER_CONTEXTS)
    def test_the_answers_do_not_depend_on_the_callers_context(self, context):
        expected = self.answers()
        with decimal.localcontext(context) as caller:
            assert self.answers() == expected
            assert not any(caller.flags.values())

    @pytest.mark.parametrize("context", CALLER_CONTEXTS)
    def test_the_report_does_not_depend_on_the_callers_context(self, context):
        from capexmodel._present.report import build_report  # noqa: PLC0415

        expected = build_report(DS, "zh_CN")
        with decimal.localcontext(context) as caller:
            assert build_report(DS, "zh_CN") == expected
            assert not any(caller.flags.values())
