"""Reading datasets from CSV files: the embedded one and users' own, every problem reported by file, line and field."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import pkgutil
import re
import stat
import threading
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeVar, get_args

import attrs

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import CapexModelError, DataFileError, InvalidAmountError, InvalidValueError, shorten_path, show
from capexmodel._fx.calendarize import calendarize
from capexmodel._fx.rates import RateTable
from capexmodel._indicators.chips import ChipPurchase
from capexmodel._lazy import public
from capexmodel._model.calendarization import Calendarization, Method
from capexmodel._model.company import Company, Region, to_cik
from capexmodel._model.conversion import Conversion, ExchangeRate
from capexmodel._model.currency import Currency
from capexmodel._model.facts import Fact
from capexmodel._model.fiscal import FiscalCalendar
from capexmodel._model.money import Money
from capexmodel._model.period import Period
from capexmodel._model.provenance import Metric, Source, Status, declare, forget
from capexmodel._model.reading import parse_number
from capexmodel._model.scale import unit_words
from capexmodel._sources.dataset import Dataset, Group, Statement

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from pathlib import Path

__all__ = ["COLUMNS", "DEFAULTED_COLUMNS", "OPTIONAL_COLUMNS", "load_dataset"]

_T = TypeVar("_T")

#: The files a dataset is made of, in the order they are read, and their columns
#: (in any order; all required but those of `DEFAULTED_COLUMNS`).
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "sources": ("id", "publisher", "title", "date", "note", "preferred"),
    "metrics": ("name", "may_be_negative", "description"),
    "companies": ("id", "name_en", "name_zh", "region", "currency", "fiscal_year_end_month", "tickers"),
    "groups": ("id", "name_en", "name_zh", "members", "source"),
    "rates": ("base", "quote", "rate", "window", "source"),
    "facts": ("company", "metric", "period", "amount", "unit", "currency", "basis", "status", "sources", "market"),
    "purchases": ("buyer", "chip", "quantity", "unit", "period", "source"),
    "statements": ("key", "value", "unit", "text_en", "text_zh", "source"),
}

#: Columns a file may have besides its required ones (empty when absent).
OPTIONAL_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "companies": ("cik", "aliases"),
    "facts": ("id", "inputs", "derivation", "note", "counted_as", "segment"),
}

#: Columns a file may leave out, each taking a default that the facts read say they took:
#: a facts file needs only company, metric, period, amount and currency.
DEFAULTED_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "facts": ("unit", "basis", "status", "sources", "market"),
}

#: The status and basis of the facts of a file without those columns: the least sure
#: status, since nothing says who stated the figures, and the figure as the file gives it.
DEFAULT_STATUS: Final = Status.ESTIMATE
DEFAULT_BASIS: Final = "as given"

#: How a derived fact is computed from its inputs (the ``derivation`` column of facts.csv).
DERIVATIONS: Final = ("convert", "calendarize", "calendarize quarter-end")

#: Larger files are refused before they are read.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 100

#: Derived facts nest at most this deep (a fact derived from a derived fact is two deep).
MAX_DERIVATION_DEPTH = 32

_NAME = re.compile(r"[A-Za-z0-9_-]+")


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
        files = {where: index for index, where in enumerate(dict.fromkeys(where for where, _, _ in self.found))}
        ordered = sorted(self.found, key=lambda problem: (files[problem[0]], problem[1]))
        shown = [text for _, _, text in ordered[:MAX_PROBLEMS]]
        if len(ordered) > MAX_PROBLEMS:
            shown.append(f"... and {len(ordered) - MAX_PROBLEMS:,} more problems")
        return shown


_Row = tuple[int, dict[str, str]]


class _Lines:
    """The lines of a CSV text for `csv.reader`, leaving out comment lines between records.

    A comment is a line whose first character other than a space is ``#``, outside
    any record: a quoted ``"#1"`` is a value, and so is a ``#`` inside a quoted field
    that spans lines.
    """

    def __init__(self, text: str) -> None:
        self._lines = io.StringIO(text, newline="")
        self.number = 0
        self.record_start = 0
        self.between_records = True

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            line = next(self._lines)
            self.number += 1
            if not self.between_records:
                return line
            if not line.lstrip(" \t").startswith("#"):
                self.record_start = self.number
                self.between_records = False
                return line


def _read(name: str, data: bytes, kind: str, problems: _Problems) -> list[_Row]:
    """The rows of one CSV file, each with the line it starts on."""
    text = _decode(name, data, problems)
    if text is None:
        return []
    lines = _Lines(text)
    reader = csv.reader(lines)
    header: list[str] | None = None
    rows: list[_Row] = []
    try:
        for cells in reader:
            lines.between_records = True
            line = lines.record_start
            if not "".join(cells).strip():
                continue
            if header is None:
                header = [cell.strip() for cell in cells]
                if not _check_header(name, line, header, kind, problems):
                    return []
            elif len(cells) != len(header):
                problems.add(name, line, None, _split_number(header, cells) or _field_count(header, cells))
            else:
                row = dict.fromkeys((*OPTIONAL_COLUMNS.get(kind, ()), *DEFAULTED_COLUMNS.get(kind, ())), "")
                row.update((key, value.strip()) for key, value in zip(header, cells, strict=True))
                row[_LEFT_OUT] = " ".join(column for column in DEFAULTED_COLUMNS.get(kind, ()) if column not in header)
                rows.append((line, row))
    except csv.Error as error:
        problems.add(name, lines.number, None, f"not valid CSV: {error}")
    if header is None:
        problems.add(name, 1, None, f"the file is empty; expected a header: {_needs(kind)}")
    return rows


#: The key of a row's dictionary that lists the columns its file leaves out (not a column name: it has spaces).
_LEFT_OUT: Final = "columns left out"

#: The columns of numbers, where an unquoted thousands separator splits a number in two fields.
_NUMBER_COLUMNS: Final = ("amount", "quantity", "rate", "value")

#: The fields of a number split at its thousands separators: the first (with an optional
#: sign), each next of three digits, the last of three digits with an optional fraction.
_FIRST_GROUP: Final = re.compile(r"[-+]?[0-9]{1,3}")
_NEXT_GROUP: Final = re.compile(r"[0-9]{3}")
_LAST_GROUP: Final = re.compile(r"[0-9]{3}(?:\.[0-9]*)?")


def _field_count(header: list[str], cells: list[str]) -> str:
    return f"expected {len(header)} fields, got {len(cells)}"


def _split_number(header: list[str], cells: list[str]) -> str | None:
    """What is wrong with a row that has fields too many because a number in it is split at its commas, if it is."""
    extra = len(cells) - len(header)
    for column in _NUMBER_COLUMNS:
        if extra < 1 or column not in header:
            continue
        start = header.index(column)
        parts = [cell.strip() for cell in cells[start : start + extra + 1]]
        first, *middle, last = parts
        if (
            _FIRST_GROUP.fullmatch(first)
            and all(_NEXT_GROUP.fullmatch(part) for part in middle)
            and _LAST_GROUP.fullmatch(last)
        ):
            number = ",".join(parts)
            return (
                f"the {column} {number} looks split by its thousands separator:"
                f' quote it ("{number}") or write {number.replace(",", "")}'
            )
    return None


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
    allowed = (*expected, *OPTIONAL_COLUMNS.get(kind, ()))
    missing = [column for column in _required(kind) if column not in header]
    unknown = [column for column in header if column not in allowed]
    unknown += [f"{column} (twice)" for column in dict.fromkeys(header) if header.count(column) > 1]
    if missing or unknown:
        wrong = ", ".join([*(f"missing {c!r}" for c in missing), *(f"unknown {c!r}" for c in unknown)])
        problems.add(name, line, None, f"the header has {wrong}; expected {_needs(kind)}")
        return False
    return True


def _required(kind: str) -> tuple[str, ...]:
    """The columns a file of `kind` must have."""
    return tuple(column for column in COLUMNS[kind] if column not in DEFAULTED_COLUMNS.get(kind, ()))


def _needs(kind: str) -> str:
    """The columns of a file of `kind`, as messages say them: the required ones, then the optional ones."""
    optional = [column for column in COLUMNS[kind] if column not in _required(kind)]
    optional += OPTIONAL_COLUMNS.get(kind, ())
    also = f" (and optionally {', '.join(optional)})" if optional else ""
    return ", ".join(_required(kind)) + also


def _fits(kind: str, header: list[str]) -> bool:
    """Whether a header has every column a file of `kind` needs, and no column such a file cannot have."""
    allowed = {*COLUMNS[kind], *OPTIONAL_COLUMNS.get(kind, ())}
    return set(_required(kind)) <= set(header) <= allowed


def _joined(number: str, unit: str) -> str:
    """A number and a scale word as `parse_number` reads them: ``149亿``, ``82999 million``."""
    return f"{number}{unit}" if not unit.isascii() else f"{number} {unit}".strip()


def _reads(text: str) -> bool:
    try:
        parse_number(text)
    except InvalidAmountError:
        return False
    return True


@functools.lru_cache(maxsize=64)
def _unit(unit: str) -> str:
    """A unit field as the scale words it gives (亿, million for ``M``, ...), or nothing; never digits or signs."""
    return unit_words(unit)


def _number(text: str, unit: str) -> Decimal:
    """The amount a field gives, scaled by the unit field; the scale is written in one of them, not both."""
    if not text:
        msg = "expected a number, got an empty field"
        raise InvalidValueError(msg)
    if unit and any(char.isalpha() for char in text) and _reads(text):
        msg = f"{show(text)} has a scale of its own and the unit column gives {show(unit)}:"
        msg += " write the scale in one of them"
        raise InvalidValueError(msg)
    return parse_number(_joined(text, unit))


@attrs.frozen
class _Written:
    """An amount as a data file writes it, for saying how precise it is."""

    text: str
    unit: str
    currency: str

    def __str__(self) -> str:
        return f"{_joined(self.text, self.unit)} {self.currency}"

    def parts(self) -> tuple[Decimal, str, Decimal]:
        """The scale factor, its words, and a unit in the last digit written (1亿 for ``149`` 亿)."""
        cut = next((index for index, char in enumerate(self.text) if char.isalpha()), len(self.text))
        words = self.text[cut:].strip() or self.unit
        factor = parse_number(_joined("1", words))
        exponent = parse_number(self.text[:cut].strip()).as_tuple().exponent
        assert isinstance(exponent, int)  # noqa: S101 -- parse_number gives finite numbers only
        return factor, words, EXACT.multiply(factor, Decimal(1).scaleb(exponent, EXACT))

    def check(self, fact: Fact) -> Fact:
        """`fact` if its amount is what its derivation gives, to the digits written; else an error saying so."""
        assert isinstance(fact.derivation, Calendarization | Conversion)  # noqa: S101 -- only these are read
        if isinstance(fact.derivation, Conversion):
            kind, computed = "conversion", fact.derivation.apply(fact.inputs[0].value)
        else:
            kind, computed = "calendarization", fact.derivation.value
        factor, words, precision = self.parts()
        if EXACT.subtract(fact.value.amount, computed.amount).copy_abs() <= EXACT.multiply(precision, Decimal("0.5")):
            return fact
        digits = QUOTIENT.divide(computed.amount, factor).quantize(QUOTIENT.divide(precision, factor), context=EXACT)
        give = "input gives" if len(fact.inputs) == 1 else "inputs give"
        msg = (
            f"{self} is not what its {give}: the {kind} gives {computed},"
            f" which is {_joined(str(digits), words)} to the digits written"
        )
        raise InvalidValueError(msg)


def _file_name(where: str) -> str:
    """The name of a file, without its folder."""
    return re.split(r"[/\\]", where)[-1]


def _note(note: str, left_out: list[str]) -> str:
    """A fact's note, saying which of the file's columns it took a default for (``note`` as is if none)."""
    said = {
        "basis": f"basis {DEFAULT_BASIS!r}",
        "status": f"status {DEFAULT_STATUS.value!r}",
        "sources": "the file itself as its source",
    }
    defaults = [text for column, text in said.items() if column in left_out]
    if not defaults:
        return note
    told = f"the file has no {', '.join(column for column in said if column in left_out)} column;"
    told += f" taken: {', '.join(defaults)}"
    return f"{note}; {told}" if note else told


def _period(text: str, company: Company | None) -> Period:
    """A period label, a fiscal one (``FY2025-Q1``) read through the company's fiscal calendar."""
    return Period.parse(text) if company is None else company.fiscal_calendar.parse(text)


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


def _derivation(text: str) -> str:
    if text and text not in DERIVATIONS:
        msg = f"expected one of {', '.join(map(repr, DERIVATIONS))} or nothing, got {show(text)}"
        raise InvalidValueError(msg)
    return text


@attrs.define
class _Pending:
    """A derived fact's row, waiting for its inputs to be read."""

    where: str
    line: int
    fact: Fact
    inputs: tuple[str, ...]
    derivation: str
    row_id: str
    index: int
    """Where the fact sits in the dataset's facts."""
    written: _Written
    """The amount as the row writes it."""


class _Resolution:
    """Derived rows in the order their inputs allow, followed without recursion however deep they nest."""

    def __init__(self, ids: dict[str, Fact | _Pending], failed: dict[str, int], table: RateTable) -> None:
        self.ids = ids
        self.failed = failed
        """The ids of rows that could not be read, and their lines."""
        self.table = table
        self.facts: dict[int, Fact | None] = {}
        """The derived fact of each pending row resolved so far (None for those that failed), by `id`."""
        self.depths: dict[int, int] = {}

    def waiting(self, item: _Pending) -> _Pending | None:
        """An input of `item` that is itself derived and not resolved yet."""
        for input_id in item.inputs:
            found = self.ids.get(input_id)
            if isinstance(found, _Pending) and id(found) not in self.facts:
                return found
        return None

    def order(self, start: _Pending, builder: _Builder) -> Iterator[_Pending]:
        """`start` and the derived rows it needs, each after its inputs; a circle is a problem (and fails)."""
        path, on_path = [start], {id(start)}
        while path:
            item = path[-1]
            if id(item) in self.facts:
                path.pop()
                on_path.discard(id(item))
                continue
            waiting = self.waiting(item)
            if waiting is None:
                yield item
            elif id(waiting) in on_path:
                first = next(index for index, step in enumerate(path) if step is waiting)
                circle = [*(step.row_id for step in path[first:]), waiting.row_id]
                builder.where, builder.line = waiting.where, waiting.line
                builder.problem("inputs", f"the inputs go round in a circle: {' -> '.join(circle)}")
                self.facts[id(waiting)] = None
            else:
                path.append(waiting)
                on_path.add(id(waiting))

    def lineage(self, item: _Pending, count: int) -> list[str]:
        """The ids of `item` and of the first derived input of each, `count` of them (they nest that deep)."""
        names = [item.row_id or f"line {item.line}"]
        for _ in range(count - 1):
            item = next(found for found in map(self.ids.get, item.inputs) if isinstance(found, _Pending))
            names.append(item.row_id)
        return names


class _Builder:
    """Turns rows into model objects, collecting every problem instead of stopping at the first."""

    def __init__(self, base: Dataset | None, problems: _Problems) -> None:
        self.problems = problems
        self.sources: dict[str, Source] = dict(base.sources) if base else {}
        self.preferred: list[Source] = []  # the files' own preferred sources come first
        self.base_preferred: list[Source] = list(base.preferred_sources) if base else []
        self.companies: dict[str, Company] = {company.id: company for company in base.companies} if base else {}
        self.groups: dict[str, Group] = {group.id: group for group in base.groups} if base else {}
        self.facts: list[Fact] = list(base.facts) if base else []
        self.rates: list[ExchangeRate] = list(base.rates.rates) if base else []
        self.purchases: list[ChipPurchase] = list(base.purchases) if base else []
        self.statements: list[Statement] = list(base.statements) if base else []
        self.statement_keys = {statement.key for statement in self.statements}
        self.declared: list[str] = []
        """The metrics the files declared that were not declared before."""
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
        ids = text.split()
        for source_id in ids:
            if source_id not in self.sources:
                self.problem(field, f"unknown source {source_id!r}; expected one of the sources' ids")
                return None
            if ids.count(source_id) > 1:
                self.problem(field, f"the source {source_id!r} is cited twice")
                return None
            found.append(self.sources[source_id])
        return tuple(found)

    def one_source(self, text: str) -> Source | bool | None:
        """The one source a row cites (None for none), or False after a problem."""
        sources = self.source_ids("source", text)
        if sources is None:
            return False
        if len(sources) > 1:
            self.problem("source", f"expected one source id, got {text!r}")
            return False
        return sources[0] if sources else None

    def file_source(self) -> Source:
        """The source of the facts of the current file when it has no sources column: the file itself."""
        key = f"file:{_file_name(self.where)}"
        source = Source(key, "a data file without a sources column")
        self.sources.setdefault(key, source)
        return source

    def company_of(self, field: str, text: str) -> Company | None:
        company = self.companies.get(text)
        if company is None:
            self.problem(field, f"unknown company {text!r}; expected one of the companies' ids")
        return company

    def name(self, field: str, text: str, noun: str, taken: Iterable[str]) -> bool:
        """Check a new id (or key): letters, digits, '-' and '_', not taken yet."""
        if not _NAME.fullmatch(text):
            self.problem(field, f"a {noun} {field} is letters, digits, '-' and '_', got {text!r}")
            return False
        if text in taken:
            self.problem(field, f"the {noun} {text!r} is defined twice")
            return False
        return True

    def add_sources(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            if not self.name("id", row["id"], "source", self.sources):
                continue
            date = self.parse("date", _date, row["date"])
            preferred = self.parse("preferred", _yes_no, row["preferred"])
            source = self.parse("publisher", Source, row["publisher"], row["title"], date, row["note"] or None)
            if source is not None and preferred is not None and (date is not None or not row["date"]):
                self.sources[row["id"]] = source
                if preferred:
                    self.preferred.append(source)

    def add_metrics(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            may_be_negative = self.parse("may_be_negative", _yes_no, row["may_be_negative"])
            if may_be_negative is not None and self.parse(
                "name", declare, row["name"], may_be_negative=may_be_negative, description=row["description"]
            ):
                self.declared.append(row["name"])  # new: forgotten again if the load fails

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
            cik_text = row.get("cik", "")
            cik = self.parse("cik", to_cik, cik_text) if cik_text else None
            if any(check is None for check in checks) or (cik_text and cik is None):
                continue
            company = self.parse(None, _company, row, checks[0], cik)
            if company is not None:
                self.companies[company.id] = company

    def add_groups(self, where: str, rows: list[_Row]) -> None:
        for row in self.rows(where, rows):
            if not self.name("id", row["id"], "group", self.groups):
                continue
            members = row["members"].split()
            unknown = [member for member in members if member not in self.companies]
            if unknown:
                self.problem("members", f"unknown companies {', '.join(map(repr, unknown))}")
                continue
            source = self.one_source(row["source"])
            if source is False:
                continue
            group = self.parse("members", Group, row["id"], row["name_en"], row["name_zh"], members, source)
            if group is not None:
                self.groups[group.id] = group

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

    def add_facts(self, where: str, rows: list[_Row]) -> None:
        table = RateTable(self.rates)
        seen = {_fact_key(fact) for fact in self.facts}
        ids: dict[str, Fact | _Pending] = {}
        failed: dict[str, int] = {}
        pending: list[_Pending] = []
        for row in self.rows(where, rows):
            fact = self.fact(row)
            inputs = tuple(row["inputs"].split())
            derivation = self.parse("derivation", _derivation, row["derivation"])
            if fact is None or derivation is None or not self.derivable(inputs, derivation, row["id"], ids):
                if row["id"] and row["id"] not in ids:
                    failed.setdefault(row["id"], self.line)
                continue
            if _fact_key(fact) in seen:
                what = f"{fact.company.id} {fact.metric} over {fact.value.period} ({fact.basis or 'no basis'})"
                self.problem(None, f"a duplicate fact: {what}")
                continue
            seen.add(_fact_key(fact))
            item: Fact | _Pending = fact
            if inputs:
                written = _Written(row["amount"], _unit(row["unit"]), row["currency"])
                item = _Pending(where, self.line, fact, inputs, derivation, row["id"], len(self.facts), written)
                pending.append(item)
            if row["id"]:
                ids[row["id"]] = item
            self.facts.append(fact)  # a derived fact takes its place once its inputs are read
        resolved = _Resolution(ids, failed, table)
        for item in pending:
            for ready in resolved.order(item, self):
                derived = self.derive(ready, resolved)
                resolved.facts[id(ready)] = derived
                if derived is not None:
                    self.facts[ready.index] = derived

    def derivable(self, inputs: tuple[str, ...], derivation: str, row_id: str, ids: Iterable[str]) -> bool:
        """Check a row's id, and that it names inputs exactly when it names a derivation."""
        if bool(inputs) != bool(derivation):
            field = "derivation" if inputs else "inputs"
            self.problem(field, "a derived fact names both its inputs and its derivation")
            return False
        return not row_id or self.name("id", row_id, "fact", ids)

    def fact(self, row: dict[str, str]) -> Fact | None:
        """The fact of one row, without its derivation; None after a problem."""
        company = self.company_of("company", row["company"])
        metric = self.parse("metric", Metric, row["metric"])
        period = self.parse("period", _period, row["period"], company)
        unit = self.parse("unit", _unit, row["unit"])
        amount = None if unit is None else self.parse("amount", _number, row["amount"], unit)
        currency = self.parse("currency", Currency, row["currency"])
        left_out = row[_LEFT_OUT].split()
        status = DEFAULT_STATUS if "status" in left_out else self.parse("status", Status.parse, row["status"])
        sources = (self.file_source(),) if "sources" in left_out else self.source_ids("sources", row["sources"])
        market = self.parse("market", Region, row["market"]) if row["market"] else None
        counted_as = self.parse("counted_as", Period.parse, row["counted_as"]) if row["counted_as"] else None
        if (
            company is None
            or metric is None
            or period is None
            or amount is None
            or currency is None
            or status is None
            or sources is None
            or (row["market"] and market is None)
            or (row["counted_as"] and counted_as is None)
        ):
            return None
        if amount < 0 and not metric.definition.may_be_negative:
            self.problem("amount", f"{metric} is never negative, got {row['amount']} {row['unit']}".rstrip())
            return None
        if counted_as == period:
            msg = f"counted_as is for a period other than the one the value covers, got {counted_as} for both"
            self.problem("counted_as", msg)
            return None
        value = Money(amount, currency, period)
        return self.parse(
            "metric",
            Fact,
            company,
            metric,
            value,
            DEFAULT_BASIS if "basis" in left_out else row["basis"],
            status,
            sources,
            market=market,
            note=_note(row["note"], left_out),
            counted_as=counted_as,
            segment=row["segment"] or None,
        )

    def derive(self, item: _Pending, resolution: _Resolution) -> Fact | None:
        """The derived fact of a pending row whose inputs are resolved; None (and a problem) when it cannot be."""
        self.where, self.line = item.where, item.line
        inputs: list[Fact] = []
        for input_id in item.inputs:
            found = resolution.ids.get(input_id)
            if isinstance(found, _Pending):
                found = resolution.facts[id(found)]
            if found is None:
                if input_id in resolution.failed:
                    line = resolution.failed[input_id]
                    self.problem("inputs", f"the input {input_id!r} (line {line}) has problems of its own")
                elif input_id not in resolution.ids:
                    self.problem("inputs", f"unknown fact id {input_id!r}; expected the id of a fact in this file")
                return None
            inputs.append(found)
        depth = 1 + max(resolution.depths.get(id(resolution.ids[input_id]), 0) for input_id in item.inputs)
        if depth > MAX_DERIVATION_DEPTH:
            lineage = " -> ".join(resolution.lineage(item, 3))
            msg = f"derived facts nest at most {MAX_DERIVATION_DEPTH} deep; this one nests deeper ({lineage} -> ...)"
            self.problem("inputs", msg)
            return None
        resolution.depths[id(item)] = depth
        derived = self.parse("inputs", _with_derivation, item.fact, inputs, item.derivation, resolution.table)
        return None if derived is None else self.parse("amount", item.written.check, derived)

    def add_purchases(self, where: str, rows: list[_Row]) -> None:
        seen = {(p.buyer_id, p.chip.name, p.period) for p in self.purchases}
        for row in self.rows(where, rows):
            buyer = self.company_of("buyer", row["buyer"])
            unit = self.parse("unit", _unit, row["unit"])
            quantity = None if unit is None else self.parse("quantity", _count, row["quantity"], unit)
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
            if not self.name("key", row["key"], "statement", self.statement_keys):
                continue
            value = self.parse("value", _number, row["value"], "")
            source = self.one_source(row["source"])
            if source is None:
                self.problem("source", "expected a source id")
            if value is None or not isinstance(source, Source):
                continue
            texts = row["text_en"], row["text_zh"]
            self.statement_keys.add(row["key"])
            self.statements.append(Statement(row["key"], value, row["unit"], *texts, source))

    def dataset(self) -> Dataset:
        table = RateTable(self.rates)  # one rate per pair and window is checked row by row
        if self.problems.found:
            forget(self.declared)  # a load that fails declares nothing
            raise DataFileError(self.problems.lines)
        return Dataset(
            tuple(self.companies.values()),
            dict(self.sources),
            tuple(self.facts),
            table,
            tuple(self.purchases),
            tuple(self.statements),
            tuple(dict.fromkeys([*self.preferred, *self.base_preferred])),
            tuple(self.groups.values()),
        )


def _with_derivation(fact: Fact, inputs: list[Fact], derivation: str, table: RateTable) -> Fact:
    """`fact` with its inputs and the derivation that computes it from them, checked."""
    expected = Status.combine(item.status for item in inputs)
    if fact.status != expected:
        why = "an input is an estimate or guidance" if expected is Status.ESTIMATE else "it is computed"
        msg = f"a fact derived from {_ids(inputs)} is {expected.value!r} ({why}), got {fact.status.value!r}"
        raise InvalidValueError(msg)
    _check_what(fact, inputs)
    if derivation == "convert":
        if len(inputs) != 1:
            msg = f"a conversion has one input, got {len(inputs)}"
            raise InvalidValueError(msg)
        source = inputs[0].value
        if source.period != fact.value.period:
            msg = f"a conversion keeps the period: the input is over {source.period}, the fact over {fact.value.period}"
            raise InvalidValueError(msg)
        conversion = table.conversion(source.currency, fact.value.currency, source.period)
        return attrs.evolve(fact, derivation=conversion, inputs=inputs)
    method: Method = "quarter-end" if derivation == "calendarize quarter-end" else "months"
    assert method in get_args(Method)  # noqa: S101 -- DERIVATIONS names only these
    restated = calendarize([item.value for item in inputs], fact.value.period, method=method)
    return attrs.evolve(fact, derivation=restated, inputs=inputs)


def _check_what(fact: Fact, inputs: list[Fact]) -> None:
    """Refuse a derived fact about another company, metric, part of the company or market than its inputs.

    A conversion or a calendarization changes the currency or the months, never what is measured.
    """
    checks: list[tuple[str, Callable[[Fact], object], Callable[[object], str]]] = [
        ("is about", lambda item: item.company.id, str),
        ("measures", lambda item: item.metric, str),
        (
            "covers",
            lambda item: item.segment,
            lambda segment: "the whole company" if segment is None else f"segment {segment!r}",
        ),
        ("is about", lambda item: item.market, lambda market: "no market" if market is None else f"market {market}"),
    ]
    for verb, get, shown in checks:
        values = list(dict.fromkeys(get(item) for item in inputs))
        if values != [get(fact)]:
            msg = f"a fact derived from {_ids(inputs)} {verb} {', '.join(map(shown, values))}, got {shown(get(fact))}"
            raise InvalidValueError(msg)


def _ids(inputs: list[Fact]) -> str:
    return ", ".join(f"{item.company.id} {item.metric} over {item.value.period}" for item in inputs)


def _company(row: dict[str, str], calendar: FiscalCalendar, cik: int | None) -> Company:
    return Company(
        id=row["id"],
        name_en=row["name_en"],
        name_zh=row["name_zh"],
        region=row["region"],
        fiscal_calendar=calendar,
        currency=row["currency"],
        tickers=row["tickers"].split(),
        aliases=[alias.strip() for alias in row["aliases"].split("|")] if row["aliases"] else [],
        cik=cik,
    )


def _fact_key(fact: Fact) -> tuple[object, ...]:
    key = (fact.company.id, fact.metric, fact.value.period, fact.value.currency, fact.basis, fact.market)
    return (*key, fact.segment, frozenset(fact.sources))


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


def _build(files: list[tuple[str, str, bytes]], base: Dataset | None) -> Dataset:
    """The dataset of data files, each a (kind, name, contents), read kind by kind in the order of `COLUMNS`."""
    problems = _Problems()
    builder = _Builder(base, problems)
    for kind in COLUMNS:
        for of_kind, name, data in files:
            if of_kind == kind:
                getattr(builder, f"add_{kind}")(name, _read(name, data, kind, problems))
    return builder.dataset()


_embedded: Dataset | None = None
_embedding = threading.Lock()


def _embedded_dataset() -> Dataset:
    """The embedded dataset, read once (and once only, whichever thread asks first)."""
    global _embedded  # noqa: PLW0603 -- the embedded dataset is read once
    with _embedding:
        if _embedded is None:
            # pkgutil reads through the package's loader, as importlib.resources does, without
            # importing what importlib.resources needs for other packages (tempfile, zipfile, lzma...).
            files = [(kind, f"{kind}.csv", _embedded_file(f"{kind}.csv")) for kind in COLUMNS]
            _embedded = _build(files, None)
        return _embedded


def _embedded_file(name: str) -> bytes:
    """The contents of one file of the embedded data."""
    data = pkgutil.get_data("capexmodel._sources", f"data/{name}")
    assert data is not None  # noqa: S101 -- a package loaded from files can read its data
    return data


@public
def load_dataset(path: str | os.PathLike[str] | None = None, *, replace: bool = False) -> Dataset:
    """The embedded dataset, or data read from CSV files merged into it (or replacing it).

    `path` is a folder of CSV files, or one such file: sources, metrics, companies,
    groups, rates, facts, purchases or statements, each kind known by its name
    (``facts.csv``) or else by its header (a ``mine.csv`` with the columns of facts
    holds facts; a header that fits no kind is an error). By default the files add
    to the embedded dataset (they may cite its companies and sources, and may not
    define them again); with ``replace=True`` they are the whole dataset. Every
    malformed row is reported; nothing is dropped. Files are only parsed as CSV:
    nothing in them runs. SEC company-facts files (``.json``) in the folder are read
    as `read_companyfacts` reads them.

    Args:
        path: A folder of CSV files, or one such file; None for the embedded dataset.
        replace: Whether the files are the whole dataset, rather than added to the
            embedded one.

    Returns:
        The dataset.

    Raises:
        InvalidValueError: `path` is not a path, or `replace` not a bool.
        DataFileError: A file cannot be read or is of no known kind, or rows are
            malformed or contradict each other: every problem, by file, line and field.

    Examples:
        >>> import capexmodel as cm
        >>> ds = cm.load_dataset()
        >>> len(ds.companies), ds.rates.rates[0].rate
        (14, Decimal('7.230'))
    """
    if path is not None and not isinstance(path, str | os.PathLike):
        msg = f"load_dataset() takes a path to a folder or a file, got {show(path)}"
        raise InvalidValueError(msg)
    if not isinstance(replace, bool):
        msg = f"replace must be True or False, got {show(replace)}"
        raise InvalidValueError(msg)
    if path is None:
        return _embedded_dataset()
    from pathlib import Path  # noqa: PLC0415 -- pathlib (and urllib, ipaddress behind it) loads for user files only

    files, companyfacts = _user_files(Path(path))
    return _with_companyfacts(_build(files, None if replace else _embedded_dataset()), companyfacts)


def _with_companyfacts(dataset: Dataset, paths: list[Path]) -> Dataset:
    """`dataset` with the SEC company-facts files at `paths` added; every problem of every file in one error."""
    if not paths:
        return dataset
    from capexmodel._sources.sec import read_with_companies  # noqa: PLC0415 -- read only when there are such files

    problems: list[str] = []
    companies = {company.id: company for company in dataset.companies}
    sources = dict(dataset.sources)
    facts, superseded = list(dataset.facts), list(dataset.superseded)
    read_from: dict[int | None, Path] = {}
    for path in paths:
        try:
            extra = read_with_companies(path, None, None, dataset.companies)
        except DataFileError as error:
            problems.extend(error.problems)
            continue
        (company,) = extra.companies
        if company.cik in read_from:
            problems.append(f"{path}: the company facts of CIK {company.cik} again; {read_from[company.cik]} has them")
            continue
        read_from[company.cik] = path
        known = companies.setdefault(company.id, company)
        if known != company:
            problems.append(f"{path}: the file is about {company.id!r}, which the data defines otherwise: {known!r}")
            continue
        clashes = [key for key, source in extra.sources.items() if sources.setdefault(key, source) != source]
        problems.extend(f"{path}: the source {key!r} is defined otherwise in the data" for key in clashes)
        facts += extra.facts
        superseded += extra.superseded
    if problems:
        raise DataFileError(problems)
    filings = tuple(source for key, source in sources.items() if key not in dataset.sources)
    return attrs.evolve(
        dataset,
        companies=tuple(companies.values()),
        sources=sources,
        facts=tuple(facts),
        superseded=tuple(superseded),
        preferred_sources=(*dataset.preferred_sources, *filings),  # the filings themselves, after the data's own
    )


def _user_files(path: Path) -> tuple[list[tuple[str, str, bytes]], list[Path]]:
    try:
        return _read_files(path)
    except OSError as error:
        raise DataFileError([f"{shorten_path(path)}: cannot read it: {error.strerror or error}"]) from None


def _read_files(path: Path) -> tuple[list[tuple[str, str, bytes]], list[Path]]:
    """The CSV data files (kind, name and contents), and the SEC company-facts files, of a folder or one file."""
    companyfacts: list[Path] = []
    if path.is_dir():
        found, companyfacts = _folder(path)
    elif path.exists() or path.is_symlink():
        if path.suffix == ".json":
            found, companyfacts = [], [path]  # the reader checks it is a regular file
        elif path.suffix != ".csv":
            raise DataFileError([f"{path}: not a data file; expected a CSV file (.csv) or SEC company facts (.json)"])
        elif not _is_regular_file(path):
            raise DataFileError([f"{path}: not a regular file; expected a CSV file"])
        else:
            found = [path]
    else:
        raise DataFileError([f"{path}: no such file or folder"])
    files: list[tuple[str, str, bytes]] = []
    problems: list[str] = []
    for file in found:
        data = _contents(file)
        try:
            files.append((_kind(file, data), str(file), data))
        except DataFileError as error:
            problems.extend(error.problems)
    if problems:
        raise DataFileError(problems)
    return files, companyfacts


def _kind(file: Path, data: bytes) -> str:
    """What a CSV file holds: the kind its name says (``facts.csv``), else the one kind its header fits."""
    if file.stem in COLUMNS:
        return file.stem
    problems = _Problems()
    text = _decode(str(file), data, problems)
    header = None if text is None else _header(text)
    if header is None:
        why = problems.lines[0] if problems.found else f"{file}: the file is empty"
        raise DataFileError([f"{why}; cannot tell what it holds from its name or its header"])
    kinds = [kind for kind in COLUMNS if _fits(kind, header)]
    if len(kinds) == 1:
        return kinds[0]
    fits = f"it fits {' and '.join(kinds)} alike" if kinds else "it fits no kind of data file"
    needs = "; ".join(f"{kind} needs {_needs(kind)}" for kind in COLUMNS)
    msg = f"{file}: cannot tell what the file holds from its header ({', '.join(header)}): {fits}; {needs}"
    raise DataFileError([msg])


def _header(text: str) -> list[str] | None:
    """The header of a CSV text, its first record that is not a comment or blank; None if it has none."""
    lines = _Lines(text)
    try:
        for cells in csv.reader(lines):
            lines.between_records = True
            if "".join(cells).strip():
                return [cell.strip() for cell in cells]
    except csv.Error:
        return None  # reading the file reports it, by line
    return None


def _folder(path: Path) -> tuple[list[Path], list[Path]]:
    """The CSV and JSON files of a folder; one whose suffix is not in lower case (``.CSV``) is an error."""
    found: list[Path] = []
    companyfacts: list[Path] = []
    problems = []
    for entry in sorted(path.iterdir()):
        if entry.suffix.lower() not in {".csv", ".json"}:
            continue
        if entry.suffix == ".json" and _is_regular_file(entry):
            companyfacts.append(entry)
        elif entry.suffix == ".json":
            problems.append(f"{entry}: not a regular file; expected SEC company facts")
        elif entry.suffix != ".csv":
            problems.append(f"{entry}: not a data file name; expected a name ending in .csv or .json")
        elif not _is_regular_file(entry):
            problems.append(f"{entry}: not a regular file; expected a CSV file")
        else:
            found.append(entry)
    if problems:
        raise DataFileError(problems)
    if not found and not companyfacts:
        raise DataFileError([f"{path}: no data files here; expected CSV files (.csv) or SEC company facts (.json)"])
    return found, companyfacts


def _contents(file: Path) -> bytes:
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = f"data files are limited to {MAX_FILE_BYTES:,}"
            raise DataFileError([f"{file}: the file is {size:,} bytes; {limit}"])
        return file.read_bytes()
    except OSError as error:
        raise DataFileError([f"{file}: cannot read the file: {error.strerror or error}"]) from None


def _is_regular_file(path: Path) -> bool:
    """Whether `path` is a regular file (following links): not a folder, a pipe, a device or a dangling link."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except FileNotFoundError:
        return False
