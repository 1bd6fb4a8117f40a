"""WASM layer_norm / rms_norm (wasm_kernels/f32-norm) on float32 [rows, n]."""
from ... import _dtype as D
from .backend import K, _copier, _operand
from .loader import Region
from .views import fits_i32, region

_LN = K and K.fn("f32_layer_norm")
_RMS = K and K.fn("f32_rms_norm")


def _plan(out, x, params):
    """(x region, [param regions], flags) or None when the kernels cannot run it."""
    if not (x.dtype is out.dtype is D.float32) or not out.is_contiguous() or \
            not fits_i32(out.numel()):
        return None
    ro = region(out, True)
    xr = _operand(x, ro, True)
    if xr is None:
        return None
    rx = xr[1]
    regs, flags = [], 0
    for bit, p in enumerate(params):
        if p is None:
            regs.append(Region(rx.storage, rx.offset, 0, False))   # never read
            continue
        if p.dtype is not D.float32:
            return None
        pc = _copier.contiguous(p)
        if pc is None:
            return None
        regs.append(region(pc))
        flags |= 1 << bit
    return rx, regs, flags, ro


def layer_norm(out, x, weight, bias, eps):
    plan = _plan(out, x, (weight, bias))
    if plan is None:
        return NotImplemented
    rx, (rw, rb), flags, ro = plan
    rows, n = x.shape
    if rows and n:
        _LN(rows, n, flags, eps, rx, rw, rb, ro)
    return None


def rms_norm(out, x, weight, eps):
    plan = _plan(out, x, (weight,))
    if plan is None:
        return NotImplemented
    rx, (rw,), flags, ro = plan
    rows, n = x.shape
    if rows and n:
        _RMS(rows, n, flags, eps, rx, rw, ro)
    return None
