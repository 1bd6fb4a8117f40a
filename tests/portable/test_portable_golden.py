"""Replay tests/golden/ops.json (torch's outputs, written by scripts/make_golden.py) through
webtensor on every backend. Runs on CPython and inside Pyodide."""
import json
from pathlib import Path

import pytest

import webtensor
from webtensor.ops.table import ALIASES, OPS
from wtcases import cases
from wtcheck import (BACKENDS, FLOATS, INTS, assert_encoded_match, formula_fingerprint,
                     run_encoded, using_backend)

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "ops.json"
DOC = json.loads(GOLDEN.read_text())
CASES = DOC["cases"]


def test_golden_inputs_formula_unchanged():
    """Inputs without explicit data come from wtcheck.det_values: if the formula changed, the
    stored outputs no longer belong to these inputs (rerun scripts/make_golden.py)."""
    assert DOC["formula"] == formula_fingerprint()


def test_golden_file_matches_the_case_catalogue():
    """Every case of wtcases.cases("golden") is in the file with the same inputs and call (or
    was left out by make_golden.py as a torch binding error): else rerun make_golden.py."""
    stored = {c["id"]: {k: v for k, v in c.items() if k != "expected"} for c in CASES}
    current = {c["id"]: c for c in cases("golden")}
    stale = sorted(i for i in stored if stored[i] != current.get(i))
    missing = sorted(set(current) - set(stored) - set(DOC["dropped"]))
    assert not stale and not missing, \
        f"tests/golden/ops.json is stale (python scripts/make_golden.py): changed {stale[:10]}, " \
        f"missing {missing[:10]}"


def test_golden_file_is_small():
    assert GOLDEN.stat().st_size < 400_000


def test_golden_covers_every_op_and_dtype_family():
    ops = {c["op"] for c in CASES}
    missing = sorted(set(OPS) - ops)
    assert not missing, f"ops of ops/table.py without a golden case: {missing}"
    assert not sorted(set(ALIASES) - ops), sorted(set(ALIASES) - ops)
    dtypes = {s.get("dtype", "float32") for c in CASES for s in c["inputs"]}
    assert {"float16", "bfloat16", "bool"} | set(INTS) | set(FLOATS) <= dtypes, dtypes
    calls = {c.get("call", "fn") for c in CASES}
    assert calls == {"fn", "method", "inplace"}, calls


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(case, backend):
    with using_backend(backend):
        got = run_encoded(webtensor, case)
    rtol, atol = case.get("tol", (None, None))
    assert_encoded_match(got, case["expected"], rtol, atol, what=case["id"])
