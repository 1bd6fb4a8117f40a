"""Cases of wtcases.cases(): shape ops, indexing (gather / scatter / index_* / masked),
embedding. Stdlib only (runs inside Pyodide)."""
from wtcheck import DTYPES, spec
from wtcases_base import _GOLDEN_DTYPES, _dts, T, F, _layout


def _shape(c, grid):
    for op in ("cat", "concat", "concatenate"):
        c.add(op, [spec((2, 3), "float32", 1), spec((1, 3), "float32", 2, "offset")],
              args=[[T(0), T(1)]])
    for dt in _dts(grid):
        c.add("cat", [spec((2, 3), dt, 1, "transposed"), spec((2, 2), dt, 2)],
              args=[[T(0), T(1)], 1], tag=dt)
    c.add("cat", [spec((2, 3), "int32", 1), spec((2, 3), "float16", 2)], args=[[T(0), T(1)], -1],
          tag="promote")
    c.add("cat", [spec((2, 3), "uint8", 1), spec((2, 3), "int8", 2), spec((2, 3), "bool", 3)],
          args=[[T(0), T(1), T(2)]], tag="promote-int")
    c.add("cat", [spec((2, 3), "float32", 1), spec((0,), "float32")], args=[[T(0), T(1)]],
          tag="legacy-empty")
    c.add("cat", [spec((2, 3), "float32", 1), spec((2, 2), "float32")], args=[[T(0), T(1)]],
          tag="mismatch")
    c.add("cat", [spec((2, 3), "float32", 1), spec((3,), "float32")], args=[[T(0), T(1)]],
          tag="ndim-mismatch")
    c.add("cat", [spec((2, 3), "float32", 1)], args=[[T(0)], 2], tag="bad-dim")
    c.add("cat", [spec((), "float32", 1), spec((), "float32")], args=[[T(0), T(1)]], tag="0d")
    c.add("cat", [spec((0, 3), "float32"), spec((2, 3), "float32", 1, "expanded")],
          args=[[T(0), T(1)]], tag="zero-rows")
    for d in (0, 1, 2, -1):
        c.add("stack", [spec((2, 3), "float32", 1, "transposed"), spec((2, 3), "float32", 2)],
              args=[[T(0), T(1)], d], tag=f"dim{d}")
    c.add("stack", [spec((2, 3), "int8", 1), spec((2, 3), "float64", 2)], args=[[T(0), T(1)]],
          tag="promote")
    c.add("stack", [spec((2, 3), "float32", 1), spec((3, 2), "float32", 2)], args=[[T(0), T(1)]],
          tag="mismatch")
    c.add("stack", [spec((), "int64", 1), spec((), "int64", 2)], args=[[T(0), T(1)]], tag="0d")
    for op in ("hstack", "vstack"):
        c.add(op, [spec((3,), "float32", 1), spec((2,), "float32", 2)], args=[[T(0), T(1)]],
              tag="1d")
        c.add(op, [spec((3,), "float32", 1), spec((3,), "float32", 2)], args=[[T(0), T(1)]],
              tag="1d-same")
        c.add(op, [spec((2, 3), "int64", 1), spec((2, 3), "bool", 2, "transposed")],
              args=[[T(0), T(1)]], tag="2d")
        c.add(op, [spec((2, 3, 2), "float16", 1), spec((2, 3, 2), "float16", 2)],
              args=[[T(0), T(1)]], tag="3d")
        c.add(op, [spec((), "float32", 1), spec((), "float32", 2)], args=[[T(0), T(1)]], tag="0d")
    x = spec((5, 4), "float32", 1, "transposed")
    for args, tag in (([2], "size"), ([2, 1], "size-dim1"), ([[1, 3, 1]], "sections"),
                      ([[2, 2]], "bad-sections"), ([0], "zero"), ([7], "big"),
                      ([[0, 4]], "zero-section")):
        c.add("split", [x], args=[T(0)] + args, tag=tag)
    c.add("split", [x], args=[T(0), 2, 0], call="method")
    for args, tag in (([2], "2"), ([3, 1], "3-dim1"), ([7], "more-than-size"), ([0], "zero")):
        c.add("chunk", [x], args=[T(0)] + args, tag=tag)
    c.add("chunk", [spec((6, 2), "int32", 2)], args=[T(0), 4], call="method")
    for args, tag in (([3], "3"), ([2, 1], "2-dim1"), ([[1, 3]], "indices"), ([7], "more")):
        c.add("tensor_split", [x], args=[T(0)] + args, tag=tag)
    c.add("tensor_split", [spec((5,), "int64", 2)], args=[T(0), 2], call="method")
    c.add("flip", [spec((2, 3, 4), "float32", 1, "stepped")], args=[T(0), [0, 2]], tag="dims")
    c.add("flip", [spec((2, 3), "int8", 1)], args=[T(0), [-1]], tag="neg")
    c.add("flip", [spec((2, 3), "bool", 1)], args=[T(0), [0, 1]], tag="bool")
    c.add("flip", [spec((), "float32", 1)], args=[T(0), []], tag="0d")
    c.add("flip", [spec((2, 3), "float32", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("fliplr", "flipud"):
        c.add(op, [spec((3, 4), "float16", 1, "transposed")])
        c.add(op, [spec((2, 3, 2), "int32", 1)], tag="3d")
        c.add(op, [spec((3,), "float32", 1)], tag="1d")
        c.add(op, [spec((3, 2), "float32", 1)], call="method")
    for args, tag in (([2], "flat"), ([1, 0], "dim0"), ([-1, 1], "neg"),
                      ([[1, 2], [0, 1]], "multi"), ([5, 1], "big"), ([[1], [0, 1]], "misaligned")):
        c.add("roll", [spec((3, 4), "float32", 1, "transposed")], args=[T(0)] + args, tag=tag)
    c.add("roll", [spec((3, 4), "int8", 1)], args=[T(0), 1, 1], call="method")
    for args, tag in (([2, 3], "2d"), ([2, 1, 2], "more-dims"), ([1, 1], "ones"),
                      ([0, 2], "zero"), ([2], "too-few")):
        c.add("repeat", [spec((2, 3), "float32", 1, "stepped")], args=[T(0)] + args, tag=tag,
              call="method")
    c.add("repeat", [spec((3,), "bool", 1)], args=[T(0), 2], tag="bool", call="method")
    for args, tag in (([[2, 3]], "2d"), ([[2]], "short"), ([[2, 1, 2]], "long")):
        c.add("tile", [spec((2, 3), "int64", 1, "transposed")], args=[T(0)] + args, tag=tag)
    c.add("tile", [spec((2,), "float32", 1)], args=[T(0), [3]], call="method")
    for args, kwargs, tag in (([2], {}, "flat"), ([2], {"dim": 1}, "dim1"),
                              ([3], {"dim": 0}, "dim0"), ([0], {"dim": 1}, "zero")):
        c.add("repeat_interleave", [spec((2, 3), "float32", 1, "transposed")],
              args=[T(0)] + args, kwargs=kwargs, tag=tag)
    c.add("repeat_interleave", [spec((2, 3), "uint8", 1)], args=[T(0), 2], kwargs={"dim": -1},
          call="method")
    for op in ("tril", "triu"):
        for dg in (-1, 0, 1, 3):
            c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), dg], tag=f"d{dg}")
        c.add(op, [spec((2, 3, 3), "int64", 1)], tag="batched")
        c.add(op, [spec((3, 3), "bool", 1)], tag="bool")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((3,), "float32")], tag="1d")
        c.add(op, [spec((3, 3), "float16", 2)], args=[T(0), 1], call="method")
        c.add(op, [spec((3, 3), "float32", 2)], call="inplace")
    for sh, tag in (([2, 3], "same"), ([4, 2, 3], "lead"), ([2, -1], "minus1"),
                    ([3, 3], "bad")):
        c.add("broadcast_to", [spec((2, 1), "float32", 1) if tag != "same" and tag != "lead"
                               else spec((1, 3), "int32", 1)], args=[T(0), sh], tag=tag)
    c.add("broadcast_to", [spec((1, 3), "float32", 1)], args=[T(0), [2, 3]], call="method")


def _index(c, grid):
    x = spec((3, 4), "float32", 1)
    for dt in _dts(grid):
        c.add("gather", [spec((3, 4), dt, 1, "transposed"),
                         spec((3, 2), "int64", 2, domain="idx4")], args=[T(0), 1, T(1)], tag=dt)
    c.add("gather", [x, spec((2, 4), "int64", 2, domain="idx3")], args=[T(0), 0, T(1)], tag="dim0")
    c.add("gather", [x, spec((3, 2), "int64", data=[0, 1, 4, 0, 1, 2])], args=[T(0), 1, T(1)],
          tag="out-of-range")
    c.add("gather", [x, spec((3, 2), "int32", 2, domain="idx4")], args=[T(0), 1, T(1)],
          tag="int32-index")
    c.add("gather", [x, spec((3, 2), "int64", 2, "stepped", "idx4")], args=[T(0), -1, T(1)],
          call="method")
    c.add("take_along_dim", [x, spec((3, 2), "int64", 3, domain="idx4")], args=[T(0), T(1), 1])
    c.add("take_along_dim", [x, spec((1, 4), "int64", 3, domain="idx3")], args=[T(0), T(1), 0],
          tag="dim0")
    c.add("take_along_dim", [x, spec((3, 2), "int64", 3, domain="idx4")], args=[T(0), T(1), 1],
          call="method")
    c.add("take_along_dim", [x, spec((2, 1), "int64", 3, domain="idx3")], args=[T(0), T(1), 0],
          tag="bcast-index")
    c.add("take_along_dim", [spec((3, 1), "float32", 2), spec((2, 4), "int64", 3, domain="idx3")],
          args=[T(0), T(1), 0], tag="bcast-input")
    c.add("take_along_dim", [x, spec((3, 4), "int64", 3, domain="idx3")], args=[T(0), T(1)],
          tag="no-dim")
    perm_index = spec((2, 4), "int64", data=[2, 0, 1, 0, 1, 2, 0, 2])  # distinct per column
    for dt in _dts(grid):
        c.add("scatter", [spec((3, 4), dt, 1), perm_index, spec((2, 4), dt, 2)],
              args=[T(0), 0, T(1), T(2)], tag=dt)
    c.add("scatter", [x, perm_index], args=[T(0), 0, T(1), 1.5], tag="value")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          kwargs={"reduce": "add"}, tag="reduce-add")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          kwargs={"reduce": "multiply"}, tag="reduce-multiply")
    c.add("scatter", [x, perm_index, spec((2, 4), "float64", 3)], args=[T(0), 0, T(1), T(2)],
          tag="dtype-mismatch")
    c.add("scatter", [x, spec((3, 2), "int64", data=[1, 0, 3, 2, 0, 1]),
                      spec((3, 3), "float32", 4, "transposed")], args=[T(0), 1, T(1), T(2)],
          tag="dim1-bigger-src")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          call="method")
    c.add("scatter", [x, perm_index, spec((2, 4), "float32", 3)], args=[T(0), 0, T(1), T(2)],
          call="inplace")
    dup_index = spec((2, 4), "int64", 5, domain="idx3")
    for dt in ("float32", "int64", "float16"):
        c.add("scatter_add", [spec((3, 4), dt, 1), dup_index, spec((2, 4), dt, 2)],
              args=[T(0), 0, T(1), T(2)], tag=dt)
    c.add("scatter_add", [x, spec((3, 2), "int64", 5, domain="idx4"), spec((3, 2), "float32", 1)],
          args=[T(0), 1, T(1), T(2)], tag="dim1")
    c.add("scatter_add", [x, dup_index, spec((2, 4), "float32", 2)], args=[T(0), 0, T(1), T(2)],
          call="method")
    c.add("scatter_add", [x, dup_index, spec((2, 4), "float32", 2)], args=[T(0), 0, T(1), T(2)],
          call="inplace")
    for red in ("sum", "prod", "amax", "amin"):
        for dt in ("float32", "int64"):
            c.add("scatter_reduce", [spec((3, 4), dt, 1), dup_index, spec((2, 4), dt, 2)],
                  args=[T(0), 0, T(1), T(2), red], tag=f"{red}-{dt}")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "sum"], kwargs={"include_self": False}, tag="exclude-self")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "amax"], call="method")
    c.add("scatter_reduce", [x, dup_index, spec((2, 4), "float32", 2)],
          args=[T(0), 0, T(1), T(2), "sum"], call="inplace")
    for dt in _dts(grid):
        c.add("index_select", [spec((3, 4), dt, 1, _layout(DTYPES.index(dt))),
                               spec((5,), "int64", 2, domain="idx3")], args=[T(0), 0, T(1)],
              tag=dt)
    c.add("index_select", [x, spec((3,), "int32", 2, domain="idx4")], args=[T(0), 1, T(1)],
          tag="int32-dim1")
    c.add("index_select", [x, spec((0,), "int64")], args=[T(0), 1, T(1)], tag="empty-index")
    c.add("index_select", [x, spec((2,), "int64", data=[0, 3])], args=[T(0), 0, T(1)],
          tag="out-of-range")
    c.add("index_select", [x, spec((2,), "float32", data=[0.0, 1.0])], args=[T(0), 0, T(1)],
          tag="float-index")
    c.add("index_select", [spec((), "float32", 1), spec((1,), "int64", data=[0])],
          args=[T(0), 0, T(1)], tag="0d")
    c.add("index_select", [x, spec((2,), "int64", data=[3, 1])], args=[T(0), -1, T(1)],
          call="method")
    for dt in _dts(grid):
        c.add("index_copy", [spec((3, 4), dt, 1, _layout(DTYPES.index(dt))),
                             spec((2,), "int64", data=[2, 0]), spec((3, 2), dt, 2)],
              args=[T(0), 1, T(1), T(2)], tag=dt)
    c.add("index_copy", [x, spec((2,), "int64", data=[1, 2]), spec((2, 4), "float32", 3)],
          args=[T(0), 0, T(1), T(2)], call="inplace")
    c.add("index_copy", [x, spec((2,), "int64", data=[0, 1]), spec((2, 4), "float64", 3)],
          args=[T(0), 0, T(1), T(2)], tag="dtype-mismatch")
    for dt in _dts(grid):
        c.add("masked_fill", [spec((2, 3), dt, 1, "transposed"), spec((2, 3), "bool", 2)],
              args=[T(0), T(1), 1 if dt != "bool" else True], tag=dt)
    c.add("masked_fill", [x, spec((4,), "bool", 3)], args=[T(0), T(1), F("-inf")], tag="bcast")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3), spec((), "float32", 4)],
          args=[T(0), T(1), T(2)], tag="0d-value")
    c.add("masked_fill", [x, spec((3, 4), "int64", 3)], args=[T(0), T(1), 0.0], tag="int-mask")
    c.add("masked_fill", [spec((2, 3), "int32", 1), spec((2, 3), "bool", 3)],
          args=[T(0), T(1), 2.5], tag="int-float-value")
    c.add("masked_fill", [spec((4,), "float32", 1), spec((2, 4), "bool", 3)],
          args=[T(0), T(1), 0.0], tag="mask-bigger")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3)], args=[T(0), T(1), -1.0], call="method")
    c.add("masked_fill", [x, spec((3, 4), "bool", 3)], args=[T(0), T(1), -1.0], call="inplace")
    for dt in ("float32", "int8", "bool", "bfloat16"):
        c.add("masked_select", [spec((3, 4), dt, 1, "transposed"), spec((3, 4), "bool", 2)],
              tag=dt)
    c.add("masked_select", [x, spec((4,), "bool", 2)], tag="bcast")
    c.add("masked_select", [spec((4,), "float32", 1), spec((3, 4), "bool", 2)], tag="mask-bigger")
    c.add("masked_select", [x, spec((3, 4), "bool", 2)], call="method")
    c.add("one_hot", [spec((5,), "int64", domain="idx4")])
    c.add("one_hot", [spec((2, 3), "int64", 1, "transposed", "idx3")], args=[T(0), 5],
          tag="classes")
    c.add("one_hot", [spec((3,), "int64", data=[0, 4, 1])], args=[T(0), 3], tag="too-big")
    c.add("one_hot", [spec((3,), "int64", data=[0, -1, 1])], tag="negative")
    c.add("one_hot", [spec((0,), "int64")], args=[T(0), 3], tag="empty")
    c.add("one_hot", [spec((3,), "int32", domain="idx3")], tag="int32")
    for j, dt in enumerate(_dts(grid)):
        dom = "distinct" if dt not in ("bool", "uint8", "int8") else "any"
        st = {"stable": True}
        c.add("sort", [spec((3, 4), dt, j, _layout(j), dom)], kwargs=st, tag=dt)
        c.add("sort", [spec((3, 4), dt, j, "transposed", dom)],
              kwargs={"dim": 0, "descending": True, "stable": True}, tag=f"{dt}-desc-dim0")
    c.add("sort", [spec((9,), "float32", domain="special")], kwargs={"stable": True},
          tag="special")
    c.add("sort", [spec((9,), "float32", domain="special")],
          kwargs={"stable": True, "descending": True}, tag="special-desc")
    c.add("sort", [spec((), "float32", 1)], tag="0d")
    c.add("sort", [spec((0, 3), "float32")], tag="empty")
    c.add("sort", [spec((3, 4), "float32", 3, domain="distinct")], call="method")
    for op in ("argsort", "msort"):
        c.add(op, [spec((3, 4), "float32", 1, "transposed", "distinct")])
        c.add(op, [spec((3, 4), "int64", 2, "stepped", "distinct")], tag="int64")
        c.add(op, [spec((3, 4), "float16", 1, domain="distinct")], call="method")
    c.add("argsort", [spec((3, 4), "int32", 2, domain="distinct")], args=[T(0), 0],
          kwargs={"descending": True}, tag="desc-dim0")
    c.add("argsort", [spec((2, 6), "int8", 2)], kwargs={"stable": True}, tag="ties-stable")
    for j, (k, kw) in enumerate(((2, {}), (1, {"dim": 0}), (3, {"largest": False}), (0, {}),
                                 (5, {}), (4, {"largest": False, "dim": -1}))):
        dt = ("float32", "int64", "float16", "int32", "float32", "bfloat16")[j]
        c.add("topk", [spec((3, 4), dt, j, _layout(j), "distinct")], args=[T(0), k], kwargs=kw,
              tag=f"{dt}-k{k}")
    c.add("topk", [spec((9,), "float32", domain="special")], args=[T(0), 3], tag="special")
    c.add("topk", [spec((3, 4), "float32", 1, domain="distinct")], args=[T(0), 2], call="method")
    for op in ("nonzero", "argwhere"):
        for j, dt in enumerate(("float32", "int64", "bool", "uint8", "float16", "bfloat16")):
            c.add(op, [spec((3, 4), dt, j, _layout(j))], tag=dt)
        c.add(op, [spec((2, 3, 2), "int32", 3)], tag="3d")
        c.add(op, [spec((), "float32", 1)], tag="0d")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((3, 4), "bool", 3)], call="method")
    c.add("nonzero", [spec((3, 4), "bool", 3)], kwargs={"as_tuple": True}, tag="as-tuple")
    if grid:     # the kernels of float64 / int gathers, scatters with reductions, nonzero
        _index_kernels(c)


def _index_kernels(c):
    """Grid cases for the gather/scatter/nonzero kernels: every dtype they serve, an index
    shorter than the input on the other dims, a larger src, views, NaN, wide integers (wrap),
    out-of-range indices, rows past the 16-byte vectors of nonzero."""
    dup = spec((2, 3), "int64", 5, domain="idx3")
    for j, dt in enumerate(("float32", "float64", "int64", "int32")):
        lay = _layout(j)
        dom = "special" if dt.startswith("float") else "wide"
        for red in ("sum", "prod", "amax", "amin", "mean"):
            for incl in (True, False):
                c.add("scatter_reduce", [spec((3, 4), dt, 1, lay, dom), dup,
                                         spec((2, 5), dt, 2, domain=dom)],
                      args=[T(0), 0, T(1), T(2), red], kwargs={"include_self": incl},
                      tag=f"k-{red}-{dt}-{incl}")
        c.add("scatter_add", [spec((4, 3), dt, 1, lay), spec((4, 2), "int64", 5, domain="idx3"),
                              spec((4, 2), dt, 2)], args=[T(0), 1, T(1), T(2)], tag=f"k-{dt}")
        c.add("scatter_add", [spec((3, 4), dt, 1), spec((2, 3), "int64", data=[0, 1, 2, 3, 0, 1]),
                              spec((2, 3), dt, 2)], args=[T(0), 0, T(1), T(2)],
              tag=f"k-out-of-range-{dt}")
        c.add("gather", [spec((3, 5), dt, 1, lay), spec((2, 3), "int64", 2, domain="idx5")],
              args=[T(0), 1, T(1)], tag=f"k-short-{dt}")
        c.add("index_add", [spec((3, 4), dt, 1, lay), spec((3,), "int64", data=[2, 0, 2]),
                            spec((3, 3), dt, 2)], args=[T(0), 1, T(1), T(2)], tag=f"k-{dt}")
    for j, (shape, dt) in enumerate((((5, 40), "bool"), ((3, 2, 33), "float64"),
                                     ((70,), "int32"), ((4, 17), "int64"))):
        c.add("nonzero", [spec(shape, dt, j, _layout(j), "special" if dt == "float64" else
                               "any")], tag=f"k-{dt}-{len(shape)}d")


def _embedding(c, grid):
    for j, dt in enumerate(DTYPES if grid else _GOLDEN_DTYPES):
        c.add("embedding", [spec((2, 3), "int64", j, _layout(j), "idx5"),
                            spec((5, 4), dt, j + 1, _layout(j + 1))], tag=dt)
    w = spec((6, 3), "float32", 1)
    for k, (shape, idt) in enumerate((((), "int64"), ((0,), "int64"), ((7,), "int32"),
                                      ((2, 1, 3), "int64"), ((4,), "int32"))):
        c.add("embedding", [spec(shape, idt, k, "contig", "idx6"), w], tag=f"{idt}-{len(shape)}d")
    c.add("embedding", [spec((3,), "int64", 2, "stepped", "idx6"),
                        spec((6, 3), "float32", 2, "transposed")], tag="strided")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": 2},
          tag="padding")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": -6},
          tag="padding-neg")
    c.add("embedding", [spec((3,), "int64", 1, domain="idx6"), w], kwargs={"padding_idx": 6},
          tag="bad-padding")
    for p in (2.0, 1.0):
        c.add("embedding", [spec((2, 3), "int64", 1, domain="idx6"), spec((6, 3), "float32", 2,
                                                                          domain="wide")],
              kwargs={"max_norm": 1.5, "norm_type": p}, tag=f"max-norm-{p}")
    c.add("embedding", [spec((3,), "int64", data=[0, 6, 1]), w], tag="out-of-range")
    c.add("embedding", [spec((2,), "int32", data=[-1, 0]), w], tag="negative")
    c.add("embedding", [spec((2,), "float32", data=[0.0, 1.0]), w], tag="float-index")
    c.add("embedding", [spec((2,), "int64", data=[0, 1]), spec((6,), "float32", 1)],
          tag="1d-weight")
