#!/usr/bin/env python3
"""Compare two sets of benchmark results (a baseline and new code, same machine, same sitting):
core.json (`scripts/bench`), minilm.json (`run.py --models`), smollm2.json (`run.py --smollm2`).
Prints markdown tables; every ratio is a slowdown (time after / time before; for tokens/s,
before / after), so > 1 is slower. Flags (!!) dispatch figures slower than 1 + --tol and model
figures slower than 1 + --model-tol; exits 1 when anything is flagged.

    python benchmarks/compare.py --before DIR --after DIR [--tol 0.10] [--model-tol 0.0]

A file missing from either directory skips its section; a figure missing on one side prints -.
"""
import argparse
import json
import sys
from pathlib import Path

DISPATCH = ("add10", "mul_scalar", "exp", "sum", "add_", "index0", "slice", "view", "empty",
            "matmul_small", "linear_small", "sdpa_decode")


def load(d, name):
    p = Path(d) / name
    return json.loads(p.read_text()) if p.exists() else None


def fmt(x, nd=2):
    return "-" if x is None else f"{x:.{nd}f}"


class Report:
    def __init__(self):
        self.flags = []

    def ratio(self, slow, limit, label):
        """Cell text for a slowdown ratio; remembers it when over the limit."""
        if slow is None:
            return "-"
        if slow > limit:
            self.flags.append(f"{label}: {slow:.3f}x (limit {limit:.2f})")
            return f"**{slow:.3f} !!**"
        return f"{slow:.3f}"


def _slow(before, after, higher_is_better=False):
    if before is None or after is None or before <= 0 or after <= 0:
        return None
    return before / after if higher_is_better else after / before


def core(rep, before, after, tol):
    b = {(r["runtime"], r["isa"]): r for r in before["rows"]}
    a = {(r["runtime"], r["isa"]): r for r in after["rows"]}
    out = []
    for key in list(b) + [k for k in a if k not in b]:
        rb, ra = b.get(key, {}), a.get(key, {})
        sb, sa = rb.get("small_ops_us") or {}, ra.get("small_ops_us") or {}
        out += [f"\n**{key[0]}, {key[1]}** (µs per call)\n",
                "| op | before | after | after/before |", "|---|---:|---:|---:|"]
        for op in DISPATCH:
            x, y = sb.get(op), sa.get(op)
            out.append(f"| {op} | {fmt(x)} | {fmt(y)} | "
                       f"{rep.ratio(_slow(x, y), 1 + tol, f'{key[0]} {key[1]} {op}')} |")
    return out


def minilm(rep, before, after, tol):
    out = ["\n**MiniLM, batch 1 x 128 tokens, Chromium** (ms per forward)\n",
           "| library | before | after | after/before |", "|---|---:|---:|---:|"]
    for isa in sorted(set(before.get("webtensor", {})) | set(after.get("webtensor", {}))):
        x = before.get("webtensor", {}).get(isa, {}).get("ms_per_forward")
        y = after.get("webtensor", {}).get(isa, {}).get("ms_per_forward")
        out.append(f"| webtensor {isa} | {fmt(x, 1)} | {fmt(y, 1)} | "
                   f"{rep.ratio(_slow(x, y), 1 + tol, f'MiniLM {isa}')} |")
    for k in sorted(set(before.get("peers", {})) | set(after.get("peers", {}))):
        x = before.get("peers", {}).get(k, {}).get("ms_per_forward")
        y = after.get("peers", {}).get(k, {}).get("ms_per_forward")
        s = _slow(x, y)     # the peer did not change: its ratio is the sitting's noise
        out.append(f"| {k} (peer, noise reference) | {fmt(x, 1)} | {fmt(y, 1)} | {fmt(s, 3)} |")
    return out


def smollm2(rep, before, after, tol):
    out = ["\n**SmolLM2-135M decode** (tokens/s; ratio = before/after, > 1 is slower)\n",
           "| runtime | weights | before | after | slowdown |", "|---|---|---:|---:|---:|"]

    def rows(d):
        return {(r["runtime"], w["weights"]): w for r in d["rows"] for w in r["rows"]}
    b, a = rows(before), rows(after)
    for key in list(b) + [k for k in a if k not in b]:
        x, y = b.get(key, {}).get("decode_tok_s"), a.get(key, {}).get("decode_tok_s")
        out.append(f"| {key[0]} | {key[1]} | {fmt(x)} | {fmt(y)} | "
                   f"{rep.ratio(_slow(x, y, True), 1 + tol, f'SmolLM2 {key[0]} {key[1]}')} |")
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--tol", type=float, default=0.10, help="dispatch figures (default 0.10)")
    ap.add_argument("--model-tol", type=float, default=0.0,
                    help="MiniLM / SmolLM2 (default 0.0: no slower)")
    args = ap.parse_args(argv)
    rep, lines = Report(), []
    for name, fn, tol in (("core.json", core, args.tol), ("minilm.json", minilm, args.model_tol),
                          ("smollm2.json", smollm2, args.model_tol)):
        b, a = load(args.before, name), load(args.after, name)
        if b is None or a is None:
            lines.append(f"\n({name}: missing in {'--before' if b is None else '--after'})")
            continue
        lines.append(f"\n### {name}: before {b.get('date', '?')}, after {a.get('date', '?')}")
        lines += fn(rep, b, a, tol)
    print("\n".join(lines).lstrip("\n"))
    print("\n" + ("Flagged:\n" + "\n".join(f"- {f}" for f in rep.flags) if rep.flags
                  else "Nothing flagged."))
    return 1 if rep.flags else 0


if __name__ == "__main__":
    sys.exit(main())
