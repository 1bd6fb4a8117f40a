"""The row-index scatter (index_add / index_copy / index_fill / index_put / put), scatter with
every reduction, fold (col2im) and masked_select / masked_scatter kernels in every dtype, WASM
(under guard bytes) vs the reference backend: rows wider and narrower than a vector with
tails, repeated and negative indices, float16/bfloat16 sums that must leave the kernel (a
repeated index), overlapping and padded fold windows, masks around the 16-element blocks, and
out-of-range indices (the same error). Stdlib only: this also runs inside Pyodide."""
import pytest

import webtensor
from wtcheck import assert_encoded_match, guard_bytes, run_encoded, spec, using_backend

DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8",
          "uint8", "bool")


def check(case):
    with using_backend("reference"):
        want = run_encoded(webtensor, case)
    with using_backend("wasm"), guard_bytes():
        got = run_encoded(webtensor, case)
    assert_encoded_match(got, want, None, None, what=f"{case['id']} (wasm vs reference)")
    return want


def idx(values):
    return spec((len(values),), "int64", data=values)


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_scatters(dtype):
    for shape, dim, rows in (((6, 37), 0, [5, 0, 3]), ((3, 5, 9), 1, [4, 1, 1, 0]),
                             ((50,), 0, [7, 49, 0, 7, 3]), ((4, 2, 19), 2, [18, 0, 5])):
        x = spec(shape, dtype, 1)
        sshape = tuple(len(rows) if d == dim else s for d, s in enumerate(shape))
        src = spec(sshape, dtype, 2)
        uniq = list(dict.fromkeys(rows))
        ushape = tuple(len(uniq) if d == dim else s for d, s in enumerate(shape))
        for op, r, s in (("index_add", rows, src), ("index_add", uniq, spec(ushape, dtype, 3)),
                         ("index_copy", uniq, spec(ushape, dtype, 4))):
            check({"id": f"{op}{list(shape)}-{dim}-{r}-{dtype}", "op": op,
                   "inputs": [x, idx(r), s], "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}]})
        neg = [v - shape[dim] for v in rows]
        check({"id": f"index_fill{list(shape)}-{dim}-{dtype}", "op": "index_fill",
               "inputs": [x, idx(neg)], "args": [{"t": 0}, dim, {"t": 1}, 1]})
        lead = shape[0]
        prow = [v % lead for v in rows] + [-1]
        vshape = (len(prow),) + tuple(shape[1:])
        for acc in (False, True):
            check({"id": f"index_put{list(shape)}-{acc}-{dtype}", "op": "index_put",
                   "inputs": [x, idx(prow), spec(vshape, dtype, 5)],
                   "args": [{"t": 0}, [{"t": 1}], {"t": 2}], "kwargs": {"accumulate": acc}})
        n = 1
        for v in shape:
            n *= v
        flat = [3, n - 1, -2, 0, 3, 11 % n]
        check({"id": f"put{list(shape)}-{dtype}", "op": "put",
               "inputs": [x, idx(flat), spec((len(flat),), dtype, 6)],
               "args": [{"t": 0}, {"t": 1}, {"t": 2}], "kwargs": {"accumulate": True}})
    # out of range: the same error on both backends, nothing else
    x = spec((4, 3), dtype, 1)
    for op, bad in (("index_add", [0, 4]), ("index_copy", [-1, 2]), ("index_fill", [5])):
        args = [{"t": 0}, 0, {"t": 1}] + ([{"t": 2}] if op != "index_fill" else [0])
        want = check({"id": f"{op}-bad-{dtype}", "op": op,
                      "inputs": [x, idx(bad), spec((len(bad), 3), dtype, 2)], "args": args})
        assert "error" in want


@pytest.mark.parametrize("dtype", DTYPES)
def test_scatter_reductions(dtype):
    for shape, dim in (((5, 40), 1), ((12, 3, 9), 0), ((3, 6, 17), 1)):
        n = shape[dim]
        size = 1
        for v in shape:
            size *= v
        flat = [(7 * k + k // 3) % n for k in range(size)]           # repeats along dim
        index = spec(shape, "int64", data=flat)
        x, src = spec(shape, dtype, 1), spec(shape, dtype, 2)
        check({"id": f"scatter{list(shape)}-{dtype}", "op": "scatter",
               "inputs": [x, index, src], "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}]})
        check({"id": f"scatter_add{list(shape)}-{dtype}", "op": "scatter_add",
               "inputs": [x, index, src], "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}]})
        for red in ("sum", "prod", "amax", "amin", "mean"):
            if dtype == "bool" and red == "mean":
                continue
            for inc in (True, False):
                check({"id": f"scatter_reduce{list(shape)}-{red}-{inc}-{dtype}",
                       "op": "scatter_reduce", "inputs": [x, index, src],
                       "args": [{"t": 0}, dim, {"t": 1}, {"t": 2}, red],
                       "kwargs": {"include_self": inc}})
    bad = spec((2, 3), "int64", data=[0, 1, 2, 3, 0, 1])
    want = check({"id": f"scatter_add-bad-{dtype}", "op": "scatter_add",
                  "inputs": [spec((2, 3), dtype, 1), bad, spec((2, 3), dtype, 2)],
                  "args": [{"t": 0}, 1, {"t": 1}, {"t": 2}]})
    assert "error" in want


@pytest.mark.parametrize("dtype", ("float32", "float64", "float16", "bfloat16", "bool"))
def test_fold(dtype):
    for c, size, k, d, p, s in ((2, (6, 7), (2, 3), (1, 1), (0, 1), (1, 2)),
                                (3, (8, 8), (2, 2), (1, 1), (0, 0), (2, 2)),
                                (1, (9, 5), (3, 2), (2, 1), (1, 2), (1, 1))):
        blocks = [(size[i] + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 for i in range(2)]
        x = spec((2, c * k[0] * k[1], blocks[0] * blocks[1]), dtype, 3)
        check({"id": f"fold{size}-k{k}-d{d}-p{p}-s{s}-{dtype}", "op": "fold",
               "inputs": [x], "args": [{"t": 0}, list(size), list(k), list(d), list(p),
                                       list(s)]})


@pytest.mark.parametrize("dtype", DTYPES)
def test_masked(dtype):
    for n in (1, 15, 16, 17, 40, 100):
        for seed in (1, 2):
            x, mask = spec((n,), dtype, 1), spec((n,), "bool", seed + 4)
            check({"id": f"masked_select{n}-{seed}-{dtype}", "op": "masked_select",
                   "inputs": [x, mask]})
            check({"id": f"masked_scatter{n}-{seed}-{dtype}", "op": "masked_scatter",
                   "inputs": [x, mask, spec((n + 3,), dtype, 2)]})
    # a mask of all Trues over 3 rows: the fast path end to end; too short a source
    ones = spec((3, 24), "bool", data=[True] * 72)
    check({"id": f"masked_select-ones-{dtype}", "op": "masked_select",
           "inputs": [spec((3, 24), dtype, 1), ones]})
    check({"id": f"masked_scatter-ones-{dtype}", "op": "masked_scatter",
           "inputs": [spec((3, 24), dtype, 1), ones, spec((72,), dtype, 2)]})
    assert "error" in check({"id": f"masked_scatter-short-{dtype}", "op": "masked_scatter",
                             "inputs": [spec((3, 24), dtype, 1), ones, spec((70,), dtype, 2)]})
