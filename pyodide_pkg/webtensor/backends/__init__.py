"""One dispatch from the op layer to a backend.

A backend is a module-level dict ``IMPL`` mapping primitive names to functions. The op layer
(webtensor/ops) normalises arguments, broadcasts, promotes types and allocates outputs, then
calls ``dispatch(name, *args)`` exactly once. Primitives write into preallocated outputs.

A backend function may return ``NotImplemented`` to decline a case it has no kernel for
(for instance a dtype); the reference backend then runs it. That is the only fallback, and
it is explicit: ``op_backend_report()`` lists which primitives each backend provides.

Primitives (all tensors are webtensor Tensors; views may be strided, expanded, offset):
  copy(out, x)                       out[...] = x, converting dtype; x has out's shape
  fill(out, value)                   out[...] = value (a Python scalar)
  unary(op, out, x, **p)             same shape and dtype; op in ops.table.UNARY
                                       (p: gelu approximate="none"|"tanh", round decimals)
  binary(op, out, a, b, **p)         a, b expanded to out.shape, same (compute) dtype;
                                       out.dtype is bool for comparison/logical ops
                                       (p: div rounding_mode=None|"trunc"|"floor")
  where(out, cond, a, b)             cond bool; a, b in out.dtype; all expanded to out.shape
  clamp(out, x, lo, hi)              lo/hi Python scalars or None
  reduce(op, out, x, dims, **p)      dims: sorted tuple of reduced dims of x;
                                       out has x's shape with those dims set to 1
                                       (keepdim form); op in ops.table.REDUCE
                                       (p: var correction=int)
  cumsum(out, x, dim) / cumprod
  softmax(out, x, dim) / log_softmax(out, x, dim)
  matmul(out, a, b)                  a [*B, M, K], b [*B, K, N], out [*B, M, N], batch
                                       dims already expanded to the same shape
  linear(out, x, w, bias, activation)   out [*, N] = activation(x [*, K] @ w.T + bias):
                                       w [N, K], bias [N] or None, activation None|"relu"|
                                       "gelu"|"gelu_tanh"|"silu", applied as the product is
                                       stored (reference: matmul, add, unary)
  gather(out, x, dim, index)         torch.gather; index int64 with out's shape
  scatter(out, dim, index, src, reduce)   in place into out (already holds the input);
                                       reduce None|"add"|"multiply"
  index_select(out, x, dim, index)   index 1-D int64 (or int32: embedding); an index outside
                                       [0, x.shape[dim]) raises IndexError
  sort(values, indices, x, dim, descending, stable)
  conv2d(out, x, weight, bias, stride, padding, dilation, groups)
                                     x [N, C, H, W], weight [OC, C/groups, KH, KW], bias [OC]
                                       or None, out [N, OC, OH, OW], all one dtype;
                                       stride/padding/dilation (h, w) pairs; padding is the
                                       top/left zero padding, out's size sets the extent
                                       (conv1d: H = 1)
  max_pool2d(out, indices, x, kernel_size, stride, padding, dilation)
                                     x [N, C, H, W]; windows clipped to x (so out's size
                                       carries ceil_mode); indices int64 (h * W + w in the
                                       plane) or None; NaN wins, else the first maximum
  avg_pool2d(out, x, kernel_size, stride, padding, count_include_pad, divisor_override)
                                     torch's divisor rules; int64 divides truncating
  adaptive_avg_pool2d(out, x) / adaptive_max_pool2d(out, indices, x)
                                     windows [floor(i*H/OH), ceil((i+1)*H/OH)) per axis
  layer_norm(out, x, weight, bias, eps)   x, out [R, N] float; weight, bias [N] or None (fused:
                                       a backend without it gets ops.norm.decomposed)
  rms_norm(out, x, weight, eps)      same form; y = x * rsqrt(mean(x^2) + eps) * weight
  sdpa(out, q, k, v, mask, is_causal, scale)   q [B, H, L, E], k [B, Hk, S, E],
                                       v [B, Hv, S, Ev], out [B, H, L, Ev]; H a multiple of Hk
                                       and Hv (grouped-query heads: head h reads key head
                                       h // (H / Hk)); mask None or float additive expanded to
                                       [B, H, L, S]; fully masked rows give 0 (fused: a
                                       backend without it gets ops.attention.decomposed)
  quant_linear(out, x, q, activations)   out [M, N] = x [M, K] @ W^T; q a webtensor.quant
                                       QuantizedTensor [N, K] (GGUF q8_0/q4_1 blocks);
                                       out, x contiguous float32; activations "float32" or
                                       "int8" (x rounded to Q8_0 first). Decomposition:
                                       dequantize then matmul
  dequantize(out, q)                 out (contiguous float32 [N, K]) = q's weights
  dequantize_rows(out, q, rows)      out (contiguous float32, [len(rows), K] in effect) =
                                       the rows of q listed in `rows` (ints, in range)
  quantize(q, w)                     q's blocks (fresh storage) = ggml's quantisation of
                                       contiguous float32 w

Fast lanes (optional, per backend): FAST[kind][op] is a function taking the op-layer
function's own arguments that returns the result, or None to run the general path. The op
layer tries it first for small ops, where Python overhead is the whole cost. A lane must
decline (None) every case in which its answer could differ from the general path's.
  FAST["binary"][op](a, b)      elementwise.binary(op, a, b) without params
  FAST["unary"][op](x)          elementwise.unary(op, x) without params
  FAST["reduce_all"][op](x)     x.op() with no dim/keepdim/dtype (op in sum, mean, prod, ...)
  FAST["inplace"][op](x, y)     x.op_(y) / x op= y, returns x
  FAST["ops"]["matmul"](a, b)          linalg.matmul(a, b)
  FAST["ops"]["linear"](x, w, bias)    linalg.linear(x, w, bias)
  FAST["ops"]["sdpa"](q, k, v, attn_mask, dropout_p, is_causal, scale, enable_gqa)
                                     attention.scaled_dot_product_attention(...)
"""
from . import reference as _reference

_backends = {"reference": _reference.IMPL}
_active = ["reference"]
_impl = [_reference.IMPL]
_lanes = {}
FAST = {"binary": {}, "unary": {}, "reduce_all": {}, "inplace": {}, "ops": {}}


def register(name, impl, lanes=None):
    _backends[name] = impl
    if lanes is not None:
        _lanes[name] = lanes
    if name == _active[0]:
        _activate(name)


def _activate(name):
    _active[0] = name
    _impl[0] = _backends[name]
    lanes = _lanes.get(name, {})
    for kind, d in FAST.items():     # updated in place: the op layer holds these dicts
        d.clear()
        d.update(lanes.get(kind, {}))


def set_backend(name):
    """Choose the CPU backend: "wasm" (default when the kernels load) or "reference"."""
    if name == "wasm" and "wasm" not in _backends:
        from .wasm import backend as _wasm_backend  # noqa: F401 (registers itself)
        if "wasm" not in _backends:
            raise RuntimeError("webtensor: the WASM kernels could not be loaded: "
                               + _wasm_backend.load_error())
    if name not in _backends:
        raise ValueError(f"unknown backend {name!r}; available: {sorted(_backends)}")
    _activate(name)


def get_backend():
    return _active[0]


def get_isa():
    """The kernel build in use ("relaxedsimd" or "simd128"), or None off the WASM backend."""
    if _active[0] != "wasm":
        return None
    from .wasm import loader
    return loader.load().isa


def dispatch(name, *args, **kwargs):
    fn = _impl[0].get(name)
    if fn is not None:
        r = fn(*args, **kwargs)
        if r is not NotImplemented:
            return r
    return _reference.IMPL[name](*args, **kwargs)


def provides(name):
    """True if the active backend has primitive `name`; a fused op (layer_norm, sdpa) runs its
    decomposition into other primitives when this is False."""
    return name in _backends[_active[0]]


def op_backend_report():
    return {b: sorted(impl) for b, impl in _backends.items()}
