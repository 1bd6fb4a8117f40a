"""index_select / embedding / gather on device "webgpu" against the same ops on the CPU
(exact: data movement), and the bounds errors (index on the GPU: checked by a kernel, read
back at the call; index on the CPU: checked on the host)."""
import math
import random

import pytest

import webtensor as torch
import webtensor.nn.functional as F
from webtensor.backends.webgpu import index as gpu_index

DEV = "webgpu"


def rand(shape, seed=0):
    r = random.Random(seed)
    return torch.tensor([r.uniform(-3, 3) for _ in range(math.prod(shape))]).reshape(shape)


def same(got, want):
    assert got.device == torch.device(DEV)
    assert got.shape == want.shape and got.dtype is want.dtype
    assert got.cpu().tolist() == want.tolist()


@pytest.mark.parametrize("idt", ["int64", "int32"])
def test_embedding(idt):
    w = rand((10, 7))
    idx = torch.tensor([[3, 0, 9], [9, 2, 2]]).to(getattr(torch, idt))
    same(F.embedding(idx.to(DEV), w.to(DEV)), F.embedding(idx, w))


@pytest.mark.parametrize("dim", [0, 1, 2])
def test_index_select_dims(dim):
    x = rand((4, 5, 6), seed=1)
    idx = torch.tensor([3, 0, 3, 1])
    same(x.to(DEV).index_select(dim, idx.to(DEV)), x.index_select(dim, idx))


def test_index_select_views_and_dtypes():
    x = rand((6, 8), seed=2)
    idx = torch.tensor([3, 1, 0])
    g = x.to(DEV)
    for gv, view in ((g.t(), x.t()), (g[1:, ::2], x[1:, ::2])):
        for dim in (0, 1):
            same(gv.index_select(dim, idx.to(DEV)), view.index_select(dim, idx))
    xi = torch.arange(24).reshape(4, 6)                      # int64 rows (two words each)
    same(xi.to(DEV).index_select(0, idx[:2].to(DEV)), xi.index_select(0, idx[:2]))
    same(x.to(DEV).index_select(0, torch.tensor([], dtype=torch.int64).to(DEV)),
         x.index_select(0, torch.tensor([], dtype=torch.int64)))


@pytest.mark.parametrize("bad", [[0, 10], [-1, 2], [1 << 32], [3, 4, 5, 11]])
def test_embedding_out_of_range_raises(bad):
    w = rand((10, 4)).to(DEV)
    for idx in (torch.tensor(bad), torch.tensor(bad)):
        with pytest.raises(IndexError):
            F.embedding(idx.to(DEV), w)
    with pytest.raises(IndexError):
        torch.rand(3, 10).to(DEV).index_select(0, torch.tensor(bad).to(DEV))
    if bad != [1 << 32]:
        with pytest.raises(IndexError):
            F.embedding(torch.tensor(bad).to(torch.int32).to(DEV), w)


def test_cpu_index_checked_on_host():
    w = rand((10, 4)).to(DEV)
    with pytest.raises(IndexError):
        gpu_index.index_select(torch.empty(2, 4, device=DEV), w, 0, torch.tensor([1, 10]))
    out = torch.empty(2, 4, device=DEV)
    gpu_index.index_select(out, w, 0, torch.tensor([1, 9]))
    assert out.tolist() == w.cpu()[torch.tensor([1, 9])].tolist()


def test_unchecked_mode_clamps(monkeypatch):
    monkeypatch.setattr(gpu_index, "CHECK_INDICES", False)
    w = rand((5, 3))
    got = F.embedding(torch.tensor([7, 1, -2]).to(DEV), w.to(DEV))
    assert got.cpu().tolist() == [w[4].tolist(), w[1].tolist(), w[0].tolist()]


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_gather_dims(dim):
    r = random.Random(dim)
    for x in (rand((4, 5, 6), seed=3), rand((6, 5, 4), seed=4).transpose(0, 2)):
        shape = [3, 4, 3]
        size = x.shape[dim]
        idx = torch.tensor([r.randrange(size) for _ in range(36)]).reshape(shape)
        same(torch.gather(x.to(DEV), dim, idx.to(DEV)), torch.gather(x, dim, idx))
        xg = x.contiguous().to(DEV) if x.is_contiguous() else rand((6, 5, 4), seed=4).to(DEV) \
            .transpose(0, 2)                                 # a strided GPU view
        same(torch.gather(xg, dim, idx.to(DEV)), torch.gather(x, dim, idx))


def test_gather_int32_and_int64_values_and_errors():
    x = torch.arange(12).reshape(3, 4)
    idx = torch.tensor([[0, 3], [2, 2], [1, 0]])
    same(torch.gather(x.to(DEV), 1, idx.to(DEV)), torch.gather(x, 1, idx))
    xi = x.to(torch.int32)
    same(torch.gather(xi.to(DEV), 1, idx.to(DEV)), torch.gather(xi, 1, idx))
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.gather(x.to(torch.float32).to(DEV), 1, torch.tensor([[0, 4]]).to(DEV))
    with pytest.raises(RuntimeError, match="out of bounds"):
        torch.gather(x.to(torch.float32).to(DEV), 0, torch.tensor([[-1]]).to(DEV))


def test_unsupported_dtype_names_primitive():
    x = torch.tensor([1, 2, 3], dtype=torch.int16).to(DEV)
    with pytest.raises(NotImplementedError, match="index_select"):
        x.index_select(0, torch.tensor([0]).to(DEV))
