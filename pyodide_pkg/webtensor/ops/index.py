"""gather / scatter / index_select / masked_fill / one_hot / sort / topk / nonzero."""
from collections import namedtuple

from .. import _dtype as D
from .._shape import broadcast_shapes, norm_dim
from .._tensor import Tensor
from .._device import CPU, mismatch
from .._storage import _capture
from .._dispatch import dispatch
from .elementwise import _as_tensor, binary, where

values_indices = namedtuple("values_indices", ["values", "indices"])


def _index_tensor(index, name):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not "
                        f"{type(index).__name__}")
    if index.dtype not in (D.int64, D.int32):
        raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
    return index.to(D.int64)  # the primitives take int64 indices


def _check_like(x, dim, index, name):
    if index.dim() != x.dim() and not (index.dim() <= 1 and x.dim() <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    for k in range(index.dim()):
        if k != dim and index.shape[k] > x.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{list(index.shape)} to be smaller than self {list(x.shape)} "
                               f"apart from dimension {dim}")


_CTYPE = {"int64": "int64_t", "int32": "int", "int16": "int16_t", "int8": "int8_t",
          "uint8": "uint8_t", "float32": "float", "float64": "double", "float16": "c10::Half",
          "bfloat16": "c10::BFloat16"}
_FMAX = {"float32": 3.4028234663852886e38, "float16": 65504.0, "bfloat16": 3.3895313892515355e38}


def _check_scalar_fits(value, dtype):
    """torch's checked scalar conversion (masked_fill, scatter value): out-of-range is an
    error, not a wrap-around. Unsigned types also accept negatives down to -max."""
    if dtype is D.bool_ or isinstance(value, bool):
        return
    if dtype.category == 2:
        lim = _FMAX.get(dtype.name)
        bad = lim is not None and value == value and abs(value) != float("inf") and \
            abs(value) > lim
    else:
        bits = D.INT_BITS[dtype]
        lo, hi = (-(1 << bits) + 1, (1 << bits) - 1) if not dtype.is_signed else \
            (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
        bad = value != value or value in (float("inf"), float("-inf")) or \
            not lo <= value <= hi
    if bad:
        raise RuntimeError(f"value cannot be converted to type {_CTYPE[dtype.name]} without "
                           "overflow")


def gather(x, dim, index):
    index = _index_tensor(index, "gather")
    d = norm_dim(dim, x.dim())
    _check_like(x, d, index, "gather")
    out = Tensor._empty(index.shape, x.dtype, x.device)
    dispatch("gather", out, x, d, index)
    return out


def take_along_dim(x, indices, dim=None):
    if not isinstance(indices, Tensor) or indices.dtype is not D.int64:
        got = indices.dtype if isinstance(indices, Tensor) else type(indices).__name__
        from .elementwise import _TNAME
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be Long but got "
                           f"{_TNAME.get(getattr(got, 'name', got), got)}")
    if dim is None:  # over the flattened input; torch uses view(-1), so no strided input
        return gather(x.view(-1), 0, indices.view(-1))
    d = norm_dim(dim, x.dim())
    if x.dim() != indices.dim():
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {x.dim()} dimensions for input, and "
                           f"{indices.dim()} dimensions for indices")
    if x.dim() == 0:
        return gather(x, d, indices)
    # broadcast every dim but `dim` (views, no copies), then gather
    xs, js = list(x.shape), list(indices.shape)
    xs[d], js[d] = indices.shape[d], x.shape[d]
    ishape = broadcast_shapes(tuple(xs), indices.shape)
    xshape = broadcast_shapes(tuple(js), x.shape)
    return gather(x.expand(xshape), d, indices.expand(ishape))


def _scatter(x, d, index, src, reduce):
    """Checks shared by scatter/scatter_add/scatter_reduce, then the one dispatch."""
    _check_like(x, d, index, "scatter")
    if src.dtype is not x.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    out = x.clone()
    dispatch("scatter", out, d, index, src, reduce)
    return out


def _value_src(value, index, dtype):
    from .._creation import full
    if isinstance(value, Tensor):
        value = value.item()
    _check_scalar_fits(value, dtype)
    return full(index.shape, value, dtype=dtype, device=index.device)


def scatter(x, dim, index, src=None, value=None, reduce=None):
    if src is None and value is None:
        raise TypeError("scatter() expected a 'src' tensor or a 'value'")
    if value is None and not isinstance(src, Tensor):
        src, value = None, src
    index = _index_tensor(index, "scatter")
    d = norm_dim(dim, x.dim())
    if reduce not in (None, "add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if src is None:
        _check_like(x, d, index, "scatter")
        src = _value_src(value, index, x.dtype)
    return _scatter(x, d, index, src, reduce)


def scatter_add(x, dim, index, src):
    index = _index_tensor(index, "scatter_add")
    return _scatter(x, norm_dim(dim, x.dim()), index, src, "add")


def _identity(reduce, dtype):
    """What torch writes into the targeted slots when include_self=False."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.category == 2:
        return float("-inf") if reduce == "amax" else float("inf")
    if dtype is D.bool_:
        return reduce == "amin"
    bits = D.INT_BITS[dtype]
    lo, hi = (0, (1 << bits) - 1) if not dtype.is_signed else \
        (-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    return lo if reduce == "amax" else hi


def scatter_reduce(x, dim, index, src, reduce, *, include_self=True):
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    index = _index_tensor(index, "scatter_reduce")
    d = norm_dim(dim, x.dim())
    base = x
    if not include_self:
        base = _scatter(x, d, index, _value_src(_identity(reduce, x.dtype), index, x.dtype),
                        None)
    out = _scatter(base, d, index, src, "sum" if reduce == "mean" else reduce)
    if reduce != "mean":
        return out
    # mean = sum / number of contributions (the input counts as one when included)
    from .._creation import full
    count = _scatter(full(x.shape, 1 if include_self else 0, dtype=x.dtype, device=x.device),
                     d, index, full(index.shape, 1, dtype=x.dtype, device=x.device), "sum")
    count = where(binary("eq", count, 0), _as_tensor(1, x.dtype), count)
    from .elementwise import div
    r = div(out, count) if x.dtype.category == 2 else div(out, count, rounding_mode="floor")
    return r if r.dtype is x.dtype else r.to(x.dtype)


def _extremes(index):
    """(smallest, largest) value of an integer index tensor, () if empty. On the host (the
    values are read back anyway, and not every device reduces int64): a short index through
    Python (cheaper than two reductions' dispatch), a long one by two reductions."""
    n = index.numel()
    if not n or _capture[0] is not None:   # capturing a graph: the kernel's own check stands
        return ()
    if index.device.type != "cpu":
        index = index.cpu()
    if n <= 4096:
        v = index.reshape(-1).tolist()
        return min(v), max(v)
    return index.amin().item(), index.amax().item()


def index_copy_(x, dim, index, source):
    """x[..., index[i], ...] = source[..., i, ...] along dim, in place: one scatter into x
    (a KV cache written at the positions held in a tensor, as HF's StaticCache does)."""
    TNAME = D.TNAME
    name = "index_copy_()"
    if not isinstance(index, Tensor) or index.dtype is not D.int64:
        got = TNAME.get(index.dtype.name) if isinstance(index, Tensor) else type(index).__name__
        raise RuntimeError(f"{name}: Expected a long tensor for index, but got {got}")
    if index.dim() > 1:
        raise IndexError(f"{name}: Index should have dimension 1 or 0 (got {index.dim()})")
    if source.dtype is not x.dtype:
        raise RuntimeError(f"{name}: self and source expected to have the same dtype, but got "
                           f"(self) {TNAME[x.dtype.name]} and (source) "
                           f"{TNAME[source.dtype.name]}")
    d = norm_dim(dim, x.dim())
    if source.dim() != x.dim() and source.dim() > 0 and x.dim() > 0:
        raise IndexError(f"{name}: When source and destination are not scalars, their "
                         f"dimensionality must match. Source dimensionality ({source.dim()}), "
                         f"destination dimensionality ({x.dim()})")
    n = index.numel()
    x1 = x.view(1) if x.dim() == 0 else x
    s1 = source.reshape(1) if source.dim() == 0 else source
    if s1.shape[d] != n:
        raise IndexError(f"{name}: Number of indices ({n}) should be equal to "
                         f"source.size(dim) ({s1.shape[d]})")
    for k in range(x1.dim()):
        if k != d and s1.shape[k] != x1.shape[k]:
            def sl(t):
                return " ".join(str(v) for i, v in enumerate(t.shape) if i != d)
            raise RuntimeError(f"{name}: Source/destination tensor must have same slice "
                               f"shapes. Destination slice shape: {sl(x1)} at dimension {d} "
                               f"and source slice shape: {sl(s1)} at dimension 0.")
    # torch's IndexError from the host on CPU; a device checks in its kernel (no read back,
    # as CUDA's device-side assert)
    for v in _extremes(index) if index.device.type == "cpu" else ():
        if not 0 <= v < x1.shape[d]:
            raise IndexError(f"{name}: index {v} is out of bounds for dimension {d} with size "
                             f"{x1.shape[d]}")
    shape = [1] * x1.dim()
    shape[d] = n
    idx = index.reshape(shape).expand(s1.shape)
    dispatch("scatter", x1, d, idx, s1, None)
    return x


def index_copy(x, dim, index, source):
    return index_copy_(x.clone(), dim, index, source)


def index_select(x, dim, index):
    if not isinstance(index, Tensor) or index.dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index.device != x.device and (index.dim() or index.device != CPU):
        raise mismatch(x.device, index.device)      # torch's rule (a 0-dim CPU index mixes)
    return _index_select(x, dim, index)


def _index_select(x, dim, index):
    """index_select whose 1-D index may be on the CPU for a tensor on a device (indices built
    on the host: pad, interpolate, x[list], masks): _dispatch.HOST_INDEX."""
    d = norm_dim(dim, x.dim())
    index = index.reshape(-1).to(D.int64)
    if x.dim() == 0:
        return _index_select(x.reshape(1), 0, index).view(())
    shape = list(x.shape)
    shape[d] = index.shape[0]
    out = Tensor._empty(shape, x.dtype, x.device)
    dispatch("index_select", out, x, d, index)
    return out


def masked_fill(x, mask, value):
    if not isinstance(mask, Tensor) or mask.dtype is not D.bool_:
        got = mask.dtype.name if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{got}")
    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(f"masked_fill_ only supports a 0-dimensional value tensor, but "
                               f"got tensor with {value.dim()} dimension(s).")
        value = value.item()
    _check_scalar_fits(value, x.dtype)
    # out of place, torch broadcasts x and mask together (masked_fill_ checks the shape)
    return where(mask, _as_tensor(value, x.dtype), x)


def one_hot(x, num_classes=-1):
    if not isinstance(x, Tensor) or x.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    from .._creation import zeros
    from .reduce import amax, amin
    if x.numel():
        if amin(x).item() < 0:
            raise RuntimeError("Class values must be non-negative.")
        top = amax(x).item()
        if num_classes == -1:
            num_classes = top + 1
        elif top >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    elif num_classes == -1:
        raise RuntimeError("Can not infer total number of classes from empty tensor.")
    # zeros, then a 1 scattered at each class straight into them (classes checked above)
    out = zeros(*x.shape, num_classes, dtype=D.int64, device=x.device)
    if x.numel() and num_classes:
        from .._creation import ones
        idx = x.unsqueeze(-1)
        dispatch("scatter", out, out.dim() - 1, idx, ones(idx.shape, dtype=D.int64,
                                                          device=x.device), None)
    return out


def sort(x, dim=-1, descending=False, stable=False):
    d = norm_dim(dim, x.dim())
    values = Tensor._empty(x.shape, x.dtype, x.device)
    indices = Tensor._empty(x.shape, D.int64, x.device)
    if x.dim() == 0:
        values.copy_(x)
        return values_indices(values, indices)
    dispatch("sort", values, indices, x, d, descending, stable)
    return values_indices(values, indices)


def argsort(x, dim=-1, descending=False, stable=False):
    return sort(x, dim, descending, stable).indices


def msort(x):
    return sort(x, 0).values


def topk(x, k, dim=-1, largest=True, sorted=True):
    d = norm_dim(dim, x.dim())
    n = x.shape[d] if x.dim() else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    from .._grad_mode import is_grad_enabled
    from .._storage import _capture
    # (rows of 1-2 byte elements: their sorts count by bits, already cheap passes; a CPU graph
    # capture keeps the whole sort: the candidates' count depends on the values)
    if 0 < k and k * _TOPK_SAMPLE <= n and x.numel() == n and x.device is CPU and \
            x.dtype.itemsize >= 4 and not (x.requires_grad and is_grad_enabled()) and \
            _capture[0] is None:
        return _topk_row(x, k, d, largest)
    v, i = sort(x, d, descending=largest, stable=True)
    if x.dim() == 0:
        return values_indices(v, i)
    return values_indices(v.narrow(d, 0, k).contiguous(), i.narrow(d, 0, k).contiguous())


_TOPK_SAMPLE = 1024     # sampled elements of a long row (candidates: about k * n / this)


def _topk_row(x, k, d, largest):
    """topk of one long row: the row's k-th best is no worse than its sample's k-th best t,
    so the elements not worse than t (NaN included: the sort ranks it first / last) hold the
    answer; they are few, kept in row order, and sorted stably as the whole row would be."""
    flat = x.reshape(-1)
    n = flat.shape[0]
    t = sort(flat[::n // _TOPK_SAMPLE].contiguous(), 0, descending=largest).values[k - 1]
    keep = (flat < t if largest else flat > t).logical_not()
    at = dispatch("nonzero", keep).reshape(-1)
    v, i = sort(flat.index_select(0, at), 0, descending=largest, stable=True)
    out = tuple(x.shape[:d]) + (k,) + tuple(x.shape[d + 1:])
    return values_indices(v.narrow(0, 0, k).reshape(out),
                          at.index_select(0, i.narrow(0, 0, k)).reshape(out))


def nonzero(x, as_tuple=False):
    """Indices of nonzero elements: the output size depends on the data, so the positions are
    found on the CPU (the `nonzero` primitive: a count, then the fill) and sent back."""
    dev = x.device
    b = x.to(D.bool_)
    if dev != CPU:
        b = b.to(CPU)
    out = dispatch("nonzero", b.reshape(1) if b.dim() == 0 else b)
    if x.dim() == 0:                # torch: [count, 0]; as_tuple gives a 1-d index of zeros
        if as_tuple:
            return (Tensor._empty((out.shape[0],), D.int64, dev).zero_(),)
        out = Tensor._empty((out.shape[0], 0), D.int64, CPU)
    if dev != CPU:
        out = out.to(dev)
    if as_tuple:
        return tuple(out[:, k] for k in range(x.dim()))
    return out


def argwhere(x):
    return nonzero(x)


def masked_select(x, mask):
    shape = broadcast_shapes(x.shape, mask.shape)
    xb, mb = x.expand(shape), mask.expand(shape)
    if _one_pass(x, mask):              # the count, then one compaction pass
        return dispatch("masked_select", xb, mb)
    return xb[mb]                       # differentiable: nonzero + index_select


def _one_pass(x, mask):
    """masked_select / masked_scatter's CPU kernels apply: a bool mask and no gradient to
    record (the composites carry it)."""
    from .._grad_mode import is_grad_enabled
    return isinstance(mask, Tensor) and mask.dtype is D.bool_ and x.device is CPU and \
        mask.device is CPU and not (x.requires_grad and is_grad_enabled())
