"""The fused optimizer-step primitive `adam_step` (torch.optim.Adam/AdamW's single-tensor CPU
formula, in place) and its decomposition into ops: the reference backend runs the
decomposition, and so does a device whose first backend lacks the primitive (the WASM backend
has a kernel that updates a whole float32 parameter in one call)."""
import math

from .._dispatch import dispatch, provides


def adam_step(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps,
              weight_decay, step, decoupled, maximize):
    """One Adam/AdamW update of p and its state tensors (max_exp_avg_sq: None unless
    amsgrad); step is the step count after this update."""
    args = (p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps,
            weight_decay, step, decoupled, maximize)
    if provides("adam_step", p.device):
        dispatch("adam_step", *args)
    else:
        decomposed(*args)


def decomposed(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps,
               weight_decay, step, decoupled, maximize):
    if maximize:
        grad = -grad
    if weight_decay:
        if decoupled:
            p.mul_(1 - lr * weight_decay)
        else:
            grad = grad.add(p, alpha=weight_decay)
    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).add_((1 - beta2) * grad * grad)
    step_size = lr / (1 - beta1 ** step)
    bias_correction2_sqrt = math.sqrt(1 - beta2 ** step)
    if max_exp_avg_sq is not None:
        max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq))
        v = max_exp_avg_sq
    else:
        v = exp_avg_sq
    denom = (v.sqrt() / bias_correction2_sqrt).add_(eps)
    p.add_((-step_size * exp_avg) / denom)
    return None
