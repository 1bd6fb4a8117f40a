"""float16 on device "webgpu", in both storage forms: array<f16> kernels where the adapter has
shader-f16 (lavapipe does), and u32-packed kernels where it has not (the `packed` run masks the
feature in host.info). Oracle: PyTorch's CPU float16.

Conversions are bit-exact (torch rounds to nearest even, overflows to inf, keeps subnormals).
matmul / linear: torch's CPU half matmul accumulates in float32 and rounds once; the kernels do
the same in another summation order, so |gpu - torch| <= 2^-10 |torch| + 1e-3 (one float16
rounding step either way, plus float32 sums in another order).
"""
import math
import random
import struct

import numpy as np
import pytest
import torch as T

import webtensor as torch
import webtensor.nn.functional as F
from webtensor.backends.webgpu import _host, kernels as K, matmul as MM

DEV = "webgpu"
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.1, -3.3, 65504.0, 65519.99, 65520.0, -70000.0, 1e30,
           math.inf, -math.inf, math.nan, 2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11),
           2.0 ** -24, -2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0001, 3 * 2.0 ** -25,
           1.5 * 2.0 ** -24, 2.5 * 2.0 ** -24, 1e-7, 5.96e-8, 6.1e-5, 1.0 + 2.0 ** -11,
           1.0 + 3 * 2.0 ** -11, 2049.0, 2051.0, 1e-40]


@pytest.fixture(params=["f16", "packed"])
def form(request):
    """The float16 storage form under test; `packed` hides shader-f16 from the kernels."""
    host = _host.get()
    feats = host.info["features"]
    if request.param == "f16":
        assert "shader-f16" in feats, "lavapipe reports shader-f16"
    else:
        host.info["features"] = feats - {"shader-f16"}
    assert K.half_name(host) == ("f16" if request.param == "f16" else "float16")
    yield request.param
    host.info["features"] = feats


def bits(values):
    """float16 bit patterns of Python floats (NaN as 0x7e00 / 0xfe00 by its sign)."""
    out = []
    for v in values:
        if v != v:
            out.append(0xFE00 if math.copysign(1.0, v) < 0 else 0x7E00)
        else:
            out.append(struct.unpack("<H", struct.pack("<e", v))[0])
    return out


def values(n, seed):
    """Random floats over float16's whole range: normals, subnormals, overflow."""
    r = random.Random(seed)
    return [r.choice([-1, 1]) * 2.0 ** r.uniform(-27, 17) for _ in range(n)]


def torch_half(vals):
    return T.tensor(vals, dtype=T.float32).half()


def test_float32_to_float16_rounds_as_torch(form):
    vals = SPECIAL + values(2000, 1)
    got = torch.tensor(vals).to(DEV).half()
    assert got.dtype is torch.float16 and got.device == torch.device(DEV)
    assert bits(got.cpu().tolist()) == bits(torch_half(vals).tolist())


def test_float16_to_float32_and_back_exact(form):
    every = np.arange(1 << 16, dtype=np.uint16).view(np.float16).astype(np.float32).tolist()
    h = torch.tensor(every).half()                        # on the CPU: all 65536 patterns
    g = h.to(DEV)
    assert [a == b or (a != a and b != b) for a, b in
            zip(g.float().cpu().tolist(), every)] == [True] * len(every)
    assert bits(g.float().half().cpu().tolist()) == bits(every)


def test_copy_strided_and_where(form):
    vals = values(6 * 7, 2)
    x = torch.tensor(vals).reshape(6, 7).half()
    g = x.to(DEV)
    t = g.t()[1:, ::2].contiguous()                     # a strided float16 copy
    assert bits(t.cpu().reshape(-1).tolist()) == bits(x.t()[1:, ::2].reshape(-1).tolist())
    out = torch.zeros(6, 7).half().to(DEV)
    out[:, 1::3] = g[:, :2]                             # float16 copy into a strided view
    want = torch.zeros(6, 7).half()
    want[:, 1::3] = x[:, :2]
    assert bits(out.cpu().reshape(-1).tolist()) == bits(want.reshape(-1).tolist())
    c = torch.tensor([[i % 3 == 0 for i in range(7)]] * 6)
    w = torch.where(c.to(DEV), g, g * 2)
    assert w.dtype is torch.float16
    assert bits(w.cpu().reshape(-1).tolist()) == bits(torch.where(c, x, x * 2).reshape(-1)
                                                      .tolist())


def test_fill(form):
    def filled(dev):
        t = torch.zeros(4, 6).half().to(dev)
        t[:, 1::2].fill_(0.1)
        t[0].fill_(-(2.0 ** -24))
        t[2:, 4:].fill_(65504.0)
        return t
    got = filled(DEV)
    assert got.dtype is torch.float16
    assert bits(got.cpu().reshape(-1).tolist()) == bits(filled("cpu").reshape(-1).tolist())


def test_elementwise_on_float16(form):
    """The op layer computes float16 in float32 between two conversions: torch's results
    (for the correctly rounded float32 ops; exp & co carry the float32 kernels' own error)."""
    a, b = values(300, 3), values(300, 4)
    ga, gb = torch.tensor(a).half().to(DEV), torch.tensor(b).half().to(DEV)
    ta, tb = torch_half(a), torch_half(b)
    for got, want in ((ga + gb, ta + tb), (ga * gb, ta * tb), (ga - 0.1, ta - 0.1),
                      (torch.maximum(ga, gb), T.maximum(ta, tb))):
        assert bits(got.cpu().tolist()) == bits(want.tolist())


def rand(shape, seed):
    r = random.Random(seed)
    return [r.uniform(-2, 2) for _ in range(math.prod(shape))]


def close(got, want):
    assert got.dtype is torch.float16 and got.device == torch.device(DEV)
    assert tuple(got.shape) == tuple(want.shape)
    g, w = got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist()
    for i, (x, y) in enumerate(zip(g, w)):
        assert abs(x - y) <= 1e-3 + 2.0 ** -10 * abs(y), (i, x, y)


def pair(shape, seed):
    v = rand(shape, seed)
    return torch.tensor(v).reshape(shape).half().to(DEV), T.tensor(v).reshape(shape).half()


@pytest.mark.parametrize("m,k,n", [(1, 300, 17), (1, 4096, 40), (3, 5, 7), (130, 70, 129),
                                   (17, 33, 131), (1, 3, 9), (2, 0, 5), (1, 0, 3)])
def test_matmul_and_linear(form, m, k, n):
    MM._PIPES.clear()
    a, ta = pair((m, k), 1)
    b, tb = pair((k, n), 2)
    w, tw = pair((n, k), 3)
    bias, tbias = pair((n,), 4)
    close(a @ b, ta @ tb)
    close(a @ w.t(), ta @ tw.t())                      # W read in place (b_trans)
    close(F.linear(a, w, bias), T.nn.functional.linear(ta, tw, tbias))
    names = {name for _, name in MM._PIPES}
    if form == "f16":                                   # the f16 kernels ran, nothing else
        assert names and all(name.endswith("_f16") for name in names), names
    else:                                               # float32 kernels between conversions
        assert names and not any(name.endswith("_f16") for name in names), names


def test_batched_matmul_broadcast(form):
    a, ta = pair((2, 3, 5, 24), 5)
    b, tb = pair((3, 24, 6), 6)
    close(a @ b, ta @ tb)
    v, tv = pair((2, 1, 1, 24), 7)                      # M == 1 per batch (GEMV), W in place
    w, tw = pair((3, 6, 24), 8)
    close(v @ w.transpose(-1, -2), tv @ tw.transpose(-1, -2))
    close(v @ b, tv @ tb)


def test_half_linear_module(form):
    T.manual_seed(0)
    tl = T.nn.Linear(48, 20).half()
    lin = torch.nn.Linear(48, 20)
    lin.load_state_dict({k: torch.tensor(v.float().tolist()) for k, v in tl.state_dict().items()})
    lin = lin.half().to(DEV)
    x, tx = pair((4, 48), 8)
    close(lin(x), tl(tx))
    close(lin(x[0]), tl(tx[0]))


def test_errors_as_on_cpu(form):
    a, b = pair((3, 4), 1)[0], pair((5, 6), 2)[0]
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied"):
        a @ b
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype|"
                                           "expected .* same dtype"):
        a @ torch.ones(4, 2).to(DEV)
