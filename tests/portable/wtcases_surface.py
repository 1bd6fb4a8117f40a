"""Cases for the ops that fill the torch surface model files use (scripts/torch_surface.py):
the composites of ops/elementwise.py, ops/index_put.py, ops/unique.py, diff / meshgrid /
pixel_shuffle, nansum / nanmean, cosine_similarity / pairwise_distance. Added to
wtcases.cases() by `surface(c, grid)`; stdlib only (runs inside Pyodide)."""
from wtcheck import DTYPES, LAYOUTS, spec


def T(i):
    return {"t": i}


def _elementwise(c, grid):
    dts = DTYPES if grid else ("float32", "float16", "int64", "bool")
    for j, dt in enumerate(dts):
        lay = LAYOUTS[j % len(LAYOUTS)]
        for op in ("trunc", "frac", "isposinf", "isneginf"):
            c.add(op, [spec((2, 3), dt, j, lay, "special" if dt != "bool" else "any")],
                  tag=f"{dt}-{lay}")
        for op in ("fmod", "xlogy"):
            c.add(op, [spec((2, 3), dt, j, lay), spec((3,), dt, j + 1, domain="nonzero")],
                  tag=f"{dt}-{lay}")
        for op in ("addcmul", "addcdiv"):
            c.add(op, [spec((2, 3), dt, j, lay), spec((3,), dt, j + 1, domain="nonzero"),
                       spec((2, 1), "float32", j + 2, domain="nonzero")],
                  kwargs={"value": 2}, tag=f"{dt}-{lay}")
    sp = [spec((9,), "float32", 1, domain="special"), spec((9,), "float32", 5, "offset",
                                                             "special")]
    for op in ("fmod", "xlogy"):
        c.add(op, sp, tag="special")
        c.add(op, [spec((2, 3), "float32", 3)], args=[T(0), 2.5], tag="scalar")
        c.add(op, [spec((2, 3), "float32", 4), spec((2, 3), "float32", 5, domain="pos")],
              call="inplace")
    c.add("fmod", [spec((2, 3), "int32", 1), spec((3,), "int32", data=[0, 1, 2])],
          tag="int-zero")
    for op in ("trunc", "frac"):
        c.add(op, [spec((3, 2), "float32", 6, "transposed", "special")], call="method")
        c.add(op, [spec((2, 3), "float64", 7)], call="inplace")
    c.add("addcmul", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2),
                      spec((2, 3), "float32", 3)], kwargs={"value": -0.5}, call="inplace")
    c.add("addcdiv", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2),
                      spec((2, 3), "float32", 3, domain="nonzero")], call="method")
    c.add("add", [spec((2, 3), "int64", 1)], args=[T(0), 1], kwargs={"alpha": 3},
          tag="scalar-alpha")
    c.add("sub", [spec((2, 3), "float32", 1)], args=[T(0), 1.5], kwargs={"alpha": 2},
          call="method", tag="scalar-alpha")
    c.add("fix", [spec((2, 3), "float32", 2, domain="special")])


def _index(c, grid):
    for j, dt in enumerate(DTYPES if grid else ("float32", "int64", "float16")):
        x = spec((3, 4), dt, j, LAYOUTS[j % len(LAYOUTS)])
        i = spec((3,), "int64", data=[3, 0, 3])
        c.add("index_add", [x, i, spec((3, 3), dt, j + 1)], args=[T(0), 1, T(1), T(2)],
              tag=dt)
        c.add("index_fill", [x, spec((2,), "int64", data=[-1, 0])], args=[T(0), 0, T(1), 2],
              tag=dt)
        c.add("index_put", [x, spec((2,), "int64", data=[2, 0]), spec((2,), "int64",
                                                                     data=[1, 1]),
                            spec((2,), dt, j + 2)],
              args=[T(0), {"tuple": [T(1), T(2)]}, T(3)], kwargs={"accumulate": True}, tag=dt)
        c.add("masked_scatter", [x, spec((4,), "bool", j), spec((12,), dt, j + 3)], tag=dt)
    x = spec((3, 4), "float32", 1)
    c.add("index_add", [x, spec((2,), "int64", data=[1, 1]), spec((3, 2), "float32", 2)],
          args=[T(0), 1, T(1), T(2)], kwargs={"alpha": -2}, call="inplace")
    c.add("index_add", [x, spec((2,), "int64", data=[1, 5]), spec((3, 2), "float32", 2)],
          args=[T(0), 1, T(1), T(2)], tag="out-of-range")
    c.add("index_fill", [x, spec((1,), "int64", data=[2])], args=[T(0), 1, T(1), -1.5],
          call="inplace")
    c.add("index_put", [x, spec((3,), "bool", data=[True, False, True]), spec((4,), "float32")],
          args=[T(0), {"tuple": [T(1)]}, T(2)], call="inplace", tag="mask")
    c.add("masked_scatter", [x, spec((3, 4), "bool", 2), spec((3, 4), "float32", 3)],
          call="method")
    c.add("masked_scatter", [x, spec((3, 4), "bool", 2, domain="nonzero"),
                             spec((5,), "float32", 3)], tag="too-few")


def _host(c, grid):
    for j, dt in enumerate(DTYPES if grid else ("float32", "int64", "bool")):
        x = spec((3, 4), dt, j, LAYOUTS[j % len(LAYOUTS)], "idx3" if dt != "bool" else "any")
        c.add("unique", [x], kwargs={"return_inverse": True, "return_counts": True}, tag=dt)
        c.add("unique", [x], kwargs={"dim": 1}, tag=f"{dt}-dim")
        c.add("unique_consecutive", [x], kwargs={"return_counts": True}, tag=dt)
        c.add("unique_consecutive", [x], kwargs={"return_inverse": True, "dim": 0},
              tag=f"{dt}-dim")
    c.add("unique", [spec((9,), "float32", 1, domain="special")], call="method", tag="special")
    c.add("isin", [spec((2, 3), "int64", 1, domain="idx5"), spec((3,), "int64", 2,
                                                                 domain="idx5")])
    c.add("isin", [spec((2, 3), "float32", 1), spec((4,), "int32", 2)],
          kwargs={"invert": True}, tag="invert")
    c.add("isin", [spec((5,), "int64", 1, domain="idx4")], args=[T(0), 2], tag="scalar")
    for dt in ("float32", "float64"):
        c.add("histc", [spec((20,), dt, 1, domain="special")], kwargs={"bins": 6, "min": -2,
                                                                       "max": 2}, tag=dt)
    c.add("histc", [spec((4, 5), "float32", 2)], kwargs={"bins": 4}, call="method")
    c.add("histc", [spec((4,), "int64", 2)], tag="int")
    c.add("bincount", [spec((12,), "int64", 1, domain="idx5")])
    c.add("bincount", [spec((12,), "int32", 2, domain="idx5"), spec((12,), "float32", 3)],
          kwargs={"minlength": 8}, tag="weights")
    c.add("bincount", [spec((6,), "int64", 2, domain="idx4"), spec((6,), "float64", 4)],
          call="method", tag="method-f64")
    c.add("bincount", [spec((3,), "float32", 1)], tag="float-refused")


def _shape(c, grid):
    for j, dt in enumerate(DTYPES if grid else ("float32", "int64", "bool")):
        x = spec((3, 5), dt, j, LAYOUTS[j % len(LAYOUTS)])
        c.add("diff", [x], kwargs={"n": 2}, tag=dt)
        c.add("diff", [x, spec((3, 1), dt, j + 1)], args=[T(0)],
              kwargs={"dim": 1, "prepend": T(1), "append": T(1)}, tag=f"{dt}-pend")
        c.add("meshgrid", [spec((3,), dt, j), spec((2,), dt, j + 1)],
              kwargs={"indexing": "xy"}, tag=dt)
    c.add("diff", [spec((4, 3), "float32", 1)], args=[T(0), 1, 0], call="method")
    c.add("meshgrid", [spec((3,), "float32", 1), spec((), "float32", 2),
                       spec((2,), "float32", 3)], kwargs={"indexing": "ij"}, tag="ij")
    c.add("pixel_shuffle", [spec((2, 8, 2, 3), "float32", 1)], args=[T(0), 2])
    c.add("pixel_shuffle", [spec((9, 2, 1), "int64", 1, "transposed")], args=[T(0), 3],
          tag="3d")
    c.add("pixel_shuffle", [spec((5, 2, 2), "float32", 1)], args=[T(0), 2], tag="bad-channels")
    c.add("pixel_unshuffle", [spec((2, 2, 4, 6), "float32", 1)], args=[T(0), 2])
    c.add("pixel_unshuffle", [spec((1, 5, 4), "float32", 1)], args=[T(0), 2], tag="bad-height")


def _reduce_norm(c, grid):
    for op in ("nansum", "nanmean"):
        c.add(op, [spec((3, 4), "float32", 1, domain="special")])
        c.add(op, [spec((3, 4), "float64", 2, "transposed", "special")], args=[T(0), 1, True],
              call="method")
    c.add("nansum", [spec((3, 4), "int32", 3)], args=[T(0), 0], tag="int")
    c.add("nanmean", [spec((3, 4), "int64", 3)], tag="int")
    c.add("cosine_similarity", [spec((4, 5), "float32", 1), spec((1, 5), "float32", 2)],
          tol=(1e-5, 1e-6))
    c.add("cosine_similarity", [spec((4, 5), "float64", 1), spec((4, 5), "float64", 2, "transposed")],
          kwargs={"dim": 0, "eps": 1e-3}, tag="dim0", tol=(1e-5, 1e-6))
    c.add("pairwise_distance", [spec((4, 5), "float32", 1), spec((4, 5), "float32", 2)],
          kwargs={"p": 1.5, "keepdim": True}, tol=(1e-5, 1e-6))


def _more(c, grid):
    x = spec((2, 3), "float32", 1)
    c.add("put", [x, spec((3,), "int64", data=[1, -1, 1]), spec((3,), "float32", 2)],
          kwargs={"accumulate": True})
    c.add("put", [x, spec((2,), "int64", data=[5, 0]), spec((2,), "float32", 2)],
          call="inplace")
    c.add("put", [x, spec((2,), "int64", data=[6, 0]), spec((2,), "float32", 2)],
          tag="out-of-range")
    c.add("unravel_index", [spec((5,), "int64", data=[4, -1, 5, 6, 0])], args=[T(0), [2, 3]])
    b = spec((5,), "float32", data=[-1.0, 0.0, 0.5, 0.5, 2.0])
    for right in (False, True):
        c.add("searchsorted", [b, spec((2, 3), "float32", 3)], kwargs={"right": right},
              tag=f"right-{right}")
        c.add("bucketize", [spec((2, 3), "float32", 3), b],
              kwargs={"right": right, "out_int32": True}, tag=f"right-{right}")
    c.add("searchsorted", [spec((2, 4), "int64", data=[1, 3, 5, 7, 2, 4, 6, 8]),
                           spec((2, 3), "int64", data=[0, 3, 9, 4, 5, 8])], tag="rows")
    for p in (2.0, 1.0, 0.0):
        c.add("cdist", [spec((2, 4, 3), "float32", 1), spec((2, 5, 3), "float32", 2)],
              kwargs={"p": p}, tag=f"p{p}", tol=(1e-5, 1e-5))
    for dt in (("float32", "int64") if not grid else DTYPES):
        c.add("unfold", [spec((2, 3, 5, 4), dt, 1)],
              kwargs={"kernel_size": [2, 3], "padding": 1, "stride": [2, 1]}, tag=dt)
    c.add("unfold", [spec((3, 4, 4), "float32", 1, "transposed")],
          kwargs={"kernel_size": 2, "dilation": 2}, tag="unbatched")
    c.add("fold", [spec((2, 12, 6), "float32", 1)],
          kwargs={"output_size": [3, 4], "kernel_size": 2}, tol=(1e-6, 1e-6))
    c.add("fold", [spec((2, 12, 5), "float32", 1)],
          kwargs={"output_size": [3, 4], "kernel_size": 2}, tag="bad-blocks")
    grid_ = spec((2, 3, 4, 2), "float32", 4, domain="unit")
    for mode in ("bilinear", "nearest"):
        for pm in ("zeros", "border", "reflection"):
            c.add("grid_sample", [spec((2, 3, 5, 6), "float32", 1), grid_],
                  kwargs={"mode": mode, "padding_mode": pm, "align_corners": pm == "border"},
                  tag=f"{mode}-{pm}", tol=(1e-5, 1e-5))


def surface(c, grid):
    _more(c, grid)
    _elementwise(c, grid)
    _index(c, grid)
    _host(c, grid)
    _shape(c, grid)
    _reduce_norm(c, grid)
