"""Padding layers: torch.nn's Constant/Zero/Reflection/Replication/CircularPad{1,2,3}d, each a
call of F.pad (ops/pad.py) with torch's padding tuples, checks and reprs."""
from .. import functional as F
from .module import Module


def _ntuple(v, n):
    """torch's _ntuple: an iterable is taken as it is, anything else repeated n times."""
    if hasattr(v, "__iter__") and not isinstance(v, str):
        return tuple(v)
    return (v,) * n


class _PadNd(Module):
    _mode = "constant"
    _n = 2

    def __init__(self, padding):
        super().__init__()
        self.padding = _ntuple(padding, self._n)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class _CircularPadNd(_PadNd):
    _mode = "circular"

    def forward(self, input):
        dims = (self._n // 2 + 1, self._n // 2 + 2)
        if input.dim() not in dims:
            raise ValueError(f"expected {dims[0]}D or {dims[1]}D input (got {input.dim()}D "
                             f"input)")
        return F.pad(input, self.padding, "circular")


def _classes(base, mode, prefix):
    out = []
    for k in (1, 2, 3):
        cls = type(f"{prefix}{k}d", (base,), {"_n": 2 * k, "_mode": mode,
                                              "__module__": __name__})
        out.append(cls)
    return out


ConstantPad1d, ConstantPad2d, ConstantPad3d = _classes(_ConstantPadNd, "constant", "ConstantPad")
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = _classes(_PadNd, "reflect", "ReflectionPad")
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = _classes(_PadNd, "replicate",
                                                                "ReplicationPad")
CircularPad1d, CircularPad2d, CircularPad3d = _classes(_CircularPadNd, "circular",
                                                       "CircularPad")


def _zero(base):
    class ZeroPad(base):
        def __init__(self, padding):
            super().__init__(padding, 0.0)

        def extra_repr(self):
            return f"{self.padding}"
    ZeroPad.__name__ = ZeroPad.__qualname__ = base.__name__.replace("Constant", "Zero")
    return ZeroPad


ZeroPad1d, ZeroPad2d, ZeroPad3d = _zero(ConstantPad1d), _zero(ConstantPad2d), \
    _zero(ConstantPad3d)

__all__ = ["ConstantPad1d", "ConstantPad2d", "ConstantPad3d", "ZeroPad1d", "ZeroPad2d",
           "ZeroPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]
