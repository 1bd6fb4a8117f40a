"""pow and atan2 on the WASM kernels (wasm_kernels/xN-vbinary) against the reference backend
(Python's math: libm's pow/atan2, here and inside Pyodide): float64 and float32 within the
kernels' stated ulp bounds plus the reference's own rounding, C99's special values bit for bit,
float16 / bfloat16 through float32 like torch, integer pow (wrapping, torch's negative-exponent rule) exactly. Stdlib only: runs on CPython
and in Pyodide (Node, Chromium). No call may fall back to the reference backend."""
import itertools
import math
import random
import struct

import pytest

import webtensor as wt
from webtensor.backends.wasm.coverage import FellBack
from wtcheck import using_backend

SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 2.5, -2.5, math.inf, -math.inf,
           math.nan, 1e-310, -1e-310, 1e-30, 1e30, -1e30, 7.0, -7.0, 2.0 ** 53, 0.9999999]
# kernel bound (xN_vbinary_wasmsimd.c) + the reference's libm / float32 rounding
BOUND = {("pow", "float64"): 2.5, ("pow", "float32"): 1.0, ("atan2", "float64"): 3.0,
         ("atan2", "float32"): 1.0}


def _ulp(v, dtype):
    if dtype == "float64":
        return math.ulp(v)
    b = struct.unpack("<I", struct.pack("<f", abs(v)))[0]
    up = struct.unpack("<f", struct.pack("<I", b + 1))[0]
    return max(up - abs(v), 2.0 ** -149)


def _same(x, y):
    return (x == y and math.copysign(1, x) == math.copysign(1, y)) or (x != x and y != y)


def _both(op, a, b, dtype):
    args = [wt.tensor(a, dtype=getattr(wt, dtype)), wt.tensor(b, dtype=getattr(wt, dtype))]
    with using_backend("reference"):
        want = getattr(wt, op)(*args).tolist()
    with using_backend("wasm"), FellBack() as fb:
        got = getattr(wt, op)(*args).tolist()
    assert not fb.used, f"{op} {dtype} fell back to the reference backend: {fb.used}"
    return got, want


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("op", ["pow", "atan2"])
def test_float_vs_reference(op, dtype):
    rng = random.Random(7)
    a, b = [list(t) for t in zip(*itertools.product(SPECIAL, SPECIAL))]
    for _ in range(3000):
        if op == "pow":     # positive bases over a wide range, negative ones with ints
            x = math.exp(rng.uniform(-80, 80))
            a.append(x), b.append(rng.uniform(-80, 80) / max(abs(math.log(x)), 0.5))
            a.append(-rng.uniform(0.1, 10)), b.append(float(rng.randrange(-60, 60)))
        else:   # any magnitude, and moderate ones (float32's path without special cases)
            e = 30 if len(a) % 4 else 10
            a.append(rng.gauss(0, 1) * 10 ** rng.uniform(-e, e))
            b.append(rng.gauss(0, 1) * 10 ** rng.uniform(-e, e))
    got, want = _both(op, a, b, dtype)
    bad = []
    for x, y, g, w in zip(a, b, got, want):
        if w != w or w in (math.inf, -math.inf) or w == 0 or abs(w) == 1:
            ok = _same(g, w)
        else:
            ok = abs(g - w) <= BOUND[(op, dtype)] * _ulp(w, dtype)
        if not ok:
            bad.append((x, y, g, w))
    assert not bad, f"{op} {dtype}: {len(bad)} differ, e.g. {bad[:6]}"


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("op", ["pow", "atan2"])
def test_half_vs_reference(op, dtype):
    """The half kernels (float32 in registers, rounded once to the half) against the reference
    (double rounded to float32, then to the half): special values bit for bit, the rest equal
    but where the two float32 values straddle a rounding boundary of the half (1 half ulp)."""
    rng = random.Random(5)
    a, b = [list(t) for t in zip(*itertools.product(SPECIAL, SPECIAL))]
    for i in range(3000):
        a.append(rng.uniform(-8, 8))
        b.append(float(round(rng.uniform(-6, 6))) if i % 3 == 0 else rng.uniform(-6, 6))
    got, want = _both(op, a, b, dtype)
    rel = 2.0 ** (-10 if dtype == "float16" else -7)
    bad = [(x, y, g, w) for x, y, g, w in zip(a, b, got, want) if not _same(g, w) and (
        w != w or w in (math.inf, -math.inf) or w == 0 or abs(g - w) > rel * abs(w))]
    exact = sum(_same(g, w) for g, w in zip(got, want))
    assert not bad, f"{op} {dtype}: {len(bad)} differ, e.g. {bad[:6]}"
    assert exact >= 0.99 * len(a), (op, dtype, exact, len(a))


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
def test_int_pow_vs_reference(dtype):
    rng = random.Random(3)
    lo = 0 if dtype == "uint8" else -20
    a = [rng.randrange(lo, 20) for _ in range(500)] + [0, 1, -1, 2] * (dtype != "uint8")
    b = [rng.randrange(lo // 4, 40) for _ in a]
    got, want = _both("pow", a, b, dtype)
    assert got == want
