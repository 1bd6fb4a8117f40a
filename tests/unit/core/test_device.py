"""The device registry and the dispatcher, shown with a second, test-only device.

"testdev" keeps its bytes in host memory in a storage class of its own and runs its primitives
on a spy backend (which records each primitive and declines) followed by the reference
backend. So every result must come back on "testdev", through testdev's chain, and never from
the CPU's WASM kernels or shortcuts.
"""
import math

import pytest

import webtensor as wt
from webtensor import _device, _dispatch, backends
from webtensor._storage import Storage
from webtensor.backends import reference
from wt_oracle import assert_same


class HostStorage(Storage):
    __slots__ = ()


SEEN = []
SPY = {name: (lambda name: lambda *a, **k: SEEN.append(name) or NotImplemented)(name)
       for name in reference.IMPL}

if "testdev" not in _device.DEVICES:
    _device.register_device("testdev", HostStorage, HostStorage, *_device.host_io(HostStorage))
    _dispatch.register_backend("testdev", "spy", SPY)
    _dispatch.register_backend("testdev", "reference", reference.IMPL, fallback=True)
DEV = wt.device("testdev")


@pytest.fixture(autouse=True)
def _seen():
    SEEN.clear()
    yield


def on_dev(x):
    return x.to("testdev")


def test_devices_are_registered_and_named():
    assert str(DEV) == "testdev" and DEV == "testdev" and repr(DEV) == "device(type='testdev')"
    assert wt.device("cpu") == wt.ones(1).device
    with pytest.raises(RuntimeError, match="not available"):
        wt.device("nosuchdev")
    assert "testdev" in backends.op_backend_report()
    assert set(backends.op_backend_report()["testdev"]) == {"spy", "reference"}


@pytest.mark.parametrize("make", [
    lambda d: wt.zeros(2, 3, device=d), lambda d: wt.ones(2, 3, device=d),
    lambda d: wt.full((2, 3), 7.0, device=d), lambda d: wt.empty(4, device=d),
    lambda d: wt.tensor([[1, 2], [3, 4]], device=d), lambda d: wt.arange(5, device=d),
    lambda d: wt.linspace(0, 1, 5, device=d), lambda d: wt.eye(3, device=d),
    lambda d: wt.randn(3, generator=wt.Generator().manual_seed(1), device=d),
    lambda d: wt.randint(0, 9, (4,), generator=wt.Generator().manual_seed(1), device=d),
    lambda d: wt.zeros_like(wt.ones(2, device=d)), lambda d: wt.full_like(wt.ones(2, device=d), 3),
])
def test_creation_on_a_device(make):
    t, c = make("testdev"), make("cpu")
    assert t.device == DEV and t._storage.__class__ is HostStorage
    assert t.tolist() == c.tolist() and t.dtype is c.dtype


def test_to_moves_data_between_devices_both_ways():
    x = wt.arange(12.).reshape(3, 4).t()[1:]        # a strided view
    y = x.to("testdev")
    assert y.device == DEV and y.shape == x.shape and y.tolist() == x.tolist()
    assert y.to("testdev") is y and y.to(DEV) is y
    z = y.to(wt.device("cpu"), wt.float64)
    assert z.device == wt.device("cpu") and z.dtype is wt.float64 and z.tolist() == x.tolist()
    assert y.cpu().tolist() == x.tolist() and y.cpu().device == wt.device("cpu")
    w = x.to("testdev", dtype=wt.int64)
    assert w.device == DEV and w.dtype is wt.int64
    assert y.to(wt.ones(1)).device == wt.device("cpu")   # .to(other) takes other's device


@pytest.mark.parametrize("name,fn,prims", [
    ("add", lambda a, b: a + b, {"binary"}),
    ("radd scalar", lambda a, b: 2.0 - a, {"binary"}),
    ("mul scalar", lambda a, b: a * 3, {"binary"}),
    ("exp", lambda a, b: a.exp(), {"unary"}),
    ("sum", lambda a, b: a.sum(), {"reduce"}),
    ("sum dim", lambda a, b: a.sum(1, keepdim=True), {"reduce"}),
    ("matmul", lambda a, b: a @ b.t(), {"matmul"}),
    ("linear", lambda a, b: wt.nn.functional.linear(a, b, b[0, :3]), {"linear"}),
    ("softmax", lambda a, b: a.softmax(-1), {"softmax"}),
    ("cat", lambda a, b: wt.cat([a, b], 0), {"copy"}),
    ("where", lambda a, b: wt.where(a > b, a, b), {"binary", "where"}),
    ("sdpa", lambda a, b: wt.nn.functional.scaled_dot_product_attention(
        a[None, None], b[None, None], b[None, None]), {"sdpa"}),
    ("add_", lambda a, b: a.clone().add_(b), {"binary"}),
    ("iadd", lambda a, b: a.__iadd__(b), {"binary"}),
    ("layer_norm", lambda a, b: wt.nn.functional.layer_norm(a, (4,)), {"layer_norm"}),
])
def test_ops_run_on_the_device_chain(name, fn, prims):
    g = wt.Generator().manual_seed(0)
    a, b = wt.randn(3, 4, generator=g), wt.randn(3, 4, generator=g)
    want = fn(a.clone(), b)
    SEEN.clear()
    got = fn(on_dev(a), on_dev(b))
    assert got.device == DEV, name
    assert prims <= set(SEEN), (name, SEEN)
    assert_same(got.cpu(), want, rtol=1e-5, atol=1e-6)   # reference there, maybe wasm here


def test_views_stay_on_the_device_and_read_back():
    y = on_dev(wt.arange(24.).reshape(2, 3, 4))
    for v in (y[1], y[:, 1:], y.permute(2, 0, 1), y.view(6, 4), y.expand(3, 2, 3, 4)[0],
              y.transpose(0, 2).contiguous()):
        assert v.device == DEV
    assert y[1, 2, 3].item() == 23.0 and y.sum().item() == 276.0
    assert repr(y[0, 0]) == "tensor([0., 1., 2., 3.], device='testdev')"
    assert repr(y[0, 0].long()) == "tensor([0, 1, 2, 3], device='testdev')"
    assert repr(y[0, 0].double()) == \
        "tensor([0., 1., 2., 3.], device='testdev', dtype=webtensor.float64)"


def test_tensors_on_two_devices_raise_torchs_error():
    a, b = wt.ones(2, 3), on_dev(wt.ones(2, 3))
    msg = "Expected all tensors to be on the same device, but found at least two devices"
    for f in (lambda: a + b, lambda: b * a, lambda: a @ b.t(), lambda: wt.cat([a, b]),
              lambda: wt.where(a > 0, a, b), lambda: b.add_(a)):
        with pytest.raises(RuntimeError, match=msg) as e:
            f()
        assert "cpu" in str(e.value) and "testdev" in str(e.value)


def test_python_scalars_and_0dim_cpu_tensors_mix_with_any_device():
    b = on_dev(wt.arange(4.))
    for r in (b + 1, 1 + b, b * 2.5, b + wt.tensor(2.0), wt.tensor(2.0) * b,
              wt.maximum(b, wt.tensor(1.0)), wt.where(b > 1, b, wt.tensor(0.0))):
        assert r.device == DEV
    assert (b + wt.tensor(2.0)).tolist() == [2.0, 3.0, 4.0, 5.0]
    with pytest.raises(RuntimeError, match="same device"):
        b + wt.tensor([2.0])                 # 1-element but 1-dim: not a scalar


def test_module_to_moves_parameters_and_buffers():
    g = wt.Generator().manual_seed(2)
    m = wt.nn.Sequential(wt.nn.Linear(4, 3), wt.nn.LayerNorm(3), wt.nn.BatchNorm1d(3)).eval()
    x = wt.randn(2, 4, generator=g)
    want = m(x)
    w = m[0].weight
    assert m.to("testdev") is m and m[0].weight is w          # parameters keep identity
    assert all(p.device == DEV for p in m.parameters())
    assert all(b.device == DEV for b in m.buffers())
    got = m(on_dev(x))
    assert got.device == DEV
    assert_same(got.cpu(), want, rtol=1e-5, atol=1e-6)   # reference there, maybe wasm here
    assert m.cpu()[0].weight.device == wt.device("cpu") and m(x).device == wt.device("cpu")


def test_host_only_conversions_say_so():
    b = on_dev(wt.ones(2))
    assert b.tolist() == [1.0, 1.0] and float(b[0]) == 1.0
    with pytest.raises(TypeError, match="testdev device type tensor to numpy"):
        b.numpy()


def test_set_backend_per_device():
    b = on_dev(wt.ones(3))
    backends.set_backend("reference", device="testdev")
    try:
        assert (b + b).tolist() == [2.0] * 3 and SEEN == []
    finally:
        backends.set_backend("spy", device="testdev")
    assert (b + b).tolist() == [2.0] * 3 and SEEN == ["binary"]
    with pytest.raises(ValueError, match="unknown backend"):
        backends.set_backend("wasm", device="testdev")


def test_autograd_layer_runs_only_when_an_input_requires_grad():
    calls = []

    def layer(name, args, kwargs, run):
        calls.append(name)
        return run(*args, **kwargs)

    a, b = wt.ones(3), wt.full((3,), 2.0)
    prev = _dispatch._autograd[0]          # webtensor.autograd's layer, once installed
    _dispatch.set_autograd_layer(layer)
    try:
        assert (a + b).tolist() == [3.0] * 3 and calls == []
        a.requires_grad_()
        assert (a + b).tolist() == [3.0] * 3 and calls == ["binary"]   # the shortcut stepped aside
        e = a.exp()            # the layer ran it (no tape here: e does not require grad)
        assert e.sum().item() == pytest.approx(3 * math.e) and calls == ["binary", "unary"]
    finally:
        _dispatch.set_autograd_layer(prev)
    calls.clear()
    assert (a + b).tolist() == [3.0] * 3 and calls == []


def test_graph_capture_needs_a_device_that_supports_it():
    from webtensor import graphs
    assert not graphs.is_supported("testdev")
    with pytest.raises(NotImplementedError, match="not supported on device 'testdev'"):
        graphs.Graph().capture_begin("testdev")
