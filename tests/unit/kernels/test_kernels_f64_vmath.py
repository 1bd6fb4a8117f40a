"""float64 transcendental kernels (wasm_kernels/f64-vunary) against long-double references and
torch's float64 results, both ISA builds.

Each op's max error in float64 ulp (stated in the kernel source) is checked over ~160k inputs
covering every exponent (random bit patterns), dense grids and special values.
"""
import numpy as np
import pytest
import torch

from conftest_kernels import SIZES, backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

OPS = kernel_table.F64_MATH_OPS
L = np.longdouble
K_TANH = L(0.7978845608028654)


def _sigmoid(v):
    return np.where(v >= 0, 1 / (1 + np.exp(-v)), np.exp(v) / (1 + np.exp(v)))


def _erf(v):
    """erf in long double (math.erf per element is only double: mpmath at 80 bits)."""
    import mpmath
    with mpmath.workprec(80):
        return np.array([L(mpmath.nstr(mpmath.erf(mpmath.mpf(float(e))), 25)) if e == e
                         else L(np.nan) for e in np.asarray(v, np.float64).ravel()],
                        dtype=L).reshape(np.shape(v))


# op -> (long-double reference, max error in float64 ulp as stated in the kernel source)
REF = {"exp": (np.exp, 1), "expm1": (np.expm1, 2), "log": (np.log, 1), "log1p": (np.log1p, 2),
       "tanh": (np.tanh, 3), "sigmoid": (_sigmoid, 3), "silu": (lambda v: v * _sigmoid(v), 4),
       "gelu_tanh": (lambda v: v / 2 * (1 + np.tanh(K_TANH * (v + L(0.044715) * v ** 3))), 4),
       "rsqrt": (lambda v: 1 / np.sqrt(v), 1.5), "sin": (np.sin, 1), "cos": (np.cos, 1),
       "erf": (_erf, 1.5), "gelu": (lambda v: v / 2 * (1 + _erf(v * L(0.7071067811865476))), 2)}
_SLOW_REF = ("erf", "gelu")
_REF_CACHE = {}     # op -> reference values of the dense inputs (the same for both ISAs)


# absolute error allowed on top: gelu_tanh is torch's formula, which cancels for x < 0;
# sigmoid/silu subnormal results are exp's subnormal times a factor (torch's are 0)
_SUBNORMAL = lambda v: (np.abs(v) + 16) * 2.0 ** -1074  # noqa: E731
ABS = {"gelu_tanh": lambda v: np.abs(v) * 2.0 ** -52, "gelu": lambda v: np.abs(v) * 2.0 ** -52,
       "sigmoid": _SUBNORMAL,
       "silu": _SUBNORMAL}


def ulp64(y, ref):
    """|y - ref| in float64 ulp at ref (ref in long double); equal values (and nan/inf) -> 0."""
    a = np.minimum(np.abs(ref), L(np.finfo(np.float64).max)).astype(np.float64)
    ulp = np.maximum(np.spacing(a), 2.0 ** -1074)
    ulp = np.where(a > 0, np.minimum(ulp, np.spacing(np.nextafter(a, 0))), ulp)
    with np.errstate(invalid="ignore"):
        err = np.abs(L(y) - ref) / L(np.maximum(ulp, 2.0 ** -1074))
    same = (y == ref.astype(np.float64)) | (np.isnan(y) & np.isnan(ref))
    return np.where(same, 0.0, err.astype(np.float64))


@pytest.fixture(scope="module")
def dense():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2 ** 63, 60_000, dtype=np.int64) * rng.choice([1, -1], 60_000)
    x = np.concatenate([bits.view(np.float64), np.linspace(-30, 30, 40_001),
                        np.linspace(-1, 1, 20_001), np.linspace(-750, 720, 20_001),
                        np.geomspace(1e-310, 1e5, 20_000) * rng.choice([-1, 1], 20_000)])
    return x[np.isfinite(x)]


def test_every_op_has_a_reference():
    assert set(REF) == set(OPS)


@pytest.mark.parametrize("op", OPS)
def test_f64_accuracy(ks, dense, op):
    x = dense                                         # mpmath references: every 8th input,
    if op in _SLOW_REF:                               # densely where erf's table rows meet 0
        x = np.concatenate([dense[::8], np.linspace(-0.1, 0.1, 2001)])
    (y,) = call(ks, "f64_" + op, x.size, x, np.zeros_like(x))
    ref_fn, bound = REF[op]
    if op not in _REF_CACHE:
        with np.errstate(all="ignore"):
            _REF_CACHE[op] = ref_fn(x.astype(L))
    ref = _REF_CACHE[op]
    assert np.array_equal(np.isnan(y), np.isnan(ref)), \
        f"{op}: NaN mismatch at x={x[np.isnan(y) != np.isnan(ref)][:5]}"
    big = np.abs(ref) > L(np.finfo(np.float64).max)
    assert np.all(y[big] == np.sign(ref[big]).astype(np.float64) * np.inf), op
    fin = ~big & ~np.isnan(ref)
    err = ulp64(y[fin], ref[fin])
    if op in ABS:
        err = np.where(np.abs(L(y[fin]) - ref[fin]) <= ABS[op](x[fin]), 0, err)
    worst = int(np.argmax(err))
    assert err[worst] <= bound, (f"{op} ({ks.isa}): {err[worst]:.2f} ulp > {bound} at "
                                 f"x={x[fin][worst]!r}: got {y[fin][worst]!r}")


SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5,
                     5e-324, -5e-324, 1e-310, -1e-310, 1e-20, -1e-20, 709.7, 709.8, -745.1,
                     -746.0, 37.0, 38.0, -38.0, 19.0, 20.0, -20.0, 1e300, -1e300, np.pi,
                     1647099.0, 1647100.0, 1e22, 1.7976931348623157e308], np.float64)


@pytest.mark.parametrize("op", OPS)
def test_f64_specials_like_torch(ks, op):
    """NaN, infinities, signed zeros, subnormals and overflow edges give what torch gives
    (bit for bit where torch's result is exact: nan, inf, zeros, +-1), else within the bound."""
    x = SPECIALS
    (y,) = call(ks, "f64_" + op, x.size, x, np.zeros_like(x))
    F = torch.nn.functional
    t = torch.from_numpy(x.copy())
    fn = {"silu": F.silu, "gelu_tanh": lambda v: F.gelu(v, approximate="tanh"),
          "gelu": F.gelu}.get(op)
    want = (fn or getattr(torch, op))(t).numpy()
    with np.errstate(all="ignore"):
        ref = REF[op][0](x.astype(L))
    # torch's exact results must match bit for bit, except where torch flushes a subnormal
    # result to zero: there the long-double reference decides
    exact = ~np.isfinite(want) | ((want == 0) & (ref == 0)) | (np.abs(want) == 1)
    same = (np.isnan(y) & np.isnan(want)) | ((y == want) & (np.signbit(y) == np.signbit(want)))
    assert same[exact].all(), f"{op}: x={x[exact & ~same]} got {y[exact & ~same]}"
    err = ulp64(y[~exact], ref[~exact])
    if op in ABS:
        err = np.where(np.abs(L(y[~exact]) - ref[~exact]) <= ABS[op](x[~exact]), 0, err)
    assert (err <= REF[op][1]).all(), f"{op}: x={x[~exact][err > REF[op][1]]}"


@pytest.mark.parametrize("n", SIZES)
def test_f64_tails(ks, n):
    """Every length: the tail element gets the vector path's result, nothing past n written."""
    rng = np.random.default_rng(n)
    x = rng.standard_normal(n) * 4
    out = np.full(n + 3, 7.25)
    (y,) = call(ks, "f64_tanh", n, x, out)
    (yb,) = call(ks, "f64_tanh", n + 1, np.append(x, 0.0), np.zeros(n + 1))
    assert np.array_equal(y[:n], yb[:n]) and np.all(y[n:] == 7.25)
