import inspect
import subprocess
import sys

import pytest

import capexmodel as cm


def test_all_is_sorted_and_complete():
    modules = {name for name, value in vars(cm).items() if inspect.ismodule(value)}  # capexmodel.frames
    loaded_at_import = {name for name in vars(cm) if not name.startswith("_")} - modules
    assert cm.__all__ == sorted(cm.__all__)
    assert set(cm.__all__) == loaded_at_import | set(cm._LAZY) | {"__version__"}
    assert set(dir(cm)) >= set(cm.__all__)
    for name in cm.__all__:
        assert getattr(cm, name) is not None


def test_every_name_has_one_public_location():
    import importlib  # noqa: PLC0415

    for name in cm._LAZY:
        obj = getattr(cm, name)
        assert vars(importlib.import_module(cm._LAZY[name]))[name] is obj, name  # written where _LAZY says
        assert cm._LAZY[name].split(".")[1].startswith("_"), f"{name} lives in a public module"
        assert obj.__module__ == "capexmodel", name  # and named after the package


def test_unknown_names_are_attribute_errors():
    with pytest.raises(AttributeError, match="module 'capexmodel' has no attribute 'Monie'"):
        cm.Monie  # type: ignore[attr-defined] # noqa: B018 -- mypy catches misspelt names too


def test_every_public_name_has_a_docstring():
    for name in cm.__all__:
        if name == "__version__":
            continue
        obj = getattr(cm, name)
        assert inspect.getdoc(obj), f"capexmodel.{name} has no docstring"
        if inspect.isclass(obj):
            for member_name, member in vars(obj).items():
                if not member_name.startswith("_") and (callable(member) or isinstance(member, property)):
                    assert inspect.getdoc(member), f"capexmodel.{name}.{member_name} has no docstring"


def test_errors_are_named_where_users_catch_them():
    assert cm.PeriodMismatchError.__module__ == "capexmodel"
    errors = [obj for obj in vars(cm).values() if inspect.isclass(obj) and issubclass(obj, Exception)]
    assert errors
    assert all(issubclass(error, cm.CapexModelError) for error in errors)
    assert all(error.__module__ == "capexmodel" for error in errors)


def test_errors_beyond_the_contract_derive_from_a_builtin_too():
    assert issubclass(cm.InvalidValueError, ValueError)
    assert issubclass(cm.DivisionByZeroError, ZeroDivisionError)
    for error in (cm.InvalidAmountError, cm.InvalidPeriodError, cm.UnknownCurrencyError):
        assert issubclass(error, cm.InvalidValueError)


def test_the_error_hierarchy_drawn_in_the_errors_module_names_every_error():
    from capexmodel import _errors  # noqa: PLC0415

    drawing = _errors.__doc__ or ""
    for name in _errors.__all__:
        assert name in drawing


def test_import_is_light():
    code = (
        "import sys, capexmodel; "
        "print(sorted(m for m in ('attrs', 'pint', 'babel', 'babel.numbers', 'typing') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_package_ships_py_typed():
    from importlib.resources import files  # noqa: PLC0415

    assert files("capexmodel").joinpath("py.typed").is_file()


def test_error_messages_survive_values_that_cannot_be_shown():
    from capexmodel._errors import show  # noqa: PLC0415

    class Broken:
        def __repr__(self):
            raise RuntimeError

    assert show(Broken()) == "<a Broken that cannot be shown>"
    with pytest.raises(cm.InvalidAmountError, match="got <a Broken that cannot be shown> of type Broken"):
        cm.Money(Broken(), "USD", cm.CalendarYear(2024))  # type: ignore[arg-type]


def test_every_public_name_is_in_the_api_reference():
    from pathlib import Path  # noqa: PLC0415

    pages = Path(__file__).parent.parent / "docs" / "reference"
    documented = {
        line.removeprefix("::: capexmodel.").strip()
        for page in pages.glob("*.md")
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.startswith("::: capexmodel.")
    }
    assert set(cm.__all__) - {"__version__"} == documented - {"frames"}  # frames: a public module, on its own page


def test_the_frames_module_documents_every_name():
    from pathlib import Path  # noqa: PLC0415

    from capexmodel import frames  # noqa: PLC0415

    page = (Path(__file__).parent.parent / "docs" / "reference" / "frames.md").read_text(encoding="utf-8")
    listed = {line.strip().removeprefix("- ") for line in page.splitlines() if line.startswith("        - ")}
    assert listed == set(frames.__all__)
    for name in frames.__all__:
        obj = getattr(frames, name)
        if inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"capexmodel.frames.{name} has no docstring"
            assert ">>>" in (obj.__doc__ or ""), f"capexmodel.frames.{name} has no example"


def test_public_names_belong_to_the_package():
    import inspect  # noqa: PLC0415

    from capexmodel import frames  # noqa: PLC0415

    for package in (cm, frames):
        named = [getattr(package, name) for name in package.__all__]
        defined = [value for value in named if inspect.isclass(value) or inspect.isfunction(value)]
        assert defined
        assert [value for value in defined if value.__module__ != package.__name__] == []


def test_a_pickle_never_points_into_a_private_module():
    import pickle  # noqa: PLC0415

    ds = cm.load_dataset()
    fact = ds.fact("tencent", "capex", cm.CalendarYear(2024), basis=ds.facts[0].basis)
    for value in (fact, ds.rates, cm.Status.DERIVED, cm.Metric.CAPEX, cm.total, cm.Currency("USD")):
        data = pickle.dumps(value)
        assert b"capexmodel._" not in data
        assert pickle.loads(data) == value
