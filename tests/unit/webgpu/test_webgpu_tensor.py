"""Tensors on device "webgpu" (wgpu + lavapipe) against the same ops on the CPU.

Tolerances: exact for data movement, conversions, comparisons, neg/abs/floor/ceil/round/sign/
relu/add/sub/mul/maximum/minimum/where; rtol 1e-5 (atol 1e-6) for the transcendental and
division-based ops (exp, log, tanh, erf, gelu, pow, div, ...: GPU math is not correctly rounded).
"""
import asyncio
import concurrent.futures
import math
import random

import pytest

import webtensor as torch
from webtensor.backends.webgpu import kernels

EXACT = {"neg", "abs", "floor", "ceil", "round", "sign", "relu", "add", "sub", "mul",
         "maximum", "minimum"}
DEV = "webgpu"


def rand(shape, seed=0, lo=-3.0, hi=3.0):
    r = random.Random(seed)
    n = math.prod(shape)
    return torch.tensor([r.uniform(lo, hi) for _ in range(n)]).reshape(shape)


def close(got, want, exact):
    assert got.device == torch.device(DEV)
    assert got.shape == want.shape and got.dtype is want.dtype
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    for a, b in zip(g, w):
        if isinstance(b, float) and math.isnan(b):
            assert math.isnan(a), (a, b)
        elif exact or not isinstance(b, float) or math.isinf(b):
            assert a == b, (g, w)
        else:
            assert abs(a - b) <= 1e-6 + 1e-5 * abs(b), (a, b)


# ---- data movement ----------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16", "int64", "int32",
                                   "int16", "int8", "uint8", "bool"])
def test_to_and_back_keeps_bytes(dtype):
    x = torch.tensor([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [1, 0, 1, 0, 1]]).to(getattr(torch, dtype))
    for view in (x, x.t(), x[:, 1::2], x[1:]):
        g = view.to(DEV)
        assert g.device == torch.device(DEV) and g.dtype is view.dtype
        assert g.tolist() == view.tolist() and g.cpu().tolist() == view.tolist()
        assert g.t().contiguous().tolist() == view.t().tolist()        # strided gather on GPU
        assert g.clone().tolist() == view.tolist()


def test_creation_repr_item_tolist():
    o = torch.ones(3, device=DEV)
    assert o.device.type == DEV and o.tolist() == [1.0, 1.0, 1.0]
    assert "device='webgpu'" in repr(o) and "device='webgpu'" in str(o * 2)
    assert torch.zeros(2, 3, device=DEV).tolist() == [[0.0] * 3] * 2
    assert torch.full((2,), 7, device=DEV).tolist() == [7, 7]
    assert torch.full((3,), True, device=DEV).tolist() == [True] * 3
    assert torch.arange(5, device=DEV).tolist() == [0, 1, 2, 3, 4]
    assert torch.tensor(2.5, device=DEV).item() == 2.5
    assert torch.tensor([[1, 2]], dtype=torch.int64, device=DEV).tolist() == [[1, 2]]
    assert torch.empty(0, device=DEV).tolist() == []
    assert torch.zeros(0, 3, device=DEV).exp().shape == (0, 3)


def test_reused_buffers_are_zeroed():
    for _ in range(3):
        a = torch.full((100,), 5.0, device=DEV)
        del a
        z = torch.zeros(100, device=DEV)
        assert z.tolist() == [0.0] * 100


def run(coro):
    """asyncio.run in a thread of its own: the browser tier's Playwright (sync API) may leave
    an event loop running in this thread earlier in the session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_async_readback():
    g = torch.arange(6.).reshape(2, 3).to(DEV)
    c = run(g.t().cpu_async())
    assert c.device.type == "cpu" and c.tolist() == [[0., 3.], [1., 4.], [2., 5.]]
    assert run((g + 1).tolist_async()) == [[1., 2., 3.], [4., 5., 6.]]
    x = torch.ones(2)
    assert run(x.cpu_async()) is x
    assert run(x.tolist_async()) == [1.0, 1.0]


@pytest.mark.parametrize("src", ["float32", "int64", "int32", "bool", "uint8", "int8",
                                 "float16", "bfloat16"])
@pytest.mark.parametrize("dst", ["float32", "int64", "int32", "bool", "float16", "bfloat16"])
def test_dtype_conversion(src, dst):
    x = torch.tensor([-3.75, -1.0, 0.0, 0.5, 2.0, 7.25, 100.0, -100.0, 3e9, -3e9])
    if src in ("uint8", "int8", "bool", "float16", "bfloat16", "int32") or dst == "int32":
        x = x[:8]           # float -> int out of range is undefined (torch: platform-defined)
    if src == "uint8":
        x = x.abs()
    if src == "int8":
        x = x.clamp(-100, 100)
    x = x.to(getattr(torch, src))
    want = x.to(getattr(torch, dst))
    close(x.to(DEV).to(getattr(torch, dst)), want, exact=True)
    close(x.to(DEV)[::2].to(getattr(torch, dst)), want[::2], exact=True)


# ---- elementwise ------------------------------------------------------------------------------
UNARY = ["exp", "log", "sqrt", "rsqrt", "sin", "cos", "tanh", "sigmoid", "relu", "gelu",
         "gelu_tanh", "silu", "erf", "neg", "abs", "floor", "ceil", "round", "sign",
         "reciprocal", "log1p", "expm1"]
SHAPES = [(7,), (3, 5), (2, 3, 4), (0,), (1, 1, 130)]


def _unary(op, x):
    if op == "gelu_tanh":
        return torch.nn.functional.gelu(x, approximate="tanh")
    if op == "gelu":
        return torch.nn.functional.gelu(x)
    return getattr(torch, op)(x)


def test_the_grid_covers_the_kernel_table():
    assert set(UNARY) == set(kernels.UNARY_F32)


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_unary_vs_cpu(op, shape):
    lo = 0.0 if op in ("log", "sqrt", "rsqrt") else -0.99 if op == "log1p" else -4.0
    x = rand(shape, seed=len(op), lo=lo, hi=4.0)
    close(_unary(op, x.to(DEV)), _unary(op, x), op in EXACT)
    if x.dim() >= 2:        # a non-contiguous view
        v = x.transpose(0, 1)
        close(_unary(op, x.to(DEV).transpose(0, 1)), _unary(op, v), op in EXACT)


@pytest.mark.parametrize("op", UNARY)
def test_unary_special_values(op):
    x = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-30, -1e-30,
                      1e-8, 88.0, -88.0, 0.5, -0.5, 2.5, -2.5])
    got, want = _unary(op, x.to(DEV)), _unary(op, x)
    close(got, want, op in EXACT)


BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "pow", "atan2", "remainder",
          "eq", "ne", "lt", "le", "gt", "ge"]
PAIRS = [((5,), (5,)), ((3, 1), (1, 4)), ((2, 3, 4), (4,)), ((0, 3), (1, 3)), ((4,), ()),
         ((2, 1, 3, 1, 2, 1, 2), (1, 3, 1, 2, 1, 2))]


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("shapes", PAIRS, ids=str)
def test_binary_vs_cpu(op, shapes):
    a, b = rand(shapes[0], 1), rand(shapes[1], 2)
    if op == "pow":
        a = a.abs() + 0.1
    f = getattr(torch, op)
    exact = op in EXACT or op in ("eq", "ne", "lt", "le", "gt", "ge")
    close(f(a.to(DEV), b.to(DEV)), f(a, b), exact)


def test_binary_views_scalars_and_0dim_cpu_tensors():
    a = rand((4, 6), 3)
    g = a.to(DEV)
    close(g[:, ::2] * g.t()[::2].t()[:, :3], a[:, ::2] * a.t()[::2].t()[:, :3], True)
    close(g + 2.0, a + 2.0, True)
    close(2.0 - g, 2.0 - a, True)
    close(g / 3, a / 3, False)
    close(g > 0.5, a > 0.5, True)
    close(g ** 2, a ** 2, False)
    close(g * torch.tensor(1.5), a * torch.tensor(1.5), True)     # 0-dim CPU tensor mixes
    close(torch.div(g, 0.7, rounding_mode="floor"), torch.div(a, 0.7, rounding_mode="floor"), True)
    close(torch.div(g, 0.7, rounding_mode="trunc"), torch.div(a, 0.7, rounding_mode="trunc"), True)
    p = torch.tensor([-2.0, -2.0, -8.0, 0.0, 0.0, 2.0])
    e = torch.tensor([2.0, 3.0, 1 / 3, -1.0, 2.0, 0.5])
    close(torch.pow(p.to(DEV), e.to(DEV)), torch.pow(p, e), False)


def test_where_inplace_and_setitem():
    a, b = rand((3, 4), 4), rand((4,), 5)
    g, h = a.to(DEV), b.to(DEV)
    close(torch.where(g > 0, g, h), torch.where(a > 0, a, b), True)
    close(torch.where(g > 0, g, 0.0), torch.where(a > 0, a, 0.0), True)
    g.add_(1)
    a.add_(1)
    close(g, a, True)
    g.mul_(g)             # output aliases both inputs
    a.mul_(a)
    close(g, a, True)
    g[:, 1] = 5.0         # fill into a strided view
    a[:, 1] = 5.0
    close(g, a, True)
    g[1] = h              # copy into a view (strided scatter)
    a[1] = b
    close(g, a, True)
    g.t()[2:] = torch.zeros(2, 3, device=DEV)
    a.t()[2:] = torch.zeros(2, 3)
    close(g, a, True)


def test_device_mismatch_and_uncovered_primitives():
    g, c = torch.ones(3, device=DEV), torch.ones(3)
    with pytest.raises(RuntimeError, match="same device"):
        g + c
    with pytest.raises(NotImplementedError, match="'reduce'.*'sum'"):
        g.to(torch.int64).sum()         # float32 sums have a kernel, int64 ones not
    with pytest.raises(NotImplementedError, match="'binary'.*'add'.*int16"):
        torch.arange(3, device=DEV, dtype=torch.int16) + 1
    assert (c + 1).tolist() == [2.0, 2.0, 2.0]          # the CPU path is untouched


def test_module_to_webgpu():
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(rand((8,), 6))
            self.b = nn.Parameter(rand((8,), 7))
            self.act = nn.GELU()
            self.gate = nn.SiLU()

        def forward(self, x):
            h = self.act(x * self.w + self.b)
            return torch.tanh(self.gate(h) - x.sigmoid() * 0.5).relu()

    net = Net()
    x = rand((5, 8), 8)
    want = net(x)
    net.to(DEV)
    assert all(p.device.type == DEV for p in net.parameters())
    close(net(x.to(DEV)), want, False)


INT_OPS = ["add", "sub", "mul", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"]


@pytest.mark.parametrize("dtype", ["int32", "int64"])
@pytest.mark.parametrize("op", INT_OPS)
def test_integer_binary_vs_cpu(dtype, op):
    r = random.Random(len(op))
    big = 2 ** 40 if dtype == "int64" else 2 ** 20
    vals = [r.randint(-big, big) for _ in range(24)] + [0, -1, 1, 2 ** 31 - 1, -2 ** 31]
    b_vals = [r.randint(-big, big) for _ in range(24)] + [0, 1, -1, 1, -1]
    if op == "mul":
        vals = [v // 2 ** 12 for v in vals]
    a = torch.tensor(vals, dtype=getattr(torch, dtype))
    b = torch.tensor(b_vals, dtype=getattr(torch, dtype))
    f = getattr(torch, op)
    close(f(a.to(DEV), b.to(DEV)), f(a, b), True)
    close(f(a.to(DEV).reshape(29, 1), b.to(DEV)[:5]), f(a.reshape(29, 1), b[:5]), True)


@pytest.mark.parametrize("op", ["logical_and", "logical_or", "logical_xor", "eq", "ne"])
def test_bool_binary_vs_cpu(op):
    a = torch.tensor([True, True, False, False])
    b = torch.tensor([True, False, True, False])
    f = getattr(torch, op)
    close(f(a.to(DEV), b.to(DEV)), f(a, b), True)
    close(f(a.to(DEV).reshape(4, 1), b.to(DEV)), f(a.reshape(4, 1), b), True)


@pytest.mark.parametrize("lo,hi", [(-0.5, 0.5), (None, 0.1), (0.2, None), (1.0, -1.0)])
def test_clamp_vs_cpu(lo, hi):
    x = torch.tensor([[-2.0, -0.3, 0.0, math.nan], [0.4, 3.0, -math.inf, math.inf]])
    want = x.clamp(lo, hi).tolist()
    got = x.to("webgpu").clamp(lo, hi)
    assert got.device == torch.device("webgpu")
    assert str(got.tolist()) == str(want)          # NaN stays NaN
    y = x.to("webgpu")
    y.clamp_(lo, hi)
    assert str(y.tolist()) == str(want)
