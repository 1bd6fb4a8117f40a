"""Reference layer_norm / rms_norm on [rows, n]: Python floats (double precision), one row at
a time, rounded once on store."""
import math

from ..._memory import read, write


def _stats_rows(x):
    n = x.shape[1]
    vals = read(x)
    return n, [vals[i:i + n] for i in range(0, len(vals), n)] if n else []


def _finite_sum(row):
    return math.fsum(row) if all(math.isfinite(v) for v in row) else sum(row)


def _affine(y, w, b):
    if w is not None:
        y = [a * c for a, c in zip(y, w)]
    if b is not None:
        y = [a + c for a, c in zip(y, b)]
    return y


def _rsqrt(v):
    if v != v:
        return v
    if v == 0:
        return math.inf
    return 1.0 / math.sqrt(v) if v > 0 else math.nan


def _scale(row, s):
    # x * inf with x == 0 is nan, like the float kernels (torch gives nan there too)
    return [v * s for v in row]


def layer_norm(out, x, weight, bias, eps):
    n, rows = _stats_rows(x)
    w = read(weight) if weight is not None else None
    b = read(bias) if bias is not None else None
    res = []
    for row in rows:
        m = _finite_sum(row) / n
        if math.isfinite(m):
            v = _finite_sum([(a - m) * (a - m) for a in row]) / n
        else:
            v = math.nan
        res.extend(_affine(_scale([a - m for a in row], _rsqrt(v + eps)), w, b))
    write(out, res)


def rms_norm(out, x, weight, eps):
    n, rows = _stats_rows(x)
    w = read(weight) if weight is not None else None
    res = []
    for row in rows:
        ms = _finite_sum([a * a for a in row]) / n
        res.extend(_affine(_scale(row, _rsqrt(ms + eps)), w, None))
    write(out, res)
