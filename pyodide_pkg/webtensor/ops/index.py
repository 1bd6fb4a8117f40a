"""gather / scatter / index_select / masked_fill / one_hot / sort / topk / nonzero."""
from collections import namedtuple

from .. import _dtype as D
from .._shape import norm_dim
from .._tensor import Tensor
from ..backends import dispatch
from .elementwise import _as_tensor, binary, where

values_indices = namedtuple("values_indices", ["values", "indices"])


def _index_tensor(index, name):
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not "
                        f"{type(index).__name__}")
    if index.dtype is not D.int64:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    return index


def _check_like(x, dim, index, name):
    if index.dim() != x.dim() and not (index.dim() <= 1 and x.dim() <= 1):
        raise RuntimeError(f"Index tensor must have the same number of dimensions as "
                           f"{'input' if name == 'gather' else 'self'} tensor")
    for k in range(index.dim()):
        if k != dim and index.shape[k] > x.shape[k]:
            raise RuntimeError(f"Size does not match at dimension {k} expected index "
                               f"{list(index.shape)} to be smaller than self {list(x.shape)} "
                               f"apart from dimension {dim}")


def gather(x, dim, index):
    index = _index_tensor(index, "gather")
    d = norm_dim(dim, x.dim())
    _check_like(x, d, index, "gather")
    out = Tensor._empty(index.shape, x.dtype)
    dispatch("gather", out, x, d, index)
    return out


def take_along_dim(x, indices, dim):
    return gather(x, dim, indices)


def scatter(x, dim, index, src=None, value=None, reduce=None):
    if src is None and value is None:
        raise TypeError("scatter() expected a 'src' tensor or a 'value'")
    if value is None and not isinstance(src, Tensor):
        src, value = None, src
    index = _index_tensor(index, "scatter")
    d = norm_dim(dim, x.dim())
    _check_like(x, d, index, "scatter")
    if reduce not in (None, "add", "multiply", "sum", "prod", "amax", "amin"):
        raise RuntimeError(f"reduce argument must be either add or multiply, got {reduce}")
    if src is None:
        from .._creation import full
        src = full(index.shape, value, dtype=x.dtype)
    elif src.dtype is not x.dtype:
        raise RuntimeError(f"scatter(): Expected self.dtype to be equal to src.dtype")
    out = x.clone()
    dispatch("scatter", out, d, index, src, reduce)
    return out


def scatter_add(x, dim, index, src):
    return scatter(x, dim, index, src, reduce="add")


def scatter_reduce(x, dim, index, src, reduce, include_self=True):
    if not include_self:
        raise NotImplementedError("webtensor: scatter_reduce(include_self=False)")
    return scatter(x, dim, index, src, reduce=reduce)


def index_select(x, dim, index):
    if not isinstance(index, Tensor) or index.dtype not in (D.int64, D.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    if index.dim() > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = norm_dim(dim, x.dim())
    index = index.reshape(-1).to(D.int64)
    if x.dim() == 0:
        return x.reshape(1).index_select(0, index).view(())
    shape = list(x.shape)
    shape[d] = index.shape[0]
    out = Tensor._empty(shape, x.dtype)
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
    r = where(mask, _as_tensor(value, x.dtype), x)
    if r.shape != x.shape:
        raise RuntimeError(f"The size of the mask {list(mask.shape)} must be broadcastable to "
                           f"the size of the tensor {list(x.shape)}")
    return r


def one_hot(x, num_classes=-1):
    if not isinstance(x, Tensor) or x.dtype is not D.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    from .._creation import arange
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
    return binary("eq", x.unsqueeze(-1), arange(num_classes)).to(D.int64)


def sort(x, dim=-1, descending=False, stable=False):
    d = norm_dim(dim, x.dim())
    values = Tensor._empty(x.shape, x.dtype)
    indices = Tensor._empty(x.shape, D.int64)
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
    v, i = sort(x, d, descending=largest, stable=True)
    if x.dim() == 0:
        return values_indices(v, i)
    return values_indices(v.narrow(d, 0, k).contiguous(), i.narrow(d, 0, k).contiguous())


def nonzero(x, as_tuple=False):
    """Indices of nonzero elements; the output size depends on the data (host-side)."""
    from .._creation import tensor
    flags = x.to(D.bool_).reshape(-1).tolist() if x.dim() else [bool(x.item())]
    shape = x.shape
    idx = []
    for flat, f in enumerate(flags):
        if f:
            pos, rem = [], flat
            for s in reversed(shape):
                pos.append(rem % s)
                rem //= s
            idx.append(pos[::-1])
    out = tensor(idx, dtype=D.int64) if idx else Tensor._empty((0, len(shape)), D.int64)
    if as_tuple:
        return tuple(out[:, k] for k in range(len(shape))) if shape else (out.reshape(-1),)
    return out


def argwhere(x):
    return nonzero(x)


def masked_select(x, mask):
    m = mask.expand(x.shape) if mask.shape != x.shape else mask
    return x[m]
