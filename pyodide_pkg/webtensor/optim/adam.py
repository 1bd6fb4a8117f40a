"""torch.optim.Adam and AdamW (torch's single-tensor CPU path, step for step)."""
from .. import _dtype as D
from .._creation import tensor, zeros
from ..ops.optim_steps import adam_step
from .optimizer import Optimizer, check_lr


class Adam(Optimizer):
    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        check_lr(lr)
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for i in (0, 1):
            if not 0.0 <= betas[i] < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        super().__init__(params, dict(
            lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
            maximize=maximize, foreach=foreach, capturable=capturable,
            differentiable=differentiable, fused=fused,
            decoupled_weight_decay=decoupled_weight_decay or self._decoupled))

    def _update(self, p, grad, state, group):
        if not state:
            state["step"] = tensor(0.0, dtype=D.float32)
            state["exp_avg"] = zeros(p.shape, dtype=p.dtype, device=p.device)
            state["exp_avg_sq"] = zeros(p.shape, dtype=p.dtype, device=p.device)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros(p.shape, dtype=p.dtype, device=p.device)
        beta1, beta2 = group["betas"]
        state["step"].add_(1)
        # one fused call per parameter where the device's first backend has the primitive
        adam_step(p, grad, state["exp_avg"], state["exp_avg_sq"], state.get("max_exp_avg_sq"),
                  group["lr"], beta1, beta2, group["eps"], group["weight_decay"],
                  state["step"].item(), group["decoupled_weight_decay"], group["maximize"])


class AdamW(Adam):
    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused)
