"""xN-gemm (f64_gemm_4x4, i64_gemm_4x4, i32_gemm_4x8) and x64_im2col for both ISA builds
against numpy: batches with strided A and broadcast B, sizes around the 4-row tiles, the
NR-wide strips and the 128-wide k / n blocks, k == 0; integer products and sums that overflow
wrap (two's complement, as torch's int64 matmul); nothing past C written."""
import numpy as np
import pytest

from conftest_kernels import backend, call, ks  # noqa: F401

NAMES = {"f64": ("f64_gemm_4x4", np.float64), "i64": ("i64_gemm_4x4", np.int64),
         "i32": ("i32_gemm_4x8", np.int32)}
SHAPES = ((1, 1, 1, 1), (2, 5, 9, 7), (1, 33, 130, 260), (3, 4, 8, 0), (1, 7, 3, 129),
          (2, 1, 257, 3), (2, 6, 1, 300), (1, 1, 1, 1000), (1, 1, 1, 1003))  # mv, dot (last 3)


@pytest.mark.parametrize("short", sorted(NAMES))
def test_xgemm(ks, short):
    name, dt = NAMES[short]
    rng = np.random.default_rng(len(short))
    for batch, m, n, k in SHAPES:
        if dt is np.float64:
            a = rng.uniform(-1, 1, (batch, k, m)).transpose(0, 2, 1)   # A column-major
            b = rng.uniform(-1, 1, (k, n))
        else:
            info = np.iinfo(dt)
            a = rng.integers(info.min, info.max, (batch, k, m), dtype=dt).transpose(0, 2, 1)
            b = rng.integers(info.min, info.max, (k, n), dtype=dt)
        abuf = np.ascontiguousarray(a.transpose(0, 2, 1)).reshape(-1)
        c0 = np.full(batch * m * n + 3, 7, dt)
        (c,) = call(ks, name, batch, m, n, k, abuf if abuf.size else np.zeros(1, dt), m * k, 1,
                    m, b.reshape(-1) if b.size else np.zeros(1, dt), 0, n, c0, m * n, n)
        with np.errstate(all="ignore"):
            want = np.matmul(a, b).reshape(-1)          # numpy wraps integers the same way
        got = c[:want.size]
        if dt is np.float64 and n == 1 and k:        # the kernel's summation order, exactly
            assert np.array_equal(got, _dot_order(a * b[:, 0], contiguous=m == 1)), (m, k)
        elif dt is np.float64:
            assert np.allclose(got, want, rtol=1e-13, atol=1e-13 * max(k, 1)), (m, n, k)
        else:
            assert np.array_equal(got, want), (batch, m, n, k)
        assert np.all(c[want.size:] == 7)


def _dot_order(p, contiguous):
    """float64 sums of the products p [batch, m, k] in the n == 1 kernel's order: k order for a
    strided A; for a contiguous one, 8 running sums (lane j of vector v: k = 8i + 2v + j), the
    vectors added (v0 + v1) + (v2 + v3), then lanes 0 and 1 and the tail in k order."""
    k = p.shape[-1]
    if not contiguous:
        return np.cumsum(p, axis=-1)[..., -1].reshape(-1)
    full = k - k % 8
    part = np.cumsum(p[..., :full].reshape(p.shape[:-1] + (-1, 8)), axis=-2)[..., -1, :] \
        if full else np.zeros(p.shape[:-1] + (8,))
    lanes = (part[..., 0:2] + part[..., 2:4]) + (part[..., 4:6] + part[..., 6:8])
    s = (0.0 + lanes[..., 0]) + lanes[..., 1]
    for q in range(full, k):
        s = s + p[..., q]
    return s.reshape(-1)


def test_x64_im2col(ks):
    """The patch matrix of a padded, strided, dilated window, bit for bit (NaN payloads too)."""
    c, h, w, kh, kw, sh, sw, ph, pw, dh, dw = 2, 5, 7, 3, 2, 2, 1, 1, 1, 1, 2
    oh, ow = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    x = np.random.default_rng(0).integers(0, 2 ** 63, (c, h, w), dtype=np.uint64)
    ld = oh * ow + 3
    col0 = np.full(c * kh * kw * ld, 9, np.uint64)
    (col,) = call(ks, "x64_im2col", c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, ld,
                  x.reshape(-1), col0)
    xp = np.pad(x, ((0, 0), (ph, ph + sh), (pw, pw + sw)))
    for ci in range(c):
        for ki in range(kh):
            for kj in range(kw):
                row = col[((ci * kh + ki) * kw + kj) * ld:][:ld]
                want = xp[ci, ki * dh: ki * dh + sh * oh: sh, kj * dw: kj * dw + sw * ow: sw]
                assert np.array_equal(row[:oh * ow], want.reshape(-1)) and np.all(row[oh * ow:] == 9)
