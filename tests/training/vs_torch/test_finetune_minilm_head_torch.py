"""examples/finetune_minilm_head.py under real torch (sentence-transformers' encoder)
reproduces its golden curve (the file tests/training/test_finetune_minilm_head.py holds
webtensor to)."""
import importlib.util
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[3]


def test_torch_reproduces_the_golden_curve(training_golden, rel_diff):
    spec = importlib.util.spec_from_file_location("finetune_minilm_head_torch",
                                                  REPO / "examples" / "finetune_minilm_head.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    assert ex.torch is torch
    want = training_golden("minilm_head.json")
    losses, acc = ex.main([])
    assert rel_diff(losses, want["losses"]) < 1e-5
    assert acc == want["test_accuracy"]
