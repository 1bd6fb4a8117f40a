"""torch.optim.Adagrad (torch's single-tensor CPU path, step for step). Like torch, every
parameter gets its state ("step", "sum") when the optimizer is built."""
from .. import _dtype as D
from .._creation import _scalar, full_like, tensor
from ..ops.optim_steps import adagrad_step
from .optimizer import Optimizer, check_lr


class Adagrad(Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        check_lr(lr)
        for name, v in (("lr_decay", lr_decay), ("weight_decay", weight_decay),
                        ("initial_accumulator_value", initial_accumulator_value),
                        ("epsilon", eps)):
            if not 0.0 <= v:
                raise ValueError(f"Invalid {name} value: {v}")
        super().__init__(params, dict(
            lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value, foreach=foreach,
            maximize=maximize, differentiable=differentiable, fused=fused))
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"step": tensor(0.0, dtype=D.float32),
                                 "sum": full_like(p, initial_accumulator_value)}

    def _update(self, p, grad, state, group):
        state["step"].add_(1)
        step = state["step"].item()
        lr = _scalar(group["lr"])
        # one fused call per parameter where the device's first backend has the primitive
        adagrad_step(p, grad, state["sum"], lr / (1 + (step - 1) * group["lr_decay"]),
                     group["eps"], group["weight_decay"], group["maximize"])
