"""dtypes and torch's type-promotion rules.

Promotion (same as torch for these dtypes):
  category order   bool < integer < floating
  1. Tensors with dim > 0 win over 0-dim tensors, which win over Python scalars, but only
     within the same category: a higher category always wins
     (int64 tensor + 2.5 -> default float; uint8 tensor + 1000 -> uint8).
  2. Within a group the usual lattice applies:
       bool < uint8 < int16 < int32 < int64, int8 < int16, uint8 + int8 -> int16
       float16 + bfloat16 -> float32; any float + wider float -> wider float.
  3. A Python float joins as the default dtype (float32); a Python int as int64; a bool as bool.
"""
import math
import struct

__all__ = ["dtype", "float32", "float64", "float16", "bfloat16", "int64", "int32", "int16",
           "int8", "uint8", "bool_", "promote_types", "result_type_of"]


class dtype:
    __slots__ = ("name", "itemsize", "fmt", "category", "rank", "is_signed")

    def __init__(self, name, itemsize, fmt, category, rank, is_signed=True):
        self.name = name          # torch name without "torch."
        self.itemsize = itemsize
        self.fmt = fmt            # memoryview/struct format; bf16 is stored as raw "H"
        self.category = category  # 0 bool, 1 int, 2 float
        self.rank = rank
        self.is_signed = is_signed

    @property
    def is_floating_point(self):
        return self.category == 2

    @property
    def is_complex(self):
        return False

    def to_real(self):
        return self

    def __repr__(self):
        return "webtensor." + self.name

    def __reduce__(self):
        return (_by_name, (self.name,))


float32 = dtype("float32", 4, "f", 2, 2)
float64 = dtype("float64", 8, "d", 2, 3)
float16 = dtype("float16", 2, "e", 2, 1)
bfloat16 = dtype("bfloat16", 2, "H", 2, 1)
int64 = dtype("int64", 8, "q", 1, 4)
int32 = dtype("int32", 4, "i", 1, 3)
int16 = dtype("int16", 2, "h", 1, 2)
int8 = dtype("int8", 1, "b", 1, 1)
uint8 = dtype("uint8", 1, "B", 1, 1, is_signed=False)
bool_ = dtype("bool", 1, "?", 0, 0, is_signed=False)

ALL = (float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool_)
_NAMES = {d.name: d for d in ALL}
_NAMES.update({"float": float32, "double": float64, "half": float16, "long": int64,
               "int": int32, "short": int16, "bool": bool_})

# torch's C++ type names, used in its error messages ("not implemented for 'Float'").
TNAME = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
         "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
         "bool": "Bool"}

# Value ranges for integer wrap-around (two's complement, like torch).
INT_BITS = {int64: 64, int32: 32, int16: 16, int8: 8, uint8: 8}


def _by_name(name):
    return _NAMES[name]


def as_dtype(d):
    """Accept webtensor dtypes, names ("float32"), Python types and numpy dtypes."""
    if isinstance(d, dtype):
        return d
    if d is None:
        return None
    if d is float:
        return float64
    if d is int:
        return int64
    if d is bool:
        return bool_
    name = getattr(d, "name", None) or str(d)
    name = name.replace("torch.", "").replace("webtensor.", "")
    if name in _NAMES:
        return _NAMES[name]
    raise TypeError(f"unsupported dtype: {d!r}")


def _promote_same_category(a, b):
    if a is b:
        return a
    if a.category == 2:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a.rank >= b.rank else b
    if a.category == 1:
        if uint8 in (a, b):
            other = b if a is uint8 else a
            if other is int8:
                return int16
            return other
        return a if a.rank >= b.rank else b
    return a


def promote_types(a, b):
    """torch.promote_types for two dtypes."""
    if a.category != b.category:
        return a if a.category > b.category else b
    return _promote_same_category(a, b)


def result_type_of(operands, default_float=None):
    """Result dtype of an elementwise op over tensors and Python scalars (torch semantics).

    operands: sequence of either webtensor Tensors or Python bool/int/float.
    """
    default_float = default_float or get_default_dtype()
    groups = [None, None, None]  # dim>0 tensors, 0-dim tensors, scalars
    for x in operands:
        if isinstance(x, bool):
            g, dt = 2, bool_
        elif isinstance(x, int):
            g, dt = 2, int64
        elif isinstance(x, float):
            g, dt = 2, default_float
        elif isinstance(getattr(x, "dtype", None), dtype):  # a Tensor (no import per call)
            g = 0 if x.shape else 1
            dt = x.dtype
        else:
            raise TypeError(f"unsupported operand type {type(x).__name__}")
        groups[g] = dt if groups[g] is None else promote_types(groups[g], dt)
    result = None
    for dt in groups:
        if dt is None:
            continue
        if result is None or dt.category > result.category:
            result = dt
    return result


_default = [float32]


def get_default_dtype():
    return _default[0]


def set_default_dtype(d):
    d = as_dtype(d)
    if d not in (float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


# bfloat16 <-> float via float32 bit patterns (round to nearest even).
def bf16_bits_from_float(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    if (bits & 0x7F800000) == 0x7F800000 and (bits & 0x7FFFFF):
        return 0x7FC0
    bits += 0x7FFF + ((bits >> 16) & 1)
    return (bits >> 16) & 0xFFFF


def float_from_bf16_bits(h):
    return struct.unpack("<f", struct.pack("<I", h << 16))[0]


# Checked Python-scalar -> dtype conversion (torch's Scalar casts in tensor(), fill, clamp):
# out-of-range values raise instead of wrapping, as torch does.
_FLOAT_LIMIT = {"float32": (3.4028234663852886e38, "float"),
                "float16": (65504.0, "c10::Half"), "bfloat16": (3.3895313892515355e38,
                                                                "c10::BFloat16")}


def _overflow(d, ctype=None):
    return RuntimeError(f"value cannot be converted to type {ctype or d.name} without overflow")


def check_scalar(v, d, ctype=None, float_limits=True):
    """Raise like torch when the Python scalar v does not fit dtype d (v is returned)."""
    if isinstance(v, bool) or d is bool_:
        return v
    if d.category == 2:
        if isinstance(v, int):
            v = float(v)  # OverflowError for ints past the double range, as in torch
        lim = _FLOAT_LIMIT.get(d.name) if float_limits else None
        if lim and v == v and abs(v) != math.inf and abs(v) > lim[0]:
            raise _overflow(d, lim[1])
        return v
    bits = INT_BITS[d]
    if isinstance(v, int):
        if not -(1 << 63) <= v < (1 << 63):
            raise ValueError("Overflow when unpacking long long")
        hi = (1 << bits) - 1 if not d.is_signed else (1 << (bits - 1)) - 1
        lo = -hi if not d.is_signed else -(1 << (bits - 1))  # uint8 takes -255..255 (wraps)
    else:
        hi = float((1 << bits) - 1 if not d.is_signed else (1 << (bits - 1)) - 1)
        lo = 0.0 if not d.is_signed else -float(1 << (bits - 1))
    if not lo <= v <= hi:  # also catches nan
        raise _overflow(d, ctype)
    return v
