"""Autograd benchmark: what recording costs and what a training step costs. Runs on CPython
(wasmtime) and inside Pyodide:

    python benchmarks/bench_autograd.py
    node tests/pyodide/run_pytest.mjs --copy benchmarks \\
        -c "exec(open('benchmarks/bench_autograd.py').read())"

Rows: a small transformer encoder layer and an MLP forward with grad mode off (no tape: what
inference pays) and on (the tape recorded), their backward, and one full training step
(zero_grad, forward, cross_entropy, backward, Adam) of an MLP 784-256-10 at batch 128 and of
the digits CNN shape at batch 64. Prints a table (ms per call) and `BENCH_JSON {...}`.
"""
import json
import os
import sys

import webtensor as torch
from webtensor import backends

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals()
                else "benchmarks")
from bench_core import best_time  # noqa: E402


def _step(model, opt, x, y):
    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return step


def cases():
    torch.manual_seed(0)
    nn = torch.nn
    enc = nn.TransformerEncoderLayer(64, 4, 256, batch_first=True, dropout=0.0)
    seq = torch.randn(2, 32, 64)
    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    xm, ym = torch.randn(128, 784), torch.randint(0, 10, (128,))
    cnn = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                        nn.Flatten(), nn.Linear(32 * 2 * 2, 10))
    xc, yc = torch.randn(64, 1, 8, 8), torch.randint(0, 10, (64,))

    def no_grad(fn):
        def f():
            with torch.no_grad():
                fn()
        return f

    def backward(fn):
        return lambda: fn().sum().backward()
    return [
        ("TransformerEncoderLayer 2x32x64 forward, no_grad", no_grad(lambda: enc(seq))),
        ("TransformerEncoderLayer 2x32x64 forward, recording", lambda: enc(seq)),
        ("TransformerEncoderLayer 2x32x64 forward+backward", backward(lambda: enc(seq))),
        ("MLP 784-256-10 b128 forward, no_grad", no_grad(lambda: mlp(xm))),
        ("MLP 784-256-10 b128 forward, recording", lambda: mlp(xm)),
        ("MLP 784-256-10 b128 train step (Adam)",
         _step(mlp, torch.optim.Adam(mlp.parameters(), 1e-3), xm, ym)),
        ("digits CNN b64 train step (Adam)",
         _step(cnn, torch.optim.Adam(cnn.parameters(), 1e-3), xc, yc)),
    ]


def main():
    rows = {}
    for name, fn in cases():
        rows[name] = best_time(fn, batches=3) * 1e3
    print(f"backend: {backends.get_backend()}  python: {sys.version.split()[0]}  "
          f"platform: {sys.platform}")
    print(f"{'case':55s} {'ms/call':>10s}")
    for name, ms in rows.items():
        print(f"{name:55s} {ms:10.2f}")
    print("BENCH_JSON " + json.dumps({"backend": backends.get_backend(),
                                      "platform": sys.platform, "ms": rows}))


main()
