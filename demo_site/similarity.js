import { $, fmtMs, progressBars, setStatus, showError } from "./boot.js";
import { heatmap } from "./charts.js";
import { startPython } from "./host.js";

async function main() {
  const py = await startPython({ script: "similarity.py", onProgress: progressBars($("progress")) });
  setStatus("loading", "loading MiniLM…");
  const { load_ms } = await py.call("load");
  let runs = 0;

  async function compare() {
    const sentences = $("sentences").value.split("\n").map((s) => s.trim()).filter(Boolean);
    if (!sentences.length) return;
    $("compare").disabled = true;
    setStatus("running", "embedding…");
    const r = await py.call("similarity", { sentences });
    heatmap($("heatmap"), r.sentences, r.similarity);
    $("timing").textContent = `${sentences.length} sentences embedded in ${fmtMs(r.encode_ms)}`;
    Object.assign(r, { info: py.info, thread: py.thread, load_ms, runs: ++runs });
    $("result-json").textContent = JSON.stringify(r);
    $("compare").disabled = false;
    setStatus("done");
  }
  $("compare").addEventListener("click", () => compare().catch(showError));
  await compare();
}

main().catch(showError);
