"""The WASM shortcuts' raw-address executor, on CPython too: every kernel gets a stand-in
`.raw` that maps each heap address back to a Region of the live Storage holding it and calls
the checked (wasmtime) wrapper; the families are bound again so that their shortcuts take the
raw path, and every case of test_portable_fast must then match the reference backend. (In
Pyodide the kernels have real raw functions and test_portable_fast covers them.)"""
import gc

import pytest

import webtensor
from webtensor import _dispatch
from webtensor._storage import Storage
from webtensor.backends.wasm.loader import Region
from wtcheck import using_backend

import test_portable_fast as T


def _stand_in(name, fn, spec):
    def raw(*args):
        stors = [o for o in gc.get_objects() if o.__class__ is Storage and o._addr is not None]
        conv = []
        for (kind, _), a in zip(spec, args):
            if kind in ("in", "out"):
                s = next((s for s in stors if s._addr <= a < s._addr + s.nbytes), None)
                assert s is not None, f"{name}: address {a} is in no live storage"
                conv.append(Region(s, a - s._addr, s.nbytes - (a - s._addr), kind == "out"))
            else:
                conv.append(a.value if kind == "f32" and hasattr(a, "value") else a)
        calls.append(name)
        return fn(*conv)
    return raw


calls = []


@pytest.fixture(scope="module")
def raw_backend():
    from webtensor.backends.wasm import backend as B
    if B.kernels() is None:
        pytest.fail("kernels not loaded: " + B.load_error())
    from webtensor.backends.wasm import attention, elementwise, kernel_table, matmul, reduce
    K = B.kernels()
    names = [n for n in K.names() if getattr(K.fn(n), "raw", None) is None]
    for n in names:
        K.fn(n).raw = _stand_in(n, K.fn(n), kernel_table.KERNELS[n].args)
    sc = dict(B.SHORTCUTS)
    for fam in (elementwise, reduce, matmul, attention):
        sc.update(fam.bind(B.ctx)[1])
    for n in names:
        del K.fn(n).raw
    _dispatch.register_backend("cpu", "wasm", B.IMPL, sc)
    try:
        yield
    finally:
        _dispatch.register_backend("cpu", "wasm", B.IMPL, B.SHORTCUTS)


@pytest.mark.parametrize("name,kind,fn,taken", T.CASES, ids=[c[0] for c in T.CASES])
def test_raw_path_matches_reference(name, kind, fn, taken, raw_backend):
    calls.clear()
    with using_backend("wasm"):
        got = fn(webtensor)
    with using_backend("reference"):
        want = fn(webtensor)
    assert got.dtype is want.dtype and got.shape == want.shape
    assert T._same(got.tolist(), want.tolist()), (got.tolist(), want.tolist())
    if taken:
        assert calls, f"{name}: no raw kernel call"
