"""Autograd semantics against torch: leaves and .grad accumulation, backward/grad options,
hooks, retain_grad, grad modes, higher-order gradients, views and in-place ops, reprs, and
torch's errors for the classic mistakes."""
import re

import pytest
import torch

import webtensor as wt


def both(fn):
    """fn(m) for torch and webtensor; returns the pair of results."""
    return fn(torch), fn(wt)


def same_error(fn):
    """fn(m) raises the same exception type and message in torch and webtensor."""
    errs = []
    for m in (torch, wt):
        with pytest.raises(Exception) as e:
            fn(m)
        errs.append(e.value)
    assert type(errs[1]) is type(errs[0]) or type(errs[0]).__name__ == type(errs[1]).__name__
    t = str(errs[0]).replace("torch.", "")
    assert str(errs[1]).replace("torch.", "") == t, (str(errs[1]), t)


def close(a, b, tol=1e-6):
    assert a is not None and b is not None
    torch.testing.assert_close(torch.tensor(b.tolist(), dtype=a.dtype), a, rtol=tol, atol=tol)


def leaf(m, vals=(1.0, -2.0, 3.0)):
    return m.tensor(list(vals), requires_grad=True)


# ---- leaves, accumulation, backward options ------------------------------------------------

def test_grad_accumulates_and_leaf_flags():
    for m in (torch, wt):
        x = leaf(m)
        y = (x * x).sum()
        assert x.is_leaf and not y.is_leaf and y.requires_grad and x.grad is None
        y.backward(retain_graph=True)
        y.backward()
        assert x.grad.tolist() == [4.0, -8.0, 12.0]
        assert not x.grad.requires_grad and x.grad_fn is None


def test_backward_with_gradient_and_broadcast_reduction():
    t, w = both(lambda m: leaf(m))
    b_t, b_w = torch.ones(2, 1, requires_grad=True), wt.ones(2, 1, requires_grad=True)
    (t * b_t).backward(torch.tensor([[1.0, 2, 3], [4, 5, 6]]))
    (w * b_w).backward(wt.tensor([[1.0, 2, 3], [4, 5, 6]]))
    close(t.grad, w.grad)
    close(b_t.grad, b_w.grad)


def test_autograd_grad_options():
    for m in (torch, wt):
        x, z = leaf(m), leaf(m, (0.5, 0.5, 0.5))
        y = (x.exp() * 2).sum()
        g, = m.autograd.grad(y, x, retain_graph=True)
        assert not g.requires_grad and x.grad is None          # grad() does not accumulate
        gx, gz = m.autograd.grad(y, [x, z], allow_unused=True, retain_graph=True)
        assert gz is None
        gx, gz = m.autograd.grad(y, [x, z], materialize_grads=True)
        assert gz.tolist() == [0.0, 0.0, 0.0]
        out = (x * 3).sum()
        g, = m.autograd.grad([out], [x], grad_outputs=[m.tensor(2.0)])
        assert g.tolist() == [6.0, 6.0, 6.0]


def test_leaf_grads_are_private_tensors():
    """A leaf takes a backward-made gradient as .grad without a copy only when nothing else
    holds it (torch's rule): one gradient reaching two leaves, a root gradient the caller
    holds, or one a hook kept all stay separate tensors."""
    def f(m):
        a, b = leaf(m), leaf(m)
        (a + b).backward(m.ones(3))              # AddBackward passes one tensor to both leaves
        a.grad.add_(1)
        x, t = leaf(m), m.tensor([1.0, 2.0, 3.0])
        x.backward(t)                            # the caller's tensor reaches the leaf
        t.mul_(10)
        kept = []
        y = leaf(m)
        y.register_hook(lambda g: kept.append(g))
        (y * 2).sum().backward()
        y.grad.add_(5)
        w = leaf(m)
        (w * 3).sum().backward()                 # a fresh gradient: may become .grad as is
        return a.grad.tolist(), b.grad.tolist(), x.grad.tolist(), kept[0].tolist(), \
            w.grad.tolist()
    a, b = both(f)
    assert a == b
    assert a[1] == [1.0, 1.0, 1.0] and a[2] == [1.0, 2.0, 3.0] and a[3] == [2.0, 2.0, 2.0]


def test_backward_inputs_accumulates_only_into_them():
    for m in (torch, wt):
        x, z = leaf(m), leaf(m)
        (x * z).sum().backward(inputs=[x])
        assert x.grad.tolist() == [1.0, -2.0, 3.0] and z.grad is None


def test_higher_order_gradients():
    for m in (torch, wt):
        x = leaf(m, (0.5, -1.0, 2.0))
        y = (x.sin() * x.pow(3)).sum()
        g, = m.autograd.grad(y, x, create_graph=True)
        assert g.requires_grad
        g2, = m.autograd.grad(g.sum(), x, create_graph=True)
        g3, = m.autograd.grad(g2.sum(), x)
        if m is torch:
            want = (g.detach(), g2.detach(), g3)
        else:
            for a, b in zip(want, (g, g2, g3)):
                close(a, b, 1e-5)


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-8), ("float32", 1e-4)])
def test_double_backward_through_nn_ops(dtype, tol):
    """create_graph through the backward primitives (float32: their kernels run first, their
    formulas differentiate them): activations, softmax, norms, cross_entropy."""
    def f(m, x, w):
        F = m.nn.functional
        h = F.linear(x, w).tanh()
        t = m.tensor([2, 0])
        return F.log_softmax(h, -1).sum() + F.layer_norm(h, (3,), w[:, 0], w[:, 1]).pow(2).sum() \
            + (F.gelu(h) + F.gelu(h, approximate="tanh") + F.silu(h) + F.relu(h)).pow(2).sum() \
            + F.softmax(h * 2, 0).pow(2).sum() + F.rms_norm(h, (3,), w[:, 1]).pow(3).sum() \
            + F.cross_entropy(h * 3, t, label_smoothing=0.1)
    res = []
    for m in (torch, wt):
        x = m.tensor([[0.1, -0.2], [0.3, 0.4]], dtype=getattr(m, dtype), requires_grad=True)
        w = m.tensor([[0.5, -1.0], [0.2, 0.3], [-0.7, 0.1]], dtype=getattr(m, dtype),
                     requires_grad=True)
        gx, = m.autograd.grad(f(m, x, w), x, create_graph=True)
        gw, = m.autograd.grad((gx * gx).sum(), w)
        res.append(gw)
    close(res[0], res[1], tol)


# ---- errors torch raises -------------------------------------------------------------------

def test_backward_twice_without_retain_graph():
    def f(m):
        y = leaf(m).exp().sum()
        y.backward()
        y.backward()
    same_error(f)


def test_backward_twice_without_saved_tensors_is_fine():
    for m in (torch, wt):
        x = leaf(m)
        y = (x + 1).sum()
        y.backward()
        y.backward()
        assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_deepcopy_of_leaves_and_non_leaves():
    import copy
    for m in (torch, wt):
        x = leaf(m)
        c = copy.deepcopy(x)
        assert c.is_leaf and c.requires_grad and c.tolist() == x.tolist()
    same_error(lambda m: copy.deepcopy(leaf(m) * 2))


@pytest.mark.parametrize("case", ["leaf", "view_of_leaf", "scalar_implicit", "no_grad_root",
                                  "shape", "int_requires_grad", "non_leaf_flag", "unused",
                                  "input_no_grad", "hook_no_grad", "retain_no_grad",
                                  "detach_view"])
def test_classic_mistakes_raise_torchs_errors(case):
    cases = {
        "leaf": lambda m: leaf(m).add_(1),
        "view_of_leaf": lambda m: leaf(m)[1:].mul_(2),
        "scalar_implicit": lambda m: (leaf(m) * 2).backward(),
        "no_grad_root": lambda m: m.ones(2).sum().backward(),
        "shape": lambda m: (leaf(m) * 2).backward(m.ones(2)),
        "int_requires_grad": lambda m: m.ones(2, dtype=m.int64).requires_grad_(),
        "non_leaf_flag": lambda m: setattr(leaf(m) * 2, "requires_grad", False),
        "unused": lambda m: m.autograd.grad((leaf(m) * 2).sum(), [leaf(m)]),
        "input_no_grad": lambda m: m.autograd.grad((leaf(m) * 2).sum(), [m.ones(2)]),
        "hook_no_grad": lambda m: m.ones(2).register_hook(lambda g: g),
        "retain_no_grad": lambda m: m.ones(2).retain_grad(),
        "detach_view": lambda m: (leaf(m) * 2)[:2].detach_(),
    }
    same_error(cases[case])


@pytest.mark.parametrize("op", ["exp_then_add_", "sigmoid_then_mul_", "saved_input_zero_"])
def test_saved_tensor_modified_in_place_version_counter(op):
    def f(m):
        x = leaf(m)
        if op == "exp_then_add_":
            y = x.exp()
            y.add_(1)
        elif op == "sigmoid_then_mul_":
            y = x.sigmoid()
            y.mul_(2)
        else:
            a = x * 1
            y = a * x
            a.zero_()
        y.sum().backward()
    same_error(f)


# ---- views and in-place ops ------------------------------------------------------------------

def test_in_place_ops_on_non_leaves_and_views():
    def f(m):
        x = leaf(m, (1.0, 2.0, 3.0, 4.0))
        a = x * 2
        a.add_(1)                          # in place on a non-leaf
        v = a[1:3]
        v.mul_(x[:2])                      # in place on a view of a non-leaf: rebase
        a[0] = x[3] * 5                    # setitem into a view
        w = a.view(2, 2)
        w[:, 1].exp_()                     # through a second view
        buf = m.zeros(2, 4)
        buf[0, 1:] = 0.5
        buf[1] = x.sin()                   # a plain tensor gets a graph through a write
        (a.sum() + (buf * m.arange(8.0).view(2, 4)).sum()).backward()
        return x.grad, a.grad_fn is not None, buf.requires_grad
    (gt, *rt), (gw, *rw) = both(f)
    close(gt, gw)
    assert rt == rw == [True, True]


def test_view_grads_and_cat_stack_split():
    def f(m):
        x = m.arange(12.0).reshape(3, 4).requires_grad_()
        parts = x.split([1, 3], dim=1)
        y = m.cat([parts[1].t(), parts[0].t() * 2], 0)
        z = m.stack([y[:, ::2], y[:, 1:].flip(1)[:, :2]], -1)
        (z * m.arange(z.numel() * 1.0).view(z.shape)).sum().backward()
        return x.grad
    close(*both(f))


def test_grad_of_expanded_and_strided_inputs():
    def f(m):
        x = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        e = x.t().unsqueeze(0).expand(3, 2, 2)
        (e * m.arange(12.0).view(3, 2, 2)).sum().backward()
        return x.grad
    close(*both(f))


# ---- hooks, retain_grad, detach, grad modes ----------------------------------------------------

def test_hooks_and_retain_grad():
    def f(m):
        x = leaf(m)
        seen = []
        x.register_hook(lambda g: seen.append(g.tolist()))
        y = x * 3
        y.retain_grad()
        h = y.register_hook(lambda g: g * 10)
        z = (y * y).sum()
        z.backward(retain_graph=True)
        h.remove()
        z.backward()
        return x.grad.tolist(), y.grad.tolist(), seen, y.retains_grad
    assert both(f)[0] == both(f)[1]


def test_detach_requires_grad_and_grad_modes():
    for m in (torch, wt):
        x = leaf(m)
        assert not x.detach().requires_grad and x.detach().is_leaf
        with m.no_grad():
            y = x * 2
            v = x[1:] * 1
        assert not y.requires_grad and y.grad_fn is None and not v.requires_grad
        with m.no_grad():
            with m.enable_grad():
                assert (x * 2).requires_grad
        with m.inference_mode():
            assert not (x * 2).requires_grad
        m.set_grad_enabled(False)
        assert not (x * 2).requires_grad
        m.set_grad_enabled(True)
        d = (x * 2).detach_()
        assert d.grad_fn is None and not d.requires_grad
        with m.no_grad():
            x.add_(1)                          # allowed on a leaf under no_grad
        assert x.tolist() == [2.0, -1.0, 4.0]
        x.data.mul_(2)                         # .data: an alias that records nothing
        assert x.tolist() == [4.0, -2.0, 8.0]
        x.data = x.data * 0.25
        assert x.tolist() == [1.0, -0.5, 2.0] and x.is_leaf and x.requires_grad


# ---- reprs and names ------------------------------------------------------------------------

@pytest.mark.parametrize("expr", ["x + x", "x * 2", "x.exp()", "x.relu()", "x.sum()",
                                  "x.mean()", "x.sum(0)", "x @ w", "x.view(3, 1)", "x[1:]",
                                  "x[0]", "x.t()", "x.permute(1, 0)", "x.unsqueeze(0)",
                                  "x.expand(2, 2, 3)", "x.clone()", "x.double()",
                                  "x.tanh().sigmoid()", "x.softmax(0)", "x.log_softmax(1)"])
def test_grad_fn_names_and_reprs(expr):
    names = []
    for m in (torch, wt):
        x = m.tensor([[1.0, -2.0, 3.0]], requires_grad=True)
        w = m.ones(3, 2, requires_grad=True)
        r = eval(expr, {"x": x, "w": w})
        names.append(r.grad_fn.name())
        assert re.fullmatch(r"<\w+ object at 0x[0-9a-f]+>", repr(r.grad_fn))
        assert f"grad_fn=<{r.grad_fn.name()}>" in repr(r)
    assert names[0] == names[1]
    assert "requires_grad=True" in repr(wt.ones(2, requires_grad=True))


# ---- Function, gradcheck ---------------------------------------------------------------------

def _cube_fn(m):
    class Cube(m.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            idx = x.argmax()
            ctx.mark_non_differentiable(idx)
            return x ** 3 * k, idx

        @staticmethod
        def backward(ctx, g, g_idx):
            x, = ctx.saved_tensors
            assert ctx.needs_input_grad == (True, False)
            return 3 * x ** 2 * g * ctx.k, None
    return Cube


def test_custom_function():
    def f(m):
        x = leaf(m)
        y, idx = _cube_fn(m).apply(x, 2.0)
        assert not idx.requires_grad and y.grad_fn.name() == "CubeBackward"
        (y.sum() + (y * x).sum()).backward()
        return x.grad
    close(*both(f))


def test_gradcheck_and_gradgradcheck_float64():
    x = wt.tensor([[0.3, -0.7], [1.1, 0.2]], dtype=wt.float64, requires_grad=True)
    w = wt.tensor([[0.5, 0.1], [-0.4, 0.9]], dtype=wt.float64, requires_grad=True)

    def f(x, w):
        return (x @ w).tanh().softmax(-1) * x.exp()
    assert wt.autograd.gradcheck(f, (x, w))
    assert wt.autograd.gradgradcheck(f, (x, w))
    assert wt.autograd.gradcheck(lambda x: _cube_fn(wt).apply(x, 1.5)[0], (x,))

    class Wrong(wt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 3
    assert not wt.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False)
    with pytest.raises(RuntimeError, match="Jacobian mismatch"):
        wt.autograd.gradcheck(Wrong.apply, (x,))
