"""tokenizer.json under fuzz: a WordPiece (BERT) and a byte-level BPE (GPT-2 / SmolLM2) seed,
mutated as JSON (wrong types, huge numbers, missing and renamed keys, nesting past 128 levels)
and as bytes. A tokenizer that loads is used: encode a text, a pair and a batch, decode."""
import json

from hypothesis import given, strategies as hs

from fuzzlib import check_case, fuzz, json_mutated, json_text, mutate, rngs
from seeds import bpe_seed, SAMPLE_TEXT, wordpiece_seed
from webtensor.serialization import TokenizerError
from webtensor.tokenizers import Tokenizer

SEEDS = {"wordpiece": wordpiece_seed(), "bpe": bpe_seed()}
for _cfg in SEEDS.values():         # first use builds tables and regexes: not a fuzz case
    Tokenizer.from_str(json.dumps(_cfg)).encode(SAMPLE_TEXT)


@hs.composite
def files(draw):
    name = draw(hs.sampled_from(sorted(SEEDS)))
    kind, rng = draw(hs.sampled_from(["json", "json", "json", "bytes", "valid"])), draw(rngs())
    tree = json_mutated(SEEDS[name], rng) if kind == "json" else SEEDS[name]
    blob = json_text(tree).encode()
    if kind == "bytes" or (kind == "json" and rng.random() < 0.2):
        blob = mutate(blob, rng)
    return f"{name} {kind}", blob


def load_and_use(blob):
    tok = Tokenizer.from_buffer(blob)
    ids = tok.encode(SAMPLE_TEXT).ids
    tok.encode("hello", "world")
    tok.encode_batch(["a b", ("hello", "un")])
    tok.decode(ids)
    tok.decode(ids, skip_special_tokens=False)


@fuzz
@given(files())
def test_tokenizer_json_fuzz(case):
    kind, blob = case
    outcome = check_case("tokenizer.json", load_and_use, blob, kind)
    if kind.endswith("valid"):
        assert outcome == "loaded"


def test_deep_nesting_is_refused_before_parsing():
    """100 000 levels crash Pyodide's json.loads (JavaScript stack): refused by the scan."""
    for depth in (129, 100_000):
        cfg = dict(SEEDS["bpe"], normalizer="\x00deep:%d" % depth)
        try:
            Tokenizer.from_str(json_text(cfg))
        except TokenizerError as e:
            assert "deeper than 128" in str(e)
        else:
            raise AssertionError(f"a tokenizer.json nested {depth} deep loaded")
    ok = Tokenizer.from_str(json.dumps(SEEDS["bpe"]))      # 128 levels of data are fine
    assert ok.decode(ok.encode(SAMPLE_TEXT).ids) == SAMPLE_TEXT
