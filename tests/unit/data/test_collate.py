"""default_collate / default_convert against torch's: container types, dtypes (int -> int64,
float -> float64, bool -> bool), shapes and values; torch's errors."""
import collections

import numpy as np
import pytest
import torch
import webtensor as wt
from data_tree import assert_same_tree
from wt_oracle import raises_like_torch

Point = collections.namedtuple("Point", ["x", "y"])


def _samples(m):
    t = lambda v, **kw: m.tensor(v, **kw)  # noqa: E731
    return {
        "tensors": [t([1.0, 2.0]), t([3.0, 4.0]), t([5.0, 6.0])],
        "int_tensors_2d": [t([[1, 2], [3, 4]], dtype=m.int32), t([[5, 6], [7, 8]], dtype=m.int32)],
        "scalar_tensors": [t(1.5), t(2.5)],
        "ints": [1, 2, 3],
        "floats": [0.5, 1.5, -2.25],
        "bools": [True, False, True],
        "strings": ["a", "bc", ""],
        "bytes": [b"x", b"y"],
        "tuples": [(t([1.0]), 2, "a"), (t([3.0]), 4, "b")],
        "lists": [[1, 2.5], [3, 4.5]],
        "dicts": [{"x": t([1, 2]), "y": 0.5, "s": "p"}, {"x": t([3, 4]), "y": 1.5, "s": "q"}],
        "ordered_dicts": [collections.OrderedDict(b=1, a=2.0),
                          collections.OrderedDict(b=3, a=4.0)],
        "namedtuples": [Point(t([1.0]), 1), Point(t([2.0]), 2)],
        "nested": [{"pair": (1, [t([True]), 2.0])}, {"pair": (3, [t([False]), 4.0])}],
        "numpy_arrays": [np.arange(3, dtype=np.float32), np.arange(3, 6, dtype=np.float32)],
        "numpy_scalars": [np.int32(1), np.int32(2)],
        "ranges": [range(2), range(2, 4)],
    }


CASES = list(_samples(torch))


@pytest.mark.parametrize("case", CASES)
def test_default_collate_matches_torch(case):
    got = wt.utils.data.default_collate(_samples(wt)[case])
    want = torch.utils.data.default_collate(_samples(torch)[case])
    assert_same_tree(got, want)


@pytest.mark.parametrize("case", CASES)
def test_default_convert_matches_torch(case):
    for w, t in zip(_samples(wt)[case], _samples(torch)[case]):
        assert_same_tree(wt.utils.data.default_convert(w), torch.utils.data.default_convert(t))


def test_collate_number_dtypes_are_torchs():
    c = wt.utils.data.default_collate
    assert c([1, 2]).dtype == wt.int64
    assert c([1.0, 2.0]).dtype == wt.float64
    assert c([True, False]).dtype == wt.bool


def test_collate_errors_match_torch():
    raises_like_torch(lambda m: m.utils.data.default_collate([[1, 2], [3]]),
                      "each element in list of batch should be of equal size")
    raises_like_torch(lambda m: m.utils.data.default_collate([object(), object()]),
                      "default_collate: batch must contain tensors")
    raises_like_torch(lambda m: m.utils.data.default_collate([m.ones(2), m.ones(3)]))
    raises_like_torch(lambda m: m.utils.data.default_collate(
        [np.array(["a"]), np.array(["b"])]), "found <U1")
