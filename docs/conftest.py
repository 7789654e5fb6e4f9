"""Doctests of the documentation pages: the real-data guide reads SEC files from ``data/``."""

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "sec"


@pytest.fixture(autouse=True)
def _sec_files_in_data(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the real-data guide in a folder whose ``data/`` holds the SEC files `capexmodel fetch` would bring."""
    if Path(str(request.node.path)).name != "real-data.md":
        return
    if not FIXTURES.is_dir():
        pytest.fail(f"the SEC fixtures are missing: expected them in {FIXTURES}")
    shutil.copytree(FIXTURES, tmp_path / "data")
    monkeypatch.chdir(tmp_path)

# The build's hooks and griffe extensions need the `docs` extra, which the tests do not install.
collect_ignore = ["hooks"]
