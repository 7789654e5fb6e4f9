"""Charts of the article's figures 1, 2, 3, 5 and 6, with matplotlib (the ``plot`` extra).

Every chart follows a report's year and companies (`build_report`) and is written in
the locale's language, its texts read from the message catalogs: bars sorted by size,
a legend for the countries, a value on each bar, the unit on each value axis,
estimates hatched and guidance dotted, companies without a figure named in a note
(never drawn as zero), and a source line. A chart with nothing to draw is left out,
with a note. Chinese needs a CJK font: `cjk_font` finds one whatever state
matplotlib's font cache is in, and `install_hint` says what to install when there is
none (the charts are then in English).

Importing this module imports matplotlib; it raises ImportError when it is missing.
"""

from __future__ import annotations

import functools
import html
import io
import os
import re
import shutil
import subprocess
import sys
import threading
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

import attrs
import babel.dates
import babel.lists
import babel.numbers
import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Patch

from capexmodel._errors import CapexModelError
from capexmodel._model.period import CalendarYear, Period
from capexmodel._model.provenance import Status
from capexmodel._present.format import format_percent
from capexmodel._present.messages import N_, catalog_for, translation
from capexmodel._present.report import _Builder as _ReportTexts
from capexmodel._present.report import build_report
from capexmodel._sources.dataset import in_own_context

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable, Sequence

    from matplotlib.axes import Axes
    from matplotlib.typing import RcKeyType

    from capexmodel._model.company import Company
    from capexmodel._model.facts import Fact
    from capexmodel._model.provenance import Source
    from capexmodel._present.report import Report, ReportRow
    from capexmodel._sources.dataset import Dataset

__all__ = [
    "CJK_FONTS",
    "Chart",
    "build_charts",
    "cjk_font",
    "figures_svg",
    "font_files",
    "font_folders",
    "install_hint",
    "write_charts",
]

#: Fonts that draw Chinese, best first: simplified Chinese forms, then any CJK font.
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "Noto Sans CJK TC",
    "Noto Sans CJK HK",
    "Noto Sans TC",
    "Source Han Sans TC",
    "Microsoft JhengHei",
    "PingFang TC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Arial Unicode MS",
)

_TRADITIONAL: Final = ("Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans TC", "Source Han Sans TC")

#: The same fonts, traditional Chinese forms first (Hong Kong, Taiwan).
_TRADITIONAL_FIRST: Final = (*_TRADITIONAL, *(name for name in CJK_FONTS if name not in _TRADITIONAL))

#: File names of fonts that draw Chinese, looked for in the font folders.
_CJK_FILE: Final = re.compile(
    r"cjk|sourcehan|wqy|droidsansfallback|uming|ukai|msyh|msjh|simhei|simsun|mingliu|pingfang|hiragino.*gb"
    r"|stheiti|heiti|notosans(?:sc|tc|hk)|notoserif(?:sc|tc|hk)",
    re.IGNORECASE,
)
_FONT_SUFFIXES: Final = frozenset({".ttf", ".ttc", ".otf"})

_COLORS: Final = {"US": "#1f4e9c", "CN": "#c8102e"}
_NEUTRAL: Final = "#555555"
_HATCHES: Final = {Status.ESTIMATE: "////", Status.GUIDANCE: "xx"}
_WIDTH: Final = 8.0  # inches; the SVG scales to the page, the PNG is 1200 pixels wide
_DPI: Final = 150
_METADATA: Final[dict[str, dict[str, str | None]]] = {
    "svg": {"Date": None, "Creator": None},  # the same chart gives the same file
    "png": {"Software": None},
}

_SEARCH_LOCK = threading.Lock()
_SEARCH: dict[str, list[str]] = {}  # "registered": the fonts registered from files, once a search has run
_DRAW_LOCK = threading.RLock()  # matplotlib's settings are global: one chart drawn or saved at a time


# Fonts -------------------------------------------------------------------------------------


def cjk_font(*, traditional: bool = False) -> str | None:
    """The name of a font that draws Chinese, registered with matplotlib; None when there is none.

    The fonts matplotlib knows come first. When its font cache was written before a
    CJK font was installed (it is not written again), the font files are looked for
    directly (`font_files`) and registered with ``font_manager.fontManager.addfont``,
    once per process.

    Args:
        traditional: Prefer fonts with traditional Chinese forms (Hong Kong, Taiwan).

    Examples:
        >>> from capexmodel._present.charts import CJK_FONTS, cjk_font
        >>> cjk_font() is None or isinstance(cjk_font(), str)
        True
    """
    preferred = _TRADITIONAL_FIRST if traditional else CJK_FONTS
    found = _known(preferred)
    if found is None:
        with _SEARCH_LOCK:
            if "registered" not in _SEARCH:
                _SEARCH["registered"] = _register(font_files())
        found = _known(preferred) or next(iter(_SEARCH["registered"]), None)
    return found


def _known(preferred: Sequence[str]) -> str | None:
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in preferred if name in installed), None)


def _register(paths: Iterable[Path]) -> list[str]:
    """Register each font file with matplotlib; the names of the fonts registered, in order."""
    manager = font_manager.fontManager
    names: list[str] = []
    for path in paths:
        before = len(manager.ttflist)
        try:
            manager.addfont(path)
        except (OSError, RuntimeError):  # a file FreeType cannot read is not a font
            continue
        names.extend(font.name for font in manager.ttflist[before:])
    return list(dict.fromkeys(names))


def font_files() -> list[Path]:
    """Font files that draw Chinese: those fontconfig lists for ``:lang=zh``, then those of the font folders.

    A file of the folders (`font_folders`) is taken when its name is a known CJK
    font's (Noto Sans CJK, Source Han Sans, WenQuanYi, Microsoft YaHei, PingFang, ...).

    Examples:
        >>> from capexmodel._present.charts import font_files
        >>> all(path.suffix.lower() in {".ttf", ".ttc", ".otf"} for path in font_files())
        True
    """
    found = dict.fromkeys(path for path in _fontconfig_files() if path.suffix.lower() in _FONT_SUFFIXES)
    for folder in font_folders():
        if folder.is_dir():
            named = (path for path in folder.rglob("*") if _CJK_FILE.search(path.name))
            found.update(dict.fromkeys(sorted(path for path in named if path.suffix.lower() in _FONT_SUFFIXES)))
    return list(found)


def font_folders() -> list[Path]:
    """The folders fonts are installed in on Linux, macOS and Windows (whether they exist here or not).

    Examples:
        >>> from pathlib import Path
        >>> from capexmodel._present.charts import font_folders
        >>> Path("/usr/share/fonts") in font_folders(), Path("/System/Library/Fonts") in font_folders()
        (True, True)
    """
    home = Path.home()
    folders = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library" / "Fonts",
        Path(os.environ.get("WINDIR", "C:\\Windows")) / "Fonts",
    ]
    if os.environ.get("LOCALAPPDATA"):
        folders.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    return folders


def _fontconfig_files() -> list[Path]:
    """The files fontconfig's ``fc-list`` lists for Chinese; none when it is missing or fails."""
    command = shutil.which("fc-list")
    if command is None:
        return []
    try:
        listed = subprocess.run(  # noqa: S603 -- fc-list from PATH, with fixed arguments
            [command, "--format=%{file}\\n", ":lang=zh"], capture_output=True, text=True, timeout=30, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line) for line in sorted(set(listed.stdout.splitlines())) if line]


def install_hint(platform: str | None = None) -> str:
    """What to install for Chinese text on `platform` (``sys.platform`` by default).

    Examples:
        >>> from capexmodel._present.charts import install_hint
        >>> install_hint("linux")
        'sudo apt install fonts-noto-cjk (Debian, Ubuntu) or sudo dnf install google-noto-sans-cjk-fonts (Fedora)'
    """
    platform = sys.platform if platform is None else platform
    if platform.startswith("linux"):
        return (
            "sudo apt install fonts-noto-cjk (Debian, Ubuntu) or sudo dnf install google-noto-sans-cjk-fonts (Fedora)"
        )
    if platform == "darwin":
        return "PingFang SC, which comes with macOS, or Noto Sans CJK SC: brew install --cask font-noto-sans-cjk-sc"
    if platform == "win32":
        return "Microsoft YaHei, which comes with Windows (Settings > Personalization > Fonts), or Noto Sans CJK SC"
    return "Noto Sans CJK SC, from https://github.com/notofonts/noto-cjk"


# Words -------------------------------------------------------------------------------------


@attrs.frozen
class _Words:
    """The texts, units and number formats of one locale."""

    locale: str
    chinese: bool
    lookup: Callable[[str], str]
    font: str | None

    @property
    def money_scale(self) -> Decimal:
        """亿 (1e8) in Chinese, billions (1e9) in English."""
        return Decimal(10) ** (8 if self.chinese else 9)

    @property
    def chip_scale(self) -> Decimal:
        """万 (1e4) in Chinese, thousands (1e3) in English."""
        return Decimal(10) ** (4 if self.chinese else 3)

    def gettext(self, message: str, **values: object) -> str:
        """The translation of `message`, with `values` in it."""
        return self.lookup(message).format(**values)

    def number(self, value: Decimal) -> str:
        """A value in the chart's unit: whole from 100 up, else to one decimal (rounded half to even)."""
        pattern = "#,##0" if abs(value) >= 100 else "#,##0.#"  # noqa: PLR2004 -- three significant digits or so
        return babel.numbers.format_decimal(value, pattern, locale=self.locale)

    def names(self, names: Iterable[str]) -> str:
        """Names as a list of the locale (``A、B和C``, ``A, B, and C``)."""
        return babel.lists.format_list(list(names), locale=self.locale)

    def month(self, day: dt.date) -> str:
        """A month of a year, as the locale writes it (``2024年3月``, ``Mar 2024``)."""
        return babel.dates.format_skeleton("yMMM", day, locale=self.locale)

    def drawable(self, text: str) -> str:
        """`text`, without its Chinese when no font draws Chinese (a Chinese gloss in brackets goes whole)."""
        if self.font is not None:
            return text
        text = re.sub(r"\s*\([^()]*\)", lambda found: "" if _has_wide(found[0]) else found[0], text)
        return "".join(char for char in text if not _wide(char)).strip()


_CLOSING: Final = "，。、；：）」』！？"  # noqa: RUF001 -- Chinese punctuation that never starts a line


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _has_wide(text: str) -> bool:
    return any(map(_wide, text))


def _width(text: str) -> int:
    """The width of `text` in fifths of a Latin letter's: a Chinese character is nine."""
    return sum(9 if _wide(char) else 5 for char in text)


def _wrap(text: str, budget: int) -> list[str]:
    """Lines of `text` no wider than `budget` Latin letters (a Chinese character counts 1.8).

    Words of Latin letters stay whole; Chinese breaks between characters, but never
    before a closing punctuation mark.

    Examples:
        >>> from capexmodel._present.charts import _wrap
        >>> _wrap("one two three", 8), _wrap("甲乙丙丁，戊", 4)
        (['one two', 'three'], ['甲乙', '丙丁，', '戊'])
    """
    tokens = re.findall(r"[^\s\u2e80-\ufaff\uff00-\uffef]+\s*|[\u2e80-\ufaff\uff00-\uffef]\s*|\s+", text)
    lines: list[str] = []
    line = ""
    for token in tokens:
        if line and _width(line + token.rstrip()) > budget * 5 and token[0] not in _CLOSING:
            lines.append(line.rstrip())
            line = ""
        line += token.lstrip() if not line else token
    lines.append(line.rstrip())
    return [line for line in lines if line]


# Charts ------------------------------------------------------------------------------------


@attrs.frozen
class _Bar:
    """One bar: a company's value in the chart's unit, its status and the label written at its end."""

    key: str
    company: Company
    value: Decimal
    status: Status
    label: str


@attrs.frozen(eq=False)
class Chart:
    """One chart, drawn: its figure number, file stem, title and matplotlib figure."""

    number: int
    """The article's figure number: 1, 2, 3, 5 or 6."""
    stem: str
    """The file name without its suffix, such as ``figure-1-capex-2024``."""
    title: str
    """The title drawn on it, in the locale's language."""
    figure: Figure
    """The matplotlib figure."""
    notes: tuple[str, ...]
    """The lines under it, as written before they are wrapped: its notes, then its source line."""
    settings: dict[RcKeyType, Any] = attrs.field(repr=False)
    """The matplotlib settings it is drawn with (its fonts, SVG text as paths)."""

    def save(self, target: Path | IO[Any], kind: str) -> None:
        """Write the chart as ``png`` or ``svg`` to a file or a binary or text buffer."""
        with _DRAW_LOCK, mpl.rc_context(self.settings):
            self.figure.savefig(target, format=kind, dpi=_DPI, metadata=_METADATA[kind])

    def svg(self) -> str:
        """The chart as SVG for a web page: scaled by its viewBox, ids prefixed by its stem, a title, no prolog."""
        buffer = io.StringIO()
        self.save(buffer, "svg")
        text = buffer.getvalue()
        text = text[text.index("<svg") :]
        text = re.sub(r'\bid="([^"]+)"', rf'id="{self.stem}-\1"', text)
        text = re.sub(r'href="#([^"]+)"', rf'href="#{self.stem}-\1"', text)
        text = re.sub(r"url\(#([^)]+)\)", rf"url(#{self.stem}-\1)", text)
        end = text.index(">")
        opening = re.sub(r'\s(?:width|height)="[^"]*"', "", text[:end])
        return f'{opening} role="img"><title>{html.escape(self.title)}</title>{text[end + 1 :]}'


@attrs.define
class _Builder:
    """Draws the charts of one report."""

    dataset: Dataset
    report: Report
    words: _Words
    notes: list[str]

    @property
    def year(self) -> int:
        return self.report.year

    def gettext(self, message: str, **values: object) -> str:
        return self.words.gettext(message, **values)

    @functools.cached_property
    def texts(self) -> _ReportTexts:
        """The report's words for the data's texts (names, publishers, sources), so charts and tables agree."""
        return _ReportTexts(self.dataset, self.report.locale)

    def name(self, company: Company) -> str:
        return self.texts.name(company)

    def publisher(self, source: Source) -> str:
        return self.texts.data("publisher", source.publisher)

    def observations(self, section: str, metric: str) -> list[ReportRow]:
        found = (section_found for section_found in self.report.sections if section_found.key == section)
        return [row for section_found in found for row in section_found.observations if row.metric == metric]

    def compared(self) -> tuple[Company, ...]:
        """The report's companies: those chosen, else the article's groups' members, else every company."""
        if self.report.companies is not None:
            return tuple(map(self.dataset.company, self.report.companies))
        members = [
            member
            for group in self.dataset.groups
            if group.id in {"us-five", "china-seven"}
            for member in group.members
        ]
        return tuple(map(self.dataset.company, dict.fromkeys(members))) if members else self.dataset.companies

    def missing(self, drawn: Iterable[str], message: str, **values: object) -> list[str]:
        """A note naming the report's companies that a chart does not draw, if any."""
        ids = set(drawn)
        left_out = [self.name(company) for company in self.compared() if company.id not in ids]
        return [self.gettext(message, companies=self.words.names(left_out), **values)] if left_out else []

    def covers(self, rows: Iterable[ReportRow], year: int) -> list[str]:
        """Notes on the figures over another span than the year their source counts them in."""
        spans = [(row, Period.parse(row.period)) for row in rows]
        return [
            self.gettext(
                "{company}: the figure covers {start} to {end}, counted as {year}",
                company=self.name(self.dataset.company(row.company)),
                start=self.words.month(span.start),
                end=self.words.month(span.end),
                year=year,
            )
            for row, span in spans
            if span != CalendarYear(year)
        ]

    def rate(self) -> list[str]:
        """The note on the exchange rate the amounts were converted at: the report's, for its year."""
        rate = next((row for row in self.report.rows() if row.metric == "exchange_rate"), None)
        if rate is None or all(company.currency == "USD" for company in self.compared()):
            return []
        shown = babel.numbers.format_decimal(rate.value, "0.000###", locale=self.words.locale)
        return [self.gettext("Converted at the {year} average rate: 1 USD = {rate} CNY", year=self.year, rate=shown)]

    def publishers(self, rows: Iterable[ReportRow]) -> list[str]:
        """The publishers of the dataset's sources the rows cite, each once."""
        cited = [row.source for row in rows]
        sources = self.dataset.sources.values()
        return list(
            dict.fromkeys(
                self.publisher(source) for source in sources if any(self.texts.source(source) in text for text in cited)
            )
        )

    def bar(self, row: ReportRow, scale: Decimal) -> _Bar:
        value = row.value / scale
        return _Bar(
            row.company, self.dataset.company(row.company), value, Status.parse(row.status), self.words.number(value)
        )

    def skipped(self, number: int) -> None:
        self.notes.append(
            self.gettext(
                "figure {number} not drawn: nothing to draw for {year} and these companies",
                number=number,
                year=self.year,
            )
        )

    # The figures -----------------------------------------------------------------------

    def figure_1(self) -> Chart | None:
        """Figure 1: the year's capex by company, as the source prints it, in USD."""
        rows = self.observations(f"capex_{self.year}", "capex")
        if not rows:
            self.skipped(1)
            return None
        bars = _sorted(self.bar(row, self.words.money_scale) for row in rows)
        figure, axes = _figure(len(bars))
        _draw_bars(axes, bars, range(len(bars)))
        self.finish(axes, bars, self.gettext("Capex (USD billions)"))
        notes = [
            *self.covers(rows, self.year),
            *self.missing([bar.key for bar in bars], N_("No figure for {year}: {companies}"), year=self.year),
            *self.rate(),
        ]
        title = self.gettext("Figure 1: Capex of the world's major tech giants, {year}", year=self.year)
        return self.chart(1, f"figure-1-capex-{self.year}", title, figure, bars, notes, self.publishers(rows))

    def figure_2(self) -> Chart | None:
        """Figure 2: Nvidia Hopper chips bought in the year; H20s with their H100-equivalents on the article's basis."""
        section = f"hopper_{self.year}"
        rows = self.observations(section, "chips")
        if not rows:
            self.skipped(2)
            return None
        scale = self.words.chip_scale
        article = {row.company: row.value / scale for row in self.observations(section, "h100_equivalents_article")}
        weaker = {row.company for row in rows if row.basis == "H20"}
        bars = _sorted(self.bar(row, scale) for row in rows)
        notes = []
        if all(bar.status == Status.ESTIMATE for bar in bars):  # hatching every bar would say nothing
            bars = [attrs.evolve(bar, status=Status.REPORTED) for bar in bars]
            notes.append(self.gettext("Every chip count is an estimate"))
        figure, axes = _figure(len(bars))
        _draw_bars(axes, bars, range(len(bars)), light=weaker)
        ratio = next((format(s.value.normalize(), "f") for s in self.dataset.statements if s.key == "h20_per_h100"), "")
        shown = [(place, bar) for place, bar in enumerate(bars) if bar.key in weaker and bar.key in article]
        for place, bar in shown:
            equivalents = article[bar.key]
            axes.barh(place, float(equivalents), height=0.34, gid=f"{bar.key}-h100-equivalents", **_style(bar))
            text = self.gettext(
                "{chip}: ≈ {count} H100-equivalents (the article's basis, 1/{ratio})",
                chip="H20",
                # Translators: a number of chips in thousands; Chinese charts count in 万 (ten thousands).
                count=self.gettext("{number} thousand", number=self.words.number(equivalents)),
                ratio=ratio,
            )
            axes.annotate(
                text, (float(bar.value), place), xytext=(30, 0), textcoords="offset points", va="center", fontsize=8
            )
        self.finish(axes, bars, self.gettext("Chips (thousands)"), room=2.1 if shown else 1.15)
        extra = []
        if weaker:
            extra.append(Patch(color=_tint(_NEUTRAL), label=self.gettext("H20s, one for one (lighter bar)")))
        if shown:
            extra.append(Patch(color=_NEUTRAL, label=self.gettext("H20s as H100-equivalents (the article's basis)")))
        notes.extend(
            self.missing([bar.key for bar in bars], N_("No Hopper purchase for {year}: {companies}"), year=self.year)
        )
        title = self.gettext("Figure 2: Nvidia Hopper chip purchases, {year}", year=self.year)
        return self.chart(2, f"figure-2-hopper-{self.year}", title, figure, bars, notes, self.publishers(rows), extra)

    def figure_3(self) -> Chart | None:
        """Figure 3: the year's capex beside the next year's (guidance and estimates), in USD."""
        following = self.year + 1
        this = {row.company: row for row in self.observations(f"capex_{self.year}", "capex")}
        upcoming: dict[str, ReportRow] = {}
        for row in self.observations(f"projections_{following}", "capex"):
            if row.currency == "USD":
                upcoming.setdefault(row.company, row)  # a company's first projection, as the report lists them
        both = [company for company in upcoming if company in this]
        if not both:
            self.skipped(3)
            return None
        scale = self.words.money_scale
        later = _sorted(self.bar(upcoming[key], scale) for key in both)
        earlier = [self.bar(this[bar.key], scale) for bar in later]
        figure, axes = _figure(len(later), per_bar=0.52)
        places = range(len(later))
        _draw_bars(axes, earlier, [place - 0.2 for place in places], height=0.38, suffix=str(self.year))
        lighter = {bar.key for bar in later}
        _draw_bars(axes, later, [place + 0.2 for place in places], height=0.38, suffix=str(following), light=lighter)
        self.finish(axes, later, self.gettext("Capex (USD billions)"))
        rows = [*(this[key] for key in both), *(upcoming[key] for key in both)]
        notes = [
            *self.covers((upcoming[key] for key in both), following),
            *self.missing(both, N_("No figure for {year} or {next}: {companies}"), year=self.year, next=following),
            self.gettext(
                "{next} converted at the {year} average rate, as the article does", year=self.year, next=following
            ),
            *self.rate(),
        ]
        extra = [
            Patch(color=_NEUTRAL, label=self.gettext("Capex in {year}", year=self.year)),
            Patch(color=_tint(_NEUTRAL), label=self.gettext("Capex in {year}", year=following)),
        ]
        title = self.gettext(
            "Figure 3: Capex of the major compute giants, {year} and {next}", year=self.year, next=following
        )
        stem = f"figure-3-capex-{self.year}-{following}"
        return self.chart(3, stem, title, figure, [*earlier, *later], notes, self.publishers(rows), extra)

    def figure_5(self) -> Chart | None:
        """Figure 5: the year's capex (as in figure 1) and capex intensity (whole-company capex over revenue)."""
        capex = {row.company: row for row in self.observations(f"capex_{self.year}", "capex")}
        section = f"intensity_{self.year}"
        intensity = {row.company: row for row in self.observations(section, "capex_intensity")}
        whole = {row.company: row.value for row in self.observations(section, "capex")}
        drawn = [key for key in capex if key in intensity]
        if not drawn:
            self.skipped(5)
            return None
        bars = _sorted(self.bar(capex[key], self.words.money_scale) for key in drawn)
        figure = _empty(len(bars))
        left, right = figure.subplots(1, 2, sharey=True, width_ratios=[3, 2])
        _draw_bars(left, bars, range(len(bars)))
        self.finish(left, bars, self.gettext("Capex (USD billions)"))
        hollow = False
        for place, bar in enumerate(bars):
            row = intensity[bar.key]
            estimate = Status.parse(row.status) in _HATCHES
            hollow |= estimate
            color = _color(bar.company)
            percent = float(row.value * 100)
            right.scatter(
                [percent],
                [place],
                s=46,
                facecolors="white" if estimate else color,
                edgecolors=color,
                linewidths=1.4,
                zorder=3,
                gid=f"{bar.key}-intensity",
            )
            label = format_percent(row.value, locale=self.words.locale)
            right.annotate(label, (percent, place), xytext=(7, 0), textcoords="offset points", va="center", fontsize=8)
        right.set_xlim(0, float(max(intensity[key].value for key in drawn) * 100) * 1.3)
        right.set_xlabel(self.gettext("Capex intensity: capex / revenue (%)"))
        _style_axes(right)
        notes = []
        parts = [self.name(self.dataset.company(key)) for key in drawn if whole[key] != capex[key].value]
        if parts:
            notes.append(
                self.gettext(
                    "Intensity is whole-company capex over revenue; for {companies}, the bar is the part in figure 1",
                    companies=self.words.names(parts),
                )
            )
        notes.extend(self.missing(drawn, N_("No capex intensity for {year}: {companies}"), year=self.year))
        notes.extend(self.rate())
        extra = []
        if hollow:
            extra.append(
                Patch(facecolor="white", edgecolor=_NEUTRAL, label=self.gettext("Intensity, estimate (hollow dot)"))
            )
        rows = [
            *(capex[key] for key in drawn),
            *(row for row in self.observations(section, "revenue") if row.company in drawn),
        ]
        title = self.gettext("Figure 5: Capex and capex intensity of the major compute giants, {year}", year=self.year)
        return self.chart(
            5, f"figure-5-intensity-{self.year}", title, figure, bars, notes, self.publishers(rows), extra
        )

    def figure_6(self) -> Chart | None:
        """Figure 6: operating cash flow, capex, net income and depreciation, from the dataset, in USD."""
        metrics = (
            ("operating_cash_flow", self.gettext("Operating cash flow")),
            ("capex", self.gettext("Capex")),
            ("net_income", self.gettext("Net income")),
            ("depreciation_and_amortization", self.gettext("Depreciation and amortization")),
        )
        panels: list[tuple[str, list[_Bar]]] = []
        facts: list[Fact] = []
        notes: list[str] = []
        for metric, label in metrics:
            found = [(company, self.whole(company, metric)) for company in self.compared()]
            facts.extend(fact for _, fact in found if fact is not None)
            scale = self.words.money_scale
            bars = [
                _Bar(
                    f"{company.id}-{metric}",
                    company,
                    fact.value.amount / scale,
                    fact.status,
                    self.words.number(fact.value.amount / scale),
                )
                for company, fact in found
                if fact is not None
            ]
            if bars:
                panels.append((label, _sorted(bars)))
            missing = [self.name(company) for company, fact in found if fact is None]
            if missing:
                notes.append(
                    self.gettext("{metric}, no figure: {companies}", metric=label, companies=self.words.names(missing))
                )
        if not panels:
            self.skipped(6)
            return None
        every = [bar for _, bars in panels for bar in bars]
        figure = _empty(len(every), per_bar=0.27, extra=0.75 * len(panels))
        ratios = [len(bars) + 1.5 for _, bars in panels]
        grid = figure.subplots(len(panels), 1, sharex=True, squeeze=False, height_ratios=ratios)
        for axes, (label, bars) in zip(grid[:, 0], panels, strict=True):
            _draw_bars(axes, bars, range(len(bars)))
            self.finish(axes, bars, self.gettext("USD billions"), scale=every)
            axes.tick_params(labelbottom=True)
            axes.set_title(label, loc="left", fontsize=10, fontweight="bold")
        shown = {row.company: row.value for row in self.observations(f"capex_{self.year}", "capex")}
        parts = [
            self.name(fact.company)
            for fact in facts
            if fact.metric == "capex" and fact.company.id in shown and shown[fact.company.id] != fact.value.amount
        ]
        if parts:
            notes.append(
                self.gettext(
                    "Capex here is the whole company's; figure 1 shows a part for {companies}",
                    companies=self.words.names(parts),
                )
            )
        converted = any(fact.value.currency != fact.company.currency for fact in facts)
        notes.extend(self.rate() if converted else [])
        publishers = list(dict.fromkeys(self.publisher(source) for fact in facts for source in fact.sources))
        title = self.gettext(
            "Figure 6: Cash flow, capex, net income and depreciation of US and Chinese tech companies, {year}",
            year=self.year,
        )
        return self.chart(6, f"figure-6-cash-{self.year}", title, figure, every, notes, publishers)

    def whole(self, company: Company, metric: str) -> Fact | None:
        """The company's whole-company figure for the year, in USD, or None when the dataset has none."""
        try:
            return self.dataset.convert(
                self.dataset.fact(company, metric, CalendarYear(self.year), whole_company=True), "USD"
            )
        except CapexModelError:
            return None

    # Parts -----------------------------------------------------------------------------

    def finish(
        self, axes: Axes, bars: Sequence[_Bar], unit: str, *, room: float = 1.15, scale: Sequence[_Bar] = ()
    ) -> None:
        """Company names on the y axis (largest on top), the unit on the x axis, room for the labels.

        The x axis spans zero and the values of `scale` (the bars' by default), with `room` to spare.
        """
        axes.set_yticks(range(len(bars)), labels=[self.name(bar.company) for bar in bars])
        axes.set_ylim(len(bars) - 0.5, -0.5)
        values = [float(bar.value) for bar in scale or bars]
        low, high = min([0.0, *values]) * room, max([0.0, *values]) * room
        axes.set_xlim(low, high if high > low else 1)
        axes.set_xlabel(unit)
        _style_axes(axes)

    def chart(  # noqa: PLR0917 -- a chart's parts, in the order every figure gives them
        self,
        number: int,
        stem: str,
        title: str,
        figure: Figure,
        bars: Sequence[_Bar],
        notes: Sequence[str],
        publishers: Sequence[str],
        extra: Sequence[Patch] = (),
    ) -> Chart:
        """Put the title, legend, notes and source line on a drawn figure."""
        regions = {bar.company.region.code: bar.company for bar in bars}
        handles = [
            Patch(color=_color(company), label=company.region.name(self.words.locale)) for company in regions.values()
        ]
        statuses = {bar.status for bar in bars}
        if Status.ESTIMATE in statuses:
            handles.append(Patch(label=self.gettext("Estimate (hatched)"), **_marked(Status.ESTIMATE)))
        if Status.GUIDANCE in statuses:
            handles.append(Patch(label=self.gettext("Company guidance (cross-hatched)"), **_marked(Status.GUIDANCE)))
        handles.extend(extra)
        # Translators: the separator between two publishers in a chart's source line.
        sources = self.gettext("; ").join(map(self.words.drawable, publishers))
        lines = (*notes, self.gettext("Source: {sources}", sources=sources))
        _lay_out(figure, title, handles, lines)
        return Chart(number, stem, title, figure, lines, _settings(self.words))


def _sorted(bars: Iterable[_Bar]) -> list[_Bar]:
    """Largest first; equal values in the order given."""
    return sorted(bars, key=lambda bar: -bar.value)


def _color(company: Company) -> str:
    return _COLORS.get(company.region.code, _NEUTRAL)


def _tint(color: str, white: float = 0.55) -> str:
    """`color` mixed with white (`white` of it)."""
    red, green, blue = (part + (1 - part) * white for part in to_rgb(color))
    return to_hex((red, green, blue))


def _marked(status: Status, color: str = _NEUTRAL, *, light: bool = False) -> dict[str, Any]:
    """The look of a value that is not reported: hatched (estimate) or dotted (guidance), on white or a tint."""
    face = _tint(color, 0.85) if light else "white"
    return {"facecolor": face, "edgecolor": color, "hatch": _HATCHES[status], "linewidth": 0.9}


def _style(bar: _Bar, *, light: bool = False) -> dict[str, Any]:
    """A bar's look: its country's colour (a tint when `light`), hatched or dotted when not reported."""
    color = _color(bar.company)
    if bar.status in _HATCHES:
        return _marked(bar.status, color, light=light)
    face = _tint(color) if light else color
    return {"facecolor": face, "edgecolor": face, "linewidth": 0.6}


def _draw_bars(
    axes: Axes,
    bars: Sequence[_Bar],
    places: Iterable[float],
    *,
    height: float = 0.68,
    suffix: str = "",
    light: Iterable[str] = (),
    fontsize: float = 8,
) -> None:
    """Horizontal bars at `places` (0 on top), each with its label at its end; `light` bars (by key) tinted."""
    container = axes.barh(list(places), [float(bar.value) for bar in bars], height=height)
    lighter = set(light)
    for patch, bar in zip(container.patches, bars, strict=True):
        patch.set(**_style(bar, light=bar.key in lighter), gid=f"{bar.key}-{suffix}" if suffix else bar.key)
    axes.bar_label(container, labels=[bar.label for bar in bars], padding=3, fontsize=fontsize, color="#222222")


def _style_axes(axes: Axes) -> None:
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y", length=0, labelsize=9)
    axes.tick_params(axis="x", labelsize=8)


def _empty(bars: int, *, per_bar: float = 0.34, extra: float = 0.0) -> Figure:
    """A figure tall enough for `bars` bars (title, legend and notes are added by `_lay_out`)."""
    return Figure(figsize=(_WIDTH, 1.2 + per_bar * bars + extra))


def _figure(bars: int, *, per_bar: float = 0.34) -> tuple[Figure, Axes]:
    figure = _empty(bars, per_bar=per_bar)
    return figure, figure.subplots()


def _lay_out(figure: Figure, title: str, handles: Sequence[Patch], notes: Sequence[str]) -> None:
    """The title on top, the legend under it, the notes and source line at the bottom, the axes between."""
    title_lines = _wrap(title, 70)
    note_lines = [line for note in notes for line in _wrap(note, 132)]
    columns = min(len(handles), 3)
    title_height = 0.14 + 0.25 * len(title_lines)
    top = title_height + 0.1 + 0.22 * -(-len(handles) // columns)
    bottom = 0.14 + 0.16 * len(note_lines)
    figure.set_figheight(figure.get_figheight() + top + bottom)
    height = figure.get_figheight()
    figure.text(0.02, 1 - 0.12 / height, "\n".join(title_lines), va="top", fontsize=13, fontweight="bold")
    figure.legend(
        handles=list(handles),
        loc="upper left",
        bbox_to_anchor=(0.012, 1 - title_height / height),
        ncols=columns,
        frameon=False,
        fontsize=8.5,
        borderaxespad=0,
    )
    figure.text(0.02, 0.1 / height, "\n".join(note_lines), va="bottom", fontsize=8, color="#444444")
    figure.set_layout_engine(
        ConstrainedLayoutEngine(rect=(0.01, bottom / height, 0.98, 1 - (top + bottom) / height), h_pad=0.05)
    )


# Entry points ------------------------------------------------------------------------------


def _words(locale: str, notes: list[str]) -> _Words:
    """The locale's words; English, with a note saying what to install, for Chinese without a CJK font."""
    catalog = catalog_for(locale)
    font = cjk_font(traditional=catalog == "zh_Hant")
    if catalog != "en" and font is None:
        message = translation(locale).gettext(
            "no font for Chinese text found: install {what}; the charts are in English"
        )
        notes.append(message.format(what=install_hint()))
        locale, catalog = "en_US", "en"
    return _Words(locale, catalog != "en", translation(locale).gettext, font)


def _settings(words: _Words) -> dict[RcKeyType, Any]:
    """Matplotlib's settings for the charts: the CJK font first for Chinese, else after DejaVu Sans."""
    fonts = ["DejaVu Sans"]
    if words.font is not None:
        fonts.insert(0 if words.chinese else 1, words.font)
    return {
        "font.family": fonts,  # a list: each glyph is drawn with the first font that has it
        "svg.fonttype": "path",  # text as paths: the SVG needs no font
        "svg.hashsalt": "capexmodel",  # the same ids, hence the same file, for the same chart
        "hatch.linewidth": 0.7,
        "axes.unicode_minus": False,
    }


@in_own_context
def build_charts(
    dataset: Dataset,
    locale: str = "en_US",
    *,
    year: int | None = None,
    companies: Iterable[Company | str] | None = None,
) -> tuple[list[Chart], list[str]]:
    """Draw the article's figures 1, 2, 3, 5 and 6 for a report's year and companies; return them and notes.

    The notes say which charts were left out (nothing to draw) and, for a Chinese
    locale without a CJK font, what to install (the charts are then in English).

    Raises:
        InvalidValueError: `year` is not covered by the data, or `companies` names one twice.
        UnknownCompanyError: `companies` names companies the dataset does not have.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.charts import build_charts
        >>> charts, notes = build_charts(cm.load_dataset(), "en_US", companies=["meta"])
        >>> [chart.number for chart in charts], notes
        ([1, 2, 3, 5, 6], [])
        >>> charts[0].notes[-1]
        'Source: Caijing (财经)'

    """
    notes: list[str] = []
    words = _words(locale, notes)
    report = build_report(dataset, words.locale, year=year, companies=companies)
    builder = _Builder(dataset, report, words, notes)
    with _DRAW_LOCK, mpl.rc_context(_settings(words)):
        drawn = [builder.figure_1(), builder.figure_2(), builder.figure_3(), builder.figure_5(), builder.figure_6()]
    return [chart for chart in drawn if chart is not None], notes


def figures_svg(
    dataset: Dataset,
    locale: str = "en_US",
    *,
    year: int | None = None,
    companies: Iterable[Company | str] | None = None,
) -> tuple[list[tuple[str, str]], list[str]]:
    """The article's figures as (title, SVG markup) pairs, for a web page, and the notes that go with them.

    Each SVG is self-contained (its text drawn as paths, so the page needs no font)
    and scales with the page (a viewBox, no fixed size); its ids start with the
    chart's file stem, so that several charts share a page. Charts with nothing to
    draw are left out.

    Args:
        dataset: The data, such as `load_dataset()`.
        locale: A CLDR locale: simplified or traditional Chinese for ``zh`` locales
            (when a CJK font is installed), else English.
        year: The calendar year, as `build_report` takes it.
        companies: The companies, as `build_report` takes them.

    Returns:
        The figures, and the notes of `build_charts` (a chart left out; Chinese drawn in
        English for want of a font, and what to install).

    Raises:
        InvalidValueError: `year` is not covered by the data, or `companies` names one twice.
        UnknownCompanyError: `companies` names companies the dataset does not have.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel._present.charts import figures_svg
        >>> figures, notes = figures_svg(cm.load_dataset(), companies=["meta", "tencent"])
        >>> title, svg = figures[0]
        >>> title, svg[:4], "viewBox" in svg, notes
        ("Figure 1: Capex of the world's major tech giants, 2024", '<svg', True, [])
    """
    charts, notes = build_charts(dataset, locale, year=year, companies=companies)
    return [(chart.title, chart.svg()) for chart in charts], notes


def write_charts(
    dataset: Dataset,
    locale: str,
    folder: Path,
    *,
    year: int | None = None,
    companies: Iterable[Company | str] | None = None,
) -> list[str]:
    """Write the article's figures 1, 2, 3, 5 and 6 as PNG and SVG into `folder`; return notes for the user.

    The charts follow `year` and `companies` as `build_report` does; a chart with
    nothing to draw is left out, with a note. Chinese needs a CJK font; without one,
    the charts are in English and a note says what to install.

    Raises:
        OSError: `folder` cannot be made or written to.
    """
    charts, notes = build_charts(dataset, locale, year=year, companies=companies)
    wrote = translation(locale).gettext("wrote {png} and {svg}")
    for chart in charts:
        folder.mkdir(parents=True, exist_ok=True)
        png, svg = folder / f"{chart.stem}.png", folder / f"{chart.stem}.svg"
        chart.save(png, "png")
        chart.save(svg, "svg")
        notes.append(wrote.format(png=png, svg=svg))
    return notes
