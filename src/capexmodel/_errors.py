"""The errors a user of capexmodel can cause.

Every error derives from `CapexModelError` and from the builtin that fits, so
``except ValueError`` keeps working for code that does not know capexmodel::

    CapexModelError (Exception)
    ├── InvalidValueError (ValueError)         a value a constructor cannot accept
    │   ├── InvalidAmountError                 not an exact, finite number
    │   ├── InvalidPeriodError                 not a span of whole calendar months
    │   ├── UnknownCurrencyError               not an ISO 4217 code known to CLDR
    │   └── UnknownMetricError                 not a metric of the vocabulary (nor declared)
    ├── UnknownChipError (LookupError)         a chip name the catalogue does not know
    ├── UnknownNameError (LookupError)         a source, basis, group or statement the dataset does not have
    │   └── UnknownCompanyError                a company the dataset does not have
    ├── AmbiguousCompanyError (LookupError)    a name that several of the dataset's companies go by
    ├── FactNotFoundError (LookupError)        no fact matches a query
    ├── IncompleteTotalError (LookupError)     a total asked to be complete leaves companies out
    ├── DivisionByZeroError (ZeroDivisionError)  an amount divided by zero
    ├── CurrencyMismatchError (ValueError)     amounts in different currencies
    ├── PeriodMismatchError (ValueError)       amounts over different periods, gaps, overlaps
    ├── MissingRateError (LookupError)         no exchange rate covers the period
    ├── AmbiguousRateError (LookupError)       several rates or routes fit equally well
    ├── AmbiguousFactError (LookupError)       several facts fit a query and none is the default
    ├── UndefinedIndicatorError (ArithmeticError)  an indicator has no meaning here
    ├── DataFileError (ValueError)             malformed data files: every problem, by file, line and field
    └── FetchError (OSError)                   company facts could not be downloaded or written

Messages name the offending value. Errors that a caller may want to act on carry
what went wrong as attributes too (`FactNotFoundError.metric`,
`IncompleteTotalError.missing`, ...), so that no code needs to read a message.
"""

from __future__ import annotations

from capexmodel._lazy import name_after

__all__ = [
    "AmbiguousCompanyError",
    "AmbiguousFactError",
    "AmbiguousRateError",
    "CapexModelError",
    "CurrencyMismatchError",
    "DataFileError",
    "DivisionByZeroError",
    "FactNotFoundError",
    "FetchError",
    "IncompleteTotalError",
    "InvalidAmountError",
    "InvalidPeriodError",
    "InvalidValueError",
    "MissingRateError",
    "PeriodMismatchError",
    "UndefinedIndicatorError",
    "UnknownChipError",
    "UnknownCompanyError",
    "UnknownCurrencyError",
    "UnknownMetricError",
    "UnknownNameError",
]


_SHOWN_LENGTH = 80


def N_(message: str) -> str:  # noqa: N802 -- gettext's name for a message marked, translated later
    """Mark `message` for the catalogs, leaving it untranslated: an error's text the command also says in other words.

    Examples:
        >>> from capexmodel._errors import N_
        >>> N_("Status")
        'Status'
    """
    return message


def show(value: object) -> str:
    """Show a value in an error message: its repr, shortened when long, never failing.

    Examples:
        >>> from capexmodel._errors import show
        >>> show("RMB"), show(10**5000), show("x" * 200)[-16:]
        ("'RMB'", '<an int of 16610 bits>', '(202 characters)')
    """
    if isinstance(value, int) and value.bit_length() > _SHOWN_LENGTH * 3:
        return f"<an int of {value.bit_length()} bits>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 -- a broken __repr__ must not hide the real error
        return f"<a {type(value).__name__} that cannot be shown>"
    return shorten(text)


def shorten_path(path: object) -> str:
    """A path for an error message: whole, or its last 200 characters when longer (its file name matters most).

    Examples:
        >>> from capexmodel._errors import shorten_path
        >>> shorten_path("/data/" + "x" * 300 + "/facts.csv")[-12:]
        'xx/facts.csv'
    """
    text = str(path)
    return text if len(text) <= _PATH_LENGTH else f"...{text[-_PATH_LENGTH:]}"


#: Paths in messages are cut to their last this many characters.
_PATH_LENGTH = 200


def shorten(text: str) -> str:
    """Cut a long text for an error message, saying how long it was.

    Examples:
        >>> from capexmodel._errors import shorten
        >>> shorten("1" * 100)
        '111111111111111111111111111111111111111111111111111111111111... (100 characters)'
    """
    if len(text) > _SHOWN_LENGTH:
        return f"{text[: _SHOWN_LENGTH - 20]}... ({len(text)} characters)"
    return text


class CapexModelError(Exception):
    """The base of every error capexmodel raises for bad input.

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.CurrencyMismatchError, cm.CapexModelError)
        True
    """


class InvalidValueError(CapexModelError, ValueError):
    """A constructor was given a value it cannot accept.

    Examples:
        >>> import capexmodel as cm
        >>> cm.FiscalCalendar(year_end_month=13)
        Traceback (most recent call last):
        ...
        capexmodel.InvalidValueError: year_end_month must be a month number from 1 to 12, got 13
    """


class InvalidAmountError(InvalidValueError):
    """An amount is not an exact, finite number (floats, NaN and infinities are refused).

    Examples:
        >>> import capexmodel as cm
        >>> cm.Money(77.7, "USD", cm.CalendarYear(2024))
        Traceback (most recent call last):
        ...
        capexmodel.InvalidAmountError: amount must be ... not the float 77.7 (pass Decimal('77.7') to keep it exact)
    """


class InvalidPeriodError(InvalidValueError):
    """A period is not a span of whole calendar months, or cannot be parsed.

    Examples:
        >>> import capexmodel as cm, datetime
        >>> cm.Period(datetime.date(2024, 1, 2), datetime.date(2024, 12, 31))
        Traceback (most recent call last):
        ...
        capexmodel.InvalidPeriodError: a period starts on the first day of a month, got start=2024-01-02
    """


class UnknownCurrencyError(InvalidValueError):
    """A currency code is not an ISO 4217 code known to babel's CLDR data.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Currency("RMB")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownCurrencyError: unknown currency code 'RMB': expected an ISO 4217 code such as 'USD' or 'CNY'
    """


class UnknownMetricError(InvalidValueError):
    """A metric name that is not in the vocabulary, nor declared; the message suggests the metric meant.

    Args:
        message: What was wrong.
        name: The name given, kept as `name`.
        suggestion: The closest known metric, if any, kept as `suggestion`.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Metric("capx")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownMetricError: unknown metric 'capx': did you mean 'capex'? ...
    """

    def __init__(self, message: str, *, name: str = "", suggestion: str | None = None) -> None:
        """Keep the name given and the suggestion as attributes."""
        super().__init__(message)
        self.name = name
        self.suggestion = suggestion


class DivisionByZeroError(CapexModelError, ZeroDivisionError):
    """An amount was divided by zero.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Money("777", "USD", cm.CalendarYear(2024)) / 0
        Traceback (most recent call last):
        ...
        capexmodel.DivisionByZeroError: cannot divide 777 USD over 2024 by zero
    """


class UnknownChipError(CapexModelError, LookupError):
    """A chip name that the catalogue does not know; the message lists the known names.

    Examples:
        >>> import capexmodel as cm
        >>> cm.chip("H30")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownChipError: unknown chip 'H30': the catalogue knows A100, B200, H100, H20, H200, H800
    """


class CurrencyMismatchError(CapexModelError, ValueError):
    """Two amounts in different currencies were combined without conversion.

    Examples:
        >>> import capexmodel as cm
        >>> y24 = cm.CalendarYear(2024)
        >>> cm.Money("777", "USD", y24) + cm.Money("800", "CNY", y24)
        Traceback (most recent call last):
        ...
        capexmodel.CurrencyMismatchError: cannot add 777 USD and 800 CNY: currencies differ (convert one first)
    """


class PeriodMismatchError(CapexModelError, ValueError):
    """Amounts over different periods were combined, or periods leave gaps or overlap.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Money("1", "USD", cm.CalendarYear(2024)) + cm.Money("1", "USD", cm.CalendarYear(2023))
        Traceback (most recent call last):
        ...
        capexmodel.PeriodMismatchError: cannot add 1 USD over 2024 and 1 USD over 2023: periods differ ...
    """


class MissingRateError(CapexModelError, LookupError):
    """No exchange rate covers the pair of currencies over the period asked for.

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.MissingRateError, LookupError)
        True
    """


class AmbiguousRateError(CapexModelError, LookupError):
    """Several exchange rates, or several cross routes, fit a conversion equally well.

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.AmbiguousRateError, LookupError)
        True
    """


class AmbiguousFactError(CapexModelError, LookupError):
    """Several facts fit a query, and none is from the dataset's preferred sources; the message lists them.

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.AmbiguousFactError, LookupError)
        True
    """


class UnknownNameError(CapexModelError, LookupError):
    """A name the dataset does not have (a source, a basis, a group, a statement); the message lists those it has.

    Args:
        message: What was wrong.
        kind: What was looked up (``"source"``, ``"basis"``, ...), kept as `kind`.
        name: The name asked for, kept as `name`.

    Examples:
        >>> import capexmodel as cm
        >>> cm.load_dataset().select(source="caijng")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownNameError: unknown source 'caijng': the dataset has ...
    """

    def __init__(self, message: str, *, kind: str = "", name: object = None) -> None:
        """Keep what was looked up as attributes."""
        super().__init__(message)
        self.kind = kind
        self.name = name


class UnknownCompanyError(UnknownNameError):
    """A company the dataset does not know; the message suggests the companies meant and lists the known ids.

    Args:
        message: What was wrong.
        kind: What was looked up, ``"company"``; kept as `kind`.
        name: The name asked for, kept as `name`.
        suggestions: The ids of the companies whose names come closest, closest first;
            kept as `suggestions`.

    Examples:
        >>> import capexmodel as cm
        >>> cm.load_dataset().company("openai")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownCompanyError: unknown company 'openai': the dataset knows alibaba, alphabet, amazon, ...
        >>> cm.load_dataset().company("Microsft")
        Traceback (most recent call last):
        ...
        capexmodel.UnknownCompanyError: unknown company 'Microsft': did you mean 'microsoft'? ...
    """

    def __init__(
        self, message: str, *, kind: str = "company", name: object = None, suggestions: tuple[str, ...] = ()
    ) -> None:
        """Keep what was looked up and the ids suggested as attributes."""
        super().__init__(message, kind=kind, name=name)
        self.suggestions = suggestions


class AmbiguousCompanyError(CapexModelError, LookupError):
    """A name that several of the dataset's companies go by (an alias two companies share); nothing is guessed.

    Args:
        message: What was wrong.
        name: The name given, kept as `name`.
        candidates: The ids of the companies it names, kept as `candidates`.

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.AmbiguousCompanyError, LookupError)
        True
    """

    def __init__(self, message: str, *, name: str = "", candidates: tuple[str, ...] = ()) -> None:
        """Keep the name given and the companies it names as attributes."""
        super().__init__(message)
        self.name = name
        self.candidates = candidates


class FactNotFoundError(CapexModelError, LookupError):
    """No fact matches a query; the message says what was asked and what the dataset has instead.

    Args:
        message: What was asked, and what the dataset has instead.
        company: The company asked for, kept as `company`.
        metric: The metric asked for, kept as `metric`.
        period: The period asked for, kept as `period`.

    Examples:
        >>> import capexmodel as cm
        >>> cm.load_dataset().fact("nvidia", "capex", cm.CalendarYear(2024))
        Traceback (most recent call last):
        ...
        capexmodel.FactNotFoundError: no capex fact for nvidia over 2024; ...
    """

    def __init__(self, message: str, *, company: str = "", metric: str = "", period: object = None) -> None:
        """Keep what was asked as attributes."""
        super().__init__(message)
        self.company = company
        self.metric = metric
        self.period = period


class IncompleteTotalError(CapexModelError, LookupError):
    """A total asked to be complete (``complete=True``) would leave companies out; `missing` names them.

    Args:
        message: What was wrong.
        missing: The ids of the companies left out, kept as `missing`.

    Examples:
        >>> import capexmodel as cm
        >>> cm.load_dataset().total("capex", period=cm.CalendarYear(2024), region="US", currency="USD",
        ...                         complete=True)
        Traceback (most recent call last):
        ...
        capexmodel.IncompleteTotalError: the total of capex over 2024 leaves out nvidia, xai: ...
    """

    def __init__(self, message: str, *, missing: tuple[str, ...] = ()) -> None:
        """Keep the companies left out as an attribute."""
        super().__init__(message)
        self.missing = missing


class UndefinedIndicatorError(CapexModelError, ArithmeticError):
    """An indicator has no meaning for its inputs (a zero or negative base, say).

    Examples:
        >>> import capexmodel as cm
        >>> issubclass(cm.UndefinedIndicatorError, ArithmeticError)
        True
    """


class DataFileError(CapexModelError, ValueError):
    """Data files are malformed: the message lists every problem, by file, line and field.

    Args:
        problems: Every problem, one line each (a single string is one problem); kept
            as `problems`, a tuple.

    Examples:
        >>> import capexmodel as cm
        >>> error = cm.DataFileError(["facts.csv, line 3, field 'amount': expected a number, got '77,7'"])
        >>> error.problems
        ("facts.csv, line 3, field 'amount': expected a number, got '77,7'",)
    """

    def __init__(self, problems: list[str] | str) -> None:
        """Keep every problem (a single string is one problem); the message lists them all."""
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        count = len(self.problems)
        heading = "1 problem in the data" if count == 1 else f"{count} problems in the data"
        super().__init__(heading + ":\n" + "\n".join(f"  {problem}" for problem in self.problems))

    def __reduce__(self) -> tuple[type[DataFileError], tuple[list[str]], dict[str, object]]:
        """Pickle and copy by the problems, which rebuild the message (and keep any notes)."""
        return (type(self), (list(self.problems),), vars(self))


class FetchError(CapexModelError, OSError):
    """Company facts could not be downloaded, or not written: the message names the CIK and the URL.

    Args:
        message: What went wrong, naming the CIK and the URL.
        cik: The CIK asked for (ten digits), kept as `cik`.
        url: The address asked, kept as `url`.
        status: The HTTP status of the server's refusal (404, 429, ...), or None when
            the server sent no refusal (a network error, a body cut short or not
            company facts, a file that could not be written); kept as `status`.

    Examples:
        >>> import capexmodel as cm
        >>> error = cm.FetchError("no company facts for CIK 0000000001 ...", cik="0000000001", status=404)
        >>> isinstance(error, OSError), error.status
        (True, 404)
    """

    def __init__(self, message: str, *, cik: str = "", url: str = "", status: int | None = None) -> None:
        """Keep the CIK, the URL and the HTTP status as attributes."""
        super().__init__(message)
        self.cik = cik
        self.url = url
        self.status = status


# Errors are raised from private modules; name them where users catch them from, so
# tracebacks say `capexmodel.PeriodMismatchError`.
for _error in (
    CapexModelError,
    InvalidValueError,
    InvalidAmountError,
    InvalidPeriodError,
    UnknownCurrencyError,
    UnknownChipError,
    DivisionByZeroError,
    CurrencyMismatchError,
    PeriodMismatchError,
    MissingRateError,
    AmbiguousRateError,
    AmbiguousFactError,
    UnknownNameError,
    UnknownCompanyError,
    AmbiguousCompanyError,
    UnknownMetricError,
    FactNotFoundError,
    IncompleteTotalError,
    UndefinedIndicatorError,
    DataFileError,
    FetchError,
):
    name_after(_error, "capexmodel")
del _error
