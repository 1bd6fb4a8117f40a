// sgemm timing for @tensorflow/tfjs-backend-wasm and onnxruntime-web (WASM EP), single thread.
// Same method as benchmarks/bench_core.py: one warm-up call, then batches that double in
// length until one lasts >= 50 ms, then 5 batches of that many calls; best per-call time.
import { onnxMatMulModel } from "./onnx_matmul.js";
import { bestTime, log, params, randArray, run, state } from "./page.js";

const SHAPES = JSON.parse(params.get("shapes") ??
  "[[128,128,128],[256,256,256],[512,512,512],[1024,1024,1024],[128,384,1536],[1,768,768]]");
// float64 reference product
function refMatMul(A, B, M, K, N) {
  const C = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let k = 0; k < K; k++) {
      const a = A[i * K + k];
      for (let j = 0; j < N; j++) C[i * N + j] += a * B[k * N + j];
    }
  return C;
}
const maxAbsErr = (C, R) => { let e = 0; for (let i = 0; i < R.length; i++) e = Math.max(e, Math.abs(C[i] - R[i])); return e; };

async function setupTfjs() {
  const tf = window.tf;
  tf.wasm.setWasmPaths(new URL("vendor/", location.href).href);
  tf.wasm.setThreadsCount(1);
  await tf.setBackend("wasm");
  await tf.ready();
  return {
    name: "tfjs-backend-wasm",
    version: `tfjs-core ${tf.version_core}, tfjs-backend-wasm ${tf.wasm.version_wasm}`,
    info: `backend=${tf.getBackend()} threads=${tf.wasm.getThreadsCount?.() ?? "?"} ` +
          `simd=${await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")} ` +
          `multithread=${await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT")}`,
    async prepare(A, B, M, K, N) {
      const a = tf.tensor2d(A, [M, K]), b = tf.tensor2d(B, [K, N]);
      const call = () => { const c = tf.matMul(a, b); const d = c.dataSync(); c.dispose(); return d; };
      return { call, result: () => call(), dispose: () => { a.dispose(); b.dispose(); } };
    },
  };
}

// tfjs-backend-wasm caches the XNNPACK fully-connected operator (B transposed and packed) on
// B's tensor id, so repeated tf.matMul(a, b) with the same b skips packing B. This variant
// uploads B as a new tensor every call (tf.tensor2d copy into the wasm heap + operator
// creation/packing + matmul + dataSync), i.e. what a fresh right-hand side costs.
async function setupTfjsFreshB() {
  const base = await setupTfjs();
  const tf = window.tf;
  return {
    ...base, name: "tfjs-backend-wasm (new B tensor per call)",
    async prepare(A, B, M, K, N) {
      const a = tf.tensor2d(A, [M, K]);
      const call = () => {
        const b = tf.tensor2d(B, [K, N]);
        const c = tf.matMul(a, b); const d = c.dataSync(); c.dispose(); b.dispose(); return d;
      };
      return { call, result: () => call(), dispose: () => a.dispose() };
    },
  };
}

async function setupOrt() {
  const ort = window.ort;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = new URL("vendor/", location.href).href;
  return {
    name: "onnxruntime-web",
    version: `onnxruntime-web ${ort.env.versions?.web ?? "?"}`,
    info: `wasm EP numThreads=${ort.env.wasm.numThreads} crossOriginIsolated=${self.crossOriginIsolated}`,
    async prepare(A, B, M, K, N) {
      const session = await ort.InferenceSession.create(onnxMatMulModel(M, K, N),
        { executionProviders: ["wasm"], graphOptimizationLevel: "all",
          intraOpNumThreads: 1, interOpNumThreads: 1 });
      const feeds = { A: new ort.Tensor("float32", A, [M, K]), B: new ort.Tensor("float32", B, [K, N]) };
      const call = async () => (await session.run(feeds)).C.data;
      return { call, result: call, dispose: () => session.release() };
    },
  };
}

async function main() {
  const result = { userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated,
                   peers: {} };
  const wanted = (params.get("peers") ?? "tfjs,tfjs_newB,ort").split(",");
  const setups = { tfjs: setupTfjs, tfjs_newB: setupTfjsFreshB, ort: setupOrt };
  for (const key of wanted) {
    let peer;
    try { peer = await setups[key](); }
    catch (e) { result.peers[key] = { error: `setup failed: ${e?.stack ?? e}` }; log(`${key}: setup failed: ${e}`); continue; }
    const rec = { name: peer.name, version: peer.version, info: peer.info, shapes: {} };
    result.peers[key] = rec;
    log(`${peer.name}: ${peer.version}; ${peer.info}`);
    for (const [M, K, N] of SHAPES) {
      const id = `${M}x${K}x${N}`;
      try {
        const A = randArray(M * K, 1 + M), B = randArray(K * N, 7 + N);
        const p = await peer.prepare(A, B, M, K, N);
        const r = { flops: 2 * M * K * N };
        if (M * K * N <= 512 * 512 * 512) {  // correctness check (float64 reference)
          const C = await p.result();
          r.max_abs_err = maxAbsErr(C, refMatMul(A, B, M, K, N));
        }
        const { sec, reps } = await bestTime(p.call);
        r.us_per_call = sec * 1e6; r.reps = reps; r.gflops = r.flops / sec / 1e9;
        p.dispose();
        rec.shapes[id] = r;
        log(`  ${id}: ${r.gflops.toFixed(2)} GFLOP/s (${r.us_per_call.toFixed(1)} us/call, ` +
            `reps ${reps}${r.max_abs_err !== undefined ? `, max abs err ${r.max_abs_err.toExponential(1)}` : ""})`);
      } catch (e) {
        rec.shapes[id] = { error: String(e?.stack ?? e) };
        log(`  ${id}: error ${e}`);
      }
    }
  }
  state.result = result;
  state.state = "done";
}

run(main);
