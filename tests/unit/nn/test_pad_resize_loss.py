"""webtensor.nn's faces of ops/pad.py, ops/resize.py and ops/loss.py against torch: the
nn.functional names are the op-table functions with torch's signatures; the padding layers,
Upsample family, loss modules and Conv padding modes give torch's outputs and reprs."""
import inspect
import warnings

import pytest
import torch
import torch.nn.functional as TF

import webtensor as wt
import webtensor.nn.functional as F
from webtensor.ops import FUNCTIONS
from wt_oracle import assert_same, to_wt

OPS = ("pad", "interpolate", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
       "smooth_l1_loss", "huber_loss", "kl_div", "binary_cross_entropy",
       "binary_cross_entropy_with_logits", "upsample")


@pytest.mark.parametrize("name", OPS)
def test_functional_is_the_op_table_function(name):
    assert getattr(F, name) is FUNCTIONS[name]
    assert getattr(wt, name) is FUNCTIONS[name]


@pytest.mark.parametrize("name", OPS)
def test_signature_matches_torch(name):
    """Same parameter names, order, kinds and defaults as torch.nn.functional's."""
    def params(fn):
        return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]
    assert params(getattr(F, name)) == params(getattr(TF, name))


def rnd(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def same_module(ctor, *inputs, **tol):
    """ctor(nn) under both libraries (a lambda taking `m` gets torch / webtensor itself);
    torch's state (random buffers such as a loss weight) is loaded into webtensor's."""
    if "m" in inspect.signature(ctor).parameters:
        t, w = ctor(torch), ctor(wt)
        g = torch.Generator().manual_seed(5)
        for b in t.buffers():
            b.copy_(torch.rand(b.shape, generator=g) * 2)
    else:
        t, w = ctor(torch.nn), ctor(wt.nn)
    assert repr(w) == repr(t)
    assert list(w.state_dict()) == list(t.state_dict())
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = t(*inputs)
        actual = w(*[to_wt(x) for x in inputs])
    assert_same(actual, expected.detach(), **(tol or {"rtol": 2e-6, "atol": 2e-6}))


@pytest.mark.parametrize("name,arg,shape", [
    ("ZeroPad1d", 2, (2, 3, 4)), ("ZeroPad2d", (1, 0, 2, -1), (1, 2, 3, 4)),
    ("ZeroPad3d", 1, (1, 1, 2, 2, 2)), ("ReflectionPad1d", (2, 1), (3, 5)),
    ("ReflectionPad2d", 2, (1, 2, 3, 4)), ("ReflectionPad3d", (1, 0, 1, 1, 0, 1), (1, 2, 2, 3)),
    ("ReplicationPad1d", 3, (2, 3, 4)), ("ReplicationPad2d", (0, 2, 3, 1), (2, 3, 4)),
    ("ReplicationPad3d", 1, (1, 1, 2, 2, 2)), ("CircularPad1d", (1, 3), (2, 3, 4)),
    ("CircularPad2d", 1, (1, 2, 3, 4)), ("CircularPad3d", (1, 1, 0, 2, 1, 0), (1, 1, 2, 3, 3)),
])
def test_padding_layers(name, arg, shape):
    same_module(lambda nn: getattr(nn, name)(arg), rnd(*shape))


@pytest.mark.parametrize("name", ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d"])
def test_constant_pad_layers(name):
    shape = {"ConstantPad1d": (2, 3), "ConstantPad2d": (1, 2, 3),
             "ConstantPad3d": (1, 2, 2, 2)}[name]
    same_module(lambda nn: getattr(nn, name)(1, 3.5), rnd(*shape))


@pytest.mark.parametrize("name,shape", [("CircularPad1d", (2, 2, 3, 4)),
                                        ("CircularPad2d", (3, 4)),
                                        ("CircularPad3d", (2, 3, 4))])
def test_circular_pad_layer_checks_dims(name, shape):
    with pytest.raises(ValueError) as te:
        getattr(torch.nn, name)(1)(torch.zeros(shape))
    with pytest.raises(ValueError) as we:
        getattr(wt.nn, name)(1)(wt.zeros(shape))
    assert str(we.value) == str(te.value)


@pytest.mark.parametrize("ctor,shape", [
    (lambda nn: nn.Upsample(scale_factor=2), (1, 2, 3, 4)),
    (lambda nn: nn.Upsample(size=(5, 9), mode="bilinear"), (2, 3, 4, 6)),
    (lambda nn: nn.Upsample(scale_factor=(1.5, 0.5), mode="bilinear", align_corners=True),
     (1, 2, 5, 8)),
    (lambda nn: nn.Upsample(size=11, mode="linear"), (2, 3, 4)),
    (lambda nn: nn.Upsample(scale_factor=2, mode="trilinear"), (1, 1, 2, 3, 2)),
    (lambda nn: nn.Upsample(size=4, mode="nearest-exact"), (1, 2, 7)),
    (lambda nn: nn.Upsample(scale_factor=0.5, mode="area"), (1, 2, 6, 8)),
    (lambda nn: nn.Upsample(size=(9, 4), mode="bicubic", align_corners=True), (1, 3, 5, 6)),
    (lambda nn: nn.UpsamplingNearest2d(scale_factor=3), (1, 1, 2, 3)),
    (lambda nn: nn.UpsamplingBilinear2d(size=(7, 5)), (1, 2, 3, 4)),
])
def test_upsample_layers(ctor, shape):
    same_module(ctor, rnd(*shape), rtol=3e-6, atol=3e-6)


def _target(*shape, c=4, seed=2):
    return torch.randint(0, c, shape, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("ctor,inputs", [
    (lambda nn: nn.CrossEntropyLoss(), (rnd(5, 4), _target(5))),
    (lambda m: m.nn.CrossEntropyLoss(weight=m.ones(4), ignore_index=2, label_smoothing=0.2,
                                     reduction="sum"), (rnd(3, 4, 2, 2), _target(3, 2, 2))),
    (lambda nn: nn.CrossEntropyLoss(reduction="none"), (rnd(5, 4), rnd(5, 4, seed=3)
                                                        .softmax(1))),
    (lambda m: m.nn.NLLLoss(weight=m.ones(4)), (rnd(5, 4).log_softmax(1), _target(5))),
    (lambda nn: nn.MSELoss(), (rnd(3, 4), rnd(3, 4, seed=2))),
    (lambda nn: nn.L1Loss(reduction="none"), (rnd(3, 4), rnd(3, 4, seed=2))),
    (lambda nn: nn.SmoothL1Loss(beta=0.3), (rnd(3, 4), rnd(3, 4, seed=2))),
    (lambda nn: nn.HuberLoss(delta=0.4, reduction="sum"), (rnd(3, 4), rnd(3, 4, seed=2))),
    (lambda nn: nn.KLDivLoss(reduction="batchmean"), (rnd(3, 4).log_softmax(1),
                                                      rnd(3, 4, seed=2).softmax(1))),
    (lambda m: m.nn.BCELoss(weight=m.ones(4)), (rnd(3, 4).sigmoid(),
                                                rnd(3, 4, seed=2).sigmoid())),
    (lambda m: m.nn.BCEWithLogitsLoss(weight=m.ones(3, 4), pos_weight=m.ones(4)),
     (rnd(3, 4) * 20, rnd(3, 4, seed=2).sigmoid())),
])
def test_loss_modules(ctor, inputs):
    torch.manual_seed(0)
    same_module(ctor, *inputs, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv_padding_modes(mode):
    torch.manual_seed(0)
    same_module(lambda nn: nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode=mode),
                rnd(2, 2, 5, 6), rtol=1e-5, atol=1e-5)
    same_module(lambda nn: nn.Conv1d(2, 2, 4, padding="same", padding_mode=mode),
                rnd(2, 2, 7), rtol=1e-5, atol=1e-5)


def test_deprecated_upsample_warns_and_interpolates():
    x = rnd(1, 2, 3, 4)
    with pytest.warns(UserWarning, match="`nn.functional.upsample` is deprecated"):
        got = F.upsample(to_wt(x), scale_factor=2, mode="bilinear", align_corners=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = TF.upsample(x, scale_factor=2, mode="bilinear", align_corners=True)
    assert_same(got, want, rtol=2e-6, atol=2e-6)


def test_model_code_using_functional_runs_unchanged():
    """A torch-style forward that pads, resizes and scores with F.* gives torch's loss."""
    def forward(torch_like, x, target):
        Fn = torch_like.nn.functional
        h = Fn.pad(x, (1, 1, 1, 1), mode="reflect")
        h = Fn.interpolate(h, scale_factor=0.5, mode="bilinear", align_corners=False)
        logits = h.flatten(1)[:, :4]
        return Fn.cross_entropy(logits, target, label_smoothing=0.05) + \
            Fn.mse_loss(h, Fn.pad(x, (0, 0, 0, 0))[..., :h.shape[-2], :h.shape[-1]])
    x, t = rnd(2, 3, 6, 6), _target(2)
    assert_same(forward(wt, to_wt(x), to_wt(t)), forward(torch, x, t), rtol=1e-5, atol=1e-5)
