"""DataLoader and samplers against torch.utils.data: the same batches (unshuffled: sequential
order, explicit samplers, batch samplers, collate_fn, batch_size=None, iterable datasets), len(),
iterating twice, torch's errors for bad arguments. Shuffled orders come from webtensor's own
Generator (not torch's stream), so they are checked for being permutations that a seed repeats."""
import pytest
import torch
import webtensor as wt
from data_tree import assert_same_tree
from wt_oracle import raises_like_torch


class Records:
    """A map-style dataset of mixed samples (a plain class, as user datasets often are)."""

    def __init__(self, m, n=10):
        self.m, self.n = m, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        m = self.m
        return {"x": m.arange(3, dtype=m.float32) + i, "label": i % 3, "w": i / 4,
                "name": f"s{i}", "pair": (i, m.tensor(i > 4))}


def _Evens(m):
    class Evens(m.utils.data.Sampler[int]):
        def __iter__(self):
            return iter(range(0, 10, 2))

        def __len__(self):
            return 5
    return Evens()


def _tensors(m):
    return m.utils.data.TensorDataset(m.arange(20).reshape(10, 2), m.arange(10) * 0.5)


LOADERS = {
    "tensors_b4": lambda m: m.utils.data.DataLoader(_tensors(m), batch_size=4),
    "tensors_b4_drop_last": lambda m: m.utils.data.DataLoader(_tensors(m), batch_size=4,
                                                              drop_last=True),
    "tensors_b1": lambda m: m.utils.data.DataLoader(_tensors(m)),
    "records_b3": lambda m: m.utils.data.DataLoader(Records(m), batch_size=3),
    "no_auto_batching": lambda m: m.utils.data.DataLoader(Records(m, 3), batch_size=None),
    "sequential_sampler": lambda m: m.utils.data.DataLoader(
        _tensors(m), batch_size=3, sampler=m.utils.data.SequentialSampler(range(7))),
    "list_sampler": lambda m: m.utils.data.DataLoader(_tensors(m), batch_size=2,
                                                      sampler=[9, 0, 4, 4, 1]),
    "batch_sampler": lambda m: m.utils.data.DataLoader(
        Records(m), batch_sampler=m.utils.data.BatchSampler(range(9, -1, -1), 4, True)),
    "custom_sampler": lambda m: m.utils.data.DataLoader(_tensors(m), batch_size=3,
                                                        sampler=_Evens(m)),
    "batch_sampler_lists": lambda m: m.utils.data.DataLoader(
        _tensors(m), batch_sampler=[[0, 1], [5], [2, 3, 4]]),
    "collate_fn": lambda m: m.utils.data.DataLoader(
        Records(m), batch_size=4, collate_fn=lambda b: [s["name"] for s in b]),
    "subset": lambda m: m.utils.data.DataLoader(
        m.utils.data.Subset(_tensors(m), [3, 1, 8]), batch_size=2),
    "concat": lambda m: m.utils.data.DataLoader(_tensors(m) + _tensors(m), batch_size=6),
    "stack_dict": lambda m: m.utils.data.DataLoader(
        m.utils.data.StackDataset(t=_tensors(m), r=Records(m)), batch_size=4, drop_last=True),
    "plain_list": lambda m: m.utils.data.DataLoader([(1, 2.0), (3, 4.0), (5, 6.0)],
                                                    batch_size=2),
    "pin_memory": lambda m: m.utils.data.DataLoader(_tensors(m), batch_size=5,
                                                    pin_memory=True),
}


@pytest.mark.filterwarnings("ignore:'pin_memory' argument")   # torch's: no accelerator
@pytest.mark.parametrize("name", list(LOADERS))
def test_batches_len_and_second_epoch_match_torch(name):
    w, t = LOADERS[name](wt), LOADERS[name](torch)
    want = list(t)
    assert len(w) == len(t) == len(want)
    for epoch in range(2):
        got = list(w)
        assert len(got) == len(want)
        for i, (a, e) in enumerate(zip(got, want)):
            assert_same_tree(a, e, f"epoch {epoch} batch {i}")


def _stream(m):
    class Stream(m.utils.data.IterableDataset[dict]):
        def __iter__(self):
            return iter({"v": k, "t": m.tensor([k, -k])} for k in range(7))

        def __len__(self):
            return 7
    return Stream()


@pytest.mark.parametrize("kw", [{"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                                {"batch_size": None}, {}])
def test_iterable_dataset_batches_match_torch(kw):
    w = wt.utils.data.DataLoader(_stream(wt), **kw)
    t = torch.utils.data.DataLoader(_stream(torch), **kw)
    assert len(w) == len(t)
    assert_same_tree(list(w), list(t))
    assert_same_tree(list(w), list(t))


def _order(loader):
    return [i for (batch,) in loader for i in batch.tolist()]


def test_shuffle_is_a_seeded_permutation_each_epoch():
    ds = wt.utils.data.TensorDataset(wt.arange(50))
    g = wt.Generator().manual_seed(7)
    loader = wt.utils.data.DataLoader(ds, batch_size=8, shuffle=True, generator=g)
    assert isinstance(loader.sampler, wt.utils.data.RandomSampler) and len(loader) == 7
    first, second = _order(loader), _order(loader)
    assert sorted(first) == sorted(second) == list(range(50))
    assert first != list(range(50)) and first != second
    again = wt.utils.data.DataLoader(ds, batch_size=8, shuffle=True,
                                     generator=wt.Generator().manual_seed(7))
    assert _order(again) == first and _order(again) == second
    assert [len(b) for (b,) in loader] == [8] * 6 + [2]


def test_shuffle_without_generator_follows_manual_seed():
    ds = wt.utils.data.TensorDataset(wt.arange(30))
    wt.manual_seed(11)
    loader = wt.utils.data.DataLoader(ds, batch_size=4, shuffle=True)
    first, second = _order(loader), _order(loader)
    wt.manual_seed(11)
    assert _order(loader) == first and _order(loader) == second and first != second
    assert sorted(first) == list(range(30))


def test_random_sampler_replacement_and_num_samples():
    S = wt.utils.data.RandomSampler
    g = wt.Generator().manual_seed(1)
    drawn = list(S(range(5), replacement=True, num_samples=70, generator=g))
    assert len(drawn) == 70 and set(drawn) == set(range(5))
    more = list(S(range(5), num_samples=12, generator=g))
    assert len(more) == 12 and sorted(more[:10]) == sorted(list(range(5)) * 2)
    assert len(set(more[10:])) == 2
    assert len(S(range(5), num_samples=12)) == len(torch.utils.data.RandomSampler(
        range(5), num_samples=12)) == 12
    assert sorted(S(range(6))) == list(range(6))   # unseeded: a fresh seed, still a permutation


def test_subset_random_and_batch_samplers():
    idx = [10, 20, 30, 40]
    s = wt.utils.data.SubsetRandomSampler(idx, generator=wt.Generator().manual_seed(2))
    assert sorted(s) == idx and len(s) == 4
    for n, b, drop in [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False)]:
        w = wt.utils.data.BatchSampler(wt.utils.data.SequentialSampler(range(n)), b, drop)
        t = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(n)), b, drop)
        assert list(w) == list(t) and len(w) == len(t)


def test_weighted_random_sampler():
    W = wt.utils.data.WeightedRandomSampler
    g = wt.Generator().manual_seed(4)
    drawn = list(W([0.0, 1.0, 0.0, 3.0], 200, generator=g))
    assert len(drawn) == 200 and set(drawn) == {1, 3} and drawn.count(3) > drawn.count(1)
    assert sorted(W([1, 2, 3, 4], 4, replacement=False, generator=g)) == [0, 1, 2, 3]
    assert len(W([1.0, 2.0], 7)) == len(torch.utils.data.WeightedRandomSampler([1.0, 2.0], 7))


def test_batching_attributes_are_frozen_like_torch():
    def reset(name, value):
        return lambda m: setattr(m.utils.data.DataLoader(_tensors(m)), name, value)
    for name in ("batch_size", "sampler", "batch_sampler", "drop_last", "dataset"):
        raises_like_torch(reset(name, None), f"{name} attribute should not be set after "
                                             "DataLoader is initialized")
    loader = wt.utils.data.DataLoader(_tensors(wt))
    loader.collate_fn = lambda b: len(b)
    assert list(loader)[:2] == [1, 1]


def _dl(**kw):
    return lambda m: m.utils.data.DataLoader(_tensors(m), **kw)


@pytest.mark.parametrize("build,match", [
    (_dl(num_workers=-1), "num_workers option should be non-negative"),
    (_dl(timeout=-1), "timeout option should be non-negative"),
    (_dl(prefetch_factor=2), "prefetch_factor option could only be specified"),
    (_dl(persistent_workers=True), "persistent_workers option needs num_workers > 0"),
    (_dl(shuffle=True, sampler=[0]), "sampler option is mutually exclusive with shuffle"),
    (_dl(batch_size=2, batch_sampler=[[0]]), "batch_sampler option is mutually exclusive"),
    (_dl(batch_size=None, drop_last=True), "batch_size=None option disables auto-batching"),
    (_dl(batch_size=0), "batch_size should be a positive integer value"),
    (_dl(batch_size=2, drop_last=1), "drop_last should be a boolean value"),
    (lambda m: m.utils.data.DataLoader(_stream(m), shuffle=True), "expected unspecified shuffle"),
    (lambda m: m.utils.data.DataLoader(_stream(m), sampler=[0]), "expected unspecified sampler"),
    (lambda m: m.utils.data.RandomSampler(range(3), replacement=1), "replacement should be"),
    (lambda m: m.utils.data.RandomSampler(range(3), num_samples=0), "num_samples should be"),
    (lambda m: m.utils.data.RandomSampler([]), "num_samples=0"),
    (lambda m: m.utils.data.WeightedRandomSampler([1.0], 0), "num_samples should be"),
    (lambda m: m.utils.data.WeightedRandomSampler([1.0], 2, 1), "replacement should be"),
    (lambda m: m.utils.data.WeightedRandomSampler([[1.0]], 2), "weights should be a 1d"),
])
def test_bad_arguments_raise_like_torch(build, match):
    raises_like_torch(build, match)


def test_worker_processes_are_refused_clearly():
    with pytest.raises(NotImplementedError, match="no worker processes.*num_workers=0"):
        wt.utils.data.DataLoader(_tensors(wt), num_workers=2)
    assert wt.utils.data.get_worker_info() is None


def test_as_torch_serves_torch_utils_data():
    with wt.as_torch():
        import torch as t2
        from torch.utils.data import DataLoader, TensorDataset
        from torch.utils.data.dataloader import default_collate
        assert t2.utils.data.DataLoader is DataLoader is wt.utils.data.DataLoader
        assert default_collate is wt.utils.data.default_collate
        (x,), = DataLoader(TensorDataset(t2.ones(2, 3)), batch_size=2)
        assert isinstance(x, wt.Tensor) and tuple(x.shape) == (2, 3)
