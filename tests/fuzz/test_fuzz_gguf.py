"""GGUF under fuzz: generated seeds with lying header counts, versions, alignment, value types,
array counts (arrays of arrays, nested past the limit), string lengths, tensor dims, types and
offsets, then byte-level damage. Parsed files are used: tensors read and reduced, the GGUF
tokenizer built and run."""
import struct

from hypothesis import given, strategies as hs

import fuzzlib
from fuzzlib import check_case, fuzz, INTERESTING, mutate, rngs
from seeds import ARRAY, gguf_bytes, gguf_seed, gguf_value, SAMPLE_TEXT, STRING
from webtensor.serialization import gguf, UnsupportedFormatError
from webtensor.tokenizers import Tokenizer


def _lie(rng):
    return rng.choice(INTERESTING + [rng.randint(0, 70)])


def lying_value(rng):
    """(value type, encoded bytes) that lie: counts and lengths past the file, unknown types,
    arrays nested deeper than allowed, wrong element types."""
    k = rng.randrange(6)
    if k == 0:                                   # array count lies
        return ARRAY, struct.pack("<IQ", rng.choice((0, 4, 8, 9)), _lie(rng)) + b"\1" * 8
    if k == 1:                                   # string length lies
        return STRING, struct.pack("<Q", _lie(rng)) + b"abc"
    if k == 2:                                   # unknown / wrong value type, valid-looking bytes
        return rng.choice((13, 255, 2 ** 31, 5, 12)), b"\1" * rng.randint(0, 9)
    if k == 3:                                   # arrays of arrays of arrays
        depth = rng.randint(2, 6)
        v = (4, [1, 2])
        for _ in range(depth):
            v = (ARRAY, [v])
        return ARRAY, gguf_value(ARRAY, v)
    if k == 4:                                   # invalid UTF-8 in a string
        return STRING, struct.pack("<Q", 2) + b"\xff\xfe"
    return ARRAY, gguf_value(ARRAY, (STRING, ["x"] * rng.randint(0, 3)))


@hs.composite
def files(draw):
    rng = draw(rngs())
    metadata, tensors, data = gguf_seed()
    metadata, tensors = list(metadata), list(tensors)
    version, alignment, counts = 3, 32, None
    kind = draw(hs.sampled_from(["meta", "tensor", "header", "bytes", "valid"]))
    raw_meta = b""
    if kind == "meta":
        i = rng.randrange(len(metadata) + 1)
        if i < len(metadata) and rng.random() < 0.5:      # a real key keeps its name, lies
            key = metadata.pop(i)[0]
        else:
            key = rng.choice(["general.alignment", "tokenizer.ggml.tokens",
                              "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "x.y"])
        vtype, body = lying_value(rng) if rng.random() < 0.7 else \
            (4, struct.pack("<I", rng.choice((0, 1, 3, 16, 64, 2 ** 31))))
        raw_meta = gguf_value(STRING, key) + struct.pack("<I", vtype) + body
    elif kind == "tensor":
        i = rng.randrange(len(tensors))
        name, dims, ttype, offset = tensors[i]
        field = rng.randrange(4)
        if field == 0:
            dims = [rng.choice((0, 1, 31, 32, 33, 2 ** 32, 2 ** 63)) for _ in
                    range(rng.choice((0, 1, 2, 3, 9)))]
        elif field == 1:
            ttype = rng.choice((2, 3, 8, 10, 12, 14, 15, 24, 27, 28, 30, 4, 5, 99, 2 ** 32 - 1))
        elif field == 2:
            offset = rng.choice(INTERESTING + [32, 64, 96, len(data), len(data) - 32])
        else:
            name = rng.choice(["w.f32", "w.f16", "", "\udcff"])      # duplicates, bad UTF-8
        tensors[i] = (name, dims, ttype, offset)
    elif kind == "header":
        field = rng.randrange(3)
        if field == 0:
            version = rng.choice((0, 1, 2, 4, 2 ** 32 - 1))
        elif field == 1:
            counts = (rng.choice((0, 1, 2, 4, _lie(rng))), rng.choice((0, 5, 12, _lie(rng))))
        else:
            data = data[:rng.randrange(len(data))]
    blob = gguf_bytes(metadata, tensors, data, version, alignment, counts,
                      ) if kind != "meta" else _with_raw_meta(metadata, tensors, data, raw_meta)
    if kind == "bytes" or (kind != "valid" and rng.random() < 0.3):
        blob = mutate(blob, rng)
    return kind, blob


def _with_raw_meta(metadata, tensors, data, raw):
    blob = bytearray(gguf_bytes(metadata, tensors, b"", counts=(len(tensors), len(metadata) + 1)))
    head = 24
    blob[head:head] = raw                       # the lying entry first, the rest after it
    blob += b"\0" * (-len(blob) % 32)
    return bytes(blob) + data


def load_and_use(blob):
    f = gguf.parse(blob)
    for rec in f.tensors.values():
        try:
            fuzzlib.touch(rec.to_tensor())
        except UnsupportedFormatError:
            assert rec.type not in ("F32", "F16", "BF16", "F64")
    if "tokenizer.ggml.model" in f.metadata:
        tok = Tokenizer.from_gguf(f)
        ids = tok.encode(SAMPLE_TEXT).ids
        tok.decode(ids)


@fuzz
@given(files())
def test_gguf_fuzz(case):
    kind, blob = case
    outcome = check_case("gguf", load_and_use, blob, kind)
    if kind == "valid":
        assert outcome == "loaded"


def test_gguf_seed_reads_back():
    """The seed itself: metadata and tensors as written (the fuzz starts from a valid file)."""
    metadata, tensors, data = gguf_seed()
    f = gguf.parse(gguf_bytes(metadata, tensors, data))
    assert f.metadata["x.nested"] == [[1, 2], ["p", "q"], []]
    assert f.metadata["x.i64"] == -5 and f.metadata["x.bool"] is True
    assert [tuple(t.shape) for t in f.tensors.values()] == [(2, 3), (4,), (2, 32)]
    assert bytes(f.tensors["w.f16"].data) == data[32:40]
    assert Tokenizer.from_gguf(f).encode("abc").ids == [4]
