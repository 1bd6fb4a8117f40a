import { $, progressBars, setStatus, showError } from "./boot.js";
import { startPython } from "./host.js";

const params = new URLSearchParams(location.search);
const maxNewTokens = Number(params.get("max_new_tokens") ?? 64);
const messages = [];
const turns = [];       // per reply: what the page measured (read by tests)

// Main-thread tasks over 50 ms (the Long Tasks API), to show what a worker buys.
const longTasks = [];
new PerformanceObserver((list) => longTasks.push(...list.getEntries()))
  .observe({ type: "longtask", buffered: true });
const longestBetween = (t0, t1) => Math.max(0, ...longTasks
  .filter((e) => e.startTime + e.duration > t0 && e.startTime < t1).map((e) => e.duration));

function bubble(role, text) {
  const div = document.createElement("div");
  div.className = `msg ${role}`;
  div.textContent = text;
  $("log").append(div);
  return div;
}

async function main() {
  const thread = params.get("thread") === "main" ? "main" : "worker";
  $("thread").textContent = thread === "main" ? "the main thread" : "a dedicated Web Worker";
  if (thread === "main") {
    $("intro").textContent = "Here Python and the model run on this page's main thread, for " +
      "contrast: while it thinks, the page freezes (the square below stops spinning).";
  }
  $("thread-switch").href = thread === "main" ? "./chat.html" : "./chat.html?thread=main";
  $("thread-switch").textContent = thread === "main" ? "run it in a worker instead"
    : "run it on the main thread instead";
  let live = null;
  const py = await startPython({
    script: "chat.py", thread, onProgress: progressBars($("progress")),
    onEvent: (kind, data) => {
      if (kind !== "token" || !live) return;
      live.textContent = data.text;
      if (data.tokens_per_s) $("speed").textContent = `${data.tokens_per_s.toFixed(1)} tokens/s`;
    },
  });
  setStatus("loading", "loading SmolLM2…");
  const loaded = await py.call("load");
  const result = { thread, info: py.info, load_ms: loaded.load_ms, turns };

  async function send(text) {
    $("send").disabled = $("prompt").disabled = true;
    setStatus("running", "thinking…");
    messages.push({ role: "user", content: text });
    bubble("user", text);
    live = bubble("assistant", "…");
    const t0 = performance.now();
    const reply = await py.call("chat", { messages, max_new_tokens: maxNewTokens });
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, 0));   // let the observer deliver the last entries
    reply.main_thread_longest_task_ms = longestBetween(t0, t1);
    reply.wall_ms = t1 - t0;
    live.textContent = reply.text;
    messages.push({ role: "assistant", content: reply.text });
    $("longest").textContent = reply.main_thread_longest_task_ms
      ? `${reply.main_thread_longest_task_ms.toFixed(0)} ms` : "none over 50 ms";
    turns.push(reply);
    $("result-json").textContent = JSON.stringify(result);
    $("send").disabled = $("prompt").disabled = false;
    $("prompt").value = "";
    setStatus("done");
  }
  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("prompt").value.trim();
    if (text && !$("send").disabled) send(text).catch(showError);
  });
  $("send").disabled = $("prompt").disabled = false;
  $("result-json").textContent = JSON.stringify(result);
  setStatus("ready", "ready: ask something");
  if (params.get("ask")) await send(params.get("ask"));    // chat.html?ask=...: ask right away
}

main().catch(showError);
