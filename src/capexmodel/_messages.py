"""The words the report, the command and the charts show, in the reader's language.

Every user-facing text is an English message marked for translation and looked up in
a gettext catalog, kept with babel's tools (``pybabel extract``, ``update``,
``compile``; the commands are in ``src/capexmodel/locale/README.md``). There are three
catalogs: ``en``, ``zh_Hans`` (mainland China, Singapore) and ``zh_Hant`` (Hong Kong,
Macau, Taiwan). A locale reads the catalog of its language and script; any other
language reads English.

Examples:
    >>> from capexmodel._messages import catalog_for, translation
    >>> catalog_for("zh_TW"), catalog_for("zh_CN"), catalog_for("fr_FR")
    ('zh_Hant', 'zh_Hans', 'en')
    >>> translation("en_US").gettext("Status")
    'Status'
"""

from __future__ import annotations

import gettext
import io
import pkgutil
import threading
from typing import TYPE_CHECKING, Final

from capexmodel._errors import InvalidValueError, show

if TYPE_CHECKING:
    import babel

__all__ = ["CATALOGS", "DOMAIN", "N_", "catalog_for", "translation"]

DOMAIN: Final = "capexmodel"
"""The gettext domain: the catalogs are ``locale/<catalog>/LC_MESSAGES/capexmodel.mo`` in the package."""

CATALOGS: Final = ("en", "zh_Hans", "zh_Hant")
"""The catalogs the package ships."""

#: The regions whose Chinese is written in traditional characters when a locale names no script.
_TRADITIONAL_REGIONS: Final = frozenset({"HK", "MO", "TW"})

_LOADED: dict[str, gettext.GNUTranslations] = {}
_LOCK = threading.Lock()


def N_(message: str) -> str:  # noqa: N802 -- gettext's name for a message marked, translated later
    """Mark `message` for the catalogs, leaving it untranslated (for tables written at import time).

    Examples:
        >>> N_("Status")
        'Status'
    """
    return message


def catalog_for(locale: str | babel.Locale) -> str:
    """The catalog a locale reads: ``zh_Hant``, ``zh_Hans`` or ``en``.

    Chinese with the traditional script (``zh_Hant``, ``zh_Hant_HK``), or of Hong
    Kong, Macau or Taiwan when no script is named (``zh_TW``), reads ``zh_Hant``;
    any other Chinese reads ``zh_Hans``; every other language reads ``en``.

    Args:
        locale: A CLDR locale such as ``"zh_CN"`` or ``"zh-Hant-HK"``, or a `babel.Locale`.

    Returns:
        The catalog's name, one of `CATALOGS`.

    Raises:
        InvalidValueError: `locale` is not a locale CLDR knows.

    Examples:
        >>> catalog_for("zh_Hant_HK"), catalog_for("zh_SG"), catalog_for("en_GB")
        ('zh_Hant', 'zh_Hans', 'en')
    """
    from capexmodel._format import _parse_locale  # noqa: PLC0415 -- babel loads lazily, on first use

    where = _parse_locale(locale)
    if where.language != "zh":
        return "en"
    script = where.script or ("Hant" if where.territory in _TRADITIONAL_REGIONS else "Hans")
    return "zh_Hant" if script == "Hant" else "zh_Hans"


def translation(locale: str | babel.Locale) -> gettext.GNUTranslations:
    """The catalog a locale reads (see `catalog_for`), loaded once, safely from any thread.

    Args:
        locale: A CLDR locale such as ``"zh_CN"``, or a `babel.Locale`.

    Returns:
        The catalog, whose ``gettext`` and ``ngettext`` translate messages.

    Raises:
        InvalidValueError: `locale` is not a locale CLDR knows.

    Examples:
        >>> translation("zh_CN").gettext("Status") != "Status"
        True
    """
    name = catalog_for(locale)
    with _LOCK:
        loaded = _LOADED.get(name)
        if loaded is None:
            loaded = _LOADED[name] = _load(name)
    return loaded


def _load(name: str) -> gettext.GNUTranslations:
    """Read a shipped catalog (from the installed package, whether a folder or a zip)."""
    path = f"locale/{name}/LC_MESSAGES/{DOMAIN}.mo"
    data = pkgutil.get_data("capexmodel", path)
    if data is None:  # pragma: no cover -- the loader of an installed package always reads files
        msg = f"the catalog {show(path)} is missing from the package; reinstall capexmodel"
        raise InvalidValueError(msg)
    return gettext.GNUTranslations(io.BytesIO(data))
