"""The charts of figures 1, 2, 3, 5 and 6: checked on the artists matplotlib draws, in three locales."""

# Chinese texts are written with their full-width punctuation, on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs
import numpy as np
import pytest

pytest.importorskip("matplotlib")

from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import capexmodel as cm
from capexmodel._present import charts as _charts
from capexmodel._present.cli import main

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

LOCALES = ("zh_CN", "zh_TW", "en_US")
HALF_WIDTH = re.compile(r"[:,()]")


def need_chinese(locale: str) -> None:
    """Skip a test of Chinese charts on a machine with no font for Chinese (they would be in English)."""
    if locale.startswith("zh") and _charts.cjk_font() is None:
        pytest.skip(f"no font for Chinese: install {_charts.install_hint()}")


def drawn(
    locale: str, companies: tuple[str, ...] | None = None, year: int | None = None
) -> tuple[dict[int, _charts.Chart], list[str]]:
    need_chinese(locale)
    return _drawn(locale, companies, year)


@functools.cache
def _drawn(
    locale: str, companies: tuple[str, ...] | None = None, year: int | None = None
) -> tuple[dict[int, _charts.Chart], list[str]]:
    charts, notes = _charts.build_charts(cm.load_dataset(), locale, companies=companies, year=year)
    return {chart.number: chart for chart in charts}, notes


def chart(locale: str, number: int) -> _charts.Chart:
    return drawn(locale)[0][number]


def bar_axes(figure_chart: _charts.Chart) -> list[Axes]:
    return [axes for axes in figure_chart.figure.axes if bars(axes)]


def bars(axes: Axes) -> list[Rectangle]:
    """The bars of an axes, top to bottom, each named by its gid."""
    found = [patch for patch in axes.patches if isinstance(patch, Rectangle) and patch.get_gid()]
    return sorted(found, key=lambda patch: patch.get_y())


def gid(artist: Artist) -> str:
    return artist.get_gid() or ""


def bar(axes: Axes, name: str) -> Rectangle:
    return next(patch for patch in bars(axes) if patch.get_gid() == name)


def rgba(dot: PathCollection) -> list[float]:
    return [float(part) for part in np.asarray(dot.get_facecolor())[0]]


def names(axes: Axes) -> list[str]:
    return [label.get_text() for label in axes.get_yticklabels()]


def texts(axes: Axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def legend(figure_chart: _charts.Chart) -> list[str]:
    (found,) = figure_chart.figure.legends
    return [text.get_text() for text in found.get_texts()]


def footer(figure_chart: _charts.Chart) -> list[str]:
    """The lines under the chart: notes, then the source line (each as written, before it is wrapped)."""
    drawn_text = figure_chart.figure.texts[-1].get_text()
    assert drawn_text == "\n".join(line for note in figure_chart.notes for line in _charts._wrap(note, 132))
    return list(figure_chart.notes)


def capex_2024(unit: Decimal) -> list[tuple[str, Decimal]]:
    """The report's 2024 capex in USD, by company id, largest first: what figure 1 must draw."""
    rows = [row for row in cm.build_report(cm.load_dataset()).rows() if row.section == "capex_2024"]
    return sorted(((row.company, row.value / unit) for row in rows), key=lambda pair: -pair[1])


# Figure 1 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "unit", "first", "labels"),
    [
        ("zh_CN", Decimal("1e8"), ["亚马逊", "微软", "谷歌", "Meta"], ["777", "756", "525", "373"]),
        ("zh_TW", Decimal("1e8"), ["亞馬遜", "微軟", "Google", "Meta"], ["777", "756", "525", "373"]),
        (
            "en_US",
            Decimal("1e9"),
            ["Amazon", "Microsoft", "Alphabet (Google)", "Meta"],
            ["77.7", "75.6", "52.5", "37.3"],
        ),
    ],
)
def test_figure_1_sorts_the_bars_largest_first_and_writes_each_value(locale, unit, first, labels):
    (axes,) = bar_axes(chart(locale, 1))
    expected = capex_2024(unit)
    assert [patch.get_gid() for patch in bars(axes)] == [company for company, _ in expected]
    assert [float(patch.get_width()) for patch in bars(axes)] == [float(value) for _, value in expected]
    assert names(axes)[:4] == first
    assert texts(axes)[:4] == labels
    assert len(texts(axes)) == 12
    assert names(axes)[-1] in {"百度", "Baidu"}


@pytest.mark.parametrize(
    ("locale", "entries"),
    [
        ("zh_CN", ["美国", "中国", "估算（斜纹）"]),
        ("zh_TW", ["美國", "中國", "估算（斜紋）"]),
        ("en_US", ["United States", "China", "Estimate (hatched)"]),
    ],
)
def test_the_legend_names_the_two_countries_and_the_estimates(locale, entries):
    assert legend(chart(locale, 1)) == entries


@pytest.mark.parametrize("locale", LOCALES)
def test_countries_have_their_colours(locale):
    (axes,) = bar_axes(chart(locale, 1))
    assert to_hex(bar(axes, "amazon").get_facecolor()) == "#1f4e9c"
    assert to_hex(bar(axes, "tencent").get_facecolor()) == "#c8102e"


@pytest.mark.parametrize("locale", LOCALES)
def test_only_estimates_are_hatched_in_figure_1(locale):
    (axes,) = bar_axes(chart(locale, 1))
    hatched = {patch.get_gid() for patch in bars(axes) if patch.get_hatch()}
    assert hatched == {"bytedance"}  # the broker's estimate; the others are reported or derived
    assert bar(axes, "bytedance").get_hatch() == "////"
    assert to_hex(bar(axes, "bytedance").get_facecolor()) == "#ffffff"


@pytest.mark.parametrize(
    ("locale", "note", "rate", "source"),
    [
        (
            "zh_CN",
            "甲骨文：数据覆盖2024年3月至2025年2月，计为2024年",
            "美元和人民币汇率按照2024年平均汇率1:7.230计算",
            "数据来源：",
        ),
        (
            "zh_TW",
            "甲骨文：數據覆蓋2024年3月至2025年2月，計為2024年",
            "美元和人民幣匯率按照2024年平均匯率1:7.230計算",
            "資料來源：",
        ),
        (
            "en_US",
            "Oracle: the figure covers Mar 2024 to Feb 2025, counted as 2024",
            "Converted at the 2024 average rate: 1 USD = 7.230 CNY",
            "Source: ",
        ),
    ],
)
def test_figure_1_says_what_its_figures_cover_and_where_they_come_from(locale, note, rate, source):
    lines = footer(chart(locale, 1))
    assert lines[:2] == [note, rate]
    assert lines[-1].startswith(source)
    publishers = {
        "zh_CN": ("《财经》", "浙商证券"),
        "zh_TW": ("《財經》", "浙商證券"),
        "en_US": ("Caijing", "Zheshang"),
    }
    assert all(name in lines[-1] for name in publishers[locale])  # the article, and ByteDance's estimate
    assert "Omdia" not in lines[-1]


# Every chart -------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_every_figure_is_drawn(locale):
    assert sorted(drawn(locale)[0]) == [1, 2, 3, 5, 6]
    assert drawn(locale)[1] == []


@pytest.mark.parametrize(
    ("locale", "money", "chips"),
    [("zh_CN", "亿美元", "万枚"), ("zh_TW", "億美元", "萬枚"), ("en_US", "USD billions", "thousands")],
)
def test_every_value_axis_has_its_unit(locale, money, chips):
    for number, figure_chart in drawn(locale)[0].items():
        for axes in figure_chart.figure.axes:
            unit = chips if number == 2 else money
            assert unit in axes.get_xlabel() or "%" in axes.get_xlabel(), (number, axes.get_xlabel())
    (_, right) = chart(locale, 5).figure.axes
    assert right.get_xlabel().endswith(("（%）", "(%)"))


@pytest.mark.parametrize("locale", LOCALES)
def test_no_line_joins_separate_companies(locale):
    for figure_chart in drawn(locale)[0].values():
        for axes in figure_chart.figure.axes:
            assert [child for child in axes.get_children() if isinstance(child, Line2D)] == []


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_chinese_titles_use_full_width_punctuation(locale):
    for number, figure_chart in drawn(locale)[0].items():
        title = figure_chart.figure.texts[0].get_text()
        assert title == figure_chart.title.replace("\n", "")
        assert title.startswith(("图", "圖"))
        assert f"{number}：" in title
        assert not HALF_WIDTH.search(title), title
    assert chart(locale, 1).title.endswith("（2024年）")
    assert "、" in chart(locale, 6).title


def test_english_titles():
    assert [chart("en_US", number).title for number in (1, 2, 3, 5)] == [
        "Figure 1: Capex of the world's major tech giants, 2024",
        "Figure 2: Nvidia Hopper chip purchases, 2024",
        "Figure 3: Capex of the major compute giants, 2024 and 2025",
        "Figure 5: Capex and capex intensity of the major compute giants, 2024",
    ]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_chart_ends_with_its_source_line(locale):
    start = {"zh_CN": "数据来源：", "zh_TW": "資料來源：", "en_US": "Source: "}[locale]
    for number, figure_chart in drawn(locale)[0].items():
        assert footer(figure_chart)[-1].startswith(start), number
    assert footer(chart(locale, 2))[-1] == f"{start}Omdia"
    separator = "; " if locale == "en_US" else "；"
    names = {
        "zh_CN": ["亚马逊", "谷歌", "Meta"],
        "zh_TW": ["亞馬遜", "Google", "Meta"],
        "en_US": ["Amazon", "Alphabet", "Meta"],
    }
    assert (
        separator.join(names[locale]) in footer(chart(locale, 6))[-1]
    )  # the companies' filings, in the reader's words


# Figure 2 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "tencent", "equivalents", "annotation"),
    [
        ("zh_CN", "23", Decimal(230000) / 3 / 10**4, "H20：≈7.7万枚H100当量（按文章口径1/3）"),
        ("zh_TW", "23", Decimal(230000) / 3 / 10**4, "H20：≈7.7萬枚H100當量（按文章口徑1/3）"),
        (
            "en_US",
            "230",
            Decimal(230000) / 3 / 10**3,
            "H20: ≈ 76.7 thousand H100-equivalents (the article's basis, 1/3)",
        ),
    ],
)
def test_figure_2_shows_h20s_with_their_h100_equivalents(locale, tencent, equivalents, annotation):
    (axes,) = bar_axes(chart(locale, 2))
    assert [gid(patch) for patch in bars(axes) if "-" not in gid(patch)] == [
        "microsoft",
        "bytedance",
        "tencent",
        "meta",
        "amazon",
        "xai",
        "alphabet",
    ]
    assert bar(axes, "tencent-h100-equivalents").get_width() == pytest.approx(float(equivalents))
    assert bar(axes, "tencent").get_width() == pytest.approx(float(tencent))
    assert texts(axes).count(annotation) == 2  # ByteDance's and Tencent's
    assert tencent in texts(axes)
    assert "bytedance-h100-equivalents" in {patch.get_gid() for patch in bars(axes)}
    assert "microsoft-h100-equivalents" not in {patch.get_gid() for patch in bars(axes)}  # an H100 is one
    lighter = to_hex(bar(axes, "tencent").get_facecolor())
    assert lighter != to_hex(bar(axes, "tencent-h100-equivalents").get_facecolor()) == "#c8102e"


@pytest.mark.parametrize("locale", LOCALES)
def test_figure_2_says_once_that_every_count_is_an_estimate(locale):
    (axes,) = bar_axes(chart(locale, 2))
    assert not any(patch.get_hatch() for patch in bars(axes))  # all estimates: one note instead of hatching all
    note = {"zh_CN": "芯片采购量均为估算", "zh_TW": "晶片採購量均為估算", "en_US": "Every chip count is an estimate"}
    assert footer(chart(locale, 2))[0] == note[locale]
    assert len(legend(chart(locale, 2))) == 4  # two countries, H20s one for one, as H100-equivalents


# Figure 3 ----------------------------------------------------------------------------------


def test_figure_3_sets_each_companys_next_year_beside_its_year():
    (axes,) = bar_axes(chart("en_US", 3))
    assert names(axes) == [
        "Amazon",
        "Microsoft",
        "Alphabet (Google)",
        "Meta",
        "ByteDance",
        "Alibaba",
        "Tencent",
        "China Mobile",
    ]
    assert bar(axes, "amazon-2024").get_width() == pytest.approx(77.7)
    assert bar(axes, "amazon-2025").get_width() == pytest.approx(100)
    assert bar(axes, "amazon-2024").get_y() < bar(axes, "amazon-2025").get_y() < bar(axes, "microsoft-2024").get_y()
    assert bar(axes, "amazon-2024").get_hatch() is None
    assert bar(axes, "amazon-2025").get_hatch() == "xx"  # the company's guidance
    assert bar(axes, "alibaba-2025").get_hatch() == "////"  # the article's rule: an estimate
    assert bar(axes, "bytedance-2024").get_hatch() == "////"
    lines = footer(chart("en_US", 3))
    assert lines[0] == "Microsoft: the figure covers Jul 2024 to Jun 2025, counted as 2025"
    assert lines[1] == "No figure for 2024 or 2025: Oracle, Baidu, China Telecom, and China Unicom"
    assert "Company guidance (cross-hatched)" in legend(chart("en_US", 3))
    assert {"Capex in 2024", "Capex in 2025"} <= set(legend(chart("en_US", 3)))


def test_figure_3_in_chinese_names_the_companies_left_out():
    assert footer(chart("zh_CN", 3))[1] == "缺少2024年或2025年数据：甲骨文、百度、中国电信和中国联通"
    assert "公司指引（交叉纹）" in legend(chart("zh_CN", 3))


# Figure 5 ----------------------------------------------------------------------------------


def test_figure_5_draws_intensity_as_one_dot_per_company():
    left, right = chart("en_US", 5).figure.axes
    dots = [child for child in right.get_children() if isinstance(child, PathCollection)]
    assert len(dots) == len(bars(left)) == 12
    report = cm.build_report(cm.load_dataset())
    intensity = {row.company: row.value for row in report.rows() if row.metric == "capex_intensity"}
    for place, patch in enumerate(bars(left)):
        (dot,) = [dot for dot in dots if dot.get_gid() == f"{patch.get_gid()}-intensity"]
        x, y = (float(value) for value in np.asarray(dot.get_offsets())[0])
        assert x == pytest.approx(float(intensity[gid(patch)] * 100))
        assert y == place
    assert "12.2%" in texts(right)
    bytedance = next(dot for dot in dots if dot.get_gid() == "bytedance-intensity")
    amazon = next(dot for dot in dots if dot.get_gid() == "amazon-intensity")
    assert rgba(bytedance) == [1.0, 1.0, 1.0, 1.0]  # an estimate: hollow
    assert rgba(amazon) == list(to_rgba("#1f4e9c"))
    assert "Intensity, estimate (hollow dot)" in legend(chart("en_US", 5))


def test_figure_5_says_where_intensity_uses_total_capex():
    assert footer(chart("en_US", 5))[0].startswith(
        "Intensity is whole-company capex over revenue; for China Mobile, China Telecom, and China Unicom,"
    )
    assert (
        footer(chart("zh_CN", 5))[0]
        == "资本支出率以资本支出总额为口径统计；中国移动、中国电信和中国联通的柱形为图1所用口径"
    )


# Figure 6 ----------------------------------------------------------------------------------


def test_figure_6_names_the_companies_without_a_figure_instead_of_drawing_zero():
    figure_chart = chart("en_US", 6)
    titles = [axes.get_title(loc="left") for axes in figure_chart.figure.axes]
    assert titles == ["Operating cash flow", "Capex", "Net income", "Depreciation and amortization"]
    cash, capex, income, depreciation = figure_chart.figure.axes
    assert names(cash) == ["Alphabet (Google)", "Amazon", "Meta"]
    assert names(income) == ["Alphabet (Google)", "Meta", "Amazon", "Tencent", "Baidu"]
    assert all(patch.get_width() > 0 for axes in figure_chart.figure.axes for patch in bars(axes))
    assert texts(cash) == ["125", "116", "91.3"]
    lines = footer(figure_chart)
    assert (
        "Operating cash flow, no figure: Microsoft, Oracle, ByteDance, Alibaba, Tencent, Baidu, China Mobile,"
        " China Telecom, and China Unicom"
    ) in " ".join(lines)
    assert any(
        line.startswith("Net income, no figure: Microsoft, Oracle, ByteDance, Alibaba, China Mobile") for line in lines
    )
    assert capex.get_xlim() == depreciation.get_xlim()  # one scale for the four panels
    assert bar(capex, "china-mobile-capex").get_hatch() == "////"


def test_figure_6_says_its_capex_is_the_whole_companys():
    assert "此处资本支出为公司整体口径；图1中中国移动、中国电信和中国联通为分部口径" in footer(chart("zh_CN", 6))


# Following the report ----------------------------------------------------------------------


def test_charts_follow_the_companies_chosen():
    charts, notes = drawn("en_US", ("meta", "tencent"))
    assert notes == []
    assert names(bar_axes(charts[1])[0]) == ["Meta", "Tencent"]
    assert names(bar_axes(charts[2])[0]) == ["Tencent", "Meta"]  # 230,000 H20s, 224,000 H100s
    assert names(bar_axes(charts[3])[0]) == ["Meta", "Tencent"]
    assert footer(charts[2])[1:-1] == []  # no note on companies left out: none was asked for


def test_charts_follow_the_year_and_leave_out_what_has_nothing_to_draw():
    charts, notes = drawn("en_US", None, 2023)
    assert sorted(charts) == [1, 6]
    assert notes == [f"figure {number} not drawn: nothing to draw for 2023 and these companies" for number in (2, 3, 5)]
    assert charts[1].title == "Figure 1: Capex of the world's major tech giants, 2023"
    assert names(bar_axes(charts[1])[0]) == ["Alphabet (Google)"]
    assert footer(charts[1])[0].startswith("No figure for 2023: Amazon, Microsoft, Meta, Oracle, ByteDance")


def test_a_chart_with_nothing_to_draw_is_not_drawn(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,publisher,title,date,note,preferred\nme,Me,Mine,,,yes\n", encoding="utf-8")
    empty = cm.load_dataset(folder, replace=True)
    need_chinese("zh_CN")
    notes = _charts.write_charts(empty, "zh_CN", tmp_path / "charts")
    assert notes == [f"图{number}未绘制：所选公司2024年没有可绘制的数据" for number in (1, 2, 3, 5, 6)]
    assert not (tmp_path / "charts").exists()


def test_unknown_companies_are_refused_as_the_report_refuses_them():
    with pytest.raises(cm.UnknownCompanyError, match="nobody"):
        _charts.build_charts(cm.load_dataset(), companies=["nobody"])


# Output ------------------------------------------------------------------------------------


def test_figures_svg_are_self_contained_and_scale_to_the_page():
    need_chinese("zh_CN")
    figures, _ = _charts.figures_svg(cm.load_dataset(), "zh_CN", companies=["meta", "tencent", "alibaba"])
    assert [title for title, _ in figures][:2] == [
        "图1：全球主要科技巨头资本开支（2024年）",
        "图2：英伟达Hopper系列芯片采购量（2024年）",
    ]
    ids: list[str] = []
    for title, svg in figures:
        opening = svg[: svg.index(">") + 1]
        assert svg.startswith("<svg ")
        assert svg.endswith("</svg>\n")
        assert "viewBox=" in opening
        assert " width=" not in opening
        assert " height=" not in opening
        assert f"<title>{title}</title>" in svg
        assert "<text" not in svg  # text is drawn as paths: the page needs no font
        assert "<image" not in svg
        own = re.findall(r'\bid="([^"]+)"', svg)
        assert set(re.findall(r'href="#([^"]+)"', svg)) <= set(own)
        assert set(re.findall(r"url\(#([^)]+)\)", svg)) <= set(own)
        ids.extend(own)
    assert len(ids) == len(set(ids))  # several charts on one page do not share an id
    assert (
        _charts.figures_svg(cm.load_dataset(), companies=["meta"])[0][0]
        == _charts.figures_svg(cm.load_dataset(), companies=["meta"])[0][0]
    )  # the same chart makes the same markup


def test_write_charts_writes_png_and_svg(tmp_path):
    notes = _charts.write_charts(cm.load_dataset(), "en_US", tmp_path, companies=["meta"])
    stems = ["figure-1-capex-2024", "figure-2-hopper-2024", "figure-3-capex-2024-2025", "figure-5-intensity-2024"]
    stems.append("figure-6-cash-2024")
    assert notes == [f"wrote {tmp_path / stem}.png and {tmp_path / stem}.svg" for stem in stems]
    assert (tmp_path / "figure-1-capex-2024.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (tmp_path / "figure-1-capex-2024.svg").read_text(encoding="utf-8")
    assert "<text" not in svg
    assert "<dc:date>" not in svg  # the same chart makes the same file


def test_the_command_writes_charts_for_its_year_and_companies(capsys, tmp_path):
    need_chinese("zh_TW")
    status = main(["report", "--locale", "zh_TW", "--companies", "meta,tencent", "--chart", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 0
    assert err.count("capexmodel：已寫入 ") == 5
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".png"] * 5 + [".svg"] * 5
    status = main(["report", "--year", "2023", "--chart", str(tmp_path / "2023"), "--format", "csv"])
    err = capsys.readouterr().err
    assert status == 0
    assert "capexmodel: figure 2 not drawn: nothing to draw for 2023 and these companies\n" in err
    assert sorted(path.name for path in (tmp_path / "2023").glob("*.png")) == [
        "figure-1-capex-2023.png",
        "figure-6-cash-2023.png",
    ]


def test_wrapping_keeps_words_whole_and_punctuation_with_its_line():
    assert _charts._wrap("Intensity is whole-company capex over revenue", 20) == [
        "Intensity is",
        "whole-company capex",
        "over revenue",
    ]
    assert _charts._wrap("资本支出率以资本支出总额为口径统计；中国移动", 18) == [
        "资本支出率以资本支出",
        "总额为口径统计；中国",  # the semicolon stays with the words before it, past the width
        "移动",
    ]
    assert _charts._wrap("", 10) == []


def test_counts_that_mix_estimates_and_reported_figures_hatch_the_estimates(monkeypatch):
    def reported_by_microsoft(*arguments, **options):
        report = cm.build_report(*arguments, **options)
        sections = [
            attrs.evolve(
                section,
                observations=tuple(
                    attrs.evolve(row, status="reported") if row.company == "microsoft" else row
                    for row in section.observations
                ),
            )
            for section in report.sections
        ]
        return attrs.evolve(report, sections=tuple(sections))

    monkeypatch.setattr(_charts, "build_report", reported_by_microsoft)
    charts, _ = _charts.build_charts(cm.load_dataset(), "en_US", companies=["microsoft", "tencent"])
    (axes,) = bar_axes(charts[1])
    assert bar(axes, "microsoft").get_hatch() is None
    assert bar(axes, "tencent").get_hatch() == "////"
    assert "Every chip count is an estimate" not in charts[1].notes
    assert "Estimate (hatched)" in legend(charts[1])
