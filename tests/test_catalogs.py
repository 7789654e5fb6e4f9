"""The message catalogs are kept as babel's tools keep them, and are complete."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from capexmodel import _messages
from capexmodel._errors import InvalidValueError

ROOT = Path(__file__).parent.parent
LOCALE = ROOT / "src" / "capexmodel" / "locale"


def _ids(catalog: object) -> set[object]:
    return {message.id for message in catalog if message.id}  # type: ignore[attr-defined]


def _catalog(name: str) -> object:
    with (LOCALE / name / "LC_MESSAGES" / "capexmodel.po").open("rb") as file:
        return read_po(file)


def test_the_template_holds_every_message_the_code_marks():
    marked = {
        message
        for _, _, message, _, _ in extract_from_dir(ROOT / "src" / "capexmodel", method_map=[("**.py", "python")])
    }
    with (LOCALE / "capexmodel.pot").open("rb") as file:
        template = _ids(read_po(file))
    assert marked == template


@pytest.mark.parametrize("name", _messages.CATALOGS)
def test_each_catalog_has_the_templates_messages(name):
    with (LOCALE / "capexmodel.pot").open("rb") as file:
        template = _ids(read_po(file))
    assert _ids(_catalog(name)) == template


@pytest.mark.parametrize("name", ["zh_Hans", "zh_Hant"])
def test_the_chinese_catalogs_translate_every_message(name):
    catalog = _catalog(name)
    untranslated = [
        message.id
        for message in catalog  # type: ignore[attr-defined]
        if message.id
        and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]
    assert untranslated == []


@pytest.mark.parametrize("name", _messages.CATALOGS)
def test_each_compiled_catalog_is_its_po_file_compiled(name):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(name))  # type: ignore[arg-type]
    assert (LOCALE / name / "LC_MESSAGES" / "capexmodel.mo").read_bytes() == compiled.getvalue()


@pytest.mark.parametrize(
    ("locale", "catalog"),
    [
        ("zh_CN", "zh_Hans"),
        ("zh-Hans-HK", "zh_Hans"),
        ("zh_SG", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh_TW", "zh_Hant"),
        ("zh_HK", "zh_Hant"),
        ("zh_MO", "zh_Hant"),
        ("zh_Hant", "zh_Hant"),
        ("en_US", "en"),
        ("ja_JP", "en"),
    ],
)
def test_a_locale_reads_the_catalog_of_its_language_and_script(locale, catalog):
    assert _messages.catalog_for(locale) == catalog


def test_traditional_and_simplified_chinese_differ():
    assert _messages.translation("zh_TW").gettext("Status") == "狀態"
    assert _messages.translation("zh_CN").gettext("Status") == "状态"
    assert _messages.translation("de_DE").gettext("Status") == "Status"


def test_an_unknown_locale_is_refused_by_name():
    with pytest.raises(InvalidValueError, match="xx_YY"):
        _messages.translation("xx_YY")


def test_catalogs_load_once_from_any_thread(monkeypatch):
    monkeypatch.setattr(_messages, "_LOADED", {})
    found: list[object] = []
    threads = [threading.Thread(target=lambda: found.append(_messages.translation("zh_HK"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(catalog) for catalog in found}) == 1
