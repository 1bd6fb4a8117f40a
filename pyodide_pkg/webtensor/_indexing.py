"""Tensor indexing: basic (int, slice, None, ...) as free views; advanced (int/bool tensors,
lists) with numpy/torch placement rules, lowered to index_select on a flattened view."""
from . import _dtype as D
from ._device import CPU
from ._shape import broadcast_shapes, prod
from ._tensor import Tensor


def _seq_len(o):
    """len() of what CPython calls a sequence (lists, tuples, numpy arrays), else -1."""
    if isinstance(o, (list, tuple, range, str)):
        return len(o)
    if hasattr(o, "__array_interface__") and not isinstance(o, Tensor):
        return len(o) if getattr(o, "ndim", 0) else -1
    return -1


def _as_tuple(idx):
    """torch's (numpy-derived) rule: a short non-tuple sequence holding a sequence, slice,
    tensor, None or Ellipsis is read as a tuple, so x[[[0, 1], [1, 1]]] == x[[0, 1], [1, 1]]."""
    if isinstance(idx, tuple):
        return idx
    if not isinstance(idx, list) or len(idx) >= 32:  # torch reads numpy arrays as tensors
        return (idx,)
    if any(isinstance(i, (Tensor, slice)) or i is None or i is Ellipsis or _seq_len(i) >= 0
           for i in idx):
        return tuple(idx)
    return (idx,)


def _normalize(idx):
    out = []
    for i in _as_tuple(idx):
        if isinstance(i, bool):  # acts like a 0-dim bool tensor (a new dim of size 1 or 0)
            from ._creation import tensor
            i = tensor(i)
        elif isinstance(i, (list, tuple)) or (hasattr(i, "__array_interface__") and
                                              not isinstance(i, Tensor)):
            from ._creation import tensor
            i = tensor(i)
            if i.numel() == 0 and i.dtype.category == 2:  # x[[]]: an empty integer index
                i = i.to(D.int64)
            if i.dtype.category == 2:
                raise IndexError("tensors used as indices must be long, int, byte or bool "
                                 "tensors")
        elif isinstance(i, Tensor) and i.dtype.category == 2:
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        out.append(i)
    return out


def _consumed(i):
    if i is None or i is Ellipsis:
        return 0
    if isinstance(i, Tensor) and i.dtype in (D.bool_, D.uint8):
        return max(i.dim(), 1) if i.dim() else 0
    return 1


def _expand_ellipsis(idx, ndim):
    used = sum(_consumed(i) for i in idx)
    if used > ndim:
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    ell = [j for j, i in enumerate(idx) if i is Ellipsis]  # not .index: Tensor __eq__
    if not ell:
        return idx + [slice(None)] * (ndim - used)
    # torch accepts several: the first covers the remaining dims, later ones cover none
    out = []
    for j, i in enumerate(idx):
        if i is not Ellipsis:
            out.append(i)
        elif j == ell[0]:
            out += [slice(None)] * (ndim - used)
    return out


def _basic(x, idx):
    """Apply ints/slices/None; return the view and [(dim in view, index tensor)]."""
    shape, strides, off = list(x.shape), list(x._strides), x._offset
    out_shape, out_strides, adv = [], [], []
    d = 0
    for i in idx:
        if i is None:
            out_shape.append(1)
            out_strides.append(0)
        elif isinstance(i, int) or (isinstance(i, Tensor) and i.dim() == 0 and
                                    i.dtype.category == 1 and i.dtype is not D.uint8):
            i = int(i)
            n = shape[d]
            if not -n <= i < n:
                raise IndexError(f"index {i} is out of bounds for dimension {d} with size {n}")
            off += (i + n if i < 0 else i) * strides[d]
            d += 1
        elif isinstance(i, slice):
            step = 1 if i.step is None else int(i.step)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            start, stop, step = slice(i.start, i.stop, step).indices(shape[d])
            n = max(0, -(-(stop - start) // step))
            off += start * strides[d] if n else 0
            out_shape.append(n)
            out_strides.append(strides[d] * step)
            d += 1
        elif isinstance(i, Tensor):
            if i.dtype in (D.bool_, D.uint8):
                k = i.dim()
                if k == 0:  # a new dim of size 1, indexed by [0] (True) or [] (False)
                    from ._creation import tensor
                    adv.append((len(out_shape), tensor([0] if i.item() else [], dtype=D.int64),
                                1, d))
                    out_shape.append(1)
                    out_strides.append(0)
                    continue
                for j in range(k):
                    if i.shape[j] != shape[d + j]:
                        raise IndexError(f"The shape of the mask {list(i.shape)} at index {j} "
                                         f"does not match the shape of the indexed tensor "
                                         f"{list(shape)} at index {d + j}")
                from .ops.index import nonzero
                nz = nonzero(i.to("cpu"))    # read to the host anyway: index there
                for j in range(k):
                    adv.append((len(out_shape), nz[:, j].contiguous(), shape[d + j], d + j))
                    out_shape.append(shape[d + j])
                    out_strides.append(strides[d + j])
                d += k
            else:
                adv.append((len(out_shape), i, shape[d], d))
                out_shape.append(shape[d])
                out_strides.append(strides[d])
                d += 1
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or "
                             f"byte Variables are valid indices (got {type(i).__name__})")
    return x._view(out_shape, out_strides, off, _index_name(idx)), adv


def _linear_index(view, adv):
    """Broadcast the advanced indices and fold them into one int64 index over their dims."""
    from .ops.elementwise import binary
    from .ops.reduce import amax, amin
    try:
        ishape = broadcast_shapes(*[t.shape for _, t, _, _ in adv])
    except RuntimeError:  # torch raises IndexError here
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together "
                         "with shapes " + ", ".join(str(list(t.shape)) for _, t, _, _ in adv)
                         ) from None
    lin = None
    devs = {t.device for _, t, _, _ in adv}
    if devs - {view.device, CPU}:
        raise RuntimeError(f"indices should be either on cpu or on the same device as the "
                           f"indexed tensor ({view.device})")
    dev = devs.pop() if len(devs) == 1 else CPU  # mixed: combined (and checked) on the host
    for _, t, n, src_dim in adv:
        t = t.to(dev, D.int64)
        if prod(ishape):  # torch checks bounds after broadcasting: nothing selected, no error
            lo, hi = amin(t).item(), amax(t).item()
            bad = hi if hi >= n else lo if lo < -n else None
            if bad is not None:
                raise IndexError(f"index {bad} is out of bounds for dimension {src_dim} with "
                                 f"size {n}")
        t = binary("remainder", t, n) if n else t  # wrap negative indices
        lin = t if lin is None else binary("add", binary("mul", lin, n), t)
    return lin.expand(ishape), ishape


def _adv_layout(view, adv):
    """Permutation putting advanced dims first, and where their result dims go (torch rule)."""
    dims = [d for d, _, _, _ in adv]
    rest = [d for d in range(view.dim()) if d not in dims]
    adjacent = dims == list(range(dims[0], dims[0] + len(dims)))
    insert_at = sum(1 for d in rest if d < dims[0]) if adjacent else 0
    return dims + rest, insert_at


def _index_name(idx):
    """grad_fn name of x[idx] as a view (torch names the last view op it applies)."""
    for i in reversed(idx if isinstance(idx, (tuple, list)) else (idx,)):
        if i is Ellipsis or (i.__class__ is slice and i == slice(None)):
            continue                  # nothing applied
        if i.__class__ is int:
            return "SelectBackward0"
        if i is None:
            return "UnsqueezeBackward0"
        if i.__class__ is slice:
            return "SliceBackward0"
    return "AliasBackward0"


def _plain_view(x, idx):
    """x[idx] for a tuple of Python ints, slices (step None or > 0), None and one Ellipsis --
    the model-code cases (x[..., :h], x[:, -1], x[:, None]) -- or None for the general path
    (which also raises every error)."""
    shape, strides = x.shape, x._strides
    ndim, used, ell = len(shape), 0, -1
    for j, i in enumerate(idx):
        c = i.__class__
        if c is int or (c is slice and (i.step is None or (i.step.__class__ is int and
                                                           i.step > 0))):
            used += 1
        elif i is Ellipsis and ell < 0:
            ell = j
        elif i is not None:
            return None
    if used > ndim:
        return None
    off, out_shape, out_strides, d = x._offset, [], [], 0
    for j, i in enumerate(idx):
        c = i.__class__
        if c is int:
            n = shape[d]
            if not -n <= i < n:
                return None
            off += (i + n if i < 0 else i) * strides[d]
            d += 1
        elif c is slice:
            start, stop, step = i.indices(shape[d])
            n = (stop - start + step - 1) // step if stop > start else 0
            if n:
                off += start * strides[d]
            out_shape.append(n)
            out_strides.append(strides[d] * step)
            d += 1
        elif i is None:
            out_shape.append(1)
            out_strides.append(0)
        else:                                   # the Ellipsis: the dims no index names
            e = d + ndim - used
            out_shape += shape[d:e]
            out_strides += strides[d:e]
            d = e
    out_shape += shape[d:]
    out_strides += strides[d:]
    return x._view(out_shape, out_strides, off, _index_name(idx))


def getitem(x, idx):
    from .ops.index import _index_select
    if idx.__class__ is tuple:
        v = _plain_view(x, idx)
        if v is not None:
            return v
    idx = _expand_ellipsis(_normalize(idx), x.dim())
    view, adv = _basic(x, idx)
    if not adv:
        return view
    lin, ishape = _linear_index(view, adv)
    order, insert_at = _adv_layout(view, adv)
    w = view.permute(order)
    k = len(adv)
    rest_shape = tuple(w.shape[k:])
    flat = w.reshape((prod(w.shape[:k]),) + rest_shape)
    out = _index_select(flat, 0, lin.reshape(-1)).view(tuple(ishape) + rest_shape)
    if insert_at:
        nd = len(ishape)
        perm = list(range(nd, nd + insert_at)) + list(range(nd)) + \
            list(range(nd + insert_at, out.dim()))
        out = out.permute(perm)
    return out


def _check_byte_mask_fill(nidx, value):
    """torch sends x[mask] = scalar to masked_fill_, which refuses a (deprecated) uint8 mask."""
    adv = [i for i in nidx if isinstance(i, Tensor) and not (
        i.dim() == 0 and i.dtype.category == 1 and i.dtype is not D.uint8)]
    if len(adv) == 1 and adv[0].dtype is D.uint8 and value.numel() == 1:
        raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype "
                           "unsigned char")


def setitem(x, idx, value):
    from ._creation import as_tensor_like
    from .ops.elementwise import where
    nidx = _normalize(idx)
    # Fast path for the common mask assignment x[mask] = v with a full-shape bool mask.
    if len(nidx) == 1 and isinstance(nidx[0], Tensor) and nidx[0].dtype is D.bool_ and \
            nidx[0].shape == x.shape and (not isinstance(value, Tensor) or value.numel() == 1):
        v = value.item() if isinstance(value, Tensor) else value
        x.copy_(where(nidx[0], as_tensor_like(v, x.dtype), x))
        return
    idx = _expand_ellipsis(nidx, x.dim())
    view, adv = _basic(x, idx)
    value = as_tensor_like(value, x.dtype)
    _check_byte_mask_fill(nidx, value)
    if not adv:
        view.copy_(value)
        return
    lin, ishape = _linear_index(view, adv)
    order, insert_at = _adv_layout(view, adv)
    w = view.permute(order)
    k = len(adv)
    adv_sizes = w.shape[:k]
    nd = len(ishape)
    target_shape = tuple(ishape) + tuple(w.shape[k:])
    if insert_at:  # value is laid out like the getitem result; bring ishape dims first
        res_shape = list(w.shape[k:k + insert_at]) + list(ishape) + list(w.shape[k + insert_at:])
        v = value.expand(res_shape)
        perm = list(range(insert_at, insert_at + nd)) + list(range(insert_at)) + \
            list(range(insert_at + nd, len(res_shape)))
        v = v.permute(perm)
    else:
        v = value.expand(target_shape)
    v = v.reshape((prod(ishape),) + tuple(w.shape[k:]))
    # One copy per indexed position (duplicates: the last write wins, like torch on CPU).
    for j, li in enumerate(lin.reshape(-1).tolist()):
        sub = w
        pos = []
        for n in reversed(adv_sizes):
            pos.append(li % n)
            li //= n
        for p in reversed(pos):
            sub = sub.select(0, p)
        sub.copy_(v[j])
