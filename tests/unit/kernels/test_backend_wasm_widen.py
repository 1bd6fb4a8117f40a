"""The small dtypes on the wider kernels (backends/wasm/widen.py) at sizes that reach the
kernels' blocked paths, bit for bit against torch 2.13: int16/int8/uint8 matmul, bmm, linear,
conv2d (groups, stride, padding) and max_pool2d with indices wrap as torch's; float16/bfloat16
scatter_add/scatter_reduce accumulate in float32 and round once as torch's; integer index_add
wraps. Nothing runs on the reference backend."""
import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm.coverage import FellBack

INTS = ("int16", "int8", "uint8")


@pytest.fixture(autouse=True)
def backend():
    """The wasm backend only (overrides the per-backend repetition of tests/unit)."""
    backends.set_backend("wasm")
    yield "wasm"


def ints(rng, dt, shape):
    info = np.iinfo(dt)
    return rng.integers(info.min, int(info.max) + 1, shape).astype(dt)


def check(fn, *arrays):
    want = fn(torch, *[torch.from_numpy(a) for a in arrays])
    with FellBack() as fb:
        got = fn(wt, *[wt.from_numpy(a.copy()) for a in arrays])
    assert not fb.used, f"ran on the reference backend: {fb.used}"
    got, want = (r if isinstance(r, tuple) else (r,) for r in (got, want))
    for g, w in zip(got, want):
        assert str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
        if w.dtype in (torch.float16, torch.bfloat16):
            g, w = g.float().numpy(), w.float().numpy()
            assert np.array_equal(g, w, equal_nan=True)
        else:
            assert np.array_equal(g.numpy(), w.numpy())


@pytest.mark.parametrize("dt", INTS)
def test_int_matmul_family_wraps_like_torch(dt):
    rng = np.random.default_rng(1)
    a, b = ints(rng, dt, (70, 300)), ints(rng, dt, (300, 65))
    check(lambda m, a, b: a @ b, a, b)
    check(lambda m, a, b: a.t() @ b.t(), ints(rng, dt, (300, 70)), ints(rng, dt, (65, 300)))
    check(lambda m, a, b: m.bmm(a, b), ints(rng, dt, (3, 9, 40)), ints(rng, dt, (3, 40, 11)))
    check(lambda m, a, b: m.mv(a, b), a, ints(rng, dt, (300,)))
    check(lambda m, a, b: m.dot(a, b), ints(rng, dt, (1000,)), ints(rng, dt, (1000,)))
    check(lambda m, x, w, bias: m.nn.functional.linear(x, w, bias), ints(rng, dt, (2, 5, 64)),
          ints(rng, dt, (33, 64)), ints(rng, dt, (33,)))


@pytest.mark.parametrize("dt", INTS)
def test_int_conv_and_max_pool_like_torch(dt):
    rng = np.random.default_rng(2)
    x = ints(rng, dt, (2, 4, 11, 9))
    check(lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, stride=2, padding=1, groups=2),
          x, ints(rng, dt, (6, 2, 3, 3)), ints(rng, dt, (6,)))
    check(lambda m, x, w: m.nn.functional.conv1d(x, w, padding=2), ints(rng, dt, (2, 8, 30)),
          ints(rng, dt, (5, 8, 5)))
    check(lambda m, x: tuple(m.nn.functional.max_pool2d(x, 3, 2, 1, return_indices=True)), x)


@pytest.mark.parametrize("dt", ("float16", "bfloat16"))
@pytest.mark.parametrize("mode", ("sum", "prod", "mean", "amax", "amin"))
def test_half_scatter_reduce_rounds_once_like_torch(dt, mode):
    rng = np.random.default_rng(3)
    src = torch.from_numpy(rng.uniform(0.5, 1.5, (6, 400)).astype(np.float32)).to(
        getattr(torch, dt))
    y = torch.from_numpy(rng.uniform(0.5, 1.5, (6, 5)).astype(np.float32)).to(src.dtype)
    idx = rng.integers(0, 5, (6, 400))
    for include_self in (True, False):
        want = y.scatter_reduce(1, torch.from_numpy(idx), src, mode, include_self=include_self)
        with FellBack() as fb:
            got = wt.tensor(y.float().tolist(), dtype=getattr(wt, dt)).scatter_reduce(
                1, wt.from_numpy(idx), wt.tensor(src.float().tolist(), dtype=getattr(wt, dt)),
                mode, include_self=include_self)
        assert not fb.used
        assert got.float().tolist() == want.float().tolist()


@pytest.mark.parametrize("dt", INTS)
def test_int_index_add_and_scatter_add_wrap(dt):
    rng = np.random.default_rng(4)
    check(lambda m, y, s: y.index_add(0, m.tensor([i % 3 for i in range(200)]), s),
          ints(rng, dt, (3, 7)), ints(rng, dt, (200, 7)))
    idx = rng.integers(0, 4, (5, 300))
    check(lambda m, y, s, i: y.scatter_add(1, i, s), ints(rng, dt, (5, 4)),
          ints(rng, dt, (5, 300)), idx)
