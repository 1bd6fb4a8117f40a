#!/usr/bin/env node
// GEMM-family kernels called straight from JS in V8 (no Python in the loop), to compare tile
// shapes, forms and blocking on the same engine the browser uses. Loads the built side
// modules itself (memory, stack and __memory_base set up here as Pyodide's linker would).
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_gemm_kernels.mjs [isa ...]
//
// Prints GFLOP/s per (kernel, shape); times: best of 5 batches >= 50 ms after a warm-up.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KDIR = path.join(REPO, "pyodide_pkg", "webtensor", "kernels");
const FILE = { simd128: "webtensor_simd128.wasm", relaxedsimd: "webtensor_relaxedsimd.wasm" };
const SUF = { simd128: "wasmsimd", relaxedsimd: "wasmrelaxedsimd" };

function load(isa) {
  const bytes = fs.readFileSync(path.join(KDIR, FILE[isa]));
  const memory = new WebAssembly.Memory({ initial: 16384 });   // 1 GiB
  const MEM_BASE = 1024, STACK_TOP = 8 << 20;                  // data below 1 MiB + stack
  const env = {
    memory,
    __memory_base: new WebAssembly.Global({ value: "i32", mutable: false }, MEM_BASE),
    __table_base: new WebAssembly.Global({ value: "i32", mutable: false }, 0),
    __stack_pointer: new WebAssembly.Global({ value: "i32", mutable: true }, STACK_TOP),
  };
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env });
  const fn = (name) => {
    const relaxed = inst.exports[`wt_${name}_${SUF[isa]}`];
    return relaxed ?? inst.exports[`wt_${name}_wasmsimd`];
  };
  let top = STACK_TOP;
  // 64-byte aligned, filled with values in [-scale, scale): products of x in [-1, 1) and W in
  // [-1/sqrt(k), 1/sqrt(k)) (nn.Linear's init) keep outputs O(1), as in a model
  const alloc = (nfloats, scale = 1) => {
    top = (top + 63) & ~63;
    const p = top;
    top += nfloats * 4;
    const a = new Float32Array(memory.buffer, p, nfloats);
    for (let i = 0; i < nfloats; i++) a[i] = scale * (((i * 7919) % 2001) / 1000 - 1);
    return p;
  };
  return { fn, alloc, reset: () => { top = STACK_TOP; } };
}

function best(f) {
  f();
  let reps = 1, t;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    t = performance.now() - t0;
    if (t >= 50) break;
    reps *= 2;
  }
  let b = t / reps;
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    b = Math.min(b, (performance.now() - t0) / reps);
  }
  return b / 1000;
}

const SHAPES = [[1, 768, 768], [1, 576, 1536], [4, 768, 768], [16, 768, 768], [128, 384, 1536],
                [256, 256, 256], [512, 512, 512], [1024, 1024, 1024]];

function run(isa) {
  const K = load(isa);
  const gemm = K.fn("f32_gemm_4x8"), gemv = K.fn("f32_gemv_1x32"), lin = K.fn("f32_linear_4x8");
  const rows = [];
  for (const [m, k, n] of SHAPES) {
    K.reset();
    const x = K.alloc(m * k), xt = K.alloc(m * k), b = K.alloc(k * n, k ** -0.5), w = K.alloc(n * k, k ** -0.5);
    const bias = K.alloc(n), y = K.alloc(m * n);
    const fl = 2 * m * n * k;
    const r = { shape: `${m}x${k}x${n}` };
    // x @ B, B [k, n] row-major (gemv for m == 1)
    r["x@B"] = fl / best(() => m === 1 ? gemv(1, n, k, x, 0, 1, b, 0, n, y, n)
                                       : gemm(1, m, n, k, x, 0, k, 1, b, 0, n, y, 0, n)) / 1e9;
    // A^T @ B with A stored [k, m] (strided A)
    if (m > 1) r["xT@B"] = fl / best(() => gemm(1, m, n, k, xt, 0, 1, m, b, 0, n, y, 0, n)) / 1e9;
    // x @ W^T, W [n, k] (nn.Linear layout), no bias / bias+gelu
    r["x@W^T"] = fl / best(() => lin(1, m, n, k, x, 0, k, 1, w, 0, k, bias, 0, y, 0, n, 0)) / 1e9;
    r["+bias+gelu"] = fl / best(() => lin(1, m, n, k, x, 0, k, 1, w, 0, k, bias, 1, y, 0, n, 2)) / 1e9;
    if (m > 1) r["xT@W^T"] = fl / best(() => lin(1, m, n, k, xt, 0, 1, m, w, 0, k, bias, 0, y, 0, n, 0)) / 1e9;
    const gelu = K.fn("f32_gelu");
    r["gelu pass"] = fl / best(() => { lin(1, m, n, k, x, 0, k, 1, w, 0, k, bias, 1, y, 0, n, 0);
                                       gelu(m * n, y, y); }) / 1e9;
    if (m === 1) r["W GB/s"] = n * k * 4 / best(() => lin(1, m, n, k, x, 0, k, 1, w, 0, k, bias, 0, y, 0, n, 0)) / 1e9;
    rows.push(r);
    console.log(isa, JSON.stringify(r, (key, v) => typeof v === "number" ? +v.toFixed(1) : v));
  }
  return rows;
}

const isas = process.argv.slice(2).length ? process.argv.slice(2) : ["simd128", "relaxedsimd"];
for (const isa of isas) run(isa);
