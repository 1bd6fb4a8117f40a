"""Quantised-weight linear (webtensor.quant) against f32, run inside Pyodide (Node or Chromium)
or on CPython: SmolLM2-135M's Linear shapes, x [M, K] @ W^T with W [N, K].

    python benchmarks/run.py --quant          (Pyodide in Node and Chromium, both builds)
    python benchmarks/bench_quant.py          (CPython / wasmtime: copies, not representative)

f32 is timed as x @ Wt with Wt [K, N] contiguous (the f32 gemv/gemm kernels' best layout);
each kind of quant.KINDS as quant.linear(x, Wq), "<kind>/i8" and "<kind>/i16" with
activations="int8" / "int16" (M == 1; int16 is the GGUF models' decode default).
q8_0 / q4_1 are quantised from the weight; the read-only kinds (q4_0 q5_0 q5_1 q4_k q6_k)
get random valid blocks (timing does not depend on the values); the K-quants only where K is
a multiple of 256 (SmolLM2: ffn_down's K = 1536). GB/s counts the weight bytes read once per
call (f32 4, q8_0 1.0625, q4_1 0.625, q4_0 0.5625, q5_0 0.6875, q5_1 0.75, q4_k 0.5625,
q6_k 0.8203 bytes per weight); GFLOP/s = 2 M N K / t. Also the dequantise (blocks -> f32)
rate. Prints a table and one line `BENCH_JSON {...}`.
Set WEBTENSOR_WASM_ISA (simd128 | relaxedsimd) before this runs to pick the kernel build.
"""
import json
import os
import random
import struct
import sys

import webtensor as torch
from webtensor import backends, quant
from bench_core import best_time  # run.py loads benchmarks/bench_core.py as a module

# (M, K, N): q/k/v/o 576x576, gate/up 576 -> 1536, down 1536 -> 576, tied LM head, prefill
SHAPES = [(1, 576, 576), (1, 576, 1536), (1, 1536, 576), (1, 576, 49152), (64, 576, 1536)]
BYTES_PER_WEIGHT = {"f32": 4.0}
for _k in quant.KINDS:
    BYTES_PER_WEIGHT[_k] = BYTES_PER_WEIGHT[_k + "/i8"] = BYTES_PER_WEIGHT[_k + "/i16"] = \
        quant.block_bytes(_k) / quant.block_size(_k)
# byte offsets of the float16 scales in a block of the read-only kinds
_HALVES = {"q4_0": (0,), "q5_0": (0,), "q5_1": (0, 2), "q4_k": (0, 2), "q6_k": (208,)}


def _weight(n, k):
    """[N, K] with varied values, built fast (a random tile repeated by a copy kernel)."""
    tile = torch.randn(min(n, 64), k)
    return tile.repeat((n + tile.shape[0] - 1) // tile.shape[0], 1)[:n].contiguous()


def _blocks(w, kind):
    """w as `kind` blocks: quantised where webtensor can, else random valid blocks (one random
    row repeated; small finite scales)."""
    n, k = w.shape
    if kind in ("q8_0", "q4_1"):
        return quant.quantize(w, kind)
    rng = random.Random(kind)
    bb, nb = quant.block_bytes(kind), k // quant.block_size(kind)
    row = bytearray(rng.randrange(256) for _ in range(nb * bb))
    for b in range(nb):
        for o in _HALVES[kind]:
            struct.pack_into("<e", row, b * bb + o, rng.uniform(-0.01, 0.01))
    return quant.from_blocks(kind, (n, k), bytes(row) * n)


def main():
    result = {"platform": sys.platform, "python": sys.version.split()[0],
              "backend": backends.get_backend(), "isa": backends.get_isa(), "rows": []}
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and result["isa"] != want:
        raise RuntimeError(f"asked for the {want} kernels, got {result['isa']}")
    torch.manual_seed(0)
    print(f"backend={result['backend']} isa={result['isa']} platform={result['platform']}")
    print(f"{'M x K x N':>16} {'format':>7} {'us':>10} {'GB/s':>7} {'GFLOP/s':>8} {'vs f32':>7}")
    for m, k, n in SHAPES:
        w = _weight(n, k)
        x = torch.randn(m, k)
        wt = w.t().contiguous()
        times = {"f32": best_time(lambda: x @ wt)}
        del wt
        for kind in quant.KINDS:
            if k % quant.block_size(kind):
                continue
            q = _blocks(w, kind)
            times[kind] = best_time(lambda: quant.linear(x, q))
            if m == 1:   # llama.cpp-style int8 activations (integer dot products)
                times[kind + "/i8"] = best_time(lambda: quant.linear(x, q, activations="int8"))
                times[kind + "/i16"] = best_time(
                    lambda: quant.linear(x, q, activations="int16"))
            if (m, k, n) == SHAPES[2]:
                result[f"dequantize_{kind}_gbs"] = n * k * 4 / best_time(
                    lambda: quant.dequantize(q)) / 1e9       # f32 bytes written
            del q
        del w
        for fmt, t in times.items():
            row = {"m": m, "k": k, "n": n, "format": fmt, "us": t * 1e6,
                   "gbs": n * k * BYTES_PER_WEIGHT[fmt] / t / 1e9,
                   "gflops": 2 * m * n * k / t / 1e9, "speedup": times["f32"] / t}
            result["rows"].append(row)
            print(f"{f'{m}x{k}x{n}':>16} {fmt:>7} {row['us']:10.1f} {row['gbs']:7.2f} "
                  f"{row['gflops']:8.2f} {row['speedup']:7.2f}")
    for kind in quant.KINDS:
        print(f"  dequantize {kind} 1536x576 -> f32: {result[f'dequantize_{kind}_gbs']:.2f} "
              "GB/s of f32 written")
    print("BENCH_JSON " + json.dumps(result))


if __name__ == "__main__":  # also true for code run by Pyodide's runPython
    main()
