"""Random numbers against torch's golden values (tests/golden/random.json, written by
scripts/make_golden_random.py from tests/portable/randcases.py): every random op after
manual_seed gives torch 2.13's numbers and generator state, bit for bit, on both backends,
on CPython and inside Pyodide (Node, Chromium). Stdlib only.

One platform caveat: float64 normals are computed with the C library's double log/cos/sin,
as torch does; glibc's and Pyodide's (musl's) differ in the last bit for about 1% of values,
so inside Pyodide those may be 1 ulp off torch's (CPython on glibc: exact)."""
import json
import math
import sys
from pathlib import Path

import pytest

import randcases
import webtensor
from wtcheck import BACKENDS

LIBM_DOUBLE = {"randn_f64"}      # float64 values through libm's double log/cos/sin
EXACT = sys.platform != "emscripten"
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
    ulps = 0 if EXACT or name not in LIBM_DOUBLE else 1
    bad = [i for i, (g, w) in enumerate(zip(got, want))
           if g != w and not (ulps and isinstance(w, float) and abs(g - w) <= ulps * math.ulp(w))]
    assert not bad, f"{name}: {len(bad)} of {len(want)} differ, first at {bad[0]}: " \
                    f"{got[bad[0]]!r} != {want[bad[0]]!r}"
