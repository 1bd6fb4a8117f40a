#!/usr/bin/env python3
"""Write tests/golden/sched.json: torch's learning-rate (and momentum/beta1) trace for every
case of tests/portable/schedcases.py. tests/portable/test_portable_sched.py replays them
through webtensor.optim.lr_scheduler on CPython and inside Pyodide (Node, Chromium).

Usage: python scripts/make_golden_sched.py [--check]   (--check: fail if the file is out of date)
"""
import argparse
import json
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "sched.json"
sys.path.insert(0, str(ROOT / "tests" / "portable"))

import torch  # noqa: E402

import schedcases  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        doc = {name: schedcases.trace(torch, name) for name in sorted(schedcases.CASES)}
    text = json.dumps(doc, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is out of date: run scripts/make_golden_sched.py")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(doc)} cases)")


if __name__ == "__main__":
    main()
