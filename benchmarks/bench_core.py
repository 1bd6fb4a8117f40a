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


def timer_resolution():
    """Smallest step of time.perf_counter (Chromium coarsens performance.now() to 100 us)."""
    step = float("inf")
    for _ in range(5):
        t0 = time.perf_counter()
        t1 = t0
        while t1 == t0:
            t1 = time.perf_counter()
        step = min(step, t1 - t0)
    return step


def best_times(fns, seconds=5.0, batch=None):
    """{name: best per-call time} for cheap calls, measured round-robin in short batches for
    `seconds`: every op gets many chances at a quiet moment, and disturbances (other processes,
    GC) hit all rows alike instead of one row's whole measurement."""
    if batch is None:                   # timer error under 0.5% of a batch
        batch = max(0.002, 200 * timer_resolution())
    reps = {}
    for k, f in fns.items():
        f()
        r = 1
        while True:
            t0 = time.perf_counter()
            for _ in range(r):
                f()
            if time.perf_counter() - t0 >= batch:
                break
            r *= 2
        reps[k] = r
    best = dict.fromkeys(fns, float("inf"))
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        for k, f in fns.items():
            r = reps[k]
            t0 = time.perf_counter()
            for _ in range(r):
                f()
            best[k] = min(best[k], (time.perf_counter() - t0) / r)
    return best


def small_ops():
    """Per-call cost of small ops (10 elements), where dispatch overhead is the whole cost,
    plus a few small shapes a decode step calls often (matmul [8, 64] @ [64, 64], linear
    [1, 64] -> 64, one-token SDPA with grouped-query heads):
    ({name: us}, {name: us for numpy inside the same runtime, if numpy imports; no linear or
    SDPA row there})."""
    F = torch.nn.functional
    a, b = torch.ones(10), torch.full((10,), 2.0)
    c = torch.ones(10)            # written by the in-place rows
    m = torch.ones(4, 5)
    torch.manual_seed(0)
    mA, mB = torch.randn(8, 64), torch.randn(64, 64)
    lx, lW, lb = torch.randn(1, 64), torch.randn(64, 64), torch.randn(64)
    q = torch.randn(1, 9, 1, 64)                        # SmolLM2-135M: 9 query heads,
    k, v = torch.randn(1, 3, 32, 64), torch.randn(1, 3, 32, 64)  # 3 KV heads, head dim 64
    ops = {
        "add10": lambda: a + b,
        "mul_scalar": lambda: a * 2.0,
        "exp": lambda: a.exp(),
        "sum": lambda: a.sum(),
        "add_": lambda: c.add_(b),
        "index0": lambda: a[0],
        "slice": lambda: a[2:7],
        "view": lambda: m.view(20),
        "empty": lambda: torch.empty(10),
        "matmul_small": lambda: mA @ mB,
        "linear_small": lambda: F.linear(lx, lW, lb),
        "sdpa_decode": lambda: F.scaled_dot_product_attention(q, k, v, enable_gqa=True),
    }
    small = {k: t * 1e6 for k, t in best_times(ops).items()}
    try:
        import numpy as np
    except ImportError:
        return small, {}
    x, y = np.ones(10, np.float32), np.full(10, 2.0, np.float32)
    z = np.ones(10, np.float32)
    xm = np.ones((4, 5), np.float32)
    nA, nB = mA.numpy(), mB.numpy()
    np_ops = {
        "add10": lambda: x + y,
        "mul_scalar": lambda: x * 2.0,
        "exp": lambda: np.exp(x),
        "sum": lambda: x.sum(),
        "add_": lambda: np.add(z, y, out=z),
        "index0": lambda: x[0],
        "slice": lambda: x[2:7],
        "view": lambda: xm.reshape(20),
        "empty": lambda: np.empty(10, np.float32),
        "matmul_small": lambda: nA @ nB,
    }
    return small, {k: t * 1e6 for k, t in best_times(np_ops).items()}


def main():
    result = {"platform": sys.platform, "python": sys.version.split()[0],
              "backend": backends.get_backend(), "isa": backends.get_isa()}
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and result["isa"] != want:
        raise RuntimeError(f"asked for the {want} kernels, got {result['isa']}")
    small, np_small = small_ops()
    result["add10_us"] = small["add10"]
    result["numpy_add10_us"] = np_small.get("add10")
    result["small_ops_us"] = small
    result["numpy_small_ops_us"] = np_small or None
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
    for k, v in small.items():
        ref = np_small.get(k)
        print(f"  {k:12s} {v:7.2f} us" + (f"   (numpy {ref:.2f} us)" if ref else ""))
    for n, g in gemm.items():
        print(f"  sgemm {n}^3: {g:.2f} GFLOP/s")
    print("BENCH_JSON " + json.dumps(result))


if __name__ == "__main__":  # also true for code run by Pyodide's runPython
    main()
