"""<i16|i8|u8>_<remainder|div_floor|div_trunc|fmod> (xN-divide) for both ISA builds under guard
bytes against torch 2.13: every int8 and uint8 pair (nonzero divisor; int8 -128 // -1 wraps to
-128 as torch's), int16 extremes and random pairs; a zero divisor sets the status word."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401

NP = {"i16": np.int16, "i8": np.int8, "u8": np.uint8}
TORCH = {"remainder": torch.remainder, "fmod": torch.fmod,
         "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
         "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc")}


def _pairs(dt):
    info = np.iinfo(NP[dt])
    if dt != "i16":
        v = np.arange(info.min, info.max + 1).astype(NP[dt])
        return v, v[v != 0]
    rng = np.random.default_rng(0)
    edges = np.array([info.min, info.min + 1, -2, -1, 1, 2, 3, 7, 255, 256, info.max - 1,
                      info.max], NP[dt])
    v = np.concatenate([edges, rng.integers(info.min, info.max + 1, 200).astype(NP[dt])])
    return v, v[v != 0]


@pytest.mark.parametrize("dt", sorted(NP))
@pytest.mark.parametrize("op", sorted(TORCH))
def test_every_pair_matches_torch(ks, guarded, dt, op):
    a, b = _pairs(dt)
    m, n = a.size, b.size
    y, status = call(ks, f"{dt}_{op}", m, n, a, 1, 0, b, 0, 1, np.zeros(m * n, NP[dt]),
                     np.array([7], np.int32))
    want = TORCH[op](torch.from_numpy(a)[:, None], torch.from_numpy(b)[None, :]).numpy()
    assert int(status[0]) == 0
    assert np.array_equal(y.reshape(m, n), want)


@pytest.mark.parametrize("dt", sorted(NP))
@pytest.mark.parametrize("op", sorted(TORCH))
def test_zero_divisor_sets_status(ks, guarded, dt, op):
    a, b = np.array([5, 6, 7], NP[dt]), np.array([1, 0, 2], NP[dt])
    y, status = call(ks, f"{dt}_{op}", 1, 3, a, 0, 1, b, 0, 1, np.full(3, 9, NP[dt]),
                     np.array([7], np.int32))
    assert int(status[0]) == 1 and y[1] == 0
    assert [y[0], y[2]] == [TORCH[op](torch.tensor(int(x)), torch.tensor(int(d))).item()
                            for x, d in ((5, 1), (7, 2))]
