"""x{8,16,32,64}_gather (torch.gather along a dim) and <f32|f64|i64|i32>_scatter_reduce (its
adjoint with sum/prod/amax/amin: scatter_add, scatter_reduce, gather's, cross-entropy's and
embedding's backward) for both ISA builds against numpy: shapes with inner 1 and > 1, m smaller
and larger than n, repeated indices (reduced in j order in the element type, like torch's CPU
loop; integers wrap; NaN wins amax/amin), empty index; a bad index anywhere: its flat position
in status and nothing written."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401

UINT = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}
SHAPES = ((1, 1, 1, 1), (2, 5, 4, 3), (3, 7, 2, 64), (1, 9, 30, 1), (64, 10, 1, 1), (2, 4, 0, 5))


def _buf(a, dt):
    return a.reshape(-1) if a.size else np.zeros(1, dt)


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_gather(ks, bits):
    """y[o, j, i] = x[o, idx[o, j, i], i]; nothing past y written."""
    rng = np.random.default_rng(bits)
    for outer, n, m, inner in SHAPES:
        idx = rng.integers(0, n, (outer, m, inner))
        x = rng.integers(0, 2 ** min(bits, 31), (outer, n, inner)).astype(UINT[bits])
        y0 = np.full(outer * m * inner + 5, 7, UINT[bits])
        y, status = call(ks, f"x{bits}_gather", outer, n, m, inner, _buf(idx, np.int64),
                         _buf(x, UINT[bits]), y0.copy(), np.array([123], np.int32))
        want = np.take_along_axis(x, idx, 1).reshape(-1)
        assert int(status[0]) == -1, (outer, n, m, inner)
        assert np.array_equal(y[:want.size], want) and np.all(y[want.size:] == 7)
    for bad in (-1, 5, 2 ** 40):
        idx = np.array([0, 1, bad, 2], np.int64)
        y0 = np.zeros(4, UINT[bits])
        y, status = call(ks, f"x{bits}_gather", 1, 5, 4, 1, idx, np.ones(5, UINT[bits]),
                         y0.copy(), np.array([123], np.int32))
        assert int(status[0]) == 2 and np.array_equal(y, y0)


DT = {"f32": np.float32, "f64": np.float64, "i64": np.int64, "i32": np.int32}
OPS = {0: lambda a, v: a + v, 1: lambda a, v: a * v,
       2: lambda a, v: v if (v != v or a < v) else a,
       3: lambda a, v: v if (v != v or v < a) else a}


def _values(rng, dt, size):
    if dt in ("f32", "f64"):
        v = rng.uniform(-2, 2, size).astype(DT[dt])
        v.reshape(-1)[::11] = np.nan                     # NaN must win amax/amin
        return v
    big = np.iinfo(DT[dt]).max // 3                      # sums and products that wrap
    return rng.integers(-big, big, size, dtype=DT[dt])


@pytest.mark.parametrize("dt", sorted(DT))
@pytest.mark.parametrize("mode", [0, 1, 2, 3])
def test_scatter_reduce(ks, dt, mode):
    """y[o, idx[o, j, i], i] = op(y[...], src[o, j, i]) in j order, in the element type."""
    rng = np.random.default_rng(mode)
    for outer, n, m, inner in SHAPES:
        idx = rng.integers(0, n, (outer, m, inner))
        src = _values(rng, dt, (outer, m, inner))
        y0 = _values(rng, dt, outer * n * inner + 5)
        y, status = call(ks, f"{dt}_scatter_reduce", outer, n, m, inner, mode,
                         _buf(idx, np.int64), _buf(src, DT[dt]), y0.copy(),
                         np.array([123], np.int32))
        want = y0.copy()
        w = want[:outer * n * inner].reshape(outer, n, inner)
        with np.errstate(all="ignore"):
            for o in range(outer):
                for j in range(m):
                    for i in range(inner):
                        k = idx[o, j, i]
                        w[o, k, i] = OPS[mode](w[o, k, i], src[o, j, i])   # same type/order
        assert int(status[0]) == -1, (outer, n, m, inner)
        assert np.array_equal(y, want, equal_nan=dt[0] == "f"), (outer, n, m, inner)
    for bad in (-1, 5, 2 ** 40):
        idx = np.array([0, 1, 2, bad], np.int64)
        y0 = np.zeros(5, DT[dt])
        y, status = call(ks, f"{dt}_scatter_reduce", 1, 5, 4, 1, mode, idx,
                         np.ones(4, DT[dt]), y0.copy(), np.array([123], np.int32))
        assert int(status[0]) == 3 and np.array_equal(y, y0)
