"""embedding: torch.nn.functional.embedding's forward (a row gather, primitive index_select)."""
from .. import _dtype as D
from .._tensor import Tensor
from .._dispatch import dispatch

# torch's legacy tensor-type names in its embedding dtype error
_TYPE_NAME = {"bool": "CPUBoolType"}


def _check_tensor(x, name, pos):
    if not isinstance(x, Tensor):
        raise TypeError(f"embedding(): argument '{name}' (position {pos}) must be Tensor, not "
                        f"{type(x).__name__}")


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """out[..., :] = weight[input[...], :]; out has shape input.shape + (embedding_dim,).

    padding_idx, scale_grad_by_freq and sparse only change gradients in torch (there is no
    autograd here); they are validated like torch. max_norm renormalises, in place in `weight`,
    every referenced row whose norm_type-norm exceeds it (torch.embedding_renorm_)."""
    _check_tensor(weight, "weight", 1)
    _check_tensor(input, "indices", 2)
    if padding_idx is not None:
        v = weight.shape[0] if weight.dim() else 0
        if not -v <= padding_idx < v:
            raise AssertionError("Padding_idx must be within num_embeddings")
    if input.dtype not in (D.int64, D.int32):
        name = input.dtype.name
        tname = _TYPE_NAME.get(name) or f"torch.{D.TNAME[name]}Tensor"
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got {tname} instead "
                           "(while checking arguments for embedding)")
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    index = input.reshape(-1)
    if max_norm is not None:
        _renorm(weight, index, max_norm, norm_type)
    out = Tensor._empty((index.shape[0], weight.shape[1]), weight.dtype, weight.device)
    dispatch("index_select", out, weight, 0, index)
    return out.view(tuple(input.shape) + (weight.shape[1],))


def _renorm(weight, index, max_norm, norm_type):
    """torch.embedding_renorm_: for each distinct index, row *= max_norm / (norm + 1e-7) when
    the row's norm exceeds max_norm (the scale is a float scalar; float32 math like torch)."""
    if weight.dtype.category != 2:
        raise RuntimeError("norm(): input dtype should be either floating point or complex. "
                           f"Got {D.TNAME[weight.dtype.name]} instead.")
    rows = sorted(set(index.tolist()))
    v = weight.shape[0]
    for i in rows:   # checked before any row changes
        if not -v <= i < v:
            raise IndexError(f"select(): index {i} out of range for tensor of size "
                             f"{list(weight.shape)} at dimension 0")
    from .elementwise import binary, unary
    from .reduce import amax, sum as _sum
    p = float(norm_type)
    for i in rows:
        row = weight[i]
        a = unary("abs", row.double())
        if p == float("inf"):
            norm = amax(a).item() if a.numel() else 0.0
        elif p == 0:
            norm = float(binary("ne", a, 0).sum().item())
        else:
            norm = _sum(binary("pow", a, p)).item() ** (1.0 / p)
        if norm > max_norm:
            row.mul_(max_norm / (norm + 1e-7))
