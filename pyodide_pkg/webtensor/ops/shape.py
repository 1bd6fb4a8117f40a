"""Ops that move data without arithmetic: built from views plus the copy primitive."""
from .. import _dtype as D
from .._shape import as_shape, norm_dim, prod
from .._tensor import Tensor
from .._dispatch import dispatch
from .elementwise import where


def _seq(tensors, name):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:  # torch's own wording and types differ between cat and the rest
        if name == "cat":
            raise ValueError("torch.cat(): expected a non-empty list of Tensors")
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    return list(tensors)


def cat(tensors, dim=0):
    ts = _seq(tensors, "cat")
    # Legacy rule kept by torch: 1-D empty tensors are skipped.
    parts = [t for t in ts if not (t.dim() == 1 and t.shape[0] == 0)]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = D.promote_types(dt, t.dtype)
    if not parts:
        return Tensor._empty((0,), dt, ts[0].device)
    ref = parts[0]
    if ref.dim() == 0:
        raise RuntimeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = norm_dim(dim, ref.dim())
    for i, t in enumerate(parts):
        if t.dim() != ref.dim():
            raise RuntimeError(f"Tensors must have same number of dimensions: got {ref.dim()} "
                               f"and {t.dim()}")
        for k in range(ref.dim()):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. "
                                   f"Expected size {ref.shape[k]} but got size {t.shape[k]} for "
                                   f"tensor number {_position(ts, t)} in the list.")
    shape = list(ref.shape)
    shape[d] = sum(t.shape[d] for t in parts)
    out = Tensor._empty(shape, dt, ref.device)
    pos = 0
    for t in parts:
        n = t.shape[d]
        if n:
            dispatch("copy", out.narrow(d, pos, n), t)
        pos += n
    return out


def _position(ts, t):
    # not ts.index(t): that compares with Tensor.__eq__ (elementwise, may broadcast-fail)
    return next(i for i, u in enumerate(ts) if u is t)


concat = concatenate = cat


def stack(tensors, dim=0):
    ts = _seq(tensors, "stack")
    for i, t in enumerate(ts):
        if t.shape != ts[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(ts[0].shape)} at entry 0 and {list(t.shape)} at entry {i}")
    d = norm_dim(dim, ts[0].dim() + 1)
    return cat([t.unsqueeze(d) for t in ts], d)


def hstack(tensors):
    ts = [atleast_1d(t) for t in _seq(tensors, "hstack")]
    return cat(ts, 0 if ts[0].dim() == 1 else 1)


def vstack(tensors):
    return cat([t.reshape(1, -1) if t.dim() < 2 else t for t in _seq(tensors, "vstack")], 0)


def split(x, split_size_or_sections, dim=0):
    d = norm_dim(dim, x.dim(), allow_scalar=False)
    n = x.shape[d]
    if isinstance(split_size_or_sections, int):
        s = split_size_or_sections
        if s <= 0 and n:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                               f"dimension size of {n}")
        sizes = [min(s, n - i) for i in range(0, n, s)] if s and n else [0]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
    out, pos = [], 0
    for s in sizes:
        out.append(x.narrow(d, pos, s))
        pos += s
    return tuple(out)


def chunk(x, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    d = norm_dim(dim, x.dim(), allow_scalar=False)
    n = x.shape[d]
    size = -(-n // chunks) if n else 0
    return split(x, size, d) if size else tuple(x.narrow(d, 0, 0) for _ in range(chunks))


def tensor_split(x, indices_or_sections, dim=0):
    if x.dim() == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    d = norm_dim(dim, x.dim())
    n = x.shape[d]
    arg = indices_or_sections
    if isinstance(arg, Tensor):
        if arg.dtype is not D.int64:
            from .elementwise import _TNAME
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {_TNAME.get(arg.dtype.name, arg.dtype.name)}")
        if arg.dim() > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {arg.dim()} dims")
        arg = arg.item() if arg.dim() == 0 else arg.tolist()
    if isinstance(arg, int):
        if arg <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {arg}")
        q, r = divmod(n, arg)
        return split(x, [q + 1] * r + [q] * (arg - r), d)
    # indices: pieces x[prev:i] with Python slice clamping (negative wraps, backwards is empty)
    out, prev = [], 0
    for i in list(arg) + [n]:
        start, stop, _ = slice(prev, i).indices(n)
        out.append(x.narrow(d, start, max(0, stop - start)))
        prev = i
    return tuple(out)


def flip(x, dims):
    dims = [norm_dim(d, x.dim()) for d in ((dims,) if isinstance(dims, int) else dims)]
    strides, off = list(x._strides), x._offset
    for d in dims:
        if x.shape[d] > 1:
            off += (x.shape[d] - 1) * strides[d]
            strides[d] = -strides[d]
    out = Tensor._empty(x.shape, x.dtype, x.device)
    dispatch("copy", out, x._view(x.shape, strides, off))  # a negative-stride view, never exposed
    return out


def fliplr(x):
    if x.dim() < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(x, 1)


def flipud(x):
    if x.dim() < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(x, 0)


def roll(x, shifts, dims=None):
    if dims is None:
        return roll(x.reshape(-1), shifts, 0).view(x.shape)
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:"
                           f"{len(dims)}")
    out = x
    for s, d in zip(shifts, dims):
        d = norm_dim(d, x.dim())
        n = x.shape[d]
        if n == 0:
            continue
        s %= n
        if s:
            out = cat([out.narrow(d, n - s, s), out.narrow(d, 0, n - s)], d)
    return out if out is not x else x.clone()


def repeat(x, *sizes):
    sizes = as_shape(sizes)
    if len(sizes) < x.dim():
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    xs = (1,) * (len(sizes) - x.dim()) + tuple(x.shape)
    v = x.reshape(xs)
    inter, exp = [], []
    for r, s in zip(sizes, xs):
        inter += [1, s]
        exp += [r, s]
    out = Tensor._empty(exp, x.dtype, x.device)
    dispatch("copy", out, v.reshape(inter).expand(exp))
    return out.view([r * s for r, s in zip(sizes, xs)])


def tile(x, dims):
    dims = tuple(dims)
    return repeat(x, (1,) * (x.dim() - len(dims)) + dims)


def repeat_interleave(x, repeats=None, dim=None, *, output_size=None):
    if repeats is None:  # repeat_interleave(repeats): arange(len) each repeated repeats[i] times
        from .._creation import arange
        if x.dim() != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        return repeat_interleave(arange(x.shape[0], device=x.device), x, 0)
    if dim is None:
        x, dim = x.reshape(-1), 0
    d = norm_dim(dim, x.dim())
    if isinstance(repeats, Tensor):
        return _repeat_interleave_tensor(x, repeats, d)
    if repeats < 0:
        raise RuntimeError("Repeats must be non-negative")
    v = x.unsqueeze(d + 1)
    shape = list(v.shape)
    shape[d + 1] = repeats
    return v.expand(shape).reshape(x.shape[:d] + (x.shape[d] * repeats,) + x.shape[d + 1:])


def _repeat_interleave_tensor(x, repeats, d):
    """Per-slice repeats: the output size depends on the data, so build the index on the host
    and let index_select do the copy."""
    from .._creation import tensor
    if repeats.dtype.category != 1:
        from .elementwise import _TNAME
        raise NotImplementedError('"repeat_interleave_cpu" not implemented for '
                                  f"'{_TNAME.get(repeats.dtype.name, repeats.dtype.name)}'")
    if repeats.dim() > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    n = x.shape[d] if x.dim() else 1
    reps = repeats.reshape(-1).tolist()
    if len(reps) == 1:
        reps = reps * n
    if len(reps) != n:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {len(reps)} and input.size({d}) = {n}")
    if any(r < 0 for r in reps):
        raise RuntimeError("repeats can not be negative")
    idx = [i for i, r in enumerate(reps) for _ in range(r)]
    index = tensor(idx, dtype=D.int64) if idx else Tensor._empty((0,), D.int64)
    from .index import _index_select
    return _index_select(x, d, index)     # a host index: no readback


def _tri_mask(x, diagonal, lower):
    if x.dim() < 2:
        raise RuntimeError(f"{'tril' if lower else 'triu'}: input tensor must have at least 2 "
                           "dimensions")
    from .._creation import arange
    from .elementwise import binary
    m, n = x.shape[-2:]
    # column j against row i + diagonal: [n] and [m, 1] int32 index vectors broadcast by the
    # comparison kernel (one bool [m, n] pass); the diagonal clamped to where it still
    # matters, so int32 holds it
    diagonal = max(-m - 1, min(int(diagonal), n + 1))
    first = binary("add", arange(m, dtype=D.int32, device=x.device).view(m, 1), diagonal)
    return binary("le" if lower else "ge", arange(n, dtype=D.int32, device=x.device), first)


def _tri(x, diagonal, lower):
    """where(mask, x, 0) in x's own dtype: where(x, 0) would promote bool to int64 and
    compute float16/bfloat16 in float32 (two conversion passes for a pure selection)."""
    from .elementwise import _as_tensor
    mask = _tri_mask(x, diagonal, lower)
    out = Tensor._empty(x.shape, x.dtype, x.device)
    zero = _as_tensor(False if x.dtype is D.bool_ else 0, x.dtype)
    if zero.device != x.device:
        zero = zero.to(x.device)
    dispatch("where", out, mask.expand(x.shape), x, zero.expand(x.shape))
    return out


def tril(x, diagonal=0):
    return _tri(x, diagonal, True)


def triu(x, diagonal=0):
    return _tri(x, diagonal, False)


def broadcast_to(x, shape):
    return x.expand(shape)


def atleast_1d(x):
    return x.reshape(1) if x.dim() == 0 else x


def numel(x):
    return prod(x.shape)


def diff(x, n=1, dim=-1, prepend=None, append=None):
    if x.dim() == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    d = norm_dim(dim, x.dim())
    parts = [t if t.dim() else t.expand(x.shape[:d] + (1,) + x.shape[d + 1:])
             for t in (prepend, x, append) if t is not None]
    out = cat(parts, d) if len(parts) > 1 else x
    for _ in range(n):
        m = out.shape[d]
        if m == 0:
            break
        a, b = out.narrow(d, 1, m - 1), out.narrow(d, 0, m - 1)
        out = a.logical_xor(b) if out.dtype is D.bool_ else a - b
    return out


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass "
                      "the indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                           f"received: {indexing}")
    for t in tensors:
        if t.dim() > 1:
            raise RuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got a {t.dim()}D tensor")
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.numel() for t in ts)
    grids = [t.reshape([-1 if k == j else 1 for k in range(len(ts))]).expand(shape)
             for j, t in enumerate(ts)]
    if swap:             # "xy": the first two inputs' dims swapped, outputs in input order
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def _pixel_check(x, name, factor, what):
    if x.dim() < 3:
        raise RuntimeError(f"{name} expects input to have at least 3 dimensions, but got input "
                           f"with {x.dim()} dimension(s)")
    if factor <= 0:
        raise RuntimeError(f"{name} expects a positive {what}, but got {factor}")


def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r)."""
    r = upscale_factor
    _pixel_check(input, "pixel_shuffle", r, "upscale_factor")
    *b, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    n = len(b)
    y = input.reshape(*b, c // (r * r), r, r, h, w)
    y = y.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return y.reshape(*b, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W)."""
    r = downscale_factor
    _pixel_check(input, "pixel_unshuffle", r, "downscale_factor")
    *b, c, h, w = input.shape
    for k, size in ((-2, h), (-1, w)):
        if size % r:
            raise RuntimeError(f"pixel_unshuffle expects {'height' if k == -2 else 'width'} "
                               f"to be divisible by downscale_factor, but input.size({k})="
                               f"{size} is not divisible by {r}")
    n = len(b)
    y = input.reshape(*b, c, h // r, r, w // r, r)
    y = y.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return y.reshape(*b, c * r * r, h // r, w // r)
