"""all-MiniLM-L6-v2 (batch 1 x 128) by kernel: one forward is captured with webtensor.graphs,
then every recorded kernel call is timed alone (best of REPS, per-call replay), grouped by
kernel and shape; the whole replay and the eager forward are timed too. Random token ids
(the kernels' cost does not depend on them). Prints a markdown table.

Inside Pyodide in Node (the numbers that mean something; CPython runs the kernels under
wasmtime, which copies every argument):

    node --experimental-wasm-relaxed-simd tests/pyodide/run_pytest.mjs \\
        --copy .cache/models/all-MiniLM-L6-v2=minilm \\
        -c "$(cat benchmarks/bench_minilm_profile.py)"

(WEBTENSOR_WASM_ISA=simd128 in Python's environment, set before webtensor is imported,
picks the other build; MINILM_DIR the model folder, default minilm/ under the cwd.)
"""
import collections
import os
import time

import webtensor as wt
from webtensor import backends, graphs
from webtensor.models import minilm, no_init_weights
from webtensor.serialization import safetensors


def main():
    d = os.environ.get("MINILM_DIR", "minilm")
    reps = int(os.environ.get("REPS", "10"))
    cfg = minilm.BertConfig.from_json(os.path.join(d, "config.json"))
    with no_init_weights():
        model = minilm.SentenceEmbedder(cfg).eval()
    model.load_hf_state_dict(safetensors.load_file(os.path.join(d, "model.safetensors")))
    x = wt.randint(0, cfg.vocab_size, (1, 128))
    mask, types = wt.ones_like(x), wt.zeros_like(x)
    g = graphs.Graph()
    with wt.no_grad(), graphs.graph(g, device="cpu"):
        model(x, mask, types)
    c = g._captured
    calls = [c.runner.per_call(call, args) for call, args in c.calls]
    names = []
    for call, args in c.calls:
        name = call.__name__
        if name == "f32_linear_4x8":     # (batch, m, n, k, ...): M x K x N
            name += f" {args[1]}x{args[3]}x{args[2]}"
        names.append(name)
    best = [float("inf")] * len(calls)
    for _ in range(reps):
        for i, (fn, a) in enumerate(calls):
            t0 = time.perf_counter()
            fn(*a)
            best[i] = min(best[i], time.perf_counter() - t0)

    def eager():
        with wt.no_grad():
            model(x, mask, types)
    whole = {"replay": g.replay, "eager": eager}
    for k, fn in whole.items():
        t = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            fn()
            t = min(t, time.perf_counter() - t0)
        whole[k] = t
    total, count = collections.defaultdict(float), collections.Counter()
    for n, b in zip(names, best):
        total[n] += b
        count[n] += 1
    s = sum(best)
    print(f"isa {backends.get_isa()}: replay {whole['replay'] * 1e3:.2f} ms, eager "
          f"{whole['eager'] * 1e3:.2f} ms, sum of the calls timed alone {s * 1e3:.2f} ms")
    print("| kernel | calls | µs per call | ms per forward | share |\n|---|---:|---:|---:|---:|")
    for n in sorted(total, key=lambda k: -total[k]):
        print(f"| {n} | {count[n]} | {total[n] * 1e6 / count[n]:.0f} | {total[n] * 1e3:.2f} | "
              f"{100 * total[n] / s:.1f}% |")
    g.reset()


main()
