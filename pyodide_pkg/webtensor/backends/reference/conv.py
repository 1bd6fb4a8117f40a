"""Reference conv2d and 2-D pooling over NCHW: plain Python, the oracle for the WASM kernels.

Floats accumulate in Python floats (double) and round once on write; integers are exact and
wrap on write, which equals torch's wrapping arithmetic. Each inner loop is one row slice, so
small CNN layers stay usable.
"""
from ..._memory import read, write

_NEG_INF = float("-inf")


def _span(o_count, start, stride, n):
    """(lo, hi): the output positions o in [0, o_count) whose input start + o*stride is
    inside [0, n)."""
    lo = 0 if start >= 0 else (-start + stride - 1) // stride
    hi = 0 if start >= n else min(o_count, (n - 1 - start) // stride + 1)
    return lo, max(lo, hi)


def conv2d(out, x, weight, bias, stride, padding, dilation, groups):
    n_, c_, h_, w_ = x.shape
    oc_, cg, kh_, kw_ = weight.shape
    oh_, ow_ = out.shape[2:]
    sh, sw = stride
    ph, pw = padding
    dh, dw = dilation
    xv, wv = read(x), read(weight)
    bv = read(bias) if bias is not None else None
    zero = 0.0 if out.dtype.category == 2 else 0
    ocg = oc_ // groups if groups else 0
    res = []
    # per (kw): the output columns whose input column is inside the image
    cols = [_span(ow_, kw * dw - pw, sw, w_) for kw in range(kw_)]
    for n in range(n_):
        for oc in range(oc_):
            g = oc // ocg
            acc = [[bv[oc] if bv is not None else zero] * ow_ for _ in range(oh_)]
            for c in range(cg):
                plane = (n * c_ + g * cg + c) * h_ * w_
                wbase = (oc * cg + c) * kh_ * kw_
                for kh in range(kh_):
                    for oh in range(oh_):
                        ih = oh * sh - ph + kh * dh
                        if not 0 <= ih < h_:
                            continue
                        row = acc[oh]
                        for kw in range(kw_):
                            lo, hi = cols[kw]
                            if lo >= hi:
                                continue
                            wval = wv[wbase + kh * kw_ + kw]
                            start = plane + ih * w_ + lo * sw + kw * dw - pw
                            xs = xv[start:start + (hi - lo - 1) * sw + 1:sw]
                            row[lo:hi] = [a + wval * b for a, b in zip(row[lo:hi], xs)]
            for row in acc:
                res.extend(row)
    write(out, res)


def _windows(o_count, n, k, s, p, d):
    """For each output position: the input positions of its window that are inside [0, n),
    and the window's first tap at or after 0 (torch's index for a window with none inside)."""
    res = []
    for o in range(o_count):
        start = o * s - p
        first = start + max(0, -start + d - 1) // d * d
        res.append(([i for i in range(start, start + (k - 1) * d + 1, d) if 0 <= i < n], first))
    return res


def _planes(x, out):
    n, c, h, w = x.shape
    return n * c, h, w, out.shape[2], out.shape[3]


def max_pool2d(out, indices, x, kernel_size, stride, padding, dilation):
    planes, h, w, oh_, ow_ = _planes(x, out)
    rows = _windows(oh_, h, kernel_size[0], stride[0], padding[0], dilation[0])
    cols = _windows(ow_, w, kernel_size[1], stride[1], padding[1], dilation[1])
    _max_windows(out, indices, x, planes, h, w, rows, cols)


def _max_windows(out, indices, x, planes, h, w, rows, cols):
    """Max over each (rows[oh] x cols[ow]) window. Like torch: NaN wins (the last NaN's index),
    otherwise the first maximum; an all -inf window points at its first element."""
    xv = read(x)
    vals, idxs = [], []
    for pl in range(planes):
        base = pl * h * w
        for hs, h0 in rows:
            for ws, w0 in cols:
                best, bi = _NEG_INF, h0 * w + w0
                for ih in hs:
                    for iw in ws:
                        v = xv[base + ih * w + iw]
                        if v > best or v != v:
                            best, bi = v, ih * w + iw
                vals.append(best)
                idxs.append(bi)
    write(out, vals)
    if indices is not None:
        write(indices, idxs)


def _div(s, d, integer):
    if not integer:
        return s / d
    q = abs(s) // abs(d)        # C's truncating division
    return q if (s >= 0) == (d > 0) else -q


def avg_pool2d(out, x, kernel_size, stride, padding, count_include_pad, divisor_override):
    planes, h, w, oh_, ow_ = _planes(x, out)
    (kh, kw), (sh, sw), (ph, pw) = kernel_size, stride, padding
    integer = out.dtype.category != 2
    xv = read(x)
    res = []
    for pl in range(planes):
        base = pl * h * w
        for oh in range(oh_):
            h0 = oh * sh - ph
            h1 = min(h0 + kh, h + ph)
            for ow in range(ow_):
                w0 = ow * sw - pw
                w1 = min(w0 + kw, w + pw)
                pool = (h1 - h0) * (w1 - w0)      # the window clipped to the padded input
                a0, a1, b0, b1 = max(h0, 0), min(h1, h), max(w0, 0), min(w1, w)
                if a0 >= a1 or b0 >= b1:
                    res.append(0)
                    continue
                s = 0 if integer else 0.0
                for ih in range(a0, a1):
                    r = base + ih * w
                    s += sum(xv[r + b0:r + b1])
                div = divisor_override or (pool if count_include_pad else
                                           (a1 - a0) * (b1 - b0))
                res.append(_div(s, div, integer))
    write(out, res)


def _adaptive_windows(o_count, n):
    return [list(range(o * n // o_count, -(-(o + 1) * n // o_count))) for o in range(o_count)]


def adaptive_avg_pool2d(out, x):
    planes, h, w, oh_, ow_ = _planes(x, out)
    rows, cols = _adaptive_windows(oh_, h), _adaptive_windows(ow_, w)
    xv = read(x)
    res = []
    for pl in range(planes):
        base = pl * h * w
        for hs in rows:
            for ws in cols:
                s = 0.0
                for ih in hs:
                    r = base + ih * w
                    s += sum(xv[r + ws[0]:r + ws[-1] + 1])
                res.append(s / (len(hs) * len(ws)))
    write(out, res)


def adaptive_max_pool2d(out, indices, x):
    planes, h, w, oh_, ow_ = _planes(x, out)
    rows = [(r, r[0]) for r in _adaptive_windows(oh_, h)]
    cols = [(c, c[0]) for c in _adaptive_windows(ow_, w)]
    _max_windows(out, indices, x, planes, h, w, rows, cols)
