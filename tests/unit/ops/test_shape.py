"""webtensor/ops/shape.py: cat / stack / hstack / vstack, split / chunk / tensor_split, flips,
roll, repeat / tile / repeat_interleave, tril / triu, broadcast_to against torch."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (assert_np, assert_same, dtypes, examples, layouts, make_pair,
                       raises_like_torch, run_both, seeds, shapes, shares_storage)


@pytest.mark.parametrize("op", ["cat", "concat", "concatenate"])
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(1, 3, 0, 3), dts=st.lists(dtypes, min_size=1, max_size=3),
       seed=seeds)
def test_cat(op, data, shape, dts, seed):
    n = len(shape)
    dim = data.draw(st.integers(-n, n - 1))
    pairs = []
    for i, dt in enumerate(dts):
        s = list(shape)
        s[dim] = data.draw(st.integers(0, 3))
        pairs.append(make_pair(s, dt, seed + i, data.draw(layouts)))
    run_both(lambda m, *ts: getattr(m, op)(list(ts), dim), [p[0] for p in pairs],
             [p[1] for p in pairs])


def test_cat_skips_legacy_empty_1d():
    a, ta = make_pair((2, 3), "float32", 1)
    e, te = make_pair((0,), "float32", 2)
    run_both(lambda m, x, y: m.cat([x, y]), [a, e], [ta, te])
    run_both(lambda m, x, y: m.cat([y, x], 1), [a, e], [ta, te])


_CAT_ERRORS = {
    "sizes": (lambda m, a, b, c, z: m.cat([a, b]),
              ["Sizes of tensors must match except in dimension 0",
               "Expected size 3 but got size 2 for tensor number 1"]),
    "ndim": (lambda m, a, b, c, z: m.cat([a, c]),
             ["Tensors must have same number of dimensions: got 2 and 1"]),
    "dim": (lambda m, a, b, c, z: m.cat([a], 2), ["Dimension out of range"]),
    "empty-list": (lambda m, a, b, c, z: m.cat([]), ["expected a non-empty list of Tensors"]),
    "0d": (lambda m, a, b, c, z: m.cat([z, z]), ["zero-dimensional"]),
    "not-a-list": (lambda m, a, b, c, z: m.cat(a), []),
}


@pytest.mark.parametrize("case", sorted(_CAT_ERRORS))
def test_cat_errors_like_torch(case):
    fn, match = _CAT_ERRORS[case]
    args = [make_pair(s, "float32", i) for i, s in enumerate([(2, 3), (2, 2), (3,), ()])]
    raises_like_torch(lambda m: fn(m, *[p[0] if m is wt else p[1] for p in args]), *match)


@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3, 0, 3), dts=st.lists(dtypes, min_size=1, max_size=3),
       seed=seeds)
def test_stack(data, shape, dts, seed):
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    pairs = [make_pair(shape, dt, seed + i, data.draw(layouts)) for i, dt in enumerate(dts)]
    run_both(lambda m, *ts: m.stack(list(ts), dim), [p[0] for p in pairs], [p[1] for p in pairs])


def test_stack_shape_mismatch_like_torch():
    a, ta = make_pair((2, 3), "float32", 1)
    b, tb = make_pair((3, 2), "float32", 2)
    raises_like_torch(lambda m: m.stack([a, b] if m is wt else [ta, tb]),
                      "stack expects each tensor to be equal size", "[2, 3]", "[3, 2]")


@pytest.mark.parametrize("op", ["hstack", "vstack"])
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3, 1, 3), dts=st.lists(dtypes, min_size=1, max_size=3),
       seed=seeds)
def test_hstack_vstack(op, data, shape, dts, seed):
    pairs = [make_pair(shape, dt, seed + i, data.draw(layouts)) for i, dt in enumerate(dts)]
    run_both(lambda m, *ts: getattr(m, op)(list(ts)), [p[0] for p in pairs], [p[1] for p in pairs])


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(1, 3, 0, 6), dtype=dtypes, layout=layouts, seed=seeds)
def test_split_chunk_tensor_split(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    n = len(shape)
    dim = data.draw(st.integers(-n, n - 1))
    size = shape[dim]
    k = data.draw(st.integers(1, 7))
    run_both(lambda m, t: m.split(t, k, dim), [x], [tx])
    run_both(lambda m, t: t.split(k, dim), [x], [tx])
    sections = data.draw(st.lists(st.integers(0, size), max_size=4))
    sections = sections + [size - sum(sections)] if sum(sections) <= size else [size]
    run_both(lambda m, t: m.split(t, sections, dim), [x], [tx])
    run_both(lambda m, t: m.chunk(t, k, dim), [x], [tx])
    run_both(lambda m, t: t.chunk(k, dim), [x], [tx])
    run_both(lambda m, t: m.tensor_split(t, k, dim), [x], [tx])
    parts = x.split(k, dim)
    for p in parts:  # split returns views
        assert shares_storage(p, x)


def test_tensor_split_with_indices_like_torch():
    x, tx = make_pair((7, 2), "float32", 1)
    for idx in ([1, 3], [0, 0, 5], [2, 9], (4,)):
        run_both(lambda m, t: m.tensor_split(t, idx), [x], [tx])
    run_both(lambda m, t: m.tensor_split(t, [1], dim=1), [x], [tx])


def test_split_chunk_errors_like_torch():
    x, tx = make_pair((5, 4), "float32", 1)
    raises_like_torch(lambda m: m.split(x if m is wt else tx, [2, 2]),
                      "split_with_sizes expects split_sizes to sum exactly to 5")
    raises_like_torch(lambda m: m.split(x if m is wt else tx, 0), "split_size can only be 0")
    raises_like_torch(lambda m: m.chunk(x if m is wt else tx, 0), "chunk expects `chunks` to be "
                      "greater than 0, got: 0")
    raises_like_torch(lambda m: m.split(x if m is wt else tx, 2, 2), "Dimension out of range")


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 4, 0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_flip_roll(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    n = len(shape)
    dims = data.draw(st.lists(st.integers(-n, n - 1), max_size=n,
                              unique_by=lambda d: d % n)) if n else []
    run_both(lambda m, t: m.flip(t, dims), [x], [tx])
    run_both(lambda m, t: t.flip(dims), [x], [tx])
    if n >= 2:
        run_both(lambda m, t: m.fliplr(t), [x], [tx])
    if n >= 1:
        run_both(lambda m, t: m.flipud(t), [x], [tx])
    shifts = [data.draw(st.integers(-7, 7)) for _ in dims]
    if dims:
        run_both(lambda m, t: m.roll(t, shifts, dims), [x], [tx])
        run_both(lambda m, t: m.roll(t, shifts[0], dims[0]), [x], [tx])
    flat_shift = data.draw(st.integers(-9, 9))
    run_both(lambda m, t: m.roll(t, flat_shift), [x], [tx])
    r = x.flip(dims)
    assert not shares_storage(r, x)  # flip copies in torch


def test_flip_roll_errors_like_torch():
    x, tx = make_pair((3,), "float32", 1)
    raises_like_torch(lambda m: m.fliplr(x if m is wt else tx), "2-d")
    raises_like_torch(lambda m: m.roll(x if m is wt else tx, [1, 2], [0]),
                      "shifts and dimensions must align")
    raises_like_torch(lambda m: m.flip(x if m is wt else tx, [1]), "Dimension out of range")


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3, 0, 3), dtype=dtypes, layout=layouts, seed=seeds)
def test_repeat_tile_repeat_interleave(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    n = len(shape)
    reps = tuple(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n + 2)))
    run_both(lambda m, t: t.repeat(*reps) if reps else t.repeat(()), [x], [tx])
    treps = tuple(data.draw(st.lists(st.integers(0, 3), min_size=0, max_size=n + 1)))
    run_both(lambda m, t: m.tile(t, treps), [x], [tx])
    r = data.draw(st.integers(0, 3))
    run_both(lambda m, t: m.repeat_interleave(t, r), [x], [tx])
    if n:
        dim = data.draw(st.integers(-n, n - 1))
        run_both(lambda m, t: m.repeat_interleave(t, r, dim=dim), [x], [tx])
        run_both(lambda m, t: t.repeat_interleave(r, dim), [x], [tx])


def test_repeat_interleave_with_tensor_repeats_like_torch():
    x, tx = make_pair((3, 2), "float32", 1)
    run_both(lambda m, t: m.repeat_interleave(t, m.tensor([1, 0, 2]), dim=0), [x], [tx])


def test_repeat_too_few_dims_like_torch():
    x, tx = make_pair((2, 3), "float32", 1)
    raises_like_torch(lambda m: (x if m is wt else tx).repeat(2),
                      "Number of dimensions of repeat dims can not be smaller")


@pytest.mark.parametrize("op", ["tril", "triu"])
@settings(max_examples=examples(30))
@given(shape=shapes(2, 4, 0, 4), dtype=dtypes, layout=layouts, seed=seeds,
       diagonal=st.integers(-5, 5), special=st.booleans())
def test_tril_triu(op, shape, dtype, layout, seed, diagonal, special):
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    run_both(lambda m, t: getattr(m, op)(t, diagonal), [x], [tx])
    run_both(lambda m, t: getattr(t, op)(diagonal=diagonal), [x], [tx])
    y, ty = x.clone(), tx.clone()
    getattr(y, op + "_")(diagonal)
    getattr(ty, op + "_")(diagonal)
    assert_same(y, ty)


@pytest.mark.parametrize("op", ["tril", "triu"])
def test_tril_triu_need_2d_like_torch(op):
    x, tx = make_pair((3,), "float32", 1)
    raises_like_torch(lambda m: getattr(m, op)(x if m is wt else tx), "at least 2 dimensions")


@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3, 0, 3), dtype=dtypes, seed=seeds)
def test_broadcast_to(data, shape, dtype, seed):
    x, tx = make_pair(tuple(1 if data.draw(st.booleans()) else s for s in shape), dtype, seed)
    lead = tuple(data.draw(st.lists(st.integers(0, 3), max_size=2)))
    target = lead + tuple(-1 if data.draw(st.booleans()) else s for s in shape)
    r, tr = run_both(lambda m, t: m.broadcast_to(t, target), [x], [tx])
    if r is not None:
        assert shares_storage(r, x)  # a view, like expand
        run_both(lambda m, t: t.broadcast_to(target), [x], [tx])


def test_broadcast_to_errors_like_torch():
    x, tx = make_pair((2, 3), "float32", 1)
    raises_like_torch(lambda m: m.broadcast_to(x if m is wt else tx, (3, 3)),
                      "The expanded size of the tensor (3) must match the existing size (2)",
                      "dimension 0")
    raises_like_torch(lambda m: m.broadcast_to(x if m is wt else tx, (3,)),
                      "the number of sizes provided (1) must be greater or equal")


# ---- numpy: a second, independent oracle -------------------------------------------------------
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), dtype=st.sampled_from(["float64", "int64",
                                                                         "bool"]),
       layout=layouts, seed=seeds)
def test_shape_ops_against_numpy(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    y, ty = make_pair(shape, dtype, seed + 1)
    a, b = tx.numpy(), ty.numpy()
    n = len(shape)
    d = data.draw(st.integers(0, n - 1))
    assert_np(wt.cat([x, y], d), np.concatenate([a, b], d))
    assert_np(wt.stack([x, y], d), np.stack([a, b], d))
    assert_np(wt.vstack([x, y]), np.vstack([a, b]))
    assert_np(wt.hstack([x, y]), np.hstack([a, b]))
    k = data.draw(st.integers(1, 4))
    cuts = list(range(k, shape[d], k))
    assert_np(list(wt.split(x, k, d)), np.split(a, cuts, d))
    assert_np(list(wt.tensor_split(x, k, d)), np.array_split(a, k, d))
    assert_np(wt.flip(x, [d]), np.flip(a, d))
    s = data.draw(st.integers(-5, 5))
    assert_np(wt.roll(x, s, d), np.roll(a, s, d))
    assert_np(wt.roll(x, s), np.roll(a, s))
    reps = tuple(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    assert_np(x.repeat(*reps), np.tile(a, reps))
    assert_np(wt.tile(x, reps), np.tile(a, reps))
    r = data.draw(st.integers(0, 3))
    assert_np(wt.repeat_interleave(x, r, dim=d), np.repeat(a, r, axis=d))
    assert_np(wt.repeat_interleave(x, r), np.repeat(a, r))
    if n >= 2:
        diag = data.draw(st.integers(-3, 3))
        assert_np(wt.tril(x, diag), np.tril(a, diag))
        assert_np(wt.triu(x, diag), np.triu(a, diag))
        assert_np(wt.fliplr(x), np.fliplr(a))
    assert_np(wt.flipud(x), np.flipud(a))
    target = (2,) + tuple(shape)
    assert_np(wt.broadcast_to(x, target), np.broadcast_to(a, target))


# ---- diff / meshgrid / pixel_shuffle (the torch surface model files use) -----------------------
def test_diff_meshgrid_pixel_shuffle_like_torch():
    import torch
    from wt_oracle import raises_like_torch, run_both
    x, tx = make_pair((3, 5), "float32", 1)
    p, tp = make_pair((3, 1), "float32", 2)
    for kw in ({}, {"n": 2}, {"dim": 0}, {"n": 3, "dim": 1}, {"n": 7}):
        run_both(lambda m, a: m.diff(a, **kw), [x], [tx])
    run_both(lambda m, a, b: a.diff(prepend=b, append=b * 2), [x, p], [tx, tp])
    b, tb = make_pair((6,), "bool", 3)
    run_both(lambda m, a: m.diff(a), [b], [tb])
    i, ti = make_pair((6,), "int64", 4)
    run_both(lambda m, a: m.diff(a, n=2, prepend=m.tensor([0])), [i], [ti])
    raises_like_torch(lambda m: m.diff(m.tensor(1.)), "at least one-dimensional")

    a, ta = make_pair((3,), "int64", 5)
    c, tc = make_pair((4,), "int64", 6)
    d, td = make_pair((), "int64", 7)
    for idx in ("ij", "xy"):
        run_both(lambda m, u, v, w: m.meshgrid(u, v, w, indexing=idx), [a, c, d], [ta, tc, td])
        run_both(lambda m, u, v: m.meshgrid([u, v], indexing=idx), [a, c], [ta, tc])
    with pytest.warns(UserWarning, match="indexing"):
        wt.meshgrid(a, c)
    raises_like_torch(lambda m: m.meshgrid(m.arange(2), m.arange(3.), indexing="ij"),
                      "same dtype")
    raises_like_torch(lambda m: m.meshgrid(m.zeros(2, 2), indexing="ij"), "0D or 1D")

    y, ty = make_pair((2, 3, 8, 2, 3), "float32", 8)
    run_both(lambda m, u: m.pixel_shuffle(u, 2), [y], [ty])
    run_both(lambda m, u: m.nn.functional.pixel_unshuffle(m.pixel_shuffle(u, 2), 2), [y], [ty])
    run_both(lambda m, u: m.nn.PixelShuffle(2)(u[0]), [y], [ty])
    run_both(lambda m, u: m.nn.PixelUnshuffle(3)(u.reshape(4, 3, 6, 3)), [y], [ty])
    raises_like_torch(lambda m: m.pixel_shuffle(m.zeros(2, 4), 2), "at least 3 dimensions")
    raises_like_torch(lambda m: m.pixel_shuffle(m.zeros(5, 2, 2), 2), "divisible by the square")
    raises_like_torch(lambda m: m.pixel_unshuffle(m.zeros(1, 5, 4), 2), "height")
    assert repr(wt.nn.PixelShuffle(3)) == repr(torch.nn.PixelShuffle(3))


def test_unfold_is_a_view_with_torchs_gradient():
    import torch
    from wt_oracle import raises_like_torch, run_both
    x, tx = make_pair((3, 7), "float32", 9, "transposed")
    for args in ((1, 3, 2), (0, 2, 1), (-1, 7, 1), (1, 1, 5)):
        run_both(lambda m, a: a.unfold(*args), [x], [tx])
    w = x.unfold(1, 3, 2)
    assert w._storage is x._storage
    raises_like_torch(lambda m: m.zeros(3, 4).unfold(1, 5, 1), "maximum size for tensor")
    raises_like_torch(lambda m: m.zeros(3, 4).unfold(1, 2, 0), "step is 0")

    def grad(m):
        t = m.arange(12, dtype=m.float64).reshape(3, 4).requires_grad_()
        (t.unfold(1, 2, 1) * m.arange(18, dtype=m.float64).reshape(3, 3, 2)).sum().backward()
        return t.grad
    run_both(lambda m, g: g, [grad(wt)], [grad(torch)])
