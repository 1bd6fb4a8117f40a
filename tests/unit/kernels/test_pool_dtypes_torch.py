"""max_pool1d/max_pool2d on the xN-pool kernels (float64, float16, bfloat16 and every integer
dtype torch pools, no widening; float32's 2-wide windows without indices), with and without indices, bit for bit against torch 2.13: kernel/stride/padding/
dilation/ceil_mode geometries that clip windows at every edge, the dtypes' extreme values,
NaN (wins), -0.0/0.0 ties (the first in row-major order stays), inf.
(torch's max_pool1d on integers exists only with indices.) Nothing runs on the reference
backend."""
import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm.coverage import FellBack

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8")
FLOATS = ("float32", "float64", "float16", "bfloat16")
# (kernel, stride, padding, dilation, ceil_mode)
GEOMS = [((2, 2), (2, 2), (0, 0), (1, 1), False), ((3, 3), (2, 2), (1, 1), (1, 1), True),
         ((2, 3), (1, 2), (1, 0), (2, 1), False), ((3, 2), (3, 1), (0, 1), (1, 3), True),
         ((1, 4), (1, 3), (0, 2), (1, 1), True), ((3, 3), (1, 1), (1, 1), (2, 2), False),
         ((2, 2), (2, 2), (1, 1), (1, 1), True)]


@pytest.fixture(autouse=True)
def backend():
    backends.set_backend("wasm")
    yield "wasm"


def data(rng, dt, shape):
    if dt in FLOATS:
        x = rng.choice([-0.0, 0.0, 1.5, -2.0, np.inf, -np.inf, 3.0, -1e300, 1e-40], shape)
        x[rng.random(shape) < 0.05] = np.nan
        return torch.from_numpy(x).to(getattr(torch, dt))
    info = np.iinfo(dt)
    x = rng.integers(info.min, int(info.max) + 1, shape).astype(dt)
    x[rng.random(shape) < 0.2] = info.min      # windows of only the lowest value
    return torch.from_numpy(x)


def to_wt(x):
    if x.dtype in (torch.float16, torch.bfloat16):   # exact through float32
        return wt.from_numpy(x.float().numpy()).to(getattr(wt, str(x.dtype).split(".")[-1]))
    return wt.from_numpy(x.numpy().copy())


def bits(t):
    """A result as a comparable numpy array (float16/bfloat16: float32 values)."""
    if str(t.dtype).split(".")[-1] in ("float16", "bfloat16"):
        t = t.float() if isinstance(t, torch.Tensor) else t.to(wt.float32)
    return t.numpy()


def run(mod, x, geom, indices, one_d):
    k, s, p, d, ceil = geom
    f = mod.nn.functional
    if one_d:
        return f.max_pool1d(x, k[1], s[1], p[1], d[1], ceil, return_indices=indices)
    return f.max_pool2d(x, k, s, p, d, ceil, return_indices=indices)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("one_d", (False, True), ids=("2d", "1d"))
def test_max_pool_matches_torch(dt, one_d):
    rng = np.random.default_rng(3)
    shape = (2, 3, 37) if one_d else (2, 3, 9, 37)
    for geom in GEOMS:
        x = data(rng, dt, shape)
        for indices in (False, True) if dt in FLOATS or not one_d else (True,):
            want = run(torch, x, geom, indices, one_d)
            with FellBack() as fb:
                got = run(wt, to_wt(x), geom, indices, one_d)
            assert not fb.used, f"ran on the reference backend: {fb.used}"
            got, want = (r if isinstance(r, tuple) else (r,) for r in (got, want))
            for g, w in zip(got, want):
                assert str(g.dtype).split(".")[-1] == str(w.dtype).split(".")[-1]
                g, w = bits(g), bits(w)
                assert g.shape == w.shape
                assert np.array_equal(g, w, equal_nan=True), (geom, indices)
                if w.dtype.kind == "f":   # -0.0 / 0.0 ties keep the first
                    num = ~np.isnan(w)    # (a NaN's sign and payload are free)
                    assert np.array_equal(np.signbit(g[num]), np.signbit(w[num])), geom
