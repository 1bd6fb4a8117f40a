import { $, fmtMs, progressBars, setStatus, showError } from "./boot.js";
import { barChart } from "./charts.js";
import { startPython } from "./host.js";

// The drawing is kept as the model sees it: 8x8 cells of ink 0..16 (load_digits' scale).
const N = 8, CELL = 30, INK = 16;
const grid = new Float32Array(N * N);
const pad = $("pad"), ctx = pad.getContext("2d");

function paint() {
  for (let i = 0; i < N * N; i++) {
    const v = Math.round(255 * (1 - grid[i] / INK));
    ctx.fillStyle = `rgb(${v}, ${v}, ${v})`;
    ctx.fillRect((i % N) * CELL, Math.floor(i / N) * CELL, CELL, CELL);
  }
}

// A soft round brush: cells within ~1 cell of the pointer gain ink, nearer ones more.
function brush(event) {
  const r = pad.getBoundingClientRect();
  const x = ((event.clientX - r.left) / r.width) * N, y = ((event.clientY - r.top) / r.height) * N;
  for (let i = 0; i < N * N; i++) {
    const d = Math.hypot((i % N) + 0.5 - x, Math.floor(i / N) + 0.5 - y);
    grid[i] = Math.min(INK, grid[i] + INK * Math.max(0, 1 - d / 1.1) * 0.6);
  }
  paint();
}

async function main() {
  paint();
  const py = await startPython({ script: "digits.py", onProgress: progressBars($("progress"), ["pyodide", "install"]) });
  const testSet = await (await fetch("./models/digits_test.json")).json();
  let samples = 0, runs = 0;

  async function predict() {
    setStatus("running", "reading…");
    const pixels = Array.from(grid, Math.round);
    const r = await py.call("predict", { pixels });
    barChart($("bars"), [..."0123456789"], r.probs, r.prediction);
    $("prediction").textContent = `${r.prediction} (${(100 * r.probs[r.prediction]).toFixed(1)}%)`;
    $("timing").textContent = `forward pass ${fmtMs(r.ms)} in the worker`;
    Object.assign(r, { info: py.info, thread: py.thread, runs: ++runs, samples });
    $("result-json").textContent = JSON.stringify(r);
    setStatus("done");
  }
  const run = () => predict().catch(showError);

  let drawing = false;
  pad.addEventListener("pointerdown", (e) => { drawing = true; pad.setPointerCapture(e.pointerId); brush(e); });
  pad.addEventListener("pointermove", (e) => { if (drawing) brush(e); });
  pad.addEventListener("pointerup", () => { drawing = false; run(); });
  $("clear").addEventListener("click", () => { grid.fill(0); paint(); run(); });
  $("sample").addEventListener("click", () => {     // the next held-out test digit
    const row = testSet.pixels[samples++ % testSet.pixels.length];
    [...row].forEach((c, i) => { grid[i] = parseInt(c, 17); });
    paint();
    run();
  });
  $("clear").disabled = $("sample").disabled = false;
  $("sample").click();
}

main().catch(showError);
