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

import os  # noqa: E402

import pytest  # noqa: E402

import webtensor  # noqa: E402
from wtcheck import DEVICE_COUNTS, devices_under_test  # noqa: E402

# The device grid is collected only where this tier names a device (wtcheck says which):
# not collecting it is the tier's explicit choice, not a skip.
collect_ignore = [] if devices_under_test() else ["test_portable_device.py",
                                                  "test_portable_device_special.py"]
# CPython: wgpu on Mesa's lavapipe, as tests/unit/webgpu/conftest.py (set before wgpu loads)
LAVAPIPE_ICD = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json"
if "VK_ICD_FILENAMES" not in os.environ and os.path.exists(LAVAPIPE_ICD):
    os.environ["VK_ICD_FILENAMES"] = LAVAPIPE_ICD

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


def pytest_terminal_summary(terminalreporter):
    for device, n in DEVICE_COUNTS.items():
        terminalreporter.write_line(
            f"device grid {device}: {n['matched']} cases matched, {n['unsupported']} "
            f"NotImplementedError, {n['known']} known bugs; {n['nn']} nn cases matched "
            f"(adapter {n['adapter']!r})")
