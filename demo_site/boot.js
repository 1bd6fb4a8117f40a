// Shared by the demo pages (main thread, DOM only): status line, errors, progress bars. Python
// itself is loaded by runtime.js (here or, through host.js, in a worker).
export { loadWebtensor } from "./runtime.js";

export const $ = (id) => document.getElementById(id);

// The site's pages, for every page's <nav id="nav">.
const PAGES = [["index.html", "webtensor"], ["chat.html", "chat"], ["similarity.html", "similarity"],
  ["digits.html", "digits"], ["train.html", "train"], ["bench.html", "benchmark"], ["models.html", "models"]];
$("nav")?.replaceChildren(...PAGES.map(([href, text]) => {
  const a = document.createElement("a");
  Object.assign(a, { href: `./${href}`, textContent: text });
  return a;
}));
export const fmtMs = (t) => `${t.toFixed(t < 10 ? 2 : 0)} ms`;
const fmtMB = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;

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

export function showError(err) {
  console.error(err);
  const msg = String(err?.message ?? err).trim();
  $("error").hidden = false;
  $("error").textContent = msg;
  setStatus("error", `error: ${msg.split("\n").filter(Boolean).pop() ?? "unknown"}`);
}

// Progress bars in `container` for runtime.js's stages; returns the onProgress callback.
// Each bar keeps what it last showed in data-done / data-total (and data-cached) for tests.
const STAGES = { pyodide: "Pyodide", install: "webtensor wheel", weights: "model weights" };
export function progressBars(container, stages = Object.keys(STAGES)) {
  const bars = {};
  for (const stage of stages) {
    const row = document.createElement("div");
    row.className = "bar";
    row.dataset.stage = stage;
    row.innerHTML = `<span class="bar-name">${STAGES[stage]}</span><progress max="1" value="0">` +
      `</progress><span class="bar-text">waiting</span>`;
    container.append(row);
    bars[stage] = row;
  }
  const files = new Map();    // weights: one bar for all of a page's files
  return ({ stage, label, done, total, cached }) => {
    const row = bars[stage];
    if (!row) return;
    let text;
    if (stage === "weights") {
      files.set(label, { done, total, cached });
      const all = [...files.values()];
      done = all.reduce((a, f) => a + f.done, 0);
      total = all.reduce((a, f) => a + f.total, 0);
      cached = all.every((f) => f.cached);
      const what = files.size === 1 ? label.split("/").pop() : `${files.size} files`;
      text = `${what}: ${cached ? `${fmtMB(total)} from this browser's cache`
        : `${fmtMB(done)} / ${fmtMB(total)}`}`;
    } else {
      text = stage === "install" ? `${label} (step ${done}/${total})`
        : `${label}: ${fmtMB(done)} / ${fmtMB(total)}`;
    }
    Object.assign(row.dataset, { done, total, cached: Boolean(cached) });
    row.querySelector("progress").value = total ? done / total : 0;
    row.querySelector(".bar-text").textContent = text;
  };
}
