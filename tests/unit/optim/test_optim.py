"""torch.optim (SGD, Adam, AdamW) and nn.utils gradient clipping against torch: the same MLP,
initial weights and batches; parameters after several steps, state_dict layout and round
trip, zero_grad, and torch's errors."""
import pytest
import torch

import webtensor as wt
from wt_oracle import to_wt

CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.02, weight_decay=0.3, amsgrad=True, eps=1e-6)),
]


def _mlp(m):
    m.manual_seed(0)
    return m.nn.Sequential(m.nn.Linear(4, 8), m.nn.Tanh(), m.nn.Linear(8, 3))


def _pair():
    tm = _mlp(torch)
    wm = _mlp(wt)
    wm.load_state_dict({k: to_wt(v) for k, v in tm.state_dict().items()})
    return tm, wm


def _batches():
    g = torch.Generator().manual_seed(1)
    return [(torch.randn(5, 4, generator=g), torch.randint(0, 3, (5,), generator=g))
            for _ in range(6)]


def _train(m, model, opt, batches, clip=None):
    for x, y in batches:
        if m is wt:
            x, y = to_wt(x), to_wt(y)
        opt.zero_grad()
        loss = m.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        if clip:
            m.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
    return loss


def train_both(name, kw):
    """Optimizer `name`(**kw) on the same MLP and batches in torch and webtensor; the
    parameters after training must match. -> (torch optimizer, webtensor optimizer)."""
    tm, wm = _pair()
    topt = getattr(torch.optim, name)(tm.parameters(), **kw)
    wopt = getattr(wt.optim, name)(wm.parameters(), **kw)
    batches = _batches()
    _train(torch, tm, topt, batches)
    _train(wt, wm, wopt, batches)
    for (k, tp), wp in zip(tm.named_parameters(), wm.parameters()):
        torch.testing.assert_close(torch.tensor(wp.tolist(), dtype=tp.dtype), tp.detach(),
                                   rtol=1e-5, atol=1e-6, msg=lambda s: f"{name} {kw} {k}: {s}")
    return topt, wopt


@pytest.mark.parametrize("name,kw", CONFIGS)
def test_optimizer_steps_match_torch(name, kw):
    topt, wopt = train_both(name, kw)
    ts, ws = topt.state_dict(), wopt.state_dict()
    assert ws["param_groups"] == [dict(g) for g in ts["param_groups"]] or \
        [sorted(g) for g in ws["param_groups"]] == [sorted(g) for g in ts["param_groups"]]
    assert sorted(ws["state"]) == sorted(ts["state"])
    for i in ts["state"]:
        assert sorted(ws["state"][i]) == sorted(ts["state"][i])
        for key, tv in ts["state"][i].items():
            if isinstance(tv, torch.Tensor):
                torch.testing.assert_close(torch.tensor(ws["state"][i][key].tolist(),
                                                        dtype=tv.dtype), tv, rtol=1e-5,
                                           atol=1e-6)


def test_state_dict_round_trip_and_param_groups():
    tm, wm = _pair()
    wopt = wt.optim.Adam([{"params": wm[0].parameters()},
                          {"params": wm[2].parameters(), "lr": 0.5}], lr=0.01)
    assert [g["lr"] for g in wopt.param_groups] == [0.01, 0.5]
    batches = _batches()
    _train(wt, wm, wopt, batches[:3])
    sd = wopt.state_dict()
    tm2, wm2 = _pair()
    wm2.load_state_dict(wm.state_dict())
    wopt2 = wt.optim.Adam([{"params": wm2[0].parameters()},
                           {"params": wm2[2].parameters(), "lr": 0.5}], lr=0.01)
    wopt2.load_state_dict(sd)
    _train(wt, wm, wopt, batches[3:])
    _train(wt, wm2, wopt2, batches[3:])
    for a, b in zip(wm.parameters(), wm2.parameters()):
        assert a.tolist() == b.tolist()
    # torch reads webtensor's layout (tensors converted) and continues identically
    topt = torch.optim.Adam([{"params": tm[0].parameters()},
                             {"params": tm[2].parameters(), "lr": 0.5}], lr=0.01)
    assert [sorted(g) for g in sd["param_groups"]] == \
        [sorted(g) for g in topt.state_dict()["param_groups"]]


def test_zero_grad_and_clip_grad():
    tm, wm = _pair()
    x = torch.randn(3, 4)
    for m, model in ((torch, tm), (wt, wm)):
        out = model(x if m is torch else to_wt(x)).pow(2).sum() * 10
        out.backward()
    tn = torch.nn.utils.clip_grad_norm_(tm.parameters(), 0.5)
    wn = wt.nn.utils.clip_grad_norm_(wm.parameters(), 0.5)
    assert wn.item() == pytest.approx(tn.item(), rel=1e-5)
    for tp, wp in zip(tm.parameters(), wm.parameters()):
        torch.testing.assert_close(torch.tensor(wp.grad.tolist()), tp.grad, rtol=1e-5,
                                   atol=1e-6)
    torch.nn.utils.clip_grad_value_(tm.parameters(), 0.01)
    wt.nn.utils.clip_grad_value_(wm.parameters(), 0.01)
    for tp, wp in zip(tm.parameters(), wm.parameters()):
        torch.testing.assert_close(torch.tensor(wp.grad.tolist()), tp.grad, rtol=1e-5,
                                   atol=1e-7)
    ti = torch.nn.utils.clip_grad_norm_(tm.parameters(), 1.0, norm_type="inf")
    wi = wt.nn.utils.clip_grad_norm_(wm.parameters(), 1.0, norm_type="inf")
    assert wi.item() == pytest.approx(ti.item(), rel=1e-6)
    opt = wt.optim.SGD(wm.parameters(), lr=0.1)
    opt.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.abs().sum().item() for p in wm.parameters())
    opt.zero_grad()
    assert all(p.grad is None for p in wm.parameters())


@pytest.mark.parametrize("make", [
    lambda m, ps: m.optim.SGD(ps, lr=-1),
    lambda m, ps: m.optim.SGD(ps, lr=0.1, nesterov=True),
    lambda m, ps: m.optim.Adam(ps, betas=(1.0, 0.9)),
    lambda m, ps: m.optim.AdamW(ps, eps=-1),
    lambda m, ps: m.optim.SGD([], lr=0.1),
    lambda m, ps: m.optim.SGD(ps[0], lr=0.1),
])
def test_optimizer_argument_errors_match_torch(make):
    errs = []
    for m in (torch, wt):
        ps = [m.ones(2, requires_grad=True)]
        with pytest.raises(Exception) as e:
            make(m, ps)
        errs.append(e.value)
    assert type(errs[0]) is type(errs[1])
    assert str(errs[1]) == str(errs[0]).replace("torch.", "webtensor.")


def _cnn(m):
    # no bias before batch norm: its gradient is 0 up to rounding, which Adam would amplify
    m.manual_seed(0)
    nn = m.nn
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, groups=2, bias=False), nn.BatchNorm2d(6), nn.GELU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.0),
                         nn.Linear(6, 10), nn.LayerNorm(10))


def test_cnn_training_steps_match_torch():
    """A digits-shaped CNN (conv, pools, batch norm, layer norm) trained 4 Adam steps with
    clipping: every loss and the final weights as torch's."""
    tm, wm = _cnn(torch), _cnn(wt)
    wm.load_state_dict({k: to_wt(v) for k, v in tm.state_dict().items()})
    g = torch.Generator().manual_seed(3)
    batches = [(torch.randn(6, 1, 8, 8, generator=g), torch.randint(0, 10, (6,), generator=g))
               for _ in range(4)]
    topt = torch.optim.Adam(tm.parameters(), lr=0.01)
    wopt = wt.optim.Adam(wm.parameters(), lr=0.01)
    losses = []
    for m, model, opt in ((torch, tm, topt), (wt, wm, wopt)):
        model.train()
        run = []
        for x, y in batches:
            opt.zero_grad()
            xs, ys = (x, y) if m is torch else (to_wt(x), to_wt(y))
            loss = m.nn.functional.cross_entropy(model(xs), ys)
            loss.backward()
            m.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            run.append(loss.item())
        losses.append(run)
    assert losses[1] == pytest.approx(losses[0], rel=1e-4)
    for (k, tp), wp in zip(tm.state_dict().items(), wm.state_dict().values()):
        torch.testing.assert_close(torch.tensor(wp.tolist(), dtype=tp.dtype), tp, rtol=1e-4,
                                   atol=1e-5, msg=lambda s: f"{k}: {s}")
