"""No WASM shortcut ever sees another device's tensors: once a second device has tensors, the
dispatcher wraps each active shortcut in a guard for its own device, so a tensor of another
storage class reaches its own backends, never the WASM kernels; CPU tensors still take the
shortcuts."""
import pytest

import webtensor
from webtensor import _device, _dispatch
from webtensor._storage import Storage
from webtensor.backends import reference


class OtherStorage(Storage):
    """A stand-in for another device's storage class (same bytes, another class)."""
    __slots__ = ()


def _other_device():
    if "otherdev" not in _device.DEVICES:
        _device.register_device("otherdev", OtherStorage, OtherStorage,
                                *_device.host_io(OtherStorage))
        _dispatch.register_backend("otherdev", "reference", reference.IMPL, fallback=True)
    return "otherdev"


def test_shortcuts_decline_other_devices():
    from webtensor.backends.wasm import backend as B
    if B.kernels() is None:
        pytest.skip("kernels not loaded: " + B.load_error())
    dev = _other_device()
    x = webtensor.randn(3, 4)
    f = x.to(dev)
    assert _device.IN_USE[0]
    w, bias = webtensor.randn(5, 4), webtensor.randn(5)
    q = webtensor.randn(1, 2, 3, 4)
    with_wasm = webtensor.backends.get_backend() == "wasm"
    for op, slot in _dispatch.SLOTS.items():
        fn = slot[0]
        if fn is None:
            assert not with_wasm or op not in B.SHORTCUTS, op
            continue
        if op == "matmul":
            cases = [(f, webtensor.randn(4, 2)), (x, webtensor.randn(4, 2).to(dev))]
        elif op == "linear":
            cases = [(f, w, bias), (x, w.to(dev), bias), (x, w, bias.to(dev))]
        elif op == "scaled_dot_product_attention":
            cases = [(q.to(dev), q, q), (q, q.to(dev), q), (q, q, q.to(dev))]
        elif op in ("sum", "mean", "prod", "amax", "amin") or op not in (
                "add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
                "ge") and not op.endswith("_"):
            cases = [(f,)]
        else:
            cases = [(f, x), (x, f), (f, 2.0), (2.0, f) if not op.endswith("_") else (f, 1)]
        for args in cases:
            assert fn(*args) is None, (op, [type(a).__name__ for a in args])
    if with_wasm:    # and the same calls on CPU tensors are taken (the check is not vacuous)
        s = _dispatch.SLOTS
        assert s["add"][0](x, x) is not None and s["exp"][0](x) is not None
        assert s["linear"][0](x, w, bias) is not None
        assert (f + f).device == webtensor.device(dev)
