"""Benchmark: reading SEC company facts costs a small multiple of parsing their JSON.

Run it from the project root, with the project's virtualenv::

    .venv/bin/python benchmarks/bench_sec.py [FILE ...]

By default it reads Apple's company facts (about 4 MB) and Alphabet's from the
shared fixtures folder beside the repository (``../shared/fixtures/sec``). For each
file it times, in the same run, alternating, ``ROUNDS`` times each:

- ``json.loads`` of the file's bytes (the baseline: what any reader must pay), and
- ``capexmodel.read_companyfacts`` of the file (reading, parsing every number
  exactly, checking every value read, deriving quarters, building the facts),

keeps the fastest of each (the least disturbed measurement), and reports both
absolute times and their ratio. The embedded dataset, which the reader consults
for the company, is loaded once before timing. The targets: the reader takes at
most ``TARGET_SECONDS`` on a file, and at most ``TARGET_RATIO`` times ``json.loads``.
The script always exits with status 0: it is a report, and its last line says how
many targets were met.
"""

from __future__ import annotations

import json
import sys
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final

import capexmodel as cm

if TYPE_CHECKING:
    from collections.abc import Callable

ROUNDS: Final = 7
TARGET_SECONDS: Final = 0.5
TARGET_RATIO: Final = 5.0
FIXTURES: Final = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "sec"
DEFAULT_FILES: Final = ("CIK0000320193.json", "CIK0001652044.json")


def fastest(calls: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of `ROUNDS` runs of each call, in seconds, the calls alternating."""
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(ROUNDS):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main(arguments: list[str]) -> None:
    """Print one row per file, and how many targets were met."""
    files = [Path(argument) for argument in arguments] or [FIXTURES / name for name in DEFAULT_FILES]
    cm.load_dataset()  # read once, as every later call finds it read
    met = total = 0
    for file in files:
        data = file.read_bytes()
        times = fastest({"json": partial(json.loads, data), "read": partial(cm.read_companyfacts, file)})
        ratio = times["read"] / times["json"]
        facts = len(cm.read_companyfacts(file).facts)
        fast, close = times["read"] <= TARGET_SECONDS, ratio <= TARGET_RATIO
        met += fast + close
        total += 2
        print(
            f"{file.name}: {len(data) / 1e6:.1f} MB, {facts} facts; json.loads {times['json'] * 1000:.1f} ms,"
            f" read_companyfacts {times['read'] * 1000:.1f} ms"
            f" (target <= {TARGET_SECONDS * 1000:.0f} ms: {'met' if fast else 'NOT met'});"
            f" ratio {ratio:.2f} (target <= {TARGET_RATIO}: {'met' if close else 'NOT met'})"
        )
    print(f"{met} of {total} targets met")


if __name__ == "__main__":
    main(sys.argv[1:])
