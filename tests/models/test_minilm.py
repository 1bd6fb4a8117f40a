"""all-MiniLM-L6-v2 (webtensor/models/minilm.py with its real weights from .cache/models) in
this runtime against sentence-transformers' embeddings made on CPython
(scripts/make_golden_models.py): from the stored token ids (the network alone) and from text
(SentenceEncoder with webtensor's tokenizer)."""
import json
import math

import pytest

import webtensor as wt
from webtensor.serialization import safetensors

MIN_COSINE = 0.9999


@pytest.fixture(scope="module")
def golden(golden_file):
    return json.loads(golden_file("minilm.json").read_text())


@pytest.fixture(scope="module")
def model(model_file):
    from webtensor.models import minilm, no_init_weights
    cfg = minilm.BertConfig.from_json(model_file("all-MiniLM-L6-v2/config.json"))
    with no_init_weights():     # the checkpoint sets every parameter (strict load)
        m = minilm.SentenceEmbedder(cfg).eval()
    m.load_hf_state_dict(safetensors.load_file(model_file("all-MiniLM-L6-v2/model.safetensors")))
    return m


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def check(got, golden):
    assert len(got) == len(golden["embeddings"])
    for sentence, g, r in zip(golden["sentences"], got, golden["embeddings"]):
        assert len(g) == len(r) == 384
        assert abs(sum(x * x for x in g) - 1) < 1e-4, sentence
        assert cosine(g, r) >= MIN_COSINE, (sentence, cosine(g, r))
        assert max(abs(x - y) for x, y in zip(g, r)) < 2e-4, sentence


def test_embeddings_from_token_ids(model, golden):
    """One padded batch: also checks that padding does not change a sentence's vector."""
    ids = golden["input_ids"]
    longest = max(len(r) for r in ids)
    pad = [r + [0] * (longest - len(r)) for r in ids]
    mask = [[1] * len(r) + [0] * (longest - len(r)) for r in ids]
    with wt.no_grad():
        got = model(wt.tensor(pad), wt.tensor(mask)).tolist()
    check(got, golden)


def test_sentence_encoder_from_text(model_file, golden):
    from webtensor.models.sentence import SentenceEncoder
    enc = SentenceEncoder.from_pretrained(str(model_file("all-MiniLM-L6-v2")))
    assert enc.max_seq_length == golden["max_seq_length"]
    ids, _, _ = enc.tokenize(golden["sentences"][:1])
    assert ids.tolist()[0] == golden["input_ids"][0]
    check(enc.encode(golden["sentences"], batch_size=4).tolist(), golden)
    # the same batch shapes again: each batch replays the graph captured on its second sight
    # (webtensor.graphs on the CPU's WASM kernels), with the same embeddings
    for _ in range(2):
        check(enc.encode(golden["sentences"], batch_size=4).tolist(), golden)
    assert enc._forward.ok and enc._forward.graphs


def test_captured_forward_equals_eager(model, golden):
    """The forward captured once with webtensor.graphs on static inputs of a fixed shape, then
    replayed after new token ids are copied in: the same bits as the eager forward on those
    ids, for two different batches (the replay reads its inputs anew each time)."""
    from webtensor import graphs
    ids = golden["input_ids"]
    n = min(len(r) for r in ids)
    batches = [[r[:n] for r in ids[:2]], [r[:n] for r in ids[2:4]]]
    static_ids = wt.tensor(batches[0])
    static_mask = wt.ones_like(static_ids)
    g = graphs.Graph()
    with wt.no_grad(), graphs.graph(g, device="cpu"):
        out = model(static_ids, static_mask)
    assert g.num_kernels > 50        # the whole forward is in the graph
    for batch in batches[::-1] + batches:
        x = wt.tensor(batch)
        with wt.no_grad():
            eager = model(x, wt.ones_like(x))
        static_ids.copy_(x)
        g.replay()
        assert wt.equal(out, eager), batch
    g.reset()
