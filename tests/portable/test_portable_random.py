"""Random numbers against torch's golden values (tests/golden/random.json, written by
scripts/make_golden_random.py from tests/portable/randcases.py): every random op after
manual_seed gives torch 2.13's numbers and generator state, bit for bit, on both backends,
on CPython and inside Pyodide (Node, Chromium). Stdlib only."""
import json
from pathlib import Path

import pytest

import randcases
import webtensor
from wtcheck import BACKENDS

GOLDEN = json.loads((Path(__file__).resolve().parent.parent / "golden" / "random.json")
                    .read_text())


def test_golden_random_file_matches_catalogue():
    assert sorted(GOLDEN) == sorted(randcases.CASES), \
        "tests/golden/random.json is stale: run scripts/make_golden_random.py"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", sorted(randcases.CASES))
def test_random_matches_torch(name, backend):
    webtensor.backends.set_backend(backend)
    got, want = randcases.run(webtensor, name), GOLDEN[name]
    assert len(got) == len(want)
    bad = [i for i, (g, w) in enumerate(zip(got, want)) if g != w]
    assert not bad, f"{name}: {len(bad)} of {len(want)} differ, first at {bad[0]}: " \
                    f"{got[bad[0]]!r} != {want[bad[0]]!r}"
