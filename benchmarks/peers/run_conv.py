#!/usr/bin/env python3
"""conv2d against the JS peers in one headless Chromium run, single thread:
@tensorflow/tfjs-backend-wasm (XNNPACK, NHWC), onnxruntime-web (WASM EP, NCHW) and webtensor
(Pyodide, NCHW, simd128 and relaxedsimd builds) on ResNet/MobileNet-style layers. Prints a
table and writes benchmarks/peers_conv.json.

    python benchmarks/peers/run_conv.py

Needs what run_peers.py needs (dist/webtensor-*.whl, the Pyodide runtime dist, the peers'
node_modules); shares its page set-up.
"""
import datetime
import importlib.util
import json
import os
import platform
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CASES = [
    {"id": "resnet-3x3", "n": 1, "cin": 64, "cout": 64, "h": 56, "w": 56, "k": 3, "stride": 1,
     "pad": 1, "groups": 1},
    {"id": "resnet-1x1", "n": 1, "cin": 64, "cout": 256, "h": 56, "w": 56, "k": 1, "stride": 1,
     "pad": 0, "groups": 1},
    {"id": "resnet-3x3-s2", "n": 1, "cin": 128, "cout": 128, "h": 56, "w": 56, "k": 3,
     "stride": 2, "pad": 1, "groups": 1},
    {"id": "depthwise-3x3", "n": 1, "cin": 128, "cout": 128, "h": 56, "w": 56, "k": 3,
     "stride": 1, "pad": 1, "groups": 128},
]
ISAS = ("simd128", "relaxedsimd")


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(cases=CASES, isas=ISAS):
    peers = _load("run_peers", HERE / "run_peers.py")
    out = peers.run_site("peers-conv-site",
                         ("conv.html", "conv.js", "onnx_conv.js", "onnx_proto.js"), "conv.html",
                         {"cases": json.dumps(cases)}, "bench_webtensor_conv.py",
                         {"CONV_CASES": json.dumps(cases)}, "CONV_JSON ", isas)
    return {"cases": cases, **out}


def table(out):
    ids = [c["id"] for c in out["cases"]]
    lines = ["| library (single thread) | " + " | ".join(ids) + " |",
             "|---|" + "---:|" * len(ids)]
    rows = [(f"webtensor ({isa}, Pyodide, NCHW)", out["webtensor"][isa])
            for isa in out["webtensor"]]
    rows += [(rec.get("version", key), rec) for key, rec in out["peers"].items()]
    for name, rec in rows:
        cells = []
        for i in ids:
            s = rec.get("cases", {}).get(i, {})
            cells.append(f"{s['gflops']:.1f}" if "gflops" in s else "error")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    out = run()
    out["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"\nconv2d GFLOP/s, Chromium {out['browser_version']}, {out['date']}, "
          f"{out['machine']}\n")
    print(table(out))
    for c in out["cases"]:
        print(f"{c['id']}: N={c['n']} {c['cin']}->{c['cout']} {c['h']}x{c['w']} "
              f"k{c['k']} s{c['stride']} p{c['pad']} groups={c['groups']}")
    (REPO / "benchmarks" / "peers_conv.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote benchmarks/peers_conv.json")


if __name__ == "__main__":
    main()
