"""webtensor.serialization against the real writers and readers on CPython: the `safetensors`
package and torch.save / torch.load, over generated state dicts; hostile and damaged files."""
import hashlib
import http.server
import io
import os
import pickle
import threading

import numpy as np
import pytest
import safetensors.torch as st_torch
import torch
from hypothesis import given, settings, strategies as hs

import webtensor as wt
from webtensor.serialization import read_bytes, safetensors as st

TORCH_DTYPES = [torch.float32, torch.float64, torch.float16, torch.bfloat16, torch.int64,
                torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool]


def _raw(t):
    """A tensor's values as bytes (bit-exact comparison, NaNs included)."""
    if isinstance(t, torch.Tensor):
        return t.detach().reshape(-1).view(torch.uint8).numpy().tobytes()
    c = t.contiguous()
    isz = c.dtype.itemsize
    return bytes(c._storage.view()[c._offset * isz:(c._offset + c.numel()) * isz])


def assert_same(got, want):
    assert isinstance(got, wt.Tensor)
    assert got.dtype.name == str(want.dtype).replace("torch.", ""), (got.dtype, want.dtype)
    assert tuple(got.shape) == tuple(want.shape)
    assert _raw(got) == _raw(want)


@hs.composite
def state_dicts(draw):
    out = {}
    for i in range(draw(hs.integers(1, 4))):
        dt = draw(hs.sampled_from(TORCH_DTYPES))
        shape = draw(hs.lists(hs.integers(0, 4), max_size=3))
        g = torch.Generator().manual_seed(draw(hs.integers(0, 2 ** 16)))
        t = (torch.randn(shape, generator=g) * 50).to(dt)
        if draw(hs.booleans()) and t.dim() >= 2:
            t = t.transpose(0, 1)          # a strided view
        out[f"t{i}"] = t
    return out


@settings(max_examples=25, deadline=None)
@given(state_dicts())
def test_safetensors_package_files_load_bit_exact(sd):
    data = st_torch.save({k: v.contiguous() for k, v in sd.items()})
    got = st.load(data, to_float32=False)
    assert sorted(got) == sorted(sd)
    for k in sd:
        assert_same(got[k], sd[k])


@settings(max_examples=25, deadline=None)
@given(state_dicts())
def test_our_safetensors_load_in_the_safetensors_package(sd):
    ours = {k: wt.tensor(v.flatten().tolist(), dtype=getattr(wt, str(v.dtype)[6:])
                         ).reshape(v.shape) for k, v in sd.items()}
    back = st_torch.load(st.save(ours, metadata={"m": "1"}))
    for k in sd:
        assert back[k].dtype == sd[k].dtype and back[k].shape == sd[k].shape
        assert _raw(back[k]) == _raw(sd[k])


@settings(max_examples=25, deadline=None)
@given(state_dicts(), hs.booleans())
def test_torch_save_files_load_bit_exact(sd, zipped):
    buf = io.BytesIO()
    torch.save(sd, buf, _use_new_zipfile_serialization=zipped)
    got = wt.load(buf.getvalue())
    assert list(got) == list(sd)
    for k in sd:
        assert_same(got[k], sd[k])
        assert got[k].stride() == sd[k].stride()


def test_zip_checkpoint_tensors_view_the_file_bytes():
    buf = io.BytesIO()
    torch.save({"w": torch.arange(1000.0)}, buf)
    data = bytearray(buf.getvalue())
    w = wt.load(data)["w"]
    assert w._storage.buf.obj is data
    assert w.sum().item() == sum(range(1000))


def test_whole_module_pickles_are_refused_naming_the_class():
    buf = io.BytesIO()
    torch.save(torch.nn.Linear(2, 2), buf)
    with pytest.raises(pickle.UnpicklingError, match="torch.nn.modules.linear.Linear"):
        wt.load(buf.getvalue())


class _Touch:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.system, (f"touch {self.path}",))


@pytest.mark.parametrize("zipped", [True, False])
def test_hostile_payload_has_no_effect(tmp_path, zipped):
    target = tmp_path / "pwned"
    buf = io.BytesIO()
    # torch.save pickles the payload's reduce tuple without calling it
    torch.save({"w": torch.ones(1), "x": _Touch(target)}, buf,
               _use_new_zipfile_serialization=zipped)
    with pytest.raises(pickle.UnpicklingError, match="unsupported global"):
        wt.load(buf.getvalue())
    assert not target.exists()


@settings(max_examples=200, deadline=None)
@given(hs.sampled_from(["tiny.safetensors", "tiny_zip.pt", "tiny_legacy.pt"]),
       hs.data())
def test_damaged_files_fail_cleanly(name, data):
    """Random byte damage: the file loads or raises a clean, named error -- never anything else."""
    blob = bytearray(read_bytes(os.path.join(os.path.dirname(__file__), "..", "..", "golden",
                                             "weights", name)))
    for _ in range(data.draw(hs.integers(1, 4))):
        blob[data.draw(hs.integers(0, len(blob) - 1))] = data.draw(hs.integers(0, 255))
    loader = st.load if name.endswith("safetensors") else wt.load
    try:
        loader(bytes(blob))
    except (ValueError, pickle.UnpicklingError, NotImplementedError):
        pass


@pytest.fixture
def http_file(tmp_path):
    payload = os.urandom(3 << 20)
    (tmp_path / "w.bin").write_bytes(payload)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(tmp_path), **k)

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_port}/w.bin", payload
    srv.shutdown()


def test_url_source_with_progress_and_sha256(http_file):
    url, payload = http_file
    seen = []
    got = read_bytes(url, progress=lambda done, total: seen.append((done, total)),
                     sha256=hashlib.sha256(payload).hexdigest())
    assert bytes(got) == payload
    assert len(seen) >= 3 and seen[-1] == (len(payload), len(payload))
    with pytest.raises(ValueError, match="sha256 mismatch"):
        read_bytes(url, sha256=hashlib.sha256(b"x").hexdigest())


def test_path_and_pathlike_sources(tmp_path):
    t = {"a": wt.tensor(np.arange(6, dtype=np.float32)).reshape(2, 3)}
    st.save_file(t, tmp_path / "a.safetensors")
    for src in (tmp_path / "a.safetensors", str(tmp_path / "a.safetensors")):
        assert st.load_file(src)["a"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert torch.equal(st_torch.load_file(str(tmp_path / "a.safetensors"))["a"],
                       torch.arange(6.0).reshape(2, 3))


def test_load_file_converts_half_tensors_one_at_a_time(tmp_path):
    """A file with float16/bfloat16 tensors loads (to float32) tensor by tensor: the same
    values as torch's reader, the sha256 and progress of the whole file, and a peak of the
    float32 tensors plus one file tensor, not the whole file next to its float32 copy."""
    import tracemalloc
    g = torch.Generator().manual_seed(0)
    sd = {f"h{i}": torch.randn(32, 1024, generator=g).to(dt)
          for i, dt in enumerate([torch.float16, torch.bfloat16] * 8)}
    sd.update(f32=torch.randn(33, 7, generator=g), ids=torch.arange(-5, 100))
    path = tmp_path / "half.safetensors"
    st_torch.save_file(sd, str(path))
    data = path.read_bytes()
    seen = []

    def peak_of(load):
        tracemalloc.start()
        try:
            return load(), tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    got, peak = peak_of(lambda: st.load_file(path, progress=lambda d, t: seen.append((d, t)),
                                             sha256=hashlib.sha256(data).hexdigest()))
    _, peak_whole = peak_of(lambda: st.load(read_bytes(path)))
    assert sorted(got) == sorted(sd)
    for k, v in sd.items():
        want = v.float() if v.dtype in (torch.float16, torch.bfloat16) else v
        assert got[k].dtype is getattr(wt, str(want.dtype).split(".")[1]), k
        assert _raw(got[k]) == _raw(want), k
    # the file's bytes never all in memory: at least 3/4 of the file below the whole-file load
    assert peak <= peak_whole - 0.75 * len(data), (peak, peak_whole, len(data))
    assert seen[-1] == (len(data), len(data))
    with pytest.raises(ValueError, match="sha256 mismatch"):
        st.load_file(path, sha256="0" * 64)
    # the header is checked as load() checks it: a truncated file gets load()'s message
    (tmp_path / "cut.safetensors").write_bytes(data[:-3])
    with pytest.raises(wt.serialization.SafetensorError) as cut:
        st.load_file(tmp_path / "cut.safetensors")
    with pytest.raises(wt.serialization.SafetensorError) as whole:
        st.load(data[:-3])
    assert str(cut.value) == str(whole.value)
