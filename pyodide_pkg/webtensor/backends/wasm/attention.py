"""WASM scaled dot-product attention (wasm_kernels/f32-sdpa): float32 [B, H, L, E] views with
any batch / head / row strides (grouped or broadcast heads read in place) and unit column
stride; other layouts are copied contiguous first."""
from ... import _dtype as D
from .backend import K, _copier
from .loader import Region
from .views import fits_i32, region

_SDPA = K and K.fn("f32_sdpa")


def _unit_cols(t):
    """t itself if its last dim has stride 1 (or size <= 1) and no negative strides, else a
    contiguous copy (None if impossible)."""
    if (t.shape[-1] <= 1 or t._strides[-1] == 1) and min(t._strides) >= 0:
        return t
    return _copier.contiguous(t)


def _strides(t):
    """(batch, head, row) strides; 0 where the dim has size 1."""
    return tuple(st if n != 1 else 0 for n, st in zip(t.shape[:3], t._strides[:3]))


def sdpa(out, q, k, v, mask, is_causal, scale):
    ts = (out, q, k, v) + ((mask,) if mask is not None else ())
    if any(t.dtype is not D.float32 for t in ts) or not out.is_contiguous():
        return NotImplemented
    had_mask = mask is not None
    q, k, v = _unit_cols(q), _unit_cols(k), _unit_cols(v)
    if had_mask:
        mask = _unit_cols(mask)
    if q is None or k is None or v is None or (had_mask and mask is None):
        return NotImplemented
    B, H, L, E = q.shape
    S, Ev = k.shape[2], v.shape[3]
    rq, rk, rv = region(q), region(k), region(v)
    qs, ks, vs = _strides(q), _strides(k), _strides(v)
    if mask is not None:
        rm, ms = region(mask), _strides(mask)
    else:
        rm, ms = Region(rq.storage, rq.offset, 0, False), (0, 0, 0)
    if None in (rq, rk, rv, rm) or not fits_i32(out.numel(), *qs, *ks, *vs, *ms):
        return NotImplemented
    flags = (1 if is_causal else 0) | (2 if mask is not None else 0)
    _SDPA(B, H, k.shape[1], v.shape[1], L, S, E, Ev, flags, scale, rq, *qs, rk, *ks, rv, *vs,
          rm, *ms, region(out, True))
    return None
