"""The derivatives of the nn primitives (norms, attention, quantised linear, conv2d, pools):
the second half of the derivatives table (ops/derivatives.py registers these on import)."""
from .. import _dtype as D
from .. import _grad_mode
from .derivatives import _rg, _zeros_like, derivative

def _by_decomposition(name, inputs, fn):
    """(name, inputs, saved, backward) differentiating fn(*inputs), a composition of webtensor
    ops that computes the fused primitive's output(s) (recomputed in backward)."""
    def backward(grads, saved):
        from .backward_ops import decomposition_grads
        return decomposition_grads(fn, saved, [t is not None and t.requires_grad for t in saved],
                                   grads)
    return name, inputs, tuple(inputs), backward


def _norm_backward_or_decomposition(g, x, w, b, eps, rms):
    """layer_norm / rms_norm's input gradients: the norm_backward primitive (a kernel) at
    first order; with create_graph the decomposition's own graph."""
    from .backward_ops import norm_backward
    need = (x.requires_grad, _rg(w), _rg(b))
    return norm_backward(g, x, w, b, eps, rms, need)


@derivative("layer_norm", (0,), (1, 2, 3))
def _layer_norm(args, kwargs):
    out, x, w, b, eps = args
    return "NativeLayerNormBackward0", (x, w, b), (x, w, b), lambda grads, saved: \
        _norm_backward_or_decomposition(grads[0], *saved, eps, False)


@derivative("rms_norm", (0,), (1, 2))
def _rms_norm(args, kwargs):
    out, x, w, eps = args
    return "RmsNormBackward0", (x, w), (x, w), lambda grads, saved: \
        _norm_backward_or_decomposition(grads[0], saved[0], saved[1], None, eps, True)[:2]


@derivative("sdpa", (0,), (1, 2, 3))
def _sdpa(args, kwargs):
    from .backward_ops import sdpa_backward
    out, q, k, v, mask, is_causal, scale = args
    return "ScaledDotProductAttentionBackward0", (q, k, v), (q, k, v), \
        lambda grads, saved: sdpa_backward(grads[0], *saved, mask, is_causal, scale,
                                           tuple(t.requires_grad for t in saved))


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
        g, (sx, sw) = grads[0], saved
        gx = gw = gb = None
        if sw.requires_grad or _rg(bias):       # g as [oc, (n, oh, ow)]: one copy for both
            gr = g.transpose(0, 1).reshape(g.shape[1], -1)
            gb = gr.sum(1) if _rg(bias) else None
        if sx.requires_grad:
            # stride 1, padding the same on both sides (not "same" with an even kernel) and
            # within the dilated kernel's reach
            if tuple(stride) == (1, 1) and all(
                    d_ * (k_ - 1) >= p_ and o_ == n_ + 2 * p_ - d_ * (k_ - 1)
                    for d_, k_, p_, o_, n_ in zip(dilation, sw.shape[2:], padding, (oh, ow),
                                                  sx.shape[2:])):
                gx = _conv_input_grad(g, sw, padding, dilation, groups)
            else:
                gx = _conv_input_grad_by_windows(g, sx, sw, stride, padding, dilation, groups)
        if sw.requires_grad:
            gw = _conv_weight_grad(gr, sx, sw.shape[2:], (oh, ow), stride, padding, dilation,
                                   groups)
        return gx, gw, gb
    return "ConvolutionBackward0", (x, w, bias), (x, w), backward


# Both gradients as GEMM-shaped ops (conv2d's kernels, linear), so they stay differentiable.
def _conv_input_grad(g, w, padding, dilation, groups):
    """x's gradient: g convolved with the flipped kernel, in and out channels swapped per
    group, fully padded (a transposed convolution at stride 1)."""
    from .conv import conv2d
    from .shape import flip
    oc, cg, kh, kw = w.shape
    # channels swapped and both window dims flipped in one strided copy (weights are small)
    wt = flip(w.reshape(groups, oc // groups, cg, kh, kw).transpose(1, 2), (3, 4)).reshape(
        groups * cg, oc // groups, kh, kw)
    pad = (dilation[0] * (kh - 1) - padding[0], dilation[1] * (kw - 1) - padding[1])
    return conv2d(g, wt, None, 1, pad, dilation, groups)


def _conv_weight_grad(gr, x, k, out_hw, stride, padding, dilation, groups):
    """w's gradient, per group: gr = g as [oc, (n, oh, ow)] times the patch matrix
    [(cg, kh, kw), (n, oh, ow)] transposed, i.e. linear(gr, cols): one GEMM over the whole
    batch with the patches read in place as linear's weight (cols: one strided copy of x's
    windows)."""
    from .linalg import linear
    from .pad import pad
    from .shape import cat
    n, c, h, w = x.shape
    oc, cg = gr.shape[0], c // groups
    ocg = oc // groups
    oh, ow = out_hw
    kh, kw = k
    # top/left padding as given; bottom/right as far as the windows reach (odd "same")
    right = [max(0, (o - 1) * s_ + d_ * (k_ - 1) + 1 - n_ - p_) for o, s_, d_, k_, n_, p_ in
             zip((oh, ow), stride, dilation, k, (h, w), padding)]
    xp = pad(x, (padding[1], right[1], padding[0], right[0])) if any(padding) or any(right) \
        else x
    win = xp.unfold(2, dilation[0] * (kh - 1) + 1, stride[0]).unfold(
        3, dilation[1] * (kw - 1) + 1, stride[1])[:, :, :oh, :ow, ::dilation[0], ::dilation[1]]
    parts = [linear(gr[gi * ocg:(gi + 1) * ocg],
                    win[:, gi * cg:(gi + 1) * cg].permute(1, 4, 5, 0, 2, 3).reshape(
                        cg * kh * kw, n * oh * ow)).reshape(ocg, cg, kh, kw)
             for gi in range(groups)]
    return parts[0] if groups == 1 else cat(parts, 0)


def _conv_input_grad_by_windows(g, sx, sw, stride, padding, dilation, groups):
    """x's gradient at any stride: the patch gradients w^T @ g per group, folded back onto
    the input with KH * KW strided adds."""
    n, c, h, wd = sx.shape
    oc, cg, kh, kw = sw.shape
    oh, ow = g.shape[2], g.shape[3]
    ocg, ck, L = oc // groups, cg * kh * kw, oh * ow
    parts = [sw[gi * ocg:(gi + 1) * ocg].reshape(ocg, ck).t().matmul(
        g[:, gi * ocg:(gi + 1) * ocg].reshape(n, ocg, L)).reshape(n, cg, kh, kw, oh, ow)
        for gi in range(groups)]
    from .shape import cat
    gcols = parts[0] if groups == 1 else cat(parts, 1)
    return _fold(sx.shape, (oh, ow), (kh, kw), stride, padding, dilation, g.dtype,
                 lambda i, j: gcols[:, :, i, j])


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
        if all(si >= di * (ki - 1) + 1 for ki, si, di in zip(k, s, d)):
            # windows apart: every index names its own input element, so one scatter
            # (a kernel) writes the gradient, and its own gradient is a gather
            from .._dispatch import dispatch
            n, c = sx.shape[:2]
            gx = _zeros_like(sx)
            dispatch("scatter", gx.view(n, c, h * w), 2, ix.reshape(n, c, -1),
                     g.reshape(n, c, -1), None)       # into the zeros: no clone
            return (gx,)
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


_LOSS_NAMES = {"mse": "MseLossBackward0", "l1": "L1LossBackward0",
               "smooth_l1": "SmoothL1LossBackward0", "huber": "HuberLossBackward0",
               "bce": "BinaryCrossEntropyBackward0", "bce_logits":
               "BinaryCrossEntropyWithLogitsBackward0", "kl_div": "KlDivBackward0",
               "kl_div_log": "KlDivBackward0", "xlogy": "XlogyBackward0",
               "nan_to_zero": "NansumBackward0", "not_nan": "SumBackward0",
               "trunc": "TruncBackward0", "frac": "FracBackward0"}


@derivative("pointwise_map", (0,), (1, 2))
def _pointwise_map(args, kwargs):
    from .loss import pointwise_map_decomposed
    out, x, y, kind, param, reduction = args
    return _by_decomposition(_LOSS_NAMES[kind], (x, y), lambda x, y: pointwise_map_decomposed(
        x, y, kind, param, reduction))


@derivative("rowwise_dist", (0,), (1, 2))
def _rowwise_dist(args, kwargs):
    from .norm import rowwise_dist_decomposed
    out, a, b, kind, eps, p = args
    return _by_decomposition("SumBackward1" if kind == "cosine" else "NormBackward1", (a, b),
                             lambda a, b: rowwise_dist_decomposed(a, b, kind, eps, p))


@derivative("grid_sample", (0,), (1, 2))
def _grid_sample(args, kwargs):
    from .grid_sample import opmath
    out, x, grid, mode, padding_mode, align_corners = args
    return _by_decomposition("GridSampler2DBackward0", (x, grid), lambda x, g: opmath(
        x, g, mode, padding_mode, align_corners))


# ---- the backward primitives (ops/backward_ops.py): their decompositions differentiated ------

_ACT_BACKWARD_NAMES = {"relu": "ThresholdBackwardBackward0", "gelu": "GeluBackwardBackward0",
                       "gelu_tanh": "GeluBackwardBackward0", "silu": "SiluBackwardBackward0"}


@derivative("act_backward", (0,), (1, 2))
def _act_backward(args, kwargs):
    from .backward_ops import act_backward_decomposed
    out, g, x, act = args
    return _by_decomposition(_ACT_BACKWARD_NAMES[act], (g, x),
                             lambda g, x: act_backward_decomposed(g, x, act))


@derivative("softmax_backward", (0,), (1, 2))
def _softmax_backward(args, kwargs):
    from .backward_ops import softmax_backward_decomposed
    out, g, y, dim, log = args
    name = "LogSoftmaxBackwardDataBackward0" if log else "SoftmaxBackwardDataBackward0"
    return _by_decomposition(name, (g, y), lambda g, y: softmax_backward_decomposed(
        g, y, dim, log))


@derivative("norm_backward", (0, 1, 2), (3, 4, 5))
def _norm_backward(args, kwargs):
    from .backward_ops import norm_backward_decomposed, zeros_like_bias
    dx, dw, db, g, x, w, eps, rms = args
    need = (True, dw is not None, db is not None)
    name = "RmsNormBackwardBackward0" if rms else "NativeLayerNormBackwardBackward0"
    return _by_decomposition(name, (g, x, w), lambda g, x, w: norm_backward_decomposed(
        g, x, w, zeros_like_bias(x) if need[2] else None, eps, rms, need))


@derivative("sdpa_backward", (0, 1, 2), (3, 4, 5, 6))
def _sdpa_backward(args, kwargs):
    from .backward_ops import sdpa_backward_decomposed
    dq, dk, dv, g, q, k, v, mask, is_causal, scale = args
    return _by_decomposition(
        "ScaledDotProductAttentionBackwardBackward0", (g, q, k, v),
        lambda g, q, k, v: sdpa_backward_decomposed(g, q, k, v, mask, is_causal, scale,
                                                    (True, True, True)))


@derivative("cross_entropy", (0,), (2,))
def _cross_entropy(args, kwargs):
    """First order: the gradient the forward kernel wrote (dx) times the incoming one; with
    create_graph (or no dx) the log_softmax + nll decomposition differentiated."""
    from .backward_ops import cross_entropy_decomposed, decomposition_grads
    loss, dx, x, target, ignore_index, smoothing, reduction = args

    def backward(grads, saved):
        g, (sx, sdx) = grads[0], saved
        if sdx is not None and not _grad_mode.is_grad_enabled():
            return (sdx * (g.unsqueeze(1) if reduction == "none" else g),)
        return decomposition_grads(lambda x: cross_entropy_decomposed(
            x, target, ignore_index, smoothing, reduction), (sx,), (True,), grads)
    return ("NllLossBackward0" if not smoothing else "AddBackward0"), (x,), (x, dx), backward
