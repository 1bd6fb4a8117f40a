"""Ops that build helper tensors inside (masks, index lists, fill values, initial states) build
them on their input's device: on "webgpu" they run there and return webgpu tensors, where a
CPU helper would raise "Expected all tensors to be on the same device". Oracle: the same call
on the CPU. (tril/triu, pad's index modes, interpolate, one_hot, scatter's value and the RNNs'
zero state run in the portable device grid, tests/portable/test_portable_device.py.)"""
import warnings

import pytest

import webtensor as torch
import webtensor.nn as nn
import webtensor.nn.functional as F

DEV = torch.device("webgpu")


def same(got, want):
    for g, w in zip(got, want) if isinstance(want, tuple) else [(got, want)]:
        assert g.device == DEV and g.dtype is w.dtype and g.tolist() == w.tolist(), (g, w)


X = [[1.0, -2.0, 3.0], [0.0, 5.0, -6.0]]


@pytest.mark.parametrize("name,f", [
    ("repeat_interleave", lambda x: torch.repeat_interleave(x, torch.tensor([1, 2]).to(x.device),
                                                            dim=0)),
    ("repeat_interleave_repeats",
     lambda x: torch.repeat_interleave(torch.tensor([2, 0, 1]).to(x.device))),
    ("cat_of_empties", lambda x: torch.cat([x[0, :0], x[1, :0]])),
    ("nonzero", lambda x: torch.nonzero(x > 0)),
    ("nonzero_tuple", lambda x: torch.nonzero(x > 0, as_tuple=True)),
    ("nonzero_empty", lambda x: torch.nonzero(x > 9)),
    ("getitem_list", lambda x: x[[1, 0, 1]]),
    ("getitem_cpu_mask", lambda x: x[torch.tensor([False, True])]),
    ("getitem_mask", lambda x: x[x > 0]),
    ("getitem_mask_and_list", lambda x: x[x[:, 0] >= 0, [2]]),
    ("masked_select", lambda x: torch.masked_select(x, x < 1)),
    ("tril_empty", lambda x: x[:0].triu()),
    ("causal_mask", lambda x: nn.Transformer.generate_square_subsequent_mask(3, device=x.device)),
])
def test_op_runs_on_its_inputs_device(name, f):
    x = torch.tensor(X)
    same(f(x.to(DEV)), f(x))


def test_setitem_with_cpu_indices():
    x = torch.tensor(X)
    for idx in ([1], torch.tensor([True, False]), (torch.tensor([0, 1]), [2, 0])):
        g, want = x.to(DEV), x.clone()
        g[idx] = 7.0
        want[idx] = 7.0
        same(g, want)


def test_multihead_attention_bool_mask():
    torch.manual_seed(0)
    m = nn.MultiheadAttention(4, 2)
    q = torch.randn(3, 1, 4)
    mask = torch.ones(3, 3, dtype=torch.bool).triu(1)
    want = m(q, q, q, attn_mask=mask)[0]
    m = m.to(DEV)
    got = m(q.to(DEV), q.to(DEV), q.to(DEV), attn_mask=mask.to(DEV))[0]
    assert got.device == DEV
    for a, b in zip(got.reshape(-1).tolist(), want.reshape(-1).tolist()):
        assert abs(a - b) <= 1e-5 + 1e-5 * abs(b)


@pytest.fixture
def cpu_fallback():
    torch.webgpu.set_cpu_fallback(True)
    yield
    torch.webgpu.set_cpu_fallback(False)


@pytest.mark.parametrize("reduce", ["mean", "amax", "prod"])
def test_scatter_value_and_reduce_without_self(cpu_fallback, reduce):
    """scatter's value and scatter_reduce(include_self=False)'s identity fill are device
    tensors (the scatter kernel itself may run through the CPU fallback)."""
    x, src = torch.tensor([1.0, 2.0, 3.0, 4.0]), torch.tensor([5.0, -1.0, 2.0])
    index = torch.tensor([0, 0, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = (x.to(DEV).scatter_reduce(0, index.to(DEV), src.to(DEV), reduce,
                                        include_self=False),
               x.to(DEV).scatter(0, index.to(DEV), 9.0))
    same(got, (x.scatter_reduce(0, index, src, reduce, include_self=False),
               x.scatter(0, index, 9.0)))


def test_host_built_indices_need_no_device_readback(monkeypatch):
    """pad / interpolate / repeat_interleave / x[list] build their indices on the host: the
    device checks them there (no index_check kernel and readback, so no sync point)."""
    from webtensor.backends.webgpu import index as gpu_index

    def no_readback(index, limit):
        raise AssertionError("a host-built index was checked on the device")
    monkeypatch.setattr(gpu_index, "_first_bad", no_readback)
    x = torch.tensor(X).reshape(1, 2, 3)
    for f in (lambda t: F.pad(t, (2, 1), mode="reflect"),
              lambda t: F.pad(t, (1, 1), mode="circular"),
              lambda t: F.interpolate(t, scale_factor=2, mode="linear"),
              lambda t: torch.repeat_interleave(t, torch.tensor([2, 0, 1]), dim=2),
              lambda t: t[0, [1, 0]]):
        same(f(x.to(DEV)), f(x))


def test_index_select_keeps_torchs_same_device_rule():
    g = torch.tensor(X).to(DEV)
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        g.index_select(0, torch.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        torch.tensor(X).index_select(0, torch.tensor(1).to(DEV))
    same(g.index_select(0, torch.tensor(1)), torch.tensor(X).index_select(0, torch.tensor(1)))
    same(g.index_select(1, torch.tensor([2, 0]).to(DEV)),
         torch.tensor(X).index_select(1, torch.tensor([2, 0])))


def test_indices_on_the_cpu_or_the_tensors_device():
    x = torch.tensor(X)
    with pytest.raises(RuntimeError, match=r"indices should be either on cpu or on the same "
                                           r"device as the indexed tensor \(cpu\)"):
        x[torch.tensor([1, 0]).to(DEV)]
    g = x.to(DEV)      # CPU and device indices mixed
    same(g[torch.tensor([1, 0]), torch.tensor([2, 0]).to(DEV)], x[[1, 0], [2, 0]])
