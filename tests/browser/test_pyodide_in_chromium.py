"""Pyodide on a Chromium page's main thread: the portable suite and the kernel side modules.

ctypes.CDLL compiles a side module synchronously; Chromium limits synchronous compilation on
the main thread by size, so this is the place that proves the kernels stay loadable."""
import pytest

# The kernels ship as .wasm (not .so) so micropip does not precompile them at install; a copy
# under a fresh path still guarantees ctypes.CDLL does its own synchronous compile here.
# Modules are found by magic bytes, whatever their names; Chromium must compile all of them.
LOAD_ALL_KERNELS = r"""
import ctypes, pathlib, shutil, webtensor
mods = [p for p in sorted(pathlib.Path(webtensor.__path__[0], "kernels").iterdir())
        if p.is_file() and p.read_bytes()[:4] == b"\0asm"]
assert mods, "no WASM modules under webtensor/kernels/ in the installed package"
fresh = pathlib.Path("/tmp/sync_compile")
fresh.mkdir(exist_ok=True)
for p in mods:
    shutil.copyfile(p, fresh / p.name)
    ctypes.CDLL(str(fresh / p.name))
    print("KERNEL-LOADED", p.name, p.stat().st_size, "bytes")
from webtensor import backends
print("BACKEND", backends.get_backend())
print("KERNELS-OK", len(mods))
"""


def test_portable_suite_in_chromium_main_thread(run_in_browser, repo, summary_counts,
                                                record_inner_suite):
    assert any((repo / "tests" / "portable").glob("**/test_*.py")), "tests/portable is empty"
    code, output, secs = run_in_browser(args=["tests/portable", "-ra"])
    counts = summary_counts(output)
    record_inner_suite("Chromium: tests/portable (page main thread)", counts, secs)
    assert code == 0, f"pytest in Chromium exited {code}: {counts}\n{output[-3000:]}"
    assert counts.get("passed", 0) >= 1, counts


def test_kernels_load_on_main_thread(run_in_browser, repo, webtensor_wheel):
    import zipfile

    if not (repo / "scripts" / "build_kernels.py").exists():
        pytest.skip("no kernels yet (scripts/build_kernels.py does not exist)")
    with zipfile.ZipFile(webtensor_wheel) as z:
        n = sum(1 for f in z.namelist()
                if f.startswith("webtensor/kernels/") and z.read(f)[:4] == b"\0asm")
    assert n, "the wheel carries no WASM modules under webtensor/kernels/"
    code, output, _ = run_in_browser(code=LOAD_ALL_KERNELS)
    assert code == 0, output[-3000:]
    assert f"KERNELS-OK {n}" in output
    if (repo / "pyodide_pkg/webtensor/backends/wasm").is_dir():
        assert "BACKEND wasm" in output, output[-3000:]


def test_page_runner_reports_failures(run_in_browser):
    code, output, _ = run_in_browser(
        code="import webtensor, sys\nassert sys.platform == 'emscripten'\nassert 1 == 2, 'canary'")
    assert code == 1 and "canary" in output, output[-2000:]
