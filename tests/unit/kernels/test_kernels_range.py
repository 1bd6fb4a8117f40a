"""arange / linspace kernels (wasm_kernels/xN-fill/xN_range) for both ISA builds against the
reference backend's formulas computed in Python doubles / ints (bit-equal): float outputs
computed in double and rounded once, integers in int64 with wrap-around, linspace's two-sided
form (exact ends; one step gives start)."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table as KT

NP = {"f32": np.float32, "f64": np.float64, "i32": np.int32, "i64": np.int64}


@pytest.mark.parametrize("name", sorted(KT.ARANGE.values()))
def test_arange(ks, name):
    dt = name.split("_")[0]
    cases = [(0, 1), (-5, 3), (7, -2), (2 ** 40, 2 ** 30)] if dt[0] == "i" else \
        [(0.0, 1.0), (0.1, 0.1), (-3.5, 0.3), (1e8, 1e-3), (1.0, -1.0 / 3)]
    for start, step in cases:
        for n in (0, 1, 5, 100):
            p = np.array([start, step], np.int64 if dt[0] == "i" else np.float64)
            (y,) = call(ks, name, n, p, np.full(n + 1, 7, NP[dt]))
            assert y[n] == 7, "wrote past the output"
            want = [start + i * step for i in range(n)]
            if dt[0] == "i":
                want = np.array([v for v in want], np.int64).astype(NP[dt])
            assert y[:n].tobytes() == np.array(want, NP[dt]).tobytes(), (start, step, n)


@pytest.mark.parametrize("name", sorted(KT.LINSPACE.values()))
def test_linspace(ks, name):
    dt = name.split("_")[0]
    for start, end in ((0.0, 1.0), (-3, 10), (1e-3, 1e3), (5.0, -5.0)):
        for n in (0, 1, 2, 3, 10, 101):
            step = (end - start) / (n - 1) if n > 1 else 0.0
            (y,) = call(ks, name, n, np.array([start, end, step], np.float64),
                        np.full(n + 1, 7, NP[dt]))
            assert y[n] == 7, "wrote past the output"
            half = n // 2
            want = [start] if n == 1 else [start + i * step if i < half else
                                           end - (n - 1 - i) * step for i in range(n)]
            assert y[:n].tobytes() == np.array(want, NP[dt]).tobytes(), (start, end, n)
