// What the peer benchmark pages share: the result object run_peers.py polls, a log line, the
// query, deterministic inputs, and bench_core.py's timing method (one warm-up call, batches that
// double until one lasts >= minBatchMs, then `batches` batches of that many calls; best per call).
export const state = (window.__peers = { state: "running", result: null, error: null });
const out = document.getElementById("out");
export const log = (s) => { out.textContent += "\n" + s; console.log(s); };
export const params = new URLSearchParams(location.search);

export async function bestTime(fn, minBatchMs = 50, batches = 5) {  // seconds per call
  await fn();
  let reps = 1, t;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    t = performance.now() - t0;
    if (t >= minBatchMs) break;
    reps *= 2;
  }
  let best = t / reps;
  for (let b = 0; b < batches - 1; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return { sec: best / 1000, reps };
}

// Deterministic pseudo-random inputs in [-1, 1) (xorshift32).
export function randArray(n, seed) {
  const a = new Float32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    a[i] = (x / 4294967296) * 2 - 1;
  }
  return a;
}

// Run main(); an exception ends the page in the "error" state with its stack.
export function run(main) {
  main().catch((e) => { state.error = String(e?.stack ?? e); state.state = "error"; log("error: " + state.error); });
}
