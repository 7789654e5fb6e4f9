"""Currencies: ISO 4217 codes that babel's CLDR data knows."""

from __future__ import annotations

from typing import Final, final

from capexmodel._errors import UnknownCurrencyError, show
from capexmodel._lazy import public

__all__ = ["Currency"]


#: Every currency code in CLDR, current and historic, written out so that checking a
#: code loads no locale data (a test keeps it equal to babel's ``all_currencies``).
_CURRENCY_TEXT: Final = (
    "ADP AED AFA AFN ALK ALL AMD ANG AOA AOK AON AOR ARA ARL ARM ARP ARS ATS AUD AWG AZM AZN BAD BAM BAN "
    "BBD BDT BEC BEF BEL BGL BGM BGN BGO BHD BIF BMD BND BOB BOL BOP BOV BRB BRC BRE BRL BRN BRR BRZ BSD "
    "BTN BUK BWP BYB BYN BYR BZD CAD CDF CHE CHF CHW CLE CLF CLP CNH CNY COP COU CRC CSD CSK CUC CUP CVE "
    "CYP CZK DDM DEM DJF DKK DOP DZD ECS ECV EEK EGP ERN ESA ESB ESP ETB EUR FIM FJD FKP FRF GBP GEK GEL "
    "GHC GHS GIP GMD GNF GNS GQE GRD GTQ GWE GWP GYD HKD HNL HRD HRK HTG HUF IDR IEP ILP ILR ILS INR IQD "
    "IRR ISJ ISK ITL JMD JOD JPY KES KGS KHR KMF KPW KRH KRO KRW KWD KYD KZT LAK LBP LKR LRD LSL LTL LTT "
    "LUC LUF LUL LVL LVR LYD MAD MAF MCF MDC MDL MGA MGF MKD MKN MLF MMK MNT MOP MRO MRU MTL MTP MUR MVP "
    "MVR MWK MXN MXP MXV MYR MZE MZM MZN NAD NGN NIC NIO NLG NOK NPR NZD OMR PAB PEI PEN PES PGK PHP PKR "
    "PLN PLZ PTE PYG QAR RHD ROL RON RSD RUB RUR RWF SAR SBD SCR SDD SDG SDP SEK SGD SHP SIT SKK SLE SLL "
    "SOS SRD SRG SSP STD STN SUR SVC SYP SZL THB TJR TJS TMM TMT TND TOP TPE TRL TRY TTD TWD TZS UAH UAK "
    "UGS UGX USD USN USS UYI UYP UYU UYW UZS VEB VED VEF VES VND VNN VUV WST XAD XAF XAG XAU XBA XBB XBC "
    "XBD XCD XCG XDR XEU XFO XFU XOF XPD XPF XPT XRE XSU XTS XUA XXX YDD YER YUD YUM YUN YUR ZAL ZAR ZMK "
    "ZMW ZRN ZRZ ZWD ZWG ZWL ZWR"
)
_KNOWN_CODES: Final = frozenset(_CURRENCY_TEXT.split())


@public
@final
class Currency(str):
    """An ISO 4217 currency code known to babel's CLDR data, such as ``"USD"`` or ``"CNY"``.

    A `Currency` is a `str`, so it compares equal to its code. Lower-case input is
    normalised to upper case. Instances are interned: ``Currency("usd") is Currency("USD")``.

    Attributes:
        code: The ISO 4217 code the constructor is given, in any case.

    Raises:
        UnknownCurrencyError: `code` is not a string, or not an ISO 4217 code known to CLDR.

    Examples:
        >>> import capexmodel as cm
        >>> cm.Currency("cny")
        Currency('CNY')
        >>> cm.Currency("CNY") == "CNY"
        True
    """

    __slots__ = ()

    _interned: Final[dict[object, Currency]] = {}

    def __new__(cls, code: Currency | str) -> Currency:
        """Return the interned `Currency` for `code`, validating it on first sight."""
        try:
            return cls._interned[code]
        except (KeyError, TypeError):  # TypeError: an unhashable code
            pass
        if not isinstance(code, str):
            msg = f"a currency code is a string such as 'USD', got {show(code)}"
            raise UnknownCurrencyError(msg)
        canonical = code.upper()
        if not code.isascii() or canonical not in _KNOWN_CODES:
            msg = f"unknown currency code {show(code)}: expected an ISO 4217 code such as 'USD' or 'CNY'"
            raise UnknownCurrencyError(msg)
        currency = cls._interned.get(canonical)
        if currency is None:
            currency = super().__new__(cls, canonical)
        cls._interned[canonical] = cls._interned[code] = currency
        return currency

    def __repr__(self) -> str:
        """Return ``Currency('USD')``."""
        return f"Currency({str(self)!r})"

    def __reduce__(self) -> tuple[type[Currency], tuple[str]]:
        """Pickle as the code, so unpickling goes through validation and interning."""
        return (Currency, (str(self),))

    @property
    def code(self) -> str:
        """The three-letter code as a plain `str`.

        Examples:
            >>> import capexmodel as cm
            >>> cm.Currency("usd").code
            'USD'
        """
        return str(self)
