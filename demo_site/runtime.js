// Python for the demo pages, without any DOM: load Pyodide and the webtensor wheel, fetch model
// weights through the Cache API, run a page's Python file and call its functions. worker.js runs
// this in a dedicated worker (the usual way: the page stays responsive); a page can also run it
// on its main thread (host.js, ?thread=main) -- the same code either way.
//
// Progress goes to onProgress({stage, label, done, total, cached}) with stage "pyodide",
// "install" or "weights" (done/total in bytes, or in steps for "install").
import { loadPyodide } from "./pyodide/pyodide.mjs";

const BASE = new URL("./", import.meta.url);
const WEIGHTS_CACHE = "webtensor-demo-weights";

let siteJson;
export async function siteInfo() {
  siteJson ??= (await fetch(new URL("site.json", BASE))).json();
  return siteJson;
}

// Pyodide's loader gives no byte progress: count its core files (sizes from site.json) as the
// browser finishes fetching them (Resource Timing, in a worker as on a page).
function watchPyodideFiles(sizes, onProgress) {
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  let done = 0;
  const seen = new Set();
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const file = e.name.split("/").pop();
      if (file in sizes && !seen.has(file)) {
        seen.add(file);
        done += sizes[file];
        onProgress({ stage: "pyodide", label: file, done, total });
      }
    }
  });
  observer.observe({ type: "resource", buffered: true });
  onProgress({ stage: "pyodide", label: "starting", done: 0, total });
  return () => { observer.disconnect(); onProgress({ stage: "pyodide", label: "ready", done: total, total }); };
}

// -> { pyodide, manifest, timings: {load_ms, install_ms} }
export async function loadWebtensor({ onProgress = () => {}, onStdout = console.log, env } = {}) {
  const site = await siteInfo();
  const timings = {};
  let t = performance.now();
  const stopWatching = watchPyodideFiles(site.pyodide, onProgress);
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", BASE).href,
                                       env: { HOME: "/home/pyodide", ...env } });
  stopWatching();
  pyodide.setStdout({ batched: onStdout });
  if (globalThis.navigator?.gpu) {   // webtensor's own import of it (from a blob: URL) breaks a strict CSP
    globalThis.webtensorWebgpuBridge ??= await import("./webgpu_bridge/bridge.mjs");
  }
  timings.load_ms = performance.now() - t;

  t = performance.now();
  const step = (done, label) => onProgress({ stage: "install", label, done, total: 3 });
  step(0, "micropip");
  await pyodide.loadPackage("micropip", { messageCallback: () => {} });
  step(1, "webtensor wheel");
  const manifest = await (await fetch(new URL("wheels/manifest.json", BASE))).json();
  await pyodide.pyimport("micropip").install(new URL(`wheels/${manifest.webtensor.file}`, BASE).href);
  step(2, "import webtensor");
  pyodide.runPython("import webtensor");  // micropip.install can succeed without a usable package
  step(3, "ready");
  timings.install_ms = performance.now() - t;
  return { pyodide, manifest, timings };
}

// A file of the site's models/ folder as a Uint8Array: from the Cache API when this visitor
// has it (keyed by its sha256, so a changed file is downloaded again), else downloaded with
// byte progress and stored.
export async function loadWeights(path, onProgress = () => {}) {
  const meta = (await siteInfo()).models[path];
  if (!meta) throw new Error(`${path} is not a file of this site's models/ folder`);
  const url = new URL(path, BASE);
  const key = `${url.href}?sha256=${meta.sha256}`;
  // no Cache API (some private modes refuse it): download every time
  const cache = globalThis.caches ? await caches.open(WEIGHTS_CACHE).catch(() => null) : null;
  const hit = cache && await cache.match(key);
  if (hit) {
    const bytes = new Uint8Array(await hit.arrayBuffer());
    onProgress({ stage: "weights", label: path, done: bytes.length, total: bytes.length, cached: true });
    return bytes;
  }
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(`fetching ${path} failed: HTTP ${resp.status}`);
  const bytes = new Uint8Array(meta.bytes);
  const reader = resp.body.getReader();
  let done = 0;
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    bytes.set(value, done);
    done += value.length;
    onProgress({ stage: "weights", label: path, done, total: meta.bytes });
  }
  if (done !== meta.bytes) throw new Error(`${path}: got ${done} bytes, expected ${meta.bytes}`);
  if (cache) {
    try {
      for (const old of await cache.keys()) {   // an older version of this file
        if (old.url.split("?")[0] === url.href) await cache.delete(old);
      }
      await cache.put(key, new Response(bytes, { headers: { "Content-Type": "application/octet-stream" } }));
    } catch (err) {     // over the storage quota, say: next visit downloads it again
      console.warn(`webtensor demo: ${path} not cached: ${err}`);
    }
  }
  return bytes;
}

// Boot Python, set `globals`, run the page's Python file (`script`, a site path)
//   -> { call(name, args), info, pyodide }.
// The page's Python reaches back through the module `demo_host` (demo_lib.py wraps it):
// emit(kind, json) -> onEvent(kind, data); weights(path) -> loadWeights.
export async function startPage({ script, onProgress = () => {}, onEvent = () => {}, onStdout, env,
                                  globals = {} }) {
  const { pyodide, manifest, timings } = await loadWebtensor({ onProgress, onStdout, env });
  pyodide.registerJsModule("demo_host", {
    emit: (kind, json) => onEvent(kind, JSON.parse(json)),
    weights: (path) => loadWeights(path, onProgress),
  });
  const [lib, code] = await Promise.all(["demo_lib.py", script].map(
    async (f) => (await fetch(new URL(f, BASE))).text()));
  pyodide.FS.writeFile("/home/pyodide/demo_lib.py", lib);
  for (const [k, v] of Object.entries(globals)) pyodide.globals.set(k, v);
  await pyodide.runPythonAsync(code);
  const info = JSON.parse(pyodide.runPython(`
import json, webtensor
json.dumps({"isa": webtensor.backends.get_isa(), "backend": webtensor.backends.get_backend()})`));
  Object.assign(info, { timings, webtensor_version: manifest.webtensor.version });
  return {
    info, pyodide,
    // a page function: async def name(args_json) -> result json
    async call(name, args = {}) {
      const fn = pyodide.globals.get(name);
      if (!fn) throw new Error(`${script} has no function ${name}`);
      try { return JSON.parse(await fn(JSON.stringify(args))); } finally { fn.destroy(); }
    },
  };
}
