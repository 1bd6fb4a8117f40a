"""The "random" primitive in pure Python: webtensor._random's transforms (torch's CPU
generator) written into the output."""
from ... import _random
from ..._memory import write


def random(out, state, dist, a, b=0.0):
    vals = _random.fill(out.numel(), out.dtype.name, state._storage.view(), dist, a, b)
    if out.is_contiguous():
        write(out, vals)
    else:
        from ..._tensor import Tensor
        tmp = Tensor._empty(out.shape, out.dtype)
        write(tmp, vals)
        out.copy_(tmp)
