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
import sys
import urllib.parse
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
    from playwright.sync_api import sync_playwright
    peers = _load("run_peers", HERE / "run_peers.py")
    serve, assemble = peers._script("serve"), peers._script("assemble_site")
    peers.ensure_deps()
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        sys.exit("no wheel in dist/: run scripts/bench (or python -m build --wheel)")
    extra = {"runner.html": REPO / "tests" / "browser" / "runner.html"}
    for f in ("conv.html", "conv.js", "onnx_conv.js"):
        extra[f"peers/{f}"] = HERE / f
    for name, src in peers.VENDOR.items():
        extra[f"peers/vendor/{name}"] = peers.NM / src
    root = assemble.assemble(REPO / "build" / "peers-conv-site", "runtime", wheels[-1], extra)
    server, url = serve.start_server(root)
    out = {"cases": cases, "wheel": wheels[-1].name, "npm": peers._versions(), "peers": {},
           "webtensor": {}}
    try:
        with sync_playwright() as p:
            browser = serve.launch_chromium(p)
            out["browser_version"] = browser.version
            page = browser.new_page()
            console = []
            page.on("console", lambda m: console.append(m.text))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.goto(f"{url}peers/conv.html?" + urllib.parse.urlencode(
                {"cases": json.dumps(cases)}))
            page.wait_for_function("window.__peers && window.__peers.state !== 'running'",
                                   timeout=1_200_000, polling=500)
            r = page.evaluate("window.__peers")
            page.close()
            print("\n".join(console), flush=True)
            if r["state"] != "done":
                raise RuntimeError("peers page failed: " + str(r["error"]))
            out["user_agent"] = r["result"]["userAgent"]
            out["peers"] = r["result"]["peers"]
            code_tail = ("import sys, types\nbench_core = types.ModuleType('bench_core')\n"
                         f"exec({(HERE.parent / 'bench_core.py').read_text()!r}, "
                         "bench_core.__dict__)\nsys.modules['bench_core'] = bench_core\n"
                         + (HERE / "bench_webtensor_conv.py").read_text())
            for isa in isas:
                code = (f"import os\nos.environ['WEBTENSOR_WASM_ISA'] = {isa!r}\n"
                        f"os.environ['CONV_CASES'] = {json.dumps(cases)!r}\n" + code_tail)
                page = browser.new_page()
                page.goto(f"{url}runner.html?" + urllib.parse.urlencode({"code": code}))
                page.wait_for_function(
                    "window.__runner && window.__runner.state !== 'running'",
                    timeout=1_200_000, polling=500)
                r = page.evaluate("window.__runner")
                page.close()
                print(f"webtensor {isa}:\n" + r["output"].split("installed", 1)[-1], flush=True)
                if r["exitCode"]:
                    raise RuntimeError(f"webtensor {isa} run failed:\n" + r["output"][-3000:])
                line = next(ln for ln in r["output"].splitlines() if ln.startswith("CONV_JSON "))
                out["webtensor"][isa] = json.loads(line[len("CONV_JSON "):])
            browser.close()
    finally:
        server.shutdown()
    return out


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
