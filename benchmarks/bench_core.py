"""Benchmark capexmodel's hot paths against plain Python and py-moneyed.

Run it from the project root, with the project's virtualenv::

    .venv/bin/python benchmarks/bench_core.py

py-moneyed is the baseline for ``Money + Money``; it comes from the PEP 735
dependency group ``bench`` in pyproject.toml (``pip install --group bench``, pip
25.1 or later). Without it, that row is skipped with a message, not an error.

Every row is a ratio of two timings taken in the same run, so most machine noise
cancels: ``ratio = capexmodel time / baseline time``, and a row meets its target
when the ratio is at most the target. The targets are:

- ``Money + Money`` vs py-moneyed: ratio <= 1.2. Exact, checked addition should
  cost about what a plain money library charges.
- ``Money + Money`` vs ``Decimal + Decimal``: no target; it shows what the checks
  and the wrapper object cost on top of the arithmetic.
- ``total()`` of 10,000 amounts vs ``sum()`` of their Decimals: ratio <= 2.
  Checking currencies and periods once per list must stay cheap.
- ``import capexmodel`` vs ``import attrs, babel.numbers``: ratio <= 1.3, both
  for the bare import (the model loads lazily) and for the import followed by
  first use of the model. Each is timed inside a fresh interpreter (with
  ``time.perf_counter`` around the statement, so interpreter start-up is not
  counted), alternating, and the medians are compared. The same child processes
  check that capexmodel leaves ``pint`` out of ``sys.modules``, which is a target too.
- A fresh ``python -c "import capexmodel as cm; cm.load_dataset()"`` vs a fresh
  ``python -c "import attrs, babel.numbers"``: ratio <= 2; and ``python -m capexmodel
  report`` vs the same: ratio <= 3. These time whole processes, interpreter start-up
  included, as a user waits for them: alternating, medians compared. Loading the
  dataset must leave ``pint`` out too.

Child processes run with ``PYTHONDONTWRITEBYTECODE`` unset, so that the warm-up run
writes the ``.pyc`` files an installed package has (pip compiles them on install);
otherwise every run would compile capexmodel's modules from source.

In-process timings use `timeit.Timer.autorange` to pick a loop count, then
alternate between capexmodel and its baseline for several rounds and keep the
fastest round of each (the minimum is the least disturbed measurement). The
script always exits with status 0: it is a report, and its last line says how
many targets were met.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import timeit
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

import capexmodel as cm

ROUNDS: Final = 7
"""Timing rounds per in-process row; the fastest round of each side is kept."""

IMPORT_RUNS: Final = 15
"""Fresh interpreters per side for the import row (plus one warm-up each)."""

TOTAL_SIZE: Final = 10_000
"""How many amounts the ``total()`` row adds."""

ADD_TARGET: Final = 1.2
TOTAL_TARGET: Final = 2.0
IMPORT_TARGET: Final = 1.3
LOAD_TARGET: Final = 2.0
REPORT_TARGET: Final = 3.0

_CHILD: Final = (
    "import sys, time\n"
    "start = time.perf_counter()\n"
    "{statement}\n"
    "elapsed = time.perf_counter() - start\n"
    "print(elapsed, 'pint' in sys.modules)\n"
)
"""Code run by each fresh interpreter: time one statement, report it and whether pint got loaded."""

#: What the import rows time: the bare import (the model loads lazily), and the import
#: followed by first use of the whole model, which is what a user pays before computing.
IMPORT_STATEMENTS: Final = {
    "import capexmodel vs attrs+babel": "import capexmodel",
    "import + load model vs attrs+babel": (
        "import capexmodel; capexmodel.Money; capexmodel.Company; capexmodel.FiscalCalendar"
    ),
}
BASELINE_IMPORT: Final = "import attrs, babel.numbers"

#: What the whole-process rows run: each a command line after the interpreter, with
#: its target. The first prints whether pint got loaded, as `_CHILD` does.
PROCESSES: Final = {
    "load_dataset(), whole process": (
        ["-c", "import sys, capexmodel as cm; cm.load_dataset(); print('pint' in sys.modules)"],
        LOAD_TARGET,
    ),
    "capexmodel report, whole process": (["-m", "capexmodel", "report"], REPORT_TARGET),
}
BASELINE_PROCESS: Final = ["-c", BASELINE_IMPORT]

#: The environment of the child processes: as the caller's, but writing ``.pyc`` files.
_CHILD_ENV: Final = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True)
class Row:
    """One line of the report: a capexmodel timing against its baseline.

    Attributes:
        name: What is measured.
        ours: Seconds per operation with capexmodel.
        baseline: Seconds per operation for the baseline.
        target: The largest acceptable ratio, or None for an informational row.
    """

    name: str
    ours: float
    baseline: float
    target: float | None

    @property
    def ratio(self) -> float:
        """The capexmodel time divided by the baseline time."""
        return self.ours / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the ratio is within the target; None when there is no target."""
        return None if self.target is None else self.ratio <= self.target


def _fastest_pair(ours: timeit.Timer, baseline: timeit.Timer) -> tuple[float, float]:
    """Time two statements alternately and return the best seconds per loop of each.

    Args:
        ours: The capexmodel statement.
        baseline: The statement it is compared with.

    Returns:
        The fastest time per execution of `ours` and of `baseline`, in seconds.
    """
    ours_loops, _ = ours.autorange()
    baseline_loops, _ = baseline.autorange()
    best_ours = best_baseline = float("inf")
    for _ in range(ROUNDS):
        best_ours = min(best_ours, *ours.repeat(repeat=1, number=ours_loops))
        best_baseline = min(best_baseline, *baseline.repeat(repeat=1, number=baseline_loops))
    return best_ours / ours_loops, best_baseline / baseline_loops


def bench_add_vs_moneyed() -> Row | None:
    """Time ``Money + Money`` in capexmodel and in py-moneyed.

    Returns:
        The row, or None (after saying how to install it) when py-moneyed is missing.
    """
    try:
        from moneyed import Money as PyMoney  # type: ignore[import-not-found, unused-ignore]  # noqa: PLC0415
    except ImportError:
        print(
            "py-moneyed is not installed: skipping 'Money + Money vs py-moneyed'.\n"
            "  Install it with: .venv/bin/pip install --group bench   (or: .venv/bin/pip install py-moneyed)"
        )
        return None
    year = cm.CalendarYear(2024)
    ours = timeit.Timer(
        "a + b",
        globals={"a": cm.Money("777.5", "USD", year), "b": cm.Money("756.25", "USD", year)},
    )
    theirs = timeit.Timer(
        "a + b",
        globals={"a": PyMoney("777.5", "USD"), "b": PyMoney("756.25", "USD")},
    )
    ours_time, theirs_time = _fastest_pair(ours, theirs)
    return Row("Money + Money vs py-moneyed", ours_time, theirs_time, ADD_TARGET)


def bench_add_vs_decimal() -> Row:
    """Time ``Money + Money`` in capexmodel against ``Decimal + Decimal``.

    Returns:
        The row (informational: it has no target).
    """
    year = cm.CalendarYear(2024)
    ours = timeit.Timer(
        "a + b",
        globals={"a": cm.Money("777.5", "USD", year), "b": cm.Money("756.25", "USD", year)},
    )
    bare = timeit.Timer("a + b", globals={"a": Decimal("777.5"), "b": Decimal("756.25")})
    ours_time, bare_time = _fastest_pair(ours, bare)
    return Row("Money + Money vs Decimal", ours_time, bare_time, None)


def bench_total() -> Row:
    """Time `capexmodel.total` of many amounts against `sum` of their Decimals.

    Returns:
        The row.
    """
    year = cm.CalendarYear(2024)
    amounts = [cm.Money(Decimal(i) / 100, "USD", year) for i in range(TOTAL_SIZE)]
    decimals = [amount.amount for amount in amounts]
    ours = timeit.Timer("total(amounts)", globals={"total": cm.total, "amounts": amounts})
    bare = timeit.Timer("sum(decimals)", globals={"decimals": decimals})
    ours_time, bare_time = _fastest_pair(ours, bare)
    return Row(f"total() of {TOTAL_SIZE:,} vs sum()", ours_time, bare_time, TOTAL_TARGET)


def _time_import(statement: str) -> tuple[float, bool]:
    """Run an import `statement` in a fresh interpreter and time it there.

    Args:
        statement: Python code, such as ``"import attrs, babel.numbers"``.

    Returns:
        The seconds the import took, and whether ``pint`` was in ``sys.modules`` after it.
    """
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD.format(statement=statement)],
        capture_output=True,
        text=True,
        check=True,
        env=_CHILD_ENV,
    )
    elapsed, pint_loaded = completed.stdout.split()
    return float(elapsed), pint_loaded == "True"


def _time_process(arguments: list[str]) -> tuple[float, bool]:
    """Run the interpreter with `arguments` in a fresh process and time all of it, start-up included.

    Args:
        arguments: What follows the interpreter on the command line.

    Returns:
        The seconds from start to exit, and whether the process printed ``True`` last
        (the load row prints whether pint got loaded).
    """
    start = time.perf_counter()
    completed = subprocess.run([sys.executable, *arguments], capture_output=True, text=True, check=True, env=_CHILD_ENV)
    elapsed = time.perf_counter() - start
    return elapsed, completed.stdout.strip().endswith("True")


def bench_processes() -> tuple[list[Row], bool]:
    """Time each of `PROCESSES` against `BASELINE_PROCESS`, as whole fresh processes.

    Returns:
        The rows (median times), and whether loading the dataset loaded pint.
    """
    runs = {name: arguments for name, (arguments, _) in PROCESSES.items()} | {"baseline": BASELINE_PROCESS}
    for arguments in runs.values():  # warm-up: writes any missing .pyc files, fills the OS cache
        _time_process(arguments)
    times: dict[str, list[float]] = {name: [] for name in runs}
    pint_loaded = False
    for _ in range(IMPORT_RUNS):
        for name, arguments in runs.items():
            elapsed, loaded = _time_process(arguments)
            times[name].append(elapsed)
            pint_loaded = pint_loaded or (loaded and name != "baseline")
    baseline = statistics.median(times["baseline"])
    rows = [Row(name, statistics.median(times[name]), baseline, target) for name, (_, target) in PROCESSES.items()]
    return rows, pint_loaded


def bench_import() -> tuple[list[Row], bool]:
    """Time each of `IMPORT_STATEMENTS` against `BASELINE_IMPORT` in fresh interpreters.

    Returns:
        The rows (median times), and whether any capexmodel import loaded pint.
    """
    statements = [*IMPORT_STATEMENTS.values(), BASELINE_IMPORT]
    for statement in statements:  # warm-up: writes any missing .pyc files, fills the OS cache
        _time_import(statement)
    times: dict[str, list[float]] = {statement: [] for statement in statements}
    pint_loaded = False
    for _ in range(IMPORT_RUNS):
        for statement in statements:
            elapsed, loaded = _time_import(statement)
            times[statement].append(elapsed)
            pint_loaded = pint_loaded or (loaded and statement != BASELINE_IMPORT)
    baseline = statistics.median(times[BASELINE_IMPORT])
    rows = [
        Row(name, statistics.median(times[statement]), baseline, IMPORT_TARGET)
        for name, statement in IMPORT_STATEMENTS.items()
    ]
    return rows, pint_loaded


def _format_time(seconds: float) -> str:
    """Format a duration with a unit that keeps it readable (ns, us, ms or s)."""
    for unit, scale in (("ns", 1e-9), ("us", 1e-6), ("ms", 1e-3)):
        if seconds < scale * 1000:
            return f"{seconds / scale:7.1f} {unit}"
    return f"{seconds:7.2f} s"


def _verdict(met: bool | None) -> str:  # noqa: FBT001 -- a tri-state flag, not an option
    """Return ``ok``, ``MISS`` or ``-`` (no target)."""
    if met is None:
        return "-"
    return "ok" if met else "MISS"


def main() -> None:
    """Run every benchmark and print the report."""
    print(f"capexmodel {cm.__version__}, Python {sys.version.split()[0]}")
    rows: list[Row] = []
    skipped = 0
    moneyed_row = bench_add_vs_moneyed()
    if moneyed_row is None:
        skipped += 1
    else:
        rows.append(moneyed_row)
    rows.append(bench_add_vs_decimal())
    rows.append(bench_total())
    import_rows, pint_loaded = bench_import()
    rows.extend(import_rows)
    process_rows, pint_loaded_by_data = bench_processes()
    rows.extend(process_rows)
    pint_loaded = pint_loaded or pint_loaded_by_data

    header = f"{'benchmark':<34} {'capexmodel':>10} {'baseline':>10} {'ratio':>6} {'target':>7}  result"
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        target = "-" if row.target is None else f"<= {row.target:g}"
        print(
            f"{row.name:<34} {_format_time(row.ours):>10} {_format_time(row.baseline):>10} "
            f"{row.ratio:6.2f} {target:>7}  {_verdict(row.met)}"
        )
    pint_note = "loaded" if pint_loaded else "not loaded"
    pint_row = f"{'pint after import, load_dataset()':<34} {pint_note:>10} {'':>10} {'':>6} {'absent':>7}"
    print(f"{pint_row}  {_verdict(not pint_loaded)}")
    print("-" * len(header))

    verdicts = [row.met for row in rows if row.met is not None] + [not pint_loaded]
    met = sum(verdicts)
    skipped_note = f", {skipped} skipped (py-moneyed missing)" if skipped else ""
    print(f"{met} of {len(verdicts)} targets met{skipped_note}")


if __name__ == "__main__":
    main()
