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
    # every op x dtype of the op table has a kernel now: a case without one is simulated by
    # the wasm backend declining float64 sin (NotImplemented sends it down the chain)
    from webtensor import _dispatch
    from webtensor.backends.wasm import backend as wasm
    unary = wasm.IMPL["unary"]
    wasm.IMPL["unary"] = lambda op, out, *a, **k: (
        NotImplemented if op == "sin" and out.dtype == torch.float64 else unary(op, out, *a, **k))
    _dispatch._rebuild()
    try:
        with pytest.raises(RuntimeError, match="no WASM kernel for this case"):
            with graphs.graph(graphs.Graph(), device="cpu"):
                x.double().sin()
    finally:
        wasm.IMPL["unary"] = unary
        _dispatch._rebuild()
    # a failed capture leaves nothing behind: eager ops and a new capture work
    assert (x * 2).tolist() == [2.0] * 4
    g = graphs.Graph()
    with graphs.graph(g, device="cpu"):
        y = x * 3
    x.fill_(2.0)
    g.replay()
    assert y.tolist() == [6.0] * 4


def test_data_dependent_output_sizes_raise_at_capture():
    # a replay would keep the captured size: nonzero / masked selection / unique must refuse
    x = torch.tensor([1.0, 0.0, 2.0, 0.0, 2.0])
    for step in (lambda: x.nonzero(), lambda: x[x > 0], lambda: torch.unique(x),
                 lambda: x.unique_consecutive()):
        with pytest.raises(RuntimeError, match="output size depends on the values"):
            with graphs.graph(graphs.Graph(), device="cpu"):
                step()


def test_topk_of_a_long_row_replays_on_new_values():
    # eager topk of a long row keeps a value-dependent set of candidates; captured, it sorts
    x = torch.tensor(_values(20000, 4))
    g = graphs.Graph()
    with graphs.graph(g, device="cpu"):
        v, i = torch.topk(x, 5)
    for seed in (5, 6):
        new = _values(20000, seed)
        new[seed * 1000] = 9.0
        x.copy_(torch.tensor(new))
        g.replay()
        w, j = torch.topk(x, 5)
        assert (v.tolist(), i.tolist()) == (w.tolist(), j.tolist())


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


def _cpu_graphs():
    return graphs.DEVICES["cpu"].graphs


def test_replay_loop_is_bit_identical_to_eager_and_to_per_call_replay():
    """One call into the module's replay loop (f32 arguments: layer_norm's eps, var's
    correction; negative strides: flip) gives eager's exact bits, as does the per-call path."""
    model = _block()
    x = torch.tensor(_values(5 * 16, 4)).reshape(5, 16)
    g = graphs.Graph()
    with torch.no_grad(), graphs.graph(g, device="cpu"):
        h = model(x)
        y = torch.cat([h.flip(0), h.var(1, correction=0)[:, None] * 0.5], 1).log_softmax(-1)
    assert g.num_kernels > 8
    cpu = _cpu_graphs()
    for seed in (5, 6):
        x.copy_(torch.tensor(_values(5 * 16, seed)).reshape(5, 16))
        with torch.no_grad():
            h = model(x)
            want = torch.cat([h.flip(0), h.var(1, correction=0)[:, None] * 0.5],
                             1).log_softmax(-1).tolist()
        g.replay()
        assert y.tolist() == want
        y.fill_(0.0)
        cpu.replay_loop = False
        try:
            g.replay()
        finally:
            cpu.replay_loop = True
        assert y.tolist() == want


def test_replay_buffer_rejects_calls_that_do_not_fit_their_kernel():
    x = torch.ones(8)
    recorded = _cpu_graphs()._capture           # the storage module's capture slot
    for tamper, why in ((lambda call, a: (call, a + (1,)), "4 arguments recorded"),
                        (lambda call, a: (call, (a[0], 9, a[2])), "argument x is not a in region"),
                        (lambda call, a: (call, (-1,) + a[1:]), "argument n is not a size")):
        g = graphs.Graph()
        g.capture_begin("cpu")
        y = x.exp()
        calls = recorded[0].calls
        assert [c.__name__ for c, _ in calls] == ["f32_exp"]
        calls[0] = tamper(*calls[0])
        with pytest.raises(RuntimeError, match=f"call 0 \\(f32_exp\\).*{why}"):
            g.capture_end()
        assert recorded[0] is None                # the capture is over: eager ops work
        assert y.tolist() == (x * 0 + 1).exp().tolist()
    # out of its storage: one float past the end of x
    g = graphs.Graph()
    g.capture_begin("cpu")
    x.exp()
    call, a = recorded[0].calls[0]
    recorded[0].calls[0] = (call, (a[0] + 1, a[1]._replace(nbytes=a[1].nbytes + 4), a[2]))
    with pytest.raises(RuntimeError, match="argument x is not a in region inside"):
        g.capture_end()


def test_replay_loop_stops_at_an_unknown_signature():
    """The loop checks each record's signature id: a corrupted buffer raises naming the kernel
    and runs nothing from that record on."""
    import struct
    x = torch.ones(4)
    g = graphs.Graph()
    with graphs.graph(g, device="cpu"):
        y = x * 3
        z = y.exp()
    c = g._captured
    assert [call.__name__ for call, _ in c.calls][-1] == "f32_exp"
    # the second record starts after the first's 2 header words and its arguments
    second = 2 + len(c.calls[0][1])
    view = c.buf.view()
    good = bytes(view[4 * second + 4:4 * second + 8])
    view[4 * second + 4:4 * second + 8] = struct.pack("<i", 1 << 20)
    x.fill_(2.0)
    z.fill_(0.0)
    with pytest.raises(RuntimeError, match=r"before call 1 \(f32_exp\).*signature id"):
        g.replay()
    assert y.tolist() == [6.0] * 4 and z.tolist() == [0.0] * 4
    view[4 * second + 4:4 * second + 8] = good
    g.replay()
    assert z.tolist() == torch.tensor([6.0] * 4).exp().tolist()


def _scatter_step(x, pos):
    h = (x * 2).exp()            # x * 2 dies here: its bytes are free for later intermediates
    z = torch.zeros(4, 8)        # no kernel writes z whole: its zeros must keep their own bytes
    z.index_copy_(0, pos, h[None, :8])
    return z.sum(1) + h.sum()


def test_intermediates_share_a_pool_by_lifetime():
    """Intermediates only the graph holds share bytes where their lifetimes do not overlap;
    a tensor the caller keeps, and a storage the graph does not overwrite whole first, keep
    their own; replays stay bit-identical to eager."""
    x, pos = torch.tensor(_values(64, 8)), torch.tensor([2])
    g = graphs.Graph()
    with torch.no_grad(), graphs.graph(g, device="cpu"):
        mid = x * 3                                  # kept by the caller
        out = _scatter_step(mid, pos)
    pooled, their_bytes, pool_bytes = g._captured.pooled
    assert pooled >= 3 and pool_bytes < their_bytes
    for seed in (9, 10):       # (the same row: z's other rows are zero since the capture)
        x.copy_(torch.tensor(_values(64, seed)))
        g.replay()
        with torch.no_grad():
            assert out.tolist() == _scatter_step(x * 3, pos).tolist()
            assert mid.tolist() == (x * 3).tolist()


def test_capture_frees_an_intermediate_when_its_last_tensor_goes():
    """While capturing, an intermediate's storage is freed when its tensors go (as in eager
    mode), not held until the capture ends: a captured forward peaks near the eager one. The
    replay is still bit-identical to eager (the freed intermediates share the pool)."""
    import weakref
    x = torch.tensor(_values(256, 11))
    g = graphs.Graph()
    with torch.no_grad(), graphs.graph(g, device="cpu"):
        h = x * 3
        gone = weakref.ref(h._storage)
        h = (h + 1).exp()                      # the first product's last tensor goes here
        freed_while_capturing = gone() is None
        out = (h * x).sum()
    assert freed_while_capturing
    x.copy_(torch.tensor(_values(256, 12)))
    g.replay()
    with torch.no_grad():
        assert out.tolist() == ((x * 3 + 1).exp() * x).sum().tolist()
