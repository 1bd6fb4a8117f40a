"""The derivatives of the nn primitives (norms, attention, quantised linear, conv2d, pools):
the second half of the derivatives table (ops/derivatives.py registers these on import)."""
from .. import _dtype as D
from .. import _grad_mode
from .derivatives import _rg, _zeros_like, derivative

def _by_decomposition(name, inputs, fn):
    """(name, inputs, saved, backward) differentiating fn(*inputs), a composition of webtensor
    ops that computes the fused primitive's output (recomputed in backward)."""
    def backward(grads, saved):
        from ..autograd import grad
        need = [t is not None and t.requires_grad for t in saved]
        if _grad_mode.is_grad_enabled():          # create_graph: differentiate through saved
            ins = list(saved)
        else:
            # row-major leaves: views of them then index their base directly
            ins = [t.detach().contiguous().requires_grad_() if n else t
                   for t, n in zip(saved, need)]
        with _grad_mode.enable_grad():
            y = fn(*ins)
        wrt = [t for t, n in zip(ins, need) if n]
        gs = iter(grad(y, wrt, grads[0], create_graph=_grad_mode.is_grad_enabled(),
                       allow_unused=True))
        return tuple(next(gs) if n else None for n in need)
    return name, inputs, tuple(inputs), backward


@derivative("layer_norm", (0,), (1, 2, 3))
def _layer_norm(args, kwargs):
    from .norm import decomposed
    out, x, w, b, eps = args
    return _by_decomposition("NativeLayerNormBackward0", (x, w, b),
                             lambda x, w, b: decomposed("layer_norm", x, w, b, eps))


@derivative("rms_norm", (0,), (1, 2))
def _rms_norm(args, kwargs):
    from .norm import decomposed
    out, x, w, eps = args
    return _by_decomposition("RmsNormBackward0", (x, w),
                             lambda x, w: decomposed("rms_norm", x, w, eps))


@derivative("sdpa", (0,), (1, 2, 3))
def _sdpa(args, kwargs):
    from .attention import decomposed
    out, q, k, v, mask, is_causal, scale = args
    return _by_decomposition("ScaledDotProductAttentionBackward0", (q, k, v),
                             lambda q, k, v: decomposed(q, k, v, mask, is_causal, scale))


@derivative("quant_linear", (0,), (1,))
def _quant_linear(args, kwargs):
    out, x, q, activations = args

    def backward(grads, saved):
        from .. import quant
        return (grads[0].matmul(quant.dequantize(q)),)
    return "QuantLinearBackward0", (x,), (), backward


@derivative("conv2d", (0,), (1, 2, 3))
def _conv2d(args, kwargs):
    out, x, w, bias, stride, padding, dilation, groups = args
    oh, ow = out.shape[2], out.shape[3]

    def backward(grads, saved):
        from .pad import pad
        g, (sx, sw) = grads[0], saved
        n, c, h, wd = sx.shape
        oc, cg, kh, kw = sw.shape
        (sh, sww), (ph, pw), (dh, dw) = stride, padding, dilation
        hp = max(h + ph, (oh - 1) * sh + (kh - 1) * dh + 1)
        wp = max(wd + pw, (ow - 1) * sww + (kw - 1) * dw + 1)
        xp = pad(sx, (pw, wp - wd - pw, ph, hp - h - ph))
        st = xp._strides
        cshape = (n, c, kh, kw, oh, ow)
        cstr = (st[0], st[1], dh * st[2], dw * st[3], sh * st[2], sww * st[3])
        cols = xp._view(cshape, cstr, xp._offset)
        ocg, ck, L = oc // groups, cg * kh * kw, oh * ow
        gx_parts, gw_parts = [], []
        for gi in range(groups):
            gg = g[:, gi * ocg:(gi + 1) * ocg].reshape(n, ocg, L)
            if sw.requires_grad:
                cg_ = cols[:, gi * cg:(gi + 1) * cg].reshape(n, ck, L)
                gw_parts.append(gg.matmul(cg_.transpose(1, 2)).sum(0).reshape(ocg, cg, kh, kw))
            if sx.requires_grad:
                wg = sw[gi * ocg:(gi + 1) * ocg].reshape(ocg, ck)
                gx_parts.append(wg.t().matmul(gg).reshape(n, cg, kh, kw, oh, ow))
        gx = gw = None
        if gx_parts:
            from .shape import cat
            gcols = gx_parts[0] if groups == 1 else cat(gx_parts, 1)
            gx = _fold(sx.shape, (oh, ow), (kh, kw), stride, padding, dilation, g.dtype,
                       lambda i, j: gcols[:, :, i, j])
        if gw_parts:
            from .shape import cat
            gw = gw_parts[0] if groups == 1 else cat(gw_parts, 0)
        gb = g.sum((0, 2, 3)) if _rg(bias) else None
        return gx, gw, gb
    return "ConvolutionBackward0", (x, w, bias), (x, w), backward


def _fold(shape, out_hw, k, s, p, d, dtype, part):
    """The gradient of x [n, c, h, w] from its windows: part(i, j) is the [n, c, oh, ow]
    gradient reaching window slot (i, j), i.e. x[oh * s - p + i * d, ow * s - p + j * d];
    slots in the padding (or past the edge: ceil_mode) are dropped. KH * KW strided adds."""
    from .._creation import zeros
    n, c, h, w = shape
    (oh, ow), (kh, kw), (sh, sw), (ph, pw), (dh, dw) = out_hw, k, s, p, d
    hp = max(h + ph, (oh - 1) * sh + (kh - 1) * dh + 1)
    wp = max(w + pw, (ow - 1) * sw + (kw - 1) * dw + 1)
    gxp = zeros((n, c, hp, wp), dtype=dtype)
    for i in range(kh):
        for j in range(kw):
            region = gxp[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                         j * dw:j * dw + sw * (ow - 1) + 1:sw]
            region += part(i, j)
    return gxp[:, :, ph:ph + h, pw:pw + w]


def _window_index(h, w, oh, ow, windows_h, windows_w, divisor):
    """(input positions, output positions, weights) of every (window, element) pair."""
    from .._creation import tensor
    ins, outs, wts = [], [], []
    for i in range(oh):
        h0, h1 = windows_h[i]
        for j in range(ow):
            w0, w1 = windows_w[j]
            dv = divisor(i, j)
            for y in range(max(h0, 0), min(h1, h)):
                for x in range(max(w0, 0), min(w1, w)):
                    ins.append(y * w + x)
                    outs.append(i * ow + j)
                    wts.append(1.0 / dv)
    return tensor(ins, dtype=D.int64), tensor(outs, dtype=D.int64), wts


def _pool_backward(g, shape, ins, outs, wts):
    from .._creation import tensor, zeros
    n, c, h, w = shape
    gs = g.reshape(n, c, -1).index_select(2, outs) * tensor(wts, dtype=g.dtype)
    flat = zeros((n, c, h * w), dtype=g.dtype, device=g.device)
    return flat.scatter_add(2, ins.view(1, 1, -1).expand(n, c, ins.shape[0]), gs).view(shape)


@derivative("avg_pool2d", (0,), (1,))
def _avg_pool2d(args, kwargs):
    out, x, k, s, p, count_include_pad, divisor_override = args
    oh, ow = out.shape[2], out.shape[3]
    h, w = x.shape[2], x.shape[3]

    def backward(grads, saved):
        wh = [(i * s[0] - p[0], i * s[0] - p[0] + k[0]) for i in range(oh)]
        ww = [(j * s[1] - p[1], j * s[1] - p[1] + k[1]) for j in range(ow)]

        def div(i, j):
            if divisor_override:
                return divisor_override
            (h0, h1), (w0, w1) = wh[i], ww[j]
            if count_include_pad:
                return (min(h1, h + p[0]) - h0) * (min(w1, w + p[1]) - w0)
            return (min(h1, h) - max(h0, 0)) * (min(w1, w) - max(w0, 0))
        from .._creation import tensor
        g = grads[0] * tensor([[1.0 / div(i, j) for j in range(ow)] for i in range(oh)],
                              dtype=grads[0].dtype)
        return (_fold(x.shape, (oh, ow), k, s, p, (1, 1), g.dtype, lambda i, j: g),)
    return "AvgPool2DBackward0", (x,), (), backward


@derivative("adaptive_avg_pool2d", (0,), (1,))
def _adaptive_avg_pool2d(args, kwargs):
    out, x = args
    oh, ow = out.shape[2], out.shape[3]
    h, w = x.shape[2], x.shape[3]

    def backward(grads, saved):
        wh = [(i * h // oh, -(-(i + 1) * h // oh)) for i in range(oh)]
        ww = [(j * w // ow, -(-(j + 1) * w // ow)) for j in range(ow)]

        def div(i, j):
            return (wh[i][1] - wh[i][0]) * (ww[j][1] - ww[j][0])
        return (_pool_backward(grads[0], x.shape, *_window_index(h, w, oh, ow, wh, ww, div)),)
    return "AdaptiveAvgPool2DBackward0", (x,), (), backward


def _indices_backward(g, x, idx):
    n, c, h, w = x.shape
    flat = _zeros_like(x).reshape(n, c, h * w)
    return flat.scatter_add(2, idx.reshape(n, c, -1), g.reshape(n, c, -1)).view(x.shape)


def _pool_indices(name, out_meta, idx, x, run_args):
    """Indices of the maxima: the primitive's own, or computed again (return_indices=False).
    out_meta: the output's (shape, dtype, device); a backward closure holding the output
    itself would make a reference cycle (output -> grad_fn -> closure -> output) that only
    the cyclic GC frees, so every step's activations would pile up until it runs."""
    if idx is not None:
        return idx
    from .._dispatch import dispatch
    from .._tensor import Tensor
    shape, dtype, device = out_meta
    idx = Tensor._empty(shape, D.int64, device)
    with _grad_mode.no_grad():
        dispatch(name, Tensor._empty(shape, dtype, device), idx, x.detach(), *run_args)
    return idx


@derivative("max_pool2d", (0, 1), (2,))
def _max_pool2d(args, kwargs):
    out, idx, x, k, s, p, d = args
    oh, ow = out.shape[2], out.shape[3]
    meta = (out.shape, out.dtype, out.device)

    def backward(grads, saved):
        from .._creation import arange
        g, sx = grads[0], saved[0]
        h, w = sx.shape[2], sx.shape[3]
        ix = _pool_indices("max_pool2d", meta, idx, sx, (k, s, p, d))
        rows, cols = arange(oh) * s[0] - p[0], arange(ow) * s[1] - p[1]

        def part(i, j):      # g where slot (i, j) of the window holds its maximum
            r, c = (rows + i * d[0]).view(-1, 1), (cols + j * d[1]).view(1, -1)
            pos = (r * w + c).masked_fill((r < 0) | (r >= h) | (c < 0) | (c >= w), -1)
            return g.masked_fill(ix != pos, 0)
        return (_fold(sx.shape, (oh, ow), k, s, p, d, g.dtype, part),)
    return "MaxPool2DWithIndicesBackward0", (x,), (x,), backward


@derivative("adaptive_max_pool2d", (0, 1), (2,))
def _adaptive_max_pool2d(args, kwargs):
    out, idx, x = args
    meta = (out.shape, out.dtype, out.device)
    return "AdaptiveMaxPool2DBackward0", (x,), (x,), lambda grads, saved: (
        _indices_backward(grads[0], saved[0],
                          _pool_indices("adaptive_max_pool2d", meta, idx, saved[0], ())),)
