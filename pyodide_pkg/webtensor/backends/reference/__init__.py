"""The pure-Python reference backend: the oracle inside Pyodide and the last resort."""
from . import elementwise as _e, index as _i, reduce as _r

IMPL = {
    "copy": _e.copy, "fill": _e.fill, "unary": _e.unary, "binary": _e.binary,
    "where": _e.where, "clamp": _e.clamp,
    "reduce": _r.reduce, "cumsum": _r.cumsum, "cumprod": _r.cumprod,
    "softmax": _r.softmax, "log_softmax": _r.log_softmax,
    "matmul": _i.matmul, "gather": _i.gather, "scatter": _i.scatter,
    "index_select": _i.index_select, "sort": _i.sort,
}

from . import quant as _q  # noqa: E402  (webtensor.quant's primitives)
IMPL.update(_q.IMPL)
