"""Loading weights in a fresh Pyodide (Node) grows wasm memory by about the file, not twice it:
a safetensors file written here by the `safetensors` package is served over HTTP, fetched with
webtensor.serialization.fetch_async and loaded; wasm memory never shrinks, so its growth is the
load's peak. The loaded tensors must hold the file's values (per-tensor sha256 of the bytes and
sampled elements against numpy). A bytes-by-bytes bytearray (what fetch_async did before) or a
second copy of the weights grows it by 1.4x or more."""
import hashlib
import http.server
import json
import threading
from functools import partial

import numpy as np
from safetensors.numpy import save_file

LIMIT = 1.3         # growth <= LIMIT * file + SLACK
SLACK = 4 << 20

CODE = r"""
import hashlib, json, pyodide_js
from js import Response, Uint8Array, Object
from pyodide.ffi import to_js
from webtensor.serialization import fetch_async, safetensors
from webtensor.serialization._source import _read_body
heap = lambda: int(pyodide_js._module.HEAP8.length)
h0 = heap()
data = await fetch_async(URL)
tensors = safetensors.load(data)
grown = heap() - h0
out = {"grown": grown, "size": len(data), "file_sha": hashlib.sha256(data).hexdigest(),
       "tensors": {}}
for name, t in tensors.items():
    blob = safetensors.save({"x": t})
    raw = blob[len(blob) - t.numel() * t.element_size():]
    stride = max(1, t.numel() // 97)
    out["tensors"][name] = {"dtype": str(t.dtype), "shape": list(t.shape),
                            "sha": hashlib.sha256(raw).hexdigest(),
                            "sample": t.flatten()[::stride].tolist()}
# a body without Content-Length, one with a wrong one, one whose length is compressed: all
# bytes arrive, in order
body = bytes(range(256)) * 4099
for headers in ({}, {"content-length": "1000"}, {"content-length": str(len(body) + 9)},
                {"content-length": "7", "content-encoding": "gzip"}):
    resp = Response.new(Uint8Array.new(to_js(body)),
                        to_js({"headers": headers}, dict_converter=Object.fromEntries))
    got = await _read_body(resp, None)
    out.setdefault("bodies", []).append(bytes(got) == body)
print("MEMORY_JSON " + json.dumps(out))
"""


def _serve(directory):
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_fetch_and_load_grow_the_heap_by_about_the_file(run_in_pyodide, tmp_path):
    rng = np.random.default_rng(0)
    arrays = {"embed": rng.standard_normal((2048, 3072), dtype=np.float32),    # 24 MiB
              "ids": rng.integers(-2 ** 40, 2 ** 40, (1024, 512), dtype=np.int64),   # 4 MiB
              "mask": rng.integers(0, 2, (300, 77), dtype=np.uint8).astype(bool),
              "half": rng.standard_normal((512, 33)).astype(np.float16)}
    save_file(arrays, str(tmp_path / "w.safetensors"))
    size = (tmp_path / "w.safetensors").stat().st_size
    server = _serve(tmp_path)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/w.safetensors"
        res = run_in_pyodide("-c", f"URL = {url!r}\n" + CODE, timeout=600)
    finally:
        server.shutdown()
    assert res.returncode == 0, res.output[-3000:]
    got = json.loads(next(ln for ln in res.output.splitlines()
                          if ln.startswith("MEMORY_JSON "))[12:])
    assert got["size"] == size
    assert got["file_sha"] == hashlib.sha256((tmp_path / "w.safetensors").read_bytes()).hexdigest()
    assert got["grown"] <= LIMIT * size + SLACK, \
        f"wasm memory grew {got['grown'] / size:.2f}x the {size} byte file"
    assert got["bodies"] == [True] * 4
    assert sorted(got["tensors"]) == sorted(arrays)
    for name, a in arrays.items():
        t = got["tensors"][name]
        a32 = a.astype(np.float32) if a.dtype == np.float16 else a    # loaded as float32
        assert t["shape"] == list(a.shape), name
        assert t["dtype"].endswith("bool" if a.dtype == bool else str(a32.dtype)), (name, t)
        assert t["sha"] == hashlib.sha256(np.ascontiguousarray(a32).tobytes()).hexdigest(), name
        stride = max(1, a.size // 97)
        assert t["sample"] == a32.reshape(-1)[::stride].tolist(), name
