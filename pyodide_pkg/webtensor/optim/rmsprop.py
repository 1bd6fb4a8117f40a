"""torch.optim.RMSprop (torch's single-tensor CPU path, step for step)."""
from .. import _dtype as D
from .._creation import _scalar, tensor, zeros_like
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
        if group["maximize"]:
            grad = -grad
        state["step"].add_(1)
        if group["weight_decay"]:
            grad = grad.add(p, alpha=group["weight_decay"])
        square_avg = state["square_avg"]
        square_avg.mul_(alpha).add_((1 - alpha) * grad * grad)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg.lerp_(grad, 1 - alpha)
            avg = (square_avg - grad_avg * grad_avg).sqrt()
        else:
            avg = square_avg.sqrt()
        avg = avg.add_(group["eps"])
        lr = _scalar(group["lr"])
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf.mul_(momentum).add_(grad / avg)
            p.add_(buf, alpha=-lr)
        else:
            p.add_((-lr * grad) / avg)
