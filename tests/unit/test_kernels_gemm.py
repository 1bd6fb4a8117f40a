"""Batched sgemm kernel (wasm_kernels/f32-gemm) against float64 numpy: tile edges, k-blocking,
transposed A, leading dims, broadcast batches; plus a quick GFLOP/s report."""
import itertools
import time

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from conftest_kernels import EPS, backend, call, ks, storage_of  # noqa: F401
from webtensor.backends.wasm import kernel_table
from webtensor.backends.wasm.loader import Region

GEMM = f"f32_gemm_{kernel_table.GEMM_MR}x{kernel_table.GEMM_NR}"


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


def gflops(ks, size, reps=3):
    """Best-of GFLOP/s of one size^3 sgemm call under this runtime (copies included)."""
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, size * size).astype(np.float32)
    b = rng.uniform(-1, 1, size * size).astype(np.float32)
    sa, sb, sc = storage_of(a), storage_of(b), storage_of(np.zeros(size * size, np.float32))
    nb = size * size * 4
    args = (1, size, size, size, Region(sa, 0, nb, False), 0, size, 1, Region(sb, 0, nb, False),
            0, size, Region(sc, 0, nb, True), 0, size)
    f = ks.fn(GEMM)
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        f(*args)
        best = min(best, time.perf_counter() - t)
    return 2 * size ** 3 / best / 1e9


def test_gemm_speed_report(ks):
    """Not a gate (machines differ): reports GFLOP/s so regressions are visible in -s runs."""
    for size in (256, 512):
        print(f"\n{GEMM} {ks.isa} {ks.runtime} {size}^3: {gflops(ks, size):.1f} GFLOP/s")
