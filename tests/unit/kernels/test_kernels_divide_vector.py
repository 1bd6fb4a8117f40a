"""The vector paths of xN-divide (both ISA builds, guard bytes) bit for bit against torch 2.13:
float32/float64 remainder / div_floor / div_trunc / fmod with fast and long-division (huge
quotient, extreme exponent) lanes mixed in one vector and special values; float16/bfloat16 in
one pass: the float32 op rounded once, as the op layer's widen / op / round passes (torch's own
half floor division rounds each step: ties of the quotient can differ); int32 every sign and the
extremes; strided and broadcast operands through the padded chunks."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401

OPS = {"remainder": torch.remainder, "fmod": torch.fmod,
       "div_floor": lambda a, b: torch.div(a, b, rounding_mode="floor"),
       "div_trunc": lambda a, b: torch.div(a, b, rounding_mode="trunc")}
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, -7.0, 0.1, -0.3, 7.5, 1e4, -1e4, 65504.0,
           1e-5, 6e-8, np.inf, -np.inf, np.nan]


def same(got, want):
    if got.dtype.kind == "f":
        return (got == want) & (np.signbit(got) == np.signbit(want)) | \
            (np.isnan(got) & np.isnan(want))
    return got == want


def kernel(ks, name, a, b, strided=False):
    """the 2-D kernel on a [m, n] contiguous, or on a view of every other column"""
    m, n = a.shape
    if strided:
        a2, b2 = np.repeat(a, 2, axis=1), np.repeat(b, 2, axis=1)
        y, st = call(ks, name, m, n, a2, 2 * n, 2, b2, 2 * n, 2, np.zeros(m * n, a.dtype),
                     np.array([7], np.int32))
    else:
        y, st = call(ks, name, m, n, a, n, 1, b, n, 1, np.zeros(m * n, a.dtype),
                     np.array([7], np.int32))
    return y.reshape(m, n), int(st[0])


def check(ks, dt, op, a, b, strided=False):
    got, st = kernel(ks, f"{dt}_{op}", a, b, strided)
    t = lambda v: torch.from_numpy(v.view(np.int16)).view(torch.float16 if dt == "f16" else  # noqa: E731
                                                           torch.bfloat16) if dt in ("f16", "bf16") else torch.from_numpy(v)
    if dt in ("f16", "bf16"):     # the op layer's float32 op, rounded once
        want = OPS[op](t(a).float(), t(b).float()).to(t(a).dtype)
        got = torch.from_numpy(got.view(np.int16)).view(want.dtype).float().numpy()
        want = want.float()
    else:
        want = OPS[op](t(a), t(b))
    want = want.numpy()
    ok = same(got, want)
    assert ok.all(), (dt, op, a[~ok][:6], b[~ok][:6], got[~ok][:6], want[~ok][:6])
    return st


@pytest.mark.parametrize("dt", ["f32", "f64"])
@pytest.mark.parametrize("op", sorted(OPS))
def test_float_vectors_like_torch(ks, guarded, dt, op):
    npdt = np.float32 if dt == "f32" else np.float64
    rng = np.random.default_rng(5)
    a = rng.standard_normal(4000) * 10.0 ** rng.integers(-6, 9, 4000)
    b = rng.standard_normal(4000) * 10.0 ** rng.integers(-4, 4, 4000)
    # long-division lanes beside fast ones: huge quotients (finite: torch's vectorised fmod
    # is nan where a / b overflows), huge dividends, tiny divisors
    a[::14] = 1e30 if dt == "f32" else 1.5e300
    b[7::14] = 1e-20 if dt == "f32" else 1e-295
    a, b = a.astype(npdt).reshape(40, 100), b.astype(npdt).reshape(40, 100)
    check(ks, dt, op, a, b)
    check(ks, dt, op, a[:, :37].copy(), b[:, :37].copy(), strided=True)
    v = np.array(SPECIAL, npdt)
    check(ks, dt, op, np.repeat(v, v.size)[None].copy(), np.tile(v, v.size)[None].copy())


@pytest.mark.parametrize("dt", ["f16", "bf16"])
@pytest.mark.parametrize("op", sorted(OPS))
def test_half_one_pass_like_torch(ks, guarded, dt, op):
    tdt = torch.float16 if dt == "f16" else torch.bfloat16
    g = torch.Generator().manual_seed(6)
    a = (torch.randn(3001, generator=g) * 10.0 ** torch.randint(-3, 4, (3001,), generator=g))
    b = (torch.randn(3001, generator=g) * 10.0 ** torch.randint(-3, 2, (3001,), generator=g))
    a, b = (x.to(tdt).view(torch.int16).numpy().view(np.uint16)[None].copy() for x in (a, b))
    check(ks, dt, op, a, b)
    v = torch.tensor(SPECIAL).to(tdt).view(torch.int16).numpy().view(np.uint16)
    check(ks, dt, op, np.repeat(v, v.size)[None].copy(), np.tile(v, v.size)[None].copy())


@pytest.mark.parametrize("op", sorted(OPS))
def test_int32_signs_extremes_and_zero(ks, guarded, op):
    info = np.iinfo(np.int32)
    v = np.array([0, 1, -1, 2, -2, 3, -3, 7, -7, 100, -100, 65536, -65537, info.max,
                  info.min, info.min + 1], np.int32)
    b = v[v != 0]
    a2, b2 = np.repeat(v, b.size)[None].copy(), np.tile(b, v.size)[None].copy()
    got, st = kernel(ks, f"i32_{op}", a2, b2)
    assert st == 0
    mask = ~((a2 == info.min) & (b2 == -1))     # wraps (torch traps: SIGFPE)
    want = OPS[op](torch.from_numpy(a2[mask]), torch.from_numpy(b2[mask])).numpy()
    assert (got[mask] == want).all()
    assert (got[~mask] == (info.min if op.startswith("div") else 0)).all()
    rng = np.random.default_rng(8)
    a = rng.integers(info.min, info.max, (30, 70), dtype=np.int64).astype(np.int32)
    d = rng.integers(1, 1 << rng.integers(1, 31, (30, 70)), dtype=np.int64).astype(np.int32)
    d *= rng.choice(np.array([-1, 1], np.int32), (30, 70))
    assert check(ks, "i32", op, a, d) == 0
    assert check(ks, "i32", op, a[:, :33].copy(), d[:, :33].copy(), strided=True) == 0
    y, st = kernel(ks, f"i32_{op}", np.array([[5, 6, 7]], np.int32), np.array([[1, 0, 2]], np.int32))
    assert st == 1 and y[0, 1] == 0
