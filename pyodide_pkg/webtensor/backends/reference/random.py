"""The "random" primitive in pure Python: webtensor._random's transforms (torch's CPU
generator) written into the output."""
from ... import _random
from ..._memory import write


def random(out, state, dist, a, b=0.0):
    if dist == "normal" and not out.is_contiguous():
        dist = "normal_serial"           # torch's per-element path, whatever the size
    dtype = out.dtype
    if dist in ("bernoulli_tensor", "multinomial"):     # a: the probabilities (contiguous)
        dtype, a = a.dtype, a.tolist()
    vals = _random.fill(out.numel(), dtype.name, state._storage.view(), dist, a, b)
    if not out.is_contiguous():          # torch's TensorIterator walks memory order
        out = out.permute(sorted(range(out.dim()), key=lambda d: -out._strides[d]))
    write(out, vals)
