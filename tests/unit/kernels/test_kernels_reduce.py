"""Middle-axis kernels on contiguous [outer, n, inner] f32 arrays (wasm_kernels/f32-reduce,
f32-softmax, f32-cumsum): reductions, arg-reductions, softmax/log_softmax and cumsum against
float64 numpy with the error bounds stated in the kernel sources, and torch for NaN/Inf."""
import numpy as np
import pytest
import torch

from conftest_kernels import EPS, call, backend, ks, storage_of  # noqa: F401
from webtensor.backends.wasm import kernel_table
from webtensor.backends.wasm.loader import Region

NS = (0, 1, 2, 3, 5, 16, 17, 255, 256, 257, 1000, 4099)
INNERS = (1, 2, 3, 4, 5, 8, 13, 64, 67, 140)   # 32+: fold_chunk (WT_CHUNK_V=8 vectors) + tail
OUTERS = (1, 3)
ROW_BLOCK, COL_BLOCK = 256, 64   # WT_ROW_BLOCK / WT_COL_BLOCK in include/wt_fold.h


def shapes():
    for outer in OUTERS:
        for n in NS:
            for inner in INNERS:
                if outer * n * inner <= 60_000:
                    yield outer, n, inner


def sum_bound_factor(n, inner):
    """The sum's stated error factor C: |err| <= C eps sum|x| (f32_reduce_wasmsimd.c)."""
    if inner == 1:
        return ROW_BLOCK / 16 + n / ROW_BLOCK + 4
    return COL_BLOCK + n / COL_BLOCK + 2


def run(ks, op, x3, *scalars, out_dtype=np.float32, same_shape=False):
    outer, n, inner = x3.shape
    yshape = x3.shape if same_shape else (outer, inner)
    y0 = np.zeros(yshape, out_dtype)
    args = (outer, n, inner) + scalars + (x3, y0)
    (y,) = call(ks, "f32_" + op, *args)
    return y


def data(rng, shape, lo=-3.0, hi=3.0):
    return rng.uniform(lo, hi, shape).astype(np.float32)


def spacing(v):
    return np.spacing(np.abs(v).astype(np.float32)).astype(np.float64)


@pytest.mark.parametrize("op", ["sum", "mean"])
def test_sum_mean(ks, op):
    rng = np.random.default_rng(0)
    for outer, n, inner in shapes():
        x = data(rng, (outer, n, inner))
        y = run(ks, op, x).astype(np.float64)
        xd = x.astype(np.float64)
        ref = xd.sum(1)
        tol = sum_bound_factor(n, inner) * EPS * np.abs(xd).sum(1)
        if op == "mean":
            with np.errstate(invalid="ignore"):
                ref, tol = ref / n, tol / max(n, 1)
        if n == 0 and op == "mean":
            assert np.isnan(y).all()
            continue
        assert np.all(np.abs(y - ref) <= tol + spacing(ref)), (op, outer, n, inner)


def test_prod(ks):
    rng = np.random.default_rng(1)
    for outer, n, inner in shapes():
        x = data(rng, (outer, n, inner), 0.95, 1.05)   # keeps long products in range
        y = run(ks, "prod", x).astype(np.float64)
        ref = x.astype(np.float64).prod(1)
        assert np.all(np.abs(y - ref) <= (n + 1) * EPS * np.abs(ref)), (outer, n, inner)


@pytest.mark.parametrize("op", ["amax", "amin", "argmax", "argmin"])
def test_extrema_and_args(ks, op):
    rng = np.random.default_rng(2)
    for outer, n, inner in shapes():
        if n == 0 and op.startswith("arg"):
            continue
        # few distinct values: many ties, so "first occurrence" is exercised
        x = rng.integers(-4, 5, (outer, n, inner)).astype(np.float32)
        if op.startswith("arg"):
            y = run(ks, op, x, out_dtype=np.int64)
            want = (np.argmax if op == "argmax" else np.argmin)(x, axis=1)
        else:
            y = run(ks, op, x)
            want = (np.max if op == "amax" else np.min)(x, axis=1, initial=-np.inf if
                                                         op == "amax" else np.inf)
        assert np.array_equal(y, want), (op, outer, n, inner)


def test_var_correction(ks):
    rng = np.random.default_rng(3)
    for outer, n, inner in shapes():
        for corr in (0.0, 1.0, 2.5):
            x = data(rng, (outer, n, inner), 5.0, 9.0)   # nonzero mean tests the two passes
            y = run(ks, "var", x, corr).astype(np.float64)
            xd = x.astype(np.float64)
            dof = max(0.0, n - corr)
            if n == 0 or dof == 0:     # 0/0 = nan, spread/0 = inf (torch)
                assert np.all(np.isnan(y) | np.isinf(y)), (n, corr)
                continue
            ss = ((xd - xd.mean(1, keepdims=True)) ** 2).sum(1)
            ref = ss / dof
            c = sum_bound_factor(n, inner)
            delta = c * EPS * np.abs(xd).sum(1) / n       # error of the mean
            tol = (c + 4) * EPS * ref + n * delta ** 2 / dof
            assert np.all(np.abs(y - ref) <= tol + spacing(ref)), (outer, n, inner, corr)


def test_logsumexp(ks):
    rng = np.random.default_rng(4)
    for outer, n, inner in shapes():
        x = data(rng, (outer, n, inner), -30, 30)
        y = run(ks, "logsumexp", x).astype(np.float64)
        if n == 0:
            assert np.all(y == -np.inf)
            continue
        xd = x.astype(np.float64)
        m = xd.max(1, keepdims=True)
        ref = np.log(np.exp(xd - m).sum(1)) + m[:, 0]
        tol = (sum_bound_factor(n, inner) + 4) * EPS + 2 * spacing(ref)
        assert np.all(np.abs(y - ref) <= tol), (outer, n, inner)


def test_softmax_and_log_softmax(ks):
    rng = np.random.default_rng(5)
    for outer, n, inner in shapes():
        x = data(rng, (outer, n, inner), -20, 20)
        if n == 0:       # no output elements: must just not crash
            assert run(ks, "softmax", x, same_shape=True).size == 0
            continue
        xd = x.astype(np.float64)
        m = xd.max(1, keepdims=True)
        e = np.exp(xd - m)
        s = e.sum(1, keepdims=True)
        c = sum_bound_factor(n, inner)
        y = run(ks, "softmax", x, same_shape=True).astype(np.float64)
        ref = e / s
        tol = (c + 6 + np.abs(xd - m)) * EPS * ref + 2 ** -149
        assert np.all(np.abs(y - ref) <= tol), ("softmax", outer, n, inner)
        y = run(ks, "log_softmax", x, same_shape=True).astype(np.float64)
        ref = xd - m - np.log(s)
        tol = (np.abs(xd - m) + np.abs(np.log(s))) * 2 * EPS + (c + 2) * EPS + spacing(ref)
        assert np.all(np.abs(y - ref) <= tol), ("log_softmax", outer, n, inner)


def test_softmax_far_below_the_max(ks):
    """exp(x - max) for x - max <= 0 (wt_softmax.h): within the bound down to the smallest
    normal result; results below 2^-126.5 are flushed to 0 (torch's own softmax exp flushes
    below FLT_MIN); -inf gives exactly 0; log_softmax stays exact there."""
    d = np.array([0, -1e-3, -1, -20, -60, -87.0, -87.3, -87.6, -87.7, -88, -90, -104, -200,
                  -np.inf, -3, -0.5, -7], np.float32)
    for shift in (0.0, 50.0, -30.0):
        x = (d + np.float32(shift)).reshape(1, -1, 1)
        y = run(ks, "softmax", x, same_shape=True).astype(np.float64).ravel()
        xd = x.astype(np.float64).ravel()
        ref = np.exp(xd - xd.max()) / np.exp(xd - xd.max()).sum()
        normal = ref >= 2.0 ** -126
        assert np.all(np.abs(y - ref)[normal] <= 12 * EPS * ref[normal] + 2 ** -149), shift
        assert np.all((y[~normal] >= 0) & (y[~normal] <= 2.0 ** -126))
        assert y[np.isneginf(xd)].tolist() == [0.0]


def test_cumsum(ks):
    rng = np.random.default_rng(6)
    for outer, n, inner in shapes():
        x = data(rng, (outer, n, inner))
        y = run(ks, "cumsum", x, same_shape=True).astype(np.float64)
        xd = x.astype(np.float64)
        ref = np.cumsum(xd, 1)
        # f64 accumulation: only the final rounding of each prefix (plus f64 noise)
        tol = 0.5 * spacing(ref) + n * 2.0 ** -52 * np.abs(xd).sum(1, keepdims=True)
        assert np.all(np.abs(y - ref) <= tol), (outer, n, inner)


ROWS = np.array([[1.0, np.nan, 3.0, np.nan], [np.inf, 1.0, 2.0, 3.0],
                 [-np.inf, -np.inf, -np.inf, -np.inf], [np.inf, -np.inf, 0.0, 1.0],
                 [-0.0, 0.0, -0.0, 0.0], [np.inf, np.inf, 1.0, -np.inf],
                 [1e-45, -1e-45, 3e38, 3e38], [-5.0, -5.0, -7.0, -5.0]], np.float32)


def _torch_middle(op, x3):
    t = torch.from_numpy(x3.copy())
    if op in ("softmax", "log_softmax", "cumsum"):
        return getattr(torch, op)(t, 1).numpy()
    if op == "var":
        return torch.var(t, 1, correction=1).numpy()
    return getattr(torch, op)(t, 1).numpy()


@pytest.mark.parametrize("op", kernel_table.REDUCE_OPS + kernel_table.ARGREDUCE_OPS +
                         kernel_table.ROWWISE_OPS + ("var",))
@pytest.mark.parametrize("inner", [1, 3, 70])
def test_nan_inf_like_torch(ks, op, inner):
    """Rows with NaN, +-inf, signed zeros, subnormals and ties: same as torch (row and
    column paths)."""
    rows = ROWS
    if op == "prod":   # whether 1e-45 * -1e-45 * 3e38 * 3e38 underflows depends on the order
        rows = np.delete(rows, 6, axis=0)
    x3 = np.repeat(rows[:, :, None], inner, axis=2)            # [rows, 4, inner]
    x3 = np.concatenate([x3, np.repeat(rows[:, :, None] * -1, inner, axis=2)])
    kw = {}
    if op in kernel_table.ARGREDUCE_OPS:
        kw["out_dtype"] = np.int64
    args = (1.0,) if op == "var" else ()
    y = run(ks, op, x3, *args, same_shape=op in kernel_table.ROWWISE_OPS, **kw)
    with np.errstate(all="ignore"):
        want = _torch_middle(op, x3)
    if op in kernel_table.ARGREDUCE_OPS:
        assert np.array_equal(y, want), (op, y, want)
        return
    nan_ok = np.array_equal(np.isnan(y), np.isnan(want))
    inf_ok = np.array_equal(y[np.isinf(want)], want[np.isinf(want)])
    fin = np.isfinite(want)
    close = np.allclose(y[fin], want[fin], rtol=2e-6, atol=1e-37)
    assert nan_ok and inf_ok and close, (op, x3[:, :, 0], y, want)


def test_softmax_and_cumsum_in_place(ks):
    x = np.linspace(-4, 4, 3 * 11 * 2, dtype=np.float32).reshape(3, 11, 2)
    for op in ("softmax", "log_softmax", "cumsum"):
        st = storage_of(x)
        ks.fn("f32_" + op)(3, 11, 2, Region(st, 0, x.nbytes, False), Region(st, 0, x.nbytes, True))
        got = np.frombuffer(bytes(st.view()), np.float32).reshape(x.shape)
        (want,) = call(ks, "f32_" + op, 3, 11, 2, x, np.zeros_like(x))
        assert np.array_equal(got, want), op
