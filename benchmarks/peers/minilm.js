// all-MiniLM-L6-v2 (exported to ONNX on CPython by benchmarks/bench_minilm.py from
// webtensor/models/minilm.py under real torch) on onnxruntime-web's WASM EP, single thread.
// Timing as conv.js but batches >= 200 ms, best of 7 (as the webtensor side); each call runs the
// whole model on fixed token ids and reads the embedding back. Every installed onnxruntime-web
// (the newest and the 1.20.1 alias in package.json) runs in turn, each its own ES module.
import { bestTime, log, params, run, state } from "./page.js";

const IDS = JSON.parse(params.get("ids")), REF = JSON.parse(params.get("ref"));  // REF: torch
const MIN_BATCH_MS = 200, BATCHES = 7;   // as bench_webtensor_minilm.py

async function runOrt(pkg) {
  const ort = await import(`./vendor/${pkg}/ort.wasm.min.mjs`);
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.simd = true;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = new URL(`vendor/${pkg}/`, location.href).href;
  const model = new Uint8Array(await (await fetch("minilm.onnx")).arrayBuffer());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ["wasm"], graphOptimizationLevel: "all",
    intraOpNumThreads: 1, interOpNumThreads: 1 });
  const load_ms = performance.now() - t0;
  const n = IDS.length;
  const i64 = (a) => new ort.Tensor("int64", BigInt64Array.from(a.map(BigInt)), [1, n]);
  const feeds = { input_ids: i64(IDS), attention_mask: i64(IDS.map(() => 1)),
                  token_type_ids: i64(IDS.map(() => 0)) };
  const name = session.outputNames[0];
  const call = async () => (await session.run(feeds))[name].data;
  const got = await call();
  const max_abs_err_vs_torch = Math.max(...REF.map((r, i) => Math.abs(got[i] - r)));
  const { sec, reps } = await bestTime(call, MIN_BATCH_MS, BATCHES);
  session.release();
  return { name: "onnxruntime-web", version: `onnxruntime-web ${ort.env.versions?.web ?? "?"}`,
           info: `wasm EP numThreads=${ort.env.wasm.numThreads}, graphOptimizationLevel all`,
           ms_per_forward: sec * 1e3, reps, session_ms: load_ms, max_abs_err_vs_torch,
           model_bytes: model.length };
}

async function main() {
  const result = { userAgent: navigator.userAgent, crossOriginIsolated, peers: {} };
  for (const [key, pkg] of [["ort", "onnxruntime-web"], ["ort_1_20_1", "onnxruntime-web-1.20.1"]]) {
    try {
      const r = await runOrt(pkg);
      result.peers[key] = r;
      log(`${r.version}: ${r.ms_per_forward.toFixed(1)} ms per forward (reps ${r.reps})`);
    } catch (e) {
      result.peers[key] = { error: String(e?.stack ?? e) };
      log(`${pkg}: error ${e}`);
    }
  }
  state.result = result;
  state.state = "done";
}

run(main);
