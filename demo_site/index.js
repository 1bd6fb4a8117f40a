// The landing page's live quickstart: Python on the main thread (a few small ops).
import { $, fmtMs, loadWebtensor, progressBars, setStatus, showError, wasmFeatures } from "./boot.js";

const fmt = (v) => JSON.stringify(v, (k, x) => (typeof x === "number" ? +x.toPrecision(6) : x))
  .replaceAll(",", ", ");

async function main() {
  const features = wasmFeatures();
  $("wasm-features").textContent = Object.entries(features)
    .map(([k, v]) => `${k} ${v ? "yes" : "no"}`).join(", ");
  const codePromise = fetch("./quickstart.py").then((r) => r.text());
  codePromise.then((code) => { $("code").textContent = code; });

  const lines = [];
  const { pyodide, manifest, timings } = await loadWebtensor({
    onProgress: progressBars($("progress"), ["pyodide", "install"]),
    onStdout: (line) => { lines.push(line); $("stdout").textContent = lines.join("\n"); },
  });
  $("t-load").textContent = fmtMs(timings.load_ms);
  $("t-install").textContent = fmtMs(timings.install_ms);

  setStatus("running", "running…");
  await pyodide.runPythonAsync(await codePromise);
  const result = JSON.parse(pyodide.runPython(`
import json
from webtensor import backends as _backends
json.dumps(dict(result, isa=_backends.get_isa()))
`));
  result.webtensor_version = manifest.webtensor.version;
  result.wasm_features = features;
  result.timings = timings;

  $("matmul").textContent = fmt(result.matmul);
  $("softmax").textContent = fmt(result.softmax);
  $("backend").textContent = result.backend;
  $("isa").textContent = result.isa ?? "n/a";
  $("t-compute").textContent = fmtMs(result.compute_ms);
  $("result-json").textContent = JSON.stringify(result);
  window.webtensorQuickstart = result;
  setStatus("done");
}

main().catch(showError);
