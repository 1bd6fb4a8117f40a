"""The index / scatter / fold / masked kernels (xN-gather, xN_masked) through the public ops,
every dtype, against torch 2.13: index_add / index_copy / index_fill / index_put / put (the
row kernel: rows with vector tails, one-element rows), scatter / scatter_add / scatter_reduce
(repeated indices, every reduction), fold (padding, dilation, overlapping windows), masked_select
/ masked_scatter across the 16-element blocks; negative indices where torch wraps them and
torch's errors for out-of-range ones. float16/bfloat16 sums repeat an index only where torch
sums in float32 and rounds once (index_add of a 2-D tensor, scatter_add), which is what
webtensor does everywhere."""
import pytest
import torch

import webtensor as wt
from wt_oracle import make_pair, raises_like_torch, run_both

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
          "uint8", "bool")
HALF = ("float16", "bfloat16")


def _long(v):
    return wt.tensor(v, dtype=wt.int64), torch.tensor(v, dtype=torch.int64)


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_scatters_match_torch(dtype):
    x, tx = make_pair((7, 21), dtype, 1)
    for dim, rows in ((0, [6, 0, 2, 6]), (1, [20, 3, 0, 3, 11])):
        i, ti = _long(rows)
        shape = (len(rows), 21) if dim == 0 else (7, len(rows))
        s, ts = make_pair(shape, dtype, 2)
        run_both(lambda m, a, b, c: a.index_add(dim, b, c), [x, i, s], [tx, ti, ts])
        run_both(lambda m, a, b, c: a.index_add(dim, b, c, alpha=3 if dtype != "bool" else 1),
                 [x, i, s], [tx, ti, ts])
        u, tu = _long(list(dict.fromkeys(rows)))
        us = tuple(u.numel() if d == dim else v for d, v in enumerate(shape))
        su, tsu = make_pair(us, dtype, 3)
        run_both(lambda m, a, b, c: a.index_copy(dim, b, c), [x, u, su], [tx, tu, tsu])
        n, tn = _long([r - x.shape[dim] for r in rows])
        run_both(lambda m, a, b: a.index_fill(dim, b, 1), [x, n], [tx, tn])
    r, tr = _long([3, -1, 0, 3])
    v, tv = make_pair((4, 21), dtype, 4)
    run_both(lambda m, a, b, c: a.index_put((b,), c), [x, r, v], [tx, tr, tv])
    acc = [3, -1, 0, 2] if dtype in HALF else [3, -1, 0, 3]   # torch rounds each half add
    r, tr = _long(acc)
    run_both(lambda m, a, b, c: a.index_put((b,), c, accumulate=True), [x, r, v], [tx, tr, tv])
    p, tp = _long([5, -3, 146, 0, 7] + ([] if dtype in HALF else [5]))
    s, ts = make_pair((p.numel(),), dtype, 5)
    for a in (False, True):
        run_both(lambda m, a_, b, c: a_.put(b, c, accumulate=a), [x, p, s], [tx, tp, ts])


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_scatter_errors_match_torch(dtype):
    x, tx = make_pair((4, 3), dtype, 1)
    s, ts = make_pair((2, 3), dtype, 2)
    for bad in ([0, 4], [-1, 1]):
        i, ti = _long(bad)
        run_both(lambda m, a, b, c: a.index_add(0, b, c), [x, i, s], [tx, ti, ts])
        run_both(lambda m, a, b, c: a.index_copy(0, b, c), [x, i, s], [tx, ti, ts])
    raises_like_torch(lambda m: m.zeros(4, 3).index_fill(0, m.tensor([-5]), 1),
                      "index -5 is out of bounds for dimension 0 with size 4")
    raises_like_torch(lambda m: m.zeros(4, 3).index_put((m.tensor([1, 4]),), m.tensor(1.)),
                      "index 4 is out of bounds for dimension 0 with size 4")
    raises_like_torch(lambda m: m.zeros(4, 3).put(m.tensor([0, -13]), m.tensor([1., 2])),
                      "tried to access index -13 on a tensor of 12 elements")


@pytest.mark.parametrize("dtype", DTYPES)
def test_scatters_match_torch(dtype):
    x, tx = make_pair((6, 33), dtype, 1)
    src, tsrc = make_pair((6, 33), dtype, 2)
    flat = [(7 * k + k // 5) % 33 for k in range(6 * 33)]
    i, ti = wt.tensor(flat).reshape(6, 33), torch.tensor(flat).reshape(6, 33)
    run_both(lambda m, a, b, c: a.scatter(1, b, c), [x, i, src], [tx, ti, tsrc])
    run_both(lambda m, a, b, c: a.scatter_add(1, b, c), [x, i, src], [tx, ti, tsrc])
    t0 = [(5 * k) % 6 for k in range(6 * 33)]
    j, tj = wt.tensor(t0).reshape(6, 33), torch.tensor(t0).reshape(6, 33)
    run_both(lambda m, a, b, c: a.scatter_add(0, b, c), [x, j, src], [tx, tj, tsrc])
    for red in ("sum", "prod", "amax", "amin", "mean"):
        if dtype == "bool" and red == "mean":
            continue
        for inc in (True, False):
            run_both(lambda m, a, b, c: a.scatter_reduce(1, b, c, red, include_self=inc),
                     [x, i, src], [tx, ti, tsrc])
    bad, tbad = wt.tensor([[0, 33]]), torch.tensor([[0, 33]])
    run_both(lambda m, a, b, c: a.scatter_add(1, b, c), [x, bad, src], [tx, tbad, tsrc])


@pytest.mark.parametrize("dtype", ("float32", "float64", "float16", "bfloat16", "bool"))
def test_fold_matches_torch(dtype):
    F = {wt: wt.nn.functional, torch: torch.nn.functional}
    for c, size, k, d, p, s in ((2, (6, 7), (2, 3), 1, (0, 1), (2, 3)),
                                (3, (8, 8), 2, 1, 0, 2), (1, (9, 5), (3, 2), (2, 1), 1, 3)):
        kk = (k, k) if isinstance(k, int) else k
        ss, dd, pp = ((v, v) if isinstance(v, int) else v for v in (s, d, p))
        blocks = [(size[i] + 2 * pp[i] - dd[i] * (kk[i] - 1) - 1) // ss[i] + 1 for i in (0, 1)]
        x, tx = make_pair((2, c * kk[0] * kk[1], blocks[0] * blocks[1]), dtype, 3)
        run_both(lambda m, a: F[m].fold(a, size, k, d, p, s), [x], [tx])
    # overlapping windows: float32 / float64 / bool sum every term in torch's order
    if dtype not in ("float16", "bfloat16"):
        x, tx = make_pair((1, 2 * 9, 16), dtype, 4)
        run_both(lambda m, a: F[m].fold(a, (6, 6), 3, 1, 0, 1), [x], [tx])
    x, tx = make_pair((1, 4, 5000), dtype, 5)                     # rows wider than the kernel's
    run_both(lambda m, a: F[m].fold(a, (2, 5001), 2), [x], [tx])


@pytest.mark.parametrize("dtype", DTYPES)
def test_masked_match_torch(dtype):
    for n in (7, 16, 33, 100):
        x, tx = make_pair((n,), dtype, 1)
        m_, tm = make_pair((n,), "bool", 2)
        s, ts = make_pair((n,), dtype, 3)
        run_both(lambda m, a, b: a.masked_select(b), [x, m_], [tx, tm])
        run_both(lambda m, a, b, c: a.masked_scatter(b, c), [x, m_, s], [tx, tm, ts])
    x, tx = make_pair((3, 40), dtype, 1)
    ones = wt.ones(3, 40, dtype=wt.bool), torch.ones(3, 40, dtype=torch.bool)
    s, ts = make_pair((120,), dtype, 3)
    run_both(lambda m, a, b: a.masked_select(b), [x, ones[0]], [tx, ones[1]])
    run_both(lambda m, a, b, c: a.masked_scatter(b, c), [x, ones[0], s], [tx, ones[1], ts])
    run_both(lambda m, a, b, c: a.masked_scatter(b, c[:119]), [x, ones[0], s],
             [tx, ones[1], ts])
