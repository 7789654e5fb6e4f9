"""SEC company facts: the real files' figures, the rules (tags, periods, quarters, latest filing), every error."""

import datetime as dt
import decimal
import itertools
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._errors import show
from capexmodel._sources import sec as _sec
from capexmodel._sources.sec import month_span

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "sec"
PPE = "PaymentsToAcquirePropertyPlantAndEquipment"
PRODUCTIVE = "PaymentsToAcquireProductiveAssets"
M = 1_000_000


def fixture(name):
    path = FIXTURES / name
    if not path.is_file():
        pytest.fail(f"the SEC fixture {path} is missing: the shared fixtures folder belongs beside the repository")
    return path


@pytest.fixture(scope="module")
def alphabet():
    return cm.read_companyfacts(fixture("CIK0001652044.json"))


@pytest.fixture(scope="module")
def apple():
    return cm.read_companyfacts(fixture("CIK0000320193.json"))


def entry(start, end, val, *, accn="0001234567-24-000001", form="10-K", filed="2024-02-01", **extra):
    return {
        "start": start,
        "end": end,
        "val": val,
        "accn": accn,
        "fy": 2024,
        "fp": "FY",
        "form": form,
        "filed": filed,
        **extra,
    }


def document(tags, *, cik=1234567, name="Example Corp", unit="USD"):
    concepts = {tag: {"label": tag, "description": "", "units": {unit: entries}} for tag, entries in tags.items()}
    return {"cik": cik, "entityName": name, "facts": {"us-gaap": concepts}}


def write(folder, content, name="CIK0001234567.json"):
    path = Path(folder) / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return path


def read(tmp_path, content, **kwargs):
    return cm.read_companyfacts(write(tmp_path, content), **kwargs)


def problems(tmp_path, content, **kwargs):
    with pytest.raises(cm.DataFileError) as caught:
        read(tmp_path, content, **kwargs)
    return caught.value.problems


def values(facts):
    return [fact.value.amount for fact in facts]


#: A small valid file: a year ending in June, its first quarter, half and nine months, and a restated year.
SMALL = document(
    {
        PPE: [
            entry("2023-07-01", "2024-06-30", 1000, filed="2024-08-01"),
            entry("2023-07-01", "2024-06-30", 1100, accn="0001234567-25-000001", filed="2025-08-01"),
            entry("2024-07-01", "2024-09-30", 300, accn="0001234567-24-000002", form="10-Q", filed="2024-11-01"),
            entry("2024-07-01", "2024-12-31", 700, accn="0001234567-25-000002", form="10-Q", filed="2025-02-01"),
            entry("2024-07-01", "2025-03-31", 900, accn="0001234567-25-000003", form="10-Q", filed="2025-05-01"),
        ],
    }
)


# The real files ------------------------------------------------------------------------------


def test_alphabet_2024_capex_and_its_quarters(alphabet):
    y24 = cm.CalendarYear(2024)
    year = alphabet.fact("alphabet", "capex", y24)
    assert year.value == cm.Money(52_535 * M, "USD", y24)
    assert year.status == cm.Status.REPORTED
    assert year.basis == "us-gaap:" + PPE
    quarters = [alphabet.fact("alphabet", "capex", cm.CalendarQuarter(2024, q)) for q in (1, 2, 3, 4)]
    assert values(quarters) == [12_012 * M, 13_186 * M, 13_061 * M, 14_276 * M]
    assert [fact.status for fact in quarters] == ["reported", "derived", "derived", "derived"]
    assert sum(values(quarters)) == year.value.amount
    second, third, fourth = quarters[1:]
    assert [str(fact.value.period) for fact in second.inputs] == ["2024-H1", "2024-Q1"]
    assert values(second.inputs) == [25_198 * M, 12_012 * M]
    assert [str(fact.value.period) for fact in third.inputs] == ["2024-01/2024-09", "2024-H1"]
    assert values(fourth.inputs) == [52_535 * M, 38_259 * M]
    assert fourth.inputs[0] == year
    assert second.note == "the six months 2024-01-01 to 2024-06-30 less the three months 2024-01-01 to 2024-03-31"
    assert fourth.note == "the twelve months 2024-01-01 to 2024-12-31 less the nine months 2024-01-01 to 2024-09-30"
    assert set(fourth.sources) == {source for fact in fourth.inputs for source in fact.sources}


def test_year_to_date_figures_are_only_inputs(alphabet, apple):
    for ds in (alphabet, apple):
        assert {fact.value.period.month_count for fact in ds.facts} == {3, 12}
        assert {fact.value.period.month_count for fact in ds.superseded} <= {3, 12}


def test_apple_fiscal_2024_and_the_first_quarter_of_fiscal_2025(apple):
    (company,) = apple.companies
    assert company.fiscal_calendar == cm.FiscalCalendar(year_end_month=9)
    assert (company.id, company.name_en, company.region.code, company.cik) == ("apple-inc", "Apple Inc.", "US", 320193)
    fy24 = apple.fact(company, "capex", company.fiscal_calendar.year(2024))
    assert fy24.value == cm.Money(9_447 * M, "USD", cm.Period.parse("2023-10/2024-09"))
    assert fy24.note == "reported for 2023-10-01 to 2024-09-28"
    q1 = apple.fact(company, "capex", company.fiscal_calendar.quarter(2025, 1))
    assert q1.value == cm.Money(2_940 * M, "USD", cm.Period.parse("2024-10/2024-12"))
    assert q1.note == "reported for 2024-09-29 to 2024-12-28"


def test_the_latest_filing_is_the_source(alphabet):
    year = alphabet.fact("alphabet", "capex", "2024")
    (source,) = year.sources
    assert alphabet.sources["0001652044-26-000018"] is source
    assert source == cm.Source(
        "ALPHABET INC.", "10-K 0001652044-26-000018", dt.date(2026, 2, 5), "SEC EDGAR XBRL company facts, CIK 1652044"
    )
    assert year in alphabet.select(source="0001652044-26-000018")
    assert alphabet.rates == cm.RateTable(())
    assert (alphabet.purchases, alphabet.statements, alphabet.preferred_sources, alphabet.groups) == ((), (), (), ())


def test_restated_values_are_history(alphabet):
    history = alphabet.history("alphabet", "capex", "2014")
    assert values(history) == [10_959 * M, 11_014 * M]
    assert [source.title for fact in history for source in fact.sources] == [
        "8-K 0001652044-16-000022",  # the latest filing that stated 10,959 (a 10-K stated it first)
        "10-K 0001652044-17-000008",
    ]
    assert history[-1] == alphabet.fact("alphabet", "capex", "2014")
    assert history[0] in alphabet.superseded
    assert history[0] not in alphabet.select(company="alphabet", metric="capex")


def test_a_year_and_its_quarters_come_from_one_tag(apple):
    # Apple tags its fiscal-2015 D&A twice: 9,200 in a note (DepreciationDepletionAndAmortization) and
    # 11,257 in the cash-flow statement (DepreciationAmortizationAndAccretionNet), whose quarters add up to it.
    fy15 = cm.FiscalCalendar(year_end_month=9)
    year = apple.fact("apple-inc", "depreciation_and_amortization", fy15.year(2015))
    assert year.value.amount == 11_257 * M
    assert year.basis == "us-gaap:DepreciationAmortizationAndAccretionNet"
    quarters = [apple.fact("apple-inc", "depreciation_and_amortization", fy15.quarter(2015, q)) for q in (1, 2, 3, 4)]
    assert {fact.basis for fact in quarters} == {year.basis}
    assert sum(values(quarters)) == year.value.amount


def test_tags_of_another_era_are_read_too(apple):
    capex = apple.select(metric="capex")
    bases = {fact.basis for fact in capex}
    assert bases == {"us-gaap:" + PPE, "us-gaap:" + PRODUCTIVE}
    assert apple.fact("apple-inc", "capex", "2007-10/2008-09").basis == "us-gaap:" + PRODUCTIVE


def test_recomputing_a_derived_quarter_is_refused_clearly(alphabet):
    quarter = alphabet.fact("alphabet", "capex", "2024-Q4")
    with pytest.raises(cm.InvalidValueError, match=r"computed from its inputs \(the twelve months .*stands as it is"):
        alphabet.recompute(quarter)


# The rules, on small files ------------------------------------------------------------------------


def test_a_tag_change_reads_both_eras(tmp_path):
    ds = read(
        tmp_path,
        document(
            {
                PPE: [entry("2018-01-01", "2018-12-31", 10), entry("2019-01-01", "2019-12-31", 20)],
                PRODUCTIVE: [entry("2020-01-01", "2020-12-31", 30)],
            }
        ),
    )
    capex = ds.select(metric="capex")
    assert [(str(fact.value.period), fact.value.amount, fact.basis) for fact in capex] == [
        ("2018", 10, "us-gaap:" + PPE),
        ("2019", 20, "us-gaap:" + PPE),
        ("2020", 30, "us-gaap:" + PRODUCTIVE),
    ]


def test_the_first_tag_wins_a_period_both_have(tmp_path):
    ds = read(
        tmp_path,
        document(
            {
                PRODUCTIVE: [entry("2020-01-01", "2020-12-31", 31)],
                PPE: [entry("2020-01-01", "2020-12-31", 30)],
            }
        ),
    )
    assert ds.fact("example-corp", "capex", "2020").basis == "us-gaap:" + PPE


def test_a_tag_with_the_quarters_wins_the_year(tmp_path):
    ds = read(
        tmp_path,
        document(
            {
                PPE: [entry("2020-01-01", "2020-12-31", 30)],
                PRODUCTIVE: [entry("2020-01-01", "2020-12-31", 40), entry("2020-01-01", "2020-09-30", 25)],
            }
        ),
    )
    year, q4 = ds.fact("example-corp", "capex", "2020"), ds.fact("example-corp", "capex", "2020-Q4")
    assert (year.value.amount, q4.value.amount, year.basis) == (40, 15, "us-gaap:" + PRODUCTIVE)


def test_the_latest_filing_wins_and_every_value_is_history(tmp_path):
    ds = read(
        tmp_path,
        document(
            {
                PPE: [
                    entry("2020-01-01", "2020-12-31", 30, accn="0001234567-21-000001", filed="2021-02-01"),
                    entry("2020-01-01", "2020-12-31", 32, accn="0001234567-22-000009", filed="2022-02-01"),
                    entry("2020-01-01", "2020-12-31", 30, accn="0001234567-21-000005", filed="2021-05-01"),  # a repeat
                    entry("2020-01-01", "2020-12-31", 31, accn="0001234567-23-000001", filed="2023-02-01"),
                    entry("2020-01-01", "2020-12-31", 31, accn="0001234567-22-000001", filed="2022-02-01"),  # same day
                ],
            }
        ),
    )
    history = ds.history("example-corp", "capex", "2020")
    assert values(history) == [30, 31, 32, 31]
    assert [fact.sources[0].title for fact in history] == [
        "10-K 0001234567-21-000005",
        "10-K 0001234567-22-000001",
        "10-K 0001234567-22-000009",
        "10-K 0001234567-23-000001",
    ]
    assert ds.fact("example-corp", "capex", "2020") == history[-1]
    assert len(ds.facts) == 1
    assert list(ds.sources) == [
        "0001234567-21-000005",
        "0001234567-22-000001",
        "0001234567-22-000009",
        "0001234567-23-000001",
    ]


def test_history_of_a_period_without_values(tmp_path):
    ds = read(tmp_path, SMALL)
    with pytest.raises(cm.FactNotFoundError):
        ds.history("example-corp", "capex", "2020")


def test_a_small_file(tmp_path):
    ds = read(tmp_path, SMALL)
    assert ds.companies[0].fiscal_calendar == cm.FiscalCalendar(year_end_month=6)
    assert [(str(fact.value.period), fact.value.amount, fact.status) for fact in ds.facts] == [
        ("2023-07/2024-06", 1100, "reported"),
        ("2024-Q3", 300, "reported"),
        ("2024-Q4", 400, "derived"),
        ("2025-Q1", 200, "derived"),
    ]
    assert values(ds.superseded) == [1000]


def test_instants_and_other_spans_are_left_out(tmp_path):
    ds = read(
        tmp_path,
        document(
            {
                PPE: [
                    {
                        "end": "2020-12-31",
                        "val": 5,
                        "accn": "0001234567-21-000001",
                        "form": "10-K",
                        "filed": "2021-02-01",
                    },
                    entry("2020-01-01", "2020-02-29", 7),  # two months
                    entry("2020-01-01", "2020-12-31", 30),
                ]
            }
        ),
    )
    assert [str(fact.value.period) for fact in ds.facts] == ["2020"]


def test_values_are_read_exactly(tmp_path):
    text = json.dumps(document({PPE: [entry("2020-01-01", "2020-12-31", 0)]})).replace('"val": 0', '"val": 0.1')
    ds = read(tmp_path, text.encode())
    assert ds.facts[0].value.amount == Decimal("0.1")
    big = json.dumps(document({PPE: [entry("2020-01-01", "2020-12-31", 10**40 + 1)]}))
    assert read(tmp_path, big.encode()).facts[0].value.amount == 10**40 + 1


def test_reading_in_another_currency(tmp_path):
    ds = read(tmp_path, document({PPE: [entry("2020-01-01", "2020-12-31", 30)]}, unit="CNY"), currency="CNY")
    assert ds.facts[0].value.currency == "CNY"
    assert ds.companies[0].currency == "CNY"


def test_the_callers_decimal_context_is_untouched(tmp_path):
    path = write(tmp_path, SMALL)
    expected = cm.read_companyfacts(path).facts
    hostile = decimal.Context(prec=3, Emax=5, Emin=-5, rounding=decimal.ROUND_DOWN, traps=list(decimal.Context().flags))
    with decimal.localcontext(hostile) as caller:
        assert cm.read_companyfacts(path).facts == expected
        assert not any(caller.flags.values())
        assert (caller.prec, caller.Emax, caller.rounding) == (3, 5, decimal.ROUND_DOWN)


# The company ------------------------------------------------------------------------------------


def test_an_embedded_company_is_found_by_its_cik_or_named(alphabet):
    embedded = cm.load_dataset().company("alphabet")
    assert alphabet.companies == (embedded,)
    named = cm.read_companyfacts(fixture("CIK0001652044.json"), company="alphabet")
    assert named.companies == (embedded,)


def test_an_embedded_company_without_a_cik_lends_its_details(tmp_path):
    ds = read(tmp_path, document({PPE: [entry("2020-01-01", "2020-12-31", 30)]}), company="xai")
    (company,) = ds.companies
    assert (company.id, company.name_en, company.cik) == ("xai", "xAI", 1234567)


def test_a_new_id_takes_the_entity_name(tmp_path):
    ds = read(
        tmp_path,
        document({PPE: [entry("2020-01-01", "2020-12-31", 30)]}, unit="CNY"),
        company="example",
        currency="CNY",
    )
    assert ds.companies[0] == cm.Company(
        id="example", name_en="Example Corp", name_zh="Example Corp", region="US", currency="CNY", cik=1234567
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ALPHABET INC.", "alphabet-inc"),
        ("Nestlé  S.A.", "nestle-s-a"),
        ("腾讯控股", "cik-1234567"),
    ],
)
def test_an_id_from_the_entity_name(tmp_path, name, expected):
    ds = read(tmp_path, document({PPE: [entry("2020-01-01", "2020-12-31", 30)]}, name=name))
    assert ds.companies[0].id == expected


def test_a_company_is_used_as_given(tmp_path):
    company = cm.Company(
        id="mine",
        name_en="Mine",
        name_zh="我的",
        region="GB",
        currency="GBP",
        fiscal_calendar=cm.FiscalCalendar(year_end_month=6),
    )
    ds = read(tmp_path, SMALL, company=company)
    assert ds.companies[0] is company
    assert all(fact.company is company for fact in ds.facts)


def test_a_company_gives_the_calendar_when_no_year_is_reported(tmp_path):
    quarter = document({PPE: [entry("2024-07-01", "2024-09-30", 300)]})
    company = cm.Company(id="mine", name_en="Mine", name_zh="我的", region="US", currency="USD")
    assert read(tmp_path, quarter, company=company).facts[0].value.period == cm.CalendarQuarter(2024, 3)
    assert problems(tmp_path, quarter) == (
        (
            f"{tmp_path / 'CIK0001234567.json'}: no annual figure to tell the fiscal calendar by:"
            " pass company= a Company with its calendar"
        ),
    )


def test_a_company_whose_calendar_disagrees_is_refused(tmp_path):
    (problem,) = problems(tmp_path, SMALL, company="xai")
    assert problem.endswith("the latest annual figure ends in month 6, but xai has fiscal years ending in month 12")


def test_a_company_of_another_cik_is_refused(tmp_path):
    (problem,) = problems(tmp_path, SMALL, company="alphabet")
    assert problem.endswith("cik: the file is about CIK 1234567, but alphabet has CIK 1652044")


@pytest.mark.parametrize("company", [42, "Alphabet", "", cm.CalendarYear(2024)])
def test_a_company_argument_of_the_wrong_kind(tmp_path, company):
    with pytest.raises(cm.InvalidValueError, match="company must be a Company, a company id"):
        read(tmp_path, SMALL, company=company)


def test_arguments_of_the_wrong_kind(tmp_path):
    with pytest.raises(cm.InvalidValueError, match="takes the path of a company-facts JSON file, got 42"):
        cm.read_companyfacts(42)  # type: ignore[arg-type]

    class BytesPath:
        def __fspath__(self):
            return b"CIK1.json"

    with pytest.raises(cm.InvalidValueError, match="takes the path of a company-facts JSON file, got <"):
        cm.read_companyfacts(BytesPath())
    with pytest.raises(cm.UnknownCurrencyError):
        read(tmp_path, SMALL, currency="RMB")


# Errors -----------------------------------------------------------------------------------------


def test_a_missing_file_a_folder_and_a_large_file(tmp_path, monkeypatch):
    with pytest.raises(cm.DataFileError, match="missing.json: no such file"):
        cm.read_companyfacts(tmp_path / "missing.json")
    with pytest.raises(cm.DataFileError, match="not a regular file"):
        cm.read_companyfacts(tmp_path)
    path = write(tmp_path, SMALL)
    monkeypatch.setattr(_sec, "MAX_FILE_BYTES", 100)
    with pytest.raises(cm.DataFileError, match="the file is over 100 bytes"):
        cm.read_companyfacts(path)


def test_an_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, SMALL)

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(cm.DataFileError, match="cannot read the file: Permission denied"):
        cm.read_companyfacts(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff{}", "not UTF-8 text: invalid start byte at byte 0"),
        (json.dumps(SMALL).encode()[:200], "not valid JSON (truncated?): "),
        (b'{"cik": 1, "cik": 2}', "the key 'cik' appears twice in one object"),
        (b'{"cik": NaN}', "not valid JSON: NaN is not a number JSON allows"),
        (b'{"cik": ' + b"9" * 5000 + b"}", "not valid JSON: Exceeds the limit"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON: nested too deeply"),
        (b'{"cik": 1e99999999999999999999}', "not valid JSON: the number 1e99999999999999999999 is out of range"),
        (b'{"cik": 1.5E-99999999999999999999}', "not valid JSON: the number 1.5E-99999999999999999999 is out of range"),
        (b"[]", "not company facts: expected an object with cik, entityName and facts, got an array"),
        (b'{"cik": 1}', "not company facts: no entityName, facts"),
    ],
)
def test_not_json_nor_company_facts(tmp_path, content, message):
    (problem,) = problems(tmp_path, content)
    assert problem.startswith(str(tmp_path / "CIK0001234567.json"))
    assert message in problem


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cik": "1234567"}, "cik: expected a whole number from 1 to 9999999999, got the string '1234567'"),
        ({"cik": True}, "cik: expected a whole number from 1 to 9999999999, got true"),
        ({"cik": 0}, "cik: expected a whole number from 1 to 9999999999, got the number 0"),
        ({"entityName": " "}, "entityName: expected the company's name, got the string ' '"),
        ({"entityName": "A\nB"}, "entityName: expected the company's name, got the string 'A\\nB'"),
        ({"facts": []}, "facts: expected an object of taxonomies, got an array"),
        ({"facts": {"us-gaap": None}}, "facts.us-gaap: expected an object of concepts, got null"),
        ({"facts": {"us-gaap": {PPE: 1}}}, f"facts.us-gaap.{PPE}: expected an object of units"),
        ({"facts": {"us-gaap": {PPE: {"units": []}}}}, f"facts.us-gaap.{PPE}.units: expected an object of units"),
        (
            {"facts": {"us-gaap": {PPE: {"units": {"USD": {}}}}}},
            f"facts.us-gaap.{PPE}.units.USD: expected an array, got an object",
        ),
        (
            {"facts": {}},
            (
                "facts: no values in USD for any of the tags read: PaymentsToAcquirePropertyPlantAndEquipment,"
                " PaymentsToAcquireProductiveAssets, RevenueFromContractWithCustomerExcludingAssessedTax, Revenues,"
                " SalesRevenueNet, RevenueFromContractWithCustomerIncludingAssessedTax,"
                " NetCashProvidedByUsedInOperatingActivities,"
                " NetCashProvidedByUsedInOperatingActivitiesContinuingOperations, NetIncomeLoss, ProfitLoss,"
                " DepreciationDepletionAndAmortization, DepreciationAndAmortization,"
                " DepreciationAmortizationAndAccretionNet"
            ),
        ),
        ({"facts": {"dei": {}}, "cik": 7}, "facts: no values in USD for any of the tags read: Payments"),
    ],
)
def test_a_document_that_is_not_company_facts(tmp_path, change, message):
    (problem,) = problems(tmp_path, SMALL | change)
    assert problem.startswith(f"{tmp_path / 'CIK0001234567.json'}: {message}")


WHERE = f"facts.us-gaap.{PPE}.units.USD[0]"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "2024-02-30"}, ".end: expected a date such as '2024-12-31', got the string '2024-02-30'"),
        ({"end": "2024-6-30"}, ".end: expected a date such as '2024-12-31', got the string '2024-6-30'"),
        ({"end": "٢٠٢٤-06-30"}, ".end: expected a date such as '2024-12-31', got the string '٢٠٢٤-06-30'"),
        ({"start": None}, ".start: expected a date such as '2024-12-31', got null"),
        ({"filed": 20240801}, ".filed: expected a date such as '2024-12-31', got the number 20240801"),
        ({"val": "1000"}, ".val: expected a number, got the string '1000'"),
        ({"val": True}, ".val: expected a number, got true"),
        ({"val": [1]}, ".val: expected a number, got an array"),
        ({"accn": "0001234567-24-1"}, ".accn: expected an accession number such as '0001652044-25-000014', got the"),
        ({"form": ""}, ".form: expected a non-empty text, got the string ''"),
        ({"end": "2023-06-30"}, ": ends (2023-06-30) before it starts (2023-07-01)"),
        ({"start": "0001-01-01"}, ".start: 0001-01-01 is before the first month a period can start in"),
        ({"val": -1000}, ": capex is never negative, got -1000 USD over 2023-07/2024-06 for example-corp (enter an"),
        ({"val": 10**1001}, f": amount {show(Decimal(10**1001))} is out of range: amounts lie below 1e1000"),
    ],
)
def test_a_malformed_entry_is_named(tmp_path, change, message):
    broken = json.loads(json.dumps(SMALL))
    broken["facts"]["us-gaap"][PPE]["units"]["USD"][0] |= change
    found = problems(tmp_path, broken)
    assert any(problem.startswith(f"{tmp_path / 'CIK0001234567.json'}: {WHERE}{message}") for problem in found), found


def test_every_problem_is_listed(tmp_path):
    broken = json.loads(json.dumps(SMALL))
    for item in broken["facts"]["us-gaap"][PPE]["units"]["USD"]:
        item["val"] = "x"
    del broken["facts"]["us-gaap"][PPE]["units"]["USD"][0]["form"]
    broken["facts"]["us-gaap"][PPE]["units"]["USD"].append(7)
    found = problems(tmp_path, broken)
    assert [problem.split(": ", 2)[1] for problem in found] == [
        f"{WHERE}",
        *(f"facts.us-gaap.{PPE}.units.USD[{i}].val" for i in range(1, 5)),
        f"facts.us-gaap.{PPE}.units.USD[5]",
    ]
    assert found[0].endswith("missing 'form'")


def test_a_long_list_of_problems_is_cut(tmp_path):
    many = document({PPE: [entry("2020-01-01", "2020-12-31", "x")] * 150})
    found = problems(tmp_path, many)
    assert len(found) == 101
    assert found[-1] == "... and 50 more problems"


@pytest.mark.parametrize(("unit", "hint"), [("CNY", "; read it with currency='CNY'"), ("shares", "")])
def test_values_only_in_another_unit(tmp_path, unit, hint):
    (problem,) = problems(tmp_path, document({PPE: [entry("2020-01-01", "2020-12-31", 30)]}, unit=unit))
    expected = f"facts.us-gaap.{PPE}.units: no values in USD, only in {unit!r}{hint}"
    assert problem == f"{tmp_path / 'CIK0001234567.json'}: {expected}"


def test_a_tag_without_values_is_skipped(tmp_path):
    empty = json.loads(json.dumps(SMALL))
    empty["facts"]["us-gaap"][PRODUCTIVE] = {"units": {}}
    empty["facts"]["us-gaap"]["Revenues"] = {"units": {"USD": []}}
    assert read(tmp_path, empty).facts == read(tmp_path, SMALL).facts


def test_two_values_in_one_filing(tmp_path):
    (problem,) = problems(
        tmp_path,
        document(
            {
                PPE: [
                    entry("2020-01-01", "2020-12-31", 30),
                    entry("2020-01-01", "2020-12-31", 31),
                ]
            }
        ),
    )
    assert problem.endswith(
        f"{PPE}.units.USD[1]: 31 where facts.us-gaap.{PPE}.units.USD[0] has 30 for the same months in the same"
        " filing (0001234567-24-000001)"
    )


def test_one_filing_described_two_ways(tmp_path):
    (problem,) = problems(
        tmp_path,
        document(
            {
                PPE: [
                    entry("2020-01-01", "2020-12-31", 30),
                    entry("2019-01-01", "2019-12-31", 20, form="10-K/A"),
                ]
            }
        ),
    )
    assert problem.endswith(
        "the filing 0001234567-24-000001 is a 10-K/A filed 2024-02-01 here,"
        f" but a 10-K filed 2024-02-01 at facts.us-gaap.{PPE}.units.USD[0]"
    )


def test_a_derived_quarter_that_cannot_be(tmp_path):
    (problem,) = problems(
        tmp_path,
        document(
            {
                PPE: [
                    entry("2020-01-01", "2020-12-31", 30),
                    entry("2020-01-01", "2020-09-30", 40, accn="0001234567-20-000009", filed="2020-11-01"),
                ]
            }
        ),
    )
    assert f"{PPE}.units.USD[0]: the twelve months 2020-01-01 to 2020-12-31 less the nine months" in problem
    assert "gives a quarter that cannot be: capex is never negative, got -10 USD" in problem


def assert_dataset_or_data_file_error(path):
    """Reading `path` gives a Dataset or a DataFileError listing its problems; nothing else."""
    error = None
    try:
        ds = cm.read_companyfacts(path)
    except cm.DataFileError as caught:
        error = caught
    if error is None:
        assert isinstance(ds, cm.Dataset)
    else:
        assert error.problems


@given(data=st.data())
def test_a_damaged_file_gives_a_dataset_or_a_data_file_error(data):
    content = bytearray(json.dumps(SMALL).encode())
    if data.draw(st.booleans(), label="truncate"):
        content = content[: data.draw(st.integers(0, len(content) - 1), label="length")]
    else:
        for _ in range(data.draw(st.integers(1, 4), label="flips")):
            content[data.draw(st.integers(0, len(content) - 1), label="at")] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        assert_dataset_or_data_file_error(write(folder, bytes(content)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


@given(data=st.data(), value=json_values)
def test_any_value_anywhere_gives_a_dataset_or_a_data_file_error(data, value):
    damaged = json.loads(json.dumps(SMALL))
    node = damaged
    while isinstance(node, dict | list) and node and data.draw(st.booleans(), label="deeper"):
        key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))), label="key")
        parent, node = node, node[key]
    if node is damaged:
        damaged = value
    else:
        parent[key] = value
    with tempfile.TemporaryDirectory() as folder:
        assert_dataset_or_data_file_error(write(folder, json.dumps(damaged).encode()))


# Snapping days to months -------------------------------------------------------------------------


def last_day(month_index):
    year, month = divmod(month_index + 1, 12)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


@given(start=st.dates(dt.date(1900, 1, 1), dt.date(2200, 1, 1)), lengths=st.lists(st.integers(1, 800), max_size=12))
def test_consecutive_spans_of_days_give_consecutive_months(start, lengths):
    spans = []
    for length in lengths:
        end = start + dt.timedelta(days=length - 1)
        spans.append(month_span(start, end))
        start = end + dt.timedelta(days=1)
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert first == last + 1  # no gap, no overlap
    for length, (first, last) in zip(lengths, spans, strict=True):
        counted = (last_day(last) - last_day(first - 1)).days  # the days of the months it is counted as
        assert abs(counted - length) <= 31  # each end moves by at most half a month


def ends_of_years(first_year, month, weekday, rule, count):
    """Year ends of a 52/53-week calendar: the last `weekday` of `month`, or the `weekday` nearest its end."""
    ends = []
    for year in range(first_year, first_year + count):
        last_day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        back = (last_day.weekday() - weekday) % 7
        end = last_day - dt.timedelta(days=back)
        if rule == "nearest" and back > 3:
            end += dt.timedelta(days=7)
        ends.append(end)
    return ends


@given(
    first_year=st.integers(1901, 2200),
    month=st.integers(1, 12),
    weekday=st.integers(0, 6),
    rule=st.sampled_from(["last", "nearest"]),
    count=st.integers(2, 8),
)
def test_52_53_week_years_and_their_13_week_quarters_give_whole_months(first_year, month, weekday, rule, count):
    ends = ends_of_years(first_year, month, weekday, rule, count)
    spans = []
    for before, end in itertools.pairwise(ends):
        assert (end - before).days in {364, 371}
        first, last = month_span(before + dt.timedelta(days=1), end)
        assert (last - first + 1, last % 12 + 1) == (12, month)
        quarter_ends = [before + dt.timedelta(weeks=13 * q) for q in (1, 2, 3)] + [end]
        starts = [before, *quarter_ends[:3]]
        quarters = [
            month_span(start + dt.timedelta(days=1), stop) for start, stop in zip(starts, quarter_ends, strict=True)
        ]
        assert quarters == [(first + 3 * q, first + 3 * q + 2) for q in range(4)]
        spans.append((first, last))
    for (_, last), (first, _) in itertools.pairwise(spans):
        assert first == last + 1


@pytest.mark.parametrize(
    ("day", "month_end"),
    [
        (dt.date(2024, 6, 15), (2024, 6)),  # 15 days either way in June: its own month's end
        (dt.date(2024, 6, 14), (2024, 5)),
        (dt.date(2024, 2, 14), (2024, 1)),  # 2024's February has 29 days
        (dt.date(2024, 2, 15), (2024, 2)),
        (dt.date(2023, 2, 14), (2023, 2)),
        (dt.date(2024, 7, 16), (2024, 7)),
        (dt.date(2024, 7, 15), (2024, 6)),
        (dt.date(2024, 9, 28), (2024, 9)),
        (dt.date(2024, 10, 3), (2024, 9)),
    ],
)
def test_a_day_snaps_to_the_nearest_month_end(day, month_end):
    year, month = month_end
    assert month_span(day + dt.timedelta(days=1), day)[1] == year * 12 + month - 1
    assert month_span(day + dt.timedelta(days=1), day)[0] == year * 12 + month


def test_a_quarter_is_not_derived_from_a_restated_year_and_the_nine_months_before_it(tmp_path):
    # The year was restated by a 10-K/A after the nine months were last filed: their difference is no quarter.
    restated = [
        entry("2020-01-01", "2020-09-30", 70, accn="0001234567-20-000009", form="10-Q", filed="2020-11-01"),
        entry("2020-01-01", "2020-12-31", 100, accn="0001234567-21-000001", filed="2021-02-01"),
        entry("2020-01-01", "2020-12-31", 130, accn="0001234567-21-000007", form="10-K/A", filed="2021-06-01"),
    ]
    ds = read(tmp_path, document({PPE: restated}))
    assert [str(fact.value.period) for fact in ds.facts] == ["2020"]
    with pytest.raises(cm.FactNotFoundError):
        ds.fact("example-corp", "capex", "2020-Q4")
    # The nine months restated too (in the window between the two years): one vintage, the quarter is derived.
    nine = entry("2020-01-01", "2020-09-30", 95, accn="0001234567-21-000005", form="10-Q", filed="2021-05-01")
    ds = read(tmp_path, document({PPE: [*restated, nine]}))
    assert ds.fact("example-corp", "capex", "2020-Q4").value.amount == 35
    # The nine months restated after the year was last filed: the year is of the old vintage.
    later = entry("2020-01-01", "2020-09-30", 95, accn="0001234567-21-000005", form="10-Q", filed="2021-07-01")
    ds = read(tmp_path, document({PPE: [*restated[:2], later]}))
    assert [str(fact.value.period) for fact in ds.facts] == ["2020"]


def test_apples_restated_fiscal_2008_gives_no_fourth_quarter(apple, alphabet):
    # The 10-K/A of January 2010 restated fiscal 2008 (revenue 32,479 -> 37,491); the nine months to June 2008
    # were never filed again, so their difference (12,907) would carry the whole restatement into one quarter.
    fy = cm.FiscalCalendar(year_end_month=9)
    assert apple.fact("apple-inc", "revenue", fy.year(2008)).value.amount == 37_491 * M
    for metric in ("revenue", "net_income", "depreciation_and_amortization"):
        with pytest.raises(cm.FactNotFoundError):
            apple.fact("apple-inc", metric, fy.quarter(2008, 4))
    # Restated with the year (the nine months filed again after the year's old value): derived as before.
    assert apple.fact("apple-inc", "depreciation_and_amortization", fy.quarter(2009, 4)).value.amount == 203 * M
    assert apple.fact("apple-inc", "operating_cash_flow", fy.quarter(2017, 4)).value.amount == 15_749 * M
    assert alphabet.fact("alphabet", "capex", "2015-Q4").value.amount == 2_102 * M


def test_a_negative_year_to_date_figure_is_named(tmp_path):
    (problem,) = problems(
        tmp_path,
        document(
            {
                PPE: [
                    entry("2020-01-01", "2020-12-31", 30),
                    entry("2020-01-01", "2020-09-30", -40, accn="0001234567-20-000009", filed="2020-11-01"),
                ]
            }
        ),
    )
    assert f"{PPE}.units.USD[1]: capex is never negative, got -40 USD over 2020-01/2020-09" in problem


class TestLoadDataset:
    """Company-facts files beside CSV files: `load_dataset` and ``--data``."""

    @pytest.fixture
    def folder(self, tmp_path):
        for name in ("CIK0001652044.json", "CIK0000320193.json"):
            (tmp_path / name).write_bytes(fixture(name).read_bytes())
        return tmp_path

    def test_a_folder_of_company_facts_is_merged_into_the_embedded_data(self, folder, alphabet, apple):
        ds = cm.load_dataset(folder)
        embedded = cm.load_dataset()
        assert len(ds.facts) == len(embedded.facts) + len(alphabet.facts) + len(apple.facts)
        assert ds.company("alphabet") == embedded.company("alphabet")  # found by its CIK
        assert ds.company("apple-inc").fiscal_calendar == cm.FiscalCalendar(year_end_month=9)
        y24 = cm.CalendarYear(2024)
        assert ds.fact("alphabet", "capex", y24).value.amount == 52_500 * M  # the article's figure still wins
        assert ds.fact("alphabet", "capex", y24, basis=f"us-gaap:{PPE}").value.amount == 52_535 * M
        assert ds.superseded == apple.superseded + alphabet.superseded  # in file name order

    def test_the_filings_come_after_the_datas_own_preferred_sources(self, folder):
        ds = cm.load_dataset(folder)
        embedded = cm.load_dataset()
        assert ds.preferred_sources[: len(embedded.preferred_sources)] == embedded.preferred_sources
        quarter = ds.fact("alphabet", "capex", cm.CalendarQuarter(2024, 4))  # the embedded 10-K and the filing agree
        assert quarter.basis == f"us-gaap:{PPE}"
        assert quarter.value.amount == 14_276 * M

    def test_one_file_and_replace(self, folder, apple):
        ds = cm.load_dataset(folder / "CIK0000320193.json", replace=True)
        assert ds.facts == apple.facts
        assert [company.id for company in ds.companies] == ["apple-inc"]

    def test_a_company_defined_in_the_same_folder_is_found_by_its_cik(self, folder):
        (folder / "CIK0001652044.json").unlink()
        (folder / "companies.csv").write_text(
            "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers,cik\n"
            "apple,Apple,苹果,US,USD,9,AAPL,320193\n",
            encoding="utf-8",
        )
        ds = cm.load_dataset(folder)
        assert ds.fact("apple", "capex", "2023-10/2024-09").value.amount == 9_447 * M
        assert ds.company("apple").name_zh == "苹果"

    def test_every_problem_of_every_file_is_reported_at_once(self, folder):
        write(folder, b"{not json", "broken.json")
        (folder / "copy.json").write_bytes((folder / "CIK0000320193.json").read_bytes())
        (folder / "upper.JSON").write_text("{}")
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(folder)
        shown = "\n".join(caught.value.problems)
        assert "upper.JSON: not a data file name" in shown
        (folder / "upper.JSON").unlink()
        with pytest.raises(cm.DataFileError) as caught:
            cm.load_dataset(folder)
        shown = "\n".join(caught.value.problems)
        assert "broken.json" in shown
        assert "the company facts of CIK 320193 again" in shown

    def test_a_file_about_a_company_the_data_defines_otherwise_is_refused(self, tmp_path):
        write(tmp_path, document({PPE: [entry("2023-01-01", "2023-12-31", 5)]}, name="Meta"))
        (tmp_path / "companies.csv").write_text(
            "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers\nexample-corp,Ex,例,US,USD,12,\n",
            encoding="utf-8",
        )
        write(
            tmp_path,
            document({PPE: [entry("2023-01-01", "2023-12-31", 5)]}, name="Example Corp", cik=7),
            "CIK0000000007.json",
        )
        with pytest.raises(cm.DataFileError, match="'example-corp', which the data defines otherwise"):
            cm.load_dataset(tmp_path)

    def test_a_pipe_named_like_company_facts_is_refused(self, tmp_path):
        import os  # noqa: PLC0415

        os.mkfifo(tmp_path / "CIK0000000001.json")
        with pytest.raises(cm.DataFileError, match="not a regular file; expected SEC company facts"):
            cm.load_dataset(tmp_path)

    def test_the_report_reads_company_facts_with_data(self, folder, capsys):
        from capexmodel._present.cli import main  # noqa: PLC0415

        assert main(["report", "--data", str(folder), "--locale", "zh_CN"]) == 0
        out = capsys.readouterr().out
        assert "2580亿美元" in out
        assert "446亿美元" in out
        assert "several capex facts" not in out

    @pytest.mark.parametrize("backend", ["pyarrow", "polars", "pandas"])
    def test_the_tables_take_the_dataset_and_give_it_back(self, alphabet, backend):
        from capexmodel import frames  # noqa: PLC0415

        table = frames.to_frame(alphabet, backend)
        assert frames.from_frame(table, alphabet).facts == alphabet.facts
        rows = frames.to_frame(alphabet, "pyarrow").to_pylist()
        assert sum(1 for row in rows if not row["input_only"]) == len(alphabet.facts)
        six_months = [row for row in rows if row["input_only"]]
        assert six_months
        assert all(cm.Period(row["period_start"], row["period_end"]).month_count in {6, 9, 12} for row in six_months)
