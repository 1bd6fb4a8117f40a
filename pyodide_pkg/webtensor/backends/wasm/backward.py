"""Backward family: the first-order fast paths of the derivatives table on
wasm_kernels/f32-backward (act_backward, softmax_backward, norm_backward) and the fused
cross_entropy forward that also writes its gradient, sdpa_backward. float32 only; anything else returns
NotImplemented and the reference backend runs the primitive's decomposition."""
from ... import _dtype as D
from ..._tensor import Tensor
from . import kernel_table as KT
from .common import F32
from .views import fits_i32, region

ACT_CODE = {op: i for i, op in enumerate(KT.ACT_BACKWARD_OPS)}
REDUCTION_CODE = {"none": 0, "sum": 1, "mean": 2}
_I32 = 2 ** 31 - 1


def _ins(ctx, ro, *ts):
    """Contiguous float32 regions of inputs ts (copies where strided), or None."""
    regs = []
    for t in ts:
        if t.dtype is not F32:
            return None
        r = ctx.operand(t, ro, True)
        if r is None:
            return None
        regs.append(r[1])
    return regs


def bind(ctx):
    act, smb = ctx.K.fn(KT.ACT_BACKWARD), ctx.K.fn(KT.SOFTMAX_BACKWARD)
    ce, nb = ctx.K.fn(KT.CROSS_ENTROPY), ctx.K.fn(KT.NORM_BACKWARD)
    sb = ctx.K.fn(KT.SDPA_BACKWARD)

    def plan_elementwise(out, a, b):
        """(out region, [a region, b region]) for out = f(a, b) of out's shape, or None."""
        if out.dtype is not F32 or not out.is_contiguous() or not fits_i32(out.numel()):
            return None
        ro = region(out, True)
        regs = _ins(ctx, ro, a, b)
        return None if regs is None else (ro, regs)

    def act_backward(out, g, x, act_name):
        plan = plan_elementwise(out, g, x)
        if plan is None:
            return NotImplemented
        ro, (rg, rx) = plan
        act(out.numel(), ACT_CODE[act_name], rg, rx, ro)
        return None

    def softmax_backward(out, g, y, dim, log):
        plan = plan_elementwise(out, g, y)
        if plan is None:
            return NotImplemented
        ro, (rg, ry) = plan
        shape = out.shape
        outer = inner = 1
        for s in shape[:dim]:
            outer *= s
        for s in shape[dim + 1:]:
            inner *= s
        if out.numel():
            smb(outer, shape[dim], inner, 1 if log else 0, rg, ry, ro)
        return None

    def cross_entropy(loss, dx, x, target, ignore_index, label_smoothing, reduction):
        rows, c = x.shape
        if x.dtype is not F32 or not fits_i32(x.numel()) or \
                not -_I32 <= ignore_index <= _I32 or not loss.is_contiguous() or \
                (dx is not None and not dx.is_contiguous()) or target.dtype.name != "int64":
            return NotImplemented
        status = Tensor._empty((1,), D.int32, x.device)
        rl = region(loss, True)
        rd = region(dx, True) if dx is not None else rl
        rx = ctx.operand(x, rd, True)
        rt = ctx.operand(target, rd, True)
        if rx is None or rt is None:
            return NotImplemented
        flags = REDUCTION_CODE[reduction] | (4 if dx is not None else 0)
        rs = region(status, True)
        ce(rows, c, flags, float(label_smoothing), int(ignore_index), rt[1], rx[1], rl, rd, rs)
        bad = status.item()
        if bad:
            raise IndexError(f"Target {target[bad - 1].item()} is out of bounds.")
        return None

    def norm_backward(dx, dw, db, g, x, w, eps, rms):
        if dx.dtype is not F32 or not dx.is_contiguous() or not fits_i32(dx.numel()) or \
                any(t is not None and not t.is_contiguous() for t in (dw, db)):
            return NotImplemented
        rd = region(dx, True)
        regs = _ins(ctx, rd, g, x, *((w,) if w is not None else ()))
        if regs is None:
            return NotImplemented
        rows, n = x.shape
        flags = (1 if w is not None else 0) | (2 if dw is not None else 0) | \
            (4 if db is not None else 0) | (8 if rms else 0)
        nb(rows, n, flags, float(eps), regs[0], regs[1], regs[2] if w is not None else regs[1], rd,
           region(dw, True) if dw is not None else rd,
           region(db, True) if db is not None else rd)
        return None

    def sdpa_backward(dq, dk, dv, g, q, k, v, mask, is_causal, scale):
        from .attention import _heads
        if any(t.dtype is not F32 or not t.is_contiguous() for t in (dq, dk, dv)) or \
                (mask is not None and mask.dtype is not F32) or not fits_i32(q.numel()):
            return NotImplemented
        rdq = region(dq, True)
        regs = _ins(ctx, rdq, q, k, v, g)
        if regs is None:
            return NotImplemented
        ms = (0, 0, 0)
        if mask is not None:
            ms = _heads(mask)
            if ms is None:
                mask = ctx.contiguous(mask)
                ms = _heads(mask) if mask is not None else None
            if ms is None or not fits_i32(*ms):
                return NotImplemented
        rm = region(mask) if mask is not None else regs[0]
        B, H, L, E = q.shape
        S, Ev = k.shape[2], v.shape[3]
        scratch = Tensor._empty((2 * max(S, 1),), F32, q.device)
        sb(B, H, k.shape[1], v.shape[1], L, S, E, Ev,
           (1 if is_causal else 0) | (2 if mask is not None else 0), float(scale), *regs, rm,
           *ms, rdq, region(dk, True), region(dv, True), region(scratch, True))
        return None

    return {"act_backward": act_backward, "softmax_backward": softmax_backward,
            "cross_entropy": cross_entropy, "norm_backward": norm_backward,
            "sdpa_backward": sdpa_backward}, {}

