"""Memory-safety machinery: negative tests proving the checks catch out-of-bounds writes and
modified inputs, in the wasmtime loader and in the Pyodide (ctypes) loader's logic. That every
kernel writes only its outputs is tests/portable/test_portable_guards.py (CPython and Pyodide)."""
import ctypes

import pytest

from conftest_kernels import backend, ks  # noqa: F401
from webtensor._storage import Storage
from webtensor.backends.wasm import guards, kernel_table, loader_pyodide
from webtensor.backends.wasm.loader import Region


def test_out_of_bounds_write_is_caught_in_wasm_memory(ks, guarded):
    """n larger than the output region: the wasmtime loader's guards catch the overrun."""
    x = Storage(4 * 40)
    y = Storage(4 * 37)
    with pytest.raises(RuntimeError, match="f32_exp"):
        ks.f32_exp(40, Region(x, 0, 4 * 40, False), Region(y, 0, 4 * 37, True))


def test_out_of_bounds_write_caught_without_guard_mode(ks):
    """The wasm-memory guards are checked on every wasmtime call, not only in debug mode."""
    x = Storage(4 * 9)
    y = Storage(4 * 8)
    with pytest.raises(RuntimeError, match="f32_neg"):
        ks.f32_neg(9, Region(x, 0, 4 * 9, False), Region(y, 0, 4 * 8, True))


def test_region_outside_storage_is_refused(ks):
    x = Storage(16)
    with pytest.raises(ValueError, match="outside its storage"):
        ks.f32_exp(8, Region(x, 0, 32, False), Region(Storage(32), 0, 32, True))


def test_region_writability_must_match_signature(ks):
    x, y = Storage(16), Storage(16)
    with pytest.raises(ValueError, match="writable"):
        ks.f32_exp(4, Region(x, 0, 16, False), Region(y, 0, 16, False))


def test_guard_checks_detect_corruption(guarded):
    st = Storage(32)
    other = Storage(32)
    regions = [Region(st, 0, 32, True), Region(other, 0, 32, False)]
    snaps = guards.snapshot(regions)
    guards.verify("k", regions, snaps)                      # clean: no error
    other.buf[other.base + 3] ^= 0xFF
    with pytest.raises(RuntimeError, match="k: a read-only input was modified"):
        guards.verify("k", regions, snaps)
    st.buf[st.base + st.nbytes] ^= 0xFF                     # first guard byte after the data
    with pytest.raises(RuntimeError, match="guard bytes"):
        guards.verify("k", regions, snaps)


class _FakeLib:
    """Stands in for ctypes.CDLL in Pyodide: `f32_exp` writes n floats at y's real address,
    so a too-large n really overwrites the storage's guard bytes (as in Pyodide's heap)."""

    class _Fn:
        argtypes = restype = None

        def __call__(self, n, x, y):
            ctypes.memmove(y, x, 4 * n)

    def __getattr__(self, name):
        return self._Fn()


def test_pyodide_loader_guard_path_catches_overrun(guarded):
    spec = kernel_table.KERNELS["f32_exp"].args
    call = loader_pyodide._bind(_FakeLib(), "f32_exp", "wt_f32_exp_wasmsimd", spec)
    x = Storage(4 * 40)
    x.view()[:] = b"\x11" * x.nbytes
    y = Storage(4 * 37)
    call(37, Region(x, 0, 4 * 37, False), Region(y, 0, 4 * 37, True))   # in bounds: fine
    with pytest.raises(RuntimeError, match="f32_exp: guard bytes"):
        call(40, Region(x, 0, 4 * 40, False), Region(y, 0, 4 * 37, True))
