"""Bandwidth benchmark, run inside Pyodide (Node or Chromium) or on CPython: softmax,
layer_norm and rms_norm against a wasm memcpy (the x32_copy kernel on contiguous data), and
reductions / softmax along the last vs a leading axis.

Kernels are called directly on preallocated tensors (what the op costs once its Python
wrapper has run); the op-level time (wt.softmax(x, -1) etc., allocation included) is listed
next to it. GB/s counts one read and one write of the array (the minimum any of these ops
moves), so "% memcpy" is simply memcpy time / op time (the kernels and the memcpy timed
round-robin, so a busy moment hits them alike). Reductions count the input only.

Set WEBTENSOR_WASM_ISA (simd128 | relaxedsimd) first to pick the build. Prints tables and one
line `BENCH_JSON {...}` that benchmarks/run.py --bandwidth collects. On CPython the kernels
run under wasmtime, which copies every argument: only the Pyodide numbers mean anything.
"""
import json
import os
import sys

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm import backend as wasm_backend
from webtensor.backends.wasm.loader import Region
from webtensor.backends.wasm.views import int32_storage, region

from bench_core import best_time, best_times  # run.py loads bench_core.py as a module

ROWS = [(1, 65536), (1, 262144), (1, 1048576), (1, 4194304), (128, 768), (512, 768)]
AXIS_SHAPES = [(512, 768), (64, 64, 64)]


def _memcpy(K, x, y):
    n = x.numel()
    shape = Region(int32_storage([n]), 0, 4, False)
    strides = Region(int32_storage([1]), 0, 4, False)
    rx, ry = region(x), region(y, True)
    return lambda: K.x32_copy(1, shape, strides, rx, ry)


def bandwidth_rows(K, rows):
    out = []
    for r, n in rows:
        x = wt.randn(r, n)
        y = wt.empty(r, n)
        w, b = wt.randn(n), wt.randn(n)
        rx, ry, rw, rb = region(x), region(y, True), region(w), region(b)
        nbytes = 2 * 4 * r * n
        kern = {
            "memcpy": _memcpy(K, x, y),
            "softmax": lambda: K.f32_softmax(r, n, 1, rx, ry),
            "layer_norm": lambda: K.f32_layer_norm(r, n, 3, 1e-5, rx, rw, rb, ry),
            "rms_norm": lambda: K.f32_rms_norm(r, n, 1, 1e-5, rx, rw, ry),
        }
        ops = {
            "softmax": lambda: wt.softmax(x, -1),
            "layer_norm": lambda: wt.layer_norm(x, [n], w, b),
            "rms_norm": lambda: wt.rms_norm(x, [n], w),
        }
        row = {"shape": f"{r}x{n}"}
        # round-robin with memcpy: the ratios hold on a loaded machine
        for name, t in best_times(kern, seconds=float(os.environ.get("BENCH_BW_SECONDS",
                                                                        "2"))).items():
            row[name + "_gbs"] = nbytes / t / 1e9
        for name, fn in ops.items():
            row[name + "_op_us"] = best_time(fn) * 1e6
        for name in ops:
            row[name + "_pct_memcpy"] = 100 * row[name + "_gbs"] / row["memcpy_gbs"]
        out.append(row)
    return out


def axis_rows(shapes):
    """Op-level GB/s (input bytes) reducing the last dim vs the first dim."""
    out = []
    for shape in shapes:
        x = wt.randn(*shape)
        nbytes = 4 * x.numel()
        for dim in (-1, 0):
            row = {"shape": "x".join(map(str, shape)), "dim": dim}
            for name, fn in (("sum", lambda: x.sum(dim)), ("mean", lambda: x.mean(dim)),
                             ("amax", lambda: x.amax(dim)), ("var", lambda: x.var(dim)),
                             ("softmax", lambda: wt.softmax(x, dim))):
                row[name + "_gbs"] = nbytes / best_time(fn) / 1e9
            out.append(row)
    return out


def main():
    result = {"platform": sys.platform, "python": sys.version.split()[0],
              "backend": backends.get_backend(), "isa": backends.get_isa()}
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and result["isa"] != want:
        raise RuntimeError(f"asked for the {want} kernels, got {result['isa']}")
    K = wasm_backend.kernels()
    result["rows"] = bandwidth_rows(K, ROWS)
    result["axis"] = axis_rows(AXIS_SHAPES)
    print(f"backend={result['backend']} isa={result['isa']} platform={result['platform']}")
    print(table(result))
    print("BENCH_JSON " + json.dumps(result))


def table(r):
    lines = ["| shape | memcpy GB/s | softmax GB/s (% memcpy, op µs) | layer_norm GB/s "
             "(% memcpy, op µs) | rms_norm GB/s (% memcpy, op µs) |", "|---|---|---|---|---|"]
    for row in r["rows"]:
        cells = [f"{row[o + '_gbs']:.1f} ({row[o + '_pct_memcpy']:.0f}%, "
                 f"{row[o + '_op_us']:.0f})" for o in ("softmax", "layer_norm", "rms_norm")]
        lines.append(f"| {row['shape']} | {row['memcpy_gbs']:.1f} | " + " | ".join(cells) + " |")
    lines += ["", "| shape | dim | sum | mean | amax | var | softmax |  (GB/s of input, op level)",
              "|---|---|---|---|---|---|---|"]
    for row in r["axis"]:
        lines.append(f"| {row['shape']} | {row['dim']} | " + " | ".join(
            f"{row[o + '_gbs']:.1f}" for o in ("sum", "mean", "amax", "var", "softmax")) + " |")
    return "\n".join(lines)


if __name__ == "__main__":  # also true for code run by Pyodide's runPython
    main()
