"""Every speed target of the project, in one run.

Run it from the project root, with the project's virtualenv, on a quiet machine::

    .venv/bin/python benchmarks/run_all.py

It runs `bench_core.py` (``Money + Money``, ``total()`` against ``sum()``, the import,
a fresh ``load_dataset()`` and a fresh ``capexmodel report`` against a fresh
``import attrs, babel.numbers``) and then `bench_frames.py` (the table functions on a
million facts against hand-written polars), prints each report as it comes, and ends
with the verdict line of each. Like the scripts it runs, it exits with status 0: it
is a report, not a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPTS = ("bench_core.py", "bench_frames.py")


def main() -> None:
    """Run each benchmark script in turn, then print their verdicts together."""
    verdicts = []
    for script in SCRIPTS:
        print(f"== {script}", flush=True)
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).with_name(script))], capture_output=True, text=True, check=True
        )
        print(completed.stdout, end="", flush=True)
        verdicts.append(f"{script}: {completed.stdout.strip().splitlines()[-1]}")
    print("== verdicts")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
