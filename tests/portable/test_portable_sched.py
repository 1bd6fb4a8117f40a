"""webtensor.optim.lr_scheduler against torch's golden traces (tests/golden/sched.json, written
by scripts/make_golden_sched.py from tests/portable/schedcases.py): every scheduler's lr and
the cycled momentum/beta1 over 30 steps, on CPython and inside Pyodide (Node, Chromium).
Stdlib only."""
import json
from pathlib import Path

import pytest

import webtensor
import schedcases
from wtcheck import values_close

GOLDEN = json.loads((Path(__file__).resolve().parent.parent / "golden" / "sched.json")
                    .read_text())


def test_golden_sched_file_matches_catalogue():
    assert sorted(GOLDEN) == sorted(schedcases.CASES), \
        "tests/golden/sched.json is stale: run scripts/make_golden_sched.py"


@pytest.mark.parametrize("name", sorted(schedcases.CASES))
def test_schedule_matches_torch(name):
    got, want = schedcases.trace(webtensor, name), GOLDEN[name]
    assert len(got) == len(want) == schedcases.STEPS + 1
    for i, (g, w) in enumerate(zip(got, want)):
        flat_g, flat_w = g[0] + g[1], w[0] + w[1]
        # 1e-12: Pyodide's libm may round math.cos differently in the last bit
        assert len(flat_g) == len(flat_w) and all(
            values_close(a, b, 1e-12, 1e-15) for a, b in zip(flat_g, flat_w)), \
            f"{name} step {i}: {g} != {w}"
