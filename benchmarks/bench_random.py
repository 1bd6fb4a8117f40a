"""Random number benchmark (torch's CPU generator, issue 15), inside Pyodide or on CPython.

    python benchmarks/run.py --random [--only node|chromium]   (both builds; writes random.json)
    WEBTENSOR_WASM_ISA=simd128 python benchmarks/bench_random.py     (CPython: wasmtime copies
                                                                     regions, so slower)
Prints a table (ms per call, best of 5 batches) and `BENCH_JSON {...}`. The numbers are
torch's for the same seed (tests/unit/core/test_random_vs_torch.py); all fill on the xN-random
kernels (float64 normals and normals of < 16 elements: host-side Python).
"""
import json
import sys
import time

import webtensor as torch
from webtensor import backends
from bench_core import best_time  # run.py loads benchmarks/bench_core.py as a module


def cases():
    n = 1 << 20
    buf = torch.empty(n)
    buf64 = torch.empty(n, dtype=torch.float64)
    x = torch.ones(n)
    probs = torch.rand(49152).softmax(-1)
    lin = torch.nn.Linear(1024, 1024)
    ibuf = torch.empty(n, dtype=torch.int32)
    p = torch.rand(n)
    rows = torch.rand(64, 1000)
    return [
        ("randn(1000, 1000) f32", lambda: torch.randn(1000, 1000)),
        ("rand(1000, 1000) f32", lambda: torch.rand(1000, 1000)),
        ("uniform_(-1, 1) 1M f32", lambda: buf.uniform_(-1.0, 1.0)),
        ("normal_(0.5, 2) 1M f32", lambda: buf.normal_(0.5, 2.0)),
        ("rand 1M f64", lambda: torch.rand(n, dtype=torch.float64)),
        ("uniform_(-1, 1) 1M f64", lambda: buf64.uniform_(-1.0, 1.0)),
        ("dropout(p=0.1) 1M f32", lambda: torch.nn.functional.dropout(x, 0.1)),
        ("randn(16) f32", lambda: torch.randn(16)),
        ("randn(4) f32 (serial path)", lambda: torch.randn(4)),
        ("Linear(1024, 1024).reset_parameters()", lin.reset_parameters),
        ("randint(0, 1000, (65536,))", lambda: torch.randint(0, 1000, (65536,))),
        ("randperm(65536)", lambda: torch.randperm(65536)),
        ("multinomial(49k probs, 1)", lambda: torch.multinomial(probs, 1)),
        ("randint(0, 1000, 1M) int64", lambda: torch.randint(0, 1000, (n,))),
        ("randint(0, 2**40, 1M) int64", lambda: torch.randint(0, 2 ** 40, (n,))),
        ("random_() 1M int32", lambda: ibuf.random_()),
        ("randperm(1M)", lambda: torch.randperm(n)),
        ("bernoulli(p) 1M f32", lambda: torch.bernoulli(p)),
        ("exponential_() 1M f32", lambda: buf.exponential_()),
        ("exponential_() 1M f64", lambda: buf64.exponential_()),
        ("multinomial(49k probs, 1000, True)", lambda: torch.multinomial(probs, 1000, True)),
        ("multinomial(64 x 1000 probs, 10)", lambda: torch.multinomial(rows, 10)),
    ]


def first_call():
    """One randn(1000, 1000) before any other 1M-value draw in this process (the kernels
    already bound by a small draw): what a script's first line pays, wasm code not yet
    optimised by the engine (a single call: noisy on a loaded machine)."""
    torch.randn(16)
    t0 = time.perf_counter()
    torch.randn(1000, 1000)
    return (time.perf_counter() - t0) * 1e3


def main():
    backends.set_backend("wasm")
    torch.manual_seed(0)
    first = first_call()
    ms = {name: best_time(fn) * 1e3 for name, fn in cases()}
    ms["randn(1000, 1000) f32, first call"] = first
    from webtensor.backends.wasm import loader
    isa = loader.load().isa
    print(f"{'op':44s} ms  ({isa})")
    for name, v in ms.items():
        print(f"{name:44s} {v:9.3f}")
    print("BENCH_JSON " + json.dumps({"isa": isa, "python": sys.version.split()[0], "ms": ms}))


main()
