"""Forgiving, never guessing, inputs: file kinds by header, minimal facts, units, fiscal labels, split numbers."""

import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._model.scale import LETTERS, scale_factor, scale_words, unit_words
from capexmodel._sources import loading as _loading
from tests import strategies as cst

Y24 = cm.CalendarYear(2024)
MINIMAL = "company,metric,period,amount,currency"


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(cm.DataFileError) as caught:
        cm.load_dataset(path)
    return list(caught.value.problems)


class TestKindFromHeader:
    def test_a_file_of_any_name_is_read_by_its_header(self, tmp_path):
        mine = write(tmp_path / "mine.csv", MINIMAL, "meta,capex,2023,28.1,USD")
        ds = cm.load_dataset(mine)
        assert ds.fact("meta", "capex", "2023", source="file:mine.csv").value.amount == Decimal("28.1")

    def test_files_of_any_names_in_a_folder_and_two_of_one_kind(self, tmp_path):
        write(tmp_path / "my rates.csv", "base,quote,rate,window,source", "USD,CNY,7.1,2023,caijing")
        write(tmp_path / "a.csv", MINIMAL, "meta,capex,2023,28.1,USD")
        write(tmp_path / "b.csv", MINIMAL, "meta,revenue,2023,1.5,USD")
        ds = cm.load_dataset(tmp_path)
        assert len(ds.rates.rates) == 2
        assert ds.fact("meta", "revenue", "2023", source="file:b.csv").value.amount == Decimal("1.5")
        assert ds.fact("meta", "capex", "2023", source="file:a.csv").sources == (ds.sources["file:a.csv"],)

    def test_a_record_of_empty_cells_before_the_header_is_passed_over(self, tmp_path):
        mine = write(tmp_path / "mine.csv", ",,,,", MINIMAL, "meta,capex,2023,28.1,USD")
        assert cm.load_dataset(mine).fact("meta", "capex", "2023").value.amount == Decimal("28.1")

    def test_a_header_that_fits_no_kind_names_file_header_and_every_kind(self, tmp_path):
        mine = write(tmp_path / "mine.csv", "company,metric,amount", "meta,capex,1")
        (problem,) = problems(mine)
        assert problem.startswith(f"{mine}: cannot tell what the file holds from its header (company, metric, amount)")
        assert "it fits no kind of data file" in problem
        assert "; facts needs company, metric, period, amount, currency (and optionally unit, basis," in problem
        assert "; rates needs base, quote, rate, window, source" in problem

    def test_a_header_that_fits_two_kinds_is_an_error(self, tmp_path, monkeypatch):
        monkeypatch.setitem(_loading.COLUMNS, "twins", _loading.COLUMNS["rates"])
        mine = write(tmp_path / "mine.csv", "base,quote,rate,window,source")
        (problem,) = problems(mine)
        assert "it fits rates and twins alike" in problem

    def test_a_known_name_keeps_its_kind_whatever_the_header(self, tmp_path):
        rates = write(tmp_path / "rates.csv", MINIMAL)
        assert "the header has missing 'base'" in problems(rates)[0]

    @pytest.mark.parametrize(
        ("content", "why"),
        [
            (b"", "the file is empty"),
            (b"# only a comment\n", "the file is empty"),
            (b"\xff\xfe", "the file is not UTF-8 text"),
            (b'"' + b"x" * 200_000 + b'"\n', "the file is empty"),  # a field larger than csv's limit
        ],
    )
    def test_a_file_without_a_header(self, tmp_path, content, why):
        mine = tmp_path / "mine.csv"
        mine.write_bytes(content)
        (problem,) = problems(mine)
        assert why in problem
        assert problem.endswith("cannot tell what it holds from its name or its header")

    def test_every_unknown_file_of_a_folder_is_reported(self, tmp_path):
        write(tmp_path / "a.csv", "x")
        write(tmp_path / "b.csv", "y")
        assert [problem.split(": ", 1)[0] for problem in problems(tmp_path)] == [
            str(tmp_path / "a.csv"),
            str(tmp_path / "b.csv"),
        ]

    def test_a_file_that_is_not_csv_or_json(self, tmp_path):
        other = write(tmp_path / "notes.txt", MINIMAL)
        assert "not a data file; expected a CSV file (.csv) or SEC company facts (.json)" in problems(other)[0]


class TestMinimalFacts:
    def test_five_columns_are_enough_and_the_defaults_say_so(self, tmp_path):
        mine = write(tmp_path / "mine.csv", MINIMAL, "meta,capex,2023,28.1,USD")
        fact = cm.load_dataset(mine).fact("meta", "capex", "2023", source="file:mine.csv")
        assert fact.status is cm.Status.ESTIMATE
        assert fact.basis == "as given"
        assert fact.sources == (cm.Source("file:mine.csv", "a data file without a sources column"),)
        assert fact.note == (
            "the file has no basis, status, sources column; taken: basis 'as given', status 'estimate',"
            " the file itself as its source"
        )
        assert fact.value == cm.Money("28.1", "USD", cm.CalendarYear(2023))

    def test_a_column_given_is_not_defaulted_and_a_note_is_kept(self, tmp_path):
        mine = write(tmp_path / "mine.csv", MINIMAL + ",status,note", "meta,capex,2023,28.1,USD,reported,from a slide")
        fact = cm.load_dataset(mine).fact("meta", "capex", "2023", source="file:mine.csv")
        assert fact.status is cm.Status.REPORTED
        assert fact.note == (
            "from a slide; the file has no basis, sources column; taken: basis 'as given',"
            " the file itself as its source"
        )

    def test_a_full_file_takes_no_default(self, tmp_path):
        header = MINIMAL + ",unit,basis,status,sources,market"
        mine = write(tmp_path / "mine.csv", header, "meta,capex,2023,28.1,USD,亿,,reported,caijing,")
        fact = cm.load_dataset(mine).fact("meta", "capex", "2023", source="caijing")
        assert (fact.note, fact.basis, fact.value.amount) == ("", "", Decimal(2810000000))
        assert "file:mine.csv" not in cm.load_dataset(mine).sources

    @given(
        rows=st.lists(
            st.tuples(st.sampled_from(["meta", "amazon", "baidu"]), st.integers(1990, 2100), cst.positive_amounts),
            min_size=1,
            max_size=8,
            unique_by=lambda row: row[:2],
        )
    )
    def test_any_minimal_facts_table_loads_to_its_amounts(self, rows):
        with tempfile.TemporaryDirectory() as folder:
            lines = [f"{company},capex,{year},{amount:f},USD" for company, year, amount in rows]
            ds = cm.load_dataset(write(Path(folder) / "mine.csv", MINIMAL, *lines))
        for company, year, amount in rows:
            fact = ds.fact(company, "capex", str(year), source="file:mine.csv")
            assert fact.value.amount == amount
            assert fact.value.currency == cm.Currency("USD")


class TestUnits:
    @pytest.mark.parametrize(
        ("unit", "factor"),
        [
            ("M", 10**6),
            ("mn", 10**6),
            ("million", 10**6),
            ("Millions", 10**6),
            ("B", 10**9),
            ("bn", 10**9),
            ("BILLIONS", 10**9),
            ("K", 10**3),
            ("thousands", 10**3),
            ("千", 10**3),
            ("万", 10**4),
            ("百万", 10**6),
            ("百萬", 10**6),
            ("亿", 10**8),
            ("億", 10**8),
            ("万亿", 10**12),
            ("萬億", 10**12),
            ("千亿", 10**11),
            ("thousand million", 10**9),
        ],
    )
    def test_a_scale_in_the_unit_column(self, tmp_path, unit, factor):
        mine = write(tmp_path / "mine.csv", MINIMAL + ",unit", f"meta,capex,2023,12.5,USD,{unit}")
        fact = cm.load_dataset(mine).fact("meta", "capex", "2023", source="file:mine.csv")
        assert fact.value.amount == Decimal("12.5") * factor

    @pytest.mark.parametrize("letter", ["m", "k", "b", "t"])
    def test_a_lower_case_letter_is_ambiguous_and_the_message_says_what_to_write(self, tmp_path, letter):
        mine = write(tmp_path / "mine.csv", MINIMAL + ",unit", f"meta,capex,2023,1,USD,{letter}")
        (problem,) = problems(mine)
        word = LETTERS[letter.upper()]
        assert problem.endswith(
            f"line 2, field 'unit': a unit of {letter!r} is ambiguous (a lower-case letter may be a unit of"
            f" measure, m milli): write {letter.upper()!r} or {word!r}"
        )

    @given(
        word=st.sampled_from([*scale_words(), *LETTERS]),
        amount=st.decimals(min_value=0, max_value=10**6, places=3, allow_nan=False, allow_infinity=False),
    )
    def test_any_scale_word_in_the_unit_column_gives_amount_times_factor(self, word, amount):
        factor = scale_factor(LETTERS.get(word, word))
        with tempfile.TemporaryDirectory() as folder:
            mine = write(Path(folder) / "mine.csv", MINIMAL + ",unit", f"meta,capex,2023,{amount},USD,{word}")
            fact = cm.load_dataset(mine).fact("meta", "capex", "2023", source="file:mine.csv")
        assert fact.value.amount == amount * factor

    def test_unit_words_are_the_first_spellings(self):
        assert unit_words("M") == unit_words("millions") == unit_words("MN") == "million"
        assert unit_words("千 亿") == unit_words("千亿") == "千亿"
        assert unit_words("  ") == ""

    @pytest.mark.parametrize("unit", ["meter", "亿x", "x亿", "MM"])
    def test_anything_else_is_not_a_unit(self, unit):
        with pytest.raises(cm.InvalidValueError, match="a unit is scale words such as"):
            unit_words(unit)

    def test_a_derived_row_with_a_letter_unit_is_checked_to_its_digits(self, tmp_path):
        header = "id," + MINIMAL + ",unit,status,inputs,derivation"
        mine = write(
            tmp_path / "mine.csv",
            header,
            "a,meta,capex,2023-H1,10,USD,B,estimate,,",
            "b,meta,capex,2023-H2,12,USD,B,estimate,,",
            "c,meta,capex,2023,23,USD,B,estimate,a b,calendarize",
        )
        (problem,) = problems(mine)
        assert "line 4, field 'amount': 23 billion USD is not what its inputs give" in problem


class TestFiscalLabels:
    def test_fiscal_labels_in_the_period_column_follow_the_company_calendar(self, tmp_path):
        mine = write(
            tmp_path / "mine.csv",
            MINIMAL,
            "microsoft,capex,FY2025,64.6,USD",
            "microsoft,revenue,FY2025-Q1,65.6,USD",
            "microsoft,net_income,FY2025-H2,50,USD",
            "meta,capex,FY2023,28.1,USD",
        )
        ds = cm.load_dataset(mine)
        got = {
            (fact.company.id, fact.metric): fact.value.period
            for fact in ds.facts
            if fact.sources == (ds.sources["file:mine.csv"],)
        }
        assert got == {
            ("microsoft", "capex"): cm.Period.parse("2024-07/2025-06"),
            ("microsoft", "revenue"): cm.Period.parse("2024-Q3"),
            ("microsoft", "net_income"): cm.Period.parse("2025-H1"),
            ("meta", "capex"): cm.Period.parse("2023"),
        }

    def test_a_fiscal_label_without_a_company_or_in_lower_case(self, tmp_path):
        mine = write(tmp_path / "mine.csv", MINIMAL, "openai,capex,FY2025,1,USD", "meta,capex,fy2025,1,USD")
        found = [problem.split("mine.csv, ", 1)[1] for problem in problems(mine)]
        assert found == [
            "line 2, field 'company': unknown company 'openai'; expected one of the companies' ids",
            (
                "line 2, field 'period': cannot read a period from 'FY2025' alone: a fiscal label's months depend"
                " on the company's fiscal calendar; read it with one, as in"
                " FiscalCalendar(year_end_month=6).parse('FY2025'), or write the months, as in '2024-07/2025-06'"
            ),
            "line 3, field 'period': cannot read a period from 'fy2025': write a fiscal label in capitals, 'FY2025'",
        ]

    def test_period_parse_alone_refuses_a_fiscal_label_saying_what_to_do(self):
        with pytest.raises(cm.InvalidPeriodError, match=r"'FY2025-Q1' alone: .* FiscalCalendar\(year_end_month=6\)"):
            cm.Period.parse("FY2025-Q1")

    @pytest.mark.parametrize(
        ("label", "reason"),
        [
            ("FY2025-Q5", "quarter must be a whole number from 1 to 4, got 5"),
            ("FY2025-H3", "half must be a whole number from 1 to 2, got 3"),
            ("FY0000", "year must be a whole number from 1 to 9999, got 0"),
            ("Fy2025-q1", "write a fiscal label in capitals, 'FY2025-Q1'"),
        ],
    )
    def test_a_malformed_fiscal_label(self, label, reason):
        with pytest.raises(cm.InvalidPeriodError, match=f"^cannot read a period from '{label}': {reason}$"):
            cm.FiscalCalendar(year_end_month=3).parse(label)

    @given(calendar=cst.fiscal_calendars, year=st.integers(1991, 2100), quarter=st.integers(1, 4))
    def test_a_fiscal_label_is_the_calendar_s_period(self, calendar, year, quarter):
        assert calendar.parse(f"FY{year}") == calendar.year(year)
        assert calendar.parse(f"FY{year}-Q{quarter}") == calendar.quarter(year, quarter)
        assert calendar.parse(f"FY{year}-H{(quarter + 1) // 2}") == calendar.half(year, (quarter + 1) // 2)

    def test_other_labels_read_as_period_parse_reads_them(self):
        calendar = cm.FiscalCalendar(year_end_month=6)
        assert calendar.parse("2024-Q3") == cm.Period.parse("2024-Q3")
        with pytest.raises(cm.InvalidPeriodError, match="expected a label such as"):
            calendar.parse(2024)  # type: ignore[arg-type]


class TestThousandsSeparator:
    def test_an_unquoted_thousands_separator_is_named_with_the_fix(self, tmp_path):
        write(tmp_path / "facts.csv", "company,metric,period,amount,currency", "amazon,capex,2024,10,952,USD")
        (problem,) = problems(tmp_path)
        assert problem.endswith(
            'facts.csv, line 2: the amount 10,952 looks split by its thousands separator: quote it ("10,952")'
            " or write 10952"
        )

    def test_several_separators_a_fraction_and_a_sign(self, tmp_path):
        header = "company,metric,period,amount,currency,note"
        write(tmp_path / "facts.csv", header, "meta,net_income,2024,-1,234,567.5,USD,")
        (problem,) = problems(tmp_path)
        assert "the amount -1,234,567.5 looks split by its thousands separator" in problem
        assert 'quote it ("-1,234,567.5") or write -1234567.5' in problem

    def test_a_chip_quantity_split_too(self, tmp_path):
        write(tmp_path / "purchases.csv", "buyer,chip,quantity,unit,period,source", "meta,H100,224,000,,2024,omdia")
        assert "the quantity 224,000 looks split by its thousands separator" in problems(tmp_path)[0]

    @pytest.mark.parametrize(
        "row",
        [
            "amazon,capex,2024,10,95,USD",  # not three digits after the comma
            "amazon,capex,2024,1000,952,USD",  # four digits before it
            "amazon,capex,2024,10,USD,extra",  # the field after the amount is not digits
            "amazon,capex,2024",  # too few fields
        ],
    )
    def test_a_row_that_is_not_a_split_number_says_how_many_fields(self, tmp_path, row):
        write(tmp_path / "facts.csv", MINIMAL, row)
        (problem,) = problems(tmp_path)
        assert problem.endswith(f"line 2: expected 5 fields, got {len(row.split(','))}")

    def test_a_file_without_a_number_column_says_how_many_fields(self, tmp_path):
        write(tmp_path / "metrics.csv", "name,may_be_negative,description", "ai_revenue,no,1,000")
        assert problems(tmp_path)[0].endswith("line 2: expected 3 fields, got 4")
