"""The digits CNN (webtensor/models/digits_cnn.py, checked-in weights) in this runtime against
the golden outputs of real torch (scripts/train_digits_cnn.py): same predictions on the whole
test set, same logits, the reported accuracy."""
import json

import pytest

import webtensor as wt
from webtensor import backends
from webtensor.serialization import safetensors


@pytest.fixture(scope="module")
def golden(golden_file):
    return json.loads(golden_file("digits.json").read_text())


@pytest.fixture(scope="module")
def model():
    from webtensor.models import digits_cnn
    m = digits_cnn.DigitsCNN()
    m.load_state_dict(safetensors.load_file(digits_cnn.WEIGHTS))
    return digits_cnn, m.eval()


def images(mod, golden, n=None):
    rows = [[int(c, 17) for c in row] for row in golden["pixels"][:n]]
    return mod.to_images(wt.tensor(rows))


def test_weights_ship_with_the_package(model):
    mod, _ = model
    meta = safetensors.load_with_metadata(open(mod.WEIGHTS, "rb").read())[1]
    assert json.loads(meta["training"])["test_accuracy"] >= 0.95


def test_test_set_accuracy_and_predictions(model, golden):
    mod, m = model
    pred, _ = mod.predict(m, images(mod, golden))
    pred = pred.tolist()
    assert pred == golden["predictions"]
    acc = sum(p == y for p, y in zip(pred, golden["labels"])) / len(golden["labels"])
    assert abs(acc - golden["test_accuracy"]) < 1e-6 and acc >= 0.95


@pytest.mark.parametrize("backend", ["reference", "wasm"])
def test_logits_match_torch(model, golden, backend):
    mod, m = model
    n = len(golden["logits"]) if backend == "wasm" else 8   # the reference backend is slow
    prev = backends.get_backend()
    backends.set_backend(backend)
    try:
        with wt.no_grad():
            got = m(images(mod, golden, n)).tolist()
    finally:
        backends.set_backend(prev)
    worst = max(abs(a - b) for ra, rb in zip(got, golden["logits"][:n]) for a, b in zip(ra, rb))
    assert worst < 1e-4, worst
