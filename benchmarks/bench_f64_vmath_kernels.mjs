#!/usr/bin/env node
// The float64 transcendental kernels (wasm_kernels/f64-vunary) called straight from JS in V8:
// ms per 2^20 elements, on 16384 float64 in [-2, 2) (the cliff table's data range), best of 300
// calls round-robin over the kernels and dirs: the short calls keep the best one free of a
// loaded machine's preemption. With several kernel dirs (e.g. main's) one column per dir.
//
//   node benchmarks/bench_f64_vmath_kernels.mjs simd128 [dir ...]
//   node --experimental-wasm-relaxed-simd benchmarks/bench_f64_vmath_kernels.mjs relaxedsimd [dir ...]
// VM_SRC=f32|i32|i64 times the float32 kernels (f32-vunary) or the integer-input ones (xN_vunary)
// instead; `neg` (a load and a store per vector) is the memory-bound yardstick.
import { args, instantiate } from "./kernel_module.mjs";
const { isa, dirs } = args("simd128");
const SRC = process.env.VM_SRC ?? "f64";
const ARR = { f64: Float64Array, f32: Float32Array, i32: Int32Array, i64: BigInt64Array }[SRC];
const INT_OPS = ["exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sigmoid", "erf", "rsqrt", "sqrt"];
const OPS = SRC.startsWith("i") ? INT_OPS : ["neg", "exp", "expm1", "log", "log1p", "sin", "cos", "tanh",
             "sigmoid", "silu", "erf", "gelu", "gelu_tanh", "rsqrt"].filter((o) => SRC === "f32" || o !== "neg");
const N = 16384, X = 16 << 20, Y = 20 << 20;
const Ks = dirs.map((kdir) => {
  const { memory, fn } = instantiate(kdir, isa);
  const x = new ARR(memory.buffer, X, N);   // ints: [-100, 100) as the cliff table's
  for (let i = 0; i < N; i++) {
    const u = ((i * 2654435761) % 1000003) / 1000003;
    x[i] = SRC === "i64" ? BigInt(Math.floor(200 * u) - 100) : SRC === "i32" || process.env.VM_INTS ? Math.floor(200 * u) - 100 : -2 + 4 * u;
  }
  return (op) => fn(`${SRC}_${op}`);
});
const best = Ks.map(() => Object.fromEntries(OPS.map((k) => [k, Infinity])));
for (let round = 0; round < 300; round++)
  Ks.forEach((K, d) => { for (const op of OPS) { const f = K(op); const t0 = performance.now(); f(N, X, Y);
    best[d][op] = Math.min(best[d][op], (performance.now() - t0) * (1 << 20) / N); } });
console.log(`${SRC}, ms per 2^20 elements (${isa}; ${dirs.join(" | ")})`);
for (const op of OPS) console.log(op.padEnd(10) + best.map((b) => b[op].toFixed(2).padStart(8)).join(" "));
