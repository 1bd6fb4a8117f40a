"""conv1d / conv2d with torch's signatures, checks, messages and output shapes.

Both run on one primitive, conv2d(out, x, weight, bias, stride, padding, dilation, groups), over
NCHW tensors (conv1d is conv2d with H = 1). `padding` is the top/left zero padding only: the
output's size fixes how far the windows reach, so padding="same" with an even kernel (torch pads
one more on the right) needs no padded copy of the input.
"""
from .. import _dtype as D
from .._tensor import Tensor
from .._dispatch import dispatch
from .elementwise import _compute, _TNAME


def _type_check(fn, **tensors):
    for i, (arg, t) in enumerate(tensors.items()):
        if not isinstance(t, Tensor) and not (arg == "bias" and t is None):
            raise TypeError(f"{fn}(): argument '{arg}' (position {i + 1}) must be Tensor, "
                            f"not {type(t).__name__}")


def _int_tuple(fn, name, v, n):
    if isinstance(v, bool) or not isinstance(v, (int, tuple, list)) or \
            (isinstance(v, (tuple, list)) and not all(isinstance(e, int) and
                                                      not isinstance(e, bool) for e in v)):
        raise TypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                        f"{type(v).__name__}")
    return v


def expand_param(name, v, n):
    """torch's expand_param_if_needed: an int or a 1-element list repeats; else n values."""
    if isinstance(v, int):
        return (v,) * n
    v = tuple(v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                           f"values to match the convolution dimensions, but got "
                           f"{name}={list(v)}")
    return v


def _sizes(shape):
    return "[" + ", ".join(str(s) for s in shape) + "]"


def _conv(fn, nd, input, weight, bias, stride, padding, dilation, groups):
    """The shared body of conv1d (nd = 1) and conv2d (nd = 2)."""
    _type_check(fn, input=input, weight=weight, bias=bias)
    if input.dim() not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{fn}, but got input of size: {_sizes(input.shape)}")
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise TypeError(f"{fn}(): argument 'groups' must be int, not {type(groups).__name__}")
    batched = input.dim() == nd + 2
    x = input if batched else input.unsqueeze(0)
    stride = expand_param("stride", _int_tuple(fn, "stride", stride, nd), nd)
    dilation = expand_param("dilation", _int_tuple(fn, "dilation", dilation, nd), nd)
    same = False
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            if any(s != 1 for s in stride):
                raise RuntimeError("padding='same' is not supported for strided convolutions")
            same = True
        else:
            raise RuntimeError(f"Invalid padding string: '{padding}'")
    if not same:
        padding = expand_param("padding", _int_tuple(fn, "padding", padding, nd), nd)
    ws = tuple(weight.shape)
    if not same and any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError(f"dilation should be greater than zero, but got {list(dilation)}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.dim() != x.dim():
        raise RuntimeError(f"Expected {weight.dim()}-dimensional input for {weight.dim()}-"
                           f"dimensional weight {_sizes(ws)}, but got {x.dim()}-dimensional "
                           f"input of size {_sizes(x.shape)} instead")
    if ws[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at "
                           f"dimension 0, but got weight of size {_sizes(ws)} instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size [{_sizes(ws)}] instead")
    if x.shape[1] != ws[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {_sizes(ws)}, expected "
                           f"input{_sizes(x.shape)} to have {ws[1] * groups} channels, but got "
                           f"{x.shape[1]} channels instead")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != ws[0]):
        raise RuntimeError(f"Given weight of size {_sizes(ws)}, expected bias to be "
                           f"1-dimensional with {ws[0]} elements, but got bias of size "
                           f"{_sizes(bias.shape)} instead")
    ks = ws[2:]
    eff = tuple(d * (k - 1) + 1 for d, k in zip(dilation, ks))
    if same:
        # total padding d*(k-1); torch puts the odd one on the right/bottom
        padding = tuple((e - 1) // 2 for e in eff)
        padded = tuple(n + e - 1 for n, e in zip(x.shape[2:], eff))
    else:
        padded = tuple(n + 2 * p for n, p in zip(x.shape[2:], padding))
    if any(p < e for p, e in zip(padded, eff)):
        raise RuntimeError(f"Calculated padded input size per channel: "
                           f"({' x '.join(map(str, padded))}). Kernel size: "
                           f"({' x '.join(map(str, eff))}). Kernel size can't be greater than "
                           f"actual input size")
    dt = x.dtype
    osp = tuple((p - e) // s + 1 for p, e, s in zip(padded, eff, stride))
    if x.numel() == 0:
        # torch's empty-input shortcut: no dtype checks; no input channels -> no output ones
        out = Tensor._empty((x.shape[0], ws[0] if x.shape[1] else 0) + osp, dt, x.device)
        return out if batched else out.squeeze(0)
    if weight.dtype is not dt:
        raise RuntimeError(f"expected scalar type {_TNAME[dt.name]} but found "
                           f"{_TNAME[weight.dtype.name]}")
    if bias is not None and bias.dtype is not dt:
        raise RuntimeError(f"Input type ({_TNAME[dt.name].lower()}) and bias type "
                           f"({_TNAME[bias.dtype.name].lower()}) should be the same")
    if dt is D.bool_:
        raise NotImplementedError(f"\"slow_conv{nd if nd > 1 else 2}d_cpu\" not implemented "
                                  f"for 'Bool'")
    if dt.category == 1 and dt is not D.int64 and any(d > 1 for d in dilation):
        # torch's dilated CPU path has integer kernels for int64 only
        raise NotImplementedError(f"\"slow_conv_dilated<>\" not implemented for "
                                  f"'{_TNAME[dt.name]}'")
    comp = _compute(dt)
    if nd == 1:   # conv1d is conv2d over a height-1 image
        x, weight = x.unsqueeze(2), weight.unsqueeze(2)
        stride, padding, dilation, osp = (1,) + stride, (0,) + padding, (1,) + dilation, \
            (1,) + osp
    out = Tensor._empty((x.shape[0], ws[0]) + osp, comp, x.device)
    dispatch("conv2d", out, x.to(comp), weight.to(comp),
             None if bias is None else bias.to(comp), stride, padding, dilation, groups)
    if nd == 1:
        out = out.squeeze(2)
    if comp is not dt:
        out = out.to(dt)
    return out if batched else out.squeeze(0)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv2d", 2, input, weight, bias, stride, padding, dilation, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    return _conv("conv1d", 1, input, weight, bias, stride, padding, dilation, groups)
