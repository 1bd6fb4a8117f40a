"""matmul with torch's 1-D / 2-D / batched broadcasting rules, its named forms, and linear
(torch.nn.functional.linear) with the fused bias + activation form nn layers use."""
from .. import _dtype as D
from .._shape import broadcast_shapes, prod
from .._tensor import Tensor
from .._dispatch import dispatch
from .elementwise import _compute, _TNAME, binary, unary


def _check(a, b, name):
    for x, arg in ((a, "input"), (b, "other")):
        if not isinstance(x, Tensor):
            raise TypeError(f"{name}(): argument '{arg}' must be Tensor, not {type(x).__name__}")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_TNAME[a.dtype.name].lower()} != {_TNAME[b.dtype.name].lower()}")
    if a.dim() == 0 or b.dim() == 0:
        raise RuntimeError(f"both arguments to {name} need to be at least 1D, but they are "
                           f"{a.dim()}D and {b.dim()}D")


def matmul(a, b):
    _check(a, b, "matmul")
    if a.dim() == 1 and b.dim() == 1:
        if a.shape[0] != b.shape[0]:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                               f"[{b.shape[0]}] to have the same number of elements, but got "
                               f"{a.shape[0]} and {b.shape[0]} elements respectively")
        return _matmul(a.unsqueeze(0), b.unsqueeze(1), "dot").view(())
    if a.dim() == 1:
        return _matmul(a.unsqueeze(0), b, "addmv_impl_cpu" if b.dim() == 2 else "bmm"
                       ).squeeze(-2)
    if b.dim() == 1:
        return _matmul(a, b.unsqueeze(1), "addmv_impl_cpu" if a.dim() == 2 else "bmm"
                       ).squeeze(-1)
    return _matmul(a, b, "addmm_impl_cpu_" if a.dim() == b.dim() == 2 else "bmm")


def _matmul(a, b, kernel="addmm_impl_cpu_"):
    m, k = a.shape[-2:]
    k2, n = b.shape[-2:]
    if k != k2:
        if a.dim() == 2 and b.dim() == 2:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})")
        nb = prod(b.shape[:-2])  # (a slice of a Size is a plain tuple)
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{nb}, {k}] but got: [{nb}, {k2}].")
    batch = broadcast_shapes(a.shape[:-2], b.shape[:-2])
    dt = a.dtype
    # torch has no bool kernels; it only gets to them when there is something to compute
    # (dot always does)
    if dt is D.bool_ and (kernel == "dot" or (k and prod(batch) * m * n)):
        raise NotImplementedError(f'"{kernel}" not implemented for \'Bool\'')
    comp = _compute(dt)
    out = Tensor._empty(batch + (m, n), comp, a.device)
    if comp is dt:   # no views to build when the batch dims already agree (per-call cost)
        if a.shape[:-2] != batch:
            a = a.expand(batch + (m, k))
        if b.shape[:-2] != batch:
            b = b.expand(batch + (k, n))
        dispatch("matmul", out, a, b)
        return out
    dispatch("matmul", out, a.to(comp).expand(batch + (m, k)), b.to(comp).expand(batch + (k, n)))
    return out.to(dt)


def mm(a, b):
    _check(a, b, "mm")
    if a.dim() != 2 or b.dim() != 2:
        raise RuntimeError("self must be a matrix" if a.dim() != 2 else "mat2 must be a matrix")
    return _matmul(a, b, "addmm_impl_cpu_")


def bmm(a, b):
    _check(a, b, "bmm")
    if a.dim() != 3 or b.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if a.dim() != 3 else
                           "batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got "
                           f"{a.shape[0]} and {b.shape[0]}")
    return _matmul(a, b, "bmm")


def _half_rows(a, b):
    """dot / mv of float16/bfloat16 on the cpu backends: the products summed in float32 straight
    from the halves (torch's opmath), rounded once; None elsewhere (autograd: matmul's path)."""
    if a.dtype not in (D.float16, D.bfloat16) or a.device.type != "cpu" or \
            a.requires_grad or b.requires_grad or a.shape[-1] != b.shape[0]:
        return None
    out = Tensor._empty((a.shape[0] if a.dim() == 2 else 1, 1), D.float32)
    dispatch("matmul", out, a if a.dim() == 2 else a.unsqueeze(0), b.unsqueeze(1))
    return out.to(a.dtype)


def dot(a, b):
    _check(a, b, "dot")
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    r = _half_rows(a, b)
    return matmul(a, b) if r is None else r.view(())


def mv(a, b):
    _check(a, b, "mv")
    if a.dim() != 2 or b.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.dim()}, {b.dim()}")
    r = _half_rows(a, b)
    return matmul(a, b) if r is None else r.view(a.shape[0])


def outer(a, b):
    return binary("mul", a.unsqueeze(1), b.unsqueeze(0))


# ---- linear: y = x @ W^T + b, and its fused-epilogue form ---------------------------------
ACTIVATIONS = (None, "relu", "gelu", "gelu_tanh", "silu")


def _type_check(name, **args):
    for pos, (arg, v) in enumerate(args.items(), 1):
        if not isinstance(v, Tensor) and not (arg == "bias" and v is None):
            raise TypeError(f"{name}(): argument '{arg}' (position {pos}) must be Tensor, "
                            f"not {type(v).__name__}")


def _tname(dt):
    return _TNAME[dt.name]


def linear(input, weight, bias=None):
    """torch.nn.functional.linear: input [*, K] @ weight.T + bias, weight [N, K] or [K]."""
    return linear_act(input, weight, bias, None, _name="linear")


def linear_act(input, weight, bias=None, activation=None, _name="linear"):
    """act(linear(input, weight, bias)) in one pass: the bias and the activation (None,
    "relu", "gelu", "gelu_tanh", "silu") are applied as the product is stored (the `linear`
    primitive; the reference backend decomposes it into matmul + add + unary). For nn layers."""
    _type_check(_name, input=input, weight=weight, bias=bias)
    if activation not in ACTIVATIONS:
        raise ValueError(f"linear_act: activation must be one of {ACTIVATIONS}, got "
                         f"{activation!r}")
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are "
                           f"{input.dim()}D and {weight.dim()}D")
    if weight.dim() > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{weight.dim()}D")
    if input.dtype is not weight.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                           f"{_tname(input.dtype).lower()} != {_tname(weight.dtype).lower()}")
    if bias is not None and bias.dtype is not weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                           f"{_tname(bias.dtype)} and {_tname(weight.dtype)}")
    k = input.shape[-1]
    m = prod(input.shape[:-1])
    if weight.dim() == 1:       # a vector: [*, K] @ [K] -> [*]
        # torch goes through addmm (which needs a matrix) for a 2-D input or a 1-D bias
        if bias is not None and (bias.dim() != 0 or input.dim() == 2):
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
        if weight.shape[0] != k and input.dim() > 1:
            raise RuntimeError(f"size mismatch, got input ({m}), mat ({m}x{k}), "
                               f"vec ({weight.shape[0]})")
        out = matmul(input, weight)
        return _epilogue(out, bias, activation)
    n, k2 = weight.shape
    if k2 != k:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({m}x{k} and {k2}x{n})")
    shape = input.shape[:-1] + (n,)
    if bias is not None:
        bshape = broadcast_shapes(shape, bias.shape)   # raises torch's broadcast error
        if bshape != shape:
            raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast "
                               f"shape {list(bshape)}")
    dt = input.dtype
    if dt is D.bool_ and k and m * n:
        raise NotImplementedError('"addmm_impl_cpu_" not implemented for \'Bool\'')
    comp = _compute(dt)
    vec_bias = bias is None or bias.shape in ((n,), (1,), ())
    if not vec_bias or (activation is not None and comp.category != 2):
        # bias of another shape ([M, N], [*, 1, N], ...) or an integer activation: unfused
        return _epilogue(linear_act(input, weight), bias, activation)
    out = Tensor._empty(shape, comp, input.device)
    b = bias if bias is None or (bias.shape == (n,) and comp is dt) else \
        bias.to(comp).reshape(-1).expand(n)
    dispatch("linear", out, input.to(comp), weight.to(comp), b, activation)
    return out if comp is dt else out.to(dt)


def _epilogue(out, bias, activation):
    """The unfused decomposition of linear_act's epilogue."""
    if bias is not None:
        out = binary("add", out, bias)
    if activation == "gelu_tanh":
        return unary("gelu", out, approximate="tanh")
    return out if activation is None else unary(activation, out)
