// What the bench_*_kernel(s).mjs scripts share: the kernel module instantiated straight in V8 as
// the Emscripten-style side module it is (memory, stack pointer and table imports), a kernel by
// op name for an ISA, the kernel dirs of the command line, half conversions and a CPU clock.
import fs from "node:fs"; import path from "node:path";

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const FILE = { simd128: "webtensor_simd128.wasm", relaxedsimd: "webtensor_relaxedsimd.wasm" };
const SUF = { simd128: "wasmsimd", relaxedsimd: "wasmrelaxedsimd" };
export const STACK_TOP = 8 << 20;   // the C stack grows down from here; buffers go above it

// argv: [ISA] [kernel dir ...]: one column per dir (e.g. an older build's kernels beside these)
export function args(defaultIsa = "relaxedsimd") {
  const isa = process.argv[2] ?? defaultIsa;
  const dirs = process.argv.length > 3 ? process.argv.slice(3)
    : [path.join(REPO, "pyodide_pkg", "webtensor", "kernels")];
  return { isa, dirs };
}

// pages: 64 KiB pages of memory. fn(name): the op's kernel for this ISA, else its simd128 form
// (kernels without a relaxed twin).
export function instantiate(kdir, isa, pages = 512, stackTop = STACK_TOP) {
  const memory = new WebAssembly.Memory({ initial: pages });
  const i32 = (v, mutable = false) => new WebAssembly.Global({ value: "i32", mutable }, v);
  const env = { memory, __memory_base: i32(1024), __table_base: i32(0),
    __stack_pointer: i32(stackTop, true),
    // the graph-replay loop's call_indirect table
    __indirect_function_table: new WebAssembly.Table({ initial: 4096, element: "anyfunc" }) };
  const bytes = fs.readFileSync(path.join(kdir, FILE[isa]));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env });
  const fn = (name) => inst.exports[`wt_${name}_${SUF[isa]}`] ?? inst.exports[`wt_${name}_wasmsimd`];
  return { memory, fn };
}

// float32 -> float16 / bfloat16 bits, truncated, float16 subnormals flushed (benchmark data)
export const f16 = (v) => { const u = new Uint32Array(new Float32Array([v]).buffer)[0];
  const s = (u >>> 16) & 0x8000, e = ((u >>> 23) & 0xff) - 112, m = (u >>> 13) & 0x3ff;
  return e <= 0 ? s : s | (e << 10) | m; };
export const bf16 = (v) => new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16;

// this process's CPU time in ms: steadier than the wall clock on a loaded machine
export const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
