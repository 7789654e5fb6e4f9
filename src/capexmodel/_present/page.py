"""The report as one self-contained HTML page: tables, charts, notes and sources, readable on a phone.

The page asks nothing of the network: its styles are inline, its fonts are the
reader's own (a system font stack with Chinese faces), and its charts are inline
SVG. Every text is escaped; the page's own words (the title, "Notes", "Sources")
come from the message catalogs, in the report's locale. Each table scrolls
sideways inside its own box, so that a narrow screen never widens the page.

Examples:
    >>> import capexmodel as cm
    >>> from capexmodel._present.page import page
    >>> report = cm.build_report(cm.load_dataset(), "zh_CN", companies=["meta"])
    >>> text = page(report)
    >>> text.startswith("<!doctype html>"), '<html lang="zh-Hans">' in text, "<title>" in text
    (True, True, True)
"""

from __future__ import annotations

import html
import importlib
import re
from typing import TYPE_CHECKING, Final

import capexmodel
from capexmodel._errors import InvalidValueError, show
from capexmodel._model.display import report_views
from capexmodel._model.provenance import Source, merge_sources
from capexmodel._model.reading import _parse_locale
from capexmodel._present.messages import catalog_for, data_text, translation

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from capexmodel._model.display import View
    from capexmodel._present.report import Report
    from capexmodel._sources.dataset import Dataset

__all__ = ["cited_sources", "page", "report_page"]

#: The ``lang`` of the page, by message catalog: the language and script of its words.
_LANGUAGES: Final = {"en": "en", "zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant"}

#: Fonts, the reader's own: Chinese faces first on a Chinese page (so that Han characters are drawn
#: in the forms of its script), and Simplified faces after the Latin ones on an English page, whose
#: sources and company names may hold Chinese.
_LATIN: Final = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial'
_SIMPLIFIED: Final = '"PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"'
_TRADITIONAL: Final = '"PingFang TC", "PingFang HK", "Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei"'
_FONTS: Final = {
    "en": f"{_LATIN}, {_SIMPLIFIED}, sans-serif",
    "zh_Hans": f"{_SIMPLIFIED}, {_LATIN}, sans-serif",
    "zh_Hant": f"{_TRADITIONAL}, {_LATIN}, sans-serif",
}

_STYLE: Final = """
:root { color-scheme: light; --line: #d0d7de; --muted: #57606a; --stripe: #f6f8fa; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 64rem; padding: 1rem; font-family: FONTS; line-height: 1.6;
       color: #1f2328; background: #fff; overflow-wrap: anywhere; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: 0.5rem 0 1.5rem; }
h2 { font-size: 1.15rem; line-height: 1.4; margin: 2rem 0 0.5rem; }
section { margin-bottom: 1.5rem; }
.table { overflow-x: auto; -webkit-overflow-scrolling: touch; border: 1px solid var(--line); border-radius: 4px; }
.table:focus { outline: 2px solid #0969da; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; overflow-wrap: normal; }
th, td { padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top;
         word-break: keep-all; }
td { min-width: 3em; }
td.long { min-width: 16em; }
th { background: var(--stripe); font-weight: 600; white-space: nowrap; }
tbody tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.notes { font-size: 0.875rem; color: var(--muted); margin: 0.5rem 0 0; }
.notes p { margin: 0; font-weight: 600; }
.notes ul { margin: 0.25rem 0 0; padding-left: 1.25rem; }
figure { margin: 1rem 0 1.5rem; }
figure svg { display: block; width: 100%; max-width: 100%; height: auto; }
figcaption { font-size: 0.875rem; color: var(--muted); margin-top: 0.25rem; }
.charts-note { font-size: 0.875rem; color: var(--muted); margin: 0.25rem 0; }
.sources ol { padding-left: 1.5rem; font-size: 0.875rem; }
.sources li { margin-bottom: 0.35rem; }
a { color: #0969da; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em;
       background: var(--stripe); padding: 0.1em 0.3em; border-radius: 3px; }
footer { margin-top: 2rem; font-size: 0.8rem; color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .table { overflow: visible; border: none; }
  table { font-size: 8.5pt; }
  th { background: none; }
  h2 { break-after: avoid; }
  section, figure, tr { break-inside: avoid; }
  a { color: inherit; }
  a[href]::after { content: " <" attr(href) ">"; }
}
"""

#: A web address in a source's text, made a link: http and https only.
_URL: Final = re.compile(r"https?://[^\s<>\"']+")
#: A number as a cell shows it: a sign, a currency's letters and symbol (``CN¥``, ``$``), then a digit.
_NUMBER: Final = re.compile(r"[+\-\u2212]?(?:[A-Z]{0,3}[^\w\s])?[+\-\u2212]?[0-9]")
#: A column with a text longer than this many characters is kept wide enough to read on a phone.
_LONG: Final = 24
#: Punctuation that ends a sentence after an address rather than belonging to it.
_TRAILING: Final = ".,;:!?)]}"


def page(
    report: Report,
    *,
    sources: Sequence[Source | str] = (),
    charts: Sequence[tuple[str, str]] | None = (),
    chart_notes: Sequence[str] = (),
) -> str:
    """The report as one HTML document: its sections' tables and notes, the charts, the sources.

    Args:
        report: The report, as `build_report` computes it.
        sources: The sources it cites: `Source` values, or texts for those known only as text.
        charts: The charts as (title, SVG markup) pairs; None when they cannot be drawn
            (matplotlib missing), which the page says in one line with the command that installs it.
        chart_notes: What a reader of the charts should know, shown above them: a chart
            left out, or Chinese charts drawn in English for want of a font, and what to install.

    Returns:
        The page, with no reference to anything outside it.

    Raises:
        InvalidValueError: a chart's markup holds no ``<svg`` element.
    """
    catalog = catalog_for(report.locale)
    words = translation(report.locale)
    # Translators: the page's title and heading; {year} is the calendar year the report covers, such as 2024.
    title = words.gettext("Compute capex of the big tech companies, {year}").format(year=report.year)
    parts = [
        "<!doctype html>",
        f'<html lang="{_LANGUAGES[catalog]}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(title)}</title>",
        f"<style>{_STYLE.replace('FONTS', _FONTS[catalog])}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_escape(title)}</h1>",
    ]
    notes = words.gettext("Notes")
    parts.extend(_section(index, view, notes) for index, view in enumerate(report_views(report), start=1))
    charts_word = words.gettext("Charts")
    # Translators: one line where the charts would be; {command} is the command that installs matplotlib.
    missing = words.gettext("The charts need matplotlib: {command}")
    parts.append(_charts(charts, charts_word, missing, chart_notes))
    if sources:
        heading = _escape(words.gettext("Sources"))
        items = "".join(f"<li>{_source(source, report.locale)}</li>" for source in sources)
        parts.append(f'<section class="sources" aria-labelledby="sources"><h2 id="sources">{heading}</h2>')
        parts.append(f"<ol>{items}</ol></section>")
    parts.extend(
        [
            "</main>",
            f"<footer>capexmodel {_escape(capexmodel.__version__)}</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
    return "\n".join(part for part in parts if part)


def report_page(report: Report, dataset: Dataset) -> str:
    """The page of a report computed from `dataset`: with the sources it cites, and its charts where matplotlib is.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.page import report_page
        >>> ds = cm.load_dataset()
        >>> text = report_page(cm.build_report(ds, "en_US", companies=["meta"]), ds)
        >>> "Meta, <cite>Form 10-K for 2024</cite>" in text
        True
    """
    known = merge_sources(
        dataset.sources.values(),
        (source for fact in dataset.facts for source in fact.sources),
        (rate.source for rate in dataset.rates.rates if rate.source is not None),
    )
    charts, chart_notes = _figures(report, dataset)
    return page(report, sources=cited_sources(report, known), charts=charts, chart_notes=chart_notes)


def cited_sources(report: Report, known: Iterable[Source]) -> tuple[Source | str, ...]:
    """The sources the report's rows cite, each once, in the order they are first cited.

    A row names its sources as their texts joined by ``"; "``; each text is matched
    with the longest of the `known` sources it begins with, and a text that matches
    none is kept as it is, up to the next ``"; "``.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.page import cited_sources
        >>> ds = cm.load_dataset()
        >>> cited = cited_sources(cm.build_report(ds, companies=["meta"]), ds.sources.values())
        >>> [source.publisher for source in cited if isinstance(source, cm.Source)]
        ['Caijing (财经)', 'Omdia', 'Meta', 'The companies']
    """
    from capexmodel._present.report import source_text  # noqa: PLC0415 -- the report's words for a source

    # Translators: separates the sources of a figure in a list ("A; B")
    separator = translation(report.locale).gettext("; ")
    by_text: dict[str, Source] = {}
    for source in known:
        by_text.setdefault(source_text(source, report.locale), source)
    longest_first = sorted(by_text, key=len, reverse=True)
    cited: dict[str, Source | str] = {}
    for row in report.rows():
        rest = row.source
        while rest:
            found = (text for text in longest_first if rest == text or rest.startswith(f"{text}{separator}"))
            text = next(found, None)
            if text is None:
                text = rest.partition(separator)[0]
            cited.setdefault(text, by_text.get(text, text))
            rest = rest[len(text) + len(separator) :]
    return tuple(cited.values())


def _figures(report: Report, dataset: Dataset) -> tuple[list[tuple[str, str]] | None, list[str]]:
    """The report's charts (None without matplotlib, the ``plot`` extra), and the notes that go with them."""
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        return None, []
    from capexmodel._present.charts import figures_svg  # noqa: PLC0415 -- matplotlib is optional, and loads only here

    return figures_svg(dataset, report.locale, year=report.year, companies=report.companies)


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _numeric(text: str) -> bool:
    """Whether a cell shows a number: a digit first, after a sign, or a currency's letters and symbol.

    ``777亿美元``, ``$77.7B``, ``CN¥36.6B``, ``-12.5%``, ``485,000`` and ``2/5`` are numbers;
    ``H100`` and ``US`` are not.
    """
    return _NUMBER.match(text) is not None


def _kind(cells: list[str]) -> str:
    """A column's class: ``num`` for numbers (right-aligned), ``long`` for long texts (kept wide enough to read)."""
    shown = [text for text in cells if text]
    if shown and all(map(_numeric, shown)):
        return "num"
    return "long" if any(len(text) > _LONG for text in shown) else ""


def _section(index: int, view: View, notes_word: str) -> str:
    """One section: its title, its table in a box that scrolls sideways, its notes under it."""
    kinds = [_kind([row[column] for row in view.rows]) for column in range(len(view.header))]

    def cell(tag: str, column: int, text: str) -> str:
        kind = f' class="{kinds[column]}"' if kinds[column] else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{kind}{scope}>{_escape(text)}</{tag}>"

    heading = f"section-{index}"
    parts = [f'<section aria-labelledby="{heading}">', f'<h2 id="{heading}">{_escape(view.caption)}</h2>']
    parts.append(f'<div class="table" role="region" aria-labelledby="{heading}" tabindex="0"><table>')
    parts.append(f"<thead><tr>{''.join(cell('th', i, text) for i, text in enumerate(view.header))}</tr></thead>")
    parts.append("<tbody>")
    parts.extend(f"<tr>{''.join(cell('td', i, text) for i, text in enumerate(row))}</tr>" for row in view.rows)
    parts.append("</tbody></table></div>")
    if view.notes:
        items = "".join(f"<li>{_escape(note)}</li>" for note in view.notes)
        parts.append(f'<div class="notes"><p>{_escape(notes_word)}</p><ul>{items}</ul></div>')
    parts.append("</section>")
    return "".join(parts)


_SVG: Final = re.compile(r"<svg\b")


def _charts(charts: Sequence[tuple[str, str]] | None, heading: str, missing: str, notes: Sequence[str]) -> str:
    """The charts, each an inline SVG in a figure, after their notes; or one line saying how to get them."""
    if charts is None:
        command = '<code>pip install "capexmodel[plot]"</code>'
        return f'<p class="charts-missing">{_escape(missing).replace("{command}", command)}</p>'
    if not charts and not notes:
        return ""
    parts = [f'<section class="charts" aria-labelledby="charts"><h2 id="charts">{_escape(heading)}</h2>']
    parts.extend(f'<p class="charts-note">{_escape(note)}</p>' for note in notes)
    for title, markup in charts:
        start = _SVG.search(markup)
        if start is None:
            msg = f"the chart {show(title)} is not SVG markup: no <svg element in {show(markup)}"
            raise InvalidValueError(msg)
        parts.append(f"<figure>{markup[start.start() :].strip()}<figcaption>{_escape(title)}</figcaption></figure>")
    parts.append("</section>")
    return "".join(parts)


def _source(source: Source | str, locale: str) -> str:
    """A source as a list item's content: publisher, title (cited), date, and its note with its links."""
    if isinstance(source, str):
        return _linked(source)
    words = translation(locale)

    def data(context: str, text: str) -> str:
        return data_text(words, context, text)

    publisher, title = _escape(data("publisher", source.publisher)), _escape(data("source title", source.title))
    text = words.gettext("{publisher}, {title}").format(publisher=publisher, title=f"<cite>{title}</cite>")
    if source.date is not None:
        from babel.dates import format_date  # noqa: PLC0415 -- babel loads lazily, on first use

        written = _escape(format_date(source.date, "medium", locale=_parse_locale(locale)))
        date = f'<time datetime="{source.date.isoformat()}">{written}</time>'
        text = words.gettext("{source} ({date})").format(source=text, date=date)
    if source.note is not None:
        text = words.gettext("{source}: {note}").format(source=text, note=_linked(data("source note", source.note)))
    return text


def _linked(text: str) -> str:
    """`text` escaped, with each http or https address in it a link."""
    out = []
    end = 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_TRAILING)
        out.append(_escape(text[end : match.start()]))
        out.append(f'<a href="{_escape(url)}">{_escape(url)}</a>')
        end = match.start() + len(url)
    out.append(_escape(text[end:]))
    return "".join(out)
