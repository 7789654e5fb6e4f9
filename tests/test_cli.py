# ruff: noqa: RUF001
# (Chinese sentences are written with full-width punctuation: the tests check it.)
import csv
import io
import json
import re
import subprocess
import sys
import warnings
from decimal import Decimal

import pytest

import capexmodel as cm
from capexmodel._present.cli import main


def run(capsys, *arguments):
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_table_reproduces_the_articles_comparison(capsys):
    status, out, err = run(capsys, "report", "--locale", "zh_CN")
    assert status == 0
    assert err == ""
    assert "2580亿美元" in out
    assert "446亿美元" in out
    assert re.search(r"美国与中国之比\s+5\.8", out)
    assert re.search(r"字节跳动\s+H20\s+230,000\s+76,667", out)


def test_english_by_default_and_from_the_environment(capsys, monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "2580亿美元" in run(capsys, "report")[1]
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert "$258B" in run(capsys, "report")[1]
    monkeypatch.delenv("LANG")
    monkeypatch.setattr("locale.getlocale", lambda: ("zh_CN", "UTF-8"))
    assert "2580亿美元" in run(capsys, "report")[1]


def test_json_parses_and_holds_the_exact_numbers(capsys):
    status, out, _ = run(capsys, "report", "--format", "json", "--locale", "en_US")
    assert status == 0
    document = json.loads(out)
    sections = {section["key"]: section for section in document["sections"]}
    regions = {value["region"]: value for value in sections["capex_by_region"]["values"]}
    assert Decimal(regions["us-five"]["total"]) == Decimal(258000000000)
    assert round(Decimal(regions["china-seven"]["total"]) / 10**8) == 446
    assert round(Decimal(regions["us-five/china-seven"]["total"]), 1) == Decimal("5.8")
    assert regions["us-five"]["companies"] == "amazon,microsoft,alphabet,meta,oracle"
    assert regions["us-five"]["missing"] == ""
    assert sections["capex_by_region"]["rows"][0]["total"] == "$258B"
    projections = {value["company"]: value for value in sections["projections_2025"]["values"]}
    assert Decimal(projections["bytedance"]["usd"]) == Decimal(160000000000) / Decimal("7.230")
    bytedance = next(v for v in sections["hopper_2024"]["values"] if v["buyer"] == "bytedance")
    assert round(Decimal(bytedance["article"])) == 76667
    assert round(Decimal(bytedance["bf16"])) == 34419


def test_markdown_and_csv(capsys):
    markdown = run(capsys, "report", "--format", "markdown", "--locale", "en_US")[1]
    assert "## 2024 capex by region" in markdown
    assert "| the five US tech giants | $258B | 5 |  | derived |" in markdown
    text = run(capsys, "report", "--format", "csv", "--locale", "en_US")[1]
    rows = list(csv.DictReader(io.StringIO(text)))
    us = next(row for row in rows if row["company"] == "us-five" and row["metric"] == "capex")
    assert (us["section"], us["value"], us["status"]) == ("capex_by_region", "258000000000", "derived")


def test_every_section_is_there(capsys):
    out = run(capsys, "report", "--locale", "en_US")[1]
    for title in (
        "2024 capex by company",
        "2024 capex by region",
        "Nvidia Hopper purchases, 2024",
        "2024 capex intensity",
        "2025 capex projections",
        "Bubble-risk signals, 2024",
    ):
        assert title in out
    assert re.search(r"Tencent\s+CN¥87.2B", out)


def test_the_users_data_is_merged(capsys, tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "meta,revenue,2024,1,亿,USD,a test,reported,caijing,\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, "report", "--data", str(tmp_path), "--format", "json")
    assert status == 0, err


def test_bad_data_is_reported_line_by_line_without_a_traceback(capsys, tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "openai,capex,2024,10,亿,USD,,estimate,caijing,\n"
        "meta,capex,2024,x,亿,USD,,reported,caijing,\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "report", "--data", str(tmp_path))
    assert status == 1
    assert out == ""
    assert err.startswith("capexmodel: 2 problems in the data:\n")
    assert "facts.csv, line 2, field 'company': unknown company 'openai'" in err
    assert "facts.csv, line 3, field 'amount'" in err
    assert "Traceback" not in err


def test_a_missing_path_is_one_line(capsys, tmp_path):
    status, _, err = run(capsys, "report", "--data", str(tmp_path / "nowhere"))
    assert status == 1
    assert err.count("\n") == 2  # the heading and the one problem
    assert "no such file or folder" in err


def test_unwritable_chart_folders_are_one_line(capsys, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    status, _, err = run(capsys, "report", "--chart", str(blocker / "charts"))
    assert status == 1
    assert err.startswith("capexmodel: ")
    assert err.count("\n") == 1


def test_charts_are_written(capsys, tmp_path):
    status, _, err = run(capsys, "report", "--locale", "en_US", "--chart", str(tmp_path))
    assert status == 0
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        f"figure-{n}.{suffix}"
        for n in ("1-capex-2024", "2-hopper-2024", "3-capex-2024-2025", "5-intensity-2024", "6-cash-2024")
        for suffix in ("png", "svg")
    ]
    assert all((tmp_path / name).stat().st_size > 1000 for name in names)
    assert err.count("capexmodel: wrote") == 5


def test_chinese_charts_fall_back_to_english_without_a_cjk_font(capsys, tmp_path, monkeypatch):
    from capexmodel._present import charts as _charts  # noqa: PLC0415

    monkeypatch.setattr(_charts, "cjk_font", lambda **_: None)
    status, _, err = run(capsys, "report", "--locale", "zh_CN", "--chart", str(tmp_path))
    assert status == 0
    assert "未找到可显示中文的字体" in err
    monkeypatch.setattr(_charts, "cjk_font", lambda **_: "DejaVu Sans")  # stands in for a CJK font here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DejaVu Sans has no Chinese glyphs
        status, _, err = run(capsys, "report", "--locale", "zh_CN", "--chart", str(tmp_path))
    assert status == 0
    assert "未找到" not in err


def test_charts_without_matplotlib_say_which_extra_to_install(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "capexmodel._present.charts", None)
    status, out, err = run(capsys, "report", "--chart", str(tmp_path))
    assert status == 1
    assert "2024" in out
    assert err == "capexmodel: charts need matplotlib: pip install 'capexmodel[plot]'\n"


def test_usage(capsys):
    status, out, err = run(capsys)
    assert (status, out) == (2, "")
    assert err.startswith("usage: capexmodel")
    status, out, err = run(capsys, "report", "--format", "xml")
    assert (status, out) == (2, "")
    assert "invalid choice: 'xml'" in err


def test_python_dash_m():
    done = subprocess.run(
        [sys.executable, "-m", "capexmodel", "report", "--locale", "en_US"], capture_output=True, text=True, check=True
    )
    assert "$258B" in done.stdout


def test_rows_left_out_are_noted(capsys, tmp_path):
    (tmp_path / "purchases.csv").write_text(
        "buyer,chip,quantity,unit,period,source\nmeta,B200,1,万,2025,omdia\nmeta,H100,1,万,2023,omdia\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "report", "--data", str(tmp_path), "--format", "json", "--locale", "en_US")
    assert status == 0
    sections = {section["key"]: section for section in json.loads(out)["sections"]}
    assert "Meta: B200 over 2025 is not a Hopper purchase of 2024" in sections["hopper_2024"]["notes"]
    assert "Meta: H100 over 2023 is not a Hopper purchase of 2024" in sections["hopper_2024"]["notes"]
    assert sections["intensity_2024"]["notes"] == []  # every company compared has capex and revenue
    assert any("China Unicom gave no 2025 capex plan" in note for note in sections["projections_2025"]["notes"])
    intensity = {value["company"]: value for value in sections["intensity_2024"]["values"]}
    assert intensity["bytedance"]["status"] == "estimate"
    assert "The Information" in intensity["bytedance"]["sources"]


def test_notes_in_every_format(capsys):
    assert "* companies with fewer than half" in run(capsys, "report", "--locale", "en_US")[1]
    assert "- companies with fewer than half" in run(capsys, "report", "--format", "markdown", "--locale", "en_US")[1]
    _, out, err = run(capsys, "report", "--format", "csv", "--locale", "en_US")
    assert "companies with fewer than half" not in out  # the table holds numbers only
    assert "capexmodel: note: bubble_risk_2024: companies with fewer than half" in err


def test_projection_and_risk_problems_become_notes(capsys, tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "tencent,capex,2025,1,亿,EUR,in euros,estimate,caijing,\n"
        "tencent,revenue,2024,1,亿,CNY,another basis,reported,caijing,\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "report", "--data", str(tmp_path), "--format", "json", "--locale", "en_US")
    assert status == 0
    sections = {section["key"]: section for section in json.loads(out)["sections"]}
    projection_notes = sections["projections_2025"]["notes"]
    assert "Tencent: not converted to USD (no exchange rate into US Dollar for 2025)" in projection_notes
    tencent = [value for value in sections["projections_2025"]["values"] if value["company"] == "tencent"]
    assert [value["usd"] for value in tencent] == [""]  # the rule is not applied twice


def test_a_missing_revenue_for_the_tencent_rule_is_a_note(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,publisher,title,date,note,preferred\nme,Me,Mine,,,yes\n", encoding="utf-8")
    (folder / "companies.csv").write_text(
        "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers\n"
        "tencent,Tencent,腾讯,CN,CNY,12,\nacme,Acme,阿克米,US,USD,12,\n",
        encoding="utf-8",
    )
    (folder / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "acme,capex,2024,1,亿,USD,,reported,me,\nacme,capex,2024,2,亿,USD,other,reported,me,\n"
        "tencent,capex,2024,1,亿,CNY,,reported,me,\n",
        encoding="utf-8",
    )
    (folder / "statements.csv").write_text(
        "key,value,unit,text_en,text_zh,source\n"
        "tencent_2025_capex_to_revenue,0.12,share,rule,规则,me\ntencent_2025_revenue_growth,0.1,share,rule,规则,me\n",
        encoding="utf-8",
    )
    from capexmodel._present.report import build_report  # noqa: PLC0415

    report = build_report(cm.load_dataset(folder, replace=True), "en_US")
    notes = {section.key: section.notes for section in report.sections}
    assert "Tencent: no revenue figure for 2024" in notes["projections_2025"]
    assert "Acme: several capex figures for 2024 and none preferred" in notes["capex_2024"]
    assert "Tencent: no exchange rate into US Dollar for 2024" in notes["capex_2024"]
    with_revenue = folder / "facts.csv"
    with_revenue.write_text(
        with_revenue.read_text(encoding="utf-8") + "tencent,revenue,2024,10,亿,CNY,,reported,me,\n", encoding="utf-8"
    )
    report = build_report(cm.load_dataset(folder, replace=True), "en_US")
    notes = {section.key: section.notes for section in report.sections}
    # One company's signals are computed in its own currency: no rate is needed for Tencent's.
    assert not any(note.startswith("Tencent") for note in notes["bubble_risk_2024"])
    assert "Acme: several capex figures for 2024 and none preferred" in notes["bubble_risk_2024"]
    # No region could be added up: only notes remain, naming the regions as CLDR does.
    assert notes["capex_by_region"] == (
        "United States: several capex figures for 2024 and none preferred",
        "China: no exchange rate into US Dollar for 2024",
    )


def test_no_charts_without_their_data(capsys, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,publisher,title,date,note,preferred\nme,Me,Mine,,,yes\n", encoding="utf-8")
    status, _, err = run(capsys, "report", "--data", str(folder), "--chart", str(tmp_path / "charts"))
    assert status == 0
    assert "not drawn" not in err  # merged with the embedded data, everything is there
    import capexmodel as cm  # noqa: PLC0415
    from capexmodel._present.charts import write_charts  # noqa: PLC0415

    empty = cm.load_dataset(folder, replace=True)
    notes = write_charts(empty, "en_US", tmp_path / "empty")
    assert notes == [
        f"figure {number} not drawn: nothing to draw for 2024 and these companies" for number in (1, 2, 3, 5, 6)
    ]


def test_cjk_font_lookup_finds_an_installed_font_or_none():
    from capexmodel._present import charts as _charts  # noqa: PLC0415

    assert _charts.cjk_font() in (None, *_charts.CJK_FONTS)


def test_the_fourth_quarter_ranking_notes_what_it_cannot_rank(tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\n"
        "meta,capex,2024-Q4,1,亿,USD,one,reported,zheshang,\n"
        "meta,capex,2024-Q4,2,亿,USD,two,reported,zheshang,\n"
        "meta,capex,2023-Q4,1,亿,USD,,reported,zheshang,\n",
        encoding="utf-8",
    )
    from capexmodel._present.report import build_report  # noqa: PLC0415

    report = build_report(cm.load_dataset(tmp_path), "en_US")
    growth = next(section for section in report.sections if section.key == "capex_growth_q4_2024")
    assert [row["company"] for row in growth.rows] == ["Tencent", "Amazon", "Alphabet (Google)"]
    assert [row["rank"] for row in growth.rows] == ["1", "2", "3"]
    assert "Meta: several capex figures for 4th quarter 2024 and none preferred" in growth.notes
    assert "In Q4 2024, Tencent's capex growth ranked first among the companies (figure 4)" in growth.notes
    zh = build_report(cm.load_dataset(), "zh_CN")
    growth_zh = next(section for section in zh.sections if section.key == "capex_growth_q4_2024")
    assert growth_zh.rows[0]["growth"] == "386%"
    assert (
        "缺少2024年与2023年第四季度资本支出的公司：微软、Meta、甲骨文、字节跳动、阿里巴巴、百度、中国移动、中国电信和中国联通"
        in (growth_zh.notes)
    )


def test_the_fourth_quarter_growth_is_of_the_figures_shown(tmp_path):
    # China Mobile's preferred fourth quarter covers its compute capex; the ranking shows, and grows, the whole.
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market,segment\n"
        "china-mobile,capex,2024-Q4,100,亿,CNY,compute,reported,caijing,,compute\n"
        "china-mobile,capex,2024-Q4,500,亿,CNY,total,reported,zheshang,,\n"
        "china-mobile,capex,2023-Q4,400,亿,CNY,total,reported,zheshang,,\n",
        encoding="utf-8",
    )
    from capexmodel._present.report import build_report  # noqa: PLC0415

    report = build_report(cm.load_dataset(tmp_path), "en_US")
    growth = next(section for section in report.sections if section.key == "capex_growth_q4_2024")
    mobile = next(values for values in growth.values if values["company"] == "china-mobile")
    assert (mobile["q4_2024"], mobile["q4_2023"], mobile["growth"]) == ("50000000000", "40000000000", "0.25")


@pytest.mark.parametrize("ratio", [None, "0", "-3"])
def test_the_articles_chip_basis_needs_its_stated_ratio(ratio):
    import attrs  # noqa: PLC0415

    from capexmodel._present.report import build_report  # noqa: PLC0415

    ds = cm.load_dataset()
    kept = [statement for statement in ds.statements if statement.key != "h20_per_h100"]
    if ratio is not None:
        kept.append(attrs.evolve(ds.statement("h20_per_h100"), value=Decimal(ratio)))
    report = build_report(attrs.evolve(ds, statements=tuple(kept)), "en_US")
    chips = next(section for section in report.sections if section.key == "hopper_2024")
    bytedance = next(row for row in chips.rows if row["buyer"] == "ByteDance")
    assert bytedance["article"] == "-"  # never an H20 counted as a whole H100 under a title that says a third
    assert bytedance["bf16"] == "34,419"
    assert any(
        note.startswith("the article's basis (H20 = 1/3) needs the statement h20_per_h100, a number of H20s above zero")
        for note in chips.notes
    )


def test_the_articles_chip_basis_says_the_ratio_it_used():
    import attrs  # noqa: PLC0415

    from capexmodel._present.report import build_report  # noqa: PLC0415

    ds = cm.load_dataset()
    two = tuple(attrs.evolve(s, value=Decimal(2)) if s.key == "h20_per_h100" else s for s in ds.statements)
    chips = next(s for s in build_report(attrs.evolve(ds, statements=two), "en_US").sections if s.key == "hopper_2024")
    assert dict(chips.columns)["article"] == "H100-equivalents (H20 = 1/2, the article)"
    assert next(row for row in chips.rows if row["buyer"] == "ByteDance")["article"] == "115,000"
    zh = build_report(ds, "zh_CN")
    assert dict(next(s for s in zh.sections if s.key == "hopper_2024").columns)["article"] == (
        "折合H100（H20按三分之一，文章口径）"
    )


def test_the_chip_basis_title_is_written_in_the_librarys_context():
    import decimal  # noqa: PLC0415

    import attrs  # noqa: PLC0415

    from capexmodel._present.report import build_report  # noqa: PLC0415

    ds = cm.load_dataset()
    odd = tuple(attrs.evolve(s, value=Decimal("2.555")) if s.key == "h20_per_h100" else s for s in ds.statements)
    with decimal.localcontext(decimal.Context(prec=2)):
        report = build_report(attrs.evolve(ds, statements=odd), "en_US")
    chips = next(section for section in report.sections if section.key == "hopper_2024")
    assert dict(chips.columns)["article"] == "H100-equivalents (H20 = 1/2.555, the article)"


def test_the_report_converts_at_ecb_averages_and_says_so(capsys):
    status, out, _ = run(capsys, "report", "--rates", "ecb", "--format", "json", "--locale", "en_US")
    assert status == 0
    totals = next(s for s in json.loads(out)["sections"] if s["key"] == "capex_by_region")
    china = Decimal(next(v for v in totals["values"] if v["region"] == "china-seven")["total"])
    ds = cm.load_dataset()
    yuan = ds.rates.convert(
        ds.total("capex", period=cm.CalendarYear(2024), group="china-seven", currency="USD").value, "CNY"
    )  # back to the yuan the article's inputs hold
    ecb = cm.ecb_rates().conversion("USD", "CNY", cm.CalendarYear(2024)).rate
    assert abs(china - yuan.amount / ecb) < 1  # the same yuan, at the ECB's 7.1956 instead of 7.230
    assert round(china / 10**8) == 448
    assert any("1 USD = 7.1956 CNY" in note and "European Central Bank" in note for note in totals["notes"])


def test_the_report_names_the_rate_it_converts_at(capsys):
    _, out, _ = run(capsys, "report", "--locale", "zh_CN")
    assert (
        "按2024年平均汇率1美元兑7.2300元人民币换算（来源：《财经》，《中美科技巨头算力投资对比》：本报告所据原文" in out
    )
