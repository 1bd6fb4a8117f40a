"""wasm_kernels/f32-norm (f32_layer_norm, f32_rms_norm) called directly, both ISA builds,
against float64 numpy on edge shapes: n = 0, 1, primes, not multiples of 4, around the
512-float chunk of the one-pass statistics, long rows; with and without weight / bias."""
import numpy as np
import pytest

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

from conftest_kernels import EPS, backend, call, ks  # noqa: F401

NS = (0, 1, 2, 3, 4, 5, 7, 13, 16, 31, 97, 511, 512, 513, 1024, 1031, 4099)
ROWS = (0, 1, 3)
CHUNK = 512   # WT_NORM_CHUNK


def _ref_layer_norm(x, w, b, eps):
    xd = x.astype(np.float64)
    m = xd.mean(-1, keepdims=True)
    y = (xd - m) / np.sqrt(((xd - m) ** 2).mean(-1, keepdims=True) + eps)
    return y * (1 if w is None else w) + (0 if b is None else b), (xd - m)


def _run(ks, op, x, w, b, eps):
    rows, n = x.shape
    flags = (w is not None) | ((b is not None) << 1)
    dummy = np.zeros(1, np.float32)
    args = [rows, n, flags, eps, x, dummy if w is None else w]
    if op == "layer_norm":
        args.append(dummy if b is None else b)
    (y,) = call(ks, "f32_" + op, *args, np.full(x.shape, 7.0, np.float32))
    return y


@pytest.mark.parametrize("affine", ["none", "w", "wb", "b"])
def test_layer_norm(ks, affine):
    rng = np.random.default_rng(0)
    for rows in ROWS:
        for n in NS:
            x = (rng.standard_normal((rows, n)) * 3 + 5).astype(np.float32)
            w = rng.standard_normal(n).astype(np.float32) if "w" in affine else None
            b = rng.standard_normal(n).astype(np.float32) if "b" in affine else None
            eps = 1e-5
            y = _run(ks, "layer_norm", x, w, b, eps).astype(np.float64)
            ref, centred = _ref_layer_norm(x, w, b, eps)
            if rows == 0 or n == 0:
                assert y.size == 0
                continue
            r = 1 / np.sqrt((centred ** 2).mean(-1, keepdims=True) + eps)
            wa = 1 if w is None else np.abs(w)
            scale = np.abs(centred) * r * wa
            # the f32 mean is off by ~eps |x|, which x - mean does not shrink
            tol = (16 + n / CHUNK) * EPS * (scale + np.max(scale, -1, keepdims=True)) + \
                4 * EPS * np.abs(x).max(-1, keepdims=True) * r * wa + \
                (0 if b is None else 2 * EPS * np.abs(b))
            assert np.all(np.abs(y - ref) <= tol), (affine, rows, n, np.max(np.abs(y - ref)))


def test_layer_norm_large_mean_small_spread(ks):
    """The chunked two-pass statistics avoid E[x^2] - E[x]^2 cancellation."""
    rng = np.random.default_rng(1)
    for n in (100, 3000):
        x = (1000 + rng.standard_normal((2, n)) * 1e-2).astype(np.float32)
        y = _run(ks, "layer_norm", x, None, None, 0.0).astype(np.float64)
        ref, _ = _ref_layer_norm(x, None, None, 0.0)
        assert np.max(np.abs(y - ref)) < 2e-3, n


@pytest.mark.parametrize("with_w", [False, True])
def test_rms_norm(ks, with_w):
    rng = np.random.default_rng(2)
    for rows in ROWS:
        for n in NS:
            x = (rng.standard_normal((rows, n)) * 2).astype(np.float32)
            w = rng.standard_normal(n).astype(np.float32) if with_w else None
            eps = 1e-6
            y = _run(ks, "rms_norm", x, w, None, eps).astype(np.float64)
            if rows == 0 or n == 0:
                assert y.size == 0
                continue
            xd = x.astype(np.float64)
            r = 1 / np.sqrt((xd ** 2).mean(-1, keepdims=True) + eps)
            ref = xd * r * (1 if w is None else w)
            tol = (8 + n / CHUNK) * EPS * np.abs(ref) + 1e-30
            assert np.all(np.abs(y - ref) <= tol), (rows, n, np.max(np.abs(y - ref) / tol))


def test_nan_and_inf_rows(ks):
    x = np.array([[1, 2, np.nan, 4], [1, 2, np.inf, 4], [3, 3, 3, 3]], np.float32)
    y = _run(ks, "layer_norm", x, None, None, 1e-5)
    assert np.isnan(y[:2]).all()
    assert np.all(y[2] == 0)
    y = _run(ks, "rms_norm", x, None, None, 1e-5)
    assert np.isnan(y[0]).all() and np.isfinite(y[2]).all()
