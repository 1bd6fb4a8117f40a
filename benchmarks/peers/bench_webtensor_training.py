"""webtensor training steps on the cases of training.js, inside Pyodide on
tests/browser/runner.html, driven by benchmarks/bench_training.py (same Chromium as the
TensorFlow.js page). One step: zero_grad, forward, cross_entropy, backward, Adam, loss.item().
Heap: Pyodide's linear memory and the live Python objects before and after TRAIN_STEPS more
steps. Profile: cProfile over a few steps of each case, the functions with the most own time.
Set WEBTENSOR_WASM_ISA and TRAIN_STEPS before this runs. Prints `TRAIN_JSON {...}`."""
import cProfile
import gc
import json
import os
import pstats
import random
import time

import webtensor
from bench_core import best_time  # bench_training.py loads benchmarks/bench_core.py as a module
from webtensor import backends

webtensor.install_as_torch()
import torch  # noqa: E402  (webtensor, as in an ordinary training script)
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from webtensor.models.digits_cnn import DigitsCNN  # noqa: E402


def wasm_heap_bytes():
    import pyodide_js
    return pyodide_js._module.HEAPU8.length


def cases():
    rng = random.Random(0)
    torch.manual_seed(0)
    cnn = DigitsCNN(dropout=0.0)
    xc = torch.tensor([rng.randrange(17) for _ in range(64 * 64)], dtype=torch.float32
                      ).reshape(64, 1, 8, 8)
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    xm = torch.tensor([rng.uniform(-1, 1) for _ in range(128 * 784)]).reshape(128, 784)
    return {"digits CNN b64": (cnn, xc, torch.tensor([rng.randrange(10) for _ in range(64)])),
            "MLP 784-256-10 b128": (mlp, xm, torch.tensor([rng.randrange(10) for _ in range(128)]))}


def phases(model, opt, x, y, n=20):
    """ms per step in each phase of the step (perf_counter around each, n steps)."""
    t = dict.fromkeys(("zero_grad", "forward + loss", "backward", "optimizer step", "loss.item()"), 0.0)
    for _ in range(n):
        t0 = time.perf_counter()
        opt.zero_grad()
        t1 = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        loss.item()
        t5 = time.perf_counter()
        for k, a, b in zip(t, (t0, t1, t2, t3, t4), (t1, t2, t3, t4, t5)):
            t[k] += (b - a) * 1e3 / n
    return t


def profile(step, n=10, top=15):
    prof = cProfile.Profile()
    prof.runcall(lambda: [step() for _ in range(n)])
    st = pstats.Stats(prof)
    rows = sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:top]   # by own time
    total = sum(v[2] for v in st.stats.values())
    return {"steps": n, "total_ms_per_step": 1e3 * total / n,
            "top_own_time": [{"function": f"{os.path.basename(f)}:{line}({name})",
                              "calls_per_step": v[1] / n, "own_ms_per_step": 1e3 * v[2] / n}
                             for (f, line, name), v in rows]}


def main():
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    steps = int(os.environ.get("TRAIN_STEPS", "1000"))
    out = {"backend": backends.get_backend(), "isa": backends.get_isa(), "cases": {}}
    for name, (model, x, y) in cases().items():
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        last = [0.0]

        def step():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            last[0] = loss.item()
        t = best_time(step, min_batch=0.2)
        gc.collect()
        heap0, objs0 = wasm_heap_bytes(), len(gc.get_objects())
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        secs = time.perf_counter() - t0
        gc.collect()
        heap1, objs1 = wasm_heap_bytes(), len(gc.get_objects())
        r = {"ms_per_step": t * 1e3, "loss": last[0], "heap_steps": steps,
             "heap_run_ms_per_step": secs * 1e3 / steps, "wasm_heap_before": heap0,
             "wasm_heap_after": heap1, "py_objects_before": objs0, "py_objects_after": objs1,
             "phases_ms": phases(model, opt, x, y), "profile": profile(step)}
        out["cases"][name] = r
        print(f"  {name}: {r['ms_per_step']:.2f} ms/step (loss {last[0]:.4f}); {steps} more "
              f"steps: wasm heap {heap0} -> {heap1}, python objects {objs0} -> {objs1}")
        print("    phases (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in r["phases_ms"].items()))
        for row in r["profile"]["top_own_time"][:8]:
            print(f"    {row['own_ms_per_step']:7.3f} ms  {row['calls_per_step']:6.0f} calls  "
                  f"{row['function']}")
    print("TRAIN_JSON " + json.dumps(out))


main()
