"""The case catalogue: every op of webtensor.ops.table.OPS called on small deterministic inputs.

cases("golden") is the subset scripts/make_golden.py runs under torch into tests/golden/ops.json;
cases("grid") adds every dtype x layout x shape combination for the WASM-vs-reference check.
A case is JSON-able: {"id", "op", "call" (fn | method | inplace), "inputs": [spec...],
"args" ({"t": i} = inputs[i], {"f": "nan"} = a float, {"dtype": name}), "kwargs", "tol"}.
Pure Python (no numpy / torch): it runs inside Pyodide.
"""
from wtcheck import DTYPES, FLOATS, INTS, LAYOUTS, spec
from wtcases_surface import surface

UNARY = ("neg", "abs", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tanh",
         "sigmoid", "relu", "gelu", "silu", "erf", "floor", "ceil", "round", "sign",
         "reciprocal", "logical_not", "bitwise_not")
BINARY = ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "atan2",
          "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
          "bitwise_and", "bitwise_or", "bitwise_xor")
_POS_DOMAIN = {"log", "sqrt", "rsqrt", "log1p"}
_NEEDS_NONZERO = {"div", "remainder", "floor_divide"}
# The golden file (< 400 KB) takes these per-dtype rows; the WASM-vs-reference grid takes all.
_GOLDEN_DTYPES = ("float32", "float16", "bfloat16", "int64", "bool")
_ARITH = {"add", "sub", "mul", "div", "pow", "remainder", "rsub", "floor_divide"}
# Not a function in torch's namespace: make_golden resolves these via torch.nn.functional.
TORCH_FUNCTIONAL = {"gelu", "silu", "one_hot", "linear"}
# conv / pool: torch.nn.functional's forms (torch.max_pool2d has no return_indices)
TORCH_FUNCTIONAL |= {"conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d",
                     "adaptive_avg_pool2d", "adaptive_max_pool2d"}
TORCH_FUNCTIONAL |= {"layer_norm", "rms_norm", "group_norm", "scaled_dot_product_attention"}
TORCH_FUNCTIONAL |= {"embedding", "unfold", "fold", "grid_sample"}
TORCH_FUNCTIONAL |= {"pad", "interpolate", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
                     "smooth_l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                     "huber_loss", "kl_div", "upsample"}


def _dts(grid):
    return DTYPES if grid else ("float32", "float16", "int64", "uint8", "bool")


def T(i):
    return {"t": i}


def F(x):
    return {"f": x}


def DT(name):
    return {"dtype": name}


class _Catalogue:
    def __init__(self):
        self.cases = []
        self._ids = set()

    def add(self, op, inputs, args=None, kwargs=None, call="fn", tag="", tol=None):
        if args is None:
            args = [T(i) for i in range(len(inputs))]
        for s in inputs:
            if set(s) - {"shape", "dtype", "layout", "seed", "domain", "data"}:
                raise ValueError(f"not a spec: {s}")
        base = op + (f"-{call}" if call != "fn" else "") + (f"-{tag}" if tag else "")
        cid, n = base, 1
        while cid in self._ids:
            n += 1
            cid = f"{base}-{n}"
        self._ids.add(cid)
        c = {"id": cid, "op": op, "inputs": inputs}
        if call != "fn":
            c["call"] = call
        if args != [T(i) for i in range(len(inputs))]:
            c["args"] = args
        if kwargs:
            c["kwargs"] = kwargs
        if tol:
            c["tol"] = list(tol)
        self.cases.append(c)


def _layout(i):
    return LAYOUTS[i % len(LAYOUTS)]


def _unary(c, grid):
    for op in UNARY:
        dom = "pos" if op in _POS_DOMAIN else "any"
        for j, dt in enumerate(DTYPES):
            lay = _layout(j)
            if not grid and dt not in _GOLDEN_DTYPES:
                continue
            c.add(op, [spec((2, 3), dt, j, lay, dom if dt in FLOATS else "any")], tag=f"{dt}-{lay}")
            if grid:
                grid_shapes = (((), "contig"), ((0, 3), "contig"), ((1,), "offset"),
                               ((2, 3, 4), "transposed"), ((3, 5), "stepped"), ((4, 2), "expanded"))
                for k, (shape, l2) in enumerate(grid_shapes):
                    c.add(op, [spec(shape, dt, j + k, l2, dom if dt in FLOATS else "any")],
                          tag=f"{dt}-{l2}-{len(shape)}d")
        c.add(op, [spec((9,), "float32", 1, domain="special")], tag="special")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((), "float64", 2, domain=dom)], tag="0d")
        if grid or op in ("exp", "abs", "sigmoid", "round", "bitwise_not"):
            c.add(op, [spec((3, 2), "float32", 3, "transposed", dom)], call="method")
        if op != "logical_not":
            c.add(op, [spec((2, 3), "float32", 4, "contig", dom)], call="inplace")
            if grid or op in ("neg", "exp", "floor", "bitwise_not", "sqrt", "relu", "sign"):
                c.add(op, [spec((2, 3), "int32", 4, "contig", dom)], call="inplace", tag="int32")
    c.add("gelu", [spec((7,), "float32", 5)], kwargs={"approximate": "tanh"}, tag="tanh")
    c.add("round", [spec((6,), "float32", data=[1.2345, -2.5551, 0.125, 2.5, 3.5, -0.005])],
          kwargs={"decimals": 2}, tag="decimals")
    c.add("round", [spec((4,), "float32", data=[0.5, 1.5, 2.5, -0.5])], tag="half-even")
    c.add("exp", [spec((4,), "float32", data=[100.0, -100.0, 88.5, -0.0])], tag="overflow")
    c.add("exp", [spec((4,), "float16", data=[12.0, -20.0, 1.5, 11.0])], tag="f16-overflow")


def _binary_pair(op, dt, seed, lay, shape_b=(2, 3), lay_b="contig"):
    dom_b = "nonzero" if op in _NEEDS_NONZERO else "any"
    dom_a = "any"
    if op == "pow":
        dom_b = "idx4" if dt in INTS or dt == "bool" else "any"
        dom_a = "pos" if dt in FLOATS else "any"
    return [spec((2, 3), dt, seed, lay, dom_a), spec(shape_b, dt, seed + 7, lay_b, dom_b)]


def _binary(c, grid):
    extra = (("rsub", False), ("floor_divide", False))
    for op in BINARY + tuple(o for o, _ in extra):
        for j, dt in enumerate(DTYPES):
            lay = _layout(j)
            if not (grid or dt in _GOLDEN_DTYPES and (op in _ARITH or dt != "bfloat16")):
                continue
            c.add(op, _binary_pair(op, dt, j, lay), tag=f"{dt}-{lay}")
            if grid:
                for l2 in LAYOUTS:
                    c.add(op, _binary_pair(op, dt, j + 1, l2, (3,), "contig"),
                          tag=f"{dt}-{l2}-bcast")
        dom_b = "nonzero" if op in _NEEDS_NONZERO else "any"
        c.add(op, [spec((2, 1, 3), "float32", 1), spec((4, 1), "float32", 2, domain=dom_b)],
              tag="bcast")
        c.add(op, [spec((9,), "float32", 1, domain="special"),
                   spec((9,), "float32", 5, "offset", "special")], tag="special")
        arith = op in _ARITH or grid
        if arith or op in ("eq", "logical_and", "bitwise_or", "maximum"):
            c.add(op, [spec((0, 3), "float32"), spec((3,), "float32", 1, domain=dom_b)],
                  tag="empty")
        for a, b in (("int32", "float16"), ("uint8", "int8"), ("bool", "float32"),
                     ("int64", "bfloat16"), ("float16", "bfloat16"), ("int8", "int64")):
            if arith or (a, b) == ("uint8", "int8"):
                c.add(op, [spec((2, 3), a, 3), spec((3,), b, 4, domain="nonzero")],
                      tag=f"{a}-{b}")
        for s, dt in ((2.5, "int64"), (3, "uint8"), (True, "int32"), (2, "float16"),
                      (-1.5, "bfloat16")):
            if arith or dt == "int64" and op in ("eq", "lt", "bitwise_and"):
                c.add(op, [spec((2, 3), dt, 6)], args=[T(0), s], tag=f"scalar-{dt}")
        if arith:
            c.add(op, [spec((2, 3), "int32", 5), spec((), "float64", 6, domain="nonzero")],
                  tag="0d-float64")
            c.add(op, [spec((2, 3), "float16", 5), spec((), "float64", 6, domain="nonzero")],
                  tag="0d-same-category")
            c.add(op, [spec((3, 2), "float32", 8, "transposed"),
                       spec((3, 2), "float32", 9, domain=dom_b)], call="method")
        if op != "rsub":
            for dt in ("float32", "int64", "uint8"):
                if grid or op in _ARITH or dt == "int64":
                    c.add(op, _binary_pair(op, dt, 10, "contig"), call="inplace", tag=dt)
            c.add(op, [spec((2, 3), "int32", 11), spec((3,), "float32", 12, domain="nonzero")],
                  call="inplace", tag="int-float")
    c.add("add", [spec((2, 3), "int8", 1, domain="wide"), spec((2, 3), "int8", 2, domain="wide")],
          tag="wrap")
    c.add("mul", [spec((2, 3), "uint8", 1, domain="wide"),
                  spec((2, 3), "uint8", 2, domain="wide")], tag="wrap")
    c.add("mul", [spec((2, 3), "int64", 1, domain="wide"),
                  spec((2, 3), "int64", 2, domain="wide")], tag="wrap64")
    c.add("add", [spec((2, 3), "float32"), spec((2, 3), "float32", 1)], kwargs={"alpha": 2},
          tag="alpha")
    c.add("sub", [spec((2, 3), "int64"), spec((2, 3), "int64", 1)], kwargs={"alpha": 3},
          tag="alpha")
    c.add("add", [spec((2, 3), "uint8")], args=[T(0), 300], tag="uint8-overflow-scalar")
    for mode in ("trunc", "floor"):
        for dt in ("float32", "int64", "int8"):
            c.add("div", [spec((2, 3), dt, 3), spec((2, 3), dt, 4, domain="nonzero")],
                  kwargs={"rounding_mode": mode}, tag=f"{mode}-{dt}")
    c.add("div", [spec((3,), "int64"), spec((3,), "int64", data=[0, 1, 2])],
          kwargs={"rounding_mode": "floor"}, tag="int-zero")
    c.add("remainder", [spec((3,), "int32"), spec((3,), "int32", data=[0, 1, 2])], tag="int-zero")
    c.add("pow", [spec((3,), "int64", data=[2, 3, -2]), spec((3,), "int64", data=[-1, 2, 3])],
          tag="int-negative-exp")
    c.add("pow", [spec((4,), "float32", data=[0.0, -2.0, 2.0, -0.0])], args=[T(0), -1.5],
          tag="scalar-exp")
    c.add("square", [spec((2, 3), "float32", 1)])
    c.add("square", [spec((2, 3), "int8", 1, domain="wide")], tag="int8-wrap")
    c.add("square", [spec((2, 3), "bool", 1)], tag="bool")
    c.add("square", [spec((3, 2), "float16", 2, "transposed")], call="method")
    c.add("square", [spec((2, 3), "float64", 3)], call="inplace")
    for dt in ("float32", "float64", "float16", "bfloat16"):
        c.add("lerp", [spec((2, 3), dt, 1), spec((2, 3), dt, 2)], args=[T(0), T(1), 0.25],
              tag=dt)
    c.add("lerp", [spec((2, 3), "float32", 1), spec((3,), "float32", 2),
                   spec((2, 1), "float32", 3, domain="unit")], tag="tensor-weight")
    c.add("lerp", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)],
          args=[T(0), T(1), 0.75], call="method")
    c.add("lerp", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)],
          args=[T(0), T(1), 0.5], call="inplace")


def _clamp_where(c, grid):
    for dt in _dts(grid):
        lo, hi = (-1.25, 1.5) if dt in FLOATS else (-2, 5) if dt != "bool" else (False, True)
        c.add("clamp", [spec((2, 3), dt, 1)], args=[T(0), lo, hi], tag=dt)
        c.add("clamp_min", [spec((2, 3), dt, 2, "stepped")], args=[T(0), lo], tag=dt)
        c.add("clamp_max", [spec((2, 3), dt, 3, "transposed")], args=[T(0), hi], tag=dt)
    c.add("clamp", [spec((9,), "float32", domain="special")], args=[T(0), -1.0, 1.0],
          tag="special")
    c.add("clamp", [spec((2, 3), "int64")], args=[T(0), 0.5], tag="int-float-bound")
    c.add("clamp", [spec((2, 3), "float32")], kwargs={"max": 0.5}, args=[T(0)], tag="max-only")
    c.add("clamp", [spec((2, 3), "float32"), spec((3,), "float32", 1), spec((2, 1), "float32", 2)],
          args=[T(0), T(1), T(2)], tag="tensor-bounds")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), 2.0, -2.0], tag="min-gt-max")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), F("nan"), 1.0], tag="nan-bound")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0)], tag="no-bounds")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), -1.0, 1.0], call="method")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), -1.0, 1.0], call="inplace")
    c.add("clamp", [spec((2, 3), "int32")], args=[T(0), -1.5, 1.0], call="inplace", tag="int")
    c.add("clamp_min", [spec((2, 3), "float16")], args=[T(0), 0.0], call="inplace")
    c.add("clamp_max", [spec((2, 3), "bfloat16")], args=[T(0), 0.0], call="inplace")
    for dt in _dts(grid):
        c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), dt, 2, "transposed"),
                        spec((3,), dt, 3)], tag=dt)
    c.add("where", [spec((2, 1), "bool", 1), spec((3,), "int32", 2), spec((2, 3), "float16", 3)],
          tag="promote-bcast")
    c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), "int64", 2)], args=[T(0), T(1), 0.5],
          tag="scalar-other")
    c.add("where", [spec((2, 3), "bool", 1)], args=[T(0), 1.0, 0.0], tag="scalars")
    c.add("where", [spec((2, 3), "bool", 1)], args=[T(0)], tag="nonzero-form")
    c.add("where", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2),
                    spec((2, 3), "float32", 3)], tag="float-cond")
    c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), "float32", 2),
                    spec((2, 3), "float32", 3)], args=[T(1), T(0), T(2)], call="method")
    for op in ("isnan", "isinf", "isfinite"):
        c.add(op, [spec((9,), "float32", domain="special")], tag="f32")
        c.add(op, [spec((9,), "float16", domain="special")], tag="f16")
        c.add(op, [spec((9,), "bfloat16", 1, domain="special")], tag="bf16")
        c.add(op, [spec((3, 3), "float64", 2, "transposed", "special")], call="method")
        for dt in ("int64", "uint8", "bool"):
            c.add(op, [spec((2, 3), dt, 1)], tag=dt)


def _reduce(c, grid):
    shape = (2, 3, 4)
    dims = (None, 0, -1, (0, 2), (1,))
    for op in ("sum", "mean", "prod", "amax", "amin", "logsumexp", "all", "any", "count_nonzero"):
        for j, dt in enumerate(_dts(grid)):
            lay = _layout(j)
            d = 1 if op == "logsumexp" else None
            c.add(op, [spec(shape, dt, j, lay, "near1" if op == "prod" else "any")],
                  args=[T(0)] + ([d] if d is not None else []), tag=f"{dt}-{lay}")
        for k, d in enumerate(dims):
            if d is None and op == "logsumexp":
                continue
            for keep in ((False, True) if grid else (k % 2 == 1,)):
                dt = ("float32", "float64", "float16", "bfloat16", "int32")[k]
                kw = {} if op == "count_nonzero" else {"keepdim": keep}
                args = [T(0)] if d is None else [T(0), d if not isinstance(d, tuple) else list(d)]
                if d is None and op in ("sum", "mean", "prod", "all", "any", "count_nonzero"):
                    kw = {}
                c.add(op, [spec(shape, dt, k, _layout(k + 1), "near1" if op == "prod" else "any")],
                      args=args, kwargs=kw, tag=f"dim{d}-keep{keep}-{dt}")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 0], tag="empty-dim0")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty-dim1")
        c.add(op, [spec((), "float32", 3)], args=[T(0)] + ([0] if op == "logsumexp" else []),
              tag="0d")
        c.add(op, [spec((9,), "float32", domain="special")],
              args=[T(0)] + ([0] if op == "logsumexp" else []), tag="special")
        c.add(op, [spec((3, 4), "float32", 2, "transposed")],
              args=[T(0)] + ([1] if op == "logsumexp" else []), call="method")
    for op in ("sum", "mean", "prod"):
        c.add(op, [spec((2, 3), "int32", 1)], args=[T(0), 1], kwargs={"dtype": DT("float64")},
              tag="dtype-kw")
        c.add(op, [spec((2, 3), "float16", 1)], args=[T(0)], kwargs={"dtype": DT("float32")},
              tag="dtype-kw-f16")
    c.add("sum", [spec((2, 3), "int8", 1, domain="wide")], args=[T(0)], tag="int8-no-wrap")
    c.add("sum", [spec((0,), "float32")], args=[T(0)], tag="empty-all")
    c.add("mean", [spec((0,), "float32")], args=[T(0)], tag="empty-all")
    c.add("prod", [spec((0, 2), "int64")], args=[T(0), 0], tag="empty-int")
    c.add("amax", [spec((0, 3), "float32")], args=[T(0)], tag="empty-all")
    for op in ("argmax", "argmin"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec(shape, dt, j, _layout(j))], tag=f"{dt}")
        for d, keep in ((0, False), (1, True), (-1, False), (None, True)):
            c.add(op, [spec(shape, "float32", 2, "transposed")], args=[T(0), d],
                  kwargs={"keepdim": keep}, tag=f"dim{d}-keep{keep}")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((), "int64", 1)], tag="0d")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty-dim1")
        c.add(op, [spec((3, 4), "int32", 1, "stepped")], args=[T(0), 1], call="method")
    for op in ("max", "min"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec(shape, dt, j, _layout(j))], tag=dt)
            c.add(op, [spec(shape, dt, j + 1, _layout(j + 1))], args=[T(0), 1], tag=f"dim-{dt}")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), -1], kwargs={"keepdim": True},
              tag="keepdim")
        c.add(op, [spec((2, 3), "float32", 1), spec((3,), "float32", 2)], tag="binary-form")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special-dim")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((3, 4), "float16", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("var", "std", "var_mean", "std_mean"):
        for dt in FLOATS + ("int64",):
            c.add(op, [spec(shape, dt, 1, "stepped")], tag=dt)
        c.add(op, [spec(shape, "float32", 2)], args=[T(0), 1], tag="dim")
        c.add(op, [spec(shape, "float64", 2)], args=[T(0), [0, 2]], kwargs={"keepdim": True},
              tag="dims-keepdim")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), 1], kwargs={"correction": 0},
              tag="correction0")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), 1], kwargs={"unbiased": False},
              tag="unbiased-false")
        c.add(op, [spec((1, 3), "float32", 3)], args=[T(0), 0], tag="single")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        if op in ("var", "std"):
            c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("cumsum", "cumprod"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec((2, 5), dt, j, _layout(j), "near1" if op == "cumprod" else "any")],
                  args=[T(0), 1], tag=dt)
        c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), 0], tag="dim0")
        c.add(op, [spec((2, 3), "int32", 1)], args=[T(0), -1], kwargs={"dtype": DT("float32")},
              tag="dtype-kw")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special")
        c.add(op, [spec((), "float32", 1)], args=[T(0), 0], tag="0d")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 0], tag="empty")
        c.add(op, [spec((3, 4), "float32", 2)], args=[T(0), 1], call="method")
    for op in ("softmax", "log_softmax"):
        for dt in FLOATS:
            for d in (0, -1):
                c.add(op, [spec((3, 4), dt, 1, "transposed")], args=[T(0), d], tag=f"{dt}-{d}")
        c.add(op, [spec((2, 3, 4), "float32", 2, "stepped")], args=[T(0), 1], tag="3d")
        c.add(op, [spec((2, 3), "float32", 2, domain="wide")], args=[T(0), 1], tag="large")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special")
        c.add(op, [spec((3,), "float32", data=["-inf", 0.0, 1.0])], args=[T(0), 0], tag="neginf")
        c.add(op, [spec((2, 3), "int64", 1)], args=[T(0), 1], tag="int")
        c.add(op, [spec((2, 3), "int64", 1)], args=[T(0), 1], kwargs={"dtype": DT("float32")},
              tag="int-dtype-kw")
        c.add(op, [spec((2, 3), "float16", 1)], args=[T(0), 1], kwargs={"dtype": DT("float32")},
              tag="f16-dtype-kw")
        c.add(op, [spec((), "float32", 1)], args=[T(0), 0], tag="0d")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty")
        c.add(op, [spec((3, 4), "float32", 3)], args=[T(0), 1], call="method")


def _linalg(c, grid):
    mm_tol = {"float16": (2e-3, 2e-2), "bfloat16": (2e-2, 1e-1)}
    for dt in DTYPES:
        c.add("matmul", [spec((2, 3), dt, 1), spec((3, 4), dt, 2, "transposed")], tag=dt,
              tol=mm_tol.get(dt))
        c.add("mm", [spec((3, 2), dt, 3, "transposed"), spec((2, 2), dt, 4, "stepped")], tag=dt,
              tol=mm_tol.get(dt))
    shapes = (((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 2, 3), (3, 4)),
              ((2, 1, 2, 3), (3, 3, 2)), ((4,), (2, 4, 3)), ((2, 0), (0, 3)), ((0, 2), (2, 3)),
              ((1, 2, 3), (2, 3, 2)))
    for k, (sa, sb) in enumerate(shapes):
        for dt in ("float32", "int64") if not grid else ("float32", "float64", "int64", "int32",
                                                         "float16", "uint8"):
            c.add("matmul", [spec(sa, dt, k, _layout(k)), spec(sb, dt, k + 1, _layout(k + 2))],
                  tag=f"{dt}-{len(sa)}d-{len(sb)}d", tol=mm_tol.get(dt))
    c.add("matmul", [spec((2, 3), "float32"), spec((4, 2), "float32", 1)], tag="mismatch")
    c.add("matmul", [spec((2, 3), "float32"), spec((3, 2), "float64", 1)], tag="mixed-dtype")
    c.add("matmul", [spec((), "float32"), spec((3,), "float32", 1)], tag="0d")
    c.add("matmul", [spec((3, 4), "float32", 9, domain="special"), spec((4, 2), "float32", 2)],
          tag="special")
    c.add("matmul", [spec((2, 3), "float32"), spec((3, 2), "float32", 1)], call="method")
    c.add("bmm", [spec((2, 3, 4), "float32", 1, "transposed"), spec((2, 4, 2), "float32", 2)])
    c.add("bmm", [spec((2, 3, 4), "int64", 1), spec((2, 4, 2), "int64", 2, "expanded")],
          tag="int64")
    c.add("bmm", [spec((2, 3, 4), "float32", 1), spec((3, 4, 2), "float32", 2)],
          tag="batch-mismatch")
    c.add("bmm", [spec((3, 4), "float32", 1), spec((4, 2), "float32", 2)], tag="2d")
    c.add("mm", [spec((3,), "float32", 1), spec((3, 2), "float32", 2)], tag="1d")
    c.add("mm", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)], tag="mismatch")
    for dt in ("float32", "float64", "int64", "float16"):
        c.add("dot", [spec((5,), dt, 1, "stepped"), spec((5,), dt, 2, "offset")], tag=dt,
              tol=mm_tol.get(dt))
        c.add("mv", [spec((3, 5), dt, 1, "transposed"), spec((5,), dt, 2)], tag=dt,
              tol=mm_tol.get(dt))
        c.add("outer", [spec((3,), dt, 1), spec((4,), dt, 2, "stepped")], tag=dt)
    c.add("dot", [spec((3,), "float32"), spec((4,), "float32")], tag="mismatch")
    c.add("dot", [spec((2, 3), "float32"), spec((3,), "float32")], tag="2d")
    c.add("outer", [spec((3,), "int32"), spec((2,), "float32")], tag="promote")
    c.add("outer", [spec((0,), "float32"), spec((2,), "float32")], tag="empty")
    c.add("dot", [spec((3,), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("mv", [spec((2, 3), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("outer", [spec((2,), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("mm", [spec((2, 3), "float32"), spec((3, 2), "float32", 1)], call="method")
    c.add("bmm", [spec((1, 2, 3), "float32"), spec((1, 3, 2), "float32", 1)], call="method")
    _linear(c, grid, mm_tol)


def _linear(c, grid, mm_tol):
    # (input, weight, bias): both kernel forms (m < 4 rows: dot products; else packed),
    # batched input, 1-D input / weight, bias forms
    shapes = (((3, 4), (5, 4), (5,)), ((1, 7), (9, 7), (9,)), ((2, 7), (9, 7), None),
              ((6, 5), (10, 5), (10,)), ((2, 3, 4), (5, 4), (5,)), ((4,), (3, 4), (3,)),
              ((2, 4), (4,), None), ((2, 4), (4,), ()), ((3, 0), (2, 0), (2,)),
              ((0, 4), (2, 4), (2,)), ((5, 3), (2, 3), (5, 2)))
    for k, (sx, sw, sb) in enumerate(shapes):
        for dt in ("float32", "float64", "int64", "float16") if grid else ("float32",):
            ins = [spec(sx, dt, k, _layout(k)), spec(sw, dt, k + 1, _layout(k + 1))]
            if sb is not None:
                ins.append(spec(sb, dt, k + 2))
            c.add("linear", ins, tag=f"{dt}-{len(sx)}d-{len(sw)}d" +
                  ("" if sb is None else f"-b{len(sb)}d"), tol=mm_tol.get(dt))
    c.add("linear", [spec((2, 4), "float32"), spec((5, 3), "float32", 1)], tag="mismatch")
    c.add("linear", [spec((), "float32"), spec((5, 3), "float32", 1)], tag="0d")
    c.add("linear", [spec((2, 4), "float32"), spec((5, 4), "float64", 1)], tag="mixed-dtype")
    c.add("linear", [spec((2, 4), "float32"), spec((5, 4), "float32", 1),
                     spec((4,), "float32", 2)], tag="bias-mismatch")
    c.add("linear", [spec((3, 4), "float32", 9, domain="special"), spec((2, 4), "float32", 2)],
          tag="special")


def _shape(c, grid):
    for op in ("cat", "concat", "concatenate"):
        c.add(op, [spec((2, 3), "float32", 1), spec((1, 3), "float32", 2, "offset")],
              args=[[T(0), T(1)]])
    for dt in _dts(grid):
        c.add("cat", [spec((2, 3), dt, 1, "transposed"), spec((2, 2), dt, 2)],
              args=[[T(0), T(1)], 1], tag=dt)
    c.add("cat", [spec((2, 3), "int32", 1), spec((2, 3), "float16", 2)], args=[[T(0), T(1)], -1],
          tag="promote")
    c.add("cat", [spec((2, 3), "uint8", 1), spec((2, 3), "int8", 2), spec((2, 3), "bool", 3)],
          args=[[T(0), T(1), T(2)]], tag="promote-int")
    c.add("cat", [spec((2, 3), "float32", 1), spec((0,), "float32")], args=[[T(0), T(1)]],
          tag="legacy-empty")
    c.add("cat", [spec((2, 3), "float32", 1), spec((2, 2), "float32")], args=[[T(0), T(1)]],
          tag="mismatch")
    c.add("cat", [spec((2, 3), "float32", 1), spec((3,), "float32")], args=[[T(0), T(1)]],
          tag="ndim-mismatch")
    c.add("cat", [spec((2, 3), "float32", 1)], args=[[T(0)], 2], tag="bad-dim")
    c.add("cat", [spec((), "float32", 1), spec((), "float32")], args=[[T(0), T(1)]], tag="0d")
    c.add("cat", [spec((0, 3), "float32"), spec((2, 3), "float32", 1, "expanded")],
          args=[[T(0), T(1)]], tag="zero-rows")
    for d in (0, 1, 2, -1):
        c.add("stack", [spec((2, 3), "float32", 1, "transposed"), spec((2, 3), "float32", 2)],
              args=[[T(0), T(1)], d], tag=f"dim{d}")
    c.add("stack", [spec((2, 3), "int8", 1), spec((2, 3), "float64", 2)], args=[[T(0), T(1)]],
          tag="promote")
    c.add("stack", [spec((2, 3), "float32", 1), spec((3, 2), "float32", 2)], args=[[T(0), T(1)]],
          tag="mismatch")
    c.add("stack", [spec((), "int64", 1), spec((), "int64", 2)], args=[[T(0), T(1)]], tag="0d")
    for op in ("hstack", "vstack"):
        c.add(op, [spec((3,), "float32", 1), spec((2,), "float32", 2)], args=[[T(0), T(1)]],
              tag="1d")
        c.add(op, [spec((3,), "float32", 1), spec((3,), "float32", 2)], args=[[T(0), T(1)]],
              tag="1d-same")
        c.add(op, [spec((2, 3), "int64", 1), spec((2, 3), "bool", 2, "transposed")],
              args=[[T(0), T(1)]], tag="2d")
        c.add(op, [spec((2, 3, 2), "float16", 1), spec((2, 3, 2), "float16", 2)],
              args=[[T(0), T(1)]], tag="3d")
        c.add(op, [spec((), "float32", 1), spec((), "float32", 2)], args=[[T(0), T(1)]], tag="0d")
    x = spec((5, 4), "float32", 1, "transposed")
    for args, tag in (([2], "size"), ([2, 1], "size-dim1"), ([[1, 3, 1]], "sections"),
                      ([[2, 2]], "bad-sections"), ([0], "zero"), ([7], "big"),
                      ([[0, 4]], "zero-section")):
        c.add("split", [x], args=[T(0)] + args, tag=tag)
    c.add("split", [x], args=[T(0), 2, 0], call="method")
    for args, tag in (([2], "2"), ([3, 1], "3-dim1"), ([7], "more-than-size"), ([0], "zero")):
        c.add("chunk", [x], args=[T(0)] + args, tag=tag)
    c.add("chunk", [spec((6, 2), "int32", 2)], args=[T(0), 4], call="method")
    for args, tag in (([3], "3"), ([2, 1], "2-dim1"), ([[1, 3]], "indices"), ([7], "more")):
        c.add("tensor_split", [x], args=[T(0)] + args, tag=tag)
    c.add("tensor_split", [spec((5,), "int64", 2)], args=[T(0), 2], call="method")
    c.add("flip", [spec((2, 3, 4), "float32", 1, "stepped")], args=[T(0), [0, 2]], tag="dims")
    c.add("flip", [spec((2, 3), "int8", 1)], args=[T(0), [-1]], tag="neg")
    c.add("flip", [spec((2, 3), "bool", 1)], args=[T(0), [0, 1]], tag="bool")
    c.add("flip", [spec((), "float32", 1)], args=[T(0), []], tag="0d")
    c.add("flip", [spec((2, 3), "float32", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("fliplr", "flipud"):
        c.add(op, [spec((3, 4), "float16", 1, "transposed")])
        c.add(op, [spec((2, 3, 2), "int32", 1)], tag="3d")
        c.add(op, [spec((3,), "float32", 1)], tag="1d")
        c.add(op, [spec((3, 2), "float32", 1)], call="method")
    for args, tag in (([2], "flat"), ([1, 0], "dim0"), ([-1, 1], "neg"),
                      ([[1, 2], [0, 1]], "multi"), ([5, 1], "big"), ([[1], [0, 1]], "misaligned")):
        c.add("roll", [spec((3, 4), "float32", 1, "transposed")], args=[T(0)] + args, tag=tag)
    c.add("roll", [spec((3, 4), "int8", 1)], args=[T(0), 1, 1], call="method")
    for args, tag in (([2, 3], "2d"), ([2, 1, 2], "more-dims"), ([1, 1], "ones"),
                      ([0, 2], "zero"), ([2], "too-few")):
        c.add("repeat", [spec((2, 3), "float32", 1, "stepped")], args=[T(0)] + args, tag=tag,
              call="method")
    c.add("repeat", [spec((3,), "bool", 1)], args=[T(0), 2], tag="bool", call="method")
    for args, tag in (([[2, 3]], "2d"), ([[2]], "short"), ([[2, 1, 2]], "long")):
        c.add("tile", [spec((2, 3), "int64", 1, "transposed")], args=[T(0)] + args, tag=tag)
    c.add("tile", [spec((2,), "float32", 1)], args=[T(0), [3]], call="method")
    for args, kwargs, tag in (([2], {}, "flat"), ([2], {"dim": 1}, "dim1"),
                              ([3], {"dim": 0}, "dim0"), ([0], {"dim": 1}, "zero")):
        c.add("repeat_interleave", [spec((2, 3), "float32", 1, "transposed")],
              args=[T(0)] + args, kwargs=kwargs, tag=tag)
    c.add("repeat_interleave", [spec((2, 3), "uint8", 1)], args=[T(0), 2], kwargs={"dim": -1},
          call="method")
    for op in ("tril", "triu"):
        for dg in (-1, 0, 1, 3):
            c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), dg], tag=f"d{dg}")
        c.add(op, [spec((2, 3, 3), "int64", 1)], tag="batched")
        c.add(op, [spec((3, 3), "bool", 1)], tag="bool")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((3,), "float32")], tag="1d")
        c.add(op, [spec((3, 3), "float16", 2)], args=[T(0), 1], call="method")
        c.add(op, [spec((3, 3), "float32", 2)], call="inplace")
    for sh, tag in (([2, 3], "same"), ([4, 2, 3], "lead"), ([2, -1], "minus1"),
                    ([3, 3], "bad")):
        c.add("broadcast_to", [spec((2, 1), "float32", 1) if tag != "same" and tag != "lead"
                               else spec((1, 3), "int32", 1)], args=[T(0), sh], tag=tag)
    c.add("broadcast_to", [spec((1, 3), "float32", 1)], args=[T(0), [2, 3]], call="method")


def _index(c, grid):
    x = spec((3, 4), "float32", 1)
    for dt in _dts(grid):
        c.add("gather", [spec((3, 4), dt, 1, "transposed"),
                         spec((3, 2), "int64", 2, domain="idx4")], args=[T(0), 1, T(1)], tag=dt)
    c.add("gather", [x, spec((2, 4), "int64", 2, domain="idx3")], args=[T(0), 0, T(1)], tag="dim0")
    c.add("gather", [x, spec((3, 2), "int64", data=[0, 1, 4, 0, 1, 2])], args=[T(0), 1, T(1)],
          tag="out-of-range")
    c.add("gather", [x, spec((3, 2), "int32", 2, domain="idx4")], args=[T(0), 1, T(1)],
          tag="int32-index")
    c.add("gather", [x, spec((3, 2), "int64", 2, "stepped", "idx4")], args=[T(0), -1, T(1)],
          call="method")
    c.add("take_along_dim", [x, spec((3, 2), "int64", 3, domain="idx4")], args=[T(0), T(1), 1])
    c.add("take_along_dim", [x, spec((1, 4), "int64", 3, domain="idx3")], args=[T(0), T(1), 0],
          tag="dim0")
    c.add("take_along_dim", [x, spec((3, 2), "int64", 3, domain="idx4")], args=[T(0), T(1), 1],
          call="method")
    c.add("take_along_dim", [x, spec((2, 1), "int64", 3, domain="idx3")], args=[T(0), T(1), 0],
          tag="bcast-index")
    c.add("take_along_dim", [spec((3, 1), "float32", 2), spec((2, 4), "int64", 3, domain="idx3")],
          args=[T(0), T(1), 0], tag="bcast-input")
    c.add("take_along_dim", [x, spec((3, 4), "int64", 3, domain="idx3")], args=[T(0), T(1)],
          tag="no-dim")
    perm_index = spec((2, 4), "int64", data=[2, 0, 1, 0, 1, 2, 0, 2])  # distinct per column
    for dt in _dts(grid):
        c.add("scatter", [spec((3, 4), dt, 1), perm_index, spec((2, 4), dt, 2)],
              args=[T(0), 0, T(1), T(2)], tag=dt)
    c.add("scatter", [x, perm_index], args=[T(0), 0, T(1), 1.5], tag="value")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          kwargs={"reduce": "add"}, tag="reduce-add")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          kwargs={"reduce": "multiply"}, tag="reduce-multiply")
    c.add("scatter", [x, perm_index, spec((2, 4), "float64", 3)], args=[T(0), 0, T(1), T(2)],
          tag="dtype-mismatch")
    c.add("scatter", [x, spec((3, 2), "int64", data=[1, 0, 3, 2, 0, 1]),
                      spec((3, 3), "float32", 4, "transposed")], args=[T(0), 1, T(1), T(2)],
          tag="dim1-bigger-src")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          call="method")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          call="inplace")
    dup_index = spec((2, 4), "int64", 5, domain="idx3")
    for dt in ("float32", "int64", "float16"):
        c.add("scatter_add", [spec((3, 4), dt, 1), dup_index, spec((2, 4), dt, 2)],
              args=[T(0), 0, T(1), T(2)], tag=dt)
    c.add("scatter_add", [x, spec((3, 2), "int64", 5, domain="idx4"), spec((3, 2), "float32", 1)],
          args=[T(0), 1, T(1), T(2)], tag="dim1")
    c.add("scatter_add", [x, dup_index, spec((2, 4), "float32", 2)], args=[T(0), 0, T(1), T(2)],
          call="method")
    c.add("scatter_add", [x, dup_index, spec((2, 4), "float32", 2)], args=[T(0), 0, T(1), T(2)],
          call="inplace")
    for red in ("sum", "prod", "amax", "amin"):
        for dt in ("float32", "int64"):
            c.add("scatter_reduce", [spec((3, 4), dt, 1), dup_index, spec((2, 4), dt, 2)],
                  args=[T(0), 0, T(1), T(2), red], tag=f"{red}-{dt}")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "sum"], kwargs={"include_self": False}, tag="exclude-self")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "amax"], call="method")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "sum"], call="inplace")
    for dt in _dts(grid):
        c.add("index_select", [spec((3, 4), dt, 1, _layout(DTYPES.index(dt))),
                               spec((5,), "int64", 2, domain="idx3")], args=[T(0), 0, T(1)],
              tag=dt)
    c.add("index_select", [x, spec((3,), "int32", 2, domain="idx4")], args=[T(0), 1, T(1)],
          tag="int32-dim1")
    c.add("index_select", [x, spec((0,), "int64")], args=[T(0), 1, T(1)], tag="empty-index")
    c.add("index_select", [x, spec((2,), "int64", data=[0, 3])], args=[T(0), 0, T(1)],
          tag="out-of-range")
    c.add("index_select", [x, spec((2,), "float32", data=[0.0, 1.0])], args=[T(0), 0, T(1)],
          tag="float-index")
    c.add("index_select", [spec((), "float32", 1), spec((1,), "int64", data=[0])],
          args=[T(0), 0, T(1)], tag="0d")
    c.add("index_select", [x, spec((2,), "int64", data=[3, 1])], args=[T(0), -1, T(1)],
          call="method")
    for dt in _dts(grid):
        c.add("index_copy", [spec((3, 4), dt, 1, _layout(DTYPES.index(dt))),
                             spec((2,), "int64", data=[2, 0]), spec((3, 2), dt, 2)],
              args=[T(0), 1, T(1), T(2)], tag=dt)
    c.add("index_copy", [x, spec((2,), "int64", data=[1, 2]), spec((2, 4), "float32", 3)],
          args=[T(0), 0, T(1), T(2)], call="inplace")
    c.add("index_copy", [x, spec((2,), "int64", data=[0, 1]), spec((2, 4), "float64", 3)],
          args=[T(0), 0, T(1), T(2)], tag="dtype-mismatch")
    for dt in _dts(grid):
        c.add("masked_fill", [spec((2, 3), dt, 1, "transposed"), spec((2, 3), "bool", 2)],
              args=[T(0), T(1), 1 if dt != "bool" else True], tag=dt)
    c.add("masked_fill", [x, spec((4,), "bool", 3)], args=[T(0), T(1), F("-inf")], tag="bcast")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3), spec((), "float32", 4)],
          args=[T(0), T(1), T(2)], tag="0d-value")
    c.add("masked_fill", [x, spec((3, 4), "int64", 3)], args=[T(0), T(1), 0.0], tag="int-mask")
    c.add("masked_fill", [spec((2, 3), "int32", 1), spec((2, 3), "bool", 3)],
          args=[T(0), T(1), 2.5], tag="int-float-value")
    c.add("masked_fill", [spec((4,), "float32", 1), spec((2, 4), "bool", 3)],
          args=[T(0), T(1), 0.0], tag="mask-bigger")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3)], args=[T(0), T(1), -1.0], call="method")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3)], args=[T(0), T(1), -1.0], call="inplace")
    for dt in ("float32", "int8", "bool", "bfloat16"):
        c.add("masked_select", [spec((3, 4), dt, 1, "transposed"), spec((3, 4), "bool", 2)],
              tag=dt)
    c.add("masked_select", [x, spec((4,), "bool", 2)], tag="bcast")
    c.add("masked_select", [spec((4,), "float32", 1), spec((3, 4), "bool", 2)], tag="mask-bigger")
    c.add("masked_select", [x, spec((3, 4), "bool", 2)], call="method")
    c.add("one_hot", [spec((5,), "int64", domain="idx4")])
    c.add("one_hot", [spec((2, 3), "int64", 1, "transposed", "idx3")], args=[T(0), 5],
          tag="classes")
    c.add("one_hot", [spec((3,), "int64", data=[0, 4, 1])], args=[T(0), 3], tag="too-big")
    c.add("one_hot", [spec((3,), "int64", data=[0, -1, 1])], tag="negative")
    c.add("one_hot", [spec((0,), "int64")], args=[T(0), 3], tag="empty")
    c.add("one_hot", [spec((3,), "int32", domain="idx3")], tag="int32")
    for j, dt in enumerate(_dts(grid)):
        dom = "distinct" if dt not in ("bool", "uint8", "int8") else "any"
        st = {"stable": True}
        c.add("sort", [spec((3, 4), dt, j, _layout(j), dom)], kwargs=st, tag=dt)
        c.add("sort", [spec((3, 4), dt, j, "transposed", dom)],
              kwargs={"dim": 0, "descending": True, "stable": True}, tag=f"{dt}-desc-dim0")
    c.add("sort", [spec((9,), "float32", domain="special")], kwargs={"stable": True},
          tag="special")
    c.add("sort", [spec((9,), "float32", domain="special")],
          kwargs={"stable": True, "descending": True}, tag="special-desc")
    c.add("sort", [spec((), "float32", 1)], tag="0d")
    c.add("sort", [spec((0, 3), "float32")], tag="empty")
    c.add("sort", [spec((3, 4), "float32", 3, domain="distinct")], call="method")
    for op in ("argsort", "msort"):
        c.add(op, [spec((3, 4), "float32", 1, "transposed", "distinct")])
        c.add(op, [spec((3, 4), "int64", 2, "stepped", "distinct")], tag="int64")
        c.add(op, [spec((3, 4), "float16", 1, domain="distinct")], call="method")
    c.add("argsort", [spec((3, 4), "int32", 2, domain="distinct")], args=[T(0), 0],
          kwargs={"descending": True}, tag="desc-dim0")
    c.add("argsort", [spec((2, 6), "int8", 2)], kwargs={"stable": True}, tag="ties-stable")
    for j, (k, kw) in enumerate(((2, {}), (1, {"dim": 0}), (3, {"largest": False}), (0, {}),
                                 (5, {}), (4, {"largest": False, "dim": -1}))):
        dt = ("float32", "int64", "float16", "int32", "float32", "bfloat16")[j]
        c.add("topk", [spec((3, 4), dt, j, _layout(j), "distinct")], args=[T(0), k], kwargs=kw,
              tag=f"{dt}-k{k}")
    c.add("topk", [spec((9,), "float32", domain="special")], args=[T(0), 3], tag="special")
    c.add("topk", [spec((3, 4), "float32", 1, domain="distinct")], args=[T(0), 2], call="method")
    for op in ("nonzero", "argwhere"):
        for j, dt in enumerate(("float32", "int64", "bool", "uint8", "float16", "bfloat16")):
            c.add(op, [spec((3, 4), dt, j, _layout(j))], tag=dt)
        c.add(op, [spec((2, 3, 2), "int32", 3)], tag="3d")
        c.add(op, [spec((), "float32", 1)], tag="0d")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((3, 4), "bool", 3)], call="method")
    c.add("nonzero", [spec((3, 4), "bool", 3)], kwargs={"as_tuple": True}, tag="as-tuple")
    if grid:     # the kernels of float64 / int gathers, scatters with reductions, nonzero
        _index_kernels(c)


def _index_kernels(c):
    """Grid cases for the gather/scatter/nonzero kernels: every dtype they serve, an index
    shorter than the input on the other dims, a larger src, views, NaN, wide integers (wrap),
    out-of-range indices, rows past the 16-byte vectors of nonzero."""
    dup = spec((2, 3), "int64", 5, domain="idx3")
    for j, dt in enumerate(("float32", "float64", "int64", "int32")):
        lay = _layout(j)
        dom = "special" if dt.startswith("float") else "wide"
        for red in ("sum", "prod", "amax", "amin", "mean"):
            for incl in (True, False):
                c.add("scatter_reduce", [spec((3, 4), dt, 1, lay, dom), dup,
                                         spec((2, 5), dt, 2, domain=dom)],
                      args=[T(0), 0, T(1), T(2), red], kwargs={"include_self": incl},
                      tag=f"k-{red}-{dt}-{incl}")
        c.add("scatter_add", [spec((4, 3), dt, 1, lay), spec((4, 2), "int64", 5, domain="idx3"),
                              spec((4, 2), dt, 2)], args=[T(0), 1, T(1), T(2)], tag=f"k-{dt}")
        c.add("scatter_add", [spec((3, 4), dt, 1), spec((2, 3), "int64", data=[0, 1, 2, 3, 0, 1]),
                              spec((2, 3), dt, 2)], args=[T(0), 0, T(1), T(2)],
              tag=f"k-out-of-range-{dt}")
        c.add("gather", [spec((3, 5), dt, 1, lay), spec((2, 3), "int64", 2, domain="idx5")],
              args=[T(0), 1, T(1)], tag=f"k-short-{dt}")
        c.add("index_add", [spec((3, 4), dt, 1, lay), spec((3,), "int64", data=[2, 0, 2]),
                            spec((3, 3), dt, 2)], args=[T(0), 1, T(1), T(2)], tag=f"k-{dt}")
    for j, (shape, dt) in enumerate((((5, 40), "bool"), ((3, 2, 33), "float64"),
                                     ((70,), "int32"), ((4, 17), "int64"))):
        c.add("nonzero", [spec(shape, dt, j, _layout(j), "special" if dt == "float64" else
                               "any")], tag=f"k-{dt}-{len(shape)}d")


def _embedding(c, grid):
    for j, dt in enumerate(DTYPES if grid else _GOLDEN_DTYPES):
        c.add("embedding", [spec((2, 3), "int64", j, _layout(j), "idx5"),
                            spec((5, 4), dt, j + 1, _layout(j + 1))], tag=dt)
    w = spec((6, 3), "float32", 1)
    for k, (shape, idt) in enumerate((((), "int64"), ((0,), "int64"), ((7,), "int32"),
                                      ((2, 1, 3), "int64"), ((4,), "int32"))):
        c.add("embedding", [spec(shape, idt, k, "contig", "idx6"), w], tag=f"{idt}-{len(shape)}d")
    c.add("embedding", [spec((3,), "int64", 2, "stepped", "idx6"),
                        spec((6, 3), "float32", 2, "transposed")], tag="strided")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": 2},
          tag="padding")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": -6},
          tag="padding-neg")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": 6},
          tag="bad-padding")
    for p in (2.0, 1.0):
        c.add("embedding", [spec((2, 3), "int64", 1, domain="idx6"), spec((6, 3), "float32", 2,
                                                                          domain="wide")],
              kwargs={"max_norm": 1.5, "norm_type": p}, tag=f"max-norm-{p}")
    c.add("embedding", [spec((3,), "int64", data=[0, 6, 1]), w], tag="out-of-range")
    c.add("embedding", [spec((2,), "int32", data=[-1, 0]), w], tag="negative")
    c.add("embedding", [spec((2,), "float32", data=[0.0, 1.0]), w], tag="float-index")
    c.add("embedding", [spec((2,), "int64", data=[0, 1]), spec((6,), "float32", 1)],
          tag="1d-weight")


def _pad_interpolate(c, grid):
    """nn.functional.pad and interpolate (ops/pad.py, ops/resize.py)."""
    x = spec((1, 2, 3, 4), "float32", 1)
    c.add("pad", [x], args=[T(0), [1, 2]], tag="const-last")
    c.add("pad", [spec((2, 3, 4), "int64", 2, "transposed")], args=[T(0), [2, -1, -1, 1]],
          kwargs={"value": 1.5}, tag="const-crop-int")
    c.add("pad", [spec((2, 3), "bool", 3)], args=[T(0), [1, 0, 0, 1]], kwargs={"value": 1},
          tag="const-bool")
    for mode in ("reflect", "replicate", "circular"):
        c.add("pad", [x], args=[T(0), [2, 1, 1, 2]], kwargs={"mode": mode}, tag=mode)
        c.add("pad", [spec((2, 5), "float32", 4, "stepped")], args=[T(0), [3, -1]],
              kwargs={"mode": mode}, tag=f"{mode}-unbatched-1d")
    c.add("pad", [spec((1, 1, 2, 2, 3), "float64", 5)], args=[T(0), [1, 1, 1, 0, 1, 1]],
          kwargs={"mode": "replicate"}, tag="replicate-3d")
    c.add("pad", [x], args=[T(0), [4, 0]], kwargs={"mode": "reflect"}, tag="reflect-too-big")
    c.add("pad", [x], args=[T(0), [1]], tag="odd-length")
    c.add("pad", [spec((1, 2, 3), "bool")], args=[T(0), [1, 1]], kwargs={"mode": "replicate"},
          tag="replicate-bool")
    y = spec((1, 2, 3, 4), "float32", 6)
    c.add("interpolate", [y], kwargs={"scale_factor": 2}, tag="nearest-x2")
    c.add("interpolate", [y], kwargs={"size": [5, 3], "mode": "nearest-exact"}, tag="exact")
    c.add("interpolate", [y], kwargs={"size": [5, 7], "mode": "bilinear"}, tag="bilinear")
    c.add("interpolate", [y], kwargs={"scale_factor": [1.5, 0.75], "mode": "bilinear",
                                      "align_corners": True}, tag="bilinear-corners")
    c.add("interpolate", [spec((2, 3, 5), "float32", 7, "transposed")],
          kwargs={"scale_factor": 1.7, "mode": "linear"}, tag="linear-scale")
    c.add("interpolate", [spec((1, 1, 2, 3, 2), "float64", 8)],
          kwargs={"size": 3, "mode": "trilinear"}, tag="trilinear")
    c.add("interpolate", [spec((1, 2, 5, 7), "float32", 9)], kwargs={"size": [2, 3],
                                                                     "mode": "area"},
          tag="area")
    c.add("interpolate", [spec((1, 2, 3, 4), "uint8", 10)], kwargs={"scale_factor": 1.5},
          tag="uint8")
    c.add("interpolate", [y], kwargs={"size": [5, 6], "mode": "bicubic"}, tag="bicubic")
    c.add("interpolate", [spec((1, 1, 4, 3), "float64", 11)],
          kwargs={"scale_factor": 0.7, "mode": "bicubic", "align_corners": True},
          tag="bicubic-corners")
    c.add("interpolate", [spec((1, 2, 9, 11), "float32", 12)],
          kwargs={"size": [4, 3], "mode": "bilinear", "antialias": True}, tag="antialias")
    c.add("interpolate", [spec((1, 1, 5, 8), "float32", 13)],
          kwargs={"scale_factor": 0.5, "mode": "bicubic", "antialias": True},
          tag="antialias-bicubic")
    c.add("interpolate", [y], kwargs={"size": 3, "mode": "linear"}, tag="linear-4d")
    c.add("upsample", [y], args=[T(0), None, 1.5, "bilinear"], tag="deprecated-alias")
    c.add("interpolate", [y], kwargs={"size": 0}, tag="size-0")
    if not grid:
        return
    for j, dt in enumerate(DTYPES):
        lay = _layout(j)
        for mode in ("constant", "reflect", "replicate", "circular"):
            c.add("pad", [spec((2, 3, 5, 19), dt, j, lay)], args=[T(0), [3, 2, 1, -1]],
                  kwargs={"mode": mode}, tag=f"{mode}-{dt}-{lay}")
        if dt in FLOATS or dt == "uint8":
            for k, kw in enumerate(({"scale_factor": 2}, {"size": [7, 33]},
                                    {"size": [3, 11], "mode": "nearest-exact"})):
                c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)], kwargs=kw,
                      tag=f"nearest{k}-{dt}-{lay}")
        if dt in FLOATS:
            tol = (2e-2, 1e-1) if dt in ("float16", "bfloat16") else None
            for k, kw in enumerate(({"size": [9, 41]}, {"scale_factor": 0.6},
                                    {"size": [4, 30], "align_corners": True})):
                c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)],
                      kwargs=dict(kw, mode="bilinear"), tag=f"bilinear{k}-{dt}-{lay}", tol=tol)
            c.add("interpolate", [spec((2, 3, 6, 19), dt, j, lay)],
                  kwargs={"size": [4, 7], "mode": "area"}, tag=f"area-{dt}-{lay}", tol=tol)
            c.add("interpolate", [spec((2, 3, 5, 19), dt, j, lay)],
                  kwargs={"size": [8, 27], "mode": "bicubic"}, tag=f"bicubic-{dt}-{lay}",
                  tol=tol)
            if dt in ("float32", "float64"):   # torch has no half-precision antialias
                c.add("interpolate", [spec((2, 3, 9, 37), dt, j, lay)],
                      kwargs={"size": [4, 10], "mode": "bilinear", "antialias": True},
                      tag=f"antialias-{dt}-{lay}")


def _losses(c, grid):
    """cross_entropy, nll_loss and the other losses (ops/loss.py)."""
    x, t = spec((3, 4), "float32", 1), spec((3,), "int64", 2, domain="idx4")
    w = spec((4,), "float32", 3, domain="pos")
    c.add("cross_entropy", [x, t], tag="mean")
    c.add("cross_entropy", [x, t, w], args=[T(0), T(1)],
          kwargs={"weight": T(2), "reduction": "none", "label_smoothing": 0.2}, tag="weighted")
    c.add("cross_entropy", [x, spec((3,), "int64", data=[1, -100, 3])],
          kwargs={"label_smoothing": 0.1}, tag="ignored")
    c.add("cross_entropy", [spec((2, 4, 3), "float64", 4, "transposed"),
                            spec((2, 3), "int64", 5, domain="idx4")],
          kwargs={"reduction": "sum", "ignore_index": 1}, tag="spatial")
    c.add("cross_entropy", [x, spec((3, 4), "float32", 6, domain="pos")],
          kwargs={"label_smoothing": 0.3}, tag="probs")
    c.add("cross_entropy", [spec((5,), "float32", 7), spec((), "int64", data=[2])],
          tag="unbatched")
    c.add("cross_entropy", [x, spec((3,), "int64", data=[0, 4, 1])], tag="out-of-bounds")
    c.add("cross_entropy", [x, spec((3,), "int32", 2, domain="idx4")], tag="int32-target")
    c.add("nll_loss", [x, t], tag="mean")
    c.add("nll_loss", [spec((2, 4, 2, 3), "float32", 8), spec((2, 2, 3), "int64", 9,
                                                                domain="idx4"), w],
          args=[T(0), T(1), T(2)], kwargs={"reduction": "none"}, tag="2d-weighted")
    c.add("nll_loss", [x, spec((3,), "int64", data=[-100, -100, -100])], tag="all-ignored")
    c.add("nll_loss", [x, spec((2,), "int64", data=[0, 1])], tag="batch-mismatch")
    a, b = spec((2, 3), "float32", 10), spec((2, 3), "float32", 11, "transposed")
    for op in ("mse_loss", "l1_loss", "smooth_l1_loss"):
        for red in ("mean", "sum", "none"):
            c.add(op, [a, b], kwargs={"reduction": red}, tag=red)
        c.add(op, [a, spec((3,), "float64", 12)], tag="broadcast")
    c.add("smooth_l1_loss", [a, b], kwargs={"beta": 0.3}, tag="beta")
    c.add("huber_loss", [a, b], kwargs={"delta": 0.7, "reduction": "sum"}, tag="delta")
    c.add("huber_loss", [a, b, spec((2, 3), "float32", 13, domain="pos")], args=[T(0), T(1)],
          kwargs={"weight": T(2), "reduction": "none"}, tag="weighted")
    c.add("kl_div", [spec((2, 3), "float32", 14, domain="unit"),
                     spec((2, 3), "float32", 15, domain="pos")],
          kwargs={"reduction": "batchmean"}, tag="batchmean")
    c.add("kl_div", [a, b], kwargs={"reduction": "none", "log_target": True}, tag="log-target")
    c.add("mse_loss", [a, b, spec((2, 3), "float32", 13, domain="pos")],
          args=[T(0), T(1)], kwargs={"weight": T(2)}, tag="weighted")
    c.add("l1_loss", [spec((2, 3), "int64", 1), spec((2, 3), "int64", 2)],
          kwargs={"reduction": "sum"}, tag="int")
    p = spec((2, 3), "float32", data=[0.25, 0.5, 0.75, 0.0, 1.0, 0.125])
    q = spec((2, 3), "float32", data=[1.0, 0.5, 0.0, 0.25, 0.0, 1.0])
    c.add("binary_cross_entropy", [p, q], tag="mean")
    c.add("binary_cross_entropy", [p, q, spec((3,), "float32", 3, domain="pos")],
          args=[T(0), T(1), T(2)], kwargs={"reduction": "none"}, tag="weighted")
    c.add("binary_cross_entropy", [q, spec((2, 3), "float32", 3)], tag="out-of-range")
    c.add("binary_cross_entropy_with_logits", [spec((2, 3), "float32", 14, domain="wide"), q],
          tag="mean")
    c.add("binary_cross_entropy_with_logits",
          [spec((2, 3), "float32", 15), q, spec((2, 3), "float32", 16, domain="pos"),
           spec((3,), "float32", 17, domain="pos")], args=[T(0), T(1)],
          kwargs={"weight": T(2), "pos_weight": T(3), "reduction": "sum"}, tag="pos-weight")
    c.add("binary_cross_entropy_with_logits", [a, spec((3,), "float32")], tag="size-mismatch")
    if not grid:
        return
    for j, dt in enumerate(("float32", "float64")):
        for k, lay in enumerate(LAYOUTS):
            xs = spec((6, 37), dt, j + k, lay)
            ts = spec((6,), "int64", k, domain="idx5")
            c.add("cross_entropy", [xs, ts], kwargs={"label_smoothing": 0.1},
                  tag=f"{dt}-{lay}")
            c.add("nll_loss", [xs, ts], kwargs={"reduction": "sum"}, tag=f"{dt}-{lay}")
            for op in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"):
                c.add(op, [xs, spec((6, 37), dt, k + 5)], tag=f"{dt}-{lay}")
            c.add("kl_div", [xs, spec((6, 37), dt, k + 5, domain="pos")],
                  kwargs={"reduction": "sum"}, tag=f"{dt}-{lay}")
            c.add("binary_cross_entropy_with_logits",
                  [xs, spec((6, 37), dt, k + 2, domain="unit")], tag=f"{dt}-{lay}")


def _aliases(c):
    aliases = {"negative": "neg", "multiply": "mul", "subtract": "sub", "divide": "div",
               "true_divide": "div", "greater": "gt", "less": "lt", "greater_equal": "ge",
               "less_equal": "le", "not_equal": "ne", "clip": "clamp", "arctan2": "atan2",
               "absolute": "abs", "fmax": "maximum", "fmin": "minimum"}
    for alias, target in aliases.items():
        if target in UNARY:
            c.add(alias, [spec((2, 3), "float32", 1)])
        elif target == "clamp":
            c.add(alias, [spec((2, 3), "float32", 1)], args=[T(0), -1.0, 1.0])
        else:
            c.add(alias, [spec((2, 3), "float32", 1), spec((3,), "float32", 2, domain="nonzero")])
    c.add("fmax", [spec((9,), "float32", domain="special"),
                   spec((9,), "float32", 4, "offset", "special")], tag="special")
    c.add("fmin", [spec((9,), "float32", domain="special"),
                   spec((9,), "float32", 4, "offset", "special")], tag="special")


def _nn(c, grid):
    """conv1d/conv2d and pooling (NCHW). Golden: small shapes; the grid adds layouts, dtypes
    and rows wide enough for the kernels' vector loops."""
    x, w, b = spec((1, 2, 4, 5), "float32", 1), spec((3, 2, 2, 2), "float32", 2), \
        spec((3,), "float32", 3)
    c.add("conv2d", [x, w, b], kwargs={"padding": 1}, tag="pad1-bias")
    c.add("conv2d", [x, w], kwargs={"stride": [2, 1], "dilation": [1, 2]}, tag="stride-dil")
    c.add("conv2d", [x, w], kwargs={"padding": "same"}, tag="same-even")
    c.add("conv2d", [spec((2, 3, 5, 5), "float32", 4), spec((6, 1, 3, 3), "float32", 5)],
          kwargs={"groups": 3, "padding": 1}, tag="depthwise-x2")
    c.add("conv2d", [spec((4, 4, 3), "float32", 4), spec((2, 2, 1, 1), "float32", 5)],
          kwargs={"groups": 2}, tag="unbatched-grouped-1x1")
    c.add("conv2d", [spec((1, 2, 4, 5), "int64", 1), spec((3, 2, 2, 2), "int64", 2)],
          tag="int64")
    c.add("conv2d", [x, spec((3, 3, 2, 2), "float32", 2)], tag="channel-mismatch")
    c.add("conv2d", [x, w], kwargs={"padding": "same", "stride": 2}, tag="same-strided")
    c.add("conv1d", [spec((2, 2, 7), "float32", 1), spec((3, 2, 3), "float32", 2),
                     spec((3,), "float32", 3)], kwargs={"padding": "same"}, tag="same-bias")
    c.add("conv1d", [spec((2, 7), "float32", 1), spec((2, 1, 2), "float32", 2)],
          kwargs={"groups": 2, "stride": 2}, tag="unbatched-depthwise")
    p = spec((1, 2, 5, 6), "float32", 6, domain="special")
    c.add("max_pool2d", [p], args=[T(0), 2], tag="k2")
    c.add("max_pool2d", [p], args=[T(0), 3, 2, 1], kwargs={"ceil_mode": True},
          tag="k3s2p1-ceil")
    c.add("max_pool2d", [spec((2, 5, 6), "float32", 7)], args=[T(0), [2, 3]],
          kwargs={"stride": 1, "dilation": [2, 1], "return_indices": True}, tag="indices")
    c.add("max_pool2d", [spec((1, 2, 5, 6), "int64", 6)], args=[T(0), 2], tag="int64")
    c.add("max_pool2d", [spec((1, 2, 5, 6), "bool", 6)], args=[T(0), 2], tag="bool")
    c.add("max_pool2d", [p], args=[T(0), 3, 1, 2], tag="pad-too-big")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "float32", 8)], args=[T(0), 3, 2, 1],
          kwargs={"count_include_pad": False, "ceil_mode": True}, tag="no-pad-count")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "float32", 8)], args=[T(0), 2],
          kwargs={"divisor_override": 3}, tag="divisor")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "int64", 8)], args=[T(0), 3, 2, 1], tag="int64")
    c.add("avg_pool2d", [spec((1, 2, 5, 6), "int32", 8)], args=[T(0), 2], tag="int32")
    c.add("adaptive_avg_pool2d", [spec((1, 2, 5, 7), "float32", 9)], args=[T(0), [None, 3]],
          tag="none-3")
    c.add("adaptive_avg_pool2d", [spec((2, 5, 7), "float32", 9)], args=[T(0), 1],
          tag="global")
    c.add("adaptive_max_pool2d", [spec((1, 2, 5, 7), "float32", 9, domain="special")],
          args=[T(0), [3, 2], True], tag="indices")
    c.add("max_pool1d", [spec((2, 2, 9), "float32", 10)], args=[T(0), 3, 2, 1],
          kwargs={"ceil_mode": True}, tag="ceil")
    c.add("max_pool1d", [spec((2, 9), "float32", 10)], args=[T(0), 2],
          kwargs={"return_indices": True}, tag="indices")
    c.add("avg_pool1d", [spec((2, 2, 9), "float32", 11)], args=[T(0), 3, 2, 1], tag="pad")
    if not grid:
        return
    for j, dt in enumerate(("float32", "float64", "float16", "bfloat16", "int64", "int32")):
        lay = _layout(j)
        c.add("conv2d", [spec((2, 4, 6, 13), dt, j, lay), spec((6, 2, 3, 3), dt, j + 1),
                         spec((6,), dt, j + 2)], kwargs={"groups": 2, "padding": 1},
              tag=f"{dt}-{lay}", tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        c.add("conv2d", [spec((1, 4, 9, 21), dt, j, lay), spec((4, 1, 3, 3), dt, j + 1)],
              kwargs={"groups": 4, "stride": [1, 2], "padding": 1}, tag=f"dw-{dt}-{lay}",
              tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        c.add("conv1d", [spec((2, 3, 17), dt, j, lay), spec((4, 3, 1), dt, j + 1)],
              tag=f"1x1-{dt}-{lay}", tol=(2e-2, 1e-1) if dt in ("float16", "bfloat16") else None)
        for k, s_, p_ in ((2, None, 0), (3, 2, 1), (3, 1, 1)):
            c.add("max_pool2d", [spec((2, 3, 7, 19), dt, j, lay, "special")],
                  args=[T(0), k, s_, p_], kwargs={"return_indices": k == 3},
                  tag=f"{dt}-{lay}-k{k}")
            if dt != "int32":
                c.add("avg_pool2d", [spec((2, 3, 7, 19), dt, j, lay)],
                      args=[T(0), k, s_, p_], tag=f"{dt}-{lay}-k{k}")
        if dt not in ("int64", "int32"):
            for osz in (1, [3, 4], [7, 19], [None, 5]):
                c.add("adaptive_avg_pool2d", [spec((2, 3, 7, 19), dt, j, lay)],
                      args=[T(0), osz], tag=f"{dt}-{lay}-{osz}")
                c.add("adaptive_max_pool2d", [spec((2, 3, 7, 19), dt, j, lay, "special")],
                      args=[T(0), osz, True], tag=f"{dt}-{lay}-{osz}")


def _norm_attention(c, grid):
    """layer_norm, rms_norm, group_norm, scaled_dot_product_attention."""
    half = {"float16": (2e-3, 4e-3), "bfloat16": (2e-2, 4e-2)}
    for k, dt in enumerate(FLOATS if grid else ("float32",)):
        lay = _layout(k)
        c.add("layer_norm", [spec((2, 3, 5), dt, 1, lay), spec((5,), dt, 2), spec((5,), dt, 3)],
              args=[T(0), [5], T(1), T(2)], tag=dt, tol=half.get(dt))
        c.add("layer_norm", [spec((3, 2, 4), dt, 4, lay)], args=[T(0), [2, 4]], tag=dt + "-2d",
              tol=half.get(dt))
        c.add("rms_norm", [spec((2, 3, 6), dt, 5, lay), spec((6,), dt, 6)],
              args=[T(0), [6], T(1)], tag=dt, tol=half.get(dt))
        c.add("group_norm", [spec((2, 4, 3), dt, 7, lay), spec((4,), dt, 8), spec((4,), dt, 9)],
              args=[T(0), 2, T(1), T(2)], tag=dt, tol=half.get(dt))
        c.add("scaled_dot_product_attention",
              [spec((2, 3, 5), dt, 1, lay), spec((2, 4, 5), dt, 2), spec((2, 4, 3), dt, 3)],
              tag=dt, tol=half.get(dt))
    sd = "scaled_dot_product_attention"
    c.add("layer_norm", [spec((3, 7), "float32", 2, domain="special")], args=[T(0), [7]],
          kwargs={"eps": 1e-3}, tag="special")
    c.add("layer_norm", [spec((0, 4), "float32")], args=[T(0), [4]], tag="empty")
    c.add("layer_norm", [spec((2, 3), "float32")], args=[T(0), [4]], tag="bad-shape")
    c.add("layer_norm", [spec((2, 3), "int64")], args=[T(0), [3]], tag="int")
    c.add("rms_norm", [spec((4, 9), "float32", 3, "stepped")], args=[T(0), [9]],
          kwargs={"eps": 0.25}, tag="eps")
    c.add("rms_norm", [spec((2, 3), "float32"), spec((2,), "float32")], args=[T(0), [3], T(1)],
          tag="bad-weight")
    c.add("group_norm", [spec((2, 6, 2, 2), "float32", 4, "transposed")], args=[T(0), 3],
          tag="4d")
    c.add("group_norm", [spec((2, 6), "float32", 4)], args=[T(0), 4], tag="indivisible")
    c.add(sd, [spec((2, 2, 3, 4), "float32", 1), spec((2, 1, 6, 4), "float32", 2),
               spec((2, 1, 6, 3), "float32", 3), spec((3, 6), "bool", 4)],
          args=[T(0), T(1), T(2), T(3)], tag="bool-mask")
    c.add(sd, [spec((2, 3, 4), "float32", 1), spec((2, 6, 4), "float32", 2),
               spec((2, 6, 3), "float32", 3), spec((1, 3, 6), "float32", 4)],
          args=[T(0), T(1), T(2)], kwargs={"attn_mask": T(3), "scale": 0.5}, tag="float-mask")
    c.add(sd, [spec((1, 4, 5, 3), "float32", 1), spec((1, 2, 7, 3), "float32", 2),
               spec((1, 2, 7, 2), "float32", 3, "stepped")],
          kwargs={"is_causal": True, "enable_gqa": True}, tag="causal-gqa")
    c.add(sd, [spec((3, 2), "float32", 1), spec((3, 2), "float32", 2),
               spec((3, 2), "float32", 3), spec((3, 3), "float32",
                                                data=["-inf"] * 3 + [0.0] * 6)],
          args=[T(0), T(1), T(2), T(3)], tag="fully-masked")
    c.add(sd, [spec((3, 4), "float32"), spec((5, 4), "float32"), spec((5, 2), "float32")],
          kwargs={"is_causal": True, "attn_mask": T(0)}, tag="mask-and-causal")
    c.add(sd, [spec((3, 4), "float32"), spec((5, 3), "float32"), spec((5, 2), "float32")],
          tag="bad-E")
    if grid:
        for k, (L, S, E) in enumerate(((1, 1, 1), (5, 70, 7), (9, 3, 16), (0, 3, 2), (2, 0, 3))):
            c.add(sd, [spec((2, L, E), "float32", k), spec((2, S, E), "float32", k + 1, "offset"),
                       spec((2, S, 5), "float32", k + 2, "transposed")], tag=f"{L}x{S}x{E}")
            c.add(sd, [spec((2, L, E), "float32", k), spec((2, S, E), "float32", k + 1),
                       spec((2, S, 5), "float32", k + 2)], kwargs={"is_causal": True},
                  tag=f"causal-{L}x{S}x{E}")
        for k, (L, S, E) in enumerate(((5, 70, 7), (3, 1, 4))):     # float64's own kernel
            c.add(sd, [spec((2, 2, L, E), "float64", k, "transposed"),
                       spec((2, 1, S, E), "float64", k + 1, "offset"),
                       spec((2, 1, S, 3), "float64", k + 2)],
                  kwargs={"is_causal": True, "enable_gqa": True}, tag=f"f64-{L}x{S}x{E}")
        c.add(sd, [spec((2, 3, 4), "float64", 1), spec((2, 6, 4), "float64", 2),
                   spec((2, 6, 3), "float64", 3), spec((3, 6), "bool", 4)],
              args=[T(0), T(1), T(2), T(3)], tag="f64-bool-mask")
        for n in (1, 4, 13, 600):
            c.add("layer_norm", [spec((3, n), "float32", n, "offset"), spec((n,), "float32", 1)],
                  args=[T(0), [n], None, T(1)], tag=f"n{n}")
            c.add("rms_norm", [spec((3, n), "float32", n, "expanded")], args=[T(0), [n]],
                  tag=f"n{n}")


def cases(level="golden"):
    grid = level == "grid"
    c = _Catalogue()
    _unary(c, grid)
    _binary(c, grid)
    _clamp_where(c, grid)
    _reduce(c, grid)
    _linalg(c, grid)
    _shape(c, grid)
    _index(c, grid)
    _nn(c, grid)
    _norm_attention(c, grid)
    _embedding(c, grid)
    _pad_interpolate(c, grid)
    _losses(c, grid)
    _aliases(c)
    surface(c, grid)
    return c.cases
