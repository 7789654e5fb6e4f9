"""The pint registry: one per interpreter, built in the library's context, and loaded only for physical quantities."""

import subprocess
import sys
import threading

import pytest

from capexmodel._model.units import units


def run_python(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_every_thread_gets_the_same_registry():
    code = """
import threading
from capexmodel._model.units import units
barrier = threading.Barrier(4)
seen = []
def build():
    barrier.wait()
    seen.append(units())
threads = [threading.Thread(target=build) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len({id(registry) for registry in seen}))
"""
    assert run_python(code) == "1"  # four threads built four registries


def test_the_registry_is_built_and_used_in_the_librarys_own_context():
    code = """
import decimal
signals = [decimal.Clamped, decimal.DivisionByZero, decimal.FloatOperation, decimal.Inexact,
           decimal.InvalidOperation, decimal.Overflow, decimal.Rounded, decimal.Subnormal, decimal.Underflow]
with decimal.localcontext(decimal.Context(prec=5, Emax=5, Emin=-5, traps=signals)) as context:
    import capexmodel as cm
    from capexmodel._model.units import units
    h20 = cm.chip("H20")
    quantities = [h20.throughput("bf16"), h20.memory_size(), h20.bandwidth(), h20.power()]
    print("FLOP" in units(), [str(quantity.magnitude) for quantity in quantities], any(context.flags.values()))
"""
    # Before pint was built in the library's context, it raised in the caller's.
    assert run_python(code) == "True ['148', '96', '4.0', '400'] False"


def test_units_is_shared_by_threads_in_this_process():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(units())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(registry is units() for registry in seen)


@pytest.mark.parametrize(
    "statement",
    [
        "import capexmodel as cm",
        "import capexmodel as cm; cm.load_dataset()",
        "import capexmodel as cm; cm.parse_money('1.5万亿元', cm.CalendarYear(2024))",
        "import capexmodel as cm; cm.parse_number('82,999 million', locale='de_DE')",
        "import capexmodel as cm; cm.chip('H20'); cm.h100_equivalents([], basis='bandwidth')",
        "from capexmodel._present.cli import main; main(['report'])",
    ],
)
def test_pint_loads_only_for_physical_quantities(statement):
    code = f"""
import contextlib, io, sys
with contextlib.redirect_stdout(io.StringIO()):
    {statement}
print('pint' in sys.modules)
"""
    assert run_python(code) == "False"


def test_a_physical_quantity_loads_pint():
    code = "import sys, capexmodel as cm; cm.chip('H20').bandwidth(); print('pint' in sys.modules)"
    assert run_python(code) == "True"
