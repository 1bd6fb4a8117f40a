// The models page: models.py on the main thread (it reads GPU tensors back synchronously
// through JSPI, which needs the page's runPythonAsync); weights through runtime.js's cache.
import { $, fmtMs, progressBars, setStatus, showError } from "./boot.js";
import { startPage } from "./runtime.js";

// ?device=webgpu preselects the GPU; changing the selector reloads with the parameter.
const requested = new URLSearchParams(location.search).get("device") === "webgpu" ? "webgpu" : "cpu";
$("device").value = requested;
$("device").addEventListener("change", () => {
  const url = new URL(location.href);
  url.searchParams.set("device", $("device").value);
  location.href = url.href;
});

async function main() {
  fetch("./models.py").then((r) => r.text()).then((code) => { $("code").textContent = code; });
  const { pyodide, info } = await startPage({
    script: "models.py", onProgress: progressBars($("progress")), onStdout: (line) => console.log(line),
    globals: { requested_device: requested },
  });
  $("t-load").textContent = fmtMs(info.timings.load_ms);
  $("t-install").textContent = fmtMs(info.timings.install_ms);
  $("isa").textContent = info.isa ?? "n/a";
  const result = JSON.parse(pyodide.runPython("import json; json.dumps(result)"));
  result.requested_device = requested;
  result.webtensor_version = info.webtensor_version;
  result.timings = info.timings;
  $("result-json").textContent = JSON.stringify(result);
  window.webtensorModels = result;
  window.pyodide = pyodide;   // for tests: more Python on the loaded models
  setStatus("done");
}

main().catch(showError);
