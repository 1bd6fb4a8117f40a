"""numpy interop (Tensor.numpy, __array__, from_numpy, tensor(ndarray), numpy scalars), checked
against torch's behaviour, including who shares memory with whom."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import (DTYPES, assert_same, dtypes, examples, layouts, make_pair, name_of,
                       raises_like_torch, seeds, shapes)

# torch's own __array__ predates numpy 2's copy keyword (not webtensor's warning)
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

NP_DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]


@settings(max_examples=examples(40))
@given(shape=shapes(0, 3), dtype=st.sampled_from([d for d in DTYPES if d != "bfloat16"]),
       layout=layouts, seed=seeds)
def test_numpy_view_of_tensor(shape, dtype, layout, seed):
    x, tx = make_pair(shape, dtype, seed, layout)
    a, ta = x.numpy(), tx.numpy()
    assert a.dtype == ta.dtype and a.shape == ta.shape
    np.testing.assert_array_equal(a, ta)
    if x.numel():
        # shares memory, both ways, like torch
        flat_index = (0,) * len(shape)
        a[flat_index] = 1
        assert x[flat_index].item() == 1
        x.zero_() if dtype != "bool" else x.fill_(False)
        assert not a.any()


@settings(max_examples=examples(30))
@given(shape=shapes(0, 3), dtype=st.sampled_from(NP_DTYPES), seed=seeds,
       order=st.sampled_from(["C", "F", "sliced"]))
def test_tensor_from_ndarray_copies(shape, dtype, seed, order):
    rng = np.random.default_rng(seed)
    arr = (rng.standard_normal(shape) * 10).astype(dtype)
    if order == "F":
        arr = np.asfortranarray(arr)
    elif order == "sliced" and arr.ndim:
        arr = arr[..., ::2]
    x, tx = wt.tensor(arr), torch.tensor(arr)
    assert_same(x, tx, rtol=0, atol=0)
    if arr.size:
        arr.flat[0] = 7
        assert_same(x, tx, rtol=0, atol=0)  # both copied


@pytest.mark.parametrize("dtype", NP_DTYPES)
def test_from_numpy_shares_memory_like_torch(dtype):
    arr = np.arange(6).reshape(2, 3).astype(dtype)
    x, tx = wt.from_numpy(arr), torch.from_numpy(arr)
    assert_same(x, tx)
    arr[0, 0] = 1  # torch.from_numpy shares: the tensor sees the write
    assert_same(x, tx)


@pytest.mark.parametrize("dtype", NP_DTYPES)
def test_as_tensor_of_ndarray_shares_like_torch(dtype):
    arr = np.zeros(4, dtype=dtype)
    x, tx = wt.as_tensor(arr), torch.as_tensor(arr)
    arr[1] = 1
    assert_same(x, tx)


def test_from_numpy_rejects_what_torch_rejects():
    raises_like_torch(lambda m: m.from_numpy(np.ones(3)[::-1]), "negative")
    raises_like_torch(lambda m: m.from_numpy(np.ones(2, dtype=">f4")), "byte order")


def test_from_numpy_dtypes_like_torch():
    for dt in ("uint16", "uint32", "complex64"):
        arr = np.ones(2, dtype=dt)
        try:
            t = torch.from_numpy(arr)
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e)):
                wt.from_numpy(arr)
            continue
        try:
            x = wt.from_numpy(arr)
        except TypeError:
            # webtensor has no such dtype: it must say so with a TypeError naming it
            with pytest.raises(TypeError, match=dt):
                wt.from_numpy(arr)
            continue
        assert name_of(x.dtype) == name_of(t.dtype)


@pytest.mark.parametrize("value", [np.float32(2.5), np.float64(2.5), np.int32(3), np.int64(-4),
                                   np.bool_(True), np.float16(1.5), np.uint8(200)])
def test_numpy_scalars_like_torch(value):
    assert_same(wt.tensor(value), torch.tensor(value))
    assert_same(wt.tensor([value, value]), torch.tensor([value, value]))
    x, tx = make_pair((3,), "float32", 1)
    assert_same(x * value, tx * value)
    assert_same(value * x, value * tx)


def test_ndarray_operand_like_torch():
    x, tx = make_pair((3,), "float32", 1)
    arr = np.arange(3.0)
    assert_same(x + arr, tx + arr)


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != "bfloat16"])
def test_array_protocol(dtype):
    x, tx = make_pair((2, 3), dtype, 2, "transposed")
    a, ta = np.asarray(x), np.asarray(tx)
    assert a.dtype == ta.dtype
    np.testing.assert_array_equal(a, ta)
    np.testing.assert_array_equal(np.array(x, dtype=np.float64), np.array(tx, dtype=np.float64))
    c = np.array(x, copy=True)
    c[...] = 0
    np.testing.assert_array_equal(np.asarray(x), ta)  # the copy did not write through


def test_numpy_of_0d_and_empty():
    for shape in ((), (0,), (2, 0)):
        x, tx = make_pair(shape, "float32", 3)
        assert x.numpy().shape == tx.numpy().shape
        np.testing.assert_array_equal(x.numpy(), tx.numpy())


def test_numpy_bfloat16_raises_like_torch():
    raises_like_torch(lambda m: m.zeros(2, dtype=m.bfloat16).numpy(), "BFloat16")


@settings(max_examples=examples(25))
@given(shape=shapes(1, 3, 1, 4), dtype=dtypes, seed=seeds)
def test_roundtrip_through_numpy_is_exact(shape, dtype, seed):
    if dtype == "bfloat16":
        return
    x, _ = make_pair(shape, dtype, seed, special=True)
    y = wt.tensor(x.numpy())
    assert y.dtype is x.dtype
    assert y.tolist() == x.tolist() or dtype in ("float32", "float64", "float16")
    np.testing.assert_array_equal(y.numpy(), x.numpy())
