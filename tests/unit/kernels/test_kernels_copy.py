"""Strided-copy kernels x8/x16/x32/x64 (wasm_kernels/xN-copy): any shape/strides (0 strides
broadcast) gathered into a contiguous output, compared with numpy's as_strided."""
import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

DTYPES = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}


def run_copy(ks, bits, src, shape, strides):
    n = int(np.prod(shape)) if shape else 1
    dt = DTYPES[bits]
    y0 = np.full(n + 3, 0xA, dt)
    (y,) = call(ks, f"x{bits}_copy", len(shape), np.array(shape or [0], np.int32),
                np.array(strides or [0], np.int32), src, y0)
    assert np.all(y[n:] == 0xA), "wrote past the output"
    return y[:n]


def random_layout(rng, ndim):
    """A shape and non-negative strides over a buffer (permuted, gapped, broadcast)."""
    shape = [int(rng.integers(1, 5)) for _ in range(ndim)]
    if ndim and rng.random() < 0.2:
        shape[int(rng.integers(ndim))] = int(rng.integers(5, 40))   # a long dim too
    strides, step = [0] * ndim, 1
    for d in rng.permutation(ndim):
        if rng.random() < 0.2:
            strides[d] = 0                           # broadcast (expanded) dim
        else:
            strides[d] = step * int(rng.integers(1, 3))   # gaps
            step = strides[d] * shape[d]
    return shape, strides


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_copy_random_layouts(ks, bits):
    rng = np.random.default_rng(bits)
    dt = DTYPES[bits]
    for trial in range(300):
        ndim = int(rng.integers(0, 9))
        shape, strides = random_layout(rng, ndim)
        extent = 1 + sum((s - 1) * st for s, st in zip(shape, strides))
        src = rng.integers(0, np.iinfo(dt).max, extent, dtype=dt, endpoint=True)
        y = run_copy(ks, bits, src, shape, strides)
        isz = np.dtype(dt).itemsize
        want = as_strided(src, shape, [s * isz for s in strides]).reshape(-1) if ndim else src[:1]
        assert np.array_equal(y, want), (shape, strides)


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_copy_contiguous_and_transposed(ks, bits):
    dt = DTYPES[bits]
    for n in (0, 1, 3, 15, 16, 17, 100):
        src = np.arange(n, dtype=dt)
        if n:
            assert np.array_equal(run_copy(ks, bits, src, [n], [1]), src)
    src = np.arange(7 * 9, dtype=dt)
    y = run_copy(ks, bits, src, [9, 7], [1, 9])            # transpose of a [7, 9]
    assert np.array_equal(y, src.reshape(7, 9).T.reshape(-1))


def test_copy_empty_shape_writes_nothing(ks):
    src = np.arange(4, dtype=np.uint32)
    y0 = np.full(4, 0xA, np.uint32)
    (y,) = call(ks, "x32_copy", 2, np.array([3, 0], np.int32), np.array([1, 1], np.int32), src, y0)
    assert np.all(y == 0xA)


def test_copy_max_dims(ks):
    nd = kernel_table.COPY_MAX_DIM
    shape, strides = [2] * nd, [2 ** (nd - 1 - d) for d in range(nd)]
    src = np.arange(2 ** nd, dtype=np.uint16)
    assert np.array_equal(run_copy(ks, 16, src, shape, strides), src)


def run_copy_strided(ks, bits, src, shape, xs, ys, dst_extent):
    """The x{bits}_copy_strided kernel into a buffer of dst_extent (+3 sentinel) elements."""
    dt = DTYPES[bits]
    y0 = np.full(dst_extent + 3, 0xA, dt)
    (y,) = call(ks, f"x{bits}_copy_strided", len(shape), np.array(shape or [0], np.int32),
                np.array(xs or [0], np.int32), np.array(ys or [0], np.int32), src, y0)
    assert np.all(y[dst_extent:] == 0xA), "wrote past the output"
    return y[:dst_extent]


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_copy_strided_random_layouts(ks, bits):
    """Any source layout into any non-overlapping destination view (permuted, gapped); the
    elements between the view's positions keep their values."""
    rng = np.random.default_rng(100 + bits)
    dt = DTYPES[bits]
    isz = np.dtype(dt).itemsize
    for trial in range(300):
        ndim = int(rng.integers(0, 7))
        shape, xs = random_layout(rng, ndim)
        ys, step = [0] * ndim, 1
        for d in rng.permutation(ndim):          # a destination view without broadcast dims
            ys[d] = step * int(rng.integers(1, 3))
            step = ys[d] * shape[d]
        x_extent = 1 + sum((s - 1) * st for s, st in zip(shape, xs))
        y_extent = 1 + sum((s - 1) * st for s, st in zip(shape, ys))
        src = rng.integers(0, np.iinfo(dt).max, x_extent, dtype=dt, endpoint=True)
        y = run_copy_strided(ks, bits, src, shape, xs, ys, y_extent)
        want = np.full(y_extent, 0xA, dt)
        if ndim:
            as_strided(want, shape, [s * isz for s in ys])[...] = \
                as_strided(src, shape, [s * isz for s in xs])
        else:
            want[0] = src[0]
        assert np.array_equal(y, want), (shape, xs, ys)


def test_copy_strided_empty_shape_writes_nothing(ks):
    src = np.arange(4, dtype=np.uint32)
    y = run_copy_strided(ks, 32, src, [3, 0], [1, 1], [1, 1], 4)
    assert np.all(y == 0xA)


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_copy_negative_strides(ks, bits):
    """flip: dims with negative strides walk backwards from the view's lowest-addressed
    element, which is where the x pointer points (both kernels; transposed planes too)."""
    rng = np.random.default_rng(200 + bits)
    dt = DTYPES[bits]
    isz = np.dtype(dt).itemsize
    for trial in range(200):
        ndim = int(rng.integers(1, 6))
        shape, strides = random_layout(rng, ndim)
        flip = [bool(rng.random() < 0.5) for _ in range(ndim)]
        signed = [-st if f else st for st, f in zip(strides, flip)]
        extent = 1 + sum((s - 1) * st for s, st in zip(shape, strides))
        src = rng.integers(0, np.iinfo(dt).max, extent, dtype=dt, endpoint=True)
        view = as_strided(src, shape, [s * isz for s in strides])
        want = view[tuple(slice(None, None, -1) if f else slice(None) for f in flip)]
        assert np.array_equal(run_copy(ks, bits, src, shape, signed), want.reshape(-1)), \
            (shape, signed)
        ys = [int(np.prod(shape[d + 1:])) for d in range(ndim)]      # into a reversed output
        y = run_copy_strided(ks, bits, src, shape, strides, [-s for s in ys],
                             int(np.prod(shape)))
        assert np.array_equal(y, view.reshape(-1)[::-1]), (shape, strides)
    for n in (15, 16, 17, 70):      # a reversed unit-stride row: whole vectors and a tail
        src = rng.integers(0, np.iinfo(dt).max, 3 * n, dtype=dt, endpoint=True)
        assert np.array_equal(run_copy(ks, bits, src, [3, n], [n, -1]),
                              src.reshape(3, n)[:, ::-1].reshape(-1)), n
