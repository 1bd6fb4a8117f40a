"""torch.multinomial with torch's CPU algorithms, on torch's CPU generator (the same draws as
torch for the same seed):

* without replacement, or one sample: q ~ Exp(1) per element (exponential_ on the whole
  input), then argmax / topk of p / q (the Gumbel-max trick torch uses); when more samples
  are asked than there are non-zero probabilities, the zero ones follow in index order
  (torch's topk leaves their order unspecified);
* with replacement: per row the normalised cumulative sums and a binary search per 53-bit
  uniform (the "random" primitive's "multinomial": xN-random's kernel, or
  _random.multinomial_with_replacement).
Tensor ops throughout: no per-element Python.
"""
import math

from . import _dtype as D
from ._generator import _fill
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


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices [*, num_samples] (int64) sampled from each row of input ([C] or [B, C] of
    non-negative weights), with or without replacement."""
    _check(input, num_samples, replacement)
    if out is not None:
        raise NotImplementedError("multinomial(): the out= argument is not supported")
    src = input.cpu().reshape(-1, input.shape[-1])
    if not replacement or num_samples == 1:
        if not bool(((src >= 0) & (src < math.inf)).all()):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if bool((src.sum(-1) == 0).any()):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        scores = src / Tensor._empty(src.shape, src.dtype).exponential_(1.0, generator)
        t = scores.argmax(-1, keepdim=True) if num_samples == 1 else \
            scores.topk(num_samples, -1).indices
    else:       # half/bfloat16 rows accumulate in float, as torch's
        probs = src if src.dtype is D.float64 else src.float()
        t = _fill(Tensor._empty((src.shape[0], num_samples), D.int64), "multinomial",
                  probs.contiguous(), num_samples, generator)
    t = t if input.dim() == 2 else t.reshape(num_samples)
    return t if input.device.type == "cpu" else t.to(input.device)


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    return multinomial(self, num_samples, replacement, generator=generator)


_multinomial_method.__name__ = "multinomial"
Tensor.multinomial = _multinomial_method          # torch.Tensor.multinomial
