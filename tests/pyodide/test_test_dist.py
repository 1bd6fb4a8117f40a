"""The offline Pyodide test dist (scripts/make_test_dist.py) is self-consistent: every lock
entry's file is present with its sha256, dependencies are closed, nothing points at the CDN."""
import hashlib
import json


def test_lock_lists_only_present_wheels(test_dist):
    lock = json.loads((test_dist / "pyodide-lock.json").read_text())
    packages = lock["packages"]
    for name, entry in packages.items():
        whl = test_dist / entry["file_name"]
        assert whl.exists(), f"{name}: {entry['file_name']} is in the lock but not in the dist"
        assert hashlib.sha256(whl.read_bytes()).hexdigest() == entry["sha256"], name
        assert set(entry["depends"]) <= set(packages), f"{name} depends on missing packages"
    assert {"micropip", "packaging", "pytest", "hypothesis"} <= set(packages)
    # pytest-pyodide needs pytest 9.0.x; keep the in-Pyodide pytest there too.
    assert packages["pytest"]["version"].startswith("9.0.")


def test_dist_has_the_interpreter(test_dist):
    for f in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (test_dist / f).is_file(), f
