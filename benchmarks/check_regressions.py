#!/usr/bin/env python3
"""Regression guard for the benchmark JSON files (run by hand before committing; not a test):
compares a fresh run's benchmarks/*.json with the recorded ones and names every figure that got
more than --tol (default 15%) slower. Exits 1 when anything is named.

    python benchmarks/run.py --llm-peers ...        (the benches overwrite benchmarks/*.json)
    python benchmarks/check_regressions.py          (working tree vs the committed files, HEAD)
    python benchmarks/check_regressions.py --recorded REV_OR_DIR [FRESH.json | FRESH_DIR ...]

Every numeric leaf of both files is a figure, named by its path (list items by their runtime /
weights / name / isa ... field, not their index). Its unit comes from the nearest key naming
one: gflops, gbs, tok_s, per_second (higher is better); ms, us, s, sec (lower is better);
anything else (heap MB, errors, counts, shapes) is not a speed and is skipped. Figures under a
peers / torch / numpy key are the peers': a peer that got slower says the machine was slower
this time (this 2-core VM is shared and its run-to-run spread is 10-30%), so they are listed as
the sitting's noise, never named. For A/B runs of several sittings use benchmarks/compare.py.
"""
import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
HIGHER = re.compile(r"(gflops|gbs|gb_s|tok_s|tokens_s|per_second)$")
LOWER = re.compile(r"(^|_)(ms|us|s|sec)(_|$)")
SKIP = re.compile(r"(^|_)(mb|heap|err|bytes|reps|count|n|tokens|kernels)(_|$)")
REFERENCE = re.compile(r"peer|^torch|^numpy")
LABELS = ("runtime", "weights", "name", "isa", "format", "op", "shape")


def _label(item, i):
    for k in LABELS:
        if isinstance(item, dict) and isinstance(item.get(k), (str, int)):
            # the cliff table has a row per op and dtype
            return f"{k}={item[k]}" + (f",dtype={item['dtype']}" if "dtype" in item else "")
    return str(i)


def figures(doc, path=()):
    """{path tuple: value} of every numeric leaf."""
    out = {}
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.update(figures(v, path + (str(k),)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.update(figures(v, path + (_label(v, i),)))
    elif isinstance(doc, (int, float)) and not isinstance(doc, bool):
        out[path] = float(doc)
    return out


def direction(path):
    """+1 higher is better, -1 lower is better, 0 not a speed: from the nearest key with a
    unit (a leaf named like a shape, '128', takes its parent's)."""
    for key in reversed(path):
        k = key.lower()
        if HIGHER.search(k):
            return 1
        if LOWER.search(k):
            return -1
        if SKIP.search(k):
            return 0
    return 0


def is_reference(path):
    return any(REFERENCE.search(k.lower()) for k in path)


def compare(recorded, fresh, tol=0.15):
    """-> (named [(path, old, new, slowdown)], references [...], compared count): slowdown > 1
    is slower (old/new for higher-is-better figures, new/old for lower-is-better ones)."""
    old, new = figures(recorded), figures(fresh)
    named, refs, n = [], [], 0
    for path, a in old.items():
        b, d = new.get(path), direction(path)
        if b is None or d == 0 or a <= 0 or b <= 0:
            continue
        n += 1
        slow = a / b if d > 0 else b / a
        if slow > 1 + tol:
            (refs if is_reference(path) else named).append((path, a, b, slow))
    return named, refs, n


def _recorded(name, where):
    """The recorded JSON text of benchmarks/NAME: from a directory, or a git revision."""
    p = Path(where)
    if p.is_dir():
        f = p / name
        return f.read_text() if f.exists() else None
    r = subprocess.run(["git", "show", f"{where}:benchmarks/{name}"], cwd=REPO,
                       capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fresh", nargs="*", help="fresh JSON files or directories "
                    "(default: benchmarks/*.json in the working tree)")
    ap.add_argument("--recorded", default="HEAD",
                    help="a git revision (default HEAD) or a directory of recorded JSON files")
    ap.add_argument("--tol", type=float, default=0.15)
    args = ap.parse_args(argv)
    files = []
    for f in map(Path, args.fresh or [BENCH]):
        files += sorted(f.glob("*.json")) if f.is_dir() else [f]
    total, named_all = 0, []
    for f in files:
        text = _recorded(f.name, args.recorded)
        if text is None:
            print(f"{f.name}: nothing recorded to compare with")
            continue
        recorded, fresh = json.loads(text), json.loads(f.read_text())
        named, refs, n = compare(recorded, fresh, args.tol)
        total += n
        same = all(recorded.get(k) == fresh.get(k) for k in ("machine", "browser_version"))
        print(f"{f.name}: {n} figures compared, {len(named)} more than {args.tol:.0%} slower"
              + ("" if same else " (machine or browser differs from the recorded run)"))
        for path, a, b, s in named:
            print(f"  SLOWER {s:.2f}x  {'/'.join(path)}: {a:.4g} -> {b:.4g}")
            named_all.append((f.name, path))
        refs.sort(key=lambda r: -r[3])
        for path, a, b, s in refs[:5]:
            print(f"  (peer {s:.2f}x slower this sitting: {'/'.join(path)}: {a:.4g} -> {b:.4g})")
        if len(refs) > 5:
            print(f"  (and {len(refs) - 5} more peer figures slower this sitting)")
    print(f"{total} figures compared; " + (f"{len(named_all)} named above" if named_all
                                            else "none more than the tolerance slower"))
    return 1 if named_all else 0


if __name__ == "__main__":
    sys.exit(main())
