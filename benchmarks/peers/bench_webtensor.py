"""webtensor sgemm on the peer shapes, run inside Pyodide on tests/browser/runner.html by
run_peers.py (same Chromium as the peers). Timed with benchmarks/bench_core.py's best_time (warm-up,
batches >= 50 ms, best per call). Set WEBTENSOR_WASM_ISA and PEER_SHAPES before this runs.
Also times the nn.Linear layout (W [N, K]: `x @ W.T`, `linear`, with and without the fused
bias + gelu epilogue) on LINEAR_SHAPES. Prints `PEERS_JSON {...}`."""
import json
import os
import random

import webtensor as torch
from bench_core import best_time  # run_peers.py loads benchmarks/bench_core.py as a module
from webtensor import backends


def check(M, K, N):
    """max abs error of A @ B against a float64 pure-Python product (random [-1, 1) inputs)."""
    rng = random.Random(M * 1000 + N)
    a = [[rng.uniform(-1, 1) for _ in range(K)] for _ in range(M)]
    b = [[rng.uniform(-1, 1) for _ in range(N)] for _ in range(K)]
    A, B = torch.tensor(a), torch.tensor(b)
    a, b = A.tolist(), B.tolist()  # the float32-rounded inputs
    C = (A @ B).tolist()
    err = 0.0
    for i in range(M):
        row = [0.0] * N
        for k in range(K):
            aik, bk = a[i][k], b[k]
            for j in range(N):
                row[j] += aik * bk[j]
        err = max(err, max(abs(c - r) for c, r in zip(C[i], row)))
    return err


# nn.Linear-shaped cases (W stored [N, K], read in place): webtensor-only rows of the table
LINEAR_SHAPES = ((1, 768, 768), (128, 384, 1536))


def linear_variants(M, K, N):
    """{row name: call} for the weight layout of nn.Linear."""
    from webtensor.ops.linalg import linear_act
    X, W = torch.full((M, K), 0.5), torch.full((N, K), 0.25)
    b = torch.full((N,), 0.125)
    return {
        "x @ W.T (W [N,K])": lambda: X @ W.T,
        "linear(x, W, b)": lambda: torch.linear(X, W, b),
        "linear + gelu, fused epilogue": lambda: linear_act(X, W, b, "gelu"),
        "gelu(linear(x, W, b)), 2 ops": lambda: torch.gelu(torch.linear(X, W, b)),
    }


def main():
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    out = {"backend": backends.get_backend(), "isa": backends.get_isa(), "shapes": {}}
    for M, K, N in json.loads(os.environ["PEER_SHAPES"]):
        A, B = torch.full((M, K), 0.5), torch.full((K, N), 0.25)
        t = best_time(lambda: A @ B)
        r = {"flops": 2 * M * K * N, "us_per_call": t * 1e6,
             "gflops": 2 * M * K * N / t / 1e9}
        if M * K * N <= 128 ** 3:
            r["max_abs_err"] = check(M, K, N)
        out["shapes"][f"{M}x{K}x{N}"] = r
        print(f"  {M}x{K}x{N}: {r['gflops']:.2f} GFLOP/s ({r['us_per_call']:.1f} us/call)")
    out["variants"] = {}
    for M, K, N in json.loads(os.environ["PEER_SHAPES"]):
        if (M, K, N) not in LINEAR_SHAPES:
            continue
        for name, fn in linear_variants(M, K, N).items():
            t = best_time(fn)
            r = {"flops": 2 * M * K * N, "us_per_call": t * 1e6,
                 "gflops": 2 * M * K * N / t / 1e9}
            out["variants"].setdefault(name, {})[f"{M}x{K}x{N}"] = r
            print(f"  {name} {M}x{K}x{N}: {r['gflops']:.2f} GFLOP/s "
                  f"({r['us_per_call']:.1f} us/call)")
    print("PEERS_JSON " + json.dumps(out))


main()
