"""Shared helpers for the kernel tests (tests/unit/kernels/, quant/test_quant_kernels.py).

Kernels are called through the real loader (wasmtime on CPython), once per ISA build, with
numpy arrays wrapped in Storages. The modules are (re)built first if any kernel source is
newer than them, so the tests always exercise the current C code.
"""
import importlib.util
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if os.path.join(ROOT, "pyodide_pkg") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "pyodide_pkg"))

from webtensor._storage import Storage  # noqa: E402
from webtensor.backends.wasm import kernel_table, loader  # noqa: E402
from webtensor.backends.wasm.loader import Region  # noqa: E402

ISAS = kernel_table.ISAS
EPS = 2.0 ** -24          # unit roundoff of float32
FLT_MIN = 2.0 ** -126


def _build_once():
    if getattr(_build_once, "done", False):
        return
    spec = importlib.util.spec_from_file_location(
        "build_kernels", os.path.join(ROOT, "scripts", "build_kernels.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.ensure_built()
    _build_once.done = True


@pytest.fixture(autouse=True)
def backend():
    """Overrides tests/unit/conftest.py's per-backend repetition: kernel tests call the
    kernels directly, once per ISA build (the `ks` fixture)."""
    return None


@pytest.fixture(params=ISAS, scope="module")
def ks(request):
    """The bound kernels of one ISA build (both builds are tested)."""
    _build_once()
    return loader.load(request.param)


def storage_of(arr):
    """A new Storage (with guards if enabled) holding arr's bytes."""
    data = np.ascontiguousarray(arr).tobytes()
    st = Storage(len(data))
    st.view()[:] = data
    return st


def read_storage(st, dtype, shape):
    return np.frombuffer(bytes(st.view()), dtype=dtype).reshape(shape).copy()


def call(ks, name, *args):
    """Call kernel `name` with numpy arrays for its pointer arguments.

    Returns the output arrays (the "out" arguments, with the kernel's writes) in order.
    """
    spec = kernel_table.KERNELS[name].args
    assert len(args) == len(spec), f"{name} takes {len(spec)} arguments"
    cargs, outs = [], []
    for (kind, _), v in zip(spec, args):
        if kind in ("in", "out"):
            arr = np.ascontiguousarray(v)
            st = storage_of(arr)
            cargs.append(Region(st, 0, arr.nbytes, kind == "out"))
            if kind == "out":
                outs.append((st, arr.dtype, arr.shape))
        else:
            cargs.append(v)
    ks.fn(name)(*cargs)
    return [read_storage(st, dt, shape) for st, dt, shape in outs]


def ulp_error(y, ref):
    """|y - ref| in units of the float32 ulp at ref (ref in float64). Same NaN/inf -> 0."""
    y = np.asarray(y, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    a = np.minimum(np.abs(ref), np.finfo(np.float32).max)
    ulp = np.spacing(a.astype(np.float32)).astype(np.float64)
    # at an exact power of two the ulp below is half the one above: use the smaller
    ulp = np.where(a > 0, np.minimum(ulp, np.spacing(np.nextafter(a.astype(np.float32), 0,
                                                                 dtype=np.float32))), ulp)
    ulp = np.maximum(ulp, 2.0 ** -149)
    with np.errstate(invalid="ignore"):
        err = np.abs(y - ref) / ulp
    same = (y == ref) | (np.isnan(y) & np.isnan(ref))
    return np.where(same, 0.0, err)


def same_bits_or_nan(y, ref):
    """Elementwise: equal values with equal sign of zero, or both NaN."""
    y = np.asarray(y, np.float32)
    ref = np.asarray(ref, np.float32)
    return (np.isnan(y) & np.isnan(ref)) | ((y == ref) & (np.signbit(y) == np.signbit(ref)))


SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5,
                     1e-45, -1e-45, 1e-40, -1e-40, 1.17549435e-38, 3.4028235e38, -3.4028235e38,
                     1e-7, -1e-7, 88.7, -88.7, 89.0, -104.0, 20.0, -20.0, 9.5, -9.5, 1e10,
                     -1e10, 3e38, -3e38], dtype=np.float32)

# sizes that hit empty input, the scalar tail, exact vector multiples and longer loops
SIZES = (0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 127, 1000, 4099)
