import { $, progressBars, setStatus, showError, wasmFeatures } from "./boot.js";
import { logBars } from "./charts.js";
import { startPython } from "./host.js";

const REFERENCE = "pure Python";

// One worker per kernel build (the build is picked at import); the pure-Python reference
// backend runs in the SIMD128 worker, WebGPU in a worker of its own. ?webgpu=no leaves WebGPU
// out, ?webgpu=only runs it alone; ?only=sgemm,minilm,smollm2 picks workloads.
const params = new URLSearchParams(location.search);
const only = params.get("only")?.split(",") ?? null;

async function workers() {
  const list = [], skipped = [];
  const gpu = params.get("webgpu");
  if (gpu !== "only") {
    list.push({ env: { WEBTENSOR_WASM_ISA: "simd128" }, device: "cpu",
                configs: [{ label: REFERENCE, backend: "reference" },
                          { label: "WASM SIMD128", backend: "wasm" }] });
    if (wasmFeatures().relaxed_simd) {
      list.push({ env: { WEBTENSOR_WASM_ISA: "relaxedsimd" }, device: "cpu",
                  configs: [{ label: "WASM relaxed SIMD", backend: "wasm" }] });
    } else skipped.push("relaxed SIMD (this browser lacks it)");
  }
  const adapter = gpu !== "no" && await navigator.gpu?.requestAdapter().catch(() => null);
  if (gpu === "no") skipped.push("WebGPU (turned off by ?webgpu=no)");
  else if (adapter) list.push({ env: {}, device: "webgpu", configs: [{ label: "WebGPU", backend: "wasm" }] });
  else skipped.push("WebGPU (no adapter in this browser)");
  return { list, skipped };
}

const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toPrecision(3)} ms`);

function draw(rows) {
  const groups = new Map();
  for (const row of rows) {
    if (!groups.has(row.workload)) groups.set(row.workload, []);
    groups.get(row.workload).push(row);
  }
  const chart = [...groups].map(([name, rows]) => {
    const ref = rows.find((x) => x.config === REFERENCE);
    return {
      name,
      rows: rows.map((x) => ({
        label: x.config, value: x.ms, slow: x.config === REFERENCE,
        text: fmt(x.ms) + (x.gflops ? `, ${x.gflops.toPrecision(3)} GFLOP/s` : "")
          + (x.tokens_per_s ? `, ${x.tokens_per_s.toFixed(1)} tokens/s` : "")
          + (ref && x !== ref ? `, ${Math.round(ref.ms / x.ms)}× pure Python` : "")
          + (x.rel_diff !== undefined ? ` (matches it to ${x.rel_diff.toExponential(0)})` : ""),
      })),
    };
  });
  logBars($("chart"), chart);
}

async function main() {
  const { list, skipped } = await workers();
  const labels = list.flatMap((w) => w.configs.map((c) => c.label));
  $("configs").textContent = `Running: ${labels.join(", ")}.` +
    (skipped.length ? ` Not here: ${skipped.join("; ")}.` : "");
  const rows = [], infos = [];
  const show = () => {
    draw(rows);
    $("result-json").textContent = JSON.stringify({ rows, infos, skipped });
  };
  const onProgress = progressBars($("progress"));
  for (const [i, w] of list.entries()) {
    setStatus("running", `${i + 1}/${list.length}: ${w.configs.map((c) => c.label).join(", ")}…`);
    const py = await startPython({ script: "bench.py", env: w.env, onProgress,
                                   onEvent: (kind, row) => { if (kind === "row") { rows.push(row); show(); } } });
    try {
      await py.call("run", { device: w.device, configs: w.configs, only });
      infos.push(py.info);
    } finally {
      py.stop();
    }
  }
  show();
  setStatus("done");
}

main().catch(showError);
