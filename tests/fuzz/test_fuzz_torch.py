"""torch.save checkpoints under fuzz, zip archives and legacy pickle streams: a generated state
dict whose pickle lies (views past their storage, huge sizes and strides, wrong or unknown
dtypes, storage records of the wrong shape, refused globals, memo indices out of range, nesting
100 000 deep, exponentially shared containers, allowed callables given hostile arguments), whose
archive lies (missing, duplicated, short or compressed members, big-endian), then byte-level
damage to the pickle and to the whole file."""
import struct

from hypothesis import given, strategies as hs

import fuzzlib
from fuzzlib import check_case, fuzz, INTERESTING, mutate, rngs
from seeds import (Call, checkpoint_seed, Global, ITEMSIZE, parameter, PersId, pickle_bytes, Raw,
                   STORAGE_CLASS, storage, SYS_INFO, tensor, torch_legacy_bytes, torch_zip_bytes)
import webtensor as wt

DEFLATE_RATIO = 1032      # the most deflate expands: what a compressed archive may hold


def _int(rng):
    return rng.choice(INTERESTING + [-1, -2 ** 63, rng.randint(-2, 14)])


def hostile_value(rng, st, legacy):
    """One pickled value that lies; st: the seed's storages by key."""
    k = rng.randrange(12)
    if k == 0:                                       # a view that lies about its storage
        size = [_int(rng) if rng.random() < 0.4 else rng.randint(0, 4)
                for _ in range(rng.randint(0, 3))]
        stride = [_int(rng) if rng.random() < 0.4 else rng.randint(0, 4)
                  for _ in range(len(size) + rng.choice((0, 0, 0, 1)))]
        off = _int(rng) if rng.random() < 0.5 else rng.randint(0, 12)
        if rng.random() < 0.2:
            off = rng.choice([1.5, "0", None])
        return tensor(rng.choice(list(st.values())), off, size, stride, rng.random() < 0.3)
    if k == 1:                                       # a storage record with a lying count/type
        dtype = rng.choice(list(STORAGE_CLASS))
        cls = Global("torch", rng.choice([STORAGE_CLASS[dtype], "FooStorage", "Tensor"]))
        pid = ("storage", cls, rng.choice(["0", "1", "9", 5]), "cpu", _int(rng))
        return tensor(PersId(pid + ((None,) if legacy else ())), 0, (1,), (1,))
    if k == 2:                                       # persistent ids of the wrong shape
        return PersId(rng.choice([("storage",), "x", 5, ("storage", 1, 2, 3, 4),
                                  ("module", Global("torch", "FloatStorage"), "0", "cpu", 1),
                                  ("storage", Global("torch", "FloatStorage"), "0", "cpu", 2,
                                   ("0", 0, 2))]))
    if k == 3:                                       # refused globals
        mod, name = rng.choice([("os", "system"), ("builtins", "eval"), ("posix", "system"),
                                ("torch", "load"), ("__builtin__", "getattr"),
                                ("torch.nn.modules.linear", "Linear")])
        return Call(Global(mod, name), ("echo hi",))
    if k == 4:                                       # allowed callables, hostile arguments
        f, args = rng.choice([
            (("builtins", "bytearray"), (2 ** 40,)), (("builtins", "bytearray"), (2 ** 31 - 1,)),
            (("builtins", "bytearray"), ("abc", "rot13")), (("builtins", "set"), ([[1]],)),
            (("_codecs", "encode"), ("x", "zlib")), (("_codecs", "encode"), (5, "latin1")),
            (("_codecs", "encode"), ("x", "idna", "strict")), (("torch", "device"), ("bogus:7",)),
            (("torch", "device"), (["cpu"],)), (("torch", "Size"), ("abc",)),
            (("torch", "Size"), (5,)), (("collections", "OrderedDict"), (5,)),
            (("collections", "Counter"), ([[1]],)), (("torch.serialization", "_get_layout"), (1,)),
            (("torch._utils", "_rebuild_tensor"), ()), (("torch._utils", "_rebuild_parameter"),
                                                         (5, True, None)),
            (("torch._tensor", "_rebuild_from_type_v2"), (Global("torch", "Tensor"), 1, (), {})),
            (("torch._tensor", "_rebuild_from_type_v2"),
             (Global("torch._utils", "_rebuild_tensor_v2"), Global("torch", "Tensor"), (1,), {})),
            (("torch", "float32"), ()), (("torch", "Tensor"), ())])
        return Call(Global(*f), args)
    if k == 5:                                       # deep nesting: n lists, appended inward
        n = rng.choice((10, 300, 1000, 5000))         # 100 000: the explicit test below
        return Raw(b"]" * n + b"a" * (n - 1))
    if k == 6:                                       # 2**k leaves through shared sublists
        n = rng.choice((20, 60))
        return Raw(b"]q\xc80" + b"](h\xc8h\xc8eq\xc80" * n + b"h\xc8")
    if k == 7:                                       # memo indices that lie
        return Raw(rng.choice([b"h\xfe", b"j" + struct.pack("<I", 2 ** 31), b"N" + b"r" +
                               struct.pack("<I", 2 ** 32 - 1), b"NqA0h\xfe"]))
    if k == 8:                                       # a parameter of an integer tensor
        return parameter(tensor(st["1"], 0, (3,), (1,)), rng.random() < 0.8)
    if k == 9:                                       # a self-referencing list
        return Raw(b"]q\xc9h\xc9a")
    if k == 10:                                      # huge numbers and strings
        return Raw(rng.choice([b"\x8b\xff\xff\xff\x7f" + b"\0" * 8, b"X\xff\xff\xff\xff",
                               b"\x8d" + struct.pack("<Q", 2 ** 40), b"C\x05ab"]))
    return rng.choice([1.5, None, "x" * 100, (1, [2, {"3": 4}])])


def lying_tree(rng, legacy):
    _, storages = checkpoint_seed(legacy)
    st = {k: storage(k, d, n, legacy) for k, (d, n, _) in storages.items()}
    seed_tree, _ = checkpoint_seed(legacy)
    items = dict(seed_tree.setitems)
    for _ in range(rng.randint(1, 2)):
        items[rng.choice(list(items) + ["new"])] = hostile_value(rng, st, legacy)
    return Call(seed_tree.func, (), items), storages


def _short(storages, rng):
    key = rng.choice(list(storages))
    d, n, raw = storages[key]
    return {**storages, key: (d, n, raw[:rng.randrange(len(raw) + 1)])}


@hs.composite
def zip_files(draw):
    rng = draw(hs.integers(0, 2 ** 32 - 1).map(__import__("random").Random))
    kind = draw(hs.sampled_from(["pickle", "pickle", "archive", "pkl-bytes", "bytes", "valid"]))
    tree, storages = checkpoint_seed()
    compress, data_pkl = rng.random() < 0.2, None
    if kind == "pickle":
        tree, storages = lying_tree(rng, False)
    elif kind == "pkl-bytes":
        data_pkl = mutate(pickle_bytes(tree), rng)
    blob = torch_zip_bytes(tree, storages, compress=compress, data_pkl=data_pkl)
    if kind == "archive":
        k = rng.randrange(4)
        if k == 0:
            blob = torch_zip_bytes(tree, _short(storages, rng), compress)
        elif k == 1:
            blob = torch_zip_bytes(tree, {**storages, "0": storages["0"]} if rng.random() < 0.5
                                   else {k: v for k, v in storages.items() if k != "1"}, compress)
        elif k == 2:
            blob = _rezip(blob, rng)
        else:
            blob = blob.replace(b"little", b"big\0\0\0")
    if kind == "bytes" or (kind != "valid" and rng.random() < 0.3):
        blob = mutate(blob, rng)
    return kind + (" deflated" if compress else ""), blob


def _rezip(blob, rng):
    """Rename, drop or duplicate data.pkl."""
    import io
    import zipfile
    src, out = zipfile.ZipFile(io.BytesIO(blob)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            name = info.filename
            if name.endswith("data.pkl"):
                k = rng.randrange(3)
                if k == 0:
                    continue
                if k == 1:
                    z.writestr("other/data.pkl", src.read(name))
                name = name.replace("archive", "a/b") if k == 2 else name
            z.writestr(name, src.read(info))
    return out.getvalue()


@hs.composite
def legacy_files(draw):
    rng = draw(hs.integers(0, 2 ** 32 - 1).map(__import__("random").Random))
    kind = draw(hs.sampled_from(["pickle", "pickle", "stream", "bytes", "valid"]))
    tree, storages = checkpoint_seed(legacy=True)
    keys, sizes = None, None
    if kind == "pickle":
        tree, storages = lying_tree(rng, True)
    elif kind == "stream":
        k = rng.randrange(5)
        if k == 0:
            keys = rng.choice([["0", "1"], ["0", "1", "2", "3", "9"], "0123", [0, 1, 2, 3]])
        elif k == 1:
            sizes = {rng.choice(list(storages)): _int(rng)}
        elif k == 2:
            storages = _short(storages, rng)
        elif k == 3:
            blob = torch_legacy_bytes(tree, storages)
            return kind, blob.replace(pickle_bytes(SYS_INFO), pickle_bytes(
                {**SYS_INFO, "little_endian": rng.choice([False, 0, "no"])}))
        else:
            return kind, rng.choice([pickle_bytes(7), pickle_bytes(0x1950A86A20F9469CFC6C) +
                                     pickle_bytes(rng.choice([1000, "1001", [1001]]))])
    blob = torch_legacy_bytes(tree, storages, keys, sizes)
    if kind == "bytes" or (kind != "valid" and rng.random() < 0.3):
        blob = mutate(blob, rng)
    return kind, blob


def load_and_use(blob):
    fuzzlib.touch(wt.load(blob, to_float32=True))


@fuzz
@given(zip_files())
def test_torch_zip_fuzz(case):
    kind, blob = case
    holds = len(blob) * DEFLATE_RATIO if kind.endswith("deflated") else None
    outcome = check_case("torch zip", load_and_use, blob, kind, holds)
    if kind.startswith("valid"):
        assert outcome == "loaded"


@fuzz
@given(legacy_files())
def test_torch_legacy_fuzz(case):
    kind, blob = case
    outcome = check_case("torch legacy", load_and_use, blob, kind)
    if kind == "valid":
        assert outcome == "loaded"


def _seed_values(obj):
    return {k: (v.dtype.name, tuple(v.shape), v.tolist()) if isinstance(v, wt.Tensor) else v
            for k, v in obj.items() if k != "nested"}


def test_seeds_load_alike_in_both_formats():
    """The seed checkpoint: shared storage, views, a parameter; zip and legacy agree."""
    tree, storages = checkpoint_seed()
    z = wt.load(torch_zip_bytes(tree, storages))
    tree, storages = checkpoint_seed(legacy=True)
    leg = wt.load(torch_legacy_bytes(tree, storages))
    assert _seed_values(z) == _seed_values(leg)
    assert z["column"].tolist() == [z["weight"][i, 1].item() for i in range(3)]
    assert z["half"].requires_grad and z["half"].dtype == wt.float16
    assert z["nested"]["list"][1:] == [7, "text"] and z["step"] == 3


def test_deep_pickles_are_refused_and_shared_ones_stay_linear():
    deep = torch_zip_bytes(Raw(b"]" * 100_000 + b"a" * 99_999), {})
    try:
        wt.load(deep, to_float32=True)
    except wt.serialization.UnpicklingError as e:
        assert "nest deeper than 256" in str(e)
    else:
        raise AssertionError("a pickle nested 100 000 deep loaded")
    # 2**60 paths through 61 lists: every pass over the result must visit each list once
    shared = wt.load(torch_zip_bytes(Raw(b"]q\xc80" + b"](h\xc8h\xc8eq\xc80" * 60 + b"h\xc8"), {}),
                     to_float32=True)
    for _ in range(60):
        assert len(shared) == 2 and shared[0] is shared[1]
        shared = shared[0]
    assert shared == []
