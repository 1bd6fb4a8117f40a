"""docs/examples/node_quickstart.mjs runs in Node with the repository's Pyodide from npm and
the built wheel, and prints what numpy computes for the same matmul, softmax and Linear."""
import json
import subprocess

import numpy as np


def test_node_quickstart_prints_the_right_numbers(repo, webtensor_wheel):
    r = subprocess.run(["node", "docs/examples/node_quickstart.mjs", str(webtensor_wheel)],
                       cwd=repo, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(next(ln for ln in r.stdout.splitlines() if ln.startswith("RESULT "))[7:])
    a = np.array([[1., 2., 3.], [4., 5., 6.]], dtype=np.float32)
    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    mm = a @ w
    e = np.exp(mm - mm.max(-1, keepdims=True))
    weight = np.array([[1., 0., -1.], [0.5, 0.5, 0.5]], dtype=np.float32)
    linear = np.maximum(a @ weight.T + np.array([0., 1.], dtype=np.float32), 0)
    assert got["backend"] == "wasm" and got["isa"] in ("simd128", "relaxedsimd")
    np.testing.assert_array_equal(got["matmul"], mm)
    np.testing.assert_allclose(got["softmax"], e / e.sum(-1, keepdims=True), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(got["linear_relu"], linear, rtol=1e-6)
    assert "webtensor on wasm" in r.stdout
