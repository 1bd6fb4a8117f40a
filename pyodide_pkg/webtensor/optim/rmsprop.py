"""torch.optim.RMSprop (torch's single-tensor CPU path, step for step)."""
from .. import _dtype as D
from .._creation import _scalar, tensor, zeros_like
from ..ops.optim_steps import rmsprop_step
from .optimizer import Optimizer, check_lr


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        check_lr(lr)
        for name, v in (("epsilon", eps), ("momentum", momentum),
                        ("weight_decay", weight_decay), ("alpha", alpha)):
            if not 0.0 <= v:
                raise ValueError(f"Invalid {name} value: {v}")
        super().__init__(params, dict(
            lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
            weight_decay=weight_decay, capturable=capturable, foreach=foreach,
            maximize=maximize, differentiable=differentiable))

    def _update(self, p, grad, state, group):
        momentum, alpha = group["momentum"], group["alpha"]
        if not state:
            state["step"] = tensor(0.0, dtype=D.float32)
            state["square_avg"] = zeros_like(p)
            if momentum > 0:
                state["momentum_buffer"] = zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = zeros_like(p)
        state["step"].add_(1)
        # one fused call per parameter where the device's first backend has the primitive
        rmsprop_step(p, grad, state["square_avg"], state.get("grad_avg"),
                     state.get("momentum_buffer") if momentum > 0 else None,
                     _scalar(group["lr"]), alpha, group["eps"], group["weight_decay"], momentum,
                     group["maximize"])
