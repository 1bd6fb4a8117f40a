"""Pointwise losses and grid_sample on wasm_kernels/xN-loss and xN-grid (float32 / float64;
grid_sample also float16 / bfloat16 in float32 lanes):

  pointwise_map(out, x, y, kind, param, reduction)   one pass, reduction in the same loop
      (float16 / bfloat16: h16_pointwise_map, blocks staged through float32 in L1)
  grid_sample(out, x, grid, mode, padding_mode, align_corners)
  rowwise_dist(out, a, b, kind, eps, p)               xN-rowdist: cosine / p-norm per row
      (float16 / bfloat16 rows: h16_rowwise_dist, converted in registers, float32 out)
  outer(a, b)   shortcut: float16 / bfloat16 vectors without a gradient (h16_outer)

Anything the kernels do not cover returns NotImplemented and the reference backend runs the
decomposition (ops/loss.py).
"""
import math

from ... import _dtype as D
from ..._device import CPU
from ..._grad_mode import is_grad_enabled
from ..._tensor import Tensor
from . import kernel_table as KT
from .common import typed_scalar
from .views import fits_i32, region

LOSS_CODE = {k: i for i, k in enumerate(("mse", "l1", "smooth_l1", "huber", "bce", "bce_logits",
                                         "kl_div", "kl_div_log", "xlogy", "nan_to_zero",
                                         "not_nan", "trunc", "frac", "xlogy_log"))}
REDUCTION_CODE = {"none": 0, "sum": 1, "mean": 2}
_DT = {D.float32: "f32", D.float64: "f64"}
_MAP_DT = {**_DT, D.float16: "h16", D.bfloat16: "h16"}
_GRID_DT = {**_DT, D.float16: "f16", D.bfloat16: "bf16"}
_PADDING = {"zeros": 0, "border": 1, "reflection": 2}
_HALF = (D.float16, D.bfloat16)


def bind(ctx):
    loss_fn = {dt: ctx.K.fn(name) for dt, name in KT.POINTWISE_MAP.items()}
    grid_fn = {dt: ctx.K.fn(name) for dt, name in KT.GRID_SAMPLE.items()}
    dist_fn = {dt: ctx.K.fn(name) for dt, name in KT.ROWWISE_DIST.items()}
    outer_fn = ctx.K.fn(KT.H16_OUTER)

    def inputs(ro, *ts):
        regs = []
        for t in ts:
            r = ctx.operand(t, ro, True)
            if r is None:
                return None
            regs.append(r[1])
        return regs

    def pointwise_map(out, x, y, kind, param, reduction):
        dt = _MAP_DT.get(x.dtype)
        if dt is None or y.dtype is not x.dtype or out.dtype is not x.dtype or \
                not out.is_contiguous() or not fits_i32(x.numel()) or \
                tuple(x.shape) != tuple(y.shape) or (kind == "xlogy_log" and dt != "f32"):
            return NotImplemented
        ro = region(out, True)
        regs = inputs(ro, x, y)
        if regs is None:
            return NotImplemented
        status = Tensor._empty((1,), D.int32, x.device)
        prm = typed_scalar(float(param), D.float32 if dt == "h16" else x.dtype)
        flags = LOSS_CODE[kind] | REDUCTION_CODE[reduction] << 4 | (x.dtype is D.bfloat16) << 6
        loss_fn[dt](x.numel(), flags, region(prm),
                    regs[0], regs[1], ro, region(status, True))
        bad = status.item() if kind == "bce" else 0
        if bad:
            raise RuntimeError(f"all elements of {'input' if bad == 1 else 'target'} should "
                               f"be between 0 and 1")
        return None

    def grid_sample(out, x, grid, mode, padding_mode, align_corners):
        dt = _GRID_DT.get(x.dtype)
        n, c, h, w = x.shape
        staged = -(-c // 4) * 4 * (h * w + 1)   # the kernel's [group][pixel + 1][4] stage
        if dt is None or grid.dtype is not x.dtype or not out.is_contiguous() or \
                mode not in ("bilinear", "nearest") or 0 in x.shape[2:] or \
                not fits_i32(max(x.numel(), out.numel(), staged)):
            return NotImplemented
        ro = region(out, True)
        regs = inputs(ro, x, grid)
        if regs is None:
            return NotImplemented
        ho, wo = grid.shape[1:3]
        flags = (mode == "nearest") | _PADDING[padding_mode] << 1 | bool(align_corners) << 3
        if out.numel():
            stage = Tensor._empty((staged,), D.float64 if dt == "f64" else D.float32, x.device)
            grid_fn[dt](n, c, h, w, ho, wo, flags, regs[0], regs[1], ro, region(stage, True))
        return None

    def rowwise_dist(out, a, b, kind, eps, p):
        dt = _MAP_DT.get(a.dtype)
        half = dt == "h16"      # float16 / bfloat16 rows into float32 (not p = +-inf)
        if dt is None or b.dtype is not a.dtype or \
                out.dtype is not (D.float32 if half else a.dtype) or \
                not out.is_contiguous() or not fits_i32(a.numel()) or \
                (kind == "pnorm" and p not in ((0, 1, 2) if half else
                                               (0, 1, 2, math.inf, -math.inf))):
            return NotImplemented
        ro = region(out, True)
        regs = inputs(ro, a, b)
        if regs is None:
            return NotImplemented
        prm = Tensor._empty((2,), out.dtype, a.device)
        prm[0], prm[1] = eps, p
        rows, n = a.shape
        if rows:
            flags = (kind == "pnorm") | (a.dtype is D.bfloat16) << 1
            dist_fn[dt](rows, n, flags, region(prm), regs[0], regs[1], ro)
        return None

    def outer(a, b):
        """outer's shortcut for float16 / bfloat16 vectors; None (the op body) otherwise."""
        if type(a) is not Tensor or type(b) is not Tensor or a.dtype not in _HALF or \
                b.dtype is not a.dtype or a.dim() != 1 or b.dim() != 1 or \
                a._storage.device is not CPU or b._storage.device is not CPU or \
                (is_grad_enabled() and (a.requires_grad or b.requires_grad)) or \
                not fits_i32(a.numel() * b.numel()):
            return None
        a, b = ctx.contiguous(a), ctx.contiguous(b)
        if a is None or b is None:
            return None
        out = Tensor._empty((a.numel(), b.numel()), a.dtype, a.device)
        if out.numel():
            outer_fn(a.numel(), b.numel(), a.dtype is D.bfloat16, region(a), region(b),
                     region(out, True))
        return out

    return {"pointwise_map": pointwise_map, "grid_sample": grid_sample,
            "rowwise_dist": rowwise_dist}, {"outer": outer}
