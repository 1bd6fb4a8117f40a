"""webtensor.nn replayed against torch's golden outputs (tests/golden/nn.json, written by
scripts/make_golden_nn.py) on every backend, plus Module mechanics that need no oracle and
the torch alias. Stdlib only: runs on CPython and inside Pyodide."""
import json
import sys
from pathlib import Path

import pytest

import webtensor
import nncases
import nncases_extra
from wtcheck import BACKENDS, assert_encoded_match, formula_fingerprint, using_backend

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "nn.json"
DOC = json.loads(GOLDEN.read_text())
CASES = {c["id"]: c for c in DOC["cases"]}


def test_golden_nn_file_matches_catalogue():
    assert DOC["formula"] == formula_fingerprint()
    assert [c["id"] for c in DOC["cases"]] == [c["id"] for c in nncases.CASES], \
        "tests/golden/nn.json is stale: run scripts/make_golden_nn.py"
    for c in nncases.CASES:
        stored = CASES[c["id"]]
        assert {k: stored[k] for k in c} == c, f"{c['id']} changed: rerun make_golden_nn.py"
    assert GOLDEN.stat().st_size < 60_000


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("cid", list(CASES))
def test_nn_case_matches_torch(cid, backend):
    case = CASES[cid]
    with using_backend(backend):
        webtensor.manual_seed(0)
        got = nncases.run(webtensor, case)
    assert got["repr"] == case["repr"]
    assert got["keys"] == case["keys"]
    if "output" in case:
        assert_encoded_match(got["output"], case["output"], rtol=1e-4, atol=1e-5, what=cid)


def test_load_state_dict_report_matches_torch():
    assert nncases.load_error(webtensor) == DOC["load_error"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_einsum_matches_torch(backend):
    with using_backend(backend):
        got = nncases_extra.run_einsum(webtensor)
    for (eq, _), a, e in zip(nncases_extra.EINSUM, got, DOC["einsum"]):
        assert_encoded_match(a, e, rtol=1e-5, atol=1e-5, what=eq)


def test_namespace_answers_match_torch():
    assert nncases_extra.namespace_facts(webtensor) == DOC["namespace"]


def test_unsupported_torch_features_raise_naming_them():
    for name in ("fx", "distributed", "complex64", "profiler"):
        assert not hasattr(webtensor, name)
        with pytest.raises(NotImplementedError, match="torch." + name):
            getattr(webtensor, name)
    with pytest.raises(NotImplementedError, match="torch.compile"):
        webtensor.compile(webtensor.nn.Identity())
    with pytest.raises(NotImplementedError, match="autocast"):
        webtensor.autocast("cpu")
    with pytest.raises(NotImplementedError, match="orthogonal_"):
        webtensor.nn.init.orthogonal_(webtensor.empty(2, 2))


def test_state_dict_roundtrip_and_conversion():
    nn = webtensor.nn
    enc = nncases.construct(webtensor, {"ctor": "TinyEncoder()"})
    other = nncases.construct(webtensor, {"ctor": "TinyEncoder()"})
    nncases.fill(enc, webtensor)
    res = other.load_state_dict(enc.state_dict())
    assert res.missing_keys == [] and res.unexpected_keys == []
    for (k, a), (_, b) in zip(enc.state_dict().items(), other.state_dict().items()):
        assert a.tolist() == b.tolist(), k
    ids = webtensor.tensor([[1, 2, 3, 0]])
    assert enc.eval()(ids).tolist() == other.eval()(ids).tolist()
    w = other.qkv.weight
    other.double()
    assert other.qkv.weight is w and w.dtype is webtensor.float64
    assert [n for n, _ in enc.named_modules()][:3] == ["", "embed", "norm1"]
    assert len(list(enc.parameters())) == 11
    lin = nn.Linear(3, 2)
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        lin.load_state_dict({"weight": webtensor.zeros(3, 3), "bias": webtensor.zeros(2)})


def test_dropout_modes_and_grad_mode():
    d = webtensor.nn.Dropout(0.5)
    x = webtensor.ones(40, 40)
    assert d.eval()(x) is x
    webtensor.manual_seed(1)
    y = d.train()(x).reshape(-1).tolist()
    assert set(y) == {0.0, 2.0} and 0.4 < y.count(0.0) / len(y) < 0.6
    with webtensor.no_grad():
        assert not webtensor.is_grad_enabled()
    assert webtensor.is_grad_enabled()
    with pytest.raises(RuntimeError, match="does not require grad"):
        x.backward()


def test_as_torch_imports_a_torch_style_file(tmp_path):
    (tmp_path / "wt_portable_model.py").write_text(
        "import torch\nfrom torch import nn\nimport torch.nn.functional as F\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n        super().__init__()\n"
        "        self.fc = nn.Linear(3, 2)\n"
        "    @torch.inference_mode()\n"
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:\n"
        "        return F.softmax(self.fc(x), dim=-1)\n")
    sys.path.insert(0, str(tmp_path))
    before = sys.modules.get("torch")
    try:
        with webtensor.as_torch(reimport="wt_portable_model"):
            import wt_portable_model
            assert sys.modules["torch"] is webtensor
            assert sys.modules["torch.nn"] is webtensor.nn
        net = wt_portable_model.Net()
        out = net(webtensor.ones(4, 3))
        assert out.shape == (4, 2)
        assert [round(v, 5) for v in out.sum(-1).tolist()] == [1.0] * 4
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("wt_portable_model", None)
    assert sys.modules.get("torch") is before


@pytest.mark.parametrize("backend", BACKENDS)
def test_random_inits_distribution_and_seeding(backend):
    """nn.init's fast generator path (32 random bits per element, Box-Muller for normals):
    the moments and tail fractions of the distributions, and manual_seed repeatability."""
    import math
    init = webtensor.nn.init
    with using_backend(backend):
        webtensor.manual_seed(7)
        w = init.normal_(webtensor.empty(300, 100), mean=1.0, std=2.0).reshape(-1).tolist()
        webtensor.manual_seed(7)
        assert init.normal_(webtensor.empty(300, 100), mean=1.0, std=2.0).reshape(-1).tolist() \
            == w
        u = init.uniform_(webtensor.empty(30001), -1.0, 3.0).tolist()
        tn = init.trunc_normal_(webtensor.empty(5000), std=1.0, a=-0.5, b=2.0).tolist()
        tail = init.trunc_normal_(webtensor.empty(2000), std=1.0, a=2.0, b=2.5).tolist()
    assert -0.5 <= min(tn) < -0.45 and 1.95 < max(tn) <= 2.0
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    want = (pdf(2.0) - pdf(2.5)) / (cdf(2.5) - cdf(2.0))      # mean of N(0,1) on [2, 2.5]
    assert 2.0 <= min(tail) and max(tail) <= 2.5 and abs(sum(tail) / len(tail) - want) < 0.02
    n = len(w)
    mean = sum(w) / n
    std = math.sqrt(sum((v - mean) ** 2 for v in w) / n)
    assert abs(mean - 1.0) < 0.05 and abs(std - 2.0) < 0.05
    within1 = sum(abs(v - 1.0) < 2.0 for v in w) / n
    within2 = sum(abs(v - 1.0) < 4.0 for v in w) / n
    assert abs(within1 - 0.6827) < 0.015 and abs(within2 - 0.9545) < 0.008
    assert min(u) >= -1.0 and max(u) < 3.0
    bins = [0] * 8
    for v in u:
        bins[int((v + 1.0) / 0.5)] += 1
    assert max(bins) - min(bins) < 0.1 * len(u) / 8          # flat histogram


def test_install_as_torch_registers_or_refuses():
    """With no torch imported (Pyodide), install_as_torch() registers webtensor as torch and
    its submodules; with a real torch imported (the CPython session), it refuses unless
    forced. sys.modules is restored either way."""
    saved = {n: m for n, m in sys.modules.items() if n == "torch" or n.startswith("torch.")}
    try:
        if "torch" in saved and saved["torch"] is not webtensor:
            with pytest.raises(RuntimeError, match="already imported"):
                webtensor.install_as_torch()
            assert sys.modules["torch"] is saved["torch"]
            webtensor.install_as_torch(force=True)
        else:
            webtensor.install_as_torch()
        import torch
        import torch.nn.functional as F
        assert torch is webtensor and F is webtensor.nn.functional
        assert sys.modules["torch.nn.init"] is webtensor.nn.init
        assert sys.modules["torch.cuda"] is webtensor.cuda
        assert webtensor.install_as_torch() is webtensor          # idempotent
    finally:
        for n in [n for n in sys.modules if n == "torch" or n.startswith("torch.")]:
            del sys.modules[n]
        sys.modules.update(saved)
