import { $, fmtMs, progressBars, setStatus, showError } from "./boot.js";
import { barChart, lineChart } from "./charts.js";
import { startPython } from "./host.js";

// ?steps=N stops after N steps (tests); ?epochs=E sets the schedule's length (default 15).
const params = new URLSearchParams(location.search);
const epochs = Number(params.get("epochs") ?? 15);
const maxSteps = params.has("steps") ? Number(params.get("steps")) : null;

async function main() {
  const losses = [], accuracies = [];     // as streamed from the worker, step by step
  let stepsPerEpoch;
  const py = await startPython({
    script: "train.py", onProgress: progressBars($("progress"), ["pyodide", "install", "weights"]),
    onEvent: (kind, data) => {
      if (kind === "step") {
        losses.push(data.loss);
        const total = maxSteps ?? epochs * stepsPerEpoch;
        lineChart($("loss"), losses, total);
        $("last-loss").textContent = `step ${data.step}: ${data.loss.toFixed(4)}`;
        $("speed").textContent = `${fmtMs(data.ms / data.step)} per step in the worker`;
        setStatus("running", `training: step ${data.step} of ${total}`);
      } else if (kind === "epoch") {
        accuracies.push(data.accuracy);
        barChart($("accuracy"), accuracies.map((_, i) => `${i + 1}`), accuracies,
                 accuracies.length - 1);
        $("last-acc").textContent = `epoch ${data.epoch}: ${(100 * data.accuracy).toFixed(1)}%`;
      }
    },
  });
  setStatus("loading", "loading the training data…");
  ({ steps_per_epoch: stepsPerEpoch } = await py.call("load"));
  setStatus("ready", "ready: press Start");
  $("start").disabled = false;
  $("start").addEventListener("click", async () => {
    $("start").disabled = true;
    losses.length = accuracies.length = 0;
    setStatus("running", "training…");
    try {
      const r = await py.call("train", { epochs, steps: maxSteps });
      Object.assign(r, { streamed_losses: losses, streamed_accuracies: accuracies,
                         info: py.info, thread: py.thread });
      $("result-json").textContent = JSON.stringify(r);
      $("speed").textContent = `${r.losses.length} steps in ${fmtMs(r.train_ms)}`;
      setStatus("done");
    } catch (err) {
      showError(err);
    }
    $("start").disabled = false;
  });
}

main().catch(showError);
