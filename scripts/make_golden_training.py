#!/usr/bin/env python3
"""Golden files for the training demonstrations (tests/golden/training/), made with real torch:

- digits_init.pt: initial weights of the digits CNN (torch.manual_seed(0), torch's init),
- digits.json: the train split of scripts/train_digits_cnn.py (its test split is
  tests/golden/models/digits.json) and torch's loss for the first STEPS steps of
  examples/train_digits.py, plus torch's test accuracy after the full default run,
- char_corpus.txt: CORPUS_CHARS characters (ASCII) of the Python language reference
  (pydoc_data.topics, PSF licence) for examples/train_char_gpt.py,
- char_gpt.json: torch's loss at every step of examples/train_char_gpt.py's default run and
  the text it samples,
- minilm_head.json: torch's loss at every step of examples/finetune_minilm_head.py (the head on
  sentence-transformers' all-MiniLM-L6-v2 embeddings) and its test accuracy.

Usage: python scripts/make_golden_training.py
"""
import importlib.util
import json
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "training"
STEPS = 50
CORPUS_CHARS = 50_000


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def digits():
    digits_data = load(ROOT / "scripts" / "train_digits_cnn.py", "train_digits_cnn").data
    ex = load(ROOT / "examples" / "train_digits.py", "train_digits")
    x_tr, y_tr, x_te, y_te = digits_data()
    test = json.loads((ROOT / "tests" / "golden" / "models" / "digits.json").read_text())
    assert y_te.tolist() == test["labels"], "tests/golden/models/digits.json is another split"
    torch.manual_seed(0)
    mod = ex.model_module()
    init = {k: v.detach().clone() for k, v in mod.DigitsCNN(dropout=0.0).state_dict().items()}
    torch.save(init, OUT / "digits_init.pt")
    golden = {"train": {"pixels": ["".join("0123456789abcdefg"[v] for v in row)
                                   for row in x_tr.tolist()],
                        "labels": y_tr.tolist()}}
    (OUT / "digits.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    losses, acc = ex.main([])              # the default full run, under real torch
    golden["torch"] = {"steps": STEPS, "losses": losses[:STEPS], "epochs_default": 15,
                       "final_loss": losses[-1], "test_accuracy": acc,
                       "version": torch.__version__}
    (OUT / "digits.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")


def char_gpt():
    from pydoc_data.topics import topics
    text = "".join("".join(c for c in topics[k] if c.isascii()) for k in sorted(topics))
    (OUT / "char_corpus.txt").write_text(text[:CORPUS_CHARS])
    ex = load(ROOT / "examples" / "train_char_gpt.py", "train_char_gpt")
    losses, sample = ex.main([])
    golden = {"losses": losses, "sample": sample, "version": torch.__version__}
    (OUT / "char_gpt.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")


def minilm_head():
    ex = load(ROOT / "examples" / "finetune_minilm_head.py", "finetune_minilm_head")
    losses, acc = ex.main([])
    golden = {"losses": losses, "test_accuracy": acc, "version": torch.__version__}
    (OUT / "minilm_head.json").write_text(json.dumps(golden, separators=(",", ":")) + "\n")


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    OUT.mkdir(parents=True, exist_ok=True)
    digits()
    char_gpt()
    minilm_head()
    for p in sorted(OUT.iterdir()):
        print(f"{p.relative_to(ROOT)}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    sys.exit(main())
