"""The torch namespace model files use, served by webtensor (webtensor/_torch_compat.py,
_tensor_extras.py, _torch_alias.py): compared with torch where torch has an answer, and the
unsupported features raise NotImplementedError naming them."""
import sys
import textwrap

import pytest
import torch

import webtensor as wt
from wt_oracle import assert_same, to_wt


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "bfloat16"])
def test_finfo(name):
    f, tf = wt.finfo(getattr(wt, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(f, attr) == getattr(tf, attr), attr
    assert repr(f) == repr(tf)
    assert wt.finfo().eps == torch.finfo().eps


@pytest.mark.parametrize("name", ["int8", "uint8", "int16", "int32", "int64"])
def test_iinfo(name):
    i, ti = wt.iinfo(getattr(wt, name)), torch.iinfo(getattr(torch, name))
    assert (i.bits, i.min, i.max) == (ti.bits, ti.min, ti.max)
    assert repr(i) == repr(ti)


def test_info_errors():
    for lib in (torch, wt):
        with pytest.raises(TypeError, match="requires an integer input type"):
            lib.iinfo(lib.float32)
        with pytest.raises(TypeError, match="requires a floating point input type"):
            lib.finfo(lib.int32)


def test_unsupported_features_name_themselves():
    for name in ("fx", "distributed", "fft", "complex64", "profiler", "sparse_coo_tensor"):
        assert hasattr(torch, name)
        assert not hasattr(wt, name)              # hasattr probes stay False
        with pytest.raises(NotImplementedError, match=f"torch.{name}"):
            getattr(wt, name)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        wt.no_such_thing
    with pytest.raises(NotImplementedError, match="torch.compile"):
        wt.compile(wt.nn.Linear(2, 2))
    with pytest.raises(NotImplementedError, match="torch.jit.script"):
        wt.jit.script(lambda x: x)
    with pytest.raises(NotImplementedError, match="torch.cuda.get_device_name"):
        wt.cuda.get_device_name()
    with pytest.raises(NotImplementedError, match="autocast"):
        wt.autocast("cpu", dtype=wt.bfloat16)
    with wt.autocast("cuda", enabled=False):
        pass
    with pytest.raises(RuntimeError, match="cuda"):
        wt.ones(2).to("cuda")


def test_stubs_answer_like_torch_on_a_cpu_machine():
    assert wt.cuda.is_available() == torch.cuda.is_available() is False
    assert wt.cuda.device_count() == torch.cuda.device_count() == 0
    assert wt.jit.is_scripting() is torch.jit.is_scripting() is False
    assert wt.jit.is_tracing() is False
    assert wt.backends.mps.is_available() is False
    wt.backends.cudnn.benchmark = True
    assert wt.jit.ignore(len) is len and wt.jit.unused(len) is len
    x = wt.ones(2)
    assert x.get_device() == torch.ones(2).get_device() == -1
    assert x.is_complex() is False and wt.is_complex(x) is False
    assert x.pin_memory() is x
    assert wt.typename(x) == "webtensor.FloatTensor" and torch.typename(torch.ones(1)) == \
        "torch.FloatTensor"
    assert (wt.pi, wt.e, wt.inf) == (torch.pi, torch.e, torch.inf)
    assert wt.get_num_threads() >= 1


def test_helpers_match_torch():
    a = torch.tensor([1.0, float("nan"), 3.0, float("inf"), -float("inf")])
    b = torch.tensor([1.0 + 1e-6, float("nan"), 3.1, float("inf"), 0.0])
    for kw in ({}, {"equal_nan": True}, {"rtol": 0.1}):
        assert_same(wt.isclose(to_wt(a), to_wt(b), **kw), torch.isclose(a, b, **kw))
        assert wt.allclose(to_wt(a[:1]), to_wt(b[:1]), **kw) == torch.allclose(a[:1], b[:1],
                                                                                **kw)
    assert wt.equal(to_wt(a[:1]), to_wt(a[:1])) and not wt.equal(wt.ones(2), wt.ones(3))
    assert_same(wt.nan_to_num(to_wt(a)), torch.nan_to_num(a))
    assert_same(wt.nan_to_num(to_wt(a), nan=1.0, posinf=2.0, neginf=-2.0),
                torch.nan_to_num(a, nan=1.0, posinf=2.0, neginf=-2.0))
    x, y = torch.randn(3, 1), torch.randn(1, 4)
    for w_, t_ in zip(wt.broadcast_tensors(to_wt(x), to_wt(y)), torch.broadcast_tensors(x, y)):
        assert_same(w_, t_)
    m, p, q = torch.randn(2, 4), torch.randn(2, 3), torch.randn(3, 4)
    assert_same(wt.addmm(to_wt(m), to_wt(p), to_wt(q), beta=0.5, alpha=2),
                torch.addmm(m, p, q, beta=0.5, alpha=2), rtol=1e-5, atol=1e-5)
    bm, b1, b2 = torch.randn(2, 3, 4), torch.randn(2, 3, 5), torch.randn(2, 5, 4)
    assert_same(wt.baddbmm(to_wt(bm), to_wt(b1), to_wt(b2), alpha=0.1),
                torch.baddbmm(bm, b1, b2, alpha=0.1), rtol=1e-5, atol=1e-5)
    assert_same(wt.LongTensor([1, 2]), torch.LongTensor([1, 2]))
    assert_same(wt.FloatTensor(2, 3).zero_(), torch.FloatTensor(2, 3).zero_())
    t = torch.randn(3, 4)
    assert_same(to_wt(t).norm(dim=1), t.norm(dim=1), rtol=1e-5, atol=1e-5)
    assert_same(wt.norm(to_wt(t)), torch.norm(t), rtol=1e-5, atol=1e-5)
    assert_same(to_wt(t).norm(p=1, dim=0, keepdim=True), t.norm(p=1, dim=0, keepdim=True),
                rtol=1e-5, atol=1e-5)
    assert_same(to_wt(t).new_zeros(2, 3), t.new_zeros(2, 3))
    assert_same(to_wt(t).new_ones((2,)), t.new_ones((2,)))
    assert_same(to_wt(t).new_full((2, 2), 7.0), t.new_full((2, 2), 7.0))
    assert_same(to_wt(t).new_tensor([1, 2]), t.new_tensor([1, 2]))


MODEL_FILE = textwrap.dedent('''
    import math
    from typing import Optional

    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch import Tensor


    class Attention(nn.Module):
        def __init__(self, dim: int, heads: int):
            super().__init__()
            self.heads = heads
            self.qkv = nn.Linear(dim, dim * 3, bias=False)
            self.out = nn.Linear(dim, dim)
            self.register_buffer("causal", torch.tril(torch.ones(16, 16, dtype=torch.bool)),
                                 persistent=False)

        def forward(self, x: Tensor, pad: Optional[Tensor] = None) -> Tensor:
            b, s, d = x.size()
            q, k, v = self.qkv(x).split(d, dim=-1)
            q, k, v = (t.view(b, s, self.heads, -1).transpose(1, 2) for t in (q, k, v))
            att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
            mask = self.causal[:s, :s]
            if pad is not None:
                mask = mask & pad[:, None, None, :]
            att = att.masked_fill(~mask, torch.finfo(att.dtype).min)
            att = F.softmax(att.float(), dim=-1).type_as(x)
            y = (att @ v).transpose(1, 2).contiguous().view(b, s, d)
            return self.out(y)


    class TinyLM(nn.Module):
        def __init__(self, vocab: int = 13, dim: int = 8, heads: int = 2, layers: int = 2):
            super().__init__()
            self.tok = nn.Embedding(vocab, dim)
            self.pos = nn.Parameter(torch.zeros(1, 16, dim))
            self.blocks = nn.ModuleList(
                nn.ModuleDict(dict(ln=nn.LayerNorm(dim), attn=Attention(dim, heads),
                                   mlp=nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(),
                                                     nn.Linear(4 * dim, dim), nn.Dropout(0.1))))
                for _ in range(layers))
            self.norm = nn.RMSNorm(dim)
            self.head = nn.Linear(dim, vocab, bias=False)
            self.head.weight = self.tok.weight            # tied
            self.apply(self._init)

        def _init(self, m):
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)

        def forward(self, ids: torch.LongTensor, pad: Optional[torch.Tensor] = None):
            device = "cuda" if torch.cuda.is_available() else "cpu"
            x = self.tok(ids.to(device)) + self.pos[:, : ids.shape[1]]
            for blk in self.blocks:
                x = x + blk["attn"](blk["ln"](x), pad)
                x = x + blk["mlp"](x)
            logits = self.head(self.norm(x))
            if not torch.jit.is_scripting():
                logits = logits.float()
            return logits

        @torch.no_grad()
        def generate(self, ids, steps: int):
            for _ in range(steps):
                nxt = self(ids)[:, -1].argmax(dim=-1, keepdim=True)
                ids = torch.cat([ids, nxt], dim=1)
            return ids
''')


def test_a_torch_model_file_runs_unchanged(tmp_path):
    (tmp_path / "wt_tiny_lm.py").write_text(MODEL_FILE)
    sys.path.insert(0, str(tmp_path))
    try:
        import wt_tiny_lm as real
        sys.modules.pop("wt_tiny_lm")
        with wt.as_torch(reimport="wt_tiny_lm"):
            import wt_tiny_lm as ours
    finally:
        sys.path.remove(str(tmp_path))
    tm = real.TinyLM().eval()
    wm = ours.TinyLM().eval()
    assert repr(wm) == repr(tm)
    assert [n for n, _ in wm.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert list(wm.state_dict()) == list(tm.state_dict())
    with torch.no_grad():
        for p in tm.parameters():
            p.copy_(torch.randn(p.shape))
    wm.load_state_dict({k: to_wt(v) for k, v in tm.state_dict().items()})
    assert wm.head.weight is wm.tok.weight
    ids = torch.tensor([[1, 5, 7, 2], [3, 3, 0, 12]])
    pad = torch.tensor([[True] * 4, [True, True, True, False]])
    assert_same(wm(to_wt(ids), to_wt(pad)), tm(ids, pad).detach(), rtol=1e-4, atol=1e-4)
    assert wm.generate(to_wt(ids), 3).tolist() == tm.generate(ids, 3).tolist()


def test_tensor_metadata_and_inplace_views_like_torch():
    t = torch.randn(2, 3)
    w = to_wt(t)
    for name in ("is_cpu", "is_meta", "is_sparse", "is_quantized", "is_nested", "itemsize",
                 "nbytes"):
        assert getattr(w, name) == getattr(t, name), name
    assert w.is_signed() == t.is_signed() and not wt.ones(1, dtype=wt.uint8).is_signed()
    assert w.is_same_size(wt.ones(2, 3)) and not w.is_same_size(wt.ones(3, 2))
    assert_same(w.ravel(), t.ravel())
    assert [tuple(p.shape) for p in w.split_with_sizes([1, 2], 1)] == \
        [tuple(p.shape) for p in t.split_with_sizes([1, 2], 1)]
    for name, args in (("unsqueeze_", (0,)), ("squeeze_", ()), ("t_", ()),
                       ("transpose_", (0, 1))):
        tw, tt = to_wt(t), t.clone()
        assert getattr(tw, name)(*args) is tw
        getattr(tt, name)(*args)
        assert_same(tw, tt)
    with pytest.raises(NotImplementedError, match="CUDA"):
        w.cuda()
    assert w.allclose(w.clone()) and w.equal(w.clone())


def test_utils_checkpoint_is_a_plain_call_and_other_utils_are_unsupported():
    lin = wt.nn.Linear(3, 3)
    x = wt.ones(2, 3)
    with wt.as_torch():
        import torch.utils.checkpoint as ckpt
        assert ckpt.checkpoint(lin, x, use_reentrant=False).tolist() == lin(x).tolist()
        seq = wt.nn.Sequential(wt.nn.ReLU(), lin)
        assert ckpt.checkpoint_sequential(seq, 2, x).tolist() == seq(x).tolist()
    assert sys.modules["torch"] is torch
    assert not hasattr(wt.utils, "tensorboard")
    with pytest.raises(NotImplementedError, match="torch.utils.tensorboard"):
        wt.utils.tensorboard
