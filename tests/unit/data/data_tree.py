"""Compare what webtensor's torch.utils.data returns with torch's: the same container types
(list, tuple, dict, namedtuple, str...), and webtensor tensors where torch gives tensors, equal
in dtype, shape and values (wt_oracle.assert_same)."""
import torch
import webtensor as wt
from wt_oracle import assert_same


def assert_same_tree(actual, expected, what="batch"):
    if isinstance(expected, torch.Tensor):
        assert_same(actual, expected, what=what)
        return
    assert type(actual) is type(expected), \
        f"{what}: {type(actual).__name__}, torch gives {type(expected).__name__}"
    if isinstance(expected, dict):
        assert list(actual) == list(expected), f"{what}: keys {list(actual)} vs {list(expected)}"
        for k in expected:
            assert_same_tree(actual[k], expected[k], f"{what}[{k!r}]")
    elif isinstance(expected, (list, tuple)):
        assert len(actual) == len(expected), f"{what}: {len(actual)} items, torch {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same_tree(a, e, f"{what}[{i}]")
    else:
        assert actual == expected, f"{what}: {actual!r}, torch gives {expected!r}"


def both(build):
    """build(m) under webtensor and under torch (m is the module: wt or torch)."""
    return build(wt), build(torch)
