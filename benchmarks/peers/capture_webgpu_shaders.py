"""Capture the matmul WGSL that tfjs-backend-webgpu and onnxruntime-web (WebGPU EP) generate,
with their dispatch sizes, bind-group layouts and uniform contents, so bench_webgpu.py can replay
them on a real GPU through wgpu (peer baseline (b) of issue 10 item 7).

Headless Chromium with --enable-unsafe-webgpu (SwiftShader adapter). An init script wraps
GPUDevice.prototype.createShaderModule / createComputePipeline(Async) / createBuffer /
createBindGroup, GPUQueue.prototype.writeBuffer, GPUBuffer.prototype.getMappedRange / unmap and
GPUComputePassEncoder.prototype.setPipeline / setBindGroup / dispatchWorkgroups. While a peer's
matmul is recorded, queue.submit is a no-op: the shaders are generated and the dispatches
encoded, but SwiftShader never runs a 4096^3 matmul (the outputs are garbage and unused).

    cd benchmarks/peers && npm install        # @tensorflow/tfjs-backend-webgpu, onnxruntime-web
    python3 benchmarks/peers/capture_webgpu_shaders.py [--sizes 1024 2048 4096] [--gemv 4096]

writes benchmarks/peers/webgpu_shaders.json: [{peer, version, name, shape: [M, N, K],
b_transposed, steps: [{wgsl, entry_point, dispatch: [x, y, z], bindings: [{group, binding,
type: "uniform" | "storage", buffer (id, shared between steps), offset, size, data_b64
(uniforms only)}]}]}].
"""
import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "scripts"))

WRAP_JS = r"""
(() => {
  if (!self.GPUDevice) return;
  const cap = { code: new WeakMap(), pipe: new WeakMap(), buf: new WeakMap(), bg: new WeakMap(),
                pass: new WeakMap(), nextId: 1, recording: false, noSubmit: false, steps: [] };
  self.__cap = cap;
  const UNIFORM = 0x40;
  const D = GPUDevice.prototype, Q = GPUQueue.prototype, B = GPUBuffer.prototype,
        P = GPUComputePassEncoder.prototype;
  const b64 = (u8) => { let s = ""; for (let i = 0; i < u8.length; i++) s += String.fromCharCode(u8[i]); return btoa(s); };
  const bytesOf = (data, off, size) => {
    let u8;
    if (data instanceof ArrayBuffer) u8 = new Uint8Array(data);
    else u8 = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const el = (data.BYTES_PER_ELEMENT || 1);
    const o = (off || 0) * el;
    const n = size === undefined ? u8.length - o : size * el;
    return u8.slice(o, o + n);
  };
  const csm = D.createShaderModule;
  D.createShaderModule = function (desc) { const m = csm.call(this, desc); cap.code.set(m, desc.code); return m; };
  const info = (desc) => ({ code: cap.code.get(desc.compute.module), entry: desc.compute.entryPoint });
  const ccp = D.createComputePipeline;
  D.createComputePipeline = function (desc) { const p = ccp.call(this, desc); if (desc.compute) cap.pipe.set(p, info(desc)); return p; };
  const ccpa = D.createComputePipelineAsync;
  D.createComputePipelineAsync = function (desc) {
    return ccpa.call(this, desc).then((p) => { if (desc.compute) cap.pipe.set(p, info(desc)); return p; });
  };
  const cb = D.createBuffer;
  D.createBuffer = function (desc) {
    const b = cb.call(this, desc);
    cap.buf.set(b, { id: cap.nextId++, size: desc.size, usage: desc.usage, data: null, ranges: [] });
    return b;
  };
  const gmr = B.getMappedRange;
  B.getMappedRange = function (offset, size) {
    const r = gmr.call(this, offset, size);
    const i = cap.buf.get(this);
    if (i && (i.usage & UNIFORM)) i.ranges.push([offset || 0, r]);
    return r;
  };
  const um = B.unmap;
  B.unmap = function () {
    const i = cap.buf.get(this);
    if (i && i.ranges.length) {
      const u8 = new Uint8Array(i.size);
      for (const [o, r] of i.ranges) u8.set(new Uint8Array(r), o);
      i.data = u8; i.ranges = [];
    }
    return um.call(this);
  };
  const wb = Q.writeBuffer;
  Q.writeBuffer = function (buffer, bufferOffset, data, dataOffset, size) {
    const i = cap.buf.get(buffer);
    if (i && (i.usage & UNIFORM) && i.size <= 65536) {
      const u8 = i.data ? i.data : new Uint8Array(i.size);
      u8.set(bytesOf(data, dataOffset, size), bufferOffset);
      i.data = u8;
    }
    return wb.call(this, buffer, bufferOffset, data, dataOffset, size);
  };
  const sub = Q.submit;
  Q.submit = function (cbs) { if (cap.noSubmit) return; return sub.call(this, cbs); };
  const cbg = D.createBindGroup;
  D.createBindGroup = function (desc) {
    const g = cbg.call(this, desc);
    cap.bg.set(g, desc.entries.map((e) => ({ binding: e.binding, buffer: e.resource.buffer ?? e.resource,
                                             offset: e.resource.offset ?? 0, size: e.resource.size })));
    return g;
  };
  const sp = P.setPipeline;
  P.setPipeline = function (p) { const s = cap.pass.get(this) || { groups: {} }; s.pipe = p; cap.pass.set(this, s); return sp.call(this, p); };
  const sbg = P.setBindGroup;
  P.setBindGroup = function (index, g, ...rest) {
    const s = cap.pass.get(this) || { groups: {} }; s.groups[index] = g; cap.pass.set(this, s);
    return sbg.call(this, index, g, ...rest);
  };
  const dw = P.dispatchWorkgroups;
  P.dispatchWorkgroups = function (x, y, z) {
    if (cap.recording) {
      const s = cap.pass.get(this) || { groups: {} };
      const pi = cap.pipe.get(s.pipe) || {};
      const bindings = [];
      for (const [gi, g] of Object.entries(s.groups)) {
        for (const e of cap.bg.get(g) || []) {
          const bi = cap.buf.get(e.buffer) || { id: 0, size: 0, usage: 0 };
          const size = e.size ?? (bi.size - e.offset);
          const uni = (bi.usage & UNIFORM) !== 0;
          bindings.push({ group: Number(gi), binding: e.binding, type: uni ? "uniform" : "storage",
                          buffer: bi.id, buffer_size: bi.size, offset: e.offset, size,
                          data_b64: uni && bi.data ? b64(bi.data.slice(e.offset, e.offset + size)) : null });
        }
      }
      cap.steps.push({ wgsl: pi.code ?? null, entry_point: pi.entry ?? "main",
                       dispatch: [x, y ?? 1, z ?? 1], bindings });
    }
    return dw.call(this, x, y, z);
  };
})();
"""

PAGE = r"""<!doctype html><meta charset="utf-8"><title>capture</title>
<script src="/node_modules/@tensorflow/tfjs-core/dist/tf-core.min.js"></script>
<script src="/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.min.js"></script>
<script type="module">
import { onnxMatMulModel } from "/onnx_matmul.js";
const cap = self.__cap;
async function record(fn) {
  cap.steps = []; cap.noSubmit = true; cap.recording = true;
  try { await fn(); } finally { cap.recording = false; }
  const steps = cap.steps; cap.steps = []; cap.noSubmit = false;
  return steps;
}
self.captureTfjs = async (shapes) => {
  await tf.setBackend("webgpu"); await tf.ready();
  const out = [];
  for (const [M, N, K, tb] of shapes) {
    const a = tf.zeros([M, K]), b = tb ? tf.zeros([N, K]) : tf.zeros([K, N]);
    let c;
    const steps = await record(async () => { c = tf.matMul(a, b, false, tb); });
    out.push({ peer: "tfjs-webgpu", version: "tfjs-backend-webgpu " + (tf.version_webgpu || tf.version?.["tfjs-backend-webgpu"] || "4.22.0"),
               name: `tf.matMul ${M}x${N}x${K}${tb ? " B^T" : ""}`, shape: [M, N, K], b_transposed: !!tb, steps });
    a.dispose(); b.dispose(); c.dispose();
  }
  return out;
};
self.captureOrt = async (shapes) => {
  const ort = await import("/node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs");
  ort.env.wasm.wasmPaths = new URL("/node_modules/onnxruntime-web/dist/", location.href).href;
  ort.env.wasm.numThreads = 1; ort.env.wasm.proxy = false;
  const out = [];
  for (const [M, N, K] of shapes) {
    const session = await ort.InferenceSession.create(onnxMatMulModel(M, K, N), { executionProviders: ["webgpu"] });
    const feeds = { A: new ort.Tensor("float32", new Float32Array(M * K), [M, K]),
                    B: new ort.Tensor("float32", new Float32Array(K * N), [K, N]) };
    cap.noSubmit = true;                 // warm-up (uploads, pipelines) without running it
    try { await session.run(feeds); } finally { cap.noSubmit = false; }
    const steps = await record(async () => { await session.run(feeds); });
    out.push({ peer: "ort-webgpu", version: "onnxruntime-web " + (ort.env.versions?.web ?? "?"),
               name: `MatMul ${M}x${N}x${K}`, shape: [M, N, K], b_transposed: false, steps });
    await session.release();
  }
  return out;
};
self.captureReady = true;
</script>
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1024, 2048, 4096])
    ap.add_argument("--gemv", type=int, default=4096)
    ap.add_argument("--out", default=str(HERE / "webgpu_shaders.json"))
    ap.add_argument("--no-ort", action="store_true")
    args = ap.parse_args(argv)
    import serve  # scripts/serve.py
    from playwright.sync_api import sync_playwright

    if not (HERE / "node_modules" / "@tensorflow" / "tfjs-backend-webgpu").is_dir():
        sys.exit("run `npm install` in benchmarks/peers first")
    shapes = [[s, s, s, False] for s in args.sizes] + [[s, s, s, True] for s in args.sizes]
    shapes += [[1, args.gemv, args.gemv, False], [1, args.gemv, args.gemv, True]]
    server, url = serve.start_server(HERE)
    result = []
    try:
        with sync_playwright() as p:
            browser = serve.launch_chromium(p, ["--enable-unsafe-webgpu"])
            page = browser.new_page()
            console = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.add_init_script(WRAP_JS)
            page.route("**/capture.html", lambda route: route.fulfill(
                status=200, content_type="text/html", body=PAGE))
            page.goto(url + "capture.html")
            page.wait_for_function("self.captureReady === true", timeout=60_000)
            result += page.evaluate("(s) => captureTfjs(s)", shapes)
            if not args.no_ort:
                try:
                    ort_shapes = [s[:3] for s in shapes if not s[3]]
                    result += page.evaluate("(s) => captureOrt(s)", ort_shapes)
                except Exception as e:  # noqa: BLE001 - keep tfjs's capture
                    print(f"onnxruntime-web capture failed: {e}", file=sys.stderr)
            browser.close()
    finally:
        server.shutdown()
    for r in result:
        kinds = [len(s["wgsl"] or "") for s in r["steps"]]
        print(f"{r['peer']:>12} {r['name']:>28}: {len(r['steps'])} dispatch(es), "
              f"{[s['dispatch'] for s in r['steps']]}, wgsl chars {kinds}")
    if any(not r["steps"] for r in result):
        print("some ops recorded no dispatch; console:\n" + "\n".join(console[-20:]),
              file=sys.stderr)
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
