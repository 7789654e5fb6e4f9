"""The article's comparison, computed from a dataset, as sections of rows ready to render."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, final

import attrs

from capexmodel._chips import h100_equivalents
from capexmodel._context import EXACT
from capexmodel._conversion import RateTable
from capexmodel._dataset import as_reported, in_own_context
from capexmodel._display import html, report_views
from capexmodel._errors import CapexModelError, FactNotFoundError
from capexmodel._format import format_money, format_percent, format_ratio
from capexmodel._period import CalendarQuarter, CalendarYear
from capexmodel._projections import capex_from_revenue, spread_plan
from capexmodel._provenance import Source, Status, merge_sources

if TYPE_CHECKING:
    from capexmodel._company import Company
    from capexmodel._dataset import Dataset
    from capexmodel._facts import Fact
    from capexmodel._money import Money

__all__ = ["Report", "Section", "build_report"]

Y24, Y25 = CalendarYear(2024), CalendarYear(2025)
Q4_23, Q4_24 = CalendarQuarter(2023, 4), CalendarQuarter(2024, 4)


_TEXT = {
    "en": {
        "capex": "2024 capex by company",
        "company": "Company",
        "region": "Region",
        "capex_2024": "Capex 2024",
        "basis": "Basis",
        "status": "Status",
        "totals": "2024 capex by region",
        "total": "Total",
        "companies": "Companies",
        "ratio": "United States over China",
        "chips": "Nvidia Hopper purchases, 2024",
        "buyer": "Buyer",
        "chip": "Chip",
        "quantity": "Chips",
        "article_basis": "H100-equivalents (H20 = 1/{ratio}, the article)",
        "article_basis_third": "H100-equivalents (H20 = 1/3, the article)",
        "no_ratio": "the article's basis (H20 = 1/3) needs the statement h20_per_h100, a number of H20s above zero:"
        " not shown",
        "bf16_basis": "H100-equivalents (BF16 datasheet peaks)",
        "intensity": "2024 capex intensity (capex / revenue)",
        "revenue": "Revenue 2024",
        "projections": "2025 capex projections",
        "rule": "Rule",
        "capex_2025": "Capex 2025",
        "in_usd": "In USD (at the 2024 rate)",
        "risk": "Bubble-risk signals, 2024",
        "score": "Score",
        "coverage": "Signals known",
        "firing": "Signals that fire",
        "none": "none",
        "risk_note": "companies with fewer than half of the six signals known are left out",
        "group": "Group",
        "missing": "Left out (no figure)",
        "covers": "{company}'s figure covers {period}, which the source counts as {label}",
        "recomputed": "{company}: the source prints {published}; from {input}, it is {recomputed}",
        "growth_q4": "Q4 2024 capex growth, year over year",
        "q4_2024": "Capex Q4 2024",
        "q4_2023": "Capex Q4 2023",
        "growth": "Growth",
        "rank": "Rank",
        "no_quarter": "no capex for Q4 2024 and Q4 2023: {companies}",
        "rates": "converted at 1 USD = {rate} CNY, the 2024 average ({source})",
    },
    "zh": {
        "capex": "2024年各公司资本支出",
        "company": "公司",
        "region": "地区",
        "capex_2024": "2024年资本支出",
        "basis": "口径",
        "status": "状态",
        "totals": "2024年各地区资本支出",
        "total": "合计",
        "companies": "公司数",
        "ratio": "美国与中国之比",
        "chips": "英伟达Hopper芯片采购量(2024年)",
        "buyer": "买家",
        "chip": "芯片",
        "quantity": "数量",
        "article_basis": "折合H100(H20按1/{ratio},文章口径)",
        "article_basis_third": "折合H100(H20按三分之一,文章口径)",
        "no_ratio": "文章口径(H20按三分之一)需要陈述h20_per_h100(大于零的H20数量):未列出",
        "bf16_basis": "折合H100(按BF16峰值)",
        "intensity": "2024年资本支出强度(资本支出/营收)",
        "revenue": "2024年营收",
        "projections": "2025年资本支出预测",
        "rule": "规则",
        "capex_2025": "2025年资本支出",
        "in_usd": "折合美元(2024年汇率)",
        "risk": "泡沫风险信号(2024年)",
        "score": "得分",
        "coverage": "可判断信号",
        "firing": "触发的信号",
        "none": "无",
        "risk_note": "六个信号中可判断的不足一半的公司未列出",
        "group": "组别",
        "missing": "缺少数据",
        "covers": "{company}的数据覆盖{period},来源将其计为{label}",
        "recomputed": "{company}:来源记为{published};按{input}计算为{recomputed}",
        "growth_q4": "2024年四季度资本支出同比增速",
        "q4_2024": "2024年四季度资本支出",
        "q4_2023": "2023年四季度资本支出",
        "growth": "增速",
        "rank": "排名",
        "no_quarter": "缺少2024年与2023年四季度资本支出的公司:{companies}",
        "rates": "按2024年平均汇率1美元 = {rate}元换算(来源:{source})",
    },
}


@final
@attrs.frozen
class Section:
    """A titled table: column keys and titles, and rows of displayed text and exact values."""

    key: str
    title: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[dict[str, str], ...]
    values: tuple[dict[str, str], ...]
    notes: tuple[str, ...] = ()


@final
@attrs.frozen
class Report:
    """The sections of the article's comparison, in one locale."""

    locale: str
    sections: tuple[Section, ...]

    def _repr_html_(self) -> str:
        """Each section as an HTML table with its notes (for notebooks)."""
        return html(*report_views(self))


@in_own_context
def build_report(dataset: Dataset, locale: str = "en_US") -> Report:
    """Compute the article's comparison from `dataset`, with every figure formatted for `locale`."""
    language = "zh" if locale.startswith("zh") else "en"
    builder = _Builder(dataset, locale, _TEXT[language])
    sections = [
        builder.capex(),
        builder.totals(),
        builder.chips(),
        builder.intensity(),
        builder.growth(),
        builder.projections(),
        builder.risk(),
    ]
    return Report(locale, tuple(section for section in sections if section.rows or section.notes))


@attrs.define
class _Builder:
    dataset: Dataset
    locale: str
    text: dict[str, str]

    @property
    def zh(self) -> bool:
        return self.locale.startswith("zh")

    def name(self, company: Company) -> str:
        return company.name_zh if self.locale.startswith("zh") else company.name_en

    def money(self, value: Money) -> str:
        return format_money(value, locale=self.locale)

    def usd(self, fact: Fact) -> Money:
        return self.dataset.convert(fact, "USD").value

    def compared(self) -> tuple[Company, ...]:
        """The companies the article compares: its groups' members, else every company."""
        groups = [group for group in self.dataset.groups if group.id in _GROUPS]
        if not groups:
            return self.dataset.companies
        ids = dict.fromkeys(member for group in groups for member in group.members)
        return tuple(self.dataset.company(company_id) for company_id in ids)

    def covers(self, fact: Fact) -> str:
        return self.text["covers"].format(
            company=self.name(fact.company), period=fact.value.period, label=fact.counted_as
        )

    def rate_used(self) -> list[str]:
        """Which USD/CNY rate the totals convert at, and whose it is (the article's 7.230, or the ECB's average)."""
        try:
            conversion = self.dataset.rates.conversion("USD", "CNY", Y24)
        except CapexModelError:
            return []
        source = "; ".join(map(str, conversion.sources)) or "?"
        return [self.text["rates"].format(rate=f"{conversion.rate:.4f}", source=source)]

    def capex(self) -> Section:
        rows, values, notes = [], [], []
        for company in self.compared():
            try:
                fact = self.dataset.fact(company, "capex", Y24)
                recomputed = self.usd(fact)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            usd = fact.value if fact.value.currency == "USD" else recomputed  # as the source prints it
            if fact.counted_as is not None:
                notes.append(self.covers(fact))
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
        columns = (
            ("company", self.text["company"]),
            ("region", self.text["region"]),
            ("capex", self.text["capex_2024"]),
            ("basis", self.text["basis"]),
            ("status", self.text["status"]),
        )
        return Section("capex_2024", self.text["capex"], columns, tuple(rows), tuple(values), tuple(notes))

    def totals(self) -> Section:
        rows, values, notes = [], [], []
        totals = {}
        chosen = [group for group in self.dataset.groups if group.id in _GROUPS]
        scopes = [(group.id, {"group": group.id}, group.name_zh if self.zh else group.name_en) for group in chosen]
        if not scopes:
            scopes = [(region, {"region": region}, region) for region in ("US", "CN")]
        for key, scope, label in scopes:
            try:
                aggregate = self.dataset.total("capex", period=Y24, currency="USD", **scope)  # type: ignore[arg-type]
            except CapexModelError as error:
                notes.append(f"{label}: {error}")
                continue
            totals[key] = aggregate.value
            rows.append(
                {
                    "region": label,
                    "total": self.money(aggregate.value),
                    "companies": str(len(aggregate.facts)),
                    "missing": ", ".join(aggregate.missing),
                    "status": aggregate.status.value,
                }
            )
            values.append(
                {
                    "region": key,
                    "total": str(aggregate.value.amount),
                    "currency": "USD",
                    "companies": ",".join(fact.company.id for fact in aggregate.facts),
                    "missing": ",".join(aggregate.missing),
                }
            )
        notes.extend(self.rate_used())
        if len(totals) == 2:  # noqa: PLR2004 -- the United States and China
            us, china = totals.values()
            ratio = us / china
            rows.append(
                {
                    "region": self.text["ratio"],
                    "total": format_ratio(ratio, locale=self.locale),
                    "companies": "",
                    "missing": "",
                    "status": "",
                }
            )
            values.append(
                {"region": "/".join(totals), "total": str(ratio), "currency": "", "companies": "", "missing": ""}
            )
        columns = (
            ("region", self.text["group"]),
            ("total", self.text["total"]),
            ("companies", self.text["companies"]),
            ("missing", self.text["missing"]),
            ("status", self.text["status"]),
        )
        return Section("capex_by_region", self.text["totals"], columns, tuple(rows), tuple(values), tuple(notes))

    def chips(self) -> Section:
        rows, values, notes = [], [], []
        ratio = {statement.key: statement.value for statement in self.dataset.statements}.get("h20_per_h100")
        article_basis: dict[str, object] | None = None
        if ratio is None or ratio <= 0:  # the article's basis is its stated ratio, or nothing
            notes.append(self.text["no_ratio"])
        else:
            article_basis = {"H20": Fraction(1) / Fraction(ratio), "H200": Fraction(1), "H800": Fraction(1)}
        for purchase in self.dataset.purchases:
            if purchase.period != Y24 or purchase.chip.family != "Hopper":
                what = f"{purchase.chip.name} over {purchase.period}"
                notes.append(f"{purchase.buyer_id}: {what} is not a 2024 Hopper purchase")
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
        return Section("hopper_2024", self.text["chips"], columns, tuple(rows), tuple(values), tuple(notes))

    def intensity(self) -> Section:
        rows, values, notes = [], [], []
        for company in self.compared():
            try:
                capex_fact = self.dataset.fact(company, "capex", Y24, whole_company=True)
                revenue_fact = self.dataset.fact(company, "revenue", Y24, whole_company=True)
                intensity = self.dataset.intensity(company, Y24)
                capex, revenue = self.usd(capex_fact), self.usd(revenue_fact)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            status = Status.combine([capex_fact.status, revenue_fact.status])
            rows.append(
                {
                    "company": self.name(company),
                    "capex": self.money(capex),
                    "revenue": self.money(revenue),
                    "intensity": format_percent(intensity, locale=self.locale),
                    "status": status.value,
                }
            )
            values.append(
                {
                    "company": company.id,
                    "capex": str(capex.amount),
                    "revenue": str(revenue.amount),
                    "intensity": str(intensity),
                    "status": status.value,
                    "sources": "; ".join(
                        str(source) for source in merge_sources(capex_fact.sources, revenue_fact.sources)
                    ),
                }
            )
        columns = (
            ("company", self.text["company"]),
            ("capex", self.text["capex_2024"]),
            ("revenue", self.text["revenue"]),
            ("intensity", self.text["intensity"]),
            ("status", self.text["status"]),
        )
        return Section("intensity_2024", self.text["intensity"], columns, tuple(rows), tuple(values), tuple(notes))

    def growth(self) -> Section:
        """Figure 4: capex growth of the fourth quarter of 2024, computed where both quarters are known."""
        found, lacking, notes = [], [], []
        for company in self.compared():
            try:
                current = self.dataset.fact(company, "capex", Q4_24, whole_company=True)
                earlier = self.dataset.fact(company, "capex", Q4_23, whole_company=True)
                rate = self.dataset.growth(company, "capex", Q4_24, whole_company=True)
            except FactNotFoundError:
                lacking.append(self.name(company))
                continue
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            found.append((rate, company, current, earlier))
        found.sort(key=lambda item: item[0], reverse=True)
        rows, values = [], []
        for rank, (rate, company, current, earlier) in enumerate(found, start=1):
            status = Status.combine([current.status, earlier.status])
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
        if lacking:
            names = "、".join(lacking) if self.zh else ", ".join(lacking)
            notes.append(self.text["no_quarter"].format(companies=names))
        notes.extend(
            statement.text_zh if self.zh else statement.text_en
            for statement in self.dataset.statements
            if statement.key.startswith("q4_2024_capex_growth_rank")
        )
        columns = (
            ("rank", self.text["rank"]),
            ("company", self.text["company"]),
            ("q4_2024", self.text["q4_2024"]),
            ("q4_2023", self.text["q4_2023"]),
            ("growth", self.text["growth"]),
            ("status", self.text["status"]),
        )
        return Section(
            "capex_growth_q4_2024", self.text["growth_q4"], columns, tuple(rows), tuple(values), tuple(notes)
        )

    def projections(self) -> Section:
        assumed = RateTable(
            [
                attrs.evolve(rate, window=Y25, source=_ASSUMPTION)
                for rate in self.dataset.rates.rates
                if rate.window == Y24
            ]
        )
        notes: list[str] = []
        projected = [
            fact
            for fact in self.dataset.select(metric="capex", period=Y25)
            if fact.status in {Status.GUIDANCE, Status.ESTIMATE}
        ]  # what was expected, not what was spent
        for plan in self.dataset.select(metric="capex"):  # multi-year plans from 2025, spread evenly by year
            period = plan.value.period
            if period.start == Y25.start and period.month_count > 12 and period.month_count % 12 == 0:  # noqa: PLR2004
                years = [CalendarYear(2025 + offset) for offset in range(period.month_count // 12)]
                projected.append(spread_plan(plan, years)[0])
        rule = {statement.key: statement.value for statement in self.dataset.statements}
        covered = {fact.company.id for fact in projected}
        if "tencent_2025_capex_to_revenue" in rule and "tencent" not in covered:
            try:
                revenue = self.dataset.fact("tencent", "revenue", Y24)
                growth, share = rule["tencent_2025_revenue_growth"], rule["tencent_2025_capex_to_revenue"]
                projected.append(capex_from_revenue(revenue, period=Y25, revenue_growth=growth, capex_to_revenue=share))
            except CapexModelError as error:
                notes.append(f"tencent: {error}")
        rows, values = [], []
        for fact in projected:
            try:
                converted = assumed.convert(fact.value, "USD")
                in_usd, usd_value = self.money(converted), str(converted.amount)
            except CapexModelError as error:
                in_usd, usd_value = "-", ""
                notes.append(f"{fact.company.id}: not converted to USD: {error}")
            if fact.counted_as is not None:
                notes.append(self.covers(fact))
            derivation = getattr(fact.derivation, "rule", fact.basis)
            rows.append(
                {
                    "company": self.name(fact.company),
                    "capex": self.money(fact.value),
                    "usd": in_usd,
                    "rule": str(derivation),
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
        notes.extend(
            str(statement.text_en if self.locale.startswith("en") else statement.text_zh)
            for statement in self.dataset.statements
            if statement.unit == "rule"
        )
        columns = (
            ("company", self.text["company"]),
            ("capex", self.text["capex_2025"]),
            ("usd", self.text["in_usd"]),
            ("rule", self.text["rule"]),
            ("status", self.text["status"]),
        )
        return Section("projections_2025", self.text["projections"], columns, tuple(rows), tuple(values), tuple(notes))

    def risk(self) -> Section:
        rows, values, notes = [], [], []
        for company in self.compared():
            try:
                assessment = self.dataset.bubble_risk(Y24, company=company)
            except CapexModelError as error:
                notes.append(f"{company.id}: {error}")
                continue
            if assessment.score is None or assessment.coverage < Decimal("0.5"):
                continue
            firing = [signal.name for signal in assessment.signals if signal.fires] or [self.text["none"]]
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
        notes.append(self.text["risk_note"])
        columns = (
            ("company", self.text["company"]),
            ("score", self.text["score"]),
            ("coverage", self.text["coverage"]),
            ("firing", self.text["firing"]),
        )
        return Section("bubble_risk_2024", self.text["risk"], columns, tuple(rows), tuple(values), tuple(notes))


#: The article's groups, in the order it compares them.
_GROUPS = ("us-five", "china-seven")


_ASSUMPTION = Source(
    "capexmodel report", "currency assumption", note="the 2024 average rate applied to 2025, as the article does"
)
