"""SmolLM2 (a Llama-class causal LM) written as ordinary PyTorch code.

The same file runs under real torch and under webtensor (`import torch` resolves to webtensor
when it is imported through `webtensor.models` / `webtensor.install_as_torch()`).

    cfg = SmolLM2Config(vocab_size=49152, hidden_size=576, ...)
    model = SmolLM2ForCausalLM(cfg)
    model.load_state_dict(state_dict)        # Hugging Face LlamaForCausalLM key names
    cache = KVCache()
    logits = model(input_ids, cache)         # [B, T, vocab]; the cache grows by T

Parameter names and layouts are those of Hugging Face's `LlamaForCausalLM`, so a checkpoint of
that class loads unchanged. RoPE uses HF's rotate-half layout: each head's first half of
dimensions pairs with its second half. (llama.cpp's GGUF converter permutes the Q/K rows into
adjacent pairs; the GGUF loader un-permutes them, see smollm2_gguf.py.)
"""
import torch
from torch import nn
import torch.nn.functional as F


class SmolLM2Config:
    """Hyper-parameters (HF LlamaConfig names)."""

    def __init__(self, vocab_size=49152, hidden_size=576, intermediate_size=1536,
                 num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3,
                 head_dim=None, rope_theta=100000.0, rms_norm_eps=1e-5,
                 max_position_embeddings=8192, tie_word_embeddings=True, bos_token_id=1,
                 eos_token_id=2):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.intermediate_size = intermediate_size
        self.num_hidden_layers = num_hidden_layers
        self.num_attention_heads = num_attention_heads
        self.num_key_value_heads = num_key_value_heads
        self.head_dim = head_dim or hidden_size // num_attention_heads
        self.rope_theta = rope_theta
        self.rms_norm_eps = rms_norm_eps
        self.max_position_embeddings = max_position_embeddings
        self.tie_word_embeddings = tie_word_embeddings
        self.bos_token_id = bos_token_id
        self.eos_token_id = eos_token_id
        if num_attention_heads % num_key_value_heads:
            raise ValueError(f"num_attention_heads ({num_attention_heads}) must be a multiple "
                             f"of num_key_value_heads ({num_key_value_heads})")
        if self.head_dim % 2:
            raise ValueError(f"head_dim must be even for RoPE, got {self.head_dim}")

    def to_dict(self):
        return dict(self.__dict__)

    def __repr__(self):
        return "SmolLM2Config(" + ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()) + ")"


class KVCache:
    """Keys and values of the positions seen so far, per layer. Each layer keeps a buffer
    [B, kv_heads, capacity, head_dim] that doubles when full, so a decode step writes one
    position in place instead of concatenating the whole history."""

    def __init__(self, capacity=256):
        self.capacity = capacity
        self.keys = []
        self.values = []
        self.lengths = []

    def __len__(self):
        """Number of cached positions."""
        return self.lengths[0] if self.lengths else 0

    def _grow(self, buf, length, need):
        """A buffer of at least `need` positions (the capacity doubled) holding buf[:length]."""
        cap = self.capacity if buf is None else buf.shape[2]
        while cap < need:
            cap *= 2
        b, h, _, d = self.shape
        new = torch.zeros(b, h, cap, d, dtype=self.dtype, device=self.device)
        if length:
            new[:, :, :length] = buf[:, :, :length]
        return new

    def update(self, layer, k, v):
        """Append this step's k, v [B, kv_heads, T, head_dim] for `layer`; return views of all
        of that layer's keys and values."""
        t = k.shape[2]
        if layer == len(self.keys):
            self.shape, self.dtype, self.device = tuple(k.shape), k.dtype, k.device
            self.keys.append(self._grow(None, 0, t))
            self.values.append(self._grow(None, 0, t))
            self.lengths.append(0)
        start = self.lengths[layer]
        end = start + t
        if end > self.keys[layer].shape[2]:
            self.keys[layer] = self._grow(self.keys[layer], start, end)
            self.values[layer] = self._grow(self.values[layer], start, end)
        self.keys[layer][:, :, start:end] = k
        self.values[layer][:, :, start:end] = v
        self.lengths[layer] = end
        return self.keys[layer][:, :, :end], self.values[layer][:, :, :end]


class StaticKVCache:
    """Keys and values in buffers of a fixed capacity, written at the positions held in a
    device tensor (`position`) with index_copy_, as Hugging Face's StaticCache does: a step's
    shapes never change and it reads no Python int derived from the sequence length, so a
    decode step can be captured once and replayed (webtensor.graphs, like a CUDA graph).
    Attention runs over the whole capacity with a mask of the filled positions."""

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError(f"capacity must be positive, got {capacity}")
        self.capacity = capacity
        self.keys = []
        self.values = []
        self.length = 0         # positions filled, as a Python int (eager calls only)
        self.position = None    # the same as an int64 [1] tensor on the cache's device
        self._slots = None      # arange(capacity) on that device

    def __len__(self):
        return self.length

    def positions(self, t, device):
        """The positions of the next t tokens (int64 [t] on device) and the attention mask
        [t, capacity] (True: attend); advance() moves past them."""
        if self.length + t > self.capacity:
            raise ValueError(f"StaticKVCache of capacity {self.capacity} cannot take {t} more "
                             f"positions after {self.length}")
        if self.position is None:
            self.position = torch.zeros(1, dtype=torch.int64, device=device)
            self._slots = torch.arange(self.capacity, device=device)
        pos = self.position + torch.arange(t, device=device)
        self._pos = pos
        return pos, self._slots[None, :] <= pos[:, None]

    def update(self, layer, k, v):
        """Write this step's k, v [B, kv_heads, t, head_dim] at the positions of the step;
        return the layer's whole buffers."""
        if layer == len(self.keys):
            b, h, _, d = k.shape
            self.keys.append(torch.zeros(b, h, self.capacity, d, dtype=k.dtype,
                                          device=k.device))
            self.values.append(torch.zeros(b, h, self.capacity, d, dtype=v.dtype,
                                           device=v.device))
        self.keys[layer].index_copy_(2, self._pos, k)
        self.values[layer].index_copy_(2, self._pos, v)
        return self.keys[layer], self.values[layer]

    def advance(self, t):
        self.position += t
        self.length += t


class RotaryEmbedding(nn.Module):
    """cos/sin tables for positions, rotate-half layout (HF's LlamaRotaryEmbedding)."""

    def __init__(self, head_dim, theta):
        super().__init__()
        exponent = torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim
        self.register_buffer("inv_freq", 1.0 / (theta ** exponent), persistent=False)
        half = head_dim // 2
        swap = torch.cat([torch.arange(half, head_dim), torch.arange(0, half)])
        self.register_buffer("swap", swap, persistent=False)

    def forward(self, positions):
        """(cos, signed_sin, swap) for apply_rope: cos/signed_sin [T, head_dim] with
        signed_sin = [-sin, sin] by halves, swap the index exchanging the halves."""
        freqs = positions.float()[:, None] * self.inv_freq[None, :]     # [T, head_dim/2]
        emb = torch.cat([freqs, freqs], dim=-1)                           # [T, head_dim]
        sin = emb.sin()
        half = sin.shape[-1] // 2
        return emb.cos(), torch.cat([-sin[:, :half], sin[:, half:]], dim=-1), self.swap


def rotate_half(x):
    """HF's rotate_half: [-x2, x1] for the halves x1, x2 of the last dimension."""
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x, rope):
    """x [B, H, T, D] rotated by the angles of its positions: x * cos + rotate_half(x) * sin,
    computed as x * cos + x[..., swap] * signed_sin -- the same products bit for bit, with one
    gather instead of a negation, two slices and a cat."""
    cos, signed_sin, swap = rope
    return x * cos + x.index_select(-1, swap) * signed_sin


class Attention(nn.Module):
    def __init__(self, cfg, layer_idx):
        super().__init__()
        self.layer_idx = layer_idx
        self.num_heads = cfg.num_attention_heads
        self.num_kv_heads = cfg.num_key_value_heads
        self.head_dim = cfg.head_dim
        d = cfg.hidden_size
        self.q_proj = nn.Linear(d, self.num_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(d, self.num_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(d, self.num_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.num_heads * self.head_dim, d, bias=False)
        self.qkv_proj = None    # a loader may put q/k/v in one Linear (rows q, then k, then v)

    def forward(self, x, rope, cache=None, past=0, mask=None):
        b, t, _ = x.shape
        if self.qkv_proj is not None:       # one matmul, one pass over x
            q, k, v = self.qkv_proj(x).split([self.num_heads * self.head_dim,
                                              self.num_kv_heads * self.head_dim,
                                              self.num_kv_heads * self.head_dim], dim=-1)
        else:
            q, k, v = self.q_proj(x), self.k_proj(x), self.v_proj(x)
        q = q.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k = k.view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = v.view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        q = apply_rope(q, rope)
        k = apply_rope(k, rope)
        if cache is not None:
            k, v = cache.update(self.layer_idx, k, v)
        if mask is not None:  # a static cache: its mask says which positions are filled
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
        elif past == 0:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=t > 1, enable_gqa=True)
        elif t == 1:          # one new token attends to every cached position
            out = F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
        else:                 # a chunk after a cached prefix: causal, offset by `past`
            mask = torch.ones(t, past + t, dtype=torch.bool).tril(diagonal=past)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
        out = out.transpose(1, 2).reshape(b, t, self.num_heads * self.head_dim)
        return self.o_proj(out)


class MLP(nn.Module):
    """SwiGLU: down(silu(gate(x)) * up(x))."""

    def __init__(self, cfg):
        super().__init__()
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)
        self.gate_up_proj = None    # a loader may put gate/up in one Linear (gate rows first)

    def forward(self, x):
        if self.gate_up_proj is not None:
            gate, up = self.gate_up_proj(x).chunk(2, dim=-1)
        else:
            gate, up = self.gate_proj(x), self.up_proj(x)
        return self.down_proj(F.silu(gate) * up)


class DecoderLayer(nn.Module):
    def __init__(self, cfg, layer_idx):
        super().__init__()
        self.self_attn = Attention(cfg, layer_idx)
        self.mlp = MLP(cfg)
        self.input_layernorm = nn.RMSNorm(cfg.hidden_size, eps=cfg.rms_norm_eps)
        self.post_attention_layernorm = nn.RMSNorm(cfg.hidden_size, eps=cfg.rms_norm_eps)

    def forward(self, x, rope, cache=None, past=0, mask=None):
        x = x + self.self_attn(self.input_layernorm(x), rope, cache, past, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class SmolLM2Model(nn.Module):
    """The decoder stack: token embedding -> layers -> final RMSNorm (hidden states)."""

    def __init__(self, cfg):
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(cfg, i) for i in range(cfg.num_hidden_layers))
        self.norm = nn.RMSNorm(cfg.hidden_size, eps=cfg.rms_norm_eps)
        self.rotary_emb = RotaryEmbedding(cfg.head_dim, cfg.rope_theta)
        self.max_positions = cfg.max_position_embeddings

    def forward(self, input_ids, cache=None):
        if input_ids.dim() != 2:
            raise ValueError(f"input_ids must be [batch, seq], got shape {list(input_ids.shape)}")
        past = len(cache) if cache is not None else 0
        t = input_ids.shape[1]
        if past + t > self.max_positions:
            raise ValueError(f"sequence of {past + t} positions exceeds the model's "
                             f"max_position_embeddings ({self.max_positions})")
        mask = None
        if isinstance(cache, StaticKVCache):
            positions, mask = cache.positions(t, input_ids.device)
        else:
            positions = torch.arange(past, past + t, device=input_ids.device)
        rope = self.rotary_emb(positions)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, rope, cache, past, mask)
        if mask is not None:
            cache.advance(t)
        return self.norm(x)


class SmolLM2ForCausalLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.model = SmolLM2Model(cfg)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        if cfg.tie_word_embeddings:
            self.lm_head.weight = self.model.embed_tokens.weight

    def make_cache(self, capacity=None):
        """An empty KV cache for incremental decoding (pass it to every forward call): one that
        grows, or with `capacity` a StaticKVCache of that many positions (graph capture)."""
        return KVCache() if capacity is None else StaticKVCache(capacity)

    def forward(self, input_ids, cache=None, logits_to_keep=0):
        """Logits [B, T, vocab] (the last `logits_to_keep` positions only, if > 0: decoding
        needs just the last one, and the vocab projection is the largest matmul)."""
        h = self.model(input_ids, cache)
        if logits_to_keep:
            h = h[:, -logits_to_keep:]
        return self.lm_head(h)


def num_parameters(model):
    """Distinct parameters (a tied weight counted once)."""
    seen, n = set(), 0
    for p in model.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            n += p.numel()
    return n


__all__ = ["SmolLM2Config", "KVCache", "StaticKVCache", "SmolLM2ForCausalLM", "SmolLM2Model", "apply_rope",
           "rotate_half", "num_parameters"]
