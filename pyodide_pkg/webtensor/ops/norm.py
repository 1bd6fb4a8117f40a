"""Normalisation ops: layer_norm, rms_norm (fused primitives) and group_norm (on layer_norm).

The op layer checks arguments like torch, casts to the compute dtype (half types compute in
float32, as torch's CPU kernels do) and flattens the input to [rows, n] rows of the
normalised elements. A backend with the fused primitive gets one dispatch; a backend without
it runs the decomposition (mean / var / rsqrt / mul / add primitives), see `decomposed`.
"""
from .. import _dtype as D
from .._tensor import Tensor
from .._device import CPU
from .._dispatch import dispatch, provides
from .._grad_mode import is_grad_enabled
from .elementwise import _compute, binary, unary
from .reduce import mean, var

# torch.finfo(dtype).eps: rms_norm's default eps
FINFO_EPS = {"float32": 2.0 ** -23, "float64": 2.0 ** -52, "float16": 2.0 ** -10,
             "bfloat16": 2.0 ** -7}


def _shape_list(normalized_shape, fname):
    if isinstance(normalized_shape, int) and not isinstance(normalized_shape, bool):
        return [normalized_shape]   # F.layer_norm(x, 4) fails in torch's binding, nn allows it
    try:
        return [int(s) for s in normalized_shape]
    except TypeError:
        raise TypeError(f"{fname}(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}") from None


def _check_shape(x, shape, sep):
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    if x.dim() < len(shape) or list(x.shape[x.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={shape}, expected input with shape "
                           f"[*{sep}{', '.join(map(str, shape))}], but got input of "
                           f"size{list(x.shape)}")


def _check_param(p, what, shape):
    if p is None:
        return
    if not isinstance(p, Tensor):
        raise TypeError(f"{what} must be a Tensor or None, not {type(p).__name__}")
    if list(p.shape) != shape:
        raise RuntimeError(f"Expected {what} to be of same shape as normalized_shape, but got "
                           f"{what} of shape {list(p.shape)} and normalized_shape = {shape}")


def _check_input(x, fname, kernel):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dtype.category < 2:
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{D.TNAME[x.dtype.name]}'")


def _rows(x, n):
    rows = x.numel() // n if n else 0
    return x.reshape(rows, n)


def _as(p, dt):
    return None if p is None else (p if p.dtype is dt else p.to(dt))


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    x = input
    _check_input(x, "layer_norm", "LayerNormKernelImpl")
    shape = _shape_list(normalized_shape, "layer_norm")
    _check_shape(x, shape, ", ")
    _check_param(weight, "weight", shape)
    _check_param(bias, "bias", shape)
    for p in (weight, bias):   # torch's CPU rule: params match the input, or f32 for half input
        if p is not None and p.dtype is not x.dtype and not (
                p.dtype is D.float32 and x.dtype in (D.float16, D.bfloat16)):
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype."
                               if p.dtype is D.float32 else
                               "mixed dtype (CPU): expect parameter to have scalar type of Float")
    return _run("layer_norm", x, shape, (weight, bias), float(eps))


def rms_norm(input, normalized_shape, weight=None, eps=None):
    x = input
    _check_input(x, "rms_norm", "rms_norm")
    shape = _shape_list(normalized_shape, "rms_norm")
    _check_shape(x, shape, "")
    _check_param(weight, "weight", shape)
    if weight is not None and weight.dtype.category < 2:
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    eps = FINFO_EPS[x.dtype.name] if eps is None else float(eps)
    return _run("rms_norm", x, shape, (weight,), eps)


def _run(op, x, shape, params, eps):
    n = 1
    for s in shape:
        n *= s
    comp = _compute(x.dtype)
    if comp is not x.dtype and x._storage.device is CPU and provides(op, x.device) and \
            all(p is None or p.dtype is x.dtype for p in params):
        comp = x.dtype     # the CPU backends compute float16 / bfloat16 in float32 themselves
    xr = _rows(x.to(comp), n)
    ps = [_as(p, comp) for p in params]
    ps = [None if p is None else p.reshape(n) for p in ps]
    if provides(op, xr.device):
        out = Tensor._empty(xr.shape, comp, xr.device)
        dispatch(op, out, xr, *ps, eps)
    else:
        out = decomposed(op, xr, *ps, eps)
    out = out.view(x.shape)
    return out if comp is x.dtype else out.to(x.dtype)


def decomposed(op, x, *params_eps):
    """op on [rows, n] rows from primitives only: what a backend without the fused kernel
    runs. Same arguments as the primitive, minus `out`; returns a new tensor."""
    *params, eps = params_eps
    if op == "layer_norm":
        m = mean(x, -1, keepdim=True)
        v = var(x, -1, keepdim=True, correction=0)
        y = binary("mul", binary("sub", x, m), unary("rsqrt", binary("add", v, eps)))
        w, b = params
    else:
        ms = mean(binary("mul", x, x), -1, keepdim=True)
        y = binary("mul", x, unary("rsqrt", binary("add", ms, eps)))
        w, b = params[0], None
    if w is not None:
        y = binary("mul", y, w)
    if b is not None:
        y = binary("add", y, b)
    return y


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """torch.nn.functional.group_norm: layer_norm over each group's [C/G, *] block, then the
    per-channel affine."""
    x = input
    if not isinstance(x, Tensor):
        raise TypeError("group_norm(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{x.dim()}")
    if x.dtype.category < 2:
        raise NotImplementedError('"GroupNormKernelImpl" not implemented for '
                                  f"'{D.TNAME[x.dtype.name]}'")
    n, c = x.shape[0], x.shape[1]
    g = int(num_groups)
    if g == 0:
        raise ZeroDivisionError("integer division or modulo by zero")
    size = [n * c // g, g] + list(x.shape[2:])    # torch's _verify_batch_size, first
    per = size[0]
    for s in size[2:]:
        per *= s
    if per == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input "
                         f"size {size}")
    if c % g:
        raise RuntimeError("Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(x.shape)} and "
                           f"num_groups={g}")
    for p, what in ((weight, "weight"), (bias, "bias")):
        if p is not None and (p.dim() != 1 or p.numel() != c):
            raise RuntimeError(f"Expected {what} to be a vector of size equal to the number of "
                               f"channels in input, but got {what} of shape {list(p.shape)} "
                               f"and input of shape {list(x.shape)}")
    spatial = 1
    for s in x.shape[2:]:
        spatial *= s
    block = (c // g) * spatial
    if x.numel() == 0 or block == 0:
        y = x.to(_compute(x.dtype)).clone()
    elif weight is None and bias is None:      # rounded once, in layer_norm
        y = layer_norm(x.reshape(n * g, block), [block], eps=eps)
    else:
        y = layer_norm(x.to(_compute(x.dtype)).reshape(n * g, block), [block], eps=eps)
    pshape = (c,) + (1,) * (x.dim() - 2)
    y = y.view(x.shape)
    if weight is not None:
        y = binary("mul", y, weight.to(y.dtype).reshape(pshape))
    if bias is not None:
        y = binary("add", y, bias.to(y.dtype).reshape(pshape))
    return y if y.dtype is x.dtype else y.to(x.dtype)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 * x2) / (max(|x1|, eps) * max(|x2|, eps)) along dim, inputs broadcast (torch's
    formula: each input divided by its clamped norm first)."""
    from .._shape import broadcast_shapes
    shape = broadcast_shapes(x1.shape, x2.shape)
    x1, x2 = x1.expand(shape), x2.expand(shape)
    common = D.result_type_of([x1, x2])
    if common.category != 2:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{D.TNAME[common.name]}")
    if x1.dtype is x2.dtype and len(shape):
        return _rowwise(x1, x2, dim, "cosine", eps, 2.0, False)
    return cosine_similarity_decomposed(x1, x2, dim, eps)


def cosine_similarity_decomposed(x1, x2, dim, eps):
    n1 = binary("mul", x1, x1).sum(dim, keepdim=True).sqrt().clamp_min(eps)
    n2 = binary("mul", x2, x2).sum(dim, keepdim=True).sqrt().clamp_min(eps)
    return binary("mul", binary("div", x1, n1), binary("div", x2, n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False):
    d = max(x1.dim(), x2.dim()) - 1
    if d >= 0 and x1.dtype is x2.dtype and x1.dtype.category == 2:
        from .._shape import broadcast_shapes
        shape = broadcast_shapes(x1.shape, x2.shape)
        return _rowwise(x1.expand(shape), x2.expand(shape), d, "pnorm", eps, p, keepdim)
    return pairwise_distance_decomposed(x1, x2, d, eps, p, keepdim)


def pairwise_distance_decomposed(x1, x2, d, eps, p, keepdim):
    diff = binary("add", binary("sub", x1, x2), eps)
    if p == 0:      # the count of nonzero differences
        return binary("ne", diff, 0).to(diff.dtype).sum(d, keepdim=keepdim)
    return diff.norm(p, dim=d, keepdim=keepdim)


def rowwise_dist_decomposed(a, b, kind, eps, p):
    """rowwise_dist's decomposition: a, b [rows, n] -> [rows]."""
    if kind == "cosine":
        return cosine_similarity_decomposed(a, b, 1, eps)
    return pairwise_distance_decomposed(a, b, 1, eps, p, False)


def _ref_rowwise_dist(out, a, b, kind, eps, p):
    from .. import _grad_mode
    if a.dtype is not out.dtype:    # float16 / bfloat16 rows into float32
        a, b = a.to(out.dtype), b.to(out.dtype)
    with _grad_mode.no_grad():
        dispatch("copy", out, rowwise_dist_decomposed(a, b, kind, eps, p))


REFERENCE = {"rowwise_dist": _ref_rowwise_dist}


def _rowwise(x1, x2, dim, kind, eps, p, keepdim):
    """cosine_similarity / pairwise_distance along dim through the rowwise_dist primitive
    (half dtypes in float32) where the device has it, else the decomposition."""
    dim = dim + x1.dim() if dim < 0 else dim
    if not provides("rowwise_dist", x1.device) or x1.device != x2.device:
        if kind == "cosine":
            return cosine_similarity_decomposed(x1, x2, dim, eps)
        return pairwise_distance_decomposed(x1, x2, dim, eps, p, keepdim)
    comp = x1.dtype if x1.dtype in (D.float32, D.float64) else D.float32
    if comp is not x1.dtype:    # eps as torch sees it: in the half dtype (1e-8 is 0 there)
        eps = Tensor._empty((), x1.dtype, x1.device).fill_(eps).item()
    # the halves go in as they are where no gradient is taken (the kernel converts in
    # registers; with a gradient, .to() keeps the float32 decomposition's backward)
    into = x1.dtype if comp is not x1.dtype and not (
        is_grad_enabled() and (x1.requires_grad or x2.requires_grad)) else comp
    a, b = (t.movedim(dim, -1).to(into) for t in (x1, x2))
    rest = tuple(a.shape[:-1])
    n = a.shape[-1]
    a, b = a.reshape(-1, n), b.reshape(-1, n)
    out = Tensor._empty((a.shape[0],), comp, a.device)
    dispatch("rowwise_dist", out, a, b, kind, eps, float(p))
    out = out.reshape(rest)
    if keepdim:
        out = out.unsqueeze(dim)
    return out if comp is x1.dtype else out.to(x1.dtype)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between each row of x1 (..., P, M) and of x2 (..., R, M)."""
    for name, x in (("X1", x1), ("X2", x2)):
        if x.dim() < 2:
            raise RuntimeError(f"cdist only supports at least 2D tensors, {name} got: "
                               f"{x.dim()}D")
        if x.dtype.category < 2:
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: "
                               f"{D.TNAME[x.dtype.name]}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    mode = {None: 0, "use_mm_for_euclid_dist_if_necessary": 0, "use_mm_for_euclid_dist": 1,
            "donot_use_mm_for_euclid_dist": 2}.get(compute_mode)
    if mode is None:
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    if p == 2 and (mode == 1 or (mode == 0 and (x1.shape[-2] > 25 or x2.shape[-2] > 25))):
        return _euclidean_dist(x1, x2)
    from ..linalg import vector_norm
    return vector_norm(binary("sub", x1.unsqueeze(-2), x2.unsqueeze(-3)), p, -1)


def _euclidean_dist(x1, x2):
    """torch's matrix-multiply form of cdist(p=2) for many rows (its values, its gradient):
    [-2 x1, |x1|^2, 1] @ [x2, 1, |x2|^2]^T, clamped at 0, square-rooted."""
    from .shape import cat
    n1 = binary("mul", x1, x1).sum(-1, keepdim=True)
    n2 = binary("mul", x2, x2).sum(-1, keepdim=True)
    one1, one2 = (Tensor._empty(tuple(n.shape), n.dtype, n.device).fill_(1) for n in (n1, n2))
    a = cat([binary("mul", x1, -2), n1, one1], -1)
    b = cat([x2, one2, n2], -1)
    return a.matmul(b.transpose(-1, -2)).clamp_min(0).sqrt()
