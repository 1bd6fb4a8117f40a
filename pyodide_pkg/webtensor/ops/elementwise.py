"""Elementwise ops: type promotion, broadcasting, then one dispatch per op.

float16/bfloat16 are storage types: ops compute in float32 and round the result back.
"""
from .. import _dtype as D
from .._shape import broadcast_shapes
from .._tensor import Tensor
from .._device import CPU
from .._dispatch import dispatch
from .._memory import storable, write

_HALF = (D.float16, D.bfloat16)

# Unary ops that keep an integer input's dtype; the rest give the default float dtype.
UNARY_KEEP_INT = {"neg", "abs", "relu", "floor", "ceil", "round", "sign", "bitwise_not"}


# op -> (dtype categories torch rejects: 0 bool, 1 int, 2 float; torch's kernel name)
_UNARY_REJECT = {"abs": ((0,), "abs_cpu"), "relu": ((0,), "relu"),
                 "gelu": ((0, 1), "GeluKernelImpl"), "silu": ((0, 1), "silu_cpu"),
                 "floor": ((0,), "floor_vml_cpu"), "ceil": ((0,), "ceil_vml_cpu"),
                 "round": ((0,), "round_vml_cpu"), "bitwise_not": ((2,), "bitwise_not_cpu")}


def _compute(dt):
    return D.float32 if dt in _HALF else dt


# (value, type, dtype) -> 0-dim tensor. Shared: ops only read their inputs, so `x + 1.0` need
# not build and fill a tensor per call. The type keeps 1, 1.0 and True apart.
_SCALARS = {}


def _as_tensor(x, dtype):
    """Tensor x cast to dtype, or a Python scalar as a (shared, read-only) 0-dim tensor."""
    if isinstance(x, Tensor):
        return x if x.dtype is dtype else x.to(dtype)
    if not isinstance(x, (bool, int, float)):
        raise TypeError(f"unsupported operand type: '{type(x).__name__}'")
    key = (x, type(x), dtype)
    t = _SCALARS.get(key)
    if t is not None:
        return t
    t = Tensor._empty((), dtype)
    write(t, [x])  # wraps like torch's scalar cast (uint8 tensor + 1000 -> uint8)
    if x == x and (x or type(x) is not float):  # nan never matches a key; 0.0 == -0.0 does
        if len(_SCALARS) >= 256:
            _SCALARS.clear()
        _SCALARS[key] = t
    return t


def _broadcast(t, shape):
    """t viewed as shape, which broadcast_shapes already checked: Tensor.expand without its
    argument parsing and checks, and t itself when the shape is already right."""
    if t.shape == shape:
        return t
    lead = len(shape) - len(t.shape)
    strides = [0] * lead
    if t.shape:     # else 0-dim (e.g. a Python scalar): all strides 0
        for n, m, st in zip(t.shape, shape[lead:], t._strides):
            strides.append(st if n == m else 0)
    return t._view(shape, strides)


def _operand(x, dt, comp):
    """x rounded to the result dtype first (as torch converts operands), then widened to the
    compute dtype: int64 70000 + float16 must see inf, not 70000."""
    t = _as_tensor(x, dt)
    return t if comp is dt else t.to(comp)


def _new(shape, dtype, device=None):
    return Tensor._empty(shape, dtype, device)


def _same_device(a, b):
    """(a, b) with a 0-dim CPU tensor among them (a Python scalar, say) moved to the other's
    device, as torch mixes them, before it is broadcast: the result goes on a's device, and
    the dispatcher raises torch's error for any other mix."""
    da, db = a._storage.device, b._storage.device
    if da is db:
        return a, b
    if da is CPU and not a.shape:
        return a.to(db), b
    if db is CPU and not b.shape:
        return a, b.to(da)
    return a, b


_F32, _F64 = D.float32, D.float64
_NOT_FLOAT_UNARY = {"logical_not", "bitwise_not"}  # the unary ops whose float output differs


def unary(op, x, **params):
    # Fast path: float32/float64 in, same dtype out, no checks apply.
    if isinstance(x, Tensor) and (x.dtype is _F32 or x.dtype is _F64) and \
            op not in _NOT_FLOAT_UNARY:
        out = Tensor._empty(x.shape, x.dtype, x._storage.device)
        dispatch("unary", op, out, x, **params)
        return out
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    dt = x.dtype
    if op == "logical_not":
        out = _new(x.shape, D.bool_, x._storage.device)
        dispatch("unary", op, out, x, **params)
        return out
    bad = _UNARY_REJECT.get(op)
    if bad is not None and dt.category in bad[0]:
        if op == "relu":
            raise RuntimeError("Boolean inputs not supported for relu")
        raise NotImplementedError(f'"{bad[1]}" not implemented for \'{D.TNAME[dt.name]}\'')
    if dt.category < 2 and op not in UNARY_KEEP_INT:
        dt = D.get_default_dtype()
    if op == "neg" and dt is D.bool_:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or "
                           "`logical_not()` operator instead.")
    comp = _compute(dt)
    out = _new(x.shape, comp, x._storage.device)
    dispatch("unary", op, out, _as_tensor(x, comp), **params)
    return out if comp is dt else out.to(dt)


_COMPARE = {"eq", "ne", "lt", "le", "gt", "ge"}
_LOGICAL = {"logical_and", "logical_or", "logical_xor"}
_FLOAT_RESULT = {"div", "atan2"}
_BITWISE = {"bitwise_and", "bitwise_or", "bitwise_xor"}


def _py_scalar(x):
    """A numpy scalar as the Python number it holds (torch treats them like Python scalars);
    an ndarray as a tensor."""
    if type(x).__module__ == "numpy":
        if type(x).__name__ == "ndarray":
            from .._creation import tensor
            return tensor(x)
        if getattr(x, "ndim", None) == 0 and hasattr(x, "item"):
            return x.item()
    return x


# Binary ops torch has no bool kernel for (when the computation dtype is bool).
_BOOL_REJECT = {"remainder": "remainder_cpu", "pow": "pow"}


def _is_bool(x):
    return isinstance(x, bool) or isinstance(x, Tensor) and x.dtype is D.bool_


def _check_sub(a, b):
    if _is_bool(a) or _is_bool(b):
        if _is_bool(a) and _is_bool(b) and isinstance(a, Tensor) and isinstance(b, Tensor):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


def _reject(kernel, dt):
    raise NotImplementedError(f'"{kernel}" not implemented for \'{D.TNAME[dt.name]}\'')


_NOT_FAST = _LOGICAL | _BITWISE  # binary ops whose float result dtype or checks differ


def _fast_dtype(a, b):
    """The result dtype when the general promotion need not run, else None: a float32/float64
    tensor with a tensor of its dtype or a Python int/float (the tensor's dtype wins)."""
    if isinstance(a, Tensor):
        dt = a.dtype
        if (dt is _F32 or dt is _F64) and (type(b) is float or type(b) is int or
                                           isinstance(b, Tensor) and b.dtype is dt):
            return dt
    elif (type(a) is float or type(a) is int) and isinstance(b, Tensor) and \
            (b.dtype is _F32 or b.dtype is _F64):
        return b.dtype
    return None


def binary(op, a, b, **params):
    dt = None if params or op in _NOT_FAST else _fast_dtype(a, b)
    if dt is not None:
        a, b = _as_tensor(a, dt), _as_tensor(b, dt)
        dev = a._storage.device
        if dev is not b._storage.device:
            a, b = _same_device(a, b)
            dev = a._storage.device
        if a.shape != b.shape:
            if a.shape and b.shape:
                shape = broadcast_shapes(a.shape, b.shape)
            else:                                   # one side 0-dim, e.g. a Python scalar
                shape = a.shape or b.shape
            a, b = _broadcast(a, shape), _broadcast(b, shape)
        out = Tensor._empty(a.shape, D.bool_ if op in _COMPARE else dt, dev)
        dispatch("binary", op, out, a, b)
        return out
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
            _reject(op + "_cpu", dt)
        if dt is D.bool_:
            mode = params.get("rounding_mode")
            if mode is not None:
                _reject(f"div_{mode}_cpu", dt)
            if op in _BOOL_REJECT and (op != "pow" or isinstance(b, Tensor)):
                _reject(_BOOL_REJECT[op], dt)
        if op == "pow" and dt.category == 1 and type(b) is int and b < 0:  # scalar exponent
            raise RuntimeError("Integers to negative integer powers are not allowed.")
    if op in _LOGICAL and isinstance(a, Tensor) and isinstance(b, Tensor) and \
            _cpu_direct(a, b) and a.dtype is b.dtype and a.dtype is not D.float32:
        # nonzero tests in the kernel: no bool conversion passes
        shape = broadcast_shapes(a.shape, b.shape)
        out = _new(shape, D.bool_, CPU)
        dispatch("binary", op, out, _broadcast(a, shape), _broadcast(b, shape))
        return out
    comp = _compute(dt)
    if comp is not dt and op in _OPMATH_OTHER and not params:
        if op == "mul" and not isinstance(a, Tensor):       # s * x is torch's x.mul(s)
            a, b = b, a
    if comp is not dt and op in _HALF_DIRECT and not params and _cpu_direct(a, b) and \
            not (op in _ONE_VALUE_WIDENED and _one_value(b) and
                 not (op == "pow" and dt is D.bfloat16 and not isinstance(b, Tensor))):
        comp = dt
    if comp is not dt and op in _OPMATH_OTHER and not params and _one_value(b):
        # torch's float16/bfloat16 mul/div read a one-value `other` at float32, unrounded
        a, b = _same_device(_operand(a, dt, comp), _as_tensor(b, comp))
    else:
        a, b = _same_device(_operand(a, dt, comp), _operand(b, dt, comp))
    shape = broadcast_shapes(a.shape, b.shape)
    out_dt = D.bool_ if op in _COMPARE or op in _LOGICAL else comp
    out = _new(shape, out_dt, a._storage.device)
    dispatch("binary", op, out, _broadcast(a, shape), _broadcast(b, shape), **params)
    return out if out_dt is not comp or comp is dt else out.to(dt)


_OPMATH_OTHER = ("mul", "div")
# float16/bfloat16 ops whose float32 result rounded once is what every CPU backend gives on the
# half tensors themselves (the wasm kernels compute in float32 registers; the reference in
# double, where one rounding to a half of + - * / is the same): no widen / round passes
_HALF_DIRECT = {"add", "sub", "mul", "div", "maximum", "minimum", "fmax", "fmin", "pow", "atan2"}
# a one-value `other` keeps the float32 path: mul/div read it unrounded, float16 pow's scalar
# exponents are torch's float32 shortcuts (x*x*x, 1/(x*x) rounded once; bfloat16's round each
# step: the half kernels)
_ONE_VALUE_WIDENED = ("mul", "div", "pow")


def _cpu_direct(a, b):
    """a and b are CPU tensors (or a Python number with one): the CPU chain takes halves."""
    if not isinstance(a, Tensor):
        a, b = b, a
    return isinstance(a, Tensor) and a._storage.device is CPU and \
        (not isinstance(b, Tensor) or b._storage.device is CPU)


def _one_value(b):
    """b is a Python number or a tensor of one element (torch's is_scalar operand)."""
    return not isinstance(b, Tensor) or b.numel() == 1


def _check_alpha(a, b, alpha):
    """alpha as torch casts it to the result dtype (errors for the casts torch refuses)."""
    dt = D.result_type_of([_py_scalar(a), _py_scalar(b)])
    if isinstance(alpha, bool):
        if dt is not D.bool_:
            raise RuntimeError("Boolean alpha only supported for Boolean results.")
    elif isinstance(alpha, float) and dt.category < 2:
        raise RuntimeError("For integral input tensors, argument alpha must not be a floating "
                           "point number.")
    return bool(alpha) if dt is D.bool_ else alpha


def _scaled(a, b, alpha):
    """b * alpha, as torch scales `other` (a Python number stays one: x.add(1, alpha=3))."""
    alpha = _check_alpha(a, b, alpha)
    if alpha == 1:
        return b
    b = _py_scalar(b)
    if isinstance(b, Tensor):
        return binary("mul", b, alpha)
    return (b and alpha) if isinstance(b, bool) else b * alpha


def add(a, b, alpha=1):
    if type(alpha) is not int or alpha != 1:  # the common call stays free of checks
        b = _scaled(a, b, alpha)
    return binary("add", a, b)


def sub(a, b, alpha=1):
    _check_sub(a, b)  # before numpy scalars become Python ones: torch lets x - np.True_ pass
    if type(alpha) is not int or alpha != 1:
        b = _scaled(a, b, alpha)
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


def fmax(a, b):
    return binary("fmax", a, b)


def fmin(a, b):
    return binary("fmin", a, b)


def where(condition, input=None, other=None):
    if input is None and other is None:
        from .index import nonzero
        return nonzero(condition, as_tuple=True)
    if not isinstance(condition, Tensor) or condition.dtype is not D.bool_:
        got = condition.dtype.name if isinstance(condition, Tensor) else type(condition).__name__
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {got}")
    dt = D.result_type_of([input, other])
    # a selection: halves need no widening where the backend copies bits (CPU)
    comp = dt if condition._storage.device is CPU and _cpu_direct(input, other) else \
        _compute(dt)
    a, b = _same_device(_operand(input, dt, comp), _operand(other, dt, comp))
    if a._storage.device is CPU and condition._storage.device is not CPU:
        a, b = _same_device(condition, a)[1], _same_device(condition, b)[1]
    shape = broadcast_shapes(condition.shape, a.shape, b.shape)
    out = _new(shape, comp, a._storage.device)
    dispatch("where", out, _broadcast(condition, shape), _broadcast(a, shape),
             _broadcast(b, shape))
    return out if comp is dt else out.to(dt)


_CTYPE = {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int",
          "int64": "int64_t"}


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
    if dt is D.bool_:
        _reject("clamp_scalar_cpu", dt)
    # torch casts the bounds to the result dtype: checked for range, then wrapped
    # (clamp(uint8, -2, 5) uses 254 as the lower bound).
    conv = storable(dt) if dt.category == 1 else float
    lo, hi = [None if v is None else conv(D.check_scalar(v, dt, _CTYPE.get(dt.name)))
              for v in (min, max)]
    if x.dtype is D.bool_ and dt.category == 1:
        # integer bounds: two possible results, one selection (or conversion) pass
        v0, v1 = [v if lo is None or v >= lo else lo for v in (0, 1)]
        v0, v1 = [v if hi is None or v <= hi else hi for v in (v0, v1)]
        if (v0, v1) == (0, 1):
            return _as_tensor(x, dt)
        return where(x, _as_tensor(v1, dt), _as_tensor(v0, dt))
    # halves on the CPU: max / min against the bounds rounded to x's dtype, the same values
    # as the float32 ones rounded once (no half lies between a bound and its rounding)
    comp = dt if x._storage.device is CPU else _compute(dt)
    out = _new(x.shape, comp, x._storage.device)
    dispatch("clamp", out, _as_tensor(x, comp), lo, hi)
    return out if comp is dt else out.to(dt)


def clamp_min(x, min):
    return clamp(x, min=min)


def clamp_max(x, max):
    return clamp(x, max=max)


def gelu(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    return unary("gelu", x, approximate=approximate)


def round(x, decimals=0):
    return unary("round", x, decimals=decimals) if decimals else unary("round", x)


def square(x):
    if isinstance(x, Tensor) and x.dtype is D.bool_:
        return _as_tensor(x, D.int64)      # torch: bool -> int64, like pow; 0 and 1 stay
    return binary("pow", x, 2)


def lerp(a, b, weight):
    wt_ = isinstance(weight, Tensor)
    for name, t in (("end", b), ("weight", weight if wt_ else None)):
        if t is not None and t.dtype is not a.dtype:
            raise RuntimeError(f"expected dtype {_CNAME.get(a.dtype.name, a.dtype.name)} for "
                               f"`{name}` but got dtype {_CNAME.get(t.dtype.name, t.dtype.name)}")
    if a.dtype.category < 2:
        _reject("lerp_kernel_tensor" if wt_ else "lerp_kernel_scalar", a.dtype)
    return add(a, binary("mul", weight, sub(b, a)))


_CNAME = {"float32": "float", "float64": "double", "float16": "c10::Half",
          "bfloat16": "c10::BFloat16"}


def _all_bool(x, value):
    """The answer of a float predicate for an integer / bool x: the same for every element, so
    a fill (no pass over x)."""
    return Tensor._empty(x.shape, D.bool_, x.device).fill_(value)


def isnan(x):
    return binary("ne", x, x) if x.dtype.category == 2 else _all_bool(x, False)


def isinf(x):
    return binary("eq", unary("abs", x), float("inf")) if x.dtype.category == 2 else \
        _all_bool(x, False)


def isfinite(x):
    if x.dtype.category < 2:
        return _all_bool(x, True)
    return binary("lt", unary("abs", x), float("inf"))


def can_cast_inplace(result, target):
    if result.category > target.category:
        raise RuntimeError(f"result type {_TNAME.get(result.name, result.name)} can't be cast "
                           f"to the desired output type {_TNAME.get(target.name, target.name)}")


_TNAME = D.TNAME


# ---- composites of the primitives above (torch names model files use) -------------------------
def _float_only(kernel, *xs):
    for x in xs:
        if isinstance(x, Tensor) and x.dtype.category < 2:
            _reject(kernel, x.dtype)


def trunc(x):
    if isinstance(x, Tensor) and x.dtype is D.bool_:
        _reject("trunc_vml_cpu", x.dtype)
    if isinstance(x, Tensor) and x.dtype.category == 1:
        return x.clone()
    if isinstance(x, Tensor) and x.dtype.category == 2:
        from .loss import pointwise_map      # one pass where the device has the primitive
        return pointwise_map(x, x, "trunc")
    return trunc_ops(x)


def trunc_ops(x):
    return where(binary("lt", x, 0), unary("ceil", x), unary("floor", x))


def frac(x):
    _float_only("frac_cpu", x)
    if not isinstance(x, Tensor):
        return sub(x, trunc_ops(x))
    from .loss import pointwise_map      # one pass where the device has the primitive
    return pointwise_map(x, x, "frac")


def fmod(a, b):
    """C's fmod: the remainder with the sign of the dividend (remainder's has the divisor's)."""
    dt = D.result_type_of([_py_scalar(a), _py_scalar(b)])
    if dt is D.bool_:
        _reject("fmod_cpu", dt)
    if dt.category == 1:
        return binary("sub", a, binary("mul", div(a, b, rounding_mode="trunc"), b))
    a_t = a if isinstance(a, Tensor) else _as_tensor(a, dt)
    b_t = b if isinstance(b, Tensor) else _as_tensor(b, dt)
    # remainder over a divisor given the dividend's sign is fmod, exactly (remainder(a, b) - b
    # where the signs differ rounds: float16 fmod(1e-5, -2.25) came out 0)
    flip = binary("logical_xor", binary("lt", a_t, 0), binary("lt", b_t, 0))
    r = binary("remainder", a_t, where(flip, unary("neg", b_t), b_t))
    # a finite dividend over an infinite divisor is the dividend itself
    return where(binary("logical_and", isinf(b_t), isfinite(a_t)), a_t, r)


def xlogy(a, b):
    """a * log(b), 0 where a == 0 (unless b is nan)."""
    dt = D.result_type_of([_py_scalar(a), _py_scalar(b)])
    if dt.category < 2:
        dt = D.get_default_dtype()
    a_t = _as_tensor(_py_scalar(a), dt) if not isinstance(a, Tensor) else a.to(dt)
    from .._shape import broadcast_shapes
    from .loss import pointwise_map      # one pass where the device has the primitive
    if isinstance(b, Tensor) and b.dtype.category < 2 and dt is D.float32 and \
            a_t.device == b.device:
        # integer b: its log by the integer log kernels (8/16-bit: a lookup per element), never
        # nan, so xlogy is x log(b) with 0 at x == 0
        b_log = unary("log", b)
        shape = broadcast_shapes(a_t.shape, b.shape)
        return pointwise_map(a_t.expand(shape), b_log.expand(shape), "xlogy_log")
    b_t = _as_tensor(_py_scalar(b), dt) if not isinstance(b, Tensor) else b.to(dt)
    if a_t.device != b_t.device:
        return xlogy_ops(a_t, b_t)
    shape = broadcast_shapes(a_t.shape, b_t.shape)
    return pointwise_map(a_t.expand(shape), b_t.expand(shape), "xlogy")


def xlogy_ops(a_t, b_t):
    """xlogy of two tensors of one float dtype as ops (pointwise_map's decomposition)."""
    dt = a_t.dtype
    # a == 0 with b <= 0 or inf: log sees 1 (value 0, and a's gradient 0 at b == 0 as torch's)
    edge = binary("logical_or", binary("le", b_t, 0), isinf(b_t))
    zero = binary("logical_and", binary("eq", a_t, 0), edge)
    return binary("mul", a_t, unary("log", where(zero, _as_tensor(1, dt), b_t)))


def addcmul(input, tensor1, tensor2, *, value=1):
    dt = D.result_type_of([input, tensor1, tensor2])
    if dt is D.bool_:
        _reject("addcmul_cpu_out", dt)
    if dt.category < 2 and not isinstance(value, bool):  # cast like torch: 0.5 -> 0
        value = int(D.check_scalar(value, dt, _CTYPE.get(dt.name)))
    return add(input, binary("mul", binary("mul", tensor1, tensor2), value))


def addcdiv(input, tensor1, tensor2, *, value=1):
    if tensor1.dtype.category < 2 and tensor2.dtype.category < 2:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes.")
    return add(input, binary("mul", div(tensor1, tensor2), value))


def isposinf(x):
    return binary("eq", x, float("inf")) if x.dtype.category == 2 else _all_bool(x, False)


def isneginf(x):
    return binary("eq", x, float("-inf")) if x.dtype.category == 2 else _all_bool(x, False)
