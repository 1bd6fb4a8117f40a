// conv2d timing for @tensorflow/tfjs-backend-wasm and onnxruntime-web (WASM EP), single thread,
// same method as sgemm.js (warm-up, batches >= 50 ms, best of 5). Each library runs its native
// layout: tfjs NHWC (filter [kh, kw, in, out]; depthwise [kh, kw, in, 1]), onnxruntime NCHW.
// Weights are fixed per case (a layer's parameters); the input tensor is uploaded once; each
// call computes the conv (+bias) and reads the output back.
import { onnxConvModel } from "./onnx_conv.js";
import { bestTime, log, params, randArray, run, state } from "./page.js";

const CASES = JSON.parse(params.get("cases"));

// NCHW input / OIHW weights, float64 reference at a few output points
function refPoint(c, X, W, B, n, o, y, x) {
  const cg = c.cin / c.groups, og = c.cout / c.groups, g = Math.floor(o / og);
  let s = B[o];
  for (let ci = 0; ci < cg; ci++)
    for (let ki = 0; ki < c.k; ki++)
      for (let kj = 0; kj < c.k; kj++) {
        const iy = y * c.stride - c.pad + ki, ix = x * c.stride - c.pad + kj;
        if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
        s += W[((o * cg + ci) * c.k + ki) * c.k + kj] *
             X[((n * c.cin + g * cg + ci) * c.h + iy) * c.w + ix];
      }
  return s;
}
const outSize = (c) => Math.floor((c.h + 2 * c.pad - c.k) / c.stride) + 1;
function maxErr(c, X, W, B, getNCHW) {  // getNCHW(n, o, y, x) reads the library's output
  const oh = outSize(c);
  let e = 0;
  for (let i = 0; i < 64; i++) {
    const o = (i * 37) % c.cout, y = (i * 13) % oh, x = (i * 29 + 3) % oh;
    e = Math.max(e, Math.abs(getNCHW(0, o, y, x) - refPoint(c, X, W, B, 0, o, y, x)));
  }
  return e;
}

async function setupTfjs() {
  const tf = window.tf;
  tf.wasm.setWasmPaths(new URL("vendor/", location.href).href);
  tf.wasm.setThreadsCount(1);
  await tf.setBackend("wasm");
  await tf.ready();
  return {
    name: "tfjs-backend-wasm",
    version: `tfjs-core ${tf.version_core}, tfjs-backend-wasm ${tf.wasm.version_wasm}`,
    info: `backend=${tf.getBackend()} threads=${tf.wasm.getThreadsCount?.() ?? "?"} NHWC`,
    async prepare(c, X, W, B) {
      const oh = outSize(c), cg = c.cin / c.groups;
      const dw = c.groups === c.cin && cg === 1;
      // NCHW -> NHWC input; OIHW -> HWIO (or HWC1 for depthwise) filter
      const xh = new Float32Array(X.length);
      for (let ch = 0; ch < c.cin; ch++)
        for (let p = 0; p < c.h * c.w; p++) xh[p * c.cin + ch] = X[ch * c.h * c.w + p];
      const wlen = c.k * c.k * cg * c.cout, wh = new Float32Array(wlen);
      for (let o = 0; o < c.cout; o++)
        for (let ci = 0; ci < cg; ci++)
          for (let q = 0; q < c.k * c.k; q++)
            wh[(q * cg + ci) * c.cout + o] = W[(o * cg + ci) * c.k * c.k + q];
      const x = tf.tensor4d(xh, [c.n, c.h, c.w, c.cin]);
      const w = dw ? tf.tensor4d(wh, [c.k, c.k, c.cin, 1]) : tf.tensor4d(wh, [c.k, c.k, cg, c.cout]);
      const b = tf.tensor1d(B);
      if (!dw && c.groups !== 1) throw new Error("grouped conv not in tfjs");
      const call = () => {
        const y = dw ? tf.fused.depthwiseConv2d({ x, filter: w, strides: c.stride, pad: c.pad, bias: b })
                     : tf.fused.conv2d({ x, filter: w, strides: c.stride, pad: c.pad, bias: b });
        const d = y.dataSync(); y.dispose(); return d;
      };
      const get = (d) => (n, o, yy, xx) => d[((n * oh + yy) * oh + xx) * c.cout + o];
      return { call, get, dispose: () => { x.dispose(); w.dispose(); b.dispose(); } };
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
    info: `wasm EP numThreads=${ort.env.wasm.numThreads} NCHW`,
    async prepare(c, X, W, B) {
      const oh = outSize(c);
      const session = await ort.InferenceSession.create(onnxConvModel(c, W, B),
        { executionProviders: ["wasm"], graphOptimizationLevel: "all",
          intraOpNumThreads: 1, interOpNumThreads: 1 });
      const feeds = { X: new ort.Tensor("float32", X, [c.n, c.cin, c.h, c.w]) };
      const call = async () => (await session.run(feeds)).Y.data;
      const get = (d) => (n, o, yy, xx) => d[((n * c.cout + o) * oh + yy) * oh + xx];
      return { call, get, dispose: () => session.release() };
    },
  };
}

async function main() {
  const result = { userAgent: navigator.userAgent, peers: {} };
  for (const [key, setup] of [["tfjs", setupTfjs], ["ort", setupOrt]]) {
    let peer;
    try { peer = await setup(); }
    catch (e) { result.peers[key] = { error: `setup failed: ${e?.stack ?? e}` }; log(`${key}: setup failed: ${e}`); continue; }
    const rec = { name: peer.name, version: peer.version, info: peer.info, cases: {} };
    result.peers[key] = rec;
    log(`${peer.name}: ${peer.version}; ${peer.info}`);
    for (const c of CASES) {
      try {
        const X = randArray(c.n * c.cin * c.h * c.w, 3 + c.cin);
        const W = randArray(c.cout * (c.cin / c.groups) * c.k * c.k, 5 + c.cout);
        const B = randArray(c.cout, 11);
        const p = await peer.prepare(c, X, W, B);
        const oh = outSize(c);
        const r = { flops: 2 * c.n * c.cout * oh * oh * (c.cin / c.groups) * c.k * c.k };
        r.max_abs_err = maxErr(c, X, W, B, p.get(await p.call()));
        const { sec, reps } = await bestTime(p.call);
        r.us_per_call = sec * 1e6; r.reps = reps; r.gflops = r.flops / sec / 1e9;
        p.dispose();
        rec.cases[c.id] = r;
        log(`  ${c.id}: ${r.gflops.toFixed(2)} GFLOP/s (${r.us_per_call.toFixed(1)} us/call, reps ${reps}, max abs err ${r.max_abs_err.toExponential(1)})`);
      } catch (e) {
        rec.cases[c.id] = { error: String(e?.stack ?? e) };
        log(`  ${c.id}: error ${e}`);
      }
    }
  }
  state.result = result;
  state.state = "done";
}

run(main);
