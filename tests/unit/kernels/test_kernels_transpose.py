"""The tiled transpose path of the x{8,16,32,64}_copy kernels (wasm_kernels/xN-copy): layouts
whose second-innermost dim has stride 1 (x.t(), permute(0, 2, 1), NCHW -> NHWC), for both
ISA builds, against numpy's as_strided on edge shapes (tile and 4x4-block remainders, gapped
leading dimensions, batches, broadcast outer dims)."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

DTYPES = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}
SIDES = (2, 3, 4, 5, 7, 31, 32, 33, 37, 64, 67)


def run(ks, bits, src, shape, strides):
    dt = DTYPES[bits]
    n = int(np.prod(shape))
    y0 = np.full(n + 5, 0xB, dt)
    (y,) = call(ks, f"x{bits}_copy", len(shape), np.array(shape, np.int32),
                np.array(strides, np.int32), src, y0)
    assert np.all(y[n:] == 0xB), "wrote past the output"
    isz = np.dtype(dt).itemsize
    want = as_strided(src, shape, [s * isz for s in strides]).reshape(-1)
    assert np.array_equal(y[:n], want), (shape, strides)


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_transpose_2d(ks, bits):
    rng = np.random.default_rng(bits)
    dt = DTYPES[bits]
    for r in SIDES:
        for c in SIDES:
            ld = r + int(rng.integers(0, 3))            # gapped columns sometimes
            src = rng.integers(0, np.iinfo(dt).max, ld * c, dtype=dt, endpoint=True)
            run(ks, bits, src, [r, c], [1, ld])


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_transpose_batched_and_nhwc(ks, bits):
    rng = np.random.default_rng(100 + bits)
    dt = DTYPES[bits]
    for b, r, c in ((3, 5, 9), (2, 33, 4), (4, 1, 7), (2, 40, 36)):
        src = rng.integers(0, 200, b * r * c, dtype=dt)
        run(ks, bits, src, [b, r, c], [r * c, 1, r])          # permute(0, 2, 1) of [b, c, r]
        run(ks, bits, src[:r * c], [b, r, c], [0, 1, r])      # broadcast batch
    n, ch, hw = 2, 3, 37                                      # NCHW -> NHWC, coalesced
    src = rng.integers(0, 200, n * ch * hw, dtype=dt)
    run(ks, bits, src, [n, hw, ch], [ch * hw, 1, hw])
    # transposed planes inside a gapped 4-D layout
    src = rng.integers(0, 200, 2 * 3 * 50 * 6, dtype=dt)
    run(ks, bits, src, [2, 3, 6, 5], [900, 300, 1, 50])


def test_transpose_large_32(ks):
    rng = np.random.default_rng(7)
    src = rng.integers(0, 2 ** 32 - 1, 300 * 257, dtype=np.uint32)
    run(ks, 32, src, [300, 257], [1, 300])
    run(ks, 32, src, [257, 300], [1, 257])
