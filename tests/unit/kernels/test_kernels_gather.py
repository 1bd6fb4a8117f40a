"""Gather-path kernels for both ISA builds against numpy: i64/i32_index_select (rows of any
byte size; every out-of-range index reported, nothing written) and x{8,16,32,64}_where in the
2-D broadcast form (same shape, scalar, row, column and strided operands); x{8,16,32,64}_scatter
(index_copy_ / scatter_ without reduce)."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

UINT = {8: np.uint8, 16: np.uint16, 32: np.uint32, 64: np.uint64}
IDX = {"i64": np.int64, "i32": np.int32}


def run_index_select(ks, kind, x, idx, outer, n, row_bytes):
    nidx = len(idx)
    y0 = np.full(outer * nidx * row_bytes + 7, 0xC3, np.uint8)
    y, status = call(ks, f"{kind}_index_select", outer, n, nidx, row_bytes,
                     x if x.size else np.zeros(1, np.uint8),
                     idx if nidx else np.zeros(1, IDX[kind]), y0, np.array([123], np.int32))
    assert np.all(y[outer * nidx * row_bytes:] == 0xC3), "wrote past the output"
    return y[:outer * nidx * row_bytes], int(status[0]), y0


@pytest.mark.parametrize("kind", ["i64", "i32"])
@pytest.mark.parametrize("row_bytes", [1, 2, 3, 4, 8, 12, 16, 20, 64, 100, 132, 4 * 768])
def test_index_select_rows(ks, kind, row_bytes):
    rng = np.random.default_rng(row_bytes)
    for outer, n, nidx in ((1, 1, 1), (1, 7, 13), (3, 5, 4), (2, 31, 0), (1, 97, 61),
                           (0, 3, 2)):
        x = rng.integers(0, 256, outer * n * row_bytes, dtype=np.uint8)
        idx = rng.integers(0, n, nidx).astype(IDX[kind])
        y, status, _ = run_index_select(ks, kind, x, idx, outer, n, row_bytes)
        assert status == -1
        want = x.reshape(outer, n, row_bytes)[:, idx, :].reshape(-1)
        assert np.array_equal(y, want), (outer, n, nidx)


@pytest.mark.parametrize("kind", ["i64", "i32"])
def test_index_select_out_of_range_writes_nothing(ks, kind):
    x = np.arange(5 * 8, dtype=np.uint8)
    big = np.iinfo(IDX[kind]).max
    for bad, pos in (([0, 5, 1], 1), ([-1], 0), ([2, 3, 4, big], 3), ([0, 1, -2 ** 31], 2)):
        y, status, y0 = run_index_select(ks, kind, x, np.array(bad, IDX[kind]), 1, 5, 8)
        assert status == pos
        assert np.all(y == 0xC3), "wrote output despite a bad index"
    # n == 0: every index is out of range
    _, status, _ = run_index_select(ks, kind, np.zeros(0, np.uint8), np.array([0], IDX[kind]),
                                    1, 0, 4)
    assert status == 0


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_scatter(ks, bits):
    """y[o, idx[o, j, i], i] = src[o, j, i]; a bad index anywhere: status, nothing written."""
    rng = np.random.default_rng(bits)
    for outer, n, m, inner in ((1, 1, 1, 1), (2, 5, 4, 3), (3, 7, 2, 64), (1, 9, 9, 1),
                               (2, 4, 0, 5)):
        idx = rng.integers(0, n, (outer, m, inner))
        src = rng.integers(0, 2 ** min(bits, 31), (outer, m, inner)).astype(UINT[bits])
        y0 = rng.integers(0, 100, outer * n * inner + 5).astype(UINT[bits])
        y, status = call(ks, f"x{bits}_scatter", outer, n, m, inner,
                         idx.reshape(-1) if idx.size else np.zeros(1, np.int64),
                         src.reshape(-1) if src.size else np.zeros(1, UINT[bits]), y0.copy(),
                         np.array([123], np.int32))
        want = y0.copy()
        w = want[:outer * n * inner].reshape(outer, n, inner)
        for o in range(outer):
            for j in range(m):
                for i in range(inner):
                    w[o, idx[o, j, i], i] = src[o, j, i]
        assert int(status[0]) == -1 and np.array_equal(y, want), (outer, n, m, inner)
    for bad in (-1, 5):
        idx = np.array([0, 1, bad, 2], np.int64)
        y0 = np.zeros(5, UINT[bits])
        y, status = call(ks, f"x{bits}_scatter", 1, 5, 4, 1, idx, np.ones(4, UINT[bits]),
                         y0.copy(), np.array([123], np.int32))
        assert int(status[0]) == 2 and np.array_equal(y, y0)


def where_ref(m, n, c, cs, a, as_, b, bs):
    def at(arr, rs, cs_):
        i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
        return arr[i * rs + j * cs_]
    return np.where(at(c, *cs) != 0, at(a, *as_), at(b, *bs)).reshape(-1)


def operand(rng, dt, m, n, kind):
    """(buffer, (row stride, col stride)) for a [m, n] operand of the given broadcast kind."""
    shapes = {"same": (m * n, (n, 1)), "scalar": (1, (0, 0)), "row": (n, (0, 1)),
              "col": (m, (1, 0)), "strided": (m * n * 3, (3 * n, 3)),
              "transposed": (m * n, (1, m))}
    size, strides = shapes[kind]
    if dt is np.bool_:
        buf = rng.integers(0, 3, max(size, 1)).astype(np.uint8)   # any nonzero byte is true
    else:
        buf = rng.integers(0, np.iinfo(dt).max, max(size, 1), dtype=dt, endpoint=True)
    if m <= 1:
        strides = (0, strides[1])
    if n <= 1:
        strides = (strides[0], 0)
    return buf, strides


KINDS = ("same", "scalar", "row", "col", "strided", "transposed")


@pytest.mark.parametrize("bits", kernel_table.COPY_BITS)
def test_where(ks, bits):
    dt = UINT[bits]
    rng = np.random.default_rng(bits)
    for m, n in ((0, 3), (3, 0), (1, 1), (1, 17), (5, 7), (3, 33), (2, 64), (13, 1), (4, 131)):
        for kc, ka, kb in [("same", "same", "same"), ("same", "scalar", "same"),
                           ("row", "same", "scalar"), ("col", "row", "col"),
                           ("same", "strided", "transposed"), ("scalar", "same", "row")] + \
                [tuple(rng.choice(KINDS, 3)) for _ in range(4)]:
            c, cs = operand(rng, np.bool_, m, n, kc)
            a, as_ = operand(rng, dt, m, n, ka)
            b, bs = operand(rng, dt, m, n, kb)
            y0 = np.full(m * n + 3, 9, dt)
            (y,) = call(ks, f"x{bits}_where", m, n, c, *cs, a, *as_, b, *bs, y0)
            assert np.all(y[m * n:] == 9), "wrote past the output"
            if m * n:
                assert np.array_equal(y[:m * n], where_ref(m, n, c, cs, a, as_, b, bs)), \
                    (m, n, kc, ka, kb)
