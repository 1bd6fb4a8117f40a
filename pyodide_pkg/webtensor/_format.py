"""torch-like repr: tensor([[1., 2.], [3., 4.]]), dtype suffix when not the default."""
import math

from . import _dtype as D

_EDGE = 3
_THRESHOLD = 1000


def _fmt_float(vals):
    finite = [abs(v) for v in vals if math.isfinite(v)]
    if finite and all(v == int(v) for v in finite) and max(finite) < 1e8:
        return lambda v: ("%.0f." % v) if math.isfinite(v) else _nonfinite(v)
    nz = [v for v in finite if v != 0]
    if nz and (max(nz) >= 1e8 or min(nz) < 1e-4 or max(nz) / min(nz) > 1e3 and max(nz) > 1e3):
        return lambda v: ("%.4e" % v) if math.isfinite(v) else _nonfinite(v)
    return lambda v: ("%.4f" % v) if math.isfinite(v) else _nonfinite(v)


def _nonfinite(v):
    return "nan" if v != v else ("inf" if v > 0 else "-inf")


def _nest(vals, shape, fmt, summarize, indent):
    if not shape:
        return fmt(vals[0])
    from ._shape import prod
    step = prod(shape[1:])
    n = shape[0]
    idx = list(range(n))
    if summarize and n > 2 * _EDGE:
        idx = idx[:_EDGE] + [None] + idx[-_EDGE:]
    if len(shape) == 1:
        parts = ["..." if i is None else fmt(vals[i]) for i in idx]
        return "[" + ", ".join(parts) + "]"
    sep = "," + "\n" * (len(shape) - 1) + " " * (indent + 1)
    parts = ["..." if i is None else
             _nest(vals[i * step:(i + 1) * step], shape[1:], fmt, summarize, indent + 1)
             for i in idx]
    return "[" + sep.join(parts) + "]"


def format_tensor(t):
    vals = t._values()
    summarize = t.numel() > _THRESHOLD
    f = _fmt_float(vals) if t.dtype.category == 2 else str
    width = max((len(f(v)) for v in vals), default=0)
    fmt = lambda v: f(v).rjust(width)  # noqa: E731
    suffix = []
    if t.numel() == 0:
        body = "[]"
        if t.dim() > 1:
            suffix.append(f"size={tuple(t.shape)}")
    else:
        body = _nest(vals, t.shape, fmt, summarize, len("tensor("))
    if t.dtype not in (D.get_default_dtype(), D.int64, D.bool_):
        suffix.append(f"dtype={t.dtype!r}")
    return "tensor(" + body + "".join(", " + s for s in suffix) + ")"
