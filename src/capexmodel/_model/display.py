"""How values show themselves: short reprs, readable text, and HTML and Markdown tables for notebooks.

Every method that displays a value (``__repr__``, ``__str__``, ``_repr_html_``,
``_repr_markdown_``) calls one function here, so that the classes stay small and
every rendering follows the same rules: reprs are short (a value says what it is and
how big it is, not everything it holds); amounts keep every digit; every text is
escaped (`html.escape` for HTML, and Markdown's special characters too); no
scripts, no styles.

Examples:
    >>> from capexmodel._model.display import View, html
    >>> html(View("Totals", ("region", "capex"), (("US", "<b>258</b>"),)))
    '<div><table><caption>Totals</caption><thead><tr><th>region</th><th>capex</th></tr></thead><tbody><tr><td>US</td><td>&lt;b&gt;258&lt;/b&gt;</td></tr></tbody></table></div>'
"""

from __future__ import annotations

import decimal
import html as _html
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Final, NamedTuple

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import shorten

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from fractions import Fraction

    from capexmodel._indicators.chips import H100Equivalents
    from capexmodel._indicators.risk import BubbleRisk
    from capexmodel._model.calendarization import Calendarization
    from capexmodel._model.conversion import Conversion
    from capexmodel._model.facts import Fact
    from capexmodel._model.money import Money
    from capexmodel._present.report import Report
    from capexmodel._sources.dataset import Aggregate, Dataset

__all__ = [
    "View",
    "aggregate_repr",
    "aggregate_view",
    "amount",
    "calendarization_view",
    "conversion_view",
    "dataset_repr",
    "dataset_view",
    "fact_repr",
    "fact_text",
    "fact_view",
    "h100_text",
    "html",
    "markdown",
    "money_view",
    "number",
    "report_views",
    "risk_repr",
    "risk_text",
    "risk_view",
]

#: Lists of names in a repr stop after this many ("and 7 more").
_LISTED: Final = 5
#: Tables of companies stop after this many rows, and say how many they left out.
_ROWS: Final = 50
#: Indicator values in text and tables show this many decimal places (rounded half to even).
_PLACES: Final = 4


class View(NamedTuple):
    """A titled table of text cells, with notes under it: what the HTML and the Markdown both show."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


def html(*views: View) -> str:
    """The views as HTML tables in one ``<div>``, every text escaped."""
    parts = ["<div>"]
    for view in views:
        parts.append("<table>")
        if view.caption:
            parts.append(f"<caption>{_html.escape(view.caption)}</caption>")
        parts.append(f"<thead><tr>{''.join(f'<th>{_html.escape(cell)}</th>' for cell in view.header)}</tr></thead>")
        parts.append("<tbody>")
        parts.extend(f"<tr>{''.join(f'<td>{_html.escape(cell)}</td>' for cell in row)}</tr>" for row in view.rows)
        parts.append("</tbody></table>")
        parts.extend(f"<p>{_html.escape(note)}</p>" for note in view.notes)
    parts.append("</div>")
    return "".join(parts)


_MARKDOWN_SPECIAL: Final = re.compile(r"([\\`*_\[\]|#])")


def _md(text: str) -> str:
    """A text as one Markdown table cell: on one line, with HTML and Markdown's special characters escaped."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _html.escape(one_line, quote=False))


def markdown(*views: View) -> str:
    r"""The views as Markdown tables, every text escaped.

    Examples:
        >>> from capexmodel._model.display import View, markdown
        >>> print(markdown(View("Totals", ("region", "capex"), (("US", "258|0"),), ("a note",))))
        **Totals**
        <BLANKLINE>
        | region | capex |
        | --- | --- |
        | US | 258\|0 |
        <BLANKLINE>
        a note
    """
    blocks = []
    for view in views:
        lines = [f"**{_md(view.caption)}**", ""] if view.caption else []
        width = len(view.header) if view.header else max((len(row) for row in view.rows), default=1)
        header = view.header or ("",) * width
        lines.append(f"| {' | '.join(map(_md, header))} |")
        lines.append(f"|{' --- |' * width}")
        lines.extend(f"| {' | '.join(map(_md, row))} |" for row in view.rows)
        if view.notes:
            lines.append("")
            lines.extend(f"{_md(note)}" for note in view.notes)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# Numbers ---------------------------------------------------------------------------------


def amount(value: Decimal) -> str:
    """An amount with every digit, no exponent, and thousands separators: ``77,700,000,000``.

    Examples:
        >>> from decimal import Decimal
        >>> from capexmodel._model.display import amount
        >>> amount(Decimal("1E+3")), amount(Decimal("-1234.5678"))
        ('1,000', '-1,234.5678')
    """
    with decimal.localcontext(EXACT):
        return format(value, ",f")


def number(value: Decimal | None, places: int = _PLACES) -> str:
    """An indicator for reading: at most `places` decimal places, rounded half to even; "n/a" for None.

    Examples:
        >>> from decimal import Decimal
        >>> from capexmodel._model.display import number
        >>> number(Decimal("0.3333333333333333333333333333")), number(Decimal("2")), number(None)
        ('0.3333', '2', 'n/a')
    """
    if value is None:
        return "n/a"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        value = value.quantize(Decimal((0, (1,), -places)), rounding=decimal.ROUND_HALF_EVEN, context=EXACT)
    return amount(value)


def _names(names: Sequence[str]) -> str:
    """Names for a repr: all of them when few, else the first few and how many more."""
    if len(names) <= _LISTED:
        return ", ".join(names)
    return f"{', '.join(names[:_LISTED])} and {len(names) - _LISTED} more"


def _years(periods: Iterable[tuple[int, int]]) -> str:
    spans = list(periods)
    if not spans:
        return "no periods"
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    return str(first) if first == last else f"{first}-{last}"


# Money --------------------------------------------------------------------------------------


def money_view(money: Money) -> View:
    """One row: the amount with every digit, the currency, the period."""
    return View("", ("amount", "currency", "period"), ((amount(money.amount), str(money.currency), str(money.period)),))


# Facts --------------------------------------------------------------------------------------


def _what(fact: Fact, who: str | None = None) -> str:
    """``amazon capex over 2024``, with the segment and the market where there is one."""
    text = f"{fact.company.id if who is None else who} {fact.metric}"
    if fact.segment is not None:
        text += f" ({shorten(fact.segment)})"
    if fact.market is not None:
        text += f" in {fact.market}"
    return f"{text} over {fact.value.period}"


def fact_repr(fact: Fact) -> str:
    """``<Fact: amazon capex over 2024: 77700000000 USD, reported, as the article gives it>``."""
    basis = f", {shorten(fact.basis)}" if fact.basis else ""
    return f"<Fact: {_what(fact)}: {fact.value.amount:f} {fact.value.currency}, {fact.status.value}{basis}>"


def _inputs(fact: Fact) -> str:
    count = len(fact.inputs)
    return f"from {count} input{'' if count == 1 else 's'}"


def _derivation(fact: Fact) -> str:
    derivation = fact.derivation
    if derivation is None:
        return _inputs(fact) if fact.inputs else ""
    kind = type(derivation).__name__.lower()
    return f"{kind}: {derivation}; {_inputs(fact)}"


def _fact_fields(fact: Fact) -> list[tuple[str, str]]:
    fields = [
        ("company", f"{fact.company.name_en} ({fact.company.id})"),
        ("metric", str(fact.metric)),
        ("period", str(fact.value.period)),
        ("value", f"{amount(fact.value.amount)} {fact.value.currency}"),
        ("status", fact.status.value),
    ]
    optional = [
        ("basis", fact.basis),
        ("segment", fact.segment or ""),
        ("market", "" if fact.market is None else str(fact.market)),
        ("counted as", "" if fact.counted_as is None else str(fact.counted_as)),
        ("derived", _derivation(fact)),
        ("note", fact.note),
    ]
    fields.extend((name, value) for name, value in optional if value)
    fields.extend(("source", str(source)) for source in fact.sources)
    if not fact.sources:
        fields.append(("source", "none given"))
    return fields


def fact_text(fact: Fact) -> str:
    """A few lines: what, who, when, the value and its currency, then status, basis, sources."""
    who = f"{fact.company.name_en} ({fact.company.id})"
    lines = [f"{_what(fact, who)}: {amount(fact.value.amount)} {fact.value.currency}"]
    lines.extend(f"  {name}: {value}" for name, value in _fact_fields(fact)[4:])
    return "\n".join(lines)


def fact_view(fact: Fact) -> View:
    """The fact's fields, one per row."""
    return View(f"Fact: {_what(fact)}", ("field", "value"), tuple(_fact_fields(fact)))


# Datasets -----------------------------------------------------------------------------------


def _dataset_summary(dataset: Dataset) -> str:
    years = _years((fact.value.period.start.year, fact.value.period.end.year) for fact in dataset.facts)
    return f"{len(dataset.companies)} companies, {len(dataset.facts)} facts, {years}, {len(dataset.sources)} sources"


def dataset_repr(dataset: Dataset) -> str:
    """``<Dataset: 12 companies, 112 facts, 2023-2025, 14 sources>``."""
    return f"<Dataset: {_dataset_summary(dataset)}>"


def dataset_view(dataset: Dataset) -> View:
    """One row per company: its names, region, currency, how many facts and over which years."""
    facts: dict[str, list[Fact]] = {company.id: [] for company in dataset.companies}
    for fact in dataset.facts:
        facts.setdefault(fact.company.id, []).append(fact)
    rows = []
    for company in dataset.companies[:_ROWS]:
        own = facts[company.id]
        years = _years((fact.value.period.start.year, fact.value.period.end.year) for fact in own)
        row = (company.id, company.name_en, company.name_zh, str(company.region), str(company.currency))
        rows.append((*row, str(len(own)), years))
    notes = []
    if len(dataset.companies) > _ROWS:
        notes.append(f"and {len(dataset.companies) - _ROWS} more companies")
    notes.append(f"{len(dataset.rates.rates)} exchange rates, {len(dataset.purchases)} chip purchases")
    header = ("company", "name", "中文名", "region", "currency", "facts", "years")
    return View(f"Dataset: {_dataset_summary(dataset)}", header, tuple(rows), tuple(notes))


# Totals -------------------------------------------------------------------------------------


def aggregate_repr(aggregate: Aggregate) -> str:
    """``<Aggregate: capex of amazon, microsoft, ... over 2024: 258000000000 USD, complete>``."""
    companies = _names([fact.company.id for fact in aggregate.facts])
    value = aggregate.value
    state = "complete" if aggregate.complete else f"INCOMPLETE, no figure for {_names(aggregate.missing)}"
    metric = aggregate.facts[0].metric
    return f"<Aggregate: {metric} of {companies} over {value.period}: {value.amount:f} {value.currency}, {state}>"


def aggregate_view(aggregate: Aggregate) -> View:
    """One row per fact added, one per company missing, and the total."""
    value = aggregate.value
    rows = [
        (
            fact.company.id,
            str(fact.value.period),
            amount(fact.value.amount),
            str(fact.value.currency),
            fact.status.value,
            fact.basis,
        )
        for fact in aggregate.facts
    ]
    rows.extend((company, str(value.period), "no figure", "", "missing", "") for company in aggregate.missing)
    rows.append(("total", str(value.period), amount(value.amount), str(value.currency), aggregate.status.value, ""))
    notes = [
        f"{fact.company.id}'s figure covers {fact.value.period}, which its source counts in {value.period}"
        for fact in aggregate.relabelled
    ]
    if aggregate.missing:
        notes.append(f"INCOMPLETE: no figure for {', '.join(aggregate.missing)}")
    caption = f"{aggregate.facts[0].metric} over {value.period}: {amount(value.amount)} {value.currency}"
    header = ("company", "period", "amount", "currency", "status", "basis")
    return View(caption, header, tuple(rows), tuple(notes))


# Bubble risk --------------------------------------------------------------------------------


def _fires(fires: bool | None) -> str:  # noqa: FBT001 -- a signal's three states
    return "unknown" if fires is None else "FIRES" if fires else "no"


def _score(risk: BubbleRisk) -> str:
    known = [signal for signal in risk.signals if signal.known]
    firing = sum(1 for signal in known if signal.fires)
    return f"score {number(risk.score)}, {firing} of {len(known)} known signals fire ({len(risk.signals)} in all)"


def risk_repr(risk: BubbleRisk) -> str:
    """``<BubbleRisk: meta over 2024, score 0.3333, 2 of 6 known signals fire (6 in all)>``."""
    return f"<BubbleRisk: {shorten(risk.subject)} over {risk.period}, {_score(risk)}>"


def risk_text(risk: BubbleRisk) -> str:
    """The score, then one line per signal: value against threshold, whether it fires, and why."""
    lines = [f"Bubble risk of {risk.subject} over {risk.period}: {_score(risk)}"]
    lines.extend(
        f"  {signal.name}: {number(signal.value)} ({signal.direction} {number(signal.threshold)} fires):"
        f" {_fires(signal.fires)}; {signal.note}"
        for signal in risk.signals
    )
    return "\n".join(lines)


def risk_view(risk: BubbleRisk) -> View:
    """One row per signal."""
    rows = tuple(
        (
            signal.name,
            number(signal.value),
            f"{signal.direction} {number(signal.threshold)}",
            _fires(signal.fires),
            number(signal.weight),
            signal.note,
        )
        for signal in risk.signals
    )
    header = ("signal", "value", "fires when", "fires", "weight", "note")
    caption = f"Bubble risk: {risk.subject} over {risk.period}, {_score(risk)}"
    return View(caption, header, rows, (f"coverage {number(risk.coverage)}",))


# Chips --------------------------------------------------------------------------------------


def h100_text(result: H100Equivalents) -> str:
    """The count, its basis, and the count by buyer and the factor of each chip."""
    lines = [f"{number(result.value, 1)} H100-equivalents on the {result.basis} basis"]
    lines.extend(f"  {buyer}: {number(_decimal(count), 1)}" for buyer, count in sorted(result.by_buyer.items()))
    lines.extend(f"  1 {chip} = {factor} H100" for chip, factor in sorted(result.factors.items()))
    return "\n".join(lines)


def _decimal(value: Fraction) -> Decimal:
    """A fraction as a Decimal: exact when it terminates within 28 digits, else rounded to 28."""
    return QUOTIENT.divide(Decimal(value.numerator), Decimal(value.denominator))


# Conversion and calendarization -------------------------------------------------------------


def conversion_view(conversion: Conversion) -> View:
    """One row per run of months: the route and its exact factor."""
    rows = tuple(
        (str(segment.months), str(segment), str(segment.factor), number(_decimal(segment.factor), 6))
        for segment in conversion.segments
    )
    caption = f"{conversion.base} to {conversion.quote} over {conversion.period} ({conversion.method})"
    notes = (f"factor {conversion.factor} = {number(conversion.rate, 6)}",)
    return View(caption, ("months", "route", "factor", "about"), rows, notes)


def calendarization_view(calendarization: Calendarization) -> View:
    """One row per input: its period and amount, the months counted, the share, the contribution."""
    rows = tuple(
        (
            str(part.amount.period),
            amount(part.amount.amount),
            str(part.counted),
            str(part.share),
            amount(part.contribution.amount),
        )
        for part in calendarization.parts
    )
    value = calendarization.value
    caption = f"{amount(value.amount)} {value.currency} over {calendarization.target} by {calendarization.method}"
    header = ("input period", "input amount", "months counted", "share", "contribution")
    return View(caption, header, rows)


# The report ---------------------------------------------------------------------------------


def report_views(report: Report) -> tuple[View, ...]:
    """One view per section of the report, in order."""
    return tuple(
        View(
            section.title,
            tuple(title for _, title in section.columns),
            tuple(tuple(row.get(key, "") for key, _ in section.columns) for row in section.rows),
            section.notes,
        )
        for section in report.sections
    )
