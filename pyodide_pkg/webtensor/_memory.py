"""Reading and writing CPU tensor elements as Python values: the host side of creation,
.item()/.tolist() and the reference backend."""
import math
import struct

from ._dtype import (bfloat16, bool_, float16, float32, INT_BITS, bf16_bits_from_float,
                     float_from_bf16_bits)
from ._shape import iter_offsets

_F32_MAX = 3.4028235677973366e38
_F16_MAX = 65520.0  # values at or above round to inf in half precision


def _packer(dtype, n):
    return struct.Struct("<%d%s" % (n, dtype.fmt))


def offsets(t):
    return iter_offsets(t.shape, t._strides, t._offset)


def read(t):
    """All elements of t in row-major order as Python floats/ints/bools."""
    st = t._storage
    n = t.numel()
    if n == 0:
        return []
    isz = t.dtype.itemsize
    if t.is_contiguous():
        vals = list(_packer(t.dtype, n).unpack_from(st.buf, st.base + t._offset * isz))
    else:
        one = struct.Struct("<" + t.dtype.fmt)
        base = st.base
        vals = [one.unpack_from(st.buf, base + o * isz)[0] for o in offsets(t)]
    if t.dtype is bfloat16:
        vals = [float_from_bf16_bits(h) for h in vals]
    return vals


def storable(dtype):
    """A function mapping a Python number to a value that packs into dtype (cast rules)."""
    if dtype.category == 2:
        if dtype is bfloat16:
            return lambda v: bf16_bits_from_float(float(v))
        lim = _F32_MAX if dtype is float32 else _F16_MAX if dtype is float16 else math.inf

        def to_float(v):
            v = float(v)
            if v >= lim or v <= -lim:  # would round past the largest finite value
                return math.copysign(math.inf, v)
            return v
        return to_float
    if dtype is bool_:
        return bool
    bits = INT_BITS[dtype]
    mask = (1 << bits) - 1
    half = 1 << (bits - 1)
    signed = dtype.is_signed

    # float -> int as torch's CPU cast (x86 cvtt*2si): truncation toward zero; NaN and
    # out-of-range give INT_MIN of int64 (64-bit targets) or of int32 (narrower targets,
    # which then keep the low bits).
    flo = -float(1 << 63) if bits == 64 else -float(1 << 31)

    def to_int(v):
        if isinstance(v, float):
            v = int(v) if flo <= v < -flo else int(flo)
        v = int(v) & mask
        if signed and v >= half:
            v -= 1 << bits
        return v
    return to_int


def write(t, values):
    """Write row-major values (Python numbers) into the view t, converting to t.dtype."""
    n = t.numel()
    if n == 0:
        return
    conv = storable(t.dtype)
    vals = [conv(v) for v in values]
    st = t._storage
    isz = t.dtype.itemsize
    if t.is_contiguous():
        _packer(t.dtype, n).pack_into(st.buf, st.base + t._offset * isz, *vals)
    else:
        one = struct.Struct("<" + t.dtype.fmt)
        base = st.base
        for o, v in zip(offsets(t), vals):
            one.pack_into(st.buf, base + o * isz, v)
