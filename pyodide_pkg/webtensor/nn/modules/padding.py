"""Padding layers over F.pad (constant, reflect, replicate, circular)."""
from .. import functional as F
from .module import Module


def _pad(padding, n):
    return tuple(padding) if isinstance(padding, (tuple, list)) else (padding,) * (2 * n)


def _f_pad():
    pad = getattr(F, "pad", None)
    if pad is None:
        raise NotImplementedError("webtensor: padding layers need F.pad, not available in this "
                                  "build")
    return pad


class _PadNd(Module):
    _n = 1
    _mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = _pad(padding, self._n)

    def forward(self, input):
        return _f_pad()(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value):
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return _f_pad()(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    _n = 1


class ConstantPad2d(_ConstantPadNd):
    _n = 2


class ZeroPad1d(ConstantPad1d):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


def _mode_pad(name, n, mode):
    return type(name, (_PadNd,), {"_n": n, "_mode": mode, "__module__": __name__})


ReflectionPad1d = _mode_pad("ReflectionPad1d", 1, "reflect")
ReflectionPad2d = _mode_pad("ReflectionPad2d", 2, "reflect")
ReplicationPad1d = _mode_pad("ReplicationPad1d", 1, "replicate")
ReplicationPad2d = _mode_pad("ReplicationPad2d", 2, "replicate")
CircularPad1d = _mode_pad("CircularPad1d", 1, "circular")
CircularPad2d = _mode_pad("CircularPad2d", 2, "circular")
