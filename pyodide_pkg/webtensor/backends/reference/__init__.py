"""The pure-Python reference backend: the oracle inside Pyodide and the last resort."""
from . import attention as _att, conv as _c, elementwise as _e, index as _i, norm as _norm, \
    quant as _q, random as _rand, reduce as _r, search as _search
from .linear import linear as _linear
from ...ops.backward_ops import REFERENCE as _backward
from ...ops.grid_sample import REFERENCE as _grid
from ...ops.loss import REFERENCE as _loss
from ...ops.norm import REFERENCE as _dist
from ...ops.optim_steps import REFERENCE as _steps

IMPL = {
    "copy": _e.copy, "fill": _e.fill, "arange": _e.arange, "linspace": _e.linspace, "unary": _e.unary, "binary": _e.binary,
    "where": _e.where, "clamp": _e.clamp,
    "reduce": _r.reduce, "cumsum": _r.cumsum, "cumprod": _r.cumprod,
    "softmax": _r.softmax, "log_softmax": _r.log_softmax,
    "matmul": _i.matmul, "gather": _i.gather, "scatter": _i.scatter,
    "index_select": _i.index_select, "nonzero": _i.nonzero, "sort": _i.sort, "linear": _linear,
    "conv2d": _c.conv2d, "max_pool2d": _c.max_pool2d, "avg_pool2d": _c.avg_pool2d,
    "adaptive_avg_pool2d": _c.adaptive_avg_pool2d, "adaptive_max_pool2d": _c.adaptive_max_pool2d,
    "layer_norm": _norm.layer_norm, "rms_norm": _norm.rms_norm, "sdpa": _att.sdpa,
    # as ops: the fused optimizer steps and backward primitives are composites on this backend
    **_steps, **_backward, **_loss, **_grid, **_dist,
    "random": _rand.random,
    **_q.IMPL,
    **_search.IMPL,
}
