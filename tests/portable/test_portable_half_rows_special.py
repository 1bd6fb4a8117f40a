"""Row kernels' fast paths at their edges: float16 / bfloat16 rows with inf, NaN, subnormal
and overflowing values (the wasm row converters take a general path for those 8-lane groups),
half scans of row counts and lengths that are not multiples of the 4-row x 8-column blocks,
and float64 amax / amin of contiguous rows with NaN and signed zeros (the SIMD row form redoes
a row with a NaN by the scalar loop). Pure Python: also runs inside Pyodide."""
import math
import random

import pytest

import webtensor as wt
from webtensor import backends

HALF = ("float16", "bfloat16")


def _vals(n, seed, specials):
    rng = random.Random(seed)
    v = [rng.uniform(-3.0, 3.0) for _ in range(n)]
    for i, s in specials:
        v[i % n] = s
    return v


def _same(got, via_f32):
    want = via_f32.to(got.dtype)
    a, b = got.float().reshape(-1).tolist(), want.float().reshape(-1).tolist()
    if backends.get_backend() != "wasm":    # the reference computes in double
        assert all((math.isnan(p) and math.isnan(q)) or abs(p - q) <= 1e-2 * max(1.0, abs(q))
                   for p, q in zip(a, b))
        return
    assert [repr(p) for p in a] == [repr(q) for q in b]


SPECIALS = [(3, float("inf")), (11, -float("inf")), (20, 1e-6), (21, -3e-7), (30, 7e4),
            (45, 6e-8), (46, 2e-40)]


@pytest.mark.parametrize("dtype", HALF)
def test_norm_rows_with_special_values(dtype):
    """layer_norm / rms_norm rows whose values overflow or are subnormal in the dtype"""
    n = 53
    x = wt.tensor(_vals(3 * n, 1, [(k + 7, s) for k, s in SPECIALS[2:]])).reshape(3, n)
    x = x.to(getattr(wt, dtype))
    _same(wt.layer_norm(x, [n]), wt.layer_norm(x.float(), [n]))
    _same(wt.rms_norm(x, [n], eps=1e-5), wt.rms_norm(x.float(), [n], eps=1e-5))
    y = (x * 1e-4).to(getattr(wt, dtype))      # results near the subnormal range
    _same(wt.rms_norm(y, [n], eps=1e-30), wt.rms_norm(y.float(), [n], eps=1e-30))


@pytest.mark.parametrize("dtype", HALF)
def test_softmax_rows_with_special_values(dtype):
    x = wt.tensor(_vals(4 * 40, 2, SPECIALS[2:] + [(70, -60.0), (71, -20.0)])).reshape(4, 40)
    x[1, 5] = float("nan")
    x[2, 9] = float("inf")
    x = x.to(getattr(wt, dtype))
    for op in ("softmax", "log_softmax"):
        _same(getattr(wt, op)(x, -1), getattr(wt, op)(x.float(), -1))


@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("rows, n", [(4, 8), (5, 21), (8, 67), (7, 3)])
def test_half_scans_blocks_and_tails(dtype, rows, n):
    """cumsum / cumprod of halves: each row's sequential float32 scan rounded once, for rows
    in blocks of four and single rows, columns in groups of eight and the tail"""
    x = wt.tensor(_vals(rows * n, 3, [(5, 0.5), (13, float("inf")), (17, 1e-5)]))
    x = x.reshape(rows, n).to(getattr(wt, dtype))
    for op in ("cumsum", "cumprod"):
        got = getattr(x, op)(-1).float().tolist()
        for r in range(rows):
            acc, want = (1.0 if op == "cumprod" else 0.0), []
            for v in x[r].float().tolist():
                acc = wt.tensor([acc * v if op == "cumprod" else acc + v]).item()   # float32
                want.append(wt.tensor([acc]).to(x.dtype).float().item())
            assert [repr(v) for v in got[r]] == [repr(v) for v in want], (op, r)


@pytest.mark.parametrize("op", ["amax", "amin"])
def test_f64_amax_amin_rows(op):
    pick = max if op == "amax" else min
    for n in (16, 17, 40, 1001):
        base = _vals(n, n, [])
        for pos in (0, 7, 8, n // 2, n - 1):
            v = list(base)
            v[pos] = float("nan")
            r = getattr(wt.tensor(v, dtype=wt.float64), op)().item()
            assert math.isnan(r) and math.copysign(1.0, r) == 1.0     # the input's NaN
        v = list(base)
        v[n - 1] = pick(base) * 2          # the extreme in the tail
        v[3] = float("inf") if op == "amax" else -float("inf")
        t = wt.tensor(v, dtype=wt.float64)
        assert getattr(t, op)().item() == pick(v)
        rows = wt.tensor(base * 3, dtype=wt.float64).reshape(3, n)
        assert getattr(rows, op)(1).tolist() == [pick(base)] * 3
    for first in (0.0, -0.0):       # ties keep the accumulator: the first zero's sign here
        z = wt.tensor([first, -first] * 12, dtype=wt.float64)
        assert math.copysign(1.0, getattr(z, op)().item()) == math.copysign(1.0, first)
