"""The xN-random kernels (torch's CPU generator in C) called directly, both ISA builds, against
torch 2.13 bit for bit: the values and the state bytes torch.get_rng_state() holds afterwards,
on sizes around the mt19937 twist (624 draws), normal's block of 16 and its redrawn tail, and
the kernels' 512-draw chunks."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401
from webtensor import _random

SIZES = [1, 15, 16, 17, 31, 33, 311, 312, 313, 624, 625, 1000, 4099]
NORMAL_SIZES = [n for n in SIZES if n >= 16]      # smaller ones take torch's serial path


def _state(seed, warmup=0):
    """torch's state after manual_seed(seed) and `warmup` 32-bit draws (numpy uint8)."""
    torch.manual_seed(seed)
    if warmup:
        torch.randint(0, 2, (warmup,))
    return torch.get_rng_state().numpy().copy()


def _run(ks, name, n, state, a, b, dtype):
    params = np.array([a, b, 1 + 2.0 ** -12, -(1 + 2.0 ** -11)], np.float64)
    y, st = call(ks, name, n, state, params, np.zeros(n, dtype))[::-1]
    return y, st


CASES = [   # kernel, torch call, params, output dtype
    ("f32_uniform", lambda n: torch.rand(n), (0.0, 1.0), np.float32),
    ("f32_uniform", lambda n: torch.empty(n).uniform_(-0.3, 2.7), (-0.3, 2.7), np.float32),
    ("f64_uniform", lambda n: torch.rand(n, dtype=torch.float64), (0.0, 1.0), np.float64),
    ("f64_uniform", lambda n: torch.empty(n, dtype=torch.float64).uniform_(-1e3, 7.25),
     (-1e3, 7.25), np.float64),
    ("f32_bernoulli", lambda n: torch.empty(n).bernoulli_(0.3), (0.3, 0.0), np.float32),
    ("f32_normal", lambda n: torch.randn(n), (0.0, 1.0), np.float32),
    ("f32_normal", lambda n: torch.empty(n).normal_(0.5, 3.3), (0.5, 3.3), np.float32),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("seed,warmup", [(0, 0), (20261207, 620), (2 ** 40 + 3, 1)])
def test_kernel_equals_torch_values_and_state(ks, case, seed, warmup):
    name, fn, (a, b), dtype = CASES[case]
    if name == "f32_uniform" or name == "f32_normal":      # the caller casts to float
        a, b = float(np.float32(a)), float(np.float32(b))
    for n in NORMAL_SIZES if name == "f32_normal" else SIZES:
        state = _state(seed, warmup)
        want = fn(n).numpy()
        y, st = _run(ks, name, n, state, a, b, dtype)
        assert y.tobytes() == want.tobytes(), f"{name} n={n}"
        assert st.tobytes() == torch.get_rng_state().numpy().tobytes(), f"{name} n={n} state"


def test_state_layout_is_torchs(ks):
    """A state seeded by webtensor._random is byte for byte torch's; drawing with the kernel
    then continuing in torch (set_rng_state) gives torch's stream."""
    buf = bytearray(_random.STATE_SIZE)
    _random.seed_state(memoryview(buf), 7)
    assert bytes(buf) == _state(7).tobytes()
    _, st = _run(ks, "f32_uniform", 700, np.frombuffer(bytes(buf), np.uint8), 0.0, 1.0,
                 np.float32)
    torch.set_rng_state(torch.from_numpy(st.copy()))
    got = torch.rand(5)
    torch.manual_seed(7)
    torch.rand(700)
    assert torch.equal(got, torch.rand(5))
