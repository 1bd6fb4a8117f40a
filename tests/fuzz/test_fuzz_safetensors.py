"""safetensors under fuzz: valid seeds (generated), their headers mutated as JSON (lying dtypes,
shapes, offsets, overlapping and out-of-order data, deep nesting, wrong types), the length
field lying, then byte-level damage. Every case keeps fuzzlib.check_case's bounds."""
import json

from hypothesis import given, strategies as hs

import fuzzlib
from fuzzlib import check_case, fuzz, json_mutated, json_text, mutate, rngs, u64
from seeds import numel, pattern, safetensors_seed, ST_ITEMSIZE
from webtensor.serialization import safetensors as st


@hs.composite
def seed_tensors(draw):
    out = []
    for i in range(draw(hs.integers(0, 3))):
        code = draw(hs.sampled_from(sorted(ST_ITEMSIZE)))
        shape = draw(hs.lists(hs.integers(0, 4), max_size=3))
        out.append((f"t{i}", code, shape, pattern(numel(shape) * ST_ITEMSIZE[code], i)))
    return out


@hs.composite
def files(draw):
    blob = safetensors_seed(draw(seed_tensors()))
    n = int.from_bytes(blob[:8], "little")
    header, data = json.loads(blob[8:8 + n]), blob[8 + n:]
    kind, rng = draw(hs.sampled_from(["header", "header", "length", "bytes", "valid"])), draw(rngs())
    if kind == "header":
        text = json_text(json_mutated(header, rng)).encode()
        blob = u64(len(text)) + text + data
    elif kind == "length":
        lie = rng.choice(fuzzlib.INTERESTING + [rng.randrange(len(blob) + 9)])
        blob = u64(lie) + blob[8:]
    if kind == "bytes" or (kind != "valid" and rng.random() < 0.5):
        blob = mutate(blob, rng)
    return kind, blob


def load_and_use(blob):
    tensors, meta = st.load_with_metadata(blob)
    fuzzlib.touch(tensors)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())


@fuzz
@given(files())
def test_safetensors_fuzz(case):
    kind, blob = case
    outcome = check_case("safetensors", load_and_use, blob, kind)
    if kind == "valid":
        assert outcome == "loaded"


def test_deep_header_nesting_is_refused_before_parsing():
    for depth in (129, 100_000):
        text = ("[" * depth + "]" * depth).encode()
        blob = u64(len(text)) + text
        try:
            st.load(blob)
        except st.SafetensorError as e:
            assert "deeper than 128" in str(e)
        else:
            raise AssertionError("a header nested {depth} deep loaded")
