"""Norm family: layer_norm / rms_norm on f32_layer_norm / f32_rms_norm (wasm_kernels/f32-norm),
float32 [rows, n], and f64_layer_norm / f64_rms_norm (xN-norm: eps passed as a double).

  plan_norm(ctx, out, x, params) -> (x region, [param regions], flags, out region) or None.
"""
from ... import _dtype as D
from . import kernel_table as KT
from .common import F32, typed_scalar
from .loader import Region
from .views import fits_i32, region


def plan_norm(ctx, out, x, params):
    if not (x.dtype is out.dtype) or x.dtype not in (F32, D.float64) or \
            not out.is_contiguous() or \
            not fits_i32(out.numel()):
        return None
    ro = region(out, True)
    xr = ctx.operand(x, ro, True)
    if xr is None:
        return None
    rx = xr[1]
    regs, flags = [], 0
    for bit, p in enumerate(params):
        if p is None:
            regs.append(Region(rx.storage, rx.offset, 0, False))   # never read
            continue
        if p.dtype is not x.dtype:
            return None
        pc = ctx.contiguous(p)
        if pc is None:
            return None
        regs.append(region(pc))
        flags |= 1 << bit
    return rx, regs, flags, ro


def bind(ctx):
    K = ctx.K
    ln = {F32: K.fn(KT.LAYER_NORM), D.float64: K.fn(KT.F64_LAYER_NORM)}
    rms = {F32: K.fn(KT.RMS_NORM), D.float64: K.fn(KT.F64_RMS_NORM)}

    def eps_arg(eps, dtype):
        return eps if dtype is F32 else region(typed_scalar(float(eps), dtype))

    def layer_norm(out, x, weight, bias, eps):
        plan = plan_norm(ctx, out, x, (weight, bias))
        if plan is None:
            return NotImplemented
        rx, (rw, rb), flags, ro = plan
        rows, n = x.shape
        if rows and n:
            ln[x.dtype](rows, n, flags, eps_arg(eps, x.dtype), rx, rw, rb, ro)
        return None

    def rms_norm(out, x, weight, eps):
        plan = plan_norm(ctx, out, x, (weight,))
        if plan is None:
            return NotImplemented
        rx, (rw,), flags, ro = plan
        rows, n = x.shape
        if rows and n:
            rms[x.dtype](rows, n, flags, eps_arg(eps, x.dtype), rx, rw, ro)
        return None

    return {"layer_norm": layer_norm, "rms_norm": rms_norm}, {}
