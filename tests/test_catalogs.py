"""The message catalogs are kept as babel's tools keep them, and are complete."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from capexmodel._errors import InvalidValueError
from capexmodel._present import messages as _messages

ROOT = Path(__file__).parent.parent
LOCALE = ROOT / "src" / "capexmodel" / "_present" / "locale"


def _ids(catalog: object) -> set[object]:
    """Each message as its context and id: the same words in two contexts are two messages."""
    return {(message.context, message.id) for message in catalog if message.id}  # type: ignore[attr-defined]


def _catalog(name: str) -> object:
    with (LOCALE / name / "LC_MESSAGES" / "capexmodel.po").open("rb") as file:
        return read_po(file)


def _visible(path: str) -> bool:
    """Every folder but hidden ones, as ``pybabel extract --ignore-dirs=".*"`` walks (babel's default skips "_*")."""
    return not Path(path).name.startswith(".")


def test_the_template_holds_every_message_the_code_and_the_data_mark():
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    marked = {
        (context, message)
        for _, _, message, _, context in extract_from_dir(ROOT, method_map, options_map, directory_filter=_visible)
        if message  # a message of several forms is a tuple
    }
    with (LOCALE / "capexmodel.pot").open("rb") as file:
        template = _ids(read_po(file))
    assert marked == template
    assert ("company", "Tencent") in template  # the data's texts, by their babel.cfg extraction method
    assert ("basis", "broker estimate") in template
    assert ("statement", "AWS, Azure and GCP together hold 63%% of the global cloud market") in template


@pytest.mark.parametrize(("file", "context"), [("companies.csv", "company"), ("groups.csv", "group")])
def test_the_simplified_catalog_names_companies_and_groups_as_the_data_does(file, context):
    import csv  # noqa: PLC0415

    lines = (ROOT / "src" / "capexmodel" / "_sources" / "data" / file).read_text(encoding="utf-8").splitlines()
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    simplified = _messages.translation("zh_CN")
    assert rows
    assert [simplified.pgettext(context, row["name_en"]) for row in rows] == [row["name_zh"] for row in rows]


def test_the_data_extraction_skips_comments_empty_cells_and_other_files():
    data = io.BytesIO(b"id,name_en,name_zh\n# a comment, with a comma\nacme,,\nwidgets,Widgets,\n")
    data.name = "data/companies.csv"
    found = list(_messages.extract_data(data, (), (), {}))
    assert found == [(4, "pgettext", ("company", "Widgets"), ["Translators: a company's name"])]
    other = io.BytesIO(b"id,name_en\nacme,Acme\n")
    other.name = "rates.csv"
    assert list(_messages.extract_data(other, (), (), {})) == []
    percent = io.BytesIO(b"key,value,unit,text_en,text_zh,source\nk,1,share,Up 5%,,me\n")
    percent.name = "statements.csv"
    ((_, _, (context, message), comments),) = _messages.extract_data(percent, (), (), {})
    assert (context, message) == ("statement", "Up 5%%")
    assert comments[0].endswith("write a percent sign as %%")


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
