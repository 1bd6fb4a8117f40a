"""webtensor.nn conv / pooling / batch norm / attention / transformer layers against torch
with the same weights (load_state_dict), in eval and train modes."""
import copy

import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, to_wt

TOL = dict(rtol=1e-4, atol=1e-5)


def rnd(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def twins(ctor):
    torch.manual_seed(0)
    t = ctor(torch.nn)
    w = ctor(wt.nn)
    assert list(w.state_dict()) == list(t.state_dict())
    assert [n for n, _ in w.named_parameters()] == [n for n, _ in t.named_parameters()]
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    assert repr(w) == repr(t)
    return w, t


def same(ctor, *inputs, train=False, tol=TOL, **kw):
    w, t = twins(ctor)
    t.train(train)
    w.train(train)
    assert_same(w(*[to_wt(x) for x in inputs], **kw), t(*inputs, **kw).detach(), **tol)
    return w, t


@pytest.mark.parametrize("ctor,shape", [
    (lambda nn: nn.Conv2d(3, 4, 3), (2, 3, 7, 6)),
    (lambda nn: nn.Conv2d(3, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2),
                          bias=False), (2, 3, 8, 8)),
    (lambda nn: nn.Conv2d(4, 4, 3, padding="same", groups=4), (1, 4, 5, 5)),
    (lambda nn: nn.Conv2d(4, 6, 2, groups=2, padding="valid"), (4, 5, 5)),
    (lambda nn: nn.Conv1d(3, 5, 3, padding=1), (2, 3, 9)),
    (lambda nn: nn.Conv1d(4, 4, 5, stride=2, dilation=2, groups=2), (2, 4, 20)),
])
def test_conv(ctor, shape):
    same(ctor, rnd(*shape))


def test_conv_init_and_errors():
    wt.manual_seed(0)
    c = wt.nn.Conv2d(8, 16, 3)
    bound = 1 / (8 * 9) ** 0.5
    vals = c.weight.reshape(-1).tolist()
    assert max(abs(v) for v in vals) <= bound and max(vals) > 0.9 * bound
    assert max(abs(v) for v in c.bias.tolist()) <= bound
    for kw, err in (({"groups": 3}, "in_channels must be divisible by groups"),
                    ({"padding_mode": "bogus"}, "padding_mode must be one of"),
                    ({"padding": "same", "stride": 2}, "not supported for strided"),
                    ({"groups": 0}, "groups must be a positive integer")):
        for lib in (torch, wt):
            with pytest.raises(ValueError, match=err):
                lib.nn.Conv2d(8, 12, 3, **kw)


@pytest.mark.parametrize("ctor,shape", [
    (lambda nn: nn.MaxPool2d(2), (2, 3, 6, 7)),
    (lambda nn: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), (1, 2, 7, 7)),
    (lambda nn: nn.MaxPool1d(3, stride=2), (2, 3, 9)),
    (lambda nn: nn.AvgPool2d(2), (2, 3, 6, 6)),
    (lambda nn: nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False), (1, 2, 5, 5)),
    (lambda nn: nn.AvgPool1d(2), (2, 3, 8)),
    (lambda nn: nn.AdaptiveAvgPool2d((1, 1)), (2, 3, 5, 7)),
    (lambda nn: nn.AdaptiveAvgPool2d((2, None)), (2, 3, 5, 7)),
    (lambda nn: nn.AdaptiveAvgPool2d(3), (3, 7, 7)),
    (lambda nn: nn.AdaptiveMaxPool2d(2), (1, 3, 5, 5)),
    (lambda nn: nn.AdaptiveAvgPool1d(4), (2, 3, 9)),
])
def test_pooling(ctor, shape):
    same(ctor, rnd(*shape))


@pytest.mark.parametrize("ctor,shape", [
    (lambda nn: nn.BatchNorm1d(4), (8, 4)),
    (lambda nn: nn.BatchNorm1d(4, affine=False), (5, 4, 3)),
    (lambda nn: nn.BatchNorm2d(3, momentum=0.3), (4, 3, 2, 5)),
    (lambda nn: nn.BatchNorm2d(3, momentum=None), (4, 3, 2, 2)),
    (lambda nn: nn.BatchNorm2d(3, track_running_stats=False), (4, 3, 2, 2)),
])
def test_batch_norm_train_then_eval(ctor, shape):
    w, t = twins(ctor)
    with torch.no_grad():
        for p in t.parameters():
            p.copy_(torch.randn(p.shape))
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    t.train()
    w.train()
    for step in range(3):
        x = rnd(*shape, seed=step) * 2 + 0.5
        assert_same(w(to_wt(x)), t(x).detach(), **TOL)
    for k, v in t.state_dict().items():       # running stats and num_batches_tracked
        assert_same(w.state_dict()[k], v, **TOL)
    t.eval()
    w.eval()
    x = rnd(*shape, seed=9)
    assert_same(w(to_wt(x)), t(x).detach(), **TOL)


def test_batch_norm_errors_and_old_checkpoints():
    for lib in (torch, wt):
        with pytest.raises(ValueError, match="expected 4D input"):
            lib.nn.BatchNorm2d(3)(lib.ones(3, 3))
        with pytest.raises(ValueError, match="expected 2D or 3D input"):
            lib.nn.BatchNorm1d(3)(lib.ones(3))
        with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
            lib.nn.BatchNorm1d(3).train()(lib.ones(1, 3))
    bn = wt.nn.BatchNorm1d(2)
    sd = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    assert bn.load_state_dict(sd).missing_keys == []      # pre-num_batches_tracked files
    assert bn.num_batches_tracked.dtype is wt.int64


def _mha(nn, **kw):
    return nn.MultiheadAttention(8, 2, **kw)


@pytest.mark.parametrize("kw", [{}, {"batch_first": True}, {"bias": False},
                                {"kdim": 6, "vdim": 5, "batch_first": True}])
@pytest.mark.parametrize("need_weights,average", [(True, True), (True, False), (False, True)])
def test_multihead_attention(kw, need_weights, average):
    w, t = twins(lambda nn: _mha(nn, **kw))
    t.eval()
    w.eval()
    bf = kw.get("batch_first", False)
    L, S, B = 3, 4, 2
    q = rnd(B, L, 8) if bf else rnd(L, B, 8)
    k = rnd(*((B, S) if bf else (S, B)), kw.get("kdim", 8), seed=2)
    v = rnd(*((B, S) if bf else (S, B)), kw.get("vdim", 8), seed=3)
    kpm = torch.tensor([[False, False, True, False], [False, False, False, True]])
    am = torch.tensor([[0.0, -1.0, 0.5, 0.0]]).expand(L, S)
    for masks in ({}, {"key_padding_mask": kpm}, {"attn_mask": am},
                  {"attn_mask": am < 0, "key_padding_mask": kpm}):
        to = t(q, k, v, need_weights=need_weights, average_attn_weights=average, **masks)
        wo = w(to_wt(q), to_wt(k), to_wt(v), need_weights=need_weights,
               average_attn_weights=average, **{n: to_wt(m) for n, m in masks.items()})
        assert_same(wo[0], to[0].detach(), **TOL)
        if need_weights:
            assert_same(wo[1], to[1].detach(), **TOL)
        else:
            assert wo[1] is None and to[1] is None


def test_multihead_attention_unbatched_causal_and_errors():
    w, t = twins(lambda nn: _mha(nn))
    t.eval()
    w.eval()
    x = rnd(5, 8)
    mask = torch.nn.Transformer.generate_square_subsequent_mask(5)
    assert_same(wt.nn.Transformer.generate_square_subsequent_mask(5), mask)
    for nw in (True, False):
        to = t(x, x, x, attn_mask=mask, is_causal=True, need_weights=nw)
        wo = w(to_wt(x), to_wt(x), to_wt(x), attn_mask=to_wt(mask), is_causal=True,
               need_weights=nw)
        assert_same(wo[0], to[0].detach(), **TOL)
    for lib, m in ((torch, t), (wt, w)):
        with pytest.raises(RuntimeError, match="Need attn_mask"):
            m(lib.ones(2, 8), lib.ones(2, 8), lib.ones(2, 8), is_causal=True)
        with pytest.raises(AssertionError, match="was expecting embedding dimension"):
            m(lib.ones(2, 1, 6), lib.ones(2, 1, 6), lib.ones(2, 1, 6))
    with pytest.raises(NotImplementedError, match="add_bias_kv"):
        wt.nn.MultiheadAttention(8, 2, add_bias_kv=True)


@pytest.mark.parametrize("kw", [
    {}, {"batch_first": True}, {"norm_first": True, "batch_first": True},
    {"activation": "gelu"}, {"activation": "gelu_fn", "bias": False},
])
def test_transformer_encoder_layer(kw):
    kw = dict(kw)
    act = kw.pop("activation", "relu")

    def ctor(nn):
        a = (torch.nn.functional.gelu if nn is torch.nn else wt.nn.functional.gelu) \
            if act == "gelu_fn" else act
        return nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, activation=a, **kw)
    w, t = twins(ctor)
    t.eval()
    w.eval()
    bf = kw.get("batch_first", False)
    x = rnd(2, 5, 8) if bf else rnd(5, 2, 8)
    kpm = torch.tensor([[False] * 5, [False, False, False, True, True]])
    causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
    for extra in ({}, {"src_key_padding_mask": kpm}, {"src_mask": causal, "is_causal": True},
                  {"src_mask": causal < 0}):
        # grad enabled: torch's nested-tensor fast path (zeros at padded rows) stays off
        to = t(x, **extra)
        wo = w(to_wt(x), **{n: (to_wt(v) if isinstance(v, torch.Tensor) else v)
                            for n, v in extra.items()})
        assert_same(wo, to.detach(), **TOL)


def test_transformer_encoder_stack_and_deepcopy():
    def ctor(nn):
        layer = nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        return nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False)
    w, t = twins(ctor)
    t.eval()
    w.eval()
    x = rnd(2, 4, 8)
    assert_same(w(to_wt(x)), t(x).detach(), **TOL)
    lin = wt.nn.Linear(2, 2)
    lin.register_buffer("b", wt.ones(2))
    dup = copy.deepcopy(lin)
    with wt.no_grad():         # a parameter is a leaf that requires grad (torch's rule)
        dup.weight.fill_(0)
    dup.b.fill_(3)
    assert lin.weight.abs().sum().item() > 0 and lin.b.tolist() == [1.0, 1.0]
    assert isinstance(dup.weight, wt.nn.Parameter) and dup.weight.requires_grad
