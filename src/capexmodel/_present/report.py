"""The article's comparison, computed from a dataset, as sections of rows ready to render.

Every text the report shows is an English message looked up in the reader's catalog
(`capexmodel._present.messages`): titles, column names, statuses, metrics, signals, rules and
notes, and the data's own texts (bases, sources, statements, names). Amounts, numbers
and periods inside sentences are written for the locale by babel (``3800亿元``,
``2025年1月至2027年12月``), region names are CLDR's (美国, 美國, United States).
"""

from __future__ import annotations

import importlib
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, final

import attrs

from capexmodel._context import EXACT
from capexmodel._errors import (
    AmbiguousFactError,
    AmbiguousRateError,
    CapexModelError,
    CurrencyMismatchError,
    FactNotFoundError,
    InvalidValueError,
    MissingRateError,
    PeriodMismatchError,
    UndefinedIndicatorError,
    show,
)
from capexmodel._fx.rates import RateTable
from capexmodel._indicators.chips import h100_equivalents
from capexmodel._indicators.projections import capex_from_revenue, spread_plan
from capexmodel._lazy import public
from capexmodel._model.display import html, report_views
from capexmodel._model.period import CalendarQuarter, CalendarYear, Period
from capexmodel._model.provenance import Source, Status, merge_sources
from capexmodel._model.reading import _parse_locale
from capexmodel._present.format import format_money, format_percent, format_period, format_ratio
from capexmodel._present.messages import N_, NP_, catalog_for, data_text, translate_data, translation
from capexmodel._sources.dataset import as_reported, in_own_context

if TYPE_CHECKING:
    import gettext
    from collections.abc import Iterable

    import babel

    from capexmodel._model.company import Company
    from capexmodel._model.conversion import Conversion
    from capexmodel._model.facts import Fact
    from capexmodel._model.money import Money
    from capexmodel._sources.dataset import Aggregate, Dataset, Statement

__all__ = ["COLUMNS", "Report", "ReportRow", "Section", "build_report", "covered_years"]

#: The statuses of figures, as the tables show them (the tidy rows keep the codes).
_STATUSES: Final = {
    # Translators: the status of a figure: as the company or the source reported it
    Status.REPORTED: N_("reported"),
    # Translators: the status of a figure: computed from other figures (converted, restated, added up)
    Status.DERIVED: N_("derived"),
    # Translators: the status of a figure: an analyst's or a broker's estimate
    Status.ESTIMATE: N_("estimate"),
    # Translators: the status of a figure: what a company said it expects to spend (its guidance)
    Status.GUIDANCE: N_("guidance"),
}

#: The metrics, in words, as notes name them.
_METRICS: Final = {
    "capex": N_("capex"),
    "revenue": N_("revenue"),
    "operating_cash_flow": N_("operating cash flow"),
    "net_income": N_("net income"),
    "depreciation_and_amortization": N_("depreciation and amortization"),
    "free_cash_flow": N_("free cash flow"),
    "revenue_by_market": N_("revenue by market"),
}

#: The bubble-risk signals, in words, as the risk table names those that fire.
_SIGNALS: Final = {
    "capex_to_operating_cash_flow": N_("capex / operating cash flow"),
    "capex_to_net_income": N_("capex / net income"),
    "capex_to_depreciation": N_("capex / depreciation"),
    "capex_intensity": N_("capex / revenue"),
    "capex_growth_minus_revenue_growth": N_("capex growth minus revenue growth"),
    "free_cash_flow_margin": N_("free cash flow / revenue"),
}

#: Why a figure could not be computed, by the kind of error (the fields fill in the rest).
_REASONS: Final = (
    (AmbiguousFactError, N_("several {metric} figures for {when} and none preferred")),
    (MissingRateError, N_("no exchange rate into {currency} for {when}")),
    (AmbiguousRateError, N_("several exchange rates into {currency} for {when}")),
    (UndefinedIndicatorError, N_("undefined: a figure it divides by is zero or negative")),
    (CurrencyMismatchError, N_("amounts in different currencies")),
    (PeriodMismatchError, N_("figures over periods that do not line up")),
)
#: Why, for an error the report does not foresee: the library's message, in English.
_OTHER_REASON: Final = N_("the data does not allow it ({error})")

#: Texts of sources the library writes in code (the ECB's rates), for the catalogs beside the data's.
_CODE_TEXTS: Final = (
    NP_("publisher", "European Central Bank"),
    NP_("source title", "Euro foreign exchange reference rates"),
)


@final
@attrs.frozen
class Section:
    """A titled table: column keys and titles, rows of displayed text and exact values, and its observations."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, str], ...] = attrs.field(hash=False)  # compared, not hashed: dicts have no hash
    values: tuple[dict[str, str], ...] = attrs.field(hash=False)
    notes: tuple[str, ...] = ()
    observations: tuple[ReportRow, ...] = ()


@public
@final
@attrs.frozen
class ReportRow:
    """One number of a report, with everything needed to read it alone: a row of its tidy table.

    Attributes:
        section: The section of the report (``capex_2024``, ``capex_by_region``, ...).
        company: The company's id; a group's id or a region code in group totals; empty for a rate.
        metric: What is measured: ``capex``, ``revenue``, ``capex_intensity``, ``capex_growth``, ...
        period: The period the value covers, as `Period` writes it (``2024``, ``2024-Q4``).
        value: The exact value, never rounded, in `unit`.
        currency: The ISO 4217 code of an amount of money; empty for anything else.
        unit: What one of `value` is: a currency code, ``fraction``, ``times``, ``chips``,
            ``H100-equivalents``, ``rank``, ``CNY per USD`` or ``signals``.
        status: ``reported``, ``derived``, ``estimate`` or ``guidance`` (a code, the same in every locale).
        basis: What the number covers, in the report's language.
        source: The sources, in the report's language.
        note: Anything else needed to read the value, in the report's language.

    Examples:
        >>> import capexmodel as cm
        >>> row = cm.build_report(cm.load_dataset(), companies=["meta"]).rows()[0]
        >>> row.section, row.company, row.metric, row.period, row.value, row.currency, row.unit, row.status
        ('capex_2024', 'meta', 'capex', '2024', Decimal('37300000000'), 'USD', 'USD', 'reported')
    """

    section: str
    """The section of the report (``capex_2024``, ``capex_by_region``, ...)."""
    company: str
    """The company's id; a group's id (``us-five``) or region code in group totals; empty for a rate."""
    metric: str
    """What is measured: ``capex``, ``revenue``, ``capex_intensity``, ``capex_growth``, ..."""
    period: str
    """The period the value covers, as `Period` writes it (``2024``, ``2024-Q4``, ``2024-03/2025-02``)."""
    value: Decimal
    """The exact value, never rounded, in `unit`."""
    currency: str
    """The ISO 4217 code of an amount of money; empty for anything else."""
    unit: str
    """What one of `value` is: the currency code for money, ``fraction`` (0.25 is 25%), ``times``,
    ``chips``, ``H100-equivalents``, ``rank``, ``CNY per USD`` or ``signals`` (bubble-risk signals counted)."""
    status: str
    """``reported``, ``derived``, ``estimate`` or ``guidance`` (a code, the same in every locale); combined over
    the inputs of a computed value."""
    basis: str = ""
    """What the number covers (a fact's basis, a chip's name, a projection's rule), in the report's language."""
    source: str = ""
    """The sources, separated by ``"; "`` (a full-width semicolon in Chinese), in the report's language."""
    note: str = ""
    """Anything else needed to read the value (what a total leaves out, which signals fire, ...), in the
    report's language."""


#: The columns of a report's tidy table, in order: the fields of `ReportRow`.
COLUMNS = (
    "section",
    "company",
    "metric",
    "period",
    "value",
    "currency",
    "unit",
    "status",
    "basis",
    "source",
    "note",
)

#: The year of the article's comparison, the report's default.
ARTICLE_YEAR = 2024


@public
@final
@attrs.frozen
class Report:
    """The article's comparison, computed for one year: its sections, in one locale.

    Made by `build_report`.

    Attributes:
        locale: The CLDR locale the displayed rows are written for.
        sections: The sections, each a titled table, in the article's order.
        year: The calendar year the report covers.
        companies: The ids of the companies the report was limited to; None for the article's.

    Examples:
        >>> import capexmodel as cm
        >>> report = cm.build_report(cm.load_dataset(), "zh_CN")
        >>> report.year, [section.key for section in report.sections][:2]
        (2024, ['capex_2024', 'capex_by_region'])
    """

    locale: str
    """The CLDR locale the displayed rows are written for."""
    sections: tuple[Section, ...]
    """The sections, each a titled table, in the article's order."""
    year: int = ARTICLE_YEAR
    """The calendar year the report covers."""
    companies: tuple[str, ...] | None = None
    """The ids of the companies the report was limited to; None for the article's."""

    def rows(self) -> tuple[ReportRow, ...]:
        """Every number of the report as one tidy table: one `ReportRow` per observation.

        Returns:
            The rows, section by section, in the report's order.

        Examples:
            >>> import capexmodel as cm
            >>> report = cm.build_report(cm.load_dataset())
            >>> us = next(row for row in report.rows() if row.company == "us-five" and row.metric == "capex")
            >>> us.value, us.unit, us.period
            (Decimal('258000000000'), 'USD', '2024')
        """
        return tuple(row for section in self.sections for row in section.observations)

    def to_frame(self, backend: str = "pandas") -> Any:  # noqa: ANN401 -- a pandas, polars or pyarrow table
        """The rows as a table of `backend` (``pandas``, ``polars`` or ``pyarrow``), values exact.

        The ``value`` column holds the exact values: `Decimal` objects in pandas, and
        strings of exact decimals in polars and pyarrow (whose decimal types hold at
        most 38 digits, fewer than a quotient of 28 significant digits beside a
        twelve-digit amount needs); every other column is text.

        Args:
            backend: ``"pandas"``, ``"polars"`` or ``"pyarrow"``.

        Returns:
            The table, one row per `ReportRow`, with the columns `COLUMNS`.

        Raises:
            InvalidValueError: `backend` is not one of the three, or its package is not installed.

        Examples:
            >>> import capexmodel as cm
            >>> table = cm.build_report(cm.load_dataset()).to_frame("pandas")
            >>> list(table.columns)[:5], table["value"].iloc[0]
            (['section', 'company', 'metric', 'period', 'value'], Decimal('77700000000'))
        """
        if backend not in _BACKENDS:
            msg = f"backend must be one of {', '.join(_BACKENDS)}, got {show(backend)}"
            raise InvalidValueError(msg)
        rows = self.rows()
        columns: dict[str, list[object]] = {name: [getattr(row, name) for row in rows] for name in COLUMNS}
        if backend == "pandas":
            pandas = _need("pandas")
            return pandas.DataFrame(columns, columns=list(COLUMNS), dtype=object)
        columns["value"] = [format(row.value, "f") for row in rows]
        if backend == "polars":
            return _need("polars").DataFrame(columns, schema=dict.fromkeys(COLUMNS, _need("polars").String))
        pyarrow = _need("pyarrow")
        return pyarrow.table({name: pyarrow.array(values, pyarrow.string()) for name, values in columns.items()})

    def _repr_html_(self) -> str:
        """Each section as an HTML table with its notes (for notebooks)."""
        return html(*report_views(self))


_BACKENDS = ("pandas", "polars", "pyarrow")


def _need(package: str) -> Any:  # noqa: ANN401 -- a module
    try:
        return importlib.import_module(package)
    except ImportError as error:
        msg = f"Report.to_frame(backend={package!r}) needs {package}: pip install {package}"
        raise InvalidValueError(msg) from error


@public
@in_own_context
def build_report(
    dataset: Dataset,
    locale: str = "en_US",
    *,
    year: int | None = None,
    companies: Iterable[Company | str] | None = None,
) -> Report:
    """Compute the article's comparison from `dataset` for `year`, every figure formatted for `locale`.

    The computed sections follow `year`: capex, totals, chips, intensity and bubble risk
    over the calendar year, growth of its fourth quarter over the one before, and
    projections for the year after. The dataset's statements tied to a year (the
    article's figure 4 ranking, its rule for Tencent's 2025 capex, its 2025 notes)
    appear only in the report of their year. `companies` limits every section to
    those companies (ids, or names `Dataset.company` finds).

    Args:
        dataset: The data, such as `load_dataset()`.
        locale: A CLDR locale. Its language and script pick the catalog the words come from
            (``zh_CN`` Simplified Chinese, ``zh_TW`` and ``zh_HK`` Traditional, any other
            language English); numbers, amounts and periods are written for the locale itself.
        year: The calendar year the report covers; None for the article's, 2024, which
            is reported whatever the data holds (its notes say what is missing).
        companies: The companies to report on; None for the article's (its groups' members).

    Returns:
        The report: its sections, every number formatted for `locale`, and its tidy rows.

    Raises:
        InvalidValueError: `year` is given and no company has a reported or derived capex figure for it
            (the message names the years that have one), or `companies` names a company
            twice or none.
        UnknownCompanyError: `companies` names companies the dataset does not have (all are named).

    Examples:
        >>> import capexmodel as cm
        >>> report = cm.build_report(cm.load_dataset(), year=2024, companies=["meta", "tencent"])
        >>> sorted({row.company for row in report.rows() if row.section == "capex_2024"})
        ['meta', 'tencent']
    """
    chosen = None if companies is None else dataset._named(companies, "companies")
    year = ARTICLE_YEAR if year is None else _checked_year(dataset, year, chosen)
    builder = _Builder(dataset, locale, year, chosen)
    sections = [
        builder.capex(),
        builder.totals(),
        builder.chips(),
        builder.intensity(),
        builder.growth(),
        builder.projections(),
        builder.risk(),
    ]
    return Report(
        locale,
        tuple(section for section in sections if section.rows or section.notes),
        year,
        None if chosen is None else tuple(company.id for company in chosen),
    )


def covered_years(dataset: Dataset, companies: tuple[Company, ...] | None = None) -> list[int]:
    """The calendar years for which some company (of `companies`, if given) has a reported or derived capex.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.report import covered_years
        >>> covered_years(cm.load_dataset())
        [2023, 2024]
    """
    ids = None if companies is None else {company.id for company in companies}
    return sorted(
        {
            period.start.year
            for fact in dataset.select(metric="capex")
            if fact.status in {Status.REPORTED, Status.DERIVED} and (ids is None or fact.company.id in ids)
            for period in (fact.counted_as or fact.value.period,)
            if period == CalendarYear(period.start.year)
        }
    )


def _checked_year(dataset: Dataset, year: int, companies: tuple[Company, ...] | None) -> int:
    """`year` if some company of the report has a reported or derived capex figure for it."""
    if isinstance(year, bool) or not isinstance(year, int):
        msg = f"year must be a calendar year as an int, got {show(year)}"
        raise InvalidValueError(msg)
    years = covered_years(dataset, companies)
    if year not in years:
        has = ", ".join(map(str, years)) or "none"
        msg = f"the data has no reported or derived capex for {year}: the years it covers are {has}"
        raise InvalidValueError(msg)
    return year


def source_text(source: Source, locale: str) -> str:
    """A source as the report cites it in `locale`: publisher, title, date and note, in the reader's words.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.report import source_text
        >>> source_text(cm.load_dataset().sources["omdia"], "zh_CN").startswith("Omdia，")
        True
    """
    words = translation(locale)

    def data(context: str, text: str) -> str:
        return data_text(words, context, text)

    text = words.gettext("{publisher}, {title}").format(
        publisher=data("publisher", source.publisher), title=data("source title", source.title)
    )
    if source.date is not None:
        from babel.dates import format_date  # noqa: PLC0415 -- babel loads lazily, on first use

        date = format_date(source.date, "long", locale=_parse_locale(locale))
        text = words.gettext("{source} ({date})").format(source=text, date=date)
    if source.note is not None:
        text = words.gettext("{source}: {note}").format(
            source=text, note=_note_text(words, source, source.note, locale)
        )
    return text


def _note_text(words: gettext.NullTranslations, source: Source, note: str, locale: str) -> str:
    """A source's note in the reader's words: the data's, from the catalog; an ECB rate's, from its values."""
    from capexmodel._fx.ecb import average_note  # noqa: PLC0415 -- the ECB reader loads only for its notes

    parts = average_note(source)
    if parts is None or catalog_for(locale) == "en":
        return data_text(words, "source note", note)
    from babel.dates import format_date  # noqa: PLC0415 -- babel loads lazily, on first use

    first, last = (format_date(day, "long", locale=_parse_locale(locale)) for day in (parts.first, parts.last))
    text = words.ngettext(
        "average of {count} daily fixing, {first} to {last}",
        "average of {count} daily fixings, {first} to {last}",
        parts.fixings,
    ).format(count=parts.fixings, first=first, last=last)
    # Translators: an ECB rate between two currencies other than the euro, computed through the euro.
    return words.gettext("{note}, crossed through EUR").format(note=text) if parts.crossed else text


@attrs.define
class _Builder:
    dataset: Dataset
    locale: str
    year: int = ARTICLE_YEAR
    chosen: tuple[Company, ...] | None = None
    words: gettext.GNUTranslations = attrs.field(init=False)
    where: babel.Locale = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.words = translation(self.locale)
        self.where = _parse_locale(self.locale)

    @property
    def zh(self) -> bool:
        return self.where.language == "zh"

    @property
    def period(self) -> Period:
        return CalendarYear(self.year)

    # Words -----------------------------------------------------------------------------------

    def _(self, message: str, **values: object) -> str:
        """The message in the reader's words, with the report's years (and `values`) in it."""
        years = {"year": self.year, "previous": self.year - 1, "next": self.year + 1}
        return self.words.gettext(message).format(**{**years, **values})

    def data(self, context: str, text: str, chinese: str = "") -> str:
        """A text of the data in the reader's words: the catalog's, else `chinese` for a Chinese reader."""
        translated = translate_data(self.words, context, text) if text else text
        if translated is None:
            return chinese if chinese and self.zh else text
        return translated

    def name(self, company: Company) -> str:
        return self.data("company", company.name_en, company.name_zh)

    def named(self, company_id: str) -> str:
        """The name of the company with this id, or the id if the dataset has no such company."""
        found = [company for company in self.dataset.companies if company.id == company_id]
        return self.name(found[0]) if found else company_id

    def statement(self, statement: Statement) -> str:
        return self.data("statement", statement.text_en, statement.text_zh)

    def status(self, status: Status) -> str:
        return self.words.gettext(_STATUSES[status])

    def metric(self, name: str) -> str:
        return self.words.gettext(_METRICS[name]) if name in _METRICS else name.replace("_", " ")

    def signal(self, name: str) -> str:
        return self.words.gettext(_SIGNALS[name]) if name in _SIGNALS else name.replace("_", " ")

    def region(self, code: str) -> str:
        """The region's name, as CLDR writes it for the locale (美国, 美國, United States)."""
        return str(self.where.territories.get(code, code))

    def money(self, value: Money) -> str:
        """An amount as the reader's written language has it: "777亿美元", "777億美元", "$77.7B".

        Chinese amounts are written for the script (``zh_Hans``, ``zh_Hant``) rather than the
        territory: CLDR's Hong Kong compact forms borrow English letters ("77.7B美元"),
        which a Chinese sentence of the report would not mix in.
        """
        return format_money(value, locale=catalog_for(self.where) if self.zh else self.where)

    def when(self, period: Period) -> str:
        return format_period(period, self.where)

    def number(self, value: Decimal | int) -> str:
        """A count, rounded to a whole number, grouped as the locale groups digits."""
        from babel.numbers import format_decimal  # noqa: PLC0415 -- babel loads lazily, on first use

        return format_decimal(Decimal(value).quantize(Decimal(1), ROUND_HALF_EVEN, EXACT), locale=self.where)

    def share(self, value: Decimal) -> str:
        """A fraction as an exact percentage (0.12 is 12%, 0.125 is 12.5%)."""
        from babel.numbers import format_percent as percent  # noqa: PLC0415 -- babel loads lazily, on first use

        return percent(value, locale=self.where, decimal_quantization=False)

    def listing(self, items: Iterable[str]) -> str:
        """Items joined as the locale lists them ("A, B, and C"; "A、B和C")."""
        from babel.lists import format_list  # noqa: PLC0415 -- babel loads lazily, on first use

        return format_list(list(items), locale=self.where)

    def source(self, source: Source) -> str:
        return source_text(source, self.locale)

    def sources(self, sources: Iterable[Source]) -> str:
        # Translators: separates the sources of a figure in a list ("A; B")
        return self.words.gettext("; ").join(self.source(source) for source in sources)

    def problem(
        self,
        who: str,
        error: CapexModelError,
        *,
        metric: str = "capex",
        period: Period | None = None,
        into: str = "USD",
    ) -> str:
        """A note saying what could not be computed for `who`, and why, from the error's kind and fields."""
        return self._("{who}: {reason}", who=who, reason=self.reason(error, metric, period or self.period, into))

    def reason(self, error: CapexModelError, metric: str, period: Period, into: str) -> str:
        if isinstance(error, FactNotFoundError):
            return self.not_found(error, period)
        message = next((text for kind, text in _REASONS if isinstance(error, kind)), _OTHER_REASON)
        return self._(
            message, metric=self.metric(metric), when=self.when(period), currency=self.currency(into), error=error
        )

    def not_found(self, error: FactNotFoundError, period: Period) -> str:
        """The figure missing (over the period asked, else `period`), and the periods the data has it for."""
        asked = error.period if isinstance(error.period, Period) else period
        missing = self._("no {metric} figure for {when}", metric=self.metric(error.metric), when=self.when(asked))
        has = sorted(
            {
                fact.value.period
                for fact in self.dataset.facts
                if fact.company.id == error.company and fact.metric == error.metric
            },
            key=lambda period: (period.start, period.end),
        )
        if not has:
            return missing
        return self._(
            "{missing} (the data has it for {periods})", missing=missing, periods=self.listing(map(self.when, has))
        )

    def currency(self, code: str) -> str:
        from babel.numbers import get_currency_name  # noqa: PLC0415 -- babel loads lazily, on first use

        return str(get_currency_name(code, locale=self.where))

    # What the sections share -----------------------------------------------------------------

    def usd(self, fact: Fact) -> Fact:
        return self.dataset.convert(fact, "USD")

    def compared(self) -> tuple[Company, ...]:
        """The companies chosen, else those the article compares: its groups' members, else every company."""
        if self.chosen is not None:
            return self.chosen
        groups = [group for group in self.dataset.groups if group.id in _GROUPS]
        if not groups:
            return self.dataset.companies
        ids = dict.fromkeys(member for group in groups for member in group.members)
        return tuple(self.dataset.company(company_id) for company_id in ids)

    def included(self, company_id: str) -> bool:
        return self.chosen is None or any(company.id == company_id for company in self.chosen)

    def covers(self, fact: Fact) -> str:
        counted = fact.counted_as
        return self._(
            "{company}'s figure covers {when}, which the source counts as {label}",
            company=self.name(fact.company),
            when=self.when(fact.value.period),
            label="" if counted is None else self.when(counted),
        )

    def of_year(self, key: str, year: int) -> bool:
        """Whether a statement's key names `year` (``q4_2024_...``), so that it belongs to that year's report."""
        return str(year) in key.split("_")

    def conversion(self) -> Conversion | None:
        try:
            return self.dataset.rates.conversion("USD", "CNY", self.period)
        except CapexModelError:
            return None

    def rate_used(self) -> list[str]:
        """Which USD/CNY rate the totals convert at, and whose it is (the article's 7.230, or the ECB's average)."""
        from babel.numbers import format_decimal  # noqa: PLC0415 -- babel loads lazily, on first use

        conversion = self.conversion()
        if conversion is None:
            return []
        rate = format_decimal(conversion.rate, "#,##0.0000", locale=self.where, decimal_quantization=True)
        source = self.sources(conversion.sources) or "?"
        return [self._("converted at 1 USD = {rate} CNY, the {year} average ({source})", rate=rate, source=source)]

    # The sections ------------------------------------------------------------------------------

    def capex(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"capex_{self.year}"
        for company in self.compared():
            try:
                fact = self.dataset.fact(company, "capex", self.period)
            except CapexModelError as error:
                notes.append(self.problem(self.name(company), error))
                continue
            try:
                converted = self.usd(fact)
            except CapexModelError as error:
                notes.append(self.problem(self.name(company), error, period=fact.value.period))
                continue
            recomputed = converted.value
            shown = fact if fact.value.currency == "USD" else converted  # as the source prints it
            usd = shown.value
            row_notes = []
            if fact.counted_as is not None:
                notes.append(self.covers(fact))
                row_notes.append(self.covers(fact))
            if self.money(recomputed) != self.money(usd):
                notes.append(
                    self._(
                        "{company}: the source prints {published}; from {input}, it is {recomputed}",
                        company=self.name(company),
                        published=self.money(usd),
                        input=self.money(as_reported(fact).value),
                        recomputed=self.money(recomputed),
                    )
                )
            rows.append(
                {
                    "company": self.name(company),
                    "region": self.region(company.region.code),
                    "capex": self.money(usd),
                    "basis": self.data("basis", fact.basis),
                    "status": self.status(fact.status),
                }
            )
            values.append(
                {"company": company.id, "capex": str(usd.amount), "currency": "USD", "period": str(fact.value.period)}
            )
            observed.append(self.money_row(key, company.id, "capex", shown, note=self.joined(row_notes)))
        columns = (
            ("company", self._("Company")),
            ("region", self._("Region")),
            ("capex", self._("Capex {year}")),
            # Translators: the column of what each figure covers (its basis: "including finance leases")
            ("basis", self._("Basis")),
            ("status", self._("Status")),
        )
        return Section(
            key, self._("{year} capex by company"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed)
        )

    def joined(self, notes: Iterable[str]) -> str:
        # Translators: separates the notes on one figure ("A; B")
        return self.words.gettext("; ").join(notes)

    def scopes(self) -> list[tuple[str, dict[str, object], str]]:
        """What the totals add up: the article's groups, else the US and China; of the chosen companies only."""
        chosen = [group for group in self.dataset.groups if group.id in _GROUPS]
        scopes: list[tuple[str, tuple[str, ...], str]] = [
            (group.id, group.members, self.data("group", group.name_en, group.name_zh)) for group in chosen
        ]
        if not scopes:
            scopes = [
                (region, tuple(company.id for company in self.dataset.companies_in(region)), self.region(region))
                for region in ("US", "CN")
            ]
        if self.chosen is None:
            if chosen:
                return [(key, {"group": key}, label) for key, _, label in scopes]
            return [(key, {"region": key}, label) for key, _, label in scopes]
        return [
            (key, {"companies": kept}, label)
            for key, members, label in scopes
            if (kept := [member for member in members if self.included(member)])
        ]

    def totals(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = "capex_by_region"
        totals: dict[str, Aggregate] = {}
        for scope_key, scope, label in self.scopes():
            try:
                aggregate = self.dataset.total("capex", period=self.period, currency="USD", **scope)  # type: ignore[arg-type]
            except CapexModelError as error:
                notes.append(self.problem(label, error))
                continue
            totals[scope_key] = aggregate
            missing = self.listing(map(self.named, aggregate.missing))
            rows.append(
                {
                    "region": label,
                    "total": self.money(aggregate.value),
                    "companies": self.number(len(aggregate.facts)),
                    "missing": missing,
                    "status": self.status(aggregate.status),
                }
            )
            counted = [fact.company.id for fact in aggregate.facts]
            values.append(
                {
                    "region": scope_key,
                    "total": str(aggregate.value.amount),
                    "currency": "USD",
                    "companies": ",".join(counted),
                    "missing": ",".join(aggregate.missing),
                }
            )
            added = self.listing(map(self.named, counted))
            if aggregate.missing:
                note = self._("adds up {companies}; leaves out {missing}", companies=added, missing=missing)
            else:
                note = self._("adds up {companies}", companies=added)
            observed.append(
                _row(
                    key,
                    scope_key,
                    "capex",
                    aggregate.value,
                    status=aggregate.status,
                    sources=self.sources(aggregate.sources),
                    note=note,
                )
            )
        notes.extend(self.rate_used())
        conversion = self.conversion()
        if conversion is not None:
            observed.append(
                ReportRow(
                    key,
                    "",
                    "exchange_rate",
                    str(conversion.period),
                    conversion.rate,
                    "",
                    "CNY per USD",
                    Status.REPORTED.value,
                    "USD/CNY",
                    self.sources(conversion.sources),
                    self._("the rate the totals convert at"),
                )
            )
        if len(totals) == 2:  # noqa: PLR2004 -- the United States and China
            us, china = totals.values()
            ratio = us.value / china.value
            rows.append(
                {
                    "region": self._("United States over China"),
                    "total": format_ratio(ratio, locale=self.locale),
                    "companies": "",
                    "missing": "",
                    "status": "",
                }
            )
            pair = "/".join(totals)
            values.append({"region": pair, "total": str(ratio), "currency": "", "companies": "", "missing": ""})
            observed.append(
                ReportRow(
                    key,
                    pair,
                    "capex_ratio",
                    str(self.period),
                    ratio,
                    "",
                    "times",
                    Status.combine([us.status, china.status]).value,
                    "",
                    self.sources(merge_sources(us.sources, china.sources)),
                    self._("the first total over the second"),
                )
            )
        columns = (
            # Translators: the column of the groups of companies whose capex is added up
            ("region", self._("Group")),
            ("total", self._("Total")),
            # Translators: the column of how many companies a total adds up
            ("companies", self._("Companies")),
            ("missing", self._("Left out (no figure)")),
            ("status", self._("Status")),
        )
        return Section(
            key, self._("{year} capex by region"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed)
        )

    def chips(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"hopper_{self.year}"
        ratio = {statement.key: statement.value for statement in self.dataset.statements}.get("h20_per_h100")
        article_basis: dict[str, object] | None = None
        if ratio is None or ratio <= 0:  # the article's basis is its stated ratio, or nothing
            notes.append(
                self._(
                    "the article's basis (H20 = 1/3) needs the statement h20_per_h100, a number of H20s above zero:"
                    " not shown"
                )
            )
        else:
            article_basis = {"H20": Fraction(1) / Fraction(ratio), "H200": Fraction(1), "H800": Fraction(1)}
        for purchase in self.dataset.purchases:
            if not self.included(purchase.buyer_id):
                continue
            buyer = self.named(purchase.buyer_id)
            if purchase.period != self.period or purchase.chip.family != "Hopper":
                notes.append(
                    self._(
                        "{buyer}: {chip} over {when} is not a Hopper purchase of {this_year}",
                        buyer=buyer,
                        chip=purchase.chip.name,
                        when=self.when(purchase.period),
                        this_year=self.when(self.period),
                    )
                )
                continue
            article = None if article_basis is None else h100_equivalents([purchase], basis=article_basis).value
            datasheet = h100_equivalents([purchase], basis="bf16").value
            rows.append(
                {
                    "buyer": buyer,
                    "chip": purchase.chip.name,
                    "quantity": self.number(purchase.quantity),
                    "article": "-" if article is None else self.number(article),
                    "bf16": self.number(datasheet),
                }
            )
            values.append(
                {
                    "buyer": purchase.buyer_id,
                    "chip": purchase.chip.name,
                    "quantity": str(purchase.quantity),
                    "article": "" if article is None else str(article),
                    "bf16": str(datasheet),
                }
            )
            status = Status.ESTIMATE.value  # chip counts are analysts' estimates
            source = "" if purchase.source is None else self.source(purchase.source)
            counts = [("chips", Decimal(purchase.quantity), "chips", "")]
            if article is not None:
                counts.append(("h100_equivalents_article", article, "H100-equivalents", self._("the article's basis")))
            counts.append(
                ("h100_equivalents_bf16", datasheet, "H100-equivalents", self._("dense BF16 datasheet peaks"))
            )
            observed.extend(
                ReportRow(
                    key,
                    purchase.buyer_id,
                    metric,
                    str(purchase.period),
                    value,
                    "",
                    unit,
                    status,
                    purchase.chip.name,
                    source,
                    note,
                )
                for metric, value, unit, note in counts
            )
        one_in = "3" if ratio is None or ratio <= 0 else format(ratio.normalize(EXACT), "f")
        if one_in == "3":
            article_title = self._("H100-equivalents (H20 = 1/3, the article)")
        else:
            article_title = self._("H100-equivalents (H20 = 1/{ratio}, the article)", ratio=one_in)
        columns = (
            ("buyer", self._("Buyer")),
            ("chip", self._("Chip")),
            # Translators: the column of how many chips each company bought
            ("quantity", self._("Chips")),
            ("article", article_title),
            ("bf16", self._("H100-equivalents (BF16 datasheet peaks)")),
        )
        return Section(
            key,
            self._("Nvidia Hopper purchases, {year}"),
            columns,
            tuple(rows),
            tuple(values),
            tuple(notes),
            tuple(observed),
        )

    def intensity(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"intensity_{self.year}"
        for company in self.compared():
            metric = "capex"
            try:
                capex_fact = self.dataset.fact(company, "capex", self.period, whole_company=True)
                metric = "revenue"
                revenue_fact = self.dataset.fact(company, "revenue", self.period, whole_company=True)
                intensity = self.dataset.intensity(company, self.period)
                capex, revenue = self.usd(capex_fact), self.usd(revenue_fact)
            except CapexModelError as error:
                notes.append(self.problem(self.name(company), error, metric=metric))
                continue
            status = Status.combine([capex_fact.status, revenue_fact.status])
            sources = merge_sources(capex_fact.sources, revenue_fact.sources)
            rows.append(
                {
                    "company": self.name(company),
                    "capex": self.money(capex.value),
                    "revenue": self.money(revenue.value),
                    "intensity": format_percent(intensity, locale=self.locale),
                    "status": self.status(status),
                }
            )
            values.append(
                {
                    "company": company.id,
                    "capex": str(capex.value.amount),
                    "revenue": str(revenue.value.amount),
                    "intensity": str(intensity),
                    "status": status.value,
                    "sources": self.sources(sources),
                }
            )
            observed.append(self.money_row(key, company.id, "capex", capex))
            observed.append(self.money_row(key, company.id, "revenue", revenue))
            observed.append(
                _row(
                    key,
                    company.id,
                    "capex_intensity",
                    intensity,
                    period=self.period,
                    status=status,
                    sources=self.sources(sources),
                )
            )
        columns = (
            ("company", self._("Company")),
            ("capex", self._("Capex {year}")),
            ("revenue", self._("Revenue {year}")),
            ("intensity", self._("Capex / revenue")),
            ("status", self._("Status")),
        )
        return Section(
            key,
            self._("{year} capex intensity (capex / revenue)"),
            columns,
            tuple(rows),
            tuple(values),
            tuple(notes),
            tuple(observed),
        )

    def growth(self) -> Section:
        """Figure 4: capex growth of the year's fourth quarter, computed where both quarters are known."""
        found, lacking, notes = [], [], []
        key = f"capex_growth_q4_{self.year}"
        this_q4, last_q4 = CalendarQuarter(self.year, 4), CalendarQuarter(self.year - 1, 4)
        for company in self.compared():
            quarter = this_q4
            try:
                current = self.dataset.fact(company, "capex", this_q4, whole_company=True)
                quarter = last_q4
                earlier = self.dataset.fact(company, "capex", last_q4, whole_company=True)
                rate = self.dataset.growth(company, "capex", this_q4, whole_company=True)
            except FactNotFoundError:
                lacking.append(self.name(company))
                continue
            except CapexModelError as error:
                notes.append(self.problem(self.name(company), error, period=quarter))
                continue
            found.append((rate, company, current, earlier))
        found.sort(key=lambda item: item[0], reverse=True)
        rows, values = [], []
        observed: list[ReportRow] = []
        for rank, (rate, company, current, earlier) in enumerate(found, start=1):
            status = Status.combine([current.status, earlier.status])
            sources = merge_sources(current.sources, earlier.sources)
            rows.append(
                {
                    "rank": self.number(rank),
                    "company": self.name(company),
                    "q4_2024": self.money(current.value),
                    "q4_2023": self.money(earlier.value),
                    "growth": format_percent(rate, locale=self.locale),
                    "status": self.status(status),
                }
            )
            values.append(
                {
                    "rank": str(rank),
                    "company": company.id,
                    "q4_2024": str(current.value.amount),
                    "q4_2023": str(earlier.value.amount),
                    "currency": current.value.currency,
                    "growth": str(rate),
                    "status": status.value,
                }
            )
            observed.append(self.money_row(key, company.id, "capex", current))
            observed.append(self.money_row(key, company.id, "capex", earlier))
            shown_sources = self.sources(sources)
            observed.append(
                _row(key, company.id, "capex_growth", rate, period=this_q4, status=status, sources=shown_sources)
            )
            observed.append(
                _row(
                    key,
                    company.id,
                    "capex_growth_rank",
                    Decimal(rank),
                    period=this_q4,
                    status=status,
                    sources=shown_sources,
                    unit="rank",
                )
            )
        if lacking:
            notes.append(
                self._("no capex for Q4 {year} and Q4 {previous}: {companies}", companies=self.listing(lacking))
            )
        notes.extend(
            self.statement(statement)
            for statement in self.dataset.statements
            if statement.key.startswith(f"q4_{self.year}_capex_growth_rank")
        )
        columns = (
            ("rank", self._("Rank")),
            ("company", self._("Company")),
            ("q4_2024", self._("Capex Q4 {year}")),
            ("q4_2023", self._("Capex Q4 {previous}")),
            # Translators: the column of capex growth over the same quarter a year earlier
            ("growth", self._("Growth")),
            ("status", self._("Status")),
        )
        return Section(
            key,
            self._("Q4 {year} capex growth, year over year"),
            columns,
            tuple(rows),
            tuple(values),
            tuple(notes),
            tuple(observed),
        )

    def projections(self) -> Section:
        key = f"projections_{self.year + 1}"
        this_year, next_year = self.period, CalendarYear(self.year + 1)
        assumption = self.assumption()
        assumed = RateTable(
            [
                attrs.evolve(rate, window=next_year, source=assumption)
                for rate in self.dataset.rates.rates
                if rate.window == this_year
            ]
        )
        notes: list[str] = []
        projected = [
            (fact, self.data("basis", fact.basis))
            for fact in self.dataset.select(metric="capex", period=next_year)
            if fact.status in {Status.GUIDANCE, Status.ESTIMATE}
        ]  # what was expected, not what was spent
        for plan in self.dataset.select(metric="capex"):  # multi-year plans from the next year, spread evenly by year
            period = plan.value.period
            if (
                period.start == next_year.start and period.month_count > 12 and period.month_count % 12 == 0  # noqa: PLR2004
            ):
                years = [CalendarYear(self.year + 1 + offset) for offset in range(period.month_count // 12)]
                rule = self._(
                    "{plan} over {when}, spread evenly: {months} of its {all} months",
                    plan=self.money(plan.value),
                    when=self.when(period),
                    months=self.number(12),
                    all=self.number(period.month_count),
                )
                projected.append((spread_plan(plan, years)[0], rule))
        projected.extend(self.tencent_rule([fact for fact, _ in projected], notes))
        rows, values = [], []
        observed: list[ReportRow] = []
        for fact, rule in projected:
            if not self.included(fact.company.id):
                continue
            converted = None
            try:
                converted = assumed.convert(fact.value, "USD")
                in_usd, usd_value = self.money(converted), str(converted.amount)
            except CapexModelError as error:
                in_usd, usd_value = "-", ""
                reason = self.reason(error, "capex", fact.value.period, "USD")
                notes.append(
                    self._("{company}: not converted to USD ({reason})", company=self.name(fact.company), reason=reason)
                )
            if fact.counted_as is not None:
                notes.append(self.covers(fact))
            rows.append(
                {
                    "company": self.name(fact.company),
                    "capex": self.money(fact.value),
                    "usd": in_usd,
                    "rule": rule,
                    "status": self.status(fact.status),
                }
            )
            values.append(
                {
                    "company": fact.company.id,
                    "capex": str(fact.value.amount),
                    "currency": fact.value.currency,
                    "usd": usd_value,
                    "status": fact.status.value,
                }
            )
            observed.append(
                _row(
                    key,
                    fact.company.id,
                    "capex",
                    fact.value,
                    status=fact.status,
                    sources=self.sources(fact.sources),
                    basis=rule,
                )
            )
            if converted is not None and converted.currency != fact.value.currency:
                observed.append(
                    _row(
                        key,
                        fact.company.id,
                        "capex",
                        converted,
                        status=fact.status,
                        sources=self.sources(merge_sources(fact.sources, (assumption,))),
                        basis=rule,
                        note=self._("converted at the {year} average rate"),
                    )
                )
        notes.extend(
            self.statement(statement)
            for statement in self.dataset.statements
            if statement.unit == "rule" and self.of_year(statement.key, self.year + 1)
        )
        columns = (
            ("company", self._("Company")),
            ("capex", self._("Capex {year}", year=self.year + 1)),
            ("usd", self._("In USD (at the {year} rate)")),
            ("rule", self._("Basis or rule")),
            ("status", self._("Status")),
        )
        return Section(
            key,
            self._("{next} capex projections"),
            columns,
            tuple(rows),
            tuple(values),
            tuple(notes),
            tuple(observed),
        )

    def assumption(self) -> Source:
        """The source of the projections' dollar figures: this year's average rate, applied to the next."""
        return Source(
            self._("this report"),
            self._("currency assumption"),
            note=self._("the {year} average rate applied to {next}, as the article does"),
        )

    def tencent_rule(self, projected: list[Fact], notes: list[str]) -> list[tuple[Fact, str]]:
        """The article's projection of Tencent's capex from its revenue, where the statements give the rule."""
        rule = {statement.key: statement.value for statement in self.dataset.statements}
        share_key = f"tencent_{self.year + 1}_capex_to_revenue"
        growth_key = f"tencent_{self.year + 1}_revenue_growth"
        covered = {fact.company.id for fact in projected}
        if share_key not in rule or "tencent" in covered or not self.included("tencent"):
            return []
        tencent = self.named("tencent")
        if growth_key not in rule:
            notes.append(
                self._(
                    "{company}: the rule for its {next} capex from its revenue needs its revenue growth for {next}",
                    company=tencent,
                )
            )
            return []
        try:
            revenue = self.dataset.fact("tencent", "revenue", self.period)
            fact = capex_from_revenue(
                revenue,
                period=CalendarYear(self.year + 1),
                revenue_growth=rule[growth_key],
                capex_to_revenue=rule[share_key],
            )
        except CapexModelError as error:
            notes.append(self.problem(tencent, error, metric="revenue"))
            return []
        text = self._(
            "{share} of revenue, with revenue growing {growth} from {revenue} in {when}",
            share=self.share(rule[share_key]),
            growth=self.share(rule[growth_key]),
            revenue=self.money(revenue.value),
            when=self.when(revenue.value.period),
        )
        return [(fact, text)]

    def risk(self) -> Section:
        rows, values = [], []
        notes = [
            self._(
                "Score: the signals that fire out of the signals the data lets us evaluate"
                " (2/5: two of five known signals fire); a count, not a probability"
            )
        ]
        observed: list[ReportRow] = []
        key = f"bubble_risk_{self.year}"
        for company in self.compared():
            try:
                assessment = self.dataset.bubble_risk(self.period, company=company)
            except CapexModelError as error:
                notes.append(self.problem(self.name(company), error))
                continue
            known = [signal for signal in assessment.signals if signal.known]
            fires = [signal.name for signal in known if signal.fires]
            everyone = len(assessment.signals)
            score = assessment.score
            if score is None or 2 * len(known) < everyone:  # fewer than half of the signals known: left out
                continue
            named = self.words.gettext(", ").join(map(self.signal, fires))
            # Translators: the bubble-risk score: signals that fire out of signals known, such as "2/5"
            shown = self._("{firing}/{known}", firing=self.number(len(fires)), known=self.number(len(known)))
            rows.append(
                {
                    "company": self.name(company),
                    "score": shown,
                    # Translators: how many of the signals are known, such as "5 of 6"
                    "coverage": self._("{known} of {all}", known=self.number(len(known)), all=self.number(everyone)),
                    # Translators: no signal fires
                    "firing": named or self._("none"),
                }
            )
            values.append(
                {
                    "company": company.id,
                    "firing_count": str(len(fires)),
                    "known_count": str(len(known)),
                    "signal_count": str(everyone),
                    "score": str(score),
                    "firing": ",".join(fires),
                }
            )
            summary = self.words.ngettext(
                "{firing} of the {known} known signals fires",
                "{firing} of the {known} known signals fire",
                len(fires),
            ).format(firing=self.number(len(fires)), known=self.number(len(known)))
            note = self._("{summary}: {signals}", summary=summary, signals=named) if fires else summary
            for metric, value, unit in (
                ("bubble_risk_signals_firing", Decimal(len(fires)), "signals"),
                ("bubble_risk_signals_known", Decimal(len(known)), "signals"),
                ("bubble_risk_signals", Decimal(everyone), "signals"),
                ("bubble_risk_score", score, "fraction"),
            ):
                observed.append(
                    _row(
                        key,
                        company.id,
                        metric,
                        value,
                        period=self.period,
                        status=Status.DERIVED,
                        sources="",
                        note=note,
                        unit=unit,
                    )
                )
        notes.append(self._("companies with fewer than half of the six signals known are left out"))
        columns = (
            ("company", self._("Company")),
            ("score", self._("Score (firing/known)")),
            ("coverage", self._("Signals known")),
            ("firing", self._("Signals that fire")),
        )
        return Section(
            key,
            self._("Bubble-risk signals, {year}"),
            columns,
            tuple(rows),
            tuple(values),
            tuple(notes),
            tuple(observed),
        )

    def money_row(self, section: str, company: str, metric: str, fact: Fact, *, note: str = "") -> ReportRow:
        """A fact's value as a row: its period, currency, status, basis and sources, in the reader's words."""
        return _row(
            section,
            company,
            metric,
            fact.value,
            status=fact.status,
            sources=self.sources(fact.sources),
            basis=self.data("basis", fact.basis),
            note=note,
        )


def _row(
    section: str,
    company: str,
    metric: str,
    value: Money | Decimal,
    *,
    status: Status,
    sources: str,
    period: Period | None = None,
    unit: str = "fraction",
    basis: str = "",
    note: str = "",
) -> ReportRow:
    """A row of an amount of money (in its currency) or of a number (a fraction of one unless `unit` says)."""
    if isinstance(value, Decimal):
        return ReportRow(section, company, metric, str(period), value, "", unit, status.value, basis, sources, note)
    code = str(value.currency)
    return ReportRow(
        section, company, metric, str(value.period), value.amount, code, code, status.value, basis, sources, note
    )


#: The article's groups, in the order it compares them.
_GROUPS = ("us-five", "china-seven")
