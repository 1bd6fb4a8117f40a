"""webtensor/ops/index_put.py: index_add / index_fill / index_put / masked_scatter (and their
in-place forms) against torch: dims, duplicates, negative indices, masks, errors, gradients."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (examples, make_pair, raises_like_torch, run_both, seeds, to_wt)


def _long(v):
    return wt.tensor(v, dtype=wt.int64), torch.tensor(v, dtype=torch.int64)


@settings(max_examples=examples(25))
@given(shape=st.sampled_from([(5,), (3, 4), (2, 3, 4), (0, 3)]), dtype=st.sampled_from(
    ["float32", "int64", "float16", "uint8"]), seed=seeds, data=st.data())
def test_index_add_fill_any_dim(shape, dtype, seed, data):
    x, tx = make_pair(shape, dtype, seed)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[dim]
    vals = data.draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=5)) if n else []
    i, ti = _long(vals)
    sshape = list(shape)
    sshape[dim] = len(vals)
    s, ts = make_pair(tuple(sshape), dtype, seed + 1)
    run_both(lambda m, a, b, c: m.index_add(a, dim, b, c), [x, i, s], [tx, ti, ts])
    run_both(lambda m, a, b, c: a.index_add(dim, b, c, alpha=2), [x, i, s], [tx, ti, ts])
    run_both(lambda m, a, b: a.index_fill(dim, b, 3), [x, i], [tx, ti])
    neg, tneg = _long([-1 - v for v in vals])
    run_both(lambda m, a, b: m.index_fill(a, dim, b, m.tensor(2).to(a.dtype)), [x, neg],
             [tx, tneg])


def test_in_place_forms_write_into_self():
    x, tx = make_pair((3, 4), "float32", 1)
    s, ts = make_pair((3, 2), "float32", 2)
    i, ti = _long([3, 3])
    run_both(lambda m, a, b, c: (a.index_add_(1, b, c), a)[1], [x.clone(), i, s],
             [tx.clone(), ti, ts])
    run_both(lambda m, a, b: (a.index_fill_(0, b[:1] - 2, -1.5), a)[1], [x.clone(), i],
             [tx.clone(), ti])
    m_, tm = make_pair((3, 4), "bool", 3)
    src, tsrc = make_pair((12,), "float32", 4)
    run_both(lambda m, a, b, c: (a.masked_scatter_(b, c), a)[1], [x.clone(), m_, src],
             [tx.clone(), tm, tsrc])
    run_both(lambda m, a, b, c: (a.index_put_((b, b - 1), c[:2]), a)[1],
             [x.clone(), i - 1, src], [tx.clone(), ti - 1, tsrc])


@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_tensors_masks_and_broadcast(accumulate):
    x, tx = make_pair((3, 4, 2), "float32", 5)
    v, tv = make_pair((2,), "float32", 6)
    r, tr = _long([0, 2, 0, -1])
    c, tc = _long([[1], [3]])
    cases = [
        ((r,), (tr,), make_pair((4, 4, 2), "float32", 7)),
        ((r[:2], c), (tr[:2], tc), make_pair((2, 2, 2), "float32", 8)),        # broadcast
        ((r, r, r[:1] + 1), (tr, tr, tr[:1] + 1), (v[:1], tv[:1])),           # full index
        ((x[:, :, 0] > 0,), (tx[:, :, 0] > 0,), (v, tv)),                      # bool mask
        ((wt.tensor([True, False, True]),), (torch.tensor([True, False, True]),), (v, tv)),
    ]
    for wi, ti, (wv, tvv) in cases:
        run_both(lambda m, a, b, *idx: m.index_put(a, idx, b, accumulate=accumulate),
                 [x, wv, *wi], [tx, tvv, *ti])


def test_index_put_accumulates_duplicates():
    x, tx = make_pair((4,), "int64", 1)
    i, ti = _long([1, 1, 3, 1])
    v, tv = _long([10, 20, 30, 40])
    run_both(lambda m, a, b, c: a.index_put((b,), c, accumulate=True), [x, i, v], [tx, ti, tv])


@settings(max_examples=examples(20))
@given(shape=st.sampled_from([(4,), (3, 4), (2, 1, 3)]), mshape=st.sampled_from(
    [(4,), (3, 4), (1, 4), (2, 3, 4)]), seed=seeds)
def test_masked_scatter_broadcasts(shape, mshape, seed):
    x, tx = make_pair(shape, "float32", seed)
    mk, tm = make_pair(mshape, "bool", seed + 1)
    s, ts = make_pair((30,), "float32", seed + 2)
    run_both(lambda m, a, b, c: m.masked_scatter(a, b, c.reshape(5, 6)), [x, mk, s],
             [tx, tm, ts])


def test_errors_like_torch():
    x = lambda m: m.zeros(3, 4)  # noqa: E731
    raises_like_torch(lambda m: x(m).index_add(1, m.tensor([0, 5, 3]), m.ones(3, 3)),
                      "index 5 is out of bounds for dimension 1 with size 4")
    raises_like_torch(lambda m: x(m).index_add(1, m.tensor([0, 0]), m.ones(3, 3)),
                      "Number of indices (2)")
    raises_like_torch(lambda m: x(m).index_add(1, m.tensor([0, 1, 2]), m.ones(3, 3).double()),
                      "same scalar type")
    raises_like_torch(lambda m: x(m).index_add(1, m.tensor([[0, 0, 3]]), m.ones(3, 3)),
                      "Index is supposed to be a vector")
    raises_like_torch(lambda m: x(m).index_add(1, m.tensor([0, 0, 3]), m.ones(2, 3)),
                      "source tensor shape must match")
    raises_like_torch(lambda m: x(m).index_fill(1, m.tensor([4]), 5),
                      "index 4 is out of bounds for dimension 1 with size 4")
    raises_like_torch(lambda m: x(m).index_fill(1, m.tensor([[1]]), 5), "vector/scalar")
    raises_like_torch(lambda m: x(m).index_fill(1, m.tensor([1]), m.tensor([5.])),
                      "0-dimensional value tensor")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([0, 5]),), m.tensor(1.)),
                      "index 5 is out of bounds for dimension 0 with size 3")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([0]),) * 3, m.tensor(1.)),
                      "too many indices")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([0.]),), m.tensor(1.)),
                      "tensors used as indices must be long")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([True, False]),), m.tensor(1.)),
                      "The shape of the mask [2] at index 0")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([0, 1]),), m.tensor([1., 2, 3])),
                      "shape mismatch")
    raises_like_torch(lambda m: x(m).index_put((m.tensor([0, 1]),), m.tensor([1, 2, 3, 4])),
                      "Index put requires the source and destination dtypes match")
    raises_like_torch(lambda m: x(m).masked_scatter(m.tensor([True] * 4), m.arange(5.)),
                      "Number of elements of source < number of ones in mask")
    raises_like_torch(lambda m: x(m).masked_scatter(m.tensor([1, 0, 1, 1]), m.arange(20.)),
                      "only supports boolean masks")
    raises_like_torch(lambda m: x(m).masked_scatter(m.tensor([True] * 4), m.arange(20)),
                      "same dtypes")


def test_gradients_match_torch():
    def grads(m):
        x = m.tensor([[0.5, -1.0, 2.0, 0.25]] * 3, dtype=m.float64, requires_grad=True)
        s = m.tensor([[1.5, -0.5]] * 3, dtype=m.float64, requires_grad=True)
        i = m.tensor([3, 0])
        w = m.arange(12, dtype=m.float64).reshape(3, 4)
        out = (x.index_add(1, i, s, alpha=-2) + x.index_fill(1, i, 0.5) +
               x.index_put((i - 1, i), s[0] * 3, accumulate=True) +
               x.index_put((i - 1,), s[0].unsqueeze(1) * 2) +
               x.masked_scatter(x > 0, s.repeat(2, 2) * 4))
        (out * w).sum().backward()
        return x.grad, s.grad
    for w, t in zip(grads(wt), grads(torch)):
        run_both(lambda m, g: g, [w], [t])


def test_torch_namespace_and_methods():
    assert wt.index_put is not None and wt.Tensor.index_put_ is not None
    x, tx = make_pair((3, 4), "float32", 1)
    i, ti = to_wt(torch.tensor([2, 0])), torch.tensor([2, 0])
    run_both(lambda m, a, b: m.index_fill(a, 0, b, -3.0), [x, i], [tx, ti])


def test_put_and_unravel_index():
    x, tx = make_pair((2, 3), "float32", 1)
    i, ti = _long([1, -1, 1])
    s, ts = make_pair((3,), "float32", 2)
    for acc in (False, True):
        run_both(lambda m, a, b, c: a.put(b[1:], c[1:], accumulate=acc), [x, i, s], [tx, ti, ts])
        run_both(lambda m, a, b, c: m.put(a, b, c, accumulate=True), [x, i, s], [tx, ti, ts])
    run_both(lambda m, a, b, c: (a.put_(b.reshape(3, 1)[1:], c[:2].reshape(2, 1)), a)[1],
             [x.clone(), i, s], [tx.clone(), ti, ts])
    raises_like_torch(lambda m: m.zeros(2, 3).put(m.tensor([1, 7]), m.tensor([1., 2])),
                      "tried to access index 7 on a tensor of 6 elements")
    raises_like_torch(lambda m: m.zeros(2, 3).put(m.tensor([1, 2], dtype=m.int32),
                                                  m.tensor([1., 2])), "long tensor")
    raises_like_torch(lambda m: m.zeros(2, 3).put(m.tensor([1, 2, 3]), m.tensor([1., 2])),
                      "same number of elements")
    raises_like_torch(lambda m: m.zeros(2, 3).put(m.tensor([1, 2]), m.tensor([1, 2])),
                      "same dtype")
    for v, shape in (([4, -1, 5, 6, 0], (2, 3)), (17, (4, 5)), ([[3, 7], [1, 0]], (2, 2, 2))):
        t = torch.tensor(v)
        run_both(lambda m, a: m.unravel_index(a, shape), [to_wt(t)], [t])
    raises_like_torch(lambda m: m.unravel_index(m.tensor([1.]), (2, 3)), "integer dtype")
