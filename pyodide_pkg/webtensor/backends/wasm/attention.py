"""Attention family: scaled dot-product attention on f32_sdpa (wasm_kernels/f32-sdpa), the
`sdpa` primitive and the scaled_dot_product_attention shortcut; float64 on f64_sdpa
(xN-sdpa: the same form, the scale passed as a double; no shortcut).

float32 [B, H, L, E] views with any batch / head / row strides (grouped or broadcast heads read
in place) and unit column stride.
  plan_sdpa(q, k, v, mask) -> ((q_bs, q_hs, q_rs), (k...), (v...), (mask... or (0, 0, 0))),
      with None for an operand that must first be copied contiguous (the primitive copies and
      plans again; the shortcut declines).
"""
import math
from ctypes import c_float as _c_float

from ..._storage import _guards
from ..._tensor import _LAYOUTS, Tensor, _layout
from . import kernel_table as KT
from ... import _dtype as D
from .common import F32, new_out, typed_scalar
from .loader import Region
from .views import fits_i32, region


def _heads(t):
    """(batch, head, row) strides, 0 where the dim has size 1, if t's last dim has unit stride
    (or size <= 1) and no stride is negative; else None."""
    st, sh = t._strides, t.shape
    if (sh[3] > 1 and st[3] != 1) or min(st) < 0:
        return None
    return (st[0] if sh[0] != 1 else 0, st[1] if sh[1] != 1 else 0,
            st[2] if sh[2] != 1 else 0)


def plan_sdpa(q, k, v, mask):
    return _heads(q), _heads(k), _heads(v), ((0, 0, 0) if mask is None else _heads(mask))


def bind(ctx):
    kern = ctx.K.fn(KT.SDPA)
    kern64 = ctx.K.fn(KT.F64_SDPA)

    def sdpa(out, q, k, v, mask, is_causal, scale):
        ts = (out, q, k, v) + ((mask,) if mask is not None else ())
        for t in ts:
            if t.dtype is not out.dtype or t.dtype not in (F32, D.float64):
                return NotImplemented
        if not out.is_contiguous():
            return NotImplemented
        p = plan_sdpa(q, k, v, mask)
        if None in p:
            q, k, v = [t if s is not None else ctx.contiguous(t) for t, s in zip((q, k, v), p)]
            if mask is not None and p[3] is None:
                mask = ctx.contiguous(mask)
                if mask is None:
                    return NotImplemented
            if q is None or k is None or v is None:
                return NotImplemented
            p = plan_sdpa(q, k, v, mask)
            if None in p:
                return NotImplemented
        qs, ks, vs, ms = p
        B, H, L, E = q.shape
        S, Ev = k.shape[2], v.shape[3]
        rq, rk, rv = region(q), region(k), region(v)
        rm = region(mask) if mask is not None else Region(rq.storage, rq.offset, 0, False)
        if None in (rq, rk, rv, rm) or not fits_i32(out.numel(), *qs, *ks, *vs, *ms):
            return NotImplemented
        flags = (1 if is_causal else 0) | (2 if mask is not None else 0)
        fn, sc = (kern, scale) if out.dtype is F32 else \
            (kern64, region(typed_scalar(float(scale), D.float64)))
        fn(B, H, k.shape[1], v.shape[1], L, S, E, Ev, flags, sc, rq, *qs, rk, *ks, rv, *vs, rm,
           *ms, region(out, True))
        return None

    return {"sdpa": sdpa}, {"scaled_dot_product_attention": sdpa_shortcut(kern)}


def sdpa_shortcut(kern, plan=plan_sdpa):
    """scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False,
    scale=None, enable_gqa=False) with 4-D float32 CPU q/k/v of one batch size, no mask and
    key/value heads equal to the query's (or dividing them with enable_gqa)."""
    raw = getattr(kern, "raw", None)

    def shortcut(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                 enable_gqa=False):
        if attn_mask is not None or dropout_p or is_causal.__class__ is not bool:
            return None
        for t in (q, k, v):
            if t.__class__ is not Tensor or t.dtype is not F32 or len(t.shape) != 4:
                return None
        B, H, L, E = q.shape
        Bk, Hk, S, Ek = k.shape
        Bv, Hv, Sv, Ev = v.shape
        if not (B == Bk == Bv and S == Sv and E == Ek and B and H and L and S and E and Ev):
            return None
        if (Hk != H or Hv != H) and not (enable_gqa and H % Hk == 0 and H % Hv == 0):
            return None
        if scale is None:
            scale = 1.0 / math.sqrt(E)
        elif scale.__class__ is not float:
            return None
        qs, ks, vs, ms = plan(q, k, v, None)
        if qs is None or ks is None or vs is None:
            return None
        shape = (B, H, L, Ev)
        lay = _LAYOUTS.get(shape) or _layout(shape)
        out, so = new_out(lay[0], lay[1], lay[2] << 2, F32)
        sq, sk, sv = q._storage, k._storage, v._storage
        flags = 1 if is_causal else 0
        if raw is not None and not _guards[0] and not (sq.base or sk.base or sv.base) and \
                sq._addr is not None and sk._addr is not None and sv._addr is not None:
            pq = sq._addr + (q._offset << 2)
            raw(B, H, Hk, Hv, L, S, E, Ev, flags, _c_float(scale), pq, *qs,
                sk._addr + (k._offset << 2), *ks, sv._addr + (v._offset << 2), *vs,
                pq, 0, 0, 0, so._addr)
        else:
            rq, rk, rv = region(q), region(k), region(v)
            if not fits_i32(lay[2], *qs, *ks, *vs):
                return None
            kern(B, H, Hk, Hv, L, S, E, Ev, flags, scale, rq, *qs, rk, *ks, rv, *vs,
                 Region(sq, rq.offset, 0, False), 0, 0, 0, Region(so, 0, lay[2] << 2, True))
        return out
    return shortcut
