"""f32_adam_step for both ISA builds against torch.optim.Adam/AdamW's single-tensor formula
computed in numpy float32 (amsgrad, maximize, coupled and decoupled weight decay, lengths
around the vector width)."""
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
