"""Unary f32 kernels (wasm_kernels/f32-vunary) against float64 references and torch.

Each op's stated max error (in the kernel sources) is the bound checked here, over ~800k
inputs covering every exponent (random bit patterns), dense linear grids and special values,
for both ISA builds.
"""
import math

import numpy as np
import pytest
import torch

from wt_oracle import torch_gelu
from conftest_kernels import (SIZES, backend, call, ks, same_bits_or_nan,  # noqa: F401
                              storage_of, ulp_error)
from webtensor.backends.wasm import kernel_table
from webtensor.backends.wasm.loader import Region

OPS = kernel_table.UNARY_OPS
K_TANH = math.sqrt(2 / math.pi)
_erf = np.frompyfunc(math.erf, 1, 1)
_erfc = np.frompyfunc(math.erfc, 1, 1)


def _sigmoid(v):
    return np.where(v >= 0, 1 / (1 + np.exp(-v)), np.exp(v) / (1 + np.exp(v)))


def _gelu(v):
    y = 0.5 * v * _erfc(-v / math.sqrt(2)).astype(np.float64)
    return np.where(v == -np.inf, np.nan, y)   # torch 2.13: gelu(inf) = inf, gelu(-inf) = nan


def _round_half_even(v):
    return np.round(v)


# op -> (float64 reference, max error in ulp as stated in the kernel source)
REF = {
    "neg": (np.negative, 0), "abs": (np.abs, 0), "sqrt": (np.sqrt, 0.5),
    "rsqrt": (lambda v: 1 / np.sqrt(v), 2), "floor": (np.floor, 0), "ceil": (np.ceil, 0),
    "round": (_round_half_even, 0), "sign": (lambda v: (v > 0) * 1.0 - (v < 0) * 1.0, 0),
    "reciprocal": (lambda v: 1 / v, 0.5), "relu": (lambda v: np.where(v < 0, 0.0, v), 0),
    "exp": (np.exp, 1.5), "expm1": (np.expm1, 2), "log": (np.log, 1), "log1p": (np.log1p, 2),
    "sin": (np.sin, 1), "cos": (np.cos, 1), "tanh": (np.tanh, 3), "sigmoid": (_sigmoid, 3),
    "silu": (lambda v: v * _sigmoid(v), 4),
    "gelu_tanh": (lambda v: v * _sigmoid(2 * K_TANH * (v + 0.044715 * v ** 3)), 5),
    "gelu": (_gelu, 4), "erf": (lambda v: _erf(v).astype(np.float64), 7),
}
# op -> absolute error allowed on top of the ulp bound, as a function of x: gelu is torch's
# 0.5 x (1 + erf(x / sqrt2)), whose cancellation for x < 0 costs |x| 2^-22 (torch: about half)
ABS = {"gelu": lambda v: np.abs(v) * 2.0 ** -22}


def dense_inputs(seed=0):
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2 ** 32, 300_000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    parts = [bits,
             np.linspace(-20, 20, 200_001, dtype=np.float32),
             np.linspace(-1, 1, 100_001, dtype=np.float32),
             np.linspace(-120, 100, 50_001, dtype=np.float32),
             (np.geomspace(1e-40, 1e5, 100_000) * rng.choice([-1, 1], 100_000)).astype(np.float32),
             np.arange(-8, 8.25, 0.25, dtype=np.float32)]   # halves for round, ints for floor
    x = np.concatenate(parts)
    return x[np.isfinite(x)]


@pytest.fixture(scope="module")
def dense():
    return dense_inputs()


def test_every_unary_op_has_a_reference():
    assert set(REF) == set(OPS)


@pytest.mark.parametrize("op", OPS)
def test_unary_accuracy(ks, dense, op):
    x = dense
    (y,) = call(ks, "f32_" + op, x.size, x, np.zeros_like(x))
    ref_fn, bound = REF[op]
    with np.errstate(all="ignore"):
        ref = ref_fn(x.astype(np.float64))
    fmax = float(np.finfo(np.float32).max)
    over = np.abs(ref) > fmax * (1 + 2 ** -25)
    # overflowing results must be +-inf of the right sign
    assert np.all(y[over & ~np.isnan(ref)] == np.sign(ref[over & ~np.isnan(ref)]) * np.inf), op
    nanref = np.isnan(ref)
    assert np.array_equal(np.isnan(y), nanref), \
        f"{op}: NaN mismatch at x={x[np.isnan(y) != nanref][:5]}"
    fin = ~over & ~nanref
    err = ulp_error(y[fin], ref[fin])
    if op in ABS:      # within the absolute allowance: no ulp error counted
        err = np.where(np.abs(y[fin] - ref[fin]) <= ABS[op](x[fin].astype(np.float64)), 0, err)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (f"{op} ({ks.isa}): {err[worst]:.2f} ulp > {bound} at "
                                 f"x={x[fin][worst]!r}: got {y[fin][worst]!r}, "
                                 f"want {ref[fin][worst]!r}")


TORCH_SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 1.5, -1.5,
                           2.5, -2.5, 1e-45, -1e-45, 1e-39, -1e-39, 30.0, -30.0], np.float32)


def _torch_unary(op, x):
    F = torch.nn.functional
    t = torch.from_numpy(x.copy())
    f = {"gelu": torch_gelu, "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"), "silu": F.silu,
         "relu": torch.relu}.get(op) or getattr(torch, op)
    return f(t).numpy()


@pytest.mark.parametrize("op", OPS)
def test_unary_specials_like_torch(ks, op):
    """NaN, +-inf, signed zeros and subnormals give what torch gives."""
    x = TORCH_SPECIALS
    (y,) = call(ks, "f32_" + op, x.size, x, np.zeros_like(x))
    want = _torch_unary(op, x)
    with np.errstate(all="ignore"):
        ref = REF[op][0](x.astype(np.float64))
    # torch's exact results (nan, inf, zeros) must match bit for bit, except where torch
    # flushes a subnormal result to zero: there the float64 reference decides
    exact = ~np.isfinite(want) | ((want == 0) & (ref == 0))
    bad = exact & ~same_bits_or_nan(y, want)
    assert not bad.any(), f"{op}: x={x[bad]} got {y[bad]} torch {want[bad]}"
    close = ulp_error(y[~exact], ref[~exact]) <= REF[op][1]
    if op in ABS:
        close |= np.abs(y[~exact] - ref[~exact]) <= ABS[op](x[~exact].astype(np.float64))
    assert close.all(), f"{op}: x={x[~exact][~close]} got {y[~exact][~close]}"


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("op", ["exp", "sin", "gelu", "relu", "round", "log1p"])
def test_unary_tails_match_vector_path(ks, op, n):
    """Every length gives the same per-element results (tail = vector path) and writes
    exactly n outputs."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 4).astype(np.float32)
    sentinel = np.full(n + 9, 7.25, np.float32)
    (y,) = call(ks, "f32_" + op, n, x, sentinel)
    big = np.concatenate([x, np.zeros(8, np.float32)])    # x's elements on the vector path
    (yb,) = call(ks, "f32_" + op, big.size, big, np.zeros_like(big))
    assert same_bits_or_nan(y[:n], yb[:n]).all()
    assert np.all(y[n:] == 7.25), "wrote past n"


def test_unary_in_place(ks):
    """y aliasing x (same region) is allowed."""
    x = np.linspace(-3, 3, 37, dtype=np.float32)
    st = storage_of(x)
    r = Region(st, 0, x.nbytes, True)
    ks.f32_tanh(x.size, Region(st, 0, x.nbytes, False), r)
    got = np.frombuffer(bytes(st.view()), np.float32)
    assert np.all(ulp_error(got, np.tanh(x.astype(np.float64))) <= 3)


def test_unary_unaligned_pointers(ks):
    """Regions at odd byte offsets work (wasm loads need no alignment)."""
    x = np.linspace(-2, 2, 23, dtype=np.float32)
    raw = b"\x01" + x.tobytes() + b"\x02\x03"
    src = storage_of(np.frombuffer(raw, np.uint8))
    dst = storage_of(np.zeros(x.nbytes + 3, np.uint8))
    ks.f32_exp(x.size, Region(src, 1, x.nbytes, False), Region(dst, 3, x.nbytes, True))
    got = np.frombuffer(bytes(dst.view())[3:3 + x.nbytes], np.float32)
    assert np.all(ulp_error(got, np.exp(x.astype(np.float64))) <= 1.5)
