"""The HTML report in a real browser: Debian's Chromium, headless, driven by Playwright.

Each page (zh_CN, zh_TW, en_US) is written by the command and opened from its file at a
phone's width (390 px) and a desktop's; the checks read the rendered page: its texts,
the size of every chart and image, the width of the document, the fonts its Chinese is
drawn in, and every request the page made. Without Chromium or Playwright the tests skip,
saying why; where the environment variable CI is set they fail instead, so that CI
never passes without having looked.

``CAPEXMODEL_SCREENSHOTS=DIR`` also saves a screenshot of each page and width in DIR
(the image in the docs, docs/images/report-html-zh_CN-390.png, is the top 1044 px of ``zh_CN-390.png``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from capexmodel._present.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator

PHONE, DESKTOP = 390, 1280

#: What a reader must find on each page: the key totals, the page's title and its own headings.
KEY_TEXTS = {
    "zh_CN": ("2580亿美元", "446亿美元", "2024年科技巨头算力资本支出", "数据来源", "注", "亚马逊"),
    "zh_TW": ("2580億美元", "446億美元", "2024年科技巨頭算力資本支出", "資料來源", "註"),
    "en_US": ("$258B", "$44.6B", "Compute capex of the big tech companies, 2024", "Sources", "Notes", "Amazon"),
}

#: The faces of the page's font stack that draw each script (any one of them will do).
CHINESE_FACES = {
    "zh_CN": ("PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei"),
    "zh_TW": ("PingFang TC", "PingFang HK", "Noto Sans CJK TC", "Source Han Sans TC", "Microsoft JhengHei"),
}

#: Everything the page measures of itself once rendered.
MEASURE = """() => {
    const size = (element) => { const box = element.getBoundingClientRect(); return [box.width, box.height]; };
    const svgs = [...document.querySelectorAll("svg")].filter((svg) => !svg.parentElement.closest("svg"));
    return {
        scrollWidth: document.documentElement.scrollWidth,
        text: document.body.innerText,
        lang: document.documentElement.lang,
        title: document.title,
        figures: document.querySelectorAll("figure").length,
        svgs: svgs.map(size),
        images: [...document.images].map((image) => [image.complete, image.naturalWidth, ...size(image)]),
        boxes: [...document.querySelectorAll(".table")].map((box) => [box.clientWidth, box.scrollWidth]),
    };
}"""


def _unavailable(reason: str) -> None:
    """Skip, or fail where CI is set: CI must run the browser test."""
    if os.environ.get("CI", "").lower() not in {"", "0", "false"}:
        pytest.fail(f"{reason} (CI is set: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium")
    if executable is None:
        _unavailable("Chromium is not installed: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- optional: the test extra installs it
    except ImportError:
        _unavailable('Playwright is not installed: pip install -e ".[test]"')
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    for locale in KEY_TEXTS:
        path = written[locale] = folder / f"{locale}.html"
        assert main(["report", "--locale", locale, "--format", "html", "--output", str(path)]) == 0
    return written


def render(browser, path: Path, width: int, *, fonts_of: str | None = None) -> dict[str, Any]:
    """Open the page from its file at `width` px; what it measures, the URLs it asked for, and fonts used."""
    phone = width <= PHONE  # a phone's browser lays the page out by its viewport meta tag, and takes touch
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    # Nothing leaves the machine, whatever the page asks: every request is recorded, then refused unless local.
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort(),
    )
    page = context.new_page()
    page.goto(path.as_uri(), wait_until="load")
    measured: dict[str, Any] = page.evaluate(MEASURE)
    measured["requested"] = requested
    if fonts_of is not None:
        session = context.new_cdp_session(page)
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": fonts_of})["nodeId"]
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        measured["fonts"] = [font["familyName"] for font in fonts]
    folder = os.environ.get("CAPEXMODEL_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{path.stem}-{width}.png"), full_page=True)
    context.close()
    return measured


def problems(measured: dict[str, Any], width: int) -> list[str]:
    """What is wrong with a rendered page, by the browser's measures."""
    found = []
    if measured["scrollWidth"] > width:
        found.append("wider than the screen")
    if len(measured["svgs"]) != measured["figures"]:
        found.append("a figure without its SVG")
    if not all(0 < w <= width and h > 0 for w, h in measured["svgs"]):
        found.append("an SVG of no size, or wider than the screen")
    if not all(complete and natural > 0 and w > 0 and h > 0 for complete, natural, w, h in measured["images"]):
        found.append("an image not loaded")
    if [url for url in measured["requested"] if not url.startswith(("file:", "data:"))]:
        found.append("a request off the machine")
    return found


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("locale", list(KEY_TEXTS))
def test_the_page_renders_whole_and_alone(browser, pages, locale, width):
    measured = render(browser, pages[locale], width)
    assert problems(measured, width) == []
    assert [text for text in KEY_TEXTS[locale] if text not in measured["text"]] == []
    assert measured["lang"] == {"zh_CN": "zh-Hans", "zh_TW": "zh-Hant", "en_US": "en"}[locale]
    assert measured["title"] in measured["text"]
    assert measured["figures"] >= 1  # the charts are there (matplotlib is in the test extra)
    assert all(client <= width for client, _ in measured["boxes"])
    assert measured["requested"] == [pages[locale].as_uri()]  # the page itself, and nothing else


def test_a_wide_table_scrolls_in_its_box_on_a_phone(browser, pages):
    measured = render(browser, pages["zh_CN"], PHONE)
    assert any(scroll > client for client, scroll in measured["boxes"])  # wider than the phone, and yet
    assert measured["scrollWidth"] <= PHONE


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW"])
def test_chinese_is_drawn_in_a_chinese_face_of_its_script(browser, pages, locale):
    fonts = render(browser, pages[locale], PHONE, fonts_of="h1")["fonts"]
    if not set(fonts) & set(CHINESE_FACES[locale]):
        _unavailable(
            f"no face of the page's fonts for {locale} is installed, got {fonts}: apt-get install fonts-noto-cjk"
        )
    assert set(fonts) <= set(CHINESE_FACES[locale])  # every character of the title drawn in a face of the stack


def test_the_checks_see_what_a_broken_page_does(browser, tmp_path):
    # The same checks on a page that does everything wrong, so that they are known to catch it.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><meta name="viewport" content="width=device-width, initial-scale=1">'
        "<table><tr>" + "<td>wide&nbsp;cell&nbsp;of&nbsp;text</td>" * 20 + "</tr></table>"
        '<img src="http://example.invalid/chart.png" alt="">'
        '<figure><svg viewBox="0 0 10 10" width="0" height="0"></svg></figure><figure></figure>',
        encoding="utf-8",
    )
    assert problems(render(browser, bad, PHONE), PHONE) == [
        "wider than the screen",
        "a figure without its SVG",
        "an SVG of no size, or wider than the screen",
        "an image not loaded",
        "a request off the machine",
    ]
