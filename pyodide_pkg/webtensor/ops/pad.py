"""torch.nn.functional.pad: constant, reflect, replicate and circular modes, with torch's rules
about which dims each mode pads, its checks and its messages.

Decompositions only: constant mode is fill + one strided copy into the interior view (negative
pads crop the input first, a free view); the other modes are one index_select per padded dim
with the source index of every output position computed on the host (a few hundred ints).
"""
from .. import _dtype as D
from .._tensor import Tensor
from .conv import _sizes
from .elementwise import _TNAME

_MODES = ("constant", "reflect", "replicate", "circular")
_KERNEL = {"reflect": "reflection_pad", "replicate": "replication_pad"}


def _pad_ints(pad):
    if isinstance(pad, Tensor) or not isinstance(pad, (tuple, list)):
        raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, not "
                        f"{type(pad).__name__}")
    out = []
    for i, p in enumerate(pad):
        if isinstance(p, float) or not hasattr(p, "__index__"):
            raise TypeError(f"pad(): argument 'pad' (position 2) must be tuple of ints, but "
                            f"found element of type {type(p).__name__} at pos {i}")
        out.append(int(p.__index__()))
    return out


def pad(input, pad, mode="constant", value=None):
    if not isinstance(input, Tensor):
        raise TypeError(f"pad(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    pad = _pad_ints(pad)
    if not isinstance(mode, str):
        raise TypeError(f"pad(): argument 'mode' (position 3) must be str, not "
                        f"{type(mode).__name__}")
    if value is not None and (isinstance(value, complex) or not isinstance(value, (int, float))):
        raise TypeError(f"pad(): argument 'value' (position 4) must be float, not "
                        f"{type(value).__name__}")
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.dim():
        raise RuntimeError(f"Padding length should be less than or equal to two times the "
                           f"input dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.dim()}")
    if mode == "constant":
        return _constant(input, pad, 0 if value is None else value)
    if value is not None and value != 0:
        raise RuntimeError(f"Padding mode \"{mode}\" doesn't take in value argument")
    nd = len(pad) // 2
    if not (1 <= nd <= 3 and input.dim() in (nd + 1, nd + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.dim()}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    # pairs[k] = (before, after) for dim input.dim() - nd + k (pad lists the last dim first)
    pairs = [(pad[2 * (nd - 1 - k)], pad[2 * (nd - 1 - k) + 1]) for k in range(nd)]
    dims = [input.dim() - nd + k for k in range(nd)]
    if mode == "circular":
        return _circular(input, dims, pairs)
    _check_reflect_replicate(input, mode, nd, dims, pairs)
    out = input
    for d, (lo, hi) in zip(dims, pairs):
        n = input.shape[d]
        idx = [_source(j - lo, n, mode) for j in range(n + lo + hi)]
        out = _select(out, d, idx)
    return out


def _source(i, n, mode):
    """Input index for (output index - before-pad) i: mirrored without the edge, or clamped."""
    if mode == "replicate":
        return 0 if i < 0 else n - 1 if i >= n else i
    if i < 0:
        return -i
    return 2 * (n - 1) - i if i >= n else i


def _select(x, d, idx):
    if idx == list(range(x.shape[d])):
        return x
    from .._creation import tensor
    from .index import _index_select
    return _index_select(x, d, tensor(idx, dtype=D.int64))     # a host index: no readback


def _check_reflect_replicate(x, mode, nd, dims, pairs):
    batched = x.dim() == nd + 2
    sh = x.shape
    if any(sh[d] == 0 for d in range(1 if batched else 0, x.dim())):
        raise RuntimeError(f"Expected {nd + 1}D or {nd + 2}D (batch mode) tensor with possibly 0 "
                           f"batch size and other non-zero dimensions for input, but got: "
                           f"{_sizes(sh)}")
    if mode == "reflect":   # torch checks W, then H, then D (argument #4, #6, #8)
        for k in range(nd):
            d, (lo, hi) = dims[nd - 1 - k], pairs[nd - 1 - k]
            if lo >= sh[d] or hi >= sh[d]:
                raise RuntimeError(f"Argument #{4 + 2 * k}: Padding size should be less than "
                                   f"the corresponding input dimension, but got: padding "
                                   f"({lo}, {hi}) at dimension {d} of input {_sizes(sh)}")
    osz = [sh[d] + lo + hi for d, (lo, hi) in zip(dims, pairs)]
    if all(o < 1 for o in osz):
        if nd == 1:
            raise RuntimeError(f"input (W: {sh[-1]}) is too small. Calculated output W: "
                               f"{osz[0]}")
        gap = " " if nd == 2 and mode == "replicate" else ""
        names = "DHW"[3 - nd:]
        ins = ", ".join(f"{c}: {sh[d]}" for c, d in zip(names[-2:], dims[-2:]))
        outs = " ".join(f"{c}: {o}" for c, o in zip(names, osz))
        pre = f"D: {sh[dims[0]]} " if nd == 3 else ""
        raise RuntimeError(f"input ({pre}{ins}{gap}) is too small. Calculated output {outs}")
    for o in osz:
        if o < 0:
            shape = list(sh[:dims[0]]) + osz
            raise RuntimeError(f"Trying to create tensor with negative dimension {o}: "
                               f"{_sizes(shape)}")
    if x.dtype is D.bool_:
        raise NotImplementedError(f"\"{_KERNEL[mode]}{nd}d\" not implemented for 'Bool'")


def _circular(x, dims, pairs):
    for d, (lo, hi) in zip(dims, pairs):
        if lo > x.shape[d] or hi > x.shape[d]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if x.shape[d] + lo + hi < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    maps = [_circular_map(x.shape[d], lo, hi, d) for d, (lo, hi) in zip(dims, pairs)]
    out = x
    for d, idx in zip(dims, maps):
        out = _select(out, d, idx) if idx else out.narrow(d, 0, 0)
    return out


def _slice(length, a, b):
    """torch's slice(start, end) bounds: negatives count from the end, then clamped."""
    a, b = a + length if a < 0 else a, b + length if b < 0 else b
    a = min(max(a, 0), length)
    return a, min(max(b, a), length)


def _circular_map(n, lo, hi, d):
    """Source index per output position along one dim, following torch's copies: the cropped
    input into the middle, then the left wrap from the output's end, then the right wrap from
    its start. Positions torch leaves unwritten (a wrap wider than the cropped extent) read
    uninitialised memory there; here they read element 0."""
    size = n + lo + hi
    src = [None] * size

    def copy(dst, s, values):
        if len(values) != dst[1] - dst[0] and len(values) != 1:
            raise RuntimeError(f"The size of tensor a ({dst[1] - dst[0]}) must match the size "
                               f"of tensor b ({len(values)}) at non-singleton dimension {d}")
        for k in range(dst[1] - dst[0]):
            s[dst[0] + k] = values[k if len(values) > 1 else 0]

    ia, ib = _slice(n, max(-lo, 0), n - max(-hi, 0))
    copy(_slice(size, max(lo, 0), size - max(hi, 0)), src, list(range(ia, ib)))
    if lo > 0:
        a, b = _slice(size, size - lo - max(hi, 0), size - max(hi, 0))
        copy(_slice(size, 0, lo), src, src[a:b])
    if hi > 0:
        a, b = _slice(size, max(lo, 0), max(lo, 0) + hi)
        copy(_slice(size, size - hi, size), src, src[a:b])
    return [0 if s is None else s for s in src]


def _constant(x, pad, value):
    nd = len(pad) // 2
    if x.dtype.category != 2 and x.dtype is not D.bool_ and isinstance(value, float) and \
            value == value and abs(value) != float("inf"):
        value = int(value)  # torch truncates a float fill value for integer tensors
    shape, src = list(x.shape), x
    for k in range(nd):
        d = x.dim() - 1 - k
        lo, hi = pad[2 * k], pad[2 * k + 1]
        length = shape[d] + min(lo, 0) + min(hi, 0)
        if length < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
        src = src.narrow(d, max(-lo, 0), length)
        shape[d] = shape[d] + lo + hi
    out = Tensor._empty(tuple(shape), x.dtype, x.device)
    D.check_scalar(value, x.dtype, _ctype(x.dtype))
    out.fill_(value)
    dst = out
    for k in range(nd):
        d = x.dim() - 1 - k
        dst = dst.narrow(d, max(pad[2 * k], 0), src.shape[d])
    if src.numel():
        dst.copy_(src)
    return out


def _ctype(dt):
    return {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int",
            "int64": "int64_t", "float16": "c10::Half", "bfloat16": "c10::BFloat16"}.get(
        dt.name, _TNAME.get(dt.name))
