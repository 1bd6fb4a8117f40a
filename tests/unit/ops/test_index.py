"""webtensor/ops/index.py: gather / take_along_dim, scatter (+ add / reduce), index_select,
masked_fill / masked_select, one_hot, sort / argsort / msort / topk, nonzero / argwhere."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (DTYPES, assert_np, assert_same, dtypes, examples, layouts, make_pair,
                       raises_like_torch, run_both, seeds, shapes, to_wt)


def _gen(seed):
    return torch.Generator().manual_seed(seed)


def _index_like(data, shape, dim, seed, unique=False):
    """An int64 index for gather/scatter along dim: each dim <= shape's (any size along dim
    for gather), values in [0, shape[dim]); unique along dim if asked (plain scatter)."""
    n = len(shape)
    ishape = [data.draw(st.integers(0, s)) for s in shape]
    size = shape[dim]
    if size == 0:
        ishape[dim] = 0
    elif unique:
        ishape[dim] = data.draw(st.integers(0, size))
    else:
        ishape[dim] = data.draw(st.integers(0, 4))
    if unique and size:
        full = list(ishape)
        full[dim] = size
        perm = torch.argsort(torch.rand(full, generator=_gen(seed)), dim=dim)
        t = perm.narrow(dim, 0, ishape[dim])
    else:
        t = torch.randint(0, max(size, 1), ishape, generator=_gen(seed))
    assert t.dim() == n
    return to_wt(t), t


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(1, 3, 0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_gather_take_along_dim(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    i, ti = _index_like(data, shape, dim % len(shape), seed)
    run_both(lambda m, a, b: m.gather(a, dim, b), [x, i], [tx, ti])
    run_both(lambda m, a, b: a.gather(dim, b), [x, i], [tx, ti])
    if all(si == s or k == dim % len(shape) for k, (si, s) in enumerate(zip(ti.shape, shape))):
        run_both(lambda m, a, b: m.take_along_dim(a, b, dim), [x, i], [tx, ti])


def test_take_along_dim_broadcasts_and_flattens_like_torch():
    x, tx = make_pair((3, 4), "float32", 1)
    i, ti = to_wt(torch.tensor([[0], [2]])), torch.tensor([[0], [2]])
    run_both(lambda m, a, b: m.take_along_dim(a, b, 0), [x, i], [tx, ti])
    j, tj = to_wt(torch.tensor([5, 0, 11])), torch.tensor([5, 0, 11])
    run_both(lambda m, a, b: m.take_along_dim(a, b), [x, j], [tx, tj])


def test_gather_accepts_int32_index_like_torch():
    x, tx = make_pair((3, 4), "float32", 1)
    i = torch.tensor([[0, 3], [1, 1], [2, 0]], dtype=torch.int32)
    run_both(lambda m, a, b: m.gather(a, 1, b), [x, to_wt(i)], [tx, i])


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), dtype=dtypes, layout=layouts, seed=seeds,
       use_value=st.booleans())
def test_scatter(data, shape, dtype, layout, seed, use_value):
    x, tx = make_pair(shape, dtype, seed, layout)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    i, ti = _index_like(data, shape, dim % len(shape), seed, unique=True)
    if use_value:
        v = True if dtype == "bool" else 5
        run_both(lambda m, a, b: m.scatter(a, dim, b, v), [x, i], [tx, ti])
        return
    src, tsrc = make_pair(tuple(ti.shape), dtype, seed + 1)
    run_both(lambda m, a, b, c: m.scatter(a, dim, b, c), [x, i, src], [tx, ti, tsrc])
    run_both(lambda m, a, b, c: a.scatter(dim, b, c), [x, i, src], [tx, ti, tsrc])
    y, ty = x.clone(), tx.clone()
    assert y.scatter_(dim, i, src) is y
    ty.scatter_(dim, ti, tsrc)
    assert_same(y, ty)


@pytest.mark.parametrize("reduce", ["sum", "prod", "amax", "amin"])
@settings(max_examples=examples(25))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), dtype=st.sampled_from(
    ["float32", "float64", "int64", "int32", "float16"]), seed=seeds)
def test_scatter_reduce(reduce, data, shape, dtype, seed):
    include_self = True  # False (and reduce="mean"): test_scatter_reduce_mean_and_exclude_self
    x, tx = make_pair(shape, dtype, seed)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    i, ti = _index_like(data, shape, dim % len(shape), seed)
    src, tsrc = make_pair(tuple(ti.shape), dtype, seed + 1)
    run_both(lambda m, a, b, c: m.scatter_reduce(a, dim, b, c, reduce, include_self=include_self),
             [x, i, src], [tx, ti, tsrc], atol=1e-2 if dtype == "float16" else None)


@pytest.mark.parametrize("reduce,include_self", [("mean", True), ("sum", False),
                                                  ("amax", False), ("mean", False)])
def test_scatter_reduce_mean_and_exclude_self_like_torch(reduce, include_self):
    x, tx = make_pair((3, 4), "float32", 1)
    ti = torch.tensor([[0, 2, 2, 1], [0, 0, 2, 1]])
    src, tsrc = make_pair((2, 4), "float32", 2)
    run_both(lambda m, a, b, c: m.scatter_reduce(a, 0, b, c, reduce, include_self=include_self),
             [x, to_wt(ti), src], [tx, ti, tsrc])


@pytest.mark.parametrize("reduce", ["sum", "prod", "amax", "amin"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_scatter_reduce_nan_wraparound_views_like_torch(reduce, dtype):
    """NaN in the input or the source wins amax/amin (and stays); integer sums and products
    wrap like torch's; a transposed input, a source larger than the index, an index shorter
    than the input on the other dim, include_self=False."""
    if dtype.startswith("float"):
        tx = torch.tensor([[1.0, float("nan"), -0.0, 4.0], [2.0, 3.0, 0.0, -5.0],
                           [7.0, -1.0, 2.5, 0.5]], dtype=getattr(torch, dtype))
        tsrc = torch.tensor([[float("nan"), 2.0, 0.0, 1.0], [3.0, -4.0, 8.0, float("nan")],
                             [1.0, 1.0, 1.0, 1.0]], dtype=tx.dtype)
    else:
        big = torch.iinfo(getattr(torch, dtype)).max // 2
        tx = torch.tensor([[big, -3, 5, 7], [big, 2, -big, 1], [0, 9, 4, -2]],
                          dtype=getattr(torch, dtype))
        tsrc = torch.tensor([[big, big, -big, 3], [big, -7, -big, 5], [1, 2, 3, 4]],
                            dtype=tx.dtype)
    ti = torch.tensor([[0, 2, 2], [0, 0, 1]])           # [2, 3]: shorter than x on dim 1
    for self_t, include_self in ((tx, True), (tx.t().contiguous().t(), False)):
        run_both(lambda m, a, b, c: m.scatter_reduce(a, 0, b, c, reduce,
                                                     include_self=include_self),
                 [to_wt(self_t), to_wt(ti), to_wt(tsrc)], [self_t, ti, tsrc])
    run_both(lambda m, a, b, c: m.scatter_reduce(a, 1, b, c, reduce),
             [to_wt(tx.t()), to_wt(ti.t()), to_wt(tsrc)], [tx.t(), ti.t(), tsrc])


@pytest.mark.parametrize("op", ["gather", "scatter", "scatter_add", "scatter_reduce"])
@pytest.mark.parametrize("dtype", ["float64", "int64", "int32"])
def test_gather_scatter_out_of_range_raise_and_leave_input(op, dtype):
    """An index past the end or negative raises torch's error; nothing is written."""
    tx = torch.arange(12, dtype=getattr(torch, dtype)).reshape(3, 4)
    x = to_wt(tx)
    for bad in (3, -1):
        ti = torch.tensor([[0, 1, 2, 0], [1, bad, 0, 2]])
        tsrc = torch.ones(2, 4, dtype=tx.dtype)
        args = {"gather": (0, ti), "scatter": (0, ti, tsrc), "scatter_add": (0, ti, tsrc),
                "scatter_reduce": (0, ti, tsrc, "amax")}[op]

        def go(m):
            if m is wt:
                return getattr(x, op + "_")(*[to_wt(a) if isinstance(a, torch.Tensor) else a
                                              for a in args]) if op != "gather" else \
                    x.gather(*[to_wt(a) if isinstance(a, torch.Tensor) else a for a in args])
            y = tx.clone()
            return getattr(y, op + "_")(*args) if op != "gather" else y.gather(*args)
        raises_like_torch(go, "out of bounds")
        assert_same(x, tx)


@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), dtype=st.sampled_from(
    ["float32", "float64", "int64", "int8", "float16", "bool"]), seed=seeds)
def test_scatter_add(data, shape, dtype, seed):
    x, tx = make_pair(shape, dtype, seed)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    i, ti = _index_like(data, shape, dim % len(shape), seed)
    src, tsrc = make_pair(tuple(ti.shape), dtype, seed + 1)
    run_both(lambda m, a, b, c: m.scatter_add(a, dim, b, c), [x, i, src], [tx, ti, tsrc],
             atol=1e-2 if dtype == "float16" else None)
    y, ty = x.clone(), tx.clone()
    y.scatter_add_(dim, i, src)
    ty.scatter_add_(dim, ti, tsrc)
    assert_same(y, ty, atol=1e-2 if dtype == "float16" else None)


@pytest.mark.parametrize("case,match", [
    ("index-dtype", "for index"),
    ("out-of-range", "out of bounds"),
    ("ndim", "Index tensor must have the same number of dimensions"),
    ("too-big", "Size does not match at dimension"),
    ("src-dtype", "Expected self.dtype to be equal to src.dtype"),
])
@pytest.mark.parametrize("op", ["gather", "scatter"])
def test_gather_scatter_errors_like_torch(op, case, match):
    if op == "gather" and case == "src-dtype":
        return
    x, tx = make_pair((3, 4), "float32", 1)
    idx = {"index-dtype": torch.tensor([[0.0]]), "out-of-range": torch.tensor([[0, 4]]),
           "ndim": torch.tensor([0, 1]), "too-big": torch.zeros(4, 4, dtype=torch.int64),
           "src-dtype": torch.tensor([[0, 1]])}[case]
    if case == "index-dtype" and op == "gather":
        idx = idx.to(torch.float64)
    src = torch.ones(idx.shape, dtype=torch.float64 if case == "src-dtype" else torch.float32)

    def go(m):
        t, i, s = (x, to_wt(idx), to_wt(src)) if m is wt else (tx, idx, src)
        return m.gather(t, 1, i) if op == "gather" else m.scatter(t, 1, i, s)
    raises_like_torch(go, match)


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 4), dtype=dtypes, layout=layouts, seed=seeds,
       idt=st.sampled_from(["int64", "int32"]))
def test_index_select(data, shape, dtype, layout, seed, idt):
    x, tx = make_pair(shape, dtype, seed, layout)
    n = max(len(shape), 1)
    dim = data.draw(st.integers(-n, n - 1))
    size = shape[dim] if shape else 1
    vals = data.draw(st.lists(st.integers(0, size - 1), max_size=6)) if size else []
    ti = torch.tensor(vals, dtype=getattr(torch, idt))
    run_both(lambda m, a, b: m.index_select(a, dim, b), [x, to_wt(ti)], [tx, ti])
    run_both(lambda m, a, b: a.index_select(dim, b), [x, to_wt(ti)], [tx, ti])


def test_index_select_errors_like_torch():
    x, tx = make_pair((3, 4), "float32", 1)
    for idx, match in ((torch.tensor([0, 3]), "index"),
                       (torch.tensor([0.0]), "Expected dtype int32 or int64 for index"),
                       (torch.tensor([[0]]), "Index is supposed to be a vector")):
        raises_like_torch(lambda m: m.index_select(x if m is wt else tx, 0,
                                                   to_wt(idx) if m is wt else idx), match)


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(1, 3, 0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_index_copy(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    vals = data.draw(st.permutations(range(shape[dim])))[:data.draw(st.integers(0, shape[dim]))]
    ti = torch.tensor(vals, dtype=torch.int64)
    sshape = list(shape)
    sshape[dim] = len(vals)
    src, tsrc = make_pair(tuple(sshape), dtype, seed + 1)
    run_both(lambda m, a, b, c: m.index_copy(a, dim, b, c), [x, to_wt(ti), src],
             [tx, ti, tsrc])
    w, t = x.clone(), tx.clone()
    assert w.index_copy_(dim, to_wt(ti), src) is w
    t.index_copy_(dim, ti, tsrc)
    assert_same(w, t)


def test_index_copy_errors_like_torch():
    x, tx = make_pair((2, 3, 4), "float32", 1)
    for idx, src, match in ((torch.tensor([0, 2]), torch.ones(2, 3, 4, dtype=torch.float64),
                             "same dtype"),
                            (torch.tensor([[0, 2]]), torch.ones(2, 2, 4), "dimension 1 or 0"),
                            (torch.tensor([0, 2.0]), torch.ones(2, 2, 4), "long tensor"),
                            (torch.tensor([0, 2], dtype=torch.int32), torch.ones(2, 2, 4),
                             "long tensor"),
                            (torch.tensor([0, 2]), torch.ones(2, 3, 4), "Number of indices"),
                            (torch.tensor([0, 2]), torch.ones(2, 2), "dimensionality must match"),
                            (torch.tensor([0, 2]), torch.ones(2, 2, 3), "same slice shapes")):
        raises_like_torch(lambda m: (x if m is wt else tx).clone().index_copy_(
            1, to_wt(idx) if m is wt else idx, to_wt(src) if m is wt else src), match)


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 4), dtype=dtypes, layout=layouts, seed=seeds,
       value=st.sampled_from([0, 1.5, -7, True, float("nan"), "0d"]))
def test_masked_fill(data, shape, dtype, layout, seed, value):
    if value != value and dtype not in ("float32", "float64", "float16", "bfloat16"):
        value = 2  # nan into an integer tensor: test_masked_fill_errors_like_torch
    if value == -7 and dtype == "uint8":
        value = 7
    x, tx = make_pair(shape, dtype, seed, layout)
    k = data.draw(st.integers(0, len(shape)))
    mshape = tuple(1 if data.draw(st.booleans()) else s for s in shape[len(shape) - k:])
    mk, tmk = make_pair(mshape, "bool", seed + 1)
    if value == "0d":
        v, tv = make_pair((), dtype, seed + 2)
        run_both(lambda m, a, b, c: m.masked_fill(a, b, c), [x, mk, v], [tx, tmk, tv])
        return
    run_both(lambda m, a, b: m.masked_fill(a, b, value), [x, mk], [tx, tmk])
    y, ty = x.clone(), tx.clone()
    try:
        ty.masked_fill_(tmk, value)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            y.masked_fill_(mk, value)
        return
    assert y.masked_fill_(mk, value) is y
    assert_same(y, ty)


def test_masked_fill_errors_like_torch():
    x, tx = make_pair((2, 3), "float32", 1)
    raises_like_torch(lambda m: m.masked_fill(x if m is wt else tx, m.ones(2, 3, dtype=m.int64),
                                              0.0), "masked_fill_ only supports boolean masks")
    raises_like_torch(lambda m: m.masked_fill(x if m is wt else tx, m.ones(3, dtype=m.bool),
                                              m.ones(2)), "0-dimensional value tensor")
    i, ti = make_pair((2, 3), "int64", 2)
    raises_like_torch(lambda m: m.masked_fill(i if m is wt else ti, m.ones(3, dtype=m.bool),
                                              float("nan")), "overflow")


def test_masked_fill_with_mask_larger_than_input_like_torch():
    x, tx = make_pair((3,), "float32", 1)
    mk, tmk = make_pair((2, 3), "bool", 2)
    run_both(lambda m, a, b: m.masked_fill(a, b, 0.0), [x, mk], [tx, tmk])


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_masked_select(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    k = data.draw(st.integers(0, len(shape)))
    mshape = tuple(1 if data.draw(st.booleans()) else s for s in shape[len(shape) - k:])
    mk, tmk = make_pair(mshape, "bool", seed + 1, data.draw(layouts))
    run_both(lambda m, a, b: m.masked_select(a, b), [x, mk], [tx, tmk])
    run_both(lambda m, a, b: a.masked_select(b), [x, mk], [tx, tmk])


def test_masked_select_broadcasts_the_input_like_torch():
    x, tx = make_pair((4,), "float32", 1)
    mk, tmk = make_pair((3, 4), "bool", 2)
    run_both(lambda m, a, b: m.masked_select(a, b), [x, mk], [tx, tmk])


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3, 0, 4), classes=st.integers(1, 5), extra=st.integers(-1, 2), seed=seeds)
def test_one_hot(shape, classes, extra, seed):
    t = torch.randint(0, classes, shape, generator=_gen(seed))
    n = -1 if extra == -1 else classes + extra
    if n == -1 and t.numel() == 0:
        raises_like_torch(lambda m: (wt.one_hot if m is wt else F.one_hot)(
            to_wt(t) if m is wt else t), "empty")
        return
    run_both(lambda m, a: (wt.one_hot if m is wt else F.one_hot)(a, n), [to_wt(t)], [t])


def test_one_hot_errors_like_torch():
    for t, n, match in ((torch.tensor([0, 4]), 3, "smaller than num_classes"),
                        (torch.tensor([0, -1]), -1, "non-negative"),
                        (torch.tensor([0, 1], dtype=torch.int32), -1, "LongTensor")):
        raises_like_torch(lambda m: (wt.one_hot if m is wt else F.one_hot)(
            to_wt(t) if m is wt else t, n), match)


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 5), dtype=dtypes, layout=layouts, seed=seeds,
       descending=st.booleans(), special=st.booleans())
def test_sort_stable(data, shape, dtype, layout, seed, descending, special):
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    n = max(len(shape), 1)
    dim = data.draw(st.integers(-n, n - 1))
    run_both(lambda m, a: m.sort(a, dim=dim, descending=descending, stable=True), [x], [tx])
    run_both(lambda m, a: m.argsort(a, dim=dim, descending=descending, stable=True), [x], [tx])
    w = x.sort(dim, descending)  # default (not necessarily stable): values and consistency
    tvals = tx.sort(dim, descending).values
    assert_same(w.values, tvals)
    assert w.values is w[0] and w.indices is w[1]
    if x.dim():
        assert_same(x.gather(dim, w.indices), tvals)


@settings(max_examples=examples(20))
@given(shape=shapes(1, 3, 0, 4), dtype=dtypes, seed=seeds)
def test_msort(shape, dtype, seed):
    x, tx = make_pair(shape, dtype, seed)
    run_both(lambda m, a: m.msort(a), [x], [tx])


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 5), dtype=st.sampled_from(
    [d for d in DTYPES if d != "bool"]), layout=layouts, seed=seeds, largest=st.booleans(),
    special=st.booleans())
def test_topk(data, shape, dtype, layout, seed, largest, special):
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    n = max(len(shape), 1)
    dim = data.draw(st.integers(-n, n - 1))
    size = shape[dim] if shape else 1
    k = data.draw(st.integers(0, size))
    tr = torch.topk(tx, k, dim, largest=largest)
    r = wt.topk(x, k, dim, largest=largest)
    assert_same(r.values, tr.values)  # values are unique; indices only up to ties:
    assert r.indices.dtype is wt.int64 and r.indices.shape == tuple(tr.indices.shape)
    if x.dim():
        assert_same(x.gather(dim, r.indices), tr.values)
    run_both(lambda m, a: a.topk(k, dim, largest).values, [x], [tx])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32"])
def test_topk_long_row_matches_the_whole_sort(monkeypatch, dtype):
    """topk of one long row takes the candidates not worse than a sample's k-th best: its
    values and indices equal the whole stable sort's, ties (in row order), NaN, -0.0 too"""
    from webtensor.ops import index as I
    rng = np.random.default_rng(3)
    n = 5000
    rows = [rng.standard_normal(n), rng.integers(-3, 3, n), np.sort(rng.integers(0, 40, n))]
    if dtype.startswith("float"):
        odd = rng.standard_normal(n)
        odd[rng.integers(0, n, 60)] = np.nan
        odd[rng.integers(0, n, 60)] = -0.0
        odd[rng.integers(0, n, 60)] = 0.0
        rows.append(odd)
    for a in rows:
        for shape, dim in (((n,), 0), ((1, n), 1), ((n, 1), 0)):
            x = wt.tensor(a.reshape(shape).tolist(), dtype=getattr(wt, dtype))
            for k in (1, 4):
                for largest in (True, False):
                    got = wt.topk(x, k, dim, largest=largest)
                    with monkeypatch.context() as mp:
                        mp.setattr(I, "_TOPK_SAMPLE", n + 1)        # the whole sort
                        ref = wt.topk(x, k, dim, largest=largest)
                    assert got.values.shape == ref.values.shape
                    assert list(map(repr, got.values.reshape(-1).tolist())) == \
                        list(map(repr, ref.values.reshape(-1).tolist()))    # NaN, -0.0 too
                    assert got.indices.tolist() == ref.indices.tolist()


def test_topk_k_out_of_range_like_torch():
    x, tx = make_pair((3, 4), "float32", 1)
    raises_like_torch(lambda m: m.topk(x if m is wt else tx, 5), "k")


def test_nonzero_of_0d_like_torch():
    for v in (0.0, 2.0):
        x, tx = wt.tensor(v), torch.tensor(v)
        for f in (lambda m, a: m.nonzero(a), lambda m, a: m.nonzero(a, as_tuple=True),
                  lambda m, a: m.argwhere(a), lambda m, a: m.where(a != 0)):
            run_both(f, [x], [tx])


@settings(max_examples=examples(40))
@given(shape=shapes(1, 4, 0, 4), dtype=dtypes, layout=layouts, seed=seeds, special=st.booleans())
def test_nonzero_argwhere_where(shape, dtype, layout, seed, special):
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    run_both(lambda m, a: m.nonzero(a), [x], [tx])
    run_both(lambda m, a: a.nonzero(), [x], [tx])
    run_both(lambda m, a: m.nonzero(a, as_tuple=True), [x], [tx])
    run_both(lambda m, a: m.argwhere(a), [x], [tx])
    run_both(lambda m, a: m.where(a != 0), [x], [tx])


# ---- numpy: a second, independent oracle -------------------------------------------------------
def _full_index(data, shape, dim, seed, unique=False):
    """Like _index_like, but as large as the input off `dim` (numpy's *_along_axis broadcast
    the index, torch's gather/scatter take a smaller one as is)."""
    ishape = list(shape)
    ishape[dim] = data.draw(st.integers(0, shape[dim] if unique else 4))
    if unique:
        full = list(shape)
        t = torch.argsort(torch.rand(full, generator=_gen(seed)), dim=dim)
        t = t.narrow(dim, 0, ishape[dim])
    else:
        t = torch.randint(0, shape[dim], ishape, generator=_gen(seed))
    return to_wt(t), t


@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), dtype=st.sampled_from(["float64", "int64"]),
       layout=layouts, seed=seeds)
def test_index_ops_against_numpy(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    a = tx.numpy()
    n = len(shape)
    d = data.draw(st.integers(0, n - 1))
    i, ti = _full_index(data, shape, d, seed)  # numpy broadcasts, so: full size off dim d
    assert_np(wt.gather(x, d, i), np.take_along_axis(a, ti.numpy(), d))
    sel = data.draw(st.lists(st.integers(0, shape[d] - 1), max_size=5))
    idx = wt.tensor(sel, dtype=wt.int64)
    assert_np(wt.index_select(x, d, idx), np.take(a, np.asarray(sel, dtype=np.int64), axis=d))
    mk, tmk = make_pair(shape, "bool", seed + 1)
    assert_np(wt.masked_select(x, mk), a[tmk.numpy()])
    assert_np(wt.masked_fill(x, mk, 7), np.where(tmk.numpy(), 7, a).astype(a.dtype))
    assert_np(wt.sort(x, d, stable=True).values, np.sort(a, axis=d, kind="stable"))
    assert_np(wt.sort(x, d, stable=True).indices, np.argsort(a, axis=d, kind="stable"))
    assert_np(wt.argsort(x, d, descending=True, stable=True), np.argsort(-a, axis=d, kind="stable"))
    k = data.draw(st.integers(0, shape[d]))
    assert_np(wt.topk(x, k, d).values, np.take(-np.sort(-a, axis=d), np.arange(k), axis=d))
    assert_np(wt.nonzero(x), np.argwhere(a))
    assert_np(wt.msort(x), np.sort(a, axis=0))
    # scatter with unique positions == put_along_axis; scatter_add == add.at
    u, tu = _full_index(data, shape, d, seed + 2, unique=True)
    src, tsrc = make_pair(tuple(tu.shape), dtype, seed + 3)
    want = a.copy()
    np.put_along_axis(want, tu.numpy(), tsrc.numpy(), d)
    assert_np(wt.scatter(x, d, u, src), want)
    j, tj = _full_index(data, shape, d, seed + 4)
    src2, tsrc2 = make_pair(tuple(tj.shape), dtype, seed + 5)
    want = a.copy()
    grid = np.indices(tj.shape)
    pos = tuple(tj.numpy() if k_ == d else grid[k_] for k_ in range(n))
    np.add.at(want, pos, tsrc2.numpy())
    assert_np(wt.scatter_add(x, d, j, src2), want, rtol=1e-12, atol=1e-12)
    cls = torch.randint(0, 4, shape, generator=_gen(seed))
    assert_np(wt.one_hot(to_wt(cls), 4), np.eye(4, dtype=np.int64)[cls.numpy()])
