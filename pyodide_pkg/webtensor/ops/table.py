"""THE op table: every public op, its category, the primitive it dispatches to, and whether it
is also a Tensor method / has an in-place `op_` method. README's op list is generated from it.
"""
from .._dispatch import shortcut
from . import conv as C, elementwise as E, index as I, linalg as L, pool as P, reduce as R, \
    shape as S

UNARY = ("neg", "abs", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tanh",
         "sigmoid", "relu", "gelu", "silu", "erf", "floor", "ceil", "round", "sign",
         "reciprocal", "logical_not", "bitwise_not")
BINARY = ("add", "sub", "mul", "div", "pow", "maximum", "minimum", "remainder", "atan2",
          "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor",
          "bitwise_and", "bitwise_or", "bitwise_xor")
REDUCE = ("sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "var", "logsumexp",
          "all", "any")


class Op:
    """fn: the op's function; for SHORTCUT_OPS wrapped by _dispatch.shortcut (fn.__wrapped__
    is then the op body)."""
    __slots__ = ("name", "fn", "category", "primitive", "method", "inplace")

    def __init__(self, name, fn, category, primitive, method=True, inplace=False):
        self.name, self.fn, self.category = name, fn, category
        self.primitive, self.method, self.inplace = primitive, method, inplace


_BARE = {"sum", "mean", "prod", "amax", "amin"}   # x.sum(): shortcuts for the no-argument call
# The ops a backend may bring shortcuts for (small ops, where Python overhead is the cost);
# only these pay for the shortcut wrapper. In-place and operator forms get theirs in ops/.
SHORTCUT_OPS = set(UNARY) | set(BINARY) | _BARE | {"matmul", "linear",
                                                   "scaled_dot_product_attention", "fold",
                                                   "unravel_index",
                                                   "floor_divide", "fmod", "square", "isnan",
                                                   "isinf", "isfinite", "trunc", "frac", "lerp",
                                                   "tril", "triu", "outer"}


def _form(name, fn, category):
    """The call form of op `name` for _dispatch.shortcut."""
    if category == "unary":   # gelu(x, approximate=...), round(x, decimals=...): "bare"
        simple = fn.__code__.co_argcount == 1 and not fn.__code__.co_flags & 12
        return "unary" if simple else "bare"
    if category == "binary" and name in BINARY:
        return "binary"
    return "bare" if name in _BARE else "call"


def _unary_fn(name):
    def f(input):
        return E.unary(name, input)
    f.__name__ = name
    return f


def _binary_fn(name):
    def f(input, other):
        return E.binary(name, input, other)
    f.__name__ = name
    return f


_SPECIAL = {"gelu": E.gelu, "round": E.round, "add": E.add, "sub": E.sub, "div": E.div}

OPS = {}


def _add(name, fn, category, primitive, method=True, inplace=False):
    if name in SHORTCUT_OPS:
        fn = shortcut(name, fn, _form(name, fn, category))
    OPS[name] = Op(name, fn, category, primitive, method, inplace)


for _n in UNARY:
    _add(_n, _SPECIAL.get(_n) or _unary_fn(_n), "unary", "unary", method=True, inplace=True)
for _n in BINARY:
    _add(_n, _SPECIAL.get(_n) or _binary_fn(_n), "binary", "binary", inplace=True)
for _n, _f in (("rsub", E.rsub), ("floor_divide", E.floor_divide), ("square", E.square),
               ("lerp", E.lerp), ("fmax", E.fmax), ("fmin", E.fmin)):
    _add(_n, _f, "binary", "binary", inplace=_n not in ("rsub", "fmax", "fmin"))
for _n, _f in (("clamp", E.clamp), ("clamp_min", E.clamp_min), ("clamp_max", E.clamp_max)):
    _add(_n, _f, "binary", "clamp", inplace=True)
_add("where", E.where, "binary", "where")
for _n in ("isnan", "isinf", "isfinite"):
    _add(_n, getattr(E, _n), "unary", "binary")

for _n in ("sum", "mean", "prod", "amax", "amin", "argmax", "argmin", "max", "min", "var",
           "std", "var_mean", "std_mean", "logsumexp", "all", "any", "count_nonzero"):
    _add(_n, getattr(R, _n), "reduce", "reduce")
for _n in ("cumsum", "cumprod"):
    _add(_n, getattr(R, _n), "scan", _n)
for _n in ("softmax", "log_softmax"):
    _add(_n, getattr(R, _n), "softmax", _n)

for _n in ("matmul", "mm", "bmm", "dot", "mv", "outer"):
    _add(_n, getattr(L, _n), "linalg", "matmul")
_add("linear", L.linear, "nn", "linear", method=False)

for _n in ("cat", "concat", "concatenate", "stack", "hstack", "vstack"):
    _add(_n, getattr(S, _n), "shape", "copy", method=False)
for _n in ("split", "chunk", "tensor_split", "flip", "fliplr", "flipud", "roll", "repeat",
           "tile", "repeat_interleave", "tril", "triu", "broadcast_to"):
    _add(_n, getattr(S, _n), "shape", "copy", inplace=_n in ("tril", "triu"))

for _n in ("gather", "take_along_dim"):
    _add(_n, getattr(I, _n), "index", "gather")
for _n in ("scatter", "scatter_add", "scatter_reduce"):
    _add(_n, getattr(I, _n), "index", "scatter", inplace=True)
_add("index_select", I.index_select, "index", "index_select")
_add("index_copy", I.index_copy, "index", "scatter")
_add("masked_fill", I.masked_fill, "index", "where", inplace=True)
_add("masked_select", I.masked_select, "index", "index_select")
_add("one_hot", I.one_hot, "index", "binary", method=False)
for _n in ("sort", "argsort", "msort", "topk"):
    _add(_n, getattr(I, _n), "sort", "sort")
for _n in ("nonzero", "argwhere"):
    _add(_n, getattr(I, _n), "index", "host")

# torch.conv2d / torch.nn.functional.*: functions only, over NCHW
for _n in ("conv1d", "conv2d"):
    _add(_n, getattr(C, _n), "nn", "conv2d", method=False)
for _n in ("max_pool1d", "max_pool2d"):
    _add(_n, getattr(P, _n), "nn", "max_pool2d", method=False)
for _n in ("avg_pool1d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d"):
    _add(_n, getattr(P, _n), "nn", _n.replace("1d", "2d"), method=False)
from . import attention as A, norm as NM  # noqa: E402  (after the core ops, like imports)

for _n in ("layer_norm", "rms_norm"):
    _add(_n, getattr(NM, _n), "nn", _n, method=False)
_add("group_norm", NM.group_norm, "nn", "layer_norm", method=False)
_add("scaled_dot_product_attention", A.scaled_dot_product_attention, "nn", "sdpa",
     method=False)
from . import embedding as _emb  # noqa: E402
_add("embedding", _emb.embedding, "nn", "index_select", method=False)
from . import pad as _pad, resize as _resize  # noqa: E402
_add("pad", _pad.pad, "nn", "index_select", method=False)
_add("interpolate", _resize.interpolate, "nn", "index_select", method=False)
_add("upsample", _resize.upsample, "nn", "index_select", method=False)
from . import loss as _loss  # noqa: E402
for _n in ("cross_entropy", "nll_loss"):
    _add(_n, getattr(_loss, _n), "nn", "gather", method=False)
for _n in ("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div",
           "binary_cross_entropy", "binary_cross_entropy_with_logits"):
    _add(_n, getattr(_loss, _n), "nn", "binary", method=False)

# Composites of the primitives above that model files use (the torch-surface list,
# tests/golden/torch_surface.json); the primitive named is the one they mostly run on.
from . import index_put as _ip, unique as _uq  # noqa: E402
for _n in ("trunc", "frac"):
    _add(_n, getattr(E, _n), "unary", "unary", inplace=True)
for _n in ("fmod", "xlogy", "addcmul", "addcdiv"):
    _add(_n, getattr(E, _n), "binary", "binary", inplace=True)
for _n in ("isposinf", "isneginf"):
    _add(_n, getattr(E, _n), "unary", "binary")
for _n in ("nansum", "nanmean"):
    _add(_n, getattr(R, _n), "reduce", "reduce")
_add("index_add", _ip.index_add, "index", "scatter", inplace=True)
_add("index_fill", _ip.index_fill, "index", "where", inplace=True)
_add("index_put", _ip.index_put, "index", "scatter", inplace=True)
_add("masked_scatter", _ip.masked_scatter, "index", "where", inplace=True)
_add("put", _ip.put, "index", "scatter", inplace=True)
_add("unravel_index", _ip.unravel_index, "index", "binary", method=False)
for _n in ("searchsorted", "bucketize"):
    _add(_n, getattr(_uq, _n), "index", "binary", method=False)
_add("cdist", NM.cdist, "linalg", "reduce", method=False)
for _n in ("unique", "unique_consecutive"):
    _add(_n, getattr(_uq, _n), "index", "sort")
_add("isin", _uq.isin, "index", "binary", method=False)
_add("histc", _uq.histc, "reduce", "scatter")
_add("bincount", _uq.bincount, "reduce", "scatter")
_add("diff", S.diff, "shape", "copy")
_add("meshgrid", S.meshgrid, "shape", "copy", method=False)
for _n in ("pixel_shuffle", "pixel_unshuffle"):
    _add(_n, getattr(S, _n), "nn", "copy", method=False)
from . import fold as _fold  # noqa: E402
from .grid_sample import grid_sample  # noqa: E402
_add("grid_sample", grid_sample, "nn", "gather", method=False)
for _n in ("unfold", "fold"):        # F.unfold / F.fold (Tensor.unfold is the view)
    _add(_n, getattr(_fold, _n), "nn", "copy", method=False)
for _n in ("cosine_similarity", "pairwise_distance"):
    _add(_n, getattr(NM, _n), "nn", "reduce", method=False)

# Aliases users reach for.
ALIASES = {"negative": "neg", "multiply": "mul", "subtract": "sub", "divide": "div",
           "true_divide": "div", "greater": "gt", "less": "lt", "greater_equal": "ge",
           "less_equal": "le", "not_equal": "ne", "clip": "clamp", "arctan2": "atan2",
           "absolute": "abs", "fix": "trunc"}


def markdown():
    """The op list for README (kept in sync by tests/test_readme.py)."""
    cats = {}
    for op in OPS.values():
        cats.setdefault(op.category, []).append(op)
    lines = ["| category | ops (* = also in place as `op_`) | primitive |", "|---|---|---|"]
    for cat, ops in cats.items():
        prims = sorted({o.primitive for o in ops})
        names = ", ".join(f"`{o.name}`{'*' if o.inplace else ''}" for o in ops)
        lines.append(f"| {cat} | {names} | {', '.join(prims)} |")
    aliases = ", ".join(f"`{a}`→`{t}`" for a, t in ALIASES.items())
    lines.append(f"\nAliases: {aliases}.")
    return "\n".join(lines)


def readme_with_ops(text):
    """README text with the block between the ops markers replaced by markdown()."""
    begin, end = "<!-- ops:begin -->", "<!-- ops:end -->"
    head, rest = text.split(begin, 1)
    return head + begin + "\n" + markdown() + "\n" + end + rest.split(end, 1)[1]


if __name__ == "__main__":  # python -m webtensor.ops.table [README.md]  (rewrites it in place)
    import sys
    if len(sys.argv) > 1:
        with open(sys.argv[1]) as f:
            text = readme_with_ops(f.read())
        with open(sys.argv[1], "w") as f:
            f.write(text)
    else:
        print(markdown())
