"""examples/train_digits.py under real torch reproduces the golden file it was made from
(scripts/make_golden_training.py): the golden curve and accuracy stay torch's, and the default
run reaches the >= 97% test accuracy that webtensor must reach in Chromium."""
import importlib.util
from pathlib import Path

import pytest
import torch

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def torch_run():
    spec = importlib.util.spec_from_file_location("train_digits_torch",
                                                  REPO / "examples" / "train_digits.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    assert ex.torch is torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return ex.main([])
    finally:
        torch.set_num_threads(threads)


def test_torch_reproduces_the_golden_curve(torch_run, training_golden, rel_diff):
    want = training_golden("digits.json")["torch"]
    losses, acc = torch_run
    assert rel_diff(losses[:want["steps"]], want["losses"]) < 1e-5
    assert abs(acc - want["test_accuracy"]) < 1e-6
    assert acc >= 0.97
