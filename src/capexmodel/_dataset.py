"""The dataset: companies, facts, rates and chip purchases, embedded or read from CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, final

import attrs

from capexmodel._chips import ChipPurchase, H100Equivalents, h100_equivalents
from capexmodel._company import Company, Region
from capexmodel._conversion import ExchangeRate, RateTable
from capexmodel._currency import Currency
from capexmodel._errors import (
    AmbiguousFactError,
    CapexModelError,
    DataFileError,
    InvalidValueError,
    UnknownCompanyError,
    show,
)
from capexmodel._facts import Fact
from capexmodel._fiscal import FiscalCalendar
from capexmodel._money import Money, total
from capexmodel._period import Period
from capexmodel._provenance import Metric, Source, Status, merge_sources

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from decimal import Decimal

    from capexmodel._chips import Precision

__all__ = ["Aggregate", "Dataset", "Statement", "load_dataset"]

_T = TypeVar("_T")

#: The files a dataset is made of, and their columns (all required, in any order).
COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "publisher", "title", "date", "note", "preferred"),
    "companies": ("id", "name_en", "name_zh", "region", "currency", "fiscal_year_end_month", "tickers"),
    "facts": ("company", "metric", "period", "amount", "unit", "currency", "basis", "status", "sources", "market"),
    "rates": ("base", "quote", "rate", "window", "source"),
    "purchases": ("buyer", "chip", "quantity", "unit", "period", "source"),
    "statements": ("key", "value", "unit", "text_en", "text_zh", "source"),
}

#: Larger files are refused before they are read.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 100

_SOURCE_ID = re.compile(r"[A-Za-z0-9_-]+")


@final
@attrs.frozen
class Statement:
    """A statement of the source that is not an amount of money: a share, a growth multiple, a rank.

    Examples:
        >>> import capexmodel as cm
        >>> share = cm.load_dataset().statement("cloud_share_aws_azure_gcp")
        >>> share.value, share.unit
        (Decimal('0.63'), 'share')
    """

    key: str
    """A stable name for the statement."""

    value: Decimal
    """The number stated."""

    unit: str
    """What the number counts: ``share``, ``times``, ``rank``."""

    text_en: str
    """The statement in English."""

    text_zh: str
    """The statement in Chinese."""

    source: Source
    """Where it was stated."""


@final
@attrs.frozen
class Aggregate:
    """A total over several facts, with the facts it added and those it could not find.

    Examples:
        >>> import capexmodel as cm
        >>> us = cm.load_dataset().total("capex", period=cm.CalendarYear(2024), region="US", currency="USD")
        >>> us.value
        Money('258000000000', 'USD', Period.parse('2024'))
        >>> [fact.company.id for fact in us.facts]
        ['amazon', 'microsoft', 'alphabet', 'meta', 'oracle']
    """

    value: Money
    """The total, in one currency over one period."""

    facts: tuple[Fact, ...]
    """The facts added, one per company (converted where needed)."""

    missing: tuple[str, ...]
    """The companies asked about that have no such fact (by id)."""

    @property
    def status(self) -> Status:
        """Derived, or an estimate if any fact added is one."""
        return Status.combine(fact.status for fact in self.facts)

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources of the facts added, each once."""
        return merge_sources(*(fact.sources for fact in self.facts))



@final
@attrs.frozen(eq=False)
class Dataset:
    """Companies, facts, exchange rates, chip purchases and statements, and queries over them.

    When several facts fit a query (the article's 777亿美元 and Amazon's 10-K figures
    for its 2024 capex), the one citing the dataset's preferred sources (the article,
    in the embedded dataset) is used; `basis=` or `source=` select another.

    Examples:
        >>> import capexmodel as cm
        >>> ds = cm.load_dataset()
        >>> ds.fact("amazon", "capex", cm.CalendarYear(2024)).value
        Money('77700000000', 'USD', Period.parse('2024'))
        >>> ds.fact("amazon", "capex", cm.CalendarYear(2024), basis="purchases of property and equipment, gross").value
        Money('82999000000', 'USD', Period.parse('2024'))
    """

    companies: tuple[Company, ...]
    """Every company, in file order."""

    sources: Mapping[str, Source]
    """Every source, by id."""

    facts: tuple[Fact, ...]
    """Every fact, in file order."""

    rates: RateTable
    """The dataset's exchange rates (the article's 2024 average, 1 USD = 7.230 CNY)."""

    purchases: tuple[ChipPurchase, ...]
    """Chip purchases."""

    statements: tuple[Statement, ...]
    """Statements that are not amounts of money."""

    preferred_sources: tuple[Source, ...]
    """The sources whose facts win when several fit a query, in order."""

    def company(self, company_id: str) -> Company:
        """The company with this id (`UnknownCompanyError` lists the known ids)."""
        for company in self.companies:
            if company.id == company_id:
                return company
        known = ", ".join(sorted(company.id for company in self.companies))
        msg = f"unknown company {show(company_id)}: the dataset knows {known}"
        raise UnknownCompanyError(msg)

    def companies_in(self, region: Region | str) -> tuple[Company, ...]:
        """The companies of a region, in file order.

        Examples:
            >>> import capexmodel as cm
            >>> [company.id for company in cm.load_dataset().companies_in("CN")][:3]
            ['bytedance', 'alibaba', 'tencent']
        """
        code = region if isinstance(region, Region) else Region(region)
        return tuple(company for company in self.companies if company.region == code)

    def statement(self, key: str) -> Statement:
        """The statement with this key."""
        for statement in self.statements:
            if statement.key == key:
                return statement
        known = ", ".join(statement.key for statement in self.statements)
        msg = f"no statement called {show(key)}: the dataset has {known}"
        raise InvalidValueError(msg)

    def select(
        self,
        *,
        company: Company | str | None = None,
        metric: Metric | str | None = None,
        period: Period | None = None,
        status: Status | str | None = None,
        region: Region | str | None = None,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | str | None = None,
    ) -> tuple[Fact, ...]:
        """Every fact that matches all the criteria given (None matches anything).

        Examples:
            >>> import capexmodel as cm
            >>> estimates = cm.load_dataset().select(status="estimate", metric="capex")
            >>> [(fact.company.id, str(fact.value.period)) for fact in estimates]
            [('bytedance', '2024'), ('bytedance', '2025')]
        """
        company_id = None if company is None else self.company(_id_of(company)).id
        wanted_metric = None if metric is None else Metric(metric)
        wanted_status = None if status is None else Status.parse(status)
        wanted_region = None if region is None else (region if isinstance(region, Region) else Region(region))
        wanted_market = None if market is None else (market if isinstance(market, Region) else Region(market))
        wanted_source = None if source is None else self._source(source)
        return tuple(
            fact
            for fact in self.facts
            if (company_id is None or fact.company.id == company_id)
            and (wanted_metric is None or fact.metric == wanted_metric)
            and (period is None or fact.value.period == period)
            and (wanted_status is None or fact.status == wanted_status)
            and (wanted_region is None or fact.company.region == wanted_region)
            and (basis is None or fact.basis == basis)
            and (wanted_source is None or wanted_source in fact.sources)
            and (wanted_market is None or fact.market == wanted_market)
        )

    def fact(
        self,
        company: Company | str,
        metric: Metric | str,
        period: Period,
        *,
        basis: str | None = None,
        source: Source | str | None = None,
        market: Region | str | None = None,
    ) -> Fact:
        """The one fact about `company`'s `metric` over `period`.

        Several fit: the one citing the first preferred source that any of them
        cites; otherwise `AmbiguousFactError`, listing them. None fits:
        `InvalidValueError` naming the query.
        """
        candidates = self.select(
            company=company, metric=metric, period=period, basis=basis, source=source, market=market
        )
        if market is None:
            candidates = tuple(fact for fact in candidates if fact.market is None)
        if not candidates:
            name = company.id if isinstance(company, Company) else company
            msg = f"no {Metric(metric)} fact for {name} over {period}" + _selectors(basis, source)
            raise InvalidValueError(msg)
        return self._preferred(candidates)

    def _preferred(self, candidates: tuple[Fact, ...]) -> Fact:
        if len(candidates) == 1:
            return candidates[0]
        for preferred in self.preferred_sources:
            citing = [fact for fact in candidates if preferred in fact.sources]
            if len(citing) == 1:
                return citing[0]
        shown = "; ".join(f"{fact.value._brief(period=False)} ({fact.basis or 'no basis'})" for fact in candidates)
        first = candidates[0]
        msg = (
            f"several {first.metric} facts for {first.company.id} over {first.value.period}: {shown};"
            " pass basis= or source= to choose one"
        )
        raise AmbiguousFactError(msg)

    def _source(self, source: Source | str) -> Source:
        if isinstance(source, Source):
            return source
        found = self.sources.get(source) if isinstance(source, str) else None
        if found is None:
            known = ", ".join(self.sources)
            msg = f"unknown source {show(source)}: the dataset has {known}"
            raise InvalidValueError(msg)
        return found

    def total(
        self,
        metric: Metric | str,
        *,
        period: Period,
        region: Region | str | None = None,
        companies: Iterable[Company | str] | None = None,
        currency: str | None = None,
        rates: RateTable | None = None,
        basis: str | None = None,
        source: Source | str | None = None,
    ) -> Aggregate:
        """Add up one metric over `period` for a region's companies (or the ones named), in one currency.

        Each company contributes its one fact (see `Dataset.fact`), converted to
        `currency` with `rates` (the dataset's own by default). Companies without the
        fact are listed in `Aggregate.missing`, never counted as zero.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> china = ds.total("capex", period=cm.CalendarYear(2024), region="CN", currency="USD")
            >>> cm.format_money(china.value, locale="zh_CN"), china.status
            ('446亿美元', <Status.ESTIMATE: 'estimate'>)
        """
        if (region is None) == (companies is None):
            msg = "total() adds up a region's or the named companies: pass exactly one of region= and companies="
            raise InvalidValueError(msg)
        if region is not None:
            members = self.companies_in(region)
        elif companies is None or isinstance(companies, str) or not hasattr(companies, "__iter__"):
            msg = f"companies must be a list of companies or ids, got {show(companies)}"
            raise InvalidValueError(msg)
        else:
            members = tuple(self.company(_id_of(c)) for c in companies)
        if rates is not None and not isinstance(rates, RateTable):
            msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
            raise InvalidValueError(msg)
        table = self.rates if rates is None else rates
        found: list[Fact] = []
        missing: list[str] = []
        for member in members:
            try:
                fact = self.fact(member, metric, period, basis=basis, source=source)
            except InvalidValueError:
                missing.append(member.id)
                continue
            if currency is not None and fact.value.currency != Currency(currency):
                conversion = table.conversion(fact.value.currency, currency, period)
                fact = Fact.derive(conversion.apply(fact.value), [fact], derivation=conversion)
            found.append(fact)
        if not found:
            msg = f"no company has a {Metric(metric)} fact over {period}" + _selectors(basis, source)
            raise InvalidValueError(msg)
        return Aggregate(total([fact.value for fact in found]), tuple(found), tuple(missing))

    def convert(self, money: Money, currency: str, *, blend: bool = False) -> Money:
        """Convert with the dataset's rates.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> bytedance = ds.fact("bytedance", "capex", cm.CalendarYear(2024))
            >>> cm.format_money(ds.convert(bytedance.value, "USD"), locale="zh_CN")
            '111亿美元'
        """
        return self.rates.convert(money, currency, blend=blend)

    def to_frame(self, backend: Literal["pyarrow", "pandas", "polars"] = "pyarrow") -> Any:  # noqa: ANN401 -- per backend
        """The facts as a table (see `capexmodel.frames` for the layout); needs the ``frames`` extra.

        Examples:
            >>> import capexmodel as cm
            >>> cm.load_dataset().to_frame("pyarrow").num_rows
            71
        """
        from capexmodel.frames import to_frame  # noqa: PLC0415 -- an optional extra

        return to_frame(self, backend)

    @classmethod
    def from_frame(cls, frame: object, base: Dataset | None = None) -> Dataset:
        """A dataset with the table's facts and `base`'s companies, sources, rates and chips.

        `base` is the embedded dataset by default; ``Dataset.from_frame(ds.to_frame(), ds)``
        has exactly `ds`'s facts. Needs the ``frames`` extra.

        Examples:
            >>> import capexmodel as cm
            >>> ds = cm.load_dataset()
            >>> cm.Dataset.from_frame(ds.to_frame("polars"), ds).facts == ds.facts
            True
        """
        from capexmodel.frames import from_frame  # noqa: PLC0415 -- an optional extra

        return from_frame(frame, base)

    def h100_equivalents(
        self, basis: Precision | Mapping[str, object] = "bf16", *, region: Region | str | None = None
    ) -> H100Equivalents:
        """H100-equivalents of the dataset's chip purchases, for a region's buyers or all of them."""
        purchases = self.purchases
        if region is not None:
            members = {company.id for company in self.companies_in(region)}
            purchases = tuple(purchase for purchase in purchases if purchase.buyer_id in members)
        return h100_equivalents(purchases, basis=basis)


def _id_of(company: Company | str) -> str:
    return company.id if isinstance(company, Company) else company


def _selectors(basis: str | None, source: object) -> str:
    parts = [f"basis={basis!r}" if basis is not None else "", f"source={show(source)}" if source is not None else ""]
    chosen = ", ".join(part for part in parts if part)
    return f" with {chosen}" if chosen else ""


# Loading ------------------------------------------------------------------------------------


class _Problems:
    """Every problem found while reading, by file, line and field."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int, str]] = []

    def add(self, where: str, line: int, field: str | None, message: str) -> None:
        place = f"{where}, line {line}" + (f", field {field!r}" if field else "")
        self.found.append((where, line, f"{place}: {message}"))

    @property
    def lines(self) -> list[str]:
        """The problems, file by file in the order read, line by line (the first `MAX_PROBLEMS`, then a count)."""
        files = list(dict.fromkeys(where for where, _, _ in self.found))
        ordered = sorted(self.found, key=lambda problem: (files.index(problem[0]), problem[1]))
        shown = [text for _, _, text in ordered[:MAX_PROBLEMS]]
        if len(ordered) > MAX_PROBLEMS:
            shown.append(f"... and {len(ordered) - MAX_PROBLEMS:,} more problems")
        return shown


_Row = tuple[int, dict[str, str]]


def _read(name: str, data: bytes, kind: str, problems: _Problems) -> list[_Row]:
    """The rows of one CSV file, with their line numbers; comment lines start with ``#``."""
    text = _decode(name, data, problems)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    rows: list[_Row] = []
    try:
        for cells in reader:
            if not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if not _check_header(name, reader.line_num, header, kind, problems):
                    return []
            elif len(cells) != len(header):
                problems.add(name, reader.line_num, None, f"expected {len(header)} fields, got {len(cells)}")
            else:
                rows.append((reader.line_num, {key: value.strip() for key, value in zip(header, cells, strict=True)}))
    except csv.Error as error:
        problems.add(name, reader.line_num, None, f"not valid CSV: {error}")
    if header is None:
        problems.add(name, 1, None, f"the file is empty; expected a header: {', '.join(COLUMNS[kind])}")
    return rows


def _decode(name: str, data: bytes, problems: _Problems) -> str | None:
    """The file's text, or None (and a problem) when it is binary or not UTF-8 (size is checked before reading)."""
    if b"\0" in data:
        problems.add(name, 1, None, "the file is binary (it holds NUL bytes); expected UTF-8 CSV text")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(name, line, None, f"the file is not UTF-8 text ({error.reason} at byte {error.start})")
        return None


def _check_header(name: str, line: int, header: list[str], kind: str, problems: _Problems) -> bool:
    expected = COLUMNS[kind]
    missing = [column for column in expected if column not in header]
    unknown = [column for column in header if column not in expected]
    unknown += [f"{column} (twice)" for column in dict.fromkeys(header) if header.count(column) > 1]
    if missing or unknown:
        wrong = ", ".join([*(f"missing {c!r}" for c in missing), *(f"unknown {c!r}" for c in unknown)])
        problems.add(name, line, None, f"the header has {wrong}; expected {', '.join(expected)}")
        return False
    return True


def _number(text: str, unit: str) -> Decimal:
    from capexmodel._format import parse_number  # noqa: PLC0415 -- formatting loads babel and pint

    if not text:
        msg = "expected a number, got an empty field"
        raise InvalidValueError(msg)
    return parse_number(f"{text}{unit}" if not unit.isascii() else f"{text} {unit}".strip())


def _yes_no(text: str) -> bool:
    if text not in ("yes", "no", ""):
        msg = f"expected yes or no, got {show(text)}"
        raise InvalidValueError(msg)
    return text == "yes"


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"expected a date such as 2025-04-14, got {show(text)}"
        raise InvalidValueError(msg) from None


class _Builder:
    """Turns rows into model objects, collecting every problem instead of stopping at the first."""

    def __init__(self, base: Dataset | None, problems: _Problems) -> None:
        self.problems = problems
        self.sources: dict[str, Source] = dict(base.sources) if base else {}
        self.preferred: list[Source] = []  # the files' own preferred sources come first
        self.base_preferred: list[Source] = list(base.preferred_sources) if base else []
        self.companies: dict[str, Company] = {company.id: company for company in base.companies} if base else {}
        self.facts: list[Fact] = list(base.facts) if base else []
        self.rates: list[ExchangeRate] = list(base.rates.rates) if base else []
        self.purchases: list[ChipPurchase] = list(base.purchases) if base else []
        self.statements: list[Statement] = list(base.statements) if base else []
        self.where, self.line = "", 0

    def parse(self, field: str | None, parse: Callable[..., _T], *args: object, **kwargs: object) -> _T | None:
        """Parse one field of the current row, recording a problem (and giving None) when it is malformed."""
        try:
            return parse(*args, **kwargs)
        except CapexModelError as error:
            self.problems.add(self.where, self.line, field, str(error))
            return None

    def rows(self, where: str, rows: list[_Row]) -> Iterable[dict[str, str]]:
        """Each row, with the current file and line set for the problems found in it."""
        for line, row in rows:
            self.where, self.line = where, line
            yield row

    def problem(self, field: str | None, message: str) -> None:
        self.problems.add(self.where, self.line, field, message)

    def source_ids(self, field: str, text: str) -> tuple[Source, ...] | None:
        found = []
        for source_id in text.split():
            if source_id not in self.sources:
                self.problem(field, f"unknown source {source_id!r}; expected one of the sources' ids")
                return None
            found.append(self.sources[source_id])
        return tuple(found)

    def company_of(self, field: str, text: str) -> Company | None:
        company = self.companies.get(text)
        if company is None:
            self.problem(field, f"unknown company {text!r}; expected one of the companies' ids")
        return company

    def add_sources(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            if not _SOURCE_ID.fullmatch(row["id"]):
                self.problem("id", f"a source id is letters, digits, '-' and '_', got {row['id']!r}")
                continue
            if row["id"] in self.sources:
                self.problem("id", f"the source {row['id']!r} is defined twice")
                continue
            date = self.parse("date", _date, row["date"])
            preferred = self.parse("preferred", _yes_no, row["preferred"])
            source = self.parse("publisher", Source, row["publisher"], row["title"], date, row["note"] or None)
            if source is not None and preferred is not None and (date is not None or not row["date"]):
                self.sources[row["id"]] = source
                if preferred:
                    self.preferred.append(source)

    def add_companies(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            if row["id"] in self.companies:
                self.problem("id", f"the company {row['id']!r} is defined twice")
                continue
            checks = [
                self.parse("fiscal_year_end_month", _calendar, row["fiscal_year_end_month"]),
                self.parse("region", Region, row["region"]),
                self.parse("currency", Currency, row["currency"]),
            ]
            if any(check is None for check in checks):
                continue
            company = self.parse(None, _company, row, checks[0])
            if company is not None:
                self.companies[company.id] = company

    def add_facts(self, where: str, rows: list[_Row]) -> None:
        seen = {_fact_key(fact) for fact in self.facts}
        for row in self.rows(where, rows):
            company = self.company_of("company", row["company"])
            metric = self.parse("metric", Metric, row["metric"])
            period = self.parse("period", Period.parse, row["period"])
            amount = self.parse("amount", _number, row["amount"], row["unit"])
            currency = self.parse("currency", Currency, row["currency"])
            status = self.parse("status", Status.parse, row["status"])
            sources = self.source_ids("sources", row["sources"])
            market = self.parse("market", Region, row["market"]) if row["market"] else None
            if (
                company is None or metric is None or period is None or amount is None or currency is None
                or status is None or sources is None or (row["market"] and market is None)
            ):
                continue
            value = Money(amount, currency, period)
            fact = self.parse("metric", Fact, company, metric, value, row["basis"], status, sources, market=market)
            if fact is None:
                continue
            if _fact_key(fact) in seen:
                basis = fact.basis or "no basis"
                self.problem(None, f"a duplicate fact: {company.id} {metric} over {period} ({basis})")
                continue
            seen.add(_fact_key(fact))
            self.facts.append(fact)

    def add_rates(self, where: str, rows: list[_Row]) -> None:
        seen = {(frozenset((rate.base, rate.quote)), rate.window) for rate in self.rates}
        for row in self.rows(where, rows):
            base = self.parse("base", Currency, row["base"])
            quote = self.parse("quote", Currency, row["quote"])
            window = self.parse("window", Period.parse, row["window"])
            source = self.one_source(row["source"])
            if base is None or quote is None or window is None or source is False:
                continue
            rate = self.parse("rate", ExchangeRate, base, quote, row["rate"], window, source)
            if rate is None:
                continue
            key = (frozenset((base, quote)), window)
            if key in seen:
                self.problem(None, f"a second {base}/{quote} rate over {window}: one rate per pair and window")
                continue
            seen.add(key)
            self.rates.append(rate)

    def one_source(self, text: str) -> Source | bool | None:
        """The one source a rate or a purchase cites (None for none), or False after a problem."""
        sources = self.source_ids("source", text)
        if sources is None:
            return False
        if len(sources) > 1:
            self.problem("source", f"expected one source id, got {text!r}")
            return False
        return sources[0] if sources else None

    def add_purchases(self, where: str, rows: list[_Row]) -> None:
        seen = {(p.buyer_id, p.chip.name, p.period) for p in self.purchases}
        for row in self.rows(where, rows):
            buyer = self.company_of("buyer", row["buyer"])
            quantity = self.parse("quantity", _count, row["quantity"], row["unit"])
            period = self.parse("period", Period.parse, row["period"])
            source = self.one_source(row["source"])
            if buyer is None or quantity is None or period is None or source is False:
                continue
            purchase = self.parse("chip", ChipPurchase, buyer, row["chip"], quantity, period, source)
            if purchase is None:
                continue
            key = (buyer.id, purchase.chip.name, period)
            if key in seen:
                self.problem(None, f"a duplicate purchase: {buyer.id} {purchase.chip.name} over {period}")
                continue
            seen.add(key)
            self.purchases.append(purchase)

    def add_statements(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            if not _SOURCE_ID.fullmatch(row["key"]):
                self.problem("key", f"a statement key is letters, digits, '-' and '_', got {row['key']!r}")
                continue
            if any(statement.key == row["key"] for statement in self.statements):
                self.problem("key", f"the statement {row['key']!r} is defined twice")
                continue
            value = self.parse("value", _number, row["value"], "")
            sources = self.source_ids("source", row["source"])
            if sources == ():
                self.problem("source", "expected a source id")
            if value is None or not sources:
                continue
            texts = row["text_en"], row["text_zh"]
            self.statements.append(Statement(row["key"], value, row["unit"], *texts, sources[0]))

    def dataset(self) -> Dataset:
        table = RateTable(self.rates)  # one rate per pair and window is checked row by row
        if self.problems.found:
            raise DataFileError(self.problems.lines)
        return Dataset(
            tuple(self.companies.values()), dict(self.sources), tuple(self.facts), table, tuple(self.purchases),
            tuple(self.statements), tuple(dict.fromkeys([*self.preferred, *self.base_preferred])),
        )


def _company(row: dict[str, str], calendar: FiscalCalendar) -> Company:
    return Company(
        id=row["id"], name_en=row["name_en"], name_zh=row["name_zh"], region=row["region"],
        fiscal_calendar=calendar, currency=row["currency"], tickers=row["tickers"].split(),
    )


def _fact_key(fact: Fact) -> tuple[object, ...]:
    return (fact.company.id, fact.metric, fact.value.period, fact.basis, fact.market, fact.sources)


def _calendar(text: str) -> FiscalCalendar:
    text = text or "12"
    if not re.fullmatch(r"[0-9]{1,2}", text):
        msg = f"expected a month number from 1 to 12, got {show(text)}"
        raise InvalidValueError(msg)
    return FiscalCalendar(year_end_month=int(text))


def _count(text: str, unit: str) -> int:
    quantity = _number(text, unit)
    if quantity < 0 or quantity != quantity.to_integral_value():
        msg = f"expected a whole number of chips, zero or more, got {text}{unit}"
        raise InvalidValueError(msg)
    return int(quantity)


_ORDER = ("sources", "companies", "facts", "rates", "purchases", "statements")


def _build(files: dict[str, tuple[str, bytes]], base: Dataset | None) -> Dataset:
    problems = _Problems()
    builder = _Builder(base, problems)
    for kind in _ORDER:
        if kind in files:
            name, data = files[kind]
            getattr(builder, f"add_{kind}")(name, _read(name, data, kind, problems))
    return builder.dataset()


_embedded: Dataset | None = None


def load_dataset(path: str | Path | None = None, *, replace: bool = False) -> Dataset:
    """The embedded dataset, or data read from CSV files merged into it (or replacing it).

    `path` is a folder holding any of ``sources.csv``, ``companies.csv``,
    ``facts.csv``, ``rates.csv``, ``purchases.csv`` and ``statements.csv``, or one
    such file. By default the files add to the embedded dataset (they may cite its
    companies and sources, and may not define them again); with ``replace=True``
    they are the whole dataset. Every malformed row is reported, by file, line and
    field, in one `DataFileError`; nothing is dropped. Files are only parsed as CSV:
    nothing in them runs.

    Examples:
        >>> import capexmodel as cm
        >>> ds = cm.load_dataset()
        >>> len(ds.companies), ds.rates.rates[0].rate
        (14, Decimal('7.230'))
    """
    global _embedded  # noqa: PLW0603 -- the embedded dataset is read once
    if path is not None and not isinstance(path, str | Path):
        msg = f"load_dataset() takes a path to a folder or a file, got {show(path)}"
        raise InvalidValueError(msg)
    if path is None or not replace:
        if _embedded is None:
            folder = resources.files("capexmodel") / "data"
            _embedded = _build({kind: (f"{kind}.csv", (folder / f"{kind}.csv").read_bytes()) for kind in _ORDER}, None)
        if path is None:
            return _embedded
    return _build(_user_files(Path(path)), None if replace else _embedded)


def _user_files(path: Path) -> dict[str, tuple[str, bytes]]:
    names = ", ".join(f"{kind}.csv" for kind in _ORDER)
    if path.is_dir():
        found = {kind: path / f"{kind}.csv" for kind in _ORDER if (path / f"{kind}.csv").is_file()}
        strangers = sorted(str(file) for file in path.glob("*.csv") if file.stem not in COLUMNS)
        if strangers:
            raise DataFileError([f"{file}: not a data file name; expected any of {names}" for file in strangers])
        if not found:
            raise DataFileError([f"{path}: no data files here; expected any of {names}"])
    elif path.is_file():
        kind = path.stem
        if kind not in COLUMNS:
            raise DataFileError([f"{path}: cannot tell what the file holds from its name; expected one of {names}"])
        found = {kind: path}
    else:
        raise DataFileError([f"{path}: no such file or folder"])
    files = {}
    for kind, file in found.items():
        try:
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                limit = f"data files are limited to {MAX_FILE_BYTES:,}"
                raise DataFileError([f"{file}: the file is {size:,} bytes; {limit}"])
            files[kind] = (str(file), file.read_bytes())
        except OSError as error:
            raise DataFileError([f"{file}: cannot read the file: {error.strerror or error}"]) from None
    return files
