"""Radix sort kernels <dt>_sort (wasm_kernels/xN-sort) for both ISA builds against Python's
stable sorted() with the reference backend's key (NaN above everything, -0.0 == +0.0, equal
keys in their original order, descending too): rows of edge lengths (0, 1, 2, 255, 256, 1000),
values with many ties, infinities and NaN; `values` bit-equal to x[indices]."""
import math

import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table as KT

NP = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64}


def values(rng, dt, n):
    if dt in ("f32", "f64"):
        x = np.round(rng.standard_normal(n) * 4, 1)
        special = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-40, -1e-300]
        m = rng.random(n) < 0.2
        x[m] = rng.choice(special, m.sum())
        return x.astype(NP[dt])
    info = np.iinfo(NP[dt])
    x = rng.integers(info.min, info.max, n, dtype=NP[dt], endpoint=True)
    x[rng.random(n) < 0.5] = rng.integers(-3, 3, 1)[0]          # ties
    return x


def key(v):
    v = float(v) if isinstance(v, np.floating) else int(v)
    return (1, 0) if isinstance(v, float) and math.isnan(v) else (0, v)


# the 4- and 8-byte keys; the 1- and 2-byte dtypes' sorts are tested against torch through the
# ops (tests/unit/ops/test_unique.py)
@pytest.mark.parametrize("name", sorted(v for k, v in KT.SORT.items() if k in NP))
def test_sort(ks, name):
    dt = name.split("_")[0]
    rng = np.random.default_rng(len(name))
    for rows, n in ((1, 0), (1, 1), (3, 2), (2, 255), (2, 256), (1, 1000), (4, 37)):
        x = values(rng, dt, rows * n)
        ksz = 8 if np.dtype(NP[dt]).itemsize == 8 else 4
        for desc in (0, 1):
            v0 = np.full(rows * n + 1, 7, NP[dt])
            i0 = np.full(rows * n + 1, 7, np.int64)
            s0 = np.zeros(max(n * (2 * ksz + 8), 1) + 8, np.uint8)   # + 8: key alignment
            v, i, _ = call(ks, name, rows, n, desc, x, v0, i0, s0)
            assert v[-1] == 7 and i[-1] == 7, "wrote past the output"
            for r in range(rows):
                row = x[r * n:(r + 1) * n]
                want = sorted(range(n), key=lambda j: key(row[j]), reverse=bool(desc))
                got = i[r * n:(r + 1) * n]
                assert list(got) == want, (rows, n, desc)
                assert row[got].tobytes() == v[r * n:(r + 1) * n].tobytes()
