"""The quantised-weight kernels (wasm_kernels/q*-*), called directly for both ISA builds,
against the numpy spec of tests/unit/quant/test_quant.py: conversions bit for bit, gemv/gemm on edge
shapes (N = 0, 1, primes, not multiples of the 4-row tile or the 8-row panel; K = 0, 32, > the
256-column panel; M = 1, 2, 5, 17) within the dot-product bound stated in the kernels."""
import numpy as np
import pytest

from conftest_kernels import EPS, backend, call, ks  # noqa: F401
from test_quant import (BLOCK, KINDS, np_dequantize, np_magnitudes, np_qd16, np_quantize,
                        random_blocks, weights)

NS = (1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 37)
KS = (32, 64, 96, 288, 1056)


def _w_arg(blocks):
    # a K = 0 or N = 0 weight has no bytes; the kernels must not read it (one dummy byte)
    return blocks if blocks.size else np.zeros(1, np.uint8)


def run_linear(ks, kind, x, blocks, n, k):
    m = x.shape[0]
    y0 = np.full(m * n + 1, np.nan, np.float32)       # + a sentinel that must stay NaN
    name = f"f32_{kind}_gemv_1x4" if m == 1 else f"f32_{kind}_gemm_2x4"
    args = (n, k) if m == 1 else (m, n, k)
    (y,) = call(ks, name, *args, np.ascontiguousarray(x, np.float32) if x.size else
                np.zeros(1, np.float32), _w_arg(blocks), y0)
    assert np.isnan(y[-1]), f"{name} wrote past y"
    return y[:-1].reshape(m, n)


def check_linear(y, x, blocks, kind, n, k):
    w = np_dequantize(blocks, kind, (n, k)).astype(np.float64) if n * k else np.zeros((n, k))
    ref = x.astype(np.float64) @ w.T
    mag = np.abs(x.astype(np.float64)) @ (np_magnitudes(blocks, kind, (n, k)).T if n * k
                                          else np.zeros((k, n)))
    # kernel headers: <= ~(k/4 + 64) eps sum |x| (|d q| + |m|); + the Q4_1 panel's rounding
    # of d q + m (eps |w|) -- (k + 64) eps covers both
    bound = (k + 64) * EPS * mag
    assert not np.any(np.isnan(y)), "an output was not written"
    assert np.all(np.abs(y - ref) <= bound + 1e-30), np.max(np.abs(y - ref) - bound)


@pytest.mark.parametrize("kind", KINDS)
def test_gemv_edge_shapes(ks, kind):
    rng = np.random.default_rng(1)
    for n in NS:
        for k in KS:
            blocks = np_quantize(weights(n, k, seed=n + k), kind)
            x = rng.standard_normal((1, k)).astype(np.float32)
            check_linear(run_linear(ks, kind, x, blocks, n, k), x, blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [2, 5, 17])
def test_gemm_edge_shapes(ks, kind, m):
    rng = np.random.default_rng(m)
    for n in NS:
        for k in KS:
            blocks = np_quantize(weights(n, k, seed=n * k), kind)
            x = rng.standard_normal((m, k)).astype(np.float32)
            check_linear(run_linear(ks, kind, x, blocks, n, k), x, blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
def test_gemm_many_panels_and_rows(ks, kind):
    """k spans 16 panels of 256, n three 8-row panels plus a tail, m odd."""
    rng = np.random.default_rng(7)
    m, n, k = 17, 29, 4096
    blocks = random_blocks(n * k // 32, kind, seed=4)
    x = rng.standard_normal((m, k)).astype(np.float32)
    check_linear(run_linear(ks, kind, x, blocks, n, k), x, blocks, kind, n, k)
    check_linear(run_linear(ks, kind, x[:1], blocks, n, k), x[:1], blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [1, 2, 5])
def test_k_zero_writes_zeros_and_n_zero_writes_nothing(ks, kind, m):
    x = np.zeros((m, 0), np.float32)
    y = run_linear(ks, kind, x, np.zeros((0, BLOCK[kind]), np.uint8), 7, 0)
    assert np.all(y == 0)
    y = run_linear(ks, kind, np.ones((m, 64), np.float32), np.zeros((0, BLOCK[kind]), np.uint8),
                   0, 64)
    assert y.size == 0


@pytest.mark.parametrize("kind", KINDS)
def test_dequantize_kernel_bit_exact(ks, kind):
    for nblocks in (1, 2, 7, 64):
        raw = random_blocks(nblocks, kind, seed=nblocks)
        (y,) = call(ks, f"{kind}_dequantize", nblocks, raw,
                    np.full(32 * nblocks, np.nan, np.float32))
        ref = np_dequantize(raw, kind, (nblocks, 32)).reshape(-1)
        assert np.array_equal(y.view(np.uint32), ref.view(np.uint32))


@pytest.mark.parametrize("kind", KINDS)
def test_quantize_kernel_is_ggml_bit_for_bit(ks, kind):
    for n, k in ((1, 32), (3, 96), (16, 256)):
        w = weights(n, k, seed=k + n)
        nb = n * k // 32
        (blocks,) = call(ks, f"{kind}_quantize", nb, w.reshape(-1),
                         np.zeros(nb * BLOCK[kind], np.uint8))
        assert blocks.tobytes() == np_quantize(w, kind).tobytes()
    # ties of roundf (x * id exactly k + 1/2) and Q4_1's clamp at 15, and fp16 overflow
    w = np.array([[127 * 0.5 * (i % 3 - 1) + (i - 16) / 2 for i in range(32)]], np.float32)
    w[0, 0] = 1e7
    nb = 1
    (blocks,) = call(ks, f"{kind}_quantize", nb, w.reshape(-1),
                     np.zeros(BLOCK[kind], np.uint8))
    assert blocks.tobytes() == np_quantize(w, kind).tobytes()


@pytest.mark.parametrize("kind", KINDS)
def test_int8_activation_gemv_edge_shapes(ks, kind):
    """qd8_f32_<kind>_gemv_1x4: x given as Q8_0 blocks; the result is xh @ W^T with xh the
    dequantised activations, within the same dot-product bound."""
    rng = np.random.default_rng(2)
    for n in NS:
        for k in KS + (4096,):
            blocks = np_quantize(weights(n, k, seed=n + 3 * k), kind)
            x = (rng.standard_normal((1, k)) * 10.0 ** rng.uniform(-2, 2)).astype(np.float32)
            xq = np_quantize(x, "q8_0")
            y0 = np.full(n + 1, np.nan, np.float32)
            (y,) = call(ks, f"qd8_f32_{kind}_gemv_1x4", n, k, xq.reshape(-1), _w_arg(blocks), y0)
            assert np.isnan(y[-1])
            check_linear(y[:-1].reshape(1, n), np_dequantize(xq, "q8_0", (1, k)), blocks, kind,
                         n, k)
    y = call(ks, f"qd8_f32_{kind}_gemv_1x4", 5, 0, np.zeros(1, np.uint8), np.zeros(1, np.uint8),
             np.full(5, np.nan, np.float32))[0]
    assert np.all(y == 0)


def test_int16_activation_blocks_bit_exact(ks):
    """qd16_quantize / qd16_dequantize against np_qd16 bit for bit (scales over 2^-30 .. 2^30,
    zero blocks, ties), writing nothing past their outputs."""
    rng = np.random.default_rng(5)
    for nb in (1, 3, 40):
        x = (rng.standard_normal((nb, 32)) * 2.0 ** rng.integers(-30, 30, (nb, 1))).astype(
            np.float32)
        x[0] = 0.0
        if nb > 1:
            x[1] = np.arange(32) - 16.0       # d = 16/32767: many x/d land near halves
        want, xh = np_qd16(x)
        out = np.full((nb + 1) * 72, 0xAB, np.uint8)
        (got,) = call(ks, "qd16_quantize", nb, x.reshape(-1), out)
        assert got[:nb * 72].tobytes() == want.tobytes()
        assert np.all(got[nb * 72:] == 0xAB), "qd16_quantize wrote past its blocks"
        (y,) = call(ks, "qd16_dequantize", nb, want.reshape(-1),
                    np.full(nb * 32 + 1, np.nan, np.float32))
        assert np.array_equal(y[:-1].view(np.uint32), xh.reshape(-1).view(np.uint32))
        assert np.isnan(y[-1])


def test_int16_activation_blocks_where_the_rounding_shortcut_does_not_hold(ks):
    """qd16_quantize rounds x / d by adding 1.5 * 2^23 (exact while |x / d| < 2^22 and both
    are finite); blocks outside that take nearest + trunc_sat: a block of |x| < ~1e-34 (1/d
    overflows to inf, so x * (1/d) is 0 * inf = NaN where x == 0) keeps q = 0 at its zeros and
    saturates elsewhere; a block holding inf or NaN gets a non-finite d, q = 0 and sum 0."""
    tiny = np.float32(2.0 ** -120)
    x = np.zeros((4, 32), np.float32)
    x[0] = (np.arange(32) - 16) * tiny           # zeros at 16, q = +-32767 elsewhere
    x[1] = np.linspace(-1, 1, 32, dtype=np.float32)
    x[1, 3] = np.inf
    x[2] = np.linspace(-1, 1, 32, dtype=np.float32)
    x[2, 7] = np.nan
    x[3] = (np.arange(32) % 5) * tiny * 2.0 ** 90    # normal: the shortcut, against np_qd16
    out = np.full(4 * 72, 0xAB, np.uint8)
    (got,) = call(ks, "qd16_quantize", 4, x.reshape(-1), out)
    got = got.reshape(4, 72)
    d = got[:, :4].copy().view(np.float32)[:, 0]
    s = got[:, 4:8].copy().view(np.int32)[:, 0]
    q = got[:, 8:].copy().view(np.int16)
    assert d[0] == np.float32(16 * tiny) / np.float32(32767)
    with np.errstate(over="ignore"):
        assert np.isinf(np.float32(1) / d[0])
    assert q[0, 16] == 0 and np.all(np.abs(q[0, np.arange(32) != 16].astype(np.int32)) >= 32767)
    assert np.isinf(d[1]) and np.isnan(d[2])
    assert np.all(q[1:3] == 0) and np.all(s[1:3] == 0)
    assert got[3].tobytes() == np_qd16(x[3:4])[0].tobytes()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [2, 5, 17])
def test_int16_activation_gemm_edge_shapes(ks, kind, m):
    """qd16_f32_<kind>_gemm_4x8 (prefill): m rows of int16 blocks; the result is xh @ W^T
    within the dot-product bound on shapes off the 4-row tile, the 8-row panel and the
    256-column panel; k == 0 writes zeros; a row holding a NaN block gives a NaN row only."""
    rng = np.random.default_rng(10 + m)
    name = f"qd16_f32_{kind}_gemm_4x8"
    for n in NS:
        for k in KS + (4096,) * (m == 5):
            blocks = np_quantize(weights(n, k, seed=n + 3 * k), kind)
            x = (rng.standard_normal((m, k)) * 10.0 ** rng.uniform(-2, 2, (m, 1))).astype(
                np.float32)
            xq, xh = np_qd16(x)
            (y,) = call(ks, name, m, n, k, xq.reshape(-1), _w_arg(blocks),
                        np.full(m * n + 1, np.nan, np.float32))
            assert np.isnan(y[-1]), "wrote past y"
            check_linear(y[:-1].reshape(m, n), xh, blocks, kind, n, k)
    y = call(ks, name, m, 5, 0, np.zeros(1, np.uint8), np.zeros(1, np.uint8),
             np.full(m * 5, np.nan, np.float32))[0]
    assert np.all(y == 0)
    x = np.ones((m, 64), np.float32)
    x[1, 33] = np.nan
    (xq,) = call(ks, "qd16_quantize", 2 * m, x.reshape(-1), np.zeros(2 * m * 72, np.uint8))
    y = call(ks, name, m, 3, 64, xq, np_quantize(weights(3, 64), kind),
             np.zeros(3 * m, np.float32))[0].reshape(m, 3)
    assert np.all(np.isnan(y[1])) and not np.any(np.isnan(np.delete(y, 1, axis=0)))


@pytest.mark.parametrize("kind", KINDS)
def test_int16_activation_gemv_edge_shapes(ks, kind):
    """qd16_f32_<kind>_gemv_1x4: x given as int16 blocks; the result is xh @ W^T within the
    dot-product bound; k == 0 writes zeros; a NaN block gives NaN."""
    rng = np.random.default_rng(4)
    for n in NS:
        for k in KS + (4096,):
            blocks = np_quantize(weights(n, k, seed=n + 5 * k), kind)
            x = (rng.standard_normal((1, k)) * 10.0 ** rng.uniform(-2, 2)).astype(np.float32)
            xq, xh = np_qd16(x)
            y0 = np.full(n + 1, np.nan, np.float32)
            (y,) = call(ks, f"qd16_f32_{kind}_gemv_1x4", n, k, xq.reshape(-1), _w_arg(blocks),
                        y0)
            assert np.isnan(y[-1]), "wrote past y"
            check_linear(y[:-1].reshape(1, n), xh, blocks, kind, n, k)
    y = call(ks, f"qd16_f32_{kind}_gemv_1x4", 5, 0, np.zeros(1, np.uint8),
             np.zeros(1, np.uint8), np.full(5, np.nan, np.float32))[0]
    assert np.all(y == 0)
    x = np.ones((1, 64), np.float32)
    x[0, 33] = np.inf
    xq = np.zeros(2 * 72, np.uint8)
    (xq,) = call(ks, "qd16_quantize", 2, x.reshape(-1), xq)
    y = call(ks, f"qd16_f32_{kind}_gemv_1x4", 3, 64, xq, np_quantize(weights(3, 64), kind),
             np.zeros(3, np.float32))[0]
    assert np.all(np.isnan(y))
