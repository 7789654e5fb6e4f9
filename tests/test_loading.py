import os
from decimal import Decimal
from pathlib import Path

import pytest

import capexmodel as cm
from capexmodel._sources.loading import COLUMNS, MAX_DERIVATION_DEPTH

Y24 = cm.CalendarYear(2024)
DS = cm.load_dataset()
HEADERS = {kind: ",".join(columns) for kind, columns in COLUMNS.items()}


def write(folder: Path, kind: str, *rows: str) -> Path:
    path = folder / f"{kind}.csv"
    path.write_text("\n".join([HEADERS[kind], *rows]) + "\n", encoding="utf-8")
    return path


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
        write(
            tmp_path,
            "facts",
            "# a comment line",
            "openai,capex,2024,10,亿,USD,,estimate,caijing,",
            "meta,capex,2024-01-15/2024-12-31,373,亿,USD,,reported,caijing,",
            "meta,capex,2025,seven,亿,USD,,reported,caijing,",
            "meta,capex,2025,7,亿,RMB,,rumour,sec,",
            "meta,capex,2024,373,亿,USD,as the article gives it,reported,caijing,",
            "meta,capex,2025",
            "meta,revenue_by_market,2024,1,亿,USD,,reported,caijing,Mars",
        )
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
        from capexmodel._sources import loading as _loading  # noqa: PLC0415

        monkeypatch.setattr(_loading, "MAX_FILE_BYTES", 10)
        with pytest.raises(cm.DataFileError, match="facts.csv: the file is 26 bytes; data files are limited to 10"):
            cm.load_dataset(tmp_path / "facts.csv")

    def test_paths_that_are_not_data(self, tmp_path):
        with pytest.raises(cm.DataFileError, match="no such file or folder"):
            cm.load_dataset(tmp_path / "missing")
        with pytest.raises(cm.DataFileError, match="no data files here"):
            cm.load_dataset(tmp_path)
        other = tmp_path / "numbers.csv"
        other.write_text("a,b\n", encoding="utf-8")
        with pytest.raises(
            cm.DataFileError, match=r"numbers.csv: cannot tell what the file holds from its header \(a, b\)"
        ):
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
        write(
            tmp_path,
            "purchases",
            "microsoft,H100,48.5,万,2024,omdia",
            "meta,H100,-1,,2024,omdia",
            "meta,H100,1,,2024,omdia zheshang",
        )
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
        with pytest.raises(cm.DataFileError, match=r"purchase.csv: cannot tell what the file holds from its header"):
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
        from capexmodel._sources import loading as _loading  # noqa: PLC0415

        monkeypatch.setattr(_loading, "MAX_PROBLEMS", 2)
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
        with pytest.raises(cm.InvalidValueError, match="companies= must be a list of companies, ids or names, got 5"):
            DS.total("capex", period=Y24, companies=5)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="rates must be a capexmodel.RateTable, got 'x'"):
            DS.total("capex", period=Y24, region="US", rates="x")  # type: ignore[arg-type]


class TestRemainingPaths:
    def test_a_field_too_large_for_csv(self, tmp_path):
        (tmp_path / "facts.csv").write_text(HEADERS["facts"] + "\n" + '"' + "x" * 200_000 + '"\n', encoding="utf-8")
        with pytest.raises(cm.DataFileError, match="not valid CSV: field larger than field limit"):
            cm.load_dataset(tmp_path)

    def test_more_malformed_rows(self, tmp_path):
        write(tmp_path, "companies", "Acme,Acme,阿克米,US,USD,12,")
        write(
            tmp_path,
            "facts",
            "meta,capex,2024,,亿,USD,,reported,caijing,",
            "meta,capex,2024,1,亿,USD,,reported,caijing,US",
        )
        write(tmp_path, "rates", "USD,EUR,0.9,2024,nobody")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        text = str(caught.value)
        assert "companies.csv, line 2: a company id is lower-case letters" in text
        assert "facts.csv, line 2, field 'amount': expected a number, got an empty field" in text
        assert "facts.csv, line 3, field 'metric': a fact has a market exactly when its metric is revenue_by" in text
        assert "rates.csv, line 2, field 'source': unknown source 'nobody'" in text


FACTS_WITH_PROVENANCE = ",".join(("id", *COLUMNS["facts"], "inputs", "derivation", "note", "counted_as", "segment"))


def write_facts(folder: Path, *rows: str) -> Path:
    path = folder / "facts.csv"
    path.write_text("\n".join([FACTS_WITH_PROVENANCE, *rows]) + "\n", encoding="utf-8")
    return path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(cm.DataFileError) as caught:
        cm.load_dataset(folder)
    return [problem.split(".csv, ", 1)[-1] for problem in caught.value.problems]


class TestLoudOnDoubt:
    def test_a_negative_capex_is_refused_naming_file_line_and_field(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2023,-28100,million,USD,,reported,caijing,")
        assert problems_of(tmp_path) == ["line 2, field 'amount': capex is never negative, got -28100 million"]

    def test_net_income_may_be_negative(self, tmp_path):
        write(tmp_path, "facts", "meta,net_income,2023,-10,million,USD,,reported,caijing,")
        loss = cm.load_dataset(tmp_path).fact("meta", "net_income", cm.CalendarYear(2023))
        assert loss.value.amount == -10 * 10**6

    def test_a_misspelt_metric_is_refused_with_the_metric_meant(self, tmp_path):
        write(
            tmp_path,
            "facts",
            "meta,capx,2023,281,亿,USD,,reported,caijing,",
            "meta,revenues,2023,1349,亿,USD,,reported,caijing,",
        )
        problems = problems_of(tmp_path)
        assert problems[0].startswith("line 2, field 'metric': unknown metric 'capx': did you mean 'capex'?")
        assert problems[1].startswith("line 3, field 'metric': unknown metric 'revenues': did you mean 'revenue'?")

    def test_users_declare_their_own_metrics(self, tmp_path):
        write(
            tmp_path,
            "metrics",
            "cloud_backlog,no,Remaining performance obligations of the cloud business.",
            "ai_margin,yes,Operating margin of the AI business.",
        )
        write(
            tmp_path,
            "facts",
            "microsoft,cloud_backlog,2024-Q4,298,billion,USD,,reported,caijing,",
            "microsoft,ai_margin,2024-Q4,-1,billion,USD,,reported,caijing,",
        )
        ds = cm.load_dataset(tmp_path)
        assert ds.fact("microsoft", "cloud_backlog", "2024-Q4").value.amount == 298 * 10**9
        assert cm.Metric("ai_margin").definition.may_be_negative
        write(tmp_path, "metrics", "capex,yes,Capex that may be negative.", "new_one,maybe,")
        problems = problems_of(tmp_path)
        assert problems[0].startswith("line 2, field 'name': the metric 'capex' is already declared")
        assert problems[1] == "line 3, field 'may_be_negative': expected yes or no, got 'maybe'"


class TestDerivedFacts:
    def test_a_conversion_and_a_sum_with_their_inputs(self, tmp_path):
        write(tmp_path, "companies", "acme,Acme,阿克米,CN,CNY,12,")
        write_facts(
            tmp_path,
            ",acme,capex,2024,10,亿,USD,,derived,caijing,,acme-yuan,convert,at the dataset's rate,,",
            "acme-yuan,acme,capex,2024,72.3,亿,CNY,,derived,caijing,,acme-h1 acme-h2,calendarize,,,",
            "acme-h1,acme,capex,2024-H1,30,亿,CNY,,reported,caijing,,,,,,",
            "acme-h2,acme,capex,2024-H2,42.3,亿,CNY,,reported,caijing,,,,,,",
        )
        ds = cm.load_dataset(tmp_path)
        dollars = ds.fact("acme", "capex", Y24)
        assert dollars.value.currency == "USD"
        (yuan,) = dollars.inputs
        assert isinstance(yuan.derivation, cm.Calendarization)
        assert [str(item.value.period) for item in yuan.inputs] == ["2024-H1", "2024-H2"]
        assert ds.recompute(dollars).value == cm.Money(Decimal(7230000000) / Decimal("7.230"), "USD", Y24)

    def test_derivations_are_checked(self, tmp_path):
        write(tmp_path, "companies", "acme,Acme,阿克米,CN,CNY,12,")
        write_facts(
            tmp_path,
            ",acme,capex,2024,1,亿,USD,,derived,caijing,,nobody,convert,,,",
            "a,acme,capex,2023,1,亿,USD,,derived,caijing,,b,convert,,,",
            "b,acme,capex,2023,1,亿,CNY,,derived,caijing,,a,convert,,,",
            ",acme,capex,2022,1,亿,USD,,derived,caijing,,c,,,,",
            ",acme,capex,2021,1,亿,USD,,derived,caijing,,,convert,,,",
            "c,acme,capex,2022,7,亿,CNY,,estimate,caijing,,,,,,",
            ",acme,revenue,2022,1,亿,USD,,derived,caijing,,c,convert,,,",
            "d,acme,revenue,2020,1,亿,EUR,,reported,caijing,,,,,,",
            ",acme,revenue,2020,1,亿,USD,,derived,caijing,,d,convert,,,",
            "e,acme,revenue,2019-H1,1,亿,USD,,reported,caijing,,,,,,",
            ",acme,revenue,2019,2,亿,USD,,derived,caijing,,e,calendarize,,,",
            "c,acme,revenue,2018,1,亿,USD,,reported,caijing,,,,,,",
            ",acme,revenue,2017,1,亿,USD,,reported,caijing,,,sum,,,",
            "bad id,acme,revenue,2016,1,亿,USD,,reported,caijing,,,,,,",
            ",acme,revenue,2015,1,亿,USD,,derived,caijing,,e,convert,,,",
        )
        problems = problems_of(tmp_path)
        for expected in [
            "line 2, field 'inputs': unknown fact id 'nobody'; expected the id of a fact in this file",
            "line 3, field 'inputs': the inputs go round in a circle: a -> b -> a",
            "line 5, field 'derivation': a derived fact names both its inputs and its derivation",
            "line 6, field 'inputs': a derived fact names both its inputs and its derivation",
            "line 8, field 'inputs': a fact derived from acme capex over 2022 is 'estimate'",
            "line 10, field 'inputs': no rate converts EUR to USD over 2020",
            "line 12, field 'inputs': cannot calendarize to 2019 by months: no amount covers 2019-H2",
            "line 13, field 'id': the fact 'c' is defined twice",
            "line 14, field 'derivation': expected one of 'convert', 'calendarize', 'calendarize quarter-end'",
            "line 15, field 'id': a fact id is letters, digits, '-' and '_', got 'bad id'",
            "line 16, field 'inputs': a conversion keeps the period: the input is over 2019-H1, the fact over 2015",
        ]:
            assert any(problem.startswith(expected) for problem in problems), (expected, problems)

    def test_optional_columns_may_be_left_out_but_not_misspelt(self, tmp_path):
        (tmp_path / "facts.csv").write_text(HEADERS["facts"] + ",notes\n", encoding="utf-8")
        problems = problems_of(tmp_path)
        assert problems == [
            (
                "line 1: the header has unknown 'notes'; expected company, metric, period, amount, currency"
                " (and optionally unit, basis, status, sources, market, id, inputs, derivation, note, counted_as,"
                " segment)"
            )
        ]


class TestHostileFiles:
    def test_a_quoted_hash_is_a_value_not_a_comment(self, tmp_path):
        write(tmp_path, "sources", '"#1-basis",Me,"#1 in the list",,,no')
        write(tmp_path, "statements", '"#ranked",1,rank,"#1",第一,caijing', "  # an indented comment")
        problems = problems_of(tmp_path)
        assert problems == [
            "line 2, field 'id': a source id is letters, digits, '-' and '_', got '#1-basis'",
            "line 2, field 'key': a statement key is letters, digits, '-' and '_', got '#ranked'",
        ]

    def test_a_hash_inside_a_quoted_field_that_spans_lines(self, tmp_path):
        write(tmp_path, "sources", 'mine,Me,"a title\n# still the title",,,no')
        ds = cm.load_dataset(tmp_path)
        assert ds.sources["mine"].title == "a title\n# still the title"

    def test_comment_lines_keep_the_line_numbers(self, tmp_path):
        write(tmp_path, "facts", "# one", "# two", "meta,capex,2023,x,亿,USD,,reported,caijing,")
        assert problems_of(tmp_path)[0].startswith("line 4, field 'amount'")

    def test_a_csv_suffix_not_in_lower_case_is_refused(self, tmp_path):
        (tmp_path / "facts.CSV").write_text(HEADERS["facts"] + "\n", encoding="utf-8")
        with pytest.raises(cm.DataFileError, match="facts.CSV: not a data file name"):
            cm.load_dataset(tmp_path)

    def test_files_that_are_not_regular_files(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2030,1,,USD,,reported,caijing,")
        (tmp_path / "rates.csv").mkdir()
        (tmp_path / "statements.csv").symlink_to(tmp_path / "nowhere.csv")
        os.mkfifo(tmp_path / "purchases.csv")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(tmp_path)
        assert sorted(problem.split("/")[-1] for problem in caught.value.problems) == [
            "purchases.csv: not a regular file; expected a CSV file",
            "rates.csv: not a regular file; expected a CSV file",
            "statements.csv: not a regular file; expected a CSV file",
        ]
        with pytest.raises(cm.DataFileError, match="purchases.csv: not a regular file"):
            cm.load_dataset(tmp_path / "purchases.csv")

    def test_paths_the_system_refuses(self, tmp_path, monkeypatch):
        with pytest.raises(cm.DataFileError, match="cannot read it: File name too long"):
            cm.load_dataset("x" * 300)
        write(tmp_path, "facts", "meta,capex,2030,1,,USD,,reported,caijing,")

        def refuse(_self):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "iterdir", refuse)  # an unreadable folder, even for a user who may read anything
        with pytest.raises(cm.DataFileError, match=": cannot read it: Permission denied"):
            cm.load_dataset(tmp_path)


class TestReviewedLoading:
    """Data files that loaded a wrong number, or lost part of a row, without an error."""

    @pytest.mark.parametrize(
        ("amount", "unit"),
        [("5亿", "亿"), ("5 billion", "million"), ("23万", "万"), ("1.5万亿", "billion")],
    )
    def test_a_scale_in_the_amount_and_another_in_the_unit_is_refused(self, tmp_path, amount, unit):
        write(tmp_path, "facts", f"meta,capex,2023,{amount},{unit},USD,,reported,caijing,")
        assert problems_of(tmp_path) == [
            (
                f"line 2, field 'amount': {amount!r} has a scale of its own and the unit column gives {unit!r}:"
                " write the scale in one of them"
            )
        ]

    @pytest.mark.parametrize("unit", ["\uff10", "0亿", ".5亿", "-亿", "亿 2"])  # \uff10 is a full-width zero
    def test_a_unit_is_a_scale_word_and_nothing_else(self, tmp_path, unit):
        write(tmp_path, "facts", f"meta,capex,2023,5,{unit},USD,,reported,caijing,")
        assert problems_of(tmp_path) == [
            (
                "line 2, field 'unit': a unit is scale words such as 亿, 万, 百万, million, mn, billion, bn, thousand"
                f" or the letters K, M, B, T (or nothing), got {unit!r}"
            )
        ]

    def test_a_chip_count_is_scaled_once(self, tmp_path):
        write(tmp_path, "purchases", "baidu,H20,2万,万,2024,omdia")
        assert problems_of(tmp_path)[0].startswith("line 2, field 'quantity': '2万' has a scale of its own")
        write(tmp_path, "purchases", "baidu,H20,2万,,2024,omdia")
        assert cm.load_dataset(tmp_path).purchases[-1].quantity == 20000

    def test_a_scale_written_once_still_reads(self, tmp_path):
        write(
            tmp_path,
            "facts",
            "meta,capex,2023,272.66,亿,USD,,reported,caijing,",
            "meta,revenue,2023,1349亿,,USD,,reported,caijing,",
        )
        ds = cm.load_dataset(tmp_path)
        assert ds.fact("meta", "capex", "2023").value.amount == 27266 * 10**6
        assert ds.fact("meta", "revenue", "2023").value.amount == 1349 * 10**8

    def test_a_derived_fact_is_about_its_inputs_company_metric_and_segment(self, tmp_path):
        write_facts(
            tmp_path,
            *(f"q{q},amazon,revenue,2023-Q{q},1,million,USD,,reported,caijing,,,,,," for q in range(1, 5)),
            ",baidu,revenue,2023,4,million,USD,sum,derived,caijing,,q1 q2 q3 q4,calendarize,,,",
            ",amazon,capex,2023,4,million,USD,sum,derived,caijing,,q1 q2 q3 q4,calendarize,,,",
            ",amazon,revenue,2023,4,million,USD,sum,derived,caijing,,q1 q2 q3 q4,calendarize,,,cloud",
            "m,china-mobile,capex,2023,723,亿,CNY,,reported,caijing,,,,,,compute",
            ",china-mobile,capex,2023,100,亿,USD,,derived,caijing,,m,convert,,,",
        )
        problems = problems_of(tmp_path)
        assert problems == [
            (
                "line 6, field 'inputs': a fact derived from amazon revenue over 2023-Q1, amazon revenue over 2023-Q2,"
                " amazon revenue over 2023-Q3, amazon revenue over 2023-Q4 is about amazon, got baidu"
            ),
            (
                "line 7, field 'inputs': a fact derived from amazon revenue over 2023-Q1, amazon revenue over 2023-Q2,"
                " amazon revenue over 2023-Q3, amazon revenue over 2023-Q4 measures revenue, got capex"
            ),
            (
                "line 8, field 'inputs': a fact derived from amazon revenue over 2023-Q1, amazon revenue over 2023-Q2,"
                " amazon revenue over 2023-Q3, amazon revenue over 2023-Q4 covers the whole company,"
                " got segment 'cloud'"
            ),
            (
                "line 10, field 'inputs': a fact derived from china-mobile capex over 2023 covers segment 'compute',"
                " got the whole company"
            ),
        ]

    def test_a_derived_figure_is_what_its_inputs_give_to_the_digits_written(self, tmp_path):
        write_facts(
            tmp_path,
            *(f"q{q},amazon,revenue,2023-Q{q},1.4,million,USD,,reported,caijing,,,,,," for q in range(1, 5)),
            ",amazon,revenue,2023,56,million,USD,ten times,derived,caijing,,q1 q2 q3 q4,calendarize,,,",
            "y,baidu,capex,2023,1,亿,CNY,,reported,caijing,,,,,,",
            ",baidu,capex,2023,5,亿,CNY,same currency,derived,caijing,,y,convert,,,",
        )
        assert problems_of(tmp_path) == [
            (
                "line 6, field 'amount': 56 million USD is not what its inputs give: the calendarization gives"
                " 5600000 USD over 2023, which is 6 million to the digits written"
            ),
            (
                "line 8, field 'amount': 5亿 CNY is not what its input gives: the conversion gives"
                " 100000000 CNY over 2023, which is 1亿 to the digits written"
            ),
        ]
        write_facts(
            tmp_path,
            *(f"q{q},amazon,revenue,2023-Q{q},1.4,million,USD,,reported,caijing,,,,,," for q in range(1, 5)),
            ",amazon,revenue,2023,6,million,USD,rounded,derived,caijing,,q1 q2 q3 q4,calendarize,,,",
            ",amazon,revenue,2023,5.6,million,USD,exact,derived,caijing,,q1 q2 q3 q4,calendarize,,,",
        )
        ds = cm.load_dataset(tmp_path)
        assert [fact.value.amount for fact in ds.select(company="amazon", period="2023", metric="revenue")] == [
            6 * 10**6,
            Decimal("5.6") * 10**6,
        ]

    def test_a_statement_cites_one_source(self, tmp_path):
        write(tmp_path, "statements", "k,1,x,a,b,caijing omdia")
        assert problems_of(tmp_path) == ["line 2, field 'source': expected one source id, got 'caijing omdia'"]

    def test_a_row_cites_each_source_once_and_their_order_is_no_new_fact(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2023,1,亿,USD,,reported,caijing caijing,")
        assert problems_of(tmp_path) == ["line 2, field 'sources': the source 'caijing' is cited twice"]
        write(
            tmp_path,
            "facts",
            "meta,capex,2023,1,亿,USD,,reported,caijing zheshang,",
            "meta,capex,2023,2,亿,USD,,reported,zheshang caijing,",
        )
        assert problems_of(tmp_path) == ["line 3: a duplicate fact: meta capex over 2023 (no basis)"]

    def test_a_counted_period_that_is_the_period_names_its_field(self, tmp_path):
        write_facts(tmp_path, ",baidu,revenue,2023,1,亿,CNY,,reported,caijing,,,,,2023,")
        assert problems_of(tmp_path) == [
            (
                "line 2, field 'counted_as': counted_as is for a period other than the one the value covers,"
                " got 2023 for both"
            )
        ]

    def test_an_input_that_could_not_be_read_is_not_called_unknown(self, tmp_path):
        write_facts(
            tmp_path,
            "a,baidu,revenue,2023,x,亿,CNY,,reported,caijing,,,,,,",
            ",baidu,revenue,2023,1,亿,USD,,derived,caijing,,a,convert,,,",
        )
        assert problems_of(tmp_path)[1] == ("line 3, field 'inputs': the input 'a' (line 2) has problems of its own")

    def test_derivations_nest_only_so_deep(self, tmp_path):
        deepest = MAX_DERIVATION_DEPTH
        rows = ["r0,meta,capex,2023,1,million,USD,b0,reported,caijing,,,,,,"]
        rows += [
            f"r{i},meta,capex,2023,1,million,USD,b{i},derived,caijing,,r{i - 1},calendarize,,,"
            for i in range(1, deepest + 2)
        ]
        write_facts(tmp_path, *rows)  # each row's input comes first
        assert problems_of(tmp_path) == [
            (
                f"line {deepest + 3}, field 'inputs': derived facts nest at most {deepest} deep;"
                f" this one nests deeper (r{deepest + 1} -> r{deepest} -> r{deepest - 1} -> ...)"
            )
        ]
        long = [rows[0]] + [
            f"r{i},meta,capex,2023,1,million,USD,b{i},derived,caijing,,r{i - 1},calendarize,,," for i in range(1, 3000)
        ]
        write_facts(tmp_path, *reversed(long))  # each row's input comes after it, far deeper than Python recurses
        assert problems_of(tmp_path) == [
            (
                f"line {len(long) + 1 - (deepest + 1)}, field 'inputs': derived facts nest at most {deepest} deep;"
                f" this one nests deeper (r{deepest + 1} -> r{deepest} -> r{deepest - 1} -> ...)"
            )
        ]
        write_facts(tmp_path, *rows[:-1])
        deep = cm.load_dataset(tmp_path).fact("meta", "capex", "2023", basis=f"b{deepest}")
        assert DS.recompute(deep).value.amount == 10**6

    def test_replace_is_true_or_false(self, tmp_path):
        write(tmp_path, "facts", "meta,capex,2023,1,亿,USD,,reported,caijing,")
        with pytest.raises(cm.InvalidValueError, match="replace must be True or False, got 'no'"):
            cm.load_dataset(tmp_path, replace="no")  # type: ignore[arg-type]

    def test_a_load_that_fails_declares_no_metric(self, tmp_path):
        write(tmp_path, "metrics", "capexx_review,no,a typo of capex")
        write(tmp_path, "facts", "meta,capex,2023,x,亿,USD,,reported,caijing,")
        problems_of(tmp_path)
        with pytest.raises(cm.UnknownMetricError):
            cm.Metric("capexx_review")
        write(tmp_path, "facts", "meta,capexx_review,2023,1,亿,USD,,reported,caijing,")
        assert cm.load_dataset(tmp_path).facts[-1].metric == "capexx_review"
        assert cm.Metric("capexx_review").definition.description == "a typo of capex"

    def test_a_load_that_fails_keeps_the_metrics_declared_before(self, tmp_path):
        cm.Metric.declare("kept_review", may_be_negative=False)
        write(tmp_path, "metrics", "kept_review,no,declared before")
        write(tmp_path, "facts", "meta,capex,2023,x,亿,USD,,reported,caijing,")
        problems_of(tmp_path)
        assert cm.Metric("kept_review") == "kept_review"


class TestEveryPath:
    def test_blank_rows_and_other_files_in_the_folder_are_passed_over(self, tmp_path):
        write(tmp_path, "facts", ",,,,,,,,,", "meta,capex,2023,1,亿,USD,,reported,caijing,", " , ,,,,,,,,")
        (tmp_path / "README.txt").write_text("notes, not data", encoding="utf-8")
        assert cm.load_dataset(tmp_path).fact("meta", "capex", "2023").value.amount == 10**8

    def test_groups_are_checked_row_by_row(self, tmp_path):
        write(
            tmp_path,
            "groups",
            "bad id,G,G,amazon,",
            "us-five,G,G,amazon,",
            "g1,G,G,amazon openai,",
            "g2,G,G,amazon,caijing omdia",
            "g3,G,G,amazon amazon,",
            "g4,Four,四,amazon meta,caijing",
        )
        assert problems_of(tmp_path) == [
            "line 2, field 'id': a group id is letters, digits, '-' and '_', got 'bad id'",
            "line 3, field 'id': the group 'us-five' is defined twice",
            "line 4, field 'members': unknown companies 'openai'",
            "line 5, field 'source': expected one source id, got 'caijing omdia'",
            "line 6, field 'members': a group names each company once, got amazon more than once",
        ]
        write(tmp_path, "groups", "g4,Four,四,amazon meta,caijing")
        assert cm.load_dataset(tmp_path).group("g4").members == ("amazon", "meta")

    def test_a_conversion_has_one_input(self, tmp_path):
        write_facts(
            tmp_path,
            "a,baidu,revenue,2024,1,亿,CNY,,reported,caijing,,,,,,",
            "b,baidu,revenue,2024,2,亿,CNY,x,reported,caijing,,,,,,",
            ",baidu,revenue,2024,1,亿,USD,,derived,caijing,,a b,convert,,,",
        )
        assert problems_of(tmp_path) == ["line 4, field 'inputs': a conversion has one input, got 2"]


class TestCompanyCik:
    def test_the_optional_cik_column_is_read_with_leading_zeros(self, tmp_path):
        path = tmp_path / "companies.csv"
        rows = "acme,Acme,阿克米,US,USD,12,ACME,0000320193\nbeta,Beta,贝塔,US,USD,12,,\n"
        path.write_text(HEADERS["companies"] + ",cik\n" + rows)
        ds = cm.load_dataset(path)
        assert ds.company("acme").cik == 320193
        assert ds.company("beta").cik is None

    @pytest.mark.parametrize("cik", ["12a", "-5", "\u00b9\u00b2", "\uff11\uff12", "0"])
    def test_a_malformed_cik_names_the_line_and_field(self, tmp_path, cik):
        path = tmp_path / "companies.csv"
        path.write_text(HEADERS["companies"] + f",cik\nacme,Acme,阿克米,US,USD,12,ACME,{cik}\n")
        with pytest.raises(cm.DataFileError, match=r"companies.csv, line 2, field 'cik': a CIK is"):
            cm.load_dataset(path)


class TestCompanyFactsWithReplace:
    """With ``replace=True`` the files are the whole dataset: company facts borrow nothing from the embedded data."""

    FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "sec" / "CIK0001652044.json"

    def test_a_company_facts_file_alone_does_not_borrow_the_embedded_company(self, tmp_path):
        (tmp_path / self.FIXTURE.name).write_bytes(self.FIXTURE.read_bytes())
        alone = cm.load_dataset(tmp_path, replace=True)
        assert [(c.id, c.name_en) for c in alone.companies] == [("alphabet-inc", "ALPHABET INC.")]
        # The same as beside a companies file that does not define it: the result does not depend on other rows.
        write(tmp_path, "companies", "acme,Acme,阿克米,US,USD,12,ACME")
        beside = cm.load_dataset(tmp_path, replace=True)
        assert [c.id for c in beside.companies] == ["acme", "alphabet-inc"]
        assert beside.fact("alphabet-inc", "capex", Y24) == alone.fact("alphabet-inc", "capex", Y24)


def test_a_cik_of_more_than_ten_digits_is_refused_even_with_leading_zeros(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_text(
        HEADERS["companies"] + ",cik\nacme,Acme,阿克米,US,USD,12,ACME,00000000001652044\n", encoding="utf-8"
    )
    with pytest.raises(cm.DataFileError, match=r"field 'cik': a CIK is .* at most ten ASCII digits"):
        cm.load_dataset(path)
