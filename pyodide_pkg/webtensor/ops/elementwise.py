"""Elementwise ops: type promotion, broadcasting, then one dispatch per op.

float16/bfloat16 are storage types: ops compute in float32 and round the result back.
"""
from .. import _dtype as D
from .._shape import broadcast_shapes
from .._tensor import Tensor
from ..backends import dispatch

_HALF = (D.float16, D.bfloat16)

# Unary ops that keep an integer input's dtype; the rest give the default float dtype.
UNARY_KEEP_INT = {"neg", "abs", "relu", "floor", "ceil", "round", "sign", "bitwise_not"}


def _compute(dt):
    return D.float32 if dt in _HALF else dt


def _as_tensor(x, dtype):
    """Tensor x cast to dtype, or a Python scalar as a 0-dim tensor of dtype."""
    if isinstance(x, Tensor):
        return x if x.dtype is dtype else x.to(dtype)
    from .._creation import tensor
    if not isinstance(x, (bool, int, float)):
        raise TypeError(f"unsupported operand type: '{type(x).__name__}'")
    return tensor(x, dtype=dtype)


def _operand(x, dt, comp):
    """x rounded to the result dtype first (as torch converts operands), then widened to the
    compute dtype: int64 70000 + float16 must see inf, not 70000."""
    t = _as_tensor(x, dt)
    return t if comp is dt else t.to(comp)


def _new(shape, dtype):
    return Tensor._empty(shape, dtype)


def unary(op, x, **params):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    dt = x.dtype
    if op == "logical_not":
        out = _new(x.shape, D.bool_)
        dispatch("unary", op, out, x, **params)
        return out
    if op == "bitwise_not" and dt.category == 2:
        raise TypeError("bitwise_not_cpu not implemented for 'Float'")
    if dt.category < 2 and op not in UNARY_KEEP_INT:
        dt = D.get_default_dtype()
    if op == "neg" and dt is D.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")
    comp = _compute(dt)
    out = _new(x.shape, comp)
    dispatch("unary", op, out, _as_tensor(x, comp), **params)
    return out if comp is dt else out.to(dt)


_COMPARE = {"eq", "ne", "lt", "le", "gt", "ge"}
_LOGICAL = {"logical_and", "logical_or", "logical_xor"}
_FLOAT_RESULT = {"div", "atan2"}
_BITWISE = {"bitwise_and", "bitwise_or", "bitwise_xor"}


def _py_scalar(x):
    """A numpy scalar as the Python number it holds: torch treats them like Python scalars."""
    if type(x).__module__ == "numpy" and getattr(x, "ndim", None) == 0 and hasattr(x, "item"):
        return x.item()
    return x


def binary(op, a, b, **params):
    a, b = _py_scalar(a), _py_scalar(b)
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        raise TypeError(f"{op}(): expected at least one Tensor argument")
    if op in _LOGICAL:
        dt = D.bool_
    else:
        dt = D.result_type_of([a, b])
        if op in _FLOAT_RESULT and dt.category < 2 and params.get("rounding_mode") is None:
            dt = D.get_default_dtype()
        if op in _BITWISE and dt.category == 2:
            raise RuntimeError(f"\"{op}_cpu\" not implemented for '{dt.name}'")
    comp = _compute(dt)
    a, b = _operand(a, dt, comp), _operand(b, dt, comp)
    shape = broadcast_shapes(a.shape, b.shape)
    out_dt = D.bool_ if op in _COMPARE or op in _LOGICAL else comp
    out = _new(shape, out_dt)
    dispatch("binary", op, out, a.expand(shape), b.expand(shape), **params)
    return out if out_dt is not comp or comp is dt else out.to(dt)


def add(a, b, alpha=1):
    if alpha != 1:
        b = binary("mul", b, alpha)
    return binary("add", a, b)


def sub(a, b, alpha=1):
    if isinstance(a, Tensor) and a.dtype is D.bool_ and isinstance(b, Tensor) and \
            b.dtype is D.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if alpha != 1:
        b = binary("mul", b, alpha)
    return binary("sub", a, b)


def rsub(a, b, alpha=1):
    return sub(b, a, alpha=alpha)


def div(a, b, rounding_mode=None):
    if rounding_mode not in (None, "trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    if rounding_mode is None:
        return binary("div", a, b)
    return binary("div", a, b, rounding_mode=rounding_mode)


def floor_divide(a, b):
    return div(a, b, rounding_mode="floor")


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .index import nonzero
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not D.bool_:
        got = condition.dtype.name if isinstance(condition, Tensor) else type(condition).__name__
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {got}")
    dt = D.result_type_of([input, other])
    comp = _compute(dt)
    a, b = _operand(input, dt, comp), _operand(other, dt, comp)
    shape = broadcast_shapes(condition.shape, a.shape, b.shape)
    out = _new(shape, comp)
    dispatch("where", out, condition.expand(shape), a.expand(shape), b.expand(shape))
    return out if comp is dt else out.to(dt)


def clamp(x, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        out = x
        if min is not None:
            out = binary("maximum", out, min)
        if max is not None:
            out = binary("minimum", out, max)
        return out
    dt = D.result_type_of([v for v in (x, min, max) if v is not None])
    comp = _compute(dt)
    out = _new(x.shape, comp)
    dispatch("clamp", out, _as_tensor(x, comp), min, max)
    return out if comp is dt else out.to(dt)


def clamp_min(x, min):
    return clamp(x, min=min)


def clamp_max(x, max):
    return clamp(x, max=max)


def gelu(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    return unary("gelu", x, approximate=approximate)


def round(x, decimals=0):
    return unary("round", x, decimals=decimals) if decimals else unary("round", x)


def square(x):
    return binary("mul", x, x)


def lerp(a, b, weight):
    return add(a, binary("mul", weight, sub(b, a)))


def isnan(x):
    return binary("ne", x, x)


def isinf(x):
    return binary("eq", unary("abs", x), float("inf")) if x.dtype.category == 2 else \
        binary("ne", x, x)


def isfinite(x):
    if x.dtype.category < 2:
        return binary("eq", x, x)
    return binary("lt", unary("abs", x), float("inf"))


def can_cast_inplace(result, target):
    if result.category > target.category:
        raise RuntimeError(f"result type {_TNAME.get(result.name, result.name)} can't be cast "
                           f"to the desired output type {_TNAME.get(target.name, target.name)}")


_TNAME = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16",
          "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
          "bool": "Bool"}
