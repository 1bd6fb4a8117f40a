"""The fused optimizer steps for both ISA builds against torch.optim's single-tensor formulas
computed in numpy float32: f32_adam_step (amsgrad, maximize, coupled and decoupled weight
decay), f32_sgd_step, f32_rmsprop_step, f32_adagrad_step; lengths around the vector width."""
import math

import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401


def adam_ref(p, g, m, v, vmax, lr, b1, b2, eps, wd, step, decoupled, maximize, amsgrad):
    f = np.float32
    g = -g if maximize else g
    if wd and decoupled:
        p = p * f(1 - lr * wd)
    elif wd:
        g = g + f(wd) * p
    w = f(1 - b1)
    m = m + w * (g - m)
    v = v * f(b2) + f(1 - b2) * g * g
    d = np.maximum(vmax, v) if amsgrad else v
    p = p + (f(-lr / (1 - b1 ** step)) * m) / (np.sqrt(d) / f(math.sqrt(1 - b2 ** step)) + f(eps))
    return p, m, v, d


@pytest.mark.parametrize("n", [1, 3, 4, 17, 64, 1001])
@pytest.mark.parametrize("amsgrad,maximize,decoupled", [(False, False, False), (True, False, True),
                                                        (False, True, True), (True, True, False)])
def test_adam_step(ks, n, amsgrad, maximize, decoupled):
    rng = np.random.default_rng(n)
    p, g, m = (rng.standard_normal(n).astype(np.float32) for _ in range(3))
    v = np.abs(rng.standard_normal(n)).astype(np.float32)
    vmax = (v * 1.5 if amsgrad else v).astype(np.float32)
    lr, b1, b2, eps, wd, step = 0.01, 0.9, 0.999, 1e-8, 0.05, 3
    want = adam_ref(p, g, m, v, vmax, lr, b1, b2, eps, wd, step, decoupled, maximize, amsgrad)
    got_p, got_m, got_v, got_vmax = call(
        ks, "f32_adam_step", n, p.copy(), g, m.copy(), v.copy(), vmax.copy(),
        1 - b1, b2, 1 - b2, lr / (1 - b1 ** step), math.sqrt(1 - b2 ** step), eps,
        1 - lr * wd if decoupled else 1.0, 0.0 if decoupled else wd,
        (1 if amsgrad else 0) | (2 if maximize else 0))
    np.testing.assert_allclose(got_p, want[0], rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(got_m, want[1], rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(got_v, want[2], rtol=2e-6, atol=1e-7)
    if amsgrad:
        np.testing.assert_allclose(got_vmax, want[3], rtol=2e-6, atol=1e-7)
    else:
        assert np.array_equal(got_vmax, vmax), "vmax written without amsgrad"


@pytest.mark.parametrize("n", [1, 5, 37])
@pytest.mark.parametrize("flags", [0, 2 | 8 | 16, 8, 2 | 4 | 8])
def test_sgd_step(ks, n, flags):
    """f32_sgd_step: plain, first momentum step, momentum with dampening, nesterov+maximize."""
    f = np.float32
    rng = np.random.default_rng(n + flags)
    p, g, buf = (rng.standard_normal(n).astype(f) for _ in range(3))
    lr, mom, damp, wd = 0.05, 0.9, 0.0 if flags & 4 else 0.1, 0.01
    d = (-g if flags & 2 else g) + f(wd) * p
    if flags & 8:
        b = d if flags & 16 else buf * f(mom) + f(1 - damp) * d
        d = d + f(mom) * b if flags & 4 else b
    got_p, got_buf = call(ks, "f32_sgd_step", n, p.copy(), g, buf.copy(), lr, mom, damp, wd,
                          flags)
    np.testing.assert_allclose(got_p, p + f(-lr) * d, rtol=2e-6, atol=1e-7)
    if flags & 8:
        np.testing.assert_allclose(got_buf, b, rtol=2e-6, atol=1e-7)
    else:
        assert np.array_equal(got_buf, buf), "buf written without momentum"


@pytest.mark.parametrize("n", [1, 5, 37])
@pytest.mark.parametrize("flags", [0, 2 | 8, 32, 32 | 8])
def test_rmsprop_and_adagrad_steps(ks, n, flags):
    """f32_rmsprop_step (centered, momentum, maximize) and f32_adagrad_step (maximize)."""
    f = np.float32
    rng = np.random.default_rng(n + flags)
    p, g, ga, buf = (rng.standard_normal(n).astype(f) for _ in range(4))
    sq = np.abs(rng.standard_normal(n)).astype(f) + f(1)
    lr, alpha, eps, mom, wd = 0.01, 0.9, 1e-8, 0.8, 0.02
    gi = (-g if flags & 2 else g) + f(wd) * p
    s = sq * f(alpha) + f(1 - alpha) * gi * gi
    a = ga + f(1 - alpha) * (gi - ga)
    avg = (np.sqrt(s - a * a) if flags & 32 else np.sqrt(s)) + f(eps)
    b = buf * f(mom) + gi / avg
    want_p = p + f(-lr) * b if flags & 8 else p + (f(-lr) * gi) / avg
    got = call(ks, "f32_rmsprop_step", n, p.copy(), g, sq.copy(), ga.copy(), buf.copy(), lr,
               alpha, eps, mom, wd, flags)
    for have, want in zip(got, (want_p, s, a if flags & 32 else ga, b if flags & 8 else buf)):
        np.testing.assert_allclose(have, want, rtol=2e-6, atol=1e-7)
    s2 = sq + gi * gi
    got_p, got_s = call(ks, "f32_adagrad_step", n, p.copy(), g, sq.copy(), lr, 1e-10, wd,
                        flags & 2)
    np.testing.assert_allclose(got_s, s2, rtol=2e-6, atol=1e-7)
    np.testing.assert_allclose(got_p, p + (f(-lr) * gi) / (np.sqrt(s2) + f(1e-10)), rtol=2e-6,
                               atol=1e-7)
