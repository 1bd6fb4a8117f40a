"""RNN / LSTM / GRU, InstanceNorm, CosineSimilarity / PairwiseDistance against torch with the
same weights; unsupported torch.nn names raise NotImplementedError naming them."""
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
    assert [n for n, _ in w.named_parameters()] == [n for n, _ in t.named_parameters()]
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    assert repr(w) == repr(t)
    return w.eval(), t.eval()


def compare(wo, to):
    if isinstance(to, tuple):
        assert isinstance(wo, tuple) and len(wo) == len(to)
        for a, b in zip(wo, to):
            compare(a, b)
    else:
        assert_same(wo, to.detach(), **TOL)


@pytest.mark.parametrize("cls", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("kw", [{}, {"num_layers": 2}, {"bidirectional": True},
                                {"batch_first": True, "num_layers": 2, "bidirectional": True},
                                {"bias": False}, {"nonlinearity": "relu"}])
def test_recurrent(cls, kw):
    if "nonlinearity" in kw and cls != "RNN":
        kw = {}
    w, t = twins(lambda nn: getattr(nn, cls)(3, 4, **kw))
    bf = kw.get("batch_first", False)
    x = rnd(2, 5, 3) if bf else rnd(5, 2, 3)
    compare(w(to_wt(x)), t(x))
    dirs = 2 if kw.get("bidirectional") else 1
    h0 = rnd(kw.get("num_layers", 1) * dirs, 2, 4, seed=5)
    hx = (h0, rnd(*h0.shape, seed=6)) if cls == "LSTM" else h0
    whx = tuple(to_wt(h) for h in hx) if cls == "LSTM" else to_wt(hx)
    compare(w(to_wt(x), whx), t(x, hx))
    xu = rnd(5, 3, seed=7)                      # unbatched
    compare(w(to_wt(xu)), t(xu))


def test_recurrent_errors_and_init():
    for lib in (torch, wt):
        with pytest.raises(ValueError, match="Unknown nonlinearity"):
            lib.nn.RNN(3, 4, nonlinearity="gelu")
        with pytest.raises(RuntimeError, match="input_size"):
            lib.nn.GRU(3, 4)(lib.ones(2, 1, 5))
    wt.manual_seed(0)
    m = wt.nn.LSTM(8, 16)
    bound = 1 / 16 ** 0.5
    vals = [v for p in m.parameters() for v in p.reshape(-1).tolist()]
    assert max(abs(v) for v in vals) <= bound and max(vals) > 0.95 * bound
    with pytest.raises(NotImplementedError, match="proj_size"):
        wt.nn.LSTM(3, 4, proj_size=2)


@pytest.mark.parametrize("ctor,shape", [
    (lambda nn: nn.InstanceNorm1d(3), (2, 3, 6)),
    (lambda nn: nn.InstanceNorm2d(3, affine=True), (2, 3, 4, 5)),
    (lambda nn: nn.InstanceNorm2d(3, eps=1e-3), (3, 4, 5)),
])
def test_instance_norm(ctor, shape):
    w, t = twins(ctor)
    with torch.no_grad():
        for p in t.parameters():
            p.copy_(torch.randn(p.shape))
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    x = rnd(*shape)
    assert_same(w(to_wt(x)), t(x).detach(), **TOL)


def test_distances():
    a, b = rnd(4, 6), rnd(4, 6, seed=2)
    for kw in ({}, {"dim": 0, "eps": 1e-3}):
        assert_same(wt.nn.CosineSimilarity(**kw)(to_wt(a), to_wt(b)),
                    torch.nn.CosineSimilarity(**kw)(a, b), **TOL)
    for kw in ({}, {"p": 1.0, "keepdim": True}, {"p": 3.0}):
        assert_same(wt.nn.PairwiseDistance(**kw)(to_wt(a), to_wt(b)),
                    torch.nn.PairwiseDistance(**kw)(a, b), **TOL)


def test_unsupported_nn_names():
    for name in ("EmbeddingBag", "LSTMCell", "Bilinear"):
        assert hasattr(torch.nn, name) and not hasattr(wt.nn, name)
        with pytest.raises(NotImplementedError, match=f"torch.nn.{name}"):
            getattr(wt.nn, name)
    for cls in ("Conv3d", "ConvTranspose2d", "Transformer", "LazyLinear"):
        with pytest.raises(NotImplementedError, match=cls):
            getattr(wt.nn, cls)(2, 2)
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        wt.nn.Nope
