"""webtensor/nn/modules/module.py + container.py + parameter.py against torch.nn: registration,
named_* orders, state_dict keys and values, load_state_dict reports and errors, repr, dtype
conversion, hooks, grad modes and the torch alias."""
import copy
import sys
from collections import OrderedDict

import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, to_torch, to_wt


def build(lib):
    """The same module tree under torch or webtensor: shared submodule, None child, buffers
    (one non-persistent), a parameter registered directly, ModuleList/ModuleDict/Sequential."""
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 4)
            self.norm = nn.LayerNorm(4)
            self.register_buffer("scale", lib.ones(4))
            self.register_buffer("tmp", lib.zeros(2), persistent=False)

        def forward(self, x):
            return self.norm(self.fc(x)) * self.scale

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(10, 4, padding_idx=0)
            self.alpha = nn.Parameter(lib.ones(()))
            self.blocks = nn.ModuleList([Block() for _ in range(2)])
            self.heads = nn.ModuleDict({"a": nn.Linear(4, 2), "b": nn.Linear(4, 3, bias=False)})
            self.seq = nn.Sequential(OrderedDict([("act", nn.GELU()), ("drop", nn.Dropout(0.1))]))
            self.shared = self.blocks[0].fc
            self.nothing = None
            self.register_module("empty", None)

        def forward(self, ids):
            h = self.embed(ids) * self.alpha
            for b in self.blocks:
                h = b(h)
            h = self.seq(h)
            return self.heads["a"](h), self.heads["b"](h)

    return Net()


def pair():
    t = build(torch).eval()
    w = build(wt).eval()
    w.load_state_dict({k: to_wt(v) for k, v in t.state_dict().items()})
    return t, w


def test_named_orders_and_state_dict_keys_match_torch():
    t, w = pair()
    assert list(w.state_dict()) == list(t.state_dict())
    for kw in ({}, {"remove_duplicate": False}, {"prefix": "m"}, {"recurse": False}):
        assert [n for n, _ in w.named_parameters(**kw)] == \
            [n for n, _ in t.named_parameters(**kw)], kw
        assert [n for n, _ in w.named_buffers(**kw)] == [n for n, _ in t.named_buffers(**kw)]
    for kw in ({}, {"remove_duplicate": False}, {"prefix": "root"}):
        assert [n for n, _ in w.named_modules(**kw)] == [n for n, _ in t.named_modules(**kw)]
    assert [n for n, _ in w.named_children()] == [n for n, _ in t.named_children()]
    assert len(list(w.parameters())) == len(list(t.parameters()))
    assert len(list(w.modules())) == len(list(t.modules()))
    assert len(list(w.children())) == len(list(t.children()))


def test_forward_matches_torch_after_load():
    t, w = pair()
    ids = torch.tensor([[1, 0, 3], [9, 2, 2]])
    ta, tb = t(ids)
    wa, wb = w(to_wt(ids))
    assert_same(wa, ta.detach(), rtol=1e-5, atol=1e-5)
    assert_same(wb, tb.detach(), rtol=1e-5, atol=1e-5)


def test_state_dict_values_share_storage_and_keep_vars():
    _, w = pair()
    sd = w.state_dict()
    assert type(sd) is OrderedDict
    assert not isinstance(sd["alpha"], wt.nn.Parameter)
    assert isinstance(w.state_dict(keep_vars=True)["alpha"], wt.nn.Parameter)
    sd["heads.a.bias"].fill_(7.0)
    assert w.heads.a.bias.tolist() == [7.0, 7.0]
    assert list(w.state_dict(prefix="p.")) == ["p." + k for k in sd]


def test_repr_matches_torch():
    t, w = pair()
    assert repr(w) == repr(t)
    for mod in ("Linear(3, 5, bias=False)", "Embedding(7, 2, padding_idx=-1)", "GELU('tanh')",
                "LayerNorm([3, 4], elementwise_affine=False)", "RMSNorm(8, eps=1e-6)",
                "Dropout(p=0.25)", "Flatten(0)", "Unflatten(1, (2, 3))", "Softmax(dim=-1)",
                "LogSoftmax(1)", "Identity()", "ReLU(inplace=True)", "SiLU()", "Tanh()",
                "Sigmoid()", "LeakyReLU(0.2)", "Hardtanh(-2.0, 2.0)", "Softplus(2.0)",
                "ModuleList([nn.ReLU(), nn.ReLU(), nn.Tanh(), nn.ReLU()])", "ModuleList()",
                "Sequential()", "GroupNorm(2, 4)"):
        tm = eval("nn." + mod, {"nn": torch.nn})
        wm = eval("nn." + mod, {"nn": wt.nn})
        assert repr(wm) == repr(tm), mod


def test_parameter_repr_and_identity():
    p = wt.nn.Parameter(wt.tensor([1.0, 2.0]))
    tp = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    assert repr(p) == repr(tp)
    assert p.requires_grad and isinstance(p, wt.Tensor)
    assert not wt.nn.Parameter(wt.zeros(2), requires_grad=False).requires_grad
    src = wt.zeros(3)
    q = wt.nn.Parameter(src)
    src.fill_(5.0)
    assert q.tolist() == [5.0, 5.0, 5.0]     # shares storage
    assert type(q * 2) is wt.Tensor and type(q.detach()) is wt.Tensor
    d = copy.deepcopy(q)
    assert isinstance(d, wt.nn.Parameter) and d.tolist() == q.tolist()
    with wt.no_grad():         # a parameter is a leaf that requires grad (torch's rule)
        d.fill_(1.0)
    assert q.tolist() == [5.0] * 3


def test_load_state_dict_errors_match_torch():
    t, w = pair()
    sd = t.state_dict()
    bad = OrderedDict((k, v) for k, v in sd.items() if k != "blocks.1.fc.bias")
    bad["heads.a.weight"] = torch.zeros(3, 4)
    bad["extra.w"] = torch.zeros(1)
    bad["blocks.0.nope"] = torch.zeros(1)
    with pytest.raises(RuntimeError) as te:
        t.load_state_dict(bad)
    with pytest.raises(RuntimeError) as we:
        w.load_state_dict({k: to_wt(v) for k, v in bad.items()})
    assert str(we.value) == str(te.value)
    # non-strict: no error for missing/unexpected keys, reported in the result; size still fails
    del bad["heads.a.weight"]
    tr = t.load_state_dict(bad, strict=False)
    wr = w.load_state_dict({k: to_wt(v) for k, v in bad.items()}, strict=False)
    assert wr.missing_keys == tr.missing_keys and wr.unexpected_keys == tr.unexpected_keys
    assert repr(wr) == repr(tr)
    ok = w.load_state_dict({k: to_wt(v) for k, v in sd.items()})
    assert repr(ok) == repr(t.load_state_dict(sd)) == "<All keys matched successfully>"
    with pytest.raises(TypeError, match="dict-like"):
        w.load_state_dict([1, 2])


def test_load_state_dict_copies_in_place_and_converts_dtype():
    w = wt.nn.Linear(3, 2)
    weight = w.weight
    src = wt.arange(6, dtype=wt.float64).reshape(2, 3)
    w.load_state_dict({"weight": src, "bias": wt.tensor([1, 2])})
    assert w.weight is weight and w.weight.dtype is wt.float32
    assert w.weight.tolist() == [[0, 1, 2], [3, 4, 5]] and w.bias.tolist() == [1.0, 2.0]
    src.fill_(9)
    assert w.weight.tolist()[0][0] == 0.0            # a copy, not an alias
    w.load_state_dict({"weight": src, "bias": wt.zeros(2)}, assign=True)
    assert w.weight.dtype is wt.float64 and isinstance(w.weight, wt.nn.Parameter)


def test_setattr_rules_like_torch():
    for lib in (torch, wt):
        m = lib.nn.Linear(2, 2)
        with pytest.raises(TypeError, match="cannot assign .* as parameter 'weight'"):
            m.weight = lib.zeros(2, 2)
        m.weight = None
        assert "weight" in m._parameters and m.weight is None
        m.sub = lib.nn.ReLU()
        assert "sub" in m._modules
        with pytest.raises(TypeError, match="as child module 'sub'"):
            m.sub = 3
        m.sub = lib.nn.Parameter(lib.ones(1))     # moves from modules to parameters
        assert "sub" not in m._modules and "sub" in m._parameters
        m.register_buffer("buf", lib.ones(1))
        m.buf = lib.zeros(3)
        assert m._buffers["buf"].shape == (3,)
        with pytest.raises(KeyError):
            m.register_buffer("weight", lib.ones(1))
        with pytest.raises(KeyError):
            m.register_parameter("a.b", None)
        del m.buf
        assert "buf" not in m._buffers
        with pytest.raises(AttributeError, match="'Linear' object has no attribute 'zzz'"):
            m.zzz

    class Early(wt.nn.Module):
        def __init__(self):
            self.lin = wt.nn.Linear(1, 1)
    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()


def test_train_eval_apply_to_and_requires_grad():
    t, w = pair()
    w.train()
    assert all(m.training for m in w.modules())
    assert w.eval() is w and not any(m.training for m in w.modules())
    with pytest.raises(ValueError, match="boolean"):
        w.train("yes")
    seen = []
    w.apply(lambda m: seen.append(type(m).__name__))
    tseen = []
    t.apply(lambda m: tseen.append(type(m).__name__))
    assert seen == tseen and seen[-1] == "Net"
    w.requires_grad_(False)
    assert not any(p.requires_grad for p in w.parameters())
    alpha = w.alpha
    w.to(wt.float64)
    assert w.alpha is alpha and alpha.dtype is wt.float64
    assert w.blocks[0].scale.dtype is wt.float64 and w.embed.weight.dtype is wt.float64
    w.half()
    assert w.heads.a.weight.dtype is wt.float16
    w.float().to("cpu").cpu()
    assert w.heads.a.weight.dtype is wt.float32
    w.to(wt.zeros(1, dtype=wt.float64))
    assert w.alpha.dtype is wt.float64
    with pytest.raises(TypeError, match="floating point"):
        w.to(wt.int32)
    with pytest.raises(RuntimeError, match="cuda"):
        w.to("cuda")
    m = wt.nn.Module()
    m.register_buffer("ids", wt.arange(3))
    m.double()
    assert m.ids.dtype is wt.int64                    # integer buffers keep their dtype


def test_get_submodule_parameter_buffer():
    t, w = pair()
    for target in ("blocks.1.fc", "heads.a", ""):
        assert type(w.get_submodule(target)).__name__ == type(t.get_submodule(target)).__name__
    assert w.get_parameter("blocks.1.norm.weight") is w.blocks[1].norm.weight
    assert w.get_buffer("blocks.0.scale") is w.blocks[0].scale
    for lib, m in ((torch, t), (wt, w)):
        with pytest.raises(AttributeError, match="has no attribute `zz`"):
            m.get_submodule("blocks.zz")
        with pytest.raises(AttributeError, match="is not an nn.Parameter"):
            m.get_parameter("blocks.0.scale")


def test_hooks():
    m = wt.nn.Linear(2, 2)
    calls = []
    h1 = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    h2 = m.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    out = m(wt.ones(1, 2))
    assert calls == [(1, 2)]
    assert_same(out, to_torch(m.bias).reshape(1, 2) + 1)
    h1.remove()
    h2.remove()
    assert m(wt.zeros(1, 2)).tolist() == [m.bias.tolist()]


def test_containers_like_torch():
    for lib in (torch, wt):
        nn = lib.nn
        s = nn.Sequential(nn.ReLU(), nn.Tanh(), nn.Sigmoid())
        assert len(s) == 3 and type(s[-1]).__name__ == "Sigmoid"
        assert [type(m).__name__ for m in s[1:]] == ["Tanh", "Sigmoid"]
        s.append(nn.Identity())
        del s[0]
        assert list(s._modules) == ["0", "1", "2"]
        with pytest.raises(IndexError):
            s[5]
        ml = nn.ModuleList([nn.ReLU()])
        ml.append(nn.Tanh())
        ml.extend([nn.Identity()])
        ml.insert(0, nn.SiLU())
        assert [type(m).__name__ for m in ml] == ["SiLU", "ReLU", "Tanh", "Identity"]
        assert type(ml[1:3]).__name__ == "ModuleList" and len(ml[1:3]) == 2
        md = nn.ModuleDict({"x": nn.ReLU()})
        md["y"] = nn.Tanh()
        assert list(md.keys()) == ["x", "y"] and "y" in md and len(md) == 2
        pl = nn.ParameterList([nn.Parameter(lib.ones(2)), lib.zeros(3)])
        assert len(pl) == 2 and isinstance(pl[1], nn.Parameter)
        assert [n for n, _ in pl.named_parameters()] == ["0", "1"]
        pd = nn.ParameterDict({"a": nn.Parameter(lib.ones(1))})
        assert list(pd.keys()) == ["a"]
    x = wt.tensor([[-1.0, 2.0]])
    s = wt.nn.Sequential(wt.nn.ReLU(), wt.nn.Linear(2, 2))
    assert_same(s(x), to_torch(s[1](s[0](x))))
    assert repr(wt.nn.ParameterList([wt.nn.Parameter(wt.ones(2, 3))])) == \
        repr(torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3))])).replace(
            "torch.float32", "webtensor.float32")


def test_grad_modes():
    assert wt.is_grad_enabled()
    with wt.no_grad():
        assert not wt.is_grad_enabled()
        with wt.enable_grad():
            assert wt.is_grad_enabled()
        assert not wt.is_grad_enabled()
    assert wt.is_grad_enabled()

    @wt.no_grad()
    def f():
        return wt.is_grad_enabled()

    @wt.inference_mode()
    def g():
        return wt.is_inference_mode_enabled(), wt.is_grad_enabled()

    @wt.inference_mode
    def h():
        return wt.is_inference_mode_enabled()

    assert f() is False and g() == (True, False) and h() is True
    assert not wt.is_inference_mode_enabled() and wt.is_grad_enabled()
    with wt.inference_mode(False):
        assert not wt.is_inference_mode_enabled()
    wt.set_grad_enabled(False)
    assert not wt.is_grad_enabled()
    wt.set_grad_enabled(True)
    with wt.set_grad_enabled(False):
        assert not wt.is_grad_enabled()
    assert wt.is_grad_enabled()
    for lib in (torch, wt):
        @lib.set_grad_enabled(False)
        def k():
            return lib.is_grad_enabled()
        assert lib.is_grad_enabled() and k() is False and lib.is_grad_enabled()
    with pytest.raises(RuntimeError, match="does not require grad"):
        wt.ones(2).sum().backward()
    with pytest.raises(RuntimeError, match="does not require grad"):
        wt.autograd.grad(wt.ones(1), [wt.ones(1)])


def test_as_torch_and_install(tmp_path):
    (tmp_path / "wt_model_file.py").write_text(
        "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
        "class M(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(2, 2)\n"
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
        "        with torch.no_grad():\n            return F.relu(self.l(x))\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with wt.as_torch(reimport="wt_model_file") as t:
            import wt_model_file
            assert t is wt and sys.modules["torch"] is wt
            assert sys.modules["torch.nn.functional"] is wt.nn.functional
        assert sys.modules["torch"] is torch and "wt_model_file" not in sys.modules
        m = wt_model_file.M()
        assert isinstance(m, wt.nn.Module) and m(wt.ones(1, 2)).shape == (1, 2)
        import wt_model_file as real_file
        assert isinstance(real_file.M(), torch.nn.Module)
        sys.modules.pop("wt_model_file")
    finally:
        sys.path.remove(str(tmp_path))
    with pytest.raises(RuntimeError, match="already imported"):
        wt.install_as_torch()
    assert sys.modules["torch"] is torch


def test_golden_nn_file_is_current():
    """tests/golden/nn.json is what scripts/make_golden_nn.py writes from torch today."""
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parents[3]
    r = subprocess.run([sys.executable, str(root / "scripts" / "make_golden_nn.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr + r.stdout


@pytest.mark.parametrize("make,call", [
    ("nn.Linear(3, 2)", "m(lib.ones(2, 4))"),
    ("nn.Embedding(4, 2)", "m(lib.ones(3))"),
    ("nn.LayerNorm(4)", "m(lib.ones(2, 3))"),
    ("nn.Conv2d(3, 2, 3)", "m(lib.ones(1, 4, 5, 5))"),
    ("nn.GroupNorm(2, 4)", "m(lib.ones(2, 6, 3))"),
    ("nn.Sequential(nn.ReLU())", "m.append(3)"),
    ("nn.ModuleDict()", "m.update([(1, 2, 3)])"),
    ("nn.Linear(2, 2)", "m.load_state_dict({'weight': lib.ones(2, 2), 'bias': [1.0, 2.0]})"),
    ("nn.MaxPool2d(2)", "m(lib.ones(2))"),
    ("nn.Softmax(dim=3)", "m(lib.ones(2, 2))"),
])
def test_layer_errors_have_torchs_type(make, call):
    from wt_oracle import raises_like_torch

    def run(lib):
        m = eval(make, {"nn": lib.nn})
        exec(call, {"m": m, "lib": lib})
    raises_like_torch(run)
