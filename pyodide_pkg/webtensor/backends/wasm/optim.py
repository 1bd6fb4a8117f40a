"""Fused optimizer steps on the WASM kernels (wasm_kernels/f32-optim): adam_step, sgd_step,
rmsprop_step, adagrad_step update a contiguous float32 parameter, its gradient and state in one
call; anything else (other dtypes,
strided tensors) returns NotImplemented and the reference backend runs the decomposition."""
import math

from ... import _dtype as D
from . import kernel_table as KT
from .views import fits_i32, region

AMSGRAD, MAXIMIZE = 1, 2
NESTEROV, HAS_MOMENTUM, FIRST, CENTERED = 4, 8, 16, 32   # f32_optim_steps_wasmsimd.c


def _fits(p, *ts):
    """p and the given tensors (None: absent) all contiguous float32 of p's shape."""
    return fits_i32(p.numel()) and all(
        t is None or (t.dtype is D.float32 and t.is_contiguous() and t.shape == p.shape)
        for t in (p, *ts))


def bind(ctx):
    kern = ctx.fn(KT.ADAM_STEP)

    def adam_step(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps,
                  weight_decay, step, decoupled, maximize):
        ts = [t for t in (p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq) if t is not None]
        if any(t.dtype is not D.float32 or not t.is_contiguous() or t.shape != p.shape
               for t in ts) or not fits_i32(p.numel()):
            return NotImplemented
        rp = region(p, True)
        rv = region(exp_avg_sq, True)
        # the same scalars the decomposition uses, rounded to float32 as its ops round them
        kern(p.numel(), rp, region(grad), region(exp_avg, True), rv,
             rv if max_exp_avg_sq is None else region(max_exp_avg_sq, True),
             1 - beta1, beta2, 1 - beta2, lr / (1 - beta1 ** step),
             math.sqrt(1 - beta2 ** step), eps,
             1 - lr * weight_decay if weight_decay and decoupled else 1.0,
             weight_decay if weight_decay and not decoupled else 0.0,
             (AMSGRAD if max_exp_avg_sq is not None else 0) | (MAXIMIZE if maximize else 0))
        return None

    sgd, rms, ada = ctx.fn(KT.SGD_STEP), ctx.fn(KT.RMSPROP_STEP), ctx.fn(KT.ADAGRAD_STEP)

    def sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, maximize,
                 first):
        if not _fits(p, grad, buf):
            return NotImplemented
        rp = region(p, True)
        flags = (MAXIMIZE if maximize else 0) | (NESTEROV if nesterov else 0) | \
            ((HAS_MOMENTUM | (FIRST if first else 0)) if buf is not None else 0)
        sgd(p.numel(), rp, region(grad), rp if buf is None else region(buf, True), float(lr),
            float(momentum), float(dampening), float(weight_decay), flags)
        return None

    def rmsprop_step(p, grad, square_avg, grad_avg, buf, lr, alpha, eps, weight_decay,
                     momentum, maximize):
        if not _fits(p, grad, square_avg, grad_avg, buf):
            return NotImplemented
        rs = region(square_avg, True)
        flags = (MAXIMIZE if maximize else 0) | (CENTERED if grad_avg is not None else 0) | \
            (HAS_MOMENTUM if buf is not None else 0)
        rms(p.numel(), region(p, True), region(grad), rs,
            rs if grad_avg is None else region(grad_avg, True),
            rs if buf is None else region(buf, True), float(lr), float(alpha), float(eps),
            float(momentum), float(weight_decay), flags)
        return None

    def adagrad_step(p, grad, state_sum, clr, eps, weight_decay, maximize):
        if not _fits(p, grad, state_sum):
            return NotImplemented
        ada(p.numel(), region(p, True), region(grad), region(state_sum, True), float(clr),
            float(eps), float(weight_decay), MAXIMIZE if maximize else 0)
        return None

    return {"adam_step": adam_step, "sgd_step": sgd_step, "rmsprop_step": rmsprop_step,
            "adagrad_step": adagrad_step}, {}
