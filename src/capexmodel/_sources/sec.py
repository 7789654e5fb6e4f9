"""Reading SEC EDGAR XBRL company facts: years and quarters of five metrics, with their filings.

The rules, stated once (the guide "SEC company facts" explains them):

- Each metric is read from an ordered list of tags (`TAGS`); for each period, the
  first tag in the list that has the period wins, and the fact's basis names it.
- Periods come from ``start`` and ``end`` (never ``fy``/``fp``), snapped to whole
  months by `month_span`; instants (no ``start``) are ignored.
- Years (12 months) and quarters (3 months) are kept, as reported where reported;
  a quarter that is not is the difference of two reported spans of one tag that
  start together (the six months less the first three, the year less nine months),
  never of two vintages: when one of the two was restated after the other was last
  filed (and the other not restated with it), the quarter is left out.
  Spans of 6 and 9 months appear only as the inputs of such quarters.
- For one tag and span, the latest filing wins (by ``filed``, then accession
  number); earlier filings' other values are `Dataset.superseded`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import re
import stat
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

import attrs

from capexmodel._context import EXACT
from capexmodel._errors import CapexModelError, DataFileError, InvalidValueError, shorten, show
from capexmodel._fx.rates import RateTable
from capexmodel._lazy import public
from capexmodel._model.company import _ID, MAX_CIK, Company
from capexmodel._model.currency import Currency
from capexmodel._model.facts import Fact
from capexmodel._model.fiscal import FiscalCalendar
from capexmodel._model.money import Money
from capexmodel._model.period import Period, _days_in_month, _month_index
from capexmodel._model.provenance import Metric, Source
from capexmodel._sources.dataset import Dataset
from capexmodel._sources.loading import load_dataset

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["MAX_FILE_BYTES", "TAGS", "month_span", "read_companyfacts"]

#: Where each metric is read from: tags tried in order, for each period (taxonomy:name).
TAGS: Final[dict[str, tuple[str, ...]]] = {
    "capex": (
        "us-gaap:PaymentsToAcquirePropertyPlantAndEquipment",
        "us-gaap:PaymentsToAcquireProductiveAssets",
    ),
    "revenue": (
        "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
        "us-gaap:Revenues",
        "us-gaap:SalesRevenueNet",
        "us-gaap:RevenueFromContractWithCustomerIncludingAssessedTax",
    ),
    "operating_cash_flow": (
        "us-gaap:NetCashProvidedByUsedInOperatingActivities",
        "us-gaap:NetCashProvidedByUsedInOperatingActivitiesContinuingOperations",
    ),
    "net_income": (
        "us-gaap:NetIncomeLoss",
        "us-gaap:ProfitLoss",
    ),
    "depreciation_and_amortization": (
        "us-gaap:DepreciationDepletionAndAmortization",
        "us-gaap:DepreciationAndAmortization",
        "us-gaap:DepreciationAmortizationAndAccretionNet",
    ),
}

#: Larger files are refused before they are parsed (the SEC's largest are tens of megabytes).
MAX_FILE_BYTES: Final = 100 * 1024 * 1024

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS: Final = 100

_YEAR, _QUARTER = 12, 3
#: The spans read, in months: quarters and years, and the year-to-date spans quarters derive from.
_SPANS: Final = frozenset({3, 6, 9, 12})
_MONTHS_IN_WORDS: Final = {3: "three", 6: "six", 9: "nine", 12: "twelve"}
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ACCESSION: Final = re.compile(r"[0-9]{10}-[0-9]{2}-[0-9]{6}")
_WORD: Final = re.compile(r"[a-z0-9]+")


def _month_end_nearest(date: dt.date) -> int:
    """The month index of the month end nearest `date`; halfway goes to the end of `date`'s own month."""
    index = _month_index(date.year, date.month)
    to_own_end = _days_in_month(date.year, date.month) - date.day
    to_previous_end = date.day
    return index - 1 if to_previous_end < to_own_end else index


def month_span(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The whole months ``(first, last)`` (month indices) that the days `start` to `end` are counted as.

    Each boundary snaps to the nearest month end: the last month is the one whose
    last day is nearest `end`; the first is the month after the one whose last day
    is nearest the day before `start`. A day exactly halfway between two month ends
    goes to the end of its own month. Consecutive spans of days (one ending the day
    before the next starts) so give consecutive months, without gap or overlap.

    Examples:
        >>> import datetime as dt
        >>> from capexmodel._model.period import Period
        >>> from capexmodel._sources.sec import month_span
        >>> Period._from_indices(*month_span(dt.date(2023, 10, 1), dt.date(2024, 9, 28)))  # Apple's FY2024
        Period.parse('2023-10/2024-09')
        >>> Period._from_indices(*month_span(dt.date(2024, 9, 29), dt.date(2024, 12, 28)))
        Period.parse('2024-Q4')
    """
    return _month_end_nearest(start - dt.timedelta(days=1)) + 1, _month_end_nearest(end)


class _Entry(NamedTuple):
    """One value of one tag, as filed, with the months it is counted as."""

    first: int
    last: int
    value: Decimal
    start: dt.date
    end: dt.date
    accession: str
    form: str
    filed: dt.date
    where: str  # its JSON path, for messages

    @property
    def order(self) -> tuple[dt.date, str]:
        """Filings in the order they were made: by date, then accession number."""
        return self.filed, self.accession


class _Series(NamedTuple):
    """One tag's values for one span of months: the current one and the earlier values it replaced."""

    current: _Entry
    earlier: tuple[_Entry, ...]  # oldest filing first, one per run of equal values
    since: _Entry  # the first filing of the current value

    def restated_apart_from(self, other: _Series) -> bool:
        """Whether this value was restated after `other` was last filed, and `other` not restated with it.

        The restatement came after the earlier value was last filed and by the time the
        current one was first filed; `other` is of the new vintage if it was filed since,
        or if it was itself restated after this value's earlier one was last filed.
        """
        if not self.earlier or other.current.filed >= self.since.filed:
            return False
        return not (other.earlier and other.since.filed > self.earlier[-1].filed)


class _DuplicateKeyError(ValueError):
    """A JSON object names one key twice."""


class _Problems:
    """The problems found in one file, each with its JSON path."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{self.name}: {where}: {message}" if where else f"{self.name}: {message}")

    def error(self) -> DataFileError:
        shown = self.found[:MAX_PROBLEMS]
        if len(self.found) > MAX_PROBLEMS:
            shown.append(f"... and {len(self.found) - MAX_PROBLEMS:,} more problems")
        return DataFileError(shown)


def _kind(value: object) -> str:
    """What a JSON value is, in words, for a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    names = {str: "the string", dict: "an object", list: "an array", int: "the number", Decimal: "the number"}
    shown = show(value) if isinstance(value, str | int | Decimal) else ""
    return f"{names.get(type(value), type(value).__name__)} {shown}".rstrip()


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found = dict(pairs)
    if len(found) != len(pairs):
        keys = [key for key, _ in pairs]
        repeated = next(key for index, key in enumerate(keys) if key in keys[:index])
        msg = f"the key {show(repeated)} appears twice in one object"
        raise _DuplicateKeyError(msg)
    return found


def _number(text: str) -> Decimal:
    """A JSON number with a fraction or an exponent, read exactly."""
    try:
        return Decimal(text)
    except decimal.InvalidOperation:  # an exponent beyond the decimal module's limits
        msg = f"the number {shorten(text)} is out of range"
        raise ValueError(msg) from None


def _no_constant(name: str) -> object:
    msg = f"{name} is not a number JSON allows"
    raise ValueError(msg)


_NOT_JSON: Final = object()


def _parse(problems: _Problems, data: bytes) -> object:
    """The JSON document, numbers read exactly; `_NOT_JSON` (with a problem) if it is not valid JSON."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add("", f"not UTF-8 text: {error.reason} at byte {error.start:,}")
        return _NOT_JSON
    try:
        return json.loads(text, parse_float=_number, parse_constant=_no_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as error:
        problems.add("", f"not valid JSON (truncated?): {error.msg} at line {error.lineno}, column {error.colno}")
    except _DuplicateKeyError as error:
        problems.add("", f"not company facts as the SEC serves them: {error}")
    except ValueError as error:  # a constant such as NaN, an integer too long to read
        problems.add("", f"not valid JSON: {error}")
    except RecursionError:
        problems.add("", "not valid JSON: nested too deeply")
    return _NOT_JSON


def _date(problems: _Problems, where: str, value: object) -> dt.date | None:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(where, f"expected a date such as '2024-12-31', got {_kind(value)}")
    return None


def _amount(problems: _Problems, where: str, value: object) -> Decimal | None:
    if type(value) is int:
        return Decimal(value)
    if type(value) is Decimal:
        return value
    problems.add(where, f"expected a number, got {_kind(value)}")
    return None


def _text(problems: _Problems, where: str, value: object, pattern: re.Pattern[str] | None = None) -> str | None:
    if isinstance(value, str) and value and value == value.strip() and (pattern is None or pattern.fullmatch(value)):
        return value
    expected = "an accession number such as '0001652044-25-000014'" if pattern else "a non-empty text"
    problems.add(where, f"expected {expected}, got {_kind(value)}")
    return None


_FIELDS: Final = ("start", "end", "val", "accn", "form", "filed")


def _entry(problems: _Problems, where: str, item: object) -> _Entry | None:
    """One entry of a tag's unit list; None for an instant (no ``start``) or a malformed entry."""
    if not isinstance(item, dict):
        problems.add(where, f"expected an object, got {_kind(item)}")
        return None
    if "start" not in item:
        return None  # an instant: a balance, not a flow over a period
    missing = [field for field in _FIELDS if field not in item]
    if missing:
        problems.add(where, f"missing {', '.join(map(repr, missing))}")
        return None
    start = _date(problems, f"{where}.start", item["start"])
    end = _date(problems, f"{where}.end", item["end"])
    value = _amount(problems, f"{where}.val", item["val"])
    accession = _text(problems, f"{where}.accn", item["accn"], _ACCESSION)
    form = _text(problems, f"{where}.form", item["form"])
    filed = _date(problems, f"{where}.filed", item["filed"])
    if start is None or end is None or value is None or accession is None or form is None or filed is None:
        return None
    if end < start or start == dt.date.min:
        if end < start:
            problems.add(where, f"ends ({end}) before it starts ({start})")
        else:
            problems.add(f"{where}.start", f"{start} is before the first month a period can start in")
        return None
    first, last = month_span(start, end)
    return _Entry(first, last, value, start, end, accession, form, filed, where)


def _tag_entries(problems: _Problems, facts: dict[str, object], tag: str, currency: str) -> list[_Entry]:
    """The entries of `tag` in `currency` over spans of 3, 6, 9 or 12 months."""
    taxonomy, name = tag.split(":")
    where = f"facts.{taxonomy}.{name}"
    concepts = facts.get(taxonomy)
    concept = concepts.get(name) if isinstance(concepts, dict) else None
    if concept is None:
        return []
    units = concept.get("units") if isinstance(concept, dict) else None
    if not isinstance(units, dict):
        problems.add(where if not isinstance(concept, dict) else f"{where}.units", "expected an object of units")
        return []
    if currency not in units:
        if units:
            found = ", ".join(map(repr, units))
            currencies = [unit for unit in units if _is_currency(unit)]
            hint = f"; read it with currency={currencies[0]!r}" if currencies else ""
            problems.add(f"{where}.units", f"no values in {currency}, only in {found}{hint}")
        return []
    values = units[currency]
    if not isinstance(values, list):
        problems.add(f"{where}.units.{currency}", f"expected an array, got {_kind(values)}")
        return []
    entries = []
    for index, item in enumerate(values):
        entry = _entry(problems, f"{where}.units.{currency}[{index}]", item)
        if entry is not None and entry.last - entry.first + 1 in _SPANS:
            entries.append(entry)
    return entries


def _is_currency(unit: str) -> bool:
    try:
        Currency(unit)
    except CapexModelError:
        return False
    return True


def _series(problems: _Problems, entries: list[_Entry]) -> dict[tuple[int, int], _Series]:
    """For each span of months, the latest filing's value and the earlier values it replaced."""
    spans: dict[tuple[int, int], list[_Entry]] = {}
    for entry in entries:
        spans.setdefault((entry.first, entry.last), []).append(entry)
    series = {}
    for span, filed in spans.items():
        filed.sort(key=lambda entry: entry.order)
        runs: list[_Entry] = []
        since = filed[0]
        for entry in filed:
            if runs and runs[-1].order == entry.order and runs[-1].value != entry.value:
                problems.add(
                    entry.where,
                    f"{entry.value} where {runs[-1].where} has {runs[-1].value} for the same months"
                    f" in the same filing ({entry.accession})",
                )
            if not runs or runs[-1].value != entry.value:
                runs.append(entry)
                since = entry
            else:
                runs[-1] = entry  # a repeat: the latest filing stating the value is its source
        series[span] = _Series(runs[-1], tuple(runs[:-1]), since)
    return series


class _Reader:
    """Builds the facts of one file, once the company is known."""

    def __init__(self, problems: _Problems, company: Company, currency: Currency, publisher: str, cik: int) -> None:
        self.problems = problems
        self.company = company
        self.currency = currency
        self.publisher = publisher
        self.cik = cik
        self.sources: dict[str, Source] = {}
        self.filings: dict[str, _Entry] = {}

    def source(self, entry: _Entry) -> Source:
        known = self.filings.get(entry.accession)
        if known is None:
            self.filings[entry.accession] = entry
            self.sources[entry.accession] = Source(
                self.publisher,
                f"{entry.form} {entry.accession}",
                entry.filed,
                f"SEC EDGAR XBRL company facts, CIK {self.cik}",
            )
        elif (known.form, known.filed) != (entry.form, entry.filed):
            self.problems.add(
                entry.where,
                f"the filing {entry.accession} is a {entry.form} filed {entry.filed} here,"
                f" but a {known.form} filed {known.filed} at {known.where}",
            )
        return self.sources[entry.accession]

    def reported(self, metric: Metric, tag: str, entry: _Entry) -> Fact | None:
        try:
            period = Period._from_indices(entry.first, entry.last)
            return Fact(
                self.company,
                metric,
                Money(entry.value, self.currency, period),
                tag,
                sources=(self.source(entry),),
                note=f"reported for {entry.start} to {entry.end}",
            )
        except CapexModelError as error:
            self.problems.add(entry.where, str(error))
            return None

    def derived(self, longer: Fact, shorter: Fact, whole: _Entry, part: _Entry) -> Fact | None:
        months = Period._from_indices(part.last + 1, whole.last)
        note = (
            f"the {_MONTHS_IN_WORDS[whole.last - whole.first + 1]} months {whole.start} to {whole.end}"
            f" less the {_MONTHS_IN_WORDS[part.last - part.first + 1]} months {part.start} to {part.end}"
        )
        try:
            value = Money(EXACT.subtract(longer.value.amount, shorter.value.amount), self.currency, months)
            return attrs.evolve(Fact.derive(value, [longer, shorter]), note=note)
        except CapexModelError as error:
            self.problems.add(whole.where, f"{note} ({part.where}) gives a quarter that cannot be: {error}")
            return None

    def metric(self, metric: Metric, tags: dict[str, dict[tuple[int, int], _Series]]) -> tuple[list[Fact], list[Fact]]:
        """The years and quarters of one metric, and the values they replaced.

        A year and its quarters come from one tag: among the tags that have the year,
        the one that has the most of its four quarters (reported or derived), the
        earlier in the list on a tie. Any other quarter comes from the first tag that
        has it.
        """
        read = [self.tag(metric, tag, series) for tag, series in tags.items()]
        chosen: dict[tuple[int, int], tuple[Fact, list[Fact]]] = {}
        years = sorted({span for own in read for span in own if span[1] - span[0] + 1 == _YEAR}, key=lambda y: y[1])
        for first, last in years:
            quarters = [(month, month + 2) for month in range(first, last, _QUARTER)]
            having = [own for own in read if (first, last) in own]
            best = max(having, key=lambda own: sum(quarter in own for quarter in quarters))  # the first of the best
            for span in ((first, last), *quarters):
                if span in best:
                    chosen.setdefault(span, best[span])
        for own in read:
            for span, item in own.items():
                chosen.setdefault(span, item)
        ordered = sorted(chosen.items(), key=lambda item: (item[0][1], -item[0][0]))
        return [fact for _, (fact, _) in ordered], [fact for _, (_, earlier) in ordered for fact in earlier]

    def tag(
        self, metric: Metric, tag: str, series: dict[tuple[int, int], _Series]
    ) -> dict[tuple[int, int], tuple[Fact, list[Fact]]]:
        """One tag's years and quarters, reported and derived, with each reported one's earlier values."""
        built: dict[tuple[int, int], Fact | None] = {}

        def fact(span: tuple[int, int]) -> Fact | None:
            if span not in built:
                built[span] = self.reported(metric, tag, series[span].current)
            return built[span]

        found: dict[tuple[int, int], tuple[Fact, list[Fact]]] = {}
        for span, (_, earlier, _) in series.items():
            if span[1] - span[0] + 1 in (_QUARTER, _YEAR) and (current := fact(span)) is not None:
                replaced = [self.reported(metric, tag, entry) for entry in earlier]
                found[span] = (current, [item for item in replaced if item is not None])
        for first, last in sorted(series, key=lambda span: span[1] - span[0]):
            quarter = (last - 2, last)
            part = (first, last - 3)
            if quarter in found or quarter in series or part not in series:
                continue
            whole, shorter_series = series[(first, last)], series[part]
            if whole.restated_apart_from(shorter_series) or shorter_series.restated_apart_from(whole):
                continue  # of two vintages: the difference would carry a restatement into one quarter
            longer, shorter = fact((first, last)), fact(part)
            if longer is not None and shorter is not None:
                derived = self.derived(longer, shorter, series[(first, last)].current, series[part].current)
                if derived is not None:
                    found[quarter] = (derived, [])
        return found


def _document(problems: _Problems, document: object) -> tuple[int, str, dict[str, object]] | None:
    """The CIK, entity name and facts of a company-facts document; None (with problems) if it is not one."""
    if not isinstance(document, dict):
        problems.add("", f"not company facts: expected an object with cik, entityName and facts, got {_kind(document)}")
        return None
    missing = [key for key in ("cik", "entityName", "facts") if key not in document]
    if missing:
        problems.add("", f"not company facts: no {', '.join(missing)}")
        return None
    cik, name, facts = document["cik"], document["entityName"], document["facts"]
    good = True
    if type(cik) is not int or not 0 < cik <= MAX_CIK:
        problems.add("cik", f"expected a whole number from 1 to {MAX_CIK}, got {_kind(cik)}")
        good = False
    if not isinstance(name, str) or not name.strip() or not name.isprintable():
        problems.add("entityName", f"expected the company's name, got {_kind(name)}")
        good = False
    if not isinstance(facts, dict):
        problems.add("facts", f"expected an object of taxonomies, got {_kind(facts)}")
        good = False
    else:
        for taxonomy in dict.fromkeys(tag.split(":")[0] for tags in TAGS.values() for tag in tags):
            if taxonomy in facts and not isinstance(facts[taxonomy], dict):
                problems.add(f"facts.{taxonomy}", f"expected an object of concepts, got {_kind(facts[taxonomy])}")
                good = False
    return (cik, name.strip(), facts) if good else None


def _contents(problems: _Problems, path: Path) -> bytes | None:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            problems.add("", "not a regular file; expected a company-facts JSON file")
            return None
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        problems.add("", "no such file")
        return None
    except OSError as error:
        problems.add("", f"cannot read the file: {error.strerror or error}")
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.add("", f"the file is over {MAX_FILE_BYTES:,} bytes, the limit for company facts")
        return None
    return data


def _calendar(tags: Iterable[dict[str, dict[tuple[int, int], _Series]]]) -> FiscalCalendar | None:
    """The fiscal calendar whose years end in the month the latest year ends in; None without years."""
    spans = [span for by_tag in tags for series in by_tag.values() for span in series]
    ends = [last for first, last in spans if last - first == _YEAR - 1]
    return FiscalCalendar(year_end_month=max(ends) % 12 + 1) if ends else None


def _id_from(name: str, cik: int) -> str:
    """A company id from its name: the ASCII words, in lower case, joined by '-' (``cik-N`` without any)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = _WORD.findall(ascii_name.lower())
    return "-".join(words) if words else f"cik-{cik}"


class _Company(NamedTuple):
    """The company a file is about, before its calendar is known."""

    known: Company | None  # a Company as given, or the embedded company lending its details
    id: str
    as_given: bool = False


def _choose_company(company: Company | str | None, cik: int, name: str, known: tuple[Company, ...] | None) -> _Company:
    if isinstance(company, Company):
        return _Company(company, company.id, as_given=True)
    embedded = load_dataset().companies if known is None else known
    if company is None:
        found = next((known for known in embedded if known.cik == cik), None)
        return _Company(found, found.id if found is not None else _id_from(name, cik))
    return _Company(next((known for known in embedded if known.id == company), None), company)


def _settle(
    problems: _Problems, chosen: _Company, cik: int, name: str, *, currency: Currency, calendar: FiscalCalendar | None
) -> Company | None:
    """The company, checked against the file: its CIK and its fiscal calendar."""
    given = chosen.known
    if given is None:
        if calendar is None:
            problems.add(
                "", "no annual figure to tell the fiscal calendar by: pass company= a Company with its calendar"
            )
            return None
        return Company(
            id=chosen.id, name_en=name, name_zh=name, region="US", fiscal_calendar=calendar, currency=currency, cik=cik
        )
    if given.cik is not None and given.cik != cik:
        problems.add("cik", f"the file is about CIK {cik}, but {given.id} has CIK {given.cik}")
        return None
    if calendar is not None and calendar != given.fiscal_calendar:
        problems.add(
            "",
            f"the latest annual figure ends in month {calendar.year_end_month}, but {given.id} has"
            f" {given.fiscal_calendar}",
        )
        return None
    return given if chosen.as_given or given.cik is not None else attrs.evolve(given, cik=cik)


def _check_arguments(path: object, company: object, currency: str) -> Currency:
    if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
        msg = f"read_companyfacts() takes the path of a company-facts JSON file, got {show(path)}"
        raise InvalidValueError(msg)
    if (
        company is not None
        and not isinstance(company, Company)
        and not (isinstance(company, str) and _ID.fullmatch(company))
    ):
        msg = f"company must be a Company, a company id such as 'alphabet', or None, got {show(company)}"
        raise InvalidValueError(msg)
    return Currency(currency)


@public
def read_companyfacts(
    path: str | os.PathLike[str], company: Company | str | None = None, *, currency: str = "USD"
) -> Dataset:
    """Read an SEC EDGAR XBRL company-facts JSON file: years and quarters of capex, revenue, cash flow, income, D&A.

    Each metric comes from an ordered list of tags (`TAGS`): a year and its quarters
    from the tag that has the most of them (the earlier in the list on a tie), any
    other quarter from the first tag that has it; the fact's basis names the tag
    (``"us-gaap:PaymentsToAcquirePropertyPlantAndEquipment"``).
    Periods come from the values' start and end dates, snapped to whole months (see
    `month_span`; the fact's note keeps the dates). Quarters a filing does not report
    are derived from year-to-date figures (the year less nine months, say): their
    status is derived, their note says how and their inputs hold the figures; a
    quarter whose two figures are of two vintages (one restated after the other was
    last filed) is left out rather than carry the restatement. For
    each period, the latest filing wins; its accession number is the id of the
    fact's source. Earlier, different values are in `Dataset.superseded` and
    `Dataset.history`.

    `company` is a `Company` (used as given), the id of an embedded company (which
    lends its names, region and currency) or a new id; None picks the embedded company
    with the file's CIK, or makes an id from the entity name. The fiscal calendar is
    the one the latest annual figure ends in; a company whose calendar or CIK
    disagrees with the file is refused. Only values in `currency` are read. No
    partial dataset is returned.

    Args:
        path: The company-facts JSON file (``CIK0001652044.json``).
        company: A `Company`, the id of an embedded company or a new id; None to find
            the company by the file's CIK.
        currency: The currency whose values are read (an ISO 4217 code).

    Returns:
        A dataset of the company, its facts and their sources (one per filing).

    Raises:
        InvalidValueError: `path` is not a path, or `company` is neither a `Company`,
            an id nor None.
        UnknownCurrencyError: `currency` is not an ISO 4217 code.
        DataFileError: Anything wrong with the file (not JSON, not company facts, a
            malformed value, a tag with values only in other units, a negative capex,
            a company whose calendar or CIK disagrees), naming the file and where in it.

    Examples:
        >>> import capexmodel as cm, json, pathlib, tempfile
        >>> def filed(start, end, val, accn, form, filed):
        ...     return {"start": start, "end": end, "val": val, "accn": accn, "form": form, "filed": filed}
        >>> capex = [filed("2024-01-01", "2024-09-30", 38259000000, "0001652044-24-000118", "10-Q", "2024-10-30"),
        ...          filed("2024-01-01", "2024-12-31", 52535000000, "0001652044-25-000014", "10-K", "2025-02-05")]
        >>> facts = {"cik": 1652044, "entityName": "ALPHABET INC.", "facts": {"us-gaap": {
        ...     "PaymentsToAcquirePropertyPlantAndEquipment": {"units": {"USD": capex}}}}}
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "CIK0001652044.json"
        >>> _ = path.write_text(json.dumps(facts), encoding="utf-8")
        >>> ds = cm.read_companyfacts(path)
        >>> ds.fact("alphabet", "capex", "2024").value
        Money('52535000000', 'USD', Period.parse('2024'))
        >>> q4 = ds.fact("alphabet", "capex", "2024-Q4")
        >>> str(q4.value), q4.status, q4.note
        ('14276000000 USD over 2024-Q4', <Status.DERIVED: 'derived'>, 'the twelve months 2024-01-01 to 2024-12-31 less the nine months 2024-01-01 to 2024-09-30')
    """  # noqa: E501
    code = _check_arguments(path, company, currency)
    return read_with_companies(Path(path), company, code, None)


def read_with_companies(
    path: Path, company: Company | str | None, currency: Currency | None, known: tuple[Company, ...] | None
) -> Dataset:
    """`read_companyfacts`, finding the company among `known` (the embedded companies when None).

    With ``currency=None``, the values are read in the currency of the company found
    (yuan for a 20-F filer such as Alibaba), else in US dollars.
    """
    problems = _Problems(os.fspath(path))
    with decimal.localcontext(EXACT):
        dataset = _read(problems, path, company, currency, known)
    if dataset is None:
        raise problems.error()
    return dataset


def _read(
    problems: _Problems,
    path: Path,
    company: Company | str | None,
    currency: Currency | None,
    known: tuple[Company, ...] | None,
) -> Dataset | None:
    data = _contents(problems, path)
    document = _parse(problems, data) if data is not None else _NOT_JSON
    parts = _document(problems, document) if document is not _NOT_JSON else None
    if parts is None:
        return None
    cik, name, facts = parts
    chosen = _choose_company(company, cik, name, known)
    if currency is None:  # the company's own currency, when it is known
        currency = chosen.known.currency if chosen.known is not None else Currency("USD")
    tags = {
        Metric(metric): {tag: _series(problems, _tag_entries(problems, facts, tag, currency)) for tag in tag_list}
        for metric, tag_list in TAGS.items()
    }
    if problems.found:
        return None
    if not any(series for by_tag in tags.values() for series in by_tag.values()):
        wanted = ", ".join(tag.split(":")[1] for tag_list in TAGS.values() for tag in tag_list)
        problems.add("facts", f"no values in {currency} for any of the tags read: {wanted}")
        return None
    settled = _settle(problems, chosen, cik, name, currency=currency, calendar=_calendar(tags.values()))
    if settled is None:
        return None
    reader = _Reader(problems, settled, currency, name, cik)
    read = [reader.metric(metric, by_tag) for metric, by_tag in tags.items()]
    if problems.found:
        return None
    all_facts = tuple(fact for facts_of, _ in read for fact in facts_of)
    superseded = tuple(fact for _, replaced in read for fact in replaced)
    sources = dict(sorted(reader.sources.items(), key=lambda item: (item[1].date, item[0])))
    return Dataset(
        companies=(settled,),
        sources=sources,
        facts=all_facts,
        rates=RateTable(()),
        purchases=(),
        statements=(),
        preferred_sources=(),
        superseded=superseded,
    )
