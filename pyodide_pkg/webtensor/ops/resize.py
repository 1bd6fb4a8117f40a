"""torch.nn.functional.interpolate: nearest, nearest-exact, (bi/tri)linear and bicubic with
align_corners, area; torch's argument rules, output sizes and source-index arithmetic.

Decomposition: every mode is separable, so each spatial dim is resampled in turn (last dim
first, as torch's kernels nest their sums) with index_select and weighted rows: two taps
out = x[i0] * l0 + x[i1] * l1 for the linear modes, four (edge-clamped) for bicubic. Indices and
weights are computed on the host in the precision torch uses (float32 for nearest and for
float32/half inputs, float64 for float64), so every floor lands where torch's does. area is
adaptive average pooling, as in torch; antialias=True (bilinear, bicubic) spreads each output
over every input its stretched filter covers. Not supported: lanczos, uint8 (bi)linear /
bicubic (torch's fixed-point path).
"""
import math
import struct

from .. import _dtype as D
from .._tensor import Tensor
from .elementwise import _TNAME

_ALL_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_LINEAR = {"linear": 3, "bilinear": 4, "trilinear": 5}


def _f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


def _is_int(v):
    return hasattr(v, "__index__") and not isinstance(v, float)


def _output_size(input, dim, size, scale_factor, mode, recompute_scale_factor):
    """(output sizes, per-dim scales or None) following F.interpolate's Python checks."""
    spatial = list(input.shape[2:])
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    scales = None
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(f"Input and output must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of {spatial} "
                                 f"and output size of {size}. Please provide input tensor in (N, "
                                 f"C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) "
                                 f"format.")
            if not all(_is_int(s) for s in size):
                raise TypeError(f"expected size to be one of int or Tuple[int] or Tuple[int, int] "
                                f"or Tuple[int, int, int], but got size with types "
                                f"{[type(s) for s in size]}")
            out = [int(s) for s in size]
        else:
            if not _is_int(size):
                raise TypeError(f"interpolate(): argument 'size' must be int or tuple of ints, "
                                f"not {type(size).__name__}")
            out = [int(size)] * dim
    elif scale_factor is not None:
        out = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(f"Input and scale_factor must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of {spatial} "
                                 f"and scale_factor of shape {scale_factor}. Please provide input "
                                 f"tensor in (N, C, d1, d2, ...,dK) format and scale_factor in "
                                 f"(s1, s2, ...,sK) format.")
            scales = list(scale_factor)
        else:
            scales = [scale_factor] * dim
        if not all(isinstance(s, (int, float)) for s in scales):
            raise TypeError(f"interpolate(): argument 'scale_factor' must be float or tuple of "
                            f"floats, not {type(scales[0]).__name__}")
        scales = [float(s) for s in scales]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and out is None:
        recompute_scale_factor = True
    if recompute_scale_factor:
        out = [math.floor(float(n) * s) for n, s in zip(spatial, scales)]
        scales = None
    if out is None:   # ATen: the size is the product truncated toward zero
        if not all(math.isfinite(n * s) for n, s in zip(spatial, scales)):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")
        out = [int(n * s) for n, s in zip(spatial, scales)]
    return out, scales


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    if not isinstance(input, Tensor):
        raise TypeError(f"interpolate(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    osz, scales = _output_size(input, dim, size, scale_factor, mode, recompute_scale_factor)
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.dim() == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes "
                         "and requires a 4-D tensor as input")
    if mode == "lanczos" and not antialias:
        raise ValueError("Lanczos mode requires antialias=True")
    nd = input.dim()
    if mode in ("nearest", "nearest-exact") and nd in (3, 4, 5):
        return _resample(input, osz, scales, mode, False)
    if mode == "area" and nd in (3, 4, 5):
        return _area(input, osz)
    if mode in _LINEAR and nd == _LINEAR[mode]:
        return _resample(input, osz, scales, mode, bool(align_corners), antialias)
    if mode == "bicubic" and nd == 4:
        return _resample(input, osz, scales, mode, bool(align_corners), antialias)
    if mode == "lanczos" and nd == 4:
        raise NotImplementedError("interpolate(): mode='lanczos' is not supported")
    if mode in _LINEAR and nd in (3, 4, 5):
        raise NotImplementedError(f"Got {nd}D input, but {mode} mode needs {_LINEAR[mode]}D "
                                  f"input")
    raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                              f"{nd}D) for the modes: {_ALL_MODES} (got {mode})")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """torch's deprecated alias of interpolate (old model code still calls it)."""
    import warnings
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` "
                  "instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)

def _check_sizes(input, osz):
    """ATen's upsample_{1,2,3}d_common_check."""
    isz = list(input.shape[2:])
    if not all(n > 0 for n in isz) or not all(o > 0 for o in osz):
        names = "DHW"[3 - len(isz):]
        ins = ", ".join(f"{c}: {n}" for c, n in zip(names, isz))
        outs = ", ".join(f"{c}: {o}" for c, o in zip(names, osz))
        sep = " and" if len(isz) == 1 else ""
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({ins}){sep} output ({outs})")
    if input.shape[1] == 0:
        raise RuntimeError(f"Non-empty {input.dim()}D data tensor expected but got a tensor with "
                           f"sizes {list(input.shape)}")


def _not_for(kernel, dt):
    raise NotImplementedError(f"\"{kernel}\" not implemented for '{_TNAME[dt.name]}'")


def _resample(x, osz, scales, mode, align_corners, antialias=False):
    _check_sizes(x, osz)
    nd = len(osz)
    dt = x.dtype
    linear = mode not in ("nearest", "nearest-exact")
    if dt.category != 2 and dt is not D.uint8 and mode == "bicubic":
        _not_for("compute_indices_weights_cubic", dt)
    if dt.category != 2 and not (dt is D.uint8 and (not linear or nd == 2)):
        kernel = "linear" if linear else "nearest"
        _not_for(f"upsample_{'bilinear' if linear else 'nearest'}2d_channels_last" if nd == 2 else
                 f"compute_indices_weights_{kernel}", dt)
    if antialias and dt in (D.float16, D.bfloat16):
        _not_for("compute_index_ranges_weights", dt)
    if dt is D.uint8 and linear:
        raise NotImplementedError(f"interpolate(): mode='{mode}' on uint8 tensors (torch's "
                                  f"fixed-point path) is not supported")
    comp = D.float32 if linear and dt in (D.float16, D.bfloat16) else dt
    out = x if comp is dt else x.to(comp)
    for k in reversed(range(nd)):   # last dim first, like torch's nested sums
        d = 2 + k
        n, o = x.shape[d], osz[k]
        s = None if scales is None else scales[k]
        if not linear:
            out = _take(out, d, [_nearest(j, n, o, s, mode == "nearest-exact", nd == 2)
                                 for j in range(o)])
            continue
        if n == o and (mode != "bicubic" or antialias):   # torch copies same-size dims
            continue
        r = _linear_ratio(n, o, s, align_corners, dt)
        if antialias:
            idx, wts = _aa_taps(n, o, r, align_corners, dt, mode == "bicubic")
        else:
            taps = _cubic_taps if mode == "bicubic" else _linear_taps
            idx, wts = zip(*[taps(j, n, r, align_corners, dt) for j in range(o)])
        acc = None
        for t in range(len(idx[0])):   # sum over taps, left to right as torch's kernel
            term = _take(out, d, [i[t] for i in idx]) * \
                _weights([w[t] for w in wts], d, out, comp)
            acc = term if acc is None else acc + term
        out = acc
    if out.dtype is not dt:
        return out.to(dt)
    return out if out is not x else x.clone()


def _take(x, d, idx):
    from .._creation import tensor
    from .index import _index_select
    if idx == list(range(x.shape[d])):
        return x
    return _index_select(x, d, tensor(idx, dtype=D.int64))     # a host index: no readback


def _weights(w, d, x, dt):
    """A weight per position along dim d of x, shaped to broadcast there, on x's device."""
    from .._creation import tensor
    shape = [1] * x.dim()
    shape[d] = len(w)
    return tensor(w, dtype=dt, device=x.device).reshape(shape)


def _nearest(j, n, o, scale, exact, shortcuts):
    """ATen's nearest_idx / nearest_exact_idx: float32 arithmetic. torch's 2-D nearest kernel
    (only it) copies for same-size dims and halves indices for doubled ones whatever the
    scale_factor said."""
    if shortcuts and not exact:
        if o == n:
            return j
        if o == 2 * n:
            return j >> 1
    s = _f32(1.0 / scale) if scale is not None and scale > 0 else _f32(n / o)
    src = math.floor(_f32((j + 0.5) * s)) if exact else math.floor(_f32(j * s))
    return min(src, n - 1)


def _linear_ratio(n, o, scale, align_corners, dt):
    r = _f32 if dt is not D.float64 else float
    if align_corners:
        return r((n - 1) / (o - 1)) if o > 1 else 0.0
    return r(1.0 / scale) if scale is not None and scale > 0 else r(n / o)


def _source(j, ratio, align_corners, dt, cubic):
    """ATen's area_pixel_compute_source_index in opmath precision (float32, or float64).
    torch's build contracts ratio * (j + 0.5) - 0.5 into one fused multiply-add: a single
    rounding (float64 holds the float32 product exactly; Fraction does it for float64)."""
    r = _f32 if dt is not D.float64 else float
    if align_corners:
        return r(ratio * j)
    if dt is D.float64:
        from fractions import Fraction    # here: its import costs start-up time (cold start)
        src = float(Fraction(ratio) * (2 * j + 1) / 2 - Fraction(1, 2))
    else:
        src = r(ratio * (j + 0.5) - 0.5)
    return src if cubic else max(src, 0.0)


def _guard(src, n, dt):
    """ATen's guard_index_and_lambda: the left index and the fraction past it."""
    r = _f32 if dt is not D.float64 else float
    i0 = min(math.floor(src), n - 1)
    return i0, min(max(r(src - i0), 0.0), 1.0)


def _linear_taps(j, n, ratio, align_corners, dt):
    """(indices, weights) of output j: ATen's compute_source_index_and_lambda."""
    r = _f32 if dt is not D.float64 else float
    i0, l1 = _guard(_source(j, ratio, align_corners, dt, False), n, dt)
    return (i0, i0 + (1 if i0 < n - 1 else 0)), (r(1.0 - l1), l1)


def _cubic_taps(j, n, ratio, align_corners, dt):
    """Four taps at i0 - 1 .. i0 + 2 (clamped to the edge) with the cubic convolution
    coefficients (A = -0.75) of ATen's get_cubic_upsample_coefficients."""
    r = _f32 if dt is not D.float64 else float
    i0, t = _guard(_source(j, ratio, align_corners, dt, True), n, dt)
    a = -0.75

    def conv1(x):   # ((A + 2) * x - (A + 3)) * x * x + 1, multiply-adds fused as torch's
        return r(r(r(1.25 * x - 2.25) * x) * x + 1)

    def conv2(x):   # ((A * x - 5A) * x + 8A) * x - 4A
        return r(r(r(a * x - 5 * a) * x + 8 * a) * x - 4 * a)
    w = (conv2(r(t + 1)), conv1(t), conv1(r(1 - t)), conv2(r(r(1 - t) + 1)))
    return tuple(min(max(i0 - 1 + k, 0), n - 1) for k in range(4)), w


def _aa_filter(x, cubic):
    """torch's antialias filters: triangle (bilinear) and Keys cubic with a = -0.5."""
    x = abs(x)
    if not cubic:
        return 1.0 - x if x < 1.0 else 0.0
    a = -0.5
    if x < 1.0:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    return (((x - 5) * x + 8) * x - 4) * a if x < 2.0 else 0.0


def _aa_taps(n, o, scale, align_corners, dt, cubic):
    """Antialiased resampling (PIL's scheme, as torch's _upsample_*_aa): output i averages the
    inputs within `support` of its center with the filter stretched by the downscale factor,
    weights normalised to sum 1. Every output gets the same number of taps (zero-weighted
    extras read a valid index)."""
    r = _f32 if dt is not D.float64 else float
    support = (4 if cubic else 2) * 0.5
    if scale >= 1.0:
        support *= scale
    invscale = 1.0 / scale if scale >= 1.0 else 1.0
    k = int(math.ceil(support)) * 2 + 1
    idx, wts = [], []
    for i in range(o):
        center = scale * (i + 0.5)
        xmin = max(int(center - support + 0.5), 0)
        xsize = min(max(min(int(center + support + 0.5), n) - xmin, 0), k)
        w = [_aa_filter((j + xmin - center + 0.5) * invscale, cubic) for j in range(xsize)]
        total = sum(w)
        w = [r(v / total) if total != 0.0 else r(v) for v in w]
        idx.append([min(xmin + j, n - 1) for j in range(k)])
        wts.append(w + [0.0] * (k - xsize))
    return idx, wts


def _area(x, osz):
    """torch's area mode: adaptive average pooling to the output size."""
    from .pool import adaptive_avg_pool2d
    if x.dim() == 5:   # box means are separable: (H, W) first, then D
        if x.dtype.category != 2:
            _not_for("adaptive_avg_pool3d_cpu", x.dtype)
        n, c, d = x.shape[:3]
        hw = adaptive_avg_pool2d(x.reshape(n, c * d, x.shape[3], x.shape[4]), list(osz[1:]))
        if hw.numel() == 0 or osz[0] == 0:
            return Tensor._empty((n, c) + tuple(osz), x.dtype, x.device)
        r = adaptive_avg_pool2d(hw.reshape(n, c, d, osz[1] * osz[2]), [osz[0], osz[1] * osz[2]])
        return r.reshape(n, c, osz[0], osz[1], osz[2])
    if x.dim() == 3:
        return adaptive_avg_pool2d(x.unsqueeze(-2), [1] + list(osz)).squeeze(-2)
    return adaptive_avg_pool2d(x, list(osz))
