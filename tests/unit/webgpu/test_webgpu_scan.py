"""cumprod (every dtype) and cumsum (beyond float32, which test_webgpu_reduce.py covers) on
device "webgpu" (wgsl/scan.wgsl) against torch's CPU: integers exactly (wrapping like torch),
the floats within tolerance (torch accumulates float32 in double, the GPU in float32; float16 /
bfloat16 both in float32, rounding each output). float64 raises (no f64 in WGSL)."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from gpu_check import DEV, pair
from wt_oracle import ALL_DTYPES, TOL, assert_same, examples, layouts, seeds, shapes

GPU_DTYPES = [d for d in ALL_DTYPES if d != "float64"]


@settings(max_examples=examples(40))
@given(shape=shapes(1, 3, 0, 5), dtype=st.sampled_from(GPU_DTYPES), layout=layouts,
       seed=seeds, op=st.sampled_from(["cumprod", "cumsum"]), keep=st.booleans(),
       data=st.data())
def test_scan_like_torch(shape, dtype, layout, seed, op, keep, data):
    floats = dtype in TOL
    x, tx = pair(shape, dtype, seed, layout, special=floats, wide=not floats,
                 domain="unit" if floats and op == "cumprod" else "any")
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keep = keep and dtype != "bool"       # torch has no bool scan kernel
    kw = {"dtype": getattr(wt, dtype)} if keep else {}     # keep: the scan runs in x's dtype
    got = getattr(x, op)(dim, **kw)
    want = getattr(tx, op)(dim, **({"dtype": getattr(torch, dtype)} if keep else {}))
    assert got.device == wt.device(DEV)
    rtol, atol = TOL.get(dtype, (0, 0))
    assert_same(got.cpu(), want, rtol=rtol * 4, atol=atol)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float16"])
@pytest.mark.parametrize("shape,dim", [((3000,), 0), ((1500, 3), 0), ((2, 1100), 1)])
def test_few_long_rows_workgroup_scan(dtype, shape, dim):
    # n >= 1024 and few rows: one workgroup per row (256 segments, uneven and empty ones)
    x, tx = pair(shape, dtype, 11, domain="small")
    x, tx = (1 + x / 512, 1 + tx / 512) if dtype == "float16" else (x, tx)
    for op in ("cumsum", "cumprod"):
        kw = {} if dtype == "bool" else {"dtype": getattr(wt, dtype)}
        want = getattr(tx, op)(dim, **({} if dtype == "bool" else {"dtype": tx.dtype}))
        assert_same(getattr(x, op)(dim, **kw).cpu(), want, rtol=2e-3, atol=1e-3)


def test_long_scan_and_0_dim():
    x, tx = pair((3, 2000), "float32", 4, domain="unit")
    x, tx = 1 + x / 1000, 1 + tx / 1000
    assert_same(x.cumprod(1).cpu(), tx.cumprod(1), rtol=1e-5, atol=1e-6)
    i, ti = pair((3000,), "int64", 5, wide=True)
    assert_same(i.cumprod(0).cpu(), ti.cumprod(0))                 # int64 wraps like torch
    assert_same(i.cumsum(0).cpu(), ti.cumsum(0))
    s, ts = pair((), "int32", 6)
    assert_same(s.cumprod(0).cpu(), ts.cumprod(0))


def test_float64_raises_naming_primitive_and_dtype():
    x = wt.ones(3, dtype=wt.float64).to(DEV)
    with pytest.raises(NotImplementedError, match="'cumprod'.*float64"):
        x.cumprod(0)
