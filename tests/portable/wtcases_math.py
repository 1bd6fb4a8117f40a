"""Cases of wtcases.cases(): elementwise (unary, binary, clamp / where), reductions, linalg and
linear. Stdlib only (runs inside Pyodide)."""
from wtcheck import DTYPES, FLOATS, INTS, LAYOUTS, spec
from wtcases_base import (UNARY, BINARY, _POS_DOMAIN, _NEEDS_NONZERO, _GOLDEN_DTYPES, _ARITH,
                          _dts, T, F, DT, _layout)


def _unary(c, grid):
    for op in UNARY:
        dom = "pos" if op in _POS_DOMAIN else "any"
        for j, dt in enumerate(DTYPES):
            lay = _layout(j)
            if not grid and dt not in _GOLDEN_DTYPES:
                continue
            c.add(op, [spec((2, 3), dt, j, lay, dom if dt in FLOATS else "any")], tag=f"{dt}-{lay}")
            if grid:
                grid_shapes = (((), "contig"), ((0, 3), "contig"), ((1,), "offset"),
                               ((2, 3, 4), "transposed"), ((3, 5), "stepped"), ((4, 2), "expanded"))
                for k, (shape, l2) in enumerate(grid_shapes):
                    c.add(op, [spec(shape, dt, j + k, l2, dom if dt in FLOATS else "any")],
                          tag=f"{dt}-{l2}-{len(shape)}d")
        c.add(op, [spec((9,), "float32", 1, domain="special")], tag="special")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((), "float64", 2, domain=dom)], tag="0d")
        if grid or op in ("exp", "abs", "sigmoid", "round", "bitwise_not"):
            c.add(op, [spec((3, 2), "float32", 3, "transposed", dom)], call="method")
        if op != "logical_not":
            c.add(op, [spec((2, 3), "float32", 4, "contig", dom)], call="inplace")
            if grid or op in ("neg", "exp", "floor", "bitwise_not", "sqrt", "relu", "sign"):
                c.add(op, [spec((2, 3), "int32", 4, "contig", dom)], call="inplace", tag="int32")
    c.add("gelu", [spec((7,), "float32", 5)], kwargs={"approximate": "tanh"}, tag="tanh")
    c.add("round", [spec((6,), "float32", data=[1.2345, -2.5551, 0.125, 2.5, 3.5, -0.005])],
          kwargs={"decimals": 2}, tag="decimals")
    c.add("round", [spec((4,), "float32", data=[0.5, 1.5, 2.5, -0.5])], tag="half-even")
    c.add("exp", [spec((4,), "float32", data=[100.0, -100.0, 88.5, -0.0])], tag="overflow")
    c.add("exp", [spec((4,), "float16", data=[12.0, -20.0, 1.5, 11.0])], tag="f16-overflow")


def _binary_pair(op, dt, seed, lay, shape_b=(2, 3), lay_b="contig"):
    dom_b = "nonzero" if op in _NEEDS_NONZERO else "any"
    dom_a = "any"
    if op == "pow":
        dom_b = "idx4" if dt in INTS or dt == "bool" else "any"
        dom_a = "pos" if dt in FLOATS else "any"
    return [spec((2, 3), dt, seed, lay, dom_a), spec(shape_b, dt, seed + 7, lay_b, dom_b)]


def _binary(c, grid):
    extra = (("rsub", False), ("floor_divide", False))
    for op in BINARY + tuple(o for o, _ in extra):
        for j, dt in enumerate(DTYPES):
            lay = _layout(j)
            if not (grid or dt in _GOLDEN_DTYPES and (op in _ARITH or dt != "bfloat16")):
                continue
            c.add(op, _binary_pair(op, dt, j, lay), tag=f"{dt}-{lay}")
            if grid:
                for l2 in LAYOUTS:
                    c.add(op, _binary_pair(op, dt, j + 1, l2, (3,), "contig"),
                          tag=f"{dt}-{l2}-bcast")
        dom_b = "nonzero" if op in _NEEDS_NONZERO else "any"
        c.add(op, [spec((2, 1, 3), "float32", 1), spec((4, 1), "float32", 2, domain=dom_b)],
              tag="bcast")
        c.add(op, [spec((9,), "float32", 1, domain="special"),
                   spec((9,), "float32", 5, "offset", "special")], tag="special")
        arith = op in _ARITH or grid
        if arith or op in ("eq", "logical_and", "bitwise_or", "maximum"):
            c.add(op, [spec((0, 3), "float32"), spec((3,), "float32", 1, domain=dom_b)],
                  tag="empty")
        for a, b in (("int32", "float16"), ("uint8", "int8"), ("bool", "float32"),
                     ("int64", "bfloat16"), ("float16", "bfloat16"), ("int8", "int64")):
            if arith or (a, b) == ("uint8", "int8"):
                c.add(op, [spec((2, 3), a, 3), spec((3,), b, 4, domain="nonzero")],
                      tag=f"{a}-{b}")
        for s, dt in ((2.5, "int64"), (3, "uint8"), (True, "int32"), (2, "float16"),
                      (-1.5, "bfloat16")):
            if arith or dt == "int64" and op in ("eq", "lt", "bitwise_and"):
                c.add(op, [spec((2, 3), dt, 6)], args=[T(0), s], tag=f"scalar-{dt}")
        if arith:
            c.add(op, [spec((2, 3), "int32", 5), spec((), "float64", 6, domain="nonzero")],
                  tag="0d-float64")
            c.add(op, [spec((2, 3), "float16", 5), spec((), "float64", 6, domain="nonzero")],
                  tag="0d-same-category")
            c.add(op, [spec((3, 2), "float32", 8, "transposed"),
                       spec((3, 2), "float32", 9, domain=dom_b)], call="method")
        if op != "rsub":
            for dt in ("float32", "int64", "uint8"):
                if grid or op in _ARITH or dt == "int64":
                    c.add(op, _binary_pair(op, dt, 10, "contig"), call="inplace", tag=dt)
            c.add(op, [spec((2, 3), "int32", 11), spec((3,), "float32", 12, domain="nonzero")],
                  call="inplace", tag="int-float")
    c.add("add", [spec((2, 3), "int8", 1, domain="wide"), spec((2, 3), "int8", 2, domain="wide")],
          tag="wrap")
    c.add("mul", [spec((2, 3), "uint8", 1, domain="wide"),
                  spec((2, 3), "uint8", 2, domain="wide")], tag="wrap")
    c.add("mul", [spec((2, 3), "int64", 1, domain="wide"),
                  spec((2, 3), "int64", 2, domain="wide")], tag="wrap64")
    c.add("add", [spec((2, 3), "float32"), spec((2, 3), "float32", 1)], kwargs={"alpha": 2},
          tag="alpha")
    c.add("sub", [spec((2, 3), "int64"), spec((2, 3), "int64", 1)], kwargs={"alpha": 3},
          tag="alpha")
    c.add("add", [spec((2, 3), "uint8")], args=[T(0), 300], tag="uint8-overflow-scalar")
    for mode in ("trunc", "floor"):
        for dt in ("float32", "int64", "int8"):
            c.add("div", [spec((2, 3), dt, 3), spec((2, 3), dt, 4, domain="nonzero")],
                  kwargs={"rounding_mode": mode}, tag=f"{mode}-{dt}")
    c.add("div", [spec((3,), "int64"), spec((3,), "int64", data=[0, 1, 2])],
          kwargs={"rounding_mode": "floor"}, tag="int-zero")
    c.add("remainder", [spec((3,), "int32"), spec((3,), "int32", data=[0, 1, 2])], tag="int-zero")
    c.add("pow", [spec((3,), "int64", data=[2, 3, -2]), spec((3,), "int64", data=[-1, 2, 3])],
          tag="int-negative-exp")
    c.add("pow", [spec((4,), "float32", data=[0.0, -2.0, 2.0, -0.0])], args=[T(0), -1.5],
          tag="scalar-exp")
    c.add("square", [spec((2, 3), "float32", 1)])
    c.add("square", [spec((2, 3), "int8", 1, domain="wide")], tag="int8-wrap")
    c.add("square", [spec((2, 3), "bool", 1)], tag="bool")
    c.add("square", [spec((3, 2), "float16", 2, "transposed")], call="method")
    c.add("square", [spec((2, 3), "float64", 3)], call="inplace")
    for dt in ("float32", "float64", "float16", "bfloat16"):
        c.add("lerp", [spec((2, 3), dt, 1), spec((2, 3), dt, 2)], args=[T(0), T(1), 0.25],
              tag=dt)
    c.add("lerp", [spec((2, 3), "float32", 1), spec((3,), "float32", 2),
                   spec((2, 1), "float32", 3, domain="unit")], tag="tensor-weight")
    c.add("lerp", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)],
          args=[T(0), T(1), 0.75], call="method")
    c.add("lerp", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)],
          args=[T(0), T(1), 0.5], call="inplace")


def _clamp_where(c, grid):
    for dt in _dts(grid):
        lo, hi = (-1.25, 1.5) if dt in FLOATS else (-2, 5) if dt != "bool" else (False, True)
        c.add("clamp", [spec((2, 3), dt, 1)], args=[T(0), lo, hi], tag=dt)
        c.add("clamp_min", [spec((2, 3), dt, 2, "stepped")], args=[T(0), lo], tag=dt)
        c.add("clamp_max", [spec((2, 3), dt, 3, "transposed")], args=[T(0), hi], tag=dt)
    c.add("clamp", [spec((9,), "float32", domain="special")], args=[T(0), -1.0, 1.0],
          tag="special")
    c.add("clamp", [spec((2, 3), "int64")], args=[T(0), 0.5], tag="int-float-bound")
    c.add("clamp", [spec((2, 3), "float32")], kwargs={"max": 0.5}, args=[T(0)], tag="max-only")
    c.add("clamp", [spec((2, 3), "float32"), spec((3,), "float32", 1), spec((2, 1), "float32", 2)],
          args=[T(0), T(1), T(2)], tag="tensor-bounds")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), 2.0, -2.0], tag="min-gt-max")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), F("nan"), 1.0], tag="nan-bound")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0)], tag="no-bounds")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), -1.0, 1.0], call="method")
    c.add("clamp", [spec((2, 3), "float32")], args=[T(0), -1.0, 1.0], call="inplace")
    c.add("clamp", [spec((2, 3), "int32")], args=[T(0), -1.5, 1.0], call="inplace", tag="int")
    c.add("clamp_min", [spec((2, 3), "float16")], args=[T(0), 0.0], call="inplace")
    c.add("clamp_max", [spec((2, 3), "bfloat16")], args=[T(0), 0.0], call="inplace")
    for dt in _dts(grid):
        c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), dt, 2, "transposed"),
                        spec((3,), dt, 3)], tag=dt)
    c.add("where", [spec((2, 1), "bool", 1), spec((3,), "int32", 2), spec((2, 3), "float16", 3)],
          tag="promote-bcast")
    c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), "int64", 2)], args=[T(0), T(1), 0.5],
          tag="scalar-other")
    c.add("where", [spec((2, 3), "bool", 1)], args=[T(0), 1.0, 0.0], tag="scalars")
    c.add("where", [spec((2, 3), "bool", 1)], args=[T(0)], tag="nonzero-form")
    c.add("where", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2),
                    spec((2, 3), "float32", 3)], tag="float-cond")
    c.add("where", [spec((2, 3), "bool", 1), spec((2, 3), "float32", 2),
                    spec((2, 3), "float32", 3)], args=[T(1), T(0), T(2)], call="method")
    for op in ("isnan", "isinf", "isfinite"):
        c.add(op, [spec((9,), "float32", domain="special")], tag="f32")
        c.add(op, [spec((9,), "float16", domain="special")], tag="f16")
        c.add(op, [spec((9,), "bfloat16", 1, domain="special")], tag="bf16")
        c.add(op, [spec((3, 3), "float64", 2, "transposed", "special")], call="method")
        for dt in ("int64", "uint8", "bool"):
            c.add(op, [spec((2, 3), dt, 1)], tag=dt)


def _reduce(c, grid):
    shape = (2, 3, 4)
    dims = (None, 0, -1, (0, 2), (1,))
    for op in ("sum", "mean", "prod", "amax", "amin", "logsumexp", "all", "any", "count_nonzero"):
        for j, dt in enumerate(_dts(grid)):
            lay = _layout(j)
            d = 1 if op == "logsumexp" else None
            c.add(op, [spec(shape, dt, j, lay, "near1" if op == "prod" else "any")],
                  args=[T(0)] + ([d] if d is not None else []), tag=f"{dt}-{lay}")
        for k, d in enumerate(dims):
            if d is None and op == "logsumexp":
                continue
            for keep in ((False, True) if grid else (k % 2 == 1,)):
                dt = ("float32", "float64", "float16", "bfloat16", "int32")[k]
                kw = {} if op == "count_nonzero" else {"keepdim": keep}
                args = [T(0)] if d is None else [T(0), d if not isinstance(d, tuple) else list(d)]
                if d is None and op in ("sum", "mean", "prod", "all", "any", "count_nonzero"):
                    kw = {}
                c.add(op, [spec(shape, dt, k, _layout(k + 1), "near1" if op == "prod" else "any")],
                      args=args, kwargs=kw, tag=f"dim{d}-keep{keep}-{dt}")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 0], tag="empty-dim0")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty-dim1")
        c.add(op, [spec((), "float32", 3)], args=[T(0)] + ([0] if op == "logsumexp" else []),
              tag="0d")
        c.add(op, [spec((9,), "float32", domain="special")],
              args=[T(0)] + ([0] if op == "logsumexp" else []), tag="special")
        c.add(op, [spec((3, 4), "float32", 2, "transposed")],
              args=[T(0)] + ([1] if op == "logsumexp" else []), call="method")
    for op in ("sum", "mean", "prod"):
        c.add(op, [spec((2, 3), "int32", 1)], args=[T(0), 1], kwargs={"dtype": DT("float64")},
              tag="dtype-kw")
        c.add(op, [spec((2, 3), "float16", 1)], args=[T(0)], kwargs={"dtype": DT("float32")},
              tag="dtype-kw-f16")
    c.add("sum", [spec((2, 3), "int8", 1, domain="wide")], args=[T(0)], tag="int8-no-wrap")
    c.add("sum", [spec((0,), "float32")], args=[T(0)], tag="empty-all")
    c.add("mean", [spec((0,), "float32")], args=[T(0)], tag="empty-all")
    c.add("prod", [spec((0, 2), "int64")], args=[T(0), 0], tag="empty-int")
    c.add("amax", [spec((0, 3), "float32")], args=[T(0)], tag="empty-all")
    for op in ("argmax", "argmin"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec(shape, dt, j, _layout(j))], tag=f"{dt}")
        for d, keep in ((0, False), (1, True), (-1, False), (None, True)):
            c.add(op, [spec(shape, "float32", 2, "transposed")], args=[T(0), d],
                  kwargs={"keepdim": keep}, tag=f"dim{d}-keep{keep}")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((), "int64", 1)], tag="0d")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty-dim1")
        c.add(op, [spec((3, 4), "int32", 1, "stepped")], args=[T(0), 1], call="method")
    for op in ("max", "min"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec(shape, dt, j, _layout(j))], tag=dt)
            c.add(op, [spec(shape, dt, j + 1, _layout(j + 1))], args=[T(0), 1], tag=f"dim-{dt}")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), -1], kwargs={"keepdim": True},
              tag="keepdim")
        c.add(op, [spec((2, 3), "float32", 1), spec((3,), "float32", 2)], tag="binary-form")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special-dim")
        c.add(op, [spec((0, 3), "float32")], tag="empty")
        c.add(op, [spec((3, 4), "float16", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("var", "std", "var_mean", "std_mean"):
        for dt in FLOATS + ("int64",):
            c.add(op, [spec(shape, dt, 1, "stepped")], tag=dt)
        c.add(op, [spec(shape, "float32", 2)], args=[T(0), 1], tag="dim")
        c.add(op, [spec(shape, "float64", 2)], args=[T(0), [0, 2]], kwargs={"keepdim": True},
              tag="dims-keepdim")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), 1], kwargs={"correction": 0},
              tag="correction0")
        c.add(op, [spec(shape, "float32", 3)], args=[T(0), 1], kwargs={"unbiased": False},
              tag="unbiased-false")
        c.add(op, [spec((1, 3), "float32", 3)], args=[T(0), 0], tag="single")
        c.add(op, [spec((9,), "float32", domain="special")], tag="special")
        if op in ("var", "std"):
            c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), 0], call="method")
    for op in ("cumsum", "cumprod"):
        for j, dt in enumerate(_dts(grid)):
            c.add(op, [spec((2, 5), dt, j, _layout(j), "near1" if op == "cumprod" else "any")],
                  args=[T(0), 1], tag=dt)
        c.add(op, [spec((3, 4), "float32", 1, "transposed")], args=[T(0), 0], tag="dim0")
        c.add(op, [spec((2, 3), "int32", 1)], args=[T(0), -1], kwargs={"dtype": DT("float32")},
              tag="dtype-kw")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special")
        c.add(op, [spec((), "float32", 1)], args=[T(0), 0], tag="0d")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 0], tag="empty")
        c.add(op, [spec((3, 4), "float32", 2)], args=[T(0), 1], call="method")
    for op in ("softmax", "log_softmax"):
        for dt in FLOATS:
            for d in (0, -1):
                c.add(op, [spec((3, 4), dt, 1, "transposed")], args=[T(0), d], tag=f"{dt}-{d}")
        c.add(op, [spec((2, 3, 4), "float32", 2, "stepped")], args=[T(0), 1], tag="3d")
        c.add(op, [spec((2, 3), "float32", 2, domain="wide")], args=[T(0), 1], tag="large")
        c.add(op, [spec((9,), "float32", domain="special")], args=[T(0), 0], tag="special")
        c.add(op, [spec((3,), "float32", data=["-inf", 0.0, 1.0])], args=[T(0), 0], tag="neginf")
        c.add(op, [spec((2, 3), "int64", 1)], args=[T(0), 1], tag="int")
        c.add(op, [spec((2, 3), "int64", 1)], args=[T(0), 1], kwargs={"dtype": DT("float32")},
              tag="int-dtype-kw")
        c.add(op, [spec((2, 3), "float16", 1)], args=[T(0), 1], kwargs={"dtype": DT("float32")},
              tag="f16-dtype-kw")
        c.add(op, [spec((), "float32", 1)], args=[T(0), 0], tag="0d")
        c.add(op, [spec((0, 3), "float32")], args=[T(0), 1], tag="empty")
        c.add(op, [spec((3, 4), "float32", 3)], args=[T(0), 1], call="method")


def _linalg(c, grid):
    mm_tol = {"float16": (2e-3, 2e-2), "bfloat16": (2e-2, 1e-1)}
    for dt in DTYPES:
        c.add("matmul", [spec((2, 3), dt, 1), spec((3, 4), dt, 2, "transposed")], tag=dt,
              tol=mm_tol.get(dt))
        c.add("mm", [spec((3, 2), dt, 3, "transposed"), spec((2, 2), dt, 4, "stepped")], tag=dt,
              tol=mm_tol.get(dt))
    shapes = (((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 2, 3), (3, 4)),
              ((2, 1, 2, 3), (3, 3, 2)), ((4,), (2, 4, 3)), ((2, 0), (0, 3)), ((0, 2), (2, 3)),
              ((1, 2, 3), (2, 3, 2)))
    for k, (sa, sb) in enumerate(shapes):
        for dt in ("float32", "int64") if not grid else ("float32", "float64", "int64", "int32",
                                                         "float16", "uint8"):
            c.add("matmul", [spec(sa, dt, k, _layout(k)), spec(sb, dt, k + 1, _layout(k + 2))],
                  tag=f"{dt}-{len(sa)}d-{len(sb)}d", tol=mm_tol.get(dt))
    c.add("matmul", [spec((2, 3), "float32"), spec((4, 2), "float32", 1)], tag="mismatch")
    c.add("matmul", [spec((2, 3), "float32"), spec((3, 2), "float64", 1)], tag="mixed-dtype")
    c.add("matmul", [spec((), "float32"), spec((3,), "float32", 1)], tag="0d")
    c.add("matmul", [spec((3, 4), "float32", 9, domain="special"), spec((4, 2), "float32", 2)],
          tag="special")
    c.add("matmul", [spec((2, 3), "float32"), spec((3, 2), "float32", 1)], call="method")
    c.add("bmm", [spec((2, 3, 4), "float32", 1, "transposed"), spec((2, 4, 2), "float32", 2)])
    c.add("bmm", [spec((2, 3, 4), "int64", 1), spec((2, 4, 2), "int64", 2, "expanded")],
          tag="int64")
    c.add("bmm", [spec((2, 3, 4), "float32", 1), spec((3, 4, 2), "float32", 2)],
          tag="batch-mismatch")
    c.add("bmm", [spec((3, 4), "float32", 1), spec((4, 2), "float32", 2)], tag="2d")
    c.add("mm", [spec((3,), "float32", 1), spec((3, 2), "float32", 2)], tag="1d")
    c.add("mm", [spec((2, 3), "float32", 1), spec((2, 3), "float32", 2)], tag="mismatch")
    for dt in ("float32", "float64", "int64", "float16"):
        c.add("dot", [spec((5,), dt, 1, "stepped"), spec((5,), dt, 2, "offset")], tag=dt,
              tol=mm_tol.get(dt))
        c.add("mv", [spec((3, 5), dt, 1, "transposed"), spec((5,), dt, 2)], tag=dt,
              tol=mm_tol.get(dt))
        c.add("outer", [spec((3,), dt, 1), spec((4,), dt, 2, "stepped")], tag=dt)
    c.add("dot", [spec((3,), "float32"), spec((4,), "float32")], tag="mismatch")
    c.add("dot", [spec((2, 3), "float32"), spec((3,), "float32")], tag="2d")
    c.add("outer", [spec((3,), "int32"), spec((2,), "float32")], tag="promote")
    c.add("outer", [spec((0,), "float32"), spec((2,), "float32")], tag="empty")
    c.add("dot", [spec((3,), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("mv", [spec((2, 3), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("outer", [spec((2,), "float32"), spec((3,), "float32", 1)], call="method")
    c.add("mm", [spec((2, 3), "float32"), spec((3, 2), "float32", 1)], call="method")
    c.add("bmm", [spec((1, 2, 3), "float32"), spec((1, 3, 2), "float32", 1)], call="method")
    _linear(c, grid, mm_tol)


def _linear(c, grid, mm_tol):
    # (input, weight, bias): both kernel forms (m < 4 rows: dot products; else packed),
    # batched input, 1-D input / weight, bias forms
    shapes = (((3, 4), (5, 4), (5,)), ((1, 7), (9, 7), (9,)), ((2, 7), (9, 7), None),
              ((6, 5), (10, 5), (10,)), ((2, 3, 4), (5, 4), (5,)), ((4,), (3, 4), (3,)),
              ((2, 4), (4,), None), ((2, 4), (4,), ()), ((3, 0), (2, 0), (2,)),
              ((0, 4), (2, 4), (2,)), ((5, 3), (2, 3), (5, 2)))
    for k, (sx, sw, sb) in enumerate(shapes):
        for dt in ("float32", "float64", "int64", "float16") if grid else ("float32",):
            ins = [spec(sx, dt, k, _layout(k)), spec(sw, dt, k + 1, _layout(k + 1))]
            if sb is not None:
                ins.append(spec(sb, dt, k + 2))
            c.add("linear", ins, tag=f"{dt}-{len(sx)}d-{len(sw)}d" +
                  ("" if sb is None else f"-b{len(sb)}d"), tol=mm_tol.get(dt))
    c.add("linear", [spec((2, 4), "float32"), spec((5, 3), "float32", 1)], tag="mismatch")
    c.add("linear", [spec((), "float32"), spec((5, 3), "float32", 1)], tag="0d")
    c.add("linear", [spec((2, 4), "float32"), spec((5, 4), "float64", 1)], tag="mixed-dtype")
    c.add("linear", [spec((2, 4), "float32"), spec((5, 4), "float32", 1),
                     spec((4,), "float32", 2)], tag="bias-mismatch")
    c.add("linear", [spec((3, 4), "float32", 9, domain="special"), spec((2, 4), "float32", 2)],
          tag="special")
