"""torch.optim.SGD (torch's single-tensor CPU path, step for step)."""
from .._creation import _scalar, empty_like
from ..ops.optim_steps import sgd_step
from .optimizer import Optimizer, check_lr


class SGD(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _update(self, p, grad, state, group):
        momentum = group["momentum"]
        buf = state.get("momentum_buffer") if momentum else None
        first = bool(momentum) and buf is None
        if first:
            buf = state["momentum_buffer"] = empty_like(p)
        # one fused call per parameter where the device's first backend has the primitive
        sgd_step(p, grad, buf, _scalar(group["lr"]), momentum, group["dampening"],
                 group["weight_decay"], group["nesterov"], group["maximize"], first)
