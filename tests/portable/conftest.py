"""Portable tier: webtensor + pytest + hypothesis only (no numpy, no torch), so the same files
run on CPython and inside Pyodide (tests/pyodide/run_pytest.mjs copies this directory and
tests/golden into Pyodide's file system)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # wtcheck / wtcases, whatever pytest's --import-mode
    sys.path.insert(0, str(HERE))
if (HERE.parents[1] / "pyodide_pkg" / "webtensor").is_dir():
    # CPython in the repo: test the working tree (inside Pyodide only tests/ is copied, and
    # the installed wheel is what runs)
    sys.path.insert(0, str(HERE.parents[1] / "pyodide_pkg"))

import pytest  # noqa: E402

import webtensor  # noqa: E402

# The backend webtensor chose when it was imported, before any test switched it.
INITIAL_BACKEND = webtensor.backends.get_backend()


@pytest.fixture(scope="session")
def initial_backend():
    return INITIAL_BACKEND


@pytest.fixture(autouse=True)
def _restore_backend():
    """Every test starts and ends on the backend the session started with."""
    from webtensor import backends
    before = backends.get_backend()
    yield
    backends.set_backend(before)
