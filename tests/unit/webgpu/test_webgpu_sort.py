"""sort / argsort / topk on device "webgpu" (backends/webgpu/sort.py) against torch's CPU sort
(stable=True: the order of ties is part of the result): every dtype, NaN / inf / -0, views,
rows that fit a workgroup (<= 1024) and rows that take the multi-pass merge."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from gpu_check import DEV, pair
from wt_oracle import ALL_DTYPES, assert_same, examples, layouts, seeds, shapes


def check(x, tx, dim, descending):
    v, i = wt.sort(x, dim=dim, descending=descending, stable=True)
    tv, ti = torch.sort(tx, dim=dim, descending=descending, stable=True)
    assert v.device == i.device == wt.device(DEV)
    assert_same(v.cpu(), tv, rtol=0, atol=0)     # exact: a permutation of the input
    assert_same(i.cpu(), ti)


@settings(max_examples=examples(30))
@given(shape=shapes(1, 3, 0, 5), dtype=st.sampled_from(ALL_DTYPES), layout=layouts,
       seed=seeds, descending=st.booleans(), data=st.data())
def test_sort_like_torch(shape, dtype, layout, seed, descending, data):
    x, tx = pair(shape, dtype, seed, layout, special=True)
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    check(x, tx, dim, descending)


@pytest.mark.parametrize("n", [1024, 1025, 3000])
@pytest.mark.parametrize("dtype", ["float32", "int64", "float16"])
def test_long_rows_multi_pass(n, dtype):
    # few distinct values: many ties, whose order (stable) the merge passes must keep
    x, tx = pair((2, n), dtype, n, special=True, domain="small" if dtype == "int64" else "any")
    for descending in (False, True):
        check(x, tx, 1, descending)
    check(x.t(), tx.t(), 0, False)                      # strided rows


@pytest.mark.parametrize("shape", [(700, 3), (5, 300), (3, 1)])
def test_rows_packed_per_workgroup(shape):
    # 1024 / P rows share a workgroup; the last workgroup's rows run out partway
    x, tx = pair(shape, "float32", 9, special=True)
    check(x, tx, 1, False)
    check(x, tx, 1, True)


def test_many_strided_dims_and_0_dim():
    x, tx = pair((2, 3, 2, 2, 3, 2), "float32", 5)
    x, tx = x.permute(5, 3, 1, 0, 2, 4), tx.permute(5, 3, 1, 0, 2, 4)    # > 4 outer dims
    for dim in (0, 3, 5):
        check(x, tx, dim, dim == 3)
    s, ts = pair((), "float32", 1)
    check(s, ts, 0, False)


def test_unstable_sort_topk_argsort():
    x, tx = pair((3, 40), "int32", 7, domain="small")
    v, i = wt.sort(x, dim=1)                      # any order of ties: values, and i points at them
    assert_same(v.cpu(), torch.sort(tx, dim=1).values)
    assert x.gather(1, i).cpu().tolist() == v.cpu().tolist()
    y, ty = pair((4, 9), "float32", 8)
    assert_same(wt.argsort(y, dim=0, stable=True).cpu(), torch.argsort(ty, dim=0, stable=True))
    tv, ti = torch.topk(ty, 3, dim=1)
    gv, gi = wt.topk(y, 3, dim=1)
    assert_same(gv.cpu(), tv)
    assert_same(gi.cpu(), ti)
