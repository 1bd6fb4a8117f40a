"""webtensor.nn layers, nn.functional and nn.init against torch: each layer gets torch's
weights through load_state_dict and must give torch's outputs; decomposed functionals are
compared over a grid of inputs; random inits are checked statistically."""
import math

import pytest
import torch
import torch.nn.functional as TF

import webtensor as wt
import webtensor.nn.functional as F
from wt_oracle import assert_same, to_torch, to_wt

TOL = dict(rtol=2e-5, atol=2e-5)


def same_layer(ctor, *inputs, train=False, **tol):
    """ctor(nn) under both libraries, torch's weights copied over; outputs compared."""
    torch.manual_seed(0)
    t = ctor(torch.nn)
    w = ctor(wt.nn)
    t.train(train)
    w.train(train)
    sd = t.state_dict()
    assert list(w.state_dict()) == list(sd)
    w.load_state_dict({k: to_wt(v) for k, v in sd.items()})
    expected = t(*inputs)
    actual = w(*[to_wt(x) for x in inputs])
    assert_same(actual, expected.detach(), **(tol or TOL))
    assert repr(w) == repr(t)
    return w, t


def rnd(*shape, seed=1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=g)


@pytest.mark.parametrize("shape", [(5,), (3, 5), (2, 3, 5), (0, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape, bias):
    same_layer(lambda nn: nn.Linear(5, 4, bias=bias), rnd(*shape))


def test_linear_init_and_errors():
    wt.manual_seed(3)
    m = wt.nn.Linear(64, 128)
    w = m.weight.reshape(-1).tolist()
    bound = 1 / math.sqrt(64)
    assert max(abs(v) for v in w) <= bound and max(w) > 0.95 * bound and min(w) < -0.95 * bound
    assert abs(sum(w) / len(w)) < 0.01 * bound * 10
    var = sum(v * v for v in w) / len(w)
    assert abs(var - bound ** 2 / 3) < 0.1 * bound ** 2 / 3
    assert max(abs(v) for v in m.bias.tolist()) <= bound
    assert m.weight.shape == (128, 64) and m.weight.dtype is wt.float32
    assert wt.nn.Linear(2, 3, dtype=wt.float64).weight.dtype is wt.float64
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        m(wt.ones(2, 3))
    with pytest.raises(RuntimeError, match="not available"):
        wt.nn.Linear(2, 2, device="cuda")


@pytest.mark.parametrize("padding_idx", [None, 0, -1])
def test_embedding(padding_idx):
    ids = torch.tensor([[0, 3, 9], [9, 9, 1]])
    w, t = same_layer(lambda nn: nn.Embedding(10, 6, padding_idx=padding_idx), ids)
    assert w.padding_idx == t.padding_idx
    if padding_idx is not None:
        wt.manual_seed(0)
        fresh = wt.nn.Embedding(10, 6, padding_idx=padding_idx)
        assert fresh.weight[padding_idx].tolist() == [0.0] * 6


def test_embedding_from_pretrained():
    emb = rnd(7, 3)
    t = torch.nn.Embedding.from_pretrained(emb, padding_idx=2)
    w = wt.nn.Embedding.from_pretrained(to_wt(emb), padding_idx=2)
    assert not w.weight.requires_grad and repr(w) == repr(t)
    ids = torch.tensor([6, 2, 0])
    assert_same(w(to_wt(ids)), t(ids).detach())
    assert wt.nn.Embedding.from_pretrained(to_wt(emb), freeze=False).weight.requires_grad
    with pytest.raises(AssertionError, match="2-dimensional"):
        wt.nn.Embedding.from_pretrained(wt.ones(3))
    with pytest.raises(AssertionError, match="Padding_idx"):
        wt.nn.Embedding(3, 2, padding_idx=3)


@pytest.mark.parametrize("ctor", [
    lambda nn: nn.LayerNorm(6), lambda nn: nn.LayerNorm([3, 6], eps=1e-3),
    lambda nn: nn.LayerNorm(6, elementwise_affine=False), lambda nn: nn.LayerNorm(6, bias=False),
    lambda nn: nn.RMSNorm(6), lambda nn: nn.RMSNorm([3, 6], eps=1e-5),
    lambda nn: nn.RMSNorm(6, elementwise_affine=False)])
def test_norm_layers(ctor):
    torch.manual_seed(0)
    x = rnd(2, 3, 6)
    t = ctor(torch.nn)
    with torch.no_grad():
        for p in t.parameters():
            p.copy_(torch.randn(p.shape))
    w = ctor(wt.nn)
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    assert_same(w(to_wt(x)), t(x).detach(), rtol=1e-4, atol=1e-4)
    assert repr(w) == repr(t)


@pytest.mark.parametrize("affine", [True, False])
def test_group_norm(affine):
    same_layer(lambda nn: nn.GroupNorm(2, 4, affine=affine), rnd(3, 4, 5), rtol=1e-4, atol=1e-4)
    with pytest.raises(ValueError, match="divisible"):
        wt.nn.GroupNorm(3, 4)


@pytest.mark.parametrize("name,args", [
    ("ReLU", ()), ("GELU", ()), ("GELU", ("tanh",)), ("SiLU", ()), ("Tanh", ()),
    ("Sigmoid", ()), ("Softmax", (-1,)), ("Softmax", (1,)), ("LogSoftmax", (-1,)),
    ("Softmin", (0,)), ("Identity", ()), ("Flatten", ()), ("Flatten", (0, 1)),
    ("Unflatten", (1, (2, 2))), ("LeakyReLU", (0.2,)), ("ELU", (0.5,)), ("CELU", (2.0,)),
    ("SELU", ()), ("Hardtanh", (-0.5, 0.7)), ("ReLU6", ()), ("Softplus", (2.0, 1.0)),
    ("Hardswish", ()), ("Hardsigmoid", ()), ("Mish", ()), ("GLU", ()), ("LogSigmoid", ()),
    ("Softsign", ()), ("Tanhshrink", ()), ("PReLU", ()), ("Dropout", (0.3,))])
def test_activation_modules(name, args):
    x = rnd(3, 4) * 4
    same_layer(lambda nn: getattr(nn, name)(*args), x, rtol=1e-5, atol=1e-5)


def test_inplace_activations_modify_input():
    for name in ("relu", "silu", "relu6", "hardtanh", "leaky_relu", "elu"):
        x = to_wt(rnd(5))
        out = getattr(F, name)(x, inplace=True)
        assert out is x
        assert_same(x, getattr(TF, name)(to_torch(to_wt(rnd(5)))), **TOL)


def test_dropout_train_eval():
    x = wt.ones(200, 50)
    d = wt.nn.Dropout(0.25)
    assert d.eval()(x) is x
    d.train()
    wt.manual_seed(0)
    y = d(x)
    vals = y.reshape(-1).tolist()
    kept = [v for v in vals if v != 0]
    assert all(abs(v - 1 / 0.75) < 1e-6 for v in kept)
    frac = 1 - len(kept) / len(vals)
    assert abs(frac - 0.25) < 0.02
    assert F.dropout(x, 1.0).sum().item() == 0 and F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        wt.nn.Dropout(1.5)
    drop2 = F.dropout2d(wt.ones(4, 30, 3, 3), 0.5).reshape(4, 30, 9).tolist()
    assert all(len(set(ch)) == 1 for img in drop2 for ch in img)   # whole channels


FUNCS = [
    ("softplus", (), {}), ("softplus", (), {"beta": 2.0, "threshold": 3.0}),
    ("leaky_relu", (0.1,), {}), ("elu", (), {"alpha": 0.7}), ("hardtanh", (-2.0, 1.5), {}),
    ("relu6", (), {}), ("glu", (0,), {}), ("normalize", (), {}), ("normalize", (), {"p": 1.0,
                                                                                   "dim": 0}),
    ("normalize", (), {"p": math.inf, "dim": -1}), ("selu", (), {}), ("celu", (), {}),
    ("logsigmoid", (), {}), ("softsign", (), {}), ("tanhshrink", (), {}), ("mish", (), {}),
    ("hardswish", (), {}), ("hardsigmoid", (), {}), ("threshold", (0.5, -3.0), {}),
    ("softmin", (), {"dim": 1}), ("gelu", (), {"approximate": "tanh"}),
    ("log_softmax", (), {"dim": 0}), ("softmax", (), {"dim": -1, "dtype": torch.float64}),
]


@pytest.mark.parametrize("name,args,kwargs", FUNCS)
def test_functional_decompositions(name, args, kwargs):
    x = rnd(4, 6) * 5
    x[0, 0] = 40.0        # beyond softplus' threshold
    wkw = {k: (wt.float64 if v is torch.float64 else v) for k, v in kwargs.items()}
    assert_same(getattr(F, name)(to_wt(x), *args, **wkw),
                getattr(TF, name)(x, *args, **kwargs), rtol=1e-5, atol=1e-5)


def test_functional_misc():
    a, b = rnd(3, 5), rnd(3, 5, seed=2)
    assert_same(F.cosine_similarity(to_wt(a), to_wt(b)), TF.cosine_similarity(a, b), **TOL)
    assert_same(F.cosine_similarity(to_wt(a), to_wt(b), dim=0),
                TF.cosine_similarity(a, b, dim=0), **TOL)
    w = rnd(5)
    assert_same(F.prelu(to_wt(a), to_wt(w)), TF.prelu(a, w), **TOL)
    assert_same(F.adaptive_avg_pool1d(to_wt(rnd(2, 3, 7)), 3),
                TF.adaptive_avg_pool1d(rnd(2, 3, 7), 3), **TOL)
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        F.glu(wt.ones(3, 3))
    with pytest.warns(UserWarning, match="Implicit dimension"):
        assert_same(F.softmax(to_wt(a)), TF.softmax(a, dim=1), **TOL)
    x = rnd(2, 3, 4)
    assert_same(F.instance_norm(to_wt(x)), TF.instance_norm(x), rtol=1e-4, atol=1e-4)
    with pytest.raises(NotImplementedError, match="conv_transpose2d"):
        F.conv_transpose2d(wt.ones(1, 1, 2, 2), wt.ones(1, 1, 2, 2))
    for name in ("linear", "conv1d", "conv2d", "max_pool2d", "avg_pool2d", "layer_norm",
                 "rms_norm", "group_norm", "embedding", "scaled_dot_product_attention",
                 "one_hot", "adaptive_avg_pool2d", "tanh", "sigmoid", "relu", "silu"):
        assert callable(getattr(F, name)), name


@pytest.mark.parametrize("shape", [(6, 3), (6, 3, 5), (6, 3, 2, 2)])
@pytest.mark.parametrize("training", [False, True])
def test_batch_norm_functional(shape, training):
    x = rnd(*shape) * 2 + 1
    rm, rv = rnd(3, seed=4), rnd(3, seed=5).abs() + 0.5
    weight, bias = rnd(3, seed=6), rnd(3, seed=7)
    wrm, wrv = to_wt(rm), to_wt(rv)
    expected = TF.batch_norm(x, rm, rv, weight, bias, training=training, momentum=0.2)
    actual = F.batch_norm(to_wt(x), wrm, wrv, to_wt(weight), to_wt(bias), training=training,
                          momentum=0.2)
    assert_same(actual, expected, rtol=1e-4, atol=1e-4)
    assert_same(wrm, rm, rtol=1e-5, atol=1e-5)        # running stats updated like torch
    assert_same(wrv, rv, rtol=1e-5, atol=1e-5)


def test_init_deterministic():
    t = wt.empty(3, 4)
    assert wt.nn.init.constant_(t, 0.5) is t and set(t.reshape(-1).tolist()) == {0.5}
    assert set(wt.nn.init.zeros_(t).reshape(-1).tolist()) == {0.0}
    assert set(wt.nn.init.ones_(t).reshape(-1).tolist()) == {1.0}
    assert_same(wt.nn.init.eye_(t), torch.nn.init.eye_(torch.empty(3, 4)))
    c = wt.empty(4, 2, 3, 3)
    assert_same(wt.nn.init.dirac_(c, groups=2), torch.nn.init.dirac_(torch.empty(4, 2, 3, 3),
                                                                       groups=2))
    for nl, p in (("linear", None), ("relu", None), ("tanh", None), ("leaky_relu", 0.2),
                  ("leaky_relu", None), ("selu", None), ("sigmoid", None), ("conv2d", None)):
        assert wt.nn.init.calculate_gain(nl, p) == torch.nn.init.calculate_gain(nl, p)
    for shape in ((3, 4), (5, 2, 3, 3), (2, 7, 4)):
        assert wt.nn.init._calculate_fan_in_and_fan_out(wt.empty(*shape)) == \
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))
    with pytest.raises(ValueError, match="fewer than 2"):
        wt.nn.init.xavier_uniform_(wt.empty(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        wt.nn.init.calculate_gain("nope")
    with pytest.raises(NotImplementedError, match="orthogonal_"):
        wt.nn.init.orthogonal_(wt.empty(3, 3))


def _stats(t):
    v = t.reshape(-1).tolist()
    m = sum(v) / len(v)
    return m, math.sqrt(sum((x - m) ** 2 for x in v) / len(v)), min(v), max(v)


@pytest.mark.parametrize("name,kwargs,std,bound", [
    ("uniform_", {"a": -2.0, "b": 3.0}, 5 / math.sqrt(12), (-2.0, 3.0)),
    ("normal_", {"mean": 1.0, "std": 0.5}, 0.5, None),
    ("xavier_uniform_", {"gain": 2.0}, 2 * math.sqrt(2 / 300), (-2 * math.sqrt(6 / 300),
                                                                 2 * math.sqrt(6 / 300))),
    ("xavier_normal_", {}, math.sqrt(2 / 300), None),
    ("kaiming_uniform_", {"nonlinearity": "relu"}, math.sqrt(2 / 100),
     (-math.sqrt(6 / 100), math.sqrt(6 / 100))),
    ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2 / 200), None),
    ("trunc_normal_", {"std": 1.0, "a": -1.0, "b": 1.5}, None, (-1.0, 1.5)),
])
def test_init_random_statistics(name, kwargs, std, bound):
    wt.manual_seed(1)
    torch.manual_seed(1)
    w = getattr(wt.nn.init, name)(wt.empty(200, 100), **kwargs)
    t = getattr(torch.nn.init, name)(torch.empty(200, 100), **kwargs)
    wm, ws, wlo, whi = _stats(w)
    tm, ts, tlo, thi = _stats(to_wt(t))
    assert abs(wm - tm) < 0.05 * max(ts, 1e-3) * 2 + 0.01
    assert abs(ws - ts) < 0.03 * ts
    if std is not None:
        assert abs(ws - std) < 0.03 * std
    if bound is not None:
        assert bound[0] <= wlo and whi <= bound[1]
        assert wlo < bound[0] + 0.05 * (bound[1] - bound[0])
        assert whi > bound[1] - 0.05 * (bound[1] - bound[0])


@pytest.mark.parametrize("kw", [{"std": 0.02, "a": -0.04, "b": 0.04},
                                {"mean": 0.5, "std": 1.0, "a": 1.0, "b": 2.5},
                                {"std": 1.0, "a": 2.0, "b": 3.0}])
def test_trunc_normal_matches_torch_distribution(kw):
    wt.manual_seed(0)
    torch.manual_seed(0)
    w = wt.nn.init.trunc_normal_(wt.empty(100, 100), **kw)
    t = torch.nn.init.trunc_normal_(torch.empty(100, 100), **kw)
    wm, ws, wlo, whi = _stats(w)
    tm, ts, tlo, thi = _stats(to_wt(t))
    assert kw["a"] <= wlo and whi <= kw["b"]
    assert abs(wm - tm) < 0.02 * (kw["b"] - kw["a"]) and abs(ws - ts) < 0.03 * ts
    for lib in (torch, wt):
        with pytest.raises(ZeroDivisionError):
            lib.nn.init.trunc_normal_(lib.empty(3), std=0.0)
