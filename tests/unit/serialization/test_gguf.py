"""webtensor.serialization.gguf against llama.cpp's `gguf` package: files written by its
GGUFWriter (generated metadata and tensors) read the same as its GGUFReader reads them; random
damage gives a clean GGUFError."""
import os

import gguf as gg
import numpy as np
import pytest
from hypothesis import given, settings, strategies as hs

from webtensor.serialization import gguf

KEY = hs.text(hs.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8)
VALUES = hs.one_of(hs.integers(-2 ** 31, 2 ** 31 - 1), hs.booleans(),
                   hs.text(min_size=1, max_size=10),  # (GGUFWriter drops empty strings)
                   hs.lists(hs.integers(0, 1000), min_size=1, max_size=5),
                   hs.lists(hs.text(max_size=4), min_size=1, max_size=4))


@settings(max_examples=30, deadline=None)
@given(meta=hs.dictionaries(KEY.map(lambda k: "x." + k), VALUES, max_size=6),
       shapes=hs.lists(hs.tuples(hs.integers(1, 3), hs.integers(1, 3)), min_size=1,
                       max_size=3),
       seed=hs.integers(0, 2 ** 16))
def test_gguf_writer_files_read_like_gguf_reader(tmp_path_factory, meta, shapes, seed):
    path = str(tmp_path_factory.mktemp("g") / "m.gguf")
    rng = np.random.default_rng(seed)
    w = gg.GGUFWriter(path, "llama")
    for k, v in meta.items():
        if isinstance(v, bool):
            w.add_bool(k, v)
        elif isinstance(v, int):
            w.add_int32(k, v)
        elif isinstance(v, str):
            w.add_string(k, v)
        else:
            w.add_array(k, v)
    arrays = {}
    for i, (r, c) in enumerate(shapes):
        kind = ("f32", "f16", "q8_0", "q4_1")[i % 4]
        if kind in ("f32", "f16"):
            a = rng.standard_normal((r, 32 * c)).astype(np.float32 if kind == "f32" else
                                                        np.float16)
            w.add_tensor(f"t{i}", a)
        else:
            bsize = 34 if kind == "q8_0" else 20
            a = rng.integers(0, 256, (r, bsize * c), dtype=np.uint8)
            w.add_tensor(f"t{i}", a, raw_dtype=gg.GGMLQuantizationType[kind.upper()])
        arrays[f"t{i}"] = a
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    ours, theirs = gguf.load(path), gg.GGUFReader(path)
    for k, v in meta.items():
        assert ours.metadata[k] == v
    assert sorted(ours.tensors) == sorted(t.name for t in theirs.tensors)
    for t in theirs.tensors:
        rec = ours.tensors[t.name]
        assert rec.type == t.tensor_type.name
        assert list(rec.shape) == [int(d) for d in reversed(t.shape)]
        assert bytes(rec.data) == np.asarray(t.data).tobytes()
        if rec.type in ("F32", "F16"):
            np.testing.assert_array_equal(np.array(rec.to_tensor().tolist()),
                                          arrays[t.name].astype(np.float32))


@settings(max_examples=300, deadline=None)
@given(hs.data())
def test_damaged_gguf_fails_cleanly(data):
    path = os.path.join(os.path.dirname(__file__), "..", "..", "golden", "weights", "tiny.gguf")
    blob = bytearray(open(path, "rb").read())
    for _ in range(data.draw(hs.integers(1, 4))):
        blob[data.draw(hs.integers(0, len(blob) - 1))] = data.draw(hs.integers(0, 255))
    try:
        f = gguf.parse(bytes(blob))
    except gguf.GGUFError:
        return
    sizes = {name: (block, nbytes) for name, block, nbytes in gguf.GGML_TYPES.values()}
    for rec in f.tensors.values():       # whatever parsed lies within the file, sized right
        block, nbytes = sizes[rec.type]
        numel = 1
        for d in rec.shape:
            numel *= d
        assert len(rec.data) == numel // block * nbytes
        assert rec._start + len(rec.data) <= len(blob)


def test_block_kinds_load_and_dequantise_like_gguf(tmp_path):
    """Q4_0 / Q5_0 / Q5_1 (gguf-py's quantiser) and Q4_K / Q6_K (random valid blocks) tensors:
    type, torch-order shape and bytes as GGUFReader sees them; webtensor.quant over the file's
    bytes dequantises to gguf-py's values bit for bit; a file cut short inside the data is a
    GGUFError before any tensor is made."""
    from quant_formats import KINDS, blocks_for, dequantize
    from webtensor import quant
    path = str(tmp_path / "q.gguf")
    w = gg.GGUFWriter(path, "llama")
    rng = np.random.default_rng(0)
    made = {}
    for i, kind in enumerate(KINDS):
        n, k = 3, 512
        made[kind] = blocks_for(rng.standard_normal((n, k)).astype(np.float32), kind, seed=i)
        w.add_tensor(kind, made[kind].reshape(n, -1), raw_dtype=getattr(gg.GGMLQuantizationType,
                                                                        kind.upper()))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    gf = gguf.load(path)
    for kind, blocks in made.items():
        rec = gf.tensors[kind]
        assert rec.type == kind.upper() and tuple(rec.shape) == (3, 512)
        assert bytes(rec.data) == blocks.tobytes()
        got = np.array(quant.dequantize(quant.from_blocks(kind, rec.shape, rec.data)).tolist(),
                       np.float32)
        assert np.array_equal(got.view(np.uint32),
                              dequantize(blocks, kind, (3, 512)).view(np.uint32))
    blob = open(path, "rb").read()
    with pytest.raises(gguf.GGUFError, match="run past the end of the data"):
        gguf.parse(blob[:-100])
