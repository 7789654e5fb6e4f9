"""Charts of the article's figures 1, 2 and 5, with matplotlib (the ``plot`` extra).

Importing this module imports matplotlib; it raises ImportError when it is missing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import matplotlib as mpl

mpl.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

from capexmodel._report import build_report

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from capexmodel._dataset import Dataset
    from capexmodel._report import Report

__all__ = ["write_charts"]

#: Fonts that can draw Chinese labels, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Droid Sans Fallback",
    "AR PL UMing CN",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)

_LABELS = {
    "en": {
        "fig1": "Figure 1: 2024 capex (USD billions)",
        "fig2": "Figure 2: Nvidia Hopper purchases, 2024 (thousands)",
        "fig5": "Figure 5: 2024 capex (USD billions) and intensity",
        "intensity": "capex / revenue",
    },
    "zh": {
        "fig1": "图1:全球主要科技巨头资本开支(2024年,亿美元)",
        "fig2": "图2:英伟达Hopper系列芯片采购量(2024年,万枚)",
        "fig5": "图5:2024年资本支出(亿美元)及强度",
        "intensity": "资本支出/营收",
    },
}


def cjk_font() -> str | None:
    """The first installed font that can draw Chinese, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def write_charts(dataset: Dataset, locale: str, folder: Path) -> list[str]:
    """Write figures 1, 2 and 5 as PNG and SVG into `folder`; return notes for the user.

    Chinese labels need a font that can draw them; without one, the charts are in
    English and a note says so.
    """
    notes: list[str] = []
    language = "zh" if locale.startswith("zh") else "en"
    fonts = list(plt.rcParams["font.sans-serif"])
    if language == "zh":
        font = cjk_font()
        if font is None:
            language, locale = "en", "en_US"
            notes.append("no font for Chinese labels found (install one such as Noto Sans CJK); charts use English")
        else:
            fonts.insert(0, font)
    with plt.rc_context({"font.sans-serif": fonts}):
        _draw(build_report(dataset, locale), language, folder, notes)
    return notes


def _draw(report: Report, language: str, folder: Path, notes: list[str]) -> None:
    labels = _LABELS[language]
    present = {section.key for section in report.sections if section.rows}
    wanted = {"capex_2024", "hopper_2024", "intensity_2024"}
    if not wanted <= present:
        notes.append(f"no charts: the data has no rows for {', '.join(sorted(wanted - present))}")
        return
    scale = Decimal(10) ** (8 if language == "zh" else 9)
    folder.mkdir(parents=True, exist_ok=True)
    sections = {section.key: section for section in report.sections}
    names = {
        value["company"]: row["company"]
        for value, row in zip(sections["capex_2024"].values, sections["capex_2024"].rows, strict=True)
    }

    capex = sections["capex_2024"]
    figure, axes = plt.subplots(figsize=(10, 5))
    heights = [float(Decimal(value["capex"]) / scale) for value in capex.values]
    colors = ["#1f77b4" if row["region"] == "US" else "#d62728" for row in capex.rows]
    axes.bar([names[value["company"]] for value in capex.values], heights, color=colors)
    _finish(figure, axes, labels["fig1"], folder / "figure-1-capex-2024", notes)

    chips = sections["hopper_2024"]
    figure, axes = plt.subplots(figsize=(10, 5))
    divisor = Decimal(10_000) if language == "zh" else Decimal(1000)
    axes.bar([row["buyer"] for row in chips.rows], [float(Decimal(v["quantity"]) / divisor) for v in chips.values])
    _finish(figure, axes, labels["fig2"], folder / "figure-2-hopper-2024", notes)

    intensity = sections["intensity_2024"]
    figure, axes = plt.subplots(figsize=(10, 5))
    companies = [names.get(value["company"], value["company"]) for value in intensity.values]
    axes.bar(companies, [float(Decimal(value["capex"]) / scale) for value in intensity.values])
    line = axes.twinx()
    percents = [float(Decimal(value["intensity"]) * 100) for value in intensity.values]
    line.plot(companies, percents, "o-", color="#ff7f0e")
    line.set_ylabel(f"{labels['intensity']} (%)")
    _finish(figure, axes, labels["fig5"], folder / "figure-5-intensity-2024", notes)


def _finish(figure: Figure, axes: Axes, title: str, stem: Path, notes: list[str]) -> None:
    axes.set_title(title)
    axes.tick_params(axis="x", labelrotation=30)
    figure.tight_layout()
    for suffix in (".png", ".svg"):
        figure.savefig(stem.with_suffix(suffix))
    plt.close(figure)
    notes.append(f"wrote {stem.with_suffix('.png')} and {stem.with_suffix('.svg')}")


def figures_svg(
    dataset: Dataset,
    locale: str,
    *,
    year: int | None = None,
    companies: tuple[str, ...] | None = None,
) -> list[tuple[str, str]]:
    """The charts of `write_charts` as (title, SVG markup) pairs, for the HTML report.

    They are the article's 2024 figures of all its companies: none for another year or
    fewer companies. Text is drawn as paths, so that the SVG needs no font.
    """
    import tempfile  # noqa: PLC0415 -- kept with the function, at the end of the module
    from pathlib import Path  # noqa: PLC0415

    if year not in {None, 2024} or companies is not None:
        return []
    language = "zh" if locale.startswith("zh") and cjk_font() is not None else "en"
    stems = {"fig1": "figure-1-capex-2024", "fig2": "figure-2-hopper-2024", "fig5": "figure-5-intensity-2024"}
    with tempfile.TemporaryDirectory() as folder, plt.rc_context({"svg.fonttype": "path"}):
        write_charts(dataset, locale, Path(folder))
        drawn = [(_LABELS[language][key], Path(folder) / f"{stem}.svg") for key, stem in stems.items()]
        return [(title, path.read_text(encoding="utf-8")) for title, path in drawn if path.exists()]
