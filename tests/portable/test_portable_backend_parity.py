"""The WASM backend against the reference backend (the oracle inside Pyodide) for every op of
ops/table.py: a deterministic grid of dtypes x shapes (0-d, 0-sized, 1-sized) x layouts
(contiguous, transposed, stepped, expanded, offset) from wtcases.cases("grid"), plus
hypothesis over shapes for the elementwise, reduction and matmul primitives.

The WASM side runs with guard bytes around every storage (a write outside a kernel's regions
raises, and the case then differs); hypothesis layouts include views ending at their storage's
end. A case that raises must raise the same exception type on both backends. If the WASM backend
does not load, every test here fails (it is never skipped)."""
import pytest
from hypothesis import given, settings, strategies as st

import webtensor
from webtensor.ops.table import ALIASES, BINARY, OPS, UNARY
from wtcases import cases
from wtcheck import (DTYPES, FLOATS, FUZZ_LAYOUTS, assert_encoded_match, examples, guard_bytes,
                     run_encoded, spec, using_backend)

GRID = cases("grid")
BY_OP = {}
for _c in GRID:
    BY_OP.setdefault(_c["op"], []).append(_c)


def _require_wasm():
    """Fail fast (before hypothesis generates anything) when the WASM kernels do not load."""
    with using_backend("wasm"):
        pass


def _both(case):
    with using_backend("reference"):
        want = run_encoded(webtensor, case)
    with using_backend("wasm"), guard_bytes():
        got = run_encoded(webtensor, case)
    return got, want


def _check(case):
    got, want = _both(case)
    rtol, atol = case.get("tol", (None, None))
    assert_encoded_match(got, want, rtol, atol, what=f"{case['id']} (wasm vs reference)")


def test_grid_covers_every_op():
    assert not sorted(set(OPS) - set(BY_OP)), sorted(set(OPS) - set(BY_OP))
    assert not sorted(set(ALIASES) - set(BY_OP))


@pytest.mark.parametrize("op", sorted(BY_OP))
def test_wasm_matches_reference(op):
    _require_wasm()
    failures = []
    for case in BY_OP[op]:
        try:
            _check(case)
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, (f"{len(failures)} of {len(BY_OP[op])} {op} cases differ:\n" +
                          "\n".join(failures[:12]))


# ---- hypothesis: random shapes / layouts / dtypes --------------------------------------------
shapes = st.lists(st.integers(0, 5), min_size=0, max_size=4).map(tuple)
layouts = st.sampled_from(FUZZ_LAYOUTS)
dtypes = st.sampled_from(DTYPES)
seeds = st.integers(0, 1000)


def _bcast_partner(draw, shape):
    """A shape that broadcasts with `shape`: some leading dims dropped, some set to 1."""
    k = draw(st.integers(0, len(shape)))
    tail = list(shape[len(shape) - k:])
    return tuple(1 if draw(st.booleans()) else s for s in tail)


@settings(max_examples=examples(60))
@given(op=st.sampled_from(UNARY), shape=shapes, layout=layouts, dtype=dtypes, seed=seeds,
       special=st.booleans())
def _unary_random(op, shape, layout, dtype, seed, special):
    dom = "special" if special and dtype in FLOATS else "any"
    _check({"id": f"{op}{list(shape)}", "op": op,
            "inputs": [spec(shape, dtype, seed, layout, dom)]})


@settings(max_examples=examples(60))
@given(data=st.data(), op=st.sampled_from(BINARY + ("floor_divide",)), shape=shapes,
       layouts=st.tuples(layouts, layouts), dts=st.tuples(dtypes, dtypes), seed=seeds)
def _binary_random(data, op, shape, layouts, dts, seed):
    other = _bcast_partner(data.draw, shape)
    if data.draw(st.booleans()):
        shape, other = other, shape
    dom_b = "nonzero" if op in ("div", "remainder", "floor_divide") else \
        "idx3" if op == "pow" else "any"
    case = {"id": f"{op}{list(shape)}{list(other)}", "op": op,
            "inputs": [spec(shape, dts[0], seed, layouts[0]),
                       spec(other, dts[1], seed + 1, layouts[1], dom_b)]}
    _check(case)


@settings(max_examples=examples(60))
@given(data=st.data(), op=st.sampled_from(("sum", "mean", "prod", "amax", "amin", "var",
                                           "logsumexp", "all", "any", "argmax", "argmin")),
       shape=st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple), layout=layouts,
       dtype=st.sampled_from(("float32", "float64", "float16", "int32", "bool")), seed=seeds,
       keepdim=st.booleans())
def _reduce_random(data, op, shape, layout, dtype, seed, keepdim):
    if op in ("argmax", "argmin"):
        dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    else:
        dim = sorted(data.draw(st.sets(st.integers(0, len(shape) - 1), min_size=1)))
    dom = "near1" if op == "prod" else "any"
    case = {"id": f"{op}{list(shape)}-{dim}", "op": op,
            "inputs": [spec(shape, dtype, seed, layout, dom)],
            "args": [{"t": 0}, dim], "kwargs": {"keepdim": keepdim}}
    _check(case)


@settings(max_examples=examples(30))
@given(batch=st.lists(st.integers(1, 3), max_size=2).map(tuple), m=st.integers(0, 6),
       k=st.integers(0, 9), n=st.integers(0, 6), layouts=st.tuples(layouts, layouts),
       dtype=st.sampled_from(("float32", "float64", "int64", "float16")), seed=seeds)
def _matmul_random(batch, m, k, n, layouts, dtype, seed):
    case = {"id": f"matmul{batch}x{m}x{k}x{n}", "op": "matmul",
            "inputs": [spec(batch + (m, k), dtype, seed, layouts[0]),
                       spec((k, n), dtype, seed + 1, layouts[1])]}
    if dtype == "float16":
        case["tol"] = [2e-3, 2e-2]
    _check(case)


def test_unary_random():
    _require_wasm()
    _unary_random()


def test_binary_random():
    _require_wasm()
    _binary_random()


def test_reduce_random():
    _require_wasm()
    _reduce_random()


def test_matmul_random():
    _require_wasm()
    _matmul_random()
