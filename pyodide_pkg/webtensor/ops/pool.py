"""max/avg pooling (1-D, 2-D) and adaptive pooling with torch's checks, messages, shapes and
dtype rules. All run on 2-D primitives over [N, C, H, W] (1-D pools use H = 1):

  max_pool2d(out, indices, x, kernel_size, stride, padding, dilation)
  avg_pool2d(out, x, kernel_size, stride, padding, count_include_pad, divisor_override)
  adaptive_avg_pool2d(out, x) / adaptive_max_pool2d(out, indices, x)

The output's size carries ceil_mode: a window hanging over the bottom/right edge is clipped.
"""
from .. import _dtype as D
from .._tensor import Tensor
from .._dispatch import dispatch
from .._grad_mode import is_grad_enabled
from .conv import _sizes
from .elementwise import _TNAME


def _check_tensor(fn, x):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")


def _ints(fn, name, pos, v):
    """An int or a tuple/list of ints as a tuple (torch's IntArrayRef binding)."""
    if isinstance(v, int) and not isinstance(v, bool):
        return (v,)
    if isinstance(v, (tuple, list)) and all(isinstance(e, int) and not isinstance(e, bool)
                                            for e in v):
        return tuple(v)
    raise TypeError(f"{fn}(): argument '{name}' (position {pos}) must be tuple of ints, not "
                    f"{type(v).__name__}")


def _pair(v):
    return v * 2 if len(v) == 1 else v


def _out_size(n, k, pad, stride, dilation, ceil_mode):
    """torch's pooling_output_shape, with its checks."""
    if stride == 0:
        raise RuntimeError("stride should not be zero")
    if pad < 0:
        raise RuntimeError(f"pad must be non-negative, but got pad: {pad}")
    if pad > ((k - 1) * dilation + 1) // 2:
        raise RuntimeError(f"pad should be at most half of effective kernel size, but got "
                           f"pad={pad}, kernel_size={k} and dilation={dilation}")
    o = (n + 2 * pad - dilation * (k - 1) - 1 + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (o - 1) * stride >= n + pad:
        o -= 1   # the last window must start inside the input or the left padding
    return o


def _shape_check(x, k, s, p, d, o):
    """torch's pool2d_shape_check (x is 3-D or 4-D)."""
    if k[0] <= 0 or k[1] <= 0:
        raise RuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} "
                           f"kW: {k[1]}")
    if s[0] <= 0 or s[1] <= 0:
        raise RuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: {s[1]}")
    if d[0] <= 0 or d[1] <= 0:
        raise RuntimeError(f"dilation should be greater than zero, but got dilationH: {d[0]} "
                           f"dilationW: {d[1]}")
    sh = x.shape
    if not (sh[-3] and sh[-2] and sh[-1] and (x.dim() == 4 or sh[0])):
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{_sizes(sh)}")
    if k[1] // 2 < p[1] or k[0] // 2 < p[0]:
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but "
                           f"got padW = {p[1]}, padH = {p[0]}, kW = {k[1]}, kH = {k[0]}")
    if o[0] < 1 or o[1] < 1:
        raise RuntimeError(f"Given input size: ({sh[-3]}x{sh[-2]}x{sh[-1]}). Calculated output "
                           f"size: ({sh[-3]}x{o[0]}x{o[1]}). Output size is too small")


def _not_for(name, dt):
    raise NotImplementedError(f"\"{name}\" not implemented for '{_TNAME[dt.name]}'")


def _run(x, shape, fn):
    """Call fn(out4, x4) on the 4-D form of x (3-D input gets a batch dim of 1)."""
    batched = x.dim() == 4
    x4 = x if batched else x.unsqueeze(0)
    r = fn(x4, (x4.shape[0], x4.shape[1]) + tuple(shape))
    return r if batched else tuple(t if t is None else t.squeeze(0) for t in r)


def _compute(dt):
    return D.float32 if dt in (D.float16, D.bfloat16) else dt


def _max_pool(x, k, s, p, d, ceil_mode, return_indices, osz=None):
    if osz is None:
        osz = tuple(_out_size(x.shape[-2 + i], k[i], p[i], s[i], d[i], ceil_mode)
                    for i in (0, 1))
    _shape_check(x, k, s, p, d, osz)
    dt = x.dtype
    if dt is D.bool_:
        _not_for("max_pool2d", dt)
    # a max is exact in any dtype: the CPU kernels take float16/bfloat16 as they are
    comp = dt if x.is_cpu else _compute(dt)
    # under autograd the backward needs the indices: the forward kernel writes them at once
    want_idx = return_indices or (x.requires_grad and is_grad_enabled())

    def run(x4, oshape):
        out = Tensor._empty(oshape, comp, x4.device)
        idx = Tensor._empty(oshape, D.int64, x4.device) if want_idx else None
        dispatch("max_pool2d", out, idx, x4.to(comp), k, s, p, d)
        return out.to(dt), idx
    out, idx = _run(x, osz, run)
    return (out, idx) if return_indices else out


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    _check_tensor("max_pool2d", input)
    k = _ints("max_pool2d", "kernel_size", 2, kernel_size)
    s = _ints("max_pool2d", "stride", 3, stride) if stride is not None else ()
    p = _ints("max_pool2d", "padding", 4, padding)
    d = _ints("max_pool2d", "dilation", 5, dilation)
    if len(k) not in (1, 2):
        raise RuntimeError("max_pool2d: kernel_size must either be a single int, or a tuple "
                           "of two ints")
    if len(s) > 2:
        raise RuntimeError("max_pool2d: stride must either be omitted, a single int, or a "
                           "tuple of two ints")
    if len(p) not in (1, 2):
        raise RuntimeError("max_pool2d: padding must either be a single int, or a tuple of "
                           "two ints")
    if len(d) not in (1, 2):
        raise RuntimeError("max_pool2d: dilation must be either a single int, or a tuple of "
                           "two ints")
    if input.dim() not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    k, p, d = _pair(k), _pair(p), _pair(d)
    s = _pair(s) if s else k
    return _max_pool(input, k, s, p, d, ceil_mode, return_indices)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    fn = "max_pool1d"
    _check_tensor(fn, input)
    k = _ints(fn, "kernel_size", 2, kernel_size)
    s = _ints(fn, "stride", 3, stride) if stride is not None else ()
    p = _ints(fn, "padding", 4, padding)
    d = _ints(fn, "dilation", 5, dilation)
    for name, v, ok in (("kernel_size", k, len(k) == 1), ("stride", s, len(s) <= 1),
                        ("padding", p, len(p) == 1), ("dilation", d, len(d) == 1)):
        if not ok:
            raise RuntimeError(f"{fn}() {name} must be an int, list of ints or tuple of ints "
                               f"of size 1 but got size {len(v)}")
    if input.dim() not in (2, 3) or input.shape[-1] == 0 or input.shape[-2] == 0:
        raise RuntimeError(f"{fn}: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{_sizes(input.shape)}")
    k, p, d = k[0], p[0], d[0]
    s = s[0] if s else k
    if k <= 0:
        raise RuntimeError(f"{fn}() kernel_size must be greater than zero, but got {k}")
    if s <= 0:
        raise RuntimeError(f"{fn}() stride must be greater than zero, but got {s}")
    if p < 0:
        raise RuntimeError(f"{fn}() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"{fn}() padding should be at most half of kernel size, but got "
                           f"padding={p} and kernel_size={k}")
    if d <= 0:
        raise RuntimeError(f"{fn}() dilation must be greater than zero, but got {d}")
    o = _out_size(input.shape[-1], k, p, s, d, ceil_mode)
    if o <= 0:
        raise RuntimeError(f"{fn}() Invalid computed output size: {o}")
    if input.dtype.category != 2 and not return_indices or input.dtype is D.bool_:
        _not_for("max_pool1d_impl", input.dtype)
    r = _max_pool(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode,
                  return_indices, (1, o))
    if return_indices:
        return r[0].squeeze(-2), r[1].squeeze(-2)
    return r.squeeze(-2)


def _avg_pool(x, k, s, p, ceil_mode, count_include_pad, divisor_override, name):
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    osz = tuple(_out_size(x.shape[-2 + i], k[i], p[i], s[i], 1, ceil_mode) for i in (0, 1))
    _shape_check(x, k, s, p, (1, 1), osz)
    dt = x.dtype
    if dt.category != 2 and dt is not D.int64:
        _not_for("avg_pool2d", dt)
    comp = dt if x.is_cpu else _compute(dt)    # the CPU kernels widen halves per plane

    def run(x4, oshape):
        out = Tensor._empty(oshape, comp, x4.device)
        dispatch("avg_pool2d", out, x4.to(comp), k, s, p, bool(count_include_pad),
                 divisor_override)
        return (out.to(dt),)
    return _run(x, osz, run)[0]


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    fn = "avg_pool2d"
    _check_tensor(fn, input)
    k = _ints(fn, "kernel_size", 2, kernel_size)
    s = _ints(fn, "stride", 3, stride) if stride is not None else ()
    p = _ints(fn, "padding", 4, padding)
    if len(k) not in (1, 2):
        raise RuntimeError(f"{fn}: kernel_size must either be a single int, or a tuple of two "
                           f"ints")
    if len(s) > 2:
        raise RuntimeError(f"{fn}: stride must either be omitted, a single int, or a tuple of "
                           f"two ints")
    if len(p) not in (1, 2):
        raise RuntimeError(f"{fn}: padding must either be a single int, or a tuple of two ints")
    if input.dim() < 3:
        n = input.dim()
        raise IndexError(f"Dimension out of range (expected to be in range of [{-max(n, 1)}, "
                         f"{max(n, 1) - 1}], but got -3)")
    if input.dim() > 4:
        raise RuntimeError(f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                           f"size for input, but got:{_sizes(input.shape)}")
    k, p = _pair(k), _pair(p)
    s = _pair(s) if s else k
    return _avg_pool(input, k, s, p, ceil_mode, count_include_pad, divisor_override, fn)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    fn = "avg_pool1d"
    _check_tensor(fn, input)
    k = _ints(fn, "kernel_size", 2, kernel_size)
    s = _ints(fn, "stride", 3, stride) if stride is not None else ()
    p = _ints(fn, "padding", 4, padding)
    for name, v, ok in (("kernel_size", k, len(k) == 1), ("stride", s, len(s) <= 1),
                        ("padding", p, len(p) == 1)):
        if not ok:
            raise RuntimeError(f"{fn}() argument '{name}' should contain one int "
                               f"(got {len(v)})")
    if input.dim() not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.dim()}-dimensional "
                           f"tensor for argument #1 'self' (while checking arguments for "
                           f"{fn})")
    k, p = k[0], p[0]
    s = s[0] if s else k
    return _avg_pool(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode,
                     count_include_pad, None, "avg_pool2d").squeeze(-2)


def _adaptive(fn, input, output_size):
    _check_tensor(fn, input)
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 2:
            if fn == "adaptive_max_pool2d":
                raise ValueError("Input dimension should be at least 4")
            raise RuntimeError(f"{fn}: output_size must be 2")
        osz = tuple(output_size)
    else:
        osz = (output_size, output_size)
    if input.dim() not in (3, 4):
        sep = ":" if fn == "adaptive_max_pool2d" else ""
        raise RuntimeError(f"{fn}(): Expected 3D or 4D tensor, but got{sep} "
                           f"{_sizes(input.shape)}")
    osz = tuple(input.shape[-2 + i] if v is None else v for i, v in enumerate(osz))
    for v in osz:
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"{fn}(): argument 'output_size' (position 2) must be tuple of "
                            f"ints, not {type(v).__name__}")
    if any(v < 0 for v in osz):
        if fn == "adaptive_max_pool2d":
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{min(osz)}: {_sizes(input.shape[:-2] + osz)}")
        raise RuntimeError(f"{fn}: elements of output_size must be greater than or equal to 0 "
                           f"but received {{{osz[0]}, {osz[1]}}}")
    for d in range(1, input.dim()):
        if input.shape[d] == 0:
            raise RuntimeError(f"{fn}(): Expected input to have non-zero size for non-batch "
                               f"dimensions, but input has sizes {_sizes(input.shape)} with "
                               f"dimension {d} being empty")
    if input.dtype.category != 2:
        _not_for(fn, input.dtype)
    return osz


def adaptive_avg_pool2d(input, output_size):
    osz = _adaptive("adaptive_avg_pool2d", input, output_size)
    dt = input.dtype
    comp = _compute(dt)

    def run(x4, oshape):
        out = Tensor._empty(oshape, comp, x4.device)
        dispatch("adaptive_avg_pool2d", out, x4.to(comp))
        return (out.to(dt),)
    return _run(input, osz, run)[0]


def adaptive_max_pool2d(input, output_size, return_indices=False):
    osz = _adaptive("adaptive_max_pool2d", input, output_size)
    h, w = input.shape[-2:]
    if input.dtype.category == 2 and osz[0] > 0 < osz[1] and not h % osz[0] and \
            not w % osz[1] and not (input.requires_grad and is_grad_enabled()):
        # equal windows: max_pool2d's (the same maxima, NaN and first-index rules; no indices
        # written; halves compared on their bits, no conversion)
        k = (h // osz[0], w // osz[1])
        return _max_pool(input, k, k, (0, 0), (1, 1), False, return_indices, osz)
    dt = input.dtype
    comp = _compute(dt)

    def run(x4, oshape):
        out = Tensor._empty(oshape, comp, x4.device)
        idx = Tensor._empty(oshape, D.int64, x4.device) if return_indices else None
        dispatch("adaptive_max_pool2d", out, idx, x4.to(comp))
        return out.to(dt), idx
    out, idx = _run(input, osz, run)
    return (out, idx) if return_indices else out
