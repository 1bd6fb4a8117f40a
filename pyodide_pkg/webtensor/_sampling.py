"""torch.multinomial: draw category indices from rows of (unnormalised) probabilities.

Host-side Python on the generator's Mersenne Twister (like rand/randperm), so a seed gives the
same draws on CPython and in Pyodide (not torch's numbers). Sampling a token from a 49k
vocabulary costs one tolist() and one bisect per draw.
"""
import bisect
import math

from . import _dtype as D
from ._creation import _rng
from ._tensor import Tensor


def _cumulative(weights):
    cum, acc = [], 0.0
    for p in weights:
        acc += p
        cum.append(acc)
    if not acc > 0.0:
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return cum, acc


def _draw(weights, cum, acc, rng):
    i = min(bisect.bisect_right(cum, rng.random() * acc), len(cum) - 1)
    while weights[i] == 0.0:      # rounding at a boundary: never a zero-probability category
        i -= 1
    return i


def _row_draws(row, n, replacement, rng):
    for p in row:
        if not (p >= 0.0) or math.isinf(p):       # also catches nan
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    weights = list(row)
    cum, acc = _cumulative(weights)
    if replacement:
        return [_draw(weights, cum, acc, rng) for _ in range(n)]
    out = []
    for k in range(n):
        if k and sum(weights) > 0.0:
            cum, acc = _cumulative(weights)
        if sum(weights) > 0.0:
            i = _draw(weights, cum, acc, rng)
        else:      # the non-zero categories are used up (torch then takes zero ones too)
            i = rng.choice([j for j in range(len(weights)) if j not in out])
        out.append(i)
        weights[i] = 0.0
    return out


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices [*, num_samples] (int64) sampled from each row of input ([C] or [B, C] of
    non-negative weights), with or without replacement."""
    if not isinstance(input, Tensor):
        raise TypeError(f"multinomial(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if out is not None:
        raise NotImplementedError("multinomial(): the out= argument is not supported")
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{D.TNAME.get(input.dtype.name, input.dtype.name)}")
    if not isinstance(num_samples, int) or num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    c = input.shape[-1]
    if not replacement and num_samples > c:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    rows = input.reshape(-1, c).tolist() if c else [[] for _ in range(
        input.shape[0] if input.dim() == 2 else 1)]
    rng = _rng(generator)
    res = []
    for row in rows:
        res.append(_row_draws(row, num_samples, replacement, rng))
    from ._creation import tensor
    t = tensor(res, dtype=D.int64)
    return t if input.dim() == 2 else t.reshape(num_samples)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


_multinomial_method.__name__ = "multinomial"
Tensor.multinomial = _multinomial_method          # torch.Tensor.multinomial
