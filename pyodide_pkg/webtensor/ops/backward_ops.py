"""The backward primitives (first-order fast paths of the derivatives table) as calls, and
their decompositions into ops: the reference backend runs the decompositions, so does a device
whose first backend lacks the primitive (webgpu), and the derivatives table differentiates them
(create_graph), so the WASM kernels are only the fast first-order path of the same
definition.

  act_backward(g, x, act)          g * act'(x), act "relu" (x: relu's input or output), "gelu",
                                     "gelu_tanh", "silu"
  softmax_backward(g, y, dim, log) the gradient through softmax / log_softmax (y: its output)
  norm_backward(g, x, w, b, eps, rms, need)   (dx, dw, db) of layer_norm / rms_norm
  sdpa_backward(g, q, k, v, mask, is_causal, scale, need)   (dq, dk, dv) of attention
  cross_entropy_fused(x, target, ignore_index, label_smoothing, reduction, want_grad)
                                   (loss, dx): x [N, C], target int64 [N], no class weights;
                                     dx the gradient of the loss (None unless want_grad)
"""
import math

from .. import _dtype as D
from .. import _grad_mode
from .._dispatch import dispatch, provides
from .._tensor import Tensor

_SQRT2 = math.sqrt(2.0)
_SQRT_2_PI = math.sqrt(2.0 / math.pi)


def _empty_like(t):
    return Tensor._empty(tuple(t.shape), t.dtype, t.device)


# ---- activations ------------------------------------------------------------------------

def act_grad(x, act):
    """act'(x) as ops (not relu)."""
    if act == "gelu_tanh":
        inner = _SQRT_2_PI * (x + 0.044715 * x * x * x)
        t = inner.tanh()
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    if act == "gelu":
        cdf = 0.5 * (1 + (x / _SQRT2).erf())
        return cdf + x * (-0.5 * x * x).exp() / math.sqrt(2 * math.pi)
    s = x.sigmoid()                  # silu
    return s * (1 + x * (1 - s))


def act_backward_decomposed(g, x, act):
    if act == "relu":
        return g.masked_fill(x <= 0, 0)
    return g * act_grad(x, act)


def act_backward(g, x, act):
    if g.shape != x.shape or g.dtype is not x.dtype or not provides("act_backward", x.device):
        return act_backward_decomposed(g, x, act)
    out = _empty_like(x)
    dispatch("act_backward", out, g, x, act)
    return out


# ---- softmax, log_softmax ---------------------------------------------------------------

def softmax_backward_decomposed(g, y, dim, log):
    if log:
        return g - y.exp() * g.sum(dim=dim, keepdim=True)
    return y * (g - (g * y).sum(dim=dim, keepdim=True))


def softmax_backward(g, y, dim, log):
    dim %= max(y.dim(), 1)
    if g.shape != y.shape or g.dtype is not y.dtype or not provides("softmax_backward",
                                                                     y.device):
        return softmax_backward_decomposed(g, y, dim, log)
    out = _empty_like(y)
    dispatch("softmax_backward", out, g, y, dim, log)
    return out


# ---- layer_norm, rms_norm ---------------------------------------------------------------

def decomposition_grads(fn, ins, need, grads):
    """The gradients (None where not in need) of fn(*ins), a composition of ops returning one
    tensor or a tuple, for incoming gradients `grads` (a tensor, or {output number: gradient});
    with grad mode on (create_graph) differentiable through the inputs' own graphs."""
    from ..autograd import grad
    create = _grad_mode.is_grad_enabled()
    # row-major leaves where there is no graph to keep: views of them index their base
    ins = [t if t is None or not n or (create and t.requires_grad)
           else t.detach().contiguous().requires_grad_() for t, n in zip(ins, need)]
    with _grad_mode.enable_grad():
        y = fn(*ins)
    gs = {0: grads} if isinstance(grads, Tensor) else grads
    pairs = [(o, gs.get(i)) for i, o in enumerate(y if isinstance(y, tuple) else (y,))
             if isinstance(gs.get(i), Tensor) and o is not None and o.requires_grad]
    if not pairs:
        return tuple(None for _ in need)
    wrt = [t for t, n in zip(ins, need) if n]
    it = iter(grad([o for o, _ in pairs], wrt, [g for _, g in pairs], create_graph=create,
                   allow_unused=True))
    return tuple(next(it) if n else None for n in need)


def norm_backward_decomposed(g, x, w, b, eps, rms, need):
    """(dx, dw, db): the gradients of the norm's decomposition (None where not in need)."""
    from .norm import decomposed
    return decomposition_grads(
        lambda x, w, b: decomposed("rms_norm", x, w, eps) if rms else
        decomposed("layer_norm", x, w, b, eps), (x, w, b), need, g)


def zeros_like_bias(x, like=None):
    """A bias stand-in for the decomposition (its value does not enter any gradient)."""
    from .._creation import zeros
    return zeros((x.shape[-1],), dtype=x.dtype, device=x.device)


def norm_backward(g, x, w, b, eps, rms, need):
    """need: (dx, dw, db) wanted; x [R, N], g like x, w/b [N] or None."""
    if not provides("norm_backward", x.device) or not need[0] or g.shape != x.shape or \
            x.dim() != 2:
        return norm_backward_decomposed(g, x, w, b, eps, rms, need)
    dx = _empty_like(x)
    dw = _empty_like(w) if need[1] else None
    db = _empty_like(b) if need[2] and not rms else None
    dispatch("norm_backward", dx, dw, db, g, x, w, eps, rms)
    return dx, dw, db


# ---- scaled_dot_product_attention ---------------------------------------------------------

def sdpa_backward_decomposed(g, q, k, v, mask, is_causal, scale, need):
    from .attention import decomposed
    return decomposition_grads(lambda q, k, v: decomposed(q, k, v, mask, is_causal, scale),
                               (q, k, v), need, g)


def sdpa_backward(g, q, k, v, mask, is_causal, scale, need):
    """(dq, dk, dv) of sdpa(q, k, v) for incoming gradient g (None where not in need)."""
    if not provides("sdpa_backward", q.device) or g.shape != q.shape[:3] + v.shape[3:]:
        return sdpa_backward_decomposed(g, q, k, v, mask, is_causal, scale, need)
    dq, dk, dv = _empty_like(q), _empty_like(k), _empty_like(v)
    dispatch("sdpa_backward", dq, dk, dv, g, q, k, v, mask, is_causal, scale)
    return tuple(t if n else None for t, n in zip((dq, dk, dv), need))


# ---- cross_entropy ----------------------------------------------------------------------

def cross_entropy_decomposed(x, target, ignore_index, label_smoothing, reduction):
    from .loss import cross_entropy_ops
    return cross_entropy_ops(x, target, None, ignore_index, reduction, label_smoothing)


def cross_entropy_grad_decomposed(x, target, ignore_index, label_smoothing, reduction):
    """d loss / d x as ops: softmax(x) - (1 - s) onehot - s / C per valid row (mean: over
    the number of valid rows)."""
    from .._creation import zeros
    c = x.shape[1]
    t = target.to(D.int64)
    valid = t != ignore_index
    onehot = zeros(tuple(x.shape), dtype=x.dtype).scatter(
        1, t.where(valid, 0).unsqueeze(1), 1.0)
    d = x.softmax(1) - (1 - label_smoothing) * onehot - label_smoothing / c
    d = d.where(valid.unsqueeze(1), 0)
    if reduction == "mean":
        d = d / valid.sum().clamp(min=1)      # no valid row: zeros, as torch
    return d


def cross_entropy_reference(loss, dx, x, target, ignore_index, label_smoothing, reduction):
    with _grad_mode.no_grad():
        _put(loss, cross_entropy_decomposed(x, target, ignore_index, label_smoothing,
                                            reduction))
        if dx is not None:
            _put(dx, cross_entropy_grad_decomposed(x, target, ignore_index, label_smoothing,
                                                   reduction))


def cross_entropy_fused(x, target, ignore_index, label_smoothing, reduction, want_grad):
    shape = (x.shape[0],) if reduction == "none" else ()
    loss = Tensor._empty(shape, x.dtype, x.device)
    dx = _empty_like(x) if want_grad else None
    dispatch("cross_entropy", loss, dx, x, target, ignore_index, label_smoothing, reduction)
    return loss


# ---- the reference backend's implementations (decompositions, grad mode off) --------------
# Written with the copy primitive, not copy_: a primitive filling its outputs is no in-place
# write (copy_ would bump the version counter of an output the tape has saved, dx).

def _put(out, value):
    dispatch("copy", out, value.reshape(out.shape))


def _ref_act_backward(out, g, x, act):
    with _grad_mode.no_grad():
        _put(out, act_backward_decomposed(g, x, act))


def _ref_softmax_backward(out, g, y, dim, log):
    with _grad_mode.no_grad():
        _put(out, softmax_backward_decomposed(g, y, dim, log))


def _ref_norm_backward(dx, dw, db, g, x, w, eps, rms):
    with _grad_mode.no_grad():
        b = None if db is None else zeros_like_bias(x, db)
        gs = norm_backward_decomposed(g, x, w, b, eps, rms,
                                      (True, dw is not None, db is not None))
        for out, v in zip((dx, dw, db), gs):
            if out is not None:
                _put(out, v)


def _ref_sdpa_backward(dq, dk, dv, g, q, k, v, mask, is_causal, scale):
    with _grad_mode.no_grad():
        for out, val in zip((dq, dk, dv), sdpa_backward_decomposed(
                g, q, k, v, mask, is_causal, scale, (True, True, True))):
            _put(out, val)


REFERENCE = {"act_backward": _ref_act_backward, "softmax_backward": _ref_softmax_backward,
             "norm_backward": _ref_norm_backward, "cross_entropy": cross_entropy_reference,
             "sdpa_backward": _ref_sdpa_backward}
