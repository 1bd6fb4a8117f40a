"""dtype conversion (the `copy` primitive when the dtype changes), `fill`, `arange` and `linspace`
on the WASM kernels.

Conversions run contiguous -> contiguous with the `<src>_<dst>_copy` kernels of xN-convert
(a strided input is first gathered with the same-dtype copy kernel). Pairs without a kernel go
through a float32 temporary where that is exactly what torch computes (16-bit floats and 8-bit
ints convert to float32 exactly; torch converts integers to f16/bf16 through float); the rest
(float64 <-> 8/16-bit integers, ...) is declined and runs on the reference backend.
"""
import struct

from ... import _dtype as D
from ..._storage import Storage
from ..._memory import storable
from . import kernel_table as KT
from .common import X_DTYPES
from .loader import Region
from .views import Copier, overlaps, region

_SHORT = {D.float32: "f32", D.float64: "f64", D.float16: "f16", D.bfloat16: "bf16",
          D.int64: "i64", D.int32: "i32", D.int16: "i16", D.int8: "i8", D.uint8: "u8",
          D.bool_: "b8"}
# same bits for both dtypes: a plain byte copy
_SAME_BITS = {(D.uint8, D.int8), (D.int8, D.uint8), (D.bool_, D.uint8), (D.bool_, D.int8)}
# dtypes float32 holds exactly (so src -> f32 -> dst is the direct conversion)
_EXACT_IN_F32 = {D.float16, D.bfloat16, D.int16, D.uint8, D.int8, D.bool_}


def _names(src, dst):
    """Kernel-name candidates for src -> dst (aliases: bool sources read as u8; u8 targets
    take the low byte like i8)."""
    s, d = _SHORT.get(src), _SHORT.get(dst)
    if s is None or d is None:
        return ()
    srcs = (s, "u8") if s == "b8" else (s,)
    dsts = (d, "i8") if d == "u8" else (d,)
    return [KT.CONVERT[(a, b)] for a in srcs for b in dsts if (a, b) in KT.CONVERT]


class Converter:
    def __init__(self, ks, copier):
        self.ks = ks
        self.copier = copier
        names = set(ks.names())
        self.plans = {}
        for src in _SHORT:
            for dst in _SHORT:
                if src is not dst:
                    self.plans[(src, dst)] = self.plan_convert(src, dst, names)
        self.fills = {b: ks.fn(name) for b, name in KT.FILL.items()}
        # float64 -> bool is x != 0 (NaN is true) on the comparison kernel
        self._ne_f64 = ks.fn(KT.X_COMPARE[("f64", "ne")])
        zero = Storage(8, buf=bytearray(8))
        self._zero = Region(zero, 0, 8, False)
        self.plans[(D.float64, D.bool_)] = (self._f64_nonzero,)

    def _f64_nonzero(self, n, rx, ro):
        self._ne_f64(1, n, rx, 0, 1, self._zero, 0, 0, ro)

    def plan_convert(self, src, dst, names):
        """() for a byte copy, (fn,) direct, (fn1, fn2) via float32, or None."""
        if (src, dst) in _SAME_BITS:
            return ()
        direct = [n for n in _names(src, dst) if n in names]
        if direct:
            return (self.ks.fn(direct[0]),)
        if D.float32 in (src, dst):
            return None
        a = [n for n in _names(src, D.float32) if n in names]
        b = [n for n in _names(D.float32, dst) if n in names]
        if a and b and src is not D.float64 and (src in _EXACT_IN_F32 or
                                                 dst in (D.float16, D.bfloat16)):
            return (self.ks.fn(a[0]), self.ks.fn(b[0]))
        return None

    def convert(self, out, x):
        """out (contiguous) = x converted to out.dtype. False to decline (nothing written)."""
        plan = self.plans.get((x.dtype, out.dtype))
        if plan is None:
            return False
        n = out.numel()
        if n == 0:
            return True
        if not plan:
            return self.copier.gather(out, x)     # same bits, different dtype name
        ro = region(out, True)
        rx = region(x)
        if rx is None:
            return False
        if not x.is_contiguous() or overlaps(rx, ro):
            xc = type(x)._empty(x.shape, x.dtype)
            if not self.copier.gather(xc, x):
                return False
            x, rx = xc, region(xc)
        if len(plan) == 1:
            plan[0](n, rx, ro)
        else:
            tmp = type(x)._empty(x.shape, D.float32)
            rt = region(tmp, True)
            plan[0](n, rx, rt)
            plan[1](n, rt._replace(writable=False), ro)
        return True

    def fill(self, out, value):
        """out (contiguous) = value. False to decline."""
        fn = self.fills.get(out.dtype.itemsize)
        if fn is None or not out.is_contiguous():
            return False
        n = out.numel()
        if n == 0:
            return True
        v = struct.pack("<" + out.dtype.fmt, storable(out.dtype)(value))
        st = Storage(len(v), buf=bytearray(v))
        fn(n, Region(st, 0, len(v), False), region(out, True))
        return True


def make(ks, copier=None):
    return Converter(ks, copier or Copier(ks))


def bind(ctx):
    """The copy primitive (strided gathers, writes into views, dtype conversion) and fill."""
    conv, copier = ctx.converter, ctx.copier
    from ..._tensor import Tensor

    def copy(out, x):
        if out.numel() == 0:
            return None
        if not out.is_contiguous():        # a write into a view (converted first if need be)
            if out.dtype is not x.dtype:
                tmp = Tensor._empty(x.shape, out.dtype)
                if not conv.convert(tmp, x):
                    return NotImplemented
                x = tmp
            return None if copier.scatter(out, x) else NotImplemented
        if out.dtype is not x.dtype:       # dtype conversion
            return None if conv.convert(out, x) else NotImplemented
        return None if copier.gather(out, x) else NotImplemented

    def fill(out, value):
        return None if conv.fill(out, value) else NotImplemented

    ranges = {}
    for table, prim in ((KT.ARANGE, "arange"), (KT.LINSPACE, "linspace")):
        for short, name in table.items():
            ranges[(prim, X_DTYPES[short][0])] = ctx.fn(name)

    def fill_range(prim, out, a, b):
        """arange (a = start, b = step) / linspace (a = start, b = end): floats computed in
        double, integers from int start/step in int64; anything else declines."""
        fn = ranges.get((prim, out.dtype))
        n = out.numel()
        if fn is None or not out.is_contiguous():
            return NotImplemented
        if out.dtype.is_floating_point:
            p = (a, b) if prim == "arange" else (a, b, (b - a) / (n - 1) if n > 1 else 0.0)
            fmt = "<%dd" % len(p)
        elif type(a) is int and type(b) is int and -2 ** 63 <= a < 2 ** 63 and \
                -2 ** 63 <= b < 2 ** 63:
            p, fmt = (a, b), "<2q"
        else:
            return NotImplemented
        if n:
            v = struct.pack(fmt, *[float(x) for x in p] if fmt[-1] == "d" else p)
            fn(n, Region(Storage(len(v), buf=bytearray(v)), 0, len(v), False),
               region(out, True))
        return None

    return {"copy": copy, "fill": fill,
            "arange": lambda out, start, step: fill_range("arange", out, start, step),
            "linspace": lambda out, start, end: fill_range("linspace", out, start, end)}, {}
