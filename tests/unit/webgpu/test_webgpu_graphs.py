"""Graph capture and replay on the webgpu device (webtensor.graphs), and the pool/host
bookkeeping it relies on: pending zero fills of reused buffers, buffers held by a graph, index
checks cached by buffer version."""
import gc

import pytest

import webtensor as torch
from webtensor import graphs
from webtensor.backends.webgpu import _host, storage

DEV = "webgpu"


def _step(x, w, idx):
    """A step touching every kind of launch: matmul, elementwise with a scalar operand (a
    constant uploaded during capture), softmax, an index_select with a GPU index, a reduction."""
    h = (w @ x).relu() * 0.5 + x
    return h.softmax(-1).index_select(0, idx).sum(-1) + h.amax()


def _inputs(seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(6, 5, generator=g), torch.randn(6, 6, generator=g)


def test_replay_matches_eager_with_new_inputs():
    x0, w0 = _inputs(0)
    idx = torch.tensor([4, 0, 2]).to(DEV)
    x, w = x0.to(DEV), w0.to(DEV)
    g = graphs.Graph()
    with graphs.graph(g, device=DEV):
        out = _step(x, w, idx)
    assert g.num_kernels > 5
    want = _step(x0, w0, torch.tensor([4, 0, 2]))
    assert torch.allclose(out.cpu(), want, rtol=1e-5, atol=1e-6)   # the capture ran once
    for seed in (1, 2, 3):
        x1, w1 = _inputs(seed)
        x.copy_(x1)
        w.copy_(w1)
        g.replay()
        want = _step(x1, w1, torch.tensor([4, 0, 2]))
        assert torch.allclose(out.cpu(), want, rtol=1e-5, atol=1e-6), seed


def test_replay_is_one_submit():
    x = torch.ones(4, 4).to(DEV)
    g = graphs.Graph()
    with graphs.graph(g, device=DEV):
        y = ((x @ x) * 2).exp().sum(0)
    host = _host.get()
    y.cpu()
    s0, d0 = host.submits, host.dispatches
    g.replay()
    assert host.submits - s0 == 1 and host.dispatches - d0 == g.num_kernels


def test_host_transfers_during_capture_raise_and_capture_is_abandoned():
    x = torch.ones(3).to(DEV)
    for bad in (lambda: (x + 1).tolist(), lambda: x.cpu(), lambda: (x * 2).sum().item()):
        g = graphs.Graph()
        with pytest.raises(RuntimeError, match="while capturing a graph"):
            with graphs.graph(g, device=DEV):
                bad()
        with pytest.raises(RuntimeError, match="was not captured"):
            g.replay()
    assert _host.get().capturing is None
    assert (x + 1).tolist() == [2.0, 2.0, 2.0]      # the device works on after the failure


def test_host_data_copied_in_during_capture_is_a_constant_of_the_graph():
    """x.copy_(cpu_tensor) while capturing uploads a new buffer and records a copy kernel from
    it: every replay copies the same data in again."""
    x = torch.ones(3).to(DEV)
    g = graphs.Graph()
    with graphs.graph(g, device=DEV):
        x.copy_(torch.tensor([1.0, 2.0, 3.0]))
        y = x * 10
    x.fill_(0.0)
    g.replay()
    assert x.tolist() == [1.0, 2.0, 3.0] and y.tolist() == [10.0, 20.0, 30.0]


def test_a_kernel_writing_a_constant_made_during_capture_raises():
    x = torch.ones(3).to(DEV)
    with pytest.raises(RuntimeError, match="made from host data during the capture"):
        with graphs.graph(graphs.Graph(), device=DEV):
            c = torch.tensor([1.0, 2.0, 3.0]).to(DEV)
            c.add_(x)


def test_graph_api_errors():
    assert graphs.is_supported(DEV) and graphs.is_supported("cpu")     # cpu: the WASM kernels
    with pytest.raises(RuntimeError, match="name the device"):
        graphs.Graph().capture_begin()
    with pytest.raises(RuntimeError, match="without capture_begin"):
        graphs.Graph().capture_end()
    x = torch.ones(2).to(DEV)
    g = graphs.Graph()
    with graphs.graph(g, device=DEV):
        y = x + 1
    with pytest.raises(RuntimeError, match="already captured"):
        g.capture_begin(DEV)
    g.reset()
    with graphs.graph(g, device=DEV):
        y = x * 3
    g.replay()
    assert y.tolist() == [3.0, 3.0]
    g2 = graphs.Graph()
    g2.capture_begin(DEV)
    with pytest.raises(RuntimeError, match="already under way"):
        graphs.Graph().capture_begin(DEV)
    g2.capture_end()


def test_graph_buffers_are_held_until_reset():
    """An output dropped by its tensor is still written by every replay: its buffer must not
    go to another tensor; after reset() everything returns to the pool."""
    gc.collect()
    live0 = storage.COUNTERS["live_bytes"]
    x = torch.arange(64.).to(DEV)
    g = graphs.Graph()
    with graphs.graph(g, device=DEV):
        y = (x * 2 + 1).neg()
    handles = set(g._captured.handles)
    del y
    gc.collect()
    others = [torch.full((64,), 7.0, device=DEV) for _ in range(8)]
    assert not handles & {t._storage.handle for t in others}
    g.replay()
    assert all(t.tolist() == [7.0] * 64 for t in others)
    g.reset()
    del others, x
    gc.collect()
    assert storage.COUNTERS["live_bytes"] == live0
    assert not handles & set(storage.GRAPH_HELD)


def test_reused_buffers_read_as_zero():
    """A pooled buffer is handed out without a recorded fill; whatever reads it first (a
    kernel input, a partial write then a read, a host read) still sees zeros."""
    host = _host.get()
    for _ in range(3):
        junk = torch.full((1000,), 5.0, device=DEV)
        junk.cpu()
        del junk
        gc.collect()
        z = torch.zeros(1000, device=DEV)
        assert (z + 1).tolist() == [1.0] * 1000                     # as a kernel input
        junk = torch.full((1000,), 5.0, device=DEV)
        del junk
        gc.collect()
        z = torch.zeros(10, 100, device=DEV)
        z[2:4] = 1.0                                                # a partial write first
        assert z.sum().item() == 200.0
        junk = torch.full((1000,), 5.0, device=DEV)
        del junk
        gc.collect()
        assert torch.zeros(1000, device=DEV).cpu().tolist() == [0.0] * 1000   # host read


def test_an_op_output_costs_no_fill():
    a = torch.ones(256).to(DEV)
    b = torch.ones(256).to(DEV)
    (a + b).cpu()                       # the size class is in the pool now
    gc.collect()
    host = _host.get()
    host.flush()
    d0 = host.dispatches
    c = a + b
    host.flush()
    assert host.dispatches - d0 == 1
    assert c.tolist() == [2.0] * 256


def test_index_check_is_cached_until_the_index_changes():
    x = torch.arange(10.).reshape(5, 2).to(DEV)
    idx = torch.tensor([0, 4]).to(DEV)
    host = _host.get()
    assert x.index_select(0, idx).tolist() == [[0.0, 1.0], [8.0, 9.0]]
    s0 = host.submits
    for _ in range(3):
        x.index_select(0, idx)
    assert host.submits == s0           # no readback of the check: nothing submitted yet
    idx.add_(1)                         # now 5 is out of range: checked again
    with pytest.raises(IndexError, match="out of range"):
        x.index_select(0, idx)


def test_generate_reads_tokens_in_chunks_and_stops_at_eos():
    """generate() on webgpu: greedy steps replayed READ_EVERY at a time, tokens read from the
    graph's device-side history; the same ids as the CPU (which reads every token), and eos
    found inside a chunk ends the output there."""
    from webtensor.models import generate, smollm2
    torch.manual_seed(0)
    cfg = smollm2.SmolLM2Config(vocab_size=97, hidden_size=32, intermediate_size=64,
                                num_hidden_layers=2, num_attention_heads=4,
                                num_key_value_heads=2)
    model = smollm2.SmolLM2ForCausalLM(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():        # larger weights: varied greedy tokens
            p.mul_(30)
    n = generate.READ_EVERY + 3                 # a full chunk and a partial one
    want = generate.generate(model, [1, 5, 9], n)
    assert len(set(want)) > 3, want
    model.to(DEV)
    assert generate.generate(model, [1, 5, 9], n) == want
    eos = want[generate.READ_EVERY // 2]        # inside the first chunk
    assert generate.generate(model, [1, 5, 9], n, eos_token_id=eos) == \
        want[:want.index(eos) + 1]
