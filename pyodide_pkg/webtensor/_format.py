"""torch-like repr: tensor([[1., 2.], [3., 4.]]), dtype suffix when not the default.

Follows torch/_tensor_str.py (precision 4, threshold 1000, edgeitems 3, linewidth 80): one
formatter over the printed elements chooses int / fixed / scientific mode and a common width.
"""
import math

from . import _dtype as D

_EDGE = 3
_THRESHOLD = 1000
_PRECISION = 4
_LINEWIDTH = 80


class _Formatter:
    def __init__(self, vals, floating):
        self.floating = floating
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not floating:
            self.max_width = max([1] + [len(str(v)) for v in vals])
            return
        nz = [v for v in vals if math.isfinite(v) and v != 0]
        if not nz:
            return
        absv = [abs(v) for v in nz]
        lo, hi = min(absv), max(absv)
        self.int_mode = all(v == math.ceil(v) for v in nz)
        self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        if self.sci_mode:
            w = max(len("%.*e" % (_PRECISION, v)) for v in nz)
        elif self.int_mode:
            w = max(len("%.0f" % v) for v in nz) + 1  # room for the trailing "."
        else:
            w = max(len("%.*f" % (_PRECISION, v)) for v in nz)
        self.max_width = max(self.max_width, w)

    def format(self, v):
        if self.floating:
            if self.sci_mode:
                s = "{:{w}.{p}e}".format(v, w=self.max_width, p=_PRECISION)
            elif self.int_mode:
                s = "%.0f" % v
                if math.isfinite(v):
                    s += "."
            else:
                s = "%.*f" % (_PRECISION, v)
        else:
            s = str(v)
        return s.rjust(self.max_width)


def _edges(n, summarize):
    if summarize and n > 2 * _EDGE:
        return list(range(_EDGE)) + [None] + list(range(n - _EDGE, n))
    return list(range(n))


def _shown(vals, shape, summarize):
    """The elements that will be printed (torch's get_summarized_data), row-major."""
    if not shape:
        return vals
    step = len(vals) // shape[0] if shape[0] else 0
    out = []
    for i in _edges(shape[0], summarize):
        if i is not None:
            out.extend(_shown(vals[i * step:(i + 1) * step], shape[1:], summarize))
    return out


def _render(vals, shape, fmt, summarize, indent):
    if not shape:
        return fmt.format(vals[0])
    n = shape[0]
    if len(shape) == 1:
        data = [" ..." if i is None else fmt.format(vals[i]) for i in _edges(n, summarize)]
        per_line = max(1, (_LINEWIDTH - indent) // (fmt.max_width + 2))
        lines = [", ".join(data[i:i + per_line]) for i in range(0, len(data), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    step = len(vals) // n
    parts = ["..." if i is None else
             _render(vals[i * step:(i + 1) * step], shape[1:], fmt, summarize, indent + 1)
             for i in _edges(n, summarize)]
    return "[" + ("," + "\n" * (len(shape) - 1) + " " * (indent + 1)).join(parts) + "]"


def _add_suffixes(text, suffixes, indent):
    out = [text]
    last = len(text) - text.rfind("\n") + 1  # torch's arithmetic, kept for identical wrapping
    for s in suffixes:
        if last + len(s) + 2 > _LINEWIDTH:
            out.append(",\n" + " " * indent + s)
            last = indent + len(s)
        else:
            out.append(", " + s)
            last += len(s) + 2
    return "".join(out) + ")"


def format_tensor(t):
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if t.numel() == 0:
        body = "[]"
        if t.dim() != 1:
            suffixes.append(f"size={tuple(t.shape)}")
        if t.dtype is not D.get_default_dtype():  # nothing to infer the dtype from
            suffixes.append(f"dtype={t.dtype!r}")
    else:
        vals = t._values()
        shape = tuple(t.shape)
        summarize = len(vals) > _THRESHOLD
        fmt = _Formatter(_shown(vals, shape, summarize), t.dtype.category == 2)
        body = _render(vals, shape, fmt, summarize, indent)
        if t.dtype not in (D.get_default_dtype(), D.int64, D.bool_):
            suffixes.append(f"dtype={t.dtype!r}")
    if t._storage.device.type != "cpu":       # torch names the device first
        suffixes.insert(0, f"device='{t._storage.device}'")
    fn = t.grad_fn
    if fn is not None:
        suffixes.append(f"grad_fn=<{fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
