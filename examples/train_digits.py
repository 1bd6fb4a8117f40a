#!/usr/bin/env python3
"""Train the digits CNN (webtensor/models/digits_cnn.py) from scratch on sklearn's 8x8 digits.

An ordinary PyTorch script: `python examples/train_digits.py` runs it under real torch; in the
browser (or on CPython) `webtensor.install_as_torch()` first makes `import torch` webtensor.
Both start from the same initial weights (tests/golden/training/digits_init.pt, made by torch)
and see the same batches: the order comes from Python's own `random` (identical in CPython and
Pyodide), so the two runs can be compared loss for loss. The data is the split of
scripts/train_digits_cnn.py: train images from tests/golden/training/digits.json, test images
from tests/golden/models/digits.json. Dropout is 0 here: its masks come from the framework's
generator, which is not torch's.

Usage: python examples/train_digits.py [--epochs 15] [--steps N]
"""
import argparse
import importlib.util
import json
import random
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
MODEL_FILE = ROOT / "pyodide_pkg" / "webtensor" / "models" / "digits_cnn.py"
INIT = GOLDEN / "training" / "digits_init.pt"
BATCH, LR, WEIGHT_DECAY, SEED = 64, 1e-2, 1e-4, 0


def model_module():
    spec = importlib.util.spec_from_file_location("digits_cnn_for_training", MODEL_FILE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _pixels(rows):
    """One hex digit per pixel (0..g = 0..16), 64 per image -> int64 [n, 64]."""
    return torch.tensor([[int(c, 17) for c in row] for row in rows])


def load_data():
    """(x_train, y_train, x_test, y_test): flat int64 pixels [n, 64] and labels [n]."""
    train = json.loads((GOLDEN / "training" / "digits.json").read_text())["train"]
    test = json.loads((GOLDEN / "models" / "digits.json").read_text())
    return (_pixels(train["pixels"]), torch.tensor(train["labels"]),
            _pixels(test["pixels"]), torch.tensor(test["labels"]))


def batch_order(n, epoch, seed=SEED):
    """The index batches of one epoch (a shuffle from Python's random, the same everywhere)."""
    idx = list(range(n))
    random.Random(seed * 100003 + epoch).shuffle(idx)
    return [idx[i:i + BATCH] for i in range(0, n - BATCH + 1, BATCH)]   # drop_last


def build(mod, total_steps):
    model = mod.DigitsCNN(dropout=0.0)
    model.load_state_dict(torch.load(INIT))
    opt = torch.optim.Adam(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total_steps)
    return model, opt, sched


def train(mod, model, opt, sched, x_train, y_train, epochs, max_steps=None, log=None,
          on_step=None, on_epoch=None):
    """Adam on cross-entropy, cosine learning rate per step; returns every step's loss.
    on_step(step, loss) / on_epoch(epoch) are called after each step / epoch (the demo page's
    live plot)."""
    images = mod.to_images(x_train)
    losses = []
    model.train()
    for epoch in range(epochs):
        for b in batch_order(len(images), epoch):
            if max_steps is not None and len(losses) >= max_steps:
                return losses
            idx = torch.tensor(b)
            opt.zero_grad()
            loss = F.cross_entropy(model(images[idx]), y_train[idx])
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.item())
            if on_step:
                on_step(len(losses), losses[-1])
        if on_epoch:
            on_epoch(epoch + 1)
            model.train()           # on_epoch may have evaluated the model
        if log:
            log(f"epoch {epoch + 1:3d}  loss {losses[-1]:.4f}")
    return losses


def accuracy(mod, model, x, y):
    model.eval()
    pred, _ = mod.predict(model, mod.to_images(x))
    return (pred == y).to(torch.float32).mean().item()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--steps", type=int, default=None, help="stop after this many steps")
    args = ap.parse_args(argv)
    mod = model_module()
    x_tr, y_tr, x_te, y_te = load_data()
    model, opt, sched = build(mod, args.epochs * (len(x_tr) // BATCH))
    t0 = time.perf_counter()
    losses = train(mod, model, opt, sched, x_tr, y_tr, args.epochs, args.steps, log=print)
    secs = time.perf_counter() - t0
    acc = accuracy(mod, model, x_te, y_te)
    print(f"{len(losses)} steps in {secs:.1f} s ({1000 * secs / len(losses):.1f} ms/step); "
          f"final loss {losses[-1]:.4f}; test accuracy {acc:.4f} on {len(y_te)} images")
    return losses, acc


if __name__ == "__main__":
    main()
