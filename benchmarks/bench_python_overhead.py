"""The Python side of a model step, measured without the kernels: every WASM kernel call is
replaced by a no-op (index_select keeps its real kernel: its bounds check reads the result),
so what remains is the op layer, dispatch, shortcuts and allocation. Deterministic where the
Pyodide timings of whole models swing 10-30% on a 2-core VM, so it shows whether a change to
the Python layers costs model speed. CPython + wasmtime; outputs are garbage (zeros).

    python benchmarks/bench_python_overhead.py [TREE]   (TREE: a checkout to measure, default
                                                          this one; prints ms per step)
"""
import importlib.util
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main(tree):
    sys.path.insert(0, str(tree / "pyodide_pkg"))
    os.environ["WEBTENSOR_BACKEND"] = "reference"   # load the kernels after the patch below
    os.environ.setdefault("WEBTENSOR_WASM_ISA", "simd128")
    import webtensor as torch
    from webtensor.backends.wasm import loader_wasmtime as lw
    bind = lw._bind

    def stub_bind(inst, name, sym, spec):
        real = bind(inst, name, sym, spec)
        if "index_select" in name:
            return real

        def noop(*args):
            return None
        noop.__name__ = name
        return noop
    lw._bind = stub_bind
    torch.backends.set_backend("wasm")

    spec = importlib.util.spec_from_file_location("bench_smollm2",
                                                  REPO / "benchmarks" / "bench_smollm2.py")
    bs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bs)
    os.chdir(REPO)
    from webtensor.models import smollm2_gguf
    model, _ = smollm2_gguf.load(bs.GGUF, quantized=True)
    bs.PROMPT = bs.DECODE = 16
    decode = min(bs.run_model(model, bs.prompt_ids(16))[1] for _ in range(5)) / 16

    from webtensor.models import minilm
    cfg = minilm.BertConfig(hidden_size=384, num_hidden_layers=6, intermediate_size=1536)
    enc = minilm.BertModel(cfg).eval()      # all-MiniLM-L6-v2's shape (random weights)
    ids = torch.tensor([[101] + [2000 + i for i in range(126)] + [102]])
    mask = torch.ones(1, 128, dtype=torch.int64)
    forward = float("inf")
    with torch.no_grad():
        for _ in range(5):
            t0 = time.perf_counter()
            enc(ids, mask)
            forward = min(forward, time.perf_counter() - t0)
    print(f"{tree}: SmolLM2 decode step {decode * 1e3:.2f} ms, MiniLM forward (128 tokens) "
          f"{forward * 1e3:.2f} ms of Python per step (kernels stubbed)")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO)
