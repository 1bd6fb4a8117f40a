"""The fuzzers' seeds are real files: the readers webtensor stands in for (torch.load with
weights_only=True, the safetensors package, gguf's GGUFReader, HF tokenizers) read what
seeds.py writes the same as webtensor does. CPython only (not copied into Pyodide)."""
import io
import json

import gguf as gg
import numpy as np
import safetensors.numpy as st_np
import tokenizers
import torch

import seeds
import webtensor as wt
from webtensor.serialization import gguf, safetensors as st
from webtensor.tokenizers import Tokenizer


def _same(ours, theirs):
    assert isinstance(ours, wt.Tensor) and isinstance(theirs, torch.Tensor)
    assert ours.dtype.name == str(theirs.dtype)[6:] and list(ours.shape) == list(theirs.shape)
    assert ours.tolist() == theirs.tolist()


def test_checkpoint_seeds_load_in_torch():
    for legacy in (False, True):
        tree, storages = seeds.checkpoint_seed(legacy)
        blob = (seeds.torch_legacy_bytes if legacy else seeds.torch_zip_bytes)(tree, storages)
        ours, theirs = wt.load(blob), torch.load(io.BytesIO(blob), weights_only=True)
        assert list(ours) == list(theirs)
        for k in ours:
            if isinstance(theirs[k], torch.Tensor):
                _same(ours[k], theirs[k])
        assert theirs["half"].requires_grad and isinstance(theirs["half"], torch.nn.Parameter)
        _same(ours["nested"]["list"][0], theirs["nested"]["list"][0])
        assert ours["nested"]["list"][1:] == theirs["nested"]["list"][1:]


def test_safetensors_seed_loads_in_safetensors():
    ents = [("a", "F32", [2, 3], seeds.pattern(24)), ("b", "I16", [4], seeds.pattern(8, 1)),
            ("c", "BOOL", [0, 2], b""), ("d", "U8", [], b"\x07")]
    blob = seeds.safetensors_seed(ents)
    theirs = st_np.load(blob)
    ours = st.load(blob, to_float32=False)
    for k, v in theirs.items():
        assert list(ours[k].shape) == list(v.shape) and ours[k].tolist() == v.tolist()


def test_gguf_seed_reads_like_gguf_reader(tmp_path):
    path = tmp_path / "seed.gguf"
    path.write_bytes(seeds.gguf_bytes(*seeds.gguf_seed()))
    ours, theirs = gguf.load(str(path)), gg.GGUFReader(str(path))
    assert sorted(ours.tensors) == sorted(t.name for t in theirs.tensors)
    for t in theirs.tensors:
        assert bytes(ours.tensors[t.name].data) == np.asarray(t.data).tobytes()
    assert theirs.fields["x.u32"].parts[-1][0] == ours.metadata["x.u32"] == 7
    tokens = theirs.fields["tokenizer.ggml.tokens"]
    assert [bytes(tokens.parts[i]).decode() for i in tokens.data] == \
        ours.metadata["tokenizer.ggml.tokens"]


def test_tokenizer_seeds_encode_like_hf_tokenizers():
    for cfg in (seeds.wordpiece_seed(), seeds.bpe_seed()):
        text = json.dumps(cfg)
        ours, theirs = Tokenizer.from_str(text), tokenizers.Tokenizer.from_str(text)
        for args in ((seeds.SAMPLE_TEXT,), ("hello", "world")):
            assert ours.encode(*args).ids == theirs.encode(*args).ids
        ids = theirs.encode(seeds.SAMPLE_TEXT).ids
        assert ours.decode(ids) == theirs.decode(ids)
