"""The report as one tidy table: `Report.rows`, the command's CSV and JSON, --year, --companies, exit statuses."""

import html.parser
import io
import json
import subprocess
import sys
from decimal import Decimal

import attrs
import pandas as pd
import pytest

import capexmodel as cm
from capexmodel._present.cli import main
from capexmodel._present.report import COLUMNS

Y24 = cm.CalendarYear(2024)


def run(capsys, *arguments):
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_exactly(text):
    """The CSV as text cells, values as Decimals: how an analyst reads it without losing a digit."""
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    table["value"] = table["value"].map(Decimal)
    return table


def only(table, **where):
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    assert mask.sum() == 1, where
    return table[mask].iloc[0]


# The tidy CSV ---------------------------------------------------------------------------


def test_pandas_reads_the_csv_and_finds_the_headline_totals(capsys):
    status, out, _ = run(capsys, "report", "--format", "csv", "--locale", "en_US")
    assert status == 0
    table = read_exactly(out)
    assert list(table.columns) == list(COLUMNS)
    ds = cm.load_dataset()
    us = ds.total("capex", period=Y24, group="us-five", currency="USD").value
    china = ds.total("capex", period=Y24, group="china-seven", currency="USD").value
    us_row = only(table, section="capex_by_region", company="us-five", metric="capex")
    china_row = only(table, section="capex_by_region", company="china-seven", metric="capex")
    assert us_row["value"] == us.amount
    assert china_row["value"] == china.amount  # every digit, not 446亿 rounded
    assert (us_row["currency"], us_row["unit"], us_row["period"]) == ("USD", "USD", "2024")
    # The article's headline figures, written from the values read back: 2580亿美元 and 446亿美元.
    assert cm.format_money(cm.Money(us_row["value"], "USD", Y24), locale="zh_CN") == "2580亿美元"
    assert cm.format_money(cm.Money(china_row["value"], "USD", Y24), locale="zh_CN") == "446亿美元"
    assert us_row["value"] / 10**9 == Decimal("258.0")
    ratio = only(table, metric="capex_ratio")
    assert ratio["company"] == "us-five/china-seven"
    assert ratio["value"] == us.amount / china.amount
    assert ratio["unit"] == "times"


def test_the_csv_values_are_plain_exact_decimals(capsys):
    out = run(capsys, "report", "--format", "csv")[1]
    loose = pd.read_csv(io.StringIO(out))  # read as pandas reads by default
    assert loose["value"].dtype.kind == "f"  # numbers, not text: no separators, no units in the cells
    assert not loose["value"].isna().any()
    cells = pd.read_csv(io.StringIO(out), dtype=str, keep_default_na=False)["value"]
    assert cells.str.fullmatch(r"-?[0-9]+(\.[0-9]+)?").all()  # no exponent, no comma, no space
    table = read_exactly(out)
    money = table[table["currency"] != ""]
    assert (money["unit"] == money["currency"]).all()
    assert set(table["unit"]) <= {
        "USD",
        "CNY",
        "fraction",
        "times",
        "chips",
        "H100-equivalents",
        "rank",
        "CNY per USD",
        "signals",
    }
    assert set(table["status"]) <= {"reported", "derived", "estimate", "guidance"}
    keys = table[["section", "company", "metric", "period", "currency", "basis"]]
    assert not keys.duplicated().any()  # one observation per row, each told apart by its columns


def test_every_section_with_numbers_is_in_the_csv(capsys):
    table = read_exactly(run(capsys, "report", "--format", "csv")[1])
    assert set(table["section"]) == {
        "capex_2024",
        "capex_by_region",
        "hopper_2024",
        "intensity_2024",
        "capex_growth_q4_2024",
        "projections_2025",
        "bubble_risk_2024",
    }
    ds = cm.load_dataset()
    tencent = ds.fact("tencent", "capex", cm.CalendarQuarter(2024, 4), whole_company=True)
    growth = only(table, section="capex_growth_q4_2024", company="tencent", metric="capex_growth")
    assert growth["value"] == ds.growth("tencent", "capex", cm.CalendarQuarter(2024, 4), whole_company=True)
    q4 = only(table, section="capex_growth_q4_2024", company="tencent", metric="capex", period="2024-Q4")
    assert (q4["value"], q4["currency"]) == (tencent.value.amount, "CNY")
    intensity = only(table, section="intensity_2024", company="meta", metric="capex_intensity")
    assert intensity["value"] == ds.intensity("meta", Y24)
    oracle = only(table, section="capex_2024", company="oracle")
    assert oracle["period"] == "2024-03/2025-02"  # what the figure covers; the note says it counts as 2024
    assert "counts as 2024" in oracle["note"]
    bytedance = table[(table["section"] == "hopper_2024") & (table["company"] == "bytedance")]
    article = only(bytedance, metric="h100_equivalents_article")
    assert (article["basis"], round(article["value"])) == ("H20", 76667)
    assert only(bytedance, metric="chips")["value"] == 230000
    projected = table[(table["section"] == "projections_2025") & (table["company"] == "bytedance")]
    assert set(zip(projected["currency"], projected["value"], strict=True)) == {
        ("CNY", Decimal(160000000000)),
        ("USD", Decimal(160000000000) / Decimal("7.230")),
    }
    meta = table[(table["section"] == "bubble_risk_2024") & (table["company"] == "meta")]
    score = only(meta, metric="bubble_risk_score")
    assessment = ds.bubble_risk(Y24, company="meta")
    assert score["value"] == assessment.score
    firing = only(meta, metric="bubble_risk_signals_firing")["value"]
    known = only(meta, metric="bubble_risk_signals_known")["value"]
    assert (firing, known) == (sum(bool(s.fires) for s in assessment.signals), sum(s.known for s in assessment.signals))
    assert only(meta, metric="bubble_risk_signals")["value"] == len(assessment.signals)
    assert score["value"] == firing / known  # every signal weighs the same in the report
    assert score["note"] == "2 of the 5 known signals fire: capex / depreciation, capex / revenue"
    assert "bubble_risk_coverage" not in set(table["metric"])
    rate = only(table, metric="exchange_rate")
    assert (rate["value"], rate["unit"], rate["basis"]) == (Decimal("7.230"), "CNY per USD", "USD/CNY")


def test_csv_json_and_rows_are_the_same_rows(capsys):
    csv_rows = pd.read_csv(
        io.StringIO(run(capsys, "report", "--format", "csv")[1]), dtype=str, keep_default_na=False
    ).to_dict("records")
    document = json.loads(run(capsys, "report", "--format", "json")[1])
    assert document["columns"] == list(COLUMNS)
    assert document["rows"] == csv_rows
    assert (document["year"], document["companies"]) == (2024, None)
    report = cm.build_report(cm.load_dataset(), "en_US")
    assert [{**attrs.asdict(row), "value": format(row.value, "f")} for row in report.rows()] == csv_rows


def test_the_csv_pipes_into_pandas():
    # The design's promise: capexmodel report --format csv --year 2024 | python -c "import pandas, sys; ..."
    command = [sys.executable, "-m", "capexmodel", "report", "--format", "csv", "--year", "2024"]
    report = subprocess.run(command, capture_output=True, check=True)
    reader = "import pandas, sys; t = pandas.read_csv(sys.stdin); print(len(t), sorted(t.columns) == sorted(%r))"
    read = subprocess.run(
        [sys.executable, "-c", reader % (list(COLUMNS),)], input=report.stdout, capture_output=True, check=True
    )
    count, same = read.stdout.decode().split()
    assert int(count) == len(cm.build_report(cm.load_dataset()).rows())
    assert same == "True"


# --year -----------------------------------------------------------------------------------


def test_another_year_is_computed_for_that_year(capsys):
    status, out, err = run(capsys, "report", "--format", "csv", "--year", "2023")
    assert status == 0, err
    table = read_exactly(out)
    assert set(table["section"]) <= {
        "capex_2023",
        "capex_by_region",
        "hopper_2023",
        "intensity_2023",
        "capex_growth_q4_2023",
        "projections_2024",
        "bubble_risk_2023",
    }
    alphabet = only(table, section="capex_2023", company="alphabet")
    assert alphabet["value"] == cm.load_dataset().fact("alphabet", "capex", cm.CalendarYear(2023)).value.amount
    assert "In Q4 2024, Tencent's capex growth ranked first" not in err  # the article's 2024 statements stay in 2024
    assert "capexmodel: note: capex_by_region: " in err
    shown = run(capsys, "report", "--year", "2023", "--locale", "en_US")[1]
    assert "2023 capex by company" in shown
    assert "2024 capex by company" not in shown
    assert "2024 capex projections" in shown  # the year after


def test_a_year_the_data_does_not_cover_names_the_years_it_has(capsys):
    status, out, err = run(capsys, "report", "--year", "2031")
    assert (status, out) == (1, "")
    assert err == (
        "capexmodel: the data has no reported or derived capex for 2031: the years it covers are 2023, 2024\n"
    )
    with pytest.raises(cm.InvalidValueError, match="years it covers are 2024$"):
        cm.build_report(cm.load_dataset(), year=2023, companies=["meta"])


@pytest.mark.parametrize("year", ["24", "\uff12\uff10\uff12\uff14", "2024.0", " 2024", "2_024", "-2024"])
def test_a_year_that_could_be_misread_is_a_usage_error(capsys, year):
    status, out, err = run(capsys, "report", "--year", year)
    assert (status, out) == (2, "")
    assert "expected a calendar year such as 2024" in err


@pytest.mark.parametrize("year", [True, "2024", 2024.0, Decimal(2024)])
def test_build_report_takes_a_year_as_an_int(year):
    with pytest.raises(cm.InvalidValueError, match="year must be a calendar year as an int"):
        cm.build_report(cm.load_dataset(), year=year)


def test_projections_follow_the_year():
    ds = cm.load_dataset()
    report = cm.build_report(ds, year=2023)
    projections = next(section for section in report.sections if section.key == "projections_2024")
    assert {row.period for row in projections.observations} == {"2024"}
    assert {row.status for row in projections.observations} == {"estimate"}  # what was expected, not spent
    assert not any("2025" in note for note in projections.notes)  # the article's 2025 notes stay in 2025


# --companies --------------------------------------------------------------------------------


def test_the_report_covers_only_the_companies_named(capsys):
    status, out, err = run(capsys, "report", "--format", "csv", "--companies", "meta, TENCENT")
    assert status == 0, err
    table = read_exactly(out)
    assert set(table["company"]) == {"meta", "tencent", "us-five", "china-seven", "us-five/china-seven", ""}
    ds = cm.load_dataset()
    meta = ds.fact("meta", "capex", Y24).value.amount
    assert only(table, section="capex_by_region", company="us-five", metric="capex")["value"] == meta
    us = only(table, section="capex_by_region", company="us-five", metric="capex")
    assert us["note"] == "adds up Meta"
    json_document = json.loads(run(capsys, "report", "--format", "json", "--companies", "tencent,meta")[1])
    assert json_document["companies"] == ["tencent", "meta"]


def test_companies_by_name_whatever_the_letter_case():
    ds = cm.load_dataset()
    by_names = cm.build_report(ds, companies=["META", "腾讯", ds.company("baidu")])
    assert by_names.companies == ("meta", "tencent", "baidu")


def test_unknown_companies_are_all_named(capsys):
    status, out, err = run(capsys, "report", "--companies", "meta,openai,anthropic")
    assert (status, out) == (1, "")
    assert err.startswith("capexmodel: unknown companies 'openai', 'anthropic': the dataset knows amazon, ")
    with pytest.raises(cm.UnknownCompanyError, match="^unknown company 'openai': ") as caught:
        cm.build_report(cm.load_dataset(), companies=["openai"])
    assert caught.value.name == "openai"
    with pytest.raises(cm.UnknownCompanyError, match="^unknown companies 'openai', 'anthropic': the dataset knows "):
        cm.build_report(cm.load_dataset(), companies=["meta", "openai", "anthropic"])


def test_a_company_named_twice_or_none_is_an_error(capsys):
    status, _, err = run(capsys, "report", "--companies", "meta,Meta")
    assert status == 1
    assert err == "capexmodel: --companies names meta more than once: each company counts once\n"
    with pytest.raises(cm.InvalidValueError, match="names no company"):
        cm.build_report(cm.load_dataset(), companies=[])
    with pytest.raises(cm.InvalidValueError, match="a list of companies"):
        cm.build_report(cm.load_dataset(), companies="meta")


@pytest.mark.parametrize("names", ["", "meta,", ",meta", "meta,,tencent", " "])
def test_an_empty_company_name_is_a_usage_error(capsys, names):
    status, out, err = run(capsys, "report", "--companies", names)
    assert (status, out) == (2, "")
    assert "an empty name" in err


def test_companies_limit_chips_and_projections():
    report = cm.build_report(cm.load_dataset(), companies=["bytedance"])
    assert {row.company for row in report.rows() if row.section in {"hopper_2024", "projections_2025"}} == {"bytedance"}
    no_tencent = cm.build_report(cm.load_dataset(), companies=["meta"])
    assert not any(row.company == "tencent" for row in no_tencent.rows())  # the Tencent rule is not applied


def test_totals_without_the_articles_groups_add_up_the_named_companies_by_region():
    ds = cm.load_dataset()
    plain = attrs.evolve(ds, groups=())
    report = cm.build_report(plain, companies=["meta", "amazon", "tencent"])
    totals = {row.company: row for row in report.rows() if row.metric == "capex" and row.section == "capex_by_region"}
    assert set(totals) == {"US", "CN"}
    assert (
        totals["US"].value == ds.total("capex", period=Y24, companies=["meta", "amazon"], currency="USD").value.amount
    )
    everyone = cm.build_report(plain)
    regions = {row.company for row in everyone.rows() if row.section == "capex_by_region"}
    assert regions == {"US", "CN", "US/CN", ""}


def test_a_tencent_rule_without_its_growth_statement_is_a_note():
    ds = cm.load_dataset()
    kept = tuple(statement for statement in ds.statements if statement.key != "tencent_2025_revenue_growth")
    report = cm.build_report(attrs.evolve(ds, statements=kept))
    projections = next(section for section in report.sections if section.key == "projections_2025")
    assert (
        "Tencent: the rule for its 2025 capex from its revenue needs its revenue growth for 2025" in projections.notes
    )
    assert not any(row.company == "tencent" for row in projections.observations)


# --version, --help, --output, --format html, --locale, exit statuses ------------------------------


def test_version(capsys):
    status, out, err = run(capsys, "--version")
    assert (status, out, err) == (0, f"capexmodel {cm.__version__}\n", "")


def test_help_documents_the_exit_statuses(capsys):
    for arguments in ([], ["report"]):
        status, out, _ = run(capsys, *arguments, "--help")
        assert status == 0
        assert "exit status:\n  0  success\n  1  an error in the data or the request" in out
        assert "2  a usage error" in out


def test_output_writes_a_file(capsys, tmp_path):
    path = tmp_path / "report.csv"
    status, out, _ = run(capsys, "report", "--format", "csv", "--output", str(path))
    assert (status, out) == (0, "")
    assert read_exactly(path.read_text(encoding="utf-8")).shape[0] == len(cm.build_report(cm.load_dataset()).rows())
    status, out, err = run(capsys, "report", "--output", str(tmp_path / "nowhere" / "report.txt"))
    assert (status, out) == (1, "")
    assert err.startswith("capexmodel: ")
    assert err.count("\n") == 1


class _Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.cells: list[str] = []
        self.titles: list[str] = []

    def handle_starttag(self, tag, _attrs):
        if tag not in {"meta", "!doctype"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open.pop() == tag  # well nested

    def handle_data(self, data):
        if self.open and self.open[-1] == "td":
            self.cells.append(data)
        if self.open and self.open[-1] in {"caption", "h2"}:  # a table's title: its caption, or the page's heading
            self.titles.append(data)


def test_html_is_well_formed_and_escaped(capsys, tmp_path):
    status, _, err = run(
        capsys, "report", "--locale", "zh_Hant_HK", "--format", "html", "--output", str(tmp_path / "r.html")
    )
    assert status == 0, err
    parser = _Tables()
    parser.feed((tmp_path / "r.html").read_text(encoding="utf-8"))
    parser.close()
    assert parser.open == []
    assert "2024年各公司資本支出" in parser.titles  # Hong Kong's Chinese: traditional characters
    assert "Meta" in parser.cells
    ds = cm.load_dataset()
    meta = ds.company("meta")
    odd = attrs.evolve(
        ds, companies=tuple(attrs.evolve(c, name_en="<b>Meta & co</b>") if c == meta else c for c in ds.companies)
    )
    from capexmodel._present.cli import render_html  # noqa: PLC0415

    page = render_html(cm.build_report(odd, "en_US"), odd)
    assert "&lt;b&gt;Meta &amp; co&lt;/b&gt;" in page
    assert "<b>" not in page


def test_any_cldr_locale_and_only_those(capsys):
    status, out, _ = run(capsys, "report", "--locale", "ZH-cn", "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["locale"] == "ZH_cn"
    assert document["sections"][0]["title"] == "2024年各公司资本支出"
    status, out, err = run(capsys, "report", "--locale", "xx_YY")
    assert (status, out) == (2, "")
    assert "unknown locale 'xx_YY'" in err


# Report.to_frame --------------------------------------------------------------------------------


def test_to_frame_on_each_backend_keeps_the_exact_values():
    report = cm.build_report(cm.load_dataset())
    rows = report.rows()
    pandas_table = report.to_frame("pandas")
    assert list(pandas_table.columns) == list(COLUMNS)
    assert list(pandas_table["value"]) == [row.value for row in rows]
    polars_table = report.to_frame("polars")
    assert polars_table.columns == list(COLUMNS)
    assert [Decimal(value) for value in polars_table["value"]] == [row.value for row in rows]
    arrow = report.to_frame("pyarrow")
    assert arrow.column_names == list(COLUMNS)
    assert [Decimal(value) for value in arrow.column("value").to_pylist()] == [row.value for row in rows]


def test_to_frame_says_what_is_missing(monkeypatch):
    report = cm.build_report(cm.load_dataset(), companies=["meta"])
    with pytest.raises(cm.InvalidValueError, match="backend must be one of pandas, polars, pyarrow, got 'spark'"):
        report.to_frame("spark")
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(cm.InvalidValueError, match=r"needs polars: pip install polars"):
        report.to_frame("polars")


def test_notes_are_in_the_labels_language_for_every_locale():
    # A locale neither English nor Chinese has English labels, and so English notes (the rules were in Chinese).
    report = cm.build_report(cm.load_dataset(), "de_DE")
    projections = next(section for section in report.sections if section.key == "projections_2025")
    assert "China Unicom gave no 2025 capex plan and is left out of figure 3" in projections.notes
    assert projections.title == "2025 capex projections"


def test_the_report_renders_in_a_notebook_as_the_html_format_does():
    report = cm.build_report(cm.load_dataset(), "zh_CN", companies=["meta", "tencent"])
    fragment = report._repr_html_()
    parser = _Tables()
    parser.feed(fragment)
    parser.close()
    assert parser.open == []
    assert parser.titles[0] == "2024年各公司资本支出"
    assert "腾讯" in parser.cells
    from capexmodel._present.cli import render_html  # noqa: PLC0415

    page = _Tables()
    page.feed(render_html(report, cm.load_dataset()))
    page.close()
    assert page.titles == [*parser.titles, "图表", "数据来源"]  # the same sections and cells, the charts, the sources
    assert page.cells == parser.cells
