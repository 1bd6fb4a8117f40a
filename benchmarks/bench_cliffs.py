"""The cliff table: every op of the op table x every dtype it accepts, time per call, its ratio
to the expected cost, and which backend ran it (webtensor.backends.wasm.coverage holds the
cases and the documented reasons).

Expected cost: float32 `add` of 2**20 elements, per byte moved, times the cell's bytes (its
tensor inputs + outputs; views move none); sorts times log2(n); matmul/linear/conv/attention
(compute bound) the float32 cell of the same op, per byte of element. At least 0.1 ms (a
composite op's Python dispatch). A cell above 10x its expected cost is a cliff.
The float32 add is re-timed before every op (a probe) and each op's cells are scored against the
median of the 5 probes nearest to it: on a shared machine the add moved 0.27-0.45 ms between
runs minutes apart, and one global add moved every ratio (and the cliff count by ~50) with it.
Cells that fall back to the reference backend (pure Python) are timed at 10**4 elements and
scaled linearly (marked ~): at 2**20 they take seconds each.

    python benchmarks/bench_cliffs.py [--isa relaxedsimd|simd128] [--wheel W] [--out F]
        runs it in Pyodide under Node (the wheel in dist/, or W), prints the table and writes
        benchmarks/cliffs.json (or F)
    python benchmarks/bench_cliffs.py --chromium [--wheel W] [--out F]    (the same in headless
        Chromium, on the page's main thread; writes benchmarks/cliffs_chromium.json)
    python benchmarks/bench_cliffs.py --here    (on this Python: CPython + wasmtime)
    python benchmarks/bench_cliffs.py --compare BEFORE.json AFTER.json   (markdown for
        RESULTS.md: counts, the cells that changed backend, the cliffs left)
    python benchmarks/bench_cliffs.py --torch    (the same cells under real torch on CPython, one
        thread, scored against torch's own float32 add: benchmarks/cliffs_torch.json)
    python benchmarks/bench_cliffs.py --compare-torch OURS.json TORCH.json   (every cliff of
        ours beside torch's ratio for the same cell)
"""
import json
import math
import os
import sys
import time

N = 1 << 20          # elements per cell (sorts: N // 10)
SMALL = 10_000       # reference-backend cells: timed here, scaled to N
CLIFF = 10.0
COMPUTE = {"matmul", "mm", "bmm", "linear", "conv1d", "conv2d", "scaled_dot_product_attention"}
SORTS = {"sort", "argsort", "msort", "topk", "unique"}   # unique (sorted=True) is a sort
FLOOR_S = 1e-4


def _coverage():
    try:
        from webtensor.backends.wasm import coverage
    except ImportError:     # a wheel without it (a baseline): the copy next to this script
        import importlib.util
        spec = importlib.util.spec_from_file_location("webtensor.backends.wasm.coverage",
                                                      "coverage_cases.py")
        coverage = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = coverage
        spec.loader.exec_module(coverage)
    return coverage


def _tensors(v, T):
    if isinstance(v, T):
        yield v
    elif isinstance(v, (list, tuple)):
        for x in v:
            yield from _tensors(x, T)


def traffic(args, result, T):
    """Bytes read and written: tensor inputs, plus outputs that are not views of an input."""
    ins = list(_tensors(args, T))
    stor = {id(t._storage) for t in ins}
    b = sum(t.numel() * t.dtype.itemsize for t in ins)
    return b + sum(t.numel() * t.dtype.itemsize for t in _tensors(result, T)
                   if id(t._storage) not in stor)


def timeit(fn, args, budget=0.3, batch=0.02):
    """Best per-call time: one call if it is slow, else the best of 3 batches of >= 20 ms each
    (calls counted until the clock moves past 20 ms: Chromium's clock is coarse, ~0.1-1 ms)."""
    t0 = time.perf_counter()
    fn(*args)
    first = time.perf_counter() - t0
    if first > budget:
        return first
    best = first if first > batch else math.inf
    for _ in range(3):
        reps, t0 = 0, time.perf_counter()
        while True:
            fn(*args)
            reps += 1
            t = time.perf_counter() - t0
            if t >= batch:
                break
        best = min(best, t / reps)
    return best


def measure(only=None):
    import webtensor as torch
    from webtensor.backends.wasm import loader
    from webtensor.ops import table as T
    C = _coverage()
    Tensor = torch.Tensor
    rows, probes = [], []
    probe = C.call("add", torch.float32, N)
    for name in T.OPS:
        if only and name not in only:
            continue
        probes.append(timeit(*probe) * 1e3)
        for dt in C.DTYPES:
            try:
                _, used = C.run_cell(name, dt, SMALL)
            except Exception as e:      # the op refuses this dtype (as torch does)
                rows.append({"op": name, "dtype": dt.name, "accepted": False,
                             "error": type(e).__name__})
                continue
            n = SMALL if used else N
            fn, args = C.call(name, dt, n)
            t = timeit(fn, args)
            b = traffic(args, fn(*args), Tensor)
            scale = N / SMALL if used else 1.0
            rows.append({"op": name, "dtype": dt.name, "accepted": True, "ms": t * scale * 1e3,
                         "bytes": b * scale, "scaled": bool(used),
                         "backend": "reference: " + ", ".join(used) if used else "wasm",
                         "reason": bool(used and C.reason_for(name, dt)),
                         "probe": len(probes) - 1})
            print(f"  {name:30s} {dt.name:9s} {t * scale * 1e3:10.3f} ms  "
                  f"{'~' if used else ' '} {rows[-1]['backend']}", file=sys.stderr, flush=True)
    score(rows, probes)
    return {"isa": loader.load().isa, "n": N, "small": SMALL, "rows": rows, "probes": probes,
            "platform": sys.platform, "version": sys.version.split()[0]}


def score(rows, probes=None):
    """Fill each accepted row's yardstick_ms (float32 add: the median of the 5 probes nearest
    to the row's op, or the add row where a run has no probes), expected_ms and ratio (see the
    module docstring)."""
    add = next(r for r in rows if r["op"] == "add" and r["dtype"] == "float32")

    def yardstick(r):
        if not probes or r.get("probe") is None:
            return add["ms"]
        i = min(max(r["probe"] - 2, 0), max(len(probes) - 5, 0))
        return sorted(probes[i:i + 5])[len(probes[i:i + 5]) // 2]
    f32 = {r["op"]: r for r in rows if r["dtype"] == "float32" and r.get("accepted")}
    size = {"float64": 8, "int64": 8, "float32": 4, "int32": 4, "float16": 2, "bfloat16": 2,
            "int16": 2, "int8": 1, "uint8": 1, "bool": 1}
    for r in rows:
        if not r["accepted"]:
            continue
        r["yardstick_ms"] = yardstick(r)
        if r["op"] in COMPUTE and r["op"] in f32 and not f32[r["op"]]["scaled"]:
            exp = f32[r["op"]]["ms"] * max(1, size[r["dtype"]] / 4)
        else:
            exp = (r["yardstick_ms"] / add["bytes"] * r["bytes"]
                   * (math.log2(N // 10) if r["op"] in SORTS else 1))
        r["expected_ms"] = max(exp, FLOOR_S * 1e3)
        r["ratio"] = r["ms"] / r["expected_ms"]
        r["cliff"] = r["ratio"] > CLIFF


def table(result):
    rows = result["rows"]
    dts = list(dict.fromkeys(r["dtype"] for r in rows))
    ops = list(dict.fromkeys(r["op"] for r in rows))
    cell = {(r["op"], r["dtype"]): r for r in rows}
    lines = ["| op | " + " | ".join(dts) + " |", "|---|" + "---|" * len(dts)]
    for op in ops:
        out = []
        for d in dts:
            r = cell[(op, d)]
            if not r["accepted"]:
                out.append("–")
                continue
            s = f"{r['ms']:.3g}{'~' if r['scaled'] else ''} ({r['ratio']:.1f}x)"
            out.append(f"**{s}**" if r["cliff"] else s)
        lines.append(f"| {op} | " + " | ".join(out) + " |")
    return "\n".join(lines)


def cliffs(result):
    cs = [r for r in result["rows"] if r.get("cliff")]
    lines = [f"{len(cs)} cliffs (> {CLIFF:g}x expected) of "
             f"{sum(r['accepted'] for r in result['rows'])} accepted cells:"]
    for r in sorted(cs, key=lambda r: -r["ratio"]):
        lines.append(f"- {r['op']} {r['dtype']}: {r['ms']:.3g} ms, {r['ratio']:.0f}x, "
                     f"{r['backend']}" + (" (documented reason)" if r.get("reason") else ""))
    return "\n".join(lines)


def compare(before, after):
    """Markdown: cliff counts before/after, every cell that was a cliff before, the cliffs
    left (with their reasons)."""
    b = {(r["op"], r["dtype"]): r for r in before["rows"] if r["accepted"]}
    a = {(r["op"], r["dtype"]): r for r in after["rows"] if r["accepted"]}
    nb, na = sum(r["cliff"] for r in b.values()), sum(r["cliff"] for r in a.values())
    ref_b = sum(r["scaled"] for r in b.values())
    ref_a = sum(r["scaled"] for r in a.values())
    lines = [f"Cells: {len(a)} accepted op x dtype pairs. Cliffs (> {CLIFF:g}x expected): "
             f"{nb} before, {na} after; on the reference backend: {ref_b} before, {ref_a} "
             "after.", "", "| op | dtype | before ms (x) | after ms (x) | after backend |",
             "|---|---|---|---|---|"]
    for k in sorted(b, key=lambda k: -b[k]["ratio"]):
        if not b[k]["cliff"] or k not in a:
            continue
        r = a[k]
        lines.append(f"| {k[0]} | {k[1]} | {b[k]['ms']:.3g}{'~' if b[k]['scaled'] else ''} "
                     f"({b[k]['ratio']:.0f}x) | {r['ms']:.3g}{'~' if r['scaled'] else ''} "
                     f"({r['ratio']:.1f}x) | {'reference' if r['scaled'] else 'wasm'} |")
    return "\n".join(lines)


# ---- the same cells under real torch (CPython, one thread): how far from a streaming add
# each op is on this CPU in torch's own kernels (AVX2 / AVX-512 vector math, Sleef)
_TORCH_F = {"gelu", "silu", "one_hot", "linear", "conv1d", "conv2d", "max_pool1d", "max_pool2d",
            "avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d",
            "layer_norm", "rms_norm", "group_norm", "scaled_dot_product_attention", "embedding",
            "unfold", "fold", "grid_sample", "pad", "interpolate", "upsample", "cross_entropy",
            "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "binary_cross_entropy",
            "binary_cross_entropy_with_logits", "huber_loss", "kl_div", "cosine_similarity",
            "pairwise_distance", "pixel_shuffle", "pixel_unshuffle", "softmax", "log_softmax"}


def _torch_fn(torch, name):
    import torch.nn.functional as F
    if name in _TORCH_F and hasattr(F, name):
        return getattr(F, name)
    return getattr(torch, name, None) or getattr(F, name)


def _to_torch(v, torch, T):
    if isinstance(v, T):
        if v.dtype.name == "bfloat16":
            return torch.from_numpy(v.float().numpy().copy()).to(torch.bfloat16)
        return torch.from_numpy(v.numpy().copy())
    if isinstance(v, (list, tuple)):
        return type(v)(_to_torch(x, torch, T) for x in v)
    return v


def measure_torch(only=None):
    import torch
    import webtensor as wt
    from webtensor.ops import table as T
    torch.set_num_threads(1)
    C = _coverage()
    rows, probes = [], []

    def nbytes(x):
        return x.numel() * x.element_size()

    _, args = C.call("add", wt.float32, N)
    probe = (torch.add, _to_torch(args, torch, wt.Tensor))
    for name in T.OPS:
        if only and name not in only:
            continue
        probes.append(timeit(*probe) * 1e3)
        for dt in C.DTYPES:
            try:
                _, args = C.call(name, dt, N)
                fn, targs = _torch_fn(torch, name), _to_torch(args, torch, wt.Tensor)
                res = fn(*targs)
            except Exception as e:      # torch refuses this dtype / form
                rows.append({"op": name, "dtype": dt.name, "accepted": False,
                             "error": type(e).__name__})
                continue
            t = timeit(fn, targs)
            ins = list(_tensors(targs, torch.Tensor))
            ptrs = {x.untyped_storage().data_ptr() for x in ins}
            b = sum(nbytes(x) for x in ins) + sum(
                nbytes(x) for x in _tensors(res, torch.Tensor)
                if x.untyped_storage().data_ptr() not in ptrs)
            rows.append({"op": name, "dtype": dt.name, "accepted": True, "ms": t * 1e3,
                         "bytes": b, "scaled": False, "backend": "torch", "reason": False,
                         "probe": len(probes) - 1})
            print(f"  {name:30s} {dt.name:9s} {t * 1e3:10.3f} ms  torch", file=sys.stderr,
                  flush=True)
    score(rows, probes)
    return {"isa": "torch " + torch.__version__ + " (1 thread)", "n": N, "small": SMALL,
            "rows": rows, "probes": probes, "platform": sys.platform, "version": sys.version.split()[0]}


def compare_torch(ours, theirs):
    """Markdown: every cliff of ours beside torch's own ratio for the same cell (torch's float32
    add per byte on this CPU as its yardstick)."""
    t = {(r["op"], r["dtype"]): r for r in theirs["rows"] if r["accepted"]}
    ran = {r["op"] for r in theirs["rows"]}
    cs = sorted((r for r in ours["rows"] if r.get("cliff")), key=lambda r: -r["ratio"])
    both = sum((r["op"], r["dtype"]) in t and t[(r["op"], r["dtype"])]["cliff"] for r in cs)
    lines = [f"{len(cs)} cliffs; torch's own cell is above {CLIFF:g}x its add in {both} of them; "
             f"torch has {sum(r['cliff'] for r in t.values())} such cells of {len(t)}.", "",
             "| op | dtype | webtensor ms (x) | torch ms (x) |", "|---|---|---|---|"]
    for r in cs:
        o = t.get((r["op"], r["dtype"]))
        lines.append(f"| {r['op']} | {r['dtype']} | {r['ms']:.3g} ({r['ratio']:.1f}x) | "
                     + (f"{o['ms']:.3g} ({o['ratio']:.1f}x) |" if o else
                        "refused |" if r["op"] in ran else "not run |"))
    return "\n".join(lines)


def run_here():
    """Inside Pyodide: the result as CLIFF_JSON lines of at most 32 KB (the Node runner splits
    longer lines)."""
    result = measure(set(os.environ["CLIFF_OPS"].split(",")) if os.environ.get("CLIFF_OPS")
                     else None)
    text = json.dumps(result)
    for i in range(0, len(text), 32000):
        print("CLIFF_JSON " + text[i:i + 32000], flush=True)


def parse(output):
    parts = [line[len("CLIFF_JSON "):] for line in output.splitlines()
             if line.startswith("CLIFF_JSON ")]
    if not parts:
        raise RuntimeError("the benchmark printed no CLIFF_JSON line:\n" + output[-3000:])
    return json.loads("".join(parts))


def main(argv=None):
    import argparse
    import importlib.util
    from pathlib import Path
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--isa", default="relaxedsimd", choices=["relaxedsimd", "simd128"])
    ap.add_argument("--wheel")
    ap.add_argument("--ops", help="comma-separated op names (default: all)")
    ap.add_argument("--out", default=str(repo / "benchmarks" / "cliffs.json"))
    ap.add_argument("--here", action="store_true")
    ap.add_argument("--chromium", action="store_true")
    ap.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"))
    ap.add_argument("--torch", action="store_true")
    ap.add_argument("--compare-torch", nargs=2, metavar=("OURS", "TORCH"))
    args = ap.parse_args(argv)
    if args.compare or args.compare_torch:
        a, b = (json.loads(Path(f).read_text()) for f in args.compare or args.compare_torch)
        print(compare(a, b) if args.compare else compare_torch(a, b))
        return
    if args.ops:
        os.environ["CLIFF_OPS"] = args.ops
    if args.torch and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        # glibc maps and unmaps every large block: each torch call would pay page faults for
        # its output that the wasm heap (reused) never pays; keep freed memory instead
        env = dict(os.environ, MALLOC_MMAP_THRESHOLD_=str(1 << 32),
                   MALLOC_TRIM_THRESHOLD_=str(1 << 32))
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    if args.here or args.torch:
        sys.path.insert(0, str(repo / "pyodide_pkg"))
        only = set(args.ops.split(",")) if args.ops else None
        result = measure_torch(only) if args.torch else measure(only)
        if args.torch:
            result["runtime"] = "cpython " + sys.version.split()[0]
            if args.out == ap.get_default("out"):
                args.out = str(repo / "benchmarks" / "cliffs_torch.json")
    else:
        spec = importlib.util.spec_from_file_location("bench_run", repo / "benchmarks" / "run.py")
        run = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(run)
        code = ("import os\nos.environ['CLIFF_OPS'] = %r\n" % os.environ.get("CLIFF_OPS", ""))
        here = Path(__file__)
        copies = [f"{repo / 'pyodide_pkg/webtensor/backends/wasm/coverage.py'}=coverage_cases.py"]
        bench = repo / "build" / "bench_cliffs_node.py"
        bench.parent.mkdir(exist_ok=True)
        bench.write_text(code + here.read_text())
        if args.chromium:
            wheel = args.wheel or str(run._newest_wheel())
            res = run.run_chromium([args.isa], "", wheel, bench, parse=parse)
            result = res[args.isa]
            result["runtime"] = "chromium " + res["browser_version"]
            if args.out == ap.get_default("out"):
                args.out = str(repo / "benchmarks" / "cliffs_chromium.json")
        else:
            result = _run_node(run, args.isa, bench, copies, args.wheel)
            result["runtime"] = "node " + os.popen("node --version").read().strip()
    result["date"] = time.strftime("%Y-%m-%d")
    Path(args.out).write_text(json.dumps(result, separators=(",", ":")))
    print(table(result))
    print()
    print(cliffs(result))


def _run_node(run, isa, bench, copies, wheel=None):
    """benchmarks/run.py's run_node, with a wheel of choice (a baseline build) and no time
    limit short of an hour."""
    import subprocess
    flags = ["--experimental-wasm-relaxed-simd"] if isa == "relaxedsimd" else []
    p = subprocess.run(["node", *flags, str(run.REPO / "tests/pyodide/run_pytest.mjs"),
                        *(["--wheel", wheel] if wheel else []), *[a for c in copies for a in ("--copy", c)],
                        "-c", run._code(isa, "", bench)], cwd=run.REPO,
                       capture_output=True, text=True, timeout=3600)
    if p.returncode:
        raise RuntimeError(f"node run failed ({p.returncode}):\n{p.stdout[-3000:]}\n"
                           f"{p.stderr[-3000:]}")
    return parse(p.stdout)


if __name__ == "__main__":
    if sys.platform == "emscripten":
        run_here()
    else:
        main()
