"""The nn case catalogue shared by scripts/make_golden_nn.py (runs it under torch) and
tests/portable/test_portable_nn.py (replays it through webtensor.nn on every backend, on
CPython and inside Pyodide). Stdlib only. Every function takes the module `m` (torch or
webtensor): model code is the same for both, which is what these cases check."""
from wtcheck import det_values, encode_result, spec
from wtcheck import build as build_tensor


def model_classes(torch):
    """Small torch-style model files, written once and run under either library."""
    nn = torch.nn
    F = torch.nn.functional

    class TinyEncoder(nn.Module):
        """Embedding + pre-norm attention block + GELU MLP + mean pooling + normalize."""

        def __init__(self, vocab=11, dim=8, heads=2):
            super().__init__()
            self.heads = heads
            self.embed = nn.Embedding(vocab, dim, padding_idx=0)
            self.norm1 = nn.LayerNorm(dim)
            self.qkv = nn.Linear(dim, 3 * dim)
            self.proj = nn.Linear(dim, dim, bias=False)
            self.norm2 = nn.RMSNorm(dim, eps=1e-6)
            self.mlp = nn.Sequential(nn.Linear(dim, 16), nn.GELU(approximate="tanh"),
                                     nn.Dropout(0.1), nn.Linear(16, dim))

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            b, s = ids.shape
            h = self.embed(ids)
            q, k, v = self.qkv(self.norm1(h)).chunk(3, dim=-1)
            q, k, v = (t.reshape(b, s, self.heads, -1).transpose(1, 2) for t in (q, k, v))
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            h = h + self.proj(a.transpose(1, 2).reshape(b, s, -1))
            h = h + self.mlp(self.norm2(h))
            return F.normalize(h.mean(dim=1), dim=-1)

    class TinyCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.kernel = nn.Parameter(torch.zeros(4, 1, 2, 2))
            self.register_buffer("shift", torch.zeros(4, 1, 1))
            self.register_buffer("scratch", torch.zeros(2), persistent=False)
            self.head = nn.ModuleDict({"fc": nn.Linear(12, 3), "act": nn.SiLU()})
            self.norm = nn.GroupNorm(2, 4)

        def forward(self, x):
            x = F.conv2d(x, self.kernel, padding=1) + self.shift
            x = F.max_pool2d(F.relu(self.norm(x)), 2)
            x = F.adaptive_avg_pool2d(x, (1, 3)).flatten(1)
            return F.log_softmax(self.head.act(self.head.fc(x)), dim=-1)

    return {"TinyEncoder": TinyEncoder, "TinyCNN": TinyCNN}


def _c(cid, ctor, *inputs):
    return {"id": cid, "ctor": ctor, "inputs": list(inputs)}


CASES = [
    _c("linear", "nn.Linear(5, 4)", spec((3, 5))),
    _c("linear_nobias_3d", "nn.Linear(5, 2, bias=False)", spec((2, 3, 5), seed=1)),
    _c("linear_1d", "nn.Linear(4, 3)", spec((4,), seed=2)),
    _c("embedding_pad", "nn.Embedding(7, 3, padding_idx=2)", spec((2, 4), "int64",
                                                                   domain="idx7")),
    _c("layernorm", "nn.LayerNorm(6)", spec((2, 3, 6))),
    _c("layernorm_2d_nobias", "nn.LayerNorm([3, 6], bias=False)", spec((2, 3, 6), seed=3)),
    _c("rmsnorm", "nn.RMSNorm(6)", spec((4, 6), seed=4)),
    _c("groupnorm", "nn.GroupNorm(2, 4)", spec((2, 4, 3), seed=5)),
    _c("sequential_mlp", "nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 8), nn.SiLU(),"
       " nn.Linear(8, 3), nn.Tanh(), nn.Flatten(0), nn.Unflatten(0, (3, 3)))",
       spec((3, 4), seed=6)),
    _c("activations", "nn.Sequential(nn.GELU(), nn.LeakyReLU(0.2), nn.ELU(), nn.Hardtanh(-1, 2),"
       " nn.Softplus(), nn.Sigmoid(), nn.Mish(), nn.Hardswish(), nn.ReLU6())",
       spec((3, 5), seed=7)),
    _c("softmax", "nn.Softmax(dim=-1)", spec((3, 5), seed=8)),
    _c("logsoftmax", "nn.LogSoftmax(dim=0)", spec((3, 5), seed=9)),
    _c("glu_identity_dropout", "nn.Sequential(nn.GLU(), nn.Identity(), nn.Dropout(0.5))",
       spec((2, 6), seed=10)),
    _c("module_list_collapse", "nn.ModuleList([nn.Linear(3, 3) for _ in range(3)])"),
    _c("conv2d", "nn.Conv2d(2, 4, 3, stride=2, padding=1)", spec((2, 2, 6, 5), seed=12)),
    _c("conv2d_depthwise_same", "nn.Conv2d(3, 3, 3, padding='same', groups=3, bias=False)",
       spec((1, 3, 5, 5), seed=13)),
    _c("conv1d", "nn.Conv1d(3, 4, 3, dilation=2)", spec((2, 3, 9), seed=14)),
    _c("pools", "nn.Sequential(nn.MaxPool2d(2), nn.AvgPool2d(2, stride=1), "
       "nn.AdaptiveAvgPool2d((1, 2)), nn.Flatten())", spec((2, 3, 8, 9), seed=15)),
    _c("batchnorm2d_eval", "nn.BatchNorm2d(3)", spec((2, 3, 2, 3), seed=16)),
    _c("batchnorm1d_train", "nn.BatchNorm1d(4).train()", spec((5, 4), seed=17)),
    _c("mha_batch_first", "nn.MultiheadAttention(8, 2, batch_first=True)", spec((2, 3, 8)),
       spec((2, 4, 8), seed=1), spec((2, 4, 8), seed=2)),
    _c("transformer_layer", "nn.TransformerEncoderLayer(8, 2, 16, batch_first=True, "
       "norm_first=True, activation='gelu')", spec((2, 5, 8), seed=18)),
    _c("transformer_encoder", "nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16), 2,"
       " enable_nested_tensor=False)", spec((4, 2, 8), seed=19)),
    _c("lstm_2layer_bidir", "nn.LSTM(3, 4, num_layers=2, bidirectional=True)",
       spec((5, 2, 3), seed=20)),
    _c("gru_batch_first", "nn.GRU(3, 4, batch_first=True)", spec((2, 5, 3), seed=21)),
    _c("rnn_relu", "nn.RNN(3, 4, nonlinearity='relu')", spec((4, 3), seed=22)),
    _c("instancenorm2d", "nn.InstanceNorm2d(3, affine=True)", spec((2, 3, 3, 4), seed=23)),
    _c("tiny_encoder", "TinyEncoder()", spec((2, 5), "int64", domain="idx11")),
    _c("tiny_cnn", "TinyCNN()", spec((2, 1, 5, 5), seed=11)),
]


def construct(m, case):
    names = {"nn": m.nn, "torch": m, "F": m.nn.functional}
    names.update(model_classes(m))
    return eval(case["ctor"], names)  # noqa: S307 - our own catalogue


def fill(module, m):
    """Deterministic values for every floating state entry (in state_dict order)."""
    for i, (k, v) in enumerate(module.state_dict().items()):
        if v.is_floating_point():
            dom = "pos" if k.endswith("running_var") else "unit"
            v.copy_(m.tensor(det_values(v.numel(), "float32", 3 + i, dom)).reshape(v.shape))


def forward(m, case, device=None):
    """(module, its output or None): the case's module built and filled on the CPU, then
    moved to `device` with its inputs when one is given."""
    module = construct(m, case)
    module.train(".train()" in case["ctor"])
    fill(module, m)
    if device is not None:
        module.to(device)
    if not case["inputs"]:
        return module, None
    with m.no_grad():
        return module, module(*[build_tensor(m, s, device) for s in case["inputs"]])


def run(m, case):
    """{output, repr, keys} of the case under m (output omitted for a module without
    inputs)."""
    module, out = forward(m, case)
    res = {"repr": repr(module), "keys": list(module.state_dict())}
    if out is not None:
        res["output"] = encode_result(out)
    return res


def load_error(m):
    """torch's report for a state_dict with a missing key, an unexpected key and a size
    mismatch."""
    module = construct(m, {"ctor": "TinyEncoder()"})
    sd = dict(module.state_dict())
    del sd["qkv.bias"]
    sd["mlp.0.weight"] = m.zeros(3, 3)
    sd["mlp.9.bias"] = m.zeros(1)
    try:
        module.load_state_dict(sd)
    except RuntimeError as e:
        return str(e)
    raise AssertionError("load_state_dict did not raise")


# pad / interpolate / losses as layers (F.pad, F.interpolate, the F.* losses of the op table)
_P = spec((2, 3), data=[0.25, 0.5, 0.75, 0.125, 1.0, 0.0])
CASES += [
    _c("pad_layers_2d", "nn.Sequential(nn.ReflectionPad2d((1, 2, 0, 1)), nn.ReplicationPad2d(1),"
       " nn.CircularPad2d((2, 0, 1, 1)), nn.ZeroPad2d((1, 1, -1, 0)), nn.ConstantPad2d(1, 0.5))",
       spec((1, 2, 3, 4), seed=20)),
    _c("pad_layers_1d", "nn.Sequential(nn.ReflectionPad1d(2), nn.ConstantPad1d((1, 0), -1.0),"
       " nn.CircularPad1d(1), nn.ZeroPad1d(1))", spec((2, 3, 5), seed=21)),
    _c("pad_layers_3d", "nn.Sequential(nn.ReplicationPad3d(1), nn.ReflectionPad3d((1, 0, 0, 1, 1,"
       " 0)), nn.ZeroPad3d((0, 1, 0, 0, 1, 0)))", spec((1, 1, 2, 2, 3), seed=22)),
    _c("conv2d_reflect", "nn.Conv2d(2, 3, 3, padding=1, padding_mode='reflect')",
       spec((1, 2, 4, 5), seed=23)),
    _c("conv1d_circular", "nn.Conv1d(2, 2, 3, padding=2, padding_mode='circular')",
       spec((2, 2, 5), seed=24)),
    _c("upsample_bilinear", "nn.Upsample(scale_factor=2, mode='bilinear')",
       spec((1, 2, 3, 4), seed=25)),
    _c("upsample_nearest_size", "nn.UpsamplingNearest2d(size=(5, 7))", spec((1, 2, 3, 4))),
    _c("upsample_bilinear_corners", "nn.UpsamplingBilinear2d(scale_factor=1.5)",
       spec((1, 1, 3, 4), seed=26)),
    _c("upsample_linear_1d", "nn.Upsample(size=7, mode='linear', align_corners=True)",
       spec((2, 2, 4), seed=27)),
    _c("loss_cross_entropy", "nn.CrossEntropyLoss(weight=torch.ones(4), ignore_index=1, "
       "label_smoothing=0.1)", spec((3, 4), seed=28), spec((3,), "int64", domain="idx4")),
    _c("loss_nll_none", "nn.NLLLoss(reduction='none')", spec((3, 4), seed=29),
       spec((3,), "int64", 1, domain="idx4")),
    _c("loss_mse_sum", "nn.MSELoss(reduction='sum')", spec((2, 3), seed=30),
       spec((2, 3), seed=31)),
    _c("loss_l1", "nn.L1Loss()", spec((2, 3), seed=30), spec((2, 3), seed=31)),
    _c("loss_smooth_l1", "nn.SmoothL1Loss(beta=0.5)", spec((2, 3), seed=30),
       spec((2, 3), seed=31)),
    _c("loss_huber", "nn.HuberLoss(delta=0.5)", spec((2, 3), seed=30), spec((2, 3), seed=31)),
    _c("loss_kl_div", "nn.KLDivLoss(reduction='batchmean', log_target=True)",
       spec((2, 3), seed=32), spec((2, 3), seed=33)),
    _c("loss_bce", "nn.BCELoss(weight=torch.ones(3))", _P, spec((2, 3), seed=34, domain="idx2")),
    _c("loss_bce_logits", "nn.BCEWithLogitsLoss(pos_weight=torch.ones(3))", spec((2, 3), seed=35),
       _P),
]
