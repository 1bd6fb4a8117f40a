"""remainder / floor_divide / fmod / div(rounding_mode=...) on the xN-divide kernels through the
public API, bit for bit against torch (float32/64: its CPU formulas on an exact fmod; int64/32:
Python's sign rules for remainder and floor division, C's for fmod and trunc), broadcast
layouts, special values, and torch's error for an integer division by zero."""
import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm.coverage import FellBack

FLOAT_VALUES = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 3.0, -7.0, 1e300, -1e300, 0.1, -0.3, 7.5,
                1e16, 123456789.125, np.inf, -np.inf, np.nan]
# dividends only: torch's vectorised fmod gives nan for subnormal divisors and quotients
# beyond ~1e300 (its scalar path and the kernels give the exact remainder)
DIVIDENDS = [1e-300, 1e-310, -1e-310, 5e-324, 3e-320]
OPS = {"remainder": lambda m, a, b: m.remainder(a, b),
       "floor_divide": lambda m, a, b: m.floor_divide(a, b),
       "fmod": lambda m, a, b: m.fmod(a, b),
       "div_trunc": lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
       "div_floor": lambda m, a, b: m.div(a, b, rounding_mode="floor")}


@pytest.fixture(autouse=True)
def backend():
    """Overrides conftest.py's per-backend repetition: the wasm backend only."""
    prev = backends.get_backend()
    backends.set_backend("wasm")
    yield None
    backends.set_backend(prev)


def same_bits(w, t):
    w, t = np.asarray(w), np.asarray(t)
    assert w.dtype == t.dtype and w.shape == t.shape
    if w.dtype.kind == "f":
        eq = (w == t) & (np.signbit(w) == np.signbit(t)) | (np.isnan(w) & np.isnan(t))
    else:
        eq = w == t
    return eq


def run(op, a, b):
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    want = OPS[op](torch, ta, tb).numpy()
    with FellBack() as fb:
        got = OPS[op](wt, wt.from_numpy(a.copy()), wt.from_numpy(b.copy())).numpy()
    assert not fb.used, f"fell back to the reference backend: {fb.used}"
    eq = same_bits(got, want)
    assert eq.all(), f"{op}: a={np.broadcast_to(a, eq.shape)[~eq][:6]} " \
        f"b={np.broadcast_to(b, eq.shape)[~eq][:6]} got {got[~eq][:6]} torch {want[~eq][:6]}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", OPS)
def test_float_specials_every_pair(op, dtype):
    v = np.array(FLOAT_VALUES, dtype)
    a = np.concatenate([v, np.array(DIVIDENDS, dtype)])
    if op == "fmod":      # see test_fmod_composite
        a, v = a[~(a < 0)], v[~(v < 0)]
    run(op, a[:, None].copy(), v[None, :].copy())      # every pair, as a broadcast


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", OPS)
def test_float_random_and_layouts(op, dtype):
    rng = np.random.default_rng(3)
    a = (rng.standard_normal((37, 29)) * 10.0 ** rng.integers(-3, 9, (37, 29))).astype(dtype)
    b = (rng.standard_normal((37, 29)) * 10.0 ** rng.integers(-3, 4, (37, 29))).astype(dtype)
    if op == "fmod":      # see test_fmod_composite
        a, b = np.abs(a), np.abs(b)
    run(op, a, b)
    run(op, a, b[:1].copy())           # a broadcast row
    run(op, a, np.array(0.75, dtype))  # a scalar divisor


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
@pytest.mark.parametrize("op", OPS)
def test_int_signs_and_extremes(op, dtype):
    info = np.iinfo(dtype)
    v = np.array([0, 1, -1, 2, -2, 3, -3, 7, -7, 100, -100, info.max, info.min], dtype)
    b = v[v != 0]
    b = b[~((b == -1))] if op in ("div_trunc", "div_floor", "floor_divide") else b
    run(op, v[:, None].copy(), b[None, :].copy())
    rng = np.random.default_rng(4)
    a = rng.integers(-1000, 1000, (21, 33)).astype(dtype)
    d = rng.integers(1, 50, (21, 33)).astype(dtype) * rng.choice([-1, 1], (21, 33)).astype(dtype)
    run(op, a, d)


@pytest.mark.parametrize("dtype", [np.int64, np.int32])
def test_int_min_over_minus_one_wraps(dtype):
    a, b = np.array([np.iinfo(dtype).min, 5], dtype), np.array([-1, -1], dtype)
    got = wt.floor_divide(wt.from_numpy(a), wt.from_numpy(b)).numpy()
    assert got.tolist() == [np.iinfo(dtype).min, -5]   # two's complement wrap (torch: UB)
    assert wt.remainder(wt.from_numpy(a), wt.from_numpy(b)).numpy().tolist() == [0, 0]


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32])
@pytest.mark.parametrize("op", OPS)
def test_int_division_by_zero_raises_like_torch(op, dtype):
    a = torch.tensor([5, 6, 7], dtype=dtype)
    b = torch.tensor([1, 0, 2], dtype=dtype)
    with pytest.raises(RuntimeError) as want:
        OPS[op](torch, a, b)
    with pytest.raises(RuntimeError) as got:
        OPS[op](wt, wt.tensor(a.tolist(), dtype=getattr(wt, str(dtype)[6:])),
                wt.tensor(b.tolist(), dtype=getattr(wt, str(dtype)[6:])))
    assert str(got.value) == str(want.value) == "ZeroDivisionError"


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_fmod_exact_every_pair(dtype):
    """fmod of two tensors of one dtype is the xN-divide kernel (also broadcast): C's fmod,
    exact, like numpy's (torch's vectorised fmod is nan for subnormal divisors); float16 on
    its short float32 path where quotients stay below 2^13, the long one elsewhere."""
    extra = [60000.0, -6.1e-05, 1e-07, -3e-06, 1000.5, 0.0999] if dtype is np.float16 else []
    v = np.array(FLOAT_VALUES + DIVIDENDS + extra, dtype)
    a, b = v[:, None].copy(), v[None, :].copy()
    with FellBack() as fb:
        got = wt.fmod(wt.from_numpy(a), wt.from_numpy(b)).numpy()
    assert not fb.used
    with np.errstate(all="ignore"):
        want = np.fmod(a, b)
    assert same_bits(got, want).all()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16,
                                   torch.int32, torch.int8, torch.uint8])
@pytest.mark.parametrize("op", ["remainder", "floor_divide", "fmod"])
def test_same_shape_one_kernel(op, dtype):
    """Same-shape row-major operands take one xN-divide kernel (the shortcut): floats and ints
    bit for bit like torch (fmod exact, as torch's C fmod, every sign pair); float16/bfloat16
    the float32 op rounded once, as the op layer's passes; an integer zero divisor raises."""
    g = torch.Generator().manual_seed(9)
    if dtype.is_floating_point:
        a = torch.randn(7, 45, generator=g) * 100
        b = torch.randn(7, 45, generator=g) * 3
        b[0, :4] = torch.tensor([0.0, float("inf"), float("nan"), -0.0])
        a[1, :3] = torch.tensor([float("inf"), -0.0, 0.0])
    else:
        a = torch.randint(-100 if dtype.is_signed else 0, 100, (7, 45), generator=g)
        b = torch.randint(1, 20, (7, 45), generator=g) * (torch.randint(0, 2, (7, 45), generator=g) * 2 - 1 if dtype.is_signed else 1)
    a, b = a.to(dtype), b.to(dtype)
    f = getattr(torch, op)
    want = f(a.float(), b.float()).to(dtype) if dtype in (torch.float16, torch.bfloat16) else f(a, b)
    with FellBack() as fb:
        got = getattr(wt, op)(_wt(a), _wt(b))
    assert not fb.used
    g32 = torch.from_numpy(got.float().numpy() if dtype in (torch.float16, torch.bfloat16) else got.numpy())
    w32 = want.float() if dtype in (torch.float16, torch.bfloat16) else want
    assert np.all(same_bits(g32.numpy(), w32.numpy()))
    if not dtype.is_floating_point:
        b[3, 5] = 0
        with pytest.raises(RuntimeError, match="ZeroDivisionError"):
            getattr(wt, op)(_wt(a), _wt(b))


def _wt(t):
    if t.dtype in (torch.float16, torch.bfloat16):
        return wt.from_numpy(t.float().numpy()).to(getattr(wt, str(t.dtype)[6:]))
    return wt.from_numpy(t.numpy().copy())
