"""torch.linalg: the vector and matrix norms model files use (composites of the op table)."""
import math

from ._tensor import Tensor


def _dims(x, dim):
    if dim is None:
        return tuple(range(x.dim()))
    return (dim,) if isinstance(dim, int) else tuple(dim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """sum(|x|^ord)^(1/ord) over dim (all dims when None); ord inf / -inf / 0 as torch."""
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg.vector_norm(): argument 'input' must be Tensor, not "
                        f"{type(x).__name__}")
    if x.dtype.category < 2:
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {x.dtype.name.capitalize()}")
    if dtype is not None:
        x = x.to(dtype)
    dims = _dims(x, dim)
    a = x.abs()
    if ord == math.inf:
        return a.amax(dims, keepdim=keepdim)
    if ord == -math.inf:
        return a.amin(dims, keepdim=keepdim)
    if ord == 0:
        return (a != 0).to(x.dtype).sum(dims, keepdim=keepdim)
    if ord == 1:
        return a.sum(dims, keepdim=keepdim)
    if ord == 2:
        return (a * a).sum(dims, keepdim=keepdim).sqrt()
    return (a ** ord).sum(dims, keepdim=keepdim) ** (1.0 / ord)


def matrix_norm(x, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    if ord != "fro":
        raise NotImplementedError(f"webtensor: linalg.matrix_norm with ord={ord!r} is not "
                                  "supported (only 'fro')")
    if x.dim() < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    return vector_norm(x, 2, dim, keepdim, dtype=dtype)


def norm(x, ord=None, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.norm: the vector 2-norm of the flattened input (ord None, dim None), a
    vector norm over one dim, or a matrix norm over two."""
    if isinstance(dim, int) or (ord is not None and not isinstance(ord, str) and dim is None
                                and x.dim() == 1):
        return vector_norm(x, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if dim is not None and len(dim) == 2 or (ord is not None and dim is None):
        return matrix_norm(x, "fro" if ord is None else ord,
                           (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(x, 2, dim, keepdim, dtype=dtype)
