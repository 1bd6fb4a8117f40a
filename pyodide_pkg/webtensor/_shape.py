"""Shape arithmetic shared by the tensor and the ops: broadcasting, dims, strides."""


def prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def contiguous_strides(shape):
    strides = [0] * len(shape)
    acc = 1
    for i in range(len(shape) - 1, -1, -1):
        strides[i] = acc
        acc *= max(shape[i], 1)
    return tuple(strides)


def norm_dim(dim, ndim, allow_scalar=True):
    """Wrap a possibly negative dim, with torch's message on failure."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    n = max(ndim, 1) if allow_scalar else ndim
    if dim < -n or dim >= n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim + n if dim < 0 else dim


def norm_dims(dims, ndim):
    """dim=None|int|sequence -> sorted tuple of distinct non-negative dims.

    An empty sequence means every dim, like None (torch's rule for sum/mean/amax/...)."""
    if dims is None or (isinstance(dims, (tuple, list)) and not dims):
        return tuple(range(ndim))
    if isinstance(dims, int):
        dims = (dims,)
    out = []
    for d in dims:
        d = norm_dim(d, ndim)
        if d in out:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        out.append(d)
    if ndim == 0:
        return ()
    return tuple(sorted(out))


def as_shape(args):
    """Accept f(2, 3), f((2, 3)), f([2, 3]) and sizes from tensors."""
    if len(args) == 1 and not isinstance(args[0], int):
        args = args[0]
    shape = []
    for s in args:
        if hasattr(s, "item") and not isinstance(s, int):
            s = s.item()
        if not isinstance(s, int) or isinstance(s, bool):
            raise TypeError(f"shape entries must be ints, got {type(s).__name__}")
        shape.append(s)
    return tuple(shape)


def broadcast_shapes(*shapes):
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s):
            j = ndim - len(s) + i
            if out[j] == 1:
                out[j] = n
            elif n != 1 and n != out[j]:
                raise RuntimeError(
                    "The size of tensor a (%d) must match the size of tensor b (%d) at "
                    "non-singleton dimension %d" % (out[j], n, i - len(s) + ndim)
                    if len(shapes) == 2 else
                    f"shape mismatch: objects cannot be broadcast to a single shape: {shapes}")
    return tuple(out)


def infer_view_shape(shape, numel):
    """Resolve a single -1 in a requested shape."""
    shape = list(shape)
    neg = [i for i, s in enumerate(shape) if s == -1]
    if len(neg) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    if neg:
        rest = prod(s for s in shape if s != -1)
        if rest == 0 or numel % rest:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[neg[0]] = numel // rest
    if prod(shape) != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def view_strides(old_shape, old_strides, new_shape):
    """Strides for viewing (old_shape, old_strides) as new_shape without a copy, or None.

    Same idea as torch's computeStride: split the old shape into chunks that are
    contiguous among themselves, and match new dims against those chunks.
    """
    if prod(old_shape) == 0 or not old_shape:
        return contiguous_strides(new_shape)
    new_strides = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = old_strides[-1]
    tensor_numel = 1
    view_numel = 1
    for d in range(len(old_shape) - 1, -1, -1):
        tensor_numel *= old_shape[d]
        if d == 0 or (old_shape[d - 1] != 1 and
                      old_strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new_strides[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = old_strides[d - 1]
                tensor_numel = 1
                view_numel = 1
    if view_d != -1:
        return None
    return tuple(new_strides)


def iter_offsets(shape, strides, offset):
    """Element offsets of a strided view in row-major order (pure Python, reference path)."""
    if not shape:
        return [offset]
    offs = [offset]
    for n, st in zip(shape, strides):
        if n == 0:
            return []
        step = [k * st for k in range(n)]
        offs = [o + s for o in offs for s in step]
    return offs
