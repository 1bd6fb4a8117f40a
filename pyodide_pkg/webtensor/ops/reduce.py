"""Reductions over any dims with keepdim, scans, softmax."""
from collections import namedtuple

from .. import _dtype as D
from .._shape import norm_dim, norm_dims
from .._tensor import Tensor
from .._device import CPU
from .._dispatch import dispatch
from .elementwise import _compute, binary, unary

values_indices = namedtuple("values_indices", ["values", "indices"])


def _reduce(op, x, dim, keepdim, out_dtype, **params):
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' must be Tensor, not {type(x).__name__}")
    # all/any treat dim=() as "reduce nothing"; the other reductions as "reduce everything"
    dims = () if op in ("all", "any") and _is_empty_dims(dim) else norm_dims(dim, x.dim())
    comp = _compute(out_dtype) if op not in _NO_COMPUTE else None
    src = x
    if comp is not None and x.dtype is not comp:
        if not _reads_narrow(x):
            src = x.to(comp)
        elif op in ("amax", "amin"):        # exact in the input dtype
            comp = out_dtype
    kshape = tuple(1 if d in dims else s for d, s in enumerate(x.shape))
    out = Tensor._empty(kshape, comp or out_dtype, x.device)
    dispatch("reduce", op, out, src, dims, **params)
    if comp is not None and comp is not out_dtype:
        out = out.to(out_dtype)
    if not keepdim:
        out = out.view(tuple(s for d, s in enumerate(x.shape) if d not in dims))
    return out


_HALF = (D.float16, D.bfloat16)
_NO_COMPUTE = ("argmax", "argmin", "all", "any", "count_nonzero")


def _reads_narrow(x):
    """The cpu backends read an integer or float16/bfloat16 x straight into the wider
    accumulation dtype of a reduction or scan (no converted copy). Not under autograd, which
    records the cast."""
    return x.device.type == "cpu" and not x.requires_grad


def _is_empty_dims(dim):
    return isinstance(dim, (tuple, list)) and not dim


def _sum_dtype(x, dtype):
    if dtype is not None:
        return D.as_dtype(dtype)
    return D.int64 if x.dtype.category < 2 else x.dtype


def _x_dtype(x, dtype):
    return x if dtype is None else x.to(D.as_dtype(dtype))


def sum(x, dim=None, keepdim=False, dtype=None):
    return _reduce("sum", _x_dtype(x, dtype), dim, keepdim, _sum_dtype(x, dtype))


def prod(x, dim=None, keepdim=False, dtype=None):
    return _reduce("prod", _x_dtype(x, dtype), dim, keepdim, _sum_dtype(x, dtype))


def mean(x, dim=None, keepdim=False, dtype=None):
    dt = D.as_dtype(dtype) or x.dtype
    if dt.category < 2:
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {_title(dt)}")
    return _reduce("mean", _x_dtype(x, dtype), dim, keepdim, dt)


def _title(dt):
    from .elementwise import _TNAME
    return _TNAME[dt.name]


def _check_nonempty(name, x, dims, whole=False):
    """whole: no dim was given. torch's error type differs: arg* IndexError, the rest Runtime."""
    if whole:
        if x.numel() == 0:
            msg = f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            if name.startswith("arg"):
                raise IndexError(msg)
            raise RuntimeError(msg + " Specify the reduction dim with the 'dim' argument.")
        return
    for d in dims:
        if x.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _amax_amin(op, x, dim, keepdim):
    whole = dim is None or _is_empty_dims(dim)
    dims = norm_dims(None if whole else dim, x.dim())
    _check_nonempty(op, x, dims, whole)
    return _reduce(op, x, dims, keepdim, x.dtype)


def amax(x, dim=(), keepdim=False):
    return _amax_amin("amax", x, dim, keepdim)


def amin(x, dim=(), keepdim=False):
    return _amax_amin("amin", x, dim, keepdim)


def _arg(op, x, dim, keepdim):
    if dim is None:
        _check_nonempty(op, x, (), whole=True)
        r = _reduce(op, x.reshape(-1), 0, False, D.int64)
        return r.view([1] * x.dim()) if keepdim else r
    d = norm_dim(dim, x.dim())
    _check_nonempty(op, x, (d,) if x.dim() else ())
    return _reduce(op, x, d, keepdim, D.int64)


def _arg_public(op, x, dim, keepdim):
    if isinstance(x, Tensor) and x.dtype is D.bool_:  # max(x, dim) on bool is fine, argmax not
        raise RuntimeError(f"{op}(): does not support bool input")
    return _arg(op, x, dim, keepdim)


def argmax(x, dim=None, keepdim=False):
    return _arg_public("argmax", x, dim, keepdim)


def argmin(x, dim=None, keepdim=False):
    return _arg_public("argmin", x, dim, keepdim)


def _max_min(name, op, x, dim, keepdim):
    if isinstance(dim, Tensor):
        return binary("maximum" if name == "max" else "minimum", x, dim)
    if dim is None:
        _check_nonempty(name, x, (), whole=True)
        return _reduce(op, x, None, False, x.dtype)
    return values_indices(_reduce(op, x, dim, keepdim, x.dtype) if x.dim() else x.clone(),
                          _arg("argmax" if name == "max" else "argmin", x, dim, keepdim))


def max(x, dim=None, keepdim=False):
    return _max_min("max", "amax", x, dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _max_min("min", "amin", x, dim, keepdim)


def _correction(unbiased, correction):
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def _var(x, dim, unbiased, keepdim, correction, dtype=None):
    """dtype: the result dtype (std of float16/bfloat16 takes the float32 variance)"""
    if isinstance(dim, bool):  # var(x, False): positional unbiased
        dim, unbiased = None, dim
    if x.dtype.category < 2:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    return _reduce("var", x, dim, keepdim, dtype or x.dtype,
                   correction=_correction(unbiased, correction))


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var(x, dim, unbiased, keepdim, correction)


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    # float16/bfloat16: the square root of the float32 variance, rounded once (torch's opmath)
    half = getattr(x, "dtype", None) in _HALF
    r = unary("sqrt", _var(x, dim, unbiased, keepdim, correction, D.float32 if half else None))
    return r.to(x.dtype) if half else r


def var_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (var(x, dim, unbiased, keepdim, correction=correction), mean(x, dim, keepdim))


def std_mean(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (std(x, dim, unbiased, keepdim, correction=correction), mean(x, dim, keepdim))


def logsumexp(x, dim, keepdim=False):
    dt = x.dtype if x.dtype.category == 2 else D.get_default_dtype()
    return _reduce("logsumexp", x.to(dt), dim, keepdim, dt)


def _bool_dtype(x):
    # torch keeps uint8 for uint8 input (a legacy rule); every other dtype gives bool
    return D.uint8 if getattr(x, "dtype", None) is D.uint8 else D.bool_


def all(x, dim=None, keepdim=False):
    return _reduce("all", x, dim, keepdim, _bool_dtype(x))


def any(x, dim=None, keepdim=False):
    return _reduce("any", x, dim, keepdim, _bool_dtype(x))


def count_nonzero(x, dim=None):
    if isinstance(x, Tensor) and _reads_narrow(x):      # one pass over x's bits
        return _reduce("count_nonzero", x, dim, False, D.int64)
    return sum(binary("ne", x, 0), dim)


def _scan(op, x, dim, dtype):
    d = norm_dim(dim, x.dim())
    if x.dim() == 0:  # primitives work on dim >= 1
        return _scan(op, x.reshape(1), 0, dtype).view(())
    dt = D.as_dtype(dtype) or (D.int64 if x.dtype.category < 2 else x.dtype)
    comp = _compute(dt)
    # integers into int64, float16/bfloat16 in their own dtype (float32 accumulation)
    narrow = (x.dtype.category < 2 and comp is D.int64 or x.dtype is dt and comp is not dt) \
        and _reads_narrow(x)
    comp = dt if narrow and x.dtype is dt else comp
    out = Tensor._empty(x.shape, comp, x.device)
    dispatch(op, out, x if narrow else x.to(comp), d)
    return out if comp is dt else out.to(dt)


def cumsum(x, dim, dtype=None):
    return _scan("cumsum", x, dim, dtype)


def cumprod(x, dim, dtype=None):
    return _scan("cumprod", x, dim, dtype)


def _softmax(op, x, dim, dtype):
    if dim is None:
        raise TypeError(f"{op}() missing required argument 'dim'")
    d = norm_dim(dim, x.dim())
    if x.dim() == 0:  # primitives work on dim >= 1
        return _softmax(op, x.reshape(1), 0, dtype).view(())
    dt = D.as_dtype(dtype) or x.dtype
    if dt.category < 2:
        raise NotImplementedError(f'"{op}_lastdim_kernel_impl" not implemented for '
                                  f"'{_title(dt)}'")
    # float16 / bfloat16: computed in float32 by the CPU backends themselves (the wasm kernel
    # converts in L1, rounding once); other devices get float32 operands
    comp = dt if x._storage.device is CPU else _compute(dt)
    out = Tensor._empty(x.shape, comp, x.device)
    dispatch(op, out, x.to(dt).to(comp), d)  # dtype= casts the input first (f32 -> f16 rounds)
    return out if comp is dt else out.to(dt)


def softmax(x, dim=None, dtype=None):
    return _softmax("softmax", x, dim, dtype)


def log_softmax(x, dim=None, dtype=None):
    return _softmax("log_softmax", x, dim, dtype)


def _half_nan(op, x, dim, keepdim, dtype):
    """nansum / nanmean of float16/bfloat16 in one pass over x (float32 opmath), or None"""
    if x.dtype in _HALF and (dtype is None or D.as_dtype(dtype) is x.dtype) and \
            _reads_narrow(x):
        return _reduce(op, x, dim, keepdim, x.dtype)
    return None


def nansum(x, dim=None, keepdim=False, dtype=None):
    """sum with nan counted as zero (one pass where the device has pointwise_map)."""
    r = _half_nan("nansum", x, dim, keepdim, dtype)
    if r is not None:
        return r
    if x.dtype.category == 2:
        from .loss import pointwise_map
        whole = dim is None and not keepdim and (dtype is None or D.as_dtype(dtype) is x.dtype)
        if whole:
            return pointwise_map(x, x, "nan_to_zero", 0.0, "sum")
        x = pointwise_map(x, x, "nan_to_zero")
    return sum(x, dim, keepdim, dtype)


def nanmean(x, dim=None, keepdim=False, dtype=None):
    """mean of the non-nan elements (nan where there are none)."""
    if x.dtype.category < 2:
        mean(x, dtype=dtype)                     # torch's error for integer inputs
    r = _half_nan("nanmean", x, dim, keepdim, dtype)
    if r is not None:
        return r
    from .loss import pointwise_map
    if dim is None and not keepdim:              # the non-nan count
        n = pointwise_map(x, x, "not_nan", 0.0, "sum")
    else:
        n = pointwise_map(x, x, "not_nan").sum(dim, keepdim)
    return binary("div", nansum(x, dim, keepdim, dtype), n)
