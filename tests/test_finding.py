"""Finding companies by any of their names, region codes in any case, and ranking companies."""

import decimal
import pathlib
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._model.company import number_character
from capexmodel._sources.dataset import _directory

from .strategies import any_characters, companies

Y23, Y24 = cm.CalendarYear(2023), cm.CalendarYear(2024)
ARTICLE = cm.Source("Caijing", "The article")
FILING = cm.Source("Acme", "Annual report")
USD_CNY = cm.ExchangeRate("USD", "CNY", "7.230", Y24)
ACME = cm.Company(
    id="acme",
    name_en="Acme Corp",
    name_zh="阿克米",
    region="CN",
    currency="CNY",
    tickers=("ACM",),
    aliases=("Roadrunner",),
)
BETA = cm.Company(
    id="beta", name_en="Beta", name_zh="贝塔", region="US", currency="USD", aliases=("Shared", "Roadrunner")
)
GAMMA = cm.Company(id="gamma", name_en="Gamma", name_zh="伽马", region="CN", currency="CNY", aliases=("beta",))
DELTA = cm.Company(id="delta", name_en="Delta", name_zh="德尔塔", region="US", currency="USD", aliases=("shared",))


def dataset(*facts, companies=(ACME, BETA, GAMMA, DELTA), preferred=(ARTICLE,)):
    return cm.Dataset(
        companies=companies,
        sources={"caijing": ARTICLE, "acme-ar": FILING},
        facts=facts,
        rates=cm.RateTable([USD_CNY]),
        purchases=(),
        statements=(),
        preferred_sources=preferred,
        groups=(cm.Group("pair", "Pair", "两家", ["acme", "beta"]),),
    )


def fact(company, metric, amount, period=Y24, *, currency=None, sources=(ARTICLE,), **fields):
    money = cm.Money(amount, currency or company.currency, period)
    return cm.Fact(company, metric, money, fields.pop("basis", ""), "reported", sources, **fields)


class TestFindingCompanies:
    @pytest.mark.parametrize(
        ("name", "found"),
        [
            ("acme", ACME),
            ("ACME", ACME),
            ("Acme Corp", ACME),
            ("acme  CORP", ACME),
            ("\uff21\uff43\uff4d\uff45\u3000\uff23\uff4f\uff52\uff50", ACME),  # full-width letters and space
            ("阿克米", ACME),
            ("acm", ACME),  # the ticker, in any case
            ("贝塔", BETA),
            ("GAMMA", GAMMA),
            ("beta", BETA),  # an id written as it is beats another company's alias (in another case: ambiguous)
        ],
    )
    def test_a_company_is_found_by_id_name_ticker_or_alias_in_any_case(self, name, found):
        assert dataset().company(name) is found

    def test_the_embedded_companies_are_found_as_people_write_them(self):
        ds = cm.load_dataset()
        names = ["MSFT", "Microsoft", "microsoft", "google", "GOOGL", "腾讯", "Facebook", "阿里", "9988.hk", "辉达"]
        ids = ["microsoft"] * 3 + ["alphabet"] * 2 + ["tencent", "meta", "alibaba", "alibaba", "nvidia"]
        assert [ds.company(name).id for name in names] == ids
        assert ds.company(ds.company("google")) is ds.company("alphabet")  # a Company finds itself

    def test_a_name_several_companies_go_by_is_ambiguous_and_lists_them(self):
        with pytest.raises(cm.AmbiguousCompanyError) as caught:
            dataset().company("roadrunner")
        assert str(caught.value) == (
            "'roadrunner' names several companies: acme (Acme Corp), beta (Beta); pass the id of the one meant"
        )
        assert (caught.value.name, caught.value.candidates) == ("roadrunner", ("acme", "beta"))
        with pytest.raises(cm.AmbiguousCompanyError, match="'Beta' names several companies: beta .*, gamma"):
            dataset().company("Beta")
        with pytest.raises(cm.AmbiguousCompanyError, match="'SHARED' names several companies: beta .*, delta"):
            dataset().select(company="SHARED")

    def test_an_unknown_name_suggests_the_closest_names(self):
        with pytest.raises(cm.UnknownCompanyError) as caught:
            dataset().company("Acme Crop")
        assert str(caught.value) == (
            "unknown company 'Acme Crop': did you mean 'Acme Corp' (acme)? the dataset knows acme, beta, delta, gamma"
        )
        assert (caught.value.kind, caught.value.name, caught.value.suggestions) == ("company", "Acme Crop", ("acme",))
        with pytest.raises(cm.UnknownCompanyError, match="^unknown company 'gama': did you mean 'gamma'\\? the"):
            dataset().company("gama")
        with pytest.raises(cm.UnknownCompanyError, match="did you mean 'microsoft'\\?") as caught:
            cm.load_dataset().company("Microsoftt")
        assert caught.value.suggestions == ("microsoft",)

    def test_an_unknown_name_without_close_names_lists_the_ids_only(self):
        with pytest.raises(cm.UnknownCompanyError) as caught:
            dataset().company("openai")
        assert str(caught.value) == "unknown company 'openai': the dataset knows acme, beta, delta, gamma"
        assert caught.value.suggestions == ()
        with pytest.raises(cm.UnknownCompanyError, match="^unknown company 7: the dataset knows acme"):
            dataset().company(7)
        with pytest.raises(cm.UnknownCompanyError, match="^unknown company 'acme': the dataset knows none$"):
            dataset(companies=()).company("acme")

    def test_a_long_list_of_ids_is_cut(self):
        many = [
            cm.Company(id=f"c{number:02}", name_en=f"C{number}", name_zh="公司", region="US", currency="USD")
            for number in range(35)
        ]
        with pytest.raises(cm.UnknownCompanyError, match="the dataset knows c00, c01, .*, c29 and 5 more$"):
            dataset(companies=many).company("openai")

    @pytest.mark.parametrize("name", ["\u2179AI", "Acme①", "acme²", "\uff21cme ㈠"])
    def test_a_name_holding_a_character_that_stands_for_a_number_is_refused(self, name):
        with pytest.raises(
            cm.UnknownCompanyError, match="stands for a number: write it in digits or letters"
        ) as caught:
            dataset().company(name)
        assert caught.value.suggestions == ()

    def test_a_stored_name_holding_such_a_character_is_only_found_by_its_other_names(self):
        odd = cm.Company(id="odd", name_en="Odd²", name_zh="奇", region="US", currency="USD")
        ds = dataset(companies=(odd,))
        assert ds.company("ODD") is ds.company("奇") is odd

    def test_every_query_that_takes_a_company_finds_it_by_any_name(self):
        ds = cm.load_dataset()
        assert ds.select(company="MSFT") == ds.select(company="microsoft")
        assert ds.fact("google", "capex", "2024") is ds.fact("alphabet", "capex", "2024")
        assert ds.history("Google", "capex", "2023") == ds.history("alphabet", "capex", "2023")
        assert ds.intensity("腾讯", "2024") == ds.intensity("tencent", "2024")
        assert ds.growth("GOOGLE", "capex", "2024-Q4") == ds.growth("alphabet", "capex", "2024-Q4")
        assert ds.bubble_risk("2024", company="Facebook") == ds.bubble_risk("2024", company="meta")
        assert ds.bubble_risk("2024", company="Facebook").subject == "meta"
        names = ["MSFT", "Amazon"]
        assert (
            ds.total("capex", period="2024", companies=names).facts
            == ds.total("capex", period="2024", companies=["microsoft", "amazon"]).facts
        )
        with pytest.raises(cm.InvalidValueError, match="names microsoft more than once"):
            ds.total("capex", period="2024", companies=["MSFT", "microsoft"])

    def test_not_found_names_the_company_by_its_id(self):
        with pytest.raises(
            cm.FactNotFoundError, match="^no capex fact for nvidia over 2024; nvidia has no capex fact$"
        ) as caught:
            cm.load_dataset().fact("NVDA", "capex", "2024")
        assert caught.value.company == "nvidia"
        with pytest.raises(
            cm.FactNotFoundError, match="^no capex fact for alphabet over 2022; alphabet has capex over 2023, "
        ) as caught:
            cm.load_dataset().growth("Google", "capex", "2023")
        assert caught.value.company == "alphabet"

    def test_the_lookup_is_made_once_per_dataset_whichever_thread_asks_first(self):
        ds = dataset()
        barrier = threading.Barrier(8)
        found = []

        def look() -> None:
            barrier.wait()
            found.append((_directory(ds), ds.company("Acme Corp")))

        threads = [threading.Thread(target=look) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(directory) for directory, _ in found}) == 1
        assert all(company is ACME for _, company in found)

    @given(st.text(any_characters, max_size=12))
    def test_any_text_finds_one_company_or_raises_a_lookup_error(self, text):
        try:
            company = cm.load_dataset().company(text)
        except (cm.UnknownCompanyError, cm.AmbiguousCompanyError):  # both LookupErrors and CapexModelErrors
            return
        assert company in cm.load_dataset().companies

    @given(st.data())
    def test_a_name_in_another_case_or_full_width_finds_the_same_company(self, data):
        ds = cm.load_dataset()
        company = data.draw(st.sampled_from(ds.companies))
        name = data.draw(
            st.sampled_from((company.id, company.name_en, company.name_zh, *company.tickers, *company.aliases))
        )
        changed = "".join(data.draw(st.sampled_from((char, char.upper(), char.lower(), _wide(char)))) for char in name)
        assert ds.company(changed) is company


@given(companies())
def test_a_company_is_found_by_every_name_it_goes_by(company):
    ds = dataset(companies=(company,))
    for name in (company.id, company.name_en, company.name_zh, *company.tickers, *company.aliases):
        if number_character(name) is None:
            assert ds.company(name) is company
            assert ds.company(f" {name}  ") is company
            if name.isascii():
                assert ds.company(name.swapcase()) is company


def _wide(char: str) -> str:
    """The full-width form of an ASCII letter, digit or sign; any other character as it is."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


class TestRegions:
    def test_region_codes_are_accepted_in_any_case_everywhere(self):
        ds = cm.load_dataset()
        assert ds.companies_in("cn") == ds.companies_in("CN")
        assert ds.select(region="cn", metric="capex") == ds.select(region="CN", metric="capex")
        assert ds.total("capex", period="2024", region="cn", currency="usd") == ds.total(
            "capex", period="2024", region="CN", currency="USD"
        )
        assert ds.bubble_risk("2024", region="us") == ds.bubble_risk("2024", region="US")
        assert ds.h100_equivalents(region="cn") == ds.h100_equivalents(region="CN")

    def test_an_unknown_region_is_still_named(self):
        with pytest.raises(cm.InvalidValueError, match="^unknown region 'china': expected a CLDR territory code"):
            cm.load_dataset().select(region="china")
        with pytest.raises(
            cm.UnknownNameError, match="^the dataset has no company in region JP: its regions are CN, US$"
        ):
            cm.load_dataset().total("capex", period="2024", region="jp")


class TestAliasesInFiles:
    def test_the_aliases_column_is_optional_and_separated_by_bars(self, tmp_path: pathlib.Path):
        (tmp_path / "companies.csv").write_text(
            "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers,aliases\n"
            "acme,Acme,阿克米,us,USD,12,ACM,Acme Corporation | Roadrunner Inc\n"
            "zeta,Zeta,泽塔,cn,CNY,12,,\n",
            encoding="utf-8",
        )
        ds = cm.load_dataset(tmp_path)
        assert ds.company("acme").aliases == ("Acme Corporation", "Roadrunner Inc")
        assert ds.company("roadrunner inc").id == "acme"
        assert ds.company("zeta").aliases == ()
        assert ds.company("zeta").region == cm.Region("CN")

    def test_a_bad_alias_is_a_data_file_problem(self, tmp_path: pathlib.Path):
        (tmp_path / "companies.csv").write_text(
            "id,name_en,name_zh,region,currency,fiscal_year_end_month,tickers,aliases\n"
            "acme,Acme,阿克米,US,USD,12,ACM,Roadrunner||Coyote\n",
            encoding="utf-8",
        )
        with pytest.raises(cm.DataFileError, match="companies.csv, line 2: an alias is a non-empty name"):
            cm.load_dataset(tmp_path)

    def test_the_embedded_companies_declare_their_other_names(self):
        ds = cm.load_dataset()
        assert ds.company("alphabet").aliases[0] == "Google"
        assert "Facebook" in ds.company("meta").aliases
        assert ds.company("microsoft").aliases == ()


class TestRanking:
    def test_who_spends_most_by_capex_in_one_currency(self):
        ds = cm.load_dataset()
        ranking = ds.rank("capex", period="2024", currency="USD")
        assert [row.company.id for row in ranking.rows][:5] == ["amazon", "microsoft", "alphabet", "meta", "oracle"]
        assert [row.rank for row in ranking.rows] == list(range(1, 13))
        assert ranking.left_out == ("nvidia", "xai")
        assert (ranking.by, ranking.period, ranking.descending) == ("capex", Y24, True)
        total = ds.total("capex", period="2024", companies=[company.id for company in ds.companies], currency="USD")
        assert {row.company.id: row.facts for row in ranking.rows} == {fact.company.id: (fact,) for fact in total.facts}
        assert all(isinstance(row.value, cm.Money) and row.value.currency == "USD" for row in ranking.rows)
        with decimal.localcontext(prec=100):
            assert (
                sum(row.value.amount for row in ranking.rows if isinstance(row.value, cm.Money)) == total.value.amount
            )
        bytedance = next(row for row in ranking.rows if row.company.id == "bytedance")
        assert bytedance.value == ds.convert(ds.fact("bytedance", "capex", "2024"), "USD").value  # re-derived at 7.230

    def test_by_capex_intensity(self):
        ds = cm.load_dataset()
        ranking = ds.rank("capex_intensity", period=Y24, region="us")
        assert [row.company.id for row in ranking.rows] == ["microsoft", "oracle", "meta", "alphabet", "amazon"]
        assert all(row.value == ds.intensity(row.company, "2024") for row in ranking.rows)
        assert all(isinstance(row.value, Decimal) for row in ranking.rows)
        assert [fact.metric for fact in ranking.rows[0].facts] == ["capex", "revenue"]
        assert ranking.left_out == ("nvidia", "xai")

    def test_ties_share_a_rank_and_are_listed_by_id(self):
        ds = dataset(
            fact(GAMMA, "capex", 5),
            fact(ACME, "capex", 5),
            fact(DELTA, "capex", 7, currency="CNY"),
            fact(BETA, "capex", 1, currency="CNY"),
        )
        ranking = ds.rank("capex", period=Y24)
        assert [(row.rank, row.company.id) for row in ranking.rows] == [
            (1, "delta"),
            (2, "acme"),
            (2, "gamma"),
            (4, "beta"),
        ]
        smallest = ds.rank("capex", period=Y24, descending=False)
        assert [(row.rank, row.company.id) for row in smallest.rows] == [
            (1, "beta"),
            (2, "acme"),
            (2, "gamma"),
            (4, "delta"),
        ]
        assert ranking.left_out == smallest.left_out == ()

    def test_amounts_in_several_currencies_need_a_currency(self):
        ds = dataset(fact(ACME, "capex", 70), fact(BETA, "capex", 20))
        with pytest.raises(cm.CurrencyMismatchError) as caught:
            ds.rank("capex", period=Y24)
        assert (
            str(caught.value)
            == "capex over 2024 is in several currencies (CNY for acme; USD for beta): pass currency= to rank in one"
        )
        assert [row.company.id for row in ds.rank("capex", period=Y24, currency="USD").rows] == ["beta", "acme"]
        at_six = cm.RateTable([cm.ExchangeRate("USD", "CNY", "6", Y24)])
        assert [row.value.amount for row in ds.rank("capex", period=Y24, currency="CNY", rates=at_six).rows] == [
            120,
            70,
        ]

    def test_companies_without_the_figure_or_with_an_undefined_indicator_are_left_out(self):
        ds = dataset(
            fact(ACME, "capex", 5),
            fact(ACME, "revenue", 0),
            fact(BETA, "capex", 1),
            fact(BETA, "revenue", 10),
            fact(GAMMA, "revenue", 3),
        )
        ranking = ds.rank("capex_intensity", period=Y24)
        assert [row.company.id for row in ranking.rows] == ["beta"]
        assert ranking.left_out == ("acme", "gamma", "delta")
        assert ds.rank("capex", period=Y24, group="pair", currency="USD").left_out == ()
        assert ds.rank("capex", period=Y24, companies=["Acme Corp", "贝塔", "gamma"], currency="USD").left_out == (
            "gamma",
        )

    def test_two_facts_that_tie_are_never_guessed_between(self):
        ds = dataset(fact(ACME, "capex", 5, basis="gross"), fact(ACME, "capex", 6, basis="net"))
        with pytest.raises(cm.AmbiguousFactError, match="several capex facts for acme over 2024"):
            ds.rank("capex", period=Y24)

    def test_what_to_rank_and_how_is_checked(self):
        ds = dataset(fact(ACME, "capex", 5))
        with pytest.raises(
            cm.UnknownMetricError,
            match="^cannot rank by 'intensity': it is neither an indicator \\(capex_intensity\\) nor a metric: unknown",
        ):
            ds.rank("intensity", period=Y24)
        with pytest.raises(cm.UnknownMetricError) as caught:
            ds.rank("capx", period=Y24)
        assert (caught.value.name, caught.value.suggestion) == ("capx", "capex")
        with pytest.raises(
            cm.InvalidValueError,
            match="^capex_intensity is a ratio, which no currency enters: rank it without currency= \\(got 'USD'\\)$",
        ):
            ds.rank("capex_intensity", period=Y24, currency="USD")
        with pytest.raises(cm.UnknownCurrencyError, match="'RMB'"):
            ds.rank("capex", period=Y24, currency="RMB")
        with pytest.raises(cm.InvalidValueError, match="^descending must be True or False, got 'yes'$"):
            ds.rank("capex", period=Y24, descending="yes")
        with pytest.raises(cm.InvalidValueError, match="^rates must be a capexmodel.RateTable, got 7.23$"):
            ds.rank("capex", period=Y24, rates=7.23)
        with pytest.raises(
            cm.InvalidValueError, match="^rank\\(\\) ranks a region's, a group's or the named companies: pass one of"
        ):
            ds.rank("capex", period=Y24, region="CN", group="pair")
        with pytest.raises(cm.InvalidValueError, match="^period must be a capexmodel.Period or a label"):
            ds.rank("capex", period=2024)
        assert ds.rank(cm.Metric.CAPEX, period="2024").by == "capex"

    def test_a_ranking_reads_as_a_table_and_says_who_is_left_out(self):
        ds = cm.load_dataset()
        text = str(ds.rank("capex", period="2024", region="CN", currency="USD", descending=False))
        assert text.splitlines()[0] == "capex over 2024, smallest first:"
        assert "  1  baidu          1100000000 USD" in text
        assert "  7  bytedance      11065006915.62932226832641770 USD" in text
        assert "china-mobile   5131396957.123098201936376210 USD [compute (算力口径)]" in text
        assert "left out" not in text
        us = str(ds.rank("capex", period="2024", region="US", currency="USD"))
        assert "  5  oracle     14900000000 USD (covers 2024-03/2025-02)" in us
        assert us.endswith("\nleft out, for want of a figure: nvidia, xai")
        intensity = str(ds.rank("capex_intensity", period="2024", group="us-five"))
        assert intensity.splitlines()[1] == "  1  microsoft  0.2887678474572386765570927648"
        assert (
            str(cm.Ranking("capex", Y24, (), ("acme",)))
            == "capex over 2024, largest first:\nleft out, for want of a figure: acme"
        )

    def test_reprs_stay_short(self):
        ranking = cm.load_dataset().rank("capex", period="2024", currency="USD")
        assert repr(ranking) == (
            "Ranking(by='capex', period=Period.parse('2024'), rows=<12 rows: amazon, microsoft, alphabet, ...>,"
            " left_out=('nvidia', 'xai'), descending=True)"
        )
        assert repr(cm.Ranking("capex", Y24, ranking.rows[:1], ())) == (
            "Ranking(by='capex', period=Period.parse('2024'), rows=<1 rows: amazon>, left_out=(), descending=True)"
        )
        assert repr(ranking.rows[0]) == (
            "RankingRow(company=<Company amazon>, value=Money('77700000000', 'USD', Period.parse('2024')), rank=1)"
        )

    @pytest.mark.parametrize(
        ("changes", "error", "message"),
        [
            ({"company": "amazon"}, cm.InvalidValueError, "company must be a capexmodel.Company, got 'amazon'"),
            (
                {"value": 7.5},
                cm.InvalidAmountError,
                "a ranked value is a capexmodel.Money or a finite Decimal, got 7.5",
            ),
            ({"value": Decimal("NaN")}, cm.InvalidAmountError, "got Decimal\\('NaN'\\)"),
            ({"rank": 0}, cm.InvalidValueError, "a rank is a whole number from 1, got 0"),
            ({"rank": True}, cm.InvalidValueError, "a rank is a whole number from 1, got True"),
            ({"facts": ()}, cm.InvalidValueError, "facts must be a non-empty list or tuple of Fact"),
        ],
    )
    def test_rows_refuse_bad_fields(self, changes, error, message):
        fields = {"company": ACME, "value": Decimal("0.5"), "rank": 1, "facts": (fact(ACME, "capex", 5),)} | changes
        with pytest.raises(error, match=message):
            cm.RankingRow(**fields)

    def test_rankings_refuse_bad_fields(self):
        with pytest.raises(cm.InvalidValueError, match="rows must hold RankingRow values, got 1"):
            cm.Ranking("capex", Y24, (1,), ())  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="descending must be True or False, got 0"):
            cm.Ranking("capex", Y24, (), (), 0)  # type: ignore[arg-type]

    @given(st.lists(st.integers(min_value=-3, max_value=3), min_size=1, max_size=4))
    def test_ranks_count_the_companies_ahead(self, amounts):
        members = (ACME, BETA, GAMMA, DELTA)[: len(amounts)]
        ds = dataset(
            *(
                fact(member, "net_income", amount, currency="USD")
                for member, amount in zip(members, amounts, strict=True)
            )
        )
        for descending in (True, False):
            rows = ds.rank("net_income", period=Y24, descending=descending).rows
            for row in rows:
                ahead = [
                    other
                    for other in rows
                    if (other.value.amount > row.value.amount) == descending and other.value != row.value
                ]
                assert row.rank == 1 + len(ahead)
            assert [row.company.id for row in rows] == sorted(
                (row.company.id for row in rows),
                key=lambda company_id: (rows_value(rows, company_id) * (-1 if descending else 1), company_id),
            )


def rows_value(rows, company_id):
    return next(row.value.amount for row in rows if row.company.id == company_id)
