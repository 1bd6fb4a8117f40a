"""Batched sgemm kernel (wasm_kernels/f32-gemm) and the M == 1 gemv kernel (wasm_kernels/f32-gemv)
against float64 numpy: tile edges, k-blocking, transposed A, leading dims, broadcast batches.
(Speed is measured by benchmarks/, not here.)"""
import itertools
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from conftest_kernels import EPS, backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

GEMM = f"f32_gemm_{kernel_table.GEMM_MR}x{kernel_table.GEMM_NR}"
GEMV = f"f32_gemv_1x{kernel_table.GEMV_NR}"


def gemm(ks, batch, m, n, k, a, a_bs, a_rs, a_cs, b, b_bs, ldb, c_bs, ldc, c_fill=np.nan):
    c0 = np.full(max(1, batch * c_bs if c_bs else m * ldc), c_fill, np.float32)
    (c,) = call(ks, GEMM, batch, m, n, k, a, a_bs, a_rs, a_cs, b, b_bs, ldb, c0, c_bs, ldc)
    return c


def view(buf, shape, strides):
    if 0 in shape:
        return np.zeros(shape, np.float64)
    return as_strided(buf, shape, tuple(s * 4 for s in strides)).astype(np.float64)


def check(c, ref, bound, what):
    assert np.all(np.abs(c - ref) <= bound + 2 ** -140), what


DIMS = (0, 1, 3, 4, 5, 7, 8, 9, 17, 33)


@pytest.mark.parametrize("transposed_a", [False, True])
def test_gemm_shapes(ks, transposed_a):
    rng = np.random.default_rng(0)
    for m, n, k in itertools.product(DIMS, DIMS, (0, 1, 2, 5, 16, 31)):
        a = rng.uniform(-1, 1, max(1, m * k)).astype(np.float32)
        b = rng.uniform(-1, 1, max(1, k * n)).astype(np.float32)
        a_rs, a_cs = (1, m) if transposed_a else (k, 1)
        c = gemm(ks, 1, m, n, k, a, 0, a_rs, a_cs, b, 0, n, 0, n)
        A = view(a, (m, k), (a_rs, a_cs))
        B = view(b, (k, n), (n, 1))
        got = c[:m * n].reshape(m, n) if m * n else np.zeros((m, n))
        bound = k * EPS * (np.abs(A) @ np.abs(B))
        check(got, A @ B, bound, (m, n, k, transposed_a))
        if k == 0:
            assert np.all(got == 0), "k == 0 must write zeros"


def test_gemm_k_and_n_blocking(ks):
    """k > KC (accumulating k-blocks) and n > NC (several column blocks)."""
    rng = np.random.default_rng(1)
    for m, n, k in ((5, 300, 513), (9, 257, 256), (4, 8, 1000), (13, 520, 7)):
        a = rng.uniform(-1, 1, m * k).astype(np.float32)
        b = rng.uniform(-1, 1, k * n).astype(np.float32)
        c = gemm(ks, 1, m, n, k, a, 0, k, 1, b, 0, n, 0, n)
        A, B = view(a, (m, k), (k, 1)), view(b, (k, n), (n, 1))
        check(c.reshape(m, n), A @ B, k * EPS * (np.abs(A) @ np.abs(B)), (m, n, k))


def test_gemm_leading_dims_leave_padding_alone(ks):
    rng = np.random.default_rng(2)
    m, n, k, ldb, ldc = 6, 11, 9, 16, 14
    a = rng.uniform(-1, 1, m * k).astype(np.float32)
    b = rng.uniform(-1, 1, k * ldb).astype(np.float32)
    c = gemm(ks, 1, m, n, k, a, 0, k, 1, b, 0, ldb, 0, ldc, c_fill=3.5).reshape(m, ldc)
    A, B = view(a, (m, k), (k, 1)), view(b, (k, n), (ldb, 1))
    check(c[:, :n], A @ B, k * EPS * (np.abs(A) @ np.abs(B)), "ld")
    assert np.all(c[:, n:] == 3.5), "wrote into C's row padding"


@pytest.mark.parametrize("a_bcast,b_bcast", [(False, False), (True, False), (False, True)])
def test_gemm_batched(ks, a_bcast, b_bcast):
    rng = np.random.default_rng(3)
    batch, m, n, k = 3, 5, 9, 7
    a = rng.uniform(-1, 1, (1 if a_bcast else batch) * m * k).astype(np.float32)
    b = rng.uniform(-1, 1, (1 if b_bcast else batch) * k * n).astype(np.float32)
    a_bs, b_bs = (0 if a_bcast else m * k), (0 if b_bcast else k * n)
    c = gemm(ks, batch, m, n, k, a, a_bs, k, 1, b, b_bs, n, m * n, n).reshape(batch, m, n)
    for p in range(batch):
        A = view(a[p * a_bs:], (m, k), (k, 1))
        B = view(b[p * b_bs:], (k, n), (n, 1))
        check(c[p], A @ B, k * EPS * (np.abs(A) @ np.abs(B)), (p, a_bcast, b_bcast))


def test_gemm_nan_inf_propagate(ks):
    a = np.array([1.0, np.nan, 2.0, 3.0], np.float32)      # [2, 2]
    b = np.array([np.inf, 1.0, 1.0, 1.0], np.float32)      # [2, 2]
    c = gemm(ks, 1, 2, 2, 2, a, 0, 2, 1, b, 0, 2, 0, 2).reshape(2, 2)
    assert np.isnan(c[0, 0]) and np.isnan(c[0, 1])           # nan * 1 and 1*inf + nan
    assert c[1, 0] == np.inf and c[1, 1] == 5.0


# ---- gemv: y[n] = x[k] @ B[k, n] -------------------------------------------------------------
def gemv(ks, batch, n, k, x, x_bs, x_cs, b, b_bs, ldb, y_bs, y_fill=np.nan):
    y0 = np.full(max(1, batch * y_bs if batch > 1 else n), y_fill, np.float32)
    (y,) = call(ks, GEMV, batch, n, k, x, x_bs, x_cs, b, b_bs, ldb, y0, y_bs)
    return y


GEMV_DIMS = (0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 768)


def test_gemv_shapes(ks):
    """Every (k, n) edge: 32- and 4-column chunks, scalar column tails, k mod 4 rows, k == 0."""
    rng = np.random.default_rng(4)
    for k, n in itertools.product(GEMV_DIMS, GEMV_DIMS):
        x = rng.uniform(-1, 1, max(1, k)).astype(np.float32)
        b = rng.uniform(-1, 1, max(1, k * n)).astype(np.float32)
        y = gemv(ks, 1, n, k, x, 0, 1, b, 0, n, n)
        X, B = view(x, (k,), (1,)), view(b, (k, n), (n, 1))
        got = y[:n]
        check(got, X @ B, k * EPS * (np.abs(X) @ np.abs(B)), (k, n))
        if k == 0:
            assert np.all(got == 0), "k == 0 must write zeros"
        if n == 0:
            assert np.isnan(y[0]), "n == 0 must write nothing"


def test_gemv_strided_x_leading_dim_and_padding(ks):
    """x with element stride 3 (a column of a transposed A); B rows padded (ldb > n); y rows
    padded (y_bs > n): the padding of y is never written."""
    rng = np.random.default_rng(5)
    for n, k in ((45, 37), (77, 16), (3, 9), (32, 1)):
        ldb, y_bs, batch = n + 5, n + 6, 2
        x = rng.uniform(-1, 1, 3 * k).astype(np.float32)
        b = rng.uniform(-1, 1, k * ldb).astype(np.float32)
        y = gemv(ks, batch, n, k, x, 0, 3, b, 0, ldb, y_bs, y_fill=3.5).reshape(batch, y_bs)
        X, B = view(x, (k,), (3,)), view(b, (k, n), (ldb, 1))
        for p in range(batch):
            check(y[p, :n], X @ B, k * EPS * (np.abs(X) @ np.abs(B)), (n, k, p))
        assert np.all(y[:, n:] == 3.5), "wrote into y's padding"


@pytest.mark.parametrize("x_bcast,b_bcast", [(False, False), (True, False), (False, True)])
def test_gemv_batched(ks, x_bcast, b_bcast):
    rng = np.random.default_rng(6)
    batch, n, k = 3, 41, 19
    x = rng.uniform(-1, 1, (1 if x_bcast else batch) * k).astype(np.float32)
    b = rng.uniform(-1, 1, (1 if b_bcast else batch) * k * n).astype(np.float32)
    x_bs, b_bs = (0 if x_bcast else k), (0 if b_bcast else k * n)
    y = gemv(ks, batch, n, k, x, x_bs, 1, b, b_bs, n, n).reshape(batch, n)
    for p in range(batch):
        X, B = view(x[p * x_bs:], (k,), (1,)), view(b[p * b_bs:], (k, n), (n, 1))
        check(y[p], X @ B, k * EPS * (np.abs(X) @ np.abs(B)), (p, x_bcast, b_bcast))


def test_gemv_matches_gemm_and_propagates_nan_inf(ks):
    rng = np.random.default_rng(7)
    n, k = 70, 33
    x = rng.uniform(-1, 1, k).astype(np.float32)
    b = rng.uniform(-1, 1, k * n).astype(np.float32)
    x[5], b[7 * n + 40], b[3 * n + 69] = np.nan, np.inf, -np.inf
    y = gemv(ks, 1, n, k, x, 0, 1, b, 0, n, n)
    c = gemm(ks, 1, 1, n, k, x, 0, k, 1, b, 0, n, 0, n)
    assert np.all(np.isnan(y)) and np.all(np.isnan(c))       # nan * b spreads to every column
    x[5] = 1.0
    X, B = x.astype(np.float64), b.reshape(k, n).astype(np.float64)
    with np.errstate(invalid="ignore"):
        ref = X @ B
    y = gemv(ks, 1, n, k, x, 0, 1, b, 0, n, n)
    assert np.isinf(y[40]) and np.isinf(y[69]) and np.sign(y[40]) == np.sign(ref[40])
    fin = np.isfinite(ref)
    B0 = np.where(np.isfinite(B), B, 0)
    check(y[fin], ref[fin], (k * EPS * (np.abs(X) @ np.abs(B0)))[fin], "finite columns")



@pytest.mark.parametrize("transposed_a", [False, True])
def test_gemm_packed_path(ks, transposed_a):
    """m >= 64 rows: B packed (and a transposed A packed into 4-row strips) by the shared
    cache-blocked driver; row/column/depth tails, k > KC, n > NC, m > MC."""
    rng = np.random.default_rng(8)
    for m, n, k in ((64, 9, 5), (67, 1, 1), (130, 260, 257), (66, 13, 0), (131, 33, 300),
                    (70, 20, 1100)):
        a = rng.uniform(-1, 1, max(1, m * k)).astype(np.float32)
        b = rng.uniform(-1, 1, max(1, k * n)).astype(np.float32)
        a_rs, a_cs = (1, m) if transposed_a else (k, 1)
        c = gemm(ks, 1, m, n, k, a, 0, a_rs, a_cs, b, 0, n, 0, n)
        A, B = view(a, (m, k), (a_rs, a_cs)), view(b, (k, n), (n, 1))
        check(c[:m * n].reshape(m, n), A @ B, k * EPS * (np.abs(A) @ np.abs(B)),
              (m, n, k, transposed_a))
    batch, m, n, k = 2, 70, 11, 6     # batches and C leading-dim padding on the packed path
    a = rng.uniform(-1, 1, batch * m * k).astype(np.float32)
    b = rng.uniform(-1, 1, k * n).astype(np.float32)
    a_rs, a_cs = (1, m) if transposed_a else (k, 1)
    c = gemm(ks, batch, m, n, k, a, m * k, a_rs, a_cs, b, 0, n, m * (n + 2), n + 2,
             c_fill=3.5).reshape(batch, m, n + 2)
    for p in range(batch):
        A, B = view(a[p * m * k:], (m, k), (a_rs, a_cs)), view(b, (k, n), (n, 1))
        check(c[p, :, :n], A @ B, k * EPS * (np.abs(A) @ np.abs(B)), p)
    assert np.all(c[:, :, n:] == 3.5), "wrote into C's row padding"
