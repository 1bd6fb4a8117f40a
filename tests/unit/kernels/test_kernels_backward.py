"""wasm_kernels/f32-backward for both ISA builds against torch's float32 backward formulas
(torch.ops.aten's *_backward): act_backward (relu, gelu, gelu tanh, silu), softmax_backward,
norm_backward (layer_norm / rms_norm), the fused cross_entropy (loss and gradient),
sdpa_backward (causal, additive mask, grouped-query heads)."""
import numpy as np
import pytest
import torch

from conftest_kernels import backend, call, ks  # noqa: F401

f32 = np.float32


def _rand(rng, *shape, scale=3.0):
    return (rng.standard_normal(shape) * scale).astype(f32)


@pytest.mark.parametrize("n", [1, 7, 64, 1001])
@pytest.mark.parametrize("op", ["relu", "gelu", "gelu_tanh", "silu"])
def test_act_backward(ks, n, op):
    rng = np.random.default_rng(n)
    g, x = _rand(rng, n, scale=1.0), _rand(rng, n)
    x[:3] = [0.0, -0.0, 40.0][:min(3, n)]
    tg, tx = torch.from_numpy(g), torch.from_numpy(x)
    A = torch.ops.aten
    want = {"relu": lambda: A.threshold_backward(tg, tx, 0.0),
            "gelu": lambda: A.gelu_backward(tg, tx),
            "gelu_tanh": lambda: A.gelu_backward(tg, tx, approximate="tanh"),
            "silu": lambda: A.silu_backward(tg, tx)}[op]().numpy()
    code = ("relu", "gelu", "gelu_tanh", "silu").index(op)
    got, = call(ks, "f32_act_backward", n, code, g, x, np.zeros(n, f32))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape,dim", [((3, 17), 1), ((2, 5, 6), 1), ((4, 3), 0)])
@pytest.mark.parametrize("log", [False, True])
def test_softmax_backward(ks, shape, dim, log):
    rng = np.random.default_rng(len(shape))
    x, g = torch.from_numpy(_rand(rng, *shape)), torch.from_numpy(_rand(rng, *shape))
    y = x.log_softmax(dim) if log else x.softmax(dim)
    fn = torch.ops.aten._log_softmax_backward_data if log else \
        torch.ops.aten._softmax_backward_data
    want = fn(g, y, dim, torch.float32).numpy()
    outer, inner = int(np.prod(shape[:dim])), int(np.prod(shape[dim + 1:]))
    got, = call(ks, "f32_softmax_backward", outer, shape[dim], inner, int(log), g.numpy(),
                y.numpy(), np.zeros(shape, f32))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("rows,n", [(1, 5), (6, 33)])
@pytest.mark.parametrize("rms,affine", [(False, True), (False, False), (True, True)])
def test_norm_backward(ks, rows, n, rms, affine):
    rng = np.random.default_rng(n)
    x = torch.from_numpy(_rand(rng, rows, n) + f32(1.5)).requires_grad_()
    w = torch.from_numpy(_rand(rng, n)).requires_grad_() if affine else None
    b = torch.from_numpy(_rand(rng, n)).requires_grad_() if affine and not rms else None
    g = _rand(rng, rows, n, scale=1.0)
    y = torch.nn.functional.rms_norm(x, (n,), w, 1e-5) if rms else \
        torch.nn.functional.layer_norm(x, (n,), w, b, 1e-5)
    y.backward(torch.from_numpy(g))
    flags = (1 | 2 if affine else 0) | (4 if b is not None else 0) | (8 if rms else 0)
    dx, dw, db = call(ks, "f32_norm_backward", rows, n, flags, 1e-5, g, x.detach().numpy(),
                      w.detach().numpy() if affine else np.zeros(n, f32),
                      np.zeros((rows, n), f32), np.zeros(n, f32), np.zeros(n, f32))
    np.testing.assert_allclose(dx, x.grad.numpy(), rtol=1e-4, atol=1e-5)
    if affine:
        np.testing.assert_allclose(dw, w.grad.numpy(), rtol=1e-4, atol=1e-5)
    if b is not None:
        np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("c", [3, 10, 65])
def test_cross_entropy(ks, reduction, smoothing, c):
    rng = np.random.default_rng(c)
    rows = 9
    x = torch.from_numpy(_rand(rng, rows, c)).requires_grad_()
    t = torch.from_numpy(rng.integers(0, c, rows))
    t[4] = -7                                  # ignore_index
    loss = torch.nn.functional.cross_entropy(x, t, ignore_index=-7, reduction=reduction,
                                             label_smoothing=smoothing)
    loss.backward(torch.ones_like(loss))
    code = ("none", "sum", "mean").index(reduction)
    got_loss, got_dx, status = call(ks, "f32_cross_entropy", rows, c, code | 4, smoothing, -7,
                                    t.numpy(), x.detach().numpy(),
                                    np.zeros(rows if reduction == "none" else 1, f32),
                                    np.zeros((rows, c), f32), np.full(1, 9, np.int32))
    assert status[0] == 0
    np.testing.assert_allclose(got_loss.reshape(loss.shape), loss.detach().numpy(), rtol=1e-5,
                               atol=1e-5)
    np.testing.assert_allclose(got_dx, x.grad.numpy(), rtol=1e-5, atol=1e-6)
    t[6] = c                                   # out of range: status names the row
    *_, status = call(ks, "f32_cross_entropy", rows, c, code, smoothing, -7, t.numpy(),
                      x.detach().numpy(), np.zeros(rows, f32), np.zeros(1, f32),
                      np.zeros(1, np.int32))
    assert status[0] == 7


@pytest.mark.parametrize("causal,masked,kheads", [(True, False, 4), (False, True, 2),
                                                  (True, True, 1)])
def test_sdpa_backward(ks, causal, masked, kheads):
    rng = np.random.default_rng(kheads)
    B, H, L, S, E, Ev = 2, 4, 5, 7, 9, 6
    q, k, v = _rand(rng, B, H, L, E, scale=1), _rand(rng, B, kheads, S, E, scale=1), \
        _rand(rng, B, kheads, S, Ev, scale=1)
    mask, g = _rand(rng, B, H, L, S, scale=1), _rand(rng, B, H, L, Ev, scale=1)
    mask[0, 1, 2] = -np.inf                      # a fully masked row: no gradient from it
    tq, tk, tv = (torch.from_numpy(t).requires_grad_() for t in (q, k, v))
    rep = H // kheads
    keep = torch.ones(L, S, dtype=torch.bool).tril() if causal else torch.ones(L, S,
                                                                             dtype=torch.bool)
    s = tq @ tk.repeat_interleave(rep, 1).transpose(-2, -1) * 0.3
    s = s + torch.from_numpy(mask) if masked else s
    s = s.masked_fill(~keep, -torch.inf)
    dead = (s == -torch.inf).all(-1, keepdim=True)        # webtensor: zeros, no gradient
    p = torch.where(dead, 0.0, s.masked_fill(dead, 0.0).softmax(-1))
    (p @ tv.repeat_interleave(rep, 1)).backward(torch.from_numpy(g))
    dq, dk, dv, _ = call(ks, "f32_sdpa_backward", B, H, kheads, kheads, L, S, E, Ev,
                         (1 if causal else 0) | (2 if masked else 0), 0.3, q, k, v, g, mask,
                         H * L * S, L * S, S, np.zeros_like(q), np.zeros_like(k),
                         np.zeros_like(v), np.zeros(2 * S, f32))
    for got, t in ((dq, tq), (dk, tk), (dv, tv)):
        np.testing.assert_allclose(got, t.grad.numpy(), rtol=1e-4, atol=1e-5)
