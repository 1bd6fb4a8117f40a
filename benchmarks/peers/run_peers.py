#!/usr/bin/env python3
"""sgemm against the JS peers in one headless Chromium run, single thread:
@tensorflow/tfjs-backend-wasm (XNNPACK), onnxruntime-web (WASM EP) and webtensor (Pyodide,
simd128 and relaxedsimd kernel builds). Prints a table and writes benchmarks/peers.json.

    python benchmarks/peers/run_peers.py        (or: python benchmarks/run.py --peers)

Installs the peers' npm deps on demand (`npm ci --prefix benchmarks/peers`; they are not part
of the top-level package.json). Needs dist/webtensor-*.whl and the Pyodide runtime dist
(scripts/bench builds both).
"""
import datetime
import importlib.util
import json
import os
import platform
import subprocess
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SHAPES = [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
          (128, 384, 1536), (1, 768, 768)]
ISAS = ("simd128", "relaxedsimd")
NM = HERE / "node_modules"
VENDOR = {  # site path under peers/vendor/ -> file in node_modules
    "tf-core.min.js": "@tensorflow/tfjs-core/dist/tf-core.min.js",
    "tf-backend-wasm.min.js": "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
    "tfjs-backend-wasm.wasm": "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
    "tfjs-backend-wasm-simd.wasm": "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
    "tfjs-backend-wasm-threaded-simd.wasm":
        "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
    "ort.wasm.min.js": "onnxruntime-web/dist/ort.wasm.min.js",
    "ort-wasm-simd-threaded.mjs": "onnxruntime-web/dist/ort-wasm-simd-threaded.mjs",
    "ort-wasm-simd-threaded.wasm": "onnxruntime-web/dist/ort-wasm-simd-threaded.wasm",
    # ES-module builds, one folder per installed version (MiniLM runs both; llm.js the newest)
    **{f"{pkg}/{f}": f"{pkg}/dist/{f}" for pkg in ("onnxruntime-web", "onnxruntime-web-1.20.1")
       for f in ("ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")},
    "wllama/index.js": "@wllama/wllama/esm/index.js",
    "wllama/wllama.wasm": "@wllama/wllama/esm/wasm/wllama.wasm",
}


def _script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ensure_deps():
    if all((NM / p).exists() for p in VENDOR.values()):
        return
    print("run_peers: npm ci --prefix benchmarks/peers", flush=True)
    subprocess.run(["npm", "ci", "--prefix", str(HERE), "--no-audit", "--no-fund",
                    "--ignore-scripts"], check=True)


def _versions():
    return {p: json.loads((NM / p / "package.json").read_text())["version"]
            for p in ("@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "onnxruntime-web",
                      "onnxruntime-web-1.20.1", "@wllama/wllama")}


def run_site(site, files, page, query, script, env, marker, isas=ISAS, extra_files=None):
    """One Chromium run: the peers' page (`page`, JS libraries) then `script` (webtensor, inside
    Pyodide on tests/browser/runner.html) once per kernel build. `files`: this folder's files
    the page needs; `env`: variables for the script; `marker`: its JSON output line's prefix;
    `extra_files`: {path under peers/: file} from elsewhere (model weights, exports)."""
    from playwright.sync_api import sync_playwright
    serve, assemble = _script("serve"), _script("assemble_site")
    ensure_deps()
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        sys.exit("no wheel in dist/: run scripts/bench (or python -m build --wheel)")
    extra = {"runner.html": REPO / "tests" / "browser" / "runner.html"}
    for f in ("page.js", *files):           # page.js: what every peer page imports
        extra[f"peers/{f}"] = HERE / f
    for name, src in VENDOR.items():
        extra[f"peers/vendor/{name}"] = NM / src
    for name, src in (extra_files or {}).items():
        extra[f"peers/{name}"] = Path(src)
    root = assemble.assemble(REPO / "build" / site, "runtime", wheels[-1], extra)
    server, url = serve.start_server(root)
    out = {"wheel": wheels[-1].name, "npm": _versions(), "peers": {}, "webtensor": {}}
    try:
        with sync_playwright() as p:
            browser = serve.launch_chromium(p)
            out["browser_version"] = browser.version
            tab = browser.new_page()
            console = []
            tab.on("console", lambda m: console.append(m.text))
            tab.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            tab.goto(f"{url}peers/{page}?" + urllib.parse.urlencode(query))
            tab.wait_for_function("window.__peers && window.__peers.state !== 'running'",
                                  timeout=1_200_000, polling=500)
            r = tab.evaluate("window.__peers")
            tab.close()
            print("\n".join(console), flush=True)
            if r["state"] != "done":
                raise RuntimeError("peers page failed: " + str(r["error"]))
            out["user_agent"] = r["result"]["userAgent"]
            out["cross_origin_isolated"] = r["result"].get("crossOriginIsolated")
            out["peers"] = r["result"]["peers"]
            # bench_core.py as an importable module (its main() only runs as __main__).
            code_tail = ("import sys, types\nbench_core = types.ModuleType('bench_core')\n"
                         f"exec({(HERE.parent / 'bench_core.py').read_text()!r}, "
                         "bench_core.__dict__)\nsys.modules['bench_core'] = bench_core\n"
                         + (HERE / script).read_text())
            for isa in isas:
                code = (f"import os\nos.environ['WEBTENSOR_WASM_ISA'] = {isa!r}\n"
                        + "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in env.items())
                        + code_tail)
                tab = browser.new_page()
                tab.goto(f"{url}runner.html?" + urllib.parse.urlencode({"code": code}))
                tab.wait_for_function(
                    "window.__runner && window.__runner.state !== 'running'",
                    timeout=1_200_000, polling=500)
                r = tab.evaluate("window.__runner")
                tab.close()
                print(f"webtensor {isa}:\n" + r["output"].split("installed", 1)[-1], flush=True)
                if r["exitCode"]:
                    raise RuntimeError(f"webtensor {isa} run failed:\n" + r["output"][-3000:])
                line = next(ln for ln in r["output"].splitlines() if ln.startswith(marker))
                out["webtensor"][isa] = json.loads(line[len(marker):])
            browser.close()
    finally:
        server.shutdown()
    return out


def run(shapes=SHAPES, isas=ISAS):
    shapes = [list(s) for s in shapes]
    out = run_site("peers-site", ("sgemm.html", "sgemm.js", "onnx_matmul.js", "onnx_proto.js"),
                   "sgemm.html", {"shapes": json.dumps(shapes)}, "bench_webtensor.py",
                   {"PEER_SHAPES": json.dumps(shapes)}, "PEERS_JSON ", isas)
    return {"shapes": shapes, **out}


def table(out):
    ids = [f"{m}x{k}x{n}" for m, k, n in out["shapes"]]
    label = {i: (f"{i.split('x')[0]}³" if len(set(i.split("x"))) == 1 else i.replace("x", "×"))
             for i in ids}
    lines = ["| library (single thread) | " + " | ".join(label[i] for i in ids) + " |",
             "|---|" + "---:|" * len(ids)]
    rows = []
    for isa, rec in out["webtensor"].items():
        rows.append((f"webtensor {out['wheel'].split('-')[1]} ({isa}, Pyodide)", rec))
        for name, shapes in rec.get("variants", {}).items():   # W [N, K]: webtensor only
            rows.append((f"↳ {isa}: {name}", {"shapes": shapes}))
    for key, rec in out["peers"].items():
        name = rec.get("version", key)
        if key == "tfjs_newB":
            name = "tfjs (new B tensor each call)"
        rows.append((name, rec))
    for name, rec in rows:
        cells = []
        for i in ids:
            s = rec.get("shapes", {}).get(i, {})
            cells.append(f"{s['gflops']:.1f}" if "gflops" in s else "error" if s else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    out = run()
    out["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    print(f"\nsgemm GFLOP/s (M×K×N), Chromium {out['browser_version']}, {out['date']}, "
          f"{out['machine']}\n")
    print(table(out))
    for key, rec in out["peers"].items():
        if "error" in rec:
            print(f"{key}: {rec['error']}")
        else:
            print(f"{rec['name']}: {rec['info']}")
    (REPO / "benchmarks" / "peers.json").write_text(json.dumps(out, indent=1) + "\n")
    print("wrote benchmarks/peers.json")
    return out


if __name__ == "__main__":
    main()
