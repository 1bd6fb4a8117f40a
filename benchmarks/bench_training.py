#!/usr/bin/env python3
"""Training steps against TensorFlow.js's wasm backend in one headless Chromium run, single
thread (issue 12 item 8): one step (forward, cross-entropy, backward, Adam) of the digits CNN
at batch 64 and of an MLP 784-256-10 at batch 128, in webtensor (Pyodide, an ordinary torch
training step) and in @tensorflow/tfjs + tfjs-backend-wasm (optimizer.minimize, same
architecture, same batch size), plus heap growth over --steps more steps and, for webtensor,
a cProfile of where a step's time goes. Prints a table and writes benchmarks/training.json.

    python benchmarks/bench_training.py [--steps 1000] [--isa relaxedsimd simd128]

Needs what benchmarks/peers/run_peers.py needs (dist/webtensor-*.whl, the Pyodide runtime
dist; it runs `npm ci --prefix benchmarks/peers` on demand).
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"
CASES = ("digits CNN b64", "MLP 784-256-10 b128")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(steps, isas):
    peers = _load("run_peers", PEERS / "run_peers.py")
    tfjs = {"vendor/tf.min.js": peers.NM / "@tensorflow/tfjs/dist/tf.min.js"}
    return peers.run_site("peers-training-site", ("training.html", "training.js"),
                          "training.html", {"steps": str(steps)}, "bench_webtensor_training.py",
                          {"TRAIN_STEPS": str(steps)}, "TRAIN_JSON ", isas, tfjs)


def _fmt_heap(before, after):
    if before is None or after is None:
        return "–"
    return f"{(after - before) / 2**20:+.1f} MiB"


def table(out):
    lines = ["| library (single thread) | case | ms / step | heap growth | live objects |",
             "|---|---|---:|---:|---:|"]
    rows = [(f"webtensor ({isa}, Pyodide)", rec) for isa, rec in out["webtensor"].items()]
    rows += [(rec.get("version", key), rec) for key, rec in out["peers"].items()]
    for name, rec in rows:
        for case in CASES:
            c = rec.get("cases", {}).get(case)
            if c is None or "error" in (c or {}):
                lines.append(f"| {name} | {case} | error: {(c or rec).get('error', '?')[:80]} | | |")
                continue
            objs = (f"{c['py_objects_before']} -> {c['py_objects_after']}" if "py_objects_after" in c
                    else f"{c['tensors_before']} -> {c['tensors_after']} tensors")
            lines.append(f"| {name} | {case} | {c['ms_per_step']:.2f} | "
                         f"{_fmt_heap(c['wasm_heap_before'], c['wasm_heap_after'])} | {objs} |")
    tf_cases = out["peers"].get("tfjs_wasm", {}).get("cases", {})
    for isa, rec in out["webtensor"].items():
        for case in CASES:
            w, t = rec["cases"].get(case, {}), tf_cases.get(case, {})
            if "ms_per_step" in w and "ms_per_step" in t:
                lines.append(f"\n{case}, webtensor {isa}: {t['ms_per_step'] / w['ms_per_step']:.2f}x "
                             "tfjs-wasm's speed (target >= 1.5x)")
    return "\n".join(lines)


def profile_table(out):
    lines = []
    for isa, rec in out["webtensor"].items():
        for case, c in rec["cases"].items():
            p = c["profile"]
            lines.append(f"\nwebtensor {isa}, {case}: where a step's time goes\n  phases (ms): "
                         + ", ".join(f"{k} {v:.1f}" for k, v in c["phases_ms"].items())
                         + f"\n  cProfile, own time ({p['total_ms_per_step']:.1f} ms/step under "
                         "the profiler):")
            for row in p["top_own_time"]:
                lines.append(f"  {row['own_ms_per_step']:7.3f} ms  {row['calls_per_step']:6.0f} "
                             f"calls/step  {row['function']}")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=1000, help="steps of the heap-growth run")
    ap.add_argument("--isa", nargs="+", default=["relaxedsimd"],
                    choices=["relaxedsimd", "simd128"], help="webtensor kernel builds")
    args = ap.parse_args(argv)
    out = run(args.steps, tuple(args.isa))
    out["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    out["command"] = "python benchmarks/bench_training.py " + " ".join(argv or [])
    print(f"\nTraining step, Chromium {out['browser_version']}, {out['date']}, {out['machine']}\n")
    print(table(out))
    print(profile_table(out))
    (HERE / "training.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote benchmarks/training.json")
    return out


if __name__ == "__main__":
    main()
