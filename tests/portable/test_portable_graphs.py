"""CPU graphs (webtensor.graphs on "cpu"): a captured step replays its kernels on new input
values with the same results as running the step eagerly; what a replay could not repeat
raises at capture time. Stdlib only: this file also runs inside Pyodide (Node and Chromium),
where a replay calls the recorded ctypes functions with heap addresses."""
import random

import pytest

import webtensor as torch
from webtensor import graphs, nn


def _values(n, seed):
    rng = random.Random(seed)
    return [rng.uniform(-2, 2) for _ in range(n)]


def _block():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 32), nn.GELU(), nn.LayerNorm(32), nn.Linear(32, 8))


def test_replay_matches_eager_on_new_inputs():
    model = _block()
    x = torch.tensor(_values(3 * 16, 1)).reshape(3, 16)
    pos = torch.tensor([1])
    cache = torch.zeros(4, 8)
    g = graphs.Graph()
    with torch.no_grad(), graphs.graph(g, device="cpu"):
        y = model(x).softmax(-1)
        cache.index_copy_(0, pos, y[:1])         # a KV-cache style write at a tensor position
        best = y.argmax(-1)
    assert g.num_kernels > 5
    for seed, p in ((2, 3), (3, 0)):
        x.copy_(torch.tensor(_values(3 * 16, seed)).reshape(3, 16))
        pos.copy_(torch.tensor([p]))
        g.replay()
        with torch.no_grad():
            want = model(x).softmax(-1)
        assert y.tolist() == want.tolist()
        assert best.tolist() == want.argmax(-1).tolist()
        assert cache[p].tolist() == want[0].tolist()


def test_what_cannot_be_replayed_raises_at_capture():
    x = torch.ones(4)
    with pytest.raises(RuntimeError, match="reading a tensor's values"):
        with graphs.graph(graphs.Graph(), device="cpu"):
            (x + 1).sum().item()
    with pytest.raises(RuntimeError, match="no WASM kernel for this case"):
        with graphs.graph(graphs.Graph(), device="cpu"):
            x.double().sin()        # float64 sin runs on the reference backend today
                                    # (backends/wasm/coverage.py: _F64_MATH)
    # a failed capture leaves nothing behind: eager ops and a new capture work
    assert (x * 2).tolist() == [2.0] * 4
    g = graphs.Graph()
    with graphs.graph(g, device="cpu"):
        y = x * 3
    x.fill_(2.0)
    g.replay()
    assert y.tolist() == [6.0] * 4


def test_not_available_on_the_reference_backend():
    from webtensor import backends
    backends.set_backend("reference")
    try:
        assert not graphs.is_supported("cpu")
        with pytest.raises(RuntimeError, match="needs the WASM kernels"):
            graphs.Graph().capture_begin("cpu")
    finally:
        backends.set_backend("wasm")
    assert graphs.is_supported("cpu")


def test_graph_api_errors():
    assert graphs.is_supported("cpu")
    g = graphs.Graph()
    g.capture_begin("cpu")
    with pytest.raises(RuntimeError, match="already being captured"):
        graphs.Graph().capture_begin("cpu")
    with pytest.raises(RuntimeError, match="while a CPU graph is being captured"):
        g2 = graphs.Graph()
        g2._captured, g2._dev = graphs.DEVICES["cpu"].graphs.Captured(), torch.device("cpu")
        g2.replay()
    g.capture_end()
    g.reset()
    with pytest.raises(RuntimeError, match="not captured"):
        g.replay()
