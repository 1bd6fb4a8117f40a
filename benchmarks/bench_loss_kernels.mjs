#!/usr/bin/env node
// The pointwise-loss kernels (wasm_kernels/xN-loss: f32 / f64 / h16_pointwise_map) called
// straight from JS in V8: ms per 2^20 elements on 65536 elements (the cliff table's data: x, y
// in [-2, 2), bce's in [0, 1]), best of 200 calls round-robin over kernels and dirs (short
// calls keep the best free of a loaded machine's preemption). f32 `neg` (8 bytes per element,
// the byte count of a float32 loss with a reduction) is the yardstick: a float32 loss's cliff
// ratio is about ms / neg, a half's 2 ms / neg, a float64's ms / (2 neg).
//   node --experimental-wasm-relaxed-simd benchmarks/bench_loss_kernels.mjs relaxedsimd [dir ...]
import { args, instantiate, f16, bf16 } from "./kernel_module.mjs";
const { isa, dirs } = args("relaxedsimd");
const KINDS = { mse: 0, l1: 1, smooth_l1: 2, huber: 3, bce: 4, bce_logits: 5, kl_div: 6, xlogy: 8 };
const N = 65536, O = 12 << 20, P = 13 << 20, S = P + 64;
const SLOT = { f32: 0, f64: 1, f16: 2, bf16: 3 };   // x, y of each dtype (bce: its own slot)
const at = (dt, bce) => (16 + 2 * (SLOT[dt] + 4 * bce)) << 20;
const Ks = dirs.map((kdir) => {
  const { memory, fn } = instantiate(kdir, isa, 512, 12 << 20);
  new Float32Array(memory.buffer, P, 2).set([1, 1]); new Float64Array(memory.buffer, P + 8, 1)[0] = 1;
  for (const dt of Object.keys(SLOT)) for (const bce of [0, 1]) {
    for (const [base, salt] of [[at(dt, bce), 0], [at(dt, bce) + (1 << 20), 7]]) {
      const a = dt === "f64" ? new Float64Array(memory.buffer, base, N) : dt === "f32" ? new Float32Array(memory.buffer, base, N) : new Uint16Array(memory.buffer, base, N);
      for (let i = 0; i < N; i++) { const u = (((i + salt) * 2654435761) % 1000003) / 1000003, v = bce ? u : -2 + 4 * u;
        a[i] = dt === "f16" ? f16(v) : dt === "bf16" ? bf16(v) : v; } } }
  return (dt, kind) => { const name = dt === "f16" || dt === "bf16" ? "h16" : dt;
    const f = fn(`${name}_pointwise_map`);
    const red = kind === "xlogy" ? 0 : 2, flags = KINDS[kind] | red << 4 | (dt === "bf16") << 6;
    const prm = dt === "f64" ? P + 8 : P;
    const X = at(dt, +(kind === "bce")), Y = X + (1 << 20);
    return { run: () => f(N, flags, prm, X, Y, O, S),
             neg: fn("f32_neg") }; };
});
const DTS = (process.env.DTS ?? "f32,f64,f16,bf16").split(","), KS = (process.env.KS ?? Object.keys(KINDS).join(",")).split(",");
const cells = []; for (const dt of DTS) for (const k of KS) cells.push([dt, k]);
const best = Ks.map(() => ({ neg: Infinity })), ms = (t0) => (performance.now() - t0) * (1 << 20) / N;
for (let round = 0; round < 200; round++)
  Ks.forEach((K, d) => { for (const [dt, k] of cells) { const c = K(dt, k); c.run();
      const t0 = performance.now(); c.run(); best[d][dt + " " + k] = Math.min(best[d][dt + " " + k] ?? Infinity, ms(t0)); }
    const n = K("f32", "mse").neg, t0 = performance.now(); n(N, 16 << 20, O); best[d].neg = Math.min(best[d].neg, ms(t0)); });
console.log(`ms per 2^20 elements (${isa}; ${dirs.join(" | ")}); f32 neg: ${best.map((b) => b.neg.toFixed(3)).join(" ")}`);
for (const [dt, k] of cells) console.log((dt + " " + k).padEnd(16) + best.map((b) => b[dt + " " + k].toFixed(2).padStart(8)).join(" "));
