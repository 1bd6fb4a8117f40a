"""fmax / fmin of floats (xN-fminmax: NaN-ignoring) and sign of float64 / int64 / int32
(xN-sign) through the public API on the wasm backend, bit for bit against torch, with proof
that no reference-backend primitive ran."""
import numpy as np
import pytest
import torch

import webtensor as wt
from webtensor import backends
from webtensor.backends.wasm.coverage import FellBack

V = [np.nan, 0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, 1e-310]


@pytest.fixture(autouse=True)
def backend():
    """Overrides conftest.py's per-backend repetition: the wasm backend only."""
    prev = backends.get_backend()
    backends.set_backend("wasm")
    yield None
    backends.set_backend(prev)


def assert_same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    if got.dtype.kind == "f":
        ok = ((got == want) & (np.signbit(got) == np.signbit(want))) | \
            (np.isnan(got) & np.isnan(want))
    else:
        ok = got == want
    assert ok.all(), (got[~ok], want[~ok])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", ["fmax", "fmin"])
def test_fmax_fmin_every_pair_and_broadcasts(op, dtype):
    v = np.array(V, dtype)
    for a, b in ((v[:, None], v[None, :]), (v, np.array(np.nan, dtype)),
                 (np.array(2.0, dtype), v)):
        with FellBack() as fb:
            got = getattr(wt, op)(wt.from_numpy(a.copy()), wt.from_numpy(b.copy())).numpy()
        assert not fb.used, fb.used
        assert_same(got, getattr(torch, op)(torch.from_numpy(a), torch.from_numpy(b)).numpy())


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.int32])
def test_sign_like_torch(dtype):
    if dtype is np.float64:
        x = np.array(V + [-1e-310, 3e300, -7.0], dtype)
    else:
        info = np.iinfo(dtype)
        x = np.array([0, 1, -1, 5, -5, info.max, info.min], dtype)
    with FellBack() as fb:
        got = wt.sign(wt.from_numpy(x.copy())).numpy()
    assert not fb.used, fb.used
    assert_same(got, torch.sign(torch.from_numpy(x)).numpy())
