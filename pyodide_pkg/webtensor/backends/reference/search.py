"""Reference searchsorted, isin, histc, bincount, unique_runs, unique, masked_select and
masked_scatter (the xN-search / xN-sort / masked kernels' oracles)."""
import struct

from ... import _dtype as D
from ..._memory import read, write

_F32 = struct.Struct("<f")


def _rounder(dtype):
    """v rounded to dtype after a float32 operation (c10's half arithmetic: float32, then the
    dtype)."""
    f32 = lambda v: _F32.unpack(_F32.pack(v))[0]  # noqa: E731
    if dtype is D.float32:
        return f32
    if dtype is D.float16:
        return lambda v: struct.unpack("<e", struct.pack("<e", f32(v)))[0]
    if dtype is D.bfloat16:
        def bf16(v):
            u = struct.unpack("<I", _F32.pack(f32(v)))[0]
            if v != v:
                return v
            u = (u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000
            return struct.unpack("<f", struct.pack("<I", u))[0]
        return bf16
    return lambda v: v


def _bound(seq, v, right):
    """torch's cus_lower_bound / cus_upper_bound: its midpoints and its NaN-aware tests."""
    lo, hi = 0, len(seq)
    while lo < hi:
        mid = lo + ((hi - lo) >> 1)
        if not (seq[mid] > v if right else seq[mid] >= v):
            lo = mid + 1
        else:
            hi = mid
    return lo


def searchsorted(out, seq, values, right):
    m = seq.shape[-1] if seq.dim() else 1
    k = values.shape[-1] if values.dim() else 1
    sv, vv = read(seq), read(values)
    res = []
    for r in range(len(vv) // k if k else 0):
        row = sv if seq.dim() <= 1 else sv[r * m:(r + 1) * m]
        res.extend(_bound(row, v, right) for v in vv[r * k:(r + 1) * k])
    write(out, res)


def isin(out, x, test, invert):
    tv = read(test)
    hits = set(v for v in tv if v == v)
    write(out, [(v in hits) != bool(invert) for v in read(x)])


def histc(out, x, lo, hi):
    bins = out.numel()
    r = _rounder(x.dtype)
    lo, hi = r(lo), r(hi)
    counts = [0] * bins
    for e in read(x):
        if not (lo <= e <= hi):
            continue
        q = r(r(r(e - lo) * r(bins)) / r(hi - lo))
        counts[min(int(q), bins - 1) if q >= 0 else 0] += 1
    if x.dtype.itemsize == 2:      # torch adds 1 in the dtype: x + 1 rounds to x from here
        cap = 256 if x.dtype is D.bfloat16 else 2048
        counts = [min(c, cap) for c in counts]
    write(out, counts)


def bincount(out, x):
    counts = read(out)
    for v in read(x):
        counts[int(v)] += 1
    write(out, counts)


def unique_runs(x, want_first, want_group):
    """(the first value of each run of equal values of x (1-D, n >= 1), the runs' first
    positions followed by n or None, each element's run or None); a NaN is a run of its
    own."""
    from ..._tensor import Tensor
    vals = read(x)
    first, group = [], []
    for i, v in enumerate(vals):
        if i == 0 or v != vals[i - 1]:        # a NaN never equals its neighbour
            first.append(i)
        group.append(len(first) - 1)
    values = Tensor._empty((len(first),), x.dtype)
    write(values, [vals[i] for i in first])
    first.append(len(vals))
    return (values, _int64_or_none(want_first, first), _int64_or_none(want_group, group))


def unique(x, want_inverse, want_counts):
    """torch.unique(x, sorted=True) of a 1-D x (numel >= 1): (values, inverse or None, counts or
    None); equal values keep x's order (a value is its first occurrence: -0.0 or +0.0), every
    NaN is its own value, last."""
    from ..._tensor import Tensor
    vals = read(x)
    nan = [i for i, v in enumerate(vals) if v != v]
    order = sorted((i for i, v in enumerate(vals) if v == v), key=lambda i: vals[i]) + nan
    firsts, group, counts = [], [0] * len(vals), []
    for n, i in enumerate(order):
        if n == 0 or i in nan or vals[i] != vals[order[n - 1]]:
            firsts.append(i)
            counts.append(0)
        group[i] = len(firsts) - 1
        counts[-1] += 1
    out = Tensor._empty((len(firsts),), x.dtype)
    write(out, [vals[i] for i in firsts])
    return out, _int64_or_none(want_inverse, group), _int64_or_none(want_counts, counts)


def _int64_or_none(want, data):
    """data as a new int64 tensor if it was asked for, else None."""
    from ..._tensor import Tensor
    if not want:
        return None
    t = Tensor._empty((len(data),), D.int64)
    write(t, data)
    return t


def masked_select(x, mask):
    from ..._tensor import Tensor
    picked = [v for v, m in zip(read(x), read(mask)) if m]
    out = Tensor._empty((len(picked),), x.dtype)
    write(out, picked)
    return out


SHORT_SOURCE = "Number of elements of source < number of ones in mask"


def masked_scatter(out, mask, source):
    mv = read(mask)
    if sum(map(bool, mv)) > source.numel():
        raise RuntimeError(SHORT_SOURCE)
    src = iter(read(source))
    write(out, [next(src) if m else v for v, m in zip(read(out), mv)])


IMPL = {"searchsorted": searchsorted, "isin": isin, "histc": histc, "bincount": bincount,
        "unique_runs": unique_runs, "unique": unique, "masked_select": masked_select,
        "masked_scatter": masked_scatter}
