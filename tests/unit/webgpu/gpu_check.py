"""Helpers the webgpu tests share: random inputs, moving to the device, comparing with the CPU."""
import math
import random

import webtensor as torch

DEV = "webgpu"


def rand(shape, seed=0):
    r = random.Random(seed)
    return torch.tensor([r.uniform(-2, 2) for _ in range(math.prod(shape))]).reshape(shape)


def close(got, want, rtol=1e-4, atol=1e-5):
    """got (on webgpu) equals want (the CPU's result) within rtol/atol, element by element."""
    assert got.device == torch.device(DEV)
    assert got.shape == want.shape and got.dtype is want.dtype
    for a, b in zip(got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()):
        assert a == b or abs(a - b) <= atol + rtol * abs(b), (a, b)


def g(t):
    return None if t is None else t.to(DEV)


def pair(shape, dtype, seed=0, layout="contig", **kw):
    """(webgpu tensor, torch tensor) of equal values in view layout `layout` (wtcheck.LAYOUTS:
    the GPU tensor is a non-contiguous view of a GPU buffer); kw as wt_oracle.make_pair's."""
    from wt_oracle import apply_layout, base_shape, make_pair
    w, t = make_pair(base_shape(shape, layout), dtype, seed, **kw)
    return apply_layout(w.to(DEV), shape, layout), apply_layout(t, shape, layout)
