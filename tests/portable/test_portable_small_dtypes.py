"""The small dtypes (int16, int8, uint8, bool, float16, bfloat16) on the WASM kernels: every case
runs without any reference-backend primitive (coverage.FellBack), under guard bytes, and equals
the reference backend (the oracle inside Pyodide; tests/unit/kernels/test_small_dtypes_torch.py
checks the same cases against torch on CPython). Values reach the wrap-around edges (int8
-128 * -1, uint8 0 - 1, int16 32767 + 1) and NaN/inf/-0.0, at 37 elements (vector blocks and a
tail), in contiguous, transposed and broadcast layouts. Stdlib only."""
import math

import pytest

import webtensor
from webtensor.backends.wasm.coverage import FellBack
from wtcheck import guard_bytes, using_backend

_FLOAT_EDGES = [-0.0, 0.0, 1.5, -2.25, math.nan, math.inf, -math.inf, 65504.0, 1e-5, -3.0,
                7.0, 0.1]
EDGES = {"int16": [-32768, -32767, -1, 0, 1, 2, 255, 256, 32766, 32767, -300, 1000],
         "int8": [-128, -127, -1, 0, 1, 2, 63, 64, 126, 127, -64, 100],
         "uint8": [0, 1, 2, 127, 128, 129, 254, 255, 16, 17, 200, 3],
         "bool": [True, False, False, True, True, False, True, False, False, True, False, True],
         "float16": _FLOAT_EDGES, "bfloat16": _FLOAT_EDGES}
INTS = ("int16", "int8", "uint8")
ALL = INTS + ("bool",)
HALF = ("float16", "bfloat16")


def values(dt, n, salt):
    e = EDGES[dt]
    return [e[(i * 5 + salt * 7 + i // 12) % len(e)] for i in range(n)]


def inputs(mod, dt, layout):
    """(a, b) of dtype dt built by `mod` (webtensor or torch): layout "flat": [37] and [37];
    "t": a transposed [6, 7] view and a [6, 7]; "bcast": [6, 7] and a [7] row."""
    def make(n, salt, shape):
        return mod.tensor(values(dt, n, salt), dtype=getattr(mod, dt)).reshape(shape)
    if layout == "flat":
        return make(37, 0, (37,)), make(37, 1, (37,))
    if layout == "t":
        return make(42, 0, (7, 6)).t(), make(42, 1, (6, 7))
    return make(42, 0, (6, 7)), make(7, 1, (7,))


_B = ("add", "mul", "maximum", "minimum", "fmax", "fmin", "eq", "ne", "lt", "le", "gt", "ge",
      "bitwise_and", "bitwise_or", "bitwise_xor")
# name -> (fn(mod, a, b), dtypes)
CASES = {op: (lambda m, a, b, op=op: getattr(m, op)(a, b), ALL) for op in _B}
CASES.update({op: (lambda m, a, b, op=op: getattr(m, op)(a, b), ALL + HALF)
              for op in ("add", "mul", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
                         "ge")})
CASES.update({
    "sub": (lambda m, a, b: a - b, INTS + HALF),
    "div": (lambda m, a, b: a / b, HALF),
    "mul_scalar": (lambda m, a, b: a * 100, INTS + HALF),    # a Python number exact in f16
    "rsub_scalar": (lambda m, a, b: 1 - a, INTS),
    "add_scalar": (lambda m, a, b: a + 100, INTS),
    "neg": (lambda m, a, b: -a, INTS + HALF),
    "abs": (lambda m, a, b: a.abs(), INTS + HALF),
    "sign": (lambda m, a, b: a.sign(), ALL + HALF),
    "relu": (lambda m, a, b: m.relu(a), INTS + HALF),
    "square": (lambda m, a, b: a.square(), ALL),
    # halves: one selection pass on the bit patterns (bounds rounded to the dtype; lo > hi
    # gives hi); bool with integer bounds: int64, one conversion or selection
    "clamp_half": (lambda m, a, b: (a.clamp(-2.3, 7), a.clamp(min=0), a.clamp(max=1.5),
                                    a.clamp(1, 0), a.clone().clamp_(-0.0, 0.1)), HALF),
    "clamp_bool": (lambda m, a, b: (a.clamp(0, 1), a.clamp(min=2), a.clamp(-3, 0),
                                    a.clamp(max=-1), a.clamp(1, 5)), ("bool",)),
    # (bfloat16: torch's fmax(-0.0, 0.0) is 0.0, its float16/float32 one -0.0, as the kernels')
    "fmax_half": (lambda m, a, b: (m.fmax(a, b), m.fmin(a, b)), ("float16",)),
    "bitwise_not": (lambda m, a, b: ~a, ALL),
    "logical_not": (lambda m, a, b: m.logical_not(a), ALL + HALF),
    # no result in (-1, 0]: the reference backend loses the sign of -0.0 there
    "floor": (lambda m, a, b: (a * 0.75 + 0.5).floor(), HALF),
    "ceil": (lambda m, a, b: (a * 0.75 + 0.5).ceil(), HALF),
    "round": (lambda m, a, b: (a * 0.75 + 0.5).round(), HALF),
    # torch keeps a number at float32 in float16/bfloat16 mul/div (not rounded to the dtype)
    "mul_opmath": (lambda m, a, b: a * 0.30332621932029724, HALF),
    "rmul_opmath": (lambda m, a, b: 0.1 * a, HALF),
    "div_opmath": (lambda m, a, b: a / 3.3, HALF),
    "rdiv_opmath": (lambda m, a, b: 3.3 / a, HALF),      # torch: a.reciprocal() * 3.3
    "lt_scalar": (lambda m, a, b: a < 0.1, HALF),        # comparisons round the number
    "add_scalar_half": (lambda m, a, b: a + 0.1, HALF),
    "logical_and": (lambda m, a, b: m.logical_and(a, b), ALL),
    "reciprocal": (lambda m, a, b: a.reciprocal(), ALL + HALF),
    "sqrt": (lambda m, a, b: a.sqrt(), ALL + HALF),
    "isnan": (lambda m, a, b: a.isnan(), ALL),
    "isfinite": (lambda m, a, b: a.isfinite(), ALL),
    "clamp": (lambda m, a, b: a.clamp(-5, 100), INTS),
    "where": (lambda m, a, b: m.where(a > b, a, b), ALL),
    "sum": (lambda m, a, b: a.sum(), ALL),
    "sum_dim": (lambda m, a, b: a.sum(0), ALL),
    "prod": (lambda m, a, b: a.prod(-1), ALL),
    "amax": (lambda m, a, b: a.amax(-1), ALL + HALF),
    "amin": (lambda m, a, b: a.amin(0), ALL + HALF),
    "max": (lambda m, a, b: a.max(), ALL + HALF),
    "min": (lambda m, a, b: a.min(), ALL + HALF),
    "cumprod": (lambda m, a, b: a.cumprod(-1), ALL + HALF),
    "cumsum_half": (lambda m, a, b: (a * 0.25 + 1).cumsum(-1), HALF),   # no -0.0 first
    "sum_half": (lambda m, a, b: (a.sum(-1), a.sum(), a.mean(-1), a.prod(0)), HALF),
    "nansum": (lambda m, a, b: (m.nansum(a), m.nansum(a, 0), m.nanmean(a, -1)), HALF),
    "var": (lambda m, a, b: (m.nan_to_num(a, 0., 9., -9.).var(-1),
                             m.nan_to_num(a, 0., 9., -9.).std(0)), HALF),
    "dot": (lambda m, a, b: m.dot(m.nan_to_num(a.reshape(-1)[:6], 0., 4., -4.),
                                  m.nan_to_num(b.reshape(-1)[:6], 0., 2., -2.)), INTS + HALF),
    "mv": (lambda m, a, b: m.mv(a if a.dim() == 2 else a.reshape(-1)[:35].reshape(5, 7),
                                b.reshape(-1)[:a.shape[-1] if a.dim() == 2 else 7]), INTS),
    "count_nonzero_dim": (lambda m, a, b: m.count_nonzero(a, 0), ALL + HALF),
    "argmax": (lambda m, a, b: a.argmax(-1), INTS + HALF),
    "argmin": (lambda m, a, b: a.argmin(), INTS + HALF),
    "cumsum": (lambda m, a, b: a.cumsum(0), ALL),
    "all": (lambda m, a, b: a.all(-1), ALL + HALF),
    "any": (lambda m, a, b: a.any(), ALL + HALF),
    "count_nonzero": (lambda m, a, b: m.count_nonzero(a), ALL + HALF),
    # stable sorts: ties in input order (torch's unstable order of ties is its own)
    "sort": (lambda m, a, b: tuple(a.sort(dim=-1, stable=True)), ALL + HALF),
    "sort_desc": (lambda m, a, b: tuple(a.sort(dim=0, descending=True, stable=True)), ALL + HALF),
    "argsort": (lambda m, a, b: a.argsort(dim=-1, stable=True), ALL + HALF),
    "topk": (lambda m, a, b: topk(a, 3), INTS + HALF),
    # divisors made nonzero by | 1 (int8 -128 // -1 wraps to -128, as torch's)
    "remainder": (lambda m, a, b: m.remainder(a, b | 1), INTS),
    "floor_divide": (lambda m, a, b: m.floor_divide(a, b | 1), INTS),
    "fmod": (lambda m, a, b: m.fmod(a, b | 1), INTS),
    "div_trunc": (lambda m, a, b: m.div(a, b | 1, rounding_mode="trunc"), INTS),
    "unravel_index": (lambda m, a, b: m.unravel_index(a & 255, (16, 4, 4)), ("int16",)),
    # torch's integer matmul / conv wrap in the dtype (computed on the int32 kernels)
    "matmul": (lambda m, a, b: a @ (b.t() if b.dim() == 2 else b), INTS),
    "linear": (lambda m, a, b: m.nn.functional.linear(a.reshape(-1)[:35].reshape(5, 7),
                                                      _rows(b), _rows(b)[:, 0]), INTS),
    "conv1d": (lambda m, a, b: m.nn.functional.conv1d(a.reshape(1, 1, -1),
                                                      b.reshape(-1)[:6].reshape(2, 1, 3),
                                                      padding=1), INTS),
    "conv2d": (lambda m, a, b: m.nn.functional.conv2d(_img(a), a.reshape(-1)[18:36].reshape(
        2, 1, 3, 3), b.reshape(-1)[:2], padding=1), INTS),
    "max_pool2d": (lambda m, a, b: tuple(m.nn.functional.max_pool2d(
        _img(a), 2, 1, return_indices=True)), INTS),
    # reductions into 7 slots from 36 or 37 sources, indices i * 5 % 7 (repeats)
    "scatter_add": (lambda m, a, b: _slots(b).scatter_add(0, _index(m, a), a.reshape(-1)),
                    ALL + HALF),
    "index_add": (lambda m, a, b: _slots(b).index_add(0, _index(m, a), a.reshape(-1)),
                  ALL + HALF),
    "histc": (lambda m, a, b: m.histc(a, 5, -3, 8), HALF),
    "fold": (lambda m, a, b: m.nn.functional.fold(a.reshape(-1)[:36].reshape(1, 4, 9),
                                                  (4, 4), 2), ("bool",) + HALF),
})
CASES.update({f"scatter_reduce_{r}_{s}": (
    lambda m, a, b, r=r, s=s: _slots(b).scatter_reduce(0, _index(m, a), a.reshape(-1), r,
                                                       include_self=s),
    (INTS + HALF) if r == "mean" else ALL + HALF)
    for r in ("sum", "prod", "mean", "amax", "amin") for s in (True, False)})


def _rows(b):
    return b.reshape(-1)[:21].reshape(3, 7) if b.numel() > 7 else b.reshape(1, 7)


def _img(a):
    return a.reshape(-1)[:36].reshape(1, 1, 6, 6)


def _slots(b):
    return b.reshape(-1)[:7].clone()


def _index(m, a):
    return m.tensor([i * 5 % 7 for i in range(a.numel())])


def topk(a, k):
    """topk's values, and a's values at its indices (which of equal values it picks is free)."""
    v, i = a.topk(k)
    return v, a.gather(-1, i)


PARAMS = [(name, dt, layout) for name, (_, dts) in sorted(CASES.items()) for dt in dts
          for layout in ("flat", "t", "bcast")]


def run_wasm(name, dt, layout):
    """(result, reference primitives that ran) on the WASM backend under guard bytes."""
    with using_backend("wasm"), guard_bytes():
        a, b = inputs(webtensor, dt, layout)
        with FellBack() as fb:
            r = CASES[name][0](webtensor, a, b)
    return r, fb.used


def as_lists(r):
    """A result (tensor or tuple of tensors) as (dtype name, nested list) pairs, NaN as 'nan'."""
    def key(v):
        if isinstance(v, list):
            return [key(x) for x in v]
        if isinstance(v, float):
            return "nan" if v != v else (v, math.copysign(1.0, v))
        return v
    ts = r if isinstance(r, tuple) else (r,)
    return [(str(t.dtype).split(".")[-1], key(t.tolist())) for t in ts]


@pytest.mark.parametrize("name,dt,layout", PARAMS, ids=["-".join(p) for p in PARAMS])
def test_small_dtype_on_kernels_matches_reference(name, dt, layout):
    got, used = run_wasm(name, dt, layout)
    assert not used, f"ran on the reference backend: {used}"
    with using_backend("reference"):
        want = CASES[name][0](webtensor, *inputs(webtensor, dt, layout))
    assert as_lists(got) == as_lists(want)


def _lerp_oracle(fmt, a, b, w):
    """torch's float32 lerp of two halves rounded once, in Python: |w| < 0.5 ? a + w (b - a) :
    b - (1 - w) (b - a), the product and sum fused (the product of two floats is exact in a
    double), then rounded to float32 and to the half format (struct "e"; bfloat16 by hand)."""
    import struct

    def f32(x):
        return struct.unpack("<f", struct.pack("<f", x))[0]
    wf = f32(w)
    c, base = (wf, a) if abs(wf) < 0.5 else (f32(wf - 1.0), b)
    r = f32(c * f32(b - a) + base)
    if fmt == "float16":
        try:
            return struct.unpack("<e", struct.pack("<e", r))[0]
        except OverflowError:
            return math.copysign(math.inf, r)
    u = struct.unpack("<I", struct.pack("<f", r))[0]
    u = (u + 0x7FFF + ((u >> 16) & 1)) >> 16 << 16
    return struct.unpack("<f", struct.pack("<I", u & 0xFFFFFFFF))[0]


@pytest.mark.parametrize("dt", HALF)
def test_half_lerp_one_rounding(dt):
    """lerp of float16/bfloat16 with a number weight: one kernel (no reference primitive),
    rounded once from torch's float32 form (the op layer's three ops would round thrice)."""
    a0 = [(i * 0.37) % 5 - 2.5 for i in range(37)] + [60000.0, -60000.0]
    b0 = [(i * 1.13) % 7 - 3.1 for i in range(37)] + [-60000.0, 65504.0]
    with using_backend("wasm"), guard_bytes(), FellBack() as fb:
        dtype = getattr(webtensor, dt)
        a, b = webtensor.tensor(a0, dtype=dtype), webtensor.tensor(b0, dtype=dtype)
        av, bv = a.tolist(), b.tolist()
        for w in (0.25, 0.75, -0.3, 1.5):
            got = webtensor.lerp(a, b, w).tolist()
            assert got == [_lerp_oracle(dt, x, y, w) for x, y in zip(av, bv)], w
    assert not fb.used, fb.used
