"""The f32_linear kernel (wasm_kernels/f32-gemm/f32_linear_4x8): y = act(x @ W^T + bias) with W
[n, k] read in place, against float64, for both ISA builds: both of its forms (dot products for
m < 4, packed and cache-blocked for larger m), every tile edge, k/n/m blocks, strided x,
padded leading dims, batches, the fused bias and activations, NaN/Inf.
(Speed is measured by benchmarks/bench_gemm_kernels.mjs, not here.)"""
import itertools

import numpy as np
import pytest
import torch

from conftest_kernels import EPS, backend, call, ks  # noqa: F401
from webtensor.backends.wasm import kernel_table

LIN = kernel_table.LINEAR_KERNEL
ACTS = kernel_table.LINEAR_ACTS
_ACT_REF = {None: lambda t: t, "relu": torch.relu, "gelu": torch.nn.functional.gelu,
            "gelu_tanh": lambda t: torch.nn.functional.gelu(t, approximate="tanh"),
            "silu": torch.nn.functional.silu}


def linear(ks, batch, m, n, k, x, x_bs, x_rs, x_cs, w, w_bs, ldw, bias, act, y_bs=0, ldy=None,
           y_fill=np.nan):
    ldy = n if ldy is None else ldy
    y0 = np.full(max(1, batch * y_bs if batch > 1 else m * ldy), y_fill, np.float32)
    b = np.zeros(1, np.float32) if bias is None else bias
    (y,) = call(ks, LIN, batch, m, n, k, _nz(x), x_bs, x_rs, x_cs, _nz(w), w_bs, ldw, _nz(b),
                0 if bias is None else 1, y0, y_bs, ldy, ACTS.index(act))
    return y


def _nz(a):
    return a if a.size else np.zeros(1, np.float32)


def reference(X, W, bias, act):
    """(act(X @ W^T + bias) in float64, error bound of the float32 kernel before act)"""
    y = X @ W.T
    mag = np.abs(X) @ np.abs(W).T
    if bias is not None:
        y = y + bias
        mag = mag + np.abs(bias)
    bound = (X.shape[-1] + 2) * EPS * mag
    return _ACT_REF[act](torch.from_numpy(y)).numpy(), bound


def check(got, X, W, bias, act, what):
    ref, bound = reference(X, W, bias, act)
    # activations: |act'| <= 1.13 (gelu), and the unary kernels' own error (<= 6 ulp)
    tol = 1.2 * bound + 8 * EPS * np.abs(ref) + 2 ** -140
    bad = ~(np.abs(got - ref) <= tol)
    assert not bad.any(), (what, np.argwhere(bad)[:3], got[bad][:3], ref[bad][:3])


def rand(rng, *shape):
    return rng.uniform(-1, 1, shape).astype(np.float32)


MS = (0, 1, 2, 3, 4, 5, 7, 9)        # both forms: dot products below 4 rows, packed from 4
DIMS = (0, 1, 3, 4, 5, 7, 8, 9, 17, 33)


@pytest.mark.parametrize("m", MS)
def test_linear_shapes(ks, m):
    rng = np.random.default_rng(m)
    for n, k in itertools.product(DIMS, (0, 1, 2, 3, 4, 5, 8, 13, 31)):
        x, w = rand(rng, m, k), rand(rng, n, k)
        y = linear(ks, 1, m, n, k, x, 0, k, 1, w, 0, k, None, None)
        got = y[:m * n].reshape(m, n)
        check(got, x.astype(np.float64), w.astype(np.float64), None, None, (m, n, k))
        if k == 0:
            assert np.all(got == 0), "k == 0 must write zeros"
        if m * n == 0:
            assert np.isnan(y[0]), "an empty output must write nothing"


@pytest.mark.parametrize("act", ACTS)
def test_linear_bias_and_activation(ks, act):
    """The fused epilogue on both forms, with k blocks (k > 256) and with k == 0 (bias only)."""
    rng = np.random.default_rng(7)
    for m, n, k in ((1, 37, 300), (2, 9, 5), (3, 70, 0), (6, 13, 257), (33, 70, 40),
                    (5, 4, 0)):
        x, w = 3 * rand(rng, m, k), rand(rng, n, k)
        bias = 2 * rand(rng, n)
        y = linear(ks, 1, m, n, k, x, 0, k, 1, w, 0, k, bias, act).reshape(m, n)
        check(y, x.astype(np.float64), w.astype(np.float64), bias.astype(np.float64), act,
              (m, n, k, act))


def test_linear_blocking(ks):
    """k > KC (accumulated k blocks), n > NC (several packed column blocks), m > MC (several
    row blocks), and a long dot product in the dot form."""
    rng = np.random.default_rng(1)
    for m, n, k in ((5, 300, 513), (130, 20, 260), (1, 260, 1000), (2, 19, 777),
                    (4, 8, 1000), (133, 261, 9)):
        x, w, bias = rand(rng, m, k), rand(rng, n, k), rand(rng, n)
        y = linear(ks, 1, m, n, k, x, 0, k, 1, w, 0, k, bias, "relu").reshape(m, n)
        check(y, x.astype(np.float64), w.astype(np.float64), bias.astype(np.float64), "relu",
              (m, n, k))


@pytest.mark.parametrize("layout", ["transposed", "strided"])
def test_linear_strided_x(ks, layout):
    """x with non-unit column stride: x^T @ W^T (packed 4-row strips) and a general stride."""
    rng = np.random.default_rng(2)
    for m, n, k in ((1, 9, 7), (2, 5, 3), (3, 17, 6), (4, 8, 5), (13, 11, 300), (7, 33, 1)):
        if layout == "transposed":
            buf = rand(rng, k, m)              # x[i, l] = buf[l, i]
            x_rs, x_cs, X = 1, m, buf.T
        else:
            buf = rand(rng, m, 2 * k + 1)      # every other column, rows padded
            x_rs, x_cs, X = 2 * k + 1, 2, buf[:, :2 * k:2]
        w = rand(rng, n, k)
        y = linear(ks, 1, m, n, k, buf.ravel(), 0, x_rs, x_cs, w, 0, k, None, None)
        check(y.reshape(m, n), X.astype(np.float64), w.astype(np.float64), None, None,
              (m, n, k, layout))


def test_linear_leading_dims_leave_padding_alone(ks):
    rng = np.random.default_rng(3)
    for m in (1, 2, 6):
        n, k, ldw, ldy = 11, 9, 13, 14
        x = rand(rng, m, k)
        wbuf = rand(rng, n, ldw)
        y = linear(ks, 1, m, n, k, x, 0, k, 1, wbuf.ravel(), 0, ldw, None, "silu", ldy=ldy,
                   y_fill=3.5).reshape(m, ldy)
        check(y[:, :n], x.astype(np.float64), wbuf[:, :k].astype(np.float64), None, "silu", m)
        assert np.all(y[:, n:] == 3.5), "wrote into y's row padding"


@pytest.mark.parametrize("x_bcast,w_bcast", [(False, False), (True, False), (False, True)])
def test_linear_batched(ks, x_bcast, w_bcast):
    rng = np.random.default_rng(4)
    for m in (1, 5):
        batch, n, k = 3, 10, 7
        x = rand(rng, 1 if x_bcast else batch, m, k)
        w = rand(rng, 1 if w_bcast else batch, n, k)
        bias = rand(rng, n)
        x_bs, w_bs = (0 if x_bcast else m * k), (0 if w_bcast else n * k)
        y = linear(ks, batch, m, n, k, x.ravel(), x_bs, k, 1, w.ravel(), w_bs, k, bias, "gelu",
                   y_bs=m * n).reshape(batch, m, n)
        for p in range(batch):
            check(y[p], x[0 if x_bcast else p].astype(np.float64),
                  w[0 if w_bcast else p].astype(np.float64), bias.astype(np.float64), "gelu",
                  (p, m))


@pytest.mark.parametrize("m", [1, 2, 6])
def test_linear_nan_inf_propagate(ks, m):
    rng = np.random.default_rng(5)
    n, k = 10, 9
    x, w, bias = rand(rng, m, k), rand(rng, n, k), rand(rng, n)
    x[0, 3], w[4, 2], w[7, 5], bias[9] = np.nan, np.inf, -np.inf, np.inf
    y = linear(ks, 1, m, n, k, x, 0, k, 1, w, 0, k, bias, None).reshape(m, n)
    with np.errstate(invalid="ignore"):
        ref = x.astype(np.float64) @ w.T.astype(np.float64) + bias
    assert np.all(np.isnan(y[0])), "a NaN in x poisons its whole row"
    if m > 1:
        with np.errstate(invalid="ignore"):
            same = (np.isnan(ref[1:]) & np.isnan(y[1:])) | (ref[1:] == y[1:]) | \
                (np.abs(ref[1:] - y[1:]) <= (k + 2) * EPS * 8)
        assert np.all(same), (y[1:], ref[1:])
