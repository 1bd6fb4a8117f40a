"""webtensor.nn replayed against torch's golden outputs (tests/golden/nn.json, written by
scripts/make_golden_nn.py) on every backend, plus Module mechanics that need no oracle and
the torch alias. Stdlib only: runs on CPython and inside Pyodide."""
import json
import sys
from pathlib import Path

import pytest

import webtensor
import nncases
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
    with pytest.raises(NotImplementedError, match="autograd"):
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
