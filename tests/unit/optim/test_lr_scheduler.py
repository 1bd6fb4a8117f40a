"""torch.optim.lr_scheduler against torch: the same optimizer settings (two param groups) and
schedulers, stepped 30 times; every get_last_lr(), the optimizer's lr/momentum/betas, and the
final state_dict must equal torch's exactly (the same float arithmetic in the same order).
Also state_dict round trips mid-schedule, step(epoch)'s closed forms, and torch's errors."""
import warnings

import pytest
import torch

import webtensor as wt

STEPS = 30


class Halving:
    """A callable object: LambdaLR saves its __dict__ in state_dict (torch)."""

    def __init__(self, every):
        self.every = every

    def __call__(self, epoch):
        return 0.5 ** (epoch // self.every)


def _opt(m, kind="sgd"):
    a, b = m.ones(2, requires_grad=True), m.ones(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.3}]
    if kind == "adam":
        return m.optim.Adam(groups, lr=0.1, betas=(0.9, 0.98))
    return m.optim.SGD(groups, lr=0.1, momentum=0.9)


def _S(m):
    return m.optim.lr_scheduler


SCHEDULES = {
    "step": lambda m, o: [_S(m).StepLR(o, step_size=4, gamma=0.5)],
    "multistep": lambda m, o: [_S(m).MultiStepLR(o, milestones=[3, 10, 10, 22], gamma=0.3)],
    "exponential": lambda m, o: [_S(m).ExponentialLR(o, gamma=0.9)],
    "cosine": lambda m, o: [_S(m).CosineAnnealingLR(o, T_max=7, eta_min=0.01)],
    "lambda": lambda m, o: [_S(m).LambdaLR(o, [lambda e: 0.95 ** e, Halving(6)])],
    "linear": lambda m, o: [_S(m).LinearLR(o, start_factor=0.25, end_factor=0.9,
                                           total_iters=8)],
    "linear_default": lambda m, o: [_S(m).LinearLR(o)],
    "onecycle_cos": lambda m, o: [_S(m).OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=STEPS)],
    "onecycle_linear": lambda m, o: [_S(m).OneCycleLR(
        o, max_lr=0.5, epochs=3, steps_per_epoch=10, pct_start=0.25,
        anneal_strategy="linear", base_momentum=0.8, max_momentum=[0.9, 0.95])],
    "onecycle_three_phase": lambda m, o: [_S(m).OneCycleLR(
        o, max_lr=1.0, total_steps=STEPS + 2, three_phase=True, div_factor=10.0,
        final_div_factor=100.0)],
    "onecycle_no_momentum": lambda m, o: [_S(m).OneCycleLR(
        o, max_lr=1.0, total_steps=STEPS, cycle_momentum=False, anneal_strategy="linear")],
    "sequential": lambda m, o: [_S(m).SequentialLR(o, [
        _S(m).LinearLR(o, start_factor=0.1, total_iters=5), _S(m).ExponentialLR(o, gamma=0.8),
        _S(m).CosineAnnealingLR(o, T_max=6)], milestones=[5, 12])],
    "sequential_step": lambda m, o: [_S(m).SequentialLR(o, [
        _S(m).StepLR(o, 3, 0.5),
        _S(m).MultiStepLR(o, [2, 4])], milestones=[9])],
    # chaining: two schedulers stepping one optimizer compose their factors (torch)
    "chained": lambda m, o: [_S(m).ExponentialLR(o, gamma=0.9),
                             _S(m).MultiStepLR(o, milestones=[4, 9], gamma=0.1)],
}
ADAM = {"onecycle_cos", "onecycle_three_phase"}     # betas[0] is cycled instead of momentum


def _groups(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


def _run(m, name, steps=STEPS):
    opt = _opt(m, "adam" if name in ADAM else "sgd")
    scheds = SCHEDULES[name](m, opt)
    seen = [([s.get_last_lr() for s in scheds], _groups(opt))]
    for _ in range(steps):
        opt.step()
        for s in scheds:
            s.step()
        seen.append(([list(s.get_last_lr()) for s in scheds], _groups(opt)))
    return opt, scheds, seen


@pytest.mark.parametrize("name", sorted(SCHEDULES))
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
    opt2 = _opt(wt, "adam" if name in ADAM else "sgd")
    scheds2 = SCHEDULES[name](wt, opt2)
    opt2.load_state_dict(osd)
    for s, sd in zip(scheds2, ssd):
        s.load_state_dict(sd)
    assert [s.get_last_lr() for s in scheds2] == tseen[11][0]
    for step in range(12, STEPS + 1):
        opt2.step()
        for s in scheds2:
            s.step()
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
