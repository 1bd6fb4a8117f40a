"""The torch/numpy oracle of the CPython tiers, imported as `wt_oracle` by the tests in
tests/unit/*/ and tests/models/vs_torch/ (a real module with a fixed name: pytest may have
several conftest.py modules loaded, so `import conftest` is ambiguous).

It holds the conversions (to_torch / to_wt), random data (make_pair), hypothesis strategies, the
comparisons (assert_same, run_both, raises_like_torch, assert_np, no_copies) and the per-backend
`backend` fixture with its pytest_pyfunc_call hook, which tests/unit/conftest.py and
tests/models/vs_torch/conftest.py import so that pytest registers them: every test runs once
per backend, and a backend that does not load makes its tests FAIL (never skip).
"""
import contextlib
import math
import random
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import strategies as st

_REPO = Path(__file__).resolve().parents[2]  # tests/unit/wt_oracle.py
sys.path.insert(0, str(_REPO / "tests" / "portable"))  # wtcheck
if (_REPO / "pyodide_pkg" / "webtensor").is_dir():  # test the working tree, installed or not
    sys.path.insert(0, str(_REPO / "pyodide_pkg"))

import webtensor as wt  # noqa: E402
from webtensor import backends  # noqa: E402
from wtcheck import (BACKENDS, DTYPES, FLOATS, INTS, LAYOUTS, TOL, apply_layout,  # noqa: E402,F401
                     assert_values_close, base_shape, examples, name_of, prod)


# ---- the backend fixture -----------------------------------------------------------------------
@pytest.fixture(params=BACKENDS, autouse=True)
def backend(request):
    prev = backends.get_backend()
    try:
        backends.set_backend(request.param)
    except Exception as e:  # noqa: BLE001 - reported as the test's failure below
        request.node._wt_backend_error = f"{type(e).__name__}: {e}"
        yield request.param
        return
    try:
        yield request.param
    finally:
        backends.set_backend(prev)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    err = getattr(pyfuncitem, "_wt_backend_error", None)
    if err is not None:
        name = pyfuncitem.callspec.params.get("backend")
        pytest.fail(f"webtensor backend {name!r} did not load: {err}", pytrace=False)


# ---- dtypes and conversion ---------------------------------------------------------------------
ALL_DTYPES = DTYPES + ("int16",)


def wdt(name):
    return getattr(wt, name)


def tdt(name):
    return getattr(torch, name)


def to_torch(x):
    """An exact torch copy of a webtensor tensor (through Python values)."""
    name = name_of(x.dtype)
    flat = x.reshape(-1).tolist()
    if name == "bfloat16":
        return torch.tensor(flat, dtype=torch.float32).to(torch.bfloat16).reshape(tuple(x.shape))
    return torch.tensor(flat, dtype=tdt(name)).reshape(tuple(x.shape))


def to_wt(t):
    """An exact webtensor copy of a torch tensor."""
    name = name_of(t.dtype)
    flat = t.detach().reshape(-1)
    if name == "bfloat16":
        flat = flat.float()
    return wt.tensor(flat.tolist(), dtype=wdt(name)).reshape(tuple(t.shape))


# ---- data --------------------------------------------------------------------------------------
_INT_RANGE = {"int64": (-2**63, 2**63 - 1), "int32": (-2**31, 2**31 - 1),
              "int16": (-2**15, 2**15 - 1),
              "int8": (-128, 127), "uint8": (0, 255)}
_SPECIALS = (math.nan, math.inf, -math.inf, -0.0, 0.0)


def random_values(n, dtype, seed, special=False, wide=False, domain="any"):
    """n Python values for dtype. domain: any | pos | nonzero | unit | small (ints 0..3)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if dtype == "bool":
            out.append(rng.random() < 0.5)
        elif dtype in FLOATS:
            r = rng.random()
            if special and r < 0.25:
                v = rng.choice(_SPECIALS)
            elif r < 0.45:
                v = float(rng.randint(-4, 4))
            elif wide and r < 0.6:
                v = rng.uniform(-1e4, 1e4) if dtype != "float16" else rng.uniform(-6e4, 6e4)
            else:
                v = rng.uniform(-4, 4)
            if domain == "pos":
                v = abs(v) + 0.125 if v == v else v
            elif domain == "unit":
                v = math.tanh(v) if v == v else v
            elif domain == "nonzero" and v == 0:
                v = 1.5
            elif domain == "small":
                v = float(rng.randint(0, 3))
            out.append(v)
        else:
            lo, hi = _INT_RANGE[dtype]
            if domain == "small":
                v = rng.randint(0, 3)
            elif wide:
                v = rng.randint(lo, hi)
            else:
                v = rng.randint(max(lo, -20), min(hi, 40))
            if domain == "pos":
                v = abs(v) % (hi + 1) or 1
            elif domain == "nonzero" and v == 0:
                v = 3
            out.append(v)
    return out


def make_pair(shape, dtype, seed=0, layout="contig", special=False, wide=False, domain="any"):
    """(webtensor tensor, torch tensor): equal values, same view layout (strides may differ)."""
    shape = tuple(shape)
    b = base_shape(shape, layout)
    vals = random_values(prod(b), dtype, seed, special, wide, domain)
    if dtype == "bfloat16":
        tb = torch.tensor(vals, dtype=torch.float32).to(torch.bfloat16).reshape(b)
    else:
        tb = torch.tensor(vals, dtype=tdt(dtype)).reshape(b)
    wb = to_wt(tb)
    return apply_layout(wb, shape, layout), apply_layout(tb, shape, layout)


# ---- hypothesis strategies ---------------------------------------------------------------------
def shapes(min_dims=0, max_dims=3, min_side=0, max_side=4):
    return st.lists(st.integers(min_side, max_side), min_size=min_dims,
                    max_size=max_dims).map(tuple)


dtypes = st.sampled_from(DTYPES)
float_dtypes = st.sampled_from(FLOATS)
layouts = st.sampled_from(LAYOUTS)
seeds = st.integers(0, 2**20)


@st.composite
def broadcast_shapes(draw, max_dims=3, max_side=4):
    """Two shapes that broadcast together: trailing dims aligned, 1s on either side."""
    a = list(draw(shapes(0, max_dims, 0, max_side)))
    k = draw(st.integers(0, len(a)))
    b = [1 if draw(st.booleans()) else s for s in a[len(a) - k:]]
    for i in range(k):  # mutual broadcasting: a takes 1 where b keeps the size
        if b[i] != 1 and draw(st.booleans()):
            a[len(a) - k + i] = 1
    return (tuple(a), tuple(b)) if draw(st.booleans()) else (tuple(b), tuple(a))


# ---- comparison --------------------------------------------------------------------------------
def assert_same(actual, expected, rtol=None, atol=None, check_dtype=True, what="result"):
    """actual (webtensor result) equals expected (torch result): type, dtype, shape, values."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(actual, (tuple, list)), f"{what}: got {type(actual).__name__}"
        assert len(actual) == len(expected), f"{what}: {len(actual)} items, want {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, rtol, atol, check_dtype, f"{what}[{i}]")
        return
    if isinstance(expected, (bool, int, float)):
        assert isinstance(actual, type(expected)) or not isinstance(expected, bool), \
            f"{what}: {actual!r} vs {expected!r}"
        assert_values_close([actual], [expected], "float64", rtol, atol, what)
        return
    assert isinstance(actual, wt.Tensor), f"{what}: got {type(actual).__name__}, want a Tensor"
    dt = name_of(expected.dtype)
    if check_dtype:
        assert name_of(actual.dtype) == dt, f"{what}: dtype {actual.dtype}, torch gives {dt}"
    assert tuple(actual.shape) == tuple(expected.shape), \
        f"{what}: shape {tuple(actual.shape)}, torch gives {tuple(expected.shape)}"
    e = expected.detach().reshape(-1)
    if dt == "bfloat16":
        e = e.float()
    assert_values_close(actual.reshape(-1).tolist(), e.tolist(), dt, rtol, atol, what)


def run_both(fn, wt_args, torch_args, rtol=None, atol=None, check_dtype=True,
             same_error=True):
    """fn(module, *args) under torch and under webtensor. If torch raises, webtensor must raise
    too (the same exception type unless same_error=False: hypothesis tests leave error types
    to the explicit error tests, so that one known difference does not hide the others);
    otherwise the results must match. Returns (wt result, torch result or exception)."""
    try:
        expected = fn(torch, *torch_args)
    except Exception as e:  # noqa: BLE001
        try:
            fn(wt, *wt_args)
        except Exception as we:  # noqa: BLE001
            assert isinstance(we, type(e)) or not same_error, \
                f"webtensor raised {type(we).__name__}({we}), torch {type(e).__name__}({e})"
        else:
            pytest.fail(f"webtensor did not raise; torch raised {type(e).__name__}: {e}")
        return None, e
    actual = fn(wt, *wt_args)
    assert_same(actual, expected, rtol, atol, check_dtype)
    return actual, expected


def raises_like_torch(fn, *match):
    """Run fn(torch) and fn(webtensor): same exception type, and every string in `match`
    appears in webtensor's message (key facts: shapes, dims, dtypes)."""
    with pytest.raises(Exception) as te:
        fn(torch)
    try:
        fn(wt)
    except Exception as e:  # noqa: BLE001
        we = e
    else:
        pytest.fail(f"webtensor did not raise; torch raised {te.type.__name__}: {te.value}")
    assert isinstance(we, te.type), \
        f"webtensor raised {type(we).__name__}({we}), torch {te.type.__name__}({te.value})"
    for m in match:
        assert m in str(we), f"{m!r} not in webtensor's message {str(we)!r} " \
                             f"(torch: {str(te.value)!r})"
    return we, te.value


def assert_np(actual, expected, rtol=1e-12, atol=1e-12, check_dtype=True, what="result"):
    """actual (webtensor) equals expected (a numpy array, scalar or a list of them): the second,
    independent oracle next to torch."""
    import numpy as np
    if isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), f"{what}: {len(actual)} items, want {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_np(a, e, rtol, atol, check_dtype, f"{what}[{i}]")
        return
    e = np.asarray(expected)
    assert isinstance(actual, wt.Tensor), f"{what}: got {type(actual).__name__}"
    assert tuple(actual.shape) == e.shape, f"{what}: shape {tuple(actual.shape)}, numpy {e.shape}"
    if check_dtype:
        assert name_of(actual.dtype) == str(e.dtype), f"{what}: {actual.dtype} vs numpy {e.dtype}"
    dt = name_of(actual.dtype)
    assert_values_close(actual.reshape(-1).tolist(), e.ravel().tolist(), dt,
                        rtol if dt in FLOATS else 0, atol if dt in FLOATS else 0, what)


@contextlib.contextmanager
def no_copies():
    """Fail if the block allocates a Storage or dispatches any primitive (a copy or a kernel)."""
    from webtensor import _storage, _tensor
    events = []
    orig_init, orig_dispatch = _storage.Storage.__init__, _tensor.dispatch

    def init(self, *a, **k):
        events.append("new Storage")
        orig_init(self, *a, **k)

    def dispatch(name, *a, **k):
        events.append(f"dispatch({name!r})")
        return orig_dispatch(name, *a, **k)
    _storage.Storage.__init__ = init
    _tensor.dispatch = dispatch
    try:
        yield events
    finally:
        _storage.Storage.__init__ = orig_init
        _tensor.dispatch = orig_dispatch
    assert not events, f"a view operation copied: {events}"


def shares_storage(a, b):
    return a._storage is b._storage


def torch_gelu(t, approximate="none"):
    """torch's gelu where its float32 / bfloat16 vector path is sound: some torch 2.13 builds
    give NaN at +inf (inf * 0 inside) and overflow to inf near the top of the range, where
    their scalar path and float64 give inf and x (the limits webtensor keeps)."""
    y = torch.nn.functional.gelu(t, approximate=approximate)
    if t.dtype == torch.float64:
        return y
    y64 = torch.nn.functional.gelu(t.double(), approximate=approximate).to(t.dtype)
    y = torch.where(~torch.isfinite(y) & torch.isfinite(y64), y64, y)
    return torch.where(torch.isposinf(t), t, y)
