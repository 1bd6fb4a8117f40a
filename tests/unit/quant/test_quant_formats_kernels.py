"""The kernels of the read-only GGUF kinds (wasm_kernels/qN-gemm, qN-gemv, qd8-gemv/qd8_f32_qN_*,
qd16-gemv, qN-convert), called directly for both ISA builds, against gguf-py: f32_<kind>_gemm_2x4 (M == 1
too), qd8_f32_<kind>_gemv_1x4 and qd16_f32_<kind>_gemv_1x4 on edge shapes (N = 1,
primes, not multiples of the 4-row step or the 8-row panel; K = one block .. several 256-column
panels) within the stated dot-product bound, <kind>_dequantize bit for bit; f32_<kind>_gemv_1x4
(M == 1, float activations dequantised in registers) likewise."""
import numpy as np
import pytest
from gguf import GGMLQuantizationType
from gguf import quants as gq

from conftest_kernels import EPS, backend, call, ks  # noqa: F401
from quant_formats import KINDS, blocks_for, dequantize, magnitudes, random_blocks
from test_quant import np_qd16, weights

from webtensor.backends.reference.quant import BLOCKS

NS = (1, 3, 4, 5, 8, 9, 13)
Q8_0 = GGMLQuantizationType.Q8_0


def _ks_of(kind):
    per = BLOCKS[kind][0]
    return (per, 3 * per, 1536) if per == 256 else (32, 96, 288, 1056)


def _w_arg(blocks):
    return blocks.reshape(-1) if blocks.size else np.zeros(1, np.uint8)


def _check(y, xr, blocks, kind, n, k):
    w = dequantize(blocks, kind, (n, k)).astype(np.float64)
    ref = xr.astype(np.float64) @ w.T
    bound = (k + 64) * EPS * (np.abs(xr.astype(np.float64)) @ magnitudes(blocks, kind, (n, k)).T)
    assert not np.any(np.isnan(y)), "an output was not written"
    assert np.all(np.abs(y - ref) <= bound + 1e-30), np.max(np.abs(y - ref) - bound)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("m", [1, 2, 5])
def test_gemm_edge_shapes(ks, kind, m):
    rng = np.random.default_rng(m)
    for n in NS:
        for k in _ks_of(kind):
            blocks = blocks_for(weights(n, k, seed=n + k), kind, seed=n * k)
            x = rng.standard_normal((m, k)).astype(np.float32)
            y0 = np.full(m * n + 1, np.nan, np.float32)
            (y,) = call(ks, f"f32_{kind}_gemm_2x4", m, n, k, x, _w_arg(blocks), y0)
            assert np.isnan(y[-1]), "wrote past y"
            _check(y[:-1].reshape(m, n), x, blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
def test_gemv_edge_shapes(ks, kind):
    rng = np.random.default_rng(3)
    for n in NS:
        for k in _ks_of(kind):
            blocks = blocks_for(weights(n, k, seed=2 * n + k), kind, seed=n + 2 * k)
            x = rng.standard_normal((1, k)).astype(np.float32)
            y0 = np.full(n + 1, np.nan, np.float32)
            (y,) = call(ks, f"f32_{kind}_gemv_1x4", n, k, x, _w_arg(blocks), y0)
            assert np.isnan(y[-1]), "wrote past y"
            _check(y[:-1].reshape(1, n), x, blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
def test_int8_activation_gemv_edge_shapes(ks, kind):
    rng = np.random.default_rng(2)
    for n in NS:
        for k in _ks_of(kind):
            blocks = blocks_for(weights(n, k, seed=n + 3 * k), kind, seed=n + k)
            x = (rng.standard_normal((1, k)) * 10.0 ** rng.uniform(-2, 2)).astype(np.float32)
            xq = gq.quantize(x, Q8_0)
            y0 = np.full(n + 1, np.nan, np.float32)
            (y,) = call(ks, f"qd8_f32_{kind}_gemv_1x4", n, k, xq.reshape(-1), _w_arg(blocks), y0)
            assert np.isnan(y[-1]), "wrote past y"
            _check(y[:-1].reshape(1, n), gq.dequantize(xq, Q8_0), blocks, kind, n, k)


@pytest.mark.parametrize("kind", KINDS)
def test_int16_activation_gemv_edge_shapes(ks, kind):
    rng = np.random.default_rng(6)
    for n in NS:
        for k in _ks_of(kind):
            blocks = blocks_for(weights(n, k, seed=n + 5 * k), kind, seed=2 * n + k)
            x = (rng.standard_normal((1, k)) * 10.0 ** rng.uniform(-2, 2)).astype(np.float32)
            xq, xh = np_qd16(x)
            y0 = np.full(n + 1, np.nan, np.float32)
            (y,) = call(ks, f"qd16_f32_{kind}_gemv_1x4", n, k, xq.reshape(-1), _w_arg(blocks),
                        y0)
            assert np.isnan(y[-1]), "wrote past y"
            _check(y[:-1].reshape(1, n), xh, blocks, kind, n, k)
    (y,) = call(ks, f"qd16_f32_{kind}_gemv_1x4", 5, 0, np.zeros(1, np.uint8),
                np.zeros(1, np.uint8), np.full(5, np.nan, np.float32))
    assert np.all(y == 0)


@pytest.mark.parametrize("kind", KINDS)
def test_k_zero_writes_zeros(ks, kind):
    (y,) = call(ks, f"f32_{kind}_gemv_1x4", 5, 0, np.zeros(1, np.float32),
                np.zeros(1, np.uint8), np.full(5, np.nan, np.float32))
    assert np.all(y == 0)
    (y,) = call(ks, f"qd8_f32_{kind}_gemv_1x4", 5, 0, np.zeros(1, np.uint8),
                np.zeros(1, np.uint8), np.full(5, np.nan, np.float32))
    assert np.all(y == 0)
    (y,) = call(ks, f"f32_{kind}_gemm_2x4", 3, 5, 0, np.zeros(1, np.float32),
                np.zeros(1, np.uint8), np.full(15, np.nan, np.float32))
    assert np.all(y == 0)


@pytest.mark.parametrize("kind", KINDS)
def test_dequantize_kernel_bit_exact(ks, kind):
    per = BLOCKS[kind][0]
    for nblocks in (1, 3, 40):
        raw = random_blocks(nblocks, kind, seed=nblocks)
        (y,) = call(ks, f"{kind}_dequantize", nblocks, raw.reshape(-1),
                    np.full(per * nblocks + 1, np.nan, np.float32))
        ref = dequantize(raw, kind, (nblocks, per)).reshape(-1)
        assert np.array_equal(y[:-1].view(np.uint32), ref.view(np.uint32))
        assert np.isnan(y[-1])
