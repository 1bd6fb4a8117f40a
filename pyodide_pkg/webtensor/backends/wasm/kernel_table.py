"""Every WASM kernel: its name, argument signature, and which ISA build has which variant.

This table is the single list the build script checks the modules against, the loaders bind,
the backend calls and the tests and benchmarks enumerate. Kernel names follow XNNPACK's
habit -- dtype, op (the same op name as in Python), tile -- and the exported symbol adds the
ISA: ``wt_<name>_wasmsimd`` / ``wt_<name>_wasmrelaxedsimd``.

Argument kinds:
  size  unsigned element count (u32 on wasm32)
  i32   signed stride in elements
  f32   float scalar
  in    pointer the kernel only reads
  out   pointer the kernel writes (and may read)
"""
from collections import namedtuple

ISAS = ("simd128", "relaxedsimd")
SUFFIX = {"simd128": "wasmsimd", "relaxedsimd": "wasmrelaxedsimd"}
MODULE_FILE = {"simd128": "webtensor_simd128.wasm", "relaxedsimd": "webtensor_relaxedsimd.wasm"}

Kernel = namedtuple("Kernel", "name family op args relaxed")
Kernel.__doc__ = """name: table key, e.g. "f32_exp"; family: the argument shape shared by a
group (unary/binary/compare/binary_flat(c)/compare_flat(c)/reduce/argreduce/var/rowwise/gemm/gemv/copy); op: the Python op
name ("gemv": matmul's M == 1 path);
args: ((kind, arg name), ...); relaxed: True if the relaxed build has its own variant."""

UNARY_OPS = ("neg", "abs", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos",
             "tanh", "sigmoid", "relu", "gelu", "gelu_tanh", "silu", "erf", "floor", "ceil",
             "round", "sign", "reciprocal")
# unary ops whose polynomials use relaxed madd in the relaxed build
RELAXED_UNARY = ("exp", "log", "log1p", "expm1", "tanh", "sigmoid", "silu", "gelu_tanh",
                 "erf", "gelu")
ARITH_OPS = ("add", "sub", "mul", "div", "maximum", "minimum")
COMPARE_OPS = ("eq", "ne", "lt", "le", "gt", "ge")
REDUCE_OPS = ("sum", "mean", "prod", "amax", "amin", "logsumexp")
ARGREDUCE_OPS = ("argmax", "argmin")
ROWWISE_OPS = ("softmax", "log_softmax", "cumsum")   # output has the input's shape
COPY_BITS = (8, 16, 32, 64)

GEMM_MR, GEMM_NR = 4, 8
GEMV_NR = 32          # y[n] = x[k] @ B[k, n]: matmul with M == 1, in 32-column chunks

_UNARY = (("size", "n"), ("in", "x"), ("out", "y"))
_BINARY = (("size", "m"), ("size", "n"), ("in", "a"), ("i32", "a_rs"), ("i32", "a_cs"),
           ("in", "b"), ("i32", "b_rs"), ("i32", "b_cs"), ("out", "y"))
# same shape, contiguous (_flat); or b one value (_flatc)
_BINARY_FLAT = (("size", "n"), ("in", "a"), ("in", "b"), ("out", "y"))
_MIDDLE = (("size", "outer"), ("size", "n"), ("size", "inner"), ("in", "x"), ("out", "y"))
_VAR = (("size", "outer"), ("size", "n"), ("size", "inner"), ("f32", "correction"),
        ("in", "x"), ("out", "y"))
_GEMM = (("size", "batch"), ("size", "m"), ("size", "n"), ("size", "k"),
         ("in", "a"), ("i32", "a_bs"), ("i32", "a_rs"), ("i32", "a_cs"),
         ("in", "b"), ("i32", "b_bs"), ("i32", "ldb"),
         ("out", "c"), ("i32", "c_bs"), ("i32", "ldc"))
_GEMV = (("size", "batch"), ("size", "n"), ("size", "k"),
         ("in", "x"), ("i32", "x_bs"), ("i32", "x_cs"),
         ("in", "b"), ("i32", "b_bs"), ("i32", "ldb"),
         ("out", "y"), ("i32", "y_bs"))
_COPY = (("size", "ndim"), ("in", "shape"), ("in", "strides"), ("in", "x"), ("out", "y"))
COPY_MAX_DIM = 16


def _build():
    ks = []
    for op in UNARY_OPS:
        ks.append(Kernel("f32_" + op, "unary", op, _UNARY, op in RELAXED_UNARY))
    for op in ARITH_OPS:
        ks.append(Kernel("f32_" + op, "binary", op, _BINARY, False))
    for op in COMPARE_OPS:
        ks.append(Kernel("f32_" + op, "compare", op, _BINARY, False))
    for op in ARITH_OPS:
        ks.append(Kernel("f32_" + op + "_flat", "binary_flat", op, _BINARY_FLAT, False))
    for op in COMPARE_OPS:
        ks.append(Kernel("f32_" + op + "_flat", "compare_flat", op, _BINARY_FLAT, False))
    for op in ARITH_OPS:
        ks.append(Kernel("f32_" + op + "_flatc", "binary_flatc", op, _BINARY_FLAT, False))
    for op in COMPARE_OPS:
        ks.append(Kernel("f32_" + op + "_flatc", "compare_flatc", op, _BINARY_FLAT, False))
    for op in REDUCE_OPS:
        ks.append(Kernel("f32_" + op, "reduce", op, _MIDDLE, False))
    ks.append(Kernel("f32_var", "var", "var", _VAR, False))
    for op in ARGREDUCE_OPS:
        ks.append(Kernel("f32_" + op, "argreduce", op, _MIDDLE, False))
    for op in ROWWISE_OPS:
        ks.append(Kernel("f32_" + op, "rowwise", op, _MIDDLE, False))
    ks.append(Kernel(f"f32_gemm_{GEMM_MR}x{GEMM_NR}", "gemm", "matmul", _GEMM, True))
    ks.append(Kernel(f"f32_gemv_1x{GEMV_NR}", "gemv", "gemv", _GEMV, True))
    for bits in COPY_BITS:
        ks.append(Kernel(f"x{bits}_copy", "copy", "copy", _COPY, False))
    return {k.name: k for k in ks}


KERNELS = _build()


def symbol(name, isa):
    """Exported symbol of kernel `name` in the `isa` build."""
    k = KERNELS[name]
    variant = "relaxedsimd" if (isa == "relaxedsimd" and k.relaxed) else "simd128"
    return f"wt_{name}_{SUFFIX[variant]}"


def symbols(isa):
    """{kernel name: symbol} for every kernel of the `isa` build."""
    return {name: symbol(name, isa) for name in KERNELS}
