#!/usr/bin/env python3
"""Write tests/golden/ops.json: every case of tests/portable/wtcases.py run under real torch.

The portable test (tests/portable/test_portable_golden.py) replays each case through webtensor
on every backend, on CPython and inside Pyodide, and compares with these outputs. Inputs are
stored as flat lists (+ base shape and view layout), so the file needs no generator to replay.
NaN/Inf are the strings "nan", "inf", "-inf". When torch raises, the case stores the
exception type and webtensor must raise the same type.

Cases torch rejects while binding arguments (a TypeError about the signature, e.g. a Python
number where torch only takes a Tensor, or a method torch does not have, like Tensor.gelu_)
are left out: they test torch's binding layer, not the op; the script lists them.

Usage: python scripts/make_golden.py [--check]   (--check: fail if the file is out of date)
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "golden" / "ops.json"
sys.path.insert(0, str(ROOT / "tests" / "portable"))

import torch  # noqa: E402

import wtcases  # noqa: E402
import wtcheck  # noqa: E402

MAX_BYTES = 400_000


def resolve(name):
    if name in wtcases.TORCH_FUNCTIONAL:
        return getattr(torch.nn.functional, name)
    return getattr(torch, name)


_BINDING = re.compile(r"invalid combination of arguments|incompatible function arguments|"
                      r"argument '\w+' (\(position \d+\) )?must be")


def _binding_error(res):
    """torch rejected the call in its Python binding (no such method, unsupported argument
    kind): not a behaviour of the op, so not a case for webtensor to reproduce."""
    err, msg = res.get("error"), res.get("message", "")
    return (err == "TypeError" and _BINDING.search(msg) is not None) or (
        err == "AttributeError" and "object has no attribute" in msg)


def _shortest(v, dt):
    """The shortest decimal that rounds back to v in dtype dt (keeps the file small)."""
    if not isinstance(v, float) or dt == "float64":
        return v
    tdt = getattr(torch, dt)
    for p in range(1, 10):
        c = float(f"{v:.{p}g}")
        if torch.tensor(c, dtype=tdt).item() == v:
            return c
    return v


def _compact(res):
    if "seq" in res:
        for r in res["seq"]:
            _compact(r)
    elif "data" in res:
        res["data"] = [_shortest(v, res["dtype"]) for v in res["data"]]
    return res


def build():
    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    out, dropped = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for case in wtcases.cases("golden"):
            res = wtcheck.run_encoded(torch, case, resolve)
            if _binding_error(res):
                dropped.append(case["id"])
                continue
            res.pop("message", None)
            out.append(dict(case, expected=_compact(res)))
    doc = {"generator": "scripts/make_golden.py", "torch": torch.__version__,
           "formula": wtcheck.formula_fingerprint(), "dropped": dropped,
           "note": "inputs: wtcheck.build(spec): data, or det_values(seed, domain), for "
                   "base_shape(shape, layout), then apply_layout; expected: torch's output",
           "cases": out}
    return doc, dropped


def dumps(doc):
    # One case per line: small, and diffs stay readable.
    head = json.dumps({k: v for k, v in doc.items() if k != "cases"})
    lines = [head[:-1] + ', "cases": [']
    body = [json.dumps(c, separators=(",", ":"), allow_nan=False) for c in doc["cases"]]
    lines.append(",\n".join(body))
    lines.append("]}\n")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="fail if ops.json is out of date")
    args = ap.parse_args()
    doc, dropped = build()
    text = dumps(doc)
    size = len(text.encode())
    if size > MAX_BYTES:
        raise SystemExit(f"golden file would be {size} bytes (> {MAX_BYTES}); trim the cases")
    if args.check:
        old = json.loads(OUT.read_text()) if OUT.exists() else {"cases": None}
        if old["cases"] != json.loads(text)["cases"]:
            raise SystemExit(f"{OUT} is out of date; run python scripts/make_golden.py")
        print(f"{OUT.relative_to(ROOT)} is up to date ({len(doc['cases'])} cases)")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    errors = sum(1 for c in doc["cases"] if "error" in c["expected"])
    print(f"wrote {OUT.relative_to(ROOT)}: {len(doc['cases'])} cases ({errors} expect an error), "
          f"{size / 1000:.0f} KB; dropped {len(dropped)} binding-level TypeErrors: "
          f"{', '.join(dropped)}")


if __name__ == "__main__":
    main()
