"""The smaller torch names of the model-file surface (tests/golden/torch_surface.json) that
live outside the op table: random draws (bernoulli, exponential_), as_strided, memory formats,
get_default_device, autocast queries, torch.compiler, autograd.graph.save_on_cpu, dequantize."""
import math

import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, make_pair, raises_like_torch, run_both


def test_bernoulli_draws_follow_the_probabilities_and_the_seed():
    p = wt.tensor([0.0, 1.0, 0.25] * 4000, dtype=wt.float64)
    wt.manual_seed(5)
    a = wt.bernoulli(p)
    wt.manual_seed(5)
    b = p.bernoulli()
    assert a.dtype is wt.float64 and a.tolist() == b.tolist()
    draws = a.reshape(-1, 3)
    assert draws[:, 0].sum().item() == 0 and draws[:, 1].sum().item() == 4000
    assert abs(draws[:, 2].mean().item() - 0.25) < 0.03            # 4.5 sigma
    assert abs(wt.zeros(4000).bernoulli(0.75).mean().item() - 0.75) < 0.03
    raises_like_torch(lambda m: m.bernoulli(m.tensor([1.5])), "p_in >= 0 && p_in <= 1")


def test_exponential_has_the_right_mean_and_errors():
    wt.manual_seed(1)
    x = wt.empty(20000).exponential_(2.0)
    assert x.amin().item() >= 0
    assert abs(x.mean().item() - 0.5) < 0.02 and abs(x.std().item() - 0.5) < 0.03
    raises_like_torch(lambda m: m.empty(3).exponential_(0.0), "lambda > 0.0")
    raises_like_torch(lambda m: m.empty(3, dtype=m.int64).exponential_(), "exponential")


def test_as_strided_views_like_torch():
    x, tx = make_pair((4, 3), "float32", 1)
    for args in (((2, 2), (1, 2)), ((3, 3), (3, 1), 1), ((2, 2, 2), (6, 0, 1)), ((0,), (1,))):
        run_both(lambda m, a: a.as_strided(*args), [x], [tx])
        run_both(lambda m, a: m.as_strided(a, *args), [x], [tx])
    assert x.as_strided((2, 2), (1, 2))._storage is x._storage
    raises_like_torch(lambda m: m.zeros(4).as_strided((3,), (2,)), "out of bounds for storage")

    def grad(m):
        t = m.arange(6, dtype=m.float64).requires_grad_()
        (t.as_strided((2, 3), (1, 2)) * m.arange(6, dtype=m.float64).reshape(2, 3)).sum() \
            .backward()
        return t.grad
    run_both(lambda m, g: g, [grad(wt)], [grad(torch)])


def test_namespace_answers_like_torch_on_cpu():
    x, tx = make_pair((2, 3), "float32", 2, "transposed")
    for name in ("contiguous_format", "preserve_format", "channels_last",
                 "legacy_contiguous_format"):
        assert repr(getattr(wt, name)).startswith("torch.")
        run_both(lambda m, a: a.contiguous(memory_format=getattr(m, "contiguous_format")),
                 [x], [tx])
    assert str(wt.get_default_device()) == str(torch.get_default_device()) == "cpu"
    assert wt.is_autocast_enabled("cpu") is torch.is_autocast_enabled("cpu") is False
    assert wt.get_autocast_dtype("cpu") is wt.bfloat16
    assert str(torch.get_autocast_dtype("cpu")) == "torch.bfloat16"
    assert wt.compiler.is_compiling() is torch.compiler.is_compiling() is False
    fn = lambda v: v  # noqa: E731
    assert wt.compiler.disable(fn) is fn and wt.compiler.allow_in_graph(fn) is fn
    with pytest.raises(NotImplementedError, match="torch.compiler.compile"):
        wt.compiler.compile
    with wt.autograd.graph.save_on_cpu(pin_memory=True):
        a = wt.tensor([1.0, 2.0], requires_grad=True)
        (a * a).sum().backward()
    assert a.grad.tolist() == [2.0, 4.0]
    assert x.dequantize() is x
    assert math.isclose(wt.linalg.vector_norm(wt.tensor([3.0, 4.0])).item(), 5.0)
