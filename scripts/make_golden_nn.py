#!/usr/bin/env python3
"""Write tests/golden/nn.json: every case of tests/portable/nncases.py run under real torch
(outputs, reprs, state_dict keys) plus torch's load_state_dict error report. The portable
test (tests/portable/test_portable_nn.py) replays them through webtensor.nn on every backend,
on CPython and inside Pyodide.

Usage: python scripts/make_golden_nn.py [--check]   (--check: fail if the file is out of date)
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "nn.json"
sys.path.insert(0, str(ROOT / "tests" / "portable"))

import torch  # noqa: E402

import nncases  # noqa: E402
import nncases_extra  # noqa: E402
import wtcheck  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    torch.manual_seed(0)
    doc = {"formula": wtcheck.formula_fingerprint(),
           "cases": [dict(case, **nncases.run(torch, case)) for case in nncases.CASES],
           "load_error": nncases.load_error(torch),
           "namespace": nncases_extra.namespace_facts(torch),
           "einsum": nncases_extra.run_einsum(torch)}
    text = json.dumps(doc, indent=0, sort_keys=True) + "\n"
    if args.check:
        if OUT.read_text() != text:
            sys.exit(f"{OUT} is out of date: run scripts/make_golden_nn.py")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(doc['cases'])} cases)")


if __name__ == "__main__":
    main()
