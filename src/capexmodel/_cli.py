"""The ``capexmodel`` command: the article's comparison from the embedded data, in four formats.

``capexmodel fetch sec`` downloads the SEC's company facts: the command's only network access.
"""

from __future__ import annotations

import argparse
import csv
import io
import locale as system_locale
import os
import sys
import unicodedata
from typing import TYPE_CHECKING

import attrs

from capexmodel._errors import CapexModelError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from capexmodel._dataset import Dataset
    from capexmodel._report import Report

__all__ = ["main"]

LOCALES = ("en_US", "zh_CN")
FORMATS = ("table", "markdown", "csv", "json")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status (0 on success).

    Examples:
        >>> from capexmodel._cli import main
        >>> main(["report", "--format", "csv", "--locale", "en_US"])  # doctest: +ELLIPSIS
        2024 capex by company
        ...
        0
    """
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 2
    try:
        if arguments.command == "fetch":
            return _fetch(arguments)
        return _report(arguments)
    except CapexModelError as error:
        sys.stderr.write(f"capexmodel: {error}\n")
        return 1
    except OSError as error:
        sys.stderr.write(f"capexmodel: {error}\n")
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capexmodel", description="Compare big tech's compute capex, as the Caijing article does."
    )
    commands = parser.add_subparsers(dest="command")
    report = commands.add_parser("report", help="print the article's comparison from the embedded data")
    report.add_argument(
        "--locale",
        choices=LOCALES,
        default=None,
        help="language of labels and numbers (default: the environment's, else en_US)",
    )
    report.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
    report.add_argument(
        "--data", type=_path, default=None, help="a folder of CSV files (or one file) to merge into the embedded data"
    )
    report.add_argument(
        "--rates",
        choices=("dataset", "ecb"),
        default="dataset",
        help="exchange rates: the dataset's (the article's 2024 average, 7.230) or the ECB's"
        " reference-rate averages (needs capexmodel[ecb]) (default: dataset)",
    )
    report.add_argument(
        "--chart",
        type=_path,
        default=None,
        metavar="DIR",
        help="also write charts of figures 1, 2 and 5 as PNG and SVG into DIR (needs matplotlib)",
    )
    fetch = commands.add_parser("fetch", help="download public data files (the only command that uses the network)")
    sources = fetch.add_subparsers(dest="source", required=True)
    sec = sources.add_parser(
        "sec",
        help="the SEC's XBRL company facts, as CIK##########.json",
        description="Download the SEC's XBRL company facts of each CIK into DIR, as CIK##########.json, "
        "by the SEC's rules: a declared User-Agent, at most ten requests a second. "
        "A file already in DIR is kept unless --refresh.",
    )
    sec.add_argument(
        "cik", nargs="+", metavar="CIK", help="the SEC's Central Index Key (digits, such as 320193 for Apple)"
    )
    sec.add_argument(
        "--user-agent",
        required=True,
        metavar="'NAME EMAIL'",
        help="who is asking, as the SEC requires: a name and an e-mail address",
    )
    sec.add_argument("--to", type=_path, required=True, metavar="DIR", help="the folder to write into")
    sec.add_argument("--refresh", action="store_true", help="download files that are already in DIR again")
    sec.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="download from another address: a mirror (https) or a test server on 127.0.0.1 "
        "(default: https://data.sec.gov)",
    )
    return parser


def _path(text: str) -> Path:
    """A path given on the command line (pathlib, and urllib and ipaddress behind it, load only then)."""
    from pathlib import Path  # noqa: PLC0415 -- only the options that take a path need it

    return Path(text)


def _fetch(arguments: argparse.Namespace) -> int:
    from capexmodel._fetch import SEC_URL, Fetcher, check_cik  # noqa: PLC0415 -- the command loads what it needs

    fetcher = Fetcher(arguments.user_agent, arguments.base_url or SEC_URL)
    ciks = list(dict.fromkeys(check_cik(cik) for cik in arguments.cik))  # every CIK checked before any request
    for cik in ciks:
        path, downloaded = fetcher.fetch(cik, arguments.to, refresh=arguments.refresh)
        if not downloaded:
            sys.stderr.write(f"capexmodel: kept {path}, already there (--refresh downloads it again)\n")
        sys.stdout.write(f"{path}\n")
    return 0


def _default_locale() -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value.startswith("zh"):
            return "zh_CN"
        if value:
            return "en_US"
    language = (system_locale.getlocale()[0] or "").lower()
    return "zh_CN" if language.startswith("zh") else "en_US"


def _report(arguments: argparse.Namespace) -> int:
    from capexmodel._loading import load_dataset  # noqa: PLC0415 -- the command loads what it needs
    from capexmodel._report import build_report  # noqa: PLC0415

    locale = arguments.locale or _default_locale()
    dataset = load_dataset(arguments.data)
    if arguments.rates == "ecb":
        from capexmodel._ecb import ecb_rates  # noqa: PLC0415

        dataset = attrs.evolve(dataset, rates=ecb_rates())
    report = build_report(dataset, locale)
    sys.stdout.write(RENDERERS[arguments.format](report))
    if arguments.chart is not None:
        return _charts(dataset, locale, arguments.chart)
    return 0


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def render_table(report: Report) -> str:
    """Plain-text tables, aligned for wide (CJK) characters too."""
    out = []
    for section in report.sections:
        keys = [key for key, _ in section.columns]
        titles = dict(section.columns)
        widths = {key: max([_width(titles[key]), *(_width(row[key]) for row in section.rows)]) for key in keys}
        out.append(section.title)
        out.append("  ".join(_pad(titles[key], widths[key]) for key in keys).rstrip())
        out.append("  ".join("-" * widths[key] for key in keys))
        out.extend("  ".join(_pad(row[key], widths[key]) for key in keys).rstrip() for row in section.rows)
        out.extend(f"* {note}" for note in section.notes)
        out.append("")
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    """Markdown: a heading and a pipe table per section."""
    out = []
    for section in report.sections:
        keys = [key for key, _ in section.columns]
        out.append(f"## {section.title}\n")
        out.append("| " + " | ".join(title for _, title in section.columns) + " |")
        out.append("|" + "---|" * len(keys))
        out.extend("| " + " | ".join(row[key].replace("|", "\\|") for key in keys) + " |" for row in section.rows)
        if section.notes:
            out.append("")
            out.extend(f"- {note}" for note in section.notes)
        out.append("")
    return "\n".join(out)


def render_csv(report: Report) -> str:
    """CSV: each section as its title, a header and its rows, separated by an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for section in report.sections:
        keys = [key for key, _ in section.columns]
        writer.writerow([section.title])
        writer.writerow([title for _, title in section.columns])
        writer.writerows([row[key] for key in keys] for row in section.rows)
        writer.writerows([f"note: {note}"] for note in section.notes)
        writer.writerow([])
    return buffer.getvalue()


def render_json(report: Report) -> str:
    """JSON: every section with its displayed rows and its exact values (decimals as strings)."""
    document = {
        "locale": report.locale,
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "columns": [{"key": key, "title": title} for key, title in section.columns],
                "rows": list(section.rows),
                "values": list(section.values),
                "notes": list(section.notes),
            }
            for section in report.sections
        ],
    }
    import json  # noqa: PLC0415 -- only this format needs it

    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"table": render_table, "markdown": render_markdown, "csv": render_csv, "json": render_json}


def _charts(dataset: Dataset, locale: str, folder: Path) -> int:
    try:
        from capexmodel._charts import write_charts  # noqa: PLC0415 -- matplotlib is optional
    except ImportError:
        sys.stderr.write("capexmodel: charts need matplotlib: pip install 'capexmodel[plot]'\n")
        return 1
    for note in write_charts(dataset, locale, folder):
        sys.stderr.write(f"capexmodel: {note}\n")
    return 0
