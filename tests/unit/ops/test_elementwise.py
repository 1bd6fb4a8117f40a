"""webtensor/ops/elementwise.py: every unary and binary op of the op table (plus clamp, where,
lerp, square, isnan/isinf/isfinite, aliases, operators and in-place forms) against torch, over
hypothesis shapes (0- and 1-sized dims), broadcasting, all dtypes, non-contiguous views and
NaN/Inf. Which dtypes an op rejects is tested separately from its values (see *_rejects_*)."""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor.ops.table import ALIASES, BINARY, OPS, UNARY
from wt_oracle import (DTYPES, FLOATS, assert_np, assert_same, broadcast_shapes, dtypes, examples,
                       layouts, make_pair, raises_like_torch, run_both, seeds, shapes,
                       torch_gelu)

_FUNCTIONAL = {"gelu": torch_gelu, "silu": F.silu}
_POSITIVE = {"log", "sqrt", "rsqrt", "log1p"}


def tfn(op):
    return _FUNCTIONAL.get(op) or getattr(torch, op)


def call(m, op, *args, **kw):
    return (tfn(op) if m is torch else getattr(wt, op))(*args, **kw)


def _torch_rejects(op, dtype, arity=1):
    x = torch.ones(2, dtype=getattr(torch, dtype))
    try:
        tfn(op)(*([x] * arity))
    except Exception:  # noqa: BLE001
        return True
    return False


UNARY_REJECTED = [(op, dt) for op in UNARY for dt in DTYPES if _torch_rejects(op, dt)]
BINARY_OPS = BINARY + tuple(n for n in ("rsub", "floor_divide", "fmax", "fmin") if n in OPS)
BINARY_REJECTED = [(op, dt) for op in BINARY_OPS for dt in DTYPES if _torch_rejects(op, dt, 2)]


def _values_only(fn, wt_args, torch_args, **tol):
    """Compare where torch computes; which inputs torch rejects is tested on its own."""
    try:
        expected = fn(torch, *torch_args)
    except Exception:  # noqa: BLE001
        return
    assert_same(fn(wt, *wt_args), expected, **tol)


# ---- unary -----------------------------------------------------------------------------------
@pytest.mark.parametrize("op", UNARY)
@settings(max_examples=examples(25))
@given(shape=shapes(0, 3), dtype=dtypes, layout=layouts, seed=seeds, special=st.booleans(),
       wide=st.booleans())
def test_unary(op, shape, dtype, layout, seed, special, wide):
    dom = "pos" if op in _POSITIVE and not special else "any"
    x, tx = make_pair(shape, dtype, seed, layout, special=special, wide=wide, domain=dom)
    if op in ("gelu", "silu") and special and dtype in FLOATS:
        # torch gives nan for gelu(+-inf) / silu(-inf): checked once, in
        # test_unary_special_values, so that it does not mask other differences here
        x, tx = _finite(x), _finite(tx)
    _values_only(lambda m, a: call(m, op, a), [x], [tx])


def _finite(t):
    """t with +-inf replaced by +-1000 (same values for torch and webtensor tensors)."""
    m = torch if isinstance(t, torch.Tensor) else wt
    big = m.full_like(t, 1000.0)
    return m.where(t == float("inf"), big, m.where(t == float("-inf"), -big, t))


@pytest.mark.parametrize("op,dtype", UNARY_REJECTED)
def test_unary_rejects_dtypes_like_torch(op, dtype):
    x, tx = make_pair((2, 3), dtype, 1)
    raises_like_torch(lambda m: call(m, op, x if m is wt else tx))


@pytest.mark.parametrize("op", [o for o in UNARY if o not in ("gelu", "silu")])
@pytest.mark.parametrize("dtype", ["float32", "int32", "float16"])
def test_unary_method_and_inplace(op, dtype):
    x, tx = make_pair((3, 4), dtype, 2, "transposed", domain="pos" if op in _POSITIVE else "any")
    _values_only(lambda m, a: getattr(a, op)(), [x], [tx])
    if hasattr(torch.Tensor, op + "_"):
        base, tbase = x.clone(), tx.clone()
        try:
            tr = getattr(tx, op + "_")()
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e)):
                getattr(x, op + "_")()
            return
        r = getattr(x, op + "_")()
        assert r is x
        assert_same(x, tr)
        assert base.shape == tbase.shape


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3), dtype=st.sampled_from(FLOATS), seed=seeds,
       approx=st.sampled_from(["none", "tanh"]), special=st.booleans())
def test_gelu_approximate(shape, dtype, seed, approx, special):
    x, tx = make_pair(shape, dtype, seed, special=special)
    x, tx = _finite(x), _finite(tx)  # +-inf: see test_unary_special_values
    assert_same(wt.gelu(x, approximate=approx), F.gelu(tx, approximate=approx))


def test_gelu_bad_approximate_raises_like_torch():
    x, tx = make_pair((3,), "float32", 1)
    raises_like_torch(lambda m: (wt.gelu if m is wt else F.gelu)(x if m is wt else tx,
                                                                 approximate="fast"))


@pytest.mark.parametrize("decimals", [-1, 0, 1, 2, 3])
def test_round_decimals(decimals):
    vals = [0.0, 1.25, -2.5, 3.14159, 1234.5678, -0.04, 7.0, 12.5]
    x, tx = wt.tensor(vals, dtype=wt.float64), torch.tensor(vals, dtype=torch.float64)
    assert_same(wt.round(x, decimals=decimals), torch.round(tx, decimals=decimals))


def test_round_half_to_even_like_torch():
    vals = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5]
    assert_same(wt.round(wt.tensor(vals)), torch.round(torch.tensor(vals)))


@pytest.mark.parametrize("op", ["exp", "log", "sqrt", "rsqrt", "reciprocal", "sigmoid", "tanh",
                                "log1p", "expm1", "sin", "cos", "erf", "relu", "gelu", "silu",
                                "sign", "abs", "neg", "floor", "ceil", "round"])
def test_unary_special_values(op):
    vals = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1e-45, -1e-45, 3.4e38, -3.4e38, 88.8,
            -104.0, 0.5, -1.0]
    if op == "gelu":  # torch's gelu overflows internally near FLT_MAX (gives inf)
        vals = [v for v in vals if abs(v) != 3.4e38]
    x, tx = wt.tensor(vals), torch.tensor(vals)
    assert_same(call(wt, op, x), call(torch, op, tx))


# ---- binary ----------------------------------------------------------------------------------
def _binary_domains(op, dta, dtb):
    if op in ("div", "remainder", "floor_divide") and dtb not in FLOATS:
        return "any", "nonzero"
    if op == "pow" and dtb not in FLOATS:
        return "any", "small"
    if op == "pow":
        return "pos", "any"
    return "any", "any"


@pytest.mark.parametrize("op", BINARY_OPS)
@settings(max_examples=examples(25))
@given(shp=broadcast_shapes(), dts=st.tuples(dtypes, dtypes), lays=st.tuples(layouts, layouts),
       seed=seeds, special=st.booleans(), wide=st.booleans())
def test_binary(op, shp, dts, lays, seed, special, wide):
    # integers beyond float16's range mixed with float16: torch itself is inconsistent there
    # (f16 + int64 70000 is inf, but f16 inf / int64 5e18 is inf, not inf / inf = nan)
    wide = wide and "float16" not in dts
    da, db = _binary_domains(op, *dts)
    a, ta = make_pair(shp[0], dts[0], seed, lays[0], special, wide and op != "pow", da)
    b, tb = make_pair(shp[1], dts[1], seed + 1, lays[1], special, wide and op != "pow", db)
    _values_only(lambda m, x, y: call(m, op, x, y), [a, b], [ta, tb])


@pytest.mark.parametrize("op,dtype", BINARY_REJECTED)
def test_binary_rejects_dtypes_like_torch(op, dtype):
    x, tx = make_pair((2, 3), dtype, 1)
    raises_like_torch(lambda m: call(m, op, *([x, x] if m is wt else [tx, tx])))


@pytest.mark.parametrize("op", BINARY_OPS)
def test_binary_with_python_scalar(op):
    """tensor op scalar for every scalar kind and dtype (values where torch computes; the
    rejected combinations are covered by the *_rejects_* and bool tests)."""
    failures = []
    for dtype in ("float32", "int64", "uint8", "bool", "float16", "int8"):
        x, tx = make_pair((2, 3), dtype, 3, "stepped", domain="pos" if op == "pow" else "any")
        for scalar in (2, -3, 2.5, -0.5, True, float("inf"), float("nan")):
            try:
                expected = call(torch, op, tx, scalar)
            except Exception:  # noqa: BLE001
                continue
            try:
                assert_same(call(wt, op, x, scalar), expected)
            except Exception as e:  # noqa: BLE001
                failures.append(f"{op}({dtype} tensor, {scalar!r}): {type(e).__name__}: {e}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("op", BINARY_OPS)
def test_binary_0d_tensor_operands(op):
    for dta, dtb in (("int32", "float64"), ("float16", "float64"), ("uint8", "int64"),
                     ("float32", "int64"), ("bool", "int8")):
        a, ta = make_pair((2, 3), dta, 4)
        b, tb = make_pair((), dtb, 5, domain="nonzero")
        _values_only(lambda m, x, y: call(m, op, x, y), [a, b], [ta, tb])
        _values_only(lambda m, x, y: call(m, op, y, x), [a, b], [ta, tb])


def test_binary_broadcast_mismatch_raises_like_torch():
    a, ta = make_pair((2, 3), "float32", 1)
    b, tb = make_pair((4,), "float32", 2)
    raises_like_torch(lambda m: (a if m is wt else ta) + (b if m is wt else tb),
                      "The size of tensor a (3) must match the size of tensor b (4)",
                      "dimension 1")


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
@settings(max_examples=examples(20))
@given(dts=st.tuples(st.sampled_from(["float32", "float64", "int64", "int32", "int8", "float16"]),
                     st.sampled_from(["float32", "int64", "int16", "uint8"])), seed=seeds,
       shp=broadcast_shapes())
def test_div_rounding_modes(mode, dts, seed, shp):
    if mode == "trunc" and dts[0] == "float16":
        # torch's float16 trunc division depends on its code path: -23936/36 gives -664 for a
        # 1-element tensor and -665 (quotient rounded to half first) in a 3-element one
        return
    a, ta = make_pair(shp[0], dts[0], seed, wide=True)
    b, tb = make_pair(shp[1], dts[1], seed + 1, domain="nonzero")
    _values_only(lambda m, x, y: m.div(x, y, rounding_mode=mode), [a, b], [ta, tb])


def test_integer_division_by_zero_raises_like_torch():
    a, b = wt.tensor([1, 2]), wt.tensor([1, 0])
    ta, tb = torch.tensor([1, 2]), torch.tensor([1, 0])
    for f in (lambda m, x, y: m.div(x, y, rounding_mode="floor"),
              lambda m, x, y: m.div(x, y, rounding_mode="trunc"),
              lambda m, x, y: m.remainder(x, y), lambda m, x, y: m.floor_divide(x, y)):
        raises_like_torch(lambda m: f(m, *((a, b) if m is wt else (ta, tb))), "ZeroDivisionError")
    # float division by zero is IEEE
    run_both(lambda m, x, y: m.div(x, y), [a.float(), b.float()], [ta.float(), tb.float()])


def test_div_rounding_mode_bad_value_raises_like_torch():
    raises_like_torch(lambda m: m.div(m.ones(2), m.ones(2), rounding_mode="round"), "rounding_mode")


def test_pow_integer_tensor_exponents_like_torch():
    """Negative integer exponents from a tensor give 0 (or +-1 for bases +-1) in torch."""
    b, e = [2, 3, -2, 1, -1, 0, 5], [-1, 2, 3, -3, -3, 2, -2]
    run_both(lambda m, x, y: m.pow(x, y), [wt.tensor(b), wt.tensor(e)],
             [torch.tensor(b), torch.tensor(e)])


def test_pow_negative_python_int_exponent_raises_like_torch():
    raises_like_torch(lambda m: m.pow(m.tensor([2, 3]), -1), "negative integer powers")


@pytest.mark.parametrize("alpha", [2, -1, 0.5])
def test_add_sub_alpha(alpha):
    for dt in ("float32", "int64"):
        if dt == "int64" and isinstance(alpha, float):
            a, ta = make_pair((2, 3), dt, 1)
            raises_like_torch(lambda m: m.add(a if m is wt else ta, a if m is wt else ta,
                                              alpha=alpha))
            continue
        a, ta = make_pair((2, 3), dt, 1)
        b, tb = make_pair((3,), dt, 2)
        for op in ("add", "sub"):
            run_both(lambda m, x, y: getattr(m, op)(x, y, alpha=alpha), [a, b], [ta, tb])


def test_bool_subtraction_and_negation_raise_like_torch():
    a, ta = make_pair((3,), "bool", 1)
    f, tf = make_pair((3,), "float32", 2)
    raises_like_torch(lambda m: (a if m is wt else ta) - (a if m is wt else ta), "Subtraction")
    raises_like_torch(lambda m: -(a if m is wt else ta), "Negation")
    raises_like_torch(lambda m: (a if m is wt else ta) - (f if m is wt else tf), "Subtraction")
    raises_like_torch(lambda m: (f if m is wt else tf) - True, "Subtraction")


# ---- the rest of the elementwise ops ----------------------------------------------------------
@settings(max_examples=examples(40))
@given(shape=shapes(0, 3), dtype=dtypes, seed=seeds, layout=layouts, special=st.booleans(),
       lo=st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3)),
       hi=st.one_of(st.none(), st.integers(-3, 3), st.floats(-3, 3)),
       which=st.sampled_from(["clamp", "clip", "clamp_min", "clamp_max"]))
def test_clamp_scalars(shape, dtype, seed, layout, special, lo, hi, which):
    if dtype in ("uint8", "bool"):
        lo = None if lo is None else abs(lo)
        hi = None if hi is None else abs(hi)
    x, tx = make_pair(shape, dtype, seed, layout, special)
    if which in ("clamp", "clip"):
        if lo is None and hi is None:
            raises_like_torch(lambda m: getattr(m, which)(x if m is wt else tx), "min")
            return
        run_both(lambda m, t: getattr(m, which)(t, lo, hi), [x], [tx])
    else:
        v = lo if which == "clamp_min" else hi
        if v is None:
            return
        run_both(lambda m, t: getattr(m, which)(t, v), [x], [tx])


@settings(max_examples=examples(30))
@given(shp=broadcast_shapes(), seed=seeds, dtype=st.sampled_from(["float32", "int64", "float64"]))
def test_clamp_tensor_bounds(shp, seed, dtype):
    x, tx = make_pair(shp[0], dtype, seed)
    lo, tlo = make_pair(shp[1], dtype, seed + 1)
    hi, thi = make_pair(shp[1], dtype, seed + 2)
    run_both(lambda m, a, b, c: m.clamp(a, b, c), [x, lo, hi], [tx, tlo, thi])
    run_both(lambda m, a, b: m.clamp(a, min=b), [x, lo], [tx, tlo])
    run_both(lambda m, a, b: m.clamp(a, max=b), [x, hi], [tx, thi])


def test_clamp_integer_tensor_with_out_of_range_bounds_like_torch():
    x, tx = make_pair((6,), "uint8", 1)
    run_both(lambda m, t: m.clamp(t, -2, 5), [x], [tx])


@settings(max_examples=examples(40))
@given(data=st.data(), seed=seeds, dts=st.tuples(dtypes, dtypes),
       lays=st.tuples(layouts, layouts, layouts))
def test_where(data, seed, dts, lays):
    s1, s2 = data.draw(broadcast_shapes())
    s0 = data.draw(st.sampled_from([s1, s2, ()]))
    c, tc = make_pair(s0, "bool", seed, lays[0])
    a, ta = make_pair(s1, dts[0], seed + 1, lays[1])
    b, tb = make_pair(s2, dts[1], seed + 2, lays[2])
    run_both(lambda m, x, y, z: m.where(x, y, z), [c, a, b], [tc, ta, tb])


@pytest.mark.parametrize("other", [0, 1.5, True, -7])
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "float16"])
def test_where_with_scalars(other, dtype):
    c, tc = make_pair((2, 3), "bool", 1)
    a, ta = make_pair((2, 3), dtype, 2)
    run_both(lambda m, x, y: m.where(x, y, other), [c, a], [tc, ta])
    run_both(lambda m, x, y: m.where(x, other, y), [c, a], [tc, ta])


def test_where_method_form_like_torch():
    """torch: x.where(condition, y) == where(condition, x, y)."""
    c, tc = make_pair((2, 3), "bool", 1)
    a, ta = make_pair((2, 3), "float32", 2)
    b, tb = make_pair((2, 3), "float32", 3)
    run_both(lambda m, x, cond, y: x.where(cond, y), [a, c, b], [ta, tc, tb])


def test_where_condition_must_be_bool():
    a, ta = make_pair((2, 3), "float32", 2)
    raises_like_torch(lambda m: m.where(a if m is wt else ta, a if m is wt else ta,
                                        a if m is wt else ta), "boolean")


@pytest.mark.parametrize("op", ["isnan", "isinf", "isfinite"])
@settings(max_examples=examples(20))
@given(shape=shapes(0, 3), dtype=dtypes, seed=seeds, layout=layouts)
def test_isnan_isinf_isfinite(op, shape, dtype, seed, layout):
    x, tx = make_pair(shape, dtype, seed, layout, special=True)
    run_both(lambda m, t: getattr(m, op)(t), [x], [tx])
    run_both(lambda m, t: getattr(t, op)(), [x], [tx])


@settings(max_examples=examples(30))
@given(shp=broadcast_shapes(), seed=seeds, dtype=st.sampled_from(FLOATS),
       weight=st.one_of(st.floats(-2, 2), st.just("tensor")))
def test_lerp(shp, seed, dtype, weight):
    a, ta = make_pair(shp[0], dtype, seed)
    b, tb = make_pair(shp[1], dtype, seed + 1)
    # torch evaluates lerp in float32 and rounds once; a decomposition into half-precision
    # sub/mul/add rounds three times: allow a few half ulps, keep float32/64 tight.
    atol = {"float16": 4e-3, "bfloat16": 4e-2}.get(dtype, 1e-4)
    if weight == "tensor":
        w, tw = make_pair(shp[1], dtype, seed + 2, domain="unit")
        run_both(lambda m, x, y, z: m.lerp(x, y, z), [a, b, w], [ta, tb, tw], atol=atol)
    else:
        run_both(lambda m, x, y: m.lerp(x, y, weight), [a, b], [ta, tb], atol=atol)


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3), dtype=dtypes, seed=seeds, layout=layouts)
def test_square(shape, dtype, seed, layout):
    x, tx = make_pair(shape, dtype, seed, layout, wide=True)
    run_both(lambda m, t: m.square(t), [x], [tx])


@pytest.mark.parametrize("op", ["fmax", "fmin", "maximum", "minimum"])
def test_fmax_fmin_ignore_nan_maximum_minimum_propagate_it(op):
    a = [float("nan"), 1.0, float("nan"), -0.0, 2.0, float("inf")]
    b = [2.0, float("nan"), float("nan"), 0.0, -3.0, float("nan")]
    run_both(lambda m, x, y: getattr(m, op)(x, y), [wt.tensor(a), wt.tensor(b)],
             [torch.tensor(a), torch.tensor(b)])
    run_both(lambda m, x, y: getattr(x, op)(y), [wt.tensor(a), wt.tensor(b)],
             [torch.tensor(a), torch.tensor(b)])


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_aliases_match_torch(alias):
    a, ta = make_pair((9,), "float32", 1, special=True)
    b, tb = make_pair((9,), "float32", 2, "offset", special=True)
    target = ALIASES[alias]
    if target in UNARY:
        run_both(lambda m, x: getattr(m, alias)(x), [a], [ta])
    elif target == "clamp":
        run_both(lambda m, x: getattr(m, alias)(x, -1.0, 1.0), [a], [ta])
    else:
        run_both(lambda m, x, y: getattr(m, alias)(x, y), [a, b], [ta, tb])


# ---- operators and in-place forms ----------------------------------------------------------------
_OPERATORS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
    "**": lambda a, b: a ** b, "&": lambda a, b: a & b, "|": lambda a, b: a | b,
    "^": lambda a, b: a ^ b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@pytest.mark.parametrize("sym", sorted(_OPERATORS))
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool", "int8"])
def test_operators(sym, dtype):
    f = _OPERATORS[sym]
    dom = "small" if sym == "**" else "nonzero" if sym in ("//", "%") else "any"
    a, ta = make_pair((2, 3), dtype, 1, "transposed")
    b, tb = make_pair((3,), dtype, 2, domain=dom)
    _values_only(lambda m, x, y: f(x, y), [a, b], [ta, tb])
    # divisors / exponents for the reflected form (scalar op tensor): no zeros, no negatives
    p, tp = make_pair((2, 3), dtype, 3, "transposed", domain="small" if sym == "**" else "pos")
    for s in (2, 1.5, True):  # tensor op scalar, scalar op tensor (reflected)
        _values_only(lambda m, x: f(x, s), [a], [ta])
        _values_only(lambda m, x: f(s, x), [p], [tp])


@pytest.mark.parametrize("dtype", ["float32", "int32", "bool", "float16"])
def test_unary_operators(dtype):
    a, ta = make_pair((2, 3), dtype, 1, "stepped")
    for f in (lambda x: -x, lambda x: +x, lambda x: abs(x), lambda x: ~x):
        try:
            expected = f(ta)
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e)):
                f(a)
            continue
        assert_same(f(a), expected)


def test_matmul_operator():
    a, ta = make_pair((2, 3), "float32", 1)
    b, tb = make_pair((3, 4), "float32", 2)
    assert_same(a @ b, ta @ tb)


_INPLACE = ["add", "sub", "mul", "div", "pow", "remainder", "floor_divide", "maximum",
            "clamp_min", "bitwise_and", "logical_or", "lerp", "atan2", "eq", "lt"]


@pytest.mark.parametrize("op", _INPLACE)
@pytest.mark.parametrize("dtype", ["float32", "int64", "bool"])
@pytest.mark.parametrize("layout", ["contig", "transposed", "stepped", "offset"])
def test_inplace_methods_write_into_views(op, dtype, layout):
    """x.op_(y) on a view: result in x, written through to the base, same errors as torch."""
    base, tbase = make_pair((4, 6), dtype, 1)
    sl = {"contig": (slice(None),), "transposed": (slice(None),),
          "stepped": (slice(None), slice(None, None, 2)), "offset": (slice(1, 3),)}[layout]
    x, tx = base[sl], tbase[sl]
    if layout == "transposed":
        x, tx = x.t(), tx.t()
    y, ty = make_pair(tuple(x.shape)[-1:], dtype, 2, domain="nonzero")
    if op == "clamp_min":
        fn = lambda m, t, u: t.clamp_min_(1)  # noqa: E731
    elif op == "lerp":
        fn = lambda m, t, u: t.lerp_(u, 0.5)  # noqa: E731
    else:
        fn = lambda m, t, u: getattr(t, op + "_")(u)  # noqa: E731
    if not hasattr(torch.Tensor, op + "_"):
        return
    try:
        r = fn(torch, tx, ty)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            fn(wt, x, y)
        return
    assert r is tx
    got = fn(wt, x, y)
    assert got is x
    assert_same(x, tx)
    assert_same(base, tbase)


@pytest.mark.parametrize("sym", ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^="])
@pytest.mark.parametrize("dtype", ["float32", "int32", "bool"])
def test_augmented_assignment(sym, dtype):
    def go(m, x, y):
        x0 = x
        ns = {"x": x, "y": y}
        exec(f"x {sym} y", ns)  # noqa: S102 - the statement under test
        assert ns["x"] is x0, "augmented assignment must work in place"
        return ns["x"]
    a, ta = make_pair((2, 3), dtype, 1)
    b, tb = make_pair((3,), dtype, 2, domain="small" if sym == "**=" else "nonzero")
    try:
        expected = go(torch, ta, tb)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)):
            go(wt, a, b)
        return
    assert_same(go(wt, a, b), expected)


def test_inplace_cast_and_broadcast_errors_like_torch():
    a, ta = make_pair((3,), "int64", 1)
    f, tf = make_pair((3,), "float32", 2)
    raises_like_torch(lambda m: (a if m is wt else ta).add_(f if m is wt else tf),
                      "result type Float can't be cast to the desired output type Long")
    raises_like_torch(lambda m: (a if m is wt else ta).div_(2),
                      "can't be cast to the desired output type Long")
    g, tg = make_pair((2, 3), "float32", 3)
    raises_like_torch(lambda m: (f if m is wt else tf).mul_(g if m is wt else tg),
                      "output with shape [3] doesn't match the broadcast shape [2, 3]")


def test_operand_types_rejected_like_torch():
    x, tx = make_pair((3,), "float32", 1)
    raises_like_torch(lambda m: m.add(x if m is wt else tx, "a"))
    raises_like_torch(lambda m: m.exp([1.0, 2.0]))


# ---- numpy: a second, independent oracle (float64 and int64, where numpy means the same) ------
_ERF = np.vectorize(math.erf, otypes=[np.float64])
NP_UNARY = {
    "neg": np.negative, "abs": np.abs, "exp": np.exp, "log": np.log, "log1p": np.log1p,
    "expm1": np.expm1, "sqrt": np.sqrt, "rsqrt": lambda a: 1 / np.sqrt(a), "sin": np.sin,
    "cos": np.cos, "tanh": np.tanh, "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
    "relu": lambda a: np.maximum(a, 0), "gelu": lambda a: 0.5 * a * (1 + _ERF(a / math.sqrt(2))),
    "silu": lambda a: a / (1 + np.exp(-a)), "erf": _ERF, "floor": np.floor, "ceil": np.ceil,
    "round": np.round, "sign": np.sign, "reciprocal": np.reciprocal,
    "logical_not": np.logical_not, "bitwise_not": np.invert,
}
NP_BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide,
    "pow": np.power, "maximum": np.maximum, "minimum": np.minimum, "remainder": np.remainder,
    "atan2": np.arctan2, "eq": np.equal, "ne": np.not_equal, "lt": np.less, "le": np.less_equal,
    "gt": np.greater, "ge": np.greater_equal, "logical_and": np.logical_and,
    "logical_or": np.logical_or, "logical_xor": np.logical_xor, "bitwise_and": np.bitwise_and,
    "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor, "floor_divide": np.floor_divide,
    "rsub": lambda a, b: b - a, "fmax": np.fmax, "fmin": np.fmin,
}


def test_numpy_tables_cover_the_op_table():
    assert set(NP_UNARY) == set(UNARY)
    assert set(BINARY_OPS) <= set(NP_BINARY)


@pytest.mark.parametrize("op", UNARY)
@settings(max_examples=examples(15))
@given(shape=shapes(0, 3), seed=seeds, layout=layouts,
       dtype=st.sampled_from(["float64", "int64"]))
def test_unary_against_numpy(op, shape, seed, layout, dtype):
    if (dtype == "int64") != (op == "bitwise_not"):
        dtype = "int64" if op == "bitwise_not" else "float64"
    x, tx = make_pair(shape, dtype, seed, layout, domain="pos" if op in _POSITIVE else "any")
    with np.errstate(all="ignore"):
        want = NP_UNARY[op](tx.numpy())
    assert_np(call(wt, op, x), want)


@pytest.mark.parametrize("op", BINARY_OPS)
@settings(max_examples=examples(15))
@given(shp=broadcast_shapes(), seed=seeds, lays=st.tuples(layouts, layouts),
       dtype=st.sampled_from(["float64", "int64"]))
def test_binary_against_numpy(op, shp, seed, lays, dtype):
    if op.startswith("bitwise"):
        dtype = "int64"
    elif op in ("atan2", "pow"):
        dtype = "float64"
    da, db = _binary_domains(op, dtype, dtype)
    a, ta = make_pair(shp[0], dtype, seed, lays[0], domain=da)
    b, tb = make_pair(shp[1], dtype, seed + 1, lays[1], domain=db)
    with np.errstate(all="ignore"):
        want = NP_BINARY[op](ta.numpy(), tb.numpy())
    # numpy's int / int is float64, torch's (the spec) the default float32: values only then
    assert_np(call(wt, op, a, b), want, rtol=1e-7 if op == "div" else 1e-12,
              check_dtype=not (op == "div" and dtype == "int64"))


def test_clamp_where_lerp_square_against_numpy():
    x, tx = make_pair((4, 5), "float64", 1, "transposed")
    y, ty = make_pair((5,), "float64", 2)
    c, tc = make_pair((4, 1), "bool", 3)
    assert_np(wt.clamp(x, -1.0, 2.0), np.clip(tx.numpy(), -1.0, 2.0))
    assert_np(wt.clamp_min(x, 0.5), np.maximum(tx.numpy(), 0.5))
    assert_np(wt.clamp_max(x, 0.5), np.minimum(tx.numpy(), 0.5))
    assert_np(wt.where(c, x, y), np.where(tc.numpy(), tx.numpy(), ty.numpy()))
    assert_np(wt.lerp(x, y, 0.25), tx.numpy() + 0.25 * (ty.numpy() - tx.numpy()))
    assert_np(wt.square(x), np.square(tx.numpy()))
    s, ts = make_pair((9,), "float64", 4, special=True)
    for op, f in (("isnan", np.isnan), ("isinf", np.isinf), ("isfinite", np.isfinite)):
        assert_np(getattr(wt, op)(s), f(ts.numpy()))


@pytest.mark.parametrize("op", ["floor", "ceil", "round", "trunc"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rounding_keeps_the_sign_of_zero(op, dtype):
    v = [-0.7, -0.5, -0.3, -0.0, 0.0, 0.3, 0.5, 0.7, -1.5, 2.5]
    got = getattr(wt, op)(wt.tensor(v, dtype=getattr(wt, dtype))).numpy()
    want = getattr(torch, op)(torch.tensor(v, dtype=getattr(torch, dtype))).numpy()
    assert np.array_equal(got, want) and np.array_equal(np.signbit(got), np.signbit(want))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_atan2_of_huge_and_tiny_values(dtype):
    # float32 atan2 scales by the larger operand's exponent: 2^-e must not underflow there
    s = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -2.5, 3e38, -3e38, 1.7e38, 2.0 ** 126,
         2.0 ** -149, 1e-40, -1e30]
    a, b = [x for x in s for _ in s], [y for _ in s for y in s]
    got = wt.atan2(wt.tensor(a, dtype=getattr(wt, dtype)), wt.tensor(b, dtype=getattr(wt, dtype)))
    want = torch.atan2(torch.tensor(a, dtype=getattr(torch, dtype)),
                       torch.tensor(b, dtype=getattr(torch, dtype)))
    assert_np(got, want.numpy(), rtol=2e-7, atol=0)
