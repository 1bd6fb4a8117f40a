"""float16 / bfloat16 softmax, log_softmax, layer_norm, rms_norm, group_norm, pointwise
losses and row distances on the device at hand (and row scans, four rows side by side): computed in float32 and rounded once, so on the wasm backend
(h16_* kernels staging rows through float32) each result equals the float32 op's result
rounded to the input's dtype, bit for bit; rows past the kernels' buffer take the conversion
fallback. Pure Python: this file also runs inside Pyodide (tests/unit/ops/test_rowwise_kernels.py
checks the same paths against torch on CPython)."""
import random

import pytest

import webtensor as wt
import webtensor.nn.functional as F
from webtensor import backends

HALF = ("float16", "bfloat16")


def _x(shape, dtype, seed, lo=-3.0, hi=3.0):
    rng = random.Random(seed)
    n = 1
    for s in shape:
        n *= s
    return wt.tensor([rng.uniform(lo, hi) for _ in range(n)]).reshape(shape).to(
        getattr(wt, dtype))


def _same(got, via_f32):
    assert got.dtype is not wt.float32
    want = via_f32.to(got.dtype)
    if backends.get_backend() == "wasm":
        a, b = got.float().reshape(-1).tolist(), want.float().reshape(-1).tolist()
        assert a == b
    else:     # the reference computes in double: within one rounding
        assert (got.float() - want.float()).abs().max().item() <= 1e-2


@pytest.mark.parametrize("dtype", HALF)
def test_softmax_rows_columns_and_long_rows(dtype):
    for shape, dim in (((5, 37), -1), ((3, 6, 5), 1), ((2, 16400), -1)):
        x = _x(shape, dtype, 1)
        for op in ("softmax", "log_softmax"):
            _same(getattr(wt, op)(x, dim), getattr(wt, op)(x.float(), dim))


@pytest.mark.parametrize("dtype", HALF)
def test_norms(dtype):
    for n in (37, 16390):
        x, w, b = _x((3, n), dtype, 2, -4.0, 6.0), _x((n,), dtype, 3), _x((n,), dtype, 4)
        _same(wt.layer_norm(x, [n], w, b), wt.layer_norm(x.float(), [n], w.float(), b.float()))
        _same(wt.rms_norm(x, [n], w, 1e-5), wt.rms_norm(x.float(), [n], w.float(), 1e-5))
    x = _x((2, 6, 5, 4), dtype, 5)
    _same(F.group_norm(x, 3), F.group_norm(x.float(), 3))


@pytest.mark.parametrize("dtype", HALF)
def test_losses_elementwise(dtype):
    x, y = _x((4, 300), dtype, 6, 0.0, 1.0), _x((4, 300), dtype, 7, 0.0, 1.0)
    for name in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                 "binary_cross_entropy", "binary_cross_entropy_with_logits"):
        fn = getattr(F, name)
        _same(fn(x, y, reduction="none"), fn(x.float(), y.float(), reduction="none"))
    bad = x.clone()
    bad[3, 299] = 2.0
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(bad, y)


def _every_value(dtype):
    """every float16 / bfloat16 value once (nan once), as a tensor of that dtype"""
    import struct
    if dtype == "float16":
        vals = [struct.unpack("<e", struct.pack("<H", b))[0] for b in range(1 << 16)]
    else:
        vals = [struct.unpack("<f", struct.pack("<I", b << 16))[0] for b in range(1 << 16)]
    vals = [v for v in vals if v == v] + [float("nan")]
    return wt.tensor((vals * 2)[:70000]).to(getattr(wt, dtype))   # past the table's threshold


@pytest.mark.parametrize("dtype", HALF)
def test_losses_of_every_half_value(dtype):
    """the log / exp losses of >= 65536 halves (wasm: the kernel's per-value table) against
    the float32 op rounded: every value as the argument of the log / exp, bit for bit"""
    v = _every_value(dtype)
    n = v.numel()
    other = _x((n,), dtype, 10, -2.0, 2.0)
    unit = v[(v >= 0) & (v <= 1)]
    unit = unit.repeat(-(-70000 // unit.numel()))[:70000]      # past the table's threshold
    other_unit = _x((unit.numel(),), dtype, 11, 0.0, 1.0)
    cases = [(F.binary_cross_entropy, unit, other_unit, {}),
             (F.binary_cross_entropy, other_unit, unit, {}),
             (F.binary_cross_entropy_with_logits, v, other, {}),
             (F.kl_div, other, v, {}), (F.kl_div, other, v, {"log_target": True}),
             (wt.xlogy, other, v, None), (wt.xlogy, v, v, None)]
    def same(got, via_f32):     # _same with nans equal
        nan = (got != got) & (via_f32 != via_f32)
        _same(got.masked_fill(nan, 0.0), via_f32.masked_fill(nan, 0.0))

    for fn, a, b, kw in cases:
        if kw is None:
            same(fn(a, b), fn(a.float(), b.float()))
            continue
        same(fn(a, b, reduction="none", **kw), fn(a.float(), b.float(), reduction="none", **kw))
        finite = (a.float().abs() < 1e3) & (b.float().abs() < 1e3) & (b.float() > 0)
        a, b = a[finite], b[finite]
        if a.numel() >= 65536:
            got = fn(a, b, reduction="mean", **kw).float().item()
            want = fn(a.float(), b.float(), reduction="mean", **kw).item()
            assert abs(got - want) <= 1e-2 * abs(want) + 1e-3


@pytest.mark.parametrize("dtype", HALF)
def test_row_distances(dtype):
    """cosine_similarity / pairwise_distance of half rows (wasm: h16_rowwise_dist, converted
    in registers): the float32 computation with the eps torch sees (rounded to the dtype)"""
    x, y = _x((5, 19), dtype, 8), _x((5, 19), dtype, 9)
    x[0] = 0.0
    x[2, 18] = float("inf")
    eps = wt.tensor(1e-6).to(getattr(wt, dtype)).item()
    for p in (0, 1, 2, float("inf")):
        _same(F.pairwise_distance(x, y, p=p),
              F.pairwise_distance(x.float(), y.float(), p=p, eps=eps))
    _same(wt.cosine_similarity(x[3:], y[3:], dim=1),      # (rows 0 and 2 give nan)
          wt.cosine_similarity(x[3:].float(), y[3:].float(), dim=1, eps=0.0))


@pytest.mark.parametrize("dtype", HALF + ("float32",))
def test_row_scans_side_by_side(dtype):
    """cumsum / cumprod of 9 rows (wasm: four at a time, then one) equal each row's own scan"""
    x = _x((9, 37), dtype, 10, 0.5, 1.5)
    for op in ("cumsum", "cumprod"):
        whole = getattr(x, op)(-1).float().reshape(-1).tolist()
        rows = [v for i in range(9) for v in getattr(x[i:i + 1], op)(-1).float().reshape(-1).tolist()]
        assert whole == rows
