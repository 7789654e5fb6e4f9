"""A font for Chinese is found whatever state matplotlib's font cache is in, or the user is told what to install."""

# Chinese texts are written with their full-width punctuation, on purpose.
# ruff: noqa: RUF001

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

from matplotlib import font_manager

import capexmodel as cm
from capexmodel._present import charts as _charts

ROOT = Path(__file__).parent.parent

#: Draws figure 1 in Chinese with every warning an error (a glyph missing from the font is one),
#: and says which font drew it and whether matplotlib's cache knew it.
DRAW = """
import io, json, warnings
warnings.simplefilter("error")
from matplotlib import font_manager
cached = sorted({font.name for font in font_manager.fontManager.ttflist if "CJK" in font.name})
import capexmodel as cm
from capexmodel._present import charts as _charts
charts, notes = _charts.build_charts(cm.load_dataset(), "zh_CN", companies=["tencent", "meta"])
charts[0].save(io.BytesIO(), "png")
print(json.dumps({
    "cached": cached,
    "font": _charts.cjk_font(),
    "searched": "registered" in _charts._SEARCH,
    "title": charts[0].title,
    "notes": notes,
}))
"""

#: Writes matplotlib's font cache as it was before the CJK fonts were installed: built from the
#: system's fonts less the files fontconfig lists for Chinese.
STALE_CACHE = """
from pathlib import Path
import matplotlib
from matplotlib import font_manager
from capexmodel._present import charts as _charts
hidden = {str(path) for path in _charts._fontconfig_files()}
every = font_manager.findSystemFonts
font_manager.findSystemFonts = lambda fontpaths=None, fontext="ttf": [
    path for path in every(fontpaths, fontext) if path not in hidden
]
cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
font_manager.json_dump(font_manager.FontManager(), cache)
"""


def _run(script: str, config: Path) -> str:
    environment = {**os.environ, "MPLCONFIGDIR": str(config)}
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


needs_a_cjk_font = pytest.mark.skipif(
    not _charts._fontconfig_files(), reason="fontconfig lists no font for Chinese (Debian: apt install fonts-noto-cjk)"
)


@needs_a_cjk_font
def test_a_fresh_cache_knows_the_font(tmp_path):
    drew = json.loads(_run(DRAW, tmp_path))
    assert drew["cached"]  # matplotlib's new cache lists the installed CJK fonts
    assert drew["font"] in _charts.CJK_FONTS
    assert drew["searched"] is False  # found in the cache, no files looked for
    assert drew["title"] == "图1：全球主要科技巨头资本开支（2024年）"
    assert drew["notes"] == []


@needs_a_cjk_font
def test_a_stale_cache_does_not_hide_the_font(tmp_path):
    _run(STALE_CACHE, tmp_path)
    drew = json.loads(_run(DRAW, tmp_path))
    assert drew["cached"] == []  # the cache was written before the font was there, and is read as it is
    assert drew["font"] in _charts.CJK_FONTS  # found from its file, registered with matplotlib
    assert drew["searched"] is True
    assert drew["title"] == "图1：全球主要科技巨头资本开支（2024年）"
    assert drew["notes"] == []


@pytest.fixture
def no_cjk_font(monkeypatch):
    """A machine with no font for Chinese: none known to matplotlib, none found in files."""
    monkeypatch.setattr(_charts, "_known", lambda _: None)
    monkeypatch.setattr(_charts, "font_files", list)
    monkeypatch.setattr(_charts, "_SEARCH", {})


@pytest.mark.usefixtures("no_cjk_font")
def test_without_a_cjk_font_the_charts_are_in_english_and_say_what_to_install():
    assert _charts.cjk_font() is None
    charts, notes = _charts.build_charts(cm.load_dataset(), "zh_CN", companies=["bytedance"])
    assert notes == [f"未找到可显示中文的字体：请安装{_charts.install_hint()}；图表暂以英文绘制"]
    assert charts[0].title == "Figure 1: Capex of the world's major tech giants, 2024"
    assert charts[0].notes[-1] == "Source: Caijing; Zheshang Securities"  # no Chinese glyphs to draw as boxes
    assert charts[0].settings["font.family"] == ["DejaVu Sans"]


@pytest.mark.usefixtures("no_cjk_font")
def test_without_a_cjk_font_the_command_says_what_to_install(capsys, tmp_path):
    from capexmodel._present.cli import main  # noqa: PLC0415

    assert main(["report", "--locale", "zh_TW", "--companies", "meta", "--chart", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"capexmodel：未找到可顯示中文的字型：請安裝{_charts.install_hint()}；圖表暫以英文繪製\n")
    assert (tmp_path / "figure-1-capex-2024.png").exists()


def test_a_font_file_is_registered_when_the_cache_does_not_list_it(monkeypatch):
    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    monkeypatch.setattr(_charts, "_known", lambda _: None)  # as if no listed CJK font were known
    monkeypatch.setattr(_charts, "font_files", lambda: [dejavu])
    monkeypatch.setattr(_charts, "_SEARCH", {})
    added: list[Path] = []
    monkeypatch.setattr(font_manager.fontManager, "addfont", added.append)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert _charts.cjk_font() is None  # the file registered no font
    assert added == [dejavu]
    assert _charts.cjk_font() is None
    assert added == [dejavu]  # the files are looked for once per process


def test_the_first_font_registered_is_used_when_none_is_a_known_cjk_font(monkeypatch):
    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    monkeypatch.setattr(_charts, "_known", lambda _: None)
    monkeypatch.setattr(_charts, "font_files", lambda: [dejavu])
    monkeypatch.setattr(_charts, "_SEARCH", {})
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    assert _charts.cjk_font() == "DejaVu Sans"  # fontconfig said it draws Chinese


def test_files_that_are_not_fonts_are_skipped(tmp_path, monkeypatch):
    bogus = tmp_path / "NotoSansCJK-Broken.ttc"
    bogus.write_bytes(b"not a font")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    assert _charts._register([bogus, tmp_path / "missing.ttf"]) == []


def test_font_files_come_from_fontconfig_then_from_the_font_folders(tmp_path, monkeypatch):
    listed = tmp_path / "listed" / "wqy-zenhei.ttc"
    folder = tmp_path / "fonts"
    (folder / "noto").mkdir(parents=True)
    for name in ("NotoSansCJK-Regular.ttc", "msyh.TTC", "DejaVuSans.ttf", "NotoSansCJK.txt"):
        (folder / "noto" / name).write_bytes(b"")
    monkeypatch.setattr(_charts, "_fontconfig_files", lambda: [listed, tmp_path / "listed" / "font.pcf.gz"])
    monkeypatch.setattr(_charts, "font_folders", lambda: [tmp_path / "nowhere", folder])
    assert _charts.font_files() == [
        listed,
        folder / "noto" / "NotoSansCJK-Regular.ttc",
        folder / "noto" / "msyh.TTC",
    ]


def test_font_folders_of_every_system(monkeypatch):
    monkeypatch.setenv("WINDIR", "D:\\Windows")
    monkeypatch.setenv("LOCALAPPDATA", "/users/me/AppData/Local")
    folders = _charts.font_folders()
    assert Path("D:\\Windows") / "Fonts" in folders
    assert Path("/users/me/AppData/Local/Microsoft/Windows/Fonts") in folders
    assert Path.home() / ".fonts" in folders
    monkeypatch.delenv("LOCALAPPDATA")
    assert len(_charts.font_folders()) == len(folders) - 1


def test_fontconfig_missing_or_failing_lists_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda _: None)
    assert _charts._fontconfig_files() == []
    monkeypatch.setattr(shutil, "which", lambda _: str(tmp_path / "no-such-program"))
    assert _charts._fontconfig_files() == []
    failing = tmp_path / "fc-list"
    failing.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda _: str(failing))
    assert _charts._fontconfig_files() == []
    listing = tmp_path / "fc-list-ok"
    listing.write_text("#!/bin/sh\nprintf '/b.ttc\\n/a.otf\\n/b.ttc\\n'\n", encoding="utf-8")
    listing.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda _: str(listing))
    assert _charts._fontconfig_files() == [Path("/a.otf"), Path("/b.ttc")]


@pytest.mark.parametrize(
    ("platform", "hint"),
    [
        ("linux", "sudo apt install fonts-noto-cjk (Debian, Ubuntu)"),
        ("darwin", "PingFang SC, which comes with macOS"),
        ("win32", "Microsoft YaHei, which comes with Windows"),
        ("freebsd14", "Noto Sans CJK SC, from https://github.com/notofonts/noto-cjk"),
    ],
)
def test_the_install_hint_fits_the_system(platform, hint):
    assert _charts.install_hint(platform).startswith(hint)


def test_the_install_hint_defaults_to_this_system():
    assert _charts.install_hint() == _charts.install_hint(sys.platform)


def test_traditional_chinese_prefers_a_traditional_font(monkeypatch):
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [font_manager.FontEntry(name="Noto Sans CJK SC"), font_manager.FontEntry(name="Noto Sans CJK TC")],
    )
    assert _charts.cjk_font() == "Noto Sans CJK SC"
    assert _charts.cjk_font(traditional=True) == "Noto Sans CJK TC"


@pytest.mark.usefixtures("no_cjk_font")
def test_without_a_cjk_font_the_html_page_says_its_charts_are_in_english_and_what_to_install():
    from capexmodel._present.page import report_page  # noqa: PLC0415

    dataset = cm.load_dataset()
    text = report_page(cm.build_report(dataset, "zh_CN", companies=["meta"]), dataset)
    note = f"未找到可显示中文的字体：请安装{_charts.install_hint()}；图表暂以英文绘制"
    assert f'<p class="charts-note">{note}</p>' in text
    assert text.index(note) < text.index("<figure>")  # read before the charts it explains
    assert "<figcaption>Figure 1: Capex of the world&#x27;s major tech giants, 2024</figcaption>" in text


def test_with_a_cjk_font_the_html_page_has_no_note_above_its_charts():
    from capexmodel._present.page import report_page  # noqa: PLC0415

    if _charts.cjk_font() is None:
        pytest.skip(f"no font for Chinese: install {_charts.install_hint()}")
    dataset = cm.load_dataset()
    text = report_page(cm.build_report(dataset, "zh_CN", companies=["meta"]), dataset)
    assert "<figure>" in text
    assert 'class="charts-note"' not in text
