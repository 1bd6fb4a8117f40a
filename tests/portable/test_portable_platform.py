"""Which backend webtensor picks by itself, on CPython and inside Pyodide."""
import os
import sys

import webtensor
from webtensor import backends
from wtcheck import BACKENDS, using_backend


def test_default_backend_is_wasm(initial_backend):
    """Inside Pyodide webtensor must run on its WASM kernels; on CPython too (through
    wasmtime), unless WEBTENSOR_BACKEND=reference asked for the oracle."""
    if sys.platform == "emscripten":
        assert initial_backend == "wasm"
    else:
        want = "reference" if os.environ.get("WEBTENSOR_BACKEND") == "reference" else "wasm"
        assert initial_backend == want


def test_every_backend_loads_and_computes():
    for name in BACKENDS:
        with using_backend(name):
            assert backends.get_backend() == name
            x = webtensor.arange(6, dtype=webtensor.float32).reshape(2, 3)
            assert (x * 2 + 1).sum().item() == 36.0


def test_wasm_backend_has_its_own_primitives():
    """'wasm' must be a real backend, not an empty table that falls back to the reference."""
    with using_backend("wasm"):
        pass
    report = backends.op_backend_report()["cpu"]
    assert report.get("wasm"), report
    assert {"binary", "unary"} & set(report["wasm"]), report["wasm"]


def test_unknown_backend_is_rejected():
    try:
        backends.set_backend("no-such-backend")
    except ValueError as e:
        assert "no-such-backend" in str(e)
    else:
        raise AssertionError("set_backend accepted an unknown name")
    assert backends.get_backend() in BACKENDS
