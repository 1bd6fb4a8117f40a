"""unique / unique_consecutive, isin, bincount, histc, searchsorted / bucketize.

On the CPU each is one of the search primitives (backends/__init__.py: unique_runs, isin,
bincount, histc, searchsorted) after a sort where it needs one; on other devices, and for
unique along a dim, the composites of comparisons, sums and scatters (unique along a dim
groups on the host)."""
import builtins
import math

from .. import _dtype as D
from .._dispatch import dispatch
from .._shape import norm_dim
from .._grad_mode import no_grad
from .._tensor import Tensor
from .elementwise import _py_scalar, binary, where
from .index import _index_select, nonzero, scatter_add


def _keys(x, dim):
    """One sortable key per element (dim None) or per slice along dim."""
    if dim is None:
        return x.reshape(-1).tolist()
    flat = x.movedim(dim, 0).reshape(x.shape[dim], -1).tolist()
    return [tuple(r) for r in flat]


def _nan_last(v):
    if isinstance(v, tuple):
        return tuple(_nan_last(e) for e in v)
    return (1, 0.0) if v != v else (0, v)


def _group(keys, order):
    """(first position of each group, group of each key, size of each group) walking `order`;
    nan never equals itself, so each nan is its own group (as torch's)."""
    first, inverse, counts = [], [0] * len(keys), []
    prev = None
    for n, i in enumerate(order):
        k = keys[i]
        if n == 0 or k != prev:
            first.append(i)
            counts.append(0)
        inverse[i] = len(first) - 1
        counts[-1] += 1
        prev = k
    return first, inverse, counts


def _result(x, dim, keys, order, return_inverse, return_counts):
    from .._creation import tensor
    first, inverse, counts = _group(keys, order)
    dev = x.device
    idx = tensor(first, dtype=D.int64)
    with no_grad():                          # torch: unique has no derivative
        values = _index_select(x.reshape(-1) if dim is None else x, dim or 0, idx)
    inv_shape = x.shape if dim is None else (x.shape[dim],)
    out = [values]
    if return_inverse:
        out.append(tensor(inverse, dtype=D.int64, device=dev).reshape(inv_shape))
    if return_counts:
        out.append(tensor(counts, dtype=D.int64, device=dev))
    return out[0] if len(out) == 1 else tuple(out)


def _flat_unique(x, keys, return_inverse, return_counts):
    """unique_consecutive over the flat keys (x's values in x's order): each run of equal keys
    one group (a nan never equals itself), found by the unique_runs pass with each run's first
    value; counts differenced. Values alone: the run starts (x[i] != x[i - 1] by value), then
    one compaction pass (masked_select)."""
    if not return_inverse and not return_counts:
        start = Tensor._empty(keys.shape, D.bool_)
        start[:1].fill_(True)
        dispatch("binary", "ne", start[1:], keys[1:], keys[:-1])
        return dispatch("masked_select", keys, start)
    values, first, group = dispatch("unique_runs", keys, return_counts, return_inverse)
    out = [values]
    if return_inverse:
        out.append(group.reshape(x.shape))
    if return_counts:
        out.append(binary("sub", first[1:], first[:-1]))
    return out[0] if len(out) == 1 else tuple(out)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """Sorted unique values (torch sorts on the CPU whatever `sorted` says): the unique
    primitive on the CPU (counted or radix sorted: xN-sort)."""
    if dim is None and input.numel() and input.device.type == "cpu":
        values, inv, counts = dispatch("unique", input.reshape(-1).contiguous(),
                                       return_inverse, return_counts)
        out = [values] + ([inv.reshape(input.shape)] if return_inverse else []) + \
            ([counts] if return_counts else [])
        return out[0] if len(out) == 1 else tuple(out)
    d = None if dim is None else norm_dim(dim, input.dim())
    keys = _keys(input, d)
    order = builtins.sorted(range(len(keys)), key=lambda i: _nan_last(keys[i]))
    return _result(input, d, keys, order, return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    if dim is None and input.numel() and input.device.type == "cpu":
        flat = input.reshape(-1)
        return _flat_unique(input, flat, return_inverse, return_counts)
    d = None if dim is None else norm_dim(dim, input.dim())
    keys = _keys(input, d)
    return _result(input, d, keys, range(len(keys)), return_inverse, return_counts)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    e, t = _py_scalar(elements), _py_scalar(test_elements)
    if not isinstance(e, Tensor) and not isinstance(t, Tensor):
        raise TypeError("isin() received an invalid combination of arguments: expected at "
                        "least one Tensor")
    if any(isinstance(v, bool) or isinstance(v, Tensor) and v.dtype is D.bool_
           for v in (e, t)):
        raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    if isinstance(e, Tensor) and isinstance(t, Tensor) and e.device.type == "cpu" and \
            t.numel():          # sorted test values, one binary search per element
        dt = D.result_type_of([e, t])
        test = t.reshape(-1).to(dt).sort().values
        out = Tensor._empty(e.shape, D.bool_, e.device)
        dispatch("isin", out, e.to(dt), test, invert)
        return out
    if not isinstance(t, Tensor):
        hit = binary("eq", e, t)
    elif not isinstance(e, Tensor):
        hit = binary("eq", t.reshape(-1), e).any()
    else:
        hit = binary("eq", e.unsqueeze(-1), t.reshape(-1)).any(-1)
    return hit.logical_not() if invert else hit


_EXACT_F32_COUNT = 1 << 24
_BINCOUNT_INPUT = "bincount only supports 1-d non-negative integral inputs."


def _bincount_by_table(x, bits, minlength):
    """bincount of a 1-byte or 2-byte integer vector: one counting pass into 2**bits bins
    indexed by x's unsigned bits (negatives land in the top half: torch's error), no min / max
    reductions."""
    from .._creation import zeros
    table = zeros(1 << bits, dtype=D.int64)
    dispatch("bincount", table, x)
    half = 1 << (bits - 1)
    if x.dtype is not D.uint8 and binary("ne", table[half:], 0).any().item():
        raise RuntimeError(_BINCOUNT_INPUT)
    used = nonzero(binary("ne", table, 0)).reshape(-1)
    size = builtins.max(int(used[-1].item()) + 1, minlength)
    if size <= table.numel():
        return table[:size].clone()
    out = zeros(size, dtype=D.int64)
    out[:table.numel()] = table
    return out


def bincount(input, weights=None, minlength=0):
    """Counts of each value of a 1-d non-negative integer tensor (weights: sums of its
    weights), at least `minlength` bins; torch's checks in its order. A float32 scatter_add
    (the kernel; counts exact: chunks of 2**24 elements) giving int64 counts; float32/float64
    weights keep their dtype, others sum as float64."""
    if not isinstance(input, Tensor):
        raise TypeError(f"bincount(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if input.dtype.category == 2 or input.dtype is D.bool_:
        raise NotImplementedError(f'"bincount_cpu" not implemented for '
                           f"'{D.TNAME[input.dtype.name]}'")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    from .._creation import ones, zeros
    if input.dim() == 1 and input.numel() == 0:
        return zeros(minlength, dtype=D.int64, device=input.device)
    bits = 8 * input.dtype.itemsize
    if weights is None and input.device.type == "cpu" and input.dim() == 1 and bits <= 16:
        return _bincount_by_table(input, bits, minlength)
    if input.dim() != 1 or input.dtype is not D.uint8 and input.amin().item() < 0:
        raise RuntimeError(_BINCOUNT_INPUT)
    if weights is not None and (weights.dim() != 1 or weights.shape[0] != input.shape[0]):
        raise RuntimeError("weights should be 1-d and have the same length as input")
    size = builtins.max(int(input.amax().item()) + 1, minlength)
    if weights is None and input.device.type == "cpu":
        out = zeros(size, dtype=D.int64)
        dispatch("bincount", out, input)
        return out
    idx = input.to(D.int64)
    with no_grad():
        if weights is not None:
            wdt = weights.dtype if weights.dtype in (D.float32, D.float64) else D.float64
            return scatter_add(zeros(size, dtype=wdt, device=input.device), 0, idx,
                               weights.to(wdt))
        counts = None
        for s in range(0, idx.numel(), _EXACT_F32_COUNT):
            part = idx[s:s + _EXACT_F32_COUNT]
            c = scatter_add(zeros(size, device=input.device), 0, part,
                            ones(part.numel(), device=input.device)).to(D.int64)
            counts = c if counts is None else binary("add", counts, c)
        return counts


def histc(input, bins=100, min=0, max=0):
    """Counts of input's values in `bins` equal bins over [min, max] (the data's range when
    min == max); values outside are ignored, max falls in the last bin."""
    if input.dtype.category < 2:
        raise NotImplementedError(f'"histogram_cpu" not implemented for '
                                  f"'{D.TNAME[input.dtype.name]}'")
    if bins <= 0:
        raise RuntimeError("torch.histc: bins must be > 0")
    lo, hi = float(min), float(max)
    if lo == hi and input.numel():          # torch: the data's range, NaN and inf included
        lo, hi = input.amin().item(), input.amax().item()
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise RuntimeError(f"torch.histc: range of [{_g(lo)}, {_g(hi)}] is not finite")
    if lo > hi:
        raise RuntimeError("torch.histc: max must be larger than min")
    from .._creation import zeros
    with no_grad():                          # torch: histc has no derivative
        x = input.reshape(-1)
        if input.device.type == "cpu":
            out = zeros(bins, dtype=input.dtype)
            dispatch("histc", out, x, lo, hi)
            return out
        keep = binary("logical_and", binary("ge", x, lo), binary("le", x, hi))
        pos = binary("div", binary("mul", binary("sub", x, lo), bins), hi - lo).floor()
        pos = where(keep, pos.clamp(0, bins - 1), 0).to(D.int64)
        return scatter_add(zeros(bins, dtype=input.dtype, device=input.device), 0, pos,
                           keep.to(input.dtype))


def _g(v):
    """A bound as torch's message prints it (C++ streams: -nan for the default NaN)."""
    return "-nan" if v != v else f"{v:g}"


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """For each value, the number of sequence entries below it (<= it when right / side
    'right'): its insertion point. The sequence is 1-D or matches input's leading dims."""
    if sorter is not None:
        sorted_sequence = sorted_sequence.gather(-1, sorter)
    right = right or side == "right"
    seq = sorted_sequence
    v = input if isinstance(input, Tensor) else _as_tensor_on(input, seq)
    if seq.dim() > 1 and tuple(seq.shape[:-1]) != tuple(v.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the "
                           "first N-1 dimensions of boundaries tensor and input value tensor "
                           f"must match, but we got boundaries tensor {list(seq.shape)} and "
                           f"input value tensor {list(v.shape)}")
    dt = D.result_type_of([seq, v])
    if dt is D.bool_:
        raise NotImplementedError('"searchsorted_out_cpu" not implemented for \'Bool\'')
    if seq.device.type == "cpu" and isinstance(v, Tensor) and v.device.type == "cpu":
        out = Tensor._empty(v.shape, D.int32 if out_int32 else D.int64)
        dispatch("searchsorted", out, seq.to(dt), v.to(dt), right)
        return out
    s = seq if seq.dim() <= 1 else seq.unsqueeze(-2)
    below = binary("le" if right else "lt", s, v.unsqueeze(-1))
    # counted in float32 (exact below 2^24; every device has a float sum)
    n = below.to(D.float32).sum(-1) if below.dim() else below.to(D.float32)
    return n.to(D.int32 if out_int32 else D.int64)


def bucketize(input, boundaries, *, out_int32=False, right=False):
    if boundaries.dim() != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def _as_tensor_on(value, like):
    from .._creation import tensor
    return tensor(value, device=like.device)
