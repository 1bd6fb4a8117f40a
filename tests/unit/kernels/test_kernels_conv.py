"""Conv and pool kernels (wasm_kernels/f32-conv, f32-pool) called directly, both ISA builds:
f32_im2col against a numpy patch matrix (exact), f32_dwconv2d against float64 torch, the pool
kernels against torch.nn.functional (values exact, indices equal). Edge shapes: 1x1 windows,
primes, rows narrower and wider than the vector blocks, strides 1-3, padding, dilation,
ceil_mode-clipped windows, zero planes, large planes. (Speed lives in benchmarks/.)"""
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from conftest_kernels import EPS, backend, call, ks  # noqa: F401


def _out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def im2col_ref(x, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow):
    c, h, w = x.shape
    big = np.zeros((c, ph + max(h, (oh - 1) * sh + (kh - 1) * dh + 1),
                    pw + max(w, (ow - 1) * sw + (kw - 1) * dw + 1)), np.float32)
    big[:, ph:ph + h, pw:pw + w] = x
    col = np.empty((c, kh, kw, oh, ow), np.float32)
    for ki, kj in itertools.product(range(kh), range(kw)):
        col[:, ki, kj] = big[:, ki * dh:ki * dh + (oh - 1) * sh + 1:sh,
                             kj * dw:kj * dw + (ow - 1) * sw + 1:sw][:, :oh, :ow]
    return col.reshape(c * kh * kw, oh * ow)


# (c, h, w, kh, kw, sh, sw, ph, pw, dh, dw)
GEOMS = [
    (1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1),
    (3, 5, 7, 1, 1, 1, 1, 0, 0, 1, 1),
    (2, 7, 13, 3, 3, 1, 1, 1, 1, 1, 1),
    (5, 11, 37, 3, 3, 2, 2, 1, 1, 1, 1),
    (3, 13, 41, 5, 3, 1, 2, 2, 1, 1, 1),
    (2, 17, 29, 3, 2, 3, 3, 1, 1, 2, 3),
    (1, 9, 50, 7, 7, 2, 2, 3, 3, 1, 1),
    (4, 3, 4, 2, 2, 1, 1, 0, 0, 1, 1),
    (7, 23, 19, 2, 4, 2, 1, 0, 2, 1, 2),
    (1, 64, 64, 3, 3, 1, 1, 1, 1, 1, 1),
]


@pytest.mark.parametrize("g", GEOMS)
@pytest.mark.parametrize("extra", [0, 1])
@pytest.mark.parametrize("gap", [0, 5])
def test_im2col(ks, g, extra, gap):
    """extra = 1: one more output row/column than symmetric padding gives (the bottom/right
    padding of padding='same' with even kernels and of clipped windows). gap: row stride
    ld = oh*ow + gap; the gap must stay untouched."""
    c, h, w, kh, kw, sh, sw, ph, pw, dh, dw = g
    oh, ow = _out(h, kh, sh, ph, dh) + extra, _out(w, kw, sw, pw, dw) + extra
    rows, ld = c * kh * kw, oh * ow + gap
    rng = np.random.default_rng(sum(g))
    x = rng.uniform(-1, 1, (c, h, w)).astype(np.float32)
    col0 = np.full(rows * ld, np.nan, np.float32)
    (col,) = call(ks, "f32_im2col", c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, ld, x,
                  col0)
    col = col.reshape(rows, ld)
    np.testing.assert_array_equal(col[:, :oh * ow],
                                  im2col_ref(x, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow))
    assert np.all(np.isnan(col[:, oh * ow:])), "wrote into the row gap"


def test_col_ld():
    from webtensor.backends.wasm.conv import col_ld
    for n in (1, 63, 64, 784, 3136, 12544, 100000):
        ld = col_ld(n)
        assert ld >= n and ld - n < 32
        assert n < 64 or (ld % 16 == 0 and (ld // 16) % 2 == 1)


@pytest.mark.parametrize("g", GEOMS)
@pytest.mark.parametrize("mult", [1, 2])
def test_dwconv2d(ks, g, mult):
    c, h, w, kh, kw, sh, sw, ph, pw, dh, dw = g
    n = 2
    oc = c * mult
    oh, ow = _out(h, kh, sh, ph, dh), _out(w, kw, sw, pw, dw)
    rng = np.random.default_rng(sum(g) + mult)
    x = rng.uniform(-1, 1, (n, c, h, w)).astype(np.float32)
    wt = rng.uniform(-1, 1, (oc, 1, kh, kw)).astype(np.float32)
    b = rng.uniform(-1, 1, oc).astype(np.float32)
    y0 = np.full(n * oc * oh * ow, np.nan, np.float32)
    (y,) = call(ks, "f32_dwconv2d", n * oc, oc, mult, h, w, kh, kw, sh, sw, ph, pw, dh, dw,
                oh, ow, x, wt, b, y0)
    args = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=c)
    t = [torch.from_numpy(a).double() for a in (x, wt, b)]
    ref = F.conv2d(*t, **args).numpy()
    absref = F.conv2d(t[0].abs(), t[1].abs(), t[2].abs(), **args).numpy()
    bound = (kh * kw + 1) * EPS * absref
    assert np.all(np.abs(y.reshape(ref.shape) - ref) <= bound + 1e-30)


def test_dwconv2d_no_planes_writes_nothing(ks):
    (y,) = call(ks, "f32_dwconv2d", 0, 3, 1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5,
                np.ones(75, np.float32), np.ones(27, np.float32), np.ones(3, np.float32),
                np.full(4, 7.0, np.float32))
    assert np.all(y == 7.0)


# (h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil)
POOLS = [
    (1, 1, 1, 1, 1, 1, 0, 0, 1, 1, False),
    (5, 7, 2, 2, 2, 2, 0, 0, 1, 1, False),
    (5, 7, 2, 2, 2, 2, 0, 0, 1, 1, True),
    (11, 41, 3, 3, 2, 2, 1, 1, 1, 1, False),
    (11, 41, 3, 3, 1, 1, 1, 1, 1, 1, False),
    (13, 37, 3, 2, 2, 1, 1, 1, 2, 3, True),
    (7, 29, 5, 4, 3, 3, 2, 2, 1, 1, True),
    (17, 53, 2, 3, 1, 2, 1, 1, 1, 1, True),
    (1, 23, 1, 4, 1, 1, 0, 2, 1, 1, False),
    (56, 56, 3, 3, 2, 2, 1, 1, 1, 1, False),
]


def _pool_input(seed, shape, special):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, shape).astype(np.float32)
    if special:
        flat = x.reshape(-1)
        idx = rng.choice(flat.size, max(1, flat.size // 9), replace=False)
        flat[idx] = rng.choice(np.array([np.nan, -np.inf, np.inf, 0.0, -0.0], np.float32),
                               idx.size)
    return x


@pytest.mark.parametrize("g", POOLS)
@pytest.mark.parametrize("special", [False, True])
def test_max_pool2d(ks, g, special):
    h, w, kh, kw, sh, sw, ph, pw, dh, dw, ceil = g
    x = _pool_input(h * w + special, (2, 3, h, w), special)
    tv, ti = F.max_pool2d(torch.from_numpy(x), (kh, kw), (sh, sw), (ph, pw), (dh, dw), ceil,
                          return_indices=True)
    oh, ow = tv.shape[2:]
    geom = (6, h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw)
    (y,) = call(ks, "f32_max_pool2d", *geom, x, np.full(tv.numel(), 5.0, np.float32))
    np.testing.assert_array_equal(y.reshape(tv.shape), tv.numpy())
    y, i = call(ks, "f32_max_pool2d_indices", *geom, x, np.full(tv.numel(), 5.0, np.float32),
                np.full(tv.numel(), -9, np.int64))
    np.testing.assert_array_equal(y.reshape(tv.shape), tv.numpy())
    np.testing.assert_array_equal(i.reshape(ti.shape), ti.numpy())


@pytest.mark.parametrize("g", POOLS)
@pytest.mark.parametrize("cip,div", [(True, 0), (False, 0), (True, 3), (False, -2)])
def test_avg_pool2d(ks, g, cip, div):
    h, w, kh, kw, sh, sw, ph, pw, _, _, ceil = g
    x = _pool_input(h + w, (2, 3, h, w), False)
    ref = F.avg_pool2d(torch.from_numpy(x).double(), (kh, kw), (sh, sw), (ph, pw), ceil, cip,
                       div or None)
    oh, ow = ref.shape[2:]
    (y,) = call(ks, "f32_avg_pool2d", 6, h, w, oh, ow, kh, kw, sh, sw, ph, pw, int(cip), div,
                x, np.full(ref.numel(), 5.0, np.float32))
    # f32 sum of <= kh*kw terms, then one division
    bound = (kh * kw + 1) * EPS * F.avg_pool2d(torch.from_numpy(np.abs(x)).double(), (kh, kw),
                                               (sh, sw), (ph, pw), ceil, cip,
                                               div or None).abs().numpy()
    assert np.all(np.abs(y.reshape(ref.shape) - ref.numpy()) <= bound + 1e-30)


@pytest.mark.parametrize("h,w,oh,ow", [(1, 1, 1, 1), (5, 7, 1, 1), (56, 56, 1, 1),
                                        (13, 17, 3, 5), (7, 5, 7, 5), (6, 9, 11, 13),
                                        (10, 40, 2, 3), (5, 5, 0, 3)])
@pytest.mark.parametrize("special", [False, True])
def test_adaptive_pool2d(ks, h, w, oh, ow, special):
    x = _pool_input(h * w + oh, (2, 3, h, w), special)
    n = 6 * oh * ow
    tx = torch.from_numpy(x)
    ref = F.adaptive_avg_pool2d(tx.double(), (oh, ow))
    (y,) = call(ks, "f32_adaptive_avg_pool2d", 6, h, w, oh, ow, x,
                np.full(max(n, 1), 5.0, np.float32))
    got = y[:n].reshape(ref.shape)
    if not special:
        bound = (h * w + 1) * EPS * F.adaptive_avg_pool2d(tx.abs().double(), (oh, ow)).numpy()
        assert np.all(np.abs(got - ref.numpy()) <= bound + 1e-30)
    else:  # NaN / inf propagate like torch's
        assert np.array_equal(np.isnan(got), np.isnan(ref.numpy()))
        assert np.array_equal(np.isinf(got), np.isinf(ref.numpy()))
    if n == 0:
        assert np.all(y == 5.0)
    tv, ti = F.adaptive_max_pool2d(tx, (oh, ow), return_indices=True)
    y, i = call(ks, "f32_adaptive_max_pool2d", 6, h, w, oh, ow, x,
                np.full(max(n, 1), 5.0, np.float32), np.full(max(n, 1), -9, np.int64))
    np.testing.assert_array_equal(y[:n].reshape(tv.shape), tv.numpy())
    np.testing.assert_array_equal(i[:n].reshape(ti.shape), ti.numpy())
