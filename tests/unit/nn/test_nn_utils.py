"""webtensor.nn.utils: weight_norm (hook form and parametrization), parametrize and
rnn.pad_sequence, against torch with the same weights: outputs, gradients, state_dict keys,
removal; and the smaller nn names model files use (BatchNorm3d, Module.get_extra_state)."""
import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, make_pair, raises_like_torch, run_both, to_wt


def _pair(dim):
    torch.manual_seed(0)
    tc = torch.nn.Conv1d(4, 6, 3, padding=1, groups=2)
    wc = wt.nn.Conv1d(4, 6, 3, padding=1, groups=2)
    wc.load_state_dict({k: to_wt(v) for k, v in tc.state_dict().items()})
    return wc, tc


def _check_forward_backward(wc, tc, params):
    x = torch.randn(2, 4, 5, generator=torch.Generator().manual_seed(1))
    ty = tc(x)
    wy = wc(to_wt(x))
    assert_same(wy, ty, rtol=1e-5, atol=1e-5)
    (ty * ty).sum().backward()
    (wy * wy).sum().backward()
    for name in params:
        assert_same(dict(wc.named_parameters())[name].grad,
                    dict(tc.named_parameters())[name].grad, rtol=1e-4, atol=1e-4, what=name)


@pytest.mark.parametrize("dim", [0, 2, None])
def test_weight_norm_hook_form(dim):
    wc, tc = _pair(dim)
    with pytest.warns(FutureWarning):
        torch.nn.utils.weight_norm(tc, name="weight", dim=dim)
    with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
        wt.nn.utils.weight_norm(wc, name="weight", dim=dim)
    assert sorted(wc.state_dict()) == sorted(tc.state_dict())
    for k, v in tc.state_dict().items():
        assert_same(wc.state_dict()[k], v, rtol=1e-6, atol=1e-6, what=k)
    _check_forward_backward(wc, tc, ["weight_g", "weight_v", "bias"])
    with torch.no_grad():
        tc.weight_g.mul_(2)
    with wt.no_grad():
        wc.weight_g.mul_(2)
    _check_forward_backward(wc, tc, [])             # the weight is recomputed each forward
    torch.nn.utils.remove_weight_norm(tc)
    wt.nn.utils.remove_weight_norm(wc)
    assert sorted(wc.state_dict()) == sorted(tc.state_dict()) == ["bias", "weight"]
    assert_same(wc.weight, tc.weight, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dim", [0, 2])
def test_weight_norm_parametrization(dim):
    wc, tc = _pair(dim)
    torch.nn.utils.parametrizations.weight_norm(tc, name="weight", dim=dim)
    wt.nn.utils.parametrizations.weight_norm(wc, name="weight", dim=dim)
    assert sorted(wc.state_dict()) == sorted(tc.state_dict())
    assert type(wc).__name__ == type(tc).__name__ == "ParametrizedConv1d"
    assert isinstance(wc, wt.nn.Conv1d)
    assert wt.nn.utils.parametrize.is_parametrized(wc, "weight")
    # a torch checkpoint of the parametrized module loads as is
    with torch.no_grad():
        tc.parametrizations.weight.original0.mul_(1.5)
    wc.load_state_dict({k: to_wt(v) for k, v in tc.state_dict().items()})
    assert_same(wc.weight, tc.weight, rtol=1e-5, atol=1e-5)
    _check_forward_backward(wc, tc, ["parametrizations.weight.original0",
                                     "parametrizations.weight.original1", "bias"])
    torch.nn.utils.parametrize.remove_parametrizations(tc, "weight")
    wt.nn.utils.parametrize.remove_parametrizations(wc, "weight")
    assert type(wc) is wt.nn.Conv1d and sorted(wc.state_dict()) == ["bias", "weight"]
    assert_same(wc.weight, tc.weight, rtol=1e-5, atol=1e-5)


def _symmetric(m):
    class Symmetric(m.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).transpose(0, 1)

        def right_inverse(self, a):
            return a.triu()
    return Symmetric()


def test_register_parametrization_custom_and_chained():
    torch.manual_seed(2)
    tl = torch.nn.Linear(3, 3)
    wl = wt.nn.Linear(3, 3)
    wl.load_state_dict({k: to_wt(v) for k, v in tl.state_dict().items()})
    for m, lin in ((torch, tl), (wt, wl)):
        m.nn.utils.parametrize.register_parametrization(lin, "weight", _symmetric(m))
    assert sorted(wl.state_dict()) == sorted(tl.state_dict())
    assert_same(wl.weight, tl.weight, rtol=1e-6, atol=1e-6)
    value = torch.arange(9.).reshape(3, 3)
    tl.weight = value + value.T                      # the setter goes through right_inverse
    wl.weight = to_wt(value + value.T)
    assert_same(wl.parametrizations.weight.original, tl.parametrizations.weight.original)
    assert_same(wl.weight, tl.weight)
    with wt.nn.utils.parametrize.cached():
        assert_same(wl.weight, tl.weight)
    raises_like_torch(lambda m: m.nn.utils.parametrize.register_parametrization(
        m.nn.Linear(2, 2), "nope", _symmetric(m)), "does not have a parameter")


def test_pad_sequence_like_torch():
    a, ta = make_pair((3, 2), "float32", 1)
    b, tb = make_pair((1, 2), "float32", 2)
    c, tc = make_pair((0, 2), "float32", 3)
    for kw in ({}, {"batch_first": True, "padding_value": -1.5}, {"padding_side": "left"}):
        run_both(lambda m, *s: m.nn.utils.rnn.pad_sequence(list(s), **kw), [a, b, c],
                 [ta, tb, tc])
    lens = torch.tensor([3, 1, 0])
    padded = torch.nn.utils.rnn.pad_sequence([ta, tb, tc], batch_first=True)
    run_both(lambda m, p: tuple(m.nn.utils.rnn.unpad_sequence(p, lens, batch_first=True)),
             [to_wt(padded)], [padded])
    raises_like_torch(lambda m: m.nn.utils.rnn.pad_sequence([m.ones(2)], padding_side="up"),
                      "padding_side")
    with pytest.raises(NotImplementedError, match="pack_padded_sequence"):
        wt.nn.utils.rnn.pack_padded_sequence

    def grad(m):
        u = m.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        v = m.tensor([[5.0, 6.0]], requires_grad=True)
        (m.nn.utils.rnn.pad_sequence([u, v], padding_side="left") *
         m.arange(8.).reshape(2, 2, 2)).sum().backward()
        return u.grad, v.grad
    for w, t in zip(grad(wt), grad(torch)):
        assert_same(w, t)


def test_batchnorm3d_and_extra_state_like_torch():
    torch.manual_seed(3)
    tb = torch.nn.BatchNorm3d(3)
    wb = wt.nn.BatchNorm3d(3)
    x = torch.randn(2, 3, 2, 3, 2)
    assert_same(wb(to_wt(x)), tb(x), rtol=1e-5, atol=1e-5)
    assert_same(wb.running_var, tb.running_var, rtol=1e-5, atol=1e-6)
    raises_like_torch(lambda m: m.nn.BatchNorm3d(3)(m.zeros(2, 3, 4)), "expected 5D input")
    assert wt.nn.Linear.get_extra_state is wt.nn.Module.get_extra_state
    raises_like_torch(lambda m: m.nn.Linear(2, 2).get_extra_state(), "get_extra_state")
    raises_like_torch(lambda m: m.nn.Linear(2, 2).set_extra_state({}), "set_extra_state")
