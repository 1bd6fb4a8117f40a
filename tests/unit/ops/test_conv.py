"""webtensor/ops/conv.py and ops/pool.py against torch.nn.functional, on both backends:
conv1d/conv2d (stride, padding incl. "same"/"valid", dilation, groups incl. depthwise, bias,
batched and unbatched), max/avg pooling 1-D and 2-D (ceil_mode, indices, divisors), adaptive
pooling; dtype rules and torch's error types and messages."""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (assert_same, examples, layouts, make_pair, raises_like_torch, run_both,
                       seeds)

CONV_DTYPES = ("float32", "float32", "float32", "float64", "float16", "int32", "int64")


def _tol(dtype, k):
    """Sums of k products in another order than torch's (values <= 4)."""
    eps = {"float64": 1e-15, "float32": 2e-7, "float16": 1e-3, "bfloat16": 8e-3}.get(dtype)
    if eps is None:
        return {}
    return {"atol": eps * 16 * max(k, 1) * 8, "rtol": eps * 8}


def fn_of(name):
    return lambda m, *a, **k: getattr(m if m is wt else F, name)(*a, **k)


@st.composite
def conv_cases(draw, nd):
    groups_kind = draw(st.sampled_from(["one", "two", "depthwise"]))
    g = {"one": 1, "two": 2}.get(groups_kind, draw(st.integers(1, 5)))
    cg = 1 if groups_kind == "depthwise" else draw(st.integers(1, 3))
    ocg = draw(st.integers(1, 3))
    n = draw(st.sampled_from([None, 0, 1, 2]))       # None: unbatched
    sp = tuple(draw(st.integers(1, 9)) for _ in range(nd))
    ks = tuple(draw(st.integers(1, 4)) for _ in range(nd))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(nd))
    dil = tuple(draw(st.integers(1, 2)) for _ in range(nd))
    padding = draw(st.one_of(st.just("same"), st.just("valid"),
                             st.tuples(*[st.integers(0, 2)] * nd), st.integers(0, 2)))
    if padding == "same":
        stride = 1
    x_shape = ((n,) if n is not None else ()) + (g * cg,) + sp
    w_shape = (g * ocg, cg) + ks
    return x_shape, w_shape, dict(stride=stride, padding=padding, dilation=dil, groups=g)


def _conv_check(name, case, dtype, lays, seed, bias):
    xs, ws, kw = case
    if dtype == "float16":   # torch 2.13's dilated half-precision CPU conv segfaults
        kw = dict(kw, dilation=1)
    x, tx = make_pair(xs, dtype, seed, lays[0])
    w, tw = make_pair(ws, dtype, seed + 1, lays[1])
    b, tb = make_pair((ws[0],), dtype, seed + 2) if bias else (None, None)
    k = ws[1] * math.prod(ws[2:])
    run_both(lambda m, x_, w_, b_: fn_of(name)(m, x_, w_, b_, **kw), [x, w, b], [tx, tw, tb],
             same_error=False, **_tol(dtype, k))


@settings(max_examples=examples(80))
@given(case=conv_cases(2), dtype=st.sampled_from(CONV_DTYPES), lays=st.tuples(layouts, layouts),
       seed=seeds, bias=st.booleans())
def test_conv2d(case, dtype, lays, seed, bias):
    _conv_check("conv2d", case, dtype, lays, seed, bias)


@settings(max_examples=examples(50))
@given(case=conv_cases(1), dtype=st.sampled_from(CONV_DTYPES), lays=st.tuples(layouts, layouts),
       seed=seeds, bias=st.booleans())
def test_conv1d(case, dtype, lays, seed, bias):
    _conv_check("conv1d", case, dtype, lays, seed, bias)


@pytest.mark.parametrize("xs,ws,kw", [
    ((1, 16, 20, 19), (24, 16, 3, 3), dict(padding=1)),                 # ResNet-style 3x3
    ((2, 16, 13, 11), (8, 16, 1, 1), {}),                                # 1x1: batched GEMM
    ((2, 12, 13, 11), (8, 4, 1, 1), dict(groups=3)),                     # grouped 1x1
    ((1, 9, 17, 23), (9, 1, 3, 3), dict(padding=1, groups=9)),           # depthwise 3x3
    ((2, 6, 31, 37), (12, 1, 5, 3), dict(stride=2, padding=2, groups=6)),  # x2 multiplier, s2
    ((1, 5, 19, 29), (5, 1, 3, 3), dict(stride=(1, 3), dilation=2, groups=5)),
    ((1, 8, 16, 16), (8, 8, 2, 2), dict(stride=2, padding="valid")),
    ((1, 4, 15, 15), (6, 4, 4, 2), dict(padding="same", dilation=(1, 2))),
    ((3, 33), (5, 3, 4), dict(padding="same")),                           # unbatched conv1d
])
def test_conv_layers(xs, ws, kw):
    name = "conv1d" if len(ws) == 3 else "conv2d"
    x, tx = make_pair(xs, "float32", 3)
    w, tw = make_pair(ws, "float32", 4)
    b, tb = make_pair((ws[0],), "float32", 5)
    run_both(lambda m, x_, w_, b_: fn_of(name)(m, x_, w_, b_, **kw), [x, w, b], [tx, tw, tb],
             **_tol("float32", ws[1] * math.prod(ws[2:])))


@pytest.mark.parametrize("groups", [1, 2])
def test_conv_im2col_in_chunks_of_images(monkeypatch, groups):
    """The wasm conv makes the patch matrices of several images at once, in chunks of
    COL_BUDGET floats: 5 images in chunks of 2, 2 and 1 give torch's result."""
    from webtensor.backends.wasm import conv as wasm_conv
    x, tx = make_pair((5, 4, 7, 6), "float32", 3)
    w, tw = make_pair((6, 4 // groups, 3, 3), "float32", 4)
    b, tb = make_pair((6,), "float32", 5)
    ck = 4 * 9 * wasm_conv.col_ld(7 * 6)          # one image's patch matrix, in floats
    monkeypatch.setattr(wasm_conv, "COL_BUDGET", 2 * ck + 1)
    run_both(lambda m, x_, w_, b_: fn_of("conv2d")(m, x_, w_, b_, padding=1, groups=groups),
             [x, w, b], [tx, tw, tb], **_tol("float32", 36))


def test_conv_torch_namespace_and_keywords():
    x, tx = make_pair((1, 2, 5, 5), "float32", 1)
    w, tw = make_pair((3, 2, 3, 3), "float32", 2)
    assert_same(wt.conv2d(input=x, weight=w, stride=[2], padding=(1,)),
                torch.conv2d(input=tx, weight=tw, stride=[2], padding=(1,)), atol=1e-4)
    assert wt.conv2d is wt.ops.table.OPS["conv2d"].fn
    assert not hasattr(wt.Tensor, "conv2d")       # functions only, like torch


@st.composite
def pool_cases(draw, dilation=True):
    k = tuple(draw(st.integers(1, 4)) for _ in range(2))
    s = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    p = tuple(draw(st.integers(0, kk // 2)) for kk in k)
    d = tuple(draw(st.integers(1, 2)) for _ in range(2)) if dilation else (1, 1)
    n = draw(st.sampled_from([None, 0, 1, 2]))
    sp = tuple(draw(st.integers(1, 12)) for _ in range(2))
    shape = ((n,) if n is not None else ()) + (draw(st.integers(1, 3)),) + sp
    return shape, k, s, p, d, draw(st.booleans())


@settings(max_examples=examples(80))
@given(case=pool_cases(), dtype=st.sampled_from(["float32", "float32", "float64", "int64",
                                                  "float16", "int32"]),
       lay=layouts, seed=seeds, special=st.booleans(), idx=st.booleans())
def test_max_pool2d(case, dtype, lay, seed, special, idx):
    shape, k, s, p, d, ceil = case
    x, tx = make_pair(shape, dtype, seed, lay, special=special)
    run_both(lambda m, x_: fn_of("max_pool2d")(m, x_, k, s, p, d, ceil, idx), [x], [tx],
             same_error=False)


@settings(max_examples=examples(80))
@given(case=pool_cases(False), dtype=st.sampled_from(["float32", "float32", "float64",
                                                       "int64", "bfloat16"]),
       lay=layouts, seed=seeds, cip=st.booleans(),
       div=st.sampled_from([None, None, 3, -2]))
def test_avg_pool2d(case, dtype, lay, seed, cip, div):
    shape, k, s, p, _, ceil = case
    x, tx = make_pair(shape, dtype, seed, lay)
    run_both(lambda m, x_: fn_of("avg_pool2d")(m, x_, k, s, p, ceil, cip, div), [x], [tx],
             same_error=False)


@settings(max_examples=examples(60))
@given(shape=st.tuples(st.integers(1, 2), st.integers(1, 3), st.integers(1, 14),
                       st.integers(1, 14)),
       osz=st.tuples(st.one_of(st.none(), st.integers(0, 9)), st.integers(1, 9)),
       dtype=st.sampled_from(["float32", "float32", "float64", "float16"]), lay=layouts,
       seed=seeds, special=st.booleans(), idx=st.booleans(), unbatched=st.booleans())
def test_adaptive_pool2d(shape, osz, dtype, lay, seed, special, idx, unbatched):
    if unbatched:
        shape = shape[1:]
    x, tx = make_pair(shape, dtype, seed, lay, special=special)
    run_both(lambda m, x_: fn_of("adaptive_avg_pool2d")(m, x_, osz), [x], [tx])
    run_both(lambda m, x_: fn_of("adaptive_max_pool2d")(m, x_, osz, idx), [x], [tx])


@settings(max_examples=examples(50))
@given(n=st.sampled_from([None, 1, 2]), c=st.integers(1, 3), length=st.integers(1, 20),
       k=st.integers(1, 4), s=st.one_of(st.none(), st.integers(1, 3)), data=st.data(),
       ceil=st.booleans(), seed=seeds, lay=layouts)
def test_pool1d(n, c, length, k, s, data, ceil, seed, lay):
    p = data.draw(st.integers(0, k // 2))
    d = data.draw(st.integers(1, 2))
    shape = ((n,) if n is not None else ()) + (c, length)
    x, tx = make_pair(shape, "float32", seed, lay, special=True)
    run_both(lambda m, x_: fn_of("max_pool1d")(m, x_, k, s, p, d, ceil), [x], [tx],
             same_error=False)
    run_both(lambda m, x_: fn_of("max_pool1d")(m, x_, k, s, p, d, ceil, True), [x], [tx],
             same_error=False)
    run_both(lambda m, x_: fn_of("avg_pool1d")(m, x_, k, s, p, ceil, bool(seed % 2)), [x],
             [tx], same_error=False)


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                dict(kernel_size=3, stride=1, padding=1),
                                dict(kernel_size=(2, 3), stride=(1, 2), ceil_mode=True)])
def test_pool_vector_paths(kw):
    """Rows wide enough for the kernels' 4-wide interior loops, with NaN and -inf mixed in."""
    x, tx = make_pair((2, 3, 11, 41), "float32", 7, special=True)
    run_both(lambda m, x_: fn_of("max_pool2d")(m, x_, **kw), [x], [tx])
    run_both(lambda m, x_: fn_of("max_pool2d")(m, x_, return_indices=True, **kw), [x], [tx])
    x, tx = make_pair((2, 3, 11, 41), "float32", 8)
    run_both(lambda m, x_: fn_of("avg_pool2d")(m, x_, **kw), [x], [tx], rtol=1e-6, atol=1e-6)


def test_max_pool_ties_nan_and_signed_zero():
    vals = [0.0, -0.0, 1.0, 1.0, math.nan, 2.0, math.nan, -math.inf, -math.inf, -math.inf,
            -math.inf, -math.inf] * 4
    tx = torch.tensor(vals).reshape(1, 1, 4, 12)
    x = wt.tensor(vals).reshape(1, 1, 4, 12)
    for k, s in ((2, 2), (2, 1), (3, 3)):
        v, i = wt.max_pool2d(x, (1, k), (1, s), return_indices=True)
        tv, ti = F.max_pool2d(tx, (1, k), (1, s), return_indices=True)
        assert_same(i, ti)
        assert_same(v, tv)
        assert [math.copysign(1, a) for a in v.reshape(-1).tolist() if a == 0] == \
            [math.copysign(1, a) for a in tv.reshape(-1).tolist() if a == 0]


@pytest.mark.parametrize("dtype", ["float64", "int64", "int32"])
def test_pool_float64_and_integer_edges_like_torch(dtype):
    """float64: NaN wins max and adaptive max (its index too), signed zeros; integers: windows
    of the type's lowest value (first position), negative averages truncate toward zero,
    padding with count_include_pad, a divisor override."""
    tdt = getattr(torch, dtype)
    if dtype == "float64":
        vals = [0.0, -0.0, 1.0, math.nan, -2.5, -math.inf, 3.0, 1.0] * 4
    else:
        lo = torch.iinfo(tdt).min
        vals = [lo, lo, -5, -3, -2, -7, 4, lo] * 4
    tx = torch.tensor(vals, dtype=tdt).reshape(1, 2, 4, 4)
    x = wt.tensor(vals, dtype=getattr(wt, dtype)).reshape(1, 2, 4, 4)
    for kw in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 1, "padding": 1},
               {"kernel_size": 2, "stride": 1, "dilation": 2},
               {"kernel_size": 3, "ceil_mode": True}):
        run_both(lambda m, a: m.nn.functional.max_pool2d(a, return_indices=True, **kw), [x], [tx])
    if dtype != "int32":            # torch has no int32 avg_pool2d
        for kw in ({"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
                   {"kernel_size": 3, "padding": 1, "count_include_pad": False},
                   {"kernel_size": 2, "divisor_override": 3}):
            run_both(lambda m, a: m.nn.functional.avg_pool2d(a, **kw),
                     [x if dtype == "float64" else x // 1024],
                     [tx if dtype == "float64" else tx // 1024])
    if dtype == "float64":
        for osz in (1, 3, (2, 3)):
            run_both(lambda m, a: m.nn.functional.adaptive_max_pool2d(a, osz, return_indices=True),
                     [x], [tx])
            run_both(lambda m, a: m.nn.functional.adaptive_avg_pool2d(a, osz), [x], [tx])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32", "int64", "float64",
                                   "bfloat16", "float16", "bool"])
def test_dtype_rules(dtype):
    x, tx = make_pair((1, 2, 5, 5), dtype, 1)
    w, tw = make_pair((3, 2, 2, 2), dtype, 2)
    tol = {"atol": 0.1, "rtol": 0.02} if dtype in ("float16", "bfloat16") else {}
    run_both(lambda m, a, b: fn_of("conv2d")(m, a, b), [x, w], [tx, tw], **tol)
    for name, args in (("max_pool2d", (2,)), ("avg_pool2d", (3, 2, 1)),
                       ("adaptive_avg_pool2d", (2,)), ("adaptive_max_pool2d", (3,))):
        run_both(lambda m, a: fn_of(name)(m, a, *args), [x], [tx], **tol)
    run_both(lambda m, a: fn_of("max_pool1d")(m, a[0], 2), [x], [tx])
    run_both(lambda m, a: fn_of("avg_pool1d")(m, a[0], 2), [x], [tx], **tol)


X, W4 = (1, 4, 5, 5), (6, 4, 3, 3)


def _conv_err(xs=X, ws=W4, bs=None, xdt="float32", wdt="float32", bdt="float32", name="conv2d",
              **kw):
    def f(m):
        x = m.zeros(xs, dtype=getattr(m, xdt))
        w = m.zeros(ws, dtype=getattr(m, wdt))
        b = None if bs is None else m.zeros(bs, dtype=getattr(m, bdt))
        return getattr(F if m is torch else wt, name)(x, w, b, **kw)
    return f


@pytest.mark.parametrize("fn,match", [
    (_conv_err(padding="same", stride=2), ["padding='same' is not supported for strided"]),
    (_conv_err(padding="bogus"), ["Invalid padding string: 'bogus'"]),
    (_conv_err(ws=(6, 2, 3, 3)), ["Given groups=1, weight of size [6, 2, 3, 3], expected "
                                  "input[1, 4, 5, 5] to have 2 channels, but got 4"]),
    (_conv_err(ws=(6, 2, 3, 3), groups=3), ["to have 6 channels, but got 4 channels"]),
    (_conv_err(ws=(6, 1, 3, 3), groups=4), ["expected weight to be divisible by 4"]),
    (_conv_err(ws=(2, 1, 3, 3), groups=4), ["expected weight to be at least 4 at dimension 0"]),
    (_conv_err(ws=(6, 4, 7, 7)), ["Calculated padded input size per channel: (5 x 5). Kernel "
                                  "size: (7 x 7)"]),
    (_conv_err(ws=(6, 4, 3, 3), dilation=3), ["Kernel size: (7 x 7)"]),
    (_conv_err(xdt="float64"), ["expected scalar type Double but found Float"]),
    (_conv_err(bs=(6,), bdt="float64"), ["Input type (float) and bias type (double)"]),
    (_conv_err(bs=(5,)), ["expected bias to be 1-dimensional with 6 elements"]),
    (_conv_err(bs=(6, 1)), ["but got bias of size [6, 1]"]),
    (_conv_err(stride=0), ["non-positive stride is not supported"]),
    (_conv_err(padding=-1), ["negative padding is not supported"]),
    (_conv_err(dilation=0), ["dilation should be greater than zero"]),
    (_conv_err(groups=0), ["non-positive groups is not supported"]),
    (_conv_err(stride=(1, 2, 3)), ["expected stride to be a single integer value or a list of 2"]),
    (_conv_err(xs=(1, 1, 4, 5, 5)), ["Expected 3D (unbatched) or 4D (batched) input to conv2d"]),
    (_conv_err(xs=(2, 4, 9), ws=(3, 4, 2, 1), name="conv1d"),
     ["Expected 4-dimensional input for 4-dimensional weight [3, 4, 2, 1]"]),
    (_conv_err(xs=(4, 9), ws=(3, 4, 12), name="conv1d"), ["Kernel size: (12)"]),
    (_conv_err(xdt="bool", wdt="bool"), ["not implemented for 'Bool'"]),
    (lambda m: (F if m is torch else wt).conv2d([1.0], m.zeros(W4)), []),
    (lambda m: (F if m is torch else wt).conv2d(m.zeros(X), m.zeros(W4), padding=1.5), []),
])
def test_conv_errors(fn, match):
    raises_like_torch(fn, *match)


def _pool(name, shape=(1, 4, 5, 5), dtype="float32", *args, **kw):
    def f(m):
        return getattr(F if m is torch else wt, name)(m.zeros(shape, dtype=getattr(m, dtype)),
                                                      *args, **kw)
    return f


@pytest.mark.parametrize("fn,match", [
    (_pool("max_pool2d", X, "float32", 3, padding=2), ["pad should be at most half of effective "
                                                       "kernel size, but got pad=2"]),
    (_pool("max_pool2d", X, "float32", 0), ["stride should not be zero"]),
    (_pool("max_pool2d", X, "float32", 0, 1), ["kernel size should be greater than zero"]),
    (_pool("max_pool2d", X, "float32", 2, -1), ["stride should be greater than zero"]),
    (_pool("max_pool2d", X, "float32", 2, dilation=0), ["dilation should be greater than zero"]),
    (_pool("max_pool2d", X, "float32", 6), ["Given input size: (4x5x5). Calculated output size: "
                                            "(4x0x0). Output size is too small"]),
    (_pool("max_pool2d", X, "bool", 2), ['"max_pool2d" not implemented for \'Bool\'']),
    (_pool("max_pool2d", (1, 1, 4, 5, 5), "float32", 2), ["non-empty 3D or 4D"]),
    (_pool("max_pool2d", (1, 0, 5, 5), "float32", 2), ["but got:[1, 0, 5, 5]"]),
    (_pool("max_pool2d", X, "float32", (2, 3, 4)), ["kernel_size must either be a single int"]),
    (_pool("max_pool2d", X, "float32", 2, (1, 2, 3)), ["stride must either be omitted"]),
    (_pool("max_pool2d", X, "float32", 2, 1, (1, 2, 3)), ["padding must either be a single"]),
    (_pool("max_pool2d", X, "float32", 2, 1, -1), ["pad must be non-negative, but got pad: -1"]),
    (_pool("max_pool2d", (2, 3, 9), "float32", 2, None, (1, 2), 3),
     ["pad should be smaller than or equal to half of kernel size, but got padW = 2, padH = 1"]),
    (_pool("max_pool2d", X, "float32", 2.5), []),
    (_pool("avg_pool2d", X, "float32", 2, padding=2), ["pad should be at most half"]),
    (_pool("avg_pool2d", X, "int32", 2), ['"avg_pool2d" not implemented for \'Int\'']),
    (_pool("avg_pool2d", X, "float32", 2, divisor_override=0), ["divisor must be not zero"]),
    (_pool("avg_pool2d", (20, 5), "float32", 2), ["Dimension out of range"]),
    (_pool("avg_pool2d", (1, 2, 0, 5), "float32", 2), ["but got:[1, 2, 0, 5]"]),
    (_pool("adaptive_avg_pool2d", X, "float32", (2, 3, 3)), ["output_size must be 2"]),
    (_pool("adaptive_avg_pool2d", X, "float32", -1), ["greater than or equal to 0"]),
    (_pool("adaptive_avg_pool2d", X, "int64", 2), ["not implemented for 'Long'"]),
    (_pool("adaptive_avg_pool2d", (20, 5), "float32", 2), ["Expected 3D or 4D tensor, but got "
                                                           "[20, 5]"]),
    (_pool("adaptive_avg_pool2d", (1, 2, 0, 5), "float32", 2), ["dimension 2 being empty"]),
    (_pool("adaptive_max_pool2d", X, "int32", 2), ["not implemented for 'Int'"]),
    (_pool("adaptive_max_pool2d", (3, 9), "float32", 2), ["Expected 3D or 4D tensor"]),
    (_pool("max_pool1d", (2, 3, 9), "float32", (2, 3)), ["kernel_size must be an int"]),
    (_pool("max_pool1d", (2, 3, 9), "float32", 2, 0), ["stride must be greater than zero"]),
    (_pool("max_pool1d", (2, 3, 9), "float32", 12), ["Invalid computed output size: 0"]),
    (_pool("max_pool1d", (2, 3, 9), "float32", 3, 1, 2), ["padding should be at most half"]),
    (_pool("max_pool1d", (2, 3, 9), "int32", 2), ['"max_pool1d_impl" not implemented']),
    (_pool("max_pool1d", (9,), "float32", 2), ["Expected 2D or 3D (batch mode)"]),
    (_pool("avg_pool1d", (2, 3, 9), "float32", (2, 3)), ["should contain one int (got 2)"]),
    (_pool("avg_pool1d", (2, 3, 3, 9), "float32", 2), ["Expected 2 to 3 dimensions, but got "
                                                       "4-dimensional tensor"]),
    (_pool("avg_pool1d", (2, 3, 9), "float32", 12), ["Output size is too small"]),
])
def test_pool_errors(fn, match):
    raises_like_torch(fn, *match)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_halves_avg_pool_and_equal_window_adaptive_max_like_torch(dtype):
    """Halves' avg_pool2d staged in float32 a few planes at a time (and planes beyond the
    stage widened whole), rounded once as torch's; adaptive_max_pool2d with equal windows on
    max_pool2d's kernels (NaN, ties, indices)."""
    tol = _tol(dtype, 4)
    for shape, k, s, p in (((3, 5, 9, 11), 3, 2, 1), ((1, 2, 131, 129), 2, 2, 0),
                           ((2, 4, 1, 300), (1, 3), (1, 2), (0, 1))):
        x, tx = make_pair(shape, dtype, 1)
        run_both(lambda m, a: fn_of("avg_pool2d")(m, a, k, s, p), [x], [tx], **tol)
        run_both(lambda m, a: fn_of("avg_pool2d")(m, a, k, s, p, True, False, 5), [x], [tx],
                 **tol)
    run_both(lambda m, a: fn_of("avg_pool1d")(m, a, 2), [x[0]], [tx[0]], **tol)
    for dt in ("float32", "float64", dtype):
        x, tx = make_pair((2, 3, 12, 18), dt, 2, special=True)
        run_both(lambda m, a: fn_of("adaptive_max_pool2d")(m, a, (4, 6)), [x], [tx])
        run_both(lambda m, a: fn_of("adaptive_max_pool2d")(m, a, 3, True), [x[0]], [tx[0]])
