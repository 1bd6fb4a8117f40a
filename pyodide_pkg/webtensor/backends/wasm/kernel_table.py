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

from .kernel_table_quant import (  # noqa: F401 (the quantised rows of this table)
    QUANT_KINDS, QUANT_KINDS_SUB, QGEMV, QGEMM, DEQUANTIZE, QUANTIZE, QD8_GEMV, QD16_GEMV,
    QD16_GEMM, QD16_QUANTIZE, QD16_DEQUANTIZE, quant_kernels)

ISAS = ("simd128", "relaxedsimd")
SUFFIX = {"simd128": "wasmsimd", "relaxedsimd": "wasmrelaxedsimd"}
MODULE_FILE = {"simd128": "webtensor_simd128.wasm", "relaxedsimd": "webtensor_relaxedsimd.wasm"}

Kernel = namedtuple("Kernel", "name family op args relaxed")
Kernel.__doc__ = """name: table key, e.g. "f32_exp"; family: the argument shape shared by a
group of kernels (e.g. unary, gemm, linear, copy, im2col, maxpool); op: the Python op name
("gemv": matmul's M == 1 path; "linear" also serves matmul's `x @ W.T`; "im2col": conv2d's
patch matrix);
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
# y = act(x @ W^T + bias) with W [n, k] read in place (nn.Linear; matmul's `x @ W.T`);
# act codes are indices into LINEAR_ACTS
LINEAR_KERNEL = "f32_linear_%dx%d" % (GEMM_MR, GEMM_NR)
LINEAR_ACTS = (None, "relu", "gelu", "gelu_tanh", "silu")

_UNARY = (("size", "n"), ("in", "x"), ("out", "y"))
_BINARY = (("size", "m"), ("size", "n"), ("in", "a"), ("i32", "a_rs"), ("i32", "a_cs"),
           ("in", "b"), ("i32", "b_rs"), ("i32", "b_cs"), ("out", "y"))
# same shape, contiguous (_flat); or b one value (_flatc)
_BINARY_FLAT = (("size", "n"), ("in", "a"), ("in", "b"), ("out", "y"))
_MIDDLE = (("size", "outer"), ("size", "n"), ("size", "inner"), ("in", "x"), ("out", "y"))
_DOT_ROWS = (("size", "rows"), ("size", "n"), ("in", "a"), ("in", "b"), ("out", "y"))
_ROWS = (("size", "rows"), ("size", "n"), ("in", "x"), ("out", "y"))
_HALF_VAR = (("size", "rows"), ("size", "n"), ("f32", "correction"), ("in", "x"), ("out", "y"))
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
_LINEAR = (("size", "batch"), ("size", "m"), ("size", "n"), ("size", "k"),
           ("in", "x"), ("i32", "x_bs"), ("i32", "x_rs"), ("i32", "x_cs"),
           ("in", "w"), ("i32", "w_bs"), ("i32", "ldw"),
           ("in", "bias"), ("i32", "has_bias"),
           ("out", "y"), ("i32", "y_bs"), ("i32", "ldy"), ("i32", "act"))
_COPY = (("size", "ndim"), ("in", "shape"), ("in", "strides"), ("in", "x"), ("out", "y"))
_COPY_STRIDED = (("size", "ndim"), ("in", "shape"), ("in", "x_strides"), ("in", "y_strides"),
                 ("in", "x"), ("out", "y"))
COPY_MAX_DIM = 16
# conv / pool (NCHW planes): window geometry, all non-negative
_WIN = tuple(("size", n) for n in ("kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw"))
_IM2COL = (("size", "c"), ("size", "h"), ("size", "w")) + _WIN + \
    (("size", "oh"), ("size", "ow"), ("size", "ld"), ("in", "x"), ("out", "col"))
_DWCONV = (("size", "planes"), ("size", "oc"), ("size", "mult"), ("size", "h"), ("size", "w")) + \
    _WIN + (("size", "oh"), ("size", "ow"), ("in", "x"), ("in", "wt"), ("in", "bias"),
            ("out", "y"))
_PLANES = (("size", "planes"), ("size", "h"), ("size", "w"), ("size", "oh"), ("size", "ow"))
_MAXPOOL = _PLANES + _WIN + (("in", "x"), ("out", "y"))
_MAXPOOL_IDX = _MAXPOOL + (("out", "idx"),)
_AVGPOOL = _PLANES + _WIN[:6] + (("size", "count_include_pad"), ("i32", "divisor_override"),
                                 ("in", "x"), ("out", "y"))
_ADAPTIVE = _PLANES + (("in", "x"), ("out", "y"))
# f32-norm: rows of a contiguous [rows, n]; flags bit 0 = weight given, bit 1 = bias given
_LAYER_NORM = (("size", "rows"), ("size", "n"), ("size", "flags"), ("f32", "eps"),
               ("in", "x"), ("in", "w"), ("in", "b"), ("out", "y"))
_RMS_NORM = (("size", "rows"), ("size", "n"), ("size", "flags"), ("f32", "eps"),
             ("in", "x"), ("in", "w"), ("out", "y"))
# xN-norm: the same forms in float64, eps a double in memory
_F64_LAYER_NORM = _LAYER_NORM[:3] + (("in", "eps"),) + _LAYER_NORM[4:]
_F64_RMS_NORM = _RMS_NORM[:3] + (("in", "eps"),) + _RMS_NORM[4:]
# f32-sdpa: flags bit 0 = causal, bit 1 = additive mask given
_SDPA = (("size", "batch"), ("size", "heads"), ("size", "kheads"), ("size", "vheads"),
         ("size", "L"), ("size", "S"), ("size", "E"), ("size", "Ev"), ("size", "flags"),
         ("f32", "scale"),
         ("in", "q"), ("i32", "q_bs"), ("i32", "q_hs"), ("i32", "q_rs"),
         ("in", "k"), ("i32", "k_bs"), ("i32", "k_hs"), ("i32", "k_rs"),
         ("in", "v"), ("i32", "v_bs"), ("i32", "v_hs"), ("i32", "v_rs"),
         ("in", "mask"), ("i32", "m_bs"), ("i32", "m_hs"), ("i32", "m_rs"),
         ("out", "y"))
_F64_SDPA = _SDPA[:9] + (("in", "scale"),) + _SDPA[10:]
# dtype-converting copies "<src>_<dst>_copy" (contiguous -> contiguous). Short dtype names:
# f32 f64 f16 bf16 i64 i32 i8 (low byte: also u8 targets) u8 (also bool sources) b8 (bool).
CONVERT_PAIRS = (("f32", "f16"), ("f16", "f32"), ("f32", "bf16"), ("bf16", "f32"),
                 ("f32", "f64"), ("f64", "f32"), ("f32", "i32"), ("f32", "i64"), ("f32", "i8"),
                 ("f32", "b8"), ("i32", "f32"), ("i64", "f32"), ("u8", "f32"), ("i8", "f32"),
                 ("i64", "i32"), ("i32", "i64"), ("u8", "i32"), ("i8", "i32"), ("u8", "i64"),
                 ("i8", "i64"), ("i32", "i8"), ("i64", "i8"), ("i32", "b8"), ("i64", "b8"),
                 ("i8", "b8"), ("f64", "i64"), ("f64", "i32"), ("i64", "f64"), ("i32", "f64"),
                 ("i16", "f32"), ("f32", "i16"), ("i16", "i32"), ("i16", "i64"),
                 ("i32", "i16"), ("i64", "i16"), ("i16", "b8"))
# float64 / integer elementwise (xN-binary; backends/wasm/elementwise.py): binary ops in f32's
# 2-D broadcast form, unary ops in its flat form. "u8": uint8 bytes, also int8's sign-blind ops
# and bool's bitwise/maximum/minimum/comparisons (common.X_DTYPES; a one-dtype kernel wins).
_BITWISE = ("bitwise_and", "bitwise_or", "bitwise_xor")
_INT_ARITH = ("add", "sub", "mul", "maximum", "minimum") + _BITWISE
_FMINMAX = ("fmax", "fmin")
X_ARITH_OPS = {"f64": ARITH_OPS, "i64": _INT_ARITH, "i32": _INT_ARITH, "i16": _INT_ARITH,
               "u8": _INT_ARITH, "i8": ("maximum", "minimum"), "f16": ARITH_OPS + _FMINMAX,
               "bf16": ARITH_OPS + _FMINMAX}       # f16/bf16: computed in float32 registers
X_COMPARE_DTYPES = ("f64", "i64", "i32", "i16", "i8", "u8", "f16", "bf16")
# logical_and/or/xor of nonzero tests, bool out (float32's: the op layer's bool conversion)
LOGICAL_OPS = ("logical_and", "logical_or", "logical_xor")
X_LOGICAL_DTYPES = ("f64", "i64", "i32", "i16", "u8", "f16", "bf16")
X_UNARY_OPS = {"f64": ("neg", "abs", "sqrt", "floor", "ceil", "round"),
               "i64": ("abs",), "i32": ("abs",), "i16": ("abs", "sign"), "i8": ("abs", "sign"),
               "u8": ("sign",)}   # int neg, f64 reciprocal: binary kernels
# the f32-vunary ops of float16/bfloat16 (same dtype out) and integer/bool (float32 out) inputs,
# widened and written back in one pass (f32-vunary/xN_vunary); relaxed twins
HALF_UNARY_OPS = UNARY_OPS + ("trunc", "frac", "square")
INT_FLOAT_UNARY_OPS = ("sqrt", "reciprocal", "rsqrt", "sin", "cos", "exp", "log", "log1p",
                       "expm1", "tanh", "sigmoid", "erf")
CV_UNARY = {(dt, op): dt + "_" + op for dt in ("f16", "bf16") for op in HALF_UNARY_OPS}
CV_UNARY.update({(dt, op): dt + "_" + op for dt in ("i64", "i32", "i16", "i8", "u8")
                 for op in INT_FLOAT_UNARY_OPS})
# isnan / isinf / isfinite on the bits (xN_unary), bool out
CLASSIFY_OPS = ("isnan", "isinf", "isfinite")
CLASSIFY = {(dt, op): dt + "_" + op for dt in ("f16", "bf16", "f64") for op in CLASSIFY_OPS}
# floor/trunc division and remainder (xN-divide/): the 2-D binary form + an int32 status
# (1: an integer division by zero)
DIVIDE_DTYPES = ("f32", "f64", "f16", "bf16", "i64", "i32", "i16", "i8", "u8")
DIVIDE_OPS = ("remainder", "div_floor", "div_trunc", "fmod")
_DIVIDE = _BINARY + (("out", "status"),)
# clamp in one pass (halves: xN_clamp_lerp, on the bits; the rest: xN_binary's maximum/minimum):
# bounds = {lo, hi} in x's dtype; lerp of halves, its scalar weight as torch's float32 opmath
CLAMP = {dt: dt + "_clamp" for dt in ("f16", "bf16", "f32", "f64", "i64", "i32", "i16", "i8", "u8")}
_CLAMP = (("size", "n"), ("in", "x"), ("in", "bounds"), ("out", "y"))
HALF_LERP = {dt: dt + "_lerp" for dt in ("f16", "bf16")}
_HALF_LERP = (("size", "n"), ("in", "a"), ("in", "b"), ("f32", "weight"), ("out", "y"))
# NaN-ignoring fmax / fmin of floats (xN-fminmax/), the 2-D binary form
FMINMAX = {(dt, op): dt + "_" + op for dt in ("f32", "f64") for op in ("fmax", "fmin")}
# pow and atan2 of floats (halves in float32 registers), pow of integers (xN-vbinary/), the 2-D
# binary form
VBINARY = {(dt, op): dt + "_" + op for dt, ops in (
    ("f64", ("pow", "atan2")), ("f32", ("pow", "atan2")), ("f16", ("pow", "atan2")),
    ("bf16", ("pow", "atan2")), ("i64", ("pow",)), ("i32", ("pow",)),
    ("i16", ("pow",)), ("i8", ("pow",)), ("u8", ("pow",))) for op in ops}
# float64 transcendentals (f64-vunary/), the same flat unary form
F64_MATH_OPS = ("exp", "expm1", "log", "log1p", "tanh", "sigmoid", "silu", "gelu_tanh", "rsqrt",
                "sin", "cos", "erf", "gelu")
# reductions and scans over [outer, n, inner] (xN-reduce; backends/wasm/reduce.py): integer
# sum/prod/cumsum/cumprod read the narrow input and write int64 (torch's accumulation dtype),
# argmax/argmin write int64; float16/bfloat16 amax/amin/argmax/argmin on the bits
_MINMAX = ("amax", "amin") + ARGREDUCE_OPS
_WIDE = ("sum", "prod") + _MINMAX
X_REDUCE_OPS = {"f64": ("sum", "prod", "amax", "amin") + ARGREDUCE_OPS,   # mean: sum / n
                "i64": ("sum", "prod", "amax", "amin") + ARGREDUCE_OPS,
                "i32": _WIDE, "i16": _WIDE, "i8": _WIDE, "u8": _WIDE,
                "f16": _MINMAX, "bf16": _MINMAX}
_SCANS = ("cumsum", "cumprod")
X_SCAN_OPS = {"f64": _SCANS, "f32": ("cumprod",), "i64": _SCANS, "i32": _SCANS, "i16": _SCANS,
              "i8": _SCANS, "u8": _SCANS, "f16": _SCANS, "bf16": _SCANS}   # halves: f32 acc
# float16 / bfloat16 contiguous rows into float32 results (f32-reduce): (rows, n, x, y), var
# with a float32 correction before x
HALF_ROWS_OPS = ("sum", "mean", "prod", "var", "logsumexp", "nansum", "nanmean")
F64_VAR = "f64_var"             # xN-reduce: f32_var's form
# dot products of contiguous rows with one vector (dot, mv): float32 (f32-gemv), float16/
# bfloat16 into float32 (f32-reduce), int16/int8/uint8 in their dtype, wrapping (xN-reduce)
DOT_ROWS = {dt: dt + "_dot_rows" for dt in ("f32", "f16", "bf16", "i16", "i8", "u8")}
HALF_ROWS = {(h, op): h + "_" + op + "_rows" for h in ("f16", "bf16") for op in HALF_ROWS_OPS}
# count_nonzero / all / any by the bits (xN-reduce): kind -> the dtypes it serves (floats: the
# sign bit masked off); count_nonzero writes int64, all/any bool bytes
NONZERO_KINDS = {"u8": ("uint8", "int8", "bool"), "x16": ("int16",),
                 "h16": ("float16", "bfloat16"), "x32": ("int32",), "f32": ("float32",),
                 "x64": ("int64",), "f64": ("float64",)}
NONZERO_OPS = ("count_nonzero", "all", "any")
# arange / linspace into a contiguous output (xN-fill; backends/wasm/convert.py); params: float
# outputs {start, step} / {start, end, step} as doubles, integer outputs {start, step} int64
ARANGE_DTYPES = ("f32", "f64", "i64", "i32")
LINSPACE_DTYPES = ("f32", "f64")
_RANGE = (("size", "n"), ("in", "params"), ("out", "y"))
# stable radix sort of contiguous rows and unique (xN-sort; backends/wasm/sort.py); scratch:
# n * (2 * key bytes + 8) + 8 bytes; bool sorts as u8
SORT_DTYPES = ("f32", "f64", "i32", "i64")
RADIX_DTYPES = SORT_DTYPES + ("f16", "bf16", "i16", "i8", "u8")
_UNIQUE = (("size", "n"), ("size", "flags"), ("in", "x"), ("out", "values"), ("out", "inverse"),
           ("out", "counts"), ("out", "nout"), ("size", "cap"), ("out", "scratch"))
_SORT = (("size", "rows"), ("size", "n"), ("size", "descending"), ("in", "x"),
         ("out", "values"), ("out", "indices"), ("out", "scratch"))
_CONVERT = (("size", "n"), ("in", "x"), ("out", "y"))
_FILL = (("size", "n"), ("in", "value"), ("out", "y"))
_WHERE = (("size", "m"), ("size", "n"), ("in", "c"), ("i32", "c_rs"), ("i32", "c_cs"),
          ("in", "a"), ("i32", "a_rs"), ("i32", "a_cs"), ("in", "b"), ("i32", "b_rs"),
          ("i32", "b_cs"), ("out", "y"))
# xN-random: torch's CPU generator; state = its 5056-byte state (read and written back),
# params = 4 doubles (uniform: from, to; normal: mean, std, and the fma probe 1 + 2**-12,
# -(1 + 2**-11) its relaxed build reads; bernoulli: p)
RANDOM_DISTS = (("f32", "uniform"), ("f64", "uniform"), ("f32", "normal"), ("f32", "bernoulli"))
# torch's serial kernels (xN_draws; the relaxed build fuses exponential's fmas): params = randint {range, base, wide}
# as u64; bernoulli_tensor: the probabilities (p's dtype = y's); exponential {lambda}
RANDOM_DRAWS = (("i64", "randint"), ("i64", "randperm"), ("f32", "bernoulli_tensor"),
                ("f64", "bernoulli_tensor"), ("f32", "exponential"), ("f64", "exponential"))
# multinomial with replacement on contiguous [rows, n_cat] probabilities; cum: n_cat scratch
MULTINOMIAL_DTYPES = ("f32", "f64")
_MULTINOMIAL = (("size", "rows"), ("size", "n_cat"), ("size", "n_sample"), ("out", "state"),
                ("in", "probs"), ("out", "cum"), ("out", "y"), ("out", "status"))
_RANDOM = (("size", "n"), ("out", "state"), ("in", "params"), ("out", "y"))
_INDEX_SELECT = (("size", "outer"), ("size", "n"), ("size", "nidx"), ("size", "row_bytes"),
                 ("in", "x"), ("in", "idx"), ("out", "y"), ("out", "status"))
_ADAM_STEP = (("size", "n"), ("out", "p"), ("in", "g"), ("out", "m"), ("out", "v"),
              ("out", "vmax"), ("f32", "w1"), ("f32", "beta2"), ("f32", "c2"),
              ("f32", "step_size"), ("f32", "bc2"), ("f32", "eps"), ("f32", "decay"),
              ("f32", "l2"), ("i32", "flags"))
# f32-backward: first-order fast paths of the derivatives table; f32-optim: fused steps
ACT_BACKWARD_OPS = ("relu", "gelu", "gelu_tanh", "silu")     # the kernel's op codes
_ACT_BACKWARD = (("size", "n"), ("size", "op"), ("in", "g"), ("in", "x"), ("out", "y"))
_SOFTMAX_BACKWARD = (("size", "outer"), ("size", "n"), ("size", "inner"), ("size", "log"),
                     ("in", "g"), ("in", "y"), ("out", "dx"))
_CROSS_ENTROPY = (("size", "rows"), ("size", "c"), ("size", "flags"), ("f32", "smoothing"),
                  ("i32", "ignore_index"), ("in", "target"), ("in", "x"), ("out", "loss"),
                  ("out", "dx"), ("out", "status"))
_NORM_BACKWARD = (("size", "rows"), ("size", "n"), ("size", "flags"), ("f32", "eps"),
                  ("in", "g"), ("in", "x"), ("in", "w"), ("out", "dx"), ("out", "dw"),
                  ("out", "db"))
_SDPA_BACKWARD = (("size", "batch"), ("size", "heads"), ("size", "kheads"), ("size", "vheads"),
                  ("size", "L"), ("size", "S"), ("size", "E"), ("size", "Ev"), ("size", "flags"),
                  ("f32", "scale"), ("in", "q"), ("in", "k"), ("in", "v"), ("in", "g"),
                  ("in", "mask"), ("i32", "m_bs"), ("i32", "m_hs"), ("i32", "m_rs"),
                  ("out", "dq"), ("out", "dk"), ("out", "dv"), ("out", "scratch"))
_SGD_STEP = (("size", "n"), ("out", "p"), ("in", "g"), ("out", "buf"), ("f32", "lr"),
             ("f32", "momentum"), ("f32", "dampening"), ("f32", "l2"), ("i32", "flags"))
_RMSPROP_STEP = (("size", "n"), ("out", "p"), ("in", "g"), ("out", "sq"), ("out", "gavg"),
                 ("out", "buf"), ("f32", "lr"), ("f32", "alpha"), ("f32", "eps"),
                 ("f32", "momentum"), ("f32", "l2"), ("i32", "flags"))
_ADAGRAD_STEP = (("size", "n"), ("out", "p"), ("in", "g"), ("out", "sum"), ("f32", "clr"),
                 ("f32", "eps"), ("f32", "l2"), ("i32", "flags"))
_SCATTER = (("size", "outer"), ("size", "n"), ("size", "m"), ("size", "inner"), ("in", "idx"),
            ("in", "src"), ("out", "y"), ("out", "status"))
# mode: index into SCATTER_MODES
SCATTER_MODES = ("sum", "prod", "amax", "amin")
SCATTER_REDUCE_DTYPES = ("f32", "f64", "i64", "i32", "i16", "i8", "u8", "b8", "f16", "bf16")
# the row form (a 1-D index): modes of xN_scatter_rows
SCATTER_ROWS_MODES = ("sum", "copy", "fill")
SCATTER_ROWS_DTYPES = ("f32", "f64", "i64", "i32", "i16", "x8", "b8", "f16", "bf16")
_SCATTER_REDUCE = _SCATTER[:4] + (("size", "mode"),) + _SCATTER[4:]
# F.fold (col2im): geo = int32 {kh, kw, dh, dw, ph, pw, sh, sw, oh, ow}
_FOLD = (("size", "planes"), ("size", "H"), ("size", "W"), ("in", "geo"), ("in", "col"),
         ("out", "y"), ("out", "status"))
_NONZERO_COUNT = (("size", "n"), ("in", "x"), ("out", "count"))
_NONZERO = (("size", "ndim"), ("in", "shape"), ("size", "cap"), ("in", "x"), ("out", "y"))
_MASKED_SELECT = (("size", "n"), ("size", "cap"), ("in", "x"), ("in", "mask"), ("out", "y"))
_MASKED_SCATTER = (("size", "n"), ("size", "cap"), ("in", "mask"), ("in", "src"), ("out", "y"))
# xN-search: searchsorted / isin / histc / bincount / unique's runs
_SEARCHSORTED = (("size", "rows"), ("size", "m"), ("size", "k"), ("size", "flags"),
                 ("size", "seq_rs"), ("in", "seq"), ("in", "v"), ("out", "y"))
_ISIN = (("size", "n"), ("size", "m"), ("size", "invert"), ("in", "x"), ("in", "test"),
         ("out", "y"))
_HISTC = (("size", "n"), ("size", "bins"), ("in", "range"), ("in", "x"), ("out", "y"))
_BINCOUNT = (("size", "n"), ("in", "x"), ("out", "y"))
_UNIQUE_RUNS = (("size", "n"), ("size", "flags"), ("in", "x"), ("out", "values"),
                ("out", "first"), ("out", "group"), ("out", "count"))
_UNRAVEL_INDEX = (("size", "n"), ("size", "ndim"), ("in", "sizes"), ("in", "x"), ("out", "y"))

# tril / triu of [planes, m, n] rows of isz-byte elements (xN-copy)
_TRI = (("size", "planes"), ("size", "m"), ("size", "n"), ("size", "isz"), ("i32", "diagonal"),
        ("in", "x"), ("out", "y"))
_GATHER = (("size", "outer"), ("size", "n"), ("size", "m"), ("size", "inner"), ("in", "idx"),
           ("in", "x"), ("out", "y"), ("out", "status"))


# ---- kernel names: every name is spelled here once; call sites use these -------------------
UNARY = {op: "f32_" + op for op in UNARY_OPS}
BINARY = {op: "f32_" + op for op in ARITH_OPS + COMPARE_OPS}
BINARY_FLAT = {op: name + "_flat" for op, name in BINARY.items()}
BINARY_FLATC = {op: name + "_flatc" for op, name in BINARY.items()}
REDUCE = {op: "f32_" + op for op in REDUCE_OPS + ARGREDUCE_OPS + ("var",)}
ROWWISE = {op: "f32_" + op for op in ROWWISE_OPS}
GEMM = "f32_gemm_%dx%d" % (GEMM_MR, GEMM_NR)
GEMV = "f32_gemv_1x%d" % GEMV_NR
X_GEMM = {"f64": "f64_gemm_4x4", "i64": "i64_gemm_4x4", "i32": "i32_gemm_4x8"}   # xN-gemm
LINEAR = LINEAR_KERNEL
COPY = {bits // 8: "x%d_copy" % bits for bits in COPY_BITS}            # by element bytes
COPY_STRIDED = {bits // 8: "x%d_copy_strided" % bits for bits in COPY_BITS}
FILL = {bits // 8: "x%d_fill" % bits for bits in COPY_BITS}
WHERE = {bits // 8: "x%d_where" % bits for bits in COPY_BITS}
SCATTER = {bits // 8: "x%d_scatter" % bits for bits in COPY_BITS}
GATHER = {bits // 8: "x%d_gather" % bits for bits in COPY_BITS}
TRI = {op: "x8_" + op for op in ("tril", "triu")}      # any element size, as bytes
NONZERO_COUNT = "b8_nonzero_count"
NONZERO = "b8_nonzero"
SCATTER_REDUCE = {dt: dt + "_scatter_reduce" for dt in SCATTER_REDUCE_DTYPES}
SCATTER_ROWS = {dt: dt + "_scatter_rows" for dt in SCATTER_ROWS_DTYPES}
FOLD = {dt: dt + "_fold" for dt in ("f32", "f64", "f16", "bf16", "b8")}
ADAM_STEP = "f32_adam_step"
SGD_STEP, RMSPROP_STEP, ADAGRAD_STEP = "f32_sgd_step", "f32_rmsprop_step", "f32_adagrad_step"
ACT_BACKWARD, SOFTMAX_BACKWARD = "f32_act_backward", "f32_softmax_backward"
CROSS_ENTROPY, NORM_BACKWARD = "f32_cross_entropy", "f32_norm_backward"
SDPA_BACKWARD = "f32_sdpa_backward"
IM2COL = "f32_im2col"
X64_IM2COL = "x64_im2col"      # float64 / int64 (f32_im2col copies any 4-byte element)
DWCONV = "f32_dwconv2d"
MAX_POOL2D = "f32_max_pool2d"
MAX_POOL2D_INDICES = "f32_max_pool2d_indices"
AVG_POOL2D = "f32_avg_pool2d"
ADAPTIVE_AVG_POOL2D = "f32_adaptive_avg_pool2d"
ADAPTIVE_MAX_POOL2D = "f32_adaptive_max_pool2d"
# xN-pool: float64 and the integers torch pools (max_pool2d without indices: a row scratch)
_X_MAX = ("f64", "i64", "i32", "i16", "i8", "u8", "f16", "bf16")
X_MAX_POOL2D_INDICES = {dt: dt + "_max_pool2d_indices" for dt in _X_MAX}
X_MAX_POOL2D = {dt: dt + "_max_pool2d" for dt in _X_MAX}
X_MAX_POOL2D["f32"] = "f32_max_pool2d_rows"
X_AVG_POOL2D = {dt: dt + "_avg_pool2d" for dt in ("f64", "i64", "f16", "bf16")}
POOL_STAGE = 16384   # the halves' avg_pool2d: float32 stage (elements), one plane at least
X_ADAPTIVE_AVG_POOL2D = {"f64": "f64_adaptive_avg_pool2d"}
X_ADAPTIVE_MAX_POOL2D = {"f64": "f64_adaptive_max_pool2d"}
LAYER_NORM = "f32_layer_norm"
RMS_NORM = "f32_rms_norm"
F64_LAYER_NORM, F64_RMS_NORM = "f64_layer_norm", "f64_rms_norm"    # xN-norm
# float16 / bfloat16 rows staged through float32 buffers of H16_STAGE floats (f32-norm: flags
# & 4 bfloat16; f32-softmax: flags 1 bfloat16, 2 log_softmax; [outer, n, inner] slabs)
F64_SOFTMAX = "f64_softmax"     # xN-norm: rows of the last dim, flags & 2 log_softmax
H16_LAYER_NORM, H16_RMS_NORM, H16_SOFTMAX, H16_STAGE = ("h16_layer_norm", "h16_rms_norm",
                                                        "h16_softmax", 16384)
SDPA = "f32_sdpa"
F64_SDPA = "f64_sdpa"      # xN-sdpa: the same form, scale a double in memory
CONVERT = {(src, dst): src + "_" + dst + "_copy" for src, dst in CONVERT_PAIRS}
INDEX_SELECT = {idx: idx + "_index_select" for idx in ("i64", "i32")}   # by index dtype
RANDOM = {(dt, dist): dt + "_" + dist for dt, dist in RANDOM_DISTS + RANDOM_DRAWS}
MULTINOMIAL = {dt: dt + "_multinomial" for dt in MULTINOMIAL_DTYPES}
X_REDUCE = {(dt, op): dt + "_" + op for dt, ops in X_REDUCE_OPS.items() for op in ops}
X_SCAN = {(dt, op): dt + "_" + op for dt, ops in X_SCAN_OPS.items() for op in ops}
SORT = {dt: dt + "_sort" for dt in RADIX_DTYPES}
UNIQUE = {dt: dt + "_unique" for dt in RADIX_DTYPES}
NONZERO_REDUCE = {(kd, op): kd + "_" + op for kd in NONZERO_KINDS for op in NONZERO_OPS}
MASKED_SELECT = {bits // 8: "x%d_masked_select" % bits for bits in COPY_BITS}
MASKED_SCATTER = {bits // 8: "x%d_masked_scatter" % bits for bits in COPY_BITS}
# 1-2 byte keys search a table over every bit pattern (u8 also serves bool)
KEY_DTYPES = ("u8", "i8", "i16", "f16", "bf16")
SEARCHSORTED = {dt: dt + "_searchsorted" for dt in SORT_DTYPES + KEY_DTYPES}
ISIN = {dt: dt + "_isin" for dt in SORT_DTYPES + KEY_DTYPES}
UNRAVEL_INDEX = {dt: dt + "_unravel_index" for dt in ("i64", "i32", "i16", "i8", "u8")}
HISTC = {dt: dt + "_histc" for dt in ("f32", "f64", "f16", "bf16")}
BINCOUNT = {dt: dt + "_bincount" for dt in ("i64", "i32", "i16", "i8", "u8")}
UNIQUE_RUNS = {dt: dt + "_unique_runs" for dt in ("f32", "f64", "f16", "bf16", "x64", "x32", "x16",
                                                   "x8")}
ARANGE = {dt: dt + "_arange" for dt in ARANGE_DTYPES}
LINSPACE = {dt: dt + "_linspace" for dt in LINSPACE_DTYPES}
X_BINARY = {(dt, op): dt + "_" + op for dt, ops in X_ARITH_OPS.items() for op in ops}
X_COMPARE = {(dt, op): dt + "_" + op for dt in X_COMPARE_DTYPES for op in COMPARE_OPS}
X_LOGICAL = {(dt, op): dt + "_" + op for dt in X_LOGICAL_DTYPES for op in LOGICAL_OPS}
X_UNARY = {(dt, op): dt + "_" + op for dt, ops in X_UNARY_OPS.items() for op in ops}
X_UNARY.update({("f64", op): "f64_" + op for op in F64_MATH_OPS})
X_UNARY.update({(dt, "sign"): dt + "_sign" for dt in ("f64", "i64", "i32")})   # xN-sign/
DIVIDE = {(dt, op): dt + "_" + op for dt in DIVIDE_DTYPES for op in DIVIDE_OPS}
# pointwise losses with their reduction (xN-loss/) and grid_sample (xN-grid/)
# h16: float16 / bfloat16 data (flags & 64: bfloat16) staged through float32 in L1;
# a relaxed twin (log / exp with relaxed madd, like the f32 kernels its tables come from)
POINTWISE_MAP = {dt: dt + "_pointwise_map" for dt in ("f32", "f64", "h16")}
GRID_SAMPLE = {dt: dt + "_grid_sample" for dt in ("f32", "f64", "f16", "bf16")}
# xN-rowdist/; h16: float16 / bfloat16 rows (flags & 2: bfloat16), float32 prm and out
ROWWISE_DIST = {dt: dt + "_rowwise_dist" for dt in ("f32", "f64", "h16")}
H16_OUTER = "h16_outer"     # outer of float16 / bfloat16 (flags & 1) vectors (xN-rowdist/)
_H16_OUTER = (("size", "m"), ("size", "n"), ("size", "flags"), ("in", "a"), ("in", "b"),
              ("out", "out"))
_ROWWISE_DIST = (("size", "rows"), ("size", "n"), ("size", "flags"), ("in", "prm"), ("in", "a"),
                 ("in", "b"), ("out", "out"))
_POINTWISE_MAP = (("size", "n"), ("size", "flags"), ("in", "prm"), ("in", "x"), ("in", "y"),
                   ("out", "out"), ("out", "status"))
_GRID_SAMPLE = (("size", "n"), ("size", "c"), ("size", "h"), ("size", "w"), ("size", "ho"),
                ("size", "wo"), ("size", "flags"), ("in", "x"), ("in", "grid"), ("out", "y"),
                ("out", "stage"))


def _build():
    ks = []
    for op in UNARY_OPS:
        ks.append(Kernel(UNARY[op], "unary", op, _UNARY, op in RELAXED_UNARY))
    for op in ARITH_OPS:
        ks.append(Kernel(BINARY[op], "binary", op, _BINARY, False))
    for op in COMPARE_OPS:
        ks.append(Kernel(BINARY[op], "compare", op, _BINARY, False))
    for op in ARITH_OPS:
        ks.append(Kernel(BINARY_FLAT[op], "binary_flat", op, _BINARY_FLAT, False))
    for op in COMPARE_OPS:
        ks.append(Kernel(BINARY_FLAT[op], "compare_flat", op, _BINARY_FLAT, False))
    for op in ARITH_OPS:
        ks.append(Kernel(BINARY_FLATC[op], "binary_flatc", op, _BINARY_FLAT, False))
    for op in COMPARE_OPS:
        ks.append(Kernel(BINARY_FLATC[op], "compare_flatc", op, _BINARY_FLAT, False))
    for op in REDUCE_OPS:
        ks.append(Kernel(REDUCE[op], "reduce", op, _MIDDLE, False))
    ks.append(Kernel(REDUCE["var"], "var", "var", _VAR, False))
    for op in ARGREDUCE_OPS:
        ks.append(Kernel(REDUCE[op], "argreduce", op, _MIDDLE, False))
    for op in ROWWISE_OPS:
        ks.append(Kernel(ROWWISE[op], "rowwise", op, _MIDDLE, False))
    ks.append(Kernel(GEMM, "gemm", "matmul", _GEMM, True))
    ks.append(Kernel(GEMV, "gemv", "gemv", _GEMV, True))
    for short, name in X_GEMM.items():
        ks.append(Kernel(name, "xgemm", "matmul", _GEMM, False))
    ks.append(Kernel(LINEAR, "linear", "linear", _LINEAR, True))
    for b in COPY:
        ks.append(Kernel(COPY[b], "copy", "copy", _COPY, False))
        ks.append(Kernel(COPY_STRIDED[b], "copy_strided", "copy", _COPY_STRIDED, False))
    ks.append(Kernel(IM2COL, "im2col", "im2col", _IM2COL, False))
    ks.append(Kernel(X64_IM2COL, "x64_im2col", "im2col", _IM2COL, False))
    ks.append(Kernel(DWCONV, "dwconv", "conv2d", _DWCONV, True))
    ks.append(Kernel(MAX_POOL2D, "maxpool", "max_pool2d", _MAXPOOL, False))
    ks.append(Kernel(MAX_POOL2D_INDICES, "maxpool_indices", "max_pool2d", _MAXPOOL_IDX,
                     False))
    ks.append(Kernel(AVG_POOL2D, "avgpool", "avg_pool2d", _AVGPOOL, False))
    ks.append(Kernel(ADAPTIVE_AVG_POOL2D, "adaptive_avgpool", "adaptive_avg_pool2d",
                     _ADAPTIVE, False))
    ks.append(Kernel(ADAPTIVE_MAX_POOL2D, "adaptive_maxpool", "adaptive_max_pool2d",
                     _ADAPTIVE + (("out", "idx"),), False))
    for names, fam, op, args in (
            (X_MAX_POOL2D_INDICES, "xmaxpool_indices", "max_pool2d", _MAXPOOL_IDX),
            (X_MAX_POOL2D, "xmaxpool", "max_pool2d", _MAXPOOL + (("out", "t"),)),
            (X_AVG_POOL2D, "xavgpool", "avg_pool2d", _AVGPOOL),
            (X_ADAPTIVE_AVG_POOL2D, "xadaptive_avgpool", "adaptive_avg_pool2d", _ADAPTIVE),
            (X_ADAPTIVE_MAX_POOL2D, "xadaptive_maxpool", "adaptive_max_pool2d",
             _ADAPTIVE + (("out", "idx"),))):
        for name in names.values():
            ks.append(Kernel(name, fam, op, args, False))
    ks.append(Kernel(LAYER_NORM, "layer_norm", "layer_norm", _LAYER_NORM, False))
    ks.append(Kernel(RMS_NORM, "rms_norm", "rms_norm", _RMS_NORM, False))
    ks.append(Kernel(F64_LAYER_NORM, "f64_layer_norm", "layer_norm", _F64_LAYER_NORM, False))
    ks.append(Kernel(F64_RMS_NORM, "f64_rms_norm", "rms_norm", _F64_RMS_NORM, False))
    ks.append(Kernel(F64_SOFTMAX, "f64_softmax", "softmax", (("size", "rows"), ("size", "n"),
                     ("size", "flags"), ("in", "x"), ("out", "y")), False))
    ks.append(Kernel(H16_LAYER_NORM, "h16_layer_norm", "layer_norm", _LAYER_NORM, False))
    ks.append(Kernel(H16_RMS_NORM, "h16_rms_norm", "rms_norm", _RMS_NORM, False))
    ks.append(Kernel(H16_SOFTMAX, "h16_softmax", "softmax", _MIDDLE[:3] + (("size", "flags"),)
                     + _MIDDLE[3:], False))
    ks.append(Kernel(SDPA, "sdpa", "sdpa", _SDPA, True))
    ks.append(Kernel(F64_SDPA, "f64_sdpa", "sdpa", _F64_SDPA, False))
    # dtype conversions, fill, gather, where (backends/wasm/convert.py, gather.py)
    for pair in CONVERT_PAIRS:
        ks.append(Kernel(CONVERT[pair], "convert", "copy", _CONVERT, False))
    for b in FILL:
        ks.append(Kernel(FILL[b], "fill", "fill", _FILL, False))
    for b in WHERE:
        ks.append(Kernel(WHERE[b], "where", "where", _WHERE, False))
    ks.append(Kernel(ADAM_STEP, "optim", "adam_step", _ADAM_STEP, False))
    ks.append(Kernel(SGD_STEP, "sgd", "sgd_step", _SGD_STEP, False))
    ks.append(Kernel(RMSPROP_STEP, "rmsprop", "rmsprop_step", _RMSPROP_STEP, False))
    ks.append(Kernel(ADAGRAD_STEP, "adagrad", "adagrad_step", _ADAGRAD_STEP, False))
    ks.append(Kernel(ACT_BACKWARD, "act_backward", "act_backward", _ACT_BACKWARD, False))
    ks.append(Kernel(SOFTMAX_BACKWARD, "softmax_backward", "softmax_backward",
                     _SOFTMAX_BACKWARD, False))
    ks.append(Kernel(CROSS_ENTROPY, "cross_entropy", "cross_entropy", _CROSS_ENTROPY, False))
    ks.append(Kernel(NORM_BACKWARD, "norm_backward", "norm_backward", _NORM_BACKWARD, False))
    ks.append(Kernel(SDPA_BACKWARD, "sdpa_backward", "sdpa_backward", _SDPA_BACKWARD, False))
    for b in SCATTER:
        ks.append(Kernel(SCATTER[b], "scatter", "scatter", _SCATTER, False))
        ks.append(Kernel(GATHER[b], "gather", "gather", _GATHER, False))
    for name in SCATTER_REDUCE.values():
        ks.append(Kernel(name, "scatter_reduce", "scatter", _SCATTER_REDUCE, False))
    for name in SCATTER_ROWS.values():
        ks.append(Kernel(name, "scatter_rows", "scatter", _SCATTER_REDUCE, False))
    for name in FOLD.values():
        ks.append(Kernel(name, "fold", "fold", _FOLD, False))
    for op, name in TRI.items():
        ks.append(Kernel(name, "tri", op, _TRI, False))
    ks.append(Kernel(NONZERO_COUNT, "nonzero_count", "nonzero", _NONZERO_COUNT, False))
    ks.append(Kernel(NONZERO, "nonzero", "nonzero", _NONZERO, False))
    for b in MASKED_SELECT:
        ks.append(Kernel(MASKED_SELECT[b], "masked_select", "masked_select", _MASKED_SELECT,
                         False))
        ks.append(Kernel(MASKED_SCATTER[b], "masked_scatter", "masked_scatter",
                         _MASKED_SCATTER, False))
    for table, fam, args in ((SEARCHSORTED, "searchsorted", _SEARCHSORTED),
                             (ISIN, "isin", _ISIN), (HISTC, "histc", _HISTC),
                             (BINCOUNT, "bincount", _BINCOUNT),
                             (UNIQUE_RUNS, "unique_runs", _UNIQUE_RUNS),
                             (UNRAVEL_INDEX, "unravel_index", _UNRAVEL_INDEX)):
        for name in table.values():
            ks.append(Kernel(name, fam, fam, args, False))
    for idx in INDEX_SELECT:
        ks.append(Kernel(INDEX_SELECT[idx], "index_select", "index_select", _INDEX_SELECT,
                         False))
    for key in RANDOM_DISTS:
        ks.append(Kernel(RANDOM[key], "random", key[1], _RANDOM, True))   # one file
    for key in RANDOM_DRAWS:       # one file with a relaxed twin (exponential's fmas)
        ks.append(Kernel(RANDOM[key], "random", key[1], _RANDOM, True))
    for name in MULTINOMIAL.values():
        ks.append(Kernel(name, "multinomial", "multinomial", _MULTINOMIAL, True))
    for (dt, op), name in X_BINARY.items():
        ks.append(Kernel(name, "xbinary", op, _BINARY, False))
    for (dt, op), name in list(X_COMPARE.items()) + list(X_LOGICAL.items()):
        ks.append(Kernel(name, "xcompare", op, _BINARY, False))
    for (dt, op), name in X_REDUCE.items():
        ks.append(Kernel(name, "xreduce", op, _MIDDLE, False))
    for (dt, op), name in X_SCAN.items():
        ks.append(Kernel(name, "xscan", op, _MIDDLE, False))
    for (kd, op), name in NONZERO_REDUCE.items():
        ks.append(Kernel(name, "xreduce", op, _MIDDLE, False))
    ks.append(Kernel(F64_VAR, "var", "var", _VAR, False))
    for dt, name in DOT_ROWS.items():     # f32: f32-gemv, which has a relaxed-SIMD build
        ks.append(Kernel(name, "dotrows", "dot", _DOT_ROWS, dt == "f32"))
    for (h, op), name in HALF_ROWS.items():
        ks.append(Kernel(name, "halfrows", op, _HALF_VAR if op == "var" else _ROWS, False))
    for name in ARANGE.values():
        ks.append(Kernel(name, "arange", "arange", _RANGE, False))
    for name in LINSPACE.values():
        ks.append(Kernel(name, "linspace", "linspace", _RANGE, False))
    for name in SORT.values():
        ks.append(Kernel(name, "sort", "sort", _SORT, False))
    for name in UNIQUE.values():
        ks.append(Kernel(name, "unique", "unique", _UNIQUE, False))
    for (dt, op), name in X_UNARY.items():
        ks.append(Kernel(name, "xunary", op, _UNARY, False))
    for (dt, op), name in CV_UNARY.items():
        ks.append(Kernel(name, "cvunary", op, _UNARY, True))
    for (dt, op), name in CLASSIFY.items():
        ks.append(Kernel(name, "classify", op, _UNARY, False))
    for (dt, op), name in FMINMAX.items():
        ks.append(Kernel(name, "xbinary", op, _BINARY, False))
    for name in CLAMP.values():
        ks.append(Kernel(name, "clamp", "clamp", _CLAMP, False))
    for name in HALF_LERP.values():
        ks.append(Kernel(name, "hlerp", "lerp", _HALF_LERP, False))
    for (dt, op), name in VBINARY.items():
        ks.append(Kernel(name, "xbinary", op, _BINARY, False))
    for (dt, op), name in DIVIDE.items():
        ks.append(Kernel(name, "divide", op, _DIVIDE, False))
    for name in POINTWISE_MAP.values():
        ks.append(Kernel(name, "pointwise_map", "pointwise_map", _POINTWISE_MAP, True))
    for name in GRID_SAMPLE.values():
        ks.append(Kernel(name, "grid_sample", "grid_sample", _GRID_SAMPLE, False))
    for name in ROWWISE_DIST.values():
        ks.append(Kernel(name, "rowwise_dist", "rowwise_dist", _ROWWISE_DIST, False))
    ks.append(Kernel(H16_OUTER, "outer", "outer", _H16_OUTER, False))
    ks.extend(quant_kernels(Kernel))
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


# ---- CPU graph replay (backends/wasm/graphs.py, wasm_kernels/graph-replay/) ------------------
# Not a kernel: one loop that replays recorded kernel calls. A record in its buffer is i32
# words [function-table index, signature id, args...]; the signature id indexes
# graph_signatures() and tells the loop the argument count and which are f32 (a call_indirect
# needs the exact wasm type). The build writes these signatures into a generated header.
GRAPH_REPLAY_SYMBOL = "wt_graph_replay_" + SUFFIX["simd128"]    # one build for both modules


_WASM_TYPE = {"size": "i", "i32": "i", "in": "i", "out": "i", "f32": "f"}


def signature(name):
    """Kernel `name`'s wasm parameter types: "i" (i32: sizes, strides, pointers) or "f" (f32)."""
    kinds = [kind for kind, _ in KERNELS[name].args]
    bad = sorted(set(kinds) - set(_WASM_TYPE))
    if bad:     # a new kind needs its wasm type here and a case in graphs.py's _check/_encode
        raise ValueError(f"kernel {name}: argument kinds {bad} have no graph-replay type")
    return "".join(_WASM_TYPE[kind] for kind in kinds)


def exports(isa):
    """Every function symbol the `isa` module exports: the kernels and the replay loop."""
    return set(symbols(isa).values()) | {GRAPH_REPLAY_SYMBOL}


def graph_signatures():
    """Every distinct kernel signature, sorted: a record's signature id is an index here."""
    return sorted({signature(name) for name in KERNELS}, key=lambda s: (len(s), s))
