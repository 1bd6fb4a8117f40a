"""Binary f32 kernels (wasm_kernels/f32-vbinary) in their 2-D broadcast form
y[i, j] = a[i*a_rs + j*a_cs] op b[i*b_rs + j*b_cs], against numpy (exact IEEE results)."""
import itertools

import numpy as np
import pytest
import torch
from numpy.lib.stride_tricks import as_strided

from conftest_kernels import call, backend, ks, same_bits_or_nan, storage_of  # noqa: F401
from webtensor.backends.wasm import kernel_table
from webtensor.backends.wasm.loader import Region


def _maximum(a, b):
    # torch: NaN from either side; a when a == b (maximum(-0, +0) = -0)
    r = np.where(a < b, b, a)
    return np.where(np.isnan(b), b, r)


def _minimum(a, b):
    r = np.where(b < a, b, a)
    return np.where(np.isnan(b), b, r)


REF = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
       "maximum": _maximum, "minimum": _minimum,
       "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
       "gt": np.greater, "ge": np.greater_equal}
ARITH = kernel_table.ARITH_OPS
COMPARE = kernel_table.COMPARE_OPS


def test_every_binary_op_has_a_reference():
    assert set(REF) == set(ARITH) | set(COMPARE)


def _values(rng, size):
    v = (rng.standard_normal(size) * 10).astype(np.float32)
    # sprinkle specials and exact ties so comparisons/max/min see them
    sp = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, 1e-45, 3e38], np.float32)
    idx = rng.integers(0, size, max(1, size // 5)) if size else []
    v[idx] = rng.choice(sp, len(idx))
    return v


def _operand(rng, m, n, form):
    """(buffer, rs, cs) for a [m, n] operand in one broadcast form."""
    if form == "full":
        return _values(rng, m * n), n, 1
    if form == "row":        # one row shared by all rows
        return _values(rng, n), 0, 1
    if form == "col":        # one value per row
        return _values(rng, m), 1, 0
    if form == "scalar":
        return _values(rng, 1), 0, 0
    if form == "transposed":  # column-major storage: generic stride path
        return _values(rng, m * n), 1, m
    if form == "gapped":      # rows with padding, and every other column
        return _values(rng, m * (2 * n + 3)), 2 * n + 3, 2
    raise ValueError(form)


def _view(buf, m, n, rs, cs):
    if m == 0 or n == 0:
        return np.zeros((m, n), np.float32)
    return as_strided(buf, (m, n), (rs * 4, cs * 4))


def _run(ks, op, m, n, a, ars, acs, b, brs, bcs):
    out_dtype = np.uint8 if op in COMPARE else np.float32
    y0 = np.full(m * n + 5, 0xEE if op in COMPARE else 7.5, out_dtype)
    (y,) = call(ks, "f32_" + op, m, n, a, ars, acs, b, brs, bcs, y0)
    assert np.all(y[m * n:] == y0[m * n:]), "wrote past m*n"
    return y[:m * n].reshape(m, n)


FORMS = ("full", "row", "col", "scalar", "transposed", "gapped")
SHAPES = ((1, 1), (1, 7), (1, 1031), (3, 5), (4, 4), (5, 17), (17, 3), (2, 64), (0, 5), (5, 0))


@pytest.mark.parametrize("op", ARITH + COMPARE)
def test_binary_broadcast_forms(ks, op):
    rng = np.random.default_rng(1)
    for (m, n), fa, fb in itertools.product(SHAPES, FORMS, FORMS):
        a, ars, acs = _operand(rng, m, n, fa)
        b, brs, bcs = _operand(rng, m, n, fb)
        y = _run(ks, op, m, n, a, ars, acs, b, brs, bcs)
        with np.errstate(all="ignore"):
            want = REF[op](_view(a, m, n, ars, acs), _view(b, m, n, brs, bcs))
        if op in COMPARE:
            ok = y == want.astype(np.uint8)
        else:
            ok = same_bits_or_nan(y, want)
        assert ok.all(), f"{op} {ks.isa} m={m} n={n} a:{fa} b:{fb}"


def test_maximum_minimum_nan_and_signed_zero_like_torch(ks):
    a = np.array([np.nan, 1.0, -0.0, 0.0, np.inf, -np.inf, 2.0, np.nan], np.float32)
    b = np.array([1.0, np.nan, 0.0, -0.0, 1.0, -1.0, 2.0, np.nan], np.float32)
    for op in ("maximum", "minimum"):
        y = _run(ks, op, 1, a.size, a, 0, 1, b, 0, 1)[0]
        want = getattr(torch, op)(torch.from_numpy(a), torch.from_numpy(b)).numpy()
        assert same_bits_or_nan(y, want).all(), (op, y, want)


def test_binary_in_place(ks):
    """y aliasing a (a += b with b broadcast along rows)."""
    m, n = 6, 13
    a = np.arange(m * n, dtype=np.float32)
    b = np.linspace(-1, 1, n, dtype=np.float32)
    st = storage_of(a)
    bs = storage_of(b)
    ks.f32_add(m, n, Region(st, 0, a.nbytes, False), n, 1, Region(bs, 0, b.nbytes, False), 0, 1,
               Region(st, 0, a.nbytes, True))
    got = np.frombuffer(bytes(st.view()), np.float32).reshape(m, n)
    assert np.array_equal(got, a.reshape(m, n) + b)


FLAT_SIZES = (0, 1, 3, 4, 5, 8, 17, 1031)


@pytest.mark.parametrize("twin", ("flat", "flatc"))
@pytest.mark.parametrize("op", ARITH + COMPARE)
def test_flat_twin_matches_numpy(ks, op, twin):
    """f32_<op>_flat(n, a, b, y): the same-shape contiguous case in 4 arguments;
    f32_<op>_flatc: the same with b one value broadcast."""
    rng = np.random.default_rng(2)
    out_dtype = np.uint8 if op in COMPARE else np.float32
    for n in FLAT_SIZES:
        a, b = _values(rng, n), _values(rng, n if twin == "flat" else 1)
        if twin == "flatc" and n:
            b[0] = a[n // 2]                 # an exact tie for the comparisons
        y0 = np.full(n + 5, 0xEE if op in COMPARE else 7.5, out_dtype)
        (y,) = call(ks, f"f32_{op}_{twin}", n, a, b, y0)
        assert np.all(y[n:] == y0[n:]), "wrote past n"
        with np.errstate(all="ignore"):
            want = REF[op](a, b)
        ok = y[:n] == want.astype(np.uint8) if op in COMPARE else same_bits_or_nan(y[:n], want)
        assert ok.all(), f"{op}_{twin} {ks.isa} n={n}"


def test_flat_twin_in_place(ks):
    """y aliasing a (x.add_(y) on same-shape tensors)."""
    a = np.arange(37, dtype=np.float32)
    b = np.linspace(-1, 1, 37, dtype=np.float32)
    st, bs = storage_of(a), storage_of(b)
    ks.f32_mul_flat(37, Region(st, 0, a.nbytes, False), Region(bs, 0, b.nbytes, False),
                    Region(st, 0, a.nbytes, True))
    got = np.frombuffer(bytes(st.view()), np.float32)
    assert np.array_equal(got, a * b)
