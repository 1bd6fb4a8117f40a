"""matmul with torch's 1-D / 2-D / batched broadcasting rules, and its named forms."""
from .. import _dtype as D
from .._shape import broadcast_shapes, prod
from .._tensor import Tensor
from ..backends import dispatch
from .elementwise import _compute, _TNAME, binary


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
    out = Tensor._empty(batch + (m, n), comp)
    dispatch("matmul", out, a.to(comp).expand(batch + (m, k)), b.to(comp).expand(batch + (k, n)))
    return out if comp is dt else out.to(dt)


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


def dot(a, b):
    _check(a, b, "dot")
    if a.dim() != 1 or b.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {a.dim()}D and {b.dim()}D tensors")
    return matmul(a, b)


def mv(a, b):
    _check(a, b, "mv")
    if a.dim() != 2 or b.dim() != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.dim()}, {b.dim()}")
    return matmul(a, b)


def outer(a, b):
    return binary("mul", a.unsqueeze(1), b.unsqueeze(0))
