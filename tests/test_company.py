import re
from typing import Any

import pytest

import capexmodel as cm


def alibaba(**changes: Any) -> cm.Company:
    fields: dict[str, Any] = {
        "id": "alibaba",
        "name_en": "Alibaba",
        "name_zh": "阿里巴巴",
        "region": "CN",
        "fiscal_calendar": cm.FiscalCalendar(year_end_month=3),
        "currency": "CNY",
        "tickers": ("BABA", "9988.HK"),
    } | changes
    return cm.Company(**fields)


def test_company_fields_are_converted_and_kept():
    company = alibaba()
    assert company.region == cm.Region("CN")
    assert company.currency is cm.Currency("CNY")
    assert company.tickers == ("BABA", "9988.HK")
    assert company.fiscal_calendar.year(2025) == cm.Period.parse("2024-04/2025-03")
    assert str(company) == "Alibaba"


def test_defaults_calendar_year_and_no_tickers():
    bytedance = cm.Company(id="bytedance", name_en="ByteDance", name_zh="字节跳动", region="CN", currency="CNY")
    assert bytedance.fiscal_calendar == cm.FiscalCalendar(year_end_month=12)
    assert bytedance.tickers == ()


def test_companies_are_immutable_values():
    assert alibaba() == alibaba()
    assert hash(alibaba()) == hash(alibaba())
    assert alibaba() != alibaba(tickers=["BABA"])
    with pytest.raises(AttributeError):
        alibaba().id = "tencent"  # type: ignore[misc]


def test_tickers_from_a_list_become_a_tuple():
    assert alibaba(tickers=["BABA"]).tickers == ("BABA",)


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"id": "Alibaba"}, cm.InvalidValueError, "company id .* got 'Alibaba'"),
        ({"id": "china mobile"}, cm.InvalidValueError, "got 'china mobile'"),
        ({"id": ""}, cm.InvalidValueError, "got ''"),
        ({"id": 7}, cm.InvalidValueError, "got 7"),
        ({"name_en": ""}, cm.InvalidValueError, "name_en must be a non-empty string .* got ''"),
        ({"name_zh": " 阿里 "}, cm.InvalidValueError, "name_zh must be .* got ' 阿里 '"),
        ({"name_zh": None}, cm.InvalidValueError, "name_zh must be .* got None"),
        ({"region": "China"}, cm.InvalidValueError, "unknown region 'China'"),
        ({"region": None}, cm.InvalidValueError, "unknown region None"),
        ({"currency": "RMB"}, cm.UnknownCurrencyError, "'RMB'"),
        ({"fiscal_calendar": 3}, cm.InvalidValueError, "fiscal_calendar must be a FiscalCalendar, got 3"),
        ({"tickers": "BABA"}, cm.InvalidValueError, "tickers must be a list or tuple of str, got 'BABA'"),
        ({"tickers": {"BABA", "9988.HK"}}, cm.InvalidValueError, "tickers must be a list or tuple"),
        ({"tickers": ["BABA", ""]}, cm.InvalidValueError, "a ticker is a non-empty string without spaces, got ''"),
        ({"tickers": ["BA BA"]}, cm.InvalidValueError, "got 'BA BA'"),
        ({"tickers": [9988]}, cm.InvalidValueError, "got 9988"),
        ({"tickers": ["BABA", "BABA"]}, cm.InvalidValueError, "tickers must not repeat"),
        ({"region": "\uff23\uff2e"}, cm.InvalidValueError, "unknown region '\uff23\uff2e'"),
        ({"aliases": "Ali"}, cm.InvalidValueError, "aliases must be a list or tuple of str, got 'Ali'"),
        ({"aliases": [7]}, cm.InvalidValueError, "aliases must hold str values, got 7"),
        ({"aliases": [""]}, cm.InvalidValueError, "an alias is a non-empty name .* got '' in"),
        ({"aliases": [" Ali"]}, cm.InvalidValueError, "an alias is .* got ' Ali' in"),
        ({"aliases": ["Ali|Baba"]}, cm.InvalidValueError, r"an alias is .*'\|'.* got 'Ali\|Baba' in"),
        ({"aliases": ["Ali②"]}, cm.InvalidValueError, "an alias is .* got 'Ali②' in"),
        (
            {"aliases": ["Ali Group", "ALI  group"]},
            cm.InvalidValueError,
            "must not repeat, got 'Ali Group' and 'ALI  group'",
        ),
    ],
)
def test_bad_fields_are_refused_naming_the_value(changes, error, message):
    with pytest.raises(error, match=message):
        alibaba(**changes)


def test_region_names_come_from_cldr():
    assert cm.Region("US").name() == "United States"
    assert cm.Region("CN").name("zh_CN") == "中国"
    assert cm.Region("HK").name("en") == "Hong Kong SAR China"
    assert cm.Region("EU").name("zh_CN") == "欧盟"
    assert str(cm.Region("US")) == "US"


def test_region_codes_are_validated():
    with pytest.raises(cm.InvalidValueError, match="unknown region 'ZZZ'"):
        cm.Region("ZZZ")
    with pytest.raises(cm.InvalidValueError, match="unknown region 'china'"):
        cm.Region("china")


def test_region_codes_are_read_in_any_case_like_currency_codes():
    assert cm.Region("cn") == cm.Region("Cn") == cm.Region("CN")
    assert cm.Region("eu").code == "EU"
    assert hash(cm.Region("us")) == hash(cm.Region("US"))
    assert alibaba(region="cn").region == cm.Region("CN")
    assert cm.Region("cn").name("zh_CN") == "中国"
    assert repr(cm.Region("cn")) == "Region(code='CN')"


def test_aliases_are_other_names_kept_in_order():
    assert alibaba().aliases == ()
    assert alibaba(aliases=["Alibaba Group", "阿里"]).aliases == ("Alibaba Group", "阿里")
    assert alibaba(aliases=["阿里"]) != alibaba()


def test_names_fold_to_one_spelling_and_number_characters_are_found():
    from capexmodel._model.company import fold, number_character  # noqa: PLC0415

    full_width = "\uff2d\uff49\uff43\uff52\uff4f\uff53\uff4f\uff46\uff54"
    assert fold(full_width) == fold("MICROSOFT") == fold("microsoft") == "microsoft"
    assert fold("Stra\u00dfe") == "strasse"
    assert fold(" China\u00a0\u3000Mobile ") == "china mobile"
    assert fold("Micro\u200bsoft") == "microsoft"  # a zero-width space is a format mark
    # digits of any script
    assert fold("\u0660\u0667\u0660\u0660.HK") == fold("\uff10\uff17\uff10\uff10.hk") == "0700.hk"
    assert fold("腾讯") == "腾讯"
    texts = ("xAI", "腾讯", "\u2179AI", "x²", "㋀")
    assert [number_character(text) for text in texts] == [None, None, "\u2179", "²", "㋀"]


@pytest.mark.parametrize("locale", ["xx_YY", "", ["en"], None])
def test_unknown_locale_is_refused(locale):
    with pytest.raises(cm.InvalidValueError, match=f"unknown locale {re.escape(repr(locale))}"):
        cm.Region("US").name(locale)


def test_cik_is_the_secs_whole_number_key():
    assert alibaba(cik=1577552).cik == 1577552
    assert alibaba().cik is None


@pytest.mark.parametrize("cik", [0, -1, 10**10, True, "1577552", 1577552.0])
def test_bad_ciks_are_refused_naming_the_value(cik):
    message = f"a CIK is the SEC's Central Index Key, a whole number from 1 to 9999999999.*got {re.escape(repr(cik))}"
    with pytest.raises(cm.InvalidValueError, match=message):
        alibaba(cik=cik)


def test_embedded_sec_filers_carry_their_cik():
    ds = cm.load_dataset()
    assert ds.company("alphabet").cik == 1652044
    assert ds.company("tencent").cik is None


def test_the_territory_codes_are_babels():
    from babel import Locale  # noqa: PLC0415

    from capexmodel._model import company as _company  # noqa: PLC0415

    assert set(Locale.parse("en").territories) == _company._TERRITORY_CODES
