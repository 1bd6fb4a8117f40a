"""webtensor/ops/unique.py: unique / unique_consecutive (flat and along a dim, inverse,
counts, nan), isin and histc against torch."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import examples, make_pair, raises_like_torch, run_both, seeds


@settings(max_examples=examples(30))
@given(shape=st.sampled_from([(0,), (7,), (3, 4), (4, 2, 2)]),
       dtype=st.sampled_from(["float32", "int64", "bool", "uint8", "float16"]), seed=seeds,
       inverse=st.booleans(), counts=st.booleans())
def test_unique_and_unique_consecutive(shape, dtype, seed, inverse, counts):
    x, tx = make_pair(shape, dtype, seed, domain="small")
    run_both(lambda m, a: m.unique(a, return_inverse=inverse, return_counts=counts), [x], [tx])
    run_both(lambda m, a: a.unique(sorted=False), [x], [tx])
    run_both(lambda m, a: m.unique_consecutive(a, return_inverse=inverse,
                                               return_counts=counts), [x], [tx])
    if len(shape) > 1:
        for d in range(len(shape)):
            run_both(lambda m, a: m.unique(a, dim=d, return_inverse=inverse,
                                           return_counts=counts), [x], [tx])
            run_both(lambda m, a: a.unique_consecutive(return_inverse=inverse,
                                                       return_counts=counts, dim=d), [x], [tx])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_unique_consecutive_of_halves_by_value(dtype):
    """f16/bf16_unique_runs compare the bits as values: -0.0 == +0.0, NaN never equal."""
    vals = [0.0, -0.0, float("nan"), float("nan"), 1.0, 1.0, -0.0, float("inf"), float("inf")]
    t = torch.tensor(vals, dtype=getattr(torch, dtype))
    run_both(lambda m, a: m.unique_consecutive(a, return_counts=True, return_inverse=True),
             [wt.tensor(vals, dtype=getattr(wt, dtype))], [t])


def test_unique_keeps_each_nan():
    vals = [float("nan"), 1.0, float("nan"), -2.0, 1.0]
    run_both(lambda m, a: m.unique(a, return_counts=True, return_inverse=True),
             [wt.tensor(vals)], [torch.tensor(vals)])
    run_both(lambda m, a: m.unique_consecutive(a, return_counts=True), [wt.tensor(vals)],
             [torch.tensor(vals)])


@pytest.mark.parametrize("dtype", ["float64", "int32", "int16", "bfloat16"])
def test_unique_large_on_the_sort_kernels(dtype):
    """Past the small cases: many repeats, ties kept in index order, signed zeros, the
    inverse and counts through the kernels (sort, cumsum, scatter)."""
    t = torch.randint(-40, 40, (5000,), generator=torch.Generator().manual_seed(3)).to(
        getattr(torch, dtype))
    if dtype == "float64":
        t[::7] = -0.0
        t[::11] = 0.0
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    for fn in (lambda m, a: m.unique(a, return_inverse=True, return_counts=True),
               lambda m, a: m.unique_consecutive(a.reshape(50, 100), return_inverse=True,
                                                 return_counts=True)):
        run_both(fn, [x], [t])


def _bits(t, m):
    return [repr(v) for v in t.double().tolist()]     # -0.0 and nan spelled


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "int32",
                                   "int16", "int8", "uint8", "bool"])
@pytest.mark.parametrize("spread", [30, 10 ** 6])
def test_unique_kernel_table_and_radix(dtype, spread):
    """xN-sort's unique: dense keys counted in a table, spread keys radix sorted (floats with
    fractions always), every combination of inverse and counts, a strided input; NaN each its
    own value, last (torch's order among NaNs is its sort's: only the set is compared), and on
    a short input (where torch's sort is stable) the first signed zero's sign."""
    g = torch.Generator().manual_seed(spread)
    t = (torch.rand(3001, generator=g, dtype=torch.float64) * 2 - 1) * spread
    floating = dtype in ("float32", "float64", "float16", "bfloat16")
    if floating:
        t = t.round() if spread == 30 else t
        t[5::13], t[3::17], t[4::19] = float("nan"), -0.0, 0.0
    t = (t > 0) if dtype == "bool" else t.to(getattr(torch, dtype))
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    xs, ts = x.reshape(3001, 1)[1::2], t.reshape(3001, 1)[1::2]
    for inverse in (False, True):
        for counts in (False, True):
            got = wt.unique(xs, return_inverse=inverse, return_counts=counts)
            want = torch.unique(ts, return_inverse=inverse, return_counts=counts)
            got, want = (got, want) if isinstance(want, tuple) else ((got,), (want,))
            assert torch.tensor(got[0].float().tolist()).equal(want[0].float()) if not \
                floating else torch.allclose(torch.tensor(got[0].float().tolist()),
                                             want[0].float(), equal_nan=True, rtol=0, atol=0)
            assert got[0].dtype.name == str(want[0].dtype).split(".")[1]
            if inverse:
                gi, wi = torch.tensor(got[1].tolist()), want[1]
                assert tuple(gi.shape) == tuple(wi.shape)
                nan = ts.isnan() if floating else torch.zeros_like(wi, dtype=torch.bool)
                assert gi[~nan].equal(wi[~nan])
                assert sorted(gi[nan].tolist()) == sorted(wi[nan].tolist())
            if counts:
                assert got[-1].tolist() == want[-1].tolist()
    short = [-0.0, 3.0, float("nan"), 0.0, -1.0, float("nan")] if floating else [0, 3, 0, 1]
    ts = torch.tensor(short).to(t.dtype)
    xs = wt.tensor(ts.tolist(), dtype=x.dtype)
    assert _bits(wt.unique(xs), wt) == _bits(torch.unique(ts), torch)
    if dtype != "bool":
        assert _bits(wt.unique(-xs), wt) == _bits(torch.unique(-ts), torch)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "int16", "int8", "uint8", "bool"])
def test_sort_of_small_dtypes_on_their_own_keys(dtype):
    """1-2 byte dtypes sort on 8/16-bit keys (no float32 round trip): stable, NaN last and
    kept bit-exact, -0.0 == +0.0 in order, descending, topk."""
    g = torch.Generator().manual_seed(7)
    t = torch.randn(4099, generator=g, dtype=torch.float64) * 20
    if dtype in ("float16", "bfloat16"):
        t[5::13], t[3::17], t[4::19] = float("nan"), -0.0, 0.0
    t = (t > 0) if dtype == "bool" else t.to(getattr(torch, dtype))
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    for desc in (False, True):
        run_both(lambda m, a: m.sort(a.reshape(4099, 1), dim=0, descending=desc, stable=True),
                 [x], [t])
    run_both(lambda m, a: m.argsort(a, stable=True), [x], [t])
    run_both(lambda m, a: m.msort(a), [x], [t])
    if dtype != "bool":            # torch's order among ties is its own: values only
        run_both(lambda m, a: m.topk(a.nan_to_num() if a.is_floating_point() else a, 9).values,
                 [x], [t])


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
def test_bincount(dtype):
    g = torch.Generator().manual_seed(4)
    t = torch.randint(0, 30, (3000,), generator=g).to(getattr(torch, dtype))
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    w = torch.rand(3000, generator=g)
    for wts in (None, w, w.double(), (w * 10).to(torch.int64)):
        for minlength in (0, 5, 40):
            run_both(lambda m, a, *ws: m.bincount(a, ws[0] if ws else None, minlength),
                     [x] + ([] if wts is None else [wt.tensor(wts.tolist(),
                                                              dtype=getattr(wt, str(wts.dtype)[6:]))]),
                     [t] + ([] if wts is None else [wts]))
    run_both(lambda m, a: a.bincount(), [x[:0]], [t[:0]])


def test_bincount_errors_like_torch():
    raises_like_torch(lambda m: m.bincount(m.tensor([1.0])), "not implemented for 'Float'")
    raises_like_torch(lambda m: m.bincount(m.tensor([1, -1])), "non-negative integral")
    for dt in ("int8", "int16"):        # 1-2 byte inputs count into a table: its top half
        raises_like_torch(lambda m: m.bincount(m.tensor([1, -128], dtype=getattr(m, dt))),
                          "non-negative integral")
    run_both(lambda m: m.bincount(m.tensor([0, 32767, 5], dtype=m.int16), minlength=3), [], [])
    run_both(lambda m: m.bincount(m.tensor([0, 255], dtype=m.uint8), minlength=300), [], [])
    run_both(lambda m: m.bincount(m.tensor([0, 0], dtype=m.int8)), [], [])
    raises_like_torch(lambda m: m.bincount(m.tensor([[1]])), "1-d non-negative")
    raises_like_torch(lambda m: m.bincount(m.tensor([1]), minlength=-1), "minlength")
    raises_like_torch(lambda m: m.bincount(m.tensor([1, 2]), m.ones(3)), "same length")


@settings(max_examples=examples(25))
@given(shape=st.sampled_from([(), (5,), (2, 3)]), tshape=st.sampled_from([(0,), (3,), (2, 2)]),
       da=st.sampled_from(["int64", "float32", "uint8"]),
       db=st.sampled_from(["int64", "float32", "int32"]), seed=seeds, invert=st.booleans())
def test_isin(shape, tshape, da, db, seed, invert):
    x, tx = make_pair(shape, da, seed, domain="small")
    t, tt = make_pair(tshape, db, seed + 1, domain="small")
    run_both(lambda m, a, b: m.isin(a, b, invert=invert), [x, t], [tx, tt])
    run_both(lambda m, a: m.isin(a, 2), [x], [tx])
    run_both(lambda m, b: m.isin(1, b), [t], [tt])


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc(dtype):
    x, tx = make_pair((40,), dtype, 3)
    for kw in ({}, {"bins": 7}, {"bins": 5, "min": -1, "max": 2}, {"bins": 3, "min": 5,
                                                                    "max": 9}):
        run_both(lambda m, a: m.histc(a, **kw), [x], [tx])
        run_both(lambda m, a: a.histc(**kw), [x], [tx])
    run_both(lambda m: m.histc(m.tensor([2., 2]), bins=4), [], [])
    run_both(lambda m: m.histc(m.tensor([1., 2, 1, 5, float("nan"), float("inf")]), bins=4,
                               min=0, max=3), [], [])
    raises_like_torch(lambda m: m.histc(m.tensor([1, 2]), bins=4), "histogram_cpu", "Long")
    raises_like_torch(lambda m: m.histc(m.tensor([1., 2]), bins=4, min=3, max=1),
                      "max must be larger than min")


@pytest.mark.parametrize("dtype,n", [("float16", 200), ("float16", 5000), ("bfloat16", 200),
                                     ("bfloat16", 5000)])
def test_histc_of_halves(dtype, n):
    """f16/bf16_histc: c10's half arithmetic (every operation rounded to the dtype), the
    range rounded to the dtype, NaN / inf / outside skipped, the top edge in the last bin;
    long inputs count each bit pattern then bin in value order, short ones bin each element.
    torch adds 1 in the dtype, so a count stops at 2048 / 256 (x + 1 rounds to x): so do
    ours; torch's threads each count a chunk, so it is compared at one thread. (torch's
    bfloat16 kernel writes past the histogram when a rounded quotient passes `bins`: such
    cases are left out.)"""
    g = torch.Generator().manual_seed(n)
    t = (torch.randn(n, generator=g) * 3).to(getattr(torch, dtype))
    t[::37], t[1::41], t[2::43] = float("nan"), float("inf"), -0.0
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)      # one counter set
    try:
        compared = _histc_cases(t, x, dtype)
    finally:
        torch.set_num_threads(threads)
    assert compared >= 2


def _histc_cases(t, x, dtype):
    compared = 0
    for bins, lo, hi in ((7, -3.3, 2.71), (100, -9.1, 9.2), (300, 0.013, 5.0), (1, -1, 1),
                         (64, -2.0, 2.0)):
        if dtype == "bfloat16":
            h = lambda v: torch.tensor(v, dtype=t.dtype)  # noqa: E731
            q = (t - h(lo)) * h(bins) / (h(hi) - h(lo))
            if q[(t >= lo) & (t <= hi)].float().max() > bins:
                continue
        want = torch.histc(t, bins=bins, min=lo, max=hi)
        assert wt.histc(x, bins=bins, min=lo, max=hi).tolist() == want.tolist(), (bins, lo)
        compared += 1
    finite = t.nan_to_num(posinf=0.0)
    want = torch.histc(finite, bins=500)
    assert wt.histc(wt.tensor(finite.tolist(), dtype=x.dtype), bins=500).tolist() == \
        want.tolist()
    return compared


@settings(max_examples=examples(25))
@given(vshape=st.sampled_from([(), (5,), (2, 3)]), m=st.integers(0, 6), seed=seeds,
       right=st.booleans(), out_int32=st.booleans(), dtype=st.sampled_from(["float32", "int64"]))
def test_searchsorted_bucketize(vshape, m, seed, right, out_int32, dtype):
    b, tb = make_pair((m,), dtype, seed, domain="small")
    tb = tb.sort().values
    b = wt.tensor(tb.tolist(), dtype=getattr(wt, dtype))
    v, tv = make_pair(vshape, dtype, seed + 1, domain="small")
    kw = {"right": right, "out_int32": out_int32}
    run_both(lambda mod, s, x: mod.bucketize(x, s, **kw), [b, v], [tb, tv])
    run_both(lambda mod, s, x: mod.searchsorted(s, x, **kw), [b, v], [tb, tv])
    run_both(lambda mod, s: mod.searchsorted(s, 2, side="right" if right else "left"), [b],
             [tb])
    if vshape == (2, 3):       # one sorted row per row of values
        rows, trows = make_pair((2, m), dtype, seed + 2, domain="small")
        trows = trows.sort(-1).values
        rows = wt.tensor(trows.tolist(), dtype=getattr(wt, dtype))
        run_both(lambda mod, s, x: mod.searchsorted(s, x, **kw), [rows, v], [trows, tv])


def test_searchsorted_errors_like_torch():
    raises_like_torch(lambda m: m.bucketize(m.tensor([1, 5]), m.tensor([[1, 3, 5]])),
                      "boundaries tensor must be 1 dimension")
    raises_like_torch(lambda m: m.searchsorted(m.tensor([[1, 3, 5], [2, 4, 6]]),
                                               m.tensor([3])), "first N-1 dimensions")
    # bool sequences and values: torch has no kernel (the promoted dtype decides)
    raises_like_torch(lambda m: m.searchsorted(m.tensor([False, True]), m.tensor([True])),
                      "searchsorted_out_cpu", "Bool")
    raises_like_torch(lambda m: m.bucketize(m.tensor([True]), m.tensor([False, True])),
                      "searchsorted_out_cpu", "Bool")
    raises_like_torch(lambda m: m.searchsorted(m.tensor([False, True]), True),
                      "searchsorted_out_cpu", "Bool")


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "int64"])
def test_sort_and_unique_past_the_top_digit_pass(dtype):
    """From 65536 keys spanning more than 16 bits, xN-sort splits on the top 12 bits first and
    sorts each bucket: still stable (indices), NaN last, descending, unique's inverse."""
    g = torch.Generator().manual_seed(11)
    t = torch.randn(70001, generator=g, dtype=torch.float64) * 1e4
    if dtype.startswith("float"):
        t[5::97], t[3::89], t[4::83] = float("nan"), -0.0, 0.0
    t = t.to(getattr(torch, dtype))
    t[:70000:7] = t[1::7]                                # ties for the stability check
    x = wt.tensor(t.tolist(), dtype=getattr(wt, dtype))
    for desc in (False, True):
        v, i = wt.sort(x, descending=desc, stable=True)
        tv, ti = torch.sort(t, descending=desc, stable=True)
        assert i.tolist() == ti.tolist()
        assert torch.tensor(v.tolist()).to(t.dtype).equal(tv) or dtype.startswith("float")
    values, inverse, counts = wt.unique(x, return_inverse=True, return_counts=True)
    tv, ti, tc = torch.unique(t, return_inverse=True, return_counts=True)
    assert torch.allclose(torch.tensor(values.tolist(), dtype=torch.float64), tv.double(),
                          rtol=0, atol=0, equal_nan=True)
    assert counts.tolist() == tc.tolist()
    ok = ~t.isnan() if dtype.startswith("float") else torch.ones_like(ti, dtype=torch.bool)
    assert torch.tensor(inverse.tolist())[ok].equal(ti[ok])
    assert wt.unique(x).numel() == tv.numel()
