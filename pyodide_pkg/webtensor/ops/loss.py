"""Loss functions of torch.nn.functional with torch's arguments, checks and messages:
cross_entropy (class indices or probabilities, weight, ignore_index, label_smoothing), nll_loss,
mse_loss, l1_loss, smooth_l1_loss, huber_loss, kl_div, binary_cross_entropy,
binary_cross_entropy_with_logits.

Decompositions over existing ops: log_softmax, gather / index_select, where, elementwise and
reductions, so every backend runs them. Classes sit on dim 1 (dim 0 for unbatched input).
The unweighted pointwise losses (and xlogy) go through the pointwise_map primitive where the
device has it: one pass with the reduction in the same loop (the WASM kernels); its reference
and its gradient are pointwise_map_decomposed.
"""
import warnings

from .. import _dtype as D
from .. import _grad_mode
from .._device import CPU
from .._dispatch import dispatch, provides
from .._grad_mode import is_grad_enabled
from .._tensor import Tensor
from .elementwise import _TNAME, binary, unary, where
from .reduce import log_softmax, sum as _sum

_REDUCTIONS = ("none", "mean", "sum")


def _reduction(size_average, reduce, reduction):
    """torch's _Reduction.legacy_get_string for the deprecated size_average / reduce."""
    if size_average is not None or reduce is not None:
        warnings.warn("size_average and reduce args will be deprecated, please use "
                      "reduction='{}' instead.", stacklevel=3)
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    if reduction == "none":
        return loss
    return _sum(loss) if reduction == "sum" else loss.mean()


def _check_tensors(fn, **tensors):
    for i, (name, t) in enumerate(tensors.items()):
        if not isinstance(t, Tensor) and not (t is None and i >= 2):
            raise TypeError(f"{fn}(): argument '{name}' (position {i + 1}) must be Tensor, not "
                            f"{type(t).__name__}")


def _sizes(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _tsize(shape):
    return "torch.Size([" + ", ".join(str(s) for s in shape) + "])"


# ---- class-index losses ----------------------------------------------------------------------
def _check_target_dtype(target):
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got "
                           f"{_TNAME[target.dtype.name]}")


def _nll_checks(input, target, weight):
    """nll_loss_nd's shape checks; returns the number of classes."""
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and (target.dim() == 0 or input.shape[0] != target.shape[0]):
        tb = target.shape[0] if target.dim() else 1
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target "
                         f"batch_size ({tb}).")
    c = input.shape[1] if input.dim() > 1 else input.shape[0]
    if input.dim() == 1 and target.dim() == 1 and target.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: "
                         f"{target.shape[0]}")
    if input.dim() <= 2:
        if target.dim() > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif input.dim() == 4:
        if target.dim() != 3:
            raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got "
                               f"targets of dimension: {target.dim()}")
        if tuple(target.shape[1:]) != tuple(input.shape[2:]):
            raise RuntimeError(f"size mismatch (got input: {_sizes(input.shape)} , target: "
                               f"{_sizes(target.shape)}")
    elif tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size {_sizes((input.shape[0],) + input.shape[2:])}, "
                           f"got {_sizes(target.shape)}")
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        if input.dim() == 4 and weight.numel() != c:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {_sizes(weight.shape)}")
    _check_target_dtype(target)
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError(f"expected scalar type {_TNAME[input.dtype.name]} but found "
                           f"{_TNAME[weight.dtype.name]}")
    if input.dtype.category != 2:
        raise NotImplementedError(f"\"nll_loss_out_frame\" not implemented for "
                                  f"'{_TNAME[input.dtype.name]}'")
    return c


def _nll(logp, target, weight, ignore_index, reduction):
    """-logp[target] per element (weighted), with torch's bounds check and mean rule."""
    c = _nll_checks(logp, target, weight)
    if logp.dim() == 1 and target.dim() == 1:
        target = target.reshape(())   # torch takes a size-1 target for unbatched input
    t = target.to(D.int64)
    valid = binary("ne", t, ignore_index)
    bad = valid & (binary("lt", t, 0) | binary("ge", t, c))
    if bad.any().item():
        raise IndexError(f"Target {t[bad].reshape(-1)[0].item()} is out of bounds.")
    safe = where(valid, t, 0)
    cdim = 1 if logp.dim() > 1 else 0
    picked = logp.gather(cdim, safe.unsqueeze(cdim)).squeeze(cdim)
    zero = Tensor._empty((), logp.dtype).zero_()
    if weight is None:
        w = valid.to(logp.dtype)
        loss = where(valid, unary("neg", picked), zero)
    else:
        w = where(valid, weight.index_select(0, safe.reshape(-1)).reshape(safe.shape), zero)
        loss = where(valid, unary("neg", picked) * w, zero)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return _sum(loss)
    return _sum(loss) / _sum(w)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    _check_tensors("nll_loss", input=input, target=target, weight=weight)
    reduction = _reduction(size_average, reduce, reduction)
    return _nll(input, target, weight, ignore_index, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    _check_tensors("cross_entropy", input=input, target=target, weight=weight)
    reduction = _reduction(size_average, reduce, reduction)
    if label_smoothing > 1.0:   # torch lets negative values through (and ignores them)
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: "
                           f"{float(label_smoothing):g}")
    cdim = 1 if input.dim() > 1 else 0
    if input.shape == target.shape and target.dtype.category != 2:
        raise RuntimeError(f"Expected floating point type for target with class probabilities, "
                           f"got {_TNAME[target.dtype.name]}")
    if input.dim() == 0:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    if input.shape == target.shape:
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing, cdim)
    if input.dtype.category != 2:
        raise NotImplementedError(f"\"log_softmax_lastdim_kernel_impl\" not implemented for "
                                  f"'{_TNAME[input.dtype.name]}'")
    if weight is None and input.dim() == 2 and target.dim() == 1 and \
            target.dtype is D.int64 and input.dtype is D.float32 and \
            provides("cross_entropy", input.device):
        # one fused kernel call forward, its gradient written on the way (ops/backward_ops.py)
        _nll_checks(input, target, None)
        from .backward_ops import cross_entropy_fused
        return cross_entropy_fused(input, target, ignore_index, max(label_smoothing, 0.0),
                                   reduction, input.requires_grad and is_grad_enabled())
    return cross_entropy_ops(input, target, weight, ignore_index, reduction, label_smoothing)


def cross_entropy_ops(input, target, weight, ignore_index, reduction, label_smoothing):
    """cross_entropy with class-index targets as log_softmax + nll (+ smoothing) ops."""
    cdim = 1 if input.dim() > 1 else 0
    logp = log_softmax(input, cdim)
    nll = _nll(logp, target, weight, ignore_index, reduction)
    if label_smoothing <= 0:
        return nll
    c = input.shape[cdim]
    valid = binary("ne", target.to(D.int64), ignore_index)
    zero = Tensor._empty((), logp.dtype).zero_()
    if weight is None:
        smooth = where(valid, unary("neg", _sum(logp, cdim)), zero)
    else:
        wshape = [1] * input.dim()
        wshape[cdim] = c
        smooth = where(valid, unary("neg", _sum(logp * weight.reshape(wshape), cdim)), zero)
    if reduction == "mean":
        if weight is None:
            # a float count (exact below 2**24): every device sums floats, not all sum bools
            denom = _sum(valid.to(logp.dtype))
        else:
            t = target.to(D.int64)
            denom = _sum(where(valid, weight.index_select(0, where(valid, t, 0).reshape(-1))
                               .reshape(t.shape), zero))
        smooth = _sum(smooth) / denom
    elif reduction == "sum":
        smooth = _sum(smooth)
    return nll * (1 - label_smoothing) + smooth * (label_smoothing / c)


def _cross_entropy_probs(input, target, weight, reduction, label_smoothing, cdim):
    if input.dtype.category != 2:
        raise NotImplementedError(f"\"log_softmax_lastdim_kernel_impl\" not implemented for "
                                  f"'{_TNAME[input.dtype.name]}'")
    c = input.shape[cdim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != c):
        raise RuntimeError(f"weight tensor should be defined either for all {c} classes or no "
                           f"classes but got weight tensor of shape: {_sizes(weight.shape)}")
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / c
    prod = log_softmax(input, cdim) * target
    if weight is not None:
        wshape = [1] * input.dim()
        wshape[cdim] = c
        prod = prod * weight.reshape(wshape)
    loss = unary("neg", _sum(prod, cdim))
    if reduction == "mean":
        n = input.numel() // c if c else 0
        return _sum(loss) / n if n else _sum(loss) / 0.0
    return _reduce(loss, reduction)


# ---- pointwise losses: one primitive ---------------------------------------------------------
def _elementwise_loss(kind, x, y, p):
    """The loss of each element as ops (the decomposition of pointwise_map)."""
    if kind == "mse":
        d = x - y
        return d * d
    if kind == "l1":
        return unary("abs", x - y)
    if kind == "smooth_l1":
        z = unary("abs", x - y)
        return where(binary("lt", z, p), z * z * (0.5 / p), z - 0.5 * p)
    if kind == "huber":
        z = unary("abs", x - y)
        return where(binary("lt", z, p), z * z * 0.5, (z - 0.5 * p) * p)
    if kind == "bce":      # torch clamps each log at -100 so that 0 * log(0) is 0, not nan
        log_x = unary("log", x).clamp_min(-100.0)
        log_1mx = unary("log", 1 - x).clamp_min(-100.0)
        return unary("neg", y * log_x + (1 - y) * log_1mx)
    if kind == "bce_logits":   # (1 - y) x - log(sigmoid(x)), the log as min(x, 0) - log1p(e^-|x|)
        return (1 - y) * x - _log_sigmoid(x)
    if kind == "kl_div_log":
        return unary("exp", y) * (y - x)
    if kind == "kl_div":   # xlogy(y, y): 0 where y == 0 (and nan for y < 0, as log is)
        tlogt = where(binary("eq", y, 0), Tensor._empty((), y.dtype).zero_(), y * unary("log", y))
        return tlogt - y * x
    if kind == "xlogy_log":        # xlogy(x, t) of integers, y = log(t): 0 where x == 0
        return where(binary("eq", x, 0), Tensor._empty((), x.dtype).zero_(), x * y)
    if kind == "nan_to_zero":      # nansum's elements
        return where(binary("ne", x, x), 0.0, x)
    if kind == "not_nan":          # nanmean's count
        return binary("eq", x, x).to(x.dtype)
    if kind in ("trunc", "frac"):
        from .elementwise import trunc_ops
        t = trunc_ops(x)
        return t if kind == "trunc" else x - t
    from .elementwise import xlogy_ops
    return xlogy_ops(x, y)


def _log_sigmoid(x):
    return x.clamp_max(0.0) - unary("log1p", unary("exp", unary("neg", unary("abs", x))))


def pointwise_map_decomposed(x, y, kind, param, reduction):
    return _reduce(_elementwise_loss(kind, x, y, param), reduction)


def _ref_pointwise_map(out, x, y, kind, param, reduction):
    if kind == "bce":
        _check_bce_range(x, y)
    if x.dtype in (D.float16, D.bfloat16):     # opmath float32, rounded once into out
        x, y = x.to(D.float32), y.to(D.float32)
    with _grad_mode.no_grad():
        dispatch("copy", out, pointwise_map_decomposed(x, y, kind, param, reduction)
                 .reshape(out.shape))


REFERENCE = {"pointwise_map": _ref_pointwise_map}


def pointwise_map(x, y, kind, param=0.0, reduction="none"):
    """The loss `kind` of float x and y (same shape) with its reduction: one primitive call
    (half dtypes computed in float32) where the device has it, else the decomposition."""
    if x.dtype is not y.dtype or x.dtype.category != 2 or x.device != y.device or \
            not provides("pointwise_map", x.device):
        if kind == "bce":
            _check_bce_range(x, y)
        return pointwise_map_decomposed(x, y, kind, param, reduction)
    # float16 / bfloat16: computed in float32 by the CPU backends themselves (rounded once)
    comp = x.dtype if x.dtype in (D.float32, D.float64) or x._storage.device is CPU else \
        D.float32
    out = Tensor._empty(tuple(x.shape) if reduction == "none" else (), comp, x.device)
    dispatch("pointwise_map", out, x.to(comp), y.to(comp), kind, param, reduction)
    return out if comp is x.dtype else out.to(x.dtype)


def _check_bce_range(x, y):
    """torch's checks (a nan fails them)."""
    for t, name in ((x, "input"), (y, "target")):
        if t.numel() and not ((t >= 0) & (t <= 1)).all().item():
            raise RuntimeError(f"all elements of {name} should be between 0 and 1")


# ---- regression losses -----------------------------------------------------------------------
def _pointwise_prep(fn, input, target, size_average, reduce, reduction, weight=None):
    _check_tensors(fn, input=input, target=target)
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({_tsize(target.shape)}) that is different to the "
                      f"input size ({_tsize(input.shape)}). This will likely lead to incorrect "
                      f"results due to broadcasting. Please ensure they have the same size.",
                      stacklevel=3)
    reduction = _reduction(size_average, reduce, reduction)
    from .._shape import broadcast_shapes
    shape = broadcast_shapes(input.shape, target.shape)
    if weight is not None and tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    return input.expand(shape), target.expand(shape), reduction


def _weighted(errors, weight, reduction):
    errors = errors * weight
    if reduction == "none":
        return errors
    return _sum(errors) if reduction == "sum" else _sum(errors) / _sum(weight)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    x, y, reduction = _pointwise_prep("mse_loss", input, target, size_average, reduce,
                                      reduction, weight)
    if weight is not None:
        d = x - y
        return _weighted(d * d, weight, reduction)
    dt = D.result_type_of([x, y])
    if dt.category != 2:
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{_TNAME[dt.name]}'")
    return pointwise_map(x.to(dt), y.to(dt), "mse", 0.0, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    x, y, reduction = _pointwise_prep("l1_loss", input, target, size_average, reduce,
                                      reduction, weight)
    if weight is not None:
        return _weighted(unary("abs", x - y), weight, reduction)
    dt = D.result_type_of([x, y])
    if dt.category == 2:
        return pointwise_map(x.to(dt), y.to(dt), "l1", 0.0, reduction)
    return _reduce(unary("abs", x - y), reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    x, y, reduction = _pointwise_prep("smooth_l1_loss", input, target, size_average, reduce,
                                      reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    if beta == 0.0:
        return l1_loss(x, y, reduction=reduction)
    dt = D.result_type_of([x, y])
    if dt.category != 2:
        raise NotImplementedError(f"\"smooth_l1_cpu\" not implemented for "
                                  f"'{_TNAME[dt.name]}'")
    return pointwise_map(x.to(dt), y.to(dt), "smooth_l1", beta, reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    x, y, reduction = _pointwise_prep("huber_loss", input, target, None, None, reduction,
                                      weight)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    dt = D.result_type_of([x, y])
    if dt.category != 2:
        raise NotImplementedError(f"\"huber_cpu\" not implemented for "
                                  f"'{_TNAME[dt.name]}'")
    x, y = x.to(dt), y.to(dt)
    if weight is None:
        return pointwise_map(x, y, "huber", delta, reduction)
    return _reduce(_elementwise_loss("huber", x, y, delta) * weight, reduction)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    _check_tensors("kl_div", input=input, target=target)
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    if reduction not in _REDUCTIONS + ("batchmean",):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if input.dtype.category != 2 or target.dtype.category != 2:
        raise RuntimeError("kl_div: Integral inputs not supported.")
    kind = "kl_div_log" if log_target else "kl_div"
    if reduction == "batchmean":
        total = _kl(input, target, kind, "sum")
        return total / input.shape[0] if input.dim() else total
    return _kl(input, target, kind, reduction)


def _kl(input, target, kind, reduction):
    if input.shape == target.shape and input.dtype is target.dtype:
        return pointwise_map(input, target, kind, 0.0, reduction)
    return _reduce(_elementwise_loss(kind, input, target, 0.0), reduction)


# ---- binary cross entropy --------------------------------------------------------------------
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    _check_tensors("binary_cross_entropy", input=input, target=target, weight=weight)
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({_tsize(target.shape)}) that is different to the "
                         f"input size ({_tsize(input.shape)}) is deprecated. Please ensure they "
                         f"have the same size.")
    if weight is not None:
        from .._shape import broadcast_shapes
        try:
            ok = broadcast_shapes(weight.shape, target.shape) == tuple(target.shape)
        except RuntimeError:
            ok = False
        else:
            _check_inplace_bcast(input, weight)
        if not ok:
            n, at = _bad_dim(weight.shape, target.shape)
            raise RuntimeError(f"Attempting to broadcast a dimension of length {n} at {at}! "
                               f"Mismatching argument at index 1 had {_tsize(weight.shape)}; "
                               f"but expected shape should be broadcastable to "
                               f"{_sizes(target.shape)}")
    if target.dtype is not input.dtype:
        raise RuntimeError(f"Found dtype {_TNAME[target.dtype.name]} but expected "
                           f"{_TNAME[input.dtype.name]}")
    if input.dtype.category != 2:
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for "
                                  f"'{_TNAME[input.dtype.name]}'")
    if weight is None:      # the range checks happen in the primitive (or before the ops)
        return pointwise_map(input, target, "bce", 0.0, reduction)
    _check_bce_range(input, target)
    return _reduce(_elementwise_loss("bce", input, target, 0.0) * weight, reduction)


def _check_inplace_bcast(input, t, first=False):
    """torch scales the loss in place: an operand that broadcasts past the input's shape is
    an error there (first: the operand is the left one of torch's product)."""
    from .._shape import broadcast_shapes
    if t is None:
        return
    shape = broadcast_shapes(t.shape, input.shape) if first else \
        broadcast_shapes(input.shape, t.shape)
    if tuple(shape) != tuple(input.shape):
        raise RuntimeError(f"output with shape {_sizes(input.shape)} doesn't match the "
                           f"broadcast shape {_sizes(shape)}")


def _bad_dim(shape, target):
    """(length, negative dim) of the first dim of shape, from the right, that does not
    broadcast to target."""
    for k, (a, b) in enumerate(zip(reversed(shape), reversed(target))):
        if a != b and a != 1:
            return a, -1 - k
    return shape[0], -len(shape)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    _check_tensors("binary_cross_entropy_with_logits", input=input, target=target,
                   weight=weight, pos_weight=pos_weight)
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({_tsize(target.shape)}) must be the same as input size "
                         f"({_tsize(input.shape)})")
    rt = D.result_type_of([target, input])
    if target.dtype.category != 2 or rt.category != 2:
        raise RuntimeError(f"result type {_TNAME[rt.name]} can't be cast to the desired output "
                           f"type {_TNAME[target.dtype.name]}")
    _check_inplace_bcast(input, pos_weight, first=True)
    _check_inplace_bcast(input, weight)
    if pos_weight is None and weight is None and target.dtype is input.dtype:
        return pointwise_map(input, target, "bce_logits", 0.0, reduction)
    # log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): stable for any x
    log_sig = _log_sigmoid(input)
    if pos_weight is not None:
        log_sig = log_sig * ((pos_weight - 1) * target + 1)
    loss = (1 - target) * input - log_sig
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)
