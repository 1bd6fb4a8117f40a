"""Every WASM shortcut declines (returns None) a tensor whose storage is not the CPU Storage
class: other devices register their own storage classes and their tensors must reach their own
backends, not the WASM kernels."""
import pytest

import webtensor
from webtensor._storage import Storage


class OtherStorage(Storage):
    """A stand-in for another device's storage class (same bytes, another class)."""
    __slots__ = ()


def _foreign(t):
    s = OtherStorage(t._storage.nbytes)
    s.buf[s.base:s.base + s.nbytes] = t._storage.buf[t._storage.base:
                                                     t._storage.base + t._storage.nbytes]
    u = t.clone()
    u._storage = s
    return u


def _shortcuts():
    from webtensor.backends.wasm import backend as B
    if B.kernels() is None:
        pytest.skip("kernels not loaded: " + B.load_error())
    return B.SHORTCUTS


def test_shortcuts_decline_foreign_storage():
    sc = _shortcuts()
    x = webtensor.randn(3, 4)
    f = _foreign(x)
    w, bias = webtensor.randn(5, 4), webtensor.randn(5)
    q = webtensor.randn(1, 2, 3, 4)
    for op, fn in sc.items():
        if op in ("matmul",):
            cases = [(f, webtensor.randn(4, 2)), (x, _foreign(webtensor.randn(4, 2)))]
        elif op == "linear":
            cases = [(f, w, bias), (x, _foreign(w), bias), (x, w, _foreign(bias))]
        elif op == "scaled_dot_product_attention":
            cases = [(_foreign(q), q, q), (q, _foreign(q), q), (q, q, _foreign(q))]
        elif op in ("sum", "mean", "prod", "amax", "amin") or op not in (
                "add", "sub", "mul", "div", "maximum", "minimum", "eq", "ne", "lt", "le", "gt",
                "ge") and not op.endswith("_"):
            cases = [(f,)]
        else:
            cases = [(f, x), (x, f), (f, 2.0), (2.0, f) if not op.endswith("_") else (f, 1)]
        for args in cases:
            assert fn(*args) is None, (op, [type(a).__name__ for a in args])
    # and the same calls on CPU storages are taken (the check is not vacuous)
    assert sc["add"](x, x) is not None and sc["exp"](x) is not None
    assert sc["linear"](x, w, bias) is not None
