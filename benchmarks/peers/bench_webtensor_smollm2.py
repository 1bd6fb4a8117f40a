"""webtensor SmolLM2-135M (benchmarks/bench_smollm2.py, quantised weights: eager and captured
decode) inside Pyodide on tests/browser/runner.html, driven by benchmarks/bench_llm_peers.py in
the same Chromium as wllama and onnxruntime-web. Fetches bench_smollm2.py and each GGUF file
from the site (peers/smollm2/), writes the GGUF where bench_smollm2 looks, runs its main() per
file. Set WEBTENSOR_WASM_ISA, SMOLLM2_GGUFS ({label: file name}) and BENCH_SMOLLM2_* before this
runs. Prints `SMOLLM2_JSON {label: bench_smollm2's result}`."""
import contextlib
import io
import json
import os
from urllib.parse import urljoin

from js import location

from webtensor.serialization import fetch_async


async def main():
    base = urljoin(location.href, "peers/smollm2/")     # the runner page's site
    ns = {"__name__": "bench_smollm2"}                   # not __main__: main() runs below
    exec(bytes(await fetch_async(base + "bench_smollm2.py")).decode(), ns)
    out = {}
    for label, name in json.loads(os.environ["SMOLLM2_GGUFS"]).items():
        ns["GGUF"] = f"smollm2/{name}"
        os.makedirs("smollm2", exist_ok=True)
        with open(ns["GGUF"], "wb") as f:
            f.write(bytes(await fetch_async(base + name)))
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            ns["main"]()
        text = buf.getvalue()
        print(f"  {label}:\n" + "\n".join(ln for ln in text.splitlines()
                                          if not ln.startswith("BENCH_JSON ")))
        out[label] = json.loads(next(ln for ln in text.splitlines()
                                     if ln.startswith("BENCH_JSON "))[len("BENCH_JSON "):])
        os.remove(ns["GGUF"])
    print("SMOLLM2_JSON " + json.dumps(out))


await main()  # noqa: F704 - runner.html runs this with runPythonAsync (top-level await)
