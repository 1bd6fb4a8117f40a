#!/usr/bin/env python3
"""Train webtensor/models/digits_cnn.py with real torch on sklearn's 8x8 digits; write its
weights (pyodide_pkg/webtensor/models/digits_cnn.safetensors, ~37 KB, checked in) and the
golden file tests/golden/models/digits.json (test-set pixels, labels, torch's predictions and
logits) that tests/models/test_digits.py replays with webtensor.

Deterministic: fixed split and seed, one thread, deterministic algorithms.

Usage: python scripts/train_digits_cnn.py [--epochs 60]
"""
import argparse
import importlib.util
import json
from pathlib import Path

import torch
from safetensors.torch import save_file
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "pyodide_pkg" / "webtensor" / "models" / "digits_cnn.py"
WEIGHTS = SOURCE.with_suffix(".safetensors")
GOLDEN = ROOT / "tests" / "golden" / "models" / "digits.json"
SEED = 0
LOGIT_ROWS = 64       # logits stored for the first test images (predictions for all)


def load_source():
    spec = importlib.util.spec_from_file_location("digits_cnn_torch", SOURCE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def data():
    d = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(d.data.astype("int64"), d.target, test_size=0.25,
                                              random_state=SEED, stratify=d.target)
    return (torch.tensor(x_tr), torch.tensor(y_tr), torch.tensor(x_te), torch.tensor(y_te))


def train(epochs):
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    m = load_source()
    x_tr, y_tr, x_te, y_te = data()
    model = m.DigitsCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    gen = torch.Generator().manual_seed(SEED)
    xi = m.to_images(x_tr)
    for epoch in range(epochs):
        model.train()
        for idx in torch.randperm(len(xi), generator=gen).split(64):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(xi[idx]), y_tr[idx])
            loss.backward()
            opt.step()
    model.eval()
    pred, _ = m.predict(model, m.to_images(x_te))
    acc = (pred == y_te).float().mean().item()
    return m, model, x_te, y_te, acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=60)
    args = ap.parse_args()
    m, model, x_te, y_te, acc = train(args.epochs)
    sd = {k: v.detach().contiguous() for k, v in model.state_dict().items()}
    # one metadata key: safetensors writes several in hash order (the file must be repeatable)
    info = {"test_accuracy": round(acc, 4), "seed": SEED, "epochs": args.epochs,
            "data": "sklearn load_digits, 25% stratified test split"}
    save_file(sd, str(WEIGHTS), metadata={"training": json.dumps(info, sort_keys=True)})
    with torch.no_grad():
        logits = model(m.to_images(x_te))
    golden = {
        "test_accuracy": round(acc, 6), "n_test": len(y_te),
        # one hex digit per pixel (values 0..16 -> 0..g), 64 per image
        "pixels": ["".join("0123456789abcdefg"[v] for v in row) for row in x_te.tolist()],
        "labels": y_te.tolist(), "predictions": logits.argmax(-1).tolist(),
        "logits": [[round(v, 5) for v in row] for row in logits[:LOGIT_ROWS].tolist()],
    }
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, separators=(",", ":")) + "\n")
    print(f"test accuracy {acc:.4f} on {len(y_te)} images; wrote {WEIGHTS.name} "
          f"({WEIGHTS.stat().st_size} bytes) and {GOLDEN.relative_to(ROOT)} "
          f"({GOLDEN.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
