"""float64 transcendentals through the public API on the wasm backend (f64-vunary kernels and
the f64 softmax / log_softmax / logsumexp composed from kernels in backends/wasm/f64_rowwise.py)
against torch float64, on layouts, dims and special values, with proof that no reference-backend
primitive ran."""
import warnings

import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm.coverage import FellBack

UNARY = ["exp", "expm1", "log", "log1p", "tanh", "sigmoid", "rsqrt"]
SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-310, -1e-310, 710.0,
                    -750.0, 40.0, -40.0, 20.0, 1e300, -1e300, 0.5, -0.999])


@pytest.fixture(autouse=True)
def backend():
    """Overrides conftest.py's per-backend repetition: the wasm backend only."""
    prev = backends.get_backend()
    backends.set_backend("wasm")
    yield None
    backends.set_backend(prev)


def on_kernels(fn, *args, **kwargs):
    with FellBack() as fb:
        r = fn(*args, **kwargs)
    assert not fb.used, f"fell back to the reference backend: {fb.used}"
    return r


def check(w, t, rtol=4e-15, atol=1e-300):
    w, t = np.asarray(w), t.numpy()
    assert w.shape == t.shape and w.dtype == t.dtype
    np.testing.assert_allclose(w, t, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("op", UNARY + ["silu", "gelu_tanh"])
def test_f64_unary_like_torch(op):
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.standard_normal(1001) * 5, SPECIAL])
    F, Ft = wt.nn.functional, torch.nn.functional
    f = {"silu": (F.silu, Ft.silu), "gelu_tanh": (lambda v: F.gelu(v, approximate="tanh"),
                                                   lambda v: Ft.gelu(v, approximate="tanh"))}
    fw, ft = f.get(op, (getattr(wt, op, None), getattr(torch, op, None)))
    w = on_kernels(fw, wt.from_numpy(x.copy()).flip(0)).numpy()
    t = ft(torch.from_numpy(x.copy()).flip(0))
    # torch flushes a subnormal result to 0 where the kernels round it: 1 subnormal ulp apart
    # gelu_tanh is torch's 0.5 x (1 + tanh(u)), which cancels for x < 0: absolute error there
    check(np.where(np.abs(t.numpy()) < 1e-307, t.numpy(), w), t,
          atol=1e-15 if op == "gelu_tanh" else 1e-300)
    assert np.array_equal(np.signbit(w[t.numpy() == 0]), np.signbit(t.numpy()[t.numpy() == 0]))


@pytest.mark.parametrize("shape,dim", [((3, 70), -1), ((4, 6, 5), 1), ((4, 6, 5), 0),
                                       ((9,), 0), ((2, 0, 3), 1)])
@pytest.mark.parametrize("op", ["softmax", "log_softmax", "logsumexp"])
def test_f64_softmax_family_like_torch(op, shape, dim):
    rng = np.random.default_rng(2)
    a = rng.standard_normal(shape) * 30
    if a.size:
        a.flat[0] = -np.inf                  # one row with -inf, one with +inf
        a.flat[-1] = np.inf
    w = on_kernels(getattr(wt, op), wt.from_numpy(a.copy()), dim)
    # log_softmax's (x - max) - log(sum) cancels: an ulp of the row's scale apart
    check(w.numpy(), getattr(torch, op)(torch.from_numpy(a), dim), rtol=1e-14,
          atol=1e-13 if op == "log_softmax" else 1e-300)


def test_f64_logsumexp_infinite_rows_and_dims():
    a = np.full((3, 4), -np.inf)
    a[1] = [np.inf, 1, 2, 3]
    a[2] = [1, 2, 3, 800]
    for dims in (1, 0, (0, 1)):
        w = on_kernels(wt.logsumexp, wt.from_numpy(a.copy()), dims)
        check(w.numpy(), torch.logsumexp(torch.from_numpy(a), dims), rtol=1e-15)


@pytest.mark.parametrize("shape,dim,correction", [((3, 70), -1, 1), ((4, 6, 5), 1, 0),
                                                  ((4, 6, 5), (0, 2), 1), ((1, 4), 0, 1),
                                                  ((4, 6), None, 1), ((3, 5), 1, 10)])
@pytest.mark.parametrize("op", ["var", "std"])
def test_f64_var_std_like_torch(op, shape, dim, correction):
    a = np.random.default_rng(5).standard_normal(shape) * 30 + 1e3   # a large mean
    w = on_kernels(getattr(wt, op), wt.from_numpy(a.copy()), dim, correction=correction)
    with warnings.catch_warnings():        # torch warns when correction >= n (inf/nan)
        warnings.simplefilter("ignore")
        t = getattr(torch, op)(torch.from_numpy(a), dim, correction=correction)
    check(w.numpy(), t, rtol=1e-13)
