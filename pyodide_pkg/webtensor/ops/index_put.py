"""index_add / index_fill / index_put / masked_scatter / put, and unravel_index: composites of
scatter, where and index_select (so every backend and autograd get them); the in-place forms
come from the op table (`inplace=True`)."""
from .. import _dtype as D
from .._shape import broadcast_shapes, norm_dim, prod
from .._tensor import Tensor
from .elementwise import _as_tensor, binary, where
from .._dispatch import dispatch
from .index import _check_scalar_fits, _extremes, _index_select, _one_pass, nonzero, \
    scatter, scatter_add

_TN = D.TNAME


def _check_bounds(index, size, dim, error, wrap):
    """torch's bounds error for an index along a dim of `size` (negatives allowed if wrap);
    the index's extremes."""
    ext = _extremes(index)
    for v in ext:
        if v >= size or v < (-size if wrap else 0):
            raise error(f"index {v} is out of bounds for dimension {dim} with size {size}")
    return ext


def _wrap(index, size, ext):
    """Negative indices + size (nothing to do when the smallest, ext[0], is not negative)."""
    if not ext or ext[0] >= 0:
        return index
    return where(binary("lt", index, 0), binary("add", index, size), index)


def index_add(x, dim, index, source, *, alpha=1):
    name = "index_add_()"
    if not isinstance(index, Tensor) or index.dtype not in (D.int64, D.int32):
        got = _TN[index.dtype.name] if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"{name}: Expected dtype int32/int64 for index but got: {got}")
    if index.dim() > 1:
        raise IndexError(f"{name}: Index is supposed to be a vector, but got dim: "
                         f"{index.dim()} with type: {_TN[index.dtype.name]} and size: "
                         f"{list(index.shape)}")
    if source.dtype is not x.dtype:
        raise RuntimeError(f"{name}: self ({_TN[x.dtype.name]}) and source "
                           f"({_TN[source.dtype.name]}) must have the same scalar type")
    d = norm_dim(dim, x.dim())
    x1 = x.reshape(1) if x.dim() == 0 else x
    s1 = source.reshape(1) if source.dim() == 0 else source
    n = index.numel()
    if s1.dim() != x1.dim() or any(a != b for k, (a, b) in enumerate(zip(x1.shape, s1.shape))
                                   if k != d):
        raise RuntimeError("source tensor shape must match self tensor shape, excluding the "
                           f"specified dimension. Got self.shape = {list(x.shape)} "
                           f"source.shape = {list(source.shape)}")
    if s1.shape[d] != n:
        raise RuntimeError(f"{name}: Number of indices ({n}) should be equal to "
                           f"source.size(dim): ({s1.shape[d]}), for dim: {d}")
    if alpha != 1:
        s1 = binary("mul", s1, alpha)
    shape = [1] * x1.dim()
    shape[d] = n
    idx = index.to(D.int64).reshape(shape).expand(s1.shape)
    return scatter_add(x1, d, idx, s1).reshape(x.shape)


def index_fill(x, dim, index, value):
    if not isinstance(index, Tensor) or index.dtype not in (D.int64, D.int32):
        raise RuntimeError("index_fill_(): Expected dtype int64 for index.")
    if index.dim() > 1:
        raise RuntimeError("Index has to be a vector/scalar")
    if isinstance(value, Tensor):
        if value.dim():
            raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.dim()} dimension(s).")
    else:
        _check_scalar_fits(value, x.dtype)
        value = _as_tensor(value, x.dtype)
    d = norm_dim(dim, x.dim())
    size = x.shape[d] if x.dim() else 1
    ext = _check_bounds(index, size, d, IndexError, wrap=True)
    # one scatter of the value into the indexed rows of a copy (the row kernel's fill)
    x1 = x.reshape(1) if x.dim() == 0 else x
    idx = _wrap(index.to(D.int64).reshape(-1), size, ext)
    shape = [1] * x1.dim()
    shape[d] = idx.shape[0]
    target = list(x1.shape)
    target[d] = idx.shape[0]
    return scatter(x1, d, idx.reshape(shape).expand(target),
                   value.to(x.dtype).to(x.device).reshape([1] * x1.dim()).expand(target)
                   ).reshape(x.shape)


def _mask_indices(x, indices):
    """index_put's indices with every bool mask replaced by the index tensors it stands for."""
    out = []
    for t in indices:
        if t is None or not isinstance(t, Tensor):
            raise NotImplementedError("webtensor: index_put takes a tuple of index tensors "
                                      "(no None / slices: use x[...] = v)")
        if t.dtype in (D.bool_, D.uint8):
            at = len(out)
            if tuple(t.shape) != tuple(x.shape[at:at + t.dim()]):
                raise IndexError(f"The shape of the mask {list(t.shape)} at index {at} does "
                                 f"not match the shape of the indexed tensor "
                                 f"{list(x.shape[at:])} at index {at}")
            nz = nonzero(t)
            out.extend(nz[:, k] for k in range(t.dim()))
        elif t.dtype in (D.int64, D.int32):
            out.append(t.to(D.int64))
        else:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return out


def index_put(x, indices, values, accumulate=False):
    """x with x[indices] = values (added instead when accumulate, duplicates included): the
    indexed leading dims are flattened into one row index, then one scatter over rows."""
    idx = _mask_indices(x, indices)
    if len(idx) > x.dim():
        raise IndexError(f"too many indices for tensor of dimension {x.dim()} (got {len(idx)})")
    if values.dtype is not x.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_TN[x.dtype.name]} for the destination and "
                           f"{_TN[values.dtype.name]} for the source.")
    k = len(idx)
    lead, rest = x.shape[:k], tuple(x.shape[k:])
    bshape = broadcast_shapes(*[t.shape for t in idx]) if idx else ()
    row = None
    for j, t in enumerate(idx):
        t = _wrap(t, lead[j], _check_bounds(t, lead[j], j, IndexError, wrap=True))
        row = t if row is None else binary("add", binary("mul", row, lead[j]), t)
    target = tuple(bshape) + rest
    try:
        vals = values.expand(target)
    except RuntimeError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(target)}") from None
    n, r = prod(bshape), prod(rest)
    if row is None:                                  # no index: the whole tensor
        return binary("add", x, vals) if accumulate else vals.clone()
    rows = row.expand(bshape).reshape(n, 1).expand(n, r)
    x2 = x.reshape(prod(lead), r)
    v2 = vals.reshape(n, r)
    out = scatter_add(x2, 0, rows, v2) if accumulate else scatter(x2, 0, rows, v2)
    return out.reshape(x.shape)


def masked_scatter(x, mask, source):
    """x with its masked elements taken, in order, from source's first elements."""
    if not isinstance(mask, Tensor) or mask.dtype is not D.bool_:
        got = _TN[mask.dtype.name] if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with "
                           f"dtype {got}")
    if source.dtype is not x.dtype:
        raise RuntimeError("masked_scatter: expected self and source to have same dtypes but "
                           f"got{_TN[x.dtype.name]} and {_TN[source.dtype.name]}")
    shape = broadcast_shapes(x.shape, mask.shape)
    if _one_pass(x, mask) and not source.requires_grad:
        out = Tensor._empty(shape, x.dtype).copy_(x.expand(shape))
        dispatch("masked_scatter", out, mask.expand(shape), source.reshape(-1))
        return out
    m = mask.expand(shape).reshape(-1)
    pos = m.to(D.int64).cumsum(0)
    ones = pos[-1].item() if pos.numel() else 0
    if ones > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    xb = x.expand(shape)
    if not ones:
        return xb.clone()
    take = binary("maximum", binary("sub", pos, 1), 0)
    picked = _index_select(source.reshape(-1), 0, take)
    return where(m.reshape(shape), picked.reshape(shape), xb)


def put(x, index, source, accumulate=False):
    """x with x.view(-1)[index] = source (added when accumulate), index over the flat tensor."""
    if not isinstance(index, Tensor) or index.dtype is not D.int64:
        got = _TN[index.dtype.name] if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"put_(): Expected a long tensor for index, but got {got}")
    if source.dtype is not x.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_TN[x.dtype.name]} and source.dtype = "
                           f"{_TN[source.dtype.name]}")
    if index.numel() != source.numel():
        raise IndexError("put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.numel()}, index.numel() "
                         f"= {index.numel()}")
    n = x.numel()
    ext = _extremes(index)
    for v in ext:
        if not -n <= v < n:
            raise IndexError(f"out of range: tried to access index {v} on a tensor of {n} "
                             "elements.")
    # one scatter of elements (rows of one) into the flat tensor, checked above
    rows = _wrap(index.reshape(-1, 1), n, ext)
    x1, v = x.reshape(n, 1), source.reshape(-1, 1)
    out = scatter_add(x1, 0, rows, v) if accumulate else scatter(x1, 0, rows, v)
    return out.reshape(x.shape)


def unravel_index(indices, shape):
    """The coordinates of flat indices in a tensor of `shape` (indices taken modulo its size,
    as torch does)."""
    if not isinstance(indices, Tensor) or indices.dtype.category != 1:
        got = f"torch.{indices.dtype.name}" if isinstance(indices, Tensor) else \
            type(indices).__name__
        raise TypeError(f"expected 'indices' to be integer dtype, but got {got}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    indices = indices.to(D.int64)             # torch: against int64 coefficients
    out, stride = [], 1
    for size in reversed(shape):
        q = indices.div(stride, rounding_mode="floor") if stride != 1 else indices
        out.append(binary("remainder", q, size).to(D.int64))
        stride *= size
    return tuple(reversed(out))
