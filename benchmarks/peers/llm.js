// SmolLM2-135M on the JS peers, single thread, no COOP/COEP (so no threads anyway), each on the
// prompt webtensor's bench_smollm2.py uses (same token ids) and the same number of greedy tokens:
// - wllama (llama.cpp in wasm) on the GGUF files: prefill and decode tokens/s from llama.cpp's own
//   timings (prompt_per_second, predicted_per_second), best of `repeats` completions, each with
//   cache_prompt: false so none reuses the last one's KV cache; setCompat(null): no CDN build.
// - onnxruntime-web (WASM EP) on the ONNX decode-step graphs (export_smollm2_onnx.py): prefill =
//   one run over the prompt into an empty cache, best of `repeats`; decode = `decode` greedy
//   steps feeding present.* back as past_key_values.*, argmax in JS (as webtensor's timing,
//   which includes its argmax).
import { log, params, run, state } from "./page.js";
import { Wllama } from "./vendor/wllama/index.js";

const IDS = JSON.parse(params.get("ids")), TEXT = params.get("text");  // TEXT: IDS decoded
const DECODE = Number(params.get("decode")), REPEATS = Number(params.get("repeats"));
const GGUFS = JSON.parse(params.get("ggufs")), ONNX = JSON.parse(params.get("onnx"));
const [KV_HEADS, HEAD_DIM] = JSON.parse(params.get("kv"));
const here = (p) => new URL(p, location.href).href;

async function runWllama(path) {
  const w = new Wllama({ default: here("vendor/wllama/wllama.wasm") },
                       { suppressNativeLog: true, allowOffline: true });
  w.setCompat(null);
  const blob = await (await fetch(path)).blob();
  const t0 = performance.now();
  await w.loadModel([blob], { n_threads: 1, n_ctx: 256, n_gpu_layers: 0 });
  const load_ms = performance.now() - t0;
  const runs = [];
  let text = "";
  for (let i = 0; i < REPEATS; i++) {
    const r = await w.createCompletion({ prompt: TEXT, max_tokens: DECODE, temperature: 0,
                                         ignore_eos: true, cache_prompt: false, stream: false });
    if (!r.timings) throw new Error("wllama returned no timings: " + JSON.stringify(r).slice(0, 300));
    if (r.timings.prompt_n !== IDS.length || r.timings.predicted_n !== DECODE)
      throw new Error(`wllama ran ${r.timings.prompt_n} + ${r.timings.predicted_n} tokens, not ` +
                      `${IDS.length} + ${DECODE}: ${JSON.stringify(r.timings)}`);
    runs.push(r.timings);
    text = r.choices?.[0]?.text ?? "";
  }
  const info = w.getLoadedContextInfo();
  await w.exit();
  const best = (k) => Math.max(...runs.map((t) => t[k]));
  return { version: `wllama ${params.get("wllama")} (llama.cpp ${Wllama.getLibllamaVersion?.() ?? "?"})`,
           load_ms, prompt_n: runs[0].prompt_n, predicted_n: runs[0].predicted_n,
           prefill_tok_s: best("prompt_per_second"), decode_tok_s: best("predicted_per_second"),
           timings: runs, n_ctx: info.n_ctx, text, threads: 1 };
}

async function runOrt(path, weights) {
  const ort = await import("./vendor/onnxruntime-web/ort.wasm.min.mjs");
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths = here("vendor/onnxruntime-web/");
  const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(bytes, {
    executionProviders: ["wasm"], graphOptimizationLevel: "all",
    intraOpNumThreads: 1, interOpNumThreads: 1 });
  const load_ms = performance.now() - t0;
  const pastNames = session.inputNames.filter((n) => n.startsWith("past_key_values."));
  const empty = () => new ort.Tensor("float32", new Float32Array(0), [1, KV_HEADS, 0, HEAD_DIM]);
  const step = async (ids, past) => {
    const feeds = { input_ids: new ort.Tensor("int64", BigInt64Array.from(ids.map(BigInt)),
                                              [1, ids.length]) };
    pastNames.forEach((n, i) => { feeds[n] = past[i]; });
    const out = await session.run(feeds);
    const present = pastNames.map((n) => out[n.replace("past_key_values.", "present.")]);
    return { logits: out.logits.data, present };
  };
  const argmax = (a) => { let b = 0; for (let i = 1; i < a.length; i++) if (a[i] > a[b]) b = i; return b; };
  let prefill = Infinity, r;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    r = await step(IDS, pastNames.map(empty));
    prefill = Math.min(prefill, performance.now() - t);
  }
  const tokens = [argmax(r.logits)];
  const t = performance.now();
  for (let i = 0; i < DECODE; i++) {
    r = await step([tokens[tokens.length - 1]], r.present);
    tokens.push(argmax(r.logits));
  }
  const decode = performance.now() - t;
  await session.release();
  return { version: `onnxruntime-web ${ort.env.versions?.web ?? "?"}`,
           info: `wasm EP numThreads=1, graphOptimizationLevel all, ${weights}`,
           load_ms, model_bytes: bytes.length, prefill_tok_s: IDS.length / prefill * 1e3,
           decode_tok_s: DECODE / decode * 1e3, decode_ms_per_token: decode / DECODE, tokens };
}

async function main() {
  const result = { userAgent: navigator.userAgent, crossOriginIsolated, peers: {} };
  const jobs = Object.entries(GGUFS).map(([label, p]) => [`wllama ${label}`, () => runWllama(p)]);
  for (const [label, [p, weights]] of Object.entries(ONNX))
    jobs.push([`onnxruntime-web ${label}`, () => runOrt(p, weights)]);
  for (const [key, job] of jobs) {
    try {
      const r = await job();
      result.peers[key] = r;
      log(`${key}: prefill ${r.prefill_tok_s.toFixed(1)} tok/s, decode ${r.decode_tok_s.toFixed(2)} tok/s`);
    } catch (e) {
      result.peers[key] = { error: String(e?.stack ?? e) };
      log(`${key}: error ${e?.stack ?? e}`);
    }
  }
  state.result = result;
  state.state = "done";
}

run(main);
