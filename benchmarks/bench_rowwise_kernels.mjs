#!/usr/bin/env node
// softmax / layer_norm / rms_norm against a memcpy (the x32_copy kernel on contiguous data),
// the kernels called straight from JS in V8: % of memcpy = memcpy time / kernel time, all four
// timed round-robin in this process's CPU time (steady on a loaded machine), best of 15 rounds.
// With several kernel dirs (e.g. a copy of an older build) one figure per dir, "a | b".
// The Pyodide-level figures are `python benchmarks/run.py --bandwidth` (bench_bandwidth.py).
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_rowwise_kernels.mjs relaxedsimd [dir ...]
import { args, instantiate, STACK_TOP, cpuNow as now } from "./kernel_module.mjs";
const { isa, dirs } = args("relaxedsimd");
function load(kdir) {
  const { memory, fn } = instantiate(kdir, isa, 8192);
  let top = STACK_TOP;
  const alloc = (n) => { top = (top + 63) & ~63; const p = top; top += 4 * n;
    const a = new Float32Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = Math.random() * 4 - 2; return p; };
  return { fn, alloc, i32: (v) => { const p = alloc(v.length); new Int32Array(memory.buffer, p, v.length).set(v); return p; } };
}
const shapes = [[1, 65536], [1, 262144], [1, 1048576], [1, 4194304], [128, 768], [512, 768], [128, 384]];
const Ks = dirs.map(load);
for (const [r, n] of shapes) {
  const cases = Ks.map((K) => {
    const x = K.alloc(r * n), y = K.alloc(r * n), w = K.alloc(n), b = K.alloc(n);
    const sh = K.i32([r * n]), st = K.i32([1]);
    const cp = K.fn("x32_copy"), sm = K.fn("f32_softmax"), ln = K.fn("f32_layer_norm"), rn = K.fn("f32_rms_norm");
    return { memcpy: () => cp(1, sh, st, x, y), softmax: () => sm(r, n, 1, x, y),
             layer_norm: () => ln(r, n, 3, 1e-5, x, w, b, y), rms_norm: () => rn(r, n, 1, 1e-5, x, w, y) };
  });
  const names = ["memcpy", "softmax", "layer_norm", "rms_norm"];
  const best = cases.map(() => Object.fromEntries(names.map((k) => [k, Infinity])));
  const reps = {};
  for (const k of names) { let q = 1; for (;;) { const t0 = now(); for (let i = 0; i < q; i++) cases[0][k](); if (now() - t0 > 20) break; q *= 2; } reps[k] = q; }
  for (let round = 0; round < 15; round++)
    cases.forEach((c, d) => { for (const k of names) { const t0 = now(); for (let i = 0; i < reps[k]; i++) c[k](); best[d][k] = Math.min(best[d][k], (now() - t0) / reps[k]); } });
  console.log(`${r}x${n}: ` + best.map((b) => `memcpy ${(8 * r * n / b.memcpy / 1e6).toFixed(1)} GB/s ` +
    names.slice(1).map((k) => `${k} ${(100 * b.memcpy / b[k]).toFixed(0)}%`).join(" ")).join("  |  "));
}
