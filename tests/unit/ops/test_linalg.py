"""webtensor/ops/linalg.py: matmul's 1-D / 2-D / batched broadcasting rules and mm, bmm, dot,
mv, outer and the @ operator against torch, over dtypes, 0-sized dims and strided views."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (DTYPES, assert_np, assert_same, examples, layouts, make_pair,
                       raises_like_torch, run_both, seeds, to_wt)

MM_DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int8", "uint8")


def _tol(dtype, k):
    """Products summed in a different order than torch's: atol grows with K (values <= 4)."""
    eps = {"float64": 1e-15, "float32": 2e-7, "float16": 1e-3, "bfloat16": 8e-3}.get(dtype)
    if eps is None:
        return {}
    return {"atol": eps * 16 * max(k, 1) * 8, "rtol": eps * 8}


@st.composite
def matmul_shapes(draw):
    """Shapes a, b for torch.matmul: 1-D, 2-D and batched with broadcasting batch dims."""
    m, k, n = draw(st.integers(0, 4)), draw(st.integers(0, 5)), draw(st.integers(0, 4))
    ra, rb = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    batch = draw(st.lists(st.integers(1, 3), min_size=2, max_size=2))

    def bdims(r):
        lead = batch[len(batch) - (r - 2):] if r > 2 else []
        return [1 if draw(st.booleans()) else s for s in lead]
    a = (k,) if ra == 1 else tuple(bdims(ra)) + (m, k)
    b = (k,) if rb == 1 else tuple(bdims(rb)) + (k, n)
    return a, b, k


@settings(max_examples=examples(60))
@given(shp=matmul_shapes(), dtype=st.sampled_from(MM_DTYPES), lays=st.tuples(layouts, layouts),
       seed=seeds, op=st.sampled_from(["matmul", "@", "method"]))
def test_matmul(shp, dtype, lays, seed, op):
    sa, sb, k = shp
    a, ta = make_pair(sa, dtype, seed, lays[0])
    b, tb = make_pair(sb, dtype, seed + 1, lays[1])
    f = {"matmul": lambda m, x, y: m.matmul(x, y), "@": lambda m, x, y: x @ y,
         "method": lambda m, x, y: x.matmul(y)}[op]
    run_both(f, [a, b], [ta, tb], **_tol(dtype, k))


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32"])
def test_matmul_blocks_and_wraparound_like_torch(dtype):
    """Sizes past the kernels' 128-wide k and n blocks and 4-row tiles, a transposed operand,
    a broadcast batch; integer products and sums that overflow wrap as torch's do."""
    g = torch.Generator().manual_seed(3)
    if dtype == "float64":
        ta, tb = torch.randn(2, 7, 131, generator=g, dtype=torch.float64), \
            torch.randn(133, 131, generator=g, dtype=torch.float64).t()
    else:
        big = torch.iinfo(getattr(torch, dtype)).max
        ta = torch.randint(-big, big, (2, 7, 131), generator=g, dtype=getattr(torch, dtype))
        tb = torch.randint(-big, big, (133, 131), generator=g, dtype=ta.dtype).t()
    run_both(lambda m, x, y: m.matmul(x, y), [to_wt(ta), to_wt(tb)], [ta, tb],
             **_tol(dtype, 131))
    run_both(lambda m, x, y: m.nn.functional.linear(x, y.t(), y[0]), [to_wt(ta), to_wt(tb)],
             [ta, tb], **_tol(dtype, 131))


@pytest.mark.parametrize("dtype", DTYPES)
def test_mm_every_dtype(dtype):
    a, ta = make_pair((3, 4), dtype, 1, "transposed")
    b, tb = make_pair((4, 2), dtype, 2, "stepped")
    run_both(lambda m, x, y: m.mm(x, y), [a, b], [ta, tb], **_tol(dtype, 4))
    run_both(lambda m, x, y: x.mm(y), [a, b], [ta, tb], **_tol(dtype, 4))


@settings(max_examples=examples(30))
@given(bmn=st.tuples(st.integers(0, 3), st.integers(0, 4), st.integers(0, 4), st.integers(0, 4)),
       dtype=st.sampled_from(MM_DTYPES), lays=st.tuples(layouts, layouts), seed=seeds)
def test_bmm(bmn, dtype, lays, seed):
    bt, m_, k, n = bmn
    a, ta = make_pair((bt, m_, k), dtype, seed, lays[0])
    b, tb = make_pair((bt, k, n), dtype, seed + 1, lays[1])
    run_both(lambda m, x, y: m.bmm(x, y), [a, b], [ta, tb], **_tol(dtype, k))


@settings(max_examples=examples(30))
@given(n=st.integers(0, 7), m_=st.integers(0, 4), dtype=st.sampled_from(MM_DTYPES),
       lays=st.tuples(layouts, layouts), seed=seeds)
def test_dot_mv_outer(n, m_, dtype, lays, seed):
    v, tv = make_pair((n,), dtype, seed, lays[0])
    w, tw = make_pair((n,), dtype, seed + 1, lays[1])
    mat, tmat = make_pair((m_, n), dtype, seed + 2, lays[1])
    u, tu = make_pair((m_,), dtype, seed + 3)
    run_both(lambda m, x, y: m.dot(x, y), [v, w], [tv, tw], **_tol(dtype, n))
    run_both(lambda m, x, y: m.mv(x, y), [mat, v], [tmat, tv], **_tol(dtype, n))
    run_both(lambda m, x, y: m.outer(x, y), [u, v], [tu, tv])
    run_both(lambda m, x, y: x.dot(y), [v, w], [tv, tw], **_tol(dtype, n))


def test_outer_promotes_like_torch():
    a, ta = make_pair((3,), "int32", 1)
    b, tb = make_pair((2,), "float16", 2)
    run_both(lambda m, x, y: m.outer(x, y), [a, b], [ta, tb])


def test_matmul_special_values():
    a = [[float("inf"), 1.0], [float("nan"), 0.0], [0.0, 0.0]]
    b = [[0.0, 1.0], [2.0, -1.0]]
    run_both(lambda m, x, y: m.matmul(x, y), [wt.tensor(a), wt.tensor(b)],
             [torch.tensor(a), torch.tensor(b)])


@pytest.mark.parametrize("sa,sb,match", [
    ((2, 3), (4, 2), "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)"),
    ((3,), (4,), "inconsistent tensor size"),
    ((), (3,), "both arguments to matmul need to be at least 1D, but they are 0D and 1D"),
    ((2, 2, 3), (2, 4, 2), "[2, 3]"),
    ((3, 2, 3), (2, 3, 2), "must match the size of tensor b"),
])
def test_matmul_errors_like_torch(sa, sb, match):
    a, ta = make_pair(sa, "float32", 1)
    b, tb = make_pair(sb, "float32", 2)
    raises_like_torch(lambda m: m.matmul(*((a, b) if m is wt else (ta, tb))), match)


def test_matmul_dtype_mismatch_like_torch():
    a, ta = make_pair((2, 3), "float32", 1)
    b, tb = make_pair((3, 2), "float64", 2)
    raises_like_torch(lambda m: m.matmul(*((a, b) if m is wt else (ta, tb))),
                      "expected m1 and m2 to have the same dtype")


@pytest.mark.parametrize("op,sa,sb,match", [
    ("mm", (3,), (3, 2), "self must be a matrix"),
    ("mm", (2, 3), (3,), "mat2 must be a matrix"),
    ("mm", (2, 3), (2, 3), "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
    ("bmm", (3, 4), (4, 2), "batch1 must be a 3D tensor"),
    ("bmm", (2, 3, 4), (3, 4, 2), "2"),
    ("bmm", (2, 3, 4), (2, 3, 2), "[2, 4]"),
    ("dot", (2, 3), (3,), "1D tensors expected, but got 2D and 1D tensors"),
    ("dot", (3,), (4,), "inconsistent tensor size"),
    ("mv", (2, 3), (4,), "2x3"),
    ("mv", (3,), (3,), "matrix"),
])
def test_named_forms_errors_like_torch(op, sa, sb, match):
    a, ta = make_pair(sa, "float32", 1)
    b, tb = make_pair(sb, "float32", 2)
    raises_like_torch(lambda m: getattr(m, op)(*((a, b) if m is wt else (ta, tb))), match)


def test_matmul_rejects_bool_like_torch():
    a, ta = make_pair((2, 2), "bool", 1)
    raises_like_torch(lambda m: m.matmul(a if m is wt else ta, a if m is wt else ta))


def test_matmul_result_is_fresh_and_contiguous():
    a, ta = make_pair((3, 4), "float32", 1, "transposed")
    b, tb = make_pair((4, 5), "float32", 2, "stepped")
    r = a @ b
    assert r.is_contiguous() and r._storage is not a._storage and r._storage is not b._storage
    assert_same(r, ta @ tb, **_tol("float32", 4))


# ---- numpy: a second, independent oracle -------------------------------------------------------
@settings(max_examples=examples(40))
@given(shp=matmul_shapes(), dtype=st.sampled_from(["float64", "int64"]),
       lays=st.tuples(layouts, layouts), seed=seeds)
def test_matmul_against_numpy(shp, dtype, lays, seed):
    sa, sb, k = shp
    a, ta = make_pair(sa, dtype, seed, lays[0])
    b, tb = make_pair(sb, dtype, seed + 1, lays[1])
    assert_np(wt.matmul(a, b), np.matmul(ta.numpy(), tb.numpy()))


def test_named_forms_against_numpy():
    a, ta = make_pair((3, 5), "float64", 1, "transposed")
    v, tv = make_pair((5,), "float64", 2, "stepped")
    u, tu = make_pair((3,), "float64", 3)
    b, tb = make_pair((2, 3, 5), "float64", 4)
    c, tc = make_pair((2, 5, 4), "float64", 5)
    assert_np(wt.mv(a, v), ta.numpy() @ tv.numpy())
    assert_np(wt.dot(v, v), np.dot(tv.numpy(), tv.numpy()))
    assert_np(wt.outer(u, v), np.outer(tu.numpy(), tv.numpy()))
    assert_np(wt.mm(a, a.t()), ta.numpy() @ ta.numpy().T)
    assert_np(wt.bmm(b, c), np.matmul(tb.numpy(), tc.numpy()))
