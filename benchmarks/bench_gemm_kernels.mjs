#!/usr/bin/env node
// GEMM-family kernels called straight from JS in V8 (no Python in the loop), to compare tile
// shapes, forms and blocking on the same engine the browser uses. Loads the built side
// modules itself (memory, stack and __memory_base set up here as Pyodide's linker would).
//
//   node --experimental-wasm-relaxed-simd benchmarks/bench_gemm_kernels.mjs [--isa I]
//        [--cases x@B,x@W^T] [--shapes 1x768x768,...] [--rounds R] [--cpu] [kernel dir ...]
//
// Prints GFLOP/s per (case, M x K x N shape); with several kernel dirs (variant builds) one
// number per dir, "a / b / ...", measured interleaved. Time: best of 5 batches >= 50 ms.
import path from "node:path";
import { REPO, STACK_TOP, instantiate } from "./kernel_module.mjs";

const KDIR = path.join(REPO, "pyodide_pkg", "webtensor", "kernels");

function load(kdir, isa) {
  const { memory, fn } = instantiate(kdir, isa, 16384);   // 1 GiB
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

// Wall time, or with --cpu this process's CPU time (getrusage): on a shared, loaded machine the
// CPU time of a single-threaded loop is far steadier than the wall clock. Batches >= 50 ms
// (200 ms for CPU time, whose accounting is coarser).
let cpuClock = false;
const now = () => cpuClock ? (({ user, system }) => (user + system) / 1000)(process.cpuUsage())
                           : performance.now();

function bestTime(f) {
  const minMs = cpuClock ? 200 : 50;
  f();
  let reps = 1, t;
  for (;;) {
    const t0 = now();
    for (let i = 0; i < reps; i++) f();
    t = now() - t0;
    if (t >= minMs) break;
    reps *= 2;
  }
  let b = t / reps;
  for (let i = 0; i < 4; i++) {
    const t0 = now();
    for (let r = 0; r < reps; r++) f();
    b = Math.min(b, (now() - t0) / reps);
  }
  return b / 1000;
}

const SHAPES = [[1, 768, 768], [1, 576, 1536], [1, 2048, 8192], [2, 768, 768], [4, 768, 768], [8, 768, 768],
                [16, 768, 768], [128, 384, 1536], [256, 256, 256], [512, 512, 512],
                [1024, 1024, 1024]];

// name -> (kernels, m, k, n, buffers) => call; flops 2mkn unless it is the "W GB/s" row
const CASES = {
  "x@B": (K, m, k, n, p) => m === 1
    ? () => K.gemv(1, n, k, p.x, 0, 1, p.b, 0, n, p.y, n)
    : () => K.gemm(1, m, n, k, p.x, 0, k, 1, p.b, 0, n, p.y, 0, n),
  "xT@B": (K, m, k, n, p) => () => K.gemm(1, m, n, k, p.xt, 0, 1, m, p.b, 0, n, p.y, 0, n),
  "x@W^T": (K, m, k, n, p) => () => K.lin(1, m, n, k, p.x, 0, k, 1, p.w, 0, k, p.bias, 0, p.y, 0, n, 0),
  "xT@W^T": (K, m, k, n, p) => () => K.lin(1, m, n, k, p.xt, 0, 1, m, p.w, 0, k, p.bias, 0, p.y, 0, n, 0),
  "+bias": (K, m, k, n, p) => () => K.lin(1, m, n, k, p.x, 0, k, 1, p.w, 0, k, p.bias, 1, p.y, 0, n, 0),
  "+bias+gelu": (K, m, k, n, p) => () => K.lin(1, m, n, k, p.x, 0, k, 1, p.w, 0, k, p.bias, 1, p.y, 0, n, 2),
  "+bias>gelu pass": (K, m, k, n, p) => () => {
    K.lin(1, m, n, k, p.x, 0, k, 1, p.w, 0, k, p.bias, 1, p.y, 0, n, 0);
    K.gelu(m * n, p.y, p.y);
  },
  // m == 1 only, in GB/s of W read (not GFLOP/s): the decode GEMV against the memory roofline,
  // a plain streaming read of the same bytes (f32_sum over n*k floats)
  "W GB/s": (K, m, k, n, p) => [() => K.lin(1, 1, n, k, p.x, 0, k, 1, p.w, 0, k, p.bias, 0, p.y, 0, n, 0), 4 * n * k],
  "sum GB/s": (K, m, k, n, p) => [() => K.sum(1, n * k, 1, p.w, p.y), 4 * n * k],
};

function setup(kdir, isa) {
  const K = load(kdir, isa);
  K.gemm = K.fn("f32_gemm_4x8"); K.gemv = K.fn("f32_gemv_1x32");
  K.lin = K.fn("f32_linear_4x8"); K.gelu = K.fn("f32_gelu"); K.sum = K.fn("f32_sum");
  return K;
}

// args: [--isa simd128|relaxedsimd] [--cases a,b] [--shapes 1x768x768,...] [--rounds R]
//       [kernel dirs to compare (default: the package's)]
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const isas = opt("--isa", "simd128,relaxedsimd").split(",");
const cases = opt("--cases", Object.keys(CASES).join(",")).split(",");
const shapes = opt("--shapes", null)?.split(",").map((s) => s.split("x").map(Number)) ?? SHAPES;
const rounds = Number(opt("--rounds", "1"));
if (argv.includes("--cpu")) { cpuClock = true; argv.splice(argv.indexOf("--cpu"), 1); }
const dirs = argv.length ? argv : [KDIR];
const json = [];
for (const isa of isas) {
  const Ks = dirs.map((d) => setup(d, isa));
  for (const [m, k, n] of shapes) {
    const line = { isa, shape: `${m}x${k}x${n}` };
    for (const c of cases) {
      if ((c.startsWith("xT") && m === 1) || (c.endsWith("GB/s") && m !== 1)) continue;
      const best = Ks.map(() => 0);
      for (let r = 0; r < rounds; r++) {   // interleaved, best of rounds: the machine is shared
        Ks.forEach((K, i) => {
          K.reset();
          const p = { x: K.alloc(m * k), xt: K.alloc(m * k), b: K.alloc(k * n, k ** -0.5),
                      w: K.alloc(n * k, k ** -0.5), bias: K.alloc(n), y: K.alloc(m * n) };
          const f = CASES[c](K, m, k, n, p);
          const g = Array.isArray(f) ? f[1] / bestTime(f[0]) / 1e9
                                     : 2 * m * n * k / bestTime(f) / 1e9;
          best[i] = Math.max(best[i], g);
        });
      }
      line[c] = best.map((g) => +g.toFixed(1)).join(" / ");
    }
    json.push(line);
    console.log(JSON.stringify(line));
  }
}
