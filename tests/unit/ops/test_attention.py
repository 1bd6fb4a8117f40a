"""webtensor/ops/attention.py: scaled_dot_product_attention against
torch.nn.functional.scaled_dot_product_attention on both backends: hypothesis over batch
shapes (broadcast, unbatched), L != S, head dims not multiples of 4, bool / float masks
(broadcast, fully masked rows), is_causal, grouped-query heads, scale, dtypes; the
decomposition a backend without the fused primitive runs; torch's errors."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor import _dispatch
from webtensor.ops import attention
from wt_oracle import assert_same, examples, make_pair, raises_like_torch, seeds, to_wt

TOL = {"float32": dict(rtol=1e-4, atol=1e-5), "float64": dict(rtol=1e-9, atol=1e-10),
       "float16": dict(rtol=3e-3, atol=3e-3), "bfloat16": dict(rtol=3e-2, atol=3e-2)}


def sdpa(m, *args, **kw):
    f = F.scaled_dot_product_attention if m is torch else m.scaled_dot_product_attention
    return f(*args, **kw)


def _mask(draw, L, S, batch, kind, seed):
    """A bool or float mask whose shape broadcasts to [*batch, L, S]."""
    shape = [draw(st.sampled_from([1, n])) for n in batch[draw(st.integers(0, len(batch))):]]
    shape += [draw(st.sampled_from([1, L])), S]
    g = torch.Generator().manual_seed(seed)
    if kind == "bool":
        t = torch.rand(shape, generator=g) > 0.4
        if t.numel() and draw(st.booleans()):
            t[..., 0, :] = False          # a fully masked row: zeros in torch
    else:
        t = torch.randn(shape, generator=g)
        if t.numel() and draw(st.booleans()):
            t[..., -1, :] = float("-inf")
    return t


@settings(max_examples=examples(40))
@given(data=st.data(), batch=st.lists(st.integers(1, 3), min_size=0, max_size=2),
       L=st.integers(0, 6), S=st.integers(0, 9), E=st.integers(1, 9), Ev=st.integers(1, 6),
       mask=st.sampled_from(["none", "bool", "float", "causal"]), seed=seeds,
       scale=st.sampled_from([None, 0.25, 0.0]))
def test_sdpa_like_torch(data, batch, L, S, E, Ev, mask, seed, scale):
    g = torch.Generator().manual_seed(seed)
    kb = [data.draw(st.sampled_from([1, n])) for n in batch]   # key/value batch broadcast
    tq = torch.randn(batch + [L, E], generator=g)
    tk = torch.randn(kb + [S, E], generator=g)
    tv = torch.randn(kb + [S, Ev], generator=g)
    kw = {"scale": scale}
    if mask == "causal":
        kw["is_causal"] = True
    elif mask != "none":
        kw["attn_mask"] = _mask(data.draw, L, S, batch, mask, seed)
    wkw = {k: (to_wt(v) if isinstance(v, torch.Tensor) else v) for k, v in kw.items()}
    got = sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv), **wkw)
    want = sdpa(torch, tq, tk, tv, **kw)
    assert_same(got, want, **TOL["float32"])


@settings(max_examples=examples(30))
@given(hk=st.sampled_from([1, 2, 4]), hv=st.sampled_from([1, 2, 4]), B=st.integers(1, 2),
       L=st.integers(1, 5), S=st.integers(1, 70), E=st.sampled_from([3, 4, 8]),
       causal=st.booleans(), seed=seeds)
def test_grouped_query_heads_like_torch(hk, hv, B, L, S, E, causal, seed):
    g = torch.Generator().manual_seed(seed)
    tq = torch.randn(B, 4, L, E, generator=g)
    tk = torch.randn(B, hk, S, E, generator=g)
    tv = torch.randn(B, hv, S, 5, generator=g)
    got = sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv), is_causal=causal, enable_gqa=True)
    want = sdpa(torch, tq, tk, tv, is_causal=causal, enable_gqa=True)
    assert_same(got, want, **TOL["float32"])


@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16"])
def test_other_dtypes_like_torch(dtype):
    q, tq = make_pair((2, 3, 4), dtype, 1)
    k, tk = make_pair((2, 5, 4), dtype, 2)
    v, tv = make_pair((2, 5, 3), dtype, 3)
    m, tm = make_pair((3, 5), dtype, 4)
    assert_same(sdpa(wt, q, k, v, attn_mask=m), sdpa(torch, tq, tk, tv, attn_mask=tm),
                **TOL[dtype])
    assert_same(sdpa(wt, q, k, v, is_causal=True), sdpa(torch, tq, tk, tv, is_causal=True),
                **TOL[dtype])


def test_float64_gqa_masks_and_wide_scores_like_torch():
    """float64 on its own kernel: grouped heads, transposed views, a bool mask with a fully
    masked row (zeros, as the float32 kernel), scores spread over hundreds (the online softmax's
    rescaling and its exp), causal with L != S."""
    g = torch.Generator().manual_seed(5)
    tq = torch.randn(2, 7, 4, 6, generator=g, dtype=torch.float64).transpose(1, 2) * 9
    tk = torch.randn(2, 2, 37, 6, generator=g, dtype=torch.float64)
    tv = torch.randn(2, 37, 2, 5, generator=g, dtype=torch.float64).transpose(1, 2)
    tm = torch.rand(7, 37, generator=g) > 0.3
    tm[2] = False
    args = [to_wt(t) for t in (tq, tk, tv, tm)]
    got = sdpa(wt, *args[:3], attn_mask=args[3], enable_gqa=True)
    want = sdpa(torch, tq, tk, tv, attn_mask=tm, enable_gqa=True)
    assert_same(got, want, **TOL["float64"])
    assert got[:, :, 2].abs().sum().item() == 0
    for causal_l in (7, 3):
        got = sdpa(wt, args[0][:, :, :causal_l], *args[1:3], is_causal=True, enable_gqa=True)
        want = sdpa(torch, tq[:, :, :causal_l], tk, tv, is_causal=True, enable_gqa=True)
        assert_same(got, want, **TOL["float64"])


def test_non_contiguous_inputs_like_torch():
    tq = torch.randn(2, 5, 3, 8).transpose(1, 2)          # [B, H, L, E] from [B, L, H, E]
    tkv = torch.randn(2, 40, 3, 16)
    tk, tv = tkv[..., :8].transpose(1, 2), tkv[..., 8:14].transpose(1, 2)
    got = sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv))
    assert_same(got, sdpa(torch, tq, tk, tv), **TOL["float32"])
    q = to_wt(torch.randn(2, 5, 3, 8)).transpose(1, 2)     # real strided views in webtensor
    kv = to_wt(tkv)
    k, v = kv[..., :8].transpose(1, 2), kv[..., 8:14].transpose(1, 2)
    want = sdpa(torch, torch.tensor(q.tolist()), torch.tensor(k.tolist()),
                torch.tensor(v.tolist()), is_causal=True)
    assert_same(sdpa(wt, q, k, v, is_causal=True), want, **TOL["float32"])


def test_long_sequence_like_torch():
    g = torch.Generator().manual_seed(0)
    tq, tk, tv = (torch.randn(1, 2, 3, 16, generator=g) * 4, torch.randn(1, 2, 300, 16,
                  generator=g) * 4, torch.randn(1, 2, 300, 8, generator=g))
    assert_same(sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv)), sdpa(torch, tq, tk, tv),
                **TOL["float32"])


@pytest.fixture
def no_sdpa_shortcut():
    slot = _dispatch.SLOTS["scaled_dot_product_attention"]
    saved, slot[0] = slot[0], None
    yield
    slot[0] = saved


def test_decomposition_like_torch(monkeypatch, no_sdpa_shortcut):
    """A backend without the `sdpa` primitive runs the matmul/softmax decomposition."""
    monkeypatch.delitem(_dispatch.CHAINS["cpu"][0], "sdpa")   # the active backend
    called = []
    orig = attention.decomposed
    monkeypatch.setattr(attention, "decomposed", lambda *a: called.append(1) or orig(*a))
    g = torch.Generator().manual_seed(3)
    tq, tk, tv = (torch.randn(2, 4, 5, 6, generator=g), torch.randn(2, 2, 7, 6, generator=g),
                  torch.randn(2, 2, 7, 3, generator=g))
    tm = torch.rand(5, 7, generator=g) > 0.5
    tm[2] = False
    for kw in ({"attn_mask": tm}, {"is_causal": True}, {"scale": 0.1}):
        wkw = {k: to_wt(v) if isinstance(v, torch.Tensor) else v for k, v in kw.items()}
        got = sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv), enable_gqa=True, **wkw)
        assert_same(got, sdpa(torch, tq, tk, tv, enable_gqa=True, **kw), **TOL["float32"])
    assert len(called) == 3


def test_nan_and_inf_like_torch():
    tq = torch.randn(1, 4, 3)
    tk = torch.randn(1, 5, 3)
    tv = torch.randn(1, 5, 2)
    tm = torch.zeros(4, 5)
    tm[0, 1] = float("nan")
    tm[1, 2] = float("inf")
    tm[2] = float("-inf")
    assert_same(sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv), attn_mask=to_wt(tm)),
                sdpa(torch, tq, tk, tv, attn_mask=tm), **TOL["float32"])


def test_zero_head_dim_and_empty_keys_like_torch():
    tq, tk, tv = torch.randn(2, 3, 0), torch.randn(2, 4, 0), torch.randn(2, 4, 3)
    assert_same(sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv)), sdpa(torch, tq, tk, tv))
    tq, tk, tv = torch.randn(2, 3, 4), torch.randn(2, 0, 4), torch.randn(2, 0, 3)
    assert_same(sdpa(wt, to_wt(tq), to_wt(tk), to_wt(tv)), sdpa(torch, tq, tk, tv))


def _t(m, *shape, dtype=None):
    t = m.ones(*shape)
    return t if dtype is None else t.to(getattr(m, dtype))


@pytest.mark.parametrize("call,match", [
    (lambda m: sdpa(m, _t(m, 2, 4, 3, 8), _t(m, 2, 2, 5, 8), _t(m, 2, 2, 5, 6)),
     ["size of tensor a (4)", "(2)"]),
    (lambda m: sdpa(m, _t(m, 2, 4, 3, 8), _t(m, 2, 3, 5, 8), _t(m, 2, 3, 5, 6),
                    enable_gqa=True), ["Number of heads in key and value must divide"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6), enable_gqa=True),
     ["Dimension out of range"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6),
                    attn_mask=_t(m, 3, 5, dtype="bool"), is_causal=True),
     ["attn_mask should not be set when is_causal=True"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 7), _t(m, 5, 6)), ["[1, 8]", "[1, 7]"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 4, 6)), ["[1, 5]", "[1, 4]"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6), attn_mask=_t(m, 3, 4)),
     ["size of tensor"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6), attn_mask=_t(m, 2, 3, 5)),
     ["output with shape [3, 5]", "[2, 3, 5]"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6),
                    attn_mask=_t(m, 3, 5, dtype="int64")), ["attn_mask.dtype: long int"]),
    (lambda m: sdpa(m, _t(m, 3, 8), _t(m, 5, 8), _t(m, 5, 6),
                    attn_mask=_t(m, 3, 5, dtype="float64")), ["attn_mask.dtype: double"]),
    (lambda m: sdpa(m, _t(m, 3, 8, dtype="float64"), _t(m, 5, 8), _t(m, 5, 6)),
     ["query.dtype: double key.dtype: float"]),
    (lambda m: sdpa(m, _t(m, 3, 8, dtype="int64"), _t(m, 5, 8, dtype="int64"),
                    _t(m, 5, 6, dtype="int64")), ["Long"]),
    (lambda m: sdpa(m, _t(m, 8), _t(m, 5, 8), _t(m, 5, 6)), ["at least 2 dimensional"]),
])
def test_errors_like_torch(call, match):
    raises_like_torch(call, *match)


def test_dropout_is_refused_clearly():
    q = wt.ones(3, 4)
    with pytest.raises(NotImplementedError, match="dropout_p"):
        wt.scaled_dot_product_attention(q, q, q, dropout_p=0.1)
    assert_same(wt.scaled_dot_product_attention(q, q, q, dropout_p=0.0),
                F.scaled_dot_product_attention(torch.ones(3, 4), torch.ones(3, 4),
                                               torch.ones(3, 4)))
