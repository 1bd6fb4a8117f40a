"""torch.optim.lr_scheduler against torch: the same optimizer settings (two param groups) and
schedulers, stepped 30 times; every get_last_lr(), the optimizer's lr/momentum/betas, and the
final state_dict must equal torch's exactly (the same float arithmetic in the same order).
Also state_dict round trips mid-schedule, step(epoch)'s closed forms, and torch's errors."""
import warnings

import pytest
import torch

import webtensor as wt
from wt_oracle import to_wt  # noqa: F401 - (puts tests/portable on sys.path)
import schedcases  # noqa: E402
from schedcases import CASES, STEPS  # noqa: E402


def _opt(m):
    return schedcases.optimizer(m, "step")


def _S(m):
    return m.optim.lr_scheduler


def _groups(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


def _run(m, name, steps=STEPS):
    opt, scheds = schedcases.make(m, name)
    seen = [([s.get_last_lr() for s in scheds], _groups(opt))]
    for _ in range(steps):
        schedcases.step(opt, scheds)
        seen.append(([list(s.get_last_lr()) for s in scheds], _groups(opt)))
    return opt, scheds, seen


@pytest.mark.parametrize("name", sorted(CASES))
def test_schedule_matches_torch(name):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, tscheds, tseen = _run(torch, name)
    _, wscheds, wseen = _run(wt, name)
    assert len({str(s) for s, _ in tseen}) > 2, "the schedule must change the lr"
    for step, (t, w) in enumerate(zip(tseen, wseen)):
        assert w == t, f"{name} step {step}"
    for t, w in zip(tscheds, wscheds):
        assert _comparable(w.state_dict()) == _comparable(t.state_dict())


def _comparable(sd):
    return {k: (_comparable(v) if isinstance(v, dict) else
                [_comparable(x) if isinstance(x, dict) else x for x in v]
                if isinstance(v, list) else v) for k, v in sd.items()}


@pytest.mark.parametrize("name", ["cosine", "lambda", "onecycle_three_phase", "sequential",
                                  "multistep"])
def test_state_dict_round_trip_mid_schedule(name):
    """Stop after 11 steps, load the scheduler and optimizer state into fresh ones, go on:
    the rest of the schedule as torch's uninterrupted one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, tseen = _run(torch, name)
    opt, scheds, _ = _run(wt, name, steps=11)
    osd, ssd = opt.state_dict(), [s.state_dict() for s in scheds]
    opt2, scheds2 = schedcases.make(wt, name)
    opt2.load_state_dict(osd)
    for s, sd in zip(scheds2, ssd):
        s.load_state_dict(sd)
    assert [s.get_last_lr() for s in scheds2] == tseen[11][0]
    for step in range(12, STEPS + 1):
        schedcases.step(opt2, scheds2)
        assert [s.get_last_lr() for s in scheds2] == tseen[step][0], f"{name} step {step}"


@pytest.mark.parametrize("cls,kw", [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5])),
    ("ExponentialLR", dict(gamma=0.7)),
    ("CosineAnnealingLR", dict(T_max=5, eta_min=0.001)),
    ("LinearLR", dict(start_factor=0.5, total_iters=4)),
])
def test_step_with_epoch_uses_closed_form(cls, kw):
    out = []
    for m in (torch, wt):
        opt = _opt(m)
        s = getattr(_S(m), cls)(opt, **kw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out.append([s.step(e) or list(s.get_last_lr()) for e in (3, 7, 1, 12, 0)])
    assert out[1] == out[0]


def test_resume_with_last_epoch():
    got = []
    for m in (torch, wt):
        opt = _opt(m)
        for g in opt.param_groups:
            g["initial_lr"] = g["lr"] * 2
        s = _S(m).CosineAnnealingLR(opt, T_max=10, last_epoch=4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got.append([list(s.get_last_lr())] + [s.step() or list(s.get_last_lr())
                                                  for _ in range(5)])
    assert got[1] == got[0]


@pytest.mark.parametrize("make", [
    lambda m, o: _S(m).StepLR(object(), 3),
    lambda m, o: _S(m).StepLR(o, 3, last_epoch=2),
    lambda m, o: _S(m).LinearLR(o, start_factor=0),
    lambda m, o: _S(m).LinearLR(o, end_factor=1.5),
    lambda m, o: _S(m).LambdaLR(o, [lambda e: 1.0]),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=1.0),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=1.0, total_steps=0),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=1.0, epochs=2, steps_per_epoch=0),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=1.0, total_steps=5, pct_start=1),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=1.0, total_steps=5, anneal_strategy="exp"),
    lambda m, o: _S(m).OneCycleLR(o, max_lr=[1.0], total_steps=5),
    lambda m, o: _S(m).OneCycleLR(m.optim.Adagrad(o.param_groups[0]["params"]), max_lr=1.0,
                                  total_steps=5),
    lambda m, o: [s.step() for s in [_S(m).OneCycleLR(o, max_lr=1.0, total_steps=2)] * 3],
    lambda m, o: _S(m).SequentialLR(o, [], milestones=[]),
    lambda m, o: _S(m).SequentialLR(o, [_S(m).StepLR(o, 2)], milestones=[3]),
])
def test_argument_errors_match_torch(make):
    errs = []
    for m in (torch, wt):
        with pytest.raises(Exception) as e, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            make(m, _opt(m))
        errs.append(e.value)
    assert type(errs[1]) is type(errs[0])
    assert str(errs[1]) == str(errs[0])
