"""nn overhead benchmark: what a Module layer costs on top of the functional op it calls
(Module.__call__, attribute lookup, argument checks), and a few whole blocks. Runs on CPython
(wasmtime) and inside Pyodide:

    python benchmarks/bench_nn.py
    node tests/pyodide/run_pytest.mjs --copy benchmarks \
        -c "exec(open('benchmarks/bench_nn.py').read())"

Prints a table (microseconds per call) and a line `BENCH_JSON {...}`.
"""
import json
import os
import sys

import webtensor as torch
import webtensor.nn.functional as F
from webtensor import backends

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)) if "__file__" in globals()
                else "benchmarks")
from bench_core import best_time  # noqa: E402


def cases():
    torch.manual_seed(0)
    nn = torch.nn
    lin = nn.Linear(64, 64).eval()
    x = torch.randn(4, 64)
    ln = nn.LayerNorm(64)
    emb = nn.Embedding(1000, 64)
    ids = torch.randint(0, 1000, (4, 16))
    mlp = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 64)).eval()
    enc = nn.TransformerEncoderLayer(64, 4, 256, batch_first=True, dropout=0.0).eval()
    mha = nn.MultiheadAttention(64, 4, batch_first=True).eval()
    seq = torch.randn(1, 32, 64)
    lstm = nn.LSTM(32, 32).eval()
    xs = torch.randn(16, 1, 32)
    return [
        ("F.linear 4x64x64", lambda: F.linear(x, lin.weight, lin.bias)),
        ("nn.Linear 4x64x64", lambda: lin(x)),
        ("F.layer_norm 4x64", lambda: F.layer_norm(x, (64,), ln.weight, ln.bias)),
        ("nn.LayerNorm 4x64", lambda: ln(x)),
        ("nn.Embedding 4x16", lambda: emb(ids)),
        ("MLP 64-256-64 (Sequential)", lambda: mlp(x)),
        ("MultiheadAttention 1x32x64 need_weights=False",
         lambda: mha(seq, seq, seq, need_weights=False)),
        ("TransformerEncoderLayer 1x32x64", lambda: enc(seq)),
        ("LSTM 32 hidden, 16 steps", lambda: lstm(xs)),
        ("init: nn.Linear(1024, 1024) construction", lambda: nn.Linear(1024, 1024)),
        ("init: nn.Embedding(30522, 384) construction", lambda: nn.Embedding(30522, 384)),
        ("reference: torch.randn(1024, 1024)", lambda: torch.randn(1024, 1024)),
    ]


def main():
    rows = {}
    for name, fn in cases():
        rows[name] = best_time(fn) * 1e6
    print(f"backend: {backends.get_backend()}  python: {sys.version.split()[0]}  "
          f"platform: {sys.platform}")
    print(f"{'case':50s} {'us/call':>10s}")
    for name, us in rows.items():
        print(f"{name:50s} {us:10.1f}")
    print("BENCH_JSON " + json.dumps({"backend": backends.get_backend(),
                                      "platform": sys.platform, "us": rows}))


main()
