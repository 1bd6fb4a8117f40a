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
  arange(out, start, step)           out (contiguous 1-D) [i] = start + i * step
  linspace(out, start, end)          out (contiguous 1-D, n elements) from start to end,
                                       torch's two-sided form (exact at both ends)
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
  nonzero(x) -> out                  x bool, dim >= 1: returns a new int64 [count, x.dim()] of
                                       the True positions in row-major order (the one
                                       primitive that makes its output: its size is the data's)
  sort(values, indices, x, dim, descending, stable)
  searchsorted(out, seq, values, right)   out (int64 or int32, values' shape) = insertion
                                       points of values in seq's last dim (seq 1-D, or its
                                       leading dims those of values), torch's NaN-aware tests
  isin(out, x, test, invert)         out bool: x in test (1-D, same dtype, sorted, NaN last)
  histc(out, x, lo, hi)              out (zeroed, x's float dtype, [bins]) += counts of x in
                                       [lo, hi] (torch's linear bins in x's dtype; half
                                       counts stop at 2048 / 256, as torch's in the dtype)
  bincount(out, x)                   out (zeroed int64) [v] += 1 for each v of 1-D integer x,
                                       all in [0, out.numel())
  unique_runs(x, want_first, want_group) -> (values, first, group)   x 1-D, numel >= 1:
                                       new tensors: each run's first element (x's dtype),
                                       the runs' first positions followed by x.numel()
                                       (int64; None unless want_first), each element's run
                                       (int64; None unless want_group); a NaN is a run of
                                       its own
  unique(x, want_inverse, want_counts) -> (values, inverse, counts)   x 1-D, numel >= 1:
                                       torch.unique(x, sorted=True): new tensors of the
                                       distinct values (each its first occurrence; every NaN
                                       its own, last), each element's group (int64; None
                                       unless want_inverse), the counts (int64; None unless
                                       want_counts)
  masked_select(x, mask) -> out      x and mask (bool) of one shape: a new 1-D tensor of the
                                       x where mask is True, in order
  masked_scatter(out, mask, source)  in place: out's elements where mask (out's shape) is
                                       True take source's (1-D) in order; torch's
                                       RuntimeError when source has too few
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
                                       the rows of q listed in `rows` (a contiguous int64
                                       tensor on q's device; the backend checks the range)
  quantize(q, w)                     q's blocks (fresh storage) = ggml's quantisation of
                                       contiguous float32 w
  adam_step(p, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, lr, beta1, beta2, eps,
            weight_decay, step, decoupled, maximize)
                                     one Adam/AdamW update in place (ops/optim_steps.py:
                                       the decomposition, which the reference runs)
  sgd_step(p, grad, buf, lr, momentum, dampening, weight_decay, nesterov, maximize, first)
  rmsprop_step(p, grad, square_avg, grad_avg, buf, lr, alpha, eps, weight_decay, momentum,
               maximize)     grad_avg/buf None unless centered/momentum
  adagrad_step(p, grad, state_sum, clr, eps, weight_decay, maximize)
                                     the other torch.optim updates, in place, likewise
  act_backward(out, g, x, act)       out = g * act'(x), act "relu"|"gelu"|"gelu_tanh"|"silu"
                                       (relu: x may be its output); all of g's shape
  softmax_backward(out, g, y, dim, log)   through softmax (log False) / log_softmax, y its
                                       output
  norm_backward(dx, dw, db, g, x, w, eps, rms)   layer_norm (rms False) / rms_norm gradients:
                                       x, g, dx [R, N]; w [N] or None; dw, db [N] or None
                                       (not wanted)
  sdpa_backward(dq, dk, dv, g, q, k, v, mask, is_causal, scale)
                                     sdpa's gradients (its arguments as there; g like out)
  cross_entropy(loss, dx, x, target, ignore_index, label_smoothing, reduction)
                                     x [N, C] float, target int64 [N] (no class weights):
                                       loss [N] ("none") or [] ("sum"/"mean"), and dx (or
                                       None) = d loss / d x. An out-of-range target raises
                                       torch's IndexError
                                     (ops/backward_ops.py: these five's decompositions, which
                                       the reference runs and the derivatives table
                                       differentiates)
  pointwise_map(out, x, y, kind, param, reduction)
                                     x, y float of one shape; out x's shape ("none") or []
                                       ("sum"/"mean"): kind "mse", "l1", "smooth_l1" /
                                       "huber" (param: beta / delta), "bce" (torch's range
                                       errors), "bce_logits", "kl_div", "kl_div_log", "xlogy",
                                       "nan_to_zero", "not_nan", "trunc", "frac",
                                       "xlogy_log" (float32 x, y = log(t): xlogy(x, t) of
                                       integer t) (ops/loss.py:
                                       the decomposition, which the reference runs)
  grid_sample(out, x, grid, mode, padding_mode, align_corners)
                                     F.grid_sample of float x [N, C, H, W], grid [N, Ho, Wo, 2]
                                       of x's dtype (ops/grid_sample.py: the decomposition)
  rowwise_dist(out, a, b, kind, eps, p)   a, b [rows, n] float, out [rows] (of a's dtype; float32
                                       for float16 / bfloat16 a, b, computed in float32): kind "cosine"
                                       (cosine_similarity) or "pnorm" (|a - b + eps|_p,
                                       pairwise_distance) (ops/norm.py: the decomposition)
  random(out, state, dist, a, b)     out (float dtype, CPU) filled as torch's CPU generator
                                       does: dist "uniform" (a = from, b = to), "normal"
                                       (a = mean, b = std; torch's serial path when out is not
                                       contiguous or has < 16 elements), "bernoulli" (a = p);
                                       state: the generator's uint8 [5056] tensor, advanced

Shortcuts (optional, per backend; see webtensor/_dispatch.py): {op name: fn}, where fn takes
the op's own arguments before broadcasting and promotion and returns the result, or None to
decline. The wasm backend has them for small float32 ops, where Python overhead is the whole
cost: binary and unary ops, x.sum() & co, x.add_(y) & co, matmul, linear and sdpa.

Devices: "cpu" has the chain wasm -> reference; "webgpu" has the one backend webgpu (WGSL; no
CPU fallback: a case without a kernel raises NotImplementedError). A new device registers its storage with
webtensor._device.register_device and its backends with webtensor._dispatch.register_backend.
"""
from .. import _dispatch
from .._dispatch import dispatch, provides  # noqa: F401  (the one dispatch, re-exported)
from . import reference as _reference

_dispatch.register_backend("cpu", "reference", _reference.IMPL, fallback=True)
# device "webgpu": registered when first named (torch.device("webgpu"), .to("webgpu"),
# webtensor.webgpu); importing it touches no GPU but costs start-up time
from .. import _device  # noqa: E402
_device.LAZY["webgpu"] = __name__ + ".webgpu"


def set_backend(name, device="cpu"):
    """Choose a device's first backend; cpu: "wasm" (default when the kernels load) or
    "reference"."""
    if name == "wasm" and device == "cpu" and _dispatch.get_backend("cpu") != "wasm":
        from .wasm import backend as _wasm_backend  # registers itself when the kernels load
        if "wasm" not in _dispatch.report()["cpu"]:
            raise RuntimeError("webtensor: the WASM kernels could not be loaded: "
                               + _wasm_backend.load_error())
    _dispatch.set_backend(name, device)


def get_backend(device="cpu"):
    return _dispatch.get_backend(device)


def get_isa():
    """The kernel build in use ("relaxedsimd" or "simd128"), or None off the WASM backend."""
    if get_backend() != "wasm":
        return None
    from .wasm import loader
    return loader.load().isa


def op_backend_report():
    """{device type: {backend name: [primitives it provides]}}."""
    return _dispatch.report()
