"""webtensor/ops/loss.py against torch.nn.functional on both backends: cross_entropy (class
indices with weight / ignore_index / label_smoothing, probability targets, (N, C), (C,) and
(N, C, d1, ...) inputs), nll_loss, mse_loss, l1_loss, smooth_l1_loss, huber_loss, kl_div,
binary_cross_entropy, binary_cross_entropy_with_logits; every reduction; numerical stability
at extreme logits; torch's error types and messages."""
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

import webtensor as wt
from wt_oracle import examples, make_pair, raises_like_torch, run_both, seeds, to_wt

REDUCTIONS = st.sampled_from(("none", "mean", "sum"))
TOL = {"float32": {"rtol": 1e-5, "atol": 1e-5}, "float64": {}}


def _fn(name):
    return lambda m, *a, **k: getattr(F if m is torch else wt, name)(*a, **k)


def _both(t):
    return None if t is None else to_wt(t)


def _run(name, args, kw, dtype="float32"):
    wkw = {k: _both(v) if isinstance(v, torch.Tensor) else v for k, v in kw.items()}
    run_both(lambda m, *a: _fn(name)(m, *a, **(kw if m is torch else wkw)),
             [_both(a) for a in args], list(args), **TOL[dtype])


@st.composite
def class_cases(draw):
    nd = draw(st.sampled_from((1, 2, 2, 3, 4, 5)))
    c = draw(st.integers(1, 5))
    shape = (c,) if nd == 1 else (draw(st.integers(0, 3)), c) + \
        tuple(draw(st.integers(1, 3)) for _ in range(nd - 2))
    tshape = () if nd == 1 else (shape[0],) + shape[2:]
    seed = draw(seeds)
    g = torch.Generator().manual_seed(seed)
    target = torch.randint(0, c, tshape, generator=g)
    kw = {"reduction": draw(REDUCTIONS)}
    if draw(st.booleans()):
        kw["ignore_index"] = draw(st.sampled_from((-100, 0, 1, -1)))
        if target.numel() and draw(st.booleans()):
            target.view(-1)[0] = kw["ignore_index"]
    if draw(st.booleans()):
        kw["weight"] = torch.rand(c, generator=g)
    return shape, target, kw, seed


@settings(max_examples=examples(80))
@given(case=class_cases(), dtype=st.sampled_from(("float32", "float64")),
       smoothing=st.sampled_from((0.0, 0.0, 0.1, 0.5, 1.0)))
def test_cross_entropy_class_indices(case, dtype, smoothing):
    shape, target, kw, seed = case
    _, x = make_pair(shape, dtype, seed)
    kw = dict(kw, label_smoothing=smoothing)
    if "weight" in kw:
        kw["weight"] = kw["weight"].to(getattr(torch, dtype))
    _run("cross_entropy", (x, target), kw, dtype)


@settings(max_examples=examples(60))
@given(case=class_cases(), dtype=st.sampled_from(("float32", "float64")))
def test_nll_loss(case, dtype):
    shape, target, kw, seed = case
    _, x = make_pair(shape, dtype, seed)
    x = x.log_softmax(1 if x.dim() > 1 else 0)
    if "weight" in kw:
        kw["weight"] = kw["weight"].to(getattr(torch, dtype))
    _run("nll_loss", (x, target), kw, dtype)


@settings(max_examples=examples(50))
@given(shape=st.sampled_from(((4,), (3, 4), (2, 3, 2, 2), (0, 3), (2, 5, 3))), seed=seeds,
       reduction=REDUCTIONS, smoothing=st.sampled_from((0.0, 0.2)), weighted=st.booleans(),
       dtypes=st.sampled_from((("float32", "float32"), ("float64", "float64"),
                               ("float32", "float64"))))
def test_cross_entropy_probabilities(shape, seed, reduction, smoothing, weighted, dtypes):
    _, x = make_pair(shape, dtypes[0], seed)
    g = torch.Generator().manual_seed(seed)
    target = torch.rand(shape, generator=g, dtype=getattr(torch, dtypes[1]))
    cdim = 1 if len(shape) > 1 else 0
    target = target / target.sum(cdim, keepdim=True).clamp_min(1e-3)
    kw = {"reduction": reduction, "label_smoothing": smoothing}
    if weighted:
        kw["weight"] = torch.rand(shape[cdim], generator=g, dtype=getattr(torch, dtypes[0]))
    _run("cross_entropy", (x, target), kw, "float32")


def test_cross_entropy_is_stable_at_extreme_logits():
    x = torch.tensor([[1e4, -1e4, 0.0], [-3e38, 3e38, 1.0]])
    t = torch.tensor([1, 0])
    for red in ("none", "mean", "sum"):
        _run("cross_entropy", (x, t), {"reduction": red})
        _run("cross_entropy", (x, t), {"reduction": red, "label_smoothing": 0.1})


def test_all_ignored_mean_is_nan_like_torch():
    x, t = torch.randn(3, 4), torch.full((3,), -100)
    _run("cross_entropy", (x, t), {})
    _run("nll_loss", (x.log_softmax(1), t), {"reduction": "sum"})
    _run("nll_loss", (torch.zeros(0, 4), torch.zeros(0, dtype=torch.long)), {})


def test_torch_edge_conventions():
    """Negative label_smoothing passes unchecked and is ignored; a size-1 target serves an
    unbatched input."""
    x = torch.randn(2, 3)
    _run("cross_entropy", (x, torch.rand(2, 3)), {"label_smoothing": -0.5})
    _run("cross_entropy", (x, torch.tensor([0, 2])), {"label_smoothing": -0.5})
    for red in ("none", "mean", "sum"):
        _run("nll_loss", (torch.tensor([0.1, 0.2, 0.3]), torch.tensor([1])), {"reduction": red})
        _run("cross_entropy", (torch.tensor([0.1, 0.2, 0.3]), torch.tensor([2])),
             {"reduction": red})


def test_uint8_target():
    _run("cross_entropy", (torch.randn(3, 4), torch.tensor([0, 3, 1], dtype=torch.uint8)), {})


@settings(max_examples=examples(60))
@given(name=st.sampled_from(("mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss")),
       shape=st.lists(st.integers(0, 4), max_size=3).map(tuple), seed=seeds,
       reduction=REDUCTIONS, dtype=st.sampled_from(("float32", "float64")),
       beta=st.sampled_from((1.0, 0.0, 0.5, 2.0)), bcast=st.booleans(), weighted=st.booleans())
def test_regression_losses(name, shape, seed, reduction, dtype, beta, bcast, weighted):
    _, x = make_pair(shape, dtype, seed)
    _, y = make_pair(shape[-1:] if bcast else shape, dtype, seed + 1)
    kw = {"reduction": reduction}
    if name == "smooth_l1_loss":
        kw["beta"] = beta
    elif name == "huber_loss" and beta > 0:
        kw["delta"] = beta
    if name != "smooth_l1_loss" and weighted:
        kw["weight"] = make_pair(shape, dtype, seed + 2, domain="pos")[1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _run(name, (x, y), kw, dtype)


@settings(max_examples=examples(40))
@given(shape=st.lists(st.integers(0, 4), max_size=3).map(tuple), seed=seeds,
       reduction=st.sampled_from(("none", "mean", "sum", "batchmean")), log_target=st.booleans(),
       dtype=st.sampled_from(("float32", "float64")), zeros=st.booleans())
def test_kl_div(shape, seed, reduction, log_target, dtype, zeros):
    g = torch.Generator().manual_seed(seed)
    tdt = getattr(torch, dtype)
    x = torch.randn(shape, generator=g, dtype=tdt).log_softmax(-1) if shape else \
        torch.randn(shape, generator=g, dtype=tdt)
    t = torch.rand(shape, generator=g, dtype=tdt)
    if zeros and t.numel():
        t.view(-1)[::2] = 0.0   # xlogy(0, 0) = 0
    if log_target:
        t = t.clamp_min(1e-3).log()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _run("kl_div", (x, t), {"reduction": reduction, "log_target": log_target}, dtype)


def test_target_size_warning():
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[3\]\)\) that is "
                                         r"different to the input size \(torch.Size\(\[2, 3\]\)"):
        wt.mse_loss(wt.zeros(2, 3), wt.zeros(3))


def test_mixed_dtypes_promote():
    _run("mse_loss", (torch.randn(3, 4), torch.randn(3, 4).double()), {}, "float64")
    _run("l1_loss", (torch.randn(3, 4), torch.arange(12).reshape(3, 4)), {})
    _run("binary_cross_entropy_with_logits", (torch.randn(3, 4), torch.rand(3, 4).double()), {},
         "float64")


@settings(max_examples=examples(60))
@given(shape=st.lists(st.integers(0, 4), max_size=3).map(tuple), seed=seeds,
       reduction=REDUCTIONS, dtype=st.sampled_from(("float32", "float64")),
       weight=st.sampled_from((None, "full", "last")), pos=st.booleans(),
       saturate=st.booleans())
def test_binary_cross_entropy(shape, seed, reduction, dtype, weight, pos, saturate):
    g = torch.Generator().manual_seed(seed)
    tdt = getattr(torch, dtype)
    logits = torch.randn(shape, generator=g, dtype=tdt) * (40 if saturate else 3)
    target = torch.rand(shape, generator=g, dtype=tdt)
    kw = {"reduction": reduction}
    if weight is not None:
        kw["weight"] = torch.rand(shape if weight == "full" else shape[-1:], generator=g,
                                  dtype=tdt)
    probs = logits.sigmoid()   # saturates to exactly 0 and 1: the -100 log clamp
    _run("binary_cross_entropy", (probs, target), kw, dtype)
    if pos:
        kw["pos_weight"] = torch.rand(shape[-1:], generator=g, dtype=tdt) * 3
    _run("binary_cross_entropy_with_logits", (logits, target), kw, dtype)


def _err(name, *shapes_dtypes, **kw):
    def f(m):
        args = []
        for s in shapes_dtypes:
            if isinstance(s, tuple) and len(s) == 2 and isinstance(s[1], str):
                shape, dt = s
                args.append(m.zeros(shape, dtype=getattr(m, dt)))
            else:
                args.append(m.tensor(s))
        wkw = {k: (m.ones(v[0], dtype=getattr(m, v[1])) if isinstance(v, tuple) and
                   isinstance(v[-1], str) else m.ones(v) if isinstance(v, tuple) else v)
               for k, v in kw.items()}
        return _fn(name)(m, *args, **wkw)
    return f


# Every message here is torch's, character for character.
@pytest.mark.parametrize("fn", [
    _err("cross_entropy", ((3, 4), "float32"), [0, 4, 1]),
    _err("cross_entropy", ((3, 4), "float32"), [0, -1, 1]),
    _err("cross_entropy", ((3, 4, 2), "float32"), [[0, 4], [1, 1], [0, 0]]),
    _err("cross_entropy", ((3, 4, 2, 2), "float32"), [[[0, 9], [1, 1]]] * 3),
    _err("cross_entropy", ((3, 4), "float32"), [0, 1]),
    _err("cross_entropy", ((3, 4), "float32"), [0.0, 1.0, 1.0]),
    _err("cross_entropy", ((3, 4), "float32"), ((3,), "int32")),
    _err("cross_entropy", ((3, 4), "float32"), [[0, 1, 1]]),
    _err("cross_entropy", ((3, 4), "float32"), ((3, 5), "float32")),
    _err("cross_entropy", ((3, 4), "float32"), [0, 1, 1], weight=(3,)),
    _err("cross_entropy", ((3, 4), "float32"), [0, 1, 1], reduction="foo"),
    _err("cross_entropy", ((3, 4), "float32"), [0, 1, 1], label_smoothing=1.5),
    _err("cross_entropy", ((3, 4), "int64"), [0, 1, 1]),
    _err("cross_entropy", ((4,), "float32"), ((4,), "int64")),
    _err("nll_loss", ((3, 4), "float32"), [0, 4, 1]),
    _err("nll_loss", ((3, 4, 2, 2, 2), "float32"), ((3, 2, 2, 3), "int64")),
    _err("nll_loss", ((3, 4, 2, 2), "float32"), ((3, 2, 3), "int64")),
    _err("nll_loss", ((3, 4, 2), "float32"), ((3, 3), "int64")),
    _err("nll_loss", ((3, 4, 2), "float32"), ((3, 2, 2), "int64")),
    _err("nll_loss", ((3, 4), "float32"), [0, 1, 1], weight=(4, 1)),
    _err("nll_loss", ((3, 4), "float32"), ((3,), "int64"), weight=((4,), "float64")),
    _err("mse_loss", ((3, 4), "float32"), ((5,), "float32")),
    _err("mse_loss", ((3, 4), "int64"), ((3, 4), "int64")),
    _err("mse_loss", ((3, 4), "float32"), ((3, 4), "float32"), weight=(4,)),
    _err("l1_loss", ((3, 4), "int64"), ((3, 4), "int64")),
    _err("smooth_l1_loss", ((3, 4), "float32"), ((3, 4), "float32"), beta=-1.0),
    _err("huber_loss", ((3, 4), "float32"), ((3, 4), "float32"), delta=0.0),
    _err("cross_entropy", 0.5, 2),
    _err("cross_entropy", 0.5, 0.7),
    _err("nll_loss", 0.5, 0),
    _err("nll_loss", [0.1, 0.2, 0.3], [1, 2], reduction="none"),
    _err("nll_loss", [0.1, 0.2, 0.3], [[2]]),
    _err("binary_cross_entropy_with_logits", ((2, 3), "float32"), ((2, 3), "float32"),
         weight=(2, 2, 3)),
    _err("binary_cross_entropy_with_logits", [0.3], [1.0], pos_weight=(2,)),
    _err("binary_cross_entropy", ((2, 3), "float32"), ((2, 3), "float32"), weight=(2, 2, 3)),
    _err("kl_div", [1, 2], [0.5, 0.5], reduction="sum"),
    _err("kl_div", [1.0, 2.0], [1, 2], log_target=True),
    _err("huber_loss", ((3, 4), "float32"), ((3, 4), "float32"), reduction="foo"),
    _err("kl_div", ((3, 4), "float32"), ((3, 4), "float32"), reduction="foo"),
    _err("binary_cross_entropy", ((3, 4), "float32"), ((3, 4), "float64")),
    _err("binary_cross_entropy", ((3, 4), "float32"), ((4,), "float32")),
    _err("binary_cross_entropy", [0.5, 1.5], [0.0, 1.0]),
    _err("binary_cross_entropy", ((3, 4), "float32"), ((3, 4), "float32"), weight=(5,)),
    _err("binary_cross_entropy_with_logits", ((3, 4), "float32"), ((4,), "float32")),
    _err("binary_cross_entropy_with_logits", ((3, 4), "float32"), ((3, 4), "int64")),
    _err("binary_cross_entropy_with_logits", ((3, 4), "float32"), ((3, 4), "float32"),
         pos_weight=(5,)),
])
def test_errors(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        we, te = raises_like_torch(fn)
    assert str(we) == str(te)


def test_legacy_size_average_and_reduce():
    x, t = torch.randn(3, 4), torch.tensor([0, 2, 3])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for sa, rd in ((None, False), (False, None), (True, True), (False, True)):
            _run("cross_entropy", (x, t), {"size_average": sa, "reduce": rd})
            _run("mse_loss", (x, x.flip(0)), {"size_average": sa, "reduce": rd})


@pytest.mark.parametrize("dtype", ("int8", "uint8", "bool", "int16", "int32", "int64"))
def test_xlogy_of_integers(dtype):
    """integer (and bool) xlogy: float32 x log(y), 0 where x == 0 (log(0) = -inf, log(<0) =
    nan), past 65536 elements (the 16-bit log table's threshold), a float x, broadcasting"""
    g = torch.Generator().manual_seed(3)
    lo = 0 if dtype in ("uint8", "bool") else -3
    for n in (5, 70000):
        a, b = (torch.randint(lo, 5, (n,), generator=g).to(getattr(torch, dtype))
                for _ in range(2))
        run_both(lambda m, p, q: m.xlogy(p, q), [to_wt(a), to_wt(b)], [a, b], 1e-6, 0)
    x, b = torch.randn(4, 3, generator=g), torch.tensor([0, 1, 2]).to(getattr(torch, dtype))
    run_both(lambda m, p, q: m.xlogy(p, q), [to_wt(x), to_wt(b)], [x, b], 1e-6, 0)
    run_both(lambda m, q: m.xlogy(2.5, q), [to_wt(b)], [b], 1e-6, 0)
