// Shared by the demo pages: load Pyodide from this site, install the webtensor wheel.
import { loadPyodide } from "./pyodide/pyodide.mjs";

export const $ = (id) => document.getElementById(id);
export const fmtMs = (t) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;

export function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text ?? state;
}

// Browser capability (independent of webtensor): SIMD128 and relaxed SIMD validation probes.
export function wasmFeatures() {
  const simd = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0,
    10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
  const relaxed = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1,
    0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]);
  return { simd128: WebAssembly.validate(simd), relaxed_simd: WebAssembly.validate(relaxed) };
}

// -> { pyodide, manifest, timings: {load_ms, install_ms} }; stdout lines go to onLine.
export async function loadWebtensor(onLine) {
  const timings = {};
  let t = performance.now();
  setStatus("loading", "loading Pyodide…");
  const pyodide = await loadPyodide({ indexURL: "./pyodide/" });
  pyodide.setStdout({ batched: onLine });
  timings.load_ms = performance.now() - t;

  t = performance.now();
  setStatus("installing", "installing webtensor…");
  await pyodide.loadPackage("micropip", { messageCallback: () => {} });
  const manifest = await (await fetch("./wheels/manifest.json")).json();
  const wheelUrl = new URL(`./wheels/${manifest.webtensor.file}`, location.href).href;
  await pyodide.pyimport("micropip").install(wheelUrl);
  pyodide.runPython("import webtensor");  // micropip.install can succeed without a usable package
  timings.install_ms = performance.now() - t;
  return { pyodide, manifest, timings };
}

export function showError(err) {
  console.error(err);
  const msg = String(err?.message ?? err).trim();
  $("error").hidden = false;
  $("error").textContent = msg;
  setStatus("error", `error: ${msg.split("\n").filter(Boolean).pop() ?? "unknown"}`);
}
