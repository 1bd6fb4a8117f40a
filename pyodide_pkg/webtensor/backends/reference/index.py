"""Reference matmul, gather/scatter/index_select and sort."""
import itertools

from ..._shape import contiguous_strides, prod
from ... import _dtype as D
from ..._memory import read, write


def matmul(out, a, b):
    *batch, m, k = a.shape
    n = b.shape[-1]
    av, bv = read(a), read(b)
    res = []
    for bi in range(prod(batch)):
        ao, bo = bi * m * k, bi * k * n
        for i in range(m):
            row = av[ao + i * k: ao + (i + 1) * k]
            for j in range(n):
                res.append(sum(row[p] * bv[bo + p * n + j] for p in range(k)) if k else 0)
    write(out, res)


def _check_index(i, size, dim):
    # gather/scatter do not wrap negative indices; torch raises RuntimeError here
    if not 0 <= i < size:
        raise RuntimeError(f"index {i} is out of bounds for dimension {dim} with size {size}")
    return i


def gather(out, x, dim, index):
    xv = read(x)
    xs = contiguous_strides(x.shape)
    idx = read(index)
    res = []
    for pos, i in zip(itertools.product(*map(range, index.shape)), idx):
        i = _check_index(i, x.shape[dim], dim)
        res.append(xv[sum((i if d == dim else p) * s for d, (p, s) in enumerate(zip(pos, xs)))])
    write(out, res)


_SCATTER = {None: lambda old, v: v, "add": lambda old, v: old + v,
            "sum": lambda old, v: old + v,
            "multiply": lambda old, v: old * v, "prod": lambda old, v: old * v,
            # torch's CPU loop: isnan(v) ? v : std::max(old, v) (a NaN in old stays)
            "amax": lambda old, v: v if v != v or old < v else old,
            "amin": lambda old, v: v if v != v or v < old else old}


def scatter(out, dim, index, src, reduce=None):
    ov = read(out)
    os = contiguous_strides(out.shape)
    f = _SCATTER[reduce]
    sv = read(src)
    ss = contiguous_strides(src.shape)
    for pos, i in zip(itertools.product(*map(range, index.shape)), read(index)):
        i = _check_index(i, out.shape[dim], dim)
        o = sum((i if d == dim else p) * s for d, (p, s) in enumerate(zip(pos, os)))
        ov[o] = f(ov[o], sv[sum(p * s for p, s in zip(pos, ss))])
    write(out, ov)


def nonzero(x):
    """[count, x.dim()] int64 positions of x's True elements (x bool, dim >= 1)."""
    from ..._tensor import Tensor
    shape = x.shape
    idx = []
    for flat, f in enumerate(read(x)):
        if f:
            pos, rem = [], flat
            for s in reversed(shape):
                pos.append(rem % s)
                rem //= s
            idx.extend(pos[::-1])
    out = Tensor._empty((len(idx) // len(shape), len(shape)), D.int64)
    write(out, idx)
    return out


def index_select_error(x, dim, bad):
    """torch's error for index value `bad` outside [0, x.shape[dim]) (its CPU kernels differ:
    dim 1 of a >= 2-d input reports the value; an empty dim has its own message)."""
    n = x.shape[dim] if x.dim() else 1
    if n == 0:
        return RuntimeError("index_select(): self indexing axis dim should be positive")
    if dim == 1 and x.dim() > 1:
        return RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
    return IndexError("index out of range in self")


def index_select(out, x, dim, index):
    idx = read(index)
    for i in idx:
        if not 0 <= i < (x.shape[dim] if x.dim() else 1):
            raise index_select_error(x, dim, i)
    xv = read(x)
    outer = prod(x.shape[:dim])
    inner = prod(x.shape[dim + 1:])
    n = x.shape[dim]
    res = []
    for o in range(outer):
        for i in idx:
            base = (o * n + i) * inner
            res.extend(xv[base:base + inner])
    write(out, res)


def _sort_key(v):
    # NaN sorts above everything, like torch.
    return (1, 0.0) if v != v else (0, v)


def sort(values, indices, x, dim, descending=False, stable=False):
    order = [d for d in range(x.dim()) if d != dim] + [dim]
    xs = x.permute(order)
    n = x.shape[dim] if x.dim() else 1
    vals = read(xs)
    rv, ri = [], []
    for s in range(0, len(vals), max(n, 1)):
        row = vals[s:s + n]
        # sorted() is stable with reverse=True too
        perm = sorted(range(len(row)), key=lambda i: _sort_key(row[i]), reverse=descending)
        rv.extend(row[i] for i in perm)
        ri.extend(perm)
    write(values.permute(order), rv)
    write(indices.permute(order), ri)
