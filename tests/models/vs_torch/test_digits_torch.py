"""webtensor/models/digits_cnn.py is plain torch source: the same file under real torch and
under webtensor (through webtensor.models, inside as_torch()) with the checked-in weights
gives the same logits on sklearn's digits."""
import importlib.util
import sys
from pathlib import Path

import pytest
import torch
from sklearn.datasets import load_digits

import webtensor as wt
from webtensor.serialization import safetensors as wt_safetensors

REPO = Path(__file__).resolve().parents[3]
SOURCE = REPO / "pyodide_pkg" / "webtensor" / "models" / "digits_cnn.py"


@pytest.fixture(scope="module")
def torch_side():
    assert sys.modules["torch"] is torch
    spec = importlib.util.spec_from_file_location("digits_cnn_under_torch", SOURCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from safetensors.torch import load_file
    model = mod.DigitsCNN()
    model.load_state_dict(load_file(mod.WEIGHTS))
    return mod, model.eval()


@pytest.fixture(scope="module")
def wt_side():
    from webtensor.models import digits_cnn
    model = digits_cnn.DigitsCNN()
    model.load_state_dict(wt_safetensors.load_file(digits_cnn.WEIGHTS))
    return digits_cnn, model.eval()


@pytest.fixture(scope="module")
def pixels():
    return load_digits().data.astype("int64")[:300].tolist()


def test_same_file_bound_to_each_library(torch_side, wt_side):
    (tmod, _), (wmod, _) = torch_side, wt_side
    assert Path(tmod.__file__).resolve() == Path(wmod.__file__).resolve() == SOURCE.resolve()
    assert tmod.torch is torch and wmod.torch is wt and wmod.nn is wt.nn
    assert Path(wmod.WEIGHTS).stat().st_size < 50_000
    assert sys.modules["torch"] is torch


def test_logits_and_predictions_agree(torch_side, wt_side, pixels, backend):
    (tmod, tmodel), (wmod, wmodel) = torch_side, wt_side
    rows = pixels if backend == "wasm" else pixels[:12]   # the reference backend is slow
    with torch.no_grad():
        tl = tmodel(tmod.to_images(torch.tensor(rows)))
    with wt.no_grad():
        wl = wmodel(wmod.to_images(wt.tensor(rows)))
    assert tuple(wl.shape) == (len(rows), 10)
    diff = (torch.tensor(wl.tolist()) - tl).abs().max().item()
    assert diff < 1e-4, diff
    wp, probs = wmod.predict(wmodel, wmod.to_images(wt.tensor(rows)))
    assert wp.tolist() == tl.argmax(-1).tolist()
    assert max(abs(s - 1) for s in probs.sum(-1).tolist()) < 1e-5


def test_state_dict_round_trip(torch_side, wt_side):
    (_, tmodel), (wmod, wmodel) = torch_side, wt_side
    sd = wmodel.state_dict()
    assert list(sd) == list(tmodel.state_dict())
    for k, v in tmodel.state_dict().items():
        assert tuple(sd[k].shape) == tuple(v.shape)
        assert sd[k].tolist() == v.tolist()
    bad = dict(sd)
    bad["classifier.1.weight"] = wt.zeros(5, 5)
    with pytest.raises(RuntimeError, match="size mismatch for classifier.1.weight"):
        wmod.DigitsCNN().load_state_dict(bad)
