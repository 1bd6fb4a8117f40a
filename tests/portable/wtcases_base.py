"""The case catalogue's shared pieces: op lists, the spec shorthands (T, F, DT), the
catalogue that names cases. Stdlib only (runs inside Pyodide)."""
from wtcheck import DTYPES, LAYOUTS

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
