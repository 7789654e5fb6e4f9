"""How values show themselves: short reprs, readable text, HTML and Markdown tables, and format specs."""

import decimal
import html
import re
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given

import capexmodel as cm
from capexmodel._present.report import build_report
from tests import strategies as cms

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
DS = cm.load_dataset()


class Table(HTMLParser):
    """Reads HTML, checking that every tag is closed in order, and collects the cells and the text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self.captions: list[str] = []
        self.paragraphs: list[str] = []
        self.where: str | None = None
        self.feed(markup)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag, attrs):
        assert not attrs, f"no attributes expected, got {attrs} on {tag}"
        self.stack.append(tag)
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
        if tag in ("td", "th", "caption", "p"):
            self.where = tag

    def handle_endtag(self, tag):
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        self.where = None

    def handle_data(self, data):
        if self.where in ("td", "th"):
            self.rows[-1][-1] += data
        elif self.where == "caption":
            self.captions.append(data)
        elif self.where == "p":
            self.paragraphs.append(data)
        else:
            assert not data.strip(), f"text outside a cell: {data!r}"

    @property
    def cells(self) -> set[str]:
        return {cell for row in self.rows for cell in row}


def parsed(value) -> Table:
    markup = value._repr_html_()
    assert isinstance(markup, str)
    table = Table(markup)
    assert set(table.tags) <= {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "p"}
    return table


def markdown_rows(text: str) -> list[list[str]]:
    """The rows of the Markdown tables in `text`, cells split on unescaped pipes."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([cell.strip() for cell in cells])
    return rows


def hostile_company(name: str) -> cm.Company:
    return cm.Company(id="evil", name_en=name, name_zh=name, region="US", currency="USD")


# Reprs --------------------------------------------------------------------------------------


def test_the_dataset_repr_counts_what_it_holds():
    years = sorted({year for fact in DS.facts for year in (fact.value.period.start.year, fact.value.period.end.year)})
    expected = (
        f"<Dataset: {len(DS.companies)} companies, {len(DS.facts)} facts, {years[0]}-{years[-1]},"
        f" {len(DS.sources)} sources>"
    )
    assert repr(DS) == expected
    assert len(repr(DS)) < 100


def test_a_dataset_of_one_year_and_one_of_none():
    one = attrs.evolve(DS, facts=DS.select(period="2024", metric="capex", company="amazon")[:1])
    assert repr(one).endswith(" 1 facts, 2024, 23 sources>".replace("23", str(len(DS.sources))))
    assert "no periods" in repr(attrs.evolve(DS, facts=()))


@pytest.mark.parametrize("scope", [{"group": "us-five"}, {"group": "china-seven"}, {"region": "US"}, {"region": "CN"}])
def test_aggregate_reprs_are_short_and_say_what_they_are(scope):
    aggregate = DS.total("capex", period=Y24, currency="USD", **scope)
    text = repr(aggregate)
    assert len(text) < 300
    assert text.startswith("<Aggregate: capex of ")
    assert f"{aggregate.value.amount:f} USD" in text
    assert ("complete>" in text) == aggregate.complete
    for company in aggregate.missing:
        assert company in text


def test_an_aggregate_repr_lists_a_few_companies_and_counts_the_rest():
    everyone = DS.total("capex", period=Y24, currency="USD", companies=[company.id for company in DS.companies])
    assert len(everyone.facts) > 5
    assert f"and {len(everyone.facts) - 5} more over 2024" in repr(everyone)


@pytest.mark.parametrize("company", [company.id for company in DS.companies])
def test_bubble_risk_reprs_are_short(company):
    try:
        risk = DS.bubble_risk(Y24, company=company)
    except cm.CapexModelError:
        pytest.skip(f"no bubble risk for {company}")
    text = repr(risk)
    assert text.startswith(f"<BubbleRisk: {company} over 2024, score ")
    assert len(text) < 200


def test_a_bubble_risk_with_no_known_signal_has_no_score():
    assert repr(cm.BubbleRisk("amazon", Y24, ())) == (
        "<BubbleRisk: amazon over 2024, score n/a, 0 of 0 known signals fire (0 in all)>"
    )


def test_every_fact_repr_is_short_and_a_query_reads_in_a_screen():
    assert max(len(repr(fact)) for fact in DS.facts) < 300
    assert len(repr(DS.select(metric="capex"))) < 300 * len(DS.select(metric="capex"))
    amazon = DS.fact("amazon", "capex", Y24)
    assert repr(amazon) == "<Fact: amazon capex over 2024: 77700000000 USD, reported, as the article gives it>"


def test_a_fact_repr_names_its_segment_and_market():
    segment = next(fact for fact in DS.facts if fact.segment is not None)
    assert f"({segment.segment})" in repr(segment)
    market = next(fact for fact in DS.facts if fact.market is not None)
    assert f" in {market.market} over " in repr(market)


def test_money_and_period_reprs_still_evaluate_back():
    money = cm.Money("777.50", "USD", cm.CalendarQuarter(2024, 3))
    assert eval(repr(money), {"Money": cm.Money, "Period": cm.Period}) == money  # noqa: S307


# Text ---------------------------------------------------------------------------------------


def test_a_fact_reads_as_a_few_lines():
    text = str(DS.fact("amazon", "capex", Y24))
    lines = text.splitlines()
    assert lines[0] == "Amazon (amazon) capex over 2024: 77,700,000,000 USD"
    assert "  status: reported" in lines
    assert "  basis: as the article gives it" in lines
    assert any(line.startswith("  source: Caijing") for line in lines)


def test_a_derived_fact_says_how_and_from_what():
    bytedance = DS.convert(DS.fact("bytedance", "capex", Y24), "USD")
    text = str(bytedance)
    assert "  status: estimate" in text.splitlines()
    assert re.search(r"derived: conversion: CNY to USD over 2024 \(inverse\).*; from 1 input$", text, re.MULTILINE)
    oracle = DS.fact("oracle", "capex", "2024")
    assert f"from {len(oracle.inputs)} inputs" in str(oracle)
    assert "  counted as: 2024" in str(oracle).splitlines()


def test_a_fact_without_sources_says_so_and_inputs_without_a_derivation_are_counted():
    company = hostile_company("Acme")
    fact = cm.Fact(company, "capex", cm.Money("1", "USD", Y24))
    assert "  source: none given" in str(fact).splitlines()
    derived = cm.Fact.derive(cm.Money("2", "USD", Y24), [fact, fact])
    assert "  derived: from 2 inputs" in str(derived).splitlines()


def test_a_bubble_risk_reads_as_one_line_per_signal():
    risk = DS.bubble_risk(Y24, company="meta")
    lines = str(risk).splitlines()
    assert lines[0].startswith("Bubble risk of meta over 2024: score ")
    assert len(lines) == 1 + len(risk.signals)
    for line, signal in zip(lines[1:], risk.signals, strict=True):
        assert line.startswith(f"  {signal.name}: ")
        assert {True: "FIRES", False: ": no;", None: "unknown"}[signal.fires] in line


def test_h100_equivalents_read_with_buyers_and_factors():
    result = cm.h100_equivalents(
        [
            cm.ChipPurchase("tencent", "H20", 230_000, Y24),
            cm.ChipPurchase("meta", "H100", 3, Y24),
        ],
        basis={"H20": Fraction(1, 3)},
    )
    assert str(result).splitlines() == [
        "76,669.7 H100-equivalents on the explicit basis",
        "  meta: 3",
        "  tencent: 76,666.7",
        "  1 H100 = 1 H100",
        "  1 H20 = 1/3 H100",
    ]


# HTML and Markdown --------------------------------------------------------------------------


def test_money_renders_as_one_row():
    money = cm.Money("77700000000.5", "USD", Y24)
    table = parsed(money)
    assert table.rows == [["amount", "currency", "period"], ["77,700,000,000.5", "USD", "2024"]]
    assert markdown_rows(money._repr_markdown_()) == [
        ["amount", "currency", "period"],
        ["---", "---", "---"],
        ["77,700,000,000.5", "USD", "2024"],
    ]


def test_a_fact_renders_its_fields():
    fact = DS.fact("oracle", "capex", "2024")
    table = parsed(fact)
    fields = dict(row for row in table.rows if len(row) == 2)
    assert fields["company"] == "Oracle (oracle)"
    assert fields["value"] == f"{fact.value.amount:,f} USD"
    assert fields["counted as"] == "2024"
    assert table.captions == ["Fact: oracle capex over 2024-03/2025-02"]
    assert ["company", "Oracle (oracle)"] in markdown_rows(fact._repr_markdown_())


def test_the_dataset_renders_one_row_per_company():
    table = parsed(DS)
    assert table.rows[0] == ["company", "name", "中文名", "region", "currency", "facts", "years"]
    assert [row[0] for row in table.rows[1:]] == [company.id for company in DS.companies]
    amazon = next(row for row in table.rows if row[0] == "amazon")
    assert amazon[5] == str(len(DS.select(company="amazon")))
    assert table.captions == [repr(DS)[1:-1]]
    assert len(markdown_rows(DS._repr_markdown_())) == 2 + len(DS.companies)


def test_a_large_dataset_shows_the_first_companies_and_counts_the_rest():
    many = tuple(
        cm.Company(id=f"c{number}", name_en=f"C{number}", name_zh=f"C{number}", region="US", currency="USD")
        for number in range(60)
    )
    table = parsed(attrs.evolve(DS, companies=many))
    assert len(table.rows) == 51
    assert "and 10 more companies" in table.paragraphs


def test_an_aggregate_renders_its_facts_the_missing_and_the_total():
    aggregate = DS.total("capex", period=Y24, region="US", currency="USD")
    table = parsed(aggregate)
    companies = [row[0] for row in table.rows[1:]]
    assert companies == [*(fact.company.id for fact in aggregate.facts), *aggregate.missing, "total"]
    assert table.rows[-1][2] == f"{aggregate.value.amount:,f}"
    assert "INCOMPLETE: no figure for nvidia, xai" in table.paragraphs
    assert any("oracle's figure covers 2024-03/2025-02" in note for note in table.paragraphs)
    assert markdown_rows(aggregate._repr_markdown_())[-1][0] == "total"


def test_a_bubble_risk_renders_one_row_per_signal():
    risk = DS.bubble_risk(Y24, company="meta")
    table = parsed(risk)
    assert [row[0] for row in table.rows[1:]] == [signal.name for signal in risk.signals]
    intensity = next(row for row in table.rows if row[0] == "capex_intensity")
    value = risk.signal("capex_intensity").value
    assert value is not None
    assert intensity[1:4] == [f"{round(value, 4)}", "above 0.2", "FIRES"]
    assert any(row[0] == "capex\\_intensity" for row in markdown_rows(risk._repr_markdown_()))


def test_a_conversion_renders_its_runs_of_months():
    y25 = cm.CalendarYear(2025)
    rates = cm.RateTable([cm.ExchangeRate("USD", "CNY", "7.230", Y24), cm.ExchangeRate("USD", "CNY", "7.2", y25)])
    blend = rates.conversion("CNY", "USD", cm.Period.parse("2024-04/2025-03"), blend=True)
    table = parsed(blend)
    assert [row[:3] for row in table.rows[1:]] == [
        ["2024-04/2024-12", "the inverse of 1 USD = 7.230 CNY, average over 2024", "100/723"],
        ["2025-Q1", "the inverse of 1 USD = 7.2 CNY, average over 2025", "5/36"],
    ]
    assert table.captions == ["CNY to USD over 2024-04/2025-03 (blend)"]
    assert len(markdown_rows(blend._repr_markdown_())) == 4


def test_a_calendarization_renders_its_parts():
    quarters = [cm.Money("9", "USD", cm.Period.parse(label)) for label in ("2024-03/2024-05", "2024-06/2024-08")]
    result = cm.calendarize(quarters, cm.Period.parse("2024-04/2024-06"))
    table = parsed(result)
    assert table.rows[1:] == [
        ["2024-03/2024-05", "9", "2024-04/2024-05", "2/3", "6"],
        ["2024-06/2024-08", "9", "2024-06", "1/3", "3"],
    ]
    assert table.captions == ["9 USD over 2024-Q2 by months"]
    assert len(markdown_rows(result._repr_markdown_())) == 4


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_the_report_renders_one_table_per_section(locale):
    report = build_report(DS, locale)
    table = parsed(report)
    assert table.captions == [section.title for section in report.sections]
    assert table.tags.count("table") == len(report.sections)
    headers = [[title for _, title in section.columns] for section in report.sections]
    assert all(header in table.rows for header in headers)
    notes = [note for section in report.sections for note in section.notes]
    assert table.paragraphs == notes


@given(cms.hostile_markup, cms.hostile_markup, cms.hostile_markup)
def test_hostile_text_comes_out_escaped(name, basis, title):
    company = hostile_company(name)
    source = cm.Source(title, title)
    fact = cm.Fact(company, "capex", cm.Money("1", "USD", Y24), basis, sources=[source], note=title)
    aggregate = cm.Aggregate(fact.value, [fact], [])
    risk = cm.BubbleRisk(name, Y24, ())
    for value in (fact, aggregate, risk):
        markup = value._repr_html_()
        assert "<script" not in markup
        assert "<img" not in markup
        table = parsed(value)
        texts = table.cells | set(table.captions) | set(table.paragraphs)
        assert any(name in text for text in texts) or any(basis in text for text in texts)
        text = value._repr_markdown_()
        assert "<script" not in text
        assert "<img" not in text
        assert all(len(row) == len(markdown_rows(text)[0]) for row in markdown_rows(text))
    table = parsed(fact)
    assert f"{name} (evil)" in table.cells
    assert basis in table.cells


def test_markdown_escapes_markup_and_keeps_cells_on_one_line():
    fact = cm.Fact(hostile_company("a|b *c*"), "capex", cm.Money("1", "USD", Y24), "x\ny <z>")
    text = fact._repr_markdown_()
    assert "| company | a\\|b \\*c\\* (evil) |" in text
    assert "| basis | x y &lt;z&gt; |" in text


# Format specs -------------------------------------------------------------------------------


@given(cms.money(), cms.format_specs().filter(bool))
def test_a_format_spec_formats_the_amount_as_decimal_does(money, spec):
    with decimal.localcontext(decimal.Context(prec=28, rounding=decimal.ROUND_HALF_EVEN)):
        expected = format(money.amount, spec)
    assert format(money, spec) == expected
    assert f"{money:{spec}}" == expected


@given(cms.money(), cms.format_specs())
def test_formatting_ignores_and_keeps_the_callers_context(money, spec):
    expected = format(money, spec)
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN, traps=[])) as context:
        assert format(money, spec) == expected
        assert not any(context.flags.values())


def test_an_empty_spec_is_str_and_grouping_keeps_every_digit():
    money = cm.Money("77700000000.125", "USD", Y24)
    assert f"{money}" == format(money, "") == str(money) == "77700000000.125 USD over 2024"
    assert format(money, ",.0f") == "77,700,000,000"
    assert format(money, ",.2f") == "77,700,000,000.12"  # half to even
    assert format(cm.Money("1e30", "USD", Y24), ",f") == "1,000,000,000,000,000,000,000,000,000,000"


@pytest.mark.parametrize("spec", ["q", ",,", ".2.2f", "d", "x", "s"])
def test_a_bad_spec_is_refused_naming_it(spec):
    money = cm.Money("1", "USD", Y24)
    with pytest.raises(cm.InvalidValueError, match=f"^{re.escape(repr(spec))} is not a format spec") as caught:
        format(money, spec)
    assert isinstance(caught.value, ValueError)


def test_a_spec_that_is_not_a_string_is_refused():
    with pytest.raises(cm.InvalidValueError, match="^3 is not a format spec"):
        cm.Money("1", "USD", Y24).__format__(3)  # type: ignore[arg-type]


def test_amounts_show_every_digit_and_numbers_round_half_to_even():
    from capexmodel._model.display import amount, number  # noqa: PLC0415 -- the private helpers, once

    assert amount(Decimal("-1E+3")) == "-1,000"
    assert number(Decimal("0.00005")) == "0.0000"
    assert number(Decimal("0.00015")) == "0.0002"
    assert html.unescape(cm.Money("1", "USD", Y24)._repr_html_()).count("<td>") == 3
