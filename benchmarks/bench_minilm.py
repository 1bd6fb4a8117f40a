#!/usr/bin/env python3
"""all-MiniLM-L6-v2 at sequence length 128, batch 1, in one headless Chromium run: webtensor
(webtensor/models/minilm.py inside Pyodide, simd128 and relaxedsimd kernel builds, each eager and
as a captured graph replayed through webtensor.graphs) against
onnxruntime-web (WASM EP, single thread) running the same model exported to ONNX here on
CPython (torch.onnx.export of the same source file under real torch; dev-only, cached in
.cache/bench/, never in git). Prints a table (ms per forward, tokens/s, error against torch)
and writes benchmarks/minilm.json.

    python benchmarks/bench_minilm.py          (or: python benchmarks/run.py --models)

Needs what benchmarks/peers/run_peers.py needs (dist/webtensor-*.whl, the Pyodide runtime
dist, the peers' node_modules) plus .cache/models/all-MiniLM-L6-v2 (scripts/test puts it there).
"""
import datetime
import importlib.util
import json
import os
import platform
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO / ".cache" / "models" / "all-MiniLM-L6-v2"
SOURCE = REPO / "pyodide_pkg" / "webtensor" / "models" / "minilm.py"
SEQ = 128
ONNX = REPO / ".cache" / "bench" / f"all-MiniLM-L6-v2-seq{SEQ}.onnx"
TEXT = ("Sentence embeddings map a piece of text to a single vector so that texts with similar "
        "meaning end up close together. ") * 12      # well past 128 tokens: no padding


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def torch_model():
    """minilm.py under real torch with the checkpoint's weights."""
    from safetensors.torch import load_file
    m = _load("minilm_torch", SOURCE)
    model = m.SentenceEmbedder(m.BertConfig.from_json(MODEL_DIR / "config.json")).eval()
    model.load_hf_state_dict(load_file(str(MODEL_DIR / "model.safetensors")))
    return model


def token_ids():
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tok.enable_truncation(max_length=SEQ)
    tok.no_padding()
    ids = tok.encode(TEXT).ids
    assert len(ids) == SEQ, len(ids)
    return ids


def export_onnx(model, ids):
    import torch
    newest_input = max(SOURCE.stat().st_mtime, (MODEL_DIR / "model.safetensors").stat().st_mtime)
    if ONNX.exists() and ONNX.stat().st_mtime > newest_input:
        return
    ONNX.parent.mkdir(parents=True, exist_ok=True)
    x = torch.tensor([ids])
    tmp = ONNX.with_suffix(".tmp.onnx")
    torch.onnx.export(model, (x, torch.ones_like(x), torch.zeros_like(x)), str(tmp),
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      dynamo=True, external_data=False)
    tmp.replace(ONNX)


def torch_reference(model, ids):
    """(embedding, ms per forward on CPython torch, one thread) for context."""
    import torch
    torch.set_num_threads(1)
    x = torch.tensor([ids])
    args = (x, torch.ones_like(x), torch.zeros_like(x))
    with torch.no_grad():
        emb = model(*args)[0].tolist()
        best = float("inf")
        for _ in range(10):
            t0 = time.perf_counter()
            model(*args)
            best = min(best, time.perf_counter() - t0)
    return emb, best * 1e3


def run(isas=("simd128", "relaxedsimd")):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ids = token_ids()
    model = torch_model()
    export_onnx(model, ids)
    ref, torch_ms = torch_reference(model, ids)
    peers = _load("run_peers", REPO / "benchmarks" / "peers" / "run_peers.py")
    out = peers.run_site(
        "peers-minilm-site", ("minilm.html", "minilm.js"), "minilm.html",
        {"ids": json.dumps(ids), "ref": json.dumps(ref)}, "bench_webtensor_minilm.py",
        {"MINILM_IDS": json.dumps(ids), "MINILM_REF": json.dumps(ref)},
        "MINILM_JSON ", isas,
        extra_files={"minilm.onnx": ONNX, "minilm/config.json": MODEL_DIR / "config.json",
                     "minilm/model.safetensors": MODEL_DIR / "model.safetensors"})
    out["torch_cpython_1thread_ms"] = torch_ms
    return {"seq_len": SEQ, "batch": 1, "model": "all-MiniLM-L6-v2", **out}


def table(out):
    """Markdown table: every webtensor build eager and captured (webtensor.graphs), every
    peer, torch for scale; the last column is onnxruntime-web 1.30.0's latency over the row's."""
    n = out["seq_len"]
    lines = ["| library (single thread) | ms per forward | tokens/s | max abs err vs torch | "
             "onnxruntime-web 1.30.0 ÷ this | peak wasm heap − start, ÷ file |",
             "|---|---:|---:|---:|---:|---:|"]
    ver = out["wheel"].split("-")[1]
    rows = []
    for isa, r in out["webtensor"].items():
        heap = (f"{r['heap_mb'] - r['heap_start_mb']:.0f} MB, "
                f"{(r['heap_mb'] - r['heap_start_mb']) / r['file_mb']:.2f}x"
                if "heap_mb" in r else "")
        rows.append((f"webtensor {ver} ({isa}, Pyodide)", r.get("ms_per_forward"),
                     r.get("max_abs_err_vs_torch"), heap))
        if "captured_ms_per_forward" in r:
            rows.append((f"webtensor {ver} ({isa}, Pyodide, captured graph; output - eager: "
                         f"{r['captured_max_abs_diff_vs_eager']:.1e})",
                         r["captured_ms_per_forward"], r.get("max_abs_err_vs_torch"), heap))
    rows += [(r.get("version", k), r.get("ms_per_forward"), r.get("max_abs_err_vs_torch"), "")
             for k, r in out["peers"].items()]
    ort = out["peers"].get("ort", {}).get("ms_per_forward")
    for name, ms, err, heap in rows:
        if ms is None:
            lines.append(f"| {name} | error | | | | |")
            continue
        ratio = f"{ort / ms:.2f}x" if ort else ""
        lines.append(f"| {name} | {ms:.1f} | {n / ms * 1e3:.0f} | "
                     f"{err if err is not None else float('nan'):.1e} | {ratio} | {heap} |")
    lines.append(f"| (torch {__import__('torch').__version__} on CPython, 1 thread, native) | "
                 f"{out['torch_cpython_1thread_ms']:.1f} | "
                 f"{n / out['torch_cpython_1thread_ms'] * 1e3:.0f} | 0 | | |")
    return "\n".join(lines)


def main():
    out = run()
    out["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"\nall-MiniLM-L6-v2, batch 1 x {out['seq_len']} tokens, Chromium "
          f"{out['browser_version']}, {out['date']}, {out['machine']}\n")
    print(table(out))
    for key, rec in out["peers"].items():
        print(f"{key}: {rec.get('info', rec.get('error'))}")
    (REPO / "benchmarks" / "minilm.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote benchmarks/minilm.json")
    return out


if __name__ == "__main__":
    main()
