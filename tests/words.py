"""The no-English check of the Chinese report and command: the Latin words a Chinese text may show."""

import re

import capexmodel as cm

# Words a Chinese report may show in Latin letters, listed one by one.
COMPANY_NAMES = ("Meta", "xAI", "Google")  # the names the companies go by in Chinese writing too
CHIPS = ("Hopper", "H100", "H200", "H800", "H20", "BF16")  # Nvidia's family and models, and the precision compared
CURRENCY_CODES = ("USD", "CNY")
PUBLICATIONS = ("The Information", "Omdia")  # known by their own names in Chinese writing

#: Characters written only in the simplified script: each has a traditional form that differs.
SIMPLIFIED_ONLY = "亿资据数来汇币计万与营亚马讯腾银国联电动经这个为时长业务报东门们说见产发开关华准广计划财险额账"


def tickers():
    return tuple(ticker for company in cm.load_dataset().companies for ticker in company.tickers)


def english_words(text, also=()):
    """The words of two or more Latin letters in `text`, once the allowed names and those of `also` are taken out."""
    allowed = (*COMPANY_NAMES, *CHIPS, *CURRENCY_CODES, *PUBLICATIONS, *tickers(), *also)
    for name in sorted(allowed, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", " ", text)
    return re.findall(r"[A-Za-z]{2,}", text)
