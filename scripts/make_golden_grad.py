#!/usr/bin/env python3
"""Write tests/golden/grad.json: torch's gradients for every case of tests/portable/gradcases.py
(float64). tests/portable/test_portable_autograd.py replays them through webtensor's autograd
on every backend, on CPython and inside Pyodide (Node, Chromium).

Usage: python scripts/make_golden_grad.py [--check]   (--check: fail if the file is out of date)
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "grad.json"
sys.path.insert(0, str(ROOT / "tests" / "portable"))

import torch  # noqa: E402

import gradcases  # noqa: E402


def _round(v):
    return None if v is None else [float(f"{x:.12g}") for x in v]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    doc = {name: [_round(g) for g in gradcases.run(torch, name)]
           for name in sorted(gradcases.CASES)}
    text = json.dumps(doc, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is out of date: run scripts/make_golden_grad.py")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(doc)} cases)")


if __name__ == "__main__":
    main()
