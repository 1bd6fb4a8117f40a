"""examples/train_char_gpt.py under real torch reproduces its golden curve (the file
tests/training/test_train_char_gpt.py holds webtensor to)."""
import importlib.util
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[3]
STEPS = 6


def test_torch_reproduces_the_golden_curve(training_golden, rel_diff):
    spec = importlib.util.spec_from_file_location("train_char_gpt_torch",
                                                  REPO / "examples" / "train_char_gpt.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    assert ex.torch is torch
    losses, _ = ex.main(["--steps", str(STEPS), "--sample", "0"])
    assert rel_diff(losses, training_golden("char_gpt.json")["losses"][:STEPS]) < 1e-5
