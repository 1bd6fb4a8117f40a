"""float64 transcendentals on the WASM kernels (wasm_kernels/f64-vunary) against the reference
backend (Python's math: libm, here and inside Pyodide) within the kernels' stated ulp bounds plus
the reference's own rounding: inputs around the exp table's and expm1's thresholds, every length
up to 131 (the vector tail and the 64-element blocks of the two-pass kernels), in place too.
Stdlib only: runs on CPython and in Pyodide (Node, Chromium). No call may fall back."""
import math
import random

import pytest

import webtensor as wt
from webtensor.backends.wasm.coverage import FellBack
from wtcheck import using_backend

# kernel bound (f64-vunary/f64_vmath.h) + 1 ulp for libm's result (torch's own is not exact)
BOUND = {"exp": 2, "expm1": 3, "log": 2, "log1p": 3, "tanh": 4, "sigmoid": 4, "sin": 2,
         "cos": 2, "erf": 2.5}
SPECIAL = [0.0, -0.0, math.inf, -math.inf, math.nan, 1e-310, -1e-310, 1e-300, 708.0, 707.9,
           -708.0, -707.9, 709.7, -745.0, 0.0081, -0.0081, 0.00809, 0.0027, -0.0027, 37.5, 37.6,
           -38.0, 19.1, -19.2, 0.5, -0.5, 6.0, -6.0, 1.0, -1.0, 2.0 ** -54, 1e5, 1e22]


def _inputs():
    rng = random.Random(11)
    xs = list(SPECIAL)
    for _ in range(1500):
        xs.append(rng.uniform(-2, 2))
        xs.append(rng.uniform(-40, 40))
        xs.append(rng.uniform(-0.02, 0.02))
        xs.append(math.copysign(math.exp(rng.uniform(-700, 700)), rng.uniform(-1, 1)))
    return xs


def _close(g, w, bound):
    if w != w or w in (math.inf, -math.inf) or w == 0:
        return (g == w and math.copysign(1, g) == math.copysign(1, w)) or (g != g and w != w) \
            or (w == 0 and abs(g) < 2.0 ** -1020)      # subnormal results rounded, not flushed
    return abs(g - w) <= bound * math.ulp(w) + 2.0 ** -1074


@pytest.mark.parametrize("op", sorted(BOUND))
def test_f64_unary_vs_reference(op):
    xs = _inputs()
    x = wt.tensor(xs, dtype=wt.float64)
    with using_backend("reference"):
        want = getattr(wt, op)(x).tolist()
    with using_backend("wasm"), FellBack() as fb:
        got = getattr(wt, op)(x).tolist()
    assert not fb.used, f"{op} fell back to the reference backend: {fb.used}"
    bad = [(a, g, w) for a, g, w in zip(xs, got, want) if not _close(g, w, BOUND[op])]
    assert not bad, f"{op}: {len(bad)} differ, e.g. {bad[:6]}"


@pytest.mark.parametrize("op", ["log", "log1p", "tanh", "sigmoid", "exp"])
def test_f64_unary_every_length_and_in_place(op):
    """the two-pass kernels work in 64-element blocks: every length up to 131 and in place
    give the same values as one long call"""
    rng = random.Random(5)
    xs = [rng.uniform(-3, 3) for _ in range(131)]
    key = lambda v: [repr(e) for e in v]     # noqa: E731  (nan == nan, -0.0 != 0.0)
    with using_backend("wasm"):
        full = key(getattr(wt, op)(wt.tensor(xs, dtype=wt.float64)).tolist())
        for n in range(1, 132):
            assert key(getattr(wt, op)(wt.tensor(xs[:n], dtype=wt.float64)).tolist()) == full[:n]
        t = wt.tensor(xs, dtype=wt.float64)
        getattr(t, op + "_")()
        assert key(t.tolist()) == full
