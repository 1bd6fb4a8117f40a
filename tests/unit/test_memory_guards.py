"""Memory safety of every kernel: with guard bytes on, each kernel in kernel_table runs with its
pointer regions embedded at odd offsets inside larger guarded storages, and nothing outside
its output regions may change. Negative tests prove the checks catch out-of-bounds writes and
modified inputs, in the wasmtime loader and in the Pyodide (ctypes) loader's logic."""
import ctypes

import numpy as np
import pytest

from conftest_kernels import backend, ks  # noqa: F401
from webtensor import _storage
from webtensor._storage import Storage
from webtensor.backends.wasm import guards, kernel_table, loader_pyodide
from webtensor.backends.wasm.loader import Region

PAD_BEFORE, PAD_AFTER = 13, 29


@pytest.fixture
def guarded():
    prev = _storage.guards_enabled()
    _storage.set_guards(True)
    yield
    _storage.set_guards(prev)


def example(kernel, rng):
    """Arguments for one call of `kernel`: ints/floats, and numpy arrays for pointers."""
    f = lambda *s: rng.uniform(-2, 2, s).astype(np.float32)  # noqa: E731
    # outputs start as a value no kernel here produces, so every write is visible
    out = lambda n, dt=np.float32: np.full(n, 77, dt)  # noqa: E731
    fam = kernel.family
    if fam == "unary":
        return [37, f(37), out(37)]
    if fam in ("binary", "compare"):
        dt = np.uint8 if fam == "compare" else np.float32
        return [5, 7, f(35), 7, 1, f(7), 0, 1, out(35, dt)]
    if fam in ("reduce", "argreduce", "var"):
        dt = np.int64 if fam == "argreduce" else np.float32
        extra = [1.0] if fam == "var" else []
        return [3, 5, 4] + extra + [f(60), out(12, dt)]
    if fam == "rowwise":
        return [3, 5, 4, f(60), out(60)]
    if fam == "gemm":
        return [2, 5, 9, 6, f(60), 30, 6, 1, f(108), 54, 9, out(90), 45, 9]
    if fam == "copy":
        bits = int(kernel.name[1:kernel.name.index("_")])
        dt = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}[bits]
        src = rng.integers(0, 200, 60).astype(dt)
        return [3, np.array([4, 5, 3], np.int32), np.array([1, 4, 20], np.int32), src,
                out(60, dt)]
    raise AssertionError(f"no example for family {fam}")


def embed(arr, writable, rng):
    """A guarded storage holding arr at an odd offset between random padding bytes."""
    data = np.ascontiguousarray(arr).tobytes()
    st = Storage(PAD_BEFORE + len(data) + PAD_AFTER)
    st.view()[:] = rng.integers(0, 256, st.nbytes, dtype=np.uint8).tobytes()
    st.view()[PAD_BEFORE:PAD_BEFORE + len(data)] = data
    return st, Region(st, PAD_BEFORE, len(data), writable)


@pytest.mark.parametrize("name", sorted(kernel_table.KERNELS))
def test_kernel_writes_only_its_outputs(ks, guarded, name):
    kernel = kernel_table.KERNELS[name]
    rng = np.random.default_rng(len(name))
    args = example(kernel, rng)
    cargs, checks = [], []
    for (kind, _), v in zip(kernel.args, args):
        if kind in ("in", "out"):
            st, r = embed(v, kind == "out", rng)
            assert st.has_guards()
            before = bytes(st.buf)
            cargs.append(r)
            checks.append((st, r, before))
        else:
            cargs.append(v)
    ks.fn(name)(*cargs)
    for st, r, before in checks:
        after = bytes(st.buf)
        lo, hi = st.base + r.offset, st.base + r.offset + r.nbytes
        assert st.guards_intact(), f"{name}: storage guard bytes changed"
        assert after[:lo] == before[:lo] and after[hi:] == before[hi:], \
            f"{name}: bytes outside a pointer region changed"
        if not r.writable:
            assert after == before, f"{name}: an input was modified"
    assert any(st.buf != before for st, r, before in checks if r.writable), \
        f"{name}: wrote nothing (the example must produce visible output)"


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
