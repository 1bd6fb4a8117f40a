"""webtensor/_indexing.py: x[idx] and x[idx] = v against torch, for ints, slices with steps and
negative bounds, None, ..., bool masks and integer tensors / lists (adjacent and non-adjacent
advanced indices, broadcasting between them), on contiguous and non-contiguous tensors.
Basic indexing returns a view (shares storage); advanced indexing copies, as in torch."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (assert_same, dtypes, examples, layouts, make_pair, no_copies,
                       raises_like_torch, seeds, shapes, shares_storage, to_wt)

KINDS = ("int", "slice", "slice", "none", "ellipsis", "itensor", "list", "mask", "full")


@st.composite
def indices(draw, shape, advanced=True, oob=True):
    """An index for `shape` as (webtensor index, torch index, has_advanced).

    The kinds are drawn first, then each component's values for the dim it really applies to
    (an Ellipsis covers whatever the other components leave)."""
    n = len(shape)
    kinds_pool = KINDS if advanced else ("int", "slice", "slice", "none", "ellipsis", "full")
    kinds, consumed, ell = [], 0, False
    while consumed < n and len(kinds) < 5 and (not kinds or draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(kinds_pool))
        if kind == "ellipsis":
            if ell:
                continue
            ell = True
            kinds.append((kind, 0))
        elif kind == "none":
            kinds.append((kind, 0))
        elif kind == "mask":
            k = draw(st.integers(1, min(2, n - consumed)))
            kinds.append((kind, k))
            consumed += k
        else:
            kinds.append((kind, 1))
            consumed += 1
    if not kinds and draw(st.booleans()):
        kinds.append((draw(st.sampled_from(["none", "ellipsis"])), 0))
    ishape = draw(st.sampled_from([(), (1,), (2,), (3,), (2, 1), (1, 3), (0,)]))
    comps, d, adv = [], 0, False
    for kind, c in kinds:
        if kind == "ellipsis":
            comps.append(("ellipsis", Ellipsis))
            d += n - consumed
            continue
        if kind == "none":
            comps.append(("none", None))
            continue
        size = shape[d]
        if kind == "int" and size == 0 and not oob:
            kind = "full"
        if kind == "int":
            oob_now = oob and (size == 0 or draw(st.integers(0, 9)) == 0)  # now and then
            lo, hi = (-size - 1, size) if oob_now else (-size, size - 1)
            comps.append(("int", draw(st.integers(lo, hi))))
        elif kind == "slice":
            b = st.one_of(st.none(), st.integers(-size - 2, size + 2))
            comps.append(("slice", slice(draw(b), draw(b), draw(st.sampled_from([None, 1, 2, 3])))))
        elif kind == "full":
            comps.append(("slice", slice(None)))
        elif kind in ("itensor", "list"):
            shp = tuple(1 if draw(st.booleans()) else s for s in ishape)
            if size == 0:  # every index would be out of range (see test_oob_index_*)
                shp = (0,)
            count = 1
            for s in shp:
                count *= s
            vals = draw(st.lists(st.integers(-size, size - 1), min_size=count,
                                 max_size=count)) if size else []
            if kind == "list" and len(shp) == 1:
                comps.append(("list", vals))
            else:
                comps.append(("itensor", (vals, shp, draw(st.sampled_from(["int64", "int32"])))))
            adv = adv or shp != ()  # a 0-dim integer tensor indexes like an int (a view)
        elif kind == "mask":
            mshape = shape[d:d + c]
            count = 1
            for s in mshape:
                count *= s
            comps.append(("mask", (draw(st.lists(st.booleans(), min_size=count, max_size=count)),
                                   mshape)))
            adv = True
        d += c
    bare = len(comps) == 1 and draw(st.booleans())

    def build(m):
        out = []
        for kind, v in comps:
            if kind == "itensor":
                vals, shp, dt = v
                out.append(m.tensor(vals, dtype=getattr(m, dt)).reshape(shp))
            elif kind == "mask":
                vals, mshape = v
                out.append(m.tensor(vals, dtype=m.bool).reshape(mshape))
            elif kind == "list":
                out.append(list(v))
            else:
                out.append(v)
        return out[0] if bare else tuple(out)

    return build(wt), build(torch), adv


def _positions(tx, tidx):
    """Which base elements torch's index touches (to detect duplicate positions)."""
    pos = torch.arange(tx.numel()).reshape(tx.shape)
    return pos[tidx]


@settings(max_examples=examples(150))
@given(data=st.data(), shape=shapes(0, 4, 0, 4), dtype=dtypes, layout=layouts, seed=seeds)
def test_getitem_matches_torch(data, shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    widx, tidx, adv = data.draw(indices(shape))
    try:
        tr = tx[tidx]
    except (IndexError, RuntimeError, ValueError, TypeError) as e:
        with pytest.raises(type(e)):
            x[widx]
        return
    if adv:
        r = x[widx]
    else:
        with no_copies():
            r = x[widx]
    assert_same(r, tr)
    if adv:
        assert not shares_storage(r, x) or r.numel() == 0, "advanced indexing must copy"
    else:
        assert shares_storage(r, x), "basic indexing must return a view"


@settings(max_examples=examples(120))
@given(data=st.data(), shape=shapes(0, 4, 0, 4), dtype=dtypes, layout=layouts, seed=seeds,
       tensor_value=st.booleans())
def test_setitem_matches_torch(data, shape, dtype, layout, seed, tensor_value):
    if layout == "expanded":
        layout = "offset"  # assignment into overlapping memory is order-dependent
    x, tx = make_pair(shape, dtype, seed, layout)
    widx, tidx, adv = data.draw(indices(shape))
    try:
        target = tx[tidx]
    except (IndexError, RuntimeError, ValueError, TypeError) as e:
        with pytest.raises(type(e)):
            x[widx] = 1
        return
    if tensor_value and adv:
        pos = _positions(tx, tidx)
        tensor_value = pos.unique().numel() == pos.numel()  # duplicates: order undefined
    if tensor_value:
        vshape = data.draw(st.sampled_from([tuple(target.shape), tuple(target.shape)[1:],
                                            (1,) * min(1, target.dim())]))
        v, tv = make_pair(vshape, dtype, seed + 1)
    else:
        tv = v = True if dtype == "bool" else data.draw(st.sampled_from([0, 3, -1]))
    tx[tidx] = tv
    x[widx] = v
    assert_same(x, tx)


@pytest.mark.parametrize("idx_fn", [
    lambda m: (Ellipsis, None),
    lambda m: (None, 1, None, slice(None, None, 2)),
    lambda m: (-1, Ellipsis, -2),
    lambda m: (m.tensor([0, 2]), slice(None), m.tensor([1, 3])),          # non-adjacent
    lambda m: (slice(None), m.tensor([[0], [2]]), m.tensor([1, 3])),       # adjacent, broadcast
    lambda m: (m.tensor([[0, 1]]), 1, m.tensor([[2], [0]])),               # int splits them
    lambda m: (slice(1, None), m.tensor([True, False, True]), None),
    lambda m: (m.tensor([[True, False, True]] * 3),),
    lambda m: (m.tensor([1, 0]), Ellipsis, m.tensor([[0], [3]])),
    lambda m: ([0, 2], slice(None, None, -1) if False else slice(None, None, 3), [1, 0]),
    lambda m: (m.tensor(1), m.tensor([0, 1])),
    lambda m: (Ellipsis, m.tensor([2, 0, 2])),
    lambda m: (m.tensor(True),),
    lambda m: (m.tensor(False), 0),
])
def test_getitem_cases(idx_fn):
    x, tx = make_pair((3, 3, 4), "float32", 1, "transposed")
    assert_same(x[idx_fn(wt)], tx[idx_fn(torch)])


def test_basic_index_view_writes_through():
    x, tx = make_pair((4, 5), "int64", 2)
    v, tv = x[1::2, -3:], tx[1::2, -3:]
    v.fill_(100)
    tv.fill_(100)
    assert_same(x, tx)
    v, tv = x[None, 2], tx[None, 2]
    v.zero_()
    tv.zero_()
    assert_same(x, tx)


def test_advanced_index_result_is_a_copy():
    x, tx = make_pair((4, 5), "float32", 3)
    r, tr = x[[0, 2]], tx[[0, 2]]
    r.fill_(9.0)
    tr.fill_(9.0)
    assert_same(x, tx)


@pytest.mark.parametrize("case", ["mask-scalar", "mask-tensor", "int-tensor", "slices",
                                  "nonadjacent", "broadcast-value", "ellipsis-mask"])
def test_setitem_cases(case):
    x, tx = make_pair((3, 4, 2), "float32", 4)

    def go(m, t):
        if case == "mask-scalar":
            t[t > 0] = -1.0
        elif case == "mask-tensor":
            mask = t[..., 0] > 0
            t[mask] = m.zeros(2) + 5
        elif case == "int-tensor":
            t[m.tensor([2, 0])] = m.ones(4, 2)
        elif case == "slices":
            t[::2, 1:3] = 7.0
        elif case == "nonadjacent":
            t[m.tensor([0, 2]), :, m.tensor([1, 0])] = m.tensor([[1.0], [2.0]]).expand(2, 4)
        elif case == "broadcast-value":
            t[1] = m.arange(2.0)
        elif case == "ellipsis-mask":
            t[..., m.tensor([True, False])] = 3.0
        return t

    assert_same(go(wt, x), go(torch, tx))


def test_setitem_value_promotes_into_target_dtype():
    x, tx = make_pair((2, 3), "int32", 5)
    x[0] = 2.7
    tx[0] = 2.7
    assert_same(x, tx)
    x[1] = wt.tensor([1.9, -1.9, 0.5])
    tx[1] = torch.tensor([1.9, -1.9, 0.5])
    assert_same(x, tx)


def test_setitem_from_overlapping_view_reads_before_writing():
    x, tx = make_pair((6,), "float32", 6)
    x[1:] = x[:-1].clone() if False else x[:-1]
    tx[1:] = tx[:-1].clone()
    assert_same(x, tx)


@pytest.mark.parametrize("idx_fn,match", [
    (lambda m: 5, "out of bounds"),
    (lambda m: (0, -5), "out of bounds"),
    (lambda m: (0, 0, 0, 0), "too many indices"),
    (lambda m: m.tensor([0, 4]), "out of bounds"),
    (lambda m: m.tensor([1.0]), "tensors used as indices must be long"),
    (lambda m: m.tensor([True, False]), "mask"),
    (lambda m: (m.tensor([0, 1]), m.tensor([0, 1, 2])), "shape mismatch"),
    (lambda m: slice(None, None, -1), "step must be greater than zero"),
])
def test_bad_indices_raise_like_torch(idx_fn, match):
    x, tx = make_pair((3, 4, 2), "float32", 7)
    raises_like_torch(lambda m: (x if m is wt else tx)[idx_fn(m)], match)


def test_oob_index_broadcast_to_nothing_is_not_an_error_like_torch():
    """torch checks bounds on the broadcast indices: [0] broadcast against an empty mask
    selects nothing, so it is not out of range."""
    x, tx = make_pair((0, 0), "float32", 1)
    assert_same(x[[0], wt.tensor([], dtype=wt.bool)], tx[[0], torch.tensor([], dtype=torch.bool)])


def test_setitem_shape_mismatch_raises_like_torch():
    x, tx = make_pair((3, 4), "float32", 8)

    def go(m):
        t = x if m is wt else tx
        t[0] = m.ones(3)
    raises_like_torch(go, "expanded size")


def test_index_0d_tensor():
    x, tx = make_pair((), "int64", 9)
    assert_same(x[()], tx[()])
    assert_same(x[None], tx[None])
    assert_same(x[...], tx[...])
    assert_same(x[wt.tensor(True)], tx[torch.tensor(True)])
    raises_like_torch(lambda m: (x if m is wt else tx)[0])


def test_0d_int_tensor_index_is_a_view_like_torch():
    """torch treats a 0-dim integer tensor index like a Python int: the result is a view."""
    x, tx = make_pair((3, 4), "float32", 11)
    r, tr = x[1, wt.tensor(2)], tx[1, torch.tensor(2)]
    assert_same(r, tr)
    r.fill_(42.0)
    tr.fill_(42.0)
    assert_same(x, tx)


def test_index_with_numpy_style_inputs():
    import numpy as np
    x, tx = make_pair((4, 3), "float32", 10)
    assert_same(x[np.array([3, 1])], tx[np.array([3, 1])])
    assert_same(x[np.array([True, False, True, True])], tx[np.array([True, False, True, True])])
    assert_same(x[to_wt(torch.tensor([0, 0]))], tx[torch.tensor([0, 0])])
