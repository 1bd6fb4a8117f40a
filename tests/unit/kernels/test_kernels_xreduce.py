"""float64 / int64 / int32 / int16 / byte reductions and scans <dt>_<op> (wasm_kernels/xN-reduce)
for both ISA builds against numpy over the middle axis of [outer, n, inner]: integer sums and
products wrap around, amax/amin propagate NaN, argmax/argmin return the first best index (NaN
the largest), all/any treat -0.0 as zero and NaN as nonzero; float32 cumprod accumulates in
float64; narrow integer sums, products and scans write int64 (wrapping); float16 / bfloat16
amax/amin/argmax/argmin work on the bits (NaN wins, -0.0 == +0.0 for the index); count_nonzero
/ all / any by the bits of every dtype. Shapes cover inner == 1 (the 8-accumulator path), n below and above 8, inner past
the 64-wide chunk, and empty dims."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table as KT

NP = {"f32": np.float32, "f64": np.float64, "i64": np.int64, "i32": np.int32, "i16": np.int16,
      "i8": np.int8, "u8": np.uint8, "f16": np.float16, "bf16": np.float32}
# count_nonzero / all / any kinds: a numpy dtype of each (bf16: float32 values rounded to it)
NZ_NP = {"u8": np.uint8, "x16": np.int16, "h16": np.float16, "x32": np.int32, "f32": np.float32,
         "x64": np.int64, "f64": np.float64}
SHAPES = ((1, 1, 1), (3, 5, 1), (2, 37, 1), (1, 1000, 1), (4, 9, 3), (2, 6, 70), (3, 0, 2),
          (0, 4, 2))


def bf16(x):
    """float32 values that are exactly bfloat16 (truncated), and their bits"""
    b = (np.asarray(x, np.float32).view(np.uint32) >> 16).astype(np.uint16)
    return (b.astype(np.uint32) << 16).view(np.float32), b


def bf16_round(x):
    """float32 -> the nearest bfloat16 (ties to even) as float32; NaN stays NaN"""
    b = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    r = ((b + 0x7FFF + ((b >> 16) & 1)) >> 16 << 16).astype(np.uint32).view(np.float32)
    return np.where(np.isnan(x), np.float32(np.nan), r)


def values(rng, dt, size):
    if dt in ("f32", "f64", "f16", "bf16"):
        x = rng.standard_normal(size) * 2
        x[rng.random(size) < 0.3] = 0.0
        x[rng.random(size) < 0.05] = -0.0
        x[rng.random(size) < 0.02] = np.inf
        x[rng.random(size) < 0.02] = -np.inf
        x = x.astype(NP[dt])
        return bf16(x)[0] if dt == "bf16" else x
    if dt == "u8":
        return (rng.random(size) < 0.8).astype(np.uint8) * rng.integers(1, 255, size,
                                                                         dtype=np.uint8)
    info = np.iinfo(NP[dt])
    lo, hi = max(info.min, -2 ** 40), min(info.max, 2 ** 31 - 1)
    return rng.integers(lo, hi, size, endpoint=True).astype(NP[dt])


def want(op, x, dt):
    with np.errstate(all="ignore"):
        if op in ("sum", "prod"):
            return getattr(np, op)(x, axis=1, dtype=np.int64 if x.dtype.kind in "iu" else x.dtype)
        if op == "mean":
            return x.mean(axis=1) if x.shape[1] else np.full(x.shape[::2], np.nan)
        if op in ("amax", "amin"):
            return (np.max if op == "amax" else np.min)(x, axis=1)
        if op in ("argmax", "argmin"):
            return (np.argmax if op == "argmax" else np.argmin)(x, axis=1)
        if op in ("all", "any"):
            return getattr(np, op)(x != 0, axis=1)
        if dt in ("f16", "bf16"):       # float32 accumulation, each prefix rounded
            y = getattr(np, op)(x.astype(np.float32), axis=1)
            return y.astype(np.float16) if dt == "f16" else bf16_round(y)
        acc = np.float64 if dt in ("f32", "f64") else np.int64
        return getattr(np, op)(x.astype(acc), axis=1).astype(x.dtype if dt != "i64" and acc
                                                              is np.float64 else acc)


def _rows8(row, op):
    """float64 sum / prod of a contiguous row in the kernel's order: 8 running accumulators
    (accumulator i takes elements 8k + i), the tail into the first, then a 4-2-1 tree."""
    f = np.add if op == "sum" else np.multiply
    full = len(row) - len(row) % 8
    acc = list(np.full(8, 0.0 if op == "sum" else 1.0))
    with np.errstate(all="ignore"):      # inf - inf: NaN, as in the kernel
        for k in range(0, full, 8):
            acc = [f(a, v) for a, v in zip(acc, row[k:k + 8])]
        for v in row[full:]:
            acc[0] = f(acc[0], v)
        for w in (4, 2, 1):
            acc[:w] = [f(acc[a], acc[a + w]) for a in range(w)]
    return acc[0]


@pytest.mark.parametrize("name", sorted(set(KT.X_REDUCE.values()) | set(KT.X_SCAN.values())))
def test_x_reduce(ks, name):
    dt, op = name.split("_", 1)
    scan = op in ("cumsum", "cumprod")
    rng = np.random.default_rng(len(name))
    for outer, n, inner in SHAPES:
        if op in ("amax", "amin", "argmax", "argmin") and (n == 0):
            continue      # the op layer raises for an empty reduction
        x = values(rng, dt, outer * n * inner).reshape(outer, n, inner)
        if dt in ("f64", "f16", "bf16") and x.size > 4 and op in ("amax", "amin", "argmax",
                                                                   "argmin"):
            x.flat[rng.integers(0, x.size)] = np.nan
        if op in ("prod", "cumprod") and dt in ("f32", "f64", "f16", "bf16"):
            x = (1 + x / 4).astype(x.dtype)          # no overflow over 1000 factors
            x = bf16(x)[0] if dt == "bf16" else x
        ysize = x.size if scan else outer * inner
        wide = op in ("sum", "prod", "cumsum", "cumprod") and x.dtype.kind in "iu"
        odt = np.int64 if op in KT.ARGREDUCE_OPS or wide else NP[dt]
        odt = np.uint16 if dt == "bf16" and odt is np.float32 else odt
        y0 = np.full(ysize + 2, 7, odt)
        (y,) = call(ks, name, outer, n, inner, bf16(x)[1] if dt == "bf16" else x, y0)
        assert np.all(y[ysize:] == 7), "wrote past the output"
        w = np.asarray(want(op, x, dt)).reshape(-1)
        if dt == "bf16" and odt is np.uint16:
            y = (y.astype(np.uint32) << 16).view(np.float32)
        w = w.astype(y.dtype)
        if dt == "f64" and op in ("sum", "prod") and inner == 1 and n >= 16:   # exact order
            np.testing.assert_array_equal(y[:ysize], [_rows8(r, op) for r in x[:, :, 0]])
        elif dt == "f64" and op in ("sum", "mean", "prod") or dt == "f32":
            np.testing.assert_allclose(y[:ysize], w, rtol=1e-12 if dt == "f64" else 1e-6,
                                       atol=1e-12, err_msg=str((outer, n, inner)))
        else:
            np.testing.assert_array_equal(y[:ysize], w, err_msg=str((outer, n, inner)))


@pytest.mark.parametrize("name", sorted(KT.NONZERO_REDUCE.values()))
def test_nonzero_reduce(ks, name):
    kd, op = name.split("_", 1)
    rng = np.random.default_rng(len(name))
    for outer, n, inner in SHAPES + ((2, 1003, 1),):
        dt = {np.float16: "f16", np.float32: "f32", np.float64: "f64"}.get(NZ_NP[kd], "i64")
        x = values(rng, dt, outer * n * inner)
        x[rng.random(x.size) < 0.3] = 0
        if dt != "i64":
            x[rng.random(x.size) < 0.03] = np.nan
        x = x.astype(NZ_NP[kd]).reshape(outer, n, inner)
        for late in (False, True) if op != "count_nonzero" else (False,):
            x2 = x.copy()
            if late and x.size:    # undecided until the last element of the first row
                x2[:] = np.where(x2 == 0, 1, x2) if op == "all" else 0
                x2[0, -1] = 0 if op == "all" else -0.0 if dt != "i64" else 1
                x2[-1, -1] = 1
            odt = np.int64 if op == "count_nonzero" else np.uint8
            y0 = np.full(outer * inner + 2, 7, odt)
            (y,) = call(ks, name, outer, n, inner, x2, y0)
            assert np.all(y[outer * inner:] == 7), "wrote past the output"
            nz = x2 != 0           # -0.0 is zero, NaN nonzero
            w = nz.sum(axis=1) if op == "count_nonzero" else getattr(np, op)(nz, axis=1)
            np.testing.assert_array_equal(y[:outer * inner], w.reshape(-1).astype(odt),
                                          err_msg=str((outer, n, inner)))


@pytest.mark.parametrize("name", sorted(KT.HALF_ROWS.values()))
def test_half_rows(ks, name):
    """float16 / bfloat16 rows into float32: within float32 rounding of the float64 result of
    the same (exact) inputs; NaN/inf rows like torch"""
    h, op = name.split("_")[:2]
    rng = np.random.default_rng(len(name))
    for rows, n in ((1, 1), (3, 7), (2, 300), (1, 1000), (2, 0)):
        x = values(rng, h, rows * n).reshape(rows, n)
        if op in ("prod",):
            x = (1 + x / 8).astype(x.dtype)
        x = bf16(x)[0] if h == "bf16" else x
        if rows * n > 50:
            x[0, 5] = np.nan
        xd = x.astype(np.float64)
        y0 = np.full(rows + 2, 7, np.float32)
        args = (1.0,) if op == "var" else ()
        (y,) = call(ks, name, rows, n, *args, bf16(x)[1] if h == "bf16" else x, y0)
        assert np.all(y[rows:] == 7), "wrote past the output"
        with np.errstate(all="ignore"):
            if op == "var":
                w = xd.var(axis=1, ddof=1) if n > 1 else np.full(rows, np.nan)
            elif op == "logsumexp":
                m = np.where(np.isinf(xd.max(axis=1)), 0, xd.max(axis=1)) if n else np.zeros(rows)
                w = np.log(np.exp(xd - m[:, None]).sum(axis=1)) + m
            else:
                w = getattr(np, op)(xd, axis=1) if n or op != "mean" else np.full(rows, np.nan)
        np.testing.assert_allclose(y[:rows], w, rtol=3e-5, atol=1e-5, err_msg=str((rows, n)))


@pytest.mark.parametrize("name", sorted(KT.DOT_ROWS.values()))
def test_dot_rows(ks, name):
    """y[r] = a[r] . b: int16/int8/uint8 wrapping in the dtype (exact int64 sum, low bits),
    float16/bfloat16 into float32 within float32 rounding of the float64 sum"""
    dt = name.split("_")[0]
    rng = np.random.default_rng(len(name))
    for rows, n in ((1, 0), (1, 1), (3, 7), (2, 37), (4, 1000)):
        a, b = (values(rng, dt, rows * n).reshape(rows, n), values(rng, dt, n))
        if dt in ("f16", "bf16"):
            a, b = np.nan_to_num(a, posinf=3, neginf=-3), np.nan_to_num(b, posinf=2, neginf=-2)
        odt = np.float32 if dt in ("f16", "bf16") else NP[dt]
        y0 = np.full(rows + 2, 7, odt)
        bits = (lambda t: bf16(t)[1]) if dt == "bf16" else (lambda t: t)
        (y,) = call(ks, name, rows, n, bits(a), bits(b), y0)
        assert np.all(y[rows:] == 7), "wrote past the output"
        if odt is np.float32:
            w = a.astype(np.float64) @ b.astype(np.float64)
            np.testing.assert_allclose(y[:rows], w, rtol=1e-5, atol=1e-4 * (1 + n ** .5))
        else:
            w = (a.astype(np.int64) @ b.astype(np.int64)).astype(odt)     # wraps
            np.testing.assert_array_equal(y[:rows], w)


def test_f64_var(ks):
    """float64 var over the middle axis (two-pass), correction 0 / 1 / past n"""
    rng = np.random.default_rng(5)
    for outer, n, inner in SHAPES:
        x = values(rng, "f64", outer * n * inner).reshape(outer, n, inner)
        x = np.where(np.isinf(x), 1.5, x)
        if x.size > 4:
            x.flat[3] = np.nan
        for corr in (0.0, 1.0, 50.0):
            y0 = np.full(outer * inner + 2, 7, np.float64)
            (y,) = call(ks, KT.F64_VAR, outer, n, inner, corr, x, y0)
            assert np.all(y[outer * inner:] == 7), "wrote past the output"
            with np.errstate(all="ignore"):
                m = x.mean(axis=1, keepdims=True)
                w = ((x - m) ** 2).sum(axis=1) / max(0.0, n - corr)
            np.testing.assert_allclose(y[:outer * inner], w.reshape(-1), rtol=1e-12, atol=1e-12)
