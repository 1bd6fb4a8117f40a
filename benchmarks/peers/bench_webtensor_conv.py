"""webtensor conv2d on the peer cases, inside Pyodide on tests/browser/runner.html, driven by
run_conv.py (same Chromium as the peers). Timed with bench_core.best_time. Also times the
im2col kernel alone on the im2col+GEMM cases (how much of the conv is the patch copy).
Set WEBTENSOR_WASM_ISA and CONV_CASES before this runs. Prints `CONV_JSON {...}`."""
import json
import os
import random

import webtensor as torch
from bench_core import best_time  # run_conv.py loads benchmarks/bench_core.py as a module
from webtensor import backends
from webtensor.backends.wasm import backend as wasm_backend
from webtensor.backends.wasm.conv import col_ld
from webtensor.backends.wasm.views import region


def out_size(c):
    return (c["h"] + 2 * c["pad"] - c["k"]) // c["stride"] + 1


def check(c, x, w, b, y):
    """max abs error at 64 output points against a float64 pure-Python sum."""
    xv, wv, bv, yv = (t.reshape(-1).tolist() for t in (x, w, b, y))
    cg, og, oh = c["cin"] // c["groups"], c["cout"] // c["groups"], out_size(c)
    k, err = c["k"], 0.0
    for i in range(64):
        o, yy, xx = (i * 37) % c["cout"], (i * 13) % oh, (i * 29 + 3) % oh
        g, s = o // og, bv[o]
        for ci in range(cg):
            for ki in range(k):
                for kj in range(k):
                    iy, ix = yy * c["stride"] - c["pad"] + ki, xx * c["stride"] - c["pad"] + kj
                    if 0 <= iy < c["h"] and 0 <= ix < c["w"]:
                        s += wv[((o * cg + ci) * k + ki) * k + kj] * \
                            xv[((g * cg + ci) * c["h"] + iy) * c["w"] + ix]
        err = max(err, abs(yv[(o * oh + yy) * oh + xx] - s))
    return err


def main():
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    out = {"backend": backends.get_backend(), "isa": backends.get_isa(), "cases": {}}
    rng = random.Random(0)
    K = wasm_backend.kernels()
    for c in json.loads(os.environ["CONV_CASES"]):
        n, ci, co, k = c["n"], c["cin"], c["cout"], c["k"]
        x = torch.tensor([rng.uniform(-1, 1) for _ in range(n * ci * c["h"] * c["w"])]
                         ).reshape(n, ci, c["h"], c["w"])
        w = torch.tensor([rng.uniform(-1, 1) for _ in range(co * ci // c["groups"] * k * k)]
                         ).reshape(co, ci // c["groups"], k, k)
        b = torch.tensor([rng.uniform(-1, 1) for _ in range(co)])

        def conv():
            return torch.conv2d(x, w, b, c["stride"], c["pad"], 1, c["groups"])
        oh = out_size(c)
        flops = 2 * n * co * oh * oh * (ci // c["groups"]) * k * k
        t = best_time(conv)
        r = {"flops": flops, "us_per_call": t * 1e6, "gflops": flops / t / 1e9,
             "max_abs_err": check(c, x, w, b, conv())}
        if k > 1 and c["groups"] == 1:     # im2col + GEMM path: the patch copy alone
            col = torch.empty(ci * k * k, oh * oh)
            rx, rc = region(x), region(col, True)
            args = (ci, c["h"], c["w"], k, k, c["stride"], c["stride"], c["pad"], c["pad"],
                    1, 1, oh, oh, oh * oh, rx, rc)
            r["im2col_us"] = best_time(lambda: K.f32_im2col(*args)) * 1e6
            # the GEMM alone on the patch matrix, plain row stride vs the padded one used
            gemm, m, kk = K.fn("f32_gemm_4x8"), co, ci * k * k
            y = torch.empty(co, oh * oh)
            for name, ld in (("gemm_us_ld_plain", oh * oh), ("gemm_us_ld_padded", col_ld(oh * oh))):
                col = torch.empty(kk, ld)
                ga = (1, m, oh * oh, kk, region(w), 0, kk, 1, region(col), 0, ld,
                      region(y, True), 0, oh * oh)
                r[name] = best_time(lambda: gemm(*ga)) * 1e6
            # B as 8-column panels ([N/8][K][8], contiguous): one batched GEMM, batch = panels
            nb = oh * oh // 8
            pan = torch.empty(nb * kk * 8)
            ga = (nb, m, 8, kk, region(w), 0, kk, 1, region(pan), kk * 8, 8,
                  region(y, True), 8, oh * oh)
            r["gemm_us_panels"] = best_time(lambda: gemm(*ga)) * 1e6
        out["cases"][c["id"]] = r
        extra = (f", im2col {r['im2col_us']:.0f} us, gemm alone {r['gemm_us_ld_plain']:.0f} us "
                 f"(ld = oh*ow) / {r['gemm_us_ld_padded']:.0f} us (padded ld) / "
                 f"{r['gemm_us_panels']:.0f} us (8-column panels)"
                 if "im2col_us" in r else "")
        print(f"  {c['id']}: {r['gflops']:.2f} GFLOP/s ({r['us_per_call']:.1f} us/call{extra}, "
              f"max abs err {r['max_abs_err']:.1e})")
    print("CONV_JSON " + json.dumps(out))


main()
