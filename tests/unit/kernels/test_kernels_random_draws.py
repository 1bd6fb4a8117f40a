"""torch's serial random kernels in C (xN-random/xN_draws) called directly, both ISA builds,
against torch 2.13 bit for bit: randint/random_ (32- and 64-bit draws), randperm,
bernoulli(p tensor), exponential_ (log1p with glibc's operations: checked on 2^20 draws) and
multinomial with replacement, values and the generator state torch leaves."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401

SIZES = [1, 2, 17, 311, 312, 313, 624, 625, 4099]
SEEDS = [(0, 0), (20261207, 620), (2 ** 40 + 3, 1)]


def _state(seed, warmup=0):
    torch.manual_seed(seed)
    if warmup:
        torch.randint(0, 2, (warmup,))
    return torch.get_rng_state().numpy().copy()


def _check(y, want, what):
    assert y.tobytes() == np.ascontiguousarray(want).tobytes(), what
    assert call.last_state.tobytes() == torch.get_rng_state().numpy().tobytes(), what + " state"


def _draw(ks, name, n, state, params, dtype):
    y, st = call(ks, name, n, state, params, np.zeros(n, dtype))[::-1]
    call.last_state = st
    return y


def _randint_params(low, high, wide):
    return np.array([high - low, low % 2 ** 64, wide], np.uint64)


@pytest.mark.parametrize("seed,warmup", SEEDS)
@pytest.mark.parametrize("low,high", [(0, 10), (-7, 1000), (-3, 2 ** 40), (0, 2 ** 63 - 1),
                                      (-2 ** 63, 2 ** 63 - 1)])
def test_randint(ks, seed, warmup, low, high):
    for n in SIZES:
        state = _state(seed, warmup)
        want = torch.randint(low, high, (n,)).numpy()
        y = _draw(ks, "i64_randint", n, state, _randint_params(low, high, high - low >= 2 ** 32),
                  np.int64)
        _check(y, want, f"randint({low}, {high}) n={n}")


def test_random_without_bounds_is_a_draw_modulo_the_dtypes_range(ks):
    for n in (5, 700):
        state = _state(3)
        want = torch.empty(n, dtype=torch.int64).random_().numpy()
        _check(_draw(ks, "i64_randint", n, state, _randint_params(0, 2 ** 63, 1), np.int64),
               want, "random_() int64")


@pytest.mark.parametrize("seed,warmup", SEEDS)
def test_randperm(ks, seed, warmup):
    for n in [0, 1, 2, 3, 10, 624, 625, 626, 5000]:
        state = _state(seed, warmup)
        want = torch.randperm(n).numpy()
        _check(_draw(ks, "i64_randperm", n, state, np.zeros(1), np.int64), want,
               f"randperm({n})")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed,warmup", SEEDS)
def test_bernoulli_tensor(ks, dtype, seed, warmup):
    for n in SIZES:
        p = np.random.default_rng(n).random(n).astype(dtype)
        p[::7] = 0.0
        p[3::11] = 1.0
        state = _state(seed, warmup)
        want = torch.bernoulli(torch.from_numpy(p)).numpy()
        name = ("f32" if dtype == np.float32 else "f64") + "_bernoulli_tensor"
        _check(_draw(ks, name, n, state, p, dtype), want, f"{name} n={n}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("lambd", [1.0, 0.3, 2.5])
def test_exponential(ks, dtype, lambd):
    name = ("f32" if dtype == np.float32 else "f64") + "_exponential"
    for seed, warmup in SEEDS:
        for n in SIZES:
            state = _state(seed, warmup)
            want = torch.empty(n, dtype=torch.from_numpy(np.zeros(0, dtype)).dtype) \
                .exponential_(lambd).numpy()
            _check(_draw(ks, name, n, state, np.array([lambd]), dtype), want, f"{name} n={n}")


def test_exponential_log1p_is_glibcs_on_a_million_draws(ks):
    n = 1 << 20
    state = _state(5)
    want = torch.empty(n, dtype=torch.float64).exponential_().numpy()
    y = _draw(ks, "f64_exponential", n, state, np.array([1.0]), np.float64)
    bad = np.flatnonzero(y != want)
    assert bad.size == 0, f"{bad.size} differ, first {y[bad[0]]!r} != {want[bad[0]]!r}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_multinomial_with_replacement(ks, dtype):
    name = ("f32" if dtype == np.float32 else "f64") + "_multinomial"
    rng = np.random.default_rng(1)
    for rows, cats, samples in [(1, 1, 3), (1, 4, 7), (3, 5, 9), (2, 3000, 50), (4, 7, 700)]:
        p = rng.random((rows, cats)).astype(dtype)
        p[:, ::3] = 0.0
        p[:, 0] += 0.5
        state = _state(6, 1)
        want = torch.multinomial(torch.from_numpy(p), samples, replacement=True).numpy()
        st, _, y, status = call(ks, name, rows, cats, samples, state, p, np.zeros(cats, dtype),
                                np.zeros((rows, samples), np.int64), np.ones(1, np.int32))
        assert status[0] == 0
        call.last_state = st
        _check(y, want, f"{name} {rows}x{cats}, {samples}")


@pytest.mark.parametrize("bad,code", [(-1.0, 1), (float("nan"), 1), (float("inf"), 2),
                                      (0.0, 3)])
def test_multinomial_reports_torchs_checks(ks, bad, code):
    p = np.array([[0.5, 0.5], [0.0, bad]], np.float32)
    if code == 3:
        p[1, 1] = 0.0
    status = call(ks, "f32_multinomial", 2, 2, 3, _state(0), p, np.zeros(2, np.float32),
                  np.zeros((2, 3), np.int64), np.zeros(1, np.int32))[-1]
    assert status[0] == code
