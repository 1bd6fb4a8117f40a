"""matmul / mm / bmm / @ / F.linear (+ fused bias and activation) on device "webgpu" (the
backend's matmul and linear primitives on wgsl/matmul.wgsl) against the CPU.

Tolerance: |gpu - cpu| <= 1e-4 + 1e-4 |cpu| (float32 sums in another order). The layout tests
also count the operand copies: a transposed weight (x @ W.T) is read in place, no copy.
"""
import math
import random

import pytest

import webtensor as torch
import webtensor.nn.functional as F

DEV = "webgpu"


def rand(shape, seed=0):
    r = random.Random(seed)
    return torch.tensor([r.uniform(-1.0, 1.0) for _ in range(math.prod(shape))]
                        ).reshape(shape)


def gpu(t):
    return t.to(DEV)


def close(got, want, rtol=1e-4, atol=1e-4):
    assert got.device == torch.device(DEV)
    assert tuple(got.shape) == tuple(want.shape), (got.shape, want.shape)
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    for i, (a, b) in enumerate(zip(g, w)):
        assert abs(a - b) <= atol + rtol * abs(b), (i, a, b)


def copies(fn):
    """(fn(), how many operands the matmul/linear primitives copied contiguous)."""
    from webtensor.backends.webgpu import matmul as M
    n, orig = [0], M._contig

    def counting(t):
        n[0] += 1
        return orig(t)
    M._contig = counting
    try:
        return fn(), n[0]
    finally:
        M._contig = orig


@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (3, 5, 7), (1, 64, 40), (1, 300, 17),
                                   (2, 3, 1), (129, 130, 17), (17, 33, 131), (8, 1, 9),
                                   (5, 513, 3), (140, 8, 260)])
def test_mm_shapes(m, k, n):
    a, b = rand((m, k), 1), rand((k, n), 2)
    close(torch.mm(gpu(a), gpu(b)), torch.mm(a, b))
    close(gpu(a) @ gpu(b), a @ b)


def test_vector_cases():
    a, b, v = rand((6, 40), 1), rand((40, 9), 2), rand((40,), 3)
    close(torch.matmul(gpu(v), gpu(b)), torch.matmul(v, b))          # 1-D @ 2-D (M == 1)
    close(torch.matmul(gpu(a), gpu(v)), torch.matmul(a, v))          # 2-D @ 1-D (N == 1)
    close(torch.matmul(gpu(v), gpu(v)), torch.matmul(v, v))          # dot
    close(torch.matmul(gpu(rand((3, 4, 40), 4)), gpu(v)), torch.matmul(rand((3, 4, 40), 4), v))


def test_k_zero():
    a, b = torch.zeros(3, 0), torch.zeros(0, 4)
    close(gpu(a) @ gpu(b), a @ b)


def test_bmm_and_broadcast():
    a, b = rand((4, 5, 33), 1), rand((4, 33, 6), 2)
    close(torch.bmm(gpu(a), gpu(b)), torch.bmm(a, b))
    a, b = rand((2, 1, 3, 5, 7), 3), rand((4, 1, 7, 6), 4)         # 3 batch dims: loop
    close(gpu(a) @ gpu(b), a @ b)
    a, b = rand((3, 1, 20), 5), rand((2, 1, 20, 9), 6)             # M == 1, broadcast
    close(gpu(a) @ gpu(b), a @ b)
    w = rand((7, 11), 7)
    x = rand((2, 3, 5, 7), 8)
    close(gpu(x) @ gpu(w), x @ w)                                   # weight shared (stride 0)


def test_transposed_views():
    w, x = rand((24, 40), 1), rand((9, 40), 2)
    wg, xg = gpu(w), gpu(x)
    got, n = copies(lambda: xg @ wg.T)                          # W.T read in place
    close(got, x @ w.T)
    assert n == 0
    got, n = copies(lambda: xg[:1] @ wg.T)                      # GEMV, transposed B
    close(got, x[:1] @ w.T)
    assert n == 0
    a = rand((40, 9), 3)                                            # A with k-stride != 1: copy
    got, n = copies(lambda: gpu(a).T @ wg.T)
    close(got, a.T @ w.T)
    assert n == 1
    b = rand((40, 30), 4)
    close(xg @ gpu(b)[:, ::2], x @ b[:, ::2])                       # B n-stride 2: copy
    bb = rand((3, 24, 40), 5)
    close(gpu(rand((3, 7, 40), 6)) @ gpu(bb).transpose(1, 2),
          rand((3, 7, 40), 6) @ bb.transpose(1, 2))                 # batched W.T in place
    s = rand((10, 50), 7)
    close(gpu(s)[2:8, 3:43] @ gpu(w)[:, :40].T[:40, 5:20],
          s[2:8, 3:43] @ w[:, :40].T[:40, 5:20])                   # offsets, row strides


def test_output_shares_input():
    """The primitive with out aliasing an input computes aside and copies in."""
    from webtensor._dispatch import dispatch
    a = rand((8, 8), 1)
    g = gpu(a)
    want = a @ a
    dispatch("matmul", g, g, g)
    close(g, want)
    x, w = rand((8, 8), 2), rand((8, 8), 3)
    gx = gpu(x)
    dispatch("linear", gx, gx, gpu(w), None, "relu")
    close(gx, F.linear_act(x, w, None, "relu"))


def test_strided_output():
    """A C without unit n-stride (a transposed out view) goes through a temporary."""
    from webtensor._dispatch import dispatch
    a, b = rand((5, 7), 1), rand((7, 6), 2)
    out = gpu(torch.zeros(6, 5)).T
    dispatch("matmul", out, gpu(a), gpu(b))
    close(out, a @ b)


@pytest.mark.parametrize("act", [None, "relu", "gelu", "gelu_tanh", "silu"])
@pytest.mark.parametrize("m", [1, 6, 130])
def test_linear_act(act, m):
    x, w, bias = rand((m, 72), 1), rand((33, 72), 2), rand((33,), 3)
    close(F.linear_act(gpu(x), gpu(w), gpu(bias), act), F.linear_act(x, w, bias, act))
    close(F.linear_act(gpu(x), gpu(w), None, act), F.linear_act(x, w, None, act))


def test_linear_layouts():
    x, w, bias = rand((2, 3, 48), 1), rand((20, 48), 2), rand((20,), 3)
    close(F.linear(gpu(x), gpu(w), gpu(bias)), F.linear(x, w, bias))      # 3-D input
    close(F.linear(gpu(x[0, 0]), gpu(w), gpu(bias)), F.linear(x[0, 0], w, bias))   # 1-D
    wt = rand((48, 20), 4)                                          # W = a transposed view
    got, n = copies(lambda: F.linear(gpu(x), gpu(wt).T, None))
    close(got, F.linear(x, wt.T))
    assert n == 0
    xs = rand((5, 96), 5)                                           # x k-stride 2: copied
    close(F.linear(gpu(xs)[:, ::2], gpu(w), gpu(bias)), F.linear(xs[:, ::2], w, bias))
    xt = rand((48, 5), 6)                                           # x.T: copied
    close(F.linear(gpu(xt).T, gpu(w)), F.linear(xt.T, w))
    wq = rand((20, 96), 7)                                          # W k-stride 2: copied
    close(F.linear(gpu(x), gpu(wq)[:, ::2]), F.linear(x, wq[:, ::2]))
    bb = rand((40,), 8)                                             # strided bias: copied
    close(F.linear(gpu(x), gpu(w), gpu(bb)[::2]), F.linear(x, w, bb[::2]))
    close(F.linear(gpu(torch.zeros(3, 0)), gpu(torch.zeros(4, 0)), gpu(bias[:4])),
          F.linear(torch.zeros(3, 0), torch.zeros(4, 0), bias[:4]))   # K == 0: bias


def test_nn_linear_module():
    torch.manual_seed(0)
    lin = torch.nn.Linear(40, 12)
    x = rand((7, 40), 1)
    want = lin(x)
    lin.to(DEV)
    close(lin(gpu(x)), want)


def test_matmul_big_k():
    a, b = rand((4, 2048), 1), rand((2048, 5), 2)
    close(gpu(a) @ gpu(b), a @ b)
    close(gpu(a[:1]) @ gpu(b), a[:1] @ b)


def test_many_batches_chunked(monkeypatch):
    """More batch workgroups than a dispatch dimension allows: nb0 is split into chunks."""
    from webtensor.backends.webgpu import matmul as M
    monkeypatch.setattr(M, "MAX_GROUPS", 6)
    a, b = rand((5, 3, 4, 6), 1), rand((5, 3, 6, 2), 2)
    close(gpu(a) @ gpu(b), a @ b)
    close(gpu(a[:, :, :1]) @ gpu(b), a[:, :, :1] @ b)
    a = rand((20, 3, 6), 3)
    close(gpu(a) @ gpu(b[0, 0]), a @ b[0, 0])
