"""The subgroup GEMV (matmul_gemv_sg: M == 1, W [N, K] read in place, subgroupAdd) against the
workgroup-tree GEMV (matmul_gemv, run by hiding the adapter's `subgroups` feature) and the CPU.
lavapipe has subgroups of 8 lanes; the kernel assumes no size (see wgsl/matmul.wgsl).

Tolerance: |gpu - cpu| <= 1e-4 + 1e-4 |cpu| (float32 sums in another order); float16 as in
test_webgpu_f16.py.
"""
import math
import random
import re

import pytest

import webtensor as torch
import webtensor.nn.functional as F
from webtensor.backends.webgpu import _host, matmul as MM

DEV = "webgpu"


@pytest.fixture(params=["subgroups", "tree"])
def variant(request):
    host = _host.get()
    feats = host.info["features"]
    assert "subgroups" in feats, "lavapipe reports subgroups"
    if request.param == "tree":
        host.info["features"] = feats - {"subgroups"}
    MM._PIPES.clear()
    yield request.param
    host.info["features"] = feats


def ran():
    return {name for _, name in MM._PIPES}


def rand(shape, seed):
    r = random.Random(seed)
    return torch.tensor([r.uniform(-1.0, 1.0) for _ in range(math.prod(shape))]).reshape(shape)


def close(got, want, rtol=1e-4, atol=1e-4):
    assert got.device == torch.device(DEV) and tuple(got.shape) == tuple(want.shape)
    for i, (a, b) in enumerate(zip(got.cpu().reshape(-1).tolist(), want.reshape(-1).tolist())):
        assert abs(a - b) <= atol + rtol * abs(b), (i, a, b)


# K: below one lane's 4, ragged (K % 4), below / above one subgroup step, long; N: partial
# workgroups of 16 outputs
@pytest.mark.parametrize("k,n", [(1, 5), (3, 17), (6, 16), (37, 33), (64, 1), (257, 40),
                                 (1031, 70), (4096, 24)])
def test_linear_gemv(variant, k, n):
    x, w, b = rand((1, k), 1), rand((n, k), 2), rand((n,), 3)
    gx, gw, gb = x.to(DEV), w.to(DEV), b.to(DEV)
    close(F.linear(gx, gw, gb), F.linear(x, w, b))
    close(gx @ gw.t(), x @ w.t())
    close(F.linear(gx[0], gw), F.linear(x[0], w))
    if variant == "subgroups":      # (x @ W.T with k == 1 reads B [K, N]: matmul_gemv)
        assert "matmul_gemv_sg" in ran() and ran() <= {"matmul_gemv_sg", "matmul_gemv"}
    else:
        assert ran() == {"matmul_gemv"}


@pytest.mark.parametrize("act", ["relu", "gelu", "gelu_tanh", "silu"])
def test_fused_epilogue(variant, act):
    x, w, b = rand((1, 100), 4), rand((30, 100), 5), rand((30,), 6)
    close(F.linear_act(x.to(DEV), w.to(DEV), b.to(DEV), act), F.linear_act(x, w, b, act))


def test_batched_and_strided(variant):
    """Batch dims (workgroup_id.z), a weight shared by the batch, views with offsets."""
    v, w = rand((3, 2, 1, 50), 7), rand((3, 2, 20, 50), 8)
    close(v.to(DEV) @ w.to(DEV).transpose(-1, -2), v @ w.transpose(-1, -2))
    big = rand((40, 60), 9)
    gw = big.to(DEV)[3:23, 5:55]                        # row stride 60, offset 185
    close(v.to(DEV) @ gw.t(), v @ big[3:23, 5:55].t())


def test_float16(variant):
    x, w = rand((1, 333), 10), rand((45, 333), 11)
    got = F.linear(x.half().to(DEV), w.half().to(DEV))
    want = F.linear(x.half(), w.half())
    assert got.dtype is torch.float16
    close(got.float(), want.float(), rtol=2.0 ** -10, atol=1e-3)
    assert ran() == {("matmul_gemv_sg" if variant == "subgroups" else "matmul_gemv") + "_f16"}


def test_variant_sources():
    """Subgroup builtins only in the _sg modules, f16 only in the _f16 ones: the others must
    compile on adapters without the features."""
    host = _host.get()
    sg = re.compile(r"\bsubgroup[A-Z]\w*\(")
    for name in ("matmul", "matmul_gemv", "matmul_f16", "matmul_gemv_f16"):
        assert not sg.search(MM.source(name)), name
    for name in ("matmul", "matmul_gemv", "matmul_gemv_sg"):
        assert "enable f16" not in MM.source(name) and "<f16>" not in \
            MM.source(name), name
    src = MM.source("matmul_gemv_sg_f16")
    assert src.startswith("enable f16;") and "array<f16>" in src and sg.search(src)
    assert "fn matmul_gemv_sg_f16(" in src
