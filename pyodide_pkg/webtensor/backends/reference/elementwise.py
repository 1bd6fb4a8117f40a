"""Reference elementwise primitives: Python's math on Python numbers, results rounded on store."""
import math

from ..._memory import read, write

_INF = math.inf
_NAN = math.nan


def _safe(f):
    """Wrap a math function so overflow gives inf and domain errors give nan (IEEE, like torch)."""
    def g(x):
        try:
            return f(x)
        except OverflowError:
            return _INF
        except ValueError:
            return _NAN
    return g


def _exp(x):
    if x != x:
        return x
    return _safe(math.exp)(x)


def _log(x):
    if x != x:
        return x
    if x == 0:
        return -_INF
    if x < 0:
        return _NAN
    return math.log(x)


def _log1p(x):
    if x != x:
        return x
    if x == -1:
        return -_INF
    if x < -1:
        return _NAN
    return math.log1p(x) if x != _INF else _INF


def _sqrt(x):
    return _NAN if x < 0 else math.sqrt(x) if x == x else x


def _rsqrt(x):
    if x == 0:
        return math.copysign(_INF, x)
    s = _sqrt(x)
    return 1.0 / s if s == s and s != 0 else (_NAN if s != s else _INF)


def _sigmoid(x):
    if x != x:
        return x
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _trig(f):
    def g(x):
        if x != x or x in (_INF, -_INF):
            return _NAN
        return f(x)
    return g


def _gelu(x):
    if x != x or x == -_INF:  # torch 2.13: gelu(inf) = inf, gelu(-inf) = nan
        return _NAN
    if x == _INF:
        return x
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0))) + 0.0   # gelu(-0) = +0 (torch)


def _gelu_tanh(x):
    if x != x:
        return x
    if x in (_INF, -_INF):
        return x if x > 0 else _NAN
    return 0.5 * x * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


def _silu(x):
    if x != x:
        return x
    if x == -_INF:
        return _NAN  # -inf * 0, as torch computes it
    return x * _sigmoid(x)


def _round_like(f):
    def g(x):
        if isinstance(x, int) or x != x or x in (_INF, -_INF):
            return x
        return math.copysign(float(f(x)), x)  # -0.5 -> -0.0, as torch keeps the sign
    return g


def _sign(x):
    if x != x:
        return 0.0  # torch: sign(nan) == 0
    if isinstance(x, bool):
        return x
    return (x > 0) - (x < 0) if isinstance(x, int) else float((x > 0) - (x < 0))


def _reciprocal(x):
    if x == 0:
        return math.copysign(_INF, float(x))
    return 1.0 / x


def _abs(x):
    return abs(x)


UNARY_FN = {
    "neg": lambda x: -x,
    "abs": _abs,
    "exp": _exp,
    "log": _log,
    "log1p": _log1p,
    "expm1": lambda x: x if x != x else _safe(math.expm1)(x),
    "sqrt": _sqrt,
    "rsqrt": _rsqrt,
    "sin": _trig(math.sin),
    "cos": _trig(math.cos),
    "tanh": lambda x: x if x != x else math.tanh(x),
    "sigmoid": _sigmoid,
    "relu": lambda x: x if x != x or x >= 0 else (0.0 if isinstance(x, float) else 0),
    "gelu": _gelu,
    "gelu_tanh": _gelu_tanh,
    "silu": _silu,
    "erf": lambda x: x if x != x else math.erf(x),
    "floor": _round_like(math.floor),
    "ceil": _round_like(math.ceil),
    "round": _round_like(round),
    "sign": _sign,
    "reciprocal": _reciprocal,
    "logical_not": lambda x: not x,
    "bitwise_not": lambda x: (not x) if isinstance(x, bool) else ~x,
}


def unary(op, out, x, approximate="none", decimals=0):
    if op == "gelu" and approximate == "tanh":
        op = "gelu_tanh"
    if op == "round" and decimals:
        s = 10.0 ** decimals
        f = lambda v: v if v != v or v in (_INF, -_INF) else round(v * s) / s  # noqa: E731
    else:
        f = UNARY_FN[op]
    write(out, [f(v) for v in read(x)])


# ---- binary ----------------------------------------------------------------------------
def _div(a, b):
    if b == 0:
        if a == 0 or a != a:
            return _NAN
        return math.copysign(_INF, a) * math.copysign(1.0, b)
    return a / b


def _int_div_check(b):
    if b == 0:
        raise RuntimeError("ZeroDivisionError")


def _floordiv(a, b):
    if isinstance(a, int) and isinstance(b, int):
        _int_div_check(b)
        return a // b
    if b == 0 or a != a or b != b:
        return _div(a, b)
    return a // b  # Python's float floor division: -inf // 3 -> nan, -2 // inf -> -1 (torch)


def _truncdiv(a, b):
    if isinstance(a, int) and isinstance(b, int):
        _int_div_check(b)
        q = abs(a) // abs(b)
        return q if (a >= 0) == (b >= 0) else -q
    q = _div(a, b)
    return float(math.trunc(q)) if q == q and q not in (_INF, -_INF) else q


def _remainder(a, b):
    if isinstance(a, int) and isinstance(b, int):
        _int_div_check(b)
        return a % b
    if b == 0 or a != a or b != b or a in (_INF, -_INF):
        return _NAN
    if b in (_INF, -_INF):
        return a if (a >= 0) == (b > 0) or a == 0 else b
    return a % b


def _pow(a, b):
    if isinstance(a, int) and isinstance(b, int):
        if b < 0:  # integer pow from tensor exponents: 1/a**|b| truncated, like torch
            return 1 if a == 1 else (-1 if b % 2 else 1) if a == -1 else 0
        return pow(a, b, 1 << 64)  # modular: wraps like the C kernel, stays fast
    try:
        r = math.pow(a, b)
    except OverflowError:
        r = _INF if a > 0 or float(b).is_integer() and int(b) % 2 == 0 else -_INF
    except (ValueError, ZeroDivisionError):     # 0 ** negative: -0 ** odd is -inf (C99)
        odd = float(b).is_integer() and int(b) % 2 == 1
        r = (math.copysign(_INF, a) if odd else _INF) if a == 0 else _NAN
    return r


def _maximum(a, b):
    if a != a or b != b:
        return _NAN
    return a if a >= b else b


def _minimum(a, b):
    if a != a or b != b:
        return _NAN
    return a if a <= b else b


def _fmax(a, b):
    if a != a:
        return b
    return a if b != b or a >= b else b


def _fmin(a, b):
    if a != a:
        return b
    return a if b != b or a <= b else b


def _atan2(a, b):
    return math.atan2(a, b) if a == a and b == b else _NAN


BINARY_FN = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": _div,
    "pow": _pow,
    "maximum": _maximum,
    "minimum": _minimum,
    "fmax": _fmax,
    "fmin": _fmin,
    "remainder": _remainder,
    "atan2": _atan2,
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "logical_and": lambda a, b: bool(a) and bool(b),
    "logical_or": lambda a, b: bool(a) or bool(b),
    "logical_xor": lambda a, b: bool(a) != bool(b),
    "bitwise_and": lambda a, b: a & b,
    "bitwise_or": lambda a, b: a | b,
    "bitwise_xor": lambda a, b: a ^ b,
}


def binary(op, out, a, b, rounding_mode=None):
    if op == "div" and rounding_mode is not None:
        f = {"trunc": _truncdiv, "floor": _floordiv}[rounding_mode]
    else:
        f = BINARY_FN[op]
    if op == "div" and rounding_mode is None:  # true division is always in floating point
        write(out, [_div(float(x), float(y)) for x, y in zip(read(a), read(b))])
        return
    if op in ("add", "sub", "mul") and out.dtype.category == 2:
        write(out, [_arith_nan(f, x, y) for x, y in zip(read(a), read(b))])
        return
    if op in ("pow", "atan2") and out.dtype.category == 2 and out.dtype.itemsize == 2:
        from .quant import _f32     # torch's float32 opmath, then rounded to the half
        write(out, [_f32(f(x, y)) for x, y in zip(read(a), read(b))])
        return
    write(out, [f(x, y) for x, y in zip(read(a), read(b))])


def _arith_nan(f, x, y):
    try:
        return f(x, y)
    except OverflowError:
        return _INF


def where(out, cond, a, b):
    write(out, [x if c else y for c, x, y in zip(read(cond), read(a), read(b))])


def clamp(out, x, lo, hi):
    vals = read(x)
    res = []
    for v in vals:
        if v == v:
            if lo is not None and (v < lo or lo != lo):
                v = lo
            if hi is not None and (v > hi or hi != hi):
                v = hi
        res.append(v)
    write(out, res)


def copy(out, x):
    vals = read(x)
    if out.dtype.category == 2 and x.dtype.category < 2:
        vals = [float(v) for v in vals]
    write(out, vals)


def fill(out, value):
    write(out, [value] * out.numel())


def arange(out, start, step):
    write(out, [start + i * step for i in range(out.numel())])


def linspace(out, start, end):
    steps = out.numel()
    if steps == 1:
        vals = [start]
    else:
        step = (end - start) / (steps - 1)
        half = steps // 2
        vals = [start + i * step if i < half else end - (steps - 1 - i) * step
                for i in range(steps)]
    write(out, vals)
