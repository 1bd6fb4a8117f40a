#!/usr/bin/env python3
"""Write tests/golden/random.json: torch's values (and generator state) for every case of
tests/portable/randcases.py. tests/portable/test_portable_random.py draws the same with
webtensor on CPython and inside Pyodide (Node, Chromium) and compares bit for bit.

Usage: python scripts/make_golden_random.py [--check]   (--check: fail if the file is out of date)
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "random.json"
sys.path.insert(0, str(ROOT / "tests" / "portable"))

import torch  # noqa: E402

import randcases  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    doc = {name: randcases.run(torch, name) for name in sorted(randcases.CASES)}
    text = json.dumps(doc, separators=(",", ":"), sort_keys=True) + "\n"
    if args.check:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is out of date: run scripts/make_golden_random.py")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(doc)} cases)")


if __name__ == "__main__":
    main()
