"""Shortcuts of the elementwise family that convert: float16/bfloat16 arithmetic of row-major
operands in one kernel computing in float32 registers (half_shortcut), and float16/bfloat16 /
integer inputs of the float ops in one widening kernel (converting_shortcut), where the op layer
makes widen / float32 op / round passes. Used by backends/wasm/elementwise.py's bind().
"""
import struct

from ... import _dtype as D
from ..._tensor import _LAYOUTS, Tensor, _layout
from .common import BOOL, F32, new_out
from .views import region


def holds(dt, v):
    """float16/bfloat16 dt holds the Python number v exactly."""
    try:
        if dt is D.float16:
            return struct.unpack("<e", struct.pack("<e", v))[0] == v
        bits = D.bf16_bits_from_float(float(v))
    except (OverflowError, ValueError):
        return False
    return D.float_from_bf16_bits(bits) == v


def half_shortcut(f32_shortcut, fns, compare, opmath_scalar):
    """a op b for float16/bfloat16 row-major a with b of its dtype and shape or a Python
    number: one kernel computing in float32 registers instead of the op layer's widen /
    float32 op / round passes (comparisons write bool). The number is rounded to a's dtype
    first, as torch does, except for mul/div (opmath_scalar), where torch keeps it at float32:
    those decline a number the dtype does not hold exactly (the op layer's float32 path).
    Other operands: the float32 shortcut's business."""
    from ...ops.elementwise import _as_tensor as as_tensor

    def shortcut(a, b):
        r = f32_shortcut(a, b)
        if r is not None or a.__class__ is not Tensor:
            return r
        fn = fns.get(a.dtype)
        if fn is None:
            return None
        lay = _LAYOUTS.get(a.shape) or _layout(a.shape)
        if b.__class__ is Tensor:
            if b.dtype is not a.dtype or (b.shape != a.shape) or b._strides != lay[1]:
                return None
            bcs = 1
        elif b.__class__ is float or b.__class__ is int:
            v, b, bcs = b, as_tensor(b, a.dtype), 0      # the op layer's shared scalars
            if opmath_scalar and not holds(a.dtype, v):
                return None
        else:
            return None
        if not lay[2] or a._strides != lay[1]:
            return None
        out, _ = new_out(lay[0], lay[1], lay[2] * (1 if compare else 2),
                         BOOL if compare else a.dtype)
        fn(1, lay[2], region(a), 0, 1, region(b), 0, bcs, region(out, True))
        return out
    return shortcut


def converting_shortcut(f32_shortcut, fns, _get_default=D.get_default_dtype):
    """fn(x) for row-major x of the dtypes in fns {dtype: (kernel, out dtype; None: the default
    float dtype, when that is float32)}: float16/bfloat16 and integer inputs of the float ops
    in one kernel instead of the op layer's widen / float32 op / round passes; isnan & co. of
    float16/bfloat16/float64 on the bits. float32 x goes to f32_shortcut."""
    def shortcut(x):
        if f32_shortcut is not None:
            r = f32_shortcut(x)
            if r is not None:
                return r
        if x.__class__ is not Tensor:
            return None
        fn, odt = fns.get(x.dtype, (None, None))
        if fn is None:
            return None
        if odt is None:
            odt = _get_default()
            if odt is not F32:
                return None
        lay = _LAYOUTS.get(x.shape) or _layout(x.shape)
        if not lay[2] or x._strides != lay[1]:
            return None
        out, _ = new_out(lay[0], lay[1], lay[2] * odt.itemsize, odt)
        fn(lay[2], region(x), region(out, True))
        return out
    return shortcut
