"""webtensor/ops/norm.py: layer_norm, rms_norm, group_norm against torch.nn.functional on both
backends (hypothesis over shapes, dtypes, layouts, affine parameters), the decomposition a
backend without the fused primitive runs, and torch's errors."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor import _dispatch
from webtensor.ops import norm
from wt_oracle import (assert_same, examples, layouts, make_pair, raises_like_torch, run_both,
                       seeds, shapes)

pytestmark = pytest.mark.filterwarnings("ignore:Mismatch dtype:UserWarning")

TOL = {"float32": dict(rtol=1e-4, atol=1e-4), "float64": dict(rtol=1e-9, atol=1e-9),
       "float16": dict(rtol=2e-3, atol=4e-3), "bfloat16": dict(rtol=2e-2, atol=4e-2)}
norm_dtypes = st.sampled_from(("float32", "float64", "float16", "bfloat16"))


def _fn(m, name):
    return getattr(F, name) if m is torch else getattr(m, name)


def _params(shape, dtype, seed, which):
    out = []
    for i, on in enumerate(which):
        out.append(make_pair(shape, dtype, seed + 7 * i + 1) if on else (None, None))
    return out


@settings(max_examples=examples(40))
@given(shape=shapes(1, 4, 0, 5), k=st.integers(1, 3), dtype=norm_dtypes, layout=layouts,
       seed=seeds, affine=st.tuples(st.booleans(), st.booleans()),
       eps=st.sampled_from([1e-5, 1e-3, 0.0]))
def test_layer_norm_like_torch(shape, k, dtype, layout, seed, affine, eps):
    k = min(k, len(shape))
    ns = list(shape[len(shape) - k:])
    x, tx = make_pair(shape, dtype, seed, layout, wide=True)
    (w, tw), (b, tb) = _params(ns, dtype, seed, affine)
    got = wt.layer_norm(x, ns, w, b, eps)
    want = F.layer_norm(tx, ns, tw, tb, eps)
    if eps == 0.0 and want.numel():
        # constant rows are 0/0: nan, or +-1 where torch's mean rounds; compare the rest
        dims = tuple(range(tx.dim() - k, tx.dim()))
        keep = (tx.amax(dims, keepdim=True) != tx.amin(dims, keepdim=True)).expand(want.shape)
        got_t = torch.tensor(got.float().reshape(-1).tolist()).reshape(want.shape)
        assert torch.equal(torch.isfinite(got_t) & keep, torch.isfinite(want) & keep)
        want = torch.where(keep, want, 0)
        got = wt.where(wt.tensor(keep.tolist()), got, 0.0) if got.dim() else got
    assert_same(got, want, **TOL[dtype])


@settings(max_examples=examples(40))
@given(shape=shapes(1, 4, 0, 5), k=st.integers(1, 3), dtype=norm_dtypes, layout=layouts,
       seed=seeds, with_w=st.booleans(), eps=st.sampled_from([None, 1e-6, 0.5]))
def test_rms_norm_like_torch(shape, k, dtype, layout, seed, with_w, eps):
    k = min(k, len(shape))
    ns = list(shape[len(shape) - k:])
    x, tx = make_pair(shape, dtype, seed, layout, wide=True)
    ((w, tw),) = _params(ns, dtype, seed, (with_w,))
    assert_same(wt.rms_norm(x, ns, w, eps), F.rms_norm(tx, ns, tw, eps), **TOL[dtype])


@settings(max_examples=examples(30))
@given(n=st.integers(0, 3), g=st.sampled_from([1, 2, 3]), cpg=st.integers(1, 3),
       spatial=shapes(0, 2, 0, 4), dtype=norm_dtypes, seed=seeds,
       affine=st.tuples(st.booleans(), st.booleans()))
def test_group_norm_like_torch(n, g, cpg, spatial, dtype, seed, affine):
    c = g * cpg
    x, tx = make_pair((n, c) + spatial, dtype, seed)
    (w, tw), (b, tb) = _params([c], dtype, seed, affine)
    run_both(lambda m, *a: _fn(m, "group_norm")(*a), (x, g, w, b), (tx, g, tw, tb),
             **TOL[dtype])


def test_half_input_with_float_params_like_torch():
    x, tx = make_pair((3, 8), "float16", 1)
    w, tw = make_pair((8,), "float32", 2)
    b, tb = make_pair((8,), "float32", 3)
    assert_same(wt.layer_norm(x, [8], w, b), F.layer_norm(tx, [8], tw, tb), **TOL["float16"])
    assert_same(wt.rms_norm(x, [8], w), F.rms_norm(tx, [8], tw), **TOL["float16"])
    x32, tx32 = make_pair((3, 8), "float32", 1)
    assert_same(wt.rms_norm(x32, [8], w.half()), F.rms_norm(tx32, [8], tw.half()),
                **TOL["float16"])


def test_long_rows_and_large_offsets():
    """Rows longer than the kernel's 512-float chunk; a large mean over a small spread."""
    for n in (513, 2000):
        x, tx = make_pair((3, n), "float32", n, wide=True)
        x = x + 1000.0
        tx = tx + 1000.0
        w, tw = make_pair((n,), "float32", 5)
        assert_same(wt.layer_norm(x, [n], w), F.layer_norm(tx, [n], tw), rtol=1e-3, atol=1e-3)
        assert_same(wt.rms_norm(x, (n,), w), F.rms_norm(tx, (n,), tw), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("op", ["layer_norm", "rms_norm"])
@settings(max_examples=examples(15))
@given(shape=shapes(1, 3, 1, 6), dtype=norm_dtypes, seed=seeds, special=st.booleans())
def test_decomposition_matches_fused(op, shape, dtype, seed, special):
    """The primitive-only path (what a backend without the fused kernel runs) agrees with
    torch on every backend's primitives."""
    x, tx = make_pair(shape, dtype, seed, special=special)
    n = shape[-1]
    w, tw = make_pair((n,), dtype, seed + 1)
    b, tb = make_pair((n,), dtype, seed + 2)
    comp = wt.float32 if dtype in ("float16", "bfloat16") else getattr(wt, dtype)
    xr = x.to(comp).reshape(-1, n)
    if op == "layer_norm":
        got = norm.decomposed(op, xr, w.to(comp), b.to(comp), 1e-5)
        want = F.layer_norm(tx.to(torch.float64), [n], tw.double(), tb.double(), 1e-5)
    else:
        got = norm.decomposed(op, xr, w.to(comp), 1e-5)
        want = F.rms_norm(tx.to(torch.float64), [n], tw.double(), 1e-5)
    want = want.reshape(-1, n).to(getattr(torch, comp.__repr__().split(".")[1]))
    assert_same(got, want, **TOL["float32" if comp is wt.float32 else "float64"])


def test_backend_without_the_fused_primitive_uses_the_decomposition(monkeypatch):
    impl = _dispatch.CHAINS["cpu"][0]   # the active backend
    for name in ("layer_norm", "rms_norm"):
        monkeypatch.delitem(impl, name)
    called = []
    orig = norm.decomposed
    monkeypatch.setattr(norm, "decomposed", lambda *a: called.append(a[0]) or orig(*a))
    x, tx = make_pair((4, 6), "float32", 3)
    assert_same(wt.layer_norm(x, [6]), F.layer_norm(tx, [6]), **TOL["float32"])
    assert_same(wt.rms_norm(x, [6]), F.rms_norm(tx, [6]), **TOL["float32"])
    assert called == ["layer_norm", "rms_norm"]


def test_specials_like_torch():
    x, tx = make_pair((4, 9), "float32", 3, special=True)
    assert_same(wt.layer_norm(x, [9]), F.layer_norm(tx, [9]), **TOL["float32"])
    assert_same(wt.rms_norm(x, [9]), F.rms_norm(tx, [9]), **TOL["float32"])


@pytest.mark.parametrize("call,match", [
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3), [4]), ["normalized_shape=[4]", "[2, 3]"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3), []), ["at least 1-dimensional"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3), [3], m.ones(4)), ["weight of shape [4]"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3), [3], None, m.ones(2)),
     ["bias of shape [2]"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3).long(), [3]), ["LayerNormKernelImpl", "Long"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3), [3], m.ones(3).double()), ["mixed dtype"]),
    (lambda m: _fn(m, "layer_norm")(m.ones(2, 3).double(), [3], m.ones(3)),
     ["share same datatype"]),
    (lambda m: _fn(m, "layer_norm")(m.tensor(1.0), [1]), ["normalized_shape=[1]"]),
    (lambda m: _fn(m, "rms_norm")(m.ones(2, 3), [2]), ["normalized_shape=[2]"]),
    (lambda m: _fn(m, "rms_norm")(m.ones(2, 3), [3], m.ones(2)), ["weight of shape [2]"]),
    (lambda m: _fn(m, "rms_norm")(m.ones(2, 3).int(), [3]), ["rms_norm", "Int"]),
    (lambda m: _fn(m, "group_norm")(m.ones(2, 6, 5), 4), ["divisible by num_groups"]),
    (lambda m: _fn(m, "group_norm")(m.ones(2, 6, 5), 3, m.ones(5)), ["weight"]),
    (lambda m: _fn(m, "group_norm")(m.ones(6), 3), ["at least 2 dimensions"]),
    (lambda m: _fn(m, "group_norm")(m.ones(2, 6).long(), 3), ["GroupNormKernelImpl"]),
    (lambda m: _fn(m, "group_norm")(m.ones(1, 2, 1), 2), ["more than 1 value per channel"]),
])
def test_errors_like_torch(call, match):
    raises_like_torch(call, *match)


def test_cosine_similarity_and_pairwise_distance_like_torch():
    a, ta = make_pair((4, 5), "float32", 1)
    b, tb = make_pair((1, 5), "float32", 2)
    z, tz = wt.zeros(4, 5), torch.zeros(4, 5)
    for m_fn in (lambda m: m.cosine_similarity, lambda m: m.nn.functional.cosine_similarity,
                 lambda m: m.nn.CosineSimilarity(dim=-1)):
        run_both(lambda m, u, v: m_fn(m)(u, v), [a, b], [ta, tb])
    run_both(lambda m, u, v: m.cosine_similarity(u, v, dim=0, eps=1e-3), [a, z], [ta, tz])
    run_both(lambda m, u, v: m.pairwise_distance(u, v, p=1.5, keepdim=True), [a, b], [ta, tb])

    def grad(m):
        u = m.tensor([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], dtype=m.float64, requires_grad=True)
        v = m.tensor([[1.0, 2.0, -0.5]], dtype=m.float64, requires_grad=True)
        (m.cosine_similarity(u, v, dim=1) * m.tensor([1.0, -2.0], dtype=m.float64)).sum() \
            .backward()
        return u.grad, v.grad
    for w, t in zip(grad(wt), grad(torch)):
        run_both(lambda m, g: g, [w], [t])


def test_cdist_and_linalg_norms_like_torch():
    a, ta = make_pair((2, 4, 3), "float32", 1)
    b, tb = make_pair((2, 5, 3), "float32", 2)
    for p in (2.0, 1.0, 0.5, float("inf"), 0.0):
        run_both(lambda m, u, v: m.cdist(u, v, p=p), [a, b], [ta, tb], rtol=1e-5, atol=1e-5)
    run_both(lambda m, u, v: m.cdist(u[0], v[1]), [a, b], [ta, tb], rtol=1e-5, atol=1e-5)
    raises_like_torch(lambda m: m.cdist(m.zeros(3), m.zeros(3)), "at least 2D")
    raises_like_torch(lambda m: m.cdist(m.zeros(2, 3), m.zeros(2, 4)), "same number of columns")
    raises_like_torch(lambda m: m.cdist(m.zeros(2, 3), m.zeros(2, 3), p=-1), "non-negative p")
    raises_like_torch(lambda m: m.cdist(m.zeros(2, 3, dtype=m.int64),
                                        m.zeros(2, 3, dtype=m.int64)), "floating-point")
    for kw in ({}, {"ord": 1, "dim": 1}, {"ord": float("inf"), "dim": (0, 2)},
               {"ord": 0, "dim": -1, "keepdim": True}, {"ord": 3.5, "dim": 2}):
        run_both(lambda m, u: m.linalg.vector_norm(u, **kw), [a], [ta], rtol=1e-5, atol=1e-6)
    for kw in ({}, {"dim": 1}, {"dim": (1, 2)}, {"ord": "fro", "dim": (0, 1), "keepdim": True}):
        run_both(lambda m, u: m.linalg.norm(u, **kw), [a], [ta], rtol=1e-5, atol=1e-6)
    run_both(lambda m, u: m.linalg.matrix_norm(u), [a], [ta], rtol=1e-5, atol=1e-6)

    def grad(m):
        u = m.tensor([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], dtype=m.float64, requires_grad=True)
        v = m.tensor([[1.0, 2.0, -0.5]], dtype=m.float64, requires_grad=True)
        (m.cdist(u, v) * 3 + m.cdist(u, v, p=1) + m.linalg.vector_norm(u, 3, 1)).sum().backward()
        return u.grad, v.grad
    for w, t in zip(grad(wt), grad(torch)):
        run_both(lambda m, g: g, [w], [t])
