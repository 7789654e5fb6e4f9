import datetime as dt

import attrs
import pytest

import capexmodel as cm

Y24 = cm.CalendarYear(2024)
TENCENT = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
NVIDIA = cm.Company(id="nvidia", name_en="Nvidia", name_zh="英伟达", region="US", currency="USD")
FILING = cm.Source("Tencent", "2024 annual results", dt.date(2025, 3, 19))
BROKER = cm.Source("Zheshang Securities", "capex estimates", note="may differ from actual")
ARTICLE = cm.Source("Caijing", "中美科技巨头算力投资对比")
RATES = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", Y24, source=ARTICLE)])
DS_LIKE = attrs.evolve(cm.load_dataset(), facts=())


def capex(amount, status=cm.Status.REPORTED, sources=(FILING,), period=Y24, basis=""):
    return cm.Fact(TENCENT, cm.Metric.CAPEX, cm.Money(amount, "CNY", period), basis, status, list(sources))


class TestMetric:
    def test_builtin_metrics(self):
        assert cm.Metric("capex") == cm.Metric.CAPEX
        assert [
            str(m)
            for m in (
                cm.Metric.REVENUE,
                cm.Metric.OPERATING_CASH_FLOW,
                cm.Metric.NET_INCOME,
                cm.Metric.DEPRECIATION_AND_AMORTIZATION,
                cm.Metric.FREE_CASH_FLOW,
                cm.Metric.REVENUE_BY_MARKET,
            )
        ] == [
            "revenue",
            "operating_cash_flow",
            "net_income",
            "depreciation_and_amortization",
            "free_cash_flow",
            "revenue_by_market",
        ]

    def test_room_for_more_declared_explicitly(self):
        with pytest.raises(cm.UnknownMetricError, match="unknown metric 'gpu_hours'") as caught:
            cm.Metric("gpu_hours")
        assert caught.value.name == "gpu_hours"
        declared = cm.Metric.declare("gpu_hours", may_be_negative=False, description="GPU hours sold.")
        assert repr(declared) == repr(cm.Metric("gpu_hours")) == "Metric('gpu_hours')"
        assert cm.Metric("gpu_hours").name == "gpu_hours"
        assert type(cm.Metric("gpu_hours").name) is str
        assert cm.Metric("gpu_hours").definition == cm.MetricDefinition("gpu_hours", False, "GPU hours sold.")
        assert cm.Metric.declare("gpu_hours", may_be_negative=False) == "gpu_hours"  # again: harmless
        assert cm.Metric(cm.Metric.CAPEX) is cm.Metric.CAPEX

    def test_a_declaration_may_not_change_a_sign_rule(self):
        with pytest.raises(cm.InvalidValueError, match="'capex' is already declared, and is never negative"):
            cm.Metric.declare("capex", may_be_negative=True)
        with pytest.raises(cm.InvalidValueError, match="'net_income' is already declared, and may be negative"):
            cm.Metric.declare("net_income", may_be_negative=False)

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (("Bad Name",), {"may_be_negative": True}),
            (("fine_name",), {"may_be_negative": "yes"}),
            (("fine_name",), {"may_be_negative": True, "description": 3}),
        ],
    )
    def test_declarations_are_checked(self, arguments, message):
        with pytest.raises(cm.InvalidValueError):
            cm.Metric.declare(*arguments, **message)

    @pytest.mark.parametrize(
        ("typo", "meant"),
        [
            ("capx", "capex"),
            ("revenues", "revenue"),
            ("Revenue", "revenue"),
            ("net income", "net_income"),
            ("depreciation", "depreciation_and_amortization"),
            ("xyzzy", None),
            ("Xyzzy", None),
        ],
    )
    def test_a_near_miss_names_the_metric_meant(self, typo, meant):
        with pytest.raises(cm.InvalidValueError) as caught:
            cm.Metric(typo)
        if meant is None:
            assert "did you mean" not in str(caught.value)
        else:
            assert isinstance(caught.value, cm.UnknownMetricError)
            assert caught.value.suggestion == meant
            assert f"did you mean {meant!r}?" in str(caught.value)

    def test_the_vocabulary_has_sign_rules(self):
        rules = {definition.name: definition.may_be_negative for definition in cm.Metric.vocabulary()}
        assert {name: rules[name] for name in ("capex", "revenue", "depreciation_and_amortization")} == dict.fromkeys(
            ("capex", "revenue", "depreciation_and_amortization"), False
        )
        assert all(rules[name] for name in ("net_income", "operating_cash_flow", "free_cash_flow"))

    def test_metrics_pickle(self):
        import pickle  # noqa: PLC0415

        assert pickle.loads(pickle.dumps(cm.Metric.CAPEX)) == cm.Metric.CAPEX

    @pytest.mark.parametrize("name", ["Capex", "capex ", "", "cap-ex", "_capex", 7, None])
    def test_names_are_validated(self, name):
        with pytest.raises(cm.InvalidValueError, match="a metric name is lower-case words"):
            cm.Metric(name)


class TestStatusAndSource:
    def test_combine(self):
        s = cm.Status
        assert s.combine([s.REPORTED]) is s.DERIVED
        assert s.combine([s.REPORTED, s.DERIVED]) is s.DERIVED
        assert s.combine([s.REPORTED, s.GUIDANCE]) is s.ESTIMATE
        assert s.combine([s.ESTIMATE, s.REPORTED]) is s.ESTIMATE
        assert s.combine([]) is s.DERIVED
        assert s.combine(["estimate", "reported"]) is s.ESTIMATE
        assert s.parse("reported") is s.REPORTED

    @pytest.mark.parametrize("statuses", [None, "estimate", 5, ["rumour"]])
    def test_combine_checks_its_input(self, statuses):
        with pytest.raises(cm.InvalidValueError, match="Status.combine|status must be"):
            cm.Status.combine(statuses)

    def test_source_text(self):
        assert str(FILING) == "Tencent, 2024 annual results (2025-03-19)"
        assert str(BROKER) == "Zheshang Securities, capex estimates: may differ from actual"

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"publisher": "", "title": "x"}, "publisher must be a non-empty string, got ''"),
            ({"publisher": "x", "title": None}, "title must be a non-empty string, got None"),
            ({"publisher": "x", "title": "y", "date": "2025-03-19"}, "date must be a datetime.date or None"),
            ({"publisher": "x", "title": "y", "date": dt.datetime(2025, 3, 19)}, "date must be"),  # noqa: DTZ001
            ({"publisher": "x", "title": "y", "note": " "}, "note must be a non-empty string or None"),
        ],
    )
    def test_sources_are_validated(self, fields, message):
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.Source(**fields)

    def test_merge_sources_keeps_each_once_in_order(self):
        assert cm.merge_sources([FILING, BROKER], [BROKER, ARTICLE], []) == (FILING, BROKER, ARTICLE)

    @pytest.mark.parametrize(
        ("groups", "message"),
        [
            ((5,), "takes an iterable of Source, got 5"),
            (([[1]],), "merges Source values, got \\[1\\]"),
            (("Omdia",), "got the string 'Omdia'"),
        ],
    )
    def test_merge_sources_checks_its_input(self, groups, message):
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.merge_sources(*groups)


class TestFact:
    def test_fields_and_conversions(self):
        fact = cm.Fact(TENCENT, "capex", cm.Money("76760000000", "CNY", Y24), "including leases", "guidance", [FILING])
        assert fact.metric == cm.Metric.CAPEX == "capex"
        assert fact.status is cm.Status.GUIDANCE
        assert fact.status == "guidance"  # type: ignore[comparison-overlap] # a StrEnum equals its value
        assert fact.sources == (FILING,)
        assert fact.market is None
        assert fact.derivation is None

    def test_revenue_by_market_needs_a_market(self):
        us = cm.Fact(NVIDIA, cm.Metric.REVENUE_BY_MARKET, cm.Money("61300000000", "USD", Y24), market="US")
        assert us.market == cm.Region("US")
        with pytest.raises(cm.InvalidValueError, match="has a market exactly when its metric is revenue_by_market"):
            cm.Fact(NVIDIA, cm.Metric.REVENUE_BY_MARKET, cm.Money("1", "USD", Y24))
        with pytest.raises(cm.InvalidValueError, match="got capex and market=CN"):
            cm.Fact(NVIDIA, cm.Metric.CAPEX, cm.Money("1", "USD", Y24), market="CN")

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"company": "tencent"}, "company must be a capexmodel.Company, got 'tencent'"),
            ({"metric": "Capex"}, "a metric name is lower-case words"),
            ({"value": 1}, "value must be a capexmodel.Money, got 1"),
            ({"basis": None}, "basis must be a string, got None"),
            ({"status": "rumour"}, "status must be a Status or one of 'reported', 'derived', 'guidance', 'estimate'"),
            ({"sources": FILING}, "sources must be a list or tuple of Source"),
            ({"sources": ["Tencent"]}, "sources must hold Source values, got 'Tencent'"),
            ({"derivation": "calendarized"}, "must be a Calendarization, a Conversion, a Projection or None"),
            ({"value": cm.Money(-1, "CNY", Y24)}, "capex is never negative, got -1 CNY over 2024 for tencent"),
            ({"segment": " "}, "segment must be a non-empty string or None, got ' '"),
            ({"segment": 3}, "segment must be a non-empty string or None, got 3"),
            ({"counted_as": Y24}, "counted_as is for a period other than the one the value covers"),
            ({"counted_as": "2024"}, "counted_as must be a Period or None"),
            ({"inputs": ["fact"]}, "inputs must hold Fact values"),
            ({"note": None}, "note must be a string, got None"),
        ],
    )
    def test_fields_are_validated(self, fields, message):
        arguments = {"company": TENCENT, "metric": "capex", "value": cm.Money(1, "CNY", Y24)} | fields
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.Fact(**arguments)


class TestDerive:
    def test_a_conversion_carries_the_rates_source_and_stays_derived(self):
        reported = capex("76760000000")
        conversion = RATES.conversion("CNY", "USD", Y24)
        fact = cm.Fact.derive(conversion.apply(reported.value), [reported], derivation=conversion)
        assert fact.company == TENCENT
        assert fact.metric == cm.Metric.CAPEX
        assert fact.status is cm.Status.DERIVED
        assert fact.sources == (FILING, ARTICLE)
        assert fact.derivation is conversion
        assert fact.value.currency == "USD"

    def test_an_estimate_in_gives_an_estimate_out(self):
        quarters = [
            capex("20000000000", period=cm.CalendarHalf(2024, 1)),
            capex("60000000000", cm.Status.ESTIMATE, sources=(BROKER,), period=cm.CalendarHalf(2024, 2)),
        ]
        result = cm.calendarize([fact.value for fact in quarters], Y24)
        fact = cm.Fact.derive(result.value, quarters, derivation=result)
        assert fact.status is cm.Status.ESTIMATE
        assert fact.sources == (FILING, BROKER)
        assert fact.value == cm.Money("80000000000", "CNY", Y24)
        assert fact.derivation is result

    def test_a_single_fact_is_accepted_as_inputs(self):
        assert cm.Fact.derive(cm.Money(1, "CNY", Y24), capex(1)).sources == (FILING,)

    def test_the_inputs_are_kept_with_their_shared_segment_and_counted_period(self):
        window = cm.Period.parse("2024-03/2025-02")
        oracle = cm.Fact(TENCENT, "capex", cm.Money(149, "CNY", window), counted_as=Y24, segment="cloud")
        derived = cm.Fact.derive(cm.Money(20, "CNY", window), [oracle])
        assert derived.inputs == (oracle,)
        assert (derived.counted_as, derived.segment) == (Y24, "cloud")
        relabelled = cm.Fact.derive(cm.Money(20, "CNY", Y24), [oracle])  # now over the period it was counted as
        assert relabelled.counted_as is None

    def test_a_counted_period_stays_only_with_the_months_it_was_counted_for(self):
        window = cm.Period.parse("2024-03/2025-02")
        oracle = cm.Fact(TENCENT, "revenue", cm.Money(149, "CNY", window), counted_as=Y24)
        later = cm.Fact.derive(cm.Money(20, "CNY", cm.CalendarYear(2025)), [oracle])  # not the months counted as 2024
        assert later.counted_as is None
        assert attrs.evolve(DS_LIKE, facts=(later,)).select(period=Y24) == ()  # no query for 2024 finds it

    def test_inputs_of_different_parts_of_the_company_need_the_part_said(self):
        mixed = [capex(1), attrs.evolve(capex(2), segment="cloud")]
        with pytest.raises(
            cm.InvalidValueError,
            match="the inputs differ in segment \\(the whole company, cloud\\):"
            " pass segment= \\('' for the whole company\\)",
        ):
            cm.Fact.derive(cm.Money(3, "CNY", Y24), mixed)
        assert cm.Fact.derive(cm.Money(3, "CNY", Y24), mixed, segment="").segment is None
        assert cm.Fact.derive(cm.Money(3, "CNY", Y24), mixed, segment="cloud and more").segment == "cloud and more"

    def test_differing_inputs_need_explicit_fields(self):
        mixed = [capex(1, basis="compute-only"), capex(2, basis="")]
        with pytest.raises(cm.InvalidValueError, match="the inputs differ in basis \\(compute-only, \\): pass basis="):
            cm.Fact.derive(cm.Money(3, "CNY", Y24), mixed)
        assert cm.Fact.derive(cm.Money(3, "CNY", Y24), mixed, basis="mixed").basis == "mixed"
        other = cm.Fact(NVIDIA, "capex", cm.Money(1, "USD", Y24))
        with pytest.raises(cm.InvalidValueError, match="the inputs differ in company"):
            cm.Fact.derive(cm.Money(3, "CNY", Y24), [capex(1), other])
        assert cm.Fact.derive(cm.Money(3, "CNY", Y24), [capex(1), other], company=TENCENT).company == TENCENT

    def test_a_market_survives_only_for_revenue_by_market(self):
        us = cm.Fact(NVIDIA, cm.Metric.REVENUE_BY_MARKET, cm.Money("61300000000", "USD", Y24), market="US")
        assert cm.Fact.derive(us.value * 2, [us]).market == cm.Region("US")
        assert cm.Fact.derive(us.value, [us], metric="revenue").market is None

    def test_the_value_must_be_what_the_derivation_gives(self):
        reported = capex("76760000000")
        conversion = RATES.conversion("CNY", "USD", Y24)
        with pytest.raises(cm.InvalidValueError, match="is not in USD over 2024, as the conversion gives"):
            cm.Fact.derive(reported.value, [reported], derivation=conversion)
        result = cm.calendarize([reported.value], Y24)
        with pytest.raises(cm.InvalidValueError, match="is not the calendarization's, 76760000000 CNY over 2024"):
            cm.Fact.derive(reported.value * 2, [reported], derivation=result)

    @pytest.mark.parametrize("inputs", [[], None, [1]])
    def test_inputs_must_be_facts(self, inputs):
        with pytest.raises(cm.InvalidValueError, match="derive\\(\\) needs one or more Facts as inputs"):
            cm.Fact.derive(cm.Money(1, "CNY", Y24), inputs)
