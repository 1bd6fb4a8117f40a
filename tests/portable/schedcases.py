"""Learning-rate schedule cases: name -> fn(m, optimizer) -> schedulers, on an optimizer of two
param groups. Stdlib only: tests/unit/optim/test_lr_scheduler.py runs them against torch on
CPython, scripts/make_golden_sched.py stores torch's traces in tests/golden/sched.json and
tests/portable/test_portable_sched.py replays them (CPython, Pyodide). `m` is torch or
webtensor."""

STEPS = 30


class Halving:
    """A callable object: LambdaLR saves its __dict__ in state_dict (torch)."""

    def __init__(self, every):
        self.every = every

    def __call__(self, epoch):
        return 0.5 ** (epoch // self.every)


def _S(m):
    return m.optim.lr_scheduler


CASES = {
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
        _S(m).StepLR(o, 3, 0.5), _S(m).MultiStepLR(o, [2, 4])], milestones=[9])],
    # chaining: two schedulers stepping one optimizer compose their factors (torch)
    "chained": lambda m, o: [_S(m).ExponentialLR(o, gamma=0.9),
                             _S(m).MultiStepLR(o, milestones=[4, 9], gamma=0.1)],
}
ADAM = {"onecycle_cos", "onecycle_three_phase"}     # betas[0] is cycled instead of momentum


def optimizer(m, name):
    a, b = m.ones(2, requires_grad=True), m.ones(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.3}]
    if name in ADAM:
        return m.optim.Adam(groups, lr=0.1, betas=(0.9, 0.98))
    return m.optim.SGD(groups, lr=0.1, momentum=0.9)


def make(m, name):
    opt = optimizer(m, name)
    return opt, CASES[name](m, opt)


def step(opt, scheds):
    opt.step()               # no gradients: only keeps torch's step-order warning quiet
    for s in scheds:
        s.step()


def trace(m, name, steps=STEPS):
    """Per step (the initial one first): every scheduler's get_last_lr() and each group's
    momentum (SGD) or beta1 (Adam), as plain floats."""
    opt, scheds = make(m, name)
    out = []
    for i in range(steps + 1):
        if i:
            step(opt, scheds)
        out.append([[float(v) for s in scheds for v in s.get_last_lr()],
                    [float(g["betas"][0] if "betas" in g else g["momentum"])
                     for g in opt.param_groups]])
    return out
