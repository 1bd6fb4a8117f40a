"""The search / counting / masked CPU primitives (xN-search and masked kernels) against the
reference backend, on both tiers (CPython + wasmtime, Pyodide): inputs past the 8-value
lockstep search, sequences with NaN or out of order (torch's own loop), N-d boundaries, 1-2 byte
keys by a table over every bit pattern, unravel_index's one pass, every dtype family,
non-contiguous inputs; the WASM side under guard bytes. (tests/unit/ops/
test_search_kernels.py holds both backends to torch.)"""
import math
import random

import pytest

import webtensor as wt
from wtcheck import guard_bytes, using_backend

NAN = float("nan")


def _vals(rng, n, dtype):
    if dtype in ("float32", "float64", "float16"):
        v = [round(rng.uniform(-4, 4), 2) for _ in range(n)]
        for k in range(0, n, 11):
            v[k] = [NAN, -0.0, 0.0, math.inf][k % 4]
        return v
    if dtype == "bool":
        return [rng.random() < 0.4 for _ in range(n)]
    return [rng.randrange(0 if dtype == "uint8" else -9, 9) for _ in range(n)]


def _calls(dtype):
    rng = random.Random(dtype)
    v = wt.tensor(_vals(rng, 203, dtype), dtype=getattr(wt, dtype))
    calls = []
    if dtype != "bool":
        seq = wt.tensor(sorted(_vals(rng, 29, dtype), key=lambda a: (a != a, a)),
                        dtype=v.dtype)
        shuffled = wt.tensor(_vals(rng, 29, dtype), dtype=v.dtype)
        rows = wt.tensor([sorted(_vals(rng, 6, dtype), key=lambda a: (a != a, a))
                          for _ in range(7)], dtype=v.dtype)
        calls += [lambda: wt.searchsorted(seq, v), lambda: wt.searchsorted(seq, v, right=True),
                  lambda: wt.searchsorted(shuffled, v[::2], out_int32=True),
                  lambda: wt.searchsorted(rows, v[:196].reshape(7, 28), side="right"),
                  lambda: wt.bucketize(v, seq[:5]),
                  lambda: wt.isin(v, seq), lambda: wt.isin(v[::3], shuffled, invert=True),
                  lambda: wt.unique(v, return_inverse=True, return_counts=True),
                  lambda: wt.unique(v), lambda: wt.unique(v[::2], return_counts=True),
                  lambda: wt.sort(v, stable=True), lambda: wt.argsort(v, descending=True,
                                                                      stable=True),
                  lambda: wt.unique_consecutive(v[::2], return_inverse=True,
                                                return_counts=True)]
        calls += [lambda: wt.unique_consecutive(v)]          # run starts + masked_select
    if dtype in ("int16", "float16"):           # past 8192 values: a table over every pattern
        big = v.repeat(45)
        calls += [lambda: wt.searchsorted(seq, big), lambda: wt.isin(big, seq),
                  lambda: wt.searchsorted(shuffled, big, right=True)]
    if dtype in ("int64", "int32", "int16", "int8", "uint8"):   # negatives wrap
        calls += [lambda: wt.unravel_index(v, (3, 5, 7)), lambda: wt.unravel_index(v[:8], 4)]
    if dtype in ("int64", "int32", "int16"):     # a key range past 2n: the radix path
        wide = v * 1000
        calls += [lambda: wt.unique(wide), lambda: wt.unique(wide, return_inverse=True),
                  lambda: wt.unique(wide, return_inverse=True, return_counts=True)]
    if dtype in ("float32", "float64", "float16"):
        calls += [lambda: wt.histc(v, 7, -3, 3), lambda: wt.histc(v[:10].nan_to_num(), 5)]
    if dtype in ("int64", "int32", "int16", "int8", "uint8"):
        calls += [lambda: wt.bincount(v.abs(), minlength=12)]
    mask = wt.tensor([[rng.random() < 0.3 for _ in range(29)] for _ in range(7)])
    x = v[:203].reshape(7, 29)
    calls += [lambda: wt.masked_select(x, mask), lambda: wt.masked_select(x.t(), mask.t()),
              lambda: x.masked_scatter(mask, v.flip(0)),
              lambda: x.t().masked_scatter(mask[2].reshape(29, 1), v)]
    return calls


def _flat(r):
    if isinstance(r, (tuple, list)):
        return [_flat(t) for t in r]
    return (r.dtype, tuple(r.shape), [repr(a) for a in r.float().reshape(-1).tolist()])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16",
                                   "int8", "uint8", "bool"])
def test_search_primitives_match_reference(dtype):
    for k, call in enumerate(_calls(dtype)):
        with using_backend("reference"):
            want = _flat(call())
        with using_backend("wasm"), guard_bytes():
            got = _flat(call())
        assert got == want, f"{dtype} call {k}"
