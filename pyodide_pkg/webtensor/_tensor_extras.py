"""Tensor methods that nn and model files need, kept out of _tensor.py (attached by
`attach()`, called once from webtensor/__init__.py)."""
import math

from ._tensor import Tensor


def _set_data(self, new):
    """Make self point at new's storage and layout (torch's `param.data = new`): the object
    keeps its identity, so modules and optimisers holding it see the new values."""
    if not isinstance(new, Tensor):
        raise TypeError(f"data must be a Tensor, not {type(new).__name__}")
    self._storage, self.shape, self._strides = new._storage, new.shape, new._strides
    self._offset, self.dtype = new._offset, new.dtype


def _get_data(self):
    # torch's .data: the values without autograd (an alias that records nothing)
    return self.detach() if type(self) is not Tensor or self.requires_grad else self


def _new_like(self, size, fill, dtype):
    from ._creation import full
    from ._shape import as_shape
    return full(as_shape(size), fill, dtype=dtype or self.dtype)


def new_empty(self, *size, dtype=None, device=None, requires_grad=False, **_):
    return _new_like(self, size, 0, dtype)


def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, **_):
    return _new_like(self, size, 0, dtype)


def new_ones(self, *size, dtype=None, device=None, requires_grad=False, **_):
    return _new_like(self, size, 1, dtype)


def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False, **_):
    return _new_like(self, (size,) if isinstance(size, int) else tuple(size), fill_value, dtype)


def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    from ._creation import tensor
    return tensor(data, dtype=dtype or self.dtype)


def as_strided(self, size, stride, storage_offset=None):
    """A view with the given sizes and strides (in elements) over self's storage."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    off = self._offset if storage_offset is None else storage_offset
    if any(n < 0 for n in size) or any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    end = off + sum((n - 1) * s for n, s in zip(size, stride)) + 1 if all(size) else 0
    have = self._storage.nbytes // self.dtype.itemsize if hasattr(self._storage, "nbytes") \
        else None
    if have is not None and end > have:
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {off}, and itemsize {self.dtype.itemsize} requiring a storage "
                           f"size of {end * self.dtype.itemsize} are out of bounds for storage "
                           f"of size {have * self.dtype.itemsize}")
    return self._view(size, stride, off, name="AsStridedBackward0")


def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """torch.norm / Tensor.norm for vector p-norms (p = 2/'fro', 1, inf, other numbers)."""
    x = self if dtype is None else self.to(dtype)
    if p in ("fro", 2, 2.0):
        return (x * x).sum(dim=dim, keepdim=keepdim).sqrt() if dim is not None else \
            (x * x).sum().sqrt()
    if p in (math.inf, float("inf")):
        return x.abs().amax(dim=dim if dim is not None else (), keepdim=keepdim)
    if p in (-math.inf, float("-inf")):
        return x.abs().amin(dim=dim if dim is not None else (), keepdim=keepdim)
    if not isinstance(p, (int, float)):
        raise NotImplementedError(f"webtensor: norm with p={p!r} is not supported")
    a = x.abs()
    s = (a if p == 1 else a ** p).sum(dim=dim, keepdim=keepdim) if dim is not None else \
        (a if p == 1 else a ** p).sum()
    return s if p == 1 else s ** (1.0 / p)


def __deepcopy__(self, memo):
    if id(self) in memo:
        return memo[id(self)]
    if self.grad_fn is not None:
        raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                           "the deepcopy protocol at the moment.  If you were attempting to "
                           "deepcopy a module, this may be because of a torch.nn.utils."
                           "weight_norm usage, see https://github.com/pytorch/pytorch/pull/"
                           "103001")
    t = self.detach().clone()
    if self.requires_grad:
        t.requires_grad = True
    memo[id(self)] = t
    return t


def is_complex(self):
    return False


def get_device(self):
    return -1          # torch's answer for a CPU tensor


def pin_memory(self, device=None):
    return self


def share_memory_(self):
    return self


def is_pinned(self, device=None):
    return False


def _inplace_view(name):
    def f(self, *args):
        _set_data(self, getattr(self, name)(*args))
        return self
    f.__name__ = name + "_"
    return f


def cuda(self, device=None, non_blocking=False):
    raise NotImplementedError("webtensor: CUDA is not available (Tensor.cuda)")


def unfold(self, dimension, size, step):
    """A view of every `size`-long window along dimension, `step` apart, as a new last dim."""
    from ._shape import norm_dim
    if self.dim() == 0:
        if size > 1:
            raise RuntimeError(f"maximum size for tensor at dimension 0 is 1 but size is {size}")
        return self._view((size,), (1,), name="UnfoldBackward0")
    d = norm_dim(dimension, self.dim())
    n = self.shape[d]
    if size > n:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    shape, strides = list(self.shape), list(self._strides)
    shape[d] = (n - size) // step + 1
    strides[d] = self._strides[d] * step
    return self._view(tuple(shape) + (size,), tuple(strides) + (self._strides[d],),
                      name="UnfoldBackward0")


def dequantize(self):
    """torch returns a non-quantized tensor itself (webtensor has no quantized tensors)."""
    return self


def _compat(name):
    def f(self, *args, **kwargs):
        from . import _torch_compat
        return getattr(_torch_compat, name)(self, *args, **kwargs)
    f.__name__ = name
    return f


_PROPS = {"is_cpu": True, "is_meta": False, "is_sparse": False, "is_quantized": False,
          "is_nested": False, "is_mps": False, "is_xpu": False, "is_mkldnn": False}


def attach():
    Tensor.data = property(_get_data, _set_data)
    Tensor._set_data = _set_data
    for f in (new_empty, new_zeros, new_ones, new_full, new_tensor, norm, __deepcopy__,
              is_complex, get_device, pin_memory, share_memory_, is_pinned, unfold, dequantize,
              as_strided):
        if not hasattr(Tensor, f.__name__):
            setattr(Tensor, f.__name__, f)
    for name, value in _PROPS.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, property(lambda self, v=value: v))
    extra = {
        "itemsize": property(lambda self: self.dtype.itemsize),
        "nbytes": property(lambda self: self.numel() * self.dtype.itemsize),
        "is_signed": lambda self: self.dtype.name not in ("uint8", "bool"),
        "is_inference": lambda self: False,
        "is_same_size": lambda self, other: tuple(self.shape) == tuple(other.shape),
        "ravel": lambda self: self.reshape(-1),
        "positive": lambda self: self,
        "split_with_sizes": lambda self, split_sizes, dim=0: self.split(list(split_sizes),
                                                                        dim),
        "cuda": cuda,
    }
    for n in ("unsqueeze", "squeeze", "t", "transpose", "swapaxes", "swapdims"):
        extra[n + "_"] = _inplace_view(n)
    for n in ("allclose", "isclose", "equal", "nan_to_num", "addmm", "baddbmm"):
        extra[n] = _compat(n)
    for name, f in extra.items():
        if not hasattr(Tensor, name):
            setattr(Tensor, name, f)
