"""The float ops of float16 / bfloat16 / integer / bool tensors in one kernel pass
(wasm_kernels/f32-vunary/xN_vunary: stack chunks, or from 65536 elements of a 16-bit input
(256 of a byte one) a table of every input value), isnan / isinf / isfinite on the bits, and
float32 sin / cos reduced in float32 (|x| <= 4096): against the reference backend (Python's
math in double, the oracle inside Pyodide), with no primitive falling back to it. Stdlib only:
CPython and Pyodide (Node, Chromium)."""
import math
import random
import struct

import pytest

import webtensor as wt
from webtensor.backends.wasm.coverage import FellBack
from wtcheck import using_backend

HALF_OPS = ("exp", "log", "log1p", "expm1", "sin", "cos", "tanh", "sigmoid", "silu", "erf",
            "sqrt", "rsqrt", "reciprocal", "abs", "neg", "sign", "round", "trunc", "frac",
            "square")
INT_OPS = ("exp", "log", "log1p", "expm1", "sin", "cos", "tanh", "sigmoid", "erf", "sqrt",
           "rsqrt", "reciprocal")
# float32 ulps between the kernels (test_kernels_unary's bounds) and double math
ULPS = {"exp": 2, "expm1": 2, "log": 1, "log1p": 2, "sin": 1, "cos": 1, "tanh": 3,
        "sigmoid": 3, "erf": 7, "sqrt": 1, "rsqrt": 2, "reciprocal": 1}


def half_bits(v, dt):
    if dt == "float16":
        return struct.unpack("<H", struct.pack("<e", v))[0]
    return struct.unpack("<I", struct.pack("<f", v))[0] >> 16


def every_half(dt):
    """every non-NaN float16 / bfloat16 value, in bit order"""
    out = []
    for b in range(1 << 16):
        v = struct.unpack("<e", struct.pack("<H", b))[0] if dt == "float16" else \
            struct.unpack("<f", struct.pack("<I", b << 16))[0]
        if v == v:
            out.append(v)
    return out


def f32_ulp(v):
    b = struct.unpack("<I", struct.pack("<f", abs(v)))[0]
    return max(struct.unpack("<f", struct.pack("<I", b + 1))[0] - abs(v), 2.0 ** -149)


def wasm(op, x):
    with using_backend("wasm"), FellBack() as fb:
        r = getattr(wt, op)(x)
    assert not fb.used, f"{op} {x.dtype} fell back to the reference backend: {fb.used}"
    return r


def reference(op, values, dtype):
    with using_backend("reference"):
        return getattr(wt, op)(wt.tensor(values, dtype=dtype)).tolist()


@pytest.mark.parametrize("dt", ["float16", "bfloat16"])
def test_half_ops_vs_reference(dt):
    xs = every_half(dt)
    rng = random.Random(5)
    sample = sorted(rng.sample(range(len(xs)), 300))
    big = wt.tensor(xs, dtype=getattr(wt, dt))            # the table path
    for op in HALF_OPS:
        # 37 elements first (chunks: the cached table is another op's), then the table path
        small = wasm(op, wt.tensor([xs[i] for i in sample[:37]], dtype=big.dtype)).tolist()
        got = wasm(op, big)
        assert got.dtype is big.dtype, op
        got = got.tolist()
        assert all(a == b or a != a and b != b
                   for a, b in zip(small, [got[i] for i in sample[:37]])), op  # chunks == table
        want = reference(op, [xs[i] for i in sample], big.dtype)
        bad = []
        for i, w in zip(sample, want):
            g = got[i]
            if w != w or g != g:
                ok = (w != w) == (g != g)
            elif abs(g - w) <= 2.0 ** -126 or g == w:
                ok = True
            else:   # one half ulp: neighbouring bit patterns of the same sign
                ok = math.copysign(1, g) == math.copysign(1, w) and \
                    abs(half_bits(g, dt) - half_bits(w, dt)) <= 1
            if not ok:
                bad.append((xs[i], g, w))
        assert not bad, f"{op} {dt}: {len(bad)} differ, e.g. {bad[:5]}"


@pytest.mark.parametrize("dt", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_int_ops_vs_reference(dt):
    rng = random.Random(len(dt))
    if dt == "bool":
        xs = [rng.random() < 0.5 for _ in range(70000)]
    else:
        lo, hi = {"uint8": (0, 255), "int8": (-128, 127), "int16": (-32768, 32767)}.get(
            dt, (-100000, 100000))
        xs = [rng.randint(lo, hi) for _ in range(70000)]
    big = wt.tensor(xs, dtype=getattr(wt, dt))
    for op in INT_OPS:
        got = wasm(op, big)
        assert got.dtype is wt.float32, op
        got = got.tolist()
        idx = [rng.randrange(len(xs)) for _ in range(200)]
        want = reference(op, [xs[i] for i in idx], big.dtype)
        bad = [(xs[i], got[i], w) for i, w in zip(idx, want)
               if not ((w != w and got[i] != got[i]) or got[i] == w or
                       abs(got[i] - w) <= ULPS[op] * f32_ulp(w))]
        assert not bad, f"{op} {dt}: {len(bad)} differ, e.g. {bad[:5]}"


@pytest.mark.parametrize("dt", ["float16", "bfloat16", "float64"])
def test_classify_vs_reference(dt):
    xs = [0.0, -0.0, 1.0, -2.5, math.inf, -math.inf, math.nan, 1e-6, 65504.0, -3e38] * 7
    x = wt.tensor(xs, dtype=getattr(wt, dt))
    for op in ("isnan", "isinf", "isfinite"):
        got = wasm(op, x)
        assert got.dtype is wt.bool, op
        assert got.tolist() == reference(op, xs, x.dtype), f"{op} {dt}"


def test_sin_cos_float32_near_multiples_of_half_pi():
    """float32 reduction: the floats nearest k pi/2 (cancellation) and a dense stretch, within
    1 ulp of double math; past 4096 the double reduction takes over."""
    xs = []
    for k in range(1, 2700):
        c = struct.unpack("<I", struct.pack("<f", k * math.pi / 2))[0]
        xs += [struct.unpack("<f", struct.pack("<I", c + d))[0] for d in (-1, 0, 1)]
    xs += [i * 0.37 - 900.0 for i in range(5000)] + [5000.5, -1e5, 3e38]
    x = wt.tensor(xs, dtype=wt.float32)
    for op, f in (("sin", math.sin), ("cos", math.cos)):
        got = wasm(op, x).tolist()
        xs32 = x.tolist()
        bad = [(v, g, f(v)) for v, g in zip(xs32, got) if abs(g - f(v)) > f32_ulp(f(v))]
        assert not bad, f"{op}: {len(bad)} beyond 1 ulp, e.g. {bad[:5]}"
