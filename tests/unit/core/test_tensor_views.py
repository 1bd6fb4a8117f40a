"""webtensor/_tensor.py: metadata and views. Views must share storage with their base (a write
through the view shows in the base, exactly as in torch) and copy nothing."""
import warnings

import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (assert_same, dtypes, examples, layouts, make_pair, no_copies,
                       raises_like_torch, seeds, shapes, shares_storage)


def _same_layout(v, tv):
    """Shape, storage offset and the strides that matter (dims of size > 1) equal torch's."""
    assert tuple(v.shape) == tuple(tv.shape)
    assert v.dim() == tv.dim() and v.numel() == tv.numel()
    if tv.numel() > 1:
        for d, n in enumerate(tv.shape):
            if n > 1:
                assert v.stride(d) == tv.stride(d), (d, v.stride(), tv.stride())
    if tv.numel():
        assert v.storage_offset() == tv.storage_offset()
    assert v.is_contiguous() == tv.is_contiguous()


def _no_copy(v, base):
    assert shares_storage(v, base), "a view got its own storage"
    assert v.data_ptr() == base.data_ptr() + \
        (v.storage_offset() - base.storage_offset()) * v.element_size()


def _view_ops(draw, shape):
    """(name, fn(m, x)) view operations valid for `shape`, with drawn arguments."""
    n = len(shape)
    ops = [("detach", lambda m, x: x.detach()),
           ("unsqueeze", (lambda d: lambda m, x: x.unsqueeze(d))(
               draw(st.integers(-n - 1, n)))),
           ("squeeze", lambda m, x: x.squeeze()),
           ("flatten", lambda m, x: x.flatten()),
           ("expand", (lambda lead: lambda m, x: x.expand(lead + tuple(shape)))(
               tuple(draw(st.lists(st.integers(0, 3), max_size=2)))))]
    if n:
        d0 = draw(st.integers(-n, n - 1))
        d1 = draw(st.integers(-n, n - 1))
        perm = draw(st.permutations(range(n)))
        size = shape[d0]
        start = draw(st.integers(0, size))
        length = draw(st.integers(0, size - start))
        ops += [("transpose", lambda m, x: x.transpose(d0, d1)),
                ("swapaxes", lambda m, x: x.swapaxes(d0, d1)),
                ("permute", lambda m, x: x.permute(*perm)),
                ("movedim", lambda m, x: x.movedim(d0, d1)),
                ("narrow", lambda m, x: x.narrow(d0, start, length)),
                ("squeeze_dim", lambda m, x: x.squeeze(d0)),
                ("flatten_range", lambda m, x: x.flatten(min(d0 % n, d1 % n),
                                                         max(d0 % n, d1 % n))),
                ("unflatten", lambda m, x: x.unflatten(d0, (1, size, 1)))]
        if size:
            idx = draw(st.integers(-size, size - 1))
            ops.append(("select", lambda m, x: x.select(d0, idx)))
    if n <= 2:
        ops.append(("t", lambda m, x: x.t()))
    if n == 2:
        ops.append(("T", lambda m, x: x.T))
    if n >= 2:
        ops.append(("mT", lambda m, x: x.mT))
    return ops


@settings(max_examples=examples(60))
@given(data=st.data(), shape=shapes(0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_view_ops_match_torch_and_share_storage(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    ops = _view_ops(data.draw, shape)
    name, fn = data.draw(st.sampled_from(ops), label="op")
    tv = fn(torch, tx)
    if tv.untyped_storage().data_ptr() != tx.untyped_storage().data_ptr():
        # flatten/unflatten of a non-viewable layout copy in torch too (reshape semantics)
        v = fn(wt, x)
        assert not shares_storage(v, x) and name.startswith(("flatten", "unflatten")), name
        assert_same(v, tv)
        return
    with no_copies():
        v = fn(wt, x)
    _same_layout(v, tv)
    _no_copy(v, x)
    assert_same(v, tv)


@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(1, 4, 1, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_write_through_view_shows_in_base(data, shape, dtype, layout, seed):
    if layout == "expanded":
        layout = "contig"  # writing through overlapping elements is order-dependent
    x, tx = make_pair(shape, dtype, seed, layout)
    ops = [o for o in _view_ops(data.draw, shape) if o[0] != "expand"]
    name, fn = data.draw(st.sampled_from(ops), label="op")
    v, tv = fn(wt, x), fn(torch, tx)
    fill = True if dtype == "bool" else 7
    v.fill_(fill)
    tv.fill_(fill)
    assert_same(x, tx)
    assert_same(v, tv)
    # and the other direction: a write to the base shows in the view
    x.zero_()
    tx.zero_()
    assert_same(v, tv)


@settings(max_examples=examples(40))
@given(shape=shapes(0, 4), dtype=dtypes, layout=layouts, seed=seeds, data=st.data())
def test_view_and_reshape(shape, dtype, layout, seed, data):
    x, tx = make_pair(shape, dtype, seed, layout)
    n = x.numel()
    # a target shape with the same number of elements, maybe with -1
    target = data.draw(st.sampled_from([(n,), (-1,), (1, n), (n, 1, 1), tuple(reversed(shape)),
                                        tuple(shape) + (1,)]))
    r, tr = x.reshape(target), tx.reshape(target)
    assert_same(r, tr)
    # reshape copies exactly when torch does
    t_shares = tr.untyped_storage().data_ptr() == tx.untyped_storage().data_ptr()
    assert shares_storage(r, x) == t_shares
    try:
        tv = tx.view(target)
    except RuntimeError:
        raises_like_torch(lambda m: (x if m is wt else tx).view(target), "view size is not")
    else:
        v = x.view(target)
        _same_layout(v, tv)
        _no_copy(v, x)
        assert_same(v, tv)


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds)
def test_contiguous_clone_detach(shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    assert x.is_contiguous() == tx.is_contiguous()
    c = x.contiguous()
    assert (c is x) == (tx.contiguous() is tx)
    assert c.is_contiguous()
    assert_same(c, tx.contiguous())
    k = x.clone()
    assert not shares_storage(k, x)
    assert_same(k, tx.clone())
    d = x.detach()
    assert shares_storage(d, x) and d is not x
    assert_same(d, tx)


@settings(max_examples=examples(30))
@given(shape=shapes(1, 3, 0, 4), dtype=dtypes, seed=seeds, dim=st.integers(-3, 2))
def test_unbind_and_iter(shape, dtype, seed, dim):
    x, tx = make_pair(shape, dtype, seed)
    if not -len(shape) <= dim < len(shape):
        raises_like_torch(lambda m: (x if m is wt else tx).unbind(dim), "Dimension out of range")
        return
    parts, tparts = x.unbind(dim), tx.unbind(dim)
    assert isinstance(parts, tuple)
    assert_same(parts, tparts)
    for p in parts:
        _no_copy(p, x)
    assert len(x) == len(tx)
    assert_same(list(x), list(tx))


@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "float16"])
def test_metadata(dtype):
    x, tx = make_pair((2, 3, 4), dtype, 1, "transposed")
    assert tuple(x.size()) == tuple(tx.size()) and x.size(1) == tx.size(1)
    assert x.size(-1) == tx.size(-1)
    assert x.stride() == tx.stride() and x.stride(0) == tx.stride(0)
    assert x.dim() == x.ndim == x.ndimension() == tx.dim()
    assert x.numel() == x.nelement() == tx.numel()
    assert x.element_size() == tx.element_size()
    assert x.is_floating_point() == tx.is_floating_point()
    assert isinstance(x.shape, tuple) and x.shape == wt.Size([2, 3, 4])
    assert x.shape.numel() == tx.shape.numel()
    assert str(x.device) == str(tx.device) == "cpu"
    assert x.is_cuda is False


def test_len_and_iter_of_0d_raise_like_torch():
    x, tx = make_pair((), "float32", 1)
    raises_like_torch(lambda m: len(x if m is wt else tx))
    raises_like_torch(lambda m: iter(x if m is wt else tx))


def test_T_reverses_all_dims_like_torch():
    x, tx = make_pair((2, 3, 4), "float32", 2)
    with warnings.catch_warnings():  # torch deprecates .T for ndim != 2 (warns once)
        warnings.simplefilter("ignore")
        tT = tx.T
    v = x.T
    _same_layout(v, tT)
    _no_copy(v, x)


def test_expanded_view_is_free_and_reads_right():
    x, tx = make_pair((1, 3), "int32", 3)
    tv = tx.expand(1000, 3)
    with no_copies():
        v = x.expand(1000, 3)
    assert v.stride() == tv.stride() == (0, 1)
    _no_copy(v, x)
    assert v._storage.nbytes == x._storage.nbytes == 3 * 4
    assert_same(v, tv)


def test_chained_views_compose():
    x, tx = make_pair((4, 5, 6), "float64", 4)

    def chain(m, t):
        return t.transpose(0, 2)[1:, ::2].narrow(2, 1, 2).unsqueeze(1).permute(3, 1, 0, 2)[..., 1]

    tv = chain(torch, tx)
    with no_copies():
        v = chain(wt, x)
    _same_layout(v, tv)
    _no_copy(v, x)
    assert_same(v, tv)
    v.fill_(-1.0)
    tv.fill_(-1.0)
    assert_same(x, tx)


def test_view_as_expand_as_reshape_as():
    x, tx = make_pair((2, 6), "float32", 5)
    y, ty = make_pair((3, 4), "float32", 6)
    assert_same(x.view_as(y), tx.view_as(ty))
    assert_same(x.reshape_as(y), tx.reshape_as(ty))
    z, tz = make_pair((1, 6), "float32", 7)
    assert_same(z.expand_as(x), tz.expand_as(tx))
    _no_copy(z.expand_as(x), z)


def test_functional_view_forms_match_methods():
    x, tx = make_pair((2, 3, 1), "float32", 8)
    for name, args in (("reshape", ((3, 2),)), ("permute", ((2, 0, 1),)), ("transpose", (0, 1)),
                       ("squeeze", ()), ("unsqueeze", (0,)), ("flatten", ()),
                       ("narrow", (1, 1, 2)), ("select", (1, 2)), ("movedim", (0, 2)),
                       ("moveaxis", (0, 2)), ("swapaxes", (0, 1)), ("swapdims", (0, 1)),
                       ("unflatten", (1, (3, 1))), ("unbind", (1,))):
        assert_same(getattr(wt, name)(x, *args), getattr(torch, name)(tx, *args))
    y, ty = make_pair((2, 3), "float32", 9)
    assert_same(wt.t(y), torch.t(ty))


@pytest.mark.parametrize("shape,new", [((2, 3), (3, -1)), ((0, 3), (-1, 3)), ((4,), (2, 2)),
                                       ((), (1,)), ((1,), ()), ((2, 0), (0,))])
def test_view_edge_shapes(shape, new):
    x, tx = make_pair(shape, "float32", 1)
    v, tv = x.view(new), tx.view(new)
    _same_layout(v, tv)
    _no_copy(v, x)
