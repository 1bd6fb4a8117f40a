"""webtensor all-MiniLM-L6-v2 (webtensor/models/minilm.py) inside Pyodide on
tests/browser/runner.html, driven by benchmarks/bench_minilm.py (same Chromium as
onnxruntime-web). Weights are fetched from the site (peers/minilm/). Set WEBTENSOR_WASM_ISA and
MINILM_IDS, MINILM_REF before this runs. Prints `MINILM_JSON {...}`."""
import json
import os
import time
from urllib.parse import urljoin

from js import location

import webtensor as torch
from bench_core import best_times  # loaded as a module by run_peers.run_site
from webtensor import backends, graphs
from webtensor.models import init_empty_weights, minilm
from webtensor.serialization import fetch_async, safetensors


def wasm_heap():
    import pyodide_js
    return int(pyodide_js._module.HEAP8.length)


async def main():
    heap_start = wasm_heap()
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    t0 = time.perf_counter()
    base = urljoin(location.href, "peers/minilm/")     # the runner page's site
    cfg = minilm.BertConfig.from_dict(json.loads(bytes(
        await fetch_async(base + "config.json")).decode()))
    file = await fetch_async(base + "model.safetensors")
    weights = safetensors.load(file)
    with init_empty_weights():     # the parameters become views of the file's bytes
        model = minilm.SentenceEmbedder(cfg).eval()
    model.load_hf_state_dict(weights, assign=True)
    load_s = time.perf_counter() - t0
    ids = json.loads(os.environ["MINILM_IDS"])
    x = torch.tensor([ids])
    mask, types = torch.ones_like(x), torch.zeros_like(x)

    def forward():
        with torch.no_grad():
            return model(x, mask, types)
    g = graphs.Graph()
    with torch.no_grad(), graphs.graph(g, device="cpu"):
        captured = model(x, mask, types)     # x, mask, types are the graph's static inputs
    t = best_times({"eager": forward, "captured": g.replay},
                   seconds=float(os.environ.get("BENCH_MINILM_SECONDS", "10")))
    out = {"backend": backends.get_backend(), "isa": backends.get_isa(),
           "ms_per_forward": t["eager"] * 1e3, "captured_ms_per_forward": t["captured"] * 1e3,
           "captured_kernels": g.num_kernels, "load_s": load_s}
    ref = json.loads(os.environ["MINILM_REF"])     # torch's embedding on CPython
    eager = forward()[0].tolist()
    g.replay()
    out["max_abs_err_vs_torch"] = max(abs(a - b) for a, b in zip(eager, ref))
    out["captured_max_abs_diff_vs_eager"] = max(
        abs(a - b) for a, b in zip(captured[0].tolist(), eager))
    # wasm memory never shrinks: the heap now is the run's peak (weights fetched, loaded, run)
    out["heap_start_mb"], out["heap_mb"] = heap_start / 2 ** 20, wasm_heap() / 2 ** 20
    out["file_mb"] = len(file) / 2 ** 20
    print(f"  {out['isa']}: {t['eager'] * 1e3:.1f} ms per forward eager, "
          f"{t['captured'] * 1e3:.1f} captured (weights fetched + loaded in {load_s:.1f} s)")
    print("MINILM_JSON " + json.dumps(out))


await main()  # noqa: F704 - runner.html runs this with runPythonAsync (top-level await)
