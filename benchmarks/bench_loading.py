"""Benchmark: reading data files takes time linear in their rows.

Run it from the project root, with the project's virtualenv::

    .venv/bin/python benchmarks/bench_loading.py

For each kind of file that can grow long (statements, facts, purchases, rates), it
writes a small and a large file (``SMALL`` and ``SMALL * GROWTH`` rows), loads each
with `capexmodel.load_dataset` in the same run, keeps the fastest of ``ROUNDS``
loads, and reports the ratio of the cost per row::

    ratio = (large time / large rows) / (small time / small rows)

A loader is linear when the ratio stays near 1; the target is a ratio of at most
``TARGET``. A quadratic loader shows a ratio near ``GROWTH`` (10). Loading merges
into the embedded dataset, whose cost is measured alone and subtracted first. The
script always exits with status 0: it is a report, and its last line says how many
targets were met.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

import capexmodel as cm
from capexmodel._sources.loading import COLUMNS

if TYPE_CHECKING:
    from collections.abc import Callable

SMALL: Final = 4_000
GROWTH: Final = 10
ROUNDS: Final = 5
TARGET: Final = 1.5

#: A row of each kind, numbered so that no two rows are duplicates.
ROWS: Final[dict[str, Callable[[int], str]]] = {
    "statements": lambda n: f"key_{n},{n},share,statement {n},陈述{n},caijing",
    "facts": lambda n: f"meta,capex,{1000 + n // 12}-{n % 12 + 1:02d},{n},million,USD,,reported,caijing,",
    "purchases": lambda n: f"meta,H100,{n},,{1000 + n // 12}-{n % 12 + 1:02d},omdia",
    "rates": lambda n: f"USD,CNY,7.{n},{1000 + n // 12}-{n % 12 + 1:02d},caijing",
}


def fastest(folder: Path) -> float:
    """The fastest of `ROUNDS` loads of `folder`, in seconds."""
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.perf_counter()
        cm.load_dataset(folder)
        best = min(best, time.perf_counter() - start)
    return best


def write(folder: Path, kind: str, rows: int) -> Path:
    """A new folder holding one file of `kind` with `rows` rows."""
    folder.mkdir()
    lines = [",".join(COLUMNS[kind]), *(ROWS[kind](n) for n in range(rows))]
    (folder / f"{kind}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def main() -> None:
    """Print one row per kind of file, and how many met the target."""
    met = 0
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        empty = root / "empty"
        empty.mkdir()
        (empty / "sources.csv").write_text(",".join(COLUMNS["sources"]) + "\n", encoding="utf-8")
        base = fastest(empty)
        print(f"loading the embedded dataset and an empty file: {base * 1000:.1f} ms")
        for kind in ROWS:
            small = fastest(write(root / f"{kind}-small", kind, SMALL)) - base
            large = fastest(write(root / f"{kind}-large", kind, SMALL * GROWTH)) - base
            ratio = (large / (SMALL * GROWTH)) / (small / SMALL)
            met += ratio <= TARGET
            verdict = "met" if ratio <= TARGET else "NOT met"
            print(
                f"{kind:>10}: {SMALL:,} rows {small * 1000:8.1f} ms, {SMALL * GROWTH:,} rows {large * 1000:8.1f} ms;"
                f" cost per row, large over small: {ratio:.2f} (target <= {TARGET}: {verdict})"
            )
    print(f"{met} of {len(ROWS)} targets met")


if __name__ == "__main__":
    main()
