"""Reference reductions, scans and softmax: move the reduced dims last, work row by row."""
import math

from ..._shape import prod
from ..._memory import read, write


def _rows(x, dims):
    """Values of x with `dims` moved last, split into rows of prod(reduced sizes)."""
    keep = [d for d in range(x.dim()) if d not in dims]
    vals = read(x.permute(keep + list(dims)))
    r = prod(x.shape[d] for d in dims)
    if r == 0:
        return [[] for _ in range(prod(x.shape[d] for d in keep))]
    return [vals[i:i + r] for i in range(0, len(vals), r)]


def _isnan(v):
    return v != v


def _sum(row):
    if any(isinstance(v, float) for v in row):
        return math.fsum(row) if all(math.isfinite(v) for v in row) else sum(row)
    return sum(row)


def _amax(row):
    if not row:
        raise IndexError("max(): Expected reduction dim to be specified for input.numel() == 0.")
    if any(_isnan(v) for v in row):
        return math.nan
    return max(row)


def _amin(row):
    if not row:
        raise IndexError("min(): Expected reduction dim to be specified for input.numel() == 0.")
    if any(_isnan(v) for v in row):
        return math.nan
    return min(row)


def _argbest(row, better):
    best = 0
    for i, v in enumerate(row):
        if _isnan(v):
            return i
        if better(v, row[best]):
            best = i
    return best


def _var(row, correction):
    n = len(row)
    if n == 0:
        return math.nan
    m = math.fsum(row) / n if all(math.isfinite(v) for v in row) else sum(row) / n
    ss = sum((v - m) * (v - m) for v in row)
    dof = max(0, n - correction)  # torch divides by max(0, n - correction): x/0 -> inf or nan
    if dof == 0:
        return math.nan if ss == 0 or ss != ss else math.inf
    return ss / dof


def _logsumexp(row):
    if not row:
        return -math.inf
    m = _amax(row)
    if m != m:
        return m
    if m in (math.inf, -math.inf):
        return m
    return m + math.log(sum(math.exp(v - m) for v in row))


def reduce(op, out, x, dims, correction=1):
    rows = _rows(x, dims)
    if op == "sum":
        res = [_sum(r) for r in rows]
    elif op == "mean":
        res = [_sum(r) / len(r) if r else math.nan for r in rows]
    elif op == "prod":
        res = [prod(r) for r in rows]
    elif op == "amax":
        res = [_amax(r) for r in rows]
    elif op == "amin":
        res = [_amin(r) for r in rows]
    elif op == "argmax":
        res = [_argbest(r, lambda a, b: a > b) for r in rows]
    elif op == "argmin":
        res = [_argbest(r, lambda a, b: a < b) for r in rows]
    elif op == "var":
        res = [_var(r, correction) for r in rows]
    elif op == "logsumexp":
        res = [_logsumexp(r) for r in rows]
    elif op == "all":
        res = [all(r) for r in rows]
    elif op == "any":
        res = [any(r) for r in rows]
    elif op == "count_nonzero":
        res = [len(r) - r.count(0) for r in rows]
    elif op in ("nansum", "nanmean"):
        res = [[v for v in r if v == v] for r in rows]
        res = [_sum(r) / len(r) if r else math.nan for r in res] if op == "nanmean" else \
            [_sum(r) for r in res]
    else:
        raise KeyError(op)
    write(out, res)


def _last(t, dim):
    order = [d for d in range(t.dim()) if d != dim] + [dim]
    return t.permute(order)


def _scan(out, x, dim, step):
    xs, os = _last(x, dim), _last(out, dim)
    n = x.shape[dim] if x.dim() else 1
    vals = read(xs)
    res = []
    for i in range(0, len(vals), max(n, 1)):
        acc = None
        for v in vals[i:i + n]:
            acc = v if acc is None else step(acc, v)
            res.append(acc)
    write(os, res)


def cumsum(out, x, dim):
    _scan(out, x, dim, lambda a, b: a + b)


def cumprod(out, x, dim):
    _scan(out, x, dim, lambda a, b: a * b)


def _softmax_row(row, log):
    if not row:
        return []
    m = _amax(row)
    if m != m or m == math.inf:
        return [math.nan] * len(row)
    if m == -math.inf:
        return [math.nan] * len(row)
    ex = [math.exp(v - m) for v in row]
    s = sum(ex)
    if log:
        ls = math.log(s)
        return [v - m - ls for v in row]
    return [e / s for e in ex]


def _softmax(out, x, dim, log):
    xs, os = _last(x, dim), _last(out, dim)
    n = x.shape[dim] if x.dim() else 1
    vals = read(xs)
    res = []
    for i in range(0, len(vals), max(n, 1)):
        res.extend(_softmax_row(vals[i:i + n], log))
    write(os, res)


def softmax(out, x, dim):
    _softmax(out, x, dim, False)


def log_softmax(out, x, dim):
    _softmax(out, x, dim, True)
