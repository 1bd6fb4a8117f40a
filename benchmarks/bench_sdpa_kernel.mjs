#!/usr/bin/env node
// The fused attention kernel f32_sdpa called straight from JS in V8 (no Python in the loop):
// GFLOP/s counted as 4 B H L S E (causal rows count all S keys), per ISA and shape, for the
// built kernels or, with several kernel dirs (e.g. copies of an older build), one number per
// dir, "a / b", measured interleaved. Time: best of 20 batches >= 25 ms. The first shape is
// all-MiniLM-L6-v2's layer (B 1, 12 heads, 128 x 32, q/k/v read in place from [1, 128, 384]).
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_sdpa_kernel.mjs [kernel dir ...]
import path from "node:path";
import { REPO, STACK_TOP, instantiate } from "./kernel_module.mjs";

function load(kdir, isa) {
  const { memory, fn } = instantiate(kdir, isa, 4096);
  const f = fn("f32_sdpa");
  let top = STACK_TOP;
  const alloc = (n) => { top = (top + 63) & ~63; const p = top; top += 4 * n;
    const a = new Float32Array(memory.buffer, p, n); for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1; return p; };
  return (B, H, L, S, E, causal, model) => {
    top = STACK_TOP;
    const q = alloc(B*H*L*E), k = alloc(B*H*S*E), v = alloc(B*H*S*E), y = alloc(B*H*L*E);
    if (model)   // as a BERT layer calls it: heads interleaved in [B, L, H*E], a zero mask row
      return () => f(B, H, H, H, L, S, E, E, 2, 1 / Math.sqrt(E), q, L*H*E, E, H*E,
                     k, S*H*E, E, H*E, v, S*H*E, E, H*E, alloc(S), 0, 0, 0, y);
    return () => f(B, H, H, H, L, S, E, E, causal ? 1 : 0, 1 / Math.sqrt(E), q, H*L*E, L*E, E,
                   k, H*S*E, S*E, E, v, H*S*E, S*E, E, q, 0, 0, 0, y);
  };
}
// SDPA_CPU=1: this process's CPU time instead of the wall clock (steadier on a loaded machine)
const cpu = process.env.SDPA_CPU === "1";
const now = cpu ? () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; }
                : () => performance.now();
const batchMs = cpu ? 100 : 25;
const dirs = process.argv.length > 2 ? process.argv.slice(2)
  : [path.join(REPO, "pyodide_pkg", "webtensor", "kernels")];
const shapes = [[1,12,128,128,32,false,"MiniLM"],[1,12,128,128,64,false],[1,12,128,128,64,true],[1,12,1,512,64,false],[1,12,512,512,64,true]];
const only = process.env.SDPA_SHAPES?.split(",").map(Number);   // e.g. SDPA_SHAPES=0,3
for (const isa of (process.env.SDPA_ISA ?? "simd128,relaxedsimd").split(",")) {
  for (const sh of shapes.filter((_, i) => !only || only.includes(i))) {
    const fns = dirs.map(d => load(d, isa)(...sh));
    const best = fns.map(() => Infinity);
    for (let round = 0; round < 20; round++)
      fns.forEach((fn, i) => { let n = 0; const t0 = now(); let t;
        do { fn(); n++; t = now() - t0; } while (t < batchMs); best[i] = Math.min(best[i], t / n); });
    const [B,H,L,S,E,c,model] = sh;
    console.log(`${isa.padEnd(12)} B=${B} H=${H} L=${L} S=${S} E=${E} causal=${c}${model ? " (" + model + " layer, heads interleaved, mask)" : ""}: ` +
      best.map(t => (4*B*H*L*S*E / t / 1e6).toFixed(2)).join(" / ") + " GFLOP/s");
  }
}
