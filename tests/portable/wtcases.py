"""The case catalogue: every op of webtensor.ops.table.OPS called on small deterministic inputs.

cases("golden") is the subset scripts/make_golden.py runs under torch into tests/golden/ops.json;
cases("grid") adds every dtype x layout x shape combination for the WASM-vs-reference check.
A case is JSON-able: {"id", "op", "call" (fn | method | inplace), "inputs": [spec...],
"args" ({"t": i} = inputs[i], {"f": "nan"} = a float, {"dtype": name}), "kwargs", "tol"}.
Pure Python (no numpy / torch): it runs inside Pyodide.
"""
from wtcases_base import TORCH_FUNCTIONAL, _Catalogue  # noqa: F401 (make_golden reads it)
from wtcases_math import _unary, _binary, _clamp_where, _reduce, _linalg
from wtcases_data import _shape, _index, _embedding
from wtcases_nn import _nn, _norm_attention, _pad_interpolate, _losses, _aliases
from wtcases_surface import surface


def cases(level="golden"):
    grid = level == "grid"
    c = _Catalogue()
    _unary(c, grid)
    _binary(c, grid)
    _clamp_where(c, grid)
    _reduce(c, grid)
    _linalg(c, grid)
    _shape(c, grid)
    _index(c, grid)
    _nn(c, grid)
    _norm_attention(c, grid)
    _embedding(c, grid)
    _pad_interpolate(c, grid)
    _losses(c, grid)
    _aliases(c)
    surface(c, grid)
    return c.cases
