// One training step (forward, softmax cross-entropy, backward, Adam) in TensorFlow.js on the
// wasm backend (XNNPACK), single thread: optimizer.minimize over tf.variable weights, the same
// architectures as benchmarks/bench_training.py builds in webtensor (NHWC here, NCHW there).
// Timing as bench_core.best_time (page.js bestTime); heap: tf.memory() and the wasm backend's
// linear memory before and after STEPS more steps.
import { bestTime, log, params, randArray, run, state } from "./page.js";

const STEPS = Number(params.get("steps") ?? 1000);

function variable(shape, seed, scale) {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.variable(tf.tensor(randArray(n, seed), shape).mul(scale));
}

function oneHot(batch, seed) {
  const labels = Array.from(randArray(batch, seed), (v) => Math.floor((v + 1) * 5) % 10);
  return tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
}

// conv 1->16 3x3 same, relu, maxpool 2; conv 16->32, relu, maxpool 2; linear 128->32, relu;
// linear 32->10 (digits CNN, webtensor/models/digits_cnn.py with dropout 0)
function digitsCnn(batch) {
  const p = {
    w1: variable([3, 3, 1, 16], 1, 0.3), b1: variable([16], 2, 0.1),
    w2: variable([3, 3, 16, 32], 3, 0.1), b2: variable([32], 4, 0.1),
    w3: variable([128, 32], 5, 0.1), b3: variable([32], 6, 0.1),
    w4: variable([32, 10], 7, 0.2), b4: variable([10], 8, 0.1),
  };
  const x = tf.tensor4d(randArray(batch * 64, 9).map((v) => (v + 1) * 8 / 16), [batch, 8, 8, 1]);
  const y = oneHot(batch, 10);
  const loss = () => {
    let h = tf.fused.conv2d({ x, filter: p.w1, strides: 1, pad: "same", bias: p.b1, activation: "relu" });
    h = tf.maxPool(h, 2, 2, "valid");
    h = tf.fused.conv2d({ x: h, filter: p.w2, strides: 1, pad: "same", bias: p.b2, activation: "relu" });
    h = tf.maxPool(h, 2, 2, "valid").reshape([batch, 128]);
    h = tf.fused.matMul({ a: h, b: p.w3, bias: p.b3, activation: "relu" });
    const logits = tf.fused.matMul({ a: h, b: p.w4, bias: p.b4 });
    return tf.losses.softmaxCrossEntropy(y, logits);
  };
  return { loss, params: Object.values(p).length };
}

function mlp(batch) {
  const p = {
    w1: variable([784, 256], 11, 0.05), b1: variable([256], 12, 0.05),
    w2: variable([256, 10], 13, 0.06), b2: variable([10], 14, 0.06),
  };
  const x = tf.tensor2d(randArray(batch * 784, 15), [batch, 784]);
  const y = oneHot(batch, 16);
  const loss = () => {
    const h = tf.fused.matMul({ a: x, b: p.w1, bias: p.b1, activation: "relu" });
    return tf.losses.softmaxCrossEntropy(y, tf.fused.matMul({ a: h, b: p.w2, bias: p.b2 }));
  };
  return { loss, params: Object.values(p).length };
}

// tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so a conv net cannot train
// on it as shipped. This page registers one the way the backend builds its own kernels: an
// im2col copy in JS (rows: output pixels; columns: (kh, kw, cin), the filter's HWIO order)
// and the backend's BatchMatMul (XNNPACK) for colsᵀ · dy, whose result is the filter gradient.
function registerConv2DBackpropFilter() {
  const matMul = tf.getKernel("BatchMatMul", "wasm").kernelFunc;
  tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "wasm", kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1,
      attrs.pad, attrs.dimRoundingMode, false, tf.backend_util.convertConv2DDataFormat(attrs.dataFormat));
    if (info.dataFormat !== "channelsLast") throw new Error("NHWC only");
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
            filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
    const top = info.padInfo.top, left = info.padInfo.left, rows = B * OH * OW, cols = KH * KW * C;
    const colInfo = backend.makeOutput([1, rows, cols], "float32");
    const col = backend.typedArrayFromHeap(colInfo), xv = backend.typedArrayFromHeap(x);
    for (let b = 0, r = 0; b < B; b++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++, r++) {
          let o = r * cols;
          for (let kh = 0; kh < KH; kh++) {
            const iy = oy * SH + kh - top;
            for (let kw = 0; kw < KW; kw++, o += C) {
              const ix = ox * SW + kw - left;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) { col.fill(0, o, o + C); continue; }
              const src = ((b * H + iy) * W + ix) * C;
              for (let c = 0; c < C; c++) col[o + c] = xv[src + c];
            }
          }
        }
    const dy3 = { dataId: dy.dataId, shape: [1, rows, dy.shape[3]], dtype: "float32" };
    const out = matMul({ inputs: { a: colInfo, b: dy3 }, backend,
                         attrs: { transposeA: true, transposeB: false } });
    backend.disposeData(colInfo.dataId);
    return { dataId: out.dataId, shape: attrs.filterShape, dtype: "float32" };
  } });
}

const CASES = { "digits CNN b64": () => digitsCnn(64), "MLP 784-256-10 b128": () => mlp(128) };

function wasmHeapBytes() {
  const b = tf.backend();
  return b?.wasm?.HEAPU8?.length ?? b?.wasm?.wasmMemory?.buffer?.byteLength ?? null;
}

async function main() {
  tf.wasm.setWasmPaths(new URL("vendor/", location.href).href);
  tf.wasm.setThreadsCount(1);
  await tf.setBackend("wasm");
  await tf.ready();
  registerConv2DBackpropFilter();
  const result = {
    userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated,
    peers: { tfjs_wasm: {
      name: "tfjs-backend-wasm",
      version: `tfjs ${tf.version.tfjs}, tfjs-backend-wasm ${tf.wasm.version_wasm}`,
      info: `backend=${tf.getBackend()} threads=${tf.wasm.getThreadsCount?.() ?? "?"}; ` +
            "optimizer.minimize (tf.train.adam), tf.fused conv2d/matMul + relu, NHWC; " +
            "Conv2DBackpropFilter registered by the page (im2col in JS + the backend's BatchMatMul)",
      cases: {},
    } },
  };
  for (const [name, make] of Object.entries(CASES)) {
    const m = make();
    const opt = tf.train.adam(1e-3);
    let last = NaN;
    const step = () => {
      const cost = opt.minimize(m.loss, true);
      last = cost.dataSync()[0];
      cost.dispose();
    };
    const t = await bestTime(step, 200, 5);
    const mem0 = tf.memory(), heap0 = wasmHeapBytes(), js0 = performance.memory?.usedJSHeapSize;
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) step();
    const secs = (performance.now() - t0) / 1000;
    const mem1 = tf.memory(), heap1 = wasmHeapBytes(), js1 = performance.memory?.usedJSHeapSize;
    result.peers.tfjs_wasm.cases[name] = {
      ms_per_step: t.sec * 1e3, loss: last, heap_steps: STEPS, heap_run_ms_per_step: secs * 1e3 / STEPS,
      tensors_before: mem0.numTensors, tensors_after: mem1.numTensors,
      tf_bytes_before: mem0.numBytes, tf_bytes_after: mem1.numBytes,
      wasm_heap_before: heap0, wasm_heap_after: heap1, js_heap_before: js0, js_heap_after: js1,
    };
    log(`tfjs-wasm ${name}: ${(t.sec * 1e3).toFixed(2)} ms/step (loss ${last.toFixed(4)}); ` +
        `${STEPS} more steps: tensors ${mem0.numTensors} -> ${mem1.numTensors}, ` +
        `wasm heap ${heap0} -> ${heap1}`);
  }
  state.result = result;
  state.state = "done";
}

run(main);
