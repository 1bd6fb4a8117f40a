"""The wheel's WASM kernel side modules load inside Pyodide through ctypes, and webtensor
picks the wasm backend by itself."""
import os
import re

import pytest

# Every WASM module under webtensor/kernels/ that this runtime can compile must load through
# ctypes (plain Node 20 cannot compile relaxed-SIMD modules: those are reported, not loaded).
LOAD_ALL_KERNELS = r"""
import ctypes, pathlib, webtensor
from js import WebAssembly
from pyodide.ffi import to_js
mods = [p for p in sorted(pathlib.Path(webtensor.__path__[0], "kernels").iterdir())
        if p.is_file() and p.read_bytes()[:4] == b"\0asm"]
assert mods, "no WASM modules under webtensor/kernels/ in the installed package"
loaded = 0
for p in mods:
    if not WebAssembly.validate(to_js(p.read_bytes())):
        print("KERNEL-UNSUPPORTED-HERE", p.name)
        continue
    ctypes.CDLL(str(p))
    loaded += 1
    print("KERNEL-LOADED", p.name, p.stat().st_size, "bytes")
print(f"KERNELS-LOADED {loaded} OF {len(mods)}")
"""

BACKEND = r"""
import webtensor
from webtensor import backends
print("BACKEND", backends.get_backend())
"""


def test_wheel_kernels_load_with_ctypes(run_in_pyodide, wheel_kernels, repo):
    assert wheel_kernels, ("the wheel carries no WASM modules under webtensor/kernels/ "
                           "(run scripts/build_kernels.py before building the wheel)")
    res = run_in_pyodide("-c", LOAD_ALL_KERNELS)
    assert res.returncode == 0, res.output[-3000:]
    m = re.search(r"KERNELS-LOADED (\d+) OF (\d+)", res.output)
    assert m and int(m[1]) >= 1 and int(m[2]) == len(wheel_kernels), res.output[-3000:]


def test_default_backend_is_wasm_in_pyodide(run_in_pyodide, wheel_kernels, repo):
    assert wheel_kernels, "the wheel carries no WASM modules under webtensor/kernels/"
    res = run_in_pyodide("-c", BACKEND)
    assert res.returncode == 0, res.output[-3000:]
    assert "BACKEND wasm" in res.output, res.output[-3000:]


NO_RELAXED = r"""
from js import Uint8Array, WebAssembly
relaxed_probe = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13,
                 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]
print("RELAXED-SIMD", WebAssembly.validate(Uint8Array.new(relaxed_probe)))
import webtensor as torch
print("SOFTMAX", torch.tensor([1.0, 2.0]).softmax(-1).tolist())
"""


def test_wheel_installs_without_relaxed_simd(run_in_pyodide, node, wheel_kernels):
    """Firefox/Safari/Node 20 lack relaxed SIMD. micropip.install compiles every *.so in the
    wheel at install time, so a relaxed-SIMD module shipped as .so breaks installation there;
    plain Node 20 (no --experimental-wasm-relaxed-simd) is such a runtime."""
    if "relaxed-simd" in os.environ.get("WEBTENSOR_NODE_FLAGS", ""):
        pytest.skip("relaxed SIMD enabled through WEBTENSOR_NODE_FLAGS")
    res = run_in_pyodide("-c", NO_RELAXED)
    assert "Could not load dynamic lib" not in res.output, (
        "micropip.install failed on a runtime without relaxed SIMD: a kernel module it cannot "
        "compile is shipped with a .so name (micropip preloads every .so):\n" + res.output[-1500:])
    assert res.returncode == 0, res.output[-3000:]
    assert "RELAXED-SIMD False" in res.output
    assert "SOFTMAX" in res.output
