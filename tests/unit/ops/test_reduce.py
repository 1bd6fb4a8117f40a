"""webtensor/ops/reduce.py: reductions over any dims with keepdim, arg-reductions, max/min
(both forms), var/std (+_mean), logsumexp, all/any, count_nonzero, scans and softmax against
torch: hypothesis shapes (0- and 1-sized dims), dtypes, non-contiguous views, NaN/Inf."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (FLOATS, assert_np, assert_same, dtypes, examples, layouts, make_pair,
                       raises_like_torch, run_both, seeds, shapes)

# Reducing n <= correction elements is part of what is tested: torch and numpy say so loudly.
pytestmark = [pytest.mark.filterwarnings("ignore:.*degrees of freedom:UserWarning"),
              pytest.mark.filterwarnings("ignore:Degrees of freedom:RuntimeWarning"),
              pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")]

SUM_LIKE = ("sum", "mean", "prod", "amax", "amin", "all", "any", "logsumexp", "count_nonzero")


def _tol(op, dtype, x):
    """Accumulation order differs from torch's: scale atol with the magnitude summed."""
    if dtype not in FLOATS or x.numel() == 0:
        return {}
    finite = x[torch.isfinite(x)] if x.dtype != torch.bool else x
    scale = 1.0 + float(finite.abs().double().sum()) if x.dtype != torch.bool else 1.0
    base = {"float64": 1e-12, "float32": 2e-6, "float16": 2e-3, "bfloat16": 2e-2}[dtype]
    if op in ("var", "std", "var_mean", "std_mean"):
        scale = scale * scale
    if op == "prod":
        return {"rtol": base * 20, "atol": base}
    return {"atol": base * scale, "rtol": base * 10}


def _dims(draw, ndim, allow_tuple=True, allow_none=True):
    opts = [st.integers(-ndim, ndim - 1)] if ndim else [st.sampled_from([0, -1])]
    if allow_tuple and ndim:
        # (dim=() is tested on its own: test_empty_dim_tuple_like_torch)
        opts.append(st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim,
                             unique_by=lambda d: d % ndim).map(tuple))
    if allow_none:
        opts.append(st.none())
    return draw(st.one_of(*opts))


@pytest.mark.parametrize("op", SUM_LIKE)
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds,
       special=st.booleans(), keepdim=st.booleans())
def test_reductions(op, data, shape, dtype, layout, seed, special, keepdim):
    if op in ("all", "any") and dtype == "uint8":
        dtype = "int8"  # uint8 keeps its dtype in torch: test_all_any_keep_uint8_dtype_like_torch
    x, tx = make_pair(shape, dtype, seed, layout, special=special,
                      domain="unit" if op == "prod" else "any")
    dim = _dims(data.draw, len(shape), allow_none=op != "logsumexp",
                allow_tuple=op != "prod")  # torch.prod takes a single dim
    kw = {} if op == "count_nonzero" else {"keepdim": keepdim}
    if dim is None:
        args, kw = (), {}
    else:
        args = (dim,)
    run_both(lambda m, t: getattr(m, op)(t, *args, **kw), [x], [tx], same_error=False,
             **_tol(op, dtype, tx))


@pytest.mark.parametrize("op", ["sum", "mean", "prod", "amax", "amin", "all", "any", "logsumexp"])
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_reduction_methods(op, dtype):
    x, tx = make_pair((3, 4, 2), dtype, 1, "transposed")
    args = (1,) if op == "logsumexp" else ()
    try:
        expected = getattr(tx, op)(*args)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            getattr(x, op)(*args)
        return
    assert_same(getattr(x, op)(*args), expected, **_tol(op, dtype, tx))


@pytest.mark.parametrize("op", ["sum", "mean", "prod", "cumsum", "cumprod"])
@pytest.mark.parametrize("src,to", [("int32", "float64"), ("float16", "float32"),
                                    ("int8", "int32"), ("bool", "int64"), ("float32", "float16")])
def test_dtype_keyword(op, src, to):
    x, tx = make_pair((3, 4), src, 2, domain="unit" if "prod" in op else "any")
    args = (1,) if op.startswith("cum") else ()
    _, _ = run_both(lambda m, t: getattr(m, op)(t, *args, dtype=getattr(m, to)), [x], [tx],
                    **_tol(op, to, tx.to(torch.float64)))


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds,
       special=st.booleans(), keepdim=st.booleans())
def test_argmax_argmin(op, data, shape, dtype, layout, seed, special, keepdim):
    if dtype == "bool":
        dtype = "uint8"  # torch rejects bool: test_arg_reductions_reject_bool_like_torch
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    dim = data.draw(st.one_of(st.none(), st.integers(-max(len(shape), 1), max(len(shape), 1) - 1)))
    run_both(lambda m, t: getattr(m, op)(t, dim, keepdim), [x], [tx], same_error=False)


@pytest.mark.parametrize("op", ["max", "min"])
@settings(max_examples=examples(40))
@given(data=st.data(), shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds,
       special=st.booleans(), keepdim=st.booleans(), form=st.sampled_from(["all", "dim", "other"]))
def test_max_min(op, data, shape, dtype, layout, seed, special, keepdim, form):
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    if form == "all":
        run_both(lambda m, t: getattr(m, op)(t), [x], [tx], same_error=False)
    elif form == "dim":
        dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
        w, t = run_both(lambda m, a: getattr(m, op)(a, dim, keepdim), [x], [tx],
                        same_error=False)
        if t is not None and not isinstance(t, Exception):
            assert w.values is w[0] and w.indices is w[1]  # a (values, indices) namedtuple
            w2 = getattr(x, op)(dim=dim, keepdim=keepdim)
            assert_same(w2, t)
    else:
        y, ty = make_pair(shape[1:], dtype, seed + 1, special=special)
        run_both(lambda m, a, b: getattr(m, op)(a, b), [x, y], [tx, ty], same_error=False)


@pytest.mark.parametrize("op", ["var", "std", "var_mean", "std_mean"])
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3), dtype=st.sampled_from(FLOATS + ("int64",)),
       layout=layouts, seed=seeds, special=st.booleans(), keepdim=st.booleans(),
       corr=st.sampled_from([None, 0, 1, 2, "unbiased=False", "unbiased=True"]))
def test_var_std(op, data, shape, dtype, layout, seed, special, keepdim, corr):
    # torch's var_mean/std_mean compute the mean by Welford's update, which turns an inf
    # input into a nan mean (torch.mean gives inf); not a behaviour to copy
    special = special and op in ("var", "std")
    x, tx = make_pair(shape, dtype, seed, layout, special=special)
    dim = _dims(data.draw, len(shape))
    kw = {"keepdim": keepdim}
    if isinstance(corr, int):
        kw["correction"] = corr
    elif corr:
        kw["unbiased"] = corr.endswith("True")
    args = () if dim is None else (dim,)
    if dim is None:
        kw.pop("keepdim")
    run_both(lambda m, t: getattr(m, op)(t, *args, **kw), [x], [tx], same_error=False,
             **_tol(op, dtype, tx.double() if dtype in FLOATS else tx))


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds,
       special=st.booleans(), wide=st.booleans())
def test_scans(op, data, shape, dtype, layout, seed, special, wide):
    x, tx = make_pair(shape, dtype, seed, layout, special=special, wide=wide,
                      domain="unit" if op == "cumprod" and not wide else "any")
    n = max(len(shape), 1)
    dim = data.draw(st.integers(-n, n - 1))
    run_both(lambda m, t: getattr(m, op)(t, dim), [x], [tx], same_error=False,
             **_tol(op, dtype, tx))
    run_both(lambda m, t: getattr(t, op)(dim), [x], [tx], same_error=False, **_tol(op, dtype, tx))


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@settings(max_examples=examples(30))
@given(data=st.data(), shape=shapes(0, 3), dtype=st.sampled_from(FLOATS), layout=layouts,
       seed=seeds, special=st.booleans(), wide=st.booleans())
def test_softmax(op, data, shape, dtype, layout, seed, special, wide):
    x, tx = make_pair(shape, dtype, seed, layout, special=special, wide=wide)
    n = max(len(shape), 1)
    dim = data.draw(st.integers(-n, n - 1))
    run_both(lambda m, t: getattr(m, op)(t, dim), [x], [tx], same_error=False)
    run_both(lambda m, t: getattr(t, op)(dim), [x], [tx], same_error=False)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_rows_with_infinities(op):
    rows = [[float("-inf"), 0.0, 1.0], [float("-inf")] * 3, [float("inf"), 0.0, 1.0],
            [float("nan"), 0.0, 1.0], [1e4, -1e4, 0.0]]
    run_both(lambda m, t: getattr(m, op)(t, 1), [wt.tensor(rows)], [torch.tensor(rows)])


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_dtype_and_int_input(op):
    x, tx = make_pair((2, 3), "int64", 1)
    run_both(lambda m, t: getattr(m, op)(t, 1, dtype=m.float64), [x], [tx])
    raises_like_torch(lambda m: getattr(m, op)(x if m is wt else tx, 1))
    h, th = make_pair((2, 3), "float16", 2)
    run_both(lambda m, t: getattr(m, op)(t, 0, dtype=m.float32), [h], [th])


@pytest.mark.parametrize("op", ["sum", "mean", "amax", "amin", "count_nonzero"])
def test_empty_dim_tuple_like_torch(op):
    """torch reduces over every dim when given dim=() (or [])."""
    x, tx = make_pair((2, 3), "float32", 9)
    run_both(lambda m, t: getattr(m, op)(t, ()), [x], [tx])


def test_sum_of_integers_does_not_overflow_small_types():
    x, tx = make_pair((50,), "int8", 3, wide=True)
    run_both(lambda m, t: m.sum(t), [x], [tx])
    u, tu = make_pair((50,), "uint8", 4, wide=True)
    run_both(lambda m, t: m.sum(t), [u], [tu])
    run_both(lambda m, t: m.prod(t[:5]), [u], [tu])


@pytest.mark.parametrize("op", ["argmax", "argmin"])
def test_arg_reductions_reject_bool_like_torch(op):
    x, tx = make_pair((2, 3), "bool", 5)
    raises_like_torch(lambda m: getattr(m, op)(x if m is wt else tx), "bool")


def test_all_any_keep_uint8_dtype_like_torch():
    x, tx = make_pair((2, 3), "uint8", 5)
    run_both(lambda m, t: m.all(t), [x], [tx])
    run_both(lambda m, t: m.any(t, 1), [x], [tx])


@pytest.mark.parametrize("call,match", [
    (lambda m, t: m.sum(t, 3), "Dimension out of range"),
    (lambda m, t: m.sum(t, (0, 0)), "appears multiple times"),
    (lambda m, t: m.amax(t, -4), "Dimension out of range"),
    (lambda m, t: m.argmax(t, 5), "Dimension out of range"),
    (lambda m, t: m.softmax(t, 3), "Dimension out of range"),
    (lambda m, t: m.cumsum(t, -4), "Dimension out of range"),
    (lambda m, t: m.mean(t.long()), "mean(): could not infer output dtype"),
    (lambda m, t: m.var(t.int()), "floating point"),
    (lambda m, t: m.amax(t[:, :0], 1), "Expected reduction dim 1 to have non-zero size"),
    (lambda m, t: m.max(t[:0]), "numel() == 0"),
    (lambda m, t: m.argmax(t[:0]), "numel() == 0"),
    (lambda m, t: m.amax(t[:0]), "numel() == 0"),
    (lambda m, t: m.logsumexp(t), ""),
])
def test_reduction_errors_like_torch(call, match):
    x, tx = make_pair((2, 3, 4), "float32", 6)
    raises_like_torch(lambda m: call(m, x if m is wt else tx), match)


def test_empty_reductions_like_torch():
    x, tx = make_pair((0, 3), "float32", 7)
    for f in (lambda m, t: m.sum(t), lambda m, t: m.sum(t, 0), lambda m, t: m.prod(t, 0),
              lambda m, t: m.mean(t, 0), lambda m, t: m.amax(t, 1), lambda m, t: m.all(t),
              lambda m, t: m.any(t, 0), lambda m, t: m.logsumexp(t, 0),
              lambda m, t: m.var(t, 0), lambda m, t: m.count_nonzero(t, 0),
              lambda m, t: m.cumsum(t, 0), lambda m, t: m.softmax(t, 1)):
        run_both(f, [x], [tx])


def test_0d_reductions_and_scans():
    x, tx = make_pair((), "float32", 8)
    for f in (lambda m, t: m.sum(t, 0), lambda m, t: m.amax(t, -1), lambda m, t: m.argmax(t, 0),
              lambda m, t: m.max(t, 0), lambda m, t: m.cumsum(t, 0), lambda m, t: m.cumprod(t, 0),
              lambda m, t: m.softmax(t, 0), lambda m, t: m.log_softmax(t, 0),
              lambda m, t: m.logsumexp(t, 0), lambda m, t: m.var(t, 0)):
        run_both(f, [x], [tx])


# ---- numpy: a second, independent oracle (float64) ---------------------------------------------
def _np_logsumexp(a, axis, keepdims):
    m = np.max(a, axis=axis, keepdims=True)
    r = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return r if keepdims else np.squeeze(r, axis=axis)


NP_REDUCE = {
    "sum": np.sum, "mean": np.mean, "prod": np.prod, "amax": np.max, "amin": np.min,
    "all": np.all, "any": np.any, "logsumexp": _np_logsumexp,
    "var": lambda a, axis, keepdims: np.var(a, axis=axis, keepdims=keepdims, ddof=1),
    "std": lambda a, axis, keepdims: np.std(a, axis=axis, keepdims=keepdims, ddof=1),
}


@pytest.mark.parametrize("op", sorted(NP_REDUCE))
@settings(max_examples=examples(15))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), seed=seeds, layout=layouts,
       keepdim=st.booleans())
def test_reductions_against_numpy(op, data, shape, seed, layout, keepdim):
    x, tx = make_pair(shape, "float64", seed, layout, domain="unit" if op == "prod" else "any")
    n = len(shape)
    dims = tuple(sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1))))
    if op == "prod":
        dims = dims[:1]
    f = NP_REDUCE[op]
    want = f(tx.numpy(), axis=dims, keepdims=keepdim)
    if op in ("all", "any"):
        want = np.asarray(want, dtype=bool)
    got = getattr(wt, op)(x, dims[0] if op == "prod" else dims, keepdim=keepdim)
    assert_np(got, want, rtol=1e-10, atol=1e-12)


@settings(max_examples=examples(20))
@given(data=st.data(), shape=shapes(1, 3, 1, 4), seed=seeds, layout=layouts)
def test_arg_scan_softmax_against_numpy(data, shape, seed, layout):
    x, tx = make_pair(shape, "float64", seed, layout)
    a = tx.numpy()
    d = data.draw(st.integers(0, len(shape) - 1))
    assert_np(wt.argmax(x, d), np.argmax(a, axis=d))
    assert_np(wt.argmin(x, d), np.argmin(a, axis=d))
    assert_np(wt.max(x, d).values, np.max(a, axis=d))
    assert_np(wt.cumsum(x, d), np.cumsum(a, axis=d), rtol=1e-10, atol=1e-12)
    assert_np(wt.cumprod(x, d), np.cumprod(a, axis=d), rtol=1e-10, atol=1e-12)
    e = np.exp(a - a.max(axis=d, keepdims=True))
    sm = e / e.sum(axis=d, keepdims=True)
    assert_np(wt.softmax(x, d), sm, rtol=1e-10, atol=1e-14)
    assert_np(wt.log_softmax(x, d), np.log(sm), rtol=1e-10, atol=1e-12)
    assert_np(wt.count_nonzero(x, d), np.count_nonzero(a, axis=d))
    v, mu = wt.var_mean(x, d)
    assert_np(v, np.var(a, axis=d, ddof=1), rtol=1e-10, atol=1e-12)
    assert_np(mu, np.mean(a, axis=d), rtol=1e-10, atol=1e-12)
    s, mu = wt.std_mean(x, d, correction=0)
    assert_np(s, np.std(a, axis=d), rtol=1e-10, atol=1e-12)


def test_nansum_nanmean_like_torch():
    vals = [[1.0, float("nan"), 2.5], [float("nan")] * 3]
    x, tx = wt.tensor(vals), torch.tensor(vals)
    for kw in ({}, {"dim": 1}, {"dim": 0, "keepdim": True}, {"dim": (0, 1)}):
        run_both(lambda m, a: m.nansum(a, **kw), [x], [tx])
        run_both(lambda m, a: a.nanmean(**kw), [x], [tx])
    i, ti = make_pair((2, 3), "int32", 1)
    run_both(lambda m, a: a.nansum(1), [i], [ti])
    raises_like_torch(lambda m: m.nanmean(m.ones(2, dtype=m.int64)), "could not infer output")

    def grad(m):
        t = m.tensor(vals[:1] * 2, requires_grad=True)
        (m.nansum(t) + (m.nanmean(t, 1) * m.tensor([1.0, -3.0])).sum()).backward()
        return t.grad
    run_both(lambda m, g: g, [grad(wt)], [grad(torch)])
