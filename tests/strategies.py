"""Hypothesis strategies for every capexmodel type, in one place."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._model.company import fold, number_character

#: Codes real analyses use, plus a few rarer ones CLDR knows.
CURRENCY_CODES = ("USD", "CNY", "HKD", "EUR", "JPY", "GBP", "KRW", "TWD", "INR", "CHF", "BHD")

currencies = st.sampled_from(CURRENCY_CODES).map(cm.Currency)

#: Exact amounts as analysts write them (whole units, cents, the odd long decimal),
#: and amounts with 30 to 60 digits, more than the default decimal context keeps.
amounts = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(Decimal),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=-(10**6), max_value=10**6, places=9, allow_nan=False, allow_infinity=False),
    st.builds(
        lambda coefficient, exponent: Decimal(coefficient).scaleb(exponent),
        st.integers(min_value=10**29, max_value=10**60) | st.integers(min_value=-(10**60), max_value=-(10**29)),
        st.integers(min_value=-40, max_value=5),
    ),
)

#: Factors for scaling: ints and short decimals, as in "12% of revenue".
factors = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False),
)

years = st.integers(min_value=1990, max_value=2100)
year_end_months = st.integers(min_value=1, max_value=12)
fiscal_calendars = year_end_months.map(lambda month: cm.FiscalCalendar(year_end_month=month))
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def periods(draw: st.DrawFn, max_months: int = 36) -> cm.Period:
    """Any span of 1 to `max_months` whole months starting between 1990 and 2100."""
    year = draw(years)
    month = draw(st.integers(min_value=1, max_value=12))
    length = draw(st.integers(min_value=1, max_value=max_months))
    last_year, last_month0 = divmod(year * 12 + month - 1 + length - 1, 12)
    return cm.Period.from_months((year, month), (last_year, last_month0 + 1))


@st.composite
def money(draw: st.DrawFn, currency: cm.Currency | None = None, period: cm.Period | None = None) -> cm.Money:
    """An amount in `currency` over `period` (each drawn when not given)."""
    return cm.Money(
        draw(amounts),
        currency if currency is not None else draw(currencies),
        period if period is not None else draw(periods()),
    )


@st.composite
def money_lists(draw: st.DrawFn, min_size: int = 1, max_size: int = 30) -> list[cm.Money]:
    """Several amounts sharing one currency and one period."""
    currency, period = draw(currencies), draw(periods())
    return draw(st.lists(money(currency, period), min_size=min_size, max_size=max_size))


regions = st.sampled_from(("US", "CN", "HK", "JP", "DE", "EU", "GB", "KR", "TW", "IN")).map(cm.Region)
company_ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True)
names = st.text(min_size=1, max_size=20).map(str.strip).filter(bool)
tickers = st.lists(st.from_regex(r"[A-Z0-9.:]{1,10}", fullmatch=True), max_size=3, unique=True).map(tuple)
#: Other names a company goes by: no '|' (the aliases column's separator), no character that stands for a number,
#: none repeated as names are compared.
aliases = st.lists(
    names.filter(lambda name: "|" not in name and number_character(name) is None), max_size=3, unique_by=fold
).map(tuple)


@st.composite
def companies(draw: st.DrawFn) -> cm.Company:
    """A valid company with any region, calendar, currency, tickers and aliases."""
    return cm.Company(
        id=draw(company_ids),
        name_en=draw(names),
        name_zh=draw(names),
        region=draw(regions),
        fiscal_calendar=draw(fiscal_calendars),
        currency=draw(currencies),
        tickers=draw(tickers),
        aliases=draw(aliases),
    )


#: Positive exchange rates with up to four decimals, as published averages are.
rates = st.decimals(min_value=Decimal("0.0001"), max_value=10000, places=4, allow_nan=False, allow_infinity=False)

#: Rates that are exact powers of ten, for which conversion never rounds.
power_of_ten_rates = st.integers(min_value=-6, max_value=6).map(lambda exponent: Decimal(1).scaleb(exponent))


@st.composite
def exchange_rates(
    draw: st.DrawFn, base: str | None = None, quote: str | None = None, window: cm.Period | None = None
) -> cm.ExchangeRate:
    """A rate between two different currencies over a window (each drawn when not given)."""
    base = base or draw(currencies)
    quote = quote or draw(currencies.filter(lambda code: code != base))
    return cm.ExchangeRate(base, quote, draw(rates), window if window is not None else draw(periods()))


@st.composite
def tilings(draw: st.DrawFn, max_parts: int = 8, max_months: int = 6) -> list[cm.Period]:
    """Consecutive periods with no gap and no overlap, each of 1 to `max_months` months."""
    start = draw(periods(max_months=1))
    lengths = draw(st.lists(st.integers(min_value=1, max_value=max_months), min_size=1, max_size=max_parts))
    first = start.start.year * 12 + start.start.month - 1
    tiles = []
    for length in lengths:
        last = first + length - 1
        tiles.append(cm.Period.from_months(divmod_month(first), divmod_month(last)))
        first = last + 1
    return tiles


def divmod_month(index: int) -> tuple[int, int]:
    """The (year, month) of a month index (months since January of year 0)."""
    year, month0 = divmod(index, 12)
    return year, month0 + 1


statuses = st.sampled_from(list(cm.Status))
sources = st.builds(cm.Source, publisher=names, title=names)


@st.composite
def facts(draw: st.DrawFn, company: cm.Company, period: cm.Period) -> cm.Fact:
    """A capex fact about `company` over `period` (capex is never negative), with any status and a few sources."""
    return cm.Fact(
        company,
        cm.Metric.CAPEX,
        abs(draw(money(company.currency, period))),
        status=draw(statuses),
        sources=draw(st.lists(sources, max_size=3)),
    )


#: Amounts above zero, for the denominators of ratios and the bases of growth.
positive_amounts = amounts.filter(lambda amount: amount > 0)

#: Positive scale factors, whole or decimal.
positive_factors = factors.filter(lambda factor: factor > 0)

chip_names = st.sampled_from(["H100", "H200", "H800", "H20", "B200"])


@st.composite
def chip_purchases(draw: st.DrawFn) -> cm.ChipPurchase:
    """A purchase of up to a million chips of a catalogued model with BF16 and FP8 peaks."""
    return cm.ChipPurchase(
        draw(company_ids), draw(chip_names), draw(st.integers(min_value=0, max_value=10**6)), draw(periods())
    )


#: Anything at all a user might pass to a constructor by mistake.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(),
    st.binary(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.integers(), st.integers()),
    st.sampled_from(["USD", "usd", "2024", "2024-Q3", "1e3", "NaN", "-Infinity", "sNaN", "1_000", " 7.230 "]),
    st.builds(object),
)


@st.composite
def reported_money(draw: st.DrawFn, codes: tuple[str, ...] = ("USD", "CNY")) -> cm.Money:
    """An amount as reports state capex: 1e4 to 1e14, either sign, in whole units or cents.

    Each power of ten is equally likely, so small and large amounts are drawn alike.
    """
    exponent = draw(st.integers(min_value=4, max_value=13))
    whole = draw(st.integers(min_value=10**exponent, max_value=10 ** (exponent + 1)))
    cents = draw(st.integers(min_value=0, max_value=99)) if whole < 10**14 else 0
    sign = draw(st.sampled_from((1, -1)))
    amount = sign * (Decimal(whole) + Decimal(cents).scaleb(-2))
    return cm.Money(amount, draw(st.sampled_from(codes)), draw(periods()))


# Text for fuzzing the parsers and formatters (capexmodel._present.format)

#: Any character at all: every Unicode category, NUL and lone surrogates included.
any_characters = st.characters(exclude_categories=())

#: Decimal digits of every script (Unicode category Nd), as `Decimal` reads them.
decimal_digits = st.characters(categories=["Nd"])

#: Characters that stand for numbers but are not decimal digits: ³, ₂, ①, ½, Ⅻ ...
number_characters = st.characters(categories=["No", "Nl"])

#: The pieces amounts are written with: numbers, signs, spaces and marks, group and
#: decimal signs, scale words and suffixes of several locales, currency symbols, names
#: and codes (some of which start like a scale suffix), and a few hostile characters.
AMOUNT_PIECES = (
    *("0", "1", "12", "1,234", "1.234,5", "0,123", ".5", "5.", "7,77,000", "1'000"),
    *("-", "+", "\N{MINUS SIGN}", "\N{HYPHEN}", "(", ")"),
    *(" ", "\N{NO-BREAK SPACE}", "\N{NARROW NO-BREAK SPACE}", "\N{IDEOGRAPHIC SPACE}", "\t"),
    *("\N{LEFT-TO-RIGHT MARK}", "\N{RIGHT-TO-LEFT MARK}", "\N{ZERO WIDTH SPACE}", "\N{ZERO WIDTH JOINER}"),
    *("\x00", "\ud800", "\udfff", "\N{ARABIC DECIMAL SEPARATOR}", "\N{FULLWIDTH FULL STOP}", "\N{FULLWIDTH COMMA}"),
    *("万", "亿", "万亿", "千", "萬", "億", "兆", "thousand", "million", "billion", "trillion", "bn", "mn", "tn"),
    *("K", "M", "B", "T", "k", "m", "b", "t", "Mrd.", "Md", "Bn", "Mio.", "mil", "mil M", "Cr", "jt", "mM", "Bi"),
    *("$", "US$", "CN¥", "¥", "￥", "€", "£", "HK$", "元", "美元", "港元", "日元", "人民币", "¤"),
    *("USD", "usd", "CNY", "EUR", "JPY", "BTN", "MTn", "Kč", "kr", "₹", "Rp", "XYZ", "US"),
)

#: Locales whose conventions differ most: grouping, signs, suffixes, scripts, directions.
FUZZ_LOCALES = (
    *("en_US", "en_IN", "zh_Hans_CN", "zh_Hant_HK", "ja_JP", "de_DE", "de_CH", "fr_FR", "es_ES", "sv_SE"),
    *("pt_PT", "pt_MZ", "ar_EG", "fa", "he_IL", "fy", "ml", "sw", "my", "vec"),
)


@st.composite
def amount_texts(draw: st.DrawFn, max_pieces: int = 12) -> str:
    """Text made of the pieces amounts are written with and of any characters, for fuzzing the parsers."""
    piece = st.one_of(
        st.sampled_from(AMOUNT_PIECES),
        st.integers(min_value=0, max_value=10**30).map(str),
        st.text(decimal_digits, min_size=1, max_size=4),
        number_characters,
        any_characters,
    )
    return "".join(draw(st.lists(piece, max_size=max_pieces)))


#: Any text at all, and text that looks like amounts.
any_texts = st.text(any_characters) | amount_texts()

#: Scale words in any case, some run into a letter or a mark, for texts near the plain form.
_SCALE_PIECES = st.sampled_from(
    ("万", "亿", "万亿", "千", "萬", "億", "萬億", "thousand", "MILLION", "Billion", "trillion", "bn", "Mn", "TN")
) | st.sampled_from(("k", "K", "b", "元", "US$", "USD", "\N{LATIN SMALL LETTER LONG S}", "-", ",", "."))


@st.composite
def plain_number_texts(draw: st.DrawFn) -> str:
    """Numbers in ASCII digits with scale words after them ("149亿", "82999 million"), and texts just off that form."""
    whole = draw(st.integers(min_value=0, max_value=10**40).map(str) | st.just(""))
    point = draw(st.sampled_from(("", ".")))
    fraction = draw(st.integers(min_value=0, max_value=10**12).map(str) | st.just(""))
    pieces = draw(st.lists(st.tuples(st.sampled_from(("", " ", "  ")), _SCALE_PIECES), max_size=4))
    return (
        f"{whole}{point}{fraction}"
        + "".join(space + word for space, word in pieces)
        + draw(st.sampled_from(("", "", " ")))
    )


# --- Hostile input, for fuzzing the constructors of the value model ---------------------------------------------

#: Every character Unicode has: NUL, controls, lone surrogates, private use and unassigned code points included.
any_characters = st.characters(exclude_categories=())
any_text = st.text(any_characters, max_size=16)

#: Digits as other scripts and typography write them: Arabic-Indic, Devanagari, full-width and mathematical digits
#: (which `Decimal` reads), superscripts, circled and Roman numerals, CJK numerals and separators (which it does not).
COMPATIBILITY_DIGITS = (
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९০১২৩০１２３４５６７８９𝟎𝟏𝟐𝟗𝟘𝟙²³¹⁰⁹₀₁①②⑩⓪ⅠⅫ㈠〇一二三万亿"
    "\u066b\u066c"  # the Arabic decimal and thousands separators
)
number_like_text = st.text(st.sampled_from(COMPATIBILITY_DIGITS + "0123456789.,-+eE_ \t\u00a0\u2003\x00"), max_size=12)


class _Kind(enum.IntEnum):
    ONE = 1


class _Code(str):
    __slots__ = ()


class _Amount(Decimal):
    __slots__ = ()


#: Numbers of every kind: huge ints, bools, floats with NaN and infinities, Decimals with signalling NaNs, signed
#: zeros and exponents near the decimal module's limits, fractions, complex numbers, and subclasses of int and Decimal.
any_numbers = st.one_of(
    st.integers(),
    st.integers(min_value=10**300, max_value=10**1200).flatmap(lambda n: st.sampled_from([n, -n])),
    st.booleans(),
    st.floats(),
    st.decimals(),
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, digits, exponent)),
        st.integers(min_value=0, max_value=1),
        st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=40).map(tuple),
        st.integers(min_value=-(10**18) + 100, max_value=10**18 - 100),
    ),
    st.sampled_from([Decimal("sNaN"), Decimal("-NaN"), Decimal("-0"), Decimal("-Infinity"), Decimal("-0E-1001")]),
    st.fractions(),
    st.complex_numbers(),
    st.just(_Kind.ONE),
    st.decimals(allow_nan=False, allow_infinity=False).map(_Amount),
)

#: Anything at all, and then some: the input a fuzzer gives every public constructor.
hostile = st.one_of(
    anything,
    any_text,
    number_like_text,
    any_numbers,
    st.text(max_size=8).map(_Code),
    st.binary(max_size=8).map(bytearray),
    st.sampled_from([float, Decimal, str, print, Ellipsis, NotImplemented, (), {}, set(), frozenset(), range(3)]),
)


def spelt(code: str) -> st.SearchStrategy[str]:
    """A currency code as tables write it: upper case, lower case or capitalised; `Money` reads them as one."""
    return st.sampled_from((code, code.lower(), code.capitalize()))


#: The metrics the table functions read, and a few they do not.
TABLE_METRICS = ("capex", "revenue", "operating_cash_flow", "net_income", "depreciation_and_amortization", "other")

#: Periods of facts tables: years and quarters the rate tables of the tests cover, and seven months.
TABLE_PERIODS = (
    cm.CalendarYear(2022),
    cm.CalendarYear(2023),
    cm.CalendarYear(2024),
    *(cm.CalendarQuarter(2024, quarter) for quarter in (1, 2, 3, 4)),
    cm.Period.parse("2024-02/2024-08"),
)

#: What each column of a facts table holds, as values of each kind a column can be made of.
CELLS: dict[str, st.SearchStrategy[object]] = {
    "company": st.sampled_from(["a", "b", "c"]),
    "metric": st.sampled_from(TABLE_METRICS),
    "currency": st.sampled_from(["USD", "usd", "Usd", "CNY", "cny", "EUR"]),
    "basis": st.sampled_from(["", "restated"]),
    "market": st.sampled_from(["", "US", "CN"]),
    "status": st.sampled_from(["reported", "estimate", "rumour"]),
    "misspelt": st.sampled_from(["A", "z", "", "Capex", "XYZ", "\uff35\uff33\uff24", " USD", "usd "]),
    "text": st.text(max_size=4),
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "bigint": st.integers(min_value=-(10**30), max_value=10**30),
    "float": st.floats(),
    "bool": st.booleans(),
    "date": st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31)),
    "datetime": st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 12, 31)),  # noqa: DTZ001
    "decimal": st.decimals(min_value=-(10**22), max_value=10**22, places=4, allow_nan=False, allow_infinity=False),
    "numeric text": st.sampled_from(
        [
            "1",
            "-2.5",
            " 7 ",
            "1e3",
            "1E-19",
            "0.0000000000000000001",
            "abc",
            "NaN",
            "-Infinity",
            "1_000",
            "١٢٣",
            "",
            "99999999999999999999999",
        ]
    ),
    "null": st.none(),
}

#: The kind of values each column of the layout holds when it is right.
RIGHT_KINDS = {
    "company": "company",
    "metric": "metric",
    "period_start": "date",
    "period_end": "date",
    "currency": "currency",
    "amount": "decimal",
    "basis": "basis",
    "market": "market",
    "status": "status",
}

#: The kinds a column can be made of by mistake.
WRONG_KINDS = (
    "misspelt",
    "text",
    "int",
    "bigint",
    "float",
    "bool",
    "date",
    "datetime",
    "decimal",
    "numeric text",
    "null",
)

#: How a column of a hostile table is spoilt ("null type": all null, of arrow's and polars' null type, the
#: type a column with no value may come with).
DAMAGES = ("left out", "wrong kind", "nulls", "null type")


@st.composite
def hostile_tables(draw: st.DrawFn, max_rows: int = 6) -> dict[str, tuple[str, list[object]]]:
    """A facts table as columns of (kind, values): a few columns spoilt, the others right.

    A spoilt column is left out, made of values of another kind (misspelt codes,
    numbers, floats, strings where numbers belong, any dates...), given nulls, or made
    all null of the null type.
    Right columns hold whole periods, known codes (in any case) and exact amounts, so
    that tables with few problems get past the checks into the computations.
    """
    rows = draw(st.integers(min_value=0, max_value=max_rows))
    periods = draw(st.lists(st.sampled_from(TABLE_PERIODS), min_size=rows, max_size=rows))
    spoilt = draw(st.dictionaries(st.sampled_from(list(RIGHT_KINDS)), st.sampled_from(DAMAGES), max_size=3))
    columns: dict[str, tuple[str, list[object]]] = {}
    for name, right in RIGHT_KINDS.items():
        damage = spoilt.get(name)
        if damage == "left out":
            continue
        kind = "null" if damage == "null type" else right
        if damage == "wrong kind":
            kind = draw(st.sampled_from(WRONG_KINDS))
        if name in {"period_start", "period_end"} and kind == "date" and damage is None:
            values: list[object] = [period.start if name == "period_start" else period.end for period in periods]
        else:
            values = draw(st.lists(CELLS[kind], min_size=rows, max_size=rows))
        if damage == "nulls":
            nulls = draw(st.lists(st.booleans(), min_size=rows, max_size=rows))
            values = [None if null else value for value, null in zip(values, nulls, strict=True)]
        columns[name] = (kind, values)
    return columns


#: Any cell of a pandas object column.
object_cells = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.text(max_size=3),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.decimals(allow_nan=True),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=3),
    st.sampled_from(["USD", "usd", "capex", "a", "2024-01-01", "1.5"]),
)


@st.composite
def format_specs(draw: st.DrawFn) -> str:
    """A numeric format spec that `Decimal` accepts: fill and alignment, sign, width, grouping, precision, type.

    The locale-dependent ``n`` type is left out.
    """
    align = draw(st.sampled_from(["", "<", ">", "^", "="]))
    fill = draw(st.sampled_from(["", "*", "0"])) if align else ""
    sign = draw(st.sampled_from(["", "+", "-", " "]))
    width = draw(st.sampled_from(["", "1", "12", "30"]))
    grouping = draw(st.sampled_from(["", ","]))
    precision = draw(st.sampled_from(["", ".0", ".2", ".5"]))
    kind = draw(st.sampled_from(["", "f", "F", "e", "E", "g", "G", "%"]))
    return f"{fill}{align}{sign}{width}{grouping}{precision}{kind}"


#: Texts that would be markup if they were not escaped.
hostile_markup = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "a & b < c > d \"e\" 'f'",
        "| pipe | *bold* _it_ `code` [link](x) # h",
        "</td></tr></table><script>x</script>",
        "line\nbreak",
    ]
)
