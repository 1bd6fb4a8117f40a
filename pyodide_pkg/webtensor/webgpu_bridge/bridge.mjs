// webtensor's WebGPU bridge: the thin JavaScript side of the "webgpu" device.
//
// Python (backends/webgpu/host_browser.py) loads this module from the installed wheel and is
// its only caller. It stays thin on purpose: no kernels, no tensor logic, only
//   init({powerPreference})                  adapter + device -> {adapter, backend, fallback,
//                                             features, limits}
//   createBuffer(id, nbytes) / destroyBuffer(id) / writeBuffer(id, offset, Uint8Array)
//   createPipeline(id, name, wgsl)           -> Promise<null | error string> (compile check)
//   run(cmds, params)                        ONE call per flush: encodes a batch of dispatches
//                                             into one command encoder and submits it
//   read(id, offset, nbytes)                 -> Promise<Uint8Array> (pooled MAP_READ staging)
//   createGraph(gid, cmds, params) / replay(gid) / dropGraph(gid)
//                                             captured dispatches (cmds/params as for run())
//                                             kept with their own uniform buffer; replay is
//                                             one call that encodes and submits them
//   done()                                   -> Promise: the GPU finished what was submitted
//   onLost(callback), lostReason(), pendingErrors(), destroyDevice() (tests)
//
// cmds (Int32Array), per dispatch:
//   pipeline id, n, buffer id * n, params byte offset (a multiple of 256), groups x, y, z
// params (Uint8Array): every dispatch's uniform block, each in its own 256-byte slot; written
// once per run into one uniform buffer bound at binding 0 with a dynamic offset, so a bind
// group depends only on (pipeline, buffers) and is cached.
//
// Errors: synchronous failures throw Error; errors that WebGPU reports later (error scopes,
// shader compilation) are queued and surface at the next run() (returned as a string) or
// read() (rejected). Every message starts with its kind: "oom: ", "validation: ", "lost: ",
// "internal: ", which Python maps to host.OutOfMemoryError / RuntimeError.

const PARAMS_BYTES = 256;
const USAGE_STORAGE = 0x80 | 0x04 | 0x08;           // STORAGE | COPY_SRC | COPY_DST
const WANTED_FEATURES = ["shader-f16", "subgroups", "timestamp-query"];

let ctx = null;     // the current device and its tables; replaced by init()

const fail = (kind, msg) => new Error(`${kind}: ${msg}`);

function current() {
  if (ctx === null) throw fail("internal", "the WebGPU bridge is not initialised (init())");
  if (ctx.lost !== null) throw fail("lost", ctx.lost);
  return ctx;
}

// ---- device --------------------------------------------------------------------------------

export async function init({ powerPreference = "high-performance" } = {}) {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) {
    throw fail("unavailable", "navigator.gpu is missing: this browser has no WebGPU " +
               "(Chromium/Edge 113+, Firefox 141+, Safari 26+; headless Chromium needs " +
               "--enable-unsafe-webgpu)");
  }
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) throw fail("unavailable", "navigator.gpu.requestAdapter() returned null");
  // Ask for everything the adapter can do: the defaults (e.g. 256 MiB maxBufferSize) are lower.
  const requiredLimits = {};
  for (const k in adapter.limits) {
    if (typeof adapter.limits[k] === "number") requiredLimits[k] = adapter.limits[k];
  }
  const requiredFeatures = WANTED_FEATURES.filter((f) => adapter.features.has(f));
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  const info = adapter.info ?? {};
  const c = {
    device, lost: null, lostCallbacks: [],
    buffers: new Map(),       // id -> GPUBuffer
    pipelines: new Map(),     // id -> {name, pipeline, layout, error}
    bindGroups: new Map(),    // "graph:pipeline:buf,buf" -> GPUBindGroup (graph 0: run())
    graphs: new Map(),        // graph id -> {cmds, uniform} (createGraph)
    bufferGroups: new Map(),  // buffer id -> Set of bindGroups keys that use it
    uniform: null,            // GPUBuffer (UNIFORM | COPY_DST), grows
    staging: [],              // free MAP_READ | COPY_DST buffers
    pending: [],              // promises of error strings (or null) not yet reported
    errors: [],               // error strings not yet reported
  };
  if (ctx !== null && ctx.lost === null) ctx.device.destroy();   // one device at a time
  ctx = c;
  device.lost.then((e) => {
    c.lost = `${e.reason}${e.message ? ": " + e.message : ""}`;
    for (const cb of c.lostCallbacks) { try { cb(c.lost); } catch (_) { /* ignore */ } }
  });
  device.addEventListener("uncapturederror", (e) => c.errors.push(`validation: ${e.error.message}`));
  const limits = {};
  for (const k in device.limits) {
    if (typeof device.limits[k] === "number") limits[k] = device.limits[k];
  }
  return {
    adapter: [info.vendor, info.architecture, info.device, info.description]
      .filter((s) => s).join(" ") || "unknown",
    backend: "browser",
    fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    features: [...device.features],
    limits,
  };
}

// Called with the reason when the device is lost (Python sets host.lost without a JS call).
export function onLost(callback) {
  const c = current();
  c.lostCallbacks.push(callback);
}

export function lostReason() { return ctx === null ? null : ctx.lost; }

// For the fault tests: lose the device on purpose.
export function destroyDevice() { if (ctx !== null) ctx.device.destroy(); }

// Collect errors that WebGPU has reported since the last call: -> string ("" if none).
function takeErrors(c) {
  const e = c.errors.splice(0);
  return e.join("\n");
}

// Push scopes; return a function that pops them and queues any error (labelled by `what`).
function scoped(c, what, oomKind = "oom") {
  c.device.pushErrorScope("out-of-memory");
  c.device.pushErrorScope("validation");
  return () => {
    const v = c.device.popErrorScope();
    const o = c.device.popErrorScope();
    const p = Promise.all([v, o]).then(([ve, oe]) => {
      if (oe) return `oom: ${what}: ${oe.message}`;
      if (ve) return `${oomKind === "oom-on-validation" ? "oom" : "validation"}: ${what}: ${ve.message}`;
      return null;
    }, (err) => (c.lost !== null ? `lost: ${c.lost}` : `internal: ${what}: ${err}`));
    c.pending.push(p);
    p.then((msg) => {
      const i = c.pending.indexOf(p);
      if (i >= 0) c.pending.splice(i, 1);
      if (msg) c.errors.push(msg);
    });
  };
}

// Wait for every queued error scope; -> string of errors ("" if none).
export async function pendingErrors() {
  if (ctx === null) return "";
  const c = ctx;
  await Promise.all(c.pending);
  return takeErrors(c);
}

// Wait until the GPU has done everything submitted; -> errors as pendingErrors().
export async function done() {
  await current().device.queue.onSubmittedWorkDone();
  return pendingErrors();
}

// ---- buffers -------------------------------------------------------------------------------

export function createBuffer(id, nbytes) {
  const c = current();
  const size = Math.max(4, Math.ceil(nbytes / 4) * 4);
  // With our fixed usage, the only validation failure of createBuffer is the size: report it
  // (like the out-of-memory scope) as "oom".
  const done = scoped(c, `createBuffer(${size} bytes)`, "oom-on-validation");
  const buf = c.device.createBuffer({ size, usage: USAGE_STORAGE, label: `wt${id}` });
  done();
  c.buffers.set(id, buf);      // WebGPU zero-initialises buffers
}

export function destroyBuffer(id) {
  if (ctx === null) return;
  const c = ctx;
  const buf = c.buffers.get(id);
  if (buf === undefined) return;
  c.buffers.delete(id);
  for (const key of c.bufferGroups.get(id) ?? []) c.bindGroups.delete(key);
  c.bufferGroups.delete(id);
  buf.destroy();
}

export function writeBuffer(id, offset, data) {
  const c = current();
  c.device.queue.writeBuffer(buffer(c, id), offset, data);
}

function buffer(c, id) {
  const b = c.buffers.get(id);
  if (b === undefined) throw fail("internal", `no WebGPU buffer with id ${id}`);
  return b;
}

// ---- pipelines -----------------------------------------------------------------------------

// `@group(0) @binding(k) var<uniform|storage[, read|read_write]>` declarations of the kernel.
const BINDING = /(?:@group\(\s*0\s*\)\s*)?@binding\(\s*(\d+)\s*\)\s*(?:@group\(\s*0\s*\)\s*)?var\s*<\s*(\w+)\s*(?:,\s*(\w+))?\s*>\s*(\w+)/g;

function bindGroupLayout(c, name, code) {
  const entries = [], names = new Map();
  // comments may show declarations too (matmul's header does): match the code only
  const src = code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/[^\n]*/g, "");
  for (const m of src.matchAll(BINDING)) {
    const binding = Number(m[1]);
    const buffer = m[2] === "uniform"
      ? { type: "uniform", hasDynamicOffset: true }
      : { type: m[3] === "read_write" ? "storage" : "read-only-storage" };
    entries.push({ binding, visibility: 4 /* COMPUTE */, buffer });
    names.set(binding, m[4]);
  }
  if (!entries.some((e) => e.binding === 0 && e.buffer.type === "uniform")) {
    throw fail("validation", `WGSL kernel '${name}': binding 0 of group 0 must be ` +
               "`var<uniform> params` (bindings 1.. the storage buffers)");
  }
  const layout = c.device.createBindGroupLayout({ entries });   // unlabelled: Dawn dedupes
  const used = usedNames(src, name);
  layout.__unused = used === null ? []
    : entries.filter((e) => e.binding > 0 && !used.test(names.get(e.binding)));
  return layout;
}

// The identifiers that entry point `entry` and the functions it calls (transitively) mention,
// as a test of a name; null when the entry point is not found (then every binding counts).
function usedNames(src, entry) {
  const fns = new Map();
  for (const m of src.matchAll(/\bfn\s+(\w+)\s*\(/g)) {
    let depth = 0, j = src.indexOf("{", m.index);
    for (; j >= 0 && j < src.length; j++) {
      if (src[j] === "{") depth++;
      else if (src[j] === "}" && --depth === 0) break;
    }
    fns.set(m[1], src.slice(m.index, j + 1));
  }
  if (!fns.has(entry)) return null;
  const seen = new Set(), todo = [entry], words = new Set();
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f) || !fns.has(f)) continue;
    seen.add(f);
    for (const w of fns.get(f).matchAll(/\b\w+\b/g)) {
      words.add(w[0]);
      if (fns.has(w[0])) todo.push(w[0]);
    }
  }
  return { test: (n) => words.has(n) };
}

// A module with several entry points declares the bindings of all of them, and the explicit
// layout has them all; an entry point's dispatch passes only its own (1..n, as with wgpu's
// "auto" layout): the bindings that it does not use get a small unused buffer (one for
// read-only, one for read-write bindings, so that no buffer is both in one dispatch); a
// binding it uses but was not given stays an error.
function unusedBuffer(c, type) {
  c.unused ??= {};
  return c.unused[type] ??= c.device.createBuffer({ size: 256, usage: 0x80 /* STORAGE */ });
}

// Compile once. Returns a promise of null or an error string naming the kernel; the error is
// also remembered so that run() refuses the pipeline. WGSL compile errors (getCompilationInfo)
// come first; then binding-declaration and pipeline-creation errors (validation scope).
export function createPipeline(id, name, code) {
  const c = current();
  const entry = { name, pipeline: null, layout: null, error: null, ready: null };
  c.pipelines.set(id, entry);
  const done = scoped(c, `kernel '${name}'`);
  let module, layoutError = null;
  try {
    module = c.device.createShaderModule({ label: name, code });
    try {
      entry.layout = bindGroupLayout(c, name, code);
    } catch (err) {
      layoutError = err.message;
    }
    if (entry.layout !== null) {
      entry.pipeline = c.device.createComputePipeline({
        label: name,
        layout: c.device.createPipelineLayout({ bindGroupLayouts: [entry.layout] }),
        compute: { module, entryPoint: name },
      });
    }
  } finally {
    done();
  }
  const scope = c.pending[c.pending.length - 1];
  return entry.ready = Promise.all([module.getCompilationInfo(), scope]).then(([info, other]) => {
    if (other) {                  // reported here: not again at the next run()
      const i = c.errors.indexOf(other);
      if (i >= 0) c.errors.splice(i, 1);
    }
    const errs = info.messages.filter((m) => m.type === "error")
      .map((m) => `  line ${m.lineNum}:${m.linePos}: ${m.message}`);
    if (errs.length) {
      entry.error = `validation: WGSL kernel '${name}' failed to compile:\n${errs.join("\n")}`;
    } else {
      entry.error = layoutError ?? other;
    }
    return entry.error;
  }, () => entry.error);
}

// ---- the one entry point per flush --------------------------------------------------------

// `uniform`: the params buffer (bound with a dynamic offset); a graph's own, or the shared one
// (gid 0). Cached per (graph, pipeline, buffers).
function bindGroup(c, pid, p, ids, uniform, gid) {
  const key = `${gid}:${pid}:${ids.join(",")}`;
  let g = c.bindGroups.get(key);
  if (g !== undefined) return g;
  const entries = [{ binding: 0, resource: { buffer: uniform, offset: 0, size: PARAMS_BYTES } }];
  ids.forEach((id, i) => entries.push({ binding: i + 1, resource: { buffer: buffer(c, id) } }));
  for (const e of p.layout.__unused ?? []) {   // bindings this entry point does not use
    if (e.binding > ids.length) {
      entries.push({ binding: e.binding, resource: { buffer: unusedBuffer(c, e.buffer.type) } });
    }
  }
  g = c.device.createBindGroup({ label: p.name, layout: p.layout, entries });
  if (c.bindGroups.size > 8192) { c.bindGroups.clear(); c.bufferGroups.clear(); }
  c.bindGroups.set(key, g);
  for (const id of ids) {
    let s = c.bufferGroups.get(id);
    if (s === undefined) c.bufferGroups.set(id, (s = new Set()));
    s.add(key);
  }
  return g;
}

// Encode every dispatch of `cmds` into one compute pass and submit. -> "" or the errors that
// WebGPU reported since the previous call (this batch's own errors come at the next call).
// `free` (optional Int32Array): buffers to destroy once this batch is submitted (Python's
// destroy() of a buffer that recorded dispatches still use), so that costs no extra call.
export function run(cmds, params, free = null) {
  const c = current();
  if (params.byteLength > 0) {
    if (c.uniform === null || c.uniform.size < params.byteLength) {
      let size = 16384;
      while (size < params.byteLength) size *= 2;
      if (c.uniform !== null) c.uniform.destroy();
      c.uniform = c.device.createBuffer({ size, usage: 0x40 | 0x08 /* UNIFORM|COPY_DST */,
                                         label: "webtensor params" });
      c.bindGroups.clear();            // they point at the old uniform buffer
      c.bufferGroups.clear();
    }
    c.device.queue.writeBuffer(c.uniform, 0, params);
  }
  const used = new Set();
  const done = scoped(c, "dispatch batch");
  try {
    encode(c, cmds, c.uniform, 0, used);
  } finally {
    done();
    if (free !== null) for (const id of free) destroyBuffer(id);
  }
  nameKernels(c, used);
  return takeErrors(c);
}

// One compute pass over the dispatches of `cmds`, submitted; `used` collects their pipelines.
function encode(c, cmds, uniform, gid, used) {
  const encoder = c.device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  for (let i = 0; i < cmds.length;) {
    const pid = cmds[i++];
    const p = c.pipelines.get(pid);
    if (p === undefined) throw fail("internal", `no pipeline with id ${pid}`);
    if (p.error) throw new Error(p.error);
    if (p.pipeline === null) throw fail("validation", `kernel '${p.name}' has no pipeline`);
    used.add(p);
    const n = cmds[i++];
    const ids = Array.from(cmds.subarray(i, i + n));
    i += n;
    const offset = cmds[i++];
    pass.setPipeline(p.pipeline);
    pass.setBindGroup(0, bindGroup(c, pid, p, ids, uniform, gid), [offset]);
    pass.dispatchWorkgroups(cmds[i++], cmds[i++], cmds[i++]);
  }
  pass.end();
  c.device.queue.submit([encoder.finish()]);
}

function nameKernels(c, used) {
  // Name the kernels of a failing batch (Dawn's message names the pipeline label too), with
  // the compile errors of those that failed to compile (when Python could not wait for them).
  // Their compile checks may settle after the batch's scope: pendingErrors() waits for both.
  const scope = c.pending[c.pending.length - 1];
  const renamed = Promise.all([scope, ...[...used].map((p) => p.ready)]).then(([msg]) => {
    const i = msg ? c.errors.indexOf(msg) : -1;
    if (i < 0) return null;
    const kernels = [...used].map((p) => p.name).join(", ");
    const why = [...used].filter((p) => p.error).map((p) => p.error.replace(/^\w+: /, ""));
    c.errors[i] = msg.replace("dispatch batch", `dispatch batch (kernels: ${kernels})`) +
      (why.length ? "\n" + why.join("\n") : "");
    return null;
  }, () => null);
  c.pending.push(renamed);
  renamed.then(() => {
    const i = c.pending.indexOf(renamed);
    if (i >= 0) c.pending.splice(i, 1);
  });
}

// ---- captured graphs: dispatches kept with their own params buffer, replayed in one call ----

export function createGraph(gid, cmds, params) {
  const c = current();
  const uniform = c.device.createBuffer({ size: Math.max(PARAMS_BYTES, params.byteLength),
                                          usage: 0x40 | 0x08, label: `webtensor graph ${gid}` });
  c.device.queue.writeBuffer(uniform, 0, params);
  c.graphs.set(gid, { cmds: Int32Array.from(cmds), uniform });
}

export function replay(gid) {
  const c = current();
  const g = c.graphs.get(gid);
  if (g === undefined) throw fail("internal", `no graph with id ${gid}`);
  const used = new Set();
  const done = scoped(c, "graph replay");
  try {
    encode(c, g.cmds, g.uniform, gid, used);
  } finally {
    done();
  }
  nameKernels(c, used);
  return takeErrors(c);
}

export function dropGraph(gid) {
  const c = current();
  const g = c.graphs.get(gid);
  if (g === undefined) return;
  c.graphs.delete(gid);
  g.uniform.destroy();
  for (const key of [...c.bindGroups.keys()]) if (key.startsWith(`${gid}:`)) c.bindGroups.delete(key);
}

// ---- readback ------------------------------------------------------------------------------

function takeStaging(c, size) {
  let best = -1;
  for (let i = 0; i < c.staging.length; i++) {
    const s = c.staging[i].size;
    if (s >= size && (best < 0 || s < c.staging[best].size)) best = i;
  }
  if (best >= 0) return c.staging.splice(best, 1)[0];
  let rounded = 4096;
  while (rounded < size) rounded *= 2;
  return c.device.createBuffer({ size: rounded, usage: 0x01 | 0x08 /* MAP_READ|COPY_DST */,
                                 label: "webtensor staging" });
}

function giveStaging(c, buf) {
  c.staging.push(buf);
  // keep the pool small: drop the largest beyond 8 buffers
  if (c.staging.length > 8) {
    c.staging.sort((a, b) => a.size - b.size);
    c.staging.pop().destroy();
  }
}

// Copy bytes [offset, offset + nbytes) of buffer `id` out: -> Promise<Uint8Array>.
// Rejects with the first error WebGPU reported for anything before it.
export async function read(id, offset, nbytes) {
  const c = current();
  const src = buffer(c, id);
  const start = offset & ~3;                               // copies need 4-byte alignment
  const end = Math.min(src.size, Math.ceil((offset + nbytes) / 4) * 4);
  const size = Math.max(4, end - start);
  const staging = takeStaging(c, size);
  const encoder = c.device.createCommandEncoder();
  encoder.copyBufferToBuffer(src, start, staging, 0, end - start);
  c.device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(1 /* GPUMapMode.READ */, 0, size);
  } catch (err) {
    await Promise.race([c.device.lost, new Promise((r) => setTimeout(r, 50))]);
    if (c.lost !== null) throw fail("lost", c.lost);
    staging.destroy();
    throw fail("internal", `mapAsync failed: ${err}`);
  }
  const out = new Uint8Array(staging.getMappedRange(0, size)).slice(offset - start,
                                                                     offset - start + nbytes);
  staging.unmap();
  giveStaging(c, staging);
  const errors = await pendingErrors();
  if (errors) throw new Error(errors);
  return out;
}
