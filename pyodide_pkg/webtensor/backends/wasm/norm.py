"""Norm family: layer_norm / rms_norm on f32_layer_norm / f32_rms_norm (wasm_kernels/f32-norm),
float32 [rows, n], f64_layer_norm / f64_rms_norm (xN-norm: eps passed as a double), and
h16_layer_norm / h16_rms_norm for float16 / bfloat16 (rows of at most KT.H16_STAGE staged
through float32 in the kernel; longer rows convert around the float32 kernel).

  plan_norm(ctx, out, x, params) -> (x region, [param regions], flags, out region) or None.
"""
from ... import _dtype as D
from . import kernel_table as KT
from .common import F32, typed_scalar
from .loader import Region
from .views import fits_i32, region
from .widen import widened

_HALF = (D.float16, D.bfloat16)


def plan_norm(ctx, out, x, params):
    if not (x.dtype is out.dtype) or x.dtype not in (F32, D.float64) + _HALF or \
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
    h_ln, h_rms = K.fn(KT.H16_LAYER_NORM), K.fn(KT.H16_RMS_NORM)
    ln = {F32: K.fn(KT.LAYER_NORM), D.float64: K.fn(KT.F64_LAYER_NORM),
          D.float16: h_ln, D.bfloat16: h_ln}
    rms = {F32: K.fn(KT.RMS_NORM), D.float64: K.fn(KT.F64_RMS_NORM),
           D.float16: h_rms, D.bfloat16: h_rms}

    def eps_arg(eps, dtype):
        return region(typed_scalar(float(eps), dtype)) if dtype is D.float64 else eps

    def flag_bf16(x):
        return 4 if x.dtype is D.bfloat16 else 0

    def layer_norm(out, x, weight, bias, eps):
        plan = plan_norm(ctx, out, x, (weight, bias))
        if plan is None:
            return NotImplemented
        rx, (rw, rb), flags, ro = plan
        rows, n = x.shape
        if rows and n:
            ln[x.dtype](rows, n, flags | flag_bf16(x), eps_arg(eps, x.dtype), rx, rw, rb, ro)
        return None

    def rms_norm(out, x, weight, eps):
        plan = plan_norm(ctx, out, x, (weight,))
        if plan is None:
            return NotImplemented
        rx, (rw,), flags, ro = plan
        rows, n = x.shape
        if rows and n:
            rms[x.dtype](rows, n, flags | flag_bf16(x), eps_arg(eps, x.dtype), rx, rw, ro)
        return None

    def staged(fn):
        """fn for float16 / bfloat16 rows that fit the kernel's buffer; longer rows (or a plan
        it declines) convert to float32 around the float32 kernel."""
        wide = widened(ctx, fn, _HALF)

        def prim(out, x, *args):
            if x.dtype in _HALF and 0 < x.shape[-1] <= KT.H16_STAGE:
                r = fn(out, x, *args)
                if r is not NotImplemented:
                    return r
            return wide(out, x, *args)
        return prim

    return {"layer_norm": staged(layer_norm), "rms_norm": staged(rms_norm)}, {}
