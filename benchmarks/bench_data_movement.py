"""Data-movement ops that used to loop in Python (issue 15 item 3): unique, bincount and
torch.tensor(list), and sorts of 10^5 elements (the issue's 5 ms target), inside Pyodide or
on CPython.

    python benchmarks/run.py --data-movement [--only node|chromium]   (both builds; writes
                                                                       data_movement.json)
Prints a table (ms per call, best of 5 batches) and `BENCH_JSON {...}`.
"""
import json
import random
import sys

import webtensor as torch
from webtensor import backends
from bench_core import best_time  # run.py loads benchmarks/bench_core.py as a module


def cases():
    n = 1 << 20
    rng = random.Random(0)
    ints = torch.randint(0, 1000, (n,))
    floats = torch.randn(n)
    flat = [rng.random() for _ in range(n)]
    nested = [flat[i:i + 1024] for i in range(0, n, 1024)]
    flat_int = [rng.randrange(1000) for _ in range(n)]
    small = torch.randn(100_000)
    small64, small_int = small.double(), torch.randint(-10 ** 9, 10 ** 9, (100_000,))
    return [
        ("sort(1e5 float32)", lambda: small.sort()),
        ("sort(1e5 float64)", lambda: small64.sort()),
        ("sort(1e5 int64)", lambda: small_int.sort()),
        ("argsort(1e5 float32, stable=True)", lambda: small.argsort(stable=True)),
        ("unique(1M int64, 1000 values)", lambda: torch.unique(ints)),
        ("unique(1M int64), inverse + counts",
         lambda: torch.unique(ints, return_inverse=True, return_counts=True)),
        ("unique(1M float32)", lambda: torch.unique(floats)),
        ("unique_consecutive(1M int64)", lambda: torch.unique_consecutive(ints)),
        ("bincount(1M int64)", lambda: torch.bincount(ints)),
        ("bincount(1M int64, float32 weights)", lambda: torch.bincount(ints, floats)),
        ("tensor(list of 1M floats)", lambda: torch.tensor(flat)),
        ("tensor(1024 x 1024 nested floats)", lambda: torch.tensor(nested)),
        ("tensor(list of 1M ints)", lambda: torch.tensor(flat_int)),
    ]


def main():
    backends.set_backend("wasm")
    ms = {name: best_time(fn) * 1e3 for name, fn in cases()}
    from webtensor.backends.wasm import loader
    isa = loader.load().isa
    print(f"{'op':44s} ms  ({isa})")
    for name, v in ms.items():
        print(f"{name:44s} {v:9.3f}")
    print("BENCH_JSON " + json.dumps({"isa": isa, "python": sys.version.split()[0], "ms": ms}))


main()
