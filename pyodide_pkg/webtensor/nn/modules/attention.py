"""MultiheadAttention with torch's parameter layout (in_proj_weight [3E, E], in_proj_bias,
out_proj; q/k/v_proj_weight when kdim/vdim differ) and F.multi_head_attention_forward.
need_weights=False goes through the fused scaled_dot_product_attention kernel; need_weights
=True computes the weights explicitly (they are returned)."""
import math

from ... import _creation as C
from ... import _dtype as D
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .linear import Linear
from .module import Module


class NonDynamicallyQuantizableLinear(Linear):
    pass


def _float_mask(mask, dtype, what):
    """torch's canonical mask: bool True (= masked out) -> -inf, float masks as they are."""
    if mask is None:
        return None
    if mask.dtype is D.bool_:
        return C.zeros(mask.shape, dtype=dtype, device=mask.device).masked_fill(mask, -math.inf)
    if mask.dtype.category != 2:
        raise AssertionError(f"only bool and floating types of {what} are supported")
    return mask.to(dtype)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Inputs are (L, N, E) (or unbatched (L, E)), like torch's."""
    if bias_k is not None or bias_v is not None or add_zero_attn:
        raise NotImplementedError("webtensor: MultiheadAttention add_bias_kv / add_zero_attn "
                                  "are not supported")
    if static_k is not None or static_v is not None:
        raise NotImplementedError("webtensor: multi_head_attention_forward static_k/static_v "
                                  "are not supported")
    batched = query.dim() == 3
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    L, B, E = query.shape
    S = key.shape[0]
    if E != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {E}")
    H = num_heads
    hd = E // H
    if hd * H != E:
        raise AssertionError(f"embed_dim {E} not divisible by num_heads {H}")
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None          # the kernel's own causal mask
    else:
        is_causal = False
    # Work batch-major: (L, B, E) -> (B, L, E) views (for batch_first callers these are the
    # caller's own contiguous tensors again, so the projections read them without a copy).
    qb, kb, vb = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
    if not use_separate_proj_weight and key is query and value is query:
        # self-attention: one packed [3E, E] projection, then a view per head
        qkv = F.linear(qb, in_proj_weight, in_proj_bias).reshape(B, L, 3, H, hd)
        qkv = qkv.permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
    else:
        if use_separate_proj_weight:
            wq, wk, wv = q_proj_weight, k_proj_weight, v_proj_weight
        else:
            wq, wk, wv = in_proj_weight.chunk(3)
        bq = bk = bv = None
        if in_proj_bias is not None:
            bq, bk, bv = in_proj_bias.chunk(3)
        q = F.linear(qb, wq, bq).reshape(B, L, H, hd).transpose(1, 2)       # (B, H, L, hd)
        k = F.linear(kb, wk, bk).reshape(B, S, H, hd).transpose(1, 2)
        v = F.linear(vb, wv, bv).reshape(B, S, H, hd).transpose(1, 2)
    dt = q.dtype
    attn_mask = _float_mask(attn_mask, dt, "attn_mask")
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (L, S):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(L, S)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (B * H, L, S):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(B * H, L, S)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (B, S):
            raise AssertionError(f"expecting key_padding_mask shape of {(B, S)}, but got "
                                 f"{tuple(key_padding_mask.shape)}")
        kpm = _float_mask(key_padding_mask, dt, "key_padding_mask")
        kpm = kpm.reshape(B, 1, 1, S).expand(B, H, 1, S).reshape(B * H, 1, S)
        attn_mask = kpm if attn_mask is None else attn_mask + kpm
    if not training:
        dropout_p = 0.0
    if attn_mask is not None:       # (1 or B*H, L or 1, S) -> broadcastable to (B, H, L, S)
        attn_mask = attn_mask.unsqueeze(0) if attn_mask.shape[0] == 1 else \
            attn_mask.reshape(B, H, -1, S)
    weights = None
    if need_weights or dropout_p > 0:
        scores = (q * (1.0 / math.sqrt(hd))) @ k.transpose(-2, -1)       # (B, H, L, S)
        if attn_mask is not None:
            scores = scores + attn_mask
        w = scores.softmax(dim=-1)
        if dropout_p > 0:
            w = F.dropout(w, p=dropout_p)
        out = w @ v
        if need_weights:
            weights = w.mean(dim=1) if average_attn_weights else w
    else:
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=is_causal)
    out = out.transpose(1, 2).reshape(B, L, E)
    out = F.linear(out, out_proj_weight, out_proj_bias).transpose(0, 1)      # (L, B, E)
    if not batched:
        out = out.squeeze(1)
        if weights is not None:
            weights = weights.squeeze(0)
    return out, weights


class MultiheadAttention(Module):
    __constants__ = ["batch_first"]

    def __init__(self, embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
                 add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None,
                 dtype=None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim="
                             f"{embed_dim} and num_heads={num_heads} instead")
        if add_bias_kv or add_zero_attn:
            raise NotImplementedError("webtensor: MultiheadAttention add_bias_kv / "
                                      "add_zero_attn are not supported")
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(C.empty((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(C.empty((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(C.empty((embed_dim, self.vdim), dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(C.empty((3 * embed_dim, embed_dim), dtype=dtype))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(C.empty(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias,
                                                        dtype=dtype)
        self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self):
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)

    def forward(self, query, key, value, key_padding_mask=None, need_weights=True,
                attn_mask=None, average_attn_weights=True, is_causal=False):
        batched = query.dim() == 3
        if self.batch_first and batched:
            # keep `key is query` (self-attention takes the packed projection)
            same_k, same_v = key is query, value is query
            query = query.transpose(1, 0)
            key = query if same_k else key.transpose(1, 0)
            value = query if same_v else value.transpose(1, 0)
        out, weights = multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight,
            self.in_proj_bias, self.bias_k, self.bias_v, self.add_zero_attn, self.dropout,
            self.out_proj.weight, self.out_proj.bias, training=self.training,
            key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=attn_mask,
            use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight, average_attn_weights=average_attn_weights,
            is_causal=is_causal)
        if self.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights
