"""webtensor/ops/pad.py against torch.nn.functional.pad on both backends: constant mode over any
number of padded dims with negative pads (crops), reflect / replicate / circular over 1-3 dims
of batched and unbatched input, every dtype torch takes; torch's error types and messages."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import examples, layouts, make_pair, raises_like_torch, run_both, seeds


def _pad(m, x, p, **kw):
    return (F if m is torch else wt).pad(x, p, **kw)


@st.composite
def constant_cases(draw):
    shape = tuple(draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)))
    k = draw(st.integers(0, len(shape)))
    pads = []
    for d in range(k):   # pad lists the last dim first
        n = shape[len(shape) - 1 - d]
        lo = draw(st.integers(-n, 3))
        hi = draw(st.integers(-(n + min(lo, 0)), 3))
        pads += [lo, hi]
    return shape, pads


@settings(max_examples=examples(80))
@given(case=constant_cases(), dtype=st.sampled_from(("float32", "float64", "float16", "int64",
                                                     "int32", "uint8", "bool", "bfloat16")),
       value=st.sampled_from((None, 0, 2, 1.5, -3.25)), layout=layouts, seed=seeds)
def test_constant(case, dtype, value, layout, seed):
    shape, pads = case
    if dtype in ("uint8", "bool") and value is not None and value < 0:
        value = 1
    x, tx = make_pair(shape, dtype, seed, layout)
    run_both(lambda m, x_: _pad(m, x_, pads, value=value), [x], [tx])


@st.composite
def mode_cases(draw):
    mode = draw(st.sampled_from(("reflect", "replicate", "circular")))
    nd = draw(st.integers(1, 3))
    batched = draw(st.booleans())
    lead = ((draw(st.integers(0, 2)),) if batched else ()) + (draw(st.integers(1, 3)),)
    spatial = tuple(draw(st.integers(1, 5)) for _ in range(nd))
    pads = []
    for n in reversed(spatial):
        if mode == "reflect":
            lo, hi = draw(st.integers(-(n - 1) // 2, n - 1)), draw(st.integers(-(n - 1) // 2,
                                                                               n - 1))
        elif mode == "replicate":
            lo, hi = draw(st.integers(-(n - 1) // 2, 4)), draw(st.integers(-(n - 1) // 2, 4))
        else:
            lo = draw(st.integers(-(n // 2), n))
            hi = draw(st.integers(-(n // 2), n + min(lo, 0)))
            lo = min(lo, n + min(hi, 0))   # keep the wrap within the cropped extent
        pads += [lo, hi]
    return mode, lead + spatial, pads


@settings(max_examples=examples(100))
@given(case=mode_cases(), dtype=st.sampled_from(("float32", "float32", "float64", "int64",
                                                 "float16", "uint8")),
       layout=layouts, seed=seeds)
def test_modes(case, dtype, layout, seed):
    mode, shape, pads = case
    x, tx = make_pair(shape, dtype, seed, layout)
    run_both(lambda m, x_: _pad(m, x_, pads, mode=mode), [x], [tx])


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_modes_exact_values(mode):
    """The mirrored / clamped / wrapped positions, spelled out against torch."""
    x, tx = make_pair((1, 2, 5), "float32", 3)
    run_both(lambda m, x_: _pad(m, x_, [4, 3], mode=mode), [x], [tx])
    x, tx = make_pair((2, 3, 4), "float32", 4)
    run_both(lambda m, x_: _pad(m, x_, [1, 3, 2, 2], mode=mode), [x], [tx])
    x, tx = make_pair((1, 1, 2, 3, 4), "float64", 5)
    run_both(lambda m, x_: _pad(m, x_, [1, 2, 0, 2, 1, 1], mode=mode), [x], [tx])


def test_returns_new_storage():
    x = wt.ones(2, 3)
    y = wt.pad(x, [0, 0])
    y[0, 0] = 5.0
    assert x[0, 0].item() == 1.0
    assert wt.pad(x, [0, 0], mode="circular").tolist() == x.tolist()


def _err(shape, pads, dtype="float32", **kw):
    return lambda m: _pad(m, m.zeros(shape, dtype=getattr(m, dtype)), pads, **kw)


# Every message here is torch's, character for character.
@pytest.mark.parametrize("fn", [
    _err((2, 3), [1, 2, 3]),
    _err((2, 3), [1, 1, 1, 1, 1, 1]),
    _err((), [1, 1]),
    _err((2, 4), [-3, -2]),
    _err((2, 4), [1, 1], mode="zeros"),
    _err((2, 3, 4), [1, 1], mode="reflect", value=1.0),
    _err((2, 3, 4), [1, 1], mode="circular", value=2),
    _err((3,), [1, 1], mode="reflect"),
    _err((2, 3, 4), [1, 1, 1, 1, 1, 1], mode="replicate"),
    _err((1, 2, 3, 4, 5, 6), [1, 1], mode="reflect"),
    _err((1, 1, 4), [4, 2], mode="reflect"),
    _err((1, 1, 3, 4), [1, 1, 3, 1], mode="reflect"),
    _err((1, 1, 2, 3, 4), [1, 1, 1, 1, 2, 1], mode="reflect"),
    _err((1, 1, 4), [-3, -2], mode="reflect"),
    _err((1, 1, 4), [-2, -2], mode="replicate"),
    _err((1, 1, 3, 4), [-2, -2, -2, -2], mode="replicate"),
    _err((1, 1, 3, 4), [-2, -2, -2, -2], mode="reflect"),
    _err((1, 1, 2, 3, 4), [-2, -2, -2, -2, -1, -1], mode="reflect"),
    _err((1, 1, 3, 4), [-2, -3, 0, 0], mode="replicate"),
    _err((2, 0, 4), [1, 1], mode="reflect"),
    _err((0, 4), [1, 1], mode="replicate"),
    _err((1, 0, 3, 4), [1, 1, 1, 1], mode="replicate"),
    _err((1, 2, 3), [1, 1], "bool", mode="reflect"),
    _err((1, 2, 3, 3), [1, 1, 1, 1], "bool", mode="replicate"),
    _err((1, 1, 4), [5, 2], mode="circular"),
    _err((1, 1, 4), [-3, -2], mode="circular"),
    _err((1, 2, 3), [1, 1], "uint8", value=300),
    _err((1, 2, 3), [1, 1], "float16", value=1e6),
    _err((2, 3), [1.5, 2]),
    _err((2, 3), 3),
    _err((2, 3), [1, 1], mode=None),
    _err((2, 3), [1, 1], value=1j),
    lambda m: _pad(m, [1.0], [1, 1]),
])
def test_errors(fn):
    we, te = raises_like_torch(fn)
    assert str(we) == str(te)


def test_unusual_but_valid():
    """torch accepts these: bool entries in pad, value=0 for the non-constant modes, an
    empty batch, an empty pad list, output dims of size 0."""
    for shape, pads, kw in (((2, 3), [1, True], {}), ((2, 3, 4), [1, 1], {"mode": "reflect",
                                                                           "value": 0}),
                            ((0, 2, 3), [1, 1], {"mode": "reflect"}),
                            ((0, 2, 3, 3), [1, 1, 1, 1], {"mode": "replicate"}),
                            ((2, 3), [], {}), ((1, 1, 3, 4), [-2, -2, 0, 0],
                                               {"mode": "reflect"}),
                            ((1, 1, 4), [-3, -1], {"mode": "circular"}),
                            ((0, 4), [1, 1], {"mode": "circular"})):
        x, tx = make_pair(shape, "float32", 1)
        run_both(lambda m, x_: _pad(m, x_, pads, **kw), [x], [tx])
