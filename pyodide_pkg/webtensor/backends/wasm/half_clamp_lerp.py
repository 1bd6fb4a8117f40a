"""clamp and lerp of float16/bfloat16 in one kernel each (xN-binary/xN_clamp_lerp), where the
op layer makes two selections (clamp) or three rounded ops (lerp); clamp of float32, float64
and the integers too (xN-binary's; kernel_table.CLAMP):
  clamp_fn(fns)  -> clamp(out, x, lo, hi): the clamp primitive's one-pass path (halves: bits
                    in, bits out)
  lerp_shortcut(fns) -> shortcut(a, b, weight): row-major a, b of one half dtype and shape
                        with a Python number weight, rounded once from torch's float32 form
Anything else returns NotImplemented / None: the general path.
"""
import struct

from ... import _dtype as D
from ..._tensor import _LAYOUTS, Tensor, _layout
from .common import new_out
from .views import overlaps, region

# the bound of a missing side: -inf, inf (halves' patterns), the integers' extremes
_NO_BOUND = {D.float16: (0xFC00, 0x7C00), D.bfloat16: (0xFF80, 0x7F80),
             D.float32: (float("-inf"), float("inf")), D.float64: (float("-inf"), float("inf")),
             D.uint8: (0, 255)}
for _dt in (D.int64, D.int32, D.int16, D.int8):
    _NO_BOUND[_dt] = (-1 << 8 * _dt.itemsize - 1, (1 << 8 * _dt.itemsize - 1) - 1)


def half_bits(dt, v):
    """The pattern of Python number v rounded to half dtype dt (torch's scalar cast); None for
    NaN or a value out of range."""
    v = float(v)
    if v != v:
        return None
    if dt is D.float16:
        try:
            return struct.unpack("<H", struct.pack("<e", v))[0]
        except (OverflowError, struct.error):
            return None
    try:
        return D.bf16_bits_from_float(v)
    except OverflowError:
        return None


def clamp_fn(fns):
    def clamp(out, x, lo, hi):
        fn = fns.get(x.dtype)
        if fn is None or out.dtype is not x.dtype or x._strides != out._strides or \
                not out.is_contiguous():
            return NotImplemented
        dt = x.dtype
        half = dt in (D.float16, D.bfloat16)
        bits = [nb if v is None else half_bits(dt, v) if half else v
                for v, nb in zip((lo, hi), _NO_BOUND[dt])]
        if None in bits:
            return NotImplemented
        ro, rx = region(out, True), region(x)
        if rx is None or overlaps(rx, ro) and rx.offset != ro.offset:
            return NotImplemented
        if not ro.nbytes:
            return None
        b, _ = new_out((2,), (1,), 2 * dt.itemsize, dt)
        try:
            struct.pack_into("<HH" if half else "<2" + dt.fmt, b._storage.buf, b._storage.base,
                             *bits)
        except (struct.error, OverflowError):
            return NotImplemented
        fn(ro.nbytes // dt.itemsize, rx, region(b), ro)
        return None
    return clamp


def lerp_shortcut(fns):
    def shortcut(a, b, weight):
        if a.__class__ is not Tensor or b.__class__ is not Tensor or b.dtype is not a.dtype or \
                weight.__class__ not in (float, int):
            return None
        fn = fns.get(a.dtype)
        if fn is None or b.shape != a.shape:
            return None
        lay = _LAYOUTS.get(a.shape) or _layout(a.shape)
        if not lay[2] or a._strides != lay[1] or b._strides != lay[1]:
            return None
        out, _ = new_out(lay[0], lay[1], lay[2] * 2, a.dtype)
        fn(lay[2], region(a), region(b), float(weight), region(out, True))
        return out
    return shortcut
