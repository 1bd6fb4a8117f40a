"""scaled_dot_product_attention: torch's semantics on one fused primitive, `sdpa`.

The op layer checks arguments like torch, broadcasts the batch dims, turns a bool mask into
an additive one (0 / -inf) and flattens to the primitive's [B, H, L, E] form with views
(grouped-query key/value heads stay un-repeated: the primitive maps query head h to key head
h // (H / Hk)). A backend without `sdpa` runs `decomposed` (matmul, softmax, where).
Like torch >= 2.5, a query row whose scores are all -inf (fully masked) gives zeros.
"""
import math

from .. import _dtype as D
from .._shape import broadcast_shapes, prod
from .._tensor import Tensor
from .._dispatch import dispatch, provides
from .elementwise import _compute, binary, where
from .linalg import matmul
from .reduce import all as all_, softmax

# torch's C++ scalar-type names, as its sdpa messages print them
_CNAME = {"float32": "float", "float64": "double", "float16": "c10::Half",
          "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int", "int16": "short int",
          "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _check(query, key, value, attn_mask, dropout_p, is_causal):
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(f"scaled_dot_product_attention(): argument '{name}' must be Tensor, "
                            f"not {type(t).__name__}")
    if attn_mask is not None and not isinstance(attn_mask, Tensor):
        raise TypeError("scaled_dot_product_attention(): argument 'attn_mask' must be Tensor, "
                        f"not {type(attn_mask).__name__}")
    if min(query.dim(), key.dim(), value.dim()) < 2:
        raise RuntimeError("Expected query, key, and value to all be  at least 2 dimensional, "
                           f"but got query.dim: {query.dim()} key.dim: {key.dim()} and "
                           f"value.dim: {value.dim()} instead.")
    qd = query.dtype
    if key.dtype is not qd or value.dtype is not qd:
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_CNAME[qd.name]} key.dtype: "
                           f"{_CNAME[key.dtype.name]} and value.dtype: "
                           f"{_CNAME[value.dtype.name]} instead.")
    if qd.category < 2:
        raise RuntimeError(f"expected scalar type Float but found {D.TNAME[qd.name]}")
    if attn_mask is not None and attn_mask.dtype is not D.bool_ and attn_mask.dtype is not qd:
        raise RuntimeError("Expected attn_mask dtype to be bool or float or to match query "
                           f"dtype, but got attn_mask.dtype: {_CNAME[attn_mask.dtype.name]} and "
                           f" query.dtype: {_CNAME[qd.name]} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set "
                           "when is_causal=True")
    if dropout_p > 0.0:
        raise NotImplementedError("scaled_dot_product_attention: dropout_p > 0 is not supported "
                                  "(webtensor runs inference only; pass dropout_p=0.0)")


def _heads(query, key, value, enable_gqa):
    """(kshape, vshape) with the head dim (-3) of key/value widened to the query's when
    grouped-query heads are on, for broadcasting; the primitive keeps the real head counts."""
    ks, vs = list(key.shape[:-2]), list(value.shape[:-2])
    if not enable_gqa:
        return ks, vs
    for t in (query, key, value):
        if t.dim() < 3:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{t.dim()}, {t.dim() - 1}], but got -3)")
    hq, hk, hv = query.shape[-3], key.shape[-3], value.shape[-3]
    if (hk and hq % hk) or (hv and hq % hv) or (not hk and hq) or (not hv and hq):
        raise RuntimeError("Number of heads in key and value must divide the number of heads "
                           "in ")
    ks[-1], vs[-1] = hq, hq
    return ks, vs


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    _check(query, key, value, attn_mask, dropout_p, is_causal)
    L, E = query.shape[-2:]
    S, Ek = key.shape[-2:]
    Sv, Ev = value.shape[-2:]
    kshape, vshape = _heads(query, key, value, enable_gqa)
    batch = broadcast_shapes(tuple(query.shape[:-2]), tuple(kshape))
    if Ek != E:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{prod(batch)}, {E}] but got: [{prod(batch)}, {Ek}].")
    batch = broadcast_shapes(batch, tuple(vshape))
    if Sv != S:
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{prod(batch)}, {S}] but got: [{prod(batch)}, {Sv}].")
    comp = _compute(query.dtype)
    mask = None
    if attn_mask is not None:
        want = tuple(batch) + (L, S)
        got = broadcast_shapes(want, tuple(attn_mask.shape))
        if got != want:   # torch adds the mask in place into the [*batch, L, S] scores
            raise RuntimeError(f"output with shape {list(want)} doesn't match the broadcast "
                               f"shape {list(got)}")
        mask = attn_mask.to(comp) if attn_mask.dtype is not D.bool_ else \
            where(attn_mask, Tensor._empty((), comp).fill_(0.0),
                  Tensor._empty((), comp).fill_(-math.inf))
    if scale is None:
        scale = 1.0 / math.sqrt(E) if E else 0.0
    scale = float(scale) if E else 0.0      # E == 0: every score is 0 (torch's result)
    q, k, v, m = _to_bhle(query, key, value, mask, batch, comp, bool(enable_gqa))
    out = Tensor._empty(q.shape[:2] + (L, Ev), comp, q.device)
    if out.numel():
        if provides("sdpa", q.device):
            dispatch("sdpa", out, q, k, v, m, bool(is_causal), scale)
        else:
            out = decomposed(q, k, v, m, bool(is_causal), scale)
    out = out.view(tuple(batch) + (L, Ev))
    return out if comp is query.dtype else out.to(query.dtype)


def _to_bhle(query, key, value, mask, batch, comp, gqa):
    """Views [B, H, L, E] of the inputs (expanded over the broadcast batch; grouped key/value
    keep their own head counts), cast to the compute dtype."""
    nb = len(batch)
    lead = tuple(batch[:-1]) if nb >= 2 else ()
    B, H = prod(lead), (batch[-1] if nb else 1)

    def flat(t, heads, last2=None):
        t = t if t.dtype is comp else t.to(comp)
        last2 = last2 or tuple(t.shape[-2:])
        t = t.expand(lead + ((heads,) if nb else ()) + last2)
        return t.reshape((B, heads) + last2)

    L, S = query.shape[-2], key.shape[-2]
    return (flat(query, H), flat(key, key.shape[-3] if gqa else H),
            flat(value, value.shape[-3] if gqa else H),
            None if mask is None else flat(mask, H, (L, S)))


def decomposed(q, k, v, mask, is_causal, scale):
    """sdpa from primitives (matmul, binary, softmax, where): what a backend without the fused
    kernel runs. Same arguments as the primitive minus `out`; returns [B, H, L, Ev]."""
    B, H, L, _ = q.shape
    S = k.shape[2]
    k = _repeat_heads(k, H)
    v = _repeat_heads(v, H)
    s = matmul(binary("mul", q, scale), k.transpose(-2, -1))
    if is_causal:
        from .._creation import ones
        keep = ones((L, S), dtype=D.bool_, device=q.device).tril()
        s = where(keep, s, -math.inf)
    if mask is not None:
        s = binary("add", s, mask)
    p = softmax(s, -1)
    dead = all_(binary("eq", s, -math.inf), -1, keepdim=True)   # fully masked rows -> 0
    p = where(dead, 0.0, p)
    return matmul(p, v)


def _repeat_heads(t, H):
    h = t.shape[1]
    if h == H:
        return t
    g = H // h
    return t.unsqueeze(2).expand(t.shape[0], h, g, *t.shape[2:]).reshape(
        t.shape[0], H, *t.shape[2:])
