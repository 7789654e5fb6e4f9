from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import capexmodel as cm
from capexmodel._dataset import COLUMNS

Y24, Y25 = cm.CalendarYear(2024), cm.CalendarYear(2025)
DS = cm.load_dataset()
HEADERS = {kind: ",".join(columns) for kind, columns in COLUMNS.items()}


def write(folder: Path, kind: str, *rows: str) -> Path:
    path = folder / f"{kind}.csv"
    path.write_text("\n".join([HEADERS[kind], *rows]) + "\n", encoding="utf-8")
    return path


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
        tencent = cm.capex_from_revenue(revenue, period=Y25, revenue_growth=rule["tencent_2025_revenue_growth"],
                                        capex_to_revenue=rule["tencent_2025_capex_to_revenue"])
        assert tencent.value == cm.Money(Decimal(660257) * 10**6 * Decimal("1.1") * Decimal("0.12"), "CNY", Y25)

    def test_hopper_purchases_on_both_bases(self):
        china = DS.h100_equivalents({"H20": Fraction(1, 3)}, region="CN")
        assert china.exact == Fraction(460_000, 3)
        assert DS.h100_equivalents("bf16", region="CN").exact == 460_000 * Fraction(148, 989)
        assert DS.h100_equivalents("bf16").by_buyer["microsoft"] == 485_000

    def test_the_statements(self):
        assert DS.statement("cloud_share_aws_azure_gcp").value == Decimal("0.63")
        with pytest.raises(cm.InvalidValueError, match="no statement called 'nope'"):
            DS.statement("nope")

    def test_calendarizing_shipped_quarters(self):
        amazon = [DS.fact("amazon", "capex", cm.CalendarQuarter(2024, q)) for q in (1, 2, 3, 4)]
        assert cm.calendarize([fact.value for fact in amazon], Y24).value == cm.Money(82999 * 10**6, "USD", Y24)


class TestQueries:
    def test_companies(self):
        assert DS.company("tencent").name_zh == "腾讯"
        assert [c.id for c in DS.companies_in(cm.Region("US"))] == [
            "amazon", "microsoft", "alphabet", "meta", "oracle", "nvidia", "xai"]
        with pytest.raises(cm.UnknownCompanyError, match="unknown company 'openai': the dataset knows alibaba"):
            DS.company("openai")

    def test_the_preferred_source_wins_and_selectors_choose_others(self):
        assert DS.fact("amazon", "capex", Y24).sources == (DS.sources["caijing"],)
        gross = DS.fact("amazon", "capex", Y24, basis="purchases of property and equipment, gross")
        assert gross.value.amount == 82999 * 10**6
        with pytest.raises(cm.AmbiguousFactError, match="several capex facts for amazon over 2024"):
            DS.fact("amazon", "capex", Y24, source="amazon-10k-2024")
        with pytest.raises(cm.InvalidValueError, match="no capex fact for baidu over 2025"):
            DS.fact("baidu", "capex", Y25)
        with pytest.raises(cm.InvalidValueError, match="unknown source 'sec'"):
            DS.fact("amazon", "capex", Y24, source="sec")

    def test_select(self):
        fiscal = DS.select(company="microsoft", period=cm.FiscalCalendar(year_end_month=6).year(2024))
        assert {fact.metric for fact in fiscal} == {"revenue", "net_income", "operating_cash_flow", "capex",
                                                    "depreciation_and_amortization"}
        assert all(fact.status is cm.Status.ESTIMATE for fact in DS.select(source="zheshang"))
        assert len(DS.select(market="CN")) == 1
        assert len(DS.select(region="CN", metric="capex", period=Y24, status="derived")) == 6

    def test_totals_name_what_is_missing_and_convert_with_given_rates(self):
        rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7", Y24)])
        china = DS.total("capex", period=Y24, companies=["bytedance", "tencent"], currency="USD", rates=rates)
        assert china.value.amount == Decimal(80000000000) / 7 + 107 * 10**8
        revenue = DS.total("revenue", period=Y24, region="CN", currency="USD")
        assert revenue.missing == ("alibaba", "china-mobile", "china-telecom", "china-unicom")

    def test_total_arguments(self):
        with pytest.raises(cm.InvalidValueError, match="pass exactly one of region= and companies="):
            DS.total("capex", period=Y24)
        with pytest.raises(cm.InvalidValueError, match="no company has a capex fact over 2023"):
            DS.total("capex", period=cm.CalendarYear(2023), region="US")
        with pytest.raises(cm.CurrencyMismatchError):
            DS.total("capex", period=Y24, region="CN")


class TestUserFiles:
    def test_facts_are_added_to_the_embedded_data(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2023,282.66,亿,USD,as the article would give it,reported,caijing,")
        merged = cm.load_dataset(tmp_path)
        assert merged.fact("meta", "capex", cm.CalendarYear(2023)).value.amount == Decimal(28266000000)
        assert len(merged.facts) == len(DS.facts) + 1
        assert len(cm.load_dataset().facts) == len(DS.facts)

    def test_one_file_can_be_given(self, tmp_path):
        path = write(tmp_path, "rates", "USD,CNY,7.1,2023,caijing")
        assert len(cm.load_dataset(path).rates.rates) == 2

    def test_replace_uses_the_files_alone(self, tmp_path):
        write(tmp_path, "sources", "mine,Me,My notes,2025-01-31,,yes")
        write(tmp_path, "companies", "acme,Acme,阿克米,US,USD,12,ACME")
        write(tmp_path, "facts", "acme,capex,2024,1.5,billion,USD,,reported,mine,")
        own = cm.load_dataset(tmp_path, replace=True)
        assert [c.id for c in own.companies] == ["acme"]
        assert own.fact("acme", "capex", Y24).value == cm.Money("1500000000", "USD", Y24)
        assert own.preferred_sources == (own.sources["mine"],)

    def test_every_problem_is_reported_by_file_line_and_field(self, tmp_path):
        write(tmp_path, "facts",
              "# a comment line",
              "openai,capex,2024,10,亿,USD,,estimate,caijing,",
              "meta,capex,2024-01-15/2024-12-31,373,亿,USD,,reported,caijing,",
              "meta,capex,2025,seven,亿,USD,,reported,caijing,",
              "meta,capex,2025,7,亿,RMB,,rumour,sec,",
              "meta,capex,2024,373,亿,USD,as the article gives it,reported,caijing,",
              "meta,capex,2025",
              "meta,revenue_by_market,2024,1,亿,USD,,reported,caijing,Mars")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        problems = [problem.split("facts.csv, ", 1)[1] for problem in caught.value.problems]
        assert problems == [
            "line 3, field 'company': unknown company 'openai'; expected one of the companies' ids",
            (
                "line 4, field 'period': cannot read a period from '2024-01-15/2024-12-31': expected a label such as"
                " '2024', '2024-H1', '2024-Q3', '2024-07' or '2024-04/2025-03'"
            ),
            "line 5, field 'amount': " + problems[2].split("'amount': ", 1)[1],
            "line 6, field 'currency': unknown currency code 'RMB': expected an ISO 4217 code such as 'USD' or 'CNY'",
            (
                "line 6, field 'status': status must be a Status or one of 'reported', 'derived', 'guidance',"
                " 'estimate', got 'rumour'"
            ),
            "line 6, field 'sources': unknown source 'sec'; expected one of the sources' ids",
            "line 7: a duplicate fact: meta capex over 2024 (as the article gives it)",
            "line 8: expected 10 fields, got 3",
            "line 9, field 'market': unknown region 'Mars': expected a CLDR territory code such as 'US', 'CN' or 'EU'",
        ]
        assert "seven" in problems[2]
        assert str(caught.value).startswith("9 problems in the data:\n")

    def test_definitions_may_not_be_repeated(self, tmp_path):
        write(tmp_path, "companies", "meta,Meta,Meta,US,USD,12,META")
        write(tmp_path, "sources", "caijing,Caijing,Again,,,no", "new,New,Thing,31/01/2025,,maybe")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        assert [problem.split(".csv, ", 1)[1] for problem in caught.value.problems] == [
            "line 2, field 'id': the source 'caijing' is defined twice",
            "line 3, field 'date': expected a date such as 2025-04-14, got '31/01/2025'",
            "line 3, field 'preferred': expected yes or no, got 'maybe'",
            "line 2, field 'id': the company 'meta' is defined twice",
        ]

    def test_bad_headers_empty_binary_and_huge_files(self, tmp_path, monkeypatch):
        (tmp_path / "facts.csv").write_text("company,metric,when\nx,y,z\n", encoding="utf-8")
        (tmp_path / "rates.csv").write_bytes(b"base,quote\x00")
        (tmp_path / "purchases.csv").write_bytes(b"")
        (tmp_path / "statements.csv").write_bytes(b"key,value\n\xff\xfe")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        text = str(caught.value)
        assert "facts.csv, line 1: the header has missing 'period'" in text
        assert "unknown 'when'" in text
        assert "rates.csv, line 1: the file is binary (it holds NUL bytes)" in text
        assert "purchases.csv, line 1: the file is empty; expected a header" in text
        assert "statements.csv, line 2: the file is not UTF-8 text" in text
        from capexmodel import _dataset  # noqa: PLC0415

        monkeypatch.setattr(_dataset, "MAX_FILE_BYTES", 10)
        with pytest.raises(cm.DataFileError, match="facts.csv: the file is 26 bytes; data files are limited to 10"):
            cm.load_dataset(tmp_path / "facts.csv")

    def test_paths_that_are_not_data(self, tmp_path):
        with pytest.raises(cm.DataFileError, match="no such file or folder"):
            cm.load_dataset(tmp_path / "missing")
        with pytest.raises(cm.DataFileError, match="no data files here"):
            cm.load_dataset(tmp_path)
        other = tmp_path / "numbers.csv"
        other.write_text("a,b\n", encoding="utf-8")
        with pytest.raises(cm.DataFileError, match="cannot tell what the file holds from its name"):
            cm.load_dataset(other)

    def test_rows_of_every_kind_are_checked(self, tmp_path):
        write(tmp_path, "companies", "acme,Acme,阿克米,Mars,USD,13,")
        write(tmp_path, "rates", "USD,CNY,-1,2024,caijing", "USD,CNY,7,2024-13,caijing", "USD,CNY,7.23,2024,caijing")
        write(tmp_path, "purchases", "meta,H30,1,,2024,omdia", "meta,H100,1.5,,2024,omdia", "openai,H100,1,,2024,omdia")
        write(tmp_path, "statements", "share,0.5,share,half,一半,", "share,x,share,half,一半,caijing")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        text = str(caught.value)
        for expected in [
            "companies.csv, line 2, field 'fiscal_year_end_month': year_end_month must be a month number from 1 to 12",
            "companies.csv, line 2, field 'region': unknown region 'Mars'",
            "rates.csv, line 2, field 'rate': a rate is positive, got '-1'",
            "rates.csv, line 3, field 'window': cannot read a period from '2024-13'",
            "rates.csv, line 4: a second USD/CNY rate over 2024: one rate per pair and window",
            "purchases.csv, line 2, field 'chip': unknown chip 'H30'",
            "purchases.csv, line 3, field 'quantity': expected a whole number of chips, zero or more, got 1.5",
            "purchases.csv, line 4, field 'buyer': unknown company 'openai'",
            "statements.csv, line 2, field 'source': expected a source id",
            "statements.csv, line 3, field 'value':",
        ]:
            assert expected in text, expected


class TestStricterLoading:
    def test_the_users_preferred_source_wins_over_the_articles(self, tmp_path):
        write(tmp_path, "sources", "mine,Me,My restatement,,,yes")
        write(tmp_path, "facts", "amazon,capex,2024,800,亿,USD,my basis,derived,mine,")
        merged = cm.load_dataset(tmp_path)
        assert merged.fact("amazon", "capex", Y24).value.amount == 800 * 10**8
        assert merged.preferred_sources[0] == merged.sources["mine"]

    def test_duplicates_and_bad_ids_are_refused(self, tmp_path):
        write(tmp_path, "purchases", "microsoft,H100,48.5,万,2024,omdia", "meta,H100,-1,,2024,omdia",
              "meta,H100,1,,2024,omdia zheshang")
        write(tmp_path, "statements", "cloud_share_aws_azure_gcp,0.5,share,x,x,caijing", ",1,x,x,x,caijing")
        write(tmp_path, "sources", "has space,A,B,,,no")
        write(tmp_path, "rates", "USD,XYZ,7,2024,caijing", "USD,CNY,7,2024,caijing")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        text = str(caught.value)
        for expected in [
            "sources.csv, line 2, field 'id': a source id is letters, digits, '-' and '_', got 'has space'",
            "rates.csv, line 2, field 'quote': unknown currency code 'XYZ'",
            "rates.csv, line 3: a second USD/CNY rate",
            "purchases.csv, line 2: a duplicate purchase: microsoft H100 over 2024",
            "purchases.csv, line 3, field 'quantity': expected a whole number of chips, zero or more, got -1",
            "purchases.csv, line 4, field 'source': expected one source id, got 'omdia zheshang'",
            "statements.csv, line 2, field 'key': the statement 'cloud_share_aws_azure_gcp' is defined twice",
            "statements.csv, line 3, field 'key': a statement key is letters, digits, '-' and '_', got ''",
        ]:
            assert expected in text, expected

    def test_misnamed_files_and_odd_headers(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2030,1,,USD,,reported,caijing,")
        (tmp_path / "purchase.csv").write_text("buyer\n", encoding="utf-8")
        with pytest.raises(cm.DataFileError, match="purchase.csv: not a data file name"):
            cm.load_dataset(tmp_path)
        (tmp_path / "purchase.csv").unlink()
        (tmp_path / "facts.csv").write_text(HEADERS["facts"] + ",basis\n", encoding="utf-8")
        with pytest.raises(cm.DataFileError, match=r"the header has unknown 'basis \(twice\)'"):
            cm.load_dataset(tmp_path)

    def test_a_fiscal_month_must_be_ascii_digits(self, tmp_path):
        write(tmp_path, "companies", "acme,Acme,阿克米,US,USD,\u00b2,")
        with pytest.raises(cm.DataFileError, match="expected a month number from 1 to 12, got '\u00b2'"):
            cm.load_dataset(tmp_path)

    def test_problems_are_capped(self, tmp_path, monkeypatch):
        from capexmodel import _dataset  # noqa: PLC0415

        monkeypatch.setattr(_dataset, "MAX_PROBLEMS", 2)
        write(tmp_path, "facts", *["nobody,capex,2024,1,,USD,,reported,caijing,"] * 5)
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        assert caught.value.problems[-1] == "... and 3 more problems"
        assert len(caught.value.problems) == 3

    def test_unreadable_files_and_bad_arguments(self, tmp_path, monkeypatch):
        path = write(tmp_path, "facts", "meta,capex,2030,1,,USD,,reported,caijing,")

        def refuse(_self):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", refuse)
        with pytest.raises(cm.DataFileError, match="facts.csv: cannot read the file: Permission denied"):
            cm.load_dataset(path)
        monkeypatch.undo()
        with pytest.raises(cm.InvalidValueError, match="load_dataset\\(\\) takes a path .* got 123"):
            cm.load_dataset(123)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="companies must be a list of companies or ids, got 5"):
            DS.total("capex", period=Y24, companies=5)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable, got 'x'"):
            DS.total("capex", period=Y24, region="US", rates="x")  # type: ignore[arg-type]


class TestRemainingPaths:
    def test_selecting_by_source_object(self):
        article = DS.sources["caijing"]
        assert DS.select(source=article) == DS.select(source="caijing")

    def test_a_field_too_large_for_csv(self, tmp_path):
        (tmp_path / "facts.csv").write_text(HEADERS["facts"] + "\n" + '"' + "x" * 200_000 + '"\n', encoding="utf-8")
        with pytest.raises(cm.DataFileError, match="not valid CSV: field larger than field limit"):
            cm.load_dataset(tmp_path)

    def test_more_malformed_rows(self, tmp_path):
        write(tmp_path, "companies", "Acme,Acme,阿克米,US,USD,12,")
        write(tmp_path, "facts", "meta,capex,2024,,亿,USD,,reported,caijing,",
              "meta,capex,2024,1,亿,USD,,reported,caijing,US")
        write(tmp_path, "rates", "USD,EUR,0.9,2024,nobody")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        text = str(caught.value)
        assert "companies.csv, line 2: a company id is lower-case letters" in text
        assert "facts.csv, line 2, field 'amount': expected a number, got an empty field" in text
        assert "facts.csv, line 3, field 'metric': a fact has a market exactly when its metric is revenue_by" in text
        assert "rates.csv, line 2, field 'source': unknown source 'nobody'" in text
