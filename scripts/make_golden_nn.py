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
        where = _differs(json.loads(OUT.read_text()), json.loads(text))
        if where:
            sys.exit(f"{OUT} is out of date ({where}): run scripts/make_golden_nn.py")
        return
    OUT.write_text(text)
    print(f"wrote {OUT} ({len(text)} bytes, {len(doc['cases'])} cases)")


def _differs(a, b, path="$"):
    """Where the recorded doc and a fresh one differ, else None. Floats within 1e-5 (relative
    and absolute): torch builds round the last bits of the same float32 computation differently
    (vector widths, BLAS), which is not a changed case."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{path}: keys {sorted(a.keys() ^ b.keys())}"
        return next((w for k in a if (w := _differs(a[k], b[k], f"{path}.{k}"))), None)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items, now {len(b)}"
        return next((w for i, (x, y) in enumerate(zip(a, b))
                     if (w := _differs(x, y, f"{path}[{i}]"))), None)
    if isinstance(a, float) and isinstance(b, float) and a != b:
        return None if abs(a - b) <= 1e-5 * (1 + max(abs(a), abs(b))) else f"{path}: {a} != {b}"
    return None if a == b and type(a) is type(b) else f"{path}: {a!r} != {b!r}"


if __name__ == "__main__":
    main()
