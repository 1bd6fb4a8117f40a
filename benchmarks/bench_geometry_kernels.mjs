#!/usr/bin/env node
// grid_sample / rowwise_dist / outer kernels of the cliff table's cells called straight from
// JS in V8, against x32_copy of the same bytes (memcpy), round-robin in this process's CPU
// time (steady on a loaded machine), best of 15 rounds; one column per kernel dir (e.g. an
// older build's kernels first): ms per call.
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_geometry_kernels.mjs relaxedsimd [dir ...]
import { args, instantiate, STACK_TOP, cpuNow as now, f16, bf16 } from "./kernel_module.mjs";
const { isa, dirs } = args("relaxedsimd");
const only = process.env.ONLY ? process.env.ONLY.split(",") : null;
function load(kdir) {
  const { memory, fn } = instantiate(kdir, isa, 16384);
  let top = STACK_TOP;
  // n elements of dt, uniform in [lo, hi)
  const alloc = (dt, n, lo = -2, hi = 2) => { top = (top + 63) & ~63; const p = top;
    const sz = { f32: 4, f64: 8, f16: 2, bf16: 2, i32: 4, u8: 1 }[dt]; top += sz * n;
    const r = () => lo + Math.random() * (hi - lo);
    if (dt === "f32") { const a = new Float32Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = r(); }
    else if (dt === "f64") { const a = new Float64Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = r(); }
    else if (dt === "i32") { const a = new Int32Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = Math.round(r()); }
    else if (dt === "u8") { const a = new Uint8Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = Math.round(r()) & 255; }
    else { const a = new Uint16Array(memory.buffer, p, n); const c = dt === "f16" ? f16 : bf16; for (let i = 0; i < n; i++) a[i] = c(r()); }
    return p; };
  return { fn, alloc };
}
const Ks = dirs.map(load);
const G = [8, 32, 64, 64, 64, 64];     // grid_sample: n c h w ho wo (the cliff cell)
const cases = Ks.map((K) => {
  const c = {}, x = K.alloc("f32", 1 << 20), y = K.alloc("f32", 1 << 20), sh = K.alloc("i32", 1, 1 << 20, 1 << 20), st = K.alloc("i32", 1, 1, 1);
  c.memcpy = () => K.fn("x32_copy")(1, sh, st, x, y);
  for (const dt of ["f32", "f64", "f16", "bf16"]) {
    const xi = K.alloc(dt, 8 * 32 * 64 * 64), g = K.alloc(dt, 8 * 64 * 64 * 2, -0.5, 0.5), o = K.alloc(dt, 8 * 32 * 64 * 64);
    const s = K.alloc("f64", 8 * (64 * 64 + 1) * 4);
    c[`grid_sample ${dt}`] = () => K.fn(`${dt}_grid_sample`)(...G, 0, xi, g, o, s);
  }
  for (const [dt, bf] of [["f16", 0], ["bf16", 1]]) {
    const a = K.alloc(dt, 1024), b = K.alloc(dt, 1024), o = K.alloc(dt, 1024 * 1024);
    if (K.fn("h16_outer")) c[`outer ${dt}`] = () => K.fn("h16_outer")(1024, 1024, bf, a, b, o);
  }
  return c;
});
const names = Object.keys(cases[0]).filter((k) => !only || only.some((o) => k.includes(o)) || k === "memcpy");
const best = cases.map(() => Object.fromEntries(names.map((k) => [k, Infinity])));
const reps = {};
for (const k of names) { let q = 1; for (;;) { const t0 = now(); for (let i = 0; i < q; i++) cases[0][k](); if (now() - t0 > 20) break; q *= 2; } reps[k] = q; }
for (let round = 0; round < 15; round++)
  cases.forEach((c, d) => { for (const k of names) { const t0 = now(); for (let i = 0; i < reps[k]; i++) c[k](); best[d][k] = Math.min(best[d][k], (now() - t0) / reps[k]); } });
for (const k of names) console.log(`${k.padEnd(24)} ` + best.map((b) => b[k].toFixed(3)).join("  |  "));
