"""The elementwise composites of webtensor/ops/elementwise.py that model files use (trunc,
frac, fmod, xlogy, addcmul, addcdiv, isposinf / isneginf, add / sub with alpha and a Python
number) against torch: dtypes, layouts, broadcasting, special values, in-place forms, errors,
gradients."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (DTYPES, broadcast_shapes, dtypes, examples, layouts, make_pair,
                       raises_like_torch, run_both, seeds)

SPECIAL = [0.0, -0.0, 1.5, -1.5, 2.5, -7.25, float("inf"), float("-inf"), float("nan"), 1e-30]


@settings(max_examples=examples(30))
@given(shape=st.sampled_from([(), (0, 3), (2, 3), (3, 1, 2)]), dtype=dtypes, layout=layouts,
       seed=seeds)
def test_trunc_frac_isinf_any_dtype(shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout, special=True)
    for name in ("trunc", "frac", "isposinf", "isneginf", "fix"):
        run_both(lambda m, a: getattr(m, name)(a), [x], [tx])
    run_both(lambda m, a: a.trunc(), [x], [tx])


@settings(max_examples=examples(30))
@given(shapes=broadcast_shapes(), da=dtypes, db=dtypes, seed=seeds)
def test_fmod_xlogy_promote_and_broadcast(shapes, da, db, seed):
    (x, tx), (y, ty) = make_pair(shapes[0], da, seed), \
        make_pair(shapes[1], db, seed + 1, domain="nonzero")
    run_both(lambda m, a, b: m.fmod(a, b), [x, y], [tx, ty])
    run_both(lambda m, a, b: m.xlogy(a, b), [x, y], [tx, ty], atol=1e-6)


def test_fmod_xlogy_special_values_and_scalars():
    vals = torch.tensor(SPECIAL)
    a, b = vals.repeat_interleave(len(SPECIAL)), vals.repeat(len(SPECIAL))
    run_both(lambda m, p, q: m.fmod(p, q), [wt.tensor(a.tolist()), wt.tensor(b.tolist())],
             [a, b])
    run_both(lambda m, p, q: m.xlogy(p, q), [wt.tensor(a.tolist()), wt.tensor(b.abs().tolist())],
             [a, b.abs()])
    x, tx = make_pair((2, 3), "float32", 3)
    i, ti = make_pair((2, 3), "int64", 4)
    for fn in (lambda m, p: m.fmod(p, 2.5), lambda m, p: m.fmod(p, -3), lambda m, p: p.fmod(2),
               lambda m, p: m.xlogy(p, 2.0), lambda m, p: m.xlogy(3, p.abs()),
               lambda m, p: p.xlogy(p.abs())):
        run_both(fn, [x], [tx])
        run_both(fn, [i], [ti])
    f16, tf16 = make_pair((5,), "float16", 5)
    run_both(lambda m, p: m.fmod(p, 0.75), [f16], [tf16])
    # a tiny dividend over a divisor of the other sign: fmod is the dividend (exact), where
    # remainder(a, b) - b rounds to 0 in float16 (and loses bits in every float dtype)
    for dt in ("float16", "bfloat16", "float32", "float64"):
        a = torch.tensor([1e-5, -1e-5, 3.0, -3.0, -0.0, 0.0, 7e-3], dtype=getattr(torch, dt))
        b = torch.tensor([-2.25, 2.25, -2.25, 2.25, 1.5, -1.5, -1e4], dtype=getattr(torch, dt))
        run_both(lambda m, p, q: m.fmod(p, q), [wt.tensor(a.tolist(), dtype=getattr(wt, dt)),
                                                 wt.tensor(b.tolist(), dtype=getattr(wt, dt))],
                 [a, b])


def test_in_place_forms():
    for name, args in (("trunc_", ()), ("frac_", ()), ("fmod_", (1.5,)),
                       ("xlogy_", (2.0,))):
        x, tx = make_pair((2, 3), "float32", 7)
        run_both(lambda m, a: (getattr(a, name)(*args), a)[1], [x], [tx])
    i, ti = make_pair((2, 3), "int32", 8, domain="nonzero")
    run_both(lambda m, a: a.fmod_(a), [i], [ti])
    raises_like_torch(lambda m: m.ones(3, dtype=m.int64).xlogy_(2.0), "can't be cast")


def test_errors_like_torch():
    raises_like_torch(lambda m: m.trunc(m.tensor([True])), "trunc_vml_cpu", "Bool")
    raises_like_torch(lambda m: m.frac(m.tensor([1, 2])), "frac_cpu", "Long")
    raises_like_torch(lambda m: m.fmod(m.tensor([True]), m.tensor([True])), "fmod_cpu")
    raises_like_torch(lambda m: m.fmod(m.tensor([3]), m.tensor([0])), "ZeroDivisionError")
    raises_like_torch(lambda m: m.addcdiv(m.ones(2), m.ones(2, dtype=m.int64),
                                          m.ones(2, dtype=m.int64)), "Integer division")
    raises_like_torch(lambda m: m.ones(2, dtype=m.int64).add(1, alpha=2.5),
                      "alpha must not be a floating point")


@settings(max_examples=examples(25))
@given(shapes=broadcast_shapes(), dtype=st.sampled_from(DTYPES), seed=seeds,
       value=st.sampled_from([1, 2, -0.5, 0.5, True]))
def test_addcmul_addcdiv(shapes, dtype, seed, value):
    x, tx = make_pair(shapes[0], dtype, seed)
    y, ty = make_pair(shapes[1], dtype, seed + 1, domain="nonzero")
    z, tz = make_pair(shapes[0], "float32", seed + 2, domain="nonzero")
    run_both(lambda m, a, b: m.addcmul(a, a, b, value=value), [x, y], [tx, ty])
    run_both(lambda m, a, b: a.addcmul(b, b), [x, y], [tx, ty])
    run_both(lambda m, a, b, c: m.addcdiv(c, a, b, value=value), [x, y, z], [tx, ty, tz],
             rtol=1e-3, atol=1e-3)


def test_addcmul_addcdiv_in_place_and_int_value_cast():
    for name in ("addcmul_", "addcdiv_"):
        x, tx = make_pair((2, 3), "float32", 1)
        y, ty = make_pair((3,), "float32", 2, domain="nonzero")
        run_both(lambda m, a, b: (getattr(a, name)(b, b, value=0.5), a)[1], [x, y], [tx, ty])
    i, ti = make_pair((4,), "int64", 3)
    run_both(lambda m, a: m.addcmul(a, a, a, value=0.5), [i], [ti])   # 0.5 -> 0 for ints


@pytest.mark.parametrize("dtype", ["float32", "int64", "uint8", "bool", "float16"])
def test_add_sub_alpha_with_a_python_number(dtype):
    x, tx = make_pair((2, 3), dtype, 9)
    for other, alpha in ((1, 3), (2, 1), (True, True), (1.5, 2), (3, -2)):
        run_both(lambda m, a: a.add(other, alpha=alpha), [x], [tx])
        run_both(lambda m, a: m.add(a, other, alpha=alpha), [x], [tx])
        if dtype != "bool" and other is not True:
            run_both(lambda m, a: a.sub(other, alpha=alpha), [x], [tx])
            run_both(lambda m, a: m.rsub(a, other, alpha=alpha), [x], [tx])


def test_gradients_match_torch():
    def grads(m):
        vals = [0.7, -1.3, 2.6, -0.4, 1.9, 0.0]
        a = m.tensor(vals, dtype=m.float64, requires_grad=True)
        b = m.tensor([1.5, 0.8, -2.1, 3.3, -0.9, 0.6], dtype=m.float64, requires_grad=True)
        out = (m.fmod(a, b) * 2 + m.xlogy(a, b.abs()) + m.addcmul(a, a, b, value=0.3) +
               m.addcdiv(b, a, b, value=-1.5) + m.frac(a * 3) + m.trunc(b))
        (out * m.arange(6, dtype=m.float64)).sum().backward()
        return a.grad, b.grad
    ga, gb = grads(wt)
    ta, tb = grads(torch)
    run_both(lambda m, g: g, [ga], [ta])
    run_both(lambda m, g: g, [gb], [tb])


def test_xlogy_gradient_at_zero_is_finite_like_torch():
    def grads(m):
        a = m.tensor([0.0, 0.0, 2.0, 0.0], requires_grad=True)
        b = m.tensor([0.0, 3.0, 0.5, float("nan")], requires_grad=True)
        y = m.xlogy(a, b)
        y.sum().backward()
        return y, a.grad, b.grad[1:]        # b's gradient at (0, 0): torch nan (0/0), here 0
    for w, t in zip(grads(wt), grads(torch)):
        run_both(lambda m, g: g, [w], [t])
