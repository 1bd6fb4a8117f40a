"""all-MiniLM-L6-v2 latency (batch 1 and 32, 128 tokens), SmolLM2-135M decode tokens/s and
training steps (bench_training.py's digits CNN and MLP, Adam) on the "webgpu" device through
the CPython host (`wgpu`), against torch CUDA eager running the same model files (webtensor/models/*.py are plain torch code). Weights are the models' shapes with
uninitialised (zero) values: timing does not depend on them, and the real weights (~200 MB) do
not travel to the GPU machine. SmolLM2 runs with Q4_1 blocks on webtensor (as the GGUF file
people download), float32 on torch (which has no GGUF kernels). Prints a table, writes JSON.

    python benchmarks/bench_webgpu_models.py [--out benchmarks/webgpu_models.json] [--quick]
"""
import argparse
import importlib
import importlib.util
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "pyodide_pkg"))
MODELS = REPO / "pyodide_pkg" / "webtensor" / "models"


def _model_file(torch_mod, name):
    """The model file under webtensor (imported through webtensor.models, which binds `torch`
    to webtensor) or under real torch (imported from its path)."""
    if torch_mod.__name__ == "webtensor":
        return importlib.import_module(f"webtensor.models.{name}")
    spec = importlib.util.spec_from_file_location(f"bench_{name}_torch", MODELS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _build(torch_mod, make):
    """make() without weight initialisation on webtensor (pure-Python RNG would take minutes
    for 135M parameters where the WASM kernels are not installed; values do not matter)."""
    if torch_mod.__name__ == "webtensor":
        from webtensor.models import no_init_weights
        with no_init_weights():
            return make()
    return make()


def best(fn, sync, reps):
    fn()
    sync()
    t = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        t = min(t, time.perf_counter() - t0)
    return t


def minilm(torch_mod, dev, sync, batch, seq=128, reps=5):
    m = _model_file(torch_mod, "minilm")
    cfg = m.BertConfig(hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                       intermediate_size=1536)
    model = _build(torch_mod, lambda: m.BertModel(cfg)).eval().to(dev)
    ids = torch_mod.ones(batch, seq, dtype=torch_mod.int64).to(dev)
    mask = torch_mod.ones(batch, seq, dtype=torch_mod.int64).to(dev)
    with torch_mod.no_grad():
        return best(lambda: model(ids, mask).sum().item(), sync, reps)


def _quantized(model, kind="q4_1"):
    """The model with every linear layer and the token embedding as GGUF `kind` blocks (zero
    bytes: timing does not depend on the values), as smollm2_gguf.build(quantized=True) makes
    them from a file; the LM head stays tied to the embedding."""
    from webtensor import quant
    from webtensor.models.smollm2_gguf import _quant_layers
    QuantLinear, QuantEmbedding = _quant_layers()

    def blocks(shape):
        return quant.from_blocks(kind, shape, bytes(quant.block_bytes(kind) * shape[0] *
                                                    shape[1] // 32))
    emb = blocks(tuple(model.model.embed_tokens.weight.shape))
    for name, mod in list(model.named_modules()):
        for attr, child in list(mod.named_children()):
            if type(child).__name__ == "Linear":
                w = emb if attr == "lm_head" else blocks(tuple(child.weight.shape))
                setattr(mod, attr, QuantLinear(w))
    model.model.embed_tokens = QuantEmbedding(emb)
    return model


def smollm2_decode(torch_mod, dev, sync, prompt=16, steps=32):
    """Tokens/s of greedy decoding, one token read back per step: (eager steps, generate()) --
    webtensor's generate() captures a step as a graph and replays it; torch's runs eagerly."""
    m = _model_file(torch_mod, "smollm2")
    model = _build(torch_mod, lambda: m.SmolLM2ForCausalLM(m.SmolLM2Config())).eval()
    if torch_mod.__name__ == "webtensor":
        model = _quantized(model)
    model = model.to(dev)
    gen = _model_file(torch_mod, "generate")
    with torch_mod.no_grad():
        cache = model.make_cache()
        x = torch_mod.ones(1, prompt, dtype=torch_mod.int64).to(dev)
        tok = model(x, cache)[:, -1].argmax(dim=-1)
        sync()
        t0 = time.perf_counter()
        for _ in range(steps):
            tok = model(tok[:, None], cache)[:, -1].argmax(dim=-1)
            tok.item()                      # one token at a time, as generate() does
        eager = steps / (time.perf_counter() - t0)
    ids = [1] * prompt
    gen.generate(model, ids, 4)             # warm-up: kernels compiled, pool filled
    t0 = time.perf_counter()
    out = gen.generate(model, ids, steps + 1)
    captured = len(out) / (time.perf_counter() - t0)
    if torch_mod.__name__ != "webtensor":
        return eager, captured, None
    # the captured step alone: replays back to back (no token read back in between), and
    # the host-side cost of one replay() call (encode + submit)
    with torch_mod.no_grad():
        cache = model.make_cache(capacity=prompt + steps + 2)
        logits = model(x, cache, logits_to_keep=1)[:, -1]
        static = logits.argmax(dim=-1)[:, None].clone()
        g = torch_mod.graphs.Graph()
        with torch_mod.graphs.graph(g, device=dev):
            logits = model(static, cache, logits_to_keep=1)[:, -1]
            static.copy_(logits.argmax(dim=-1)[:, None])
    sync()
    calls = 0.0
    t0 = time.perf_counter()
    for _ in range(steps):
        c0 = time.perf_counter()
        g.replay()
        calls += time.perf_counter() - c0
    static.item()
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(steps):              # generate()'s steady state: replay, read the token
        g.replay()
        static.item()
    steady = steps / (time.perf_counter() - t0)
    return eager, captured, {"replay_only_tok_s": steps / total,
                             "replay_readback_tok_s": steady,
                             "replay_call_ms": 1e3 * calls / steps, "kernels": g.num_kernels}


def train_steps(torch_mod, dev, sync, reps=20):
    """ms per training step (zero_grad, forward, cross_entropy, backward, Adam; the loss stays
    on the device) of the cases of benchmarks/bench_training.py: the digits CNN at batch 64
    and an MLP 784-256-10 at batch 128."""
    cnn = _model_file(torch_mod, "digits_cnn")
    nn, F = torch_mod.nn, torch_mod.nn.functional
    torch_mod.manual_seed(0)
    cases = {"digits_cnn_b64": (cnn.DigitsCNN(dropout=0.0), torch_mod.randn(64, 1, 8, 8),
                                torch_mod.randint(0, 10, (64,))),
             "mlp_784_256_10_b128": (nn.Sequential(nn.Linear(784, 256), nn.ReLU(),
                                                   nn.Linear(256, 10)),
                                     torch_mod.randn(128, 784), torch_mod.randint(0, 10, (128,)))}
    out = {}
    for name, (model, x, y) in cases.items():
        model, x, y = model.to(dev), x.to(dev), y.to(dev)
        opt = torch_mod.optim.Adam(model.parameters(), 1e-3)

        def step():
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
        for _ in range(3):
            step()
        out[name] = 1e3 * best(step, sync, reps)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "webgpu_models.json"))
    ap.add_argument("--quick", action="store_true", help="batch 1 only, 4 decode steps")
    args = ap.parse_args()
    import webtensor as wt
    info = wt.webgpu.adapter_info()
    rows = {"adapter": info["adapter"], "backend": info.get("backend")}
    batches = (1,) if args.quick else (1, 32)
    steps = 4 if args.quick else 64
    sync = wt.webgpu.synchronize
    for b in batches:
        rows[f"minilm_b{b}_ms"] = {"webtensor-webgpu": 1e3 * minilm(wt, "webgpu", sync, b)}
    eager, captured, replay = smollm2_decode(wt, "webgpu", sync, steps=steps)
    rows["smollm2_q4_1_decode_tok_s"] = {"webtensor-webgpu-eager": eager,
                                         "webtensor-webgpu-generate": captured,
                                         "webtensor-webgpu-replay-only":
                                             replay["replay_only_tok_s"],
                                         "webtensor-webgpu-replay+readback":
                                             replay["replay_readback_tok_s"]}
    rows["smollm2_replay"] = {"replay_call_ms": replay["replay_call_ms"],
                              "kernels_per_step": replay["kernels"]}
    for case, ms in train_steps(wt, "webgpu", sync).items():
        rows[f"train_{case}_ms"] = {"webtensor-webgpu": ms}
    try:
        import torch
        cuda = torch.cuda.is_available()
    except ImportError:
        cuda = False
    if cuda:
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        rows["torch"] = torch.__version__ + " " + torch.cuda.get_device_name()
        for b in batches:
            rows[f"minilm_b{b}_ms"]["torch-cuda-eager"] = 1e3 * minilm(
                torch, "cuda", torch.cuda.synchronize, b)
        eager, gen, _ = smollm2_decode(torch, "cuda", torch.cuda.synchronize, steps=steps)
        rows["smollm2_q4_1_decode_tok_s"]["torch-cuda-eager-f32"] = eager
        rows["smollm2_q4_1_decode_tok_s"]["torch-cuda-generate-f32"] = gen
        for case, ms in train_steps(torch, "cuda", torch.cuda.synchronize).items():
            rows[f"train_{case}_ms"]["torch-cuda-eager"] = ms
    print(f"adapter: {rows['adapter']}" + (f"; torch: {rows['torch']}" if cuda else ""))
    for k, v in rows.items():
        if isinstance(v, dict):
            print(f"  {k:24s} " + "   ".join(f"{n} {x:9.2f}" for n, x in v.items()))
    Path(args.out).write_text(json.dumps(rows, indent=1))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
