"""torch.multinomial with torch's CPU algorithms, on torch's CPU generator (the same draws as
torch for the same seed):

* without replacement, or one sample: q ~ Exp(1) per element (exponential_ on the whole
  input), then argmax / topk of p / q (the Gumbel-max trick torch uses); when more samples
  are asked than there are non-zero probabilities, the zero ones follow in index order
  (torch's topk leaves their order unspecified);
* with replacement: per row the normalised cumulative sums and a binary search per 53-bit
  uniform (_random.multinomial_with_replacement).
Host-side Python: sampling a token from a 49k vocabulary costs one tolist() and one pass.
"""
import heapq
import math
from array import array

from . import _dtype as D
from . import _random as R
from ._generator import _gen
from ._tensor import Tensor


def _check(input, num_samples, replacement):
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{D.TNAME.get(input.dtype.name, input.dtype.name)}")
    if not isinstance(num_samples, int) or num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and num_samples > input.shape[-1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if input.shape[-1] > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")


def _rounder(dtype_name):
    """Round a list of doubles to the dtype (float32 at C speed through array("f"))."""
    if dtype_name == "float64":
        return lambda vs: vs
    if dtype_name == "float32":
        return lambda vs: array("f", vs).tolist()
    return lambda vs: [R.cast(dtype_name, v) for v in vs]


def _gumbel_max(rows, n_sample, dtype_name, generator):
    """argmax / topk of p / q, q = exponential_(1) drawn for every element in row-major order
    (-log1p(-u), rounded to the dtype); only the non-zero p need their q (a zero p scores 0,
    unless its u is 0: then 0/0 = NaN wins, as in torch)."""
    rnd = _rounder(dtype_name)
    total = sum(len(r) for r in rows)
    with R.Stream(_gen(generator)._buf()) as s:
        us = s.uniform(total, 53)
    out, k = [], 0
    for row in rows:
        u = us[k:k + len(row)]
        k += len(row)
        live = range(len(row)) if 0.0 in u else [j for j, p in enumerate(row) if p]
        q = rnd([-1.0 * math.log1p(-u[j]) for j in live])
        sc = rnd([row[j] / v if v else (math.inf if row[j] else math.nan)
                  for j, v in zip(live, q)])
        pos = range(len(sc))
        if n_sample == 1:         # argmax: the first maximum (NaN first)
            nan = [i for i in pos if sc[i] != sc[i]] if sum(sc) != sum(sc) else []
            out.append([live[nan[0] if nan else max(pos, key=sc.__getitem__)]])
        else:                     # topk: largest first, ties by index; zero scores after
            top = [live[i] for i in heapq.nlargest(n_sample, pos, key=sc.__getitem__)]
            taken = set(live)
            rest = (j for j in range(len(row)) if j not in taken)
            out.append(top + [j for j, _ in zip(rest, range(n_sample - len(top)))])
    return out


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices [*, num_samples] (int64) sampled from each row of input ([C] or [B, C] of
    non-negative weights), with or without replacement."""
    _check(input, num_samples, replacement)
    if out is not None:
        raise NotImplementedError("multinomial(): the out= argument is not supported")
    rows = input.reshape(-1, input.shape[-1]).tolist()
    flat = [p for r in rows for p in r]
    single = input.dtype is not D.float64
    total = sum(flat)
    if not replacement or num_samples == 1:
        if flat and not (min(flat) >= 0 and max(flat) < math.inf and total == total):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if any(sum(r) == 0 for r in rows):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        res = _gumbel_max(rows, num_samples, input.dtype.name, generator)
    else:
        if flat and min(flat) < 0:
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry < 0)")
        if not math.isfinite(total):
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry = infinity or NaN)")
        if any(not sum(r) > 0 for r in rows):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        res = R.multinomial_with_replacement(_gen(generator)._buf(), rows, num_samples, single)
    from ._creation import tensor
    t = tensor(res, dtype=D.int64)
    t = t if input.dim() == 2 else t.reshape(num_samples)
    return t if input.device.type == "cpu" else t.to(input.device)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


_multinomial_method.__name__ = "multinomial"
Tensor.multinomial = _multinomial_method          # torch.Tensor.multinomial
