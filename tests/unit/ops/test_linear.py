"""webtensor.linear against torch.nn.functional.linear (both backends): shapes, dtypes, views,
bias forms, errors; the fused linear_act form; and that `x @ W.T` / linear never copy W."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor import backends
from webtensor.ops.linalg import linear_act
from wt_oracle import (assert_same, examples, layouts, make_pair, raises_like_torch, run_both,
                       seeds)

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32")


def _lin(m, *args):
    return (F.linear if m is torch else wt.linear)(*args)


def _tol(dtype, k):
    eps = {"float64": 1e-15, "float32": 2e-7, "float16": 1e-3, "bfloat16": 8e-3}.get(dtype)
    return {} if eps is None else {"atol": eps * 16 * max(k, 1) * 8, "rtol": eps * 8}


@settings(max_examples=examples(60))
@given(lead=st.lists(st.integers(0, 3), max_size=3), k=st.integers(0, 6), n=st.integers(0, 5),
       bias=st.sampled_from([None, "n", "scalar", "one"]), dtype=st.sampled_from(DTYPES),
       lays=st.tuples(layouts, layouts), seed=seeds)
def test_linear_like_torch(lead, k, n, bias, dtype, lays, seed):
    x, tx = make_pair(tuple(lead) + (k,), dtype, seed, lays[0])
    w, tw = make_pair((n, k), dtype, seed + 1, lays[1])
    args, targs = [x, w], [tx, tw]
    if bias is not None:
        b, tb = make_pair({"n": (n,), "scalar": (), "one": (1,)}[bias], dtype, seed + 2)
        args.append(b)
        targs.append(tb)
    run_both(_lin, args, targs, **_tol(dtype, k))


@pytest.mark.parametrize("m,k,n", [(1, 300, 37), (2, 33, 9), (3, 7, 70), (17, 64, 33),
                                   (130, 40, 20), (5, 1, 9), (4, 0, 6)])
@pytest.mark.parametrize("with_bias", [False, True])
def test_linear_kernel_shapes_like_torch(m, k, n, with_bias):
    """Sizes that reach both kernel forms (m < 4: dot products; else packed) and k blocks."""
    x, tx = make_pair((m, k), "float32", m)
    w, tw = make_pair((n, k), "float32", n)
    b, tb = make_pair((n,), "float32", 3)
    args, targs = ([x, w, b], [tx, tw, tb]) if with_bias else ([x, w], [tx, tw])
    run_both(_lin, args, targs, **_tol("float32", k))
    run_both(lambda mod, a, c: a @ c.T, [x, w], [tx, tw], **_tol("float32", k))


def test_linear_weight_vector_and_1d_input():
    x, tx = make_pair((2, 3, 4), "float32", 1)
    v, tv = make_pair((4,), "float32", 2)
    s, ts = make_pair((), "float32", 3)
    run_both(_lin, [x, v], [tx, tv])
    run_both(_lin, [x, v, s], [tx, tv, ts])
    w, tw = make_pair((5, 4), "float32", 4)
    b, tb = make_pair((5,), "float32", 5)
    run_both(_lin, [v, w, b], [tv, tw, tb])
    run_both(_lin, [v, v], [tv, tv])


def test_linear_bias_broadcast_forms():
    """A bias that is not [N] (here [M, N] and [1, N]) takes the unfused path, same result."""
    x, tx = make_pair((3, 4), "float32", 1)
    w, tw = make_pair((5, 4), "float32", 2)
    for shape in ((3, 5), (1, 5)):
        b, tb = make_pair(shape, "float32", 3)
        run_both(_lin, [x, w, b], [tx, tw, tb], **_tol("float32", 4))


@pytest.mark.parametrize("act", [None, "relu", "gelu", "gelu_tanh", "silu"])
@pytest.mark.parametrize("m", [1, 2, 9])
def test_linear_act_matches_the_unfused_chain(act, m):
    x, tx = make_pair((m, 3, 40), "float32", m, "transposed")
    w, tw = make_pair((33, 40), "float32", 2)
    b, tb = make_pair((33,), "float32", 3)
    f = {None: lambda t: t, "relu": F.relu, "gelu": F.gelu, "silu": F.silu,
         "gelu_tanh": lambda t: F.gelu(t, approximate="tanh")}[act]
    ref = f(F.linear(tx.double(), tw.double(), tb.double())).float()
    assert_same(linear_act(x, w, b, act), ref, atol=2e-5, rtol=1e-5)
    ref = f(F.linear(tx.double(), tw.double())).float()
    assert_same(linear_act(x, w, None, act), ref, atol=2e-5, rtol=1e-5)


def test_linear_act_rejects_unknown_activation():
    x = wt.ones(2, 3)
    with pytest.raises(ValueError, match="activation"):
        linear_act(x, wt.ones(4, 3), None, "tanh")


@pytest.mark.parametrize("xs,ws,bs,match", [
    ((2, 3, 4), (5, 3), None, "mat1 and mat2 shapes cannot be multiplied (6x4 and 3x5)"),
    ((2, 4), (5, 3), None, "mat1 and mat2 shapes cannot be multiplied (2x4 and 3x5)"),
    ((3,), (5, 4), None, "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)"),
    ((2, 3, 4), (3,), None, "size mismatch, got input (6), mat (6x4), vec (3)"),
    ((), (5, 4), None, "both arguments to linear need to be at least 1D, but they are 0D and 2D"),
    ((2, 4), (), None, "both arguments to linear need to be at least 1D, but they are 2D and 0D"),
    ((2, 3, 4), (2, 5, 4), None, "t() expects a tensor with <= 2 dimensions, but self is 3D"),
    ((2, 4), (4,), (2,), "mat2 must be a matrix, got 1-D tensor"),
    ((2, 4), (4,), (), "mat2 must be a matrix, got 1-D tensor"),
    ((4,), (4,), (1,), "mat2 must be a matrix, got 1-D tensor"),
    ((4,), (5, 4), (3, 5), "output with shape [5] doesn't match the broadcast shape [3, 5]"),
    ((2, 3, 4), (5, 4), (4, 2, 3, 5), "doesn't match the broadcast shape [4, 2, 3, 5]"),
])
def test_linear_errors_like_torch(xs, ws, bs, match):
    x, tx = make_pair(xs, "float32", 1)
    w, tw = make_pair(ws, "float32", 2)
    args, targs = [x, w], [tx, tw]
    if bs is not None:
        b, tb = make_pair(bs, "float32", 3)
        args.append(b)
        targs.append(tb)
    raises_like_torch(lambda m: _lin(m, *(args if m is wt else targs)), match)


def test_linear_bias_size_mismatch_raises_like_torch():
    x, tx = make_pair((2, 4), "float32", 1)
    w, tw = make_pair((5, 4), "float32", 2)
    b, tb = make_pair((4,), "float32", 3)
    raises_like_torch(lambda m: _lin(m, *((x, w, b) if m is wt else (tx, tw, tb))), "5", "4")


def test_linear_dtype_and_type_errors_like_torch():
    x, tx = make_pair((2, 4), "float32", 1)
    w, tw = make_pair((5, 4), "float64", 2)
    b, tb = make_pair((5,), "float64", 3)
    w32, tw32 = make_pair((5, 4), "float32", 2)
    raises_like_torch(lambda m: _lin(m, *((x, w) if m is wt else (tx, tw))),
                      "expected m1 and m2 to have the same dtype, but got: float != double")
    raises_like_torch(lambda m: _lin(m, *((x, w32, b) if m is wt else (tx, tw32, tb))),
                      "self and mat2 must have the same dtype, but got Double and Float")
    raises_like_torch(lambda m: _lin(m, *((x, [1.0]) if m is wt else (tx, [1.0]))),
                      "linear(): argument 'weight' (position 2) must be Tensor, not list")
    raises_like_torch(lambda m: _lin(m, *((x, w32, 3.0) if m is wt else (tx, tw32, 3.0))),
                      "linear(): argument 'bias' (position 3) must be Tensor, not float")
    xb, txb = make_pair((2, 4), "bool", 1)
    raises_like_torch(lambda m: _lin(m, *((xb, xb) if m is wt else (txb, txb))),
                      "not implemented for 'Bool'")


def test_linear_and_x_at_wt_never_copy_w(backend):
    """W [N, K] is read in place by the wasm backend: no contiguous copy of W.T per call.
    (Runs on the wasm backend whichever backend the fixture chose.)"""
    from webtensor.backends.wasm import backend as wb
    backends.set_backend("wasm")
    x, tx = make_pair((3, 64), "float32", 1)
    w, tw = make_pair((48, 64), "float32", 2)
    b, tb = make_pair((48,), "float32", 3)
    calls = []
    orig = wb._copier.gather
    wb._copier.gather = lambda out, t: calls.append(tuple(t.shape)) or orig(out, t)
    try:
        r1, r2, r3 = x @ w.T, wt.linear(x, w, b), wt.matmul(x[:1], w.t())
    finally:
        wb._copier.gather = orig
        backends.set_backend(backend)
    assert calls == [], f"copied {calls}"
    assert_same(r1, tx @ tw.T, **_tol("float32", 64))
    assert_same(r2, F.linear(tx, tw, tb), **_tol("float32", 64))
    assert_same(r3, tx[:1] @ tw.T, **_tol("float32", 64))
