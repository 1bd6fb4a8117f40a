"""Reductions, softmax, cumsum and the norms on device "webgpu" against the same ops on the CPU.

Tolerances: torch's float32 ones (rtol 1e-5, atol 1e-6); looser for sums of 1e5 elements and
cumsum (summation order differs); exact for argmax/argmin, amax/amin.
"""
import math
import random

import pytest

import webtensor as torch
import webtensor.nn.functional as F

DEV = "webgpu"


def rand(shape, seed=0, lo=-3.0, hi=3.0):
    r = random.Random(seed)
    n = math.prod(shape)
    return torch.tensor([r.uniform(lo, hi) for _ in range(n)], dtype=torch.float32).reshape(shape)


def close(got, want, rtol=1e-5, atol=1e-6, exact=False):
    assert got.device == torch.device(DEV)
    assert tuple(got.shape) == tuple(want.shape) and got.dtype is want.dtype
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    for a, b in zip(g, w):
        if isinstance(b, float) and math.isnan(b):
            assert math.isnan(a), (a, b)
        elif exact or not isinstance(b, float) or math.isinf(b):
            assert a == b, (a, b)
        else:
            assert abs(a - b) <= atol + rtol * abs(b), (a, b)


# (shape, dim, keepdim); dim None = all dims
CASES = [
    ((1,), 0, False), ((1,), None, False), ((7, 300), -1, False), ((7, 300), 0, True),
    ((7, 300), None, False), ((3, 5, 1000), (0, 2), False), ((3, 5, 1000), 1, True),
    ((3, 5, 1000), (1, 2), False), ((3, 5, 1000), -1, False), ((1000, 3), 0, False),
    ((4, 1, 6), 1, False), ((4, 1, 6), (0, 1), True), ((2, 3, 4, 5), (0, 3), True),
    ((5, 40), 1, False), ((5, 63), 1, False), ((5, 64), 1, False), ((2, 0, 3), 0, False),
    ((2, 0, 3), 1, True),
]
OPS = ["sum", "mean", "prod", "amax", "amin", "var", "logsumexp"]


def _run(op, x, dim, keepdim):
    if op == "logsumexp":
        return torch.logsumexp(x, tuple(range(x.dim())) if dim is None else dim, keepdim)
    if dim is None:
        return getattr(x, op)()
    return getattr(x, op)(dim, keepdim=keepdim)


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("shape,dim,keepdim", CASES)
def test_reduce_matches_cpu(op, shape, dim, keepdim):
    x = rand(shape, seed=len(shape), lo=0.5 if op == "prod" else -3.0,
             hi=1.5 if op == "prod" else 3.0)
    if op in ("amax", "amin") and x.numel() == 0:
        return
    want = _run(op, x, dim, keepdim)
    got = _run(op, x.to(DEV), dim, keepdim)
    close(got, want, rtol=1e-4 if op == "prod" else 1e-5, exact=op in ("amax", "amin"))


@pytest.mark.parametrize("op", ["sum", "mean", "amax", "argmax", "var", "logsumexp"])
def test_reduce_non_contiguous(op):
    x = rand((300, 7), seed=3)
    g = x.to(DEV)
    for view in (lambda t: t.t(), lambda t: t[::2, 1:], lambda t: t.t()[1:, ::3]):
        cv, gv = view(x), view(g)
        assert not gv.is_contiguous()
        for dim in (0, 1):
            want = getattr(cv, op)(dim) if op != "logsumexp" else torch.logsumexp(cv, dim)
            got = getattr(gv, op)(dim) if op != "logsumexp" else torch.logsumexp(gv, dim)
            close(got, want, exact=op in ("amax", "argmax"))


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@pytest.mark.parametrize("shape,dim,keepdim", [((1,), 0, False), ((7, 300), -1, False),
                                               ((7, 300), 0, True), ((7, 300), None, False),
                                               ((1000, 3), 0, False), ((3, 5, 1000), 1, True),
                                               ((5, 10), 1, False), ((2, 3, 4), None, True)])
def test_argreduce_matches_cpu(op, shape, dim, keepdim):
    x = rand(shape, seed=5)
    want = getattr(x, op)(dim, keepdim=keepdim)
    got = getattr(x.to(DEV), op)(dim, keepdim=keepdim)
    close(got, want, exact=True)
    assert got.dtype is torch.int64


def test_argmax_first_index_and_ties():
    # ties across the 256-thread tree and within one thread's stride
    for n in (10, 300, 1000):
        x = torch.zeros(3, n)
        x[0, 7] = 5.0
        x[0, n - 1] = 5.0
        x[1, n - 2] = -1.0
        x[2] = 2.0
        g = x.to(DEV)
        assert g.argmax(1).tolist() == x.argmax(1).tolist() == [7, 0, 0]
        assert g.argmin(1).tolist() == x.argmin(1).tolist()
        assert g.max(1).indices.tolist() == x.max(1).indices.tolist()
        close(g.max(1).values, x.max(1).values, exact=True)


@pytest.mark.parametrize("n", [5, 300, 1000])
def test_nan_wins(n):
    x = rand((4, n), seed=9)
    x[0, n // 2] = float("nan")
    x[1, 1] = float("nan")
    x[1, n - 1] = float("nan")
    x[2, 0] = float("inf")
    x[3, n - 1] = float("-inf")
    g = x.to(DEV)
    for op in ("amax", "amin", "argmax", "argmin", "sum", "mean", "logsumexp", "var"):
        want = getattr(x, op)(1) if op != "logsumexp" else torch.logsumexp(x, 1)
        got = getattr(g, op)(1) if op != "logsumexp" else torch.logsumexp(g, 1)
        close(got, want, exact=op in ("amax", "amin", "argmax", "argmin"))
    assert g.argmax(1).tolist()[:2] == [n // 2, 1]


def test_infinities():
    inf = float("inf")
    x = torch.tensor([[1.0, inf, 2.0], [-inf] * 3, [inf, -inf, 0.0]])
    g = x.to(DEV)
    for op in ("sum", "mean", "amax", "amin", "prod"):
        close(getattr(g, op)(1), getattr(x, op)(1), exact=True)
    close(torch.logsumexp(g, 1), torch.logsumexp(x, 1))
    close(g.softmax(1), x.softmax(1))
    close(g.log_softmax(1), x.log_softmax(1))


@pytest.mark.parametrize("correction", [0, 1, 2])
@pytest.mark.parametrize("shape,dim", [((7, 300), 1), ((1, 5), 0), ((3, 2), 1), ((1000, 3), 0)])
def test_var_std_correction(correction, shape, dim):
    x = rand(shape, seed=11)
    g = x.to(DEV)
    close(g.var(dim, correction=correction), x.var(dim, correction=correction))
    close(g.std(dim, correction=correction), x.std(dim, correction=correction))
    close(torch.var_mean(g, dim)[1], torch.var_mean(x, dim)[1])


def test_sum_1e5_elements():
    x = rand((100000,), seed=2, lo=0.0, hi=1.0)
    g = x.to(DEV)
    close(g.sum(), x.sum(), rtol=1e-4)
    close(g.mean(), x.mean(), rtol=1e-4)
    y = rand((4, 25000), seed=4)
    close(y.to(DEV).sum(1), y.sum(1), rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,dim", [((1,), 0), ((7, 300), -1), ((7, 300), 0), ((1000, 3), 0),
                                       ((3, 5, 10), 1), ((2, 3, 70), -1), ((4, 0), 1),
                                       ((4, 0), 0), ((), 0)])
def test_softmax_matches_cpu(fn, shape, dim):
    x = rand(shape, seed=13, lo=-10.0, hi=10.0)
    close(getattr(x.to(DEV), fn)(dim), getattr(x, fn)(dim))
    close(getattr(F, fn)(x.to(DEV), dim=dim), getattr(F, fn)(x, dim=dim))


def test_softmax_non_contiguous_and_masked():
    x = rand((300, 7), seed=17)
    close(x.to(DEV).t().softmax(-1), x.t().softmax(-1))
    close(x.to(DEV).t().log_softmax(0), x.t().log_softmax(0))
    m = rand((4, 100), seed=19)
    m[:, 50:] = float("-inf")
    m[3] = float("-inf")                    # a fully masked row: NaN like torch
    close(m.to(DEV).softmax(-1), m.softmax(-1))


@pytest.mark.parametrize("shape,dim", [((1,), 0), ((7, 300), -1), ((7, 300), 0), ((1000, 3), 0),
                                       ((3, 5, 10), 1), ((2, 0), 1), ((), 0)])
def test_cumsum_matches_cpu(shape, dim):
    x = rand(shape, seed=23)
    close(x.to(DEV).cumsum(dim), x.cumsum(dim), rtol=1e-4, atol=1e-5)
    close(torch.cumsum(x.to(DEV).t() if x.dim() == 2 else x.to(DEV), 0),
          torch.cumsum(x.t() if x.dim() == 2 else x, 0), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape,norm", [((7, 300), (300,)), ((2, 3, 16), (16,)),
                                        ((4, 6, 5), (6, 5)),
                                        ((3, 1), (1,)), ((1000, 3), (3,)), ((0, 8), (8,))])
@pytest.mark.parametrize("affine", [False, True])
def test_layer_norm_rms_norm(shape, norm, affine):
    x = rand(shape, seed=29)
    w = rand(norm, seed=31) if affine else None
    b = rand(norm, seed=37) if affine else None
    gw = w.to(DEV) if affine else None
    gb = b.to(DEV) if affine else None
    close(F.layer_norm(x.to(DEV), norm, gw, gb, 1e-5), F.layer_norm(x, norm, w, b, 1e-5),
          rtol=1e-4, atol=1e-5)
    close(F.rms_norm(x.to(DEV), norm, gw, 1e-6), F.rms_norm(x, norm, w, 1e-6),
          rtol=1e-4, atol=1e-5)
    if len(shape) == 2 and shape[0] > 1:        # non-contiguous input and weight views
        xt = rand(shape[::-1], seed=41)
        close(F.layer_norm(xt.to(DEV).t(), norm, gw, gb), F.layer_norm(xt.t(), norm, w, b),
              rtol=1e-4, atol=1e-5)


def test_transformer_block_usage():
    torch.manual_seed(0)
    d, h = 32, 4
    ln = torch.nn.LayerNorm(d)
    x = rand((2, 10, d), seed=43)
    q = rand((2, h, 10, 10), seed=47)
    ln_g = torch.nn.LayerNorm(d).to(DEV)
    ln_g.load_state_dict(ln.state_dict())
    g = x.to(DEV)
    close(ln_g(g), ln(x), rtol=1e-4, atol=1e-5)
    close(F.layer_norm(g, (d,)), F.layer_norm(x, (d,)), rtol=1e-4, atol=1e-5)
    close(F.rms_norm(g, (d,), eps=1e-6), F.rms_norm(x, (d,), eps=1e-6), rtol=1e-4, atol=1e-5)
    close(q.to(DEV).softmax(-1), q.softmax(-1))
    close(g.mean(-1, keepdim=True), x.mean(-1, keepdim=True))
    close((g - g.mean(-1, keepdim=True)).pow(2).mean(-1, keepdim=True),
          (x - x.mean(-1, keepdim=True)).pow(2).mean(-1, keepdim=True))
    close(g.argmax(-1), x.argmax(-1), exact=True)
    close(g[:, -1, :].argmax(-1), x[:, -1, :].argmax(-1), exact=True)


def test_many_rows_2d_grid():
    x = rand((70000, 64), seed=53)
    g = x.to(DEV)
    close(g.sum(1), x.sum(1), atol=1e-5)        # 70000 workgroups: a 2-D dispatch grid
    close(g.softmax(1)[::997], x.softmax(1)[::997])
    close(g.argmax(1), x.argmax(1), exact=True)


def test_unsupported_raises_naming_primitive():
    xi = torch.arange(6).reshape(2, 3).to(DEV)
    with pytest.raises(NotImplementedError, match="reduce"):
        xi.sum(1).tolist()
    with pytest.raises(NotImplementedError, match="'cumsum'.*float64"):   # no f64 in WGSL
        torch.ones(2, 3, dtype=torch.float64).to(DEV).cumsum(1).tolist()


@pytest.mark.parametrize("op", ["all", "any"])
@pytest.mark.parametrize("shape,dim,keepdim", [((1,), 0, False), ((7, 300), -1, False),
                                               ((7, 300), 0, True), ((7, 300), None, False),
                                               ((1000, 3), 0, False), ((3, 5, 1000), (0, 2), False),
                                               ((5, 9), 1, False), ((2, 0, 3), 1, False),
                                               ((2, 0, 3), 0, False)])
def test_all_any_bool(op, shape, dim, keepdim):
    r = random.Random(61)
    n = math.prod(shape)
    for p in (0.002, 0.5, 0.998):
        x = torch.tensor([r.random() < p for _ in range(n)], dtype=torch.bool).reshape(shape)
        g = x.to(DEV)
        if dim is None:
            close(getattr(g, op)(), getattr(x, op)(), exact=True)
        else:
            close(getattr(g, op)(dim, keepdim=keepdim), getattr(x, op)(dim, keepdim=keepdim),
                  exact=True)
    if len(shape) == 2 and shape[0] > 1:
        close(getattr(g.t(), op)(0), getattr(x.t(), op)(0), exact=True)
