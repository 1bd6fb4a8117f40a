"""Loss modules and Upsample against torch: each module calls its nn.functional function
(from the op table) with its stored options; weight / pos_weight are buffers like torch."""
import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, to_wt

TOL = dict(rtol=1e-5, atol=1e-5)


def rnd(*shape, seed=1):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


LOGITS, CLASSES = rnd(4, 5), torch.tensor([1, 0, 4, 2])
PROBS, BINARY = torch.sigmoid(rnd(4, 3, seed=2)), (rnd(4, 3, seed=3) > 0).float()
W5, W3 = rnd(5, seed=4).abs() + 0.1, rnd(3, seed=5).abs() + 0.1


@pytest.mark.parametrize("name,kwargs,inputs", [
    ("CrossEntropyLoss", {}, (LOGITS, CLASSES)),
    ("CrossEntropyLoss", {"weight": W5, "ignore_index": 2, "reduction": "sum"},
     (LOGITS, CLASSES)),
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "reduction": "none"}, (LOGITS, CLASSES)),
    ("NLLLoss", {}, (LOGITS.log_softmax(-1), CLASSES)),
    ("NLLLoss", {"weight": W5}, (LOGITS.log_softmax(-1), CLASSES)),
    ("MSELoss", {}, (PROBS, BINARY)), ("MSELoss", {"reduction": "none"}, (PROBS, BINARY)),
    ("L1Loss", {"reduction": "sum"}, (PROBS, BINARY)),
    ("BCELoss", {}, (PROBS, BINARY)), ("BCELoss", {"weight": W3}, (PROBS, BINARY)),
    ("BCEWithLogitsLoss", {"pos_weight": W3}, (rnd(4, 3), BINARY)),
    ("SmoothL1Loss", {"beta": 0.5}, (PROBS * 3, BINARY)),
    ("HuberLoss", {"delta": 0.5}, (PROBS * 3, BINARY)),
    ("HuberLoss", {"reduction": "none"}, (PROBS * 3, BINARY)),
    ("KLDivLoss", {"reduction": "batchmean"}, (LOGITS.log_softmax(-1), LOGITS.softmax(-1))),
    ("KLDivLoss", {"log_target": True, "reduction": "sum"},
     (LOGITS.log_softmax(-1), rnd(4, 5).log_softmax(-1))),
    ("MSELoss", {"size_average": False}, (PROBS, BINARY)),
])
def test_loss_modules(name, kwargs, inputs):
    t = getattr(torch.nn, name)(**kwargs)
    w = getattr(wt.nn, name)(**{k: to_wt(v) if isinstance(v, torch.Tensor) else v
                                for k, v in kwargs.items()})
    assert repr(w) == repr(t)
    assert list(w.state_dict()) == list(t.state_dict())
    assert w.reduction == t.reduction
    assert_same(w(*[to_wt(x) for x in inputs]), t(*inputs), **TOL)


@pytest.mark.parametrize("kwargs,shape", [
    ({"scale_factor": 2}, (1, 2, 3, 4)), ({"size": (5, 7), "mode": "bilinear"}, (2, 1, 3, 4)),
    ({"scale_factor": 1.5, "mode": "bilinear", "align_corners": True}, (1, 2, 4, 4)),
])
def test_upsample(kwargs, shape):
    t, w = torch.nn.Upsample(**kwargs), wt.nn.Upsample(**kwargs)
    assert repr(w) == repr(t)
    x = rnd(*shape)
    assert_same(w(to_wt(x)), t(x), **TOL)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_conv_padding_modes(mode):
    torch.manual_seed(0)
    t = torch.nn.Conv2d(2, 3, 3, padding=1, padding_mode=mode)
    w = wt.nn.Conv2d(2, 3, 3, padding=1, padding_mode=mode)
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    assert repr(w) == repr(t)
    x = rnd(1, 2, 5, 6)
    assert_same(w(to_wt(x)), t(x).detach(), rtol=1e-4, atol=1e-5)
    t1 = torch.nn.Conv1d(2, 2, 3, padding="same", padding_mode=mode)
    w1 = wt.nn.Conv1d(2, 2, 3, padding="same", padding_mode=mode)
    w1.load_state_dict({k: to_wt(v) for k, v in t1.state_dict().items()})
    x1 = rnd(2, 2, 7)
    assert_same(w1(to_wt(x1)), t1(x1).detach(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("ctor,shape", [
    ("ZeroPad2d(1)", (1, 2, 3, 4)), ("ZeroPad2d((1, 0, 2, 1))", (2, 3, 3)),
    ("ConstantPad1d((1, 2), 3.5)", (2, 3, 4)), ("ConstantPad2d(2, -1.0)", (1, 1, 2, 2)),
    ("ReflectionPad1d(2)", (1, 2, 5)), ("ReflectionPad2d((1, 0, 2, 1))", (1, 2, 4, 4)),
    ("ReplicationPad1d((0, 3))", (2, 2, 3)), ("ReplicationPad2d(1)", (1, 2, 3, 3)),
    ("CircularPad1d(1)", (1, 2, 4)), ("CircularPad2d((1, 1, 0, 2))", (1, 1, 3, 3)),
    ("ZeroPad1d(2)", (2, 3)),
])
def test_padding_layers(ctor, shape):
    t = eval("nn." + ctor, {"nn": torch.nn})
    w = eval("nn." + ctor, {"nn": wt.nn})
    assert repr(w) == repr(t)
    x = rnd(*shape)
    assert_same(w(to_wt(x)), t(x), **TOL)
