"""The CPU primitives on the xN-search and masked kernels (searchsorted / bucketize, isin,
histc, bincount, unique's runs, masked_select, masked_scatter) against torch: sizes past the
8-value lockstep search and its tail, unsorted and NaN-holding sequences (torch's own loop),
N-d boundaries, sorter, every dtype, non-contiguous inputs, and the errors."""
import numpy as np
import pytest
import torch

import webtensor as wt
from wt_oracle import raises_like_torch, run_both

DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
          "uint8"]


def _pair(vals, dtype):
    t = torch.tensor(vals, dtype=getattr(torch, dtype))
    return wt.tensor(t.float().tolist() if dtype == "bfloat16" else t.tolist(),
                     dtype=getattr(wt, dtype)), t


def _ints(rng, n, dtype, lo=-50, hi=50):
    if dtype == "uint8":
        lo = 0
    return rng.integers(lo, hi, n).tolist()


@pytest.mark.parametrize("dtype", DTYPES)
def test_searchsorted_lockstep_and_tail(dtype):
    rng = np.random.default_rng(1)
    seq_vals = sorted(_ints(rng, 37, dtype))
    vals = _ints(rng, 1003, dtype, -60, 60) + list(seq_vals[:5])
    s, ts = _pair(seq_vals, dtype)
    v, tv = _pair(vals, dtype)
    for right in (False, True):
        for out_int32 in (False, True):
            run_both(lambda m, a, b: m.searchsorted(a, b, right=right, out_int32=out_int32),
                     [s, v], [ts, tv])
    run_both(lambda m, a, b: m.bucketize(b, a, right=True), [s, v], [ts, tv])
    # non-contiguous values, N-d boundaries of matching leading dims
    run_both(lambda m, a, b: m.searchsorted(a, b.reshape(2, -1).t().contiguous().t()),
             [s, v[:1000]], [ts, tv[:1000]])
    s2, ts2 = _pair([sorted(_ints(rng, 9, dtype)) for _ in range(4)], dtype)
    v2, tv2 = _pair([_ints(rng, 21, dtype) for _ in range(4)], dtype)
    run_both(lambda m, a, b: m.searchsorted(a, b, side="right"), [s2, v2], [ts2, tv2])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_searchsorted_nan_and_unsorted_take_torchs_loop(dtype):
    nan = float("nan")
    rng = np.random.default_rng(2)
    vals = rng.normal(size=40).tolist() + [nan, -0.0, 0.0, float("inf")]
    for seq in ([-1.0, 0.0, 0.5, nan, nan], [nan, 1.0, -1.0, 3.0, 2.0, 0.0, -0.0],
                sorted(rng.normal(size=30).tolist()) + [nan], [nan], [2.0]):
        s, ts = _pair(seq, dtype)
        v, tv = _pair(vals, dtype)
        for right in (False, True):
            run_both(lambda m, a, b: m.searchsorted(a, b, right=right), [s, v], [ts, tv])


def test_searchsorted_sorter_and_promotion():
    rng = np.random.default_rng(3)
    raw = rng.normal(size=50).tolist()
    order = sorted(range(50), key=raw.__getitem__)
    vals = rng.normal(size=77).tolist()
    run_both(lambda m, a, o, b: m.searchsorted(a, b, sorter=o),
             [wt.tensor(raw), wt.tensor(order), wt.tensor(vals)],
             [torch.tensor(raw), torch.tensor(order), torch.tensor(vals)])
    ints = sorted(rng.integers(-9, 9, 20).tolist())
    run_both(lambda m, a, b: m.searchsorted(a, b), [wt.tensor(ints), wt.tensor(vals)],
             [torch.tensor(ints), torch.tensor(vals)])
    run_both(lambda m, a: m.searchsorted(a, 0.25), [wt.tensor(vals[:9])],
             [torch.tensor(vals[:9])])
    run_both(lambda m, a, b: m.searchsorted(a, b), [wt.tensor([]), wt.tensor(vals[:11])],
             [torch.tensor([]), torch.tensor(vals[:11])])


@pytest.mark.parametrize("dtype", DTYPES)
def test_isin_sorted_search(dtype):
    rng = np.random.default_rng(4)
    x, t = _ints(rng, 300, dtype), _ints(rng, 23, dtype)
    a, ta = _pair(x, dtype)
    b, tb = _pair(t, dtype)
    for invert in (False, True):
        run_both(lambda m, p, q: m.isin(p, q, invert=invert), [a, b], [ta, tb])
    run_both(lambda m, p, q: m.isin(p[::3], q), [a, b], [ta, tb])


def test_isin_nan_signed_zero_and_mixed_dtypes():
    nan = float("nan")
    x = [nan, 0.0, -0.0, 1.5, 2.0, 3.0, float("inf"), -1.0, 7.0, 8.0]
    t = [nan, 2.0, -0.0, float("inf"), nan, 8.0]
    run_both(lambda m, p, q: m.isin(p, q), [wt.tensor(x), wt.tensor(t)],
             [torch.tensor(x), torch.tensor(t)])
    run_both(lambda m, p, q: m.isin(p, q), [wt.tensor(list(range(20))), wt.tensor(t)],
             [torch.tensor(list(range(20))), torch.tensor(t)])
    run_both(lambda m, p, q: m.isin(p, q), [wt.tensor(x), wt.tensor([], dtype=wt.float32)],
             [torch.tensor(x), torch.tensor([], dtype=torch.float32)])
    for args in ((True, [1]), ([1], [True]), ([True], True)):
        raises_like_torch(lambda m: m.isin(*[m.tensor(a) if isinstance(a, list) else a
                                             for a in args]), "isin(): Bool")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_histc_bins_edges_and_range(dtype):
    rng = np.random.default_rng(5)
    vals = rng.normal(size=5000).tolist() + [3.0, -3.0, 1.0, -1.0]
    x, tx = _pair(vals, dtype)
    for bins, lo, hi in ((100, 0, 0), (7, -1, 1), (1, -3, 3), (13, 0.1, 0.7)):
        run_both(lambda m, a: m.histc(a, bins, lo, hi), [x], [tx])
    run_both(lambda m, a: m.histc(a[::7], 10), [x], [tx])
    raises_like_torch(lambda m: m.histc(m.tensor([1.0, float("nan"), 3.0]), 4), "not finite")
    raises_like_torch(lambda m: m.histc(m.tensor([1.0, float("inf")]), 4), "not finite")
    raises_like_torch(lambda m: m.histc(m.tensor([1.0]), 4, 3, 2), "max must be larger")


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_bincount_kernel(dtype):
    rng = np.random.default_rng(6)
    hi = 2 if dtype == "bool" else 40       # torch: no bincount of bool (NotImplementedError)
    vals = rng.integers(0, hi, 3000).tolist()
    x, tx = _pair([bool(v) for v in vals] if dtype == "bool" else vals, dtype)
    run_both(lambda m, a: m.bincount(a), [x], [tx])
    run_both(lambda m, a: m.bincount(a[1::2], minlength=100), [x], [tx])


@pytest.mark.parametrize("dtype", DTYPES + ["bool"])
def test_unique_runs_large(dtype):
    rng = np.random.default_rng(7)
    vals = rng.integers(0, 2 if dtype == "bool" else 6, 2000).tolist()
    x, tx = _pair([bool(v) for v in vals] if dtype == "bool" else vals, dtype)
    run_both(lambda m, a: m.unique(a, return_inverse=True, return_counts=True), [x], [tx])
    run_both(lambda m, a: m.unique_consecutive(a, return_inverse=True, return_counts=True),
             [x], [tx])
    run_both(lambda m, a: m.unique_consecutive(a[::2]), [x], [tx])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int16", "uint8",
                                   "bool"])
def test_masked_select_and_scatter(dtype):
    rng = np.random.default_rng(8)
    vals = rng.integers(0, 2 if dtype == "bool" else 100, (9, 40)).tolist()
    if dtype == "bool":
        vals = [[bool(v) for v in r] for r in vals]
    x, tx = _pair(vals, dtype)
    mvals = (rng.random((9, 40)) < 0.3).tolist()
    mvals[2] = [False] * 40                      # vector-wide holes
    mask, tmask = wt.tensor(mvals), torch.tensor(mvals)
    run_both(lambda m, a, k: m.masked_select(a, k), [x, mask], [tx, tmask])
    run_both(lambda m, a, k: m.masked_select(a.t(), k.t()), [x, mask], [tx, tmask])
    run_both(lambda m, a, k: m.masked_select(a, k[3]), [x, mask], [tx, tmask])  # broadcast
    src, tsrc = _pair(vals[::-1], dtype)
    run_both(lambda m, a, k, s: m.masked_scatter(a, k, s), [x, mask, src], [tx, tmask, tsrc])
    run_both(lambda m, a, k, s: a.t().masked_scatter(k.t(), s), [x, mask, src],
             [tx, tmask, tsrc])
    run_both(lambda m, a, k, s: a.masked_scatter(k[4], s), [x, mask, src], [tx, tmask, tsrc])
    raises_like_torch(lambda m: m.zeros(3, 40).masked_scatter(m.ones(3, 40, dtype=m.bool),
                                                              m.ones(100)),
                      "Number of elements of source < number of ones in mask")


def test_masked_select_keeps_its_gradient():
    for m in (torch, wt):
        x = m.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
        k = m.tensor([[True, False, True], [False, True, False]])
        (x.masked_select(k) * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        assert x.grad.tolist() == [[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]]


def test_put_and_index_put_bounds_errors():
    raises_like_torch(lambda m: m.zeros(5).put(m.tensor([0, 5]), m.ones(2)), "out of range")
    raises_like_torch(lambda m: m.zeros(5).put(m.tensor([-6]), m.ones(1)), "out of range")
    raises_like_torch(lambda m: m.zeros(5, 2).index_put((m.tensor([1, 5]),), m.ones(2, 2)),
                      "out of bounds")
    raises_like_torch(lambda m: m.zeros(4, 3).index_fill(0, m.tensor([-5]), 1.0),
                      "out of bounds")
    run_both(lambda m, a: a.put(m.tensor([-1, 0, 3]), m.tensor([7.0, 8.0, 9.0]),
                                accumulate=True), [wt.zeros(2, 3)], [torch.zeros(2, 3)])


def _keys(rng, n, dtype):
    """n values over the dtype's whole range (halves: every bit pattern, NaN, +-0.0, inf)."""
    if dtype in ("float16", "bfloat16"):
        bits = torch.tensor(rng.integers(0, 65536, n).astype(np.int16))
        return bits.view(getattr(torch, dtype)).float().tolist()
    info = torch.iinfo(getattr(torch, dtype))
    return rng.integers(info.min, info.max + 1, n).tolist()


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "int16", "int8", "uint8"])
def test_search_and_isin_of_small_keys_by_table(dtype):
    """1-2 byte keys past 8192 values: one table over every bit pattern (searchsorted by a
    merge walk over sorted boundaries, torch's loop for unsorted / NaN ones; isin by value)"""
    rng = np.random.default_rng(5)
    v, tv = _pair(_keys(rng, 9000, dtype) + [0.0, -0.0] * (dtype[0] in "fb"), dtype)
    fine = sorted(x for x in _keys(rng, 40, dtype) if x == x)
    for seq in (fine, fine[:3], _keys(rng, 25, dtype)):     # sorted, short, unsorted (NaN)
        s, ts = _pair(seq, dtype)
        for right in (False, True):
            run_both(lambda m, a, b: m.searchsorted(a, b, right=right, out_int32=right),
                     [s, v], [ts, tv])
    t, tt = _pair(_keys(rng, 30, dtype) + [-0.0], dtype)
    for invert in (False, True):
        run_both(lambda m, a, b: m.isin(a, b, invert=invert), [v, t], [tv, tt])
    run_both(lambda m, a, b: m.isin(a[::3], b), [v, t], [tv, tt])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_isin_of_few_test_values_in_lanes(dtype):
    """up to 32 test values (NaN dropped) compared with 16 elements a step, and a tail"""
    rng = np.random.default_rng(6)
    vals = _ints(rng, 1000, dtype, -40, 40)
    if dtype[0] == "f":
        vals[:4] = [float("nan"), -0.0, 0.0, float("inf")]
    v, tv = _pair(vals + vals[:7], dtype)
    for m in (1, 16, 32, 33):
        tvals = _ints(rng, m, dtype, -40, 40)
        if dtype[0] == "f" and m > 1:
            tvals[:2] = [0.0, float("nan")]
        t, tt = _pair(tvals, dtype)
        run_both(lambda mod, a, b: mod.isin(a, b), [v, t], [tv, tt])
        run_both(lambda mod, a, b: mod.isin(a, b, invert=True), [v, t], [tv, tt])


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8"])
def test_unravel_index_in_one_pass(dtype):
    """every coordinate of each index (wrapped modulo the size, negatives too), N-d indices,
    a size of 1, quotients near a multiple; sizes past 2**31 and 0 take the composite"""
    rng = np.random.default_rng(7)
    info = torch.iinfo(getattr(torch, dtype))
    for shape in ((7,), (3, 5), (1000, 1048), (2, 1, 4, 5), 13, (46341, 46341)):
        total = int(np.prod(shape))
        lo, hi = max(info.min, -3 * total), min(info.max, 3 * total)
        x, tx = _pair(rng.integers(lo, hi + 1, 600).tolist() + [lo, hi, 0], dtype)
        run_both(lambda m, a: m.unravel_index(a, shape), [x], [tx])
    x, tx = _pair([[0, 5, 7], [2, 6, 1]], dtype)
    run_both(lambda m, a: m.unravel_index(a, (2, 4)), [x], [tx])
    run_both(lambda m, a: m.unravel_index(a, (3, 0)), [x], [tx])
    run_both(lambda m, a: m.unravel_index(a, (1 << 20, 1 << 12)), [x], [tx])


@pytest.mark.parametrize("dtype", DTYPES + ["bool"])
def test_unique_consecutive_values_by_run_starts(dtype):
    rng = np.random.default_rng(8)
    vals = (rng.integers(0, 2, 3000) if dtype == "bool" else
            rng.integers(0 if dtype == "uint8" else -3, 3, 3000)).tolist()
    if dtype[0] in "fb" and dtype != "bool":
        vals[10:16] = [float("nan"), float("nan"), -0.0, 0.0, 1.0, 1.0]
    t = torch.tensor(vals, dtype=getattr(torch, dtype))
    x = wt.tensor(t.float().tolist() if dtype == "bfloat16" else t.tolist(),
                  dtype=getattr(wt, dtype))
    run_both(lambda m, a: m.unique_consecutive(a), [x], [t])
    run_both(lambda m, a: m.unique_consecutive(a[:1]), [x], [t])
    run_both(lambda m, a: m.unique_consecutive(a.reshape(30, 100).t()), [x], [t])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_search_of_many_values_in_sorted_rows(dtype):
    """5000 values in sorted rows with duplicates, a skewed range, infinite ends, one repeated
    value; NaN, infinities and the rows' own entries among the values"""
    rng = np.random.default_rng(9)
    tdt = getattr(torch, dtype)
    rows = [rng.normal(size=1000), rng.integers(-5, 5, 300), np.full(50, 3.0),
            rng.exponential(size=700) ** 4 * 1e6]
    if dtype[0] == "f":
        rows.append(np.array([-np.inf, -1.0, 0.0, 2.0, np.inf]))
    for row in rows:
        ts = torch.tensor(row).to(tdt).sort().values
        tx = torch.tensor(rng.normal(size=5000) * 3).to(tdt)
        if dtype[0] == "f":
            tx[:6] = torch.tensor([np.nan, np.inf, -np.inf, -0.0, 0.0, 3.0]).to(tdt)
        tx[6:6 + min(14, len(ts))] = ts[:14]
        _search_both(ts, tx, dtype)


def _search_both(ts, tx, dtype):
    """searchsorted (left and right) and isin of torch row ts and values tx, both backends."""
    s, x = wt.tensor(ts.tolist(), dtype=getattr(wt, dtype)), \
        wt.tensor(tx.tolist(), dtype=getattr(wt, dtype))
    for right in (False, True):
        run_both(lambda m, a, b: m.searchsorted(a, b, right=right, out_int32=right),
                 [s, x], [ts, tx])
    run_both(lambda m, a, b: m.isin(b, a), [s, x], [ts, tx])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_searchsorted_by_buckets_edges(dtype):
    """The bucket search of sorted rows (k >= m): the dtype's extremes in the row and among the
    values (ints: a span past 2**31 / 2**63), -0.0 next to 0.0, runs of equal entries, a row
    whose values crowd one bucket (declined: the lockstep search), 1027 values (blocks of 256
    and a tail past the 4-value vector pass); isin of the same rows"""
    rng = np.random.default_rng(11)
    tdt = getattr(torch, dtype)
    info = np.iinfo(dtype) if dtype[0] == "i" else np.finfo(dtype)
    lo, hi = float(info.min), float(info.max)
    ints = dtype[0] == "i"
    rows = [np.concatenate([[lo, hi], rng.integers(-1000, 1000, 200)]),
            np.concatenate([np.repeat(rng.integers(-20, 20, 30), 7), [-0.0, 0.0, 0.0]]),
            np.concatenate([rng.integers(0, 3, 60) if ints else rng.random(60) * 1e-6,
                            [-1e6, 1e6]])]
    if not ints:
        rows.append(np.concatenate([[-np.inf, np.inf, -0.0], rng.normal(size=500)]))
    for row in rows:
        ts = torch.tensor(row, dtype=torch.float64).to(tdt).sort().values
        tx = torch.tensor(rng.integers(-1100, 1100, 1027), dtype=torch.float64).to(tdt)
        tx[:len(ts)] = ts.flip(0)[:1027]
        tx[-4:] = torch.tensor([lo, hi, 0.0, -0.0], dtype=torch.float64).to(tdt)
        if not ints:
            tx[-8:-4] = torch.tensor([np.nan, np.inf, -np.inf, 1e-7], dtype=torch.float64).to(tdt)
        _search_both(ts, tx, dtype)
