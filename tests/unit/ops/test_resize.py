"""webtensor/ops/resize.py against torch.nn.functional.interpolate on both backends: nearest,
nearest-exact, linear / bilinear / trilinear / bicubic (align_corners both ways, antialias),
area; sizes and scale factors (with and without recompute_scale_factor), up and down; float
dtypes and uint8 nearest; torch's error types and messages (argument checks, unsupported
modes, dtypes)."""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import examples, layouts, make_pair, raises_like_torch, run_both, seeds

_NDIM = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}
_SCALES = st.one_of(st.sampled_from((0.5, 2, 3, 1.5, 0.75, 1 / 3, 2.25, 1.0, 1.1, 2.04)),
                    st.floats(0.3, 4.0))


def _interp(m, x, **kw):
    return (F if m is torch else wt).interpolate(x, **kw)


@st.composite
def cases(draw):
    mode = draw(st.sampled_from(("nearest", "nearest-exact", "linear", "bilinear", "trilinear",
                                 "bicubic", "area")))
    nd = _NDIM.get(mode) or draw(st.integers(1, 3))
    shape = (draw(st.integers(0, 2)), draw(st.integers(1, 3))) + \
        tuple(draw(st.integers(1, 7)) for _ in range(nd))
    kw = {"mode": mode}
    if draw(st.booleans()):
        kw["size"] = [draw(st.integers(1, 12)) for _ in range(nd)] if draw(st.booleans()) \
            else draw(st.integers(1, 12))
    else:
        kw["scale_factor"] = [draw(_SCALES) for _ in range(nd)] if draw(st.booleans()) \
            else draw(_SCALES)
        if draw(st.booleans()):
            kw["recompute_scale_factor"] = True
        if any(int(n * s) < 1 for n, s in zip(shape[2:], kw["scale_factor"]
                                              if isinstance(kw["scale_factor"], list)
                                              else [kw["scale_factor"]] * nd)):
            kw["scale_factor"] = 2
    if mode in _NDIM and draw(st.booleans()):
        kw["align_corners"] = draw(st.booleans())
    return shape, kw


def _tol(dtype):
    """float32: torch's kernel may fuse the multiply-adds (values <= 4 here). Half types: we
    compute in float32 and round once (torch's bilinear does too); torch's 1-D / 3-D kernels
    round their half-precision weights and partial sums differently: up to 2 ulps apart."""
    return {"float32": {"atol": 2e-6, "rtol": 2e-6}, "float16": {"atol": 4e-3, "rtol": 2e-3},
            "bfloat16": {"atol": 3.2e-2, "rtol": 1.6e-2}}.get(dtype, {})


@settings(max_examples=examples(150))
@given(case=cases(), dtype=st.sampled_from(("float32", "float32", "float64", "float16",
                                            "bfloat16")),
       layout=layouts, seed=seeds)
def test_interpolate(case, dtype, layout, seed):
    shape, kw = case
    x, tx = make_pair(shape, dtype, seed, layout)
    run_both(lambda m, x_: _interp(m, x_, **kw), [x], [tx], **_tol(dtype))


@pytest.mark.parametrize("mode", ["nearest", "nearest-exact"])
@pytest.mark.parametrize("nd", [1, 2, 3])
def test_nearest_index_shortcuts(mode, nd):
    """torch's 2-D nearest kernel copies same-size dims and halves indices of doubled ones
    whatever the scale_factor says; the 1-D and 3-D kernels (and nearest-exact) use the
    float32 formula. Scale factors near 1 and 2 tell them apart."""
    x, tx = make_pair((1, 2) + (1,) * (nd - 1) + (13,), "float32", 1)
    for s in (1.05, 1.01, 2.04, 2.01, 0.98):
        sf = [1.0] * (nd - 1) + [s]
        run_both(lambda m, x_: _interp(m, x_, scale_factor=sf, mode=mode), [x], [tx])


def test_uint8_nearest():
    x, tx = make_pair((2, 3, 5, 4), "uint8", 2)
    run_both(lambda m, x_: _interp(m, x_, scale_factor=1.7), [x], [tx])
    run_both(lambda m, x_: _interp(m, x_, size=(3, 9), mode="nearest-exact"), [x], [tx])


def test_large_bilinear_matches():
    """An ImageNet-sized resize: torch's float32 index arithmetic at every position."""
    x, tx = make_pair((1, 3, 37, 61), "float32", 3)
    for kw in ({"size": (224, 224)}, {"scale_factor": 0.37}, {"size": (20, 97),
                                                              "align_corners": True}):
        run_both(lambda m, x_: _interp(m, x_, mode="bilinear", **kw), [x], [tx],
                 **_tol("float32"))


def _err(shape, dtype="float32", **kw):
    return lambda m: _interp(m, m.zeros(shape, dtype=getattr(m, dtype)), **kw)


X = (1, 2, 3, 4)


# Every message here is torch's, character for character.
@pytest.mark.parametrize("fn", [
    _err(X),
    _err(X, size=3, scale_factor=2),
    _err(X, size=(3,)),
    _err(X, size=(3, 2.0)),
    _err(X, scale_factor=(3,)),
    _err(X, scale_factor=2, align_corners=True),
    _err(X, size=3, mode="area", align_corners=False),
    _err(X, size=2, recompute_scale_factor=True),
    _err(X, size=2, mode="linear"),
    _err((1, 2, 3), size=2, mode="bilinear"),
    _err((1, 2, 3), size=2, mode="trilinear"),
    _err((1, 2, 3, 4, 5), size=2, mode="bilinear"),
    _err((1, 2, 3), size=2, mode="bicubic"),
    _err(X, size=2, mode="foo"),
    _err((2, 3), size=2),
    _err((1, 2, 3, 4, 5, 6), size=2),
    _err(X, size=3, mode="lanczos"),
    _err(X, size=2, mode="nearest", antialias=True),
    _err(X, size=0),
    _err(X, scale_factor=-1, mode="bilinear"),
    _err((1, 2, 3), size=0, mode="linear"),
    _err((1, 2, 0), size=2, mode="linear"),
    _err((1, 0, 3), size=2, mode="linear"),
    _err((1, 0, 3, 3), size=2),
    _err(X, "int64", size=5),
    _err(X, "bool", size=5, mode="nearest-exact"),
    _err(X, "int32", size=5, mode="bilinear"),
    _err((1, 2, 3), "int64", size=5),
    _err((1, 2, 3), "int8", size=5, mode="linear"),
    _err((1, 2, 3, 3, 3), "int64", size=5, mode="trilinear"),
    _err((1, 2, 3, 3, 3), "int64", size=5, mode="area"),
    _err(X, "int64", size=5, mode="bicubic"),
    _err(X, "bool", size=5, mode="bicubic"),
    _err(X, scale_factor=float("inf")),
    _err(X, scale_factor=float("nan"), mode="bilinear"),
    _err(X, "float16", size=2, mode="bilinear", antialias=True),
    _err(X, "bfloat16", size=2, mode="bicubic", antialias=True),
])
def test_errors(fn):
    we, te = raises_like_torch(fn)
    assert str(we) == str(te)


@settings(max_examples=examples(60))
@given(mode=st.sampled_from(("bilinear", "bicubic")), h=st.integers(1, 24), w=st.integers(2, 24),
       out=st.one_of(st.tuples(st.integers(1, 16), st.integers(2, 16)).map(lambda t: {"size": t}),
                     st.sampled_from((0.5, 0.25, 0.37, 2.0, 1.3, 0.75)).map(
                         lambda s: {"scale_factor": s})),
       align_corners=st.sampled_from((None, False, True)),
       dtype=st.sampled_from(("float32", "float64")), seed=seeds)
def test_antialias(mode, h, w, out, align_corners, dtype, seed):
    """antialias=True (torchvision's resize default): PIL-style filters stretched over every
    input a downscaled output covers. (torch 2.13 returns wrong values when the output or
    input width is 1 -- every row equals the first -- so widths here are >= 2.)"""
    if "scale_factor" in out and int(w * out["scale_factor"]) < 2:
        out = {"size": (max(h // 2, 1), 2)}
    kw = dict(out, mode=mode, antialias=True)
    if align_corners is not None:
        kw["align_corners"] = align_corners
    x, tx = make_pair((2, 3, h, w), dtype, seed)
    # torch sums its float32 weights in another order than ours: a few ulps of the weights
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == "float32" else {}
    run_both(lambda m, x_: _interp(m, x_, **kw), [x], [tx], **tol)


def test_lanczos_is_not_supported():
    x = wt.zeros(1, 2, 3, 4)
    with pytest.raises(NotImplementedError, match="lanczos"):
        wt.interpolate(x, size=5, mode="lanczos", antialias=True)
    F.interpolate(torch.zeros(1, 2, 3, 4), size=5, mode="lanczos", antialias=True)  # torch runs


@pytest.mark.parametrize("mode", ["bilinear", "bicubic"])
def test_uint8_linear_modes_not_supported(mode):
    with pytest.raises(NotImplementedError, match="uint8"):
        wt.interpolate(wt.zeros(1, 2, 3, 4, dtype=wt.uint8), size=5, mode=mode)
    F.interpolate(torch.zeros(1, 2, 3, 4, dtype=torch.uint8), size=5, mode=mode)  # torch runs it


def test_bicubic_overshoots_like_torch():
    """Cubic convolution rings past a step (values outside the input's range) and clamps
    taps at the border; a ViT-style position-embedding resize."""
    step = torch.tensor([0.0] * 4 + [1.0] * 4).reshape(1, 1, 1, 8).expand(1, 2, 3, 8)
    run_both(lambda m, x_: _interp(m, x_, size=(5, 19), mode="bicubic"),
             [wt.tensor(step.tolist())], [step], **_tol("float32"))
    x, tx = make_pair((1, 16, 7, 7), "float32", 4)
    for ac in (False, True):
        run_both(lambda m, x_: _interp(m, x_, size=(12, 12), mode="bicubic", align_corners=ac),
                 [x], [tx], **_tol("float32"))
