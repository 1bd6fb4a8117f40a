"""float16 / bfloat16 softmax, log_softmax, layer_norm, rms_norm, group_norm and the pointwise
losses on the CPU backends: computed in float32 and rounded once (the wasm h16_* kernels stage
rows through float32 buffers), so each result is the float32 op of the same values rounded to
the input's dtype, and within torch's tolerance; rows past the kernels' buffer (KT.H16_STAGE)
take the conversion fallback with the same results. float64 softmax / log_softmax of rows
(the fused f64_softmax kernel), layer_norm / rms_norm and losses against torch, special rows
included; the halves' row distances and the row scans (cumsum / cumprod four rows at a time)."""
import pytest
import torch
import torch.nn.functional as F

import webtensor as wt
import webtensor.backends
from webtensor.backends.wasm import kernel_table as KT

HALF = ("float16", "bfloat16")
TOL = {"float16": dict(rtol=2e-3, atol=2e-3), "bfloat16": dict(rtol=1.6e-2, atol=1.6e-2)}


def _pair(shape, dtype, seed, lo=-3.0, hi=3.0):
    g = torch.Generator().manual_seed(seed)
    t = (torch.rand(shape, generator=g) * (hi - lo) + lo).to(getattr(torch, dtype))
    return wt.tensor(t.float().numpy()).to(getattr(wt, dtype)), t


def _np(x):
    return torch.from_numpy(x.float().numpy())


def _check(got, via_f32, want, dtype):
    assert got.dtype is getattr(wt, dtype)
    if wt.backends.get_backend() == "wasm":    # the reference computes in double
        assert torch.equal(_np(got), _np(via_f32.to(got.dtype))), "not the float32 result rounded"
    torch.testing.assert_close(_np(got), want.float(), equal_nan=True, **TOL[dtype])


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("shape,dim", [((7, 33), -1), ((3, 5, 9), 1), ((2, 3, 4), 0),
                                       ((1, KT.H16_STAGE + 5), -1)])
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax(op, shape, dim, dtype):
    x, tx = _pair(shape, dtype, 1)
    _check(getattr(wt, op)(x, dim), getattr(wt, op)(x.float(), dim),
           getattr(torch, op)(tx, dim), dtype)


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("n", [1, 37, 768, KT.H16_STAGE + 3])
def test_norms(n, dtype):
    long = n > KT.H16_STAGE      # the fallback: one row, one affine form (kept fast)
    x, tx = _pair((1 if long else 3, n), dtype, 2, -4.0, 6.0)
    w, tw = _pair((n,), dtype, 3)
    b, tb = _pair((n,), dtype, 4)
    forms = (((w, b), (tw, tb)),) if long else (
        ((), ()), ((w, b), (tw, tb)), ((w,), (tw,)), ((None, b), (None, tb)))
    for args, targs in forms:
        f32 = [None if a is None else a.float() for a in args]
        _check(wt.layer_norm(x, [n], *args), wt.layer_norm(x.float(), [n], *f32),
               F.layer_norm(tx, [n], *targs), dtype)
    _check(wt.rms_norm(x, [n], w, 1e-5), wt.rms_norm(x.float(), [n], w.float(), 1e-5),
           F.rms_norm(tx, [n], tw, 1e-5), dtype)
    # float32 parameters with half input (torch's CPU rule): the conversion path
    got = wt.layer_norm(x, [n], w.float(), b.float())
    torch.testing.assert_close(_np(got), F.layer_norm(tx, [n], tw.float(), tb.float()).float(),
                               **TOL[dtype])


@pytest.mark.parametrize("dtype", HALF)
def test_group_norm(dtype):
    x, tx = _pair((2, 6, 5, 4), dtype, 5)
    _check(wt.group_norm(x, 3), wt.group_norm(x.float(), 3), F.group_norm(tx, 3), dtype)


LOSSES = [("mse_loss", {}), ("l1_loss", {}), ("smooth_l1_loss", {"beta": 0.5}),
          ("huber_loss", {"delta": 0.7}), ("kl_div", {}), ("kl_div", {"log_target": True}),
          ("binary_cross_entropy", {}), ("binary_cross_entropy_with_logits", {})]


@pytest.mark.filterwarnings("ignore:reduction")
@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("name,kw", LOSSES)
def test_pointwise_losses(name, kw, reduction, dtype):
    unit = name == "binary_cross_entropy"
    x, tx = _pair((5, 411), dtype, 6, 0.0 if unit else -2.0, 1.0 if unit else 2.0)
    y, ty = _pair((5, 411), dtype, 7, 0.0, 1.0)
    got = getattr(wt.nn.functional, name)(x, y, reduction=reduction, **kw)
    via = getattr(wt.nn.functional, name)(x.float(), y.float(), reduction=reduction, **kw)
    want = getattr(F, name)(tx, ty, reduction=reduction, **kw)
    if reduction == "none":
        _check(got, via, want, dtype)
    else:    # block-wise double sums: the float32 value may differ in its last bits
        assert got.dtype is getattr(wt, dtype)
        torch.testing.assert_close(_np(got), _np(via.to(got.dtype)), **TOL[dtype])
        torch.testing.assert_close(_np(got), want.float(), **TOL[dtype])


@pytest.mark.parametrize("dtype", HALF + ("float32",))
def test_bce_range_errors(dtype):
    x, _ = _pair((3, 1500), dtype, 8, 0.0, 1.0)
    bad_x, bad_y, nan_x = x.clone(), x.clone(), x.clone()
    bad_x[2, 1400] = 1.5       # past the first block (halves: checked block by block on the
    bad_y[0, 3] = -0.5         # converted values): an input error wins over an earlier target one
    nan_x[1, 1499] = float("nan")
    for a, b, what in ((bad_x, x, "input"), (x, bad_y, "target"), (bad_x, bad_y, "input"),
                       (nan_x, x, "input")):
        for reduction in ("none", "mean"):
            with pytest.raises(RuntimeError,
                               match=f"all elements of {what} should be between 0 and 1"):
                wt.nn.functional.binary_cross_entropy(a, b, reduction=reduction)


@pytest.mark.parametrize("dtype", HALF)
def test_row_distances_of_halves(dtype):
    """cosine_similarity / pairwise_distance of float16 / bfloat16 rows (h16_rowwise_dist:
    converted in registers): the float32 computation rounded once, and torch's values; rows
    of 19 (two groups of 8 and a tail), a zero row, inf and nan"""
    x, tx = _pair((5, 19), dtype, 11)
    y, ty = _pair((5, 19), dtype, 12)
    for t, w in ((tx, x), (ty, y)):
        t[0] = 0.0
        w[0] = 0.0
    tx[2, 18], x[2, 18] = float("inf"), float("inf")
    ty[3, 4], y[3, 4] = float("nan"), float("nan")
    def check(got, via_f32, want):   # nan rows included
        assert got.dtype is getattr(wt, dtype)
        exact = dict(rtol=0, atol=0) if wt.backends.get_backend() == "wasm" else TOL[dtype]
        torch.testing.assert_close(_np(got), _np(via_f32.to(got.dtype)), equal_nan=True,
                                   **exact)
        torch.testing.assert_close(_np(got), want.float(), equal_nan=True, **TOL[dtype])

    eps = float(torch.tensor(1e-8).to(tx.dtype))     # as torch sees it: 0 (the zero row: nan)
    check(wt.cosine_similarity(x, y, dim=1),
          wt.cosine_similarity(x.float(), y.float(), dim=1, eps=eps),
          F.cosine_similarity(tx, ty, dim=1))
    eps = float(torch.tensor(1e-6).to(tx.dtype))
    for p in (0, 1, 2, float("inf")):
        check(wt.nn.functional.pairwise_distance(x, y, p=p),
              wt.nn.functional.pairwise_distance(x.float(), y.float(), p=p, eps=eps),
              F.pairwise_distance(tx, ty, p=p))


@pytest.mark.parametrize("dtype", HALF + ("float32",))
@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_row_scans(op, dtype):
    """rows scanned four side by side (9 rows: two groups of four and one alone; 37: a tail):
    torch's accumulation (float32 for the halves, double for float32 cumsum), bit for bit"""
    x, t = _pair((9, 37), dtype, 13, 0.5, 1.5)
    got = getattr(x, op)(-1)
    assert torch.equal(_np(got), getattr(t, op)(-1).float())


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_float64_rows(op):
    g = torch.Generator().manual_seed(9)
    t = torch.randn(6, 2051, generator=g, dtype=torch.float64) * 30   # past the 2048 block
    t[1, 7] = float("inf")
    t[2, :] = float("-inf")
    t[3, 5] = float("nan")
    t[4, :] = 0.0
    x = wt.tensor(t.numpy())
    want = getattr(torch, op)(t, -1)
    for dim in (-1, 0):   # rows: the fused kernel; dim 0: the composed path
        torch.testing.assert_close(torch.from_numpy(getattr(wt, op)(x, dim).numpy()),
                                   getattr(torch, op)(t, dim), rtol=1e-13, atol=1e-13,
                                   equal_nan=True)


@pytest.mark.parametrize("n", [1, 13, 1000])
def test_float64_norms(n):
    """f64_layer_norm / f64_rms_norm (eight partial sums, two passes) against torch"""
    g = torch.Generator().manual_seed(14)
    t = torch.randn(5, n, generator=g, dtype=torch.float64) * 3 + 1e3
    w = torch.randn(n, generator=g, dtype=torch.float64)
    b = torch.randn(n, generator=g, dtype=torch.float64)
    t[4, 0] = float("nan")
    x, ww, wb = (wt.tensor(v.numpy()) for v in (t, w, b))
    for got, want in ((wt.layer_norm(x, [n], ww, wb), F.layer_norm(t, [n], w, b)),
                      (wt.layer_norm(x, [n]), F.layer_norm(t, [n])),
                      (wt.rms_norm(x, [n], ww), F.rms_norm(t, [n], w)),
                      (wt.rms_norm(x, [n]), F.rms_norm(t, [n]))):
        torch.testing.assert_close(torch.from_numpy(got.numpy()), want, rtol=1e-12,
                                   atol=1e-12, equal_nan=True)


@pytest.mark.filterwarnings("ignore:reduction")
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("name,kw", LOSSES)
def test_float64_losses(name, kw, reduction):
    """the float64 kinds with a log / exp: L1 blocks through the f64 exp / log kernels (1100
    elements: two full blocks and a partial one), edge values included"""
    g = torch.Generator().manual_seed(10)
    unit = name == "binary_cross_entropy"
    scale, shift = (1, 0) if unit else (8, 4)
    tx = torch.rand(1100, generator=g, dtype=torch.float64) * scale - shift
    ty = torch.rand(1100, generator=g, dtype=torch.float64)
    tx[:4] = torch.tensor([0.0, 1.0, 1e-300, 1 - 1e-16]) if unit else torch.tensor(
        [0.0, -800.0, 800.0, float("nan")])
    ty[:3] = torch.tensor([0.0, 1.0, 0.0])
    x, y = wt.tensor(tx.numpy()), wt.tensor(ty.numpy())
    got = getattr(wt.nn.functional, name)(x, y, reduction=reduction, **kw)
    want = getattr(F, name)(tx, ty, reduction=reduction, **kw)
    torch.testing.assert_close(torch.from_numpy(got.numpy()), want, rtol=1e-12, atol=1e-12,
                               equal_nan=True)


def test_float64_bce_range_and_xlogy():
    x = wt.tensor([0.5, 1.5, 0.2], dtype=wt.float64)
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        wt.nn.functional.binary_cross_entropy(x, x.clamp(0, 1))
    with pytest.raises(RuntimeError, match="all elements of target should be between 0 and 1"):
        wt.nn.functional.binary_cross_entropy(x.clamp(0, 1), x)
    a = torch.tensor([0.0, 0.0, 2.0, -1.0, 3.0], dtype=torch.float64)
    b = torch.tensor([0.0, float("nan"), 0.0, 5.0, -1.0], dtype=torch.float64)
    got = wt.xlogy(wt.tensor(a.numpy()), wt.tensor(b.numpy()))
    torch.testing.assert_close(torch.from_numpy(got.numpy()), torch.xlogy(a, b), equal_nan=True)


@pytest.mark.parametrize("dtype", ["bool", "float16", "bfloat16", "int8", "int64"])
def test_tril_triu_in_own_dtype(dtype):
    """a selection in x's dtype (no promotion of bool to int64 or float16 to float32), any
    diagonal (clamped before the int32 index vectors)"""
    t = (torch.arange(2 * 5 * 7).reshape(2, 5, 7) % 3 - 1).to(getattr(torch, dtype))
    x = wt.tensor(t.float().numpy()).to(getattr(wt, dtype))
    for d in (-2 ** 40, -6, -1, 0, 3, 7, 2 ** 40):
        for op in ("tril", "triu"):
            got = getattr(wt, op)(x, d)
            assert got.dtype is x.dtype
            assert torch.equal(torch.from_numpy(got.float().numpy()),
                               getattr(torch, op)(t, d).float()), (op, d)
