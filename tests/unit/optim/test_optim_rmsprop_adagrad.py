"""torch.optim.RMSprop and Adagrad against torch: the same MLP, weights and batches; parameters
and optimizer state after several steps, state_dict in torch's layout and its round trip, and
torch's argument errors."""
import pytest
import torch

import webtensor as wt
from test_optim import _batches, _pair, _train, train_both
from wt_oracle import to_wt

CONFIGS = [
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8)),
    ("RMSprop", dict(lr=0.005, centered=True, momentum=0.5, maximize=True)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2,
                     eps=1e-6)),
    ("Adagrad", dict(lr=0.05, maximize=True)),
]


def _as_torch(v, like):
    return torch.tensor(v.tolist(), dtype=like.dtype)


def _assert_state_matches(ws, ts):
    assert [sorted(g) for g in ws["param_groups"]] == [sorted(g) for g in ts["param_groups"]]
    for wg, tg in zip(ws["param_groups"], ts["param_groups"]):
        assert wg == dict(tg)
    assert sorted(ws["state"]) == sorted(ts["state"])
    for i, tstate in ts["state"].items():
        assert sorted(ws["state"][i]) == sorted(tstate)
        for key, tv in tstate.items():
            torch.testing.assert_close(_as_torch(ws["state"][i][key], tv), tv, rtol=1e-5,
                                       atol=1e-6, msg=lambda s: f"state {i} {key}: {s}")


@pytest.mark.parametrize("name,kw", CONFIGS)
def test_steps_and_state_match_torch(name, kw):
    topt, wopt = train_both(name, kw)
    _assert_state_matches(wopt.state_dict(), topt.state_dict())


@pytest.mark.parametrize("name,kw", [CONFIGS[1], CONFIGS[2], CONFIGS[5]])
def test_state_dict_round_trip_both_ways(name, kw):
    """Train 3 steps, hand the state to a fresh optimizer (webtensor's to webtensor, torch's
    to webtensor), train 3 more: the same parameters as uninterrupted torch training."""
    batches = _batches()
    tm, wm = _pair()
    topt = getattr(torch.optim, name)(tm.parameters(), **kw)
    wopt = getattr(wt.optim, name)(wm.parameters(), **kw)
    _train(torch, tm, topt, batches[:3])
    _train(wt, wm, wopt, batches[:3])
    tsd = topt.state_dict()
    from_torch = {"state": {i: {k: to_wt(v) for k, v in s.items()}
                            for i, s in tsd["state"].items()},
                  "param_groups": tsd["param_groups"]}
    resumed = []
    for sd in (wopt.state_dict(), from_torch):
        wm2 = _pair()[1]
        wm2.load_state_dict(wm.state_dict())
        opt2 = getattr(wt.optim, name)(wm2.parameters(), lr=123.0)   # lr comes from the dict
        opt2.load_state_dict(sd)
        _train(wt, wm2, opt2, batches[3:])
        resumed.append(wm2)
    _train(torch, tm, topt, batches[3:])
    for wm2 in resumed:
        for tp, wp in zip(tm.parameters(), wm2.parameters()):
            torch.testing.assert_close(_as_torch(wp, tp), tp.detach(), rtol=1e-5, atol=1e-6)


def test_adagrad_keeps_state_for_params_without_grad():
    """Adagrad builds state for every parameter up front (torch), even unused ones."""
    for m in (torch, wt):
        a, b = m.ones(2, requires_grad=True), m.ones(3, requires_grad=True)
        opt = m.optim.Adagrad([a, b], lr=0.1, initial_accumulator_value=0.5)
        (a * a).sum().backward()
        opt.step()
        sd = opt.state_dict()["state"]
        assert sorted(sd) == [0, 1]
        assert sd[1]["step"].item() == 0.0 and sd[1]["sum"].tolist() == [0.5] * 3
        assert sd[0]["step"].item() == 1.0


@pytest.mark.parametrize("make", [
    lambda m, ps: m.optim.RMSprop(ps, lr=-0.1),
    lambda m, ps: m.optim.RMSprop(ps, eps=-1),
    lambda m, ps: m.optim.RMSprop(ps, momentum=-0.5),
    lambda m, ps: m.optim.RMSprop(ps, weight_decay=-1),
    lambda m, ps: m.optim.RMSprop(ps, alpha=-0.9),
    lambda m, ps: m.optim.Adagrad(ps, lr=-1),
    lambda m, ps: m.optim.Adagrad(ps, lr_decay=-1),
    lambda m, ps: m.optim.Adagrad(ps, weight_decay=-1),
    lambda m, ps: m.optim.Adagrad(ps, initial_accumulator_value=-1),
    lambda m, ps: m.optim.Adagrad(ps, eps=-1),
    lambda m, ps: m.optim.Adagrad([], lr=0.1),
])
def test_argument_errors_match_torch(make):
    errs = []
    for m in (torch, wt):
        with pytest.raises(Exception) as e:
            make(m, [m.ones(2, requires_grad=True)])
        errs.append(e.value)
    assert type(errs[1]) is type(errs[0])
    assert str(errs[1]) == str(errs[0])
