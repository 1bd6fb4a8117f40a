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
