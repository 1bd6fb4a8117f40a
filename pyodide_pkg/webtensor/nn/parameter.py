"""torch.nn.Parameter: a Tensor subclass that shares its data's storage and that Module
registers as a parameter when assigned as an attribute."""
from .._tensor import Tensor


class Parameter(Tensor):
    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from .._creation import empty
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter(): argument 'data' must be Tensor, not "
                            f"{type(data).__name__}")
        p = cls._make(data._storage, data.shape, data._strides, data._offset, data.dtype)
        p.requires_grad = bool(requires_grad)
        return p

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__

    def __reduce_ex__(self, proto):
        return (Parameter, (self.detach().clone(), self.requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        p = Parameter(self.detach().clone(), self.requires_grad)
        memo[id(self)] = p
        return p


class Buffer(Tensor):
    """torch.nn.Buffer: marks a tensor to register as a buffer on assignment (returns a plain
    view when registered)."""

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            from .._creation import empty
            data = empty(0)
        b = cls._make(data._storage, data.shape, data._strides, data._offset, data.dtype)
        b.persistent = persistent
        return b

    def __init__(self, data=None, *, persistent=True):
        pass


class UninitializedParameter:
    def __init__(self, *args, **kwargs):
        raise NotImplementedError("webtensor: lazy modules (UninitializedParameter) are not "
                                  "supported")


def is_lazy(param):
    return False
