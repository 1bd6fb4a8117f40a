"""torch.utils.data inside Pyodide (and on CPython): DataLoader batches are the dataset's
samples collated by torch's rules, shuffling is a seeded permutation, worker processes are
refused. Stdlib-only: the torch comparisons live in tests/unit/data/."""
import collections

import pytest

import webtensor as wt
from webtensor.utils.data import (BatchSampler, DataLoader, RandomSampler, SequentialSampler,
                                  Subset, TensorDataset, default_collate, random_split)

Point = collections.namedtuple("Point", ["x", "y"])


def test_batches_are_the_collated_samples():
    ds = TensorDataset(wt.arange(22).reshape(11, 2), wt.arange(11) * 0.5)
    for drop_last, sizes in ((False, [4, 4, 3]), (True, [4, 4])):
        loader = DataLoader(ds, batch_size=4, drop_last=drop_last)
        assert len(loader) == len(sizes)
        for _ in range(2):   # a second epoch gives the same batches
            start = 0
            for (x, y), n in zip(loader, sizes):
                assert x.dtype == wt.int64 and y.dtype == wt.float32
                assert x.tolist() == [ds[i][0].tolist() for i in range(start, start + n)]
                assert y.tolist() == [ds[i][1].item() for i in range(start, start + n)]
                start += n


def test_collate_rules():
    batch = default_collate([{"i": 1, "f": 0.5, "b": True, "s": "a", "p": Point(1, (2.0, 3))},
                             {"i": 2, "f": 1.5, "b": False, "s": "b", "p": Point(4, (5.0, 6))}])
    assert (batch["i"].dtype, batch["f"].dtype, batch["b"].dtype) == (wt.int64, wt.float64,
                                                                       wt.bool)
    assert batch["i"].tolist() == [1, 2] and batch["b"].tolist() == [True, False]
    assert batch["s"] == ["a", "b"]
    assert isinstance(batch["p"], Point) and isinstance(batch["p"].y, list)
    assert batch["p"].y[0].tolist() == [2.0, 5.0] and batch["p"].y[1].dtype == wt.int64
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [3]])


def test_shuffle_split_and_samplers_are_seeded_permutations():
    ds = TensorDataset(wt.arange(40))

    def order(seed):
        loader = DataLoader(ds, batch_size=6, shuffle=True,
                            generator=wt.Generator().manual_seed(seed))
        return [[i for (b,) in loader for i in b.tolist()] for _ in range(2)]
    first, second = order(5)
    assert sorted(first) == sorted(second) == list(range(40)) and first != second
    assert order(5) == [first, second]
    parts = random_split(range(10), [0.3, 0.7], generator=wt.Generator().manual_seed(1))
    assert [len(p) for p in parts] == [3, 7] and isinstance(parts[0], Subset)
    assert sorted(list(parts[0]) + list(parts[1])) == list(range(10))
    g = wt.Generator().manual_seed(2)
    assert sorted(RandomSampler(range(9), generator=g)) == list(range(9))
    assert list(BatchSampler(SequentialSampler(range(5)), 2, True)) == [[0, 1], [2, 3]]


def test_no_worker_processes_and_torch_alias():
    with pytest.raises(NotImplementedError, match="no worker processes"):
        DataLoader(range(3), num_workers=1)
    with wt.as_torch():
        import torch.utils.data as tud
        assert tud.DataLoader is DataLoader
