"""Gather / conversion / transpose benchmark, inside Pyodide or on CPython.

    python benchmarks/run.py --gather     (Node and Chromium, both builds; writes gather.json)
    WEBTENSOR_WASM_ISA=simd128 python benchmarks/bench_gather.py     (CPython: wasmtime copies
                                                                     regions, so slower)
Prints a table (ms per call, best of 5 batches) and `BENCH_JSON {...}`. The reference backend
column runs the same op on the pure-Python backend where that takes under a few seconds.
"""
import json
import sys

import webtensor as torch
from webtensor import backends
from bench_core import best_time  # run.py loads benchmarks/bench_core.py as a module


def cases():
    n = 1 << 20
    x = torch.randn(1024, 1024)
    img = torch.randn(1, 64, 56, 56)
    f = torch.randn(n)
    h = f.half()
    i64 = torch.randint(-1000, 1000, (n,))
    mask = f > 0
    w = torch.randn(8192, 576)
    tok = torch.randint(0, 8192, (128,))
    small = torch.randn(256, 256)
    sel = torch.randint(0, 1024, (512,))
    return [
        ("transpose 1024x1024 f32 (x.t().contiguous())", lambda: x.t().contiguous(), None),
        ("permute NCHW->NHWC 1x64x56x56 f32", lambda: img.permute(0, 2, 3, 1).contiguous(),
         None),
        ("transpose 256x256 f32", lambda: small.t().contiguous(),
         lambda: small.t().contiguous()),
        ("f32 -> f16, 1M", lambda: f.half(), None),
        ("f16 -> f32, 1M", lambda: h.float(), None),
        ("f32 -> bf16, 1M", lambda: f.bfloat16(), None),
        ("i64 -> i32, 1M", lambda: i64.int(), None),
        ("f32 -> i64, 1M", lambda: f.long(), None),
        ("bool -> f32, 1M", lambda: mask.float(), None),
        ("fill (ones) f32, 1M", lambda: torch.ones(n), None),
        ("masked_fill f32, 1M", lambda: f.masked_fill(mask, 0.0), None),
        ("where f32, 1M", lambda: torch.where(mask, f, -f), None),
        ("embedding 128 tokens of 8192x576", lambda: torch.embedding(tok, w), None),
        ("index_select dim 1, 1024x1024 by 512", lambda: x.index_select(1, sel),
         None),
        ("i64 add, 1M", lambda: i64 + i64, None),
        ("i64 lt scalar, 1M", lambda: i64 < 3, None),
        ("f32 -> f16, 4096 (reference comparable)", lambda: f[:4096].half(),
         lambda: f[:4096].half()),
    ]


def main():
    res = {"platform": sys.platform, "isa": backends.get_isa(), "ms": {}, "reference_ms": {}}
    rows = []
    for name, fn, ref_fn in cases():
        backends.set_backend("wasm")
        t = best_time(fn) * 1e3
        res["ms"][name] = t
        r = None
        if ref_fn is not None:
            backends.set_backend("reference")
            r = best_time(ref_fn, min_batch=0.2, batches=2) * 1e3
            res["reference_ms"][name] = r
            backends.set_backend("wasm")
        rows.append((name, t, r))
    print(f"{'op':48s} {'wasm ms':>10s} {'reference ms':>13s}")
    for name, t, r in rows:
        print(f"{name:48s} {t:10.3f} {'' if r is None else f'{r:13.1f}'}")
    print("BENCH_JSON " + json.dumps(res))


main()
