"""The article's comparison, computed from a dataset, as sections of rows ready to render."""

from __future__ import annotations

import importlib
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, final

import attrs

from capexmodel._chips import h100_equivalents
from capexmodel._context import EXACT
from capexmodel._conversion import RateTable
from capexmodel._dataset import as_reported, in_own_context
from capexmodel._display import html, report_views
from capexmodel._errors import CapexModelError, FactNotFoundError, InvalidValueError, show
from capexmodel._format import format_money, format_percent, format_ratio
from capexmodel._lazy import public
from capexmodel._messages import N_
from capexmodel._period import CalendarQuarter, CalendarYear
from capexmodel._projections import capex_from_revenue, spread_plan
from capexmodel._provenance import Source, Status, merge_sources

if TYPE_CHECKING:
    from collections.abc import Iterable

    from capexmodel._company import Company
    from capexmodel._conversion import Conversion
    from capexmodel._dataset import Aggregate, Dataset
    from capexmodel._facts import Fact
    from capexmodel._money import Money
    from capexmodel._period import Period

__all__ = ["COLUMNS", "Report", "ReportRow", "Section", "build_report"]


_TEXT = {
    "en": {
        "capex": "{year} capex by company",
        "company": "Company",
        "region": "Region",
        "capex_2024": "Capex {year}",
        "basis": "Basis",
        "status": N_("Status"),
        "totals": "{year} capex by region",
        "total": "Total",
        "companies": "Companies",
        "ratio": "United States over China",
        "chips": "Nvidia Hopper purchases, {year}",
        "buyer": "Buyer",
        "chip": "Chip",
        "quantity": "Chips",
        "article_basis": "H100-equivalents (H20 = 1/{ratio}, the article)",
        "article_basis_third": "H100-equivalents (H20 = 1/3, the article)",
        "no_ratio": "the article's basis (H20 = 1/3) needs the statement h20_per_h100, a number of H20s above zero:"
        " not shown",
        "bf16_basis": "H100-equivalents (BF16 datasheet peaks)",
        "intensity": "{year} capex intensity (capex / revenue)",
        "revenue": "Revenue {year}",
        "projections": "{next} capex projections",
        "rule": "Rule",
        "capex_2025": "Capex {next}",
        "in_usd": "In USD (at the {year} rate)",
        "risk": "Bubble-risk signals, {year}",
        "score": "Score",
        "coverage": "Signals known",
        "firing": "Signals that fire",
        "none": "none",
        "risk_note": "companies with fewer than half of the six signals known are left out",
        "group": "Group",
        "missing": "Left out (no figure)",
        "covers": "{company}'s figure covers {period}, which the source counts as {label}",
        "recomputed": "{company}: the source prints {published}; from {input}, it is {recomputed}",
        "growth_q4": "Q4 {year} capex growth, year over year",
        "q4_2024": "Capex Q4 {year}",
        "q4_2023": "Capex Q4 {previous}",
        "growth": "Growth",
        "rank": "Rank",
        "no_quarter": "no capex for Q4 {year} and Q4 {previous}: {companies}",
        "rates": "converted at 1 USD = {rate} CNY, the {year} average ({source})",
    },
    "zh": {
        "capex": "{year}年各公司资本支出",
        "company": "公司",
        "region": "地区",
        "capex_2024": "{year}年资本支出",
        "basis": "口径",
        "status": "状态",
        "totals": "{year}年各地区资本支出",
        "total": "合计",
        "companies": "公司数",
        "ratio": "美国与中国之比",
        "chips": "英伟达Hopper芯片采购量({year}年)",
        "buyer": "买家",
        "chip": "芯片",
        "quantity": "数量",
        "article_basis": "折合H100(H20按1/{ratio},文章口径)",
        "article_basis_third": "折合H100(H20按三分之一,文章口径)",
        "no_ratio": "文章口径(H20按三分之一)需要陈述h20_per_h100(大于零的H20数量):未列出",
        "bf16_basis": "折合H100(按BF16峰值)",
        "intensity": "{year}年资本支出强度(资本支出/营收)",
        "revenue": "{year}年营收",
        "projections": "{next}年资本支出预测",
        "rule": "规则",
        "capex_2025": "{next}年资本支出",
        "in_usd": "折合美元({year}年汇率)",
        "risk": "泡沫风险信号({year}年)",
        "score": "得分",
        "coverage": "可判断信号",
        "firing": "触发的信号",
        "none": "无",
        "risk_note": "六个信号中可判断的不足一半的公司未列出",
        "group": "组别",
        "missing": "缺少数据",
        "covers": "{company}的数据覆盖{period},来源将其计为{label}",
        "recomputed": "{company}:来源记为{published};按{input}计算为{recomputed}",
        "growth_q4": "{year}年四季度资本支出同比增速",
        "q4_2024": "{year}年四季度资本支出",
        "q4_2023": "{previous}年四季度资本支出",
        "growth": "增速",
        "rank": "排名",
        "no_quarter": "缺少{year}年与{previous}年四季度资本支出的公司:{companies}",
        "rates": "按{year}年平均汇率1美元 = {rate}元换算(来源:{source})",
    },
}


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
    ``chips``, ``H100-equivalents``, ``rank`` or ``CNY per USD``."""
    status: str
    """``reported``, ``derived``, ``estimate`` or ``guidance``; combined over the inputs of a computed value."""
    basis: str = ""
    """What the number covers (a fact's basis, a chip's name, a projection's rule)."""
    source: str = ""
    """The sources, separated by ``"; "``."""
    note: str = ""
    """Anything else needed to read the value (what a total leaves out, which signals fire, ...)."""


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
        locale: A CLDR locale; labels are Chinese for ``zh`` locales, else English.
        year: The calendar year the report covers; None for the article's, 2024, which
            is reported whatever the data holds (its notes say what is missing).
        companies: The companies to report on; None for the article's (its groups' members).

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
    language = "zh" if locale.lower().startswith("zh") else "en"
    chosen = None if companies is None else dataset._named(companies, "companies")
    year = ARTICLE_YEAR if year is None else _checked_year(dataset, year, chosen)
    builder = _Builder(dataset, locale, _TEXT[language], year, chosen)
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


def _checked_year(dataset: Dataset, year: int, companies: tuple[Company, ...] | None) -> int:
    """`year` if some company of the report has a reported or derived capex figure for it."""
    if isinstance(year, bool) or not isinstance(year, int):
        msg = f"year must be a calendar year as an int, got {show(year)}"
        raise InvalidValueError(msg)
    ids = None if companies is None else {company.id for company in companies}
    years = sorted(
        {
            period.start.year
            for fact in dataset.select(metric="capex")
            if fact.status in {Status.REPORTED, Status.DERIVED} and (ids is None or fact.company.id in ids)
            for period in (fact.counted_as or fact.value.period,)
            if period == CalendarYear(period.start.year)
        }
    )
    if year not in years:
        has = ", ".join(map(str, years)) or "none"
        msg = f"the data has no reported or derived capex for {year}: the years it covers are {has}"
        raise InvalidValueError(msg)
    return year


@attrs.define
class _Builder:
    dataset: Dataset
    locale: str
    text: dict[str, str]
    year: int = ARTICLE_YEAR
    chosen: tuple[Company, ...] | None = None

    @property
    def zh(self) -> bool:
        return self.locale.lower().startswith("zh")

    @property
    def period(self) -> Period:
        return CalendarYear(self.year)

    def t(self, key: str, **more: str) -> str:
        """The text `key`, with the report's years (and `more`) in it."""
        return self.text[key].format(year=self.year, previous=self.year - 1, next=self.year + 1, **more)

    def name(self, company: Company) -> str:
        return company.name_zh if self.zh else company.name_en

    def money(self, value: Money) -> str:
        return format_money(value, locale=self.locale)

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
        return self.text["covers"].format(
            company=self.name(fact.company), period=fact.value.period, label=fact.counted_as
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
        conversion = self.conversion()
        if conversion is None:
            return []
        source = "; ".join(map(str, conversion.sources)) or "?"
        return [self.t("rates", rate=f"{conversion.rate:.4f}", source=source)]

    def capex(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"capex_{self.year}"
        for company in self.compared():
            try:
                fact = self.dataset.fact(company, "capex", self.period)
                converted = self.usd(fact)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
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
                    self.text["recomputed"].format(
                        company=self.name(company),
                        published=self.money(usd),
                        input=self.money(as_reported(fact).value),
                        recomputed=self.money(recomputed),
                    )
                )
            rows.append(
                {
                    "company": self.name(company),
                    "region": company.region.code,
                    "capex": self.money(usd),
                    "basis": fact.basis,
                    "status": fact.status.value,
                }
            )
            values.append(
                {"company": company.id, "capex": str(usd.amount), "currency": "USD", "period": str(fact.value.period)}
            )
            observed.append(_money_row(key, company.id, "capex", shown, note="; ".join(row_notes)))
        columns = (
            ("company", self.text["company"]),
            ("region", self.text["region"]),
            ("capex", self.t("capex_2024")),
            ("basis", self.text["basis"]),
            ("status", self.text["status"]),
        )
        return Section(key, self.t("capex"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def scopes(self) -> list[tuple[str, dict[str, object], str]]:
        """What the totals add up: the article's groups, else the US and China; of the chosen companies only."""
        chosen = [group for group in self.dataset.groups if group.id in _GROUPS]
        scopes: list[tuple[str, tuple[str, ...], str]] = [
            (group.id, group.members, group.name_zh if self.zh else group.name_en) for group in chosen
        ]
        if not scopes:
            scopes = [
                (region, tuple(company.id for company in self.dataset.companies_in(region)), region)
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
                notes.append(f"{label}: {error}")
                continue
            totals[scope_key] = aggregate
            rows.append(
                {
                    "region": label,
                    "total": self.money(aggregate.value),
                    "companies": str(len(aggregate.facts)),
                    "missing": ", ".join(aggregate.missing),
                    "status": aggregate.status.value,
                }
            )
            counted = ",".join(fact.company.id for fact in aggregate.facts)
            values.append(
                {
                    "region": scope_key,
                    "total": str(aggregate.value.amount),
                    "currency": "USD",
                    "companies": counted,
                    "missing": ",".join(aggregate.missing),
                }
            )
            note = f"adds up {counted}" + (f"; leaves out {', '.join(aggregate.missing)}" if aggregate.missing else "")
            observed.append(
                _row(
                    key,
                    scope_key,
                    "capex",
                    aggregate.value,
                    status=aggregate.status,
                    sources=aggregate.sources,
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
                    _sources(conversion.sources),
                    "the rate the totals convert at",
                )
            )
        if len(totals) == 2:  # noqa: PLR2004 -- the United States and China
            us, china = totals.values()
            ratio = us.value / china.value
            rows.append(
                {
                    "region": self.text["ratio"],
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
                    _sources(merge_sources(us.sources, china.sources)),
                    "the first total over the second",
                )
            )
        columns = (
            ("region", self.text["group"]),
            ("total", self.text["total"]),
            ("companies", self.text["companies"]),
            ("missing", self.text["missing"]),
            ("status", self.text["status"]),
        )
        return Section(key, self.t("totals"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def chips(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"hopper_{self.year}"
        ratio = {statement.key: statement.value for statement in self.dataset.statements}.get("h20_per_h100")
        article_basis: dict[str, object] | None = None
        if ratio is None or ratio <= 0:  # the article's basis is its stated ratio, or nothing
            notes.append(self.text["no_ratio"])
        else:
            article_basis = {"H20": Fraction(1) / Fraction(ratio), "H200": Fraction(1), "H800": Fraction(1)}
        for purchase in self.dataset.purchases:
            if not self.included(purchase.buyer_id):
                continue
            if purchase.period != self.period or purchase.chip.family != "Hopper":
                what = f"{purchase.chip.name} over {purchase.period}"
                notes.append(f"{purchase.buyer_id}: {what} is not a {self.year} Hopper purchase")
                continue
            article = None if article_basis is None else h100_equivalents([purchase], basis=article_basis).value
            datasheet = h100_equivalents([purchase], basis="bf16").value
            rows.append(
                {
                    "buyer": self.name(self.dataset.company(purchase.buyer_id)),
                    "chip": purchase.chip.name,
                    "quantity": f"{purchase.quantity:,}",
                    "article": "-" if article is None else f"{article:,.0f}",
                    "bf16": f"{datasheet:,.0f}",
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
            source = "" if purchase.source is None else str(purchase.source)
            counts = [("chips", Decimal(purchase.quantity), "chips", "")]
            if article is not None:
                counts.append(("h100_equivalents_article", article, "H100-equivalents", "the article's basis"))
            counts.append(("h100_equivalents_bf16", datasheet, "H100-equivalents", "dense BF16 datasheet peaks"))
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
        article_title = self.text["article_basis"].format(ratio=one_in)
        if one_in == "3":
            article_title = self.text["article_basis_third"]
        columns = (
            ("buyer", self.text["buyer"]),
            ("chip", self.text["chip"]),
            ("quantity", self.text["quantity"]),
            ("article", article_title),
            ("bf16", self.text["bf16_basis"]),
        )
        return Section(key, self.t("chips"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def intensity(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"intensity_{self.year}"
        for company in self.compared():
            try:
                capex_fact = self.dataset.fact(company, "capex", self.period, whole_company=True)
                revenue_fact = self.dataset.fact(company, "revenue", self.period, whole_company=True)
                intensity = self.dataset.intensity(company, self.period)
                capex, revenue = self.usd(capex_fact), self.usd(revenue_fact)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            status = Status.combine([capex_fact.status, revenue_fact.status])
            sources = merge_sources(capex_fact.sources, revenue_fact.sources)
            rows.append(
                {
                    "company": self.name(company),
                    "capex": self.money(capex.value),
                    "revenue": self.money(revenue.value),
                    "intensity": format_percent(intensity, locale=self.locale),
                    "status": status.value,
                }
            )
            values.append(
                {
                    "company": company.id,
                    "capex": str(capex.value.amount),
                    "revenue": str(revenue.value.amount),
                    "intensity": str(intensity),
                    "status": status.value,
                    "sources": "; ".join(str(source) for source in sources),
                }
            )
            observed.append(_money_row(key, company.id, "capex", capex))
            observed.append(_money_row(key, company.id, "revenue", revenue))
            observed.append(
                _row(key, company.id, "capex_intensity", intensity, period=self.period, status=status, sources=sources)
            )
        columns = (
            ("company", self.text["company"]),
            ("capex", self.t("capex_2024")),
            ("revenue", self.t("revenue")),
            ("intensity", self.t("intensity")),
            ("status", self.text["status"]),
        )
        return Section(key, self.t("intensity"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def growth(self) -> Section:
        """Figure 4: capex growth of the year's fourth quarter, computed where both quarters are known."""
        found, lacking, notes = [], [], []
        key = f"capex_growth_q4_{self.year}"
        this_q4, last_q4 = CalendarQuarter(self.year, 4), CalendarQuarter(self.year - 1, 4)
        for company in self.compared():
            try:
                current = self.dataset.fact(company, "capex", this_q4, whole_company=True)
                earlier = self.dataset.fact(company, "capex", last_q4, whole_company=True)
                rate = self.dataset.growth(company, "capex", this_q4, whole_company=True)
            except FactNotFoundError:
                lacking.append(self.name(company))
                continue
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
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
                    "rank": str(rank),
                    "company": self.name(company),
                    "q4_2024": self.money(current.value),
                    "q4_2023": self.money(earlier.value),
                    "growth": format_percent(rate, locale=self.locale),
                    "status": status.value,
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
            observed.append(_money_row(key, company.id, "capex", current))
            observed.append(_money_row(key, company.id, "capex", earlier))
            observed.append(_row(key, company.id, "capex_growth", rate, period=this_q4, status=status, sources=sources))
            observed.append(
                _row(
                    key,
                    company.id,
                    "capex_growth_rank",
                    Decimal(rank),
                    period=this_q4,
                    status=status,
                    sources=sources,
                    unit="rank",
                )
            )
        if lacking:
            names = "、".join(lacking) if self.zh else ", ".join(lacking)
            notes.append(self.t("no_quarter", companies=names))
        notes.extend(
            statement.text_zh if self.zh else statement.text_en
            for statement in self.dataset.statements
            if statement.key.startswith(f"q4_{self.year}_capex_growth_rank")
        )
        columns = (
            ("rank", self.text["rank"]),
            ("company", self.text["company"]),
            ("q4_2024", self.t("q4_2024")),
            ("q4_2023", self.t("q4_2023")),
            ("growth", self.text["growth"]),
            ("status", self.text["status"]),
        )
        return Section(key, self.t("growth_q4"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def projections(self) -> Section:
        key = f"projections_{self.year + 1}"
        this_year, next_year = self.period, CalendarYear(self.year + 1)
        assumed = RateTable(
            [
                attrs.evolve(rate, window=next_year, source=_assumption(self.year))
                for rate in self.dataset.rates.rates
                if rate.window == this_year
            ]
        )
        notes: list[str] = []
        projected = [
            fact
            for fact in self.dataset.select(metric="capex", period=next_year)
            if fact.status in {Status.GUIDANCE, Status.ESTIMATE}
        ]  # what was expected, not what was spent
        for plan in self.dataset.select(metric="capex"):  # multi-year plans from the next year, spread evenly by year
            period = plan.value.period
            if (
                period.start == next_year.start and period.month_count > 12 and period.month_count % 12 == 0  # noqa: PLR2004
            ):
                years = [CalendarYear(self.year + 1 + offset) for offset in range(period.month_count // 12)]
                projected.append(spread_plan(plan, years)[0])
        projected.extend(self.tencent_rule(projected, notes))
        rows, values = [], []
        observed: list[ReportRow] = []
        for fact in projected:
            if not self.included(fact.company.id):
                continue
            converted = None
            try:
                converted = assumed.convert(fact.value, "USD")
                in_usd, usd_value = self.money(converted), str(converted.amount)
            except CapexModelError as error:
                in_usd, usd_value = "-", ""
                notes.append(f"{fact.company.id}: not converted to USD: {error}")
            if fact.counted_as is not None:
                notes.append(self.covers(fact))
            derivation = str(getattr(fact.derivation, "rule", fact.basis))
            rows.append(
                {
                    "company": self.name(fact.company),
                    "capex": self.money(fact.value),
                    "usd": in_usd,
                    "rule": derivation,
                    "status": fact.status.value,
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
                    sources=fact.sources,
                    basis=derivation,
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
                        sources=merge_sources(fact.sources, (_assumption(self.year),)),
                        basis=derivation,
                        note=f"converted at the {self.year} average rate",
                    )
                )
        notes.extend(
            str(statement.text_zh if self.zh else statement.text_en)
            for statement in self.dataset.statements
            if statement.unit == "rule" and self.of_year(statement.key, self.year + 1)
        )
        columns = (
            ("company", self.text["company"]),
            ("capex", self.t("capex_2025")),
            ("usd", self.t("in_usd")),
            ("rule", self.text["rule"]),
            ("status", self.text["status"]),
        )
        return Section(key, self.t("projections"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))

    def tencent_rule(self, projected: list[Fact], notes: list[str]) -> list[Fact]:
        """The article's projection of Tencent's capex from its revenue, where the statements give the rule."""
        rule = {statement.key: statement.value for statement in self.dataset.statements}
        share_key = f"tencent_{self.year + 1}_capex_to_revenue"
        growth_key = f"tencent_{self.year + 1}_revenue_growth"
        covered = {fact.company.id for fact in projected}
        if share_key not in rule or "tencent" in covered or not self.included("tencent"):
            return []
        if growth_key not in rule:
            notes.append(f"tencent: the rule {share_key} needs the statement {growth_key}")
            return []
        try:
            revenue = self.dataset.fact("tencent", "revenue", self.period)
            return [
                capex_from_revenue(
                    revenue,
                    period=CalendarYear(self.year + 1),
                    revenue_growth=rule[growth_key],
                    capex_to_revenue=rule[share_key],
                )
            ]
        except CapexModelError as error:
            notes.append(f"tencent: {error}")
            return []

    def risk(self) -> Section:
        rows, values, notes = [], [], []
        observed: list[ReportRow] = []
        key = f"bubble_risk_{self.year}"
        for company in self.compared():
            try:
                assessment = self.dataset.bubble_risk(self.period, company=company)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            if assessment.score is None or assessment.coverage < Decimal("0.5"):
                continue
            fires = [signal.name for signal in assessment.signals if signal.fires]
            firing = fires or [self.text["none"]]
            rows.append(
                {
                    "company": self.name(company),
                    "score": format_percent(assessment.score, locale=self.locale),
                    "coverage": format_percent(assessment.coverage, locale=self.locale),
                    "firing": ", ".join(firing),
                }
            )
            values.append(
                {
                    "company": company.id,
                    "score": str(assessment.score),
                    "coverage": str(assessment.coverage),
                    "firing": ",".join(firing),
                }
            )
            note = "fires: " + (", ".join(fires) or "none")
            for metric, value in (
                ("bubble_risk_score", assessment.score),
                ("bubble_risk_coverage", assessment.coverage),
            ):
                observed.append(
                    _row(
                        key, company.id, metric, value, period=self.period, status=Status.DERIVED, sources=(), note=note
                    )
                )
        notes.append(self.text["risk_note"])
        columns = (
            ("company", self.text["company"]),
            ("score", self.text["score"]),
            ("coverage", self.text["coverage"]),
            ("firing", self.text["firing"]),
        )
        return Section(key, self.t("risk"), columns, tuple(rows), tuple(values), tuple(notes), tuple(observed))


def _sources(sources: Iterable[Source]) -> str:
    return "; ".join(map(str, sources))


def _money_row(section: str, company: str, metric: str, fact: Fact, *, note: str = "") -> ReportRow:
    """A fact's value as a row: its period, currency, status, basis and sources."""
    return _row(
        section, company, metric, fact.value, status=fact.status, sources=fact.sources, basis=fact.basis, note=note
    )


def _row(
    section: str,
    company: str,
    metric: str,
    value: Money | Decimal,
    *,
    status: Status,
    sources: Iterable[Source],
    period: Period | None = None,
    unit: str = "fraction",
    basis: str = "",
    note: str = "",
) -> ReportRow:
    """A row of an amount of money (in its currency) or of a number (a fraction of one unless `unit` says)."""
    if isinstance(value, Decimal):
        return ReportRow(
            section, company, metric, str(period), value, "", unit, status.value, basis, _sources(sources), note
        )
    code = str(value.currency)
    return ReportRow(
        section,
        company,
        metric,
        str(value.period),
        value.amount,
        code,
        code,
        status.value,
        basis,
        _sources(sources),
        note,
    )


#: The article's groups, in the order it compares them.
_GROUPS = ("us-five", "china-seven")


def _assumption(year: int) -> Source:
    return Source(
        "capexmodel report",
        "currency assumption",
        note=f"the {year} average rate applied to {year + 1}, as the article does",
    )
