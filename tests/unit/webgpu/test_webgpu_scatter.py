"""scatter / scatter_add / scatter_reduce on device "webgpu" (backends/webgpu/scatter.py)
against torch's CPU, exactly: duplicate indices combine in torch's order (sums and products
round as torch's loop rounds them; plain scatter keeps the last write), every dtype, views,
empty and size-1 dims; float64 sums (no f64 arithmetic in WGSL) raise, or fall back on opt-in."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from gpu_check import DEV, pair
from wt_oracle import ALL_DTYPES, assert_same, examples, layouts, seeds, shapes, to_wt

REDUCES = [None, "sum", "prod", "amax", "amin", "mean"]


def index_for(data, shape, dim, seed):
    """int64 index with index.shape[d] <= shape[d] off dim, any length along dim (duplicates)."""
    ishape = [data.draw(st.integers(0, s)) for s in shape]
    ishape[dim] = data.draw(st.integers(0, 6)) if shape[dim] else 0
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, max(shape[dim], 1), ishape, generator=g)


@settings(max_examples=examples(40))
@given(shape=shapes(1, 3, 0, 4), dtype=st.sampled_from(ALL_DTYPES), layout=layouts,
       seed=seeds, reduce=st.sampled_from(REDUCES), include_self=st.booleans(),
       data=st.data())
def test_scatter_like_torch(shape, dtype, layout, seed, reduce, include_self, data):
    if dtype == "float64" and reduce in ("sum", "prod", "mean"):
        reduce = "amax"
    if reduce == "mean" and dtype not in ("float32", "float16", "bfloat16"):
        reduce = "sum"          # integer mean divides with div_floor: not this file's kernel
    x, tx = pair(shape, dtype, seed, layout, special=reduce in (None, "amax", "amin"))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    ti = index_for(data, shape, dim % len(shape), seed)
    src, tsrc = pair(tuple(ti.shape), dtype, seed + 1)
    i = to_wt(ti).to(DEV)
    if reduce is None:
        got, want = x.scatter(dim, i, src), tx.scatter(dim, ti, tsrc)
    else:
        got = x.scatter_reduce(dim, i, src, reduce, include_self=include_self)
        want = tx.scatter_reduce(dim, ti, tsrc, reduce, include_self=include_self)
    assert got.device == wt.device(DEV)
    assert_same(got.cpu(), want, rtol=0, atol=0)


def test_duplicates_accumulate_in_order():
    # 1e8 + 1 + ... rounds differently in any other order than torch's k = 0, 1, ...
    tx = torch.zeros(3)
    ts = torch.tensor([1e8, 1.0, 1.0, -1e8, 3.0, 0.5, 7.0, 2.0])
    ti = torch.tensor([0, 0, 0, 0, 2, 2, 1, 2])
    got = wt.zeros(3).to(DEV).scatter_add(0, to_wt(ti).to(DEV), to_wt(ts).to(DEV))
    assert_same(got.cpu(), tx.scatter_add(0, ti, ts), rtol=0, atol=0)
    last = wt.zeros(3).to(DEV).scatter(0, to_wt(ti).to(DEV), to_wt(ts).to(DEV))
    assert last.cpu().tolist() == [-1e8, 7.0, 2.0]          # the last write wins


def test_in_place_view_value_and_errors():
    x, tx = pair((4, 6), "int64", 3)
    ti = torch.tensor([[0, 3, 3], [2, 2, 1]])
    v = x[:, ::2]
    v.scatter_(0, to_wt(ti).to(DEV), 9)
    tx[:, ::2].scatter_(0, ti, 9)
    assert_same(x.cpu(), tx)
    with pytest.raises(RuntimeError, match="out of bounds"):
        x.scatter(0, to_wt(torch.tensor([[4]])).to(DEV), 1)
    d = wt.zeros(3, dtype=wt.float64).to(DEV)
    with pytest.raises(NotImplementedError, match="'scatter'.*float64"):
        d.scatter_add(0, wt.tensor([0, 0]).to(DEV), wt.ones(2, dtype=wt.float64).to(DEV))
