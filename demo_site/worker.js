// The dedicated worker that runs Python for a page (runtime.js), so the page's main thread only
// draws: a model step of hundreds of milliseconds never blocks scrolling, typing or painting.
// Protocol (host.js is the page side): in {type: "start", script, env} and {type: "call", id,
// name, args}; out {type: "progress" | "event" | "ready" | "result" | "error", ...}.
import { startPage } from "./runtime.js";

let page;
const post = (msg) => self.postMessage(msg);
const message = (err) => String(err?.message ?? err);

self.onmessage = async ({ data }) => {
  if (data.type === "start") {
    try {
      page = await startPage({
        script: data.script, env: data.env,
        onProgress: (p) => post({ type: "progress", ...p }),
        onEvent: (kind, payload) => post({ type: "event", kind, payload }),
        onStdout: (line) => post({ type: "event", kind: "stdout", payload: line }),
      });
      post({ type: "ready", info: page.info });
    } catch (err) {
      post({ type: "error", message: message(err) });
    }
  } else if (data.type === "call") {
    try {
      post({ type: "result", id: data.id, value: await page.call(data.name, data.args) });
    } catch (err) {
      post({ type: "error", id: data.id, message: message(err) });
    }
  }
};
