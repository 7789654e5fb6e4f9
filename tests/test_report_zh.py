"""The report and the command in Chinese: no English left, traditional characters where asked, periods, the score."""
# ruff: noqa: RUF001, RUF003
# (Chinese sentences are written with full-width punctuation: the tests check it.)

import csv
import datetime as dt
import io
import json
import re

import attrs
import pytest

import capexmodel as cm
from capexmodel._fx.ecb import average_note
from capexmodel._present.cli import main, render_markdown, render_table
from capexmodel._present.format import format_period
from capexmodel._present.report import _Builder, source_text
from tests.words import SIMPLIFIED_ONLY, english_words

Y24 = cm.CalendarYear(2024)


def run(capsys, *arguments):
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def everything_shown(capsys, locale):
    """The report as each format shows it: the text tables, Markdown, JSON's sections, and the rows' text fields."""
    report = cm.build_report(cm.load_dataset(), locale)
    texts = [render_table(report), render_markdown(report)]
    status, out, _ = run(capsys, "report", "--locale", locale, "--format", "json")
    assert status == 0
    document = json.loads(out)
    for section in document["sections"]:
        texts.append(section["title"])
        texts.extend(column["title"] for column in section["columns"])
        texts.extend(value for row in section["rows"] for value in row.values())
        texts.extend(section["notes"])
    texts.extend(row[field] for row in document["rows"] for field in ("basis", "source", "note"))
    status, out, _ = run(capsys, "report", "--locale", locale, "--format", "csv")
    assert status == 0
    texts.extend(row[field] for row in csv.DictReader(io.StringIO(out)) for field in ("basis", "source", "note"))
    return "\n".join(texts)


# No English ----------------------------------------------------------------------------------------


def test_the_check_finds_english_and_lets_the_listed_names_through():
    assert english_words("Meta 按文章数据 reported 777亿美元") == ["reported"]
    assert english_words("H20按1/3，The Information，Omdia，USD，0700.HK，BF16峰值，10-K年报，不含5G") == []
    assert english_words("Metaverse") == ["Metaverse"]  # a listed name inside a longer word is no exception


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW", "zh_HK", "zh_Hant_HK", "zh_SG"])
def test_a_chinese_report_has_no_english_word_beyond_the_listed_names(capsys, locale):
    assert english_words(everything_shown(capsys, locale)) == []


def test_the_english_report_is_english(capsys):
    words = set(english_words(everything_shown(capsys, "en_US")))
    assert {"reported", "capex", "the", "article"} <= words  # the check would see English if it were there


def test_another_years_chinese_report_has_no_english_word_either(capsys):
    status, out, err = run(capsys, "report", "--locale", "zh_CN", "--year", "2023")
    assert status == 0, err
    assert english_words(out) == []
    assert "微软：缺少2023年的资本支出数据（已有" in out  # a missing figure, said in Chinese, with what the data has
    assert "缺少2023年换算为美元的汇率" in out


# Traditional characters ----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh_TW", "zh_HK", "zh_Hant"])
def test_a_traditional_report_writes_traditional_characters_only(capsys, locale):
    shown = everything_shown(capsys, locale)
    for word in ("億美元", "資本支出", "騰訊", "亞馬遜", "美國", "中國", "營收", "匯率"):
        assert word in shown, word
    assert [char for char in SIMPLIFIED_ONLY if char in shown] == []


def test_the_simplified_report_writes_simplified_characters(capsys):
    shown = everything_shown(capsys, "zh_CN")
    assert {char for char in SIMPLIFIED_ONLY if char in shown} >= set("亿资数汇营亚马讯腾国")
    for word in ("億", "資本", "騰訊", "美國"):
        assert word not in shown, word


def test_company_names_and_regions_in_each_script():
    ds = cm.load_dataset()
    names = {}
    for locale in ("zh_CN", "zh_TW", "en_US"):
        capex = next(s for s in cm.build_report(ds, locale).sections if s.key == "capex_2024")
        names[locale] = [(row["company"], row["region"]) for row in capex.rows]
    assert names["zh_CN"][:2] == [("亚马逊", "美国"), ("微软", "美国")]
    assert names["zh_TW"][:2] == [("亞馬遜", "美國"), ("微軟", "美國")]
    assert names["en_US"][:2] == [("Amazon", "United States"), ("Microsoft", "United States")]
    assert ("甲骨文", "美国") in names["zh_CN"]
    assert ("騰訊", "中國") in names["zh_TW"]


# Amounts, periods and punctuation in sentences ------------------------------------------------------


def test_rules_are_sentences_with_amounts_and_periods_for_the_locale():
    ds = cm.load_dataset()

    def rules(locale):
        projections = next(s for s in cm.build_report(ds, locale).sections if s.key == "projections_2025")
        return {row["company"]: row["rule"] for row in projections.rows}

    assert rules("zh_CN")["阿里巴巴"] == "2025年1月至2027年12月共3800亿元，按月平均分摊：取36个月中的12个月"
    assert rules("zh_CN")["腾讯"] == "按营收的12%估算，营收以2024年的6600亿元为基数增长10%"
    assert rules("zh_TW")["阿里巴巴"] == "2025年1月至2027年12月共3800億人民幣，按月平均分攤：取36個月中的12個月"
    assert rules("en_US")["Alibaba"] == "CN¥380B over Jan 2025 to Dec 2027, spread evenly: 12 of its 36 months"
    assert rules("en_US")["Tencent"] == "12% of revenue, with revenue growing 10% from CN¥660B in 2024"


def test_chinese_notes_use_full_width_punctuation_and_the_tables_names(capsys):
    _, out, _ = run(capsys, "report", "--locale", "zh_CN")
    notes = [line[2:] for line in out.splitlines() if line.startswith("* ")]
    assert notes
    for note in notes:
        assert not re.search(r"[,:;()](?!\d)", note.replace("1/3", "")), note  # ，：；（） in Chinese sentences
    assert "微软、甲骨文2025年数据均采用财报中预期的2025财年数据（图3注）" in notes  # not 微软、Oracle
    assert "甲骨文的数据覆盖2024年3月至2025年2月，来源将其计为2024年" in notes


@pytest.mark.parametrize(
    ("period", "locale", "expected"),
    [
        (cm.Period.parse("2025-01/2027-12"), "en_US", "Jan 2025 to Dec 2027"),
        (cm.Period.parse("2025-01/2027-12"), "zh_CN", "2025年1月至2027年12月"),
        (cm.Period.parse("2024-03/2025-02"), "zh_HK", "2024年3月至2025年2月"),
        (cm.CalendarYear(2024), "en_US", "2024"),
        (cm.CalendarYear(2024), "zh_TW", "2024年"),
        (cm.CalendarQuarter(2024, 4), "en_US", "4th quarter 2024"),
        (cm.CalendarQuarter(2024, 4), "zh_CN", "2024年第4季度"),
        (cm.CalendarQuarter(2024, 4), "zh_HK", "2024年第4季"),  # not CLDR's abbreviated "2024年Q4"
        (cm.CalendarHalf(2024, 1), "en_US", "H1 2024"),
        (cm.CalendarHalf(2024, 2), "zh_CN", "2024年下半年"),
        (cm.CalendarHalf(2024, 1), "zh_TW", "2024年上半年"),
        (cm.CalendarMonth(2025, 1), "en_US", "Jan 2025"),
        (cm.CalendarMonth(2025, 1), "zh_CN", "2025年1月"),
        (cm.Period.parse("2024-02/2024-04"), "en_US", "Feb 2024 to Apr 2024"),  # three months, not a quarter
        (cm.FiscalCalendar(year_end_month=6).year(2025), "de_DE", "Juli 2024 to Juni 2025"),  # English joins it
    ],
)
def test_periods_are_written_for_the_locale(period, locale, expected):
    assert format_period(period, locale) == expected


def test_a_period_in_an_unknown_locale_is_refused():
    with pytest.raises(cm.InvalidValueError, match="unknown locale 'xx_YY'"):
        format_period(Y24, "xx_YY")


# The score --------------------------------------------------------------------------------------------


def test_the_score_is_signals_firing_out_of_signals_known_with_its_meaning_under_the_table():
    ds = cm.load_dataset()
    meta = ds.bubble_risk(Y24, company="meta")
    firing, known = sum(bool(s.fires) for s in meta.signals), sum(s.known for s in meta.signals)
    shown = {}
    for locale in ("en_US", "zh_CN", "zh_TW"):
        risk = next(s for s in cm.build_report(ds, locale).sections if s.key == "bubble_risk_2024")
        shown[locale] = risk
    en, zh, tw = (next(row for row in shown[locale].rows if row["company"] == "Meta") for locale in shown)
    assert (firing, known) == (2, 5)
    assert (en["score"], en["coverage"], en["firing"]) == ("2/5", "5 of 6", "capex / depreciation, capex / revenue")
    assert (zh["score"], zh["coverage"], zh["firing"]) == ("5项中2项", "6项中5项", "资本支出/折旧、资本支出/营收")
    assert (tw["score"], tw["coverage"]) == ("5項中2項", "6項中5項")
    assert all("%" not in row["score"] for section in shown.values() for row in section.rows)  # not a probability
    assert shown["en_US"].notes[0].startswith("Score: the signals that fire out of the signals the data lets us")
    assert shown["zh_CN"].notes[0].startswith("得分：可判断的信号中触发的个数")
    values = next(value for value in shown["en_US"].values if value["company"] == "meta")
    assert values == {
        "company": "meta",
        "firing_count": "2",
        "known_count": "5",
        "signal_count": "6",
        "score": str(meta.score),
        "firing": "capex_to_depreciation,capex_intensity",
    }


def test_one_firing_signal_is_said_in_the_singular():
    report = cm.build_report(cm.load_dataset(), "en_US", companies=["amazon"])
    row = next(row for row in report.rows() if row.metric == "bubble_risk_signals_firing")
    assert row.note == "1 of the 5 known signals fires: capex / net income"


def test_a_company_with_too_few_signals_known_is_left_out():
    report = cm.build_report(cm.load_dataset(), "en_US", companies=["bytedance", "meta"])
    risk = next(section for section in report.sections if section.key == "bubble_risk_2024")
    assert [row["company"] for row in risk.rows] == ["Meta"]
    assert risk.notes[-1] == "companies with fewer than half of the six signals known are left out"


# Notes of problems, and the words of the data ---------------------------------------------------------


@pytest.fixture
def builders():
    ds = cm.load_dataset()
    return {locale: _Builder(ds, locale) for locale in ("en_US", "zh_CN", "zh_TW")}


@pytest.mark.parametrize(
    ("error", "english", "chinese"),
    [
        (cm.AmbiguousFactError("x"), "several capex figures for 2024 and none preferred", "2024年有多个资本支出数据"),
        (cm.MissingRateError("x"), "no exchange rate into US Dollar for 2024", "缺少2024年换算为美元的汇率"),
        (cm.AmbiguousRateError("x"), "several exchange rates into US Dollar for 2024", "2024年有多个换算为美元的汇率"),
        (cm.UndefinedIndicatorError("x"), "undefined: a figure it divides by is zero or negative", "无定义"),
        (cm.CurrencyMismatchError("x"), "amounts in different currencies", "金额币种不一致"),
        (cm.PeriodMismatchError("x"), "figures over periods that do not line up", "数据的期间无法对齐"),
        (cm.DivisionByZeroError("by zero"), "the data does not allow it (by zero)", "数据不足以计算（by zero）"),
        (
            cm.FactNotFoundError("x", company="meta", metric="net_income", period=cm.CalendarYear(2023)),
            "no net income figure for 2023 (the data has it for 2024)",
            "缺少2023年的净利润数据（已有2024年的数据）",
        ),
        (
            cm.FactNotFoundError("x", metric="ai_revenue"),
            "no ai revenue figure for 2024",  # a metric of the user's, in its own words; the period asked about
            "缺少2024年的ai revenue数据",
        ),
    ],
)
def test_problems_are_said_from_the_errors_kind_and_fields(builders, error, english, chinese):
    assert builders["en_US"].problem("Meta", error) == f"Meta: {english}"
    assert builders["zh_CN"].problem("Meta", error).startswith(f"Meta：{chinese}")


def test_the_datas_words_fall_back_to_its_chinese_for_what_no_catalog_has(builders):
    acme = cm.Company(id="acme", name_en="Acme", name_zh="阿克米", region="US", currency="USD")
    assert [builders[locale].name(acme) for locale in builders] == ["Acme", "阿克米", "阿克米"]
    assert builders["zh_CN"].data("basis", "my own basis") == "my own basis"  # nothing to fall back to
    assert builders["zh_CN"].data("basis", "") == ""
    assert builders["zh_TW"].named("nobody") == "nobody"
    assert builders["en_US"].region("ZZ") == "Unknown Region"  # CLDR's name for its unknown region
    assert builders["zh_CN"].region("XK") == "科索沃"
    assert builders["en_US"].metric("my_metric") == "my metric"
    assert builders["zh_CN"].signal("my_signal") == "my signal"


def test_sources_are_written_for_the_locale(builders):
    dated = cm.Source("Caijing (财经)", "Form 10-K for 2024", dt.date(2025, 4, 14), note="read in the filing")
    assert builders["en_US"].source(dated) == "Caijing (财经), Form 10-K for 2024 (April 14, 2025): read in the filing"
    assert builders["zh_CN"].source(dated) == "《财经》，2024年10-K年报（2025年4月14日）：摘自财报"
    assert builders["zh_TW"].source(cm.Source("European Central Bank", "Euro foreign exchange reference rates")) == (
        "歐洲中央銀行，歐元外匯參考匯率"
    )


def test_a_statement_no_catalog_has_is_shown_in_the_datas_chinese():
    ds = cm.load_dataset()
    rule = attrs.evolve(ds.statement("china_unicom_2025_no_plan"), text_en="Mine, in English", text_zh="我的说明")
    kept = tuple(rule if s.key == rule.key else s for s in ds.statements)
    report = cm.build_report(attrs.evolve(ds, statements=kept), "zh_CN")
    projections = next(section for section in report.sections if section.key == "projections_2025")
    assert "我的说明" in projections.notes


# The command's own messages ----------------------------------------------------------------------------


def test_the_commands_errors_follow_the_locale(capsys):
    status, out, err = run(capsys, "report", "--locale", "zh_CN", "--year", "2031")
    assert (status, out) == (1, "")
    assert err == "capexmodel：数据中没有2031年已披露或推算的资本支出：数据覆盖的年份为2023、2024\n"
    status, _, err = run(capsys, "report", "--locale", "zh_TW", "--companies", "meta,openai,anthropic")
    assert status == 1
    assert err.startswith("capexmodel：未知公司'openai'、'anthropic'：資料中的公司為amazon、")
    status, _, err = run(capsys, "report", "--locale", "zh_CN", "--companies", "meta,Meta")
    assert err == "capexmodel：--companies 重复列出了meta：每家公司只能列一次\n"
    status, _, err = run(capsys, "report", "--locale", "en_US", "--companies", "bytedance", "--year", "2024")
    assert err == "capexmodel: the data has no reported or derived capex for 2024: the years it covers are none\n"


def test_a_misspelt_company_gets_a_suggestion(capsys):
    status, _, err = run(capsys, "report", "--locale", "zh_CN", "--companies", "Microsft")
    assert status == 1
    assert err.startswith("capexmodel：未知公司'Microsft'：数据中的公司为amazon、")
    assert err.endswith("；是否指'microsoft'？\n")


def test_a_name_two_companies_go_by_is_an_error_naming_both(capsys, tmp_path):
    (tmp_path / "companies.csv").write_text(
        "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers,aliases\n"
        "acme,Acme,阿克米,US,USD,12,,Twin\nbolt,Bolt,博尔特,US,USD,12,,Twin\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, "report", "--data", str(tmp_path), "--companies", "Twin", "--locale", "en_US")
    assert status == 1
    assert err == "capexmodel: 'Twin' names several companies: acme, bolt; give an id\n"


def test_data_problems_are_headed_in_the_readers_words(capsys, tmp_path):
    (tmp_path / "facts.csv").write_text(
        "company,metric,period,amount,unit,currency,basis,status,sources,market\nmeta,capex,2024,x,亿,USD,,reported,caijing,\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, "report", "--data", str(tmp_path), "--locale", "zh_CN")
    assert status == 1
    assert err.startswith("capexmodel：数据中有1处问题：\n  ")
    assert "facts.csv, line 2, field 'amount': cannot read" in err  # the problem itself is the loader's, in English


def test_the_notes_beside_the_csv_follow_the_locale(capsys):
    _, _, err = run(capsys, "report", "--format", "csv", "--locale", "zh_CN")
    assert "capexmodel：注（bubble_risk_2024）：六项信号中可判断的不足一半的公司未列出\n" in err


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("LANG", "zh_TW.UTF-8", "2024年各公司資本支出"),
        ("LC_ALL", "zh_HK", "2024年各公司資本支出"),
        ("LANG", "zh_CN.UTF-8@stroke", "2024年各公司资本支出"),
        ("LANG", "zh_XX.UTF-8", "2024年各公司资本支出"),  # Chinese CLDR does not know: the article's
        ("LANG", "C.UTF-8", "2024 capex by company"),
        ("LANG", "de_DE.UTF-8", "2024 capex by company"),
    ],
)
def test_the_environments_locale_picks_the_language(capsys, monkeypatch, variable, value, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, value)
    status, out, _ = run(capsys, "report")
    assert status == 0
    assert out.startswith(expected)


def test_the_fetch_commands_notes_follow_the_environments_locale(capsys, monkeypatch, tmp_path):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    (tmp_path / "CIK0001045810.json").write_text("{}", encoding="utf-8")
    status, out, err = run(capsys, "fetch", "sec", "1045810", "--user-agent", "Name a@b.example", "--to", str(tmp_path))
    assert status == 0
    assert out == f"{tmp_path / 'CIK0001045810.json'}\n"
    assert err == f"capexmodel：保留已有文件{tmp_path / 'CIK0001045810.json'}（--refresh 会重新下载）\n"


# The ECB's rates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_a_chinese_report_at_the_ecbs_rates_says_their_note_in_chinese(capsys, locale):
    status, out, _ = run(capsys, "report", "--locale", locale, "--rates", "ecb")
    assert status == 0
    assert english_words(out) == []
    days = "2024年1月2日至2024年12月31日共256"
    assert (
        days + ("个交易日定盘价的平均值，经欧元套算" if locale == "zh_CN" else "個交易日定盤價的平均值，經歐元套算")
        in out
    )


def test_an_ecb_note_is_read_from_the_values_it_was_written_from():
    rates = cm.ecb_rates()
    crossed = rates.conversion("USD", "CNY", Y24).sources[0]
    direct = rates.conversion("EUR", "USD", Y24).sources[0]
    assert average_note(crossed) == (256, dt.date(2024, 1, 2), dt.date(2024, 12, 31), True)
    assert average_note(direct) == (256, dt.date(2024, 1, 2), dt.date(2024, 12, 31), False)
    assert source_text(direct, "zh_CN").endswith("共256个交易日定盘价的平均值")  # no cross to speak of
    assert crossed.note is not None
    assert source_text(crossed, "en_US").endswith(crossed.note)  # English is the note as the rate's source writes it
    # The same note, written by hand or read back from a file or a pickle, reads the same, in any process.
    by_hand = cm.Source(crossed.publisher, crossed.title, note="average of 1 daily fixing, 1999-01-04 to 1999-01-04")
    assert average_note(by_hand) == (1, dt.date(1999, 1, 4), dt.date(1999, 1, 4), False)
    assert source_text(by_hand, "zh_TW").endswith("1999年1月4日至1999年1月4日共1個交易日定盤價的平均值")


@pytest.mark.parametrize(
    "note",
    [
        None,
        "by hand",
        "average of 2 daily fixing, 2024-01-02 to 2024-01-03",  # not as the reader writes it: one reading only
        "average of 02 daily fixings, 2024-01-02 to 2024-01-03",
        "average of 2 daily fixings, 2024-02-30 to 2024-03-01",  # no such day
        "average of \uff12 daily fixings, 2024-01-02 to 2024-01-03",  # a full-width digit
        "average of 2 daily fixings, 2024-01-02 to 2024-01-03, crossed through EUR and more",
    ],
)
def test_a_note_the_ecb_reader_would_not_write_is_the_datas(note):
    source = cm.Source("European Central Bank", "Euro foreign exchange reference rates", note=note)
    assert average_note(source) is None
    if note is not None:
        assert source_text(source, "zh_CN").endswith(f"：{note}")  # as the data writes it


def test_an_ecb_like_note_of_another_publisher_is_that_publishers():
    note = "average of 2 daily fixings, 2024-01-02 to 2024-01-03"
    assert average_note(cm.Source("Someone", "Euro foreign exchange reference rates", note=note)) is None
    assert average_note(cm.Source("European Central Bank", "Another title", note=note)) is None
    assert average_note(None) is None
