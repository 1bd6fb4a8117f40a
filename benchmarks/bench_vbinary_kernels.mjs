#!/usr/bin/env node
// The pow / atan2 kernels (wasm_kernels/xN-vbinary) called straight from JS in V8: ms per 2^20
// elements on 16384-element operands shaped like the cliff table's (floats in [-2, 2) with a zero
// every 97, ints (b * 50) in [-100, 100), uint8 (b + 2) * 60), best of R (200) calls round-robin
// over the kernels and dirs (short calls: the best one is free of a loaded machine's
// preemption). One column per kernel dir (e.g. main's build and this one's); "x add": the
// ratio to f32_add per byte moved (raw kernels: no Pyodide dispatch, so above the cliff table's).
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_vbinary_kernels.mjs relaxedsimd [dir ...]
//   KS=f32_add,f32_pow R=300 node ... (the kernels to time)
import { args, instantiate, f16 } from "./kernel_module.mjs";
const { isa, dirs } = args("simd128");
const N = 16384, Y = 20 << 20;
const KS = (process.env.KS ?? "f32_add,f32_pow,f64_pow,f16_pow,bf16_pow,i64_pow,i32_pow,i16_pow,i8_pow,u8_pow,f32_atan2,f64_atan2,bf16_atan2").split(",");
const SZ = { f32: 4, f64: 8, f16: 2, bf16: 2, i64: 8, i32: 4, i16: 2, i8: 1, u8: 1 };
// each dtype's operands at their own offsets from 16 MiB: filled once, read by every round
const SLOT = Object.fromEntries(Object.keys(SZ).map((dt, i) => [dt, (16 << 20) + i * 2 * N * 8]));
function fill(mem, off, dt, salt) {
  for (let i = 0; i < N; i++) {
    const u = (((i + salt) * 2654435761) % 1000003) / 1000003; let b = -2 + 4 * u; if ((i + salt) % 97 === 0) b = 0;
    const dv = new DataView(mem.buffer);
    if (dt === "f32") dv.setFloat32(off + 4 * i, b, true);
    else if (dt === "f64") dv.setFloat64(off + 8 * i, b, true);
    else if (dt === "bf16") { const f = new Float32Array([b]); dv.setUint16(off + 2 * i, new Uint32Array(f.buffer)[0] >>> 16, true); }
    else if (dt === "f16") dv.setUint16(off + 2 * i, f16(b), true);
    else if (dt === "i64") dv.setBigInt64(off + 8 * i, BigInt(Math.trunc(b * 50)), true);
    else if (dt === "i32") dv.setInt32(off + 4 * i, Math.trunc(b * 50), true);
    else if (dt === "i16") dv.setInt16(off + 2 * i, Math.trunc(b * 50), true);
    else if (dt === "i8") dv.setInt8(off + i, Math.trunc(b * 50), true);
    else if (dt === "u8") dv.setUint8(off + i, Math.trunc((b + 2) * 60), true);
  }
}
const insts = dirs.map((kdir) => {
  const { memory, fn } = instantiate(kdir, isa, 512);
  return { fn, memory };
});
const best = dirs.map(() => Object.fromEntries(KS.map((k) => [k, Infinity])));
for (let r = 0; r < (+process.env.R || 200); r++)
  insts.forEach(({ fn, memory }, d) => { for (const k of KS) {
    const dt = k.split("_")[0];
    const A = SLOT[dt], B = A + N * 8;
    if (r === 0) { fill(memory, A, dt, 0); fill(memory, B, dt, 7); }
    const f = fn(k);
    if (!f) continue; const t0 = performance.now(); f(1, N, A, 0, 1, B, 0, 1, Y);
    best[d][k] = Math.min(best[d][k], (performance.now() - t0) * (1 << 20) / N); } });
console.log(`ms per 2^20 (${isa}; ${dirs.join(" | ")})`);
for (const k of KS) console.log(k.padEnd(11) + best.map((b) => b[k].toFixed(3).padStart(8)).join(" ") + "   x add: " + best.map((b) => (b[k] / b.f32_add / (3 * SZ[k.split("_")[0]]) * 12).toFixed(1).padStart(6)).join(" "));
