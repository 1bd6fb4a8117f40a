"""The fuzz harness shared by every format: case count and seed, byte-level mutations, hostile
JSON values, and check_case(), which runs one mutated file through a loader and asserts what
every case must satisfy: only a webtensor.serialization.LoadError escapes, within TIME_BOUND
seconds, with the peak of Python allocations bounded by the file's size, and a sentinel
computation right afterwards."""
import json
import os
import random
import re
import struct
import sys
import time
import tracemalloc

from hypothesis import HealthCheck, Phase, seed as hseed, settings, strategies as hs

import webtensor as wt
from webtensor.serialization import LoadError

IN_PYODIDE = sys.platform == "emscripten"
# At least 1000 cases per format per CPython run, a few hundred inside Pyodide (Node);
# WEBTENSOR_FUZZ_CASES / WEBTENSOR_FUZZ_SEED for longer, random runs.
CASES = int(os.environ.get("WEBTENSOR_FUZZ_CASES") or (300 if IN_PYODIDE else 1000))
SEED = os.environ.get("WEBTENSOR_FUZZ_SEED")
TIME_BOUND = 10.0            # seconds per case: catches hangs and blow-ups, not speed
MEM_FACTOR, MEM_SLACK = 64, 8 << 20   # peak Python allocation <= 64 x file bytes + 8 MiB

STATS = {}                   # format -> {"cases", "outcomes": {name: n}, "slowest": (s, what)}


def fuzz(f):
    """@given-decorated test -> CASES examples, derandomized unless WEBTENSOR_FUZZ_SEED (no
    shrinking inside Pyodide: too slow there; the failing case is printed as found)."""
    f = settings(max_examples=CASES, deadline=None, derandomize=SEED is None, database=None,
                 phases=[Phase.explicit, Phase.generate] + ([] if IN_PYODIDE else [Phase.shrink]),
                 suppress_health_check=list(HealthCheck))(f)
    return hseed(int(SEED))(f) if SEED is not None else f


# ---- byte-level mutation (driven by a Random seeded from one hypothesis draw: cheap cases) ----
INTERESTING = [0, 1, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0xffff, 0x7fffffff, 0x80000000,
               0xffffffff, 2 ** 32, 2 ** 40, 2 ** 62, 2 ** 63 - 1, 2 ** 63, 2 ** 64 - 1]


@hs.composite
def rngs(draw):
    """A random.Random seeded by one hypothesis draw (cheaper than drawing every choice)."""
    return random.Random(draw(hs.integers(0, 2 ** 32 - 1)))


def mutate(blob, rng, n=None):
    """1-4 byte-level mutations: bit flips, bytes, little-endian integers from INTERESTING
    (lying lengths, counts and offsets), truncation, deletion, insertion, copied chunks
    (overlapping and out-of-order data)."""
    b = bytearray(blob)
    for _ in range(n or rng.randint(1, 4)):
        if not b:
            b = bytearray(b"\0")
        kind, p = rng.randrange(7), rng.randrange(len(b))
        if kind == 0:
            b[p] ^= 1 << rng.randrange(8)
        elif kind == 1:
            b[p] = rng.randrange(256)
        elif kind == 2:
            n = rng.choice((1, 2, 4, 8))
            v = rng.choice(INTERESTING + [len(b), len(b) - p, rng.randrange(len(b) + 9)])
            b[p:p + n] = (v % (1 << (8 * n))).to_bytes(n, "little")
        elif kind == 3:
            del b[p:]
        elif kind == 4:
            del b[p:p + rng.randint(1, 64)]
        elif kind == 5:
            b[p:p] = rng.randbytes(rng.randint(1, 16))
        else:
            q, n = rng.randrange(len(b)), rng.randint(1, 64)
            b[q:q + n] = b[p:p + n]
    return bytes(b)


# ---- hostile JSON -----------------------------------------------------------------------------
DEEP = "\x00deep:"       # a string value replaced by that many nested lists in the JSON text


def hostile_json(rng, depth=0):
    """A JSON value of the wrong kind: huge or negative numbers, wrong types, containers, deep
    nesting (DEEP markers, expanded by json_text)."""
    k = rng.randrange(10 if depth < 2 else 7)
    if k == 0:
        return rng.choice([None, True, False, "", "x" * rng.randint(1, 50)])
    if k == 1:
        return rng.choice(INTERESTING) * rng.choice((1, -1))
    if k == 2:
        return rng.randint(-3, 40)
    if k == 3:
        return rng.choice([0.5, -1.0, 1e308, 3.0])
    if k == 4:
        return rng.choice(["F32", "BF16", "Q4_0", "BPE", "WordPiece", "ByteLevel", "[UNK]",
                           "Sequence", "\ud800", "\x00"])
    if k == 5:
        return rng.randbytes(rng.randint(0, 6)).decode("latin-1")
    if k == 6:
        return DEEP + str(rng.choice((127, 128, 129, 5000)))     # 100 000: explicit tests
    if k == 7:
        return [hostile_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {str(hostile_json(rng, 2)): hostile_json(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def json_text(tree):
    """json.dumps, with DEEP markers expanded to nested lists (too deep for json.dumps)."""
    text = json.dumps(tree, separators=(",", ":"))
    return re.sub(r'"\\u0000deep:(\d+)"', lambda m: "[" * int(m[1]) + "]" * int(m[1]), text)


def json_mutated(tree, rng):
    """A copy of a JSON tree with 1-3 nodes replaced by hostile values, deleted or renamed."""
    tree = json.loads(json.dumps(tree))
    for _ in range(rng.randint(1, 3)):
        node, key, cur = None, None, tree
        while isinstance(cur, (dict, list)) and cur and (node is None or rng.random() < 0.75):
            node, key = cur, rng.choice(list(cur) if isinstance(cur, dict) else range(len(cur)))
            cur = cur[key]
        if node is None:
            return hostile_json(rng)
        action = rng.randrange(4)
        if action < 2:
            node[key] = hostile_json(rng)
        elif action == 2:
            del node[key]
        elif isinstance(node, dict):
            node[str(hostile_json(rng, 2))] = node.pop(key)
        else:
            node.insert(rng.randrange(len(node) + 1), rng.choice(node))
    return tree


def u64(v):
    return struct.pack("<Q", v % 2 ** 64)


# ---- one case -----------------------------------------------------------------------------
def sentinel():
    """A small computation through the kernels: the interpreter and heap are intact."""
    got = (wt.arange(6, dtype=wt.float32).reshape(2, 3) @ wt.ones(3)).tolist()
    assert got == [3.0, 12.0], got


def touch(obj, budget=None, seen=None):
    """Use what a loader returned: read every tensor in it, reduce the first few (kernels).
    Each container once (pickles share and nest them), at most 200 deep."""
    budget, seen = ([2], set()) if budget is None else (budget, seen)
    if isinstance(obj, wt.Tensor):
        if obj.numel():          # (an empty tensor's tolist is its shape's worth of lists)
            obj.tolist()
        if budget[0] > 0:
            budget[0] -= 1
            obj.to(wt.float32).sum().item()
    elif isinstance(obj, (dict, list, tuple)) and id(obj) not in seen and len(seen) < 10_000:
        seen.add(id(obj))
        for v in (obj.values() if isinstance(obj, dict) else obj):
            touch(v, budget, seen)


def check_case(fmt, load, blob, what="", holds=None):
    """Run load(blob) (which also uses its result) under the bounds every case must keep;
    `holds`: the bytes the file really holds where that is more than its size (compressed)."""
    rec = STATS.setdefault(fmt, {"cases": 0, "outcomes": {}, "slowest": (0.0, "")})
    if not tracemalloc.is_tracing():
        tracemalloc.start()
    if rec["cases"] == 0:        # first use: lazy tables and compiled regexes, not timed
        try:
            load(blob)
        except LoadError:
            pass
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    try:
        load(blob)
        outcome = "loaded"
    except LoadError as e:
        outcome = type(e).__name__
        assert str(e), "a LoadError must say what is wrong"
    dt = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] - base
    rec["cases"] += 1
    rec["outcomes"][outcome] = rec["outcomes"].get(outcome, 0) + 1
    if dt > rec["slowest"][0]:
        rec["slowest"] = (dt, f"{len(blob)} bytes {what}"[:200])
    assert dt < TIME_BOUND, f"{fmt}: {dt:.1f} s for one {len(blob)}-byte file ({what})"
    assert peak <= MEM_FACTOR * (holds or len(blob)) + MEM_SLACK, \
        f"{fmt}: {peak} bytes allocated for a {len(blob)}-byte file ({what})"
    sentinel()
    return outcome
