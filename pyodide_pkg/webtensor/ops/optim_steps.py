"""The fused optimizer-step primitives `adam_step`, `sgd_step`, `rmsprop_step`, `adagrad_step`
(torch.optim's single-tensor CPU formulas, in place) and their decompositions into ops: the reference backend runs the
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


def _run(name, fn, args):
    if provides(name, args[0].device):
        dispatch(name, *args)
    else:
        fn(*args)


def _grad_in(p, grad, weight_decay, maximize):
    if maximize:
        grad = -grad
    return grad.add(p, alpha=weight_decay) if weight_decay else grad


def sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, maximize, first):
    """One SGD update of p (and of its momentum buffer buf, None without momentum); first:
    buf is new (it takes the gradient)."""
    _run("sgd_step", sgd_decomposed, (p, grad, buf, lr, momentum, dampening, weight_decay,
                                      nesterov, maximize, first))


def sgd_decomposed(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, maximize,
                   first):
    d_p = _grad_in(p, grad, weight_decay, maximize)
    if buf is not None:
        if first:
            buf.copy_(d_p)
        else:
            buf.mul_(momentum).add_(d_p, alpha=1 - dampening)
        d_p = d_p.add(buf, alpha=momentum) if nesterov else buf
    p.add_(d_p, alpha=-lr)


def rmsprop_step(p, grad, square_avg, grad_avg, buf, lr, alpha, eps, weight_decay, momentum,
                 maximize):
    """One RMSprop update (grad_avg: None unless centered; buf: None unless momentum > 0)."""
    _run("rmsprop_step", rmsprop_decomposed, (p, grad, square_avg, grad_avg, buf, lr, alpha,
                                              eps, weight_decay, momentum, maximize))


def rmsprop_decomposed(p, grad, square_avg, grad_avg, buf, lr, alpha, eps, weight_decay,
                       momentum, maximize):
    grad = _grad_in(p, grad, weight_decay, maximize)
    square_avg.mul_(alpha).add_((1 - alpha) * grad * grad)
    if grad_avg is not None:
        grad_avg.lerp_(grad, 1 - alpha)
        avg = (square_avg - grad_avg * grad_avg).sqrt()
    else:
        avg = square_avg.sqrt()
    avg = avg.add_(eps)
    if buf is not None:
        buf.mul_(momentum).add_(grad / avg)
        p.add_(buf, alpha=-lr)
    else:
        p.add_((-lr * grad) / avg)


def adagrad_step(p, grad, state_sum, clr, eps, weight_decay, maximize):
    """One Adagrad update with the decayed learning rate clr."""
    _run("adagrad_step", adagrad_decomposed, (p, grad, state_sum, clr, eps, weight_decay,
                                              maximize))


def adagrad_decomposed(p, grad, state_sum, clr, eps, weight_decay, maximize):
    grad = _grad_in(p, grad, weight_decay, maximize)
    state_sum.add_(grad * grad)
    std = state_sum.sqrt().add_(eps)
    p.add_((-clr * grad) / std)


# the reference backend's implementations
REFERENCE = {"adam_step": decomposed, "sgd_step": sgd_decomposed,
             "rmsprop_step": rmsprop_decomposed, "adagrad_step": adagrad_decomposed}
