"""Fused optimizer steps on the WASM kernels (wasm_kernels/f32-optim): adam_step updates a
contiguous float32 parameter, its gradient and state in one call; anything else (other dtypes,
strided tensors) returns NotImplemented and the reference backend runs the decomposition."""
import math

from ... import _dtype as D
from . import kernel_table as KT
from .views import fits_i32, region

AMSGRAD, MAXIMIZE = 1, 2


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

    return {"adam_step": adam_step}, {}
