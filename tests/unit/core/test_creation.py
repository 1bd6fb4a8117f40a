"""webtensor/_creation.py: tensor(), constant fills, ranges, eye and random numbers vs torch."""
import array
import math

import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (ALL_DTYPES, DTYPES, assert_same, examples, make_pair, name_of,
                       raises_like_torch, seeds, shapes, shares_storage, tdt, wdt)


# ---- tensor() from Python data -------------------------------------------------------------
_INT_LIMITS = {"int64": 2**63, "int32": 2**31, "int16": 2**15, "int8": 2**7, "uint8": 256}


def _nested(draw, shape, kind, dtype):
    if not shape:
        if kind == "bool":
            return draw(st.booleans())
        lim = _INT_LIMITS.get(dtype)
        if lim is not None:  # values the integer dtype can hold (overflow: tested below)
            lo, hi = (0, lim - 1) if dtype == "uint8" else (-lim, lim - 1)
            ints = st.integers(lo, hi)
            if kind == "int":
                return draw(ints)
            return draw(st.one_of(ints, st.booleans(), st.floats(max(lo, -1e6), min(hi, 1e6))))
        if kind == "int":
            return draw(st.integers(-2**40, 2**40))
        if kind == "mixed":
            return draw(st.one_of(st.booleans(), st.integers(-100, 100),
                                  st.floats(-1e6, 1e6, width=32)))
        return draw(st.floats(allow_nan=True, allow_infinity=True, width=32))
    return [_nested(draw, shape[1:], kind, dtype) for _ in range(shape[0])]


@settings(max_examples=examples(50))
@given(data=st.data(), shape=shapes(0, 3, 0, 3),
       kind=st.sampled_from(["bool", "int", "float", "mixed"]),
       dtype=st.sampled_from((None,) + ALL_DTYPES))
def test_tensor_from_nested_lists(data, shape, kind, dtype):
    nested = _nested(data.draw, shape, kind, dtype)
    t = torch.tensor(nested, **({} if dtype is None else {"dtype": tdt(dtype)}))
    x = wt.tensor(nested, **({} if dtype is None else {"dtype": wdt(dtype)}))
    assert_same(x, t, rtol=0, atol=0)


@pytest.mark.parametrize("dtype,value", [("int8", 300), ("uint8", 256), ("int32", 2**40),
                                         ("int64", float("inf")), ("int32", float("nan")),
                                         ("int16", 40000)])
def test_out_of_range_values_raise_like_torch(dtype, value):
    raises_like_torch(lambda m: m.tensor([1, value], dtype=getattr(m, dtype)), "overflow")


@pytest.mark.parametrize("data", [[], [[]], [[], []], [[[]]], 3, 2.5, True, [True, 2],
                                  [1, 2.5], [[1, 2], [3, 4]], [[True], [False]],
                                  (1, 2), [(1, 2), (3, 4)], [-0.0, float("inf"), float("nan")]])
def test_tensor_dtype_and_shape_inference(data):
    assert_same(wt.tensor(data), torch.tensor(data))


def test_tensor_of_tensors_and_0d():
    parts = [torch.tensor(1.5), torch.tensor(2.5)]
    wparts = [wt.tensor(1.5), wt.tensor(2.5)]
    assert_same(wt.tensor(wparts), torch.tensor(parts))
    assert_same(wt.tensor([wt.tensor([1, 2]), wt.tensor([3, 4])]),
                torch.tensor([[1, 2], [3, 4]]))


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[1, 2], [3, 4, 5]], [[[1], [2]], [[3]]]])
def test_ragged_nested_lists_raise_like_torch(bad):
    raises_like_torch(lambda m: m.tensor(bad), "expected sequence of length")


def test_tensor_rejects_strings_like_torch():
    raises_like_torch(lambda m: m.tensor("abc"), "invalid data type")


def test_tensor_copies_and_as_tensor_shares():
    x = wt.tensor([1.0, 2.0])
    y = wt.tensor(x)
    assert not shares_storage(x, y)
    y.fill_(0)
    assert x.tolist() == [1.0, 2.0]
    assert wt.as_tensor(x) is x and torch.as_tensor(torch.ones(2)) is not None
    z = wt.as_tensor(x, dtype=wt.float64)
    assert z.dtype is wt.float64 and not shares_storage(x, z)
    assert_same(wt.as_tensor([1, 2], dtype=wt.float16),
                torch.as_tensor([1, 2], dtype=torch.float16))


def test_tensor_from_array_array_like_torch():
    for code, vals in (("f", [1.5, -2.0]), ("d", [0.1, 2.0]), ("b", [-3, 4]), ("B", [3, 250]),
                       ("h", [-300, 7]), ("i", [1, -2]), ("q", [2**40, -1])):
        a = array.array(code, vals)
        assert_same(wt.tensor(a), torch.tensor(a))


def test_tensor_requires_grad_and_device_kwargs():
    x = wt.tensor([1.0], requires_grad=True, device="cpu")
    assert x.requires_grad is True and str(x.device) == "cpu"
    with pytest.raises(RuntimeError, match="cuda"):
        wt.tensor([1.0], device="cuda")


def test_tensor_class_constructors_like_torch():
    assert_same(wt.Tensor([1, 2]), torch.Tensor([1, 2]))
    e, te = wt.Tensor(2, 3), torch.Tensor(2, 3)
    assert e.shape == te.shape and name_of(e.dtype) == name_of(te.dtype)
    assert wt.Tensor().shape == torch.Tensor().shape


# ---- fills ---------------------------------------------------------------------------------
def _size_forms(shape):
    return [tuple(shape), list(shape), torch.Size(shape) if False else tuple(shape)]


@settings(max_examples=examples(40))
@given(shape=shapes(0, 3), dtype=st.sampled_from((None,) + ALL_DTYPES), varargs=st.booleans())
def test_zeros_ones_empty_full(shape, dtype, varargs):
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    args = tuple(shape) if varargs and shape else (tuple(shape),)
    assert_same(wt.zeros(*args, **kw_w), torch.zeros(*args, **kw_t))
    assert_same(wt.ones(*args, **kw_w), torch.ones(*args, **kw_t))
    e, te = wt.empty(*args, **kw_w), torch.empty(*args, **kw_t)
    assert e.shape == te.shape and name_of(e.dtype) == name_of(te.dtype)
    fill = True if dtype == "bool" else 3
    assert_same(wt.full(tuple(shape), fill, **kw_w), torch.full(tuple(shape), fill, **kw_t))


@pytest.mark.parametrize("fill", [1.5, 2, True, -0.0, float("inf"), float("nan")])
def test_full_infers_dtype_like_torch(fill):
    assert_same(wt.full((2, 2), fill), torch.full((2, 2), fill))


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3), dtype=st.sampled_from(DTYPES), to=st.sampled_from((None,) + DTYPES),
       seed=seeds)
def test_like_constructors(shape, dtype, to, seed):
    x, tx = make_pair(shape, dtype, seed)
    kw_t = {} if to is None else {"dtype": tdt(to)}
    kw_w = {} if to is None else {"dtype": wdt(to)}
    for name in ("zeros_like", "ones_like"):
        assert_same(getattr(wt, name)(x, **kw_w), getattr(torch, name)(tx, **kw_t))
    fill = True if (to or dtype) == "bool" else 2
    assert_same(wt.full_like(x, fill, **kw_w), torch.full_like(tx, fill, **kw_t))
    e, te = wt.empty_like(x, **kw_w), torch.empty_like(tx, **kw_t)
    assert e.shape == te.shape and name_of(e.dtype) == name_of(te.dtype)


def test_negative_size_raises_like_torch():
    for f in ("zeros", "ones", "empty"):
        raises_like_torch(lambda m: getattr(m, f)(2, -1), "negative")
    raises_like_torch(lambda m: m.full((-2,), 1.0), "negative")


# ---- ranges --------------------------------------------------------------------------------
@settings(max_examples=examples(80))
@given(start=st.one_of(st.integers(-20, 20), st.floats(-20, 20).map(lambda v: round(v, 2))),
       end=st.one_of(st.none(), st.integers(-20, 20),
                     st.floats(-20, 20).map(lambda v: round(v, 2))),
       step=st.one_of(st.integers(-5, 5), st.sampled_from([0.5, -0.25, 0.3, 1.5, -0.7])),
       dtype=st.sampled_from([None, "float32", "float64", "int64", "int32", "float16"]))
def test_arange(start, end, step, dtype):
    args = (start,) if end is None else (start, end, step)
    if dtype in ("int64", "int32") and any(isinstance(a, float) for a in args):
        # torch casts a fractional step to the integer dtype (arange(0, 2., .5) -> [0, 0, 0, 0]);
        # a torch quirk we do not ask webtensor to copy.
        return
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    try:
        t = torch.arange(*args, **kw_t)
    except RuntimeError:
        raises_like_torch(lambda m: m.arange(*args, **(kw_w if m is wt else kw_t)))
        return
    # torch computes half-precision ranges in half precision: a few ulps of the range
    scale = max(abs(start), abs(end or 0), 1.0)
    atol = {"float16": 4e-3 * scale}.get(dtype)
    assert_same(wt.arange(*args, **kw_w), t, atol=atol)


def test_arange_errors_like_torch():
    raises_like_torch(lambda m: m.arange(0, 5, 0), "step must be nonzero")
    raises_like_torch(lambda m: m.arange(5, 0, 1), "inconsistent with step sign")


@settings(max_examples=examples(60))
@given(start=st.floats(-100, 100), end=st.floats(-100, 100), steps=st.integers(0, 20),
       dtype=st.sampled_from([None, "float32", "float64", "float16", "bfloat16"]))
def test_linspace(start, end, steps, dtype):
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    # torch computes half-precision ranges in that precision: allow a few ulps of the range
    scale = max(abs(start), abs(end), 1.0)
    atol = {"float16": 4e-3 * scale, "bfloat16": 3e-2 * scale}.get(dtype, 1e-5 * scale)
    assert_same(wt.linspace(start, end, steps, **kw_w), torch.linspace(start, end, steps, **kw_t),
                rtol=1e-5 if dtype in (None, "float32") else None, atol=atol)


def test_linspace_integer_dtype_like_torch():
    assert_same(wt.linspace(0, 10, 4, dtype=wt.int64), torch.linspace(0, 10, 4, dtype=torch.int64))


def test_linspace_negative_steps_raise_like_torch():
    raises_like_torch(lambda m: m.linspace(0, 1, -1), "non-negative")


@pytest.mark.parametrize("n,m_", [(0, None), (1, None), (3, None), (2, 4), (4, 2), (3, 0)])
@pytest.mark.parametrize("dtype", [None, "int64", "bool", "float16"])
def test_eye(n, m_, dtype):
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    args = (n,) if m_ is None else (n, m_)
    assert_same(wt.eye(*args, **kw_w), torch.eye(*args, **kw_t))


def test_eye_negative_raises_like_torch():
    raises_like_torch(lambda m: m.eye(-1), "-1")


# ---- random --------------------------------------------------------------------------------
def test_manual_seed_makes_random_reproducible():
    for fn in (lambda: wt.rand(3, 4), lambda: wt.randn(5), lambda: wt.randint(0, 10, (6,)),
               lambda: wt.randperm(7), lambda: wt.rand_like(wt.zeros(2, 2)),
               lambda: wt.randn_like(wt.zeros(3)), lambda: wt.randint_like(wt.zeros(4), 5)):
        wt.manual_seed(1234)
        a = fn().tolist()
        wt.manual_seed(1234)
        b = fn().tolist()
        wt.manual_seed(99)
        c = fn().tolist()
        assert a == b and a != c
    wt.manual_seed(7)
    assert wt.initial_seed() == 7


def test_generator_objects_are_independent():
    g1, g2 = wt.Generator().manual_seed(5), wt.Generator().manual_seed(5)
    a = wt.rand(4, generator=g1).tolist()
    wt.rand(100)  # the default generator does not disturb g2
    assert wt.rand(4, generator=g2).tolist() == a
    st_ = g1.get_state()
    x = wt.randn(3, generator=g1).tolist()
    g1.set_state(st_)
    assert wt.randn(3, generator=g1).tolist() == x


@pytest.mark.parametrize("dtype", [None, "float64", "float16", "bfloat16"])
def test_rand_randn_shapes_dtypes_ranges(dtype):
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    wt.manual_seed(0)
    r = wt.rand(40, 25, **kw_w)
    tr = torch.rand(40, 25, **kw_t)
    assert r.shape == tr.shape and name_of(r.dtype) == name_of(tr.dtype)
    vals = r.reshape(-1).tolist()
    assert all(0.0 <= v <= 1.0 for v in vals)
    assert 0.4 < sum(vals) / len(vals) < 0.6
    n = wt.randn(2000, **kw_w).tolist()
    mean = sum(n) / len(n)
    var = sum((v - mean) ** 2 for v in n) / len(n)
    assert abs(mean) < 0.1 and 0.85 < var < 1.15


@pytest.mark.parametrize("args", [(10,), (3, 10), (-5, 5)])
@pytest.mark.parametrize("dtype", [None, "int32", "uint8", "float32"])
def test_randint(args, dtype):
    if dtype == "uint8" and args[0] < 0:
        return
    kw_t = {} if dtype is None else {"dtype": tdt(dtype)}
    kw_w = {} if dtype is None else {"dtype": wdt(dtype)}
    r, tr = wt.randint(*args, (50, 4), **kw_w), torch.randint(*args, (50, 4), **kw_t)
    assert r.shape == tr.shape and name_of(r.dtype) == name_of(tr.dtype)
    lo, hi = (0, args[0]) if len(args) == 1 else args
    vals = r.reshape(-1).tolist()
    assert all(lo <= v < hi for v in vals) and len(set(vals)) == hi - lo


def test_randperm_is_a_permutation():
    for n in (0, 1, 10):
        p, tp = wt.randperm(n), torch.randperm(n)
        assert name_of(p.dtype) == name_of(tp.dtype) and p.shape == tp.shape
        assert sorted(p.tolist()) == list(range(n))


def test_random_errors_like_torch():
    raises_like_torch(lambda m: m.randint(5, 3, (2,)), "from=5 >= to=3")
    raises_like_torch(lambda m: m.rand(2, dtype=m.int64), "check_uniform_bounds")
    raises_like_torch(lambda m: m.randn(2, dtype=m.int32))
    raises_like_torch(lambda m: m.rand(-1), "negative")


def test_arange_float_steps_keep_count_like_torch():
    for start, end, step in ((0, 1, 0.1), (1.0, 2.0, 0.3), (-1, 1, 1 / 3), (0, 10, 2.5)):
        a, t = wt.arange(start, end, step), torch.arange(start, end, step)
        assert a.shape == t.shape, (start, end, step)
        assert math.isclose(a[-1].item(), t[-1].item(), rel_tol=1e-6)


@pytest.mark.parametrize("dtype", [None, "float32", "float64", "int64", "int32", "int8",
                                   "uint8", "bool", "float16", "bfloat16"])
def test_tensor_of_long_nested_lists_is_torchs(dtype):
    """The packed fill (array's C conversion) and its fallbacks: floats rounded to float32 (an
    overflow is inf), floats truncated into integers, 0/1 into bool, as torch."""
    import random
    rng = random.Random(5)
    floats = [[rng.uniform(-100, 100) for _ in range(300)] for _ in range(20)]
    floats[3][4] = 1e300
    ints = [[rng.randint(0, 1) for _ in range(300)] for _ in range(20)]
    for data in (floats, ints, [[bool(v) for v in r] for r in ints]):
        try:
            want = torch.tensor(data, dtype=getattr(torch, dtype) if dtype else None)
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e)):
                wt.tensor(data, dtype=getattr(wt, dtype) if dtype else None)
            continue
        got = wt.tensor(data, dtype=getattr(wt, dtype) if dtype else None)
        assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1]
        assert torch.equal(torch.tensor(got.tolist(), dtype=want.dtype), want)
