"""Weight files made by the real writers on CPython (tests/golden/weights, written by
scripts/make_golden_weights.py with the `safetensors` package and torch.save) load with the same
dtypes, shapes and values here -- on CPython and inside Pyodide; hostile checkpoints are refused
before they run anything; safetensors headers are validated. Standard library only."""
import io
import json
import math
import pickle
import struct
from pathlib import Path

import pytest

import webtensor
from webtensor.serialization import gguf, read_bytes, safetensors as st

DIR = Path(__file__).resolve().parent.parent / "golden" / "weights"
EXPECTED = json.loads((DIR / "expected.json").read_text())
HOSTILE = ("evil_os_system.pt", "evil_eval.pt", "evil_module.pt", "evil_legacy.pt")


def _same(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b


def check(obj, want, path="", half_as_float=False):
    kind = next(iter(want))
    if kind == "tensor":
        assert isinstance(obj, webtensor.Tensor), path
        dtype = want["tensor"]
        if half_as_float and dtype in ("float16", "bfloat16"):
            dtype = "float32"
        assert obj.dtype is getattr(webtensor, dtype), (path, obj.dtype, dtype)
        assert list(obj.shape) == want["shape"], path
        got = obj.float().flatten().tolist() if dtype in ("float16", "bfloat16") else \
            obj.flatten().tolist()
        assert all(_same(g, w) for g, w in zip(got, want["values"])), (path, got, want["values"])
        assert len(got) == len(want["values"]), path
        assert obj.requires_grad == want["requires_grad"], path
    elif kind == "dict":
        assert isinstance(obj, dict) and list(obj) == [k for k, _ in want["dict"]], path
        for k, w in want["dict"]:
            check(obj[k], w, f"{path}.{k}", half_as_float)
    elif kind in ("list", "tuple"):
        assert type(obj).__name__ == kind and len(obj) == len(want[kind]), path
        for i, (o, w) in enumerate(zip(obj, want[kind])):
            check(o, w, f"{path}[{i}]", half_as_float)
    else:
        assert obj == want["value"], path


@pytest.mark.parametrize("name", ["tiny_zip.pt", "tiny_legacy.pt"])
def test_torch_checkpoints_load_like_torch(name):
    obj = webtensor.load(DIR / name)
    check(obj, EXPECTED[name])
    # views of one storage stay views of one storage (as torch.load gives them)
    assert obj["column"]._storage is obj["base"]._storage is obj["transposed"]._storage
    obj["base"][0, 1] = 100.0
    assert obj["column"][0].item() == 100.0 and obj["transposed"][1, 0].item() == 100.0


def test_torch_checkpoint_to_float32():
    obj = webtensor.load(DIR / "tiny_zip.pt", to_float32=True)
    check(obj, EXPECTED["tiny_zip.pt"], half_as_float=True)


def test_safetensors_file_loads_like_torch():
    tensors, meta = st.load_with_metadata(read_bytes(DIR / "tiny.safetensors"))
    assert meta == {"format": "pt"}
    check(dict(sorted(tensors.items())), {"dict": sorted(EXPECTED["tiny.safetensors"]["dict"])},
          half_as_float=True)
    kept = st.load(read_bytes(DIR / "tiny.safetensors"), to_float32=False)
    assert kept["f16"].dtype is webtensor.float16 and kept["bf16"].dtype is webtensor.bfloat16


def test_safetensors_views_the_buffer_without_copying():
    buf = bytearray(read_bytes(DIR / "tiny.safetensors"))
    t = st.load(buf)["f32"]
    assert t._storage.buf.obj is buf
    (n,) = struct.unpack_from("<Q", buf, 0)
    start = 8 + n + json.loads(buf[8:8 + n])["f32"]["data_offsets"][0]
    buf[start:start + 4] = struct.pack("<f", 42.0)
    assert t[0, 0].item() == 42.0


def test_safetensors_round_trip_with_metadata():
    x = {"a": webtensor.arange(12.0).reshape(3, 4).t(), "b": webtensor.tensor([1, 2, 3]),
         "c": webtensor.tensor([True, False]), "d": webtensor.zeros(0, 2, dtype=webtensor.int8),
         "e": webtensor.tensor([1.5, -2.0], dtype=webtensor.float16)}
    data = st.save(x, metadata={"k": "v"})
    back, meta = st.load_with_metadata(data, to_float32=False)
    assert meta == {"k": "v"} and sorted(back) == sorted(x)
    for k in x:
        assert back[k].dtype is x[k].dtype and back[k].shape == x[k].shape, k
        assert back[k].tolist() == x[k].tolist(), k


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_checkpoints_are_refused_before_running_anything(name):
    with pytest.raises(pickle.UnpicklingError, match="unsupported global"):
        webtensor.load(DIR / name)


def test_weights_only_false_is_refused():
    with pytest.raises(ValueError, match="never executes code"):
        webtensor.load(DIR / "tiny_zip.pt", weights_only=False)


def _file(header, data=b"", raw_header=None):
    text = raw_header if raw_header is not None else json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


F32 = {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}
BAD_HEADERS = [
    (b"\x01\x02", "too small"),
    (struct.pack("<Q", 10 ** 12) + b"{}", "exceeds the limit"),
    (struct.pack("<Q", 50) + b"{}", "runs past the end of the file"),
    (_file(None, raw_header=b"{not json"), "not valid JSON"),
    (_file([1, 2]), "JSON object"),
    (_file({"__metadata__": {"a": 1}}), "__metadata__"),
    (_file({"x": dict(F32, dtype="F8_E4M3")}, bytes(8)), "unsupported dtype"),
    (_file({"x": dict(F32, shape=[-2])}, bytes(8)), "non-negative"),
    (_file({"x": dict(F32, shape=[3])}, bytes(8)), "needs 12 bytes"),
    (_file({"x": dict(F32, data_offsets=[8, 4])}, bytes(8)), "begin <= end"),
    (_file({"x": F32}, bytes(4)), "run past the end of the data"),
    (_file({"x": F32, "y": F32}, bytes(8)), "overlap"),
    (_file({"x": dict(F32, data_offsets=[4, 12])}, bytes(12)), "gap"),
    (_file({"x": F32}, bytes(12)), "trailing bytes"),
    (_file({"x": {"dtype": "F32", "shape": [2]}}, bytes(8)), "expected keys"),
]


@pytest.mark.parametrize("data,message", BAD_HEADERS, ids=[m for _, m in BAD_HEADERS])
def test_bad_safetensors_are_rejected_with_a_reason(data, message):
    with pytest.raises(st.SafetensorError, match=message):
        st.load(data)


def test_every_truncation_of_a_checkpoint_fails_cleanly():
    """Cut anywhere, a file gives a clean error (never a crash, a hang or a wrong tensor)."""
    for name in ("tiny.safetensors", "tiny_legacy.pt", "tiny_zip.pt"):
        data = (DIR / name).read_bytes()
        for cut in range(0, len(data), 7):
            loader = st.load if name.endswith("safetensors") else webtensor.load
            with pytest.raises(Exception) as e:
                loader(data[:cut])
            assert isinstance(e.value, (ValueError, pickle.UnpicklingError)), \
                (name, cut, e.value)


def test_a_lying_zip_size_field_allocates_nothing_it_claims():
    """zipfile reads a member by its central-directory size: over a BufferedReader that read
    allocated the claimed 1 GiB first (found by tests/fuzz). Python 3.14's zipfile refuses the
    file as overlapping entries; 3.11's reads it (webtensor takes the member's real span)."""
    import tracemalloc
    data = bytearray((DIR / "tiny_zip.pt").read_bytes())
    struct.pack_into("<I", data, data.index(b"PK\x01\x02") + 20, 1 << 30)   # compressed size
    tracemalloc.start()
    try:
        webtensor.load(bytes(data))
    except pickle.UnpicklingError as e:
        assert "possible zip bomb" in str(e), e
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 8 << 20, peak


def test_hostile_memo_index_is_refused_without_allocating():
    # PROTO 2, NONE, LONG_BINPUT 2**31-1, STOP: a naive C unpickler grows its memo to 16 GB
    evil = b"\x80\x02Nr\xff\xff\xff\x7f."
    legacy = b"".join(pickle.dumps(x, 2) for x in (0x1950A86A20F9469CFC6C, 1001, {}))
    with pytest.raises(pickle.UnpicklingError, match="memo index"):
        webtensor.load(legacy + evil)


def test_sources_bytes_file_object_and_sha256():
    data = (DIR / "tiny.safetensors").read_bytes()
    import hashlib
    digest = hashlib.sha256(data).hexdigest()
    seen = []
    assert bytes(read_bytes(io.BytesIO(data), progress=lambda d, t: seen.append(d))) == data
    assert seen and seen[-1] == len(data)
    with open(DIR / "tiny.safetensors", "rb") as f:     # a real file, read from where it is
        f.read(3)
        seen.clear()
        assert bytes(read_bytes(f, progress=lambda d, t: seen.append((d, t)))) == data[3:]
    assert seen == [(len(data) - 3, len(data) - 3)]
    # a file with float16/bfloat16 tensors is converted tensor by tensor: same tensors
    assert st.save(st.load_file(DIR / "tiny.safetensors", sha256=digest)) == st.save(st.load(data))
    with pytest.raises(ValueError, match="sha256 mismatch"):
        read_bytes(data, sha256="0" * 64)
    with pytest.raises(TypeError, match="expected bytes, a path"):
        read_bytes(12)


# ---- GGUF ----------------------------------------------------------------------------------
def test_gguf_file_reads_like_the_gguf_package_wrote_it():
    want = EXPECTED["tiny.gguf"]
    f = gguf.load(DIR / "tiny.gguf")
    assert f.version == 3 and f.alignment == 32
    assert f.metadata == want["metadata"]
    assert sorted(f.tensors) == sorted(list(want["plain"]) + list(want["blocks"]))
    for name, w in want["plain"].items():
        t = f.tensors[name].to_tensor()
        assert t.dtype is webtensor.float32 and list(t.shape) == w["shape"]
        assert t.flatten().tolist() == w["values"]
    for name, w in want["blocks"].items():
        rec = f.tensors[name]
        assert list(rec.shape) == w["shape"] and bytes(rec.data).hex() == w["hex"]
        with pytest.raises(NotImplementedError, match="quantised"):
            rec.to_tensor()


def _gguf(kvs=b"", n_kv=0, tensors=b"", n_t=0, version=3, data=b""):
    head = b"GGUF" + struct.pack("<IQQ", version, n_t, n_kv) + kvs + tensors
    return head + bytes(-len(head) % 32) + data


def _s(text):
    return struct.pack("<Q", len(text)) + text


def _tinfo(name, dims, ttype, offset):
    return _s(name) + struct.pack("<I", len(dims)) + struct.pack(f"<{len(dims)}Q", *dims) + \
        struct.pack("<IQ", ttype, offset)


BAD_GGUF = [
    (b"GGML" + bytes(20), "bad magic"),
    (_gguf(version=9), "unsupported GGUF version 9"),
    (_gguf(n_kv=10 ** 9), "cannot fit"),
    (_gguf(_s(b"k") + struct.pack("<I", 99), 1), "unknown value type 99"),
    (_gguf(_s(b"k") + struct.pack("<IQ", 8, 10 ** 6), 1), "runs past the end"),
    (_gguf(_s(b"k") + struct.pack("<IIQ", 9, 4, 10 ** 12), 1), "cannot fit"),
    (_gguf(_s(b"\xff") + struct.pack("<IB", 0, 1), 1), "not valid UTF-8"),
    (_gguf(_s(b"general.alignment") + struct.pack("<II", 4, 3), 1), "power of two"),
    (_gguf(tensors=_tinfo(b"t", [4], 77, 0), n_t=1), "unknown ggml type 77"),
    (_gguf(tensors=_tinfo(b"t", [30], 8, 0), n_t=1, data=bytes(64)), "multiple of 32"),
    (_gguf(tensors=_tinfo(b"t", [4], 0, 4), n_t=1, data=bytes(64)), "not 32-aligned"),
    (_gguf(tensors=_tinfo(b"t", [100], 0, 0), n_t=1, data=bytes(64)), "run past the end"),
    (_gguf(tensors=_tinfo(b"a", [16], 0, 0) + _tinfo(b"b", [16], 0, 32), n_t=2,
           data=bytes(96)), "overlap"),
    (_gguf(tensors=_tinfo(b"a", [1], 0, 0) + _tinfo(b"a", [1], 0, 32), n_t=2,
           data=bytes(64)), "duplicate tensor name"),
]


@pytest.mark.parametrize("data,message", BAD_GGUF, ids=[m for _, m in BAD_GGUF])
def test_bad_gguf_is_rejected_with_a_reason(data, message):
    with pytest.raises(gguf.GGUFError, match=message):
        gguf.parse(data)


def test_every_truncation_of_a_gguf_fails_cleanly():
    data = (DIR / "tiny.gguf").read_bytes()
    end = max(t._start + len(t.data) for t in gguf.parse(data).tensors.values())
    for cut in range(end):     # (what follows the last tensor is alignment padding)
        with pytest.raises(gguf.GGUFError):
            gguf.parse(data[:cut])
