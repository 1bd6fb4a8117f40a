"""webtensor/_dtype.py: torch's type promotion, as a full table against torch.result_type.

Operand kinds: a tensor with dim > 0, a 0-dim tensor, and Python bool / int / float scalars.
"""
import pytest
import torch

import webtensor as wt
from wt_oracle import ALL_DTYPES, name_of, raises_like_torch, tdt, wdt

SCALARS = (True, 3, 2.5)


def _operand(m, kind, dtype):
    if kind == "tensor":
        return m.ones(2, dtype=getattr(m, dtype))
    return m.ones((), dtype=getattr(m, dtype))


def _table(fn):
    """{(left, right): dtype name or exception type} over every operand combination."""
    out = {}
    for a in ALL_DTYPES:
        for b in ALL_DTYPES:
            for ka in ("tensor", "0d"):
                for kb in ("tensor", "0d"):
                    out[(f"{ka}:{a}", f"{kb}:{b}")] = fn(
                        lambda m: (_operand(m, ka, a), _operand(m, kb, b)))
        for s in SCALARS:
            for ka in ("tensor", "0d"):
                out[(f"{ka}:{a}", repr(s))] = fn(lambda m: (_operand(m, ka, a), s))
                out[(repr(s), f"{ka}:{a}")] = fn(lambda m: (s, _operand(m, ka, a)))
    return out


def _diff(got, want):
    bad = sorted(f"{k[0]} , {k[1]}: webtensor {got[k]}, torch {want[k]}" for k in want
                 if got[k] != want[k])
    return f"{len(bad)} of {len(want)} differ:\n" + "\n".join(bad[:40])


def test_promote_types_table():
    bad = []
    for a in ALL_DTYPES:
        for b in ALL_DTYPES:
            got = name_of(wt.promote_types(wdt(a), wdt(b)))
            want = name_of(torch.promote_types(tdt(a), tdt(b)))
            if got != want:
                bad.append(f"promote_types({a}, {b}) = {got}, torch {want}")
    assert not bad, "\n".join(bad)


def test_result_type_table():
    def res(m):
        return lambda make: name_of(m.result_type(*make(m)))
    got, want = _table(res(wt)), _table(res(torch))
    assert got == want, _diff(got, want)


def _op_table(name):
    def run(m):
        def f(make):
            try:
                return name_of(getattr(m, name)(*make(m)).dtype)
            except Exception as e:  # noqa: BLE001 - the exception type is part of the table
                return type(e).__name__
        return f
    return _table(run(wt)), _table(run(torch))


@pytest.mark.parametrize("op", ["add", "mul", "sub", "div", "maximum", "eq", "lt",
                                "remainder", "pow", "atan2", "bitwise_and", "logical_or",
                                "floor_divide", "where"])
def test_ops_apply_promotion(op):
    """The result dtype of real ops over the whole operand table (errors included)."""
    if op == "where":
        def run(m):
            def f(make):
                a, b = make(m)
                cond = m.ones((), dtype=m.bool)
                try:
                    return name_of(m.where(cond, a, b).dtype)
                except Exception as e:  # noqa: BLE001
                    return type(e).__name__
            return f
        got, want = _table(run(wt)), _table(run(torch))
    else:
        got, want = _op_table(op)
    # Only where torch computes: which inputs an op rejects is tested with the op itself
    # (ops/test_elementwise.py, core/test_errors.py); here a difference means a wrong dtype.
    keep = {k for k, v in want.items() if not v.endswith("Error")}
    got = {k: got[k] for k in keep}
    want = {k: want[k] for k in keep}
    assert got == want, _diff(got, want)


@pytest.mark.parametrize("default", ["float64", "float32"])
def test_default_dtype_drives_scalar_promotion(default):
    prev = wt.get_default_dtype()
    tprev = torch.get_default_dtype()
    try:
        wt.set_default_dtype(wdt(default))
        torch.set_default_dtype(tdt(default))
        for m in (wt, torch):
            assert name_of(m.get_default_dtype()) == default
        for dt in ("int64", "uint8", "bool", "float16"):
            for s in (2.5, 3, True):
                got = name_of(wt.result_type(wt.ones(2, dtype=wdt(dt)), s))
                want = name_of(torch.result_type(torch.ones(2, dtype=tdt(dt)), s))
                assert got == want, (dt, s)
        assert name_of((wt.arange(3) / 2).dtype) == name_of((torch.arange(3) / 2).dtype)
        assert name_of(wt.tensor([1.5]).dtype) == name_of(torch.tensor([1.5]).dtype)
        assert name_of(wt.ones(2).dtype) == name_of(torch.ones(2).dtype)
    finally:
        wt.set_default_dtype(prev)
        torch.set_default_dtype(tprev)


def test_set_default_dtype_rejects_non_float():
    raises_like_torch(lambda m: m.set_default_dtype(m.int64))


def test_can_cast_table():
    bad = [f"can_cast({a}, {b})" for a in ALL_DTYPES for b in ALL_DTYPES
           if wt.can_cast(wdt(a), wdt(b)) != torch.can_cast(tdt(a), tdt(b))]
    assert not bad, bad


@pytest.mark.parametrize("name", ALL_DTYPES)
def test_dtype_attributes(name):
    d, t = wdt(name), tdt(name)
    assert d.is_floating_point == t.is_floating_point
    assert d.itemsize == t.itemsize
    assert d.is_signed == t.is_signed
    assert d.is_complex == t.is_complex
    assert repr(d) == repr(t).replace("torch.", "webtensor.")


def test_dtype_aliases():
    for alias in ("float", "double", "half", "long", "int", "short", "bool"):
        assert name_of(getattr(wt, alias)) == name_of(getattr(torch, alias)), alias


def test_dtypes_pickle_to_the_same_object():
    import pickle
    for name in ALL_DTYPES:
        assert pickle.loads(pickle.dumps(wdt(name))) is wdt(name)
