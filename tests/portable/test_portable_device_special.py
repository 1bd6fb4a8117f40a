"""The elementwise kernels of each device of wtcheck.devices_under_test() ("webgpu": lavapipe
on CPython, SwiftShader in headless Chromium) on NaN, infinities, signed zeros and float16's
edges, against the CPU: comparisons and bool conversion test NaN by bits (WGSL compilers may
assume no NaN), atan2's zero / NaN / infinite cases are written out, NaN passes through the
transcendentals, and float32 -> float16 rounds in integer arithmetic (to nearest even,
overflow to inf; pack2x16float is indeterminate outside f16's range)."""
import math
import struct

import pytest

import webtensor as torch
from wtcheck import devices_under_test

DEVICES = devices_under_test()
NAN, INF = float("nan"), float("inf")
# no subnormals: GPUs may flush them (WGSL allows it)
SPECIAL = [NAN, -NAN, INF, -INF, 0.0, -0.0, 1.0, -2.5, 0.5, 3.0e38]


def bits(t):
    """The float results as float32 bit patterns (all NaNs alike), other dtypes as values."""
    vals = t.cpu().reshape(-1).tolist()
    if t.dtype.category != 2:
        return vals
    return ["nan" if v != v else struct.pack("<f", v).hex() for v in vals]


def same(got, want, rtol=0.0):
    """Equal NaN-ness, infinities, zeros' signs and bools; finite values within rtol (and
    1e-37 absolute: subnormal results may lose precision)."""
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    bad = []
    for k, (u, v) in enumerate(zip(g, w)):
        if isinstance(v, float) and (v != v or math.isinf(v) or v == 0.0 or not rtol):
            ok = bits_of(u) == bits_of(v)
        else:
            ok = u == v or abs(u - v) <= rtol * abs(v) + 1e-37
        if not ok:
            bad.append((k, u, v))
    assert not bad, bad[:10]


def bits_of(v):
    return "nan" if v != v else struct.pack("<f", v).hex() if isinstance(v, float) else v


def pairs():
    a = [x for x in SPECIAL for _ in SPECIAL]
    b = [y for _ in SPECIAL for y in SPECIAL]
    return torch.tensor(a), torch.tensor(b)


# rtol: GPU transcendentals are not correctly rounded (exact: comparisons, bools, signs)
@pytest.mark.parametrize("op,rtol", [("eq", 0), ("ne", 0), ("lt", 0), ("le", 0), ("gt", 0),
                                     ("ge", 0), ("logical_and", 0), ("logical_or", 0),
                                     ("logical_xor", 0), ("atan2", 2e-5), ("pow", 2e-5)])
@pytest.mark.parametrize("dev", DEVICES)
def test_binary_on_special_pairs(op, rtol, dev):
    a, b = pairs()
    f = getattr(torch, op)
    same(f(a.to(dev), b.to(dev)), f(a, b), rtol)


@pytest.mark.parametrize("op,rtol", [("isnan", 0), ("isinf", 0), ("abs", 0), ("neg", 0),
                                     ("sign", 0), ("exp", 2e-5), ("log", 2e-5), ("log1p", 2e-5),
                                     ("expm1", 2e-5), ("sigmoid", 2e-5), ("tanh", 2e-5),
                                     ("sqrt", 2e-5), ("rsqrt", 2e-5), ("erf", 2e-5)])
@pytest.mark.parametrize("dev", DEVICES)
def test_unary_on_special_values(op, rtol, dev):
    x = torch.tensor(SPECIAL)
    f = getattr(torch, op)
    same(f(x.to(dev)), f(x), rtol)


@pytest.mark.parametrize("op", ["silu", "gelu"])
@pytest.mark.parametrize("dev", DEVICES)
def test_activations_pass_nan(op, dev):
    x = torch.tensor(SPECIAL)
    f = getattr(torch.nn.functional, op)
    got, want = f(x.to(dev)).cpu().tolist(), f(x).tolist()
    assert [v != v for v in got] == [v != v for v in want], (got, want)


@pytest.mark.parametrize("dev", DEVICES)
def test_float_to_bool_and_nonzero_count_nan(dev):
    x = torch.tensor([NAN, 0.0, -0.0, 2.5e-38, -INF])
    assert x.to(dev).bool().tolist() == x.bool().tolist() == [True, False, False, True, True]
    assert torch.nonzero(x.to(dev)).tolist() == torch.nonzero(x).tolist()


def _f16_cases():
    """float32 values around every float16 rounding boundary: the largest finite half and the
    overflow threshold (65520 ties to inf), ties to even, the subnormals and the underflow to
    zero (2^-25 ties to 0), each with its neighbours one float32 ulp away."""
    centers = [65504.0, 65519.0, 65520.0, 1.0 + 2 ** -11, 1.0 + 3 * 2 ** -11, 2 ** -14,
               2 ** -24, 1.5 * 2 ** -24, 2 ** -25, 3 * 2 ** -26, 2 ** -14 - 2 ** -25, 1e-8, 0.1]
    out = []
    for c in centers:
        u = struct.unpack("<I", struct.pack("<f", c))[0]
        out += [struct.unpack("<f", struct.pack("<I", w))[0] for w in (u - 1, u, u + 1)]
    out += [-v for v in out] + [INF, -INF, NAN, 0.0, -0.0, 3.0e38, 1e-45]
    return out


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("dev", DEVICES)
def test_float32_to_half_rounds_like_the_cpu(dtype, dev):
    x = torch.tensor(_f16_cases())
    got = x.to(dev).to(getattr(torch, dtype))
    want = x.to(getattr(torch, dtype))
    assert bits(got) == bits(want)


@pytest.mark.parametrize("dev", DEVICES)
def test_float16_results_overflow_to_inf(dev):
    x = torch.tensor([12.0, -12.0, 0.0, 1.0, NAN], dtype=torch.float16)
    g = x.to(dev)
    for f in (torch.exp, torch.reciprocal, lambda t: t * 60000, torch.isinf):
        got, want = f(g), f(x)
        assert bits(got) == bits(want), (got.cpu().tolist(), want.tolist())
    assert math.isinf(torch.exp(g)[0].item())
