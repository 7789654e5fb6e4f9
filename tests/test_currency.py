import pickle

import pytest

import capexmodel as cm


def test_known_codes_are_accepted_and_compare_as_strings():
    assert cm.Currency("USD") == "USD"
    assert cm.Currency("CNY").code == "CNY"
    assert isinstance(cm.Currency("HKD").code, str)
    assert type(cm.Currency("HKD").code) is str


def test_lower_case_is_normalised_and_interned():
    assert cm.Currency("usd") is cm.Currency("USD")
    assert cm.Currency("Eur") == "EUR"
    assert cm.Currency(cm.Currency("JPY")) is cm.Currency("JPY")


def test_historic_cldr_codes_are_known():
    assert cm.Currency("DEM") == "DEM"


# "u\u017fd" and "\u0131nr" (long s, dotless i) upper-case to USD and INR: only ASCII is read.
@pytest.mark.parametrize("code", ["RMB", "US", "USDX", "", " USD", "usd ", "元", "XYZ", "u\u017fd", "\u0131nr"])
def test_unknown_codes_are_refused_naming_the_code(code):
    with pytest.raises(cm.UnknownCurrencyError, match=repr(code).replace("\\", "\\\\")) as caught:
        cm.Currency(code)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("code", [None, 840, ["USD"], b"USD"])
def test_non_strings_are_refused(code):
    with pytest.raises(cm.UnknownCurrencyError, match="a currency code is a string"):
        cm.Currency(code)


def test_repr_and_pickle():
    assert repr(cm.Currency("usd")) == "Currency('USD')"
    assert pickle.loads(pickle.dumps(cm.Currency("CNY"))) is cm.Currency("CNY")


def test_the_currency_codes_are_babels():
    from babel.core import get_global  # noqa: PLC0415

    from capexmodel._model import currency as _currency  # noqa: PLC0415

    assert set(get_global("all_currencies")) == _currency._KNOWN_CODES
