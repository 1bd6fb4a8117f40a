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
from bench_core import best_time  # loaded as a module by run_peers.run_site
from webtensor import backends
from webtensor.models import minilm, no_init_weights
from webtensor.serialization import fetch_async, safetensors


async def main():
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    t0 = time.perf_counter()
    base = urljoin(location.href, "peers/minilm/")     # the runner page's site
    cfg = minilm.BertConfig.from_dict(json.loads(bytes(
        await fetch_async(base + "config.json")).decode()))
    weights = safetensors.load(await fetch_async(base + "model.safetensors"))
    with no_init_weights():
        model = minilm.SentenceEmbedder(cfg).eval()
    model.load_hf_state_dict(weights, assign=True)
    load_s = time.perf_counter() - t0
    ids = json.loads(os.environ["MINILM_IDS"])
    x = torch.tensor([ids])
    mask, types = torch.ones_like(x), torch.zeros_like(x)

    def forward():
        with torch.no_grad():
            return model(x, mask, types)
    t = best_time(forward, min_batch=0.2, batches=7)
    out = {"backend": backends.get_backend(), "isa": backends.get_isa(), "ms_per_forward": t * 1e3,
           "load_s": load_s}
    ref = json.loads(os.environ["MINILM_REF"])     # torch's embedding on CPython
    out["max_abs_err_vs_torch"] = max(abs(a - b) for a, b in zip(forward()[0].tolist(), ref))
    print(f"  {out['isa']}: {t * 1e3:.1f} ms per forward (weights fetched + loaded in "
          f"{load_s:.1f} s)")
    print("MINILM_JSON " + json.dumps(out))


await main()  # noqa: F704 - runner.html runs this with runPythonAsync (top-level await)
