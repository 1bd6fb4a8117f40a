"""Datasets and random_split against torch.utils.data. webtensor's Generator is a Mersenne
Twister, not torch's Philox/MT19937 stream, so the same seed gives a different randperm: random
splits are checked for their lengths (torch's), disjointness, coverage and reproducibility."""
import warnings

import pytest
import torch
import webtensor as wt
from data_tree import assert_same_tree, both
from wt_oracle import raises_like_torch


def _pair(m, n=7):
    return m.utils.data.TensorDataset(m.arange(n * 2).reshape(n, 2), m.arange(n) * 0.5)


def test_tensor_dataset_items_and_len_match_torch():
    w, t = both(_pair)
    assert len(w) == len(t) == 7
    for i in (0, 3, -1):
        assert_same_tree(w[i], t[i])
    assert_same_tree(w[1:4], t[1:4])
    raises_like_torch(lambda m: m.utils.data.TensorDataset(m.ones(3), m.ones(4)),
                      "Size mismatch between tensors")


def test_subset_and_concat_match_torch():
    def build(m):
        base = _pair(m)
        sub = m.utils.data.Subset(base, [5, 1, 2])
        cat = m.utils.data.ConcatDataset([sub, base, _pair(m, 2)])
        return base, sub, cat, base + sub
    (wb, ws, wc, wadd), (tb, ts, tc, tadd) = both(build)
    assert len(ws) == 3 and len(wc) == len(tc) == 12 and len(wadd) == len(tadd) == 10
    assert wc.cumulative_sizes == tc.cumulative_sizes
    for i in range(-12, 12):
        assert_same_tree(wc[i], tc[i], f"concat[{i}]")
    assert_same_tree(ws[0], ts[0])
    assert_same_tree(ws.__getitems__([2, 0]), ts.__getitems__([2, 0]))
    assert_same_tree(wadd[8], tadd[8])
    raises_like_torch(lambda m: build(m)[2][-13], "absolute value of index")
    raises_like_torch(lambda m: m.utils.data.ConcatDataset([]), "should not be an empty")
    raises_like_torch(lambda m: m.utils.data.IterableDataset(), "abstract")
    raises_like_torch(lambda m: m.utils.data.ConcatDataset([m.utils.data.ChainDataset([])]),
                      "does not support IterableDataset")
    raises_like_torch(lambda m: m.utils.data.Dataset()[0], "should implement __getitem__")


def test_stack_dataset_matches_torch():
    def build(m):
        base = _pair(m)
        return (m.utils.data.StackDataset(base, m.utils.data.Subset(base, list(range(6, -1, -1)))),
                m.utils.data.StackDataset(a=base, b=list(range(7))))
    (wt_tuple, wt_dict), (t_tuple, t_dict) = both(build)
    assert len(wt_tuple) == len(t_tuple) == 7
    for i in (0, 4):
        assert_same_tree(wt_tuple[i], t_tuple[i])
        assert_same_tree(wt_dict[i], t_dict[i])
    assert_same_tree(wt_tuple.__getitems__([1, 5]), t_tuple.__getitems__([1, 5]))
    assert_same_tree(wt_dict.__getitems__([2, 3]), t_dict.__getitems__([2, 3]))
    raises_like_torch(lambda m: m.utils.data.StackDataset(), "At least one dataset")
    raises_like_torch(lambda m: m.utils.data.StackDataset([1], b=[2]), "both types are given")
    raises_like_torch(lambda m: m.utils.data.StackDataset([1], [1, 2]), "Size mismatch")


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.3, 0.4], [0.5, 0.5], [10], [1 / 3] * 3])
def test_random_split_lengths_partition_and_seed(lengths):
    def split(m, seed):
        g = m.Generator().manual_seed(seed)
        return m.utils.data.random_split(range(10), lengths, generator=g)
    w, t = split(wt, 0), split(torch, 0)
    assert [len(s) for s in w] == [len(s) for s in t]
    got = [list(s) for s in w]
    assert sorted(i for s in got for i in s) == list(range(10))
    assert all(isinstance(s, wt.utils.data.Subset) for s in w)
    assert [list(s) for s in split(wt, 0)] == got   # same seed, same split
    if len(lengths) > 1:
        assert any([list(s) for s in split(wt, k)] != got for k in range(1, 4))


def test_random_split_errors_and_warning_match_torch():
    raises_like_torch(lambda m: m.utils.data.random_split(range(10), [3, 8]),
                      "Sum of input lengths does not equal")
    raises_like_torch(lambda m: m.utils.data.random_split(range(10), [1.5, -0.5]),
                      "Fraction at index 0 is not between 0 and 1")
    said = {}
    for m in (wt, torch):
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            m.utils.data.random_split(range(2), [0.9, 0.05, 0.05])
        said[m] = [str(r.message) for r in rec]
    assert said[wt] == said[torch] and len(said[wt]) == 2


def test_random_split_uses_the_default_generator():
    wt.manual_seed(3)
    a = [list(s) for s in wt.utils.data.random_split(range(8), [4, 4])]
    wt.manual_seed(3)
    assert [list(s) for s in wt.utils.data.random_split(range(8), [4, 4])] == a


def test_iterable_and_chain_datasets_match_torch():
    def build(m):
        class Count(m.utils.data.IterableDataset[int]):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

            def __len__(self):
                return self.n
        return Count(3) + Count(2)
    w, t = both(build)
    assert list(w) == list(t) and len(w) == len(t) == 5
    assert isinstance(w, wt.utils.data.ChainDataset)
