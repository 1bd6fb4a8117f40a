"""THE derivatives table, beside the op table: one backward formula per primitive.

Every op of ops/table.py reaches the backends through the primitives of backends/__init__.py,
so differentiating the primitives differentiates every op (autograd/tape.py records at that
level). Formulas are written with webtensor ops: run with grad mode on (create_graph=True)
they record their own graph, which gives higher-order gradients.

DERIVATIVES[primitive] = Derivative(outputs, inputs, record): `outputs` and `inputs` are the
positions of the primitive's output tensors and differentiable inputs; record(args, kwargs)
returns (grad_fn name, input tensors, saved tensors, backward) or None where the case has no
gradient (e.g. a comparison: its output is bool); backward(grads, saved) returns one gradient
per input tensor (None: no gradient). NON_DIFFERENTIABLE lists the primitives that have no
formula and why (their DERIVATIVES entry names only their outputs);
tests/unit/autograd/test_op_gradients.py walks both tables. The nn primitives' formulas are in
derivatives_nn.py.
"""
import math

from .. import _dtype as D


class Derivative:
    __slots__ = ("outputs", "inputs", "record")

    def __init__(self, outputs, inputs, record):
        self.outputs, self.inputs, self.record = outputs, inputs, record


DERIVATIVES = {}
# Primitives without a formula: their entry has no differentiable input (the outputs, where
# written, hold constants from then on)
NON_DIFFERENTIABLE = {
    "fill": ((0,), "writes a constant"),
    "random": ((0,), "writes random numbers"),
    "dequantize": ((0,), "quantized weights are constants"),
    "dequantize_rows": ((0,), "quantized weights are constants"),
    "quantize": ((), "produces quantized blocks (no float output)"),
    "adam_step": ((0, 2, 3, 4), "an optimizer update (runs under no_grad)"),
    "sgd_step": ((0, 2), "an optimizer update (runs under no_grad)"),
    "rmsprop_step": ((0, 2, 3, 4), "an optimizer update (runs under no_grad)"),
    "adagrad_step": ((0, 2), "an optimizer update (runs under no_grad)"),
    "arange": ((0,), "fills a range (no tensor input)"),
    "linspace": ((0,), "fills a range (no tensor input)"),
    "nonzero": ((), "integer indices (returns its own output)"),
    "searchsorted": ((0,), "integer positions"),
    "isin": ((0,), "bool output"),
    "histc": ((0,), "counts (torch: not differentiable)"),
    "bincount": ((0,), "integer counts"),
    "unique_runs": ((), "integer positions (returns its own outputs)"),
    "unique": ((), "distinct values (torch: not differentiable; returns its own outputs)"),
    # the ops call these two only without grad (x[mask] / where keep the gradient)
    "masked_select": ((), "the op's no-grad path (returns its own output)"),
    "masked_scatter": ((0,), "the op's no-grad path"),
}
# The unary/binary/reduce ops whose outputs are never floating point (nothing to differentiate)
NON_DIFFERENTIABLE_OPS = {
    "unary": {"logical_not": "bool output", "bitwise_not": "integer/bool output"},
    "binary": {op: "bool or integer output" for op in (
        "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
        "bitwise_and", "bitwise_or", "bitwise_xor")},
    "reduce": {op: "integer or bool output" for op in ("argmax", "argmin", "all", "any")},
}


for _name, (_outs, _why) in NON_DIFFERENTIABLE.items():
    DERIVATIVES[_name] = Derivative(_outs, (), lambda args, kwargs: None)


def derivative(name, outputs, inputs):
    def deco(fn):
        DERIVATIVES[name] = Derivative(outputs, inputs, fn)
        return fn
    return deco


def _rg(t):
    return t is not None and t.requires_grad


# ---- copy, unary ------------------------------------------------------------------------

@derivative("copy", (0,), (1,))
def _copy(args, kwargs):
    out, x = args
    name = "CloneBackward0" if out.dtype is x.dtype else "ToCopyBackward0"
    dt = x.dtype
    return name, (x,), (), lambda grads, saved: (grads[0].to(dt),)


def _act(name):
    """g * act'(x): the act_backward primitive (a kernel; ops/backward_ops.py)."""
    def grad(g, x, y, p):
        from .backward_ops import act_backward
        if name == "relu":
            return act_backward(g, y, "relu")
        return act_backward(g, x, "gelu_tanh" if p.get("approximate") == "tanh" else name)
    return grad


def _zero(g, x, y, p):
    return g * 0


# op -> (grad_fn name, needs x, needs y, grad(g, x, y, params))
UNARY = {
    "neg": ("NegBackward0", 0, 0, lambda g, x, y, p: -g),
    "abs": ("AbsBackward0", 1, 0, lambda g, x, y, p: g * x.sign()),
    "exp": ("ExpBackward0", 0, 1, lambda g, x, y, p: g * y),
    "log": ("LogBackward0", 1, 0, lambda g, x, y, p: g / x),
    "log1p": ("Log1PBackward0", 1, 0, lambda g, x, y, p: g / (x + 1)),
    "expm1": ("Expm1Backward0", 0, 1, lambda g, x, y, p: g * (y + 1)),
    "sqrt": ("SqrtBackward0", 0, 1, lambda g, x, y, p: g / (2 * y)),
    "rsqrt": ("RsqrtBackward0", 0, 1, lambda g, x, y, p: g * (-0.5 * y * y * y)),
    "sin": ("SinBackward0", 1, 0, lambda g, x, y, p: g * x.cos()),
    "cos": ("CosBackward0", 1, 0, lambda g, x, y, p: g * -x.sin()),
    "tanh": ("TanhBackward0", 0, 1, lambda g, x, y, p: g * (1 - y * y)),
    "sigmoid": ("SigmoidBackward0", 0, 1, lambda g, x, y, p: g * (y * (1 - y))),
    "relu": ("ReluBackward0", 0, 1, _act("relu")),
    "gelu": ("GeluBackward0", 1, 0, _act("gelu")),
    "silu": ("SiluBackward0", 1, 0, _act("silu")),
    "erf": ("ErfBackward0", 1, 0,
            lambda g, x, y, p: g * ((2 / math.sqrt(math.pi)) * (-x * x).exp())),
    "floor": ("FloorBackward0", 0, 0, _zero),
    "ceil": ("CeilBackward0", 0, 0, _zero),
    "round": ("RoundBackward0", 0, 0, _zero),
    "sign": ("SignBackward0", 0, 0, _zero),
    "reciprocal": ("ReciprocalBackward0", 0, 1, lambda g, x, y, p: g * -(y * y)),
}


@derivative("unary", (1,), (2,))
def _unary(args, kwargs):
    op, out, x = args
    f = UNARY.get(op)
    if f is None:
        return None
    name, nx, ny, fn = f
    return name, (x,), (x if nx else None, out if ny else None), \
        lambda grads, saved: (fn(grads[0], saved[0], saved[1], kwargs),)


# ---- binary, where, clamp ---------------------------------------------------------------

def _max_grad(g, a, b, lose):
    return (g * 1).masked_fill(a == b, 0) + (g / 2).masked_fill(a != b, 0) if lose is None \
        else g.masked_fill(lose, 0).masked_fill(a == b, 0) + (g / 2).masked_fill(a != b, 0)


def _pow_b(g, a, b, y):
    return g * (y * a.log()).masked_fill((a == 0) & (b >= 0), 0)


# op -> (name, (a's grad needs a, b, y), (b's grad needs a, b, y), grad_a, grad_b)
BINARY = {
    "add": ("AddBackward0", (0, 0, 0), (0, 0, 0), lambda g, a, b, y, p: g,
            lambda g, a, b, y, p: g),
    "sub": ("SubBackward0", (0, 0, 0), (0, 0, 0), lambda g, a, b, y, p: g,
            lambda g, a, b, y, p: -g),
    "mul": ("MulBackward0", (0, 1, 0), (1, 0, 0), lambda g, a, b, y, p: g * b,
            lambda g, a, b, y, p: g * a),
    "div": ("DivBackward0", (0, 1, 0), (1, 1, 0),
            lambda g, a, b, y, p: g * 0 if p.get("rounding_mode") else g / b,
            lambda g, a, b, y, p: g * 0 if p.get("rounding_mode") else -g * a / (b * b)),
    "pow": ("PowBackward1", (1, 1, 0), (1, 0, 1),
            lambda g, a, b, y, p: (g * b * a.pow(b - 1)).masked_fill(b == 0, 0),
            lambda g, a, b, y, p: _pow_b(g, a, b, y)),
    "maximum": ("MaximumBackward0", (1, 1, 0), (1, 1, 0),
                lambda g, a, b, y, p: _max_grad(g, a, b, a < b),
                lambda g, a, b, y, p: _max_grad(g, a, b, a > b)),
    "minimum": ("MinimumBackward0", (1, 1, 0), (1, 1, 0),
                lambda g, a, b, y, p: _max_grad(g, a, b, a > b),
                lambda g, a, b, y, p: _max_grad(g, a, b, a < b)),
    "remainder": ("RemainderBackward0", (0, 0, 0), (1, 1, 0), lambda g, a, b, y, p: g,
                  lambda g, a, b, y, p: -g * a.div(b, rounding_mode="floor")),
    "fmax": ("FmaxBackward0", (1, 1, 0), (1, 1, 0),
             lambda g, a, b, y, p: g.masked_fill(((a >= b) | b.isnan()).logical_not(), 0),
             lambda g, a, b, y, p: g.masked_fill((a >= b) | b.isnan(), 0)),
    "fmin": ("FminBackward0", (1, 1, 0), (1, 1, 0),
             lambda g, a, b, y, p: g.masked_fill(((a <= b) | b.isnan()).logical_not(), 0),
             lambda g, a, b, y, p: g.masked_fill((a <= b) | b.isnan(), 0)),
    "atan2": ("Atan2Backward0", (1, 1, 0), (1, 1, 0),
              lambda g, a, b, y, p: g * b / (a * a + b * b),
              lambda g, a, b, y, p: g * -a / (a * a + b * b)),
}


@derivative("binary", (1,), (2, 3))
def _binary(args, kwargs):
    op, out, a, b = args
    f = BINARY.get(op)
    if f is None:
        return None
    name, na, nb, fa, fb = f
    need = [0, 0, 0]
    for req, t in ((na, a), (nb, b)):
        if t.requires_grad:
            need = [x or y for x, y in zip(need, req)]
    saved = tuple(t if n else None for n, t in zip(need, (a, b, out)))

    def backward(grads, saved):
        g, (sa, sb, sy) = grads[0], saved
        return (fa(g, sa, sb, sy, kwargs) if a.requires_grad else None,
                fb(g, sa, sb, sy, kwargs) if b.requires_grad else None)
    return name, (a, b), saved, backward


@derivative("where", (0,), (2, 3))
def _where(args, kwargs):
    out, cond, a, b = args
    # where(cond, g, 0), not masked_fill(~cond, 0): bool logical_not has no wasm kernel
    return "WhereBackward0", (a, b), (cond,), lambda grads, saved: (
        grads[0].where(saved[0], 0), grads[0].masked_fill(saved[0], 0))


@derivative("clamp", (0,), (1,))
def _clamp(args, kwargs):
    out, x, lo, hi = args

    def backward(grads, saved):
        x = saved[0]
        keep = None
        if lo is not None:
            keep = x >= lo
        if hi is not None:
            keep = (x <= hi) if keep is None else keep & (x <= hi)
        return (grads[0] if keep is None else grads[0].masked_fill(keep.logical_not(), 0),)
    return "ClampBackward1", (x,), (x,), backward


# ---- reductions, scans, softmax ---------------------------------------------------------

def _reduce_name(op, x, dims):
    full = len(dims) == x.dim()
    base = {"sum": "Sum", "mean": "Mean", "prod": "Prod", "amax": "Amax", "amin": "Amin",
            "var": "Var", "logsumexp": "Logsumexp"}[op]
    if op in ("sum", "mean", "prod"):
        return f"{base}Backward{0 if full else 1}"
    return f"{base}Backward0"


@derivative("reduce", (1,), (2,))
def _reduce(args, kwargs):
    op, out, x, dims = args
    if op in NON_DIFFERENTIABLE_OPS["reduce"]:
        return None
    n = 1
    for d in dims:
        n *= x.shape[d]
    shape = tuple(x.shape)

    def backward(grads, saved):
        g, (sx, sy) = grads[0], saved
        if op == "sum":
            return (g.expand(shape),)
        if op == "mean":
            return (g.expand(shape) / n,)
        if op == "prod":
            return (g * sy / sx,)
        if op in ("amax", "amin"):
            hit = (sx == sy).to(g.dtype)
            return (g * hit / hit.sum(dim=dims, keepdim=True),)
        if op == "var":
            c = kwargs.get("correction", 1)
            return (g * (2.0 / max(n - c, 0)) * (sx - sx.mean(dim=dims, keepdim=True)),)
        return (g * (sx - sy).exp(),)     # logsumexp
    saved = (None if op in ("sum", "mean") else x,
             out if op in ("prod", "amax", "amin", "logsumexp") else None)
    return _reduce_name(op, x, dims), (x,), saved, backward


@derivative("cumsum", (0,), (1,))
def _cumsum(args, kwargs):
    out, x, d = args
    return "CumsumBackward0", (x,), (), lambda grads, saved: (
        grads[0].flip(d).cumsum(d).flip(d),)


@derivative("cumprod", (0,), (1,))
def _cumprod(args, kwargs):
    out, x, d = args
    return "CumprodBackward0", (x,), (x, out), lambda grads, saved: (
        (grads[0] * saved[1]).flip(d).cumsum(d).flip(d) / saved[0],)


@derivative("softmax", (0,), (1,))
def _softmax(args, kwargs):
    out, x, d = args
    from .backward_ops import softmax_backward
    return "SoftmaxBackward0", (x,), (out,), lambda grads, saved: (
        softmax_backward(grads[0], saved[0], d, False),)


@derivative("log_softmax", (0,), (1,))
def _log_softmax(args, kwargs):
    out, x, d = args
    from .backward_ops import softmax_backward
    return "LogSoftmaxBackward0", (x,), (out,), lambda grads, saved: (
        softmax_backward(grads[0], saved[0], d, True),)


# ---- matmul, linear ---------------------------------------------------------------------

@derivative("matmul", (0,), (1, 2))
def _matmul(args, kwargs):
    out, a, b = args
    name = "MmBackward0" if a.dim() == 2 else "BmmBackward0"

    def backward(grads, saved):
        g, (sa, sb) = grads[0], saved
        return (g.matmul(sb.transpose(-2, -1)) if a.requires_grad else None,
                sa.transpose(-2, -1).matmul(g) if b.requires_grad else None)
    return name, (a, b), (a if b.requires_grad else None, b if a.requires_grad else None), \
        backward


_ACT = {"relu": "relu", "gelu": "gelu", "gelu_tanh": "gelu", "silu": "silu"}


@derivative("linear", (0,), (1, 2, 3))
def _linear(args, kwargs):
    out, x, w, bias, act = args
    name = "AddmmBackward0" if bias is not None else "MmBackward0"

    def backward(grads, saved):
        g, (sx, sw, sb) = grads[0], saved
        if act is not None:
            z = sx.matmul(sw.t())
            if sb is not None:
                z = z + sb
            op = _ACT[act]
            params = {"approximate": "tanh"} if act == "gelu_tanh" else {}
            y = z      # relu: act_backward thresholds its input as its output
            g = UNARY[op][3](g, z, y, params)
        k, n = sw.shape[1], sw.shape[0]
        g2 = g.reshape(-1, n)
        return (g.matmul(sw) if x.requires_grad else None,
                g2.t().matmul(sx.reshape(-1, k)) if w.requires_grad else None,
                g2.sum(0) if _rg(bias) else None)
    return name, (x, w, bias), (x, w, bias if act is not None else None), backward


# ---- indexing -----------------------------------------------------------------------------

def _zeros_like(x):
    from .._creation import zeros
    return zeros(x.shape, dtype=x.dtype, device=x.device)


@derivative("gather", (0,), (1,))
def _gather(args, kwargs):
    out, x, d, index = args
    return "GatherBackward0", (x,), (index,), lambda grads, saved: (
        _zeros_like(x).scatter_add(d, saved[0], grads[0]),)


@derivative("scatter", (0,), (0, 3))
def _scatter(args, kwargs):
    out, d, index, src, reduce = args
    add = reduce in ("add", "sum")

    def backward(grads, saved):
        if reduce is not None and not add:
            raise NotImplementedError(f"webtensor: the gradient of scatter with reduce="
                                      f"{reduce!r} is not implemented")
        g, idx = grads[0], saved[0]
        keep = g if add else g.scatter(d, idx, _zeros_like(idx).to(g.dtype))
        return keep, g.gather(d, idx)
    return ("ScatterAddBackward0" if add else "ScatterBackward0"), (out, src), (index,), \
        backward


@derivative("index_select", (0,), (1,))
def _index_select(args, kwargs):
    out, x, d, index = args

    def backward(grads, saved):
        g = grads[0]
        shape = [1] * g.dim()
        shape[d] = -1
        idx = saved[0].to(D.int64).view(shape).expand(g.shape)
        return (_zeros_like(x).scatter_add(d, idx, g),)
    return "IndexSelectBackward0", (x,), (index,), backward


@derivative("sort", (0, 1), (2,))
def _sort(args, kwargs):
    values, indices, x, d = args[:4]
    return "SortBackward0", (x,), (indices,), lambda grads, saved: (
        _zeros_like(x).scatter(d, saved[0], grads[0]),)


from . import derivatives_nn  # noqa: E402,F401  (the nn primitives' formulas)
