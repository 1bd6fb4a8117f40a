"""sdpa on the webgpu device (wgsl/attention.wgsl): fused attention with an online softmax.

One workgroup (64 threads) per query row (b, h, l): the row of q sits in workgroup memory;
keys go in blocks of 64 (one key per thread: its score, causal/additive mask applied), the block
max and sum are tree-reduced, the running (max, sum, output) are rescaled, and each thread
accumulates output channels tid, tid + 64, ... (Ev <= 512) over the block's probabilities.
Grouped-query heads by index (h // (H / Hk)); q/k/v/mask read through their strides (expanded
masks cost nothing); a row with no unmasked key gives 0. float32 only; E, Ev <= 512.
"""
from ... import _dtype as D
from .index import f32w, launch, row_groups, with_out

MAX_E = 512


def _sw(t):
    return [t._offset] + list(t._strides)


def sdpa(out, q, k, v, mask, is_causal, scale):
    ts = [out, q, k, v] + ([mask] if mask is not None else [])
    if any(t.dtype is not D.float32 for t in ts):
        return NotImplemented
    B, H, L, E = q.shape
    Hk, S = k.shape[1], k.shape[2]
    Hv, Ev = v.shape[1], v.shape[3]
    if E > MAX_E or Ev > MAX_E:
        return NotImplemented
    dev = out._storage.device
    q, k, v = [t if t._storage.device is dev else t.to(dev) for t in (q, k, v)]
    if mask is not None and mask._storage.device is not dev:
        mask = mask.to(dev)
    rows = B * H * L
    m = mask if mask is not None else q            # a placeholder binding when there is none
    words = ([rows, B, H, L, S, E, Ev, H // Hk, H // Hv, f32w(scale), int(is_causal),
              int(mask is not None)] + _sw(q) + _sw(k) + _sw(v) + _sw(m))

    def run(o):
        launch("attention", "sdpa_f32", [o, q, k, v, m], words + [o._offset], row_groups(rows))
    return with_out(out, run)


IMPL = {"sdpa": sdpa}
