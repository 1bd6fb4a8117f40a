"""Gradients of every differentiable op of the op table against torch (float64), and the
derivatives table's completeness: every primitive has a formula or is marked."""
import random

import pytest
import torch
from hypothesis import given, settings, strategies as st

import webtensor as wt
from webtensor import backends
from webtensor.ops import derivatives as DV
from webtensor.ops.table import BINARY, OPS, REDUCE, UNARY
from wt_oracle import broadcast_shapes  # (puts tests/portable on sys.path)
from gradcases import CASES, NON_DIFF  # noqa: E402


def _values(shape, seed, positive):
    rng = random.Random(seed)
    n = 1
    for s in shape:
        n *= s
    vals = [rng.uniform(0.3, 1.7) * (1 if positive else rng.choice((-1, 1))) for _ in range(n)]
    return vals


def _pair(shape, seed, positive, dtype="float64"):
    vals = _values(shape, seed, positive)
    t = torch.tensor(vals, dtype=getattr(torch, dtype)).reshape(shape).requires_grad_()
    w = wt.tensor(vals, dtype=getattr(wt, dtype)).reshape(shape).detach().requires_grad_()
    return w, t


def _scalar(out, m, seed):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = 0
    for i, o in enumerate(outs):
        if o.dtype.is_floating_point if m is torch else o.dtype.category == 2:
            vals = _values(tuple(o.shape), seed + 100 + i, False)
            total = total + (o * m.tensor(vals, dtype=o.dtype).reshape(tuple(o.shape))).sum()
    return total


def check_grads(fn, shapes, positive=False, seed=0, tol=1e-6):
    pairs = [_pair(s, seed + i, positive) for i, s in enumerate(shapes)]
    ws, ts = [p[0] for p in pairs], [p[1] for p in pairs]
    _scalar(fn(torch, *ts), torch, seed).backward()
    _scalar(fn(wt, *ws), wt, seed).backward()
    for i, (w, t) in enumerate(zip(ws, ts)):
        if t.grad is None:
            assert w.grad is None or not w.grad.abs().sum().item(), f"input {i}: {w.grad}"
            continue
        assert w.grad is not None, f"input {i}: no gradient (torch: {t.grad})"
        assert tuple(w.grad.shape) == tuple(t.grad.shape)
        torch.testing.assert_close(torch.tensor(w.grad.tolist(), dtype=t.dtype), t.grad,
                                   rtol=tol, atol=tol, msg=lambda m: f"input {i}: {m}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_gradient_matches_torch(name):
    shapes, fn, positive = CASES[name]
    check_grads(fn, shapes, positive)


def test_every_op_has_a_gradient_case_or_is_marked():
    missing = sorted(set(OPS) - set(CASES) - NON_DIFF)
    assert not missing, f"ops with no gradient case and not marked non-differentiable: {missing}"
    assert not set(CASES) & NON_DIFF


def test_every_primitive_has_a_formula_or_is_marked():
    prims = set(backends.op_backend_report()["cpu"]["reference"])
    missing = prims - set(DV.DERIVATIVES)
    assert not missing, f"primitives with no derivative formula and not marked: {missing}"
    for name in DV.NON_DIFFERENTIABLE:      # marked: an entry with no differentiable input
        assert DV.DERIVATIVES[name].inputs == ()
    formulas = {n for n, d in DV.DERIVATIVES.items() if d.inputs}
    assert formulas | set(DV.NON_DIFFERENTIABLE) == set(DV.DERIVATIVES)
    for group, names, table in (("unary", UNARY, DV.UNARY), ("binary", BINARY, DV.BINARY),
                                ("reduce", REDUCE, None)):
        marked = set(DV.NON_DIFFERENTIABLE_OPS[group])
        have = set(table) if table is not None else set(names) - marked
        assert set(names) - have - marked == set(), (group, set(names) - have - marked)
        assert not have & marked


def _non_diff_call(name, x):
    """The op applied to x (float, requires grad) or, where it takes no floats, to x > 0."""
    fn = getattr(wt, name)
    if name == "one_hot":
        return fn((x > 0).long())
    if name == "bincount":
        return fn((x > 0).long().reshape(-1))
    if name.startswith("bitwise") or name.startswith("logical"):
        return fn(x > 0) if name.endswith("not") else fn(x > 0, x < 0.5)
    if name in BINARY or name in ("isin", "searchsorted", "bucketize"):
        return fn(x, x * 2) if name != "bucketize" else fn(x, x.reshape(-1).sort().values)
    if name == "unravel_index":
        return fn((x > 0).long(), (2, 3))
    return fn(x)


@pytest.mark.parametrize("name", sorted(NON_DIFF))
def test_non_differentiable_ops_give_no_grad(name):
    x = wt.randn(2, 3, dtype=wt.float64).requires_grad_()
    out = _non_diff_call(name, x)
    outs = out if isinstance(out, tuple) else (out,)
    assert outs and all(not o.requires_grad and o.grad_fn is None for o in outs)


_UNARY_CASES = sorted(n for n in UNARY if n in CASES)
_BINARY_CASES = ("add", "sub", "mul", "div", "maximum", "minimum", "atan2", "pow")


@settings(max_examples=8, deadline=None)
@given(shapes=broadcast_shapes(), op=st.sampled_from(_BINARY_CASES), seed=st.integers(0, 99))
def test_binary_broadcasting_gradients(shapes, op, seed):
    a, b = shapes
    check_grads(lambda m, x, y: getattr(m, op)(x, y), [a, b], positive=op == "pow",
                seed=seed)


@settings(max_examples=8, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
       op=st.sampled_from(_UNARY_CASES), seed=st.integers(0, 99))
def test_unary_gradients_any_shape(shape, op, seed):
    shapes, fn, positive = CASES[op]
    check_grads(fn, [tuple(shape)], positive, seed)


def test_float32_gradients_and_non_contiguous_inputs():
    def fn(m, x, w):
        return (x.t() @ w[:, ::2]).relu() + x.t()[:, :1].exp()
    pairs = [_pair((4, 3), 1, False, "float32"), _pair((4, 6), 2, False, "float32")]
    (w0, t0), (w1, t1) = pairs
    _scalar(fn(torch, t0, t1), torch, 0).backward()
    _scalar(fn(wt, w0, w1), wt, 0).backward()
    for w, t in pairs:
        torch.testing.assert_close(torch.tensor(w.grad.tolist()), t.grad, rtol=1e-5, atol=1e-5)


def test_float32_conv_and_pool_gradients():
    """float32, so the wasm backend runs the kernels: stride-1 convs (their gradients are
    convs themselves, grouped too) and max-pool with windows apart (one scatter)."""
    def fn(m, x, w1, w2):
        F = m.nn.functional
        h = F.max_pool2d(F.conv2d(x, w1, padding=1).relu(), 2)
        return F.conv2d(h, w2, padding=(1, 2), dilation=(1, 2), groups=2)
    pairs = [_pair((3, 2, 8, 7), 1, False, "float32"), _pair((4, 2, 3, 3), 2, False, "float32"),
             _pair((6, 2, 3, 2), 3, False, "float32")]
    _scalar(fn(torch, *[p[1] for p in pairs]), torch, 0).backward()
    _scalar(fn(wt, *[p[0] for p in pairs]), wt, 0).backward()
    for w, t in pairs:
        torch.testing.assert_close(torch.tensor(w.grad.tolist()), t.grad, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("case", ["acts", "softmax", "norms", "ce_mean", "ce_none_smooth",
                                  "ce_sum_ignore"])
def test_float32_backward_kernels(case):
    """float32, so the wasm backend runs the backward kernels (act_backward, softmax_backward,
    norm_backward, the fused cross_entropy): odd sizes for the vector tails, a middle-axis
    softmax, ignore_index, label smoothing and every reduction."""
    def fn(m, x, w, b):
        F = m.nn.functional
        if case == "acts":
            return F.gelu(x) + F.gelu(x * w, approximate="tanh") + F.silu(x + b) + \
                F.relu(x - b)
        if case == "softmax":
            return F.softmax(x * w, 1) + F.log_softmax(x.reshape(3, 5, 9), 1).reshape(15, 9) \
                + F.softmax(x + b, -1)
        if case == "norms":
            return F.layer_norm(x, (9,), w[0], b[0]) + F.rms_norm(x.t(), (15,), w[:, 0]).t() \
                + F.layer_norm(x * b, (9,))
        t = m.tensor([0, 8, 3, 3, -100, 5, 1, 2, 7, 0, 4, 6, -100, 8, 1])
        if case == "ce_mean":
            return F.cross_entropy(x * w, t.clamp(min=0)).reshape(1) + b[0, :1]
        if case == "ce_none_smooth":
            return F.cross_entropy(x + b, t, reduction="none", label_smoothing=0.2) * w[:, 0]
        return F.cross_entropy(x * b, t, reduction="sum", ignore_index=-100,
                               label_smoothing=0.1).reshape(1) * w[0, :1]
    pairs = [_pair((15, 9), 1, False, "float32"), _pair((15, 9), 2, False, "float32"),
             _pair((15, 9), 3, False, "float32")]
    _scalar(fn(torch, *[p[1] for p in pairs]), torch, 0).backward()
    _scalar(fn(wt, *[p[0] for p in pairs]), wt, 0).backward()
    for w, t in pairs:
        torch.testing.assert_close(torch.tensor(w.grad.tolist()), t.grad, rtol=1e-4, atol=2e-5)


def test_cross_entropy_kernel_errors_and_all_ignored():
    x = [[0.1, 0.2, 0.3], [0.5, -0.1, 0.0]]
    for m in (torch, wt):
        with pytest.raises(IndexError, match="Target 3 is out of bounds"):
            m.nn.functional.cross_entropy(m.tensor(x), m.tensor([0, 3]))
    res = []
    for m in (torch, wt):
        xx = m.tensor(x, requires_grad=True)
        loss = m.nn.functional.cross_entropy(xx, m.tensor([-100, -100]))
        loss.backward()
        res.append((loss.item(), xx.grad.tolist()))
    assert str(res[0][0]) == str(res[1][0]) == "nan"
    assert str(res[0][1]) == str(res[1][1]), res
