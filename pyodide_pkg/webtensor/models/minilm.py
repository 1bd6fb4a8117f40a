"""BERT encoder + sentence pooling (all-MiniLM-L6-v2 and other BERT checkpoints), written as
plain PyTorch: this file runs unchanged under real torch and under webtensor.

Module names follow Hugging Face's BertModel, so a checkpoint's keys load as they are (after
`hf_state_dict` drops the `bert.` prefix and the `position_ids` buffer).
"""
import json
from dataclasses import dataclass, fields

import torch
import torch.nn.functional as F
from torch import nn

_ACTS = {"gelu": F.gelu, "relu": F.relu,
         "gelu_new": lambda x: F.gelu(x, approximate="tanh"),
         "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh")}
# webtensor's F.linear_act applies the activation as the GEMM stores its tile (one pass fewer);
# under real torch it does not exist and the layer runs act(dense(x))
_linear_act = getattr(F, "linear_act", None)
_FUSED_ACTS = {"gelu": "gelu", "relu": "relu", "gelu_new": "gelu_tanh",
               "gelu_pytorch_tanh": "gelu_tanh"}


@dataclass
class BertConfig:
    vocab_size: int = 30522
    hidden_size: int = 768
    num_hidden_layers: int = 12
    num_attention_heads: int = 12
    intermediate_size: int = 3072
    hidden_act: str = "gelu"
    max_position_embeddings: int = 512
    type_vocab_size: int = 2
    layer_norm_eps: float = 1e-12
    pad_token_id: int = 0
    position_embedding_type: str = "absolute"
    hidden_dropout_prob: float = 0.1

    @classmethod
    def from_dict(cls, d):
        """From a Hugging Face config.json dict; keys this model does not use are ignored."""
        if d.get("model_type", "bert") != "bert":
            raise ValueError(f"expected a BERT config (model_type 'bert'), got "
                             f"{d.get('model_type')!r}")
        cfg = cls(**{f.name: d[f.name] for f in fields(cls) if f.name in d})
        if cfg.position_embedding_type != "absolute":
            raise NotImplementedError(f"BERT position_embedding_type "
                                      f"{cfg.position_embedding_type!r} (only 'absolute')")
        if cfg.hidden_act not in _ACTS:
            raise NotImplementedError(f"BERT hidden_act {cfg.hidden_act!r} "
                                      f"(supported: {', '.join(_ACTS)})")
        if cfg.hidden_size % cfg.num_attention_heads:
            raise ValueError(f"hidden_size {cfg.hidden_size} is not a multiple of "
                             f"num_attention_heads {cfg.num_attention_heads}")
        return cfg

    @classmethod
    def from_json(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(json.load(f))


class BertEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg.vocab_size, cfg.hidden_size,
                                            padding_idx=cfg.pad_token_id)
        self.position_embeddings = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.token_type_embeddings = nn.Embedding(cfg.type_vocab_size, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.hidden_dropout_prob)

    def forward(self, input_ids, token_type_ids):
        seq_len = input_ids.shape[1]
        if seq_len > self.position_embeddings.num_embeddings:
            raise ValueError(f"sequence length {seq_len} exceeds max_position_embeddings "
                             f"{self.position_embeddings.num_embeddings}")
        positions = torch.arange(seq_len, device=input_ids.device).unsqueeze(0)
        x = (self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
             + self.position_embeddings(positions))
        return self.dropout(self.LayerNorm(x))


class BertSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.num_heads = cfg.num_attention_heads
        self.query = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.key = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.value = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, mask):
        b, n, h = x.shape

        def heads(t):   # [b, n, h] -> [b, heads, n, h / heads]
            return t.view(b, n, self.num_heads, h // self.num_heads).transpose(1, 2)
        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return out.transpose(1, 2).reshape(b, n, h)


class BertSelfOutput(nn.Module):
    def __init__(self, cfg, inner):
        super().__init__()
        self.dense = nn.Linear(inner, cfg.hidden_size)
        self.LayerNorm = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.dropout = nn.Dropout(cfg.hidden_dropout_prob)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class BertAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.self = BertSelfAttention(cfg)
        self.output = BertSelfOutput(cfg, cfg.hidden_size)

    def forward(self, x, mask):
        return self.output(self.self(x, mask), x)


class BertIntermediate(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.act = _ACTS[cfg.hidden_act]
        self.fused_act = _FUSED_ACTS[cfg.hidden_act]

    def forward(self, x):
        if _linear_act is not None:
            return _linear_act(x, self.dense.weight, self.dense.bias, self.fused_act)
        return self.act(self.dense(x))


class BertLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention = BertAttention(cfg)
        self.intermediate = BertIntermediate(cfg)
        self.output = BertSelfOutput(cfg, cfg.intermediate_size)

    def forward(self, x, mask):
        x = self.attention(x, mask)
        return self.output(self.intermediate(x), x)


class BertEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(cfg) for _ in range(cfg.num_hidden_layers))

    def forward(self, x, mask):
        for layer in self.layer:
            x = layer(x, mask)
        return x


class BertPooler(nn.Module):
    """The [CLS] dense + tanh head (in the checkpoint; sentence embeddings do not use it)."""

    def __init__(self, cfg):
        super().__init__()
        self.dense = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


class BertModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.embeddings = BertEmbeddings(cfg)
        self.encoder = BertEncoder(cfg)
        self.pooler = BertPooler(cfg)

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        """Last hidden states [batch, seq, hidden]; attention_mask is 1 for real tokens."""
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        mask = None
        if attention_mask is not None:      # [b, 1, 1, seq]: padded keys get no attention
            mask = attention_mask[:, None, None, :].bool()
        return self.encoder(self.embeddings(input_ids, token_type_ids), mask)


def hf_state_dict(state_dict):
    """A Hugging Face BERT checkpoint's tensors under this file's module names: drops the
    `bert.` prefix (BertFor* checkpoints), the task heads (`cls.`), the `position_ids` buffer,
    and renames the old LayerNorm `gamma`/`beta`."""
    out = {}
    for key, value in state_dict.items():
        if key.startswith("bert."):
            key = key[len("bert."):]
        if key.startswith("cls.") or key.endswith("position_ids"):
            continue
        if key.endswith("LayerNorm.gamma"):
            key = key[:-len("gamma")] + "weight"
        elif key.endswith("LayerNorm.beta"):
            key = key[:-len("beta")] + "bias"
        out[key] = value
    return out


POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len")


def pool(hidden, attention_mask, mode="mean"):
    """Sentence vectors [batch, hidden] from token states, as sentence-transformers' Pooling."""
    if mode == "cls":
        return hidden[:, 0]
    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    if mode == "max":
        return hidden.masked_fill(mask == 0, -1e9).max(dim=1).values
    summed = (hidden * mask).sum(dim=1)
    count = mask.sum(dim=1).clamp(min=1e-9)
    if mode == "mean":
        return summed / count
    if mode == "mean_sqrt_len":
        return summed / count.sqrt()
    raise NotImplementedError(f"pooling mode {mode!r} (supported: {', '.join(POOLING_MODES)})")


class SentenceEmbedder(nn.Module):
    """BERT + pooling (+ L2 normalisation): token ids in, one vector per sentence out."""

    def __init__(self, cfg, pooling="mean", normalize=True):
        super().__init__()
        if pooling not in POOLING_MODES:
            raise NotImplementedError(f"pooling mode {pooling!r} "
                                      f"(supported: {', '.join(POOLING_MODES)})")
        self.bert = BertModel(cfg)
        self.pooling = pooling
        self.normalize = normalize

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        hidden = self.bert(input_ids, attention_mask, token_type_ids)
        emb = pool(hidden, attention_mask, self.pooling)
        return F.normalize(emb, p=2.0, dim=1) if self.normalize else emb

    def load_hf_state_dict(self, state_dict, strict=True, assign=False):
        """Load a Hugging Face BERT checkpoint (assign=True: the tensors become the
        parameters, no copy)."""
        return self.bert.load_state_dict(hf_state_dict(state_dict), strict=strict, assign=assign)

