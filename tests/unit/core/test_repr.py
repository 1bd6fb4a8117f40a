"""webtensor/_format.py: repr/str print like torch (with "webtensor." for "torch.")."""
import math

import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import examples, make_pair, name_of, to_wt

NAN, INF = math.nan, math.inf


def _same_repr(t):
    x = to_wt(t)
    want = repr(t).replace("torch.", "webtensor.")
    assert repr(x) == want, f"\nwebtensor: {repr(x)}\ntorch:     {want}"
    assert str(x) == repr(x)


@pytest.mark.parametrize("data", [
    [1.0, 2.0, 3.0], [1.5, -2.25, 3.0], [0.1, 0.2, 0.3], [1e-5, 1.0], [1e10, 1.0], [123456.0, 1.5],
    [NAN, 1.0, INF, -INF], [-0.0, 0.0], [0.0], [1e-10], [3.14159265], [-1.0, 10.0, 100.0],
    [[1.0, 2.5], [3.0, 4.0]], [[[1.0], [2.0]], [[3.0], [4.0]]], [1e8, 2.0], [0.001, 1000.0],
])
def test_float_repr(data):
    _same_repr(torch.tensor(data))


@pytest.mark.parametrize("data", [[1, 2, 3], [-10, 200, 3], [[1, 2], [3, 4]], [0], [2**40, -1]])
def test_int_repr(data):
    _same_repr(torch.tensor(data))


@pytest.mark.parametrize("data", [[True, False], [[True], [False]], [False]])
def test_bool_repr(data):
    _same_repr(torch.tensor(data))


@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16", "int32", "int8", "uint8",
                                   "int16"])
def test_dtype_suffix(dtype):
    _same_repr(torch.tensor([1, 2, 3], dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("value", [3.5, 2.0, -1, True, NAN])
def test_0d_repr(value):
    _same_repr(torch.tensor(value))


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0), (2, 0, 3)])
@pytest.mark.parametrize("dtype", ["float32", "int64", "float16"])
def test_empty_repr(shape, dtype):
    _same_repr(torch.zeros(shape, dtype=getattr(torch, dtype)))


@pytest.mark.parametrize("shape", [(2000,), (40, 40), (3, 500), (1001,)])
def test_summarized_repr(shape):
    _same_repr(torch.arange(math.prod(shape), dtype=torch.float32).reshape(shape) / 4)


@settings(max_examples=examples(40))
@given(shape=st.lists(st.integers(1, 4), max_size=3).map(tuple),
       dtype=st.sampled_from(["float32", "int64", "bool", "float64"]), seed=st.integers(0, 999))
def test_repr_random(shape, dtype, seed):
    _, t = make_pair(shape, dtype, seed)
    _same_repr(t)


def test_non_contiguous_repr():
    x, t = make_pair((3, 4), "float32", 1, "transposed")
    assert repr(x) == repr(t).replace("torch.", "webtensor.")


def test_size_dtype_device_repr():
    x = wt.zeros(2, 3)
    assert repr(x.shape) == repr(torch.zeros(2, 3).shape).replace("torch.", "webtensor.")
    for name in ("float32", "int64", "bool", "bfloat16"):
        assert repr(getattr(wt, name)) == repr(getattr(torch, name)).replace("torch.", "webtensor.")
        assert name_of(getattr(wt, name)) == name
    assert repr(x.device) == repr(torch.zeros(1).device)
    assert str(x.device) == "cpu"


def test_repr_with_default_dtype_float64():
    prev, tprev = wt.get_default_dtype(), torch.get_default_dtype()
    wt.set_default_dtype(wt.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for data in ([1.5, 2.0], [1, 2]):
            assert repr(wt.tensor(data)) == repr(torch.tensor(data)).replace("torch.", "webtensor.")
        assert repr(wt.tensor([1.5], dtype=wt.float32)) == \
            repr(torch.tensor([1.5], dtype=torch.float32)).replace("torch.", "webtensor.")
    finally:
        wt.set_default_dtype(prev)
        torch.set_default_dtype(tprev)
