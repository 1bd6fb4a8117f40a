#!/usr/bin/env python3
"""Cold start: after Pyodide is loaded, how long until webtensor gives a first result.

Steps, each timed apart (benchmarks/cold_start.mjs, the same code in Node and in the page):
micropip.install(<local wheel URL>) (or pyodide.loadPackage(<wheel URL>), no micropip),
`import webtensor`, the first op `(webtensor.ones(3) + 1).tolist()`; "total" is the three
together (issue 11's target: < 300 ms). Also shown: loading Pyodide and micropip (before the
clock starts) and `import webtensor.nn` afterwards (what the lazily imported part costs when a
program wants it). Each run is a fresh page in a fresh browser context (no HTTP or code
cache) / a fresh Node process; the table shows the median and the best of --runs. Node also
reports the process's CPU time, which a busy machine disturbs less than wall time.
On CPython: `import webtensor` and the first op from the same wheel, in a fresh
interpreter.

    python benchmarks/bench_cold_start.py [--runs 5] [--only chromium|node|cpython]
                                          [--wheel PATH ...] [--out benchmarks/cold_start.json]

Several --wheel (e.g. a build before and after a change, each in a folder named for it):
their runs alternate, so a change in the machine's load hits both alike; rows are labelled
with the wheel's folder name.

Needs dist/webtensor-*.whl and .cache/pyodide-runtime (scripts/test or scripts/bench make
them), Debian chromium and Python playwright for the Chromium rows.
"""
import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "benchmarks"
DIST = REPO / ".cache" / "pyodide-runtime"
STEPS = ("pyodide_load", "micropip_load", "install", "import", "first_op", "total", "nn_import")
CPYTHON_CODE = """\
import json, time
t0 = time.perf_counter()
import webtensor
t1 = time.perf_counter()
r = (webtensor.ones(3) + 1).tolist()
t2 = time.perf_counter()
assert r == [2.0, 2.0, 2.0], r
n = len([m for m in __import__("sys").modules if m.split(".")[0] == "webtensor"])
t3 = time.perf_counter()
import webtensor.nn
t4 = time.perf_counter()
ms = lambda a, b: {"ms": (b - a) * 1000}
print(json.dumps({"install_with": "-", "import": ms(t0, t1), "first_op": ms(t1, t2),
                  "total": ms(t0, t2), "nn_import": ms(t3, t4), "modules": n, "result": r}))
"""


def _script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _checked(r, where):
    if "error" in r:
        raise RuntimeError(f"{where}: {r['error']}")
    if r["result"] != [2, 2, 2]:
        raise RuntimeError(f"{where}: the first op gave {r['result']}, not [2, 2, 2]")
    return r


def run_node(wheel, install):
    p = subprocess.run(["node", str(HERE / "cold_start_node.mjs"), str(DIST), str(wheel),
                        install], capture_output=True, text=True, timeout=600)
    if p.returncode:
        raise RuntimeError(f"node failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return _checked(json.loads(p.stdout.strip().splitlines()[-1]), "node")


def run_chromium(wheels, installs, runs):
    """{(wheel, install): [result per run]}: one site per wheel, each run a fresh context."""
    from playwright.sync_api import sync_playwright
    serve, assemble = _script("serve"), _script("assemble_site")
    servers, urls = [], {}
    out = {(w, i): [] for w in wheels for i in installs}
    try:
        for k, wheel in enumerate(wheels):
            root = assemble.assemble(REPO / "build" / f"cold-start-site-{k}", "runtime", wheel,
                                     {"cold_start.html": HERE / "cold_start.html",
                                      "cold_start.mjs": HERE / "cold_start.mjs"})
            server, urls[wheel] = serve.start_server(root)
            servers.append(server)
        with sync_playwright() as p:
            browser = serve.launch_chromium(p)
            version = browser.version
            for _ in range(runs):
                for wheel in wheels:
                    for install in installs:
                        context = browser.new_context()       # nothing cached from before
                        page = context.new_page()
                        page.goto(f"{urls[wheel]}cold_start.html?install={install}")
                        page.wait_for_function("window.__cold !== undefined",
                                               timeout=300_000, polling=100)
                        out[wheel, install].append(
                            _checked(page.evaluate("window.__cold"), "chromium"))
                        context.close()
            browser.close()
    finally:
        for server in servers:
            server.shutdown()
    return version, out


def run_cpython(wheels, runs):
    """{wheel: [result per run]}: each wheel unpacked into a temporary folder (its first
    import, which writes the .pyc files as pip's install would, is not counted)."""
    import tempfile
    import zipfile
    out = {w: [] for w in wheels}
    with tempfile.TemporaryDirectory() as tmp:
        for k, wheel in enumerate(wheels):
            zipfile.ZipFile(wheel).extractall(Path(tmp) / str(k))
        for i in range(runs + 1):
            for k, wheel in enumerate(wheels):
                env = {**os.environ, "PYTHONPATH": str(Path(tmp) / str(k))}
                p = subprocess.run([sys.executable, "-c", CPYTHON_CODE], capture_output=True,
                                   text=True, env=env, cwd=tmp, timeout=300)
                if p.returncode:
                    raise RuntimeError(f"cpython failed:\n{p.stderr[-3000:]}")
                if i:
                    out[wheel].append(_checked(json.loads(p.stdout), "cpython"))
    return out


def summary(results):
    """{step: {median_ms, best_ms[, median_cpu_ms]}} over the runs of one row."""
    out = {}
    for s in STEPS:
        walls = [r[s]["ms"] for r in results if s in r]
        if not walls:
            continue
        out[s] = {"median_ms": statistics.median(walls), "best_ms": min(walls)}
        cpus = [r[s]["cpu_ms"] for r in results if "cpu_ms" in r.get(s, {})]
        if cpus:
            out[s]["median_cpu_ms"] = statistics.median(cpus)
    return out


def table(rows):
    shown = [s for s in STEPS if any(s in r["steps"] for r in rows)]
    lines = ["| wheel | runtime | install with | " + " | ".join(shown) + " | modules |",
             "|" + "---|" * (4 + len(shown))]
    for r in rows:
        cells = []
        for s in shown:
            v = r["steps"].get(s)
            cells.append("–" if v is None else f"{v['median_ms']:.0f} ({v['best_ms']:.0f})" + (
                f" cpu {v['median_cpu_ms']:.0f}" if "median_cpu_ms" in v else ""))
        lines.append(f"| {r['wheel']} | {r['runtime']} | {r['install_with']} | " +
                     " | ".join(cells) +
                     f" | {r['modules']} |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["chromium", "node", "cpython"])
    ap.add_argument("--wheel", type=Path, action="append",
                    help="default: the newest dist/webtensor-*.whl; repeat to compare wheels")
    ap.add_argument("--out", type=Path, default=HERE / "cold_start.json")
    args = ap.parse_args(argv)
    wheels = [w.resolve() for w in args.wheel or [_script("assemble_site").newest_wheel()]]
    installs = ("micropip", "loadPackage")
    rows = []

    def add(wheel, runtime, results):
        rows.append({"wheel": wheel.parent.name, "runtime": runtime,
                     "install_with": results[0]["install_with"],
                     "modules": results[0]["modules"], "steps": summary(results),
                     "runs": results})

    if args.only in (None, "chromium"):
        version, res = run_chromium(wheels, installs, args.runs)
        for (wheel, install), results in res.items():
            add(wheel, f"Pyodide / Chromium {version}", results)
    if args.only in (None, "node"):
        node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
        res = {(w, i): [] for w in wheels for i in installs}
        for _ in range(args.runs):
            for wheel, install in res:
                res[wheel, install].append(run_node(wheel, install))
        for (wheel, install), results in res.items():
            add(wheel, f"Pyodide / Node {node.strip()}", results)
    if args.only in (None, "cpython"):
        for wheel, results in run_cpython(wheels, args.runs).items():
            add(wheel, f"CPython {platform.python_version()}", results)
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    head = (f"Measured {when} on {machine} (load average {load}); "
            f"ms, median (best) of {args.runs} runs.")
    print(head + "\n\n" + table(rows))
    args.out.write_text(json.dumps({"date": when, "machine": machine, "load": load,
                                    "wheels": [str(w) for w in wheels], "rows": rows},
                                   indent=1) + "\n")


if __name__ == "__main__":
    main()
