// Where a page's Python runs: in a dedicated worker (worker.js; the default) or, for contrast,
// on the page's main thread (?thread=main). Both give the same object:
//   const py = await startPython({ script: "chat.py", onProgress, onEvent });
//   const result = await py.call("chat", { ... });      // the page's async def chat(args_json)
import { startPage } from "./runtime.js";

export const requestedThread = () =>
  new URLSearchParams(location.search).get("thread") === "main" ? "main" : "worker";

export async function startPython({ script, thread = requestedThread(), env,
                                    onProgress = () => {}, onEvent = () => {} }) {
  if (thread === "main") {
    const page = await startPage({ script, env, onProgress, onEvent,
                                   onStdout: (line) => onEvent("stdout", line) });
    return { thread, info: page.info, call: page.call, stop() {} };
  }
  const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const pending = new Map();
  let nextId = 0;
  let started;
  const ready = new Promise((resolve, reject) => { started = { resolve, reject }; });
  worker.onmessage = ({ data }) => {
    if (data.type === "progress") onProgress(data);
    else if (data.type === "event") onEvent(data.kind, data.payload);
    else if (data.type === "ready") started.resolve(data.info);
    else if (data.id === undefined) started.reject(new Error(data.message));
    else {
      const { resolve, reject } = pending.get(data.id);
      pending.delete(data.id);
      if (data.type === "result") resolve(data.value); else reject(new Error(data.message));
    }
  };
  worker.onerror = (e) => started.reject(new Error(`worker failed: ${e.message ?? "script error"}`));
  worker.postMessage({ type: "start", script, env });
  const info = await ready;
  return {
    thread, info,
    call: (name, args = {}) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type: "call", id, name, args });
    }),
    stop: () => worker.terminate(),
  };
}
