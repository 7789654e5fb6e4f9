"""First use from several threads at once: lazy loading is thread-safe.

capexmodel loads its model, and babel behind it, on first use. Two threads using it for the
first time at the same moment once imported babel from two sides and failed with "cannot
import name 'Locale' from partially initialized module 'babel.core'" in about one run in five.
Each scenario runs in fresh interpreters; to see many first uses at a bearable cost, each
interpreter repeats the scenario after forgetting babel and capexmodel (everything but the
pint registry, which is slow to build and not what is tested here).
"""

import json
import subprocess
import sys
import textwrap

import pytest

#: Interpreters per scenario, run side by side, and first uses in each. Before the fix, a currency
#: and a number first used together failed in 9 to 14 first uses of 50 (the report said one run in
#: 4 to 15), a currency and a region's name in 4 to 14 of 50: 40 first uses miss the failure about
#: once in 30 at the lowest of those rates, about once in 10,000 at one in five.
PROCESSES, ROUNDS = 2, 20

SCENARIO = textwrap.dedent("""
    import json, sys, threading

    rounds, touch_first, jobs = int(sys.argv[1]), sys.argv[2] == "touch", sys.argv[3:]
    kept = {"capexmodel._model.units"}  # the pint registry, built once per interpreter
    failures = []
    for _ in range(rounds):
        for name in [name for name in sys.modules if name.partition(".")[0] in ("babel", "capexmodel")]:
            if name not in kept:
                del sys.modules[name]
        import capexmodel as cm

        if touch_first:  # the modules load, babel does not
            cm.Currency, cm.Region, cm.parse_number
        calls = {
            "currency": lambda: cm.Currency("USD"),
            "parse_number": lambda: cm.parse_number("1,000"),  # grouped: read by the grammar, with babel's data
            "region": lambda: cm.Region("CN").name("zh_CN"),
            "money": lambda: cm.Money("1", "CNY", cm.CalendarYear(2024)) / 3,
            "company": lambda: cm.Company(id="a", name_en="A", name_zh="A", region="US", currency="USD"),
        }
        barrier = threading.Barrier(len(jobs))

        def run(job):
            barrier.wait()
            try:
                calls[job]()
            except Exception as error:
                failures.append(f"{job}: {error!r}")

        threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(json.dumps(failures))
""")


def first_uses(*args, rounds=ROUNDS):
    """Run the scenario `rounds` times in each of `PROCESSES` fresh interpreters side by side; every failure seen."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCENARIO, str(rounds), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    failures = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        failures += json.loads(out)
    return failures


@pytest.mark.parametrize(
    "jobs",
    [("currency", "parse_number"), ("currency", "region")],
    ids=["the reported case", "babel from two of the model's modules"],
)
def test_babel_first_used_from_two_threads(jobs):
    assert first_uses("touch", *jobs) == []


def test_the_model_first_used_from_several_threads_untouched():
    # Every name loads on first use, from four threads; this never failed, but the names' loader is shared.
    assert first_uses("cold", "currency", "region", "money", "company", rounds=5) == []


PEAKS = textwrap.dedent("""
    import threading
    import capexmodel as cm

    cm.chip  # the module loads, pint does not
    barrier = threading.Barrier(3)
    peaks = []

    def run():
        barrier.wait()
        peaks.append(cm.chip("H100").throughput("bf16"))

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(sum(peaks[1:], peaks[0]).to("TFLOP/s"))
""")


def test_chip_peaks_first_used_from_three_threads_share_one_unit_registry():
    # Before the fix each thread built its own pint registry (3 runs in 3), and quantities from two
    # registries cannot be added.
    result = subprocess.run([sys.executable, "-c", PEAKS], capture_output=True, text=True, check=False, timeout=600)
    assert (result.returncode, result.stdout.strip()) == (0, "2967 teraFLOP / second"), result.stderr
