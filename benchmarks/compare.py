#!/usr/bin/env python3
"""Compare benchmark results of a baseline and new code measured in one sitting on one machine:
core.json (`scripts/bench`), minilm.json (`run.py --models`), smollm2.json (`run.py --smollm2`),
each side given as one or more directories (runs, best taken: this 2-core VM's run-to-run
spread is 10-30%, so alternate before/after runs and compare the best of each). Prints markdown
tables with the best and the median per side; the ratio (best after vs best before) is a
slowdown, > 1 is slower. Flags (!!) dispatch figures slower than 1 + --tol and model figures
slower than 1 + --model-tol; exits 1 when anything is flagged.

    python benchmarks/compare.py --before DIR [DIR ...] --after DIR [DIR ...] [--tol 0.10]
"""
import argparse
import json
import statistics
import sys
from pathlib import Path

DISPATCH = ("add10", "mul_scalar", "exp", "sum", "add_", "index0", "slice", "view", "empty",
            "matmul_small", "linear_small", "sdpa_decode")


def core(doc):
    """{(runtime, isa, op): µs} of one core.json."""
    return {(r["runtime"], r["isa"], op): v for r in doc["rows"]
            for op, v in (r.get("small_ops_us") or {}).items() if op in DISPATCH}


def minilm(doc):
    out = {("webtensor", isa): r.get("ms_per_forward")
           for isa, r in doc.get("webtensor", {}).items()}
    out.update({(k + " (peer: the sitting's noise)", ""): r.get("ms_per_forward")
                for k, r in doc.get("peers", {}).items()})
    return out


def smollm2(doc):
    return {(r["runtime"], w["weights"]): w["decode_tok_s"] for r in doc["rows"]
            for w in r["rows"] if w.get("decode_tok_s")}


SECTIONS = (("core.json", core, "µs per call", False),
            ("minilm.json", minilm, "ms per forward, Chromium, batch 1 x 128 tokens", False),
            ("smollm2.json", smollm2, "SmolLM2-135M decode tokens/s", True))


def gather(dirs, name, fn):
    """{key: [value per run]} over the directories that have the file."""
    out = {}
    for d in dirs:
        p = Path(d) / name
        if p.exists():
            for k, v in fn(json.loads(p.read_text())).items():
                if v is not None:
                    out.setdefault(k, []).append(v)
    return out


def table(before, after, unit, higher_better, limit, flags, flag_prefix):
    pick = max if higher_better else min
    lines = [f"\n({unit}; best / median of the runs)\n",
             "| what | before best | before median | after best | after median | slowdown |",
             "|---|---:|---:|---:|---:|---:|"]
    for key in list(before) + [k for k in after if k not in before]:
        b, a = before.get(key, []), after.get(key, [])
        cells = [f"{pick(v):.2f} | {statistics.median(v):.2f}" if v else "- | -" for v in (b, a)]
        slow = "-"
        if b and a:
            s = pick(b) / pick(a) if higher_better else pick(a) / pick(b)
            slow = f"{s:.3f}"
            if s > limit and "peer" not in key[0]:
                flags.append(f"{flag_prefix} {' '.join(key)}: {s:.3f}x (limit {limit:.2f})")
                slow = f"**{s:.3f} !!**"
        lines.append(f"| {' '.join(str(k) for k in key if k)} | {cells[0]} | {cells[1]} | "
                     f"{slow} |")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, nargs="+")
    ap.add_argument("--after", required=True, nargs="+")
    ap.add_argument("--tol", type=float, default=0.10, help="dispatch figures (default 0.10)")
    ap.add_argument("--model-tol", type=float, default=0.0,
                    help="MiniLM / SmolLM2 (default 0.0: no slower)")
    args = ap.parse_args(argv)
    flags, lines = [], []
    for name, fn, unit, higher in SECTIONS:
        b, a = gather(args.before, name, fn), gather(args.after, name, fn)
        if not b or not a:
            lines.append(f"\n({name}: no runs on the {'before' if not b else 'after'} side)")
            continue
        runs = (len(next(iter(b.values()))), len(next(iter(a.values()))))
        lines.append(f"\n### {name}: {runs[0]} runs before, {runs[1]} after")
        tol = args.tol if name == "core.json" else args.model_tol
        lines += table(b, a, unit, higher, 1 + tol, flags, name.split(".")[0])
    print("\n".join(lines).lstrip("\n"))
    print("\n" + ("Flagged:\n" + "\n".join(f"- {f}" for f in flags) if flags
                  else "Nothing flagged."))
    return 1 if flags else 0


if __name__ == "__main__":
    sys.exit(main())
