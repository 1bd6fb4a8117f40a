"""int64 binary kernels i64_<op> (wasm_kernels/xN-ibinary) for both ISA builds against numpy
(wrap-around arithmetic, comparisons as 0/1 bytes) in the 2-D broadcast form: same shape,
scalar, row, column and strided operands, on edge sizes (0, 1, odd, past the 64-element
chunk of the broadcast path)."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "maximum": np.maximum,
       "minimum": np.minimum, "eq": np.equal, "ne": np.not_equal, "lt": np.less,
       "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal}
NAMES = [f"{it}_{op}" for it in kernel_table.INT_BINARY_DTYPES
         for op in kernel_table.INT_ARITH_OPS + kernel_table.COMPARE_OPS]


def operand(rng, m, n, kind):
    size, strides = {"same": (m * n, (n, 1)), "scalar": (1, (0, 0)), "row": (n, (0, 1)),
                     "col": (m, (1, 0)), "strided": (m * n * 2, (2 * n, 2)),
                     "transposed": (m * n, (1, m))}[kind]
    buf = rng.integers(-2 ** 63, 2 ** 63 - 1, max(size, 1), dtype=np.int64)
    buf[::3] = rng.integers(-3, 3, len(buf[::3]))      # small values: equal pairs happen
    return buf, (strides[0] if m > 1 else 0, strides[1] if n > 1 else 0)


def at(buf, rs, cs, m, n):
    i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
    return buf[i * rs + j * cs]


@pytest.mark.parametrize("name", NAMES)
def test_int_binary(ks, name):
    op = name.split("_", 1)[1]
    cmp = op in kernel_table.COMPARE_OPS
    rng = np.random.default_rng(len(name))
    kinds = ("same", "scalar", "row", "col", "strided", "transposed")
    for m, n in ((0, 4), (1, 0), (1, 1), (1, 5), (3, 7), (2, 64), (2, 65), (5, 131), (17, 3)):
        for ka, kb in [("same", "same"), ("same", "scalar"), ("scalar", "same"), ("row", "col")] \
                + [tuple(rng.choice(kinds, 2)) for _ in range(3)]:
            a, (ars, acs) = operand(rng, m, n, ka)
            b, (brs, bcs) = operand(rng, m, n, kb)
            y0 = np.full(m * n + 2, 7, np.uint8 if cmp else np.int64)
            (y,) = call(ks, name, m, n, a, ars, acs, b, brs, bcs, y0)
            assert np.all(y[m * n:] == 7), "wrote past the output"
            with np.errstate(over="ignore"):
                want = OPS[op](at(a, ars, acs, m, n), at(b, brs, bcs, m, n)).reshape(-1)
            assert np.array_equal(y[:m * n], want.astype(y.dtype)), (m, n, ka, kb)
