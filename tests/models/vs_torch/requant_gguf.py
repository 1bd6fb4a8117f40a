"""SmolLM2 GGUF files in the block kinds webtensor reads but cannot write (Q4_0, Q5_0, Q5_1,
Q4_K, Q6_K), made on CPython from the Q4_1 test file: every quantised tensor is dequantised and
requantised with gguf-py (llama.cpp's Python package) where it can quantise (Q4_0, Q5_0, Q5_1,
Q8_0), and with the small Q4_K / Q6_K quantisers below where it cannot (any valid blocks do:
gguf-py's dequantize is the oracle). Written to .cache/test_gguf/ (never committed) and reused
while the source file and this recipe are unchanged.

  mixed_file(src)  the whole model; per layer the 2-D weights cycle through Q4_0 / Q5_0 / Q5_1
                   and ffn_down (the one matrix whose K = 1536 is a multiple of 256) alternates
                   Q4_K / Q6_K, as llama.cpp's Q4_K_M does for SmolLM2's 576-wide rows;
                   token_embd (the tied LM head) Q5_1
  tiny_file(src)   the same kinds on a cut-down copy small enough for the pure-Python reference
                   backend: 2 layers, ffn 256 wide, the first 256 tokens
"""
import hashlib
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType as T
from gguf import GGUFReader, GGUFValueType, GGUFWriter
from gguf import quants as gq

CACHE = Path(__file__).resolve().parents[3] / ".cache" / "test_gguf"
CYCLE = (T.Q4_0, T.Q5_0, T.Q5_1)
ROLES = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up")


def kind_of(name):
    """The ggml type a tensor gets in the requantised files (None: kept as it is)."""
    if name == "token_embd.weight":
        return T.Q5_1
    if not name.startswith("blk."):
        return None
    layer, role = int(name.split(".")[1]), name.split(".")[2]
    if role == "ffn_down":
        return (T.Q4_K, T.Q6_K)[layer % 2]
    if role in ROLES:
        return CYCLE[(layer + ROLES.index(role)) % 3]
    return None


# ---- Q4_K / Q6_K quantisers (round to nearest; valid blocks, not llama.cpp's search) ----------
def quantize_q4_k(w):
    """[N, K] float32, K % 256 == 0 -> uint8 [N, K/256 * 144]."""
    x = w.reshape(-1, 8, 32).astype(np.float32)
    lo, hi = np.minimum(x.min(axis=2), 0), x.max(axis=2)
    scale, mn = (hi - lo) / 15, -lo                                   # w = scale q - mn
    d = (scale.max(axis=1) / 63).astype(np.float16).astype(np.float32)
    dmin = (mn.max(axis=1) / 63).astype(np.float16).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        sc = np.clip(np.nan_to_num(np.rint(scale / d[:, None])), 0, 63).astype(np.uint8)
        m = np.clip(np.nan_to_num(np.rint(mn / dmin[:, None])), 0, 63).astype(np.uint8)
        step = (d[:, None] * sc)[:, :, None]
        q = np.nan_to_num(np.rint((x + (dmin[:, None] * m)[:, :, None]) / step))
    q = np.clip(q, 0, 15).astype(np.uint8)
    out = np.zeros((len(x), 144), np.uint8)
    out[:, 0:2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:4] = dmin.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 4:8] = sc[:, :4] | ((sc[:, 4:] >> 4) << 6)
    out[:, 8:12] = m[:, :4] | ((m[:, 4:] >> 4) << 6)
    out[:, 12:16] = (sc[:, 4:] & 15) | ((m[:, 4:] & 15) << 4)
    q = q.reshape(-1, 4, 2, 32)                         # chunks of 64: low / high nibbles
    out[:, 16:] = (q[:, :, 0] | (q[:, :, 1] << 4)).reshape(-1, 128)
    return out.reshape(w.shape[0], -1)


def quantize_q6_k(w):
    """[N, K] float32, K % 256 == 0 -> uint8 [N, K/256 * 210]."""
    x = w.reshape(-1, 16, 16).astype(np.float32)
    scale = np.abs(x).max(axis=2) / 31
    d = (scale.max(axis=1) / 127).astype(np.float16).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        sc = np.clip(np.nan_to_num(np.rint(scale / d[:, None])), -128, 127).astype(np.int8)
        q = np.nan_to_num(np.rint(x / (d[:, None] * sc)[:, :, None]))
    q = (np.clip(q, -32, 31) + 32).astype(np.uint8).reshape(-1, 2, 4, 32)   # [half, t, l]
    ql = np.concatenate([(q[:, :, 0] & 15) | ((q[:, :, 2] & 15) << 4),
                         (q[:, :, 1] & 15) | ((q[:, :, 3] & 15) << 4)], axis=2)  # [half, 64]
    qh = (q[:, :, 0] >> 4) | ((q[:, :, 1] >> 4) << 2) | ((q[:, :, 2] >> 4) << 4) | \
        ((q[:, :, 3] >> 4) << 6)
    out = np.zeros((len(x), 210), np.uint8)
    out[:, :128] = ql.reshape(-1, 128)
    out[:, 128:192] = qh.reshape(-1, 64)
    out[:, 192:208] = sc.view(np.uint8)
    out[:, 208:210] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
    return out.reshape(w.shape[0], -1)


def quantize(w, kind):
    if kind == T.Q4_K:
        return quantize_q4_k(w)
    if kind == T.Q6_K:
        return quantize_q6_k(w)
    return gq.quantize(np.ascontiguousarray(w, np.float32), kind)


# ---- the files ---------------------------------------------------------------------------------
def _floats(t):
    if t.tensor_type in (T.F32, T.F16):
        return np.asarray(t.data, np.float32).reshape([int(v) for v in reversed(t.shape)])
    return gq.dequantize(t.data, t.tensor_type).astype(np.float32)


def _write(path, reader, tensors, meta_override, keep_key):
    w = GGUFWriter(str(path), "llama")
    for name, f in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture" or not keep_key(name):
            continue
        if name in meta_override:
            w.add_key_value(name, meta_override[name], f.types[0])
        elif f.types[0] == GGUFValueType.ARRAY:
            w.add_key_value(name, f.contents(), f.types[0], sub_type=f.types[-1])
        else:
            w.add_key_value(name, f.contents(), f.types[0])
    for name, v in meta_override.items():
        if name not in reader.fields:
            w.add_uint32(name, v)
    for name, (data, kind) in tensors.items():
        if kind is None:
            w.add_tensor(name, data)
        else:
            w.add_tensor(name, data, raw_dtype=kind)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def _make(src, tag, tiny):
    src = Path(src)
    key = hashlib.sha256(Path(__file__).read_bytes() + str(src.stat().st_size).encode())
    path = CACHE / f"smollm2-{tag}-{key.hexdigest()[:12]}.gguf"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    reader = GGUFReader(str(src))
    tensors = {}
    for t in reader.tensors:
        if tiny and t.name.startswith("blk.") and int(t.name.split(".")[1]) >= 2:
            continue
        w = _floats(t)
        if tiny:
            if t.name == "token_embd.weight":
                w = w[:256]
            elif "ffn_gate" in t.name or "ffn_up" in t.name:
                w = w[:256]
            elif "ffn_down" in t.name:
                w = w[:, :256]
        kind = kind_of(t.name)
        tensors[t.name] = (np.ascontiguousarray(w) if kind is None else quantize(w, kind), kind)
    override = {"llama.block_count": 2, "llama.feed_forward_length": 256,
                "llama.vocab_size": 256} if tiny else {}
    keep = (lambda k: not k.startswith("tokenizer.") or k.endswith("_token_id")) if tiny \
        else (lambda k: True)
    tmp = path.with_suffix(".tmp")
    _write(tmp, reader, tensors, override, keep)
    tmp.replace(path)
    return path


def mixed_file(src):
    return _make(src, "mixed", tiny=False)


def tiny_file(src):
    return _make(src, "tiny", tiny=True)
