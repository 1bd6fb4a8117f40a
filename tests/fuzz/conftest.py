"""The fuzz tier: per-format outcome counts, exception types and the slowest case, reported in
the terminal summary (and as JSON to $WEBTENSOR_FUZZ_REPORT when set)."""
import json
import os
import tracemalloc

import pytest

import fuzzlib


@pytest.fixture(autouse=True, scope="module")
def _trace_allocations():
    tracemalloc.start()
    yield
    tracemalloc.stop()


def pytest_terminal_summary(terminalreporter):
    if not fuzzlib.STATS:
        return
    tr = terminalreporter
    tr.section(f"fuzz (cases per test: {fuzzlib.CASES}, seed: {fuzzlib.SEED or 'fixed'})", sep="-")
    for fmt, rec in sorted(fuzzlib.STATS.items()):
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(rec["outcomes"].items()))
        s, what = rec["slowest"]
        tr.write_line(f"{fmt}: {rec['cases']} cases; {outcomes}; slowest {s * 1e3:.1f} ms "
                      f"({what})")
    if os.environ.get("WEBTENSOR_FUZZ_REPORT"):
        with open(os.environ["WEBTENSOR_FUZZ_REPORT"], "w") as f:
            json.dump(fuzzlib.STATS, f, indent=1)
