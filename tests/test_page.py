"""The HTML page of a report, read as markup: what it holds, in which language, escaped, and alone."""

from __future__ import annotations

import datetime as dt
import re
import sys
from html.parser import HTMLParser

import attrs
import pytest

import capexmodel as cm
from capexmodel._present.cli import main
from capexmodel._present.page import cited_sources, page, report_page
from capexmodel._present.report import source_text

DS = cm.load_dataset()
VOID = {"meta", "img", "br", "hr", "link", "input"}


@attrs.define
class Node:
    tag: str
    attributes: dict[str, str]
    children: list[Node | str] = attrs.Factory(list)
    parent: Node | None = None

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def find(self, tag: str, **wanted: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(child.attributes.get(k) == v for k, v in wanted.items()):
                    found.append(child)
                found.extend(child.find(tag, **wanted))
        return found

    def elements(self) -> list[Node]:
        return [child for child in self.children if isinstance(child, Node)]


class Tree(HTMLParser):
    """The page as a tree of nodes, every tag closed in order."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.at = Node("#document", {})
        self.feed(markup)
        self.close()
        assert self.at is self.root, f"unclosed <{self.at.tag}>"

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.at.children.append(Node(tag, {name: value or "" for name, value in attrs}, parent=self.at))

    def handle_endtag(self, tag):
        assert self.at.tag == tag, f"</{tag}> closes <{self.at.tag}>"
        assert self.at.parent is not None
        self.at = self.at.parent

    def handle_data(self, data):
        self.at.children.append(data)


def parse(markup: str) -> Node:
    return Tree(markup).root


@pytest.fixture(scope="module")
def zh_page() -> str:
    return page(cm.build_report(DS, "zh_CN"), sources=cited_sources(cm.build_report(DS, "zh_CN"), DS.sources.values()))


# The document -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "lang", "title"),
    [
        ("zh_CN", "zh-Hans", "2024年科技巨头算力资本支出"),
        ("zh_TW", "zh-Hant", "2024年科技巨頭算力資本支出"),
        ("zh_Hant_HK", "zh-Hant", "2024年科技巨頭算力資本支出"),
        ("en_US", "en", "Compute capex of the big tech companies, 2024"),
        ("de_DE", "en", "Compute capex of the big tech companies, 2024"),  # English words, German numbers
    ],
)
def test_the_document_says_its_language_and_its_title_in_it(locale, lang, title):
    markup = page(cm.build_report(DS, locale, companies=["meta"]))
    assert markup.startswith("<!doctype html>\n")
    tree = parse(markup)
    [html] = tree.find("html")
    assert html.attributes == {"lang": lang}
    assert tree.find("meta", charset="utf-8")
    assert tree.find("meta", name="viewport", content="width=device-width, initial-scale=1")
    assert [node.text() for node in tree.find("title")] == [title]
    assert [node.text() for node in tree.find("h1")] == [title]


@pytest.mark.parametrize(
    ("locale", "faces"),
    [
        ("zh_CN", ['"PingFang SC"', '"Noto Sans CJK SC"', '"Microsoft YaHei"']),
        ("zh_TW", ['"PingFang TC"', '"Noto Sans CJK TC"', '"Microsoft JhengHei"']),
        ("en_US", ["system-ui", '"Noto Sans CJK SC"']),
    ],
)
def test_the_fonts_are_the_readers_own_with_chinese_faces_of_the_script(locale, faces):
    [style] = parse(page(cm.build_report(DS, locale, companies=["meta"]))).find("style")
    [stack] = re.findall(r"body \{[^}]*font-family: ([^;]+);", style.text())
    assert all(face in stack for face in faces)
    assert stack.endswith("sans-serif")
    if locale != "en_US":  # Chinese faces first, so that Han characters take the forms of the page's script
        assert stack.index(faces[0]) < stack.index("system-ui")


def test_the_page_asks_for_nothing_outside_itself(zh_page):
    tree = parse(zh_page)
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert tree.find(tag) == []
    assert "@import" not in zh_page
    assert "url(" not in zh_page
    assert not re.search(r"\ssrc=", zh_page)
    assert all(node.attributes["href"].startswith(("https://", "http://")) for node in tree.find("a"))


def test_the_page_has_print_styles(zh_page):
    [style] = parse(zh_page).find("style")
    assert "@media print" in style.text()


# Tables and notes ---------------------------------------------------------------------------------


def test_every_table_scrolls_in_its_own_box_with_its_notes_under_it(zh_page):
    tree = parse(zh_page)
    report = cm.build_report(DS, "zh_CN")
    sections = [node for node in tree.find("section") if node.find("table")]
    assert [node.find("h2")[0].text() for node in sections] == [section.title for section in report.sections]
    for node, section in zip(sections, report.sections, strict=True):
        [table] = node.find("table")
        assert table.parent is not None
        assert table.parent.attributes["class"] == "table"
        assert table.parent.attributes["tabindex"] == "0"  # a box the keyboard can scroll
        order = [child.attributes.get("class") or child.tag for child in node.elements()]
        if section.notes:
            assert order == ["h2", "table", "notes"]
            [notes] = [child for child in node.elements() if child.attributes.get("class") == "notes"]
            assert [item.text() for item in notes.find("li")] == list(section.notes)
            assert notes.find("p")[0].text() == "注"
        else:
            assert order == ["h2", "table"]
    assert "2580亿美元" in tree.text()


def test_numbers_are_right_aligned_and_texts_are_not(zh_page):
    tree = parse(zh_page)
    [capex] = [node for node in tree.find("section") if node.find("h2")[0].text() == "2024年各公司资本支出"]
    header = [cell.text() for cell in capex.find("th")]
    classes = {header[i]: cell.attributes.get("class") for i, cell in enumerate(capex.find("tr")[1].find("td"))}
    assert classes == {"公司": None, "地区": None, "2024年资本支出": "num", "口径": None, "状态": None}
    assert [cell.attributes.get("class") for cell in capex.find("th")][2] == "num"
    [chips] = [node for node in tree.find("section") if "Hopper" in node.find("h2")[0].text()]
    assert [cell.attributes.get("class") for cell in chips.find("tr")[1].find("td")][1:3] == [None, "num"]  # H100
    assert "font-variant-numeric: tabular-nums" in tree.find("style")[0].text()


@pytest.mark.parametrize(
    ("text", "numeric"),
    [
        ("777亿美元", True),
        ("$77.7B", True),
        ("CN¥36.6B", True),
        ("-12.5%", True),
        ("\u221212.5%", True),
        ("485,000", True),
        ("77,7 Mrd. $", True),
        ("2/5", True),
        ("H100", False),
        ("US", False),
        ("derived", False),
        ("n/a", False),
    ],
)
def test_what_a_number_looks_like(text, numeric):
    from capexmodel._present.page import _numeric  # noqa: PLC0415 -- the rule, on its own

    assert _numeric(text) is numeric


def test_every_text_is_escaped():
    meta = DS.company("meta")
    hostile = "<script>alert('x')</script> & co"
    odd = attrs.evolve(DS, companies=tuple(attrs.evolve(c, name_en=hostile) if c == meta else c for c in DS.companies))
    source = cm.Source("<b>Pub</b>", "<i>Title</i>", note="see javascript:alert(1) or <https://example.org/a?b=1&c=2>.")
    markup = page(
        cm.build_report(odd, "en_US"), sources=[source, "<u>text only</u>"], charts=[("<em>t</em>", "<svg/>")]
    )
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co" in markup
    for raw in ("<b>", "<i>", "<u>", "<em>"):
        assert raw not in markup
    tree = parse(markup)
    [link] = tree.find("a")
    assert link.attributes["href"] == "https://example.org/a?b=1&c=2"  # escaped in the markup, whole when read
    assert 'href="https://example.org/a?b=1&amp;c=2"' in markup
    assert "javascript:" not in link.attributes["href"]
    assert hostile in tree.text()


# Sources --------------------------------------------------------------------------------------------


def test_the_sources_are_those_the_report_cites_each_once_in_order():
    report = cm.build_report(DS, "zh_CN")
    cited = cited_sources(report, DS.sources.values())
    assert len(cited) == len(set(cited))
    texts = [source_text(source, "zh_CN") if isinstance(source, cm.Source) else source for source in cited]
    firsts = [text for row in report.rows() for text in [row.source] if text]
    assert firsts[0].startswith(texts[0])  # the first row's first source comes first
    assert DS.sources["omdia"] in cited
    assert DS.sources["caijing"] in cited
    # A source the dataset does not hold (the report's own currency assumption) is kept as its text.
    assert [source for source in cited if isinstance(source, str)] == [
        "本报告，汇率假设：2025年沿用2024年平均汇率，与文章做法相同"  # noqa: RUF001 -- Chinese punctuation
    ]
    # Sources no row cites are left out.
    only_meta = cited_sources(cm.build_report(DS, "zh_CN", companies=["meta"]), DS.sources.values())
    assert DS.sources["omdia"] in only_meta
    assert DS.sources["amazon-10k-2024"] not in only_meta


def test_a_source_shows_publisher_title_date_and_its_links():
    dated = cm.Source(
        "SEC", "Form 10-K", dt.date(2025, 2, 6), note="at https://www.sec.gov/x.htm, and http://a.example/b."
    )
    report = cm.build_report(DS, "zh_CN", companies=["meta"])
    tree = parse(page(report, sources=[dated, "plain text", cm.Source("Meta", "Annual report")]))
    [section] = tree.find("section", **{"class": "sources"})
    assert section.find("h2")[0].text() == "数据来源"
    first, second, third = section.find("li")
    assert third.text() == "Meta，Annual report"  # noqa: RUF001 -- no date, no note; the reader's punctuation
    assert first.text() == "SEC，Form 10-K（2025年2月6日）：at https://www.sec.gov/x.htm, and http://a.example/b."  # noqa: RUF001
    assert [node.text() for node in first.find("cite")] == ["Form 10-K"]
    assert first.find("time")[0].attributes == {"datetime": "2025-02-06"}
    assert [a.attributes["href"] for a in first.find("a")] == ["https://www.sec.gov/x.htm", "http://a.example/b"]
    assert second.text() == "plain text"
    english = parse(page(cm.build_report(DS, "en_US", companies=["meta"]), sources=[dated]))
    assert english.find("time")[0].text() == "Feb 6, 2025"
    assert parse(page(report)).find("section", **{"class": "sources"}) == []  # none given, none listed


# Charts -----------------------------------------------------------------------------------------------


def test_charts_are_inline_svg_in_figures():
    report = cm.build_report(DS, "en_US", companies=["meta"])
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5"><rect width="10" height="5"/></svg>'
    prolog = '<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n'
    tree = parse(page(report, charts=[("Figure 1: capex", prolog + svg + "\n"), ("Figure 2", svg)]))
    [section] = tree.find("section", **{"class": "charts"})
    assert section.find("h2")[0].text() == "Charts"
    figures = section.find("figure")
    assert [figure.elements()[0].tag for figure in figures] == ["svg", "svg"]
    assert [figure.find("figcaption")[0].text() for figure in figures] == ["Figure 1: capex", "Figure 2"]
    assert "<?xml" not in page(report, charts=[("Figure 1", prolog + svg)])
    assert "max-width: 100%" in tree.find("style")[0].text()
    assert parse(page(report, charts=[])).find("figure") == []


def test_a_chart_that_is_not_svg_is_an_error():
    report = cm.build_report(DS, "en_US", companies=["meta"])
    with pytest.raises(cm.InvalidValueError, match=r"the chart 'Figure 1' is not SVG markup: no <svg element in '<png"):
        page(report, charts=[("Figure 1", "<png>")])


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        ("en_US", 'The charts need matplotlib: pip install "capexmodel[plot]"'),
        ("zh_CN", '图表需要 matplotlib：pip install "capexmodel[plot]"'),  # noqa: RUF001 -- Chinese punctuation
        ("zh_TW", '圖表需要 matplotlib：pip install "capexmodel[plot]"'),  # noqa: RUF001 -- Chinese punctuation
    ],
)
def test_without_matplotlib_the_page_says_how_to_get_the_charts(monkeypatch, locale, line):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    tree = parse(report_page(cm.build_report(DS, locale, companies=["meta"]), DS))
    assert tree.find("figure") == []
    [missing] = tree.find("p", **{"class": "charts-missing"})
    assert missing.text() == line
    assert [node.text() for node in missing.find("code")] == ['pip install "capexmodel[plot]"']


def test_the_report_page_has_the_charts_and_the_sources():
    tree = parse(report_page(cm.build_report(DS, "zh_CN"), DS))
    figures = tree.find("figure")
    assert figures
    assert all(figure.elements()[0].tag == "svg" for figure in figures)
    assert tree.find("p", **{"class": "charts-missing"}) == []
    items = tree.find("section", **{"class": "sources"})[0].find("li")
    assert any(item.text().startswith("Omdia，英伟达Hopper芯片分买家出货量") for item in items)  # noqa: RUF001


def test_the_charts_are_titled_svg_markup():
    # The contract the page relies on, whatever draws the charts: (title, SVG markup) pairs.
    from capexmodel._present.charts import figures_svg  # noqa: PLC0415 -- matplotlib is in the test extra

    charts, _ = figures_svg(DS, "en_US", year=2024, companies=None)
    assert charts
    assert all(isinstance(title, str) and title and "<svg" in markup for title, markup in charts)


# The command --------------------------------------------------------------------------------------------


def test_the_command_writes_the_page_to_standard_output_or_a_file(capsys, tmp_path):
    arguments = ["report", "--format", "html", "--locale", "en_US", "--year", "2023", "--companies", "meta,tencent"]
    assert main(arguments) == 0
    out = capsys.readouterr().out
    tree = parse(out)
    assert [node.text() for node in tree.find("h1")] == ["Compute capex of the big tech companies, 2023"]
    notes = [item.text() for item in tree.find("li")]
    assert notes[0].startswith("Meta: no capex figure for 2023")  # 2023, of meta and tencent only
    assert any(note.startswith("Tencent: ") for note in notes)
    assert "amazon" not in tree.text().lower()
    path = tmp_path / "report.html"
    assert main([*arguments, "--output", str(path)]) == 0
    assert capsys.readouterr().out == ""
    assert path.read_text(encoding="utf-8") == out
