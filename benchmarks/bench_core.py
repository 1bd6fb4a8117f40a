"""Core benchmark, run inside Pyodide (Node or Chromium) or on CPython.

Set WEBTENSOR_WASM_ISA (simd128 | relaxedsimd) before this runs to pick the kernel build.
Prints a table and one line `BENCH_JSON {...}` that benchmarks/run.py collects.
"""
import json
import os
import sys
import time

import webtensor as torch
from webtensor import backends


def best_time(fn, min_batch=0.05, batches=5):
    """Best per-call time over several batches; each batch lasts >= min_batch seconds, since
    browsers coarsen performance.now() (Chromium: 100 us without cross-origin isolation)."""
    fn()  # warm up (first call also binds kernels)
    reps, t = 1, 0.0
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        t = time.perf_counter() - t0
        if t >= min_batch:
            break
        reps *= 2
    best = t / reps
    for _ in range(batches - 1):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        best = min(best, (time.perf_counter() - t0) / reps)
    return best


def main():
    result = {"platform": sys.platform, "python": sys.version.split()[0],
              "backend": backends.get_backend(), "isa": backends.get_isa()}
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and result["isa"] != want:
        raise RuntimeError(f"asked for the {want} kernels, got {result['isa']}")
    a = torch.ones(10)
    b = torch.full((10,), 2.0)
    result["add10_us"] = best_time(lambda: a + b) * 1e6
    try:
        import numpy as np
        x, y = np.ones(10, np.float32), np.full(10, 2.0, np.float32)
        result["numpy_add10_us"] = best_time(lambda: x + y) * 1e6
    except ImportError:
        result["numpy_add10_us"] = None
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "128,256,512,1024").split(",")]
    gemm = {}
    for n in sizes:
        A = torch.full((n, n), 0.5)
        B = torch.full((n, n), 0.25)
        t = best_time(lambda: A @ B)
        gemm[str(n)] = 2 * n ** 3 / t / 1e9
    result["sgemm_gflops"] = gemm
    print(f"backend={result['backend']} isa={result['isa']} platform={result['platform']}")
    print(f"  add (10 elements): {result['add10_us']:.2f} us/op")
    for n, g in gemm.items():
        print(f"  sgemm {n}^3: {g:.2f} GFLOP/s")
    print("BENCH_JSON " + json.dumps(result))


if __name__ == "__main__":  # also true for code run by Pyodide's runPython
    main()
