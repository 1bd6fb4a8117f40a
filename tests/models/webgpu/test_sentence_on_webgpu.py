"""SentenceEncoder.encode with the model on the webgpu device: as sentence-transformers does for
CUDA, the inputs are made on the model's device and the tensor returned stays there
(convert_to_tensor=True's behaviour; convert_to_numpy=True gives a numpy array); the
embeddings match the goldens made with sentence-transformers on CPython (cosine >= 0.9999), in
the input order."""
import json
import math

import numpy as np

import webtensor as wt
from webtensor.models.sentence import SentenceEncoder

MIN_COSINE = 0.9999


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) *
                                                         sum(y * y for y in b))


def test_encode_on_webgpu(gpu, model_file, golden_file):
    golden = json.loads(golden_file("minilm.json").read_text())
    sentences, want = golden["sentences"], golden["embeddings"]
    enc = SentenceEncoder.from_pretrained(model_file("all-MiniLM-L6-v2/config.json").parent)
    assert enc.device == wt.device("cpu")
    assert enc.to(gpu) is enc and enc.device == wt.device(gpu)
    assert enc.model.bert.embeddings.word_embeddings.weight.device == wt.device(gpu)

    got = enc.encode(sentences[:3])           # one batch (each forward costs ~8 s on lavapipe)
    assert got.device == wt.device(gpu) and tuple(got.shape) == (3, 384)
    rows = got.cpu().tolist()
    cos = [cosine(g, w) for g, w in zip(rows, want)]
    assert min(cos) >= MIN_COSINE, cos
    assert all(abs(sum(x * x for x in r) - 1) < 1e-4 for r in rows)       # normalised

    one = enc.encode(sentences[0], convert_to_numpy=True)                  # a str: one row
    assert isinstance(one, np.ndarray) and one.shape == (384,)
    assert cosine(one.tolist(), want[0]) >= MIN_COSINE

    empty = enc.encode([])
    assert empty.device == wt.device(gpu) and tuple(empty.shape) == (0, 384)

    back = enc.encode(sentences[:1], device="cpu")     # device= moves the model, as in s-t
    assert back.device == wt.device("cpu") and enc.device == wt.device("cpu")
    assert cosine(back[0].tolist(), want[0]) >= MIN_COSINE
