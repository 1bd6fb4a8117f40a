"""Tensor: shape, strides (in elements), storage offset, dtype, storage. Views copy nothing.

Operator and op methods (add, sum, matmul, ...) are attached by webtensor.ops from the op table.
"""
from . import _dtype as D
from ._shape import (as_shape, contiguous_strides, infer_view_shape, norm_dim, prod,
                     view_strides)
from ._device import CPU, DEVICES, as_device, device
from ._storage import new_storage
from . import _grad_mode


_CTYPE = {"int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int",
          "int64": "int64_t"}


class Size(tuple):
    def __repr__(self):
        return "webtensor.Size(%s)" % list(self)

    def numel(self):
        return prod(self)


_new_object = object.__new__

# shape -> (Size, row-major strides, numel) for the shapes tensors are allocated with: every op
# allocates its output and checks layouts, and Python loops over dims add up in Pyodide.
_LAYOUTS = {}
# True once autograd's layer is installed: views made in grad mode then record their base
# (autograd/tape.py); with grad mode off views cost what they did before
_TRACK = [False]
_GRAD = _grad_mode._STATE


def _layout(shape):
    """(Size, contiguous strides, numel) of a shape tuple, cached; negative sizes raise."""
    lay = _LAYOUTS.get(shape)
    if lay is None:
        for s in shape:
            if s < 0:
                raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                                   f"{list(shape)}")
        if len(_LAYOUTS) >= 1024:
            _LAYOUTS.clear()
        lay = _LAYOUTS[shape] = (Size(shape), contiguous_strides(shape), prod(shape))
    return lay


def dense_numel(t):
    """t.numel() if t's strides are the row-major ones of its shape (fresh tensors and views
    with their layout), else None. One dict lookup for the common case; None is no verdict
    on shapes never allocated."""
    lay = _LAYOUTS.get(t.shape)
    return lay[2] if lay is not None and t._strides == lay[1] else None


class Tensor:
    __slots__ = ("_storage", "shape", "_strides", "_offset", "dtype", "__weakref__",
                 "__dict__")
    # Class-level defaults (set per instance only when changed): fewer stores per tensor.
    # requires_grad reads _requires_grad (a property set below); autograd sets these per tensor.
    _requires_grad = False
    grad = None
    grad_fn = None
    _output_nr = 0
    __array_priority__ = 1000  # numpy defers reflected operators to us

    def __new__(cls, *args, **kwargs):
        # torch.Tensor(data) -> float32 tensor; torch.Tensor(2, 3) -> uninitialised 2x3.
        if cls is Tensor and args and not all(isinstance(a, int) for a in args):
            from ._creation import tensor
            return tensor(args[0], dtype=D.get_default_dtype())
        return cls._empty(as_shape(args) if args else (0,), D.get_default_dtype())

    def __init__(self, *args, **kwargs):
        pass

    # ---- construction -------------------------------------------------------------------
    @classmethod
    def _make(cls, storage, shape, strides, offset, dtype):
        t = object.__new__(cls)
        t._storage = storage
        t.shape = shape if type(shape) is Size else Size(shape)
        t._strides = strides if type(strides) is tuple else tuple(strides)
        t._offset = offset
        t.dtype = dtype
        return t

    @classmethod
    def _empty(cls, shape, dtype, device=None):
        """A new contiguous tensor (uninitialised: zero bytes) on device (None: the CPU)."""
        try:
            size, strides, numel = _LAYOUTS[shape]
        except (KeyError, TypeError):       # a new shape, or a list
            size, strides, numel = _layout(tuple(shape))
        t = _new_object(cls)
        t._storage = new_storage(numel * dtype.itemsize) if device is None or device is CPU \
            else DEVICES[device.type].storage(numel * dtype.itemsize)
        t.shape = size
        t._strides = strides
        t._offset = 0
        t.dtype = dtype
        return t

    def _view(self, shape, strides, offset=None, name=None):
        """A view; name: its grad_fn's name where autograd records it (None: guessed)."""
        t = Tensor._make(self._storage, shape, strides,
                         self._offset if offset is None else offset, self.dtype)
        return _on_view(self, t, name) if _TRACK[0] and _GRAD["grad"] else t

    # ---- metadata -----------------------------------------------------------------------
    @property
    def device(self):
        return self._storage.device

    @property
    def is_cpu(self):
        return self._storage.device is CPU

    @property
    def is_cuda(self):
        return False

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def data(self):
        return self

    def dim(self):
        return len(self.shape)

    ndimension = dim

    def size(self, dim=None):
        if dim is None:
            return self.shape
        return self.shape[norm_dim(dim, self.dim(), allow_scalar=False)]

    def stride(self, dim=None):
        if dim is None:
            return self._strides
        return self._strides[norm_dim(dim, self.dim(), allow_scalar=False)]

    def storage_offset(self):
        return self._offset

    def numel(self):
        return prod(self.shape)

    nelement = numel

    def element_size(self):
        return self.dtype.itemsize

    def is_floating_point(self):
        return self.dtype.category == 2

    def is_contiguous(self, memory_format=None):
        if dense_numel(self) is not None:
            return True
        if self.numel() == 0:  # like torch: an empty tensor is contiguous whatever its strides
            return True
        expected = 1
        for n, s in zip(reversed(self.shape), reversed(self._strides)):
            if n == 0:
                return True
            if n != 1 and s != expected:
                return False
            expected *= n
        return True

    def data_ptr(self):
        return self._storage.address() + self._storage.base + self._offset * self.dtype.itemsize

    def __len__(self):
        if not self.shape:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d tensor")
        return (self.select(0, i) for i in range(self.shape[0]))

    def __hash__(self):
        return id(self)

    # ---- views --------------------------------------------------------------------------
    def _dense_view(self, shape):
        """self viewed as shape (a tuple or Size of ints) when self is row-major and shape a
        layout already cached with self's numel, else None: no -1, parsing or stride search."""
        if _TRACK[0] and _GRAD["grad"]:
            return None
        if len(shape) == 1 and shape[0].__class__ is not int:
            shape = shape[0]
        try:
            lay = _LAYOUTS[shape]
        except TypeError:
            return None
        except KeyError:                # a shape not seen yet: only plain sizes >= 0 here
            for s in shape:
                if s.__class__ is not int or s < 0:
                    return None
            lay = _layout(tuple(shape))
        own = _LAYOUTS.get(self.shape)
        if own is None or own[2] != lay[2] or self._strides != own[1]:
            return None
        for s in shape:                 # True == 1: a bool must reach as_shape's error
            if s.__class__ is not int:
                return None
        t = _new_object(Tensor)
        t._storage = self._storage
        t.shape, t._strides, t._offset, t.dtype = lay[0], lay[1], self._offset, self.dtype
        return t

    def view(self, *shape):
        t = self._dense_view(shape)
        if t is not None:
            return t
        if len(shape) == 1 and isinstance(shape[0], D.dtype):
            raise NotImplementedError("webtensor: Tensor.view(dtype) is not supported")
        shape = infer_view_shape(as_shape(shape), self.numel())
        strides = view_strides(self.shape, self._strides, shape)
        if strides is None:
            raise RuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")
        return self._view(shape, strides, name="ViewBackward0")

    def view_as(self, other):
        return self.view(other.shape)

    def reshape(self, *shape):
        t = self._dense_view(shape)
        if t is not None:
            return t
        shape = infer_view_shape(as_shape(shape), self.numel())
        strides = view_strides(self.shape, self._strides, shape)
        if strides is None:
            return self.contiguous().view(shape)
        return self._view(shape, strides, name="ViewBackward0")

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def permute(self, *dims):
        dims = as_shape(dims)
        n = self.dim()
        if len(dims) != n:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input "
                               f"does not match the length of the desired ordering of dimensions "
                               f"i.e. input.dim() = {n} is not equal to len(dims) = {len(dims)}"
                               .replace("(sparse_coo)", ""))
        dims = [norm_dim(d, n) for d in dims]
        if len(set(dims)) != n:
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return self._view([self.shape[d] for d in dims], [self._strides[d] for d in dims],
                          name="PermuteBackward0")

    def transpose(self, dim0, dim1):
        n = self.dim()
        if n == 0:
            norm_dim(dim0, 0), norm_dim(dim1, 0)
            return self
        d0, d1 = norm_dim(dim0, n), norm_dim(dim1, n)
        shape, strides = list(self.shape), list(self._strides)
        shape[d0], shape[d1] = shape[d1], shape[d0]
        strides[d0], strides[d1] = strides[d1], strides[d0]
        return self._view(shape, strides, name="TransposeBackward0")

    swapaxes = swapdims = transpose

    def t(self):
        if self.dim() > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                               f"{self.dim()}D")
        if self.dim() < 2:
            return self._view(self.shape, self._strides, name="TBackward0")
        return self._view(self.shape[::-1], self._strides[::-1], name="TBackward0")

    @property
    def T(self):
        return self.permute(*reversed(range(self.dim())))

    @property
    def mT(self):
        if self.dim() < 2:
            raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. "
                               f"Got {self.dim()}-D tensor.")
        return self.transpose(-2, -1)

    def movedim(self, source, destination):
        n = self.dim()
        src = [norm_dim(d, n) for d in ((source,) if isinstance(source, int) else source)]
        dst = [norm_dim(d, n) for d in ((destination,) if isinstance(destination, int)
                                        else destination)]
        if len(src) != len(dst):
            raise RuntimeError("movedim: Invalid source or destination dims")
        order = [None] * n
        for s, d in zip(src, dst):
            order[d] = s
        rest = iter(d for d in range(n) if d not in src)
        order = [o if o is not None else next(rest) for o in order]
        return self.permute(order)

    moveaxis = movedim

    def expand(self, *sizes):
        sizes = as_shape(sizes)
        n = self.dim()
        if len(sizes) < n:
            raise RuntimeError(f"expand(torch.FloatTensor{{{list(self.shape)}}}, size="
                               f"{list(sizes)}): the number of sizes provided ({len(sizes)}) "
                               f"must be greater or equal to the number of dimensions in the "
                               f"tensor ({n})")
        lead = len(sizes) - n
        shape, strides = [], []
        for i, s in enumerate(sizes):
            if i < lead:
                if s < 0:
                    raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in "
                                       "a leading, non-existing dimension " + str(i))
                shape.append(s)
                strides.append(0)
                continue
            cur, st = self.shape[i - lead], self._strides[i - lead]
            if s == -1:
                s = cur
            if cur == s:
                shape.append(s)
                strides.append(st)
            elif cur == 1:
                shape.append(s)
                strides.append(0)
            else:
                raise RuntimeError(
                    f"The expanded size of the tensor ({s}) must match the existing size ({cur}) "
                    f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  "
                    f"Tensor sizes: {list(self.shape)}")
        return self._view(shape, strides, name="ExpandBackward0")

    def expand_as(self, other):
        return self.expand(other.shape)

    def squeeze(self, dim=None):
        n = self.dim()
        if dim is None:
            dims = set(range(n))
        else:
            dims = {norm_dim(d, n) for d in ((dim,) if isinstance(dim, int) else dim)}
        keep = [i for i in range(n) if not (i in dims and self.shape[i] == 1)]
        return self._view([self.shape[i] for i in keep], [self._strides[i] for i in keep],
                          name="SqueezeBackward0" if dim is None else "SqueezeBackward1")

    def unsqueeze(self, dim):
        n = self.dim()
        dim = norm_dim(dim, n + 1)
        shape, strides = list(self.shape), list(self._strides)
        st = shape[dim] * strides[dim] if dim < n else 1
        shape.insert(dim, 1)
        strides.insert(dim, st)
        return self._view(shape, strides, name="UnsqueezeBackward0")

    def flatten(self, start_dim=0, end_dim=-1):
        n = self.dim()
        if n == 0:
            return self.reshape(1)
        s, e = norm_dim(start_dim, n), norm_dim(end_dim, n)
        if s > e:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        return self.reshape(self.shape[:s] + (prod(self.shape[s:e + 1]),) + self.shape[e + 1:])

    def unflatten(self, dim, sizes):
        n = self.dim()
        dim = norm_dim(dim, n)
        sizes = infer_view_shape(tuple(sizes), self.shape[dim]) if self.shape[dim] else \
            tuple(sizes)
        return self.view(self.shape[:dim] + tuple(sizes) + self.shape[dim + 1:])

    def narrow(self, dim, start, length):
        n = self.dim()
        if n == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        dim = norm_dim(dim, n)
        size = self.shape[dim]
        if hasattr(start, "item"):
            start = start.item()
        if not -size <= start <= size:
            raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                             f"but got {start})")
        if start < 0:
            start += size
        if length < 0 or start + length > size:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                               f"({size}).")
        shape = list(self.shape)
        shape[dim] = length
        return self._view(shape, self._strides, self._offset + start * self._strides[dim],
                          name="SliceBackward0")

    def select(self, dim, index):
        n = self.dim()
        if n == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        dim = norm_dim(dim, n)
        size = self.shape[dim]
        if not -size <= index < size:
            raise IndexError(f"index {index} is out of bounds for dimension {dim} with size "
                             f"{size}")
        if index < 0:
            index += size
        return self._view(self.shape[:dim] + self.shape[dim + 1:],
                          self._strides[:dim] + self._strides[dim + 1:],
                          self._offset + index * self._strides[dim], name="SelectBackward0")

    def unbind(self, dim=0):
        dim = norm_dim(dim, self.dim(), allow_scalar=False)
        return tuple(self.select(dim, i) for i in range(self.shape[dim]))

    def contiguous(self, memory_format=None):
        return self if self.is_contiguous() else self.clone()

    def clone(self, memory_format=None):
        out = Tensor._empty(self.shape, self.dtype, self._storage.device)
        dispatch("copy", out, self)
        return out

    def detach(self):
        return Tensor._make(self._storage, self.shape, self._strides, self._offset, self.dtype)

    # ---- conversion ---------------------------------------------------------------------
    def to(self, *args, **kwargs):
        dtype = kwargs.get("dtype")
        copy = kwargs.get("copy", False)
        dev = as_device(kwargs.get("device"))
        for a in args:
            if isinstance(a, Tensor):
                dtype, dev = a.dtype, a._storage.device
            elif isinstance(a, (str, device)):
                dev = as_device(a)
            elif a is not None and not isinstance(a, bool):
                dtype = D.as_dtype(a)
        dtype = D.as_dtype(dtype) if dtype is not None else self.dtype
        here = self._storage.device
        if dev is not None and dev != here:
            return self._to_device(DEVICES[dev.type]).to(dtype)
        if dtype is self.dtype and not copy:
            return self
        out = Tensor._empty(self.shape, dtype, here)
        dispatch("copy", out, self)
        return out

    def type(self, dtype=None):
        if dtype is None:
            return "webtensor." + {"float32": "FloatTensor", "float64": "DoubleTensor",
                                   "int64": "LongTensor", "int32": "IntTensor",
                                   "bool": "BoolTensor"}.get(self.dtype.name, self.dtype.name)
        return self.to(dtype)

    def type_as(self, other):
        return self.to(other.dtype)

    def cpu(self):
        return self if self._storage.device is CPU else self._to_device(DEVICES["cpu"])

    def __bool__(self):
        if self.numel() != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self.item())

    def _py_number(self):
        if self.numel() != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self):
        return float(self._py_number())

    def __int__(self):
        return int(self._py_number())

    def __index__(self):
        if self.dtype.category == 2 or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self.item())

    def __repr__(self):
        from ._format import format_tensor
        return format_tensor(self)

    __str__ = __repr__

    # ---- indexing -----------------------------------------------------------------------
    def __getitem__(self, idx):
        # x[i] and x[a:b] on a tensor with dims: a view computed here (the common cases)
        shape = self.shape
        if shape and not (_TRACK[0] and _GRAD["grad"]):
            cls = idx.__class__
            if cls is int:
                n = shape[0]
                if -n <= idx < n:
                    if idx < 0:
                        idx += n
                    st = self._strides
                    t = _new_object(Tensor)
                    t._storage = self._storage
                    rest = shape[1:]
                    lay = _LAYOUTS.get(rest)
                    t.shape = lay[0] if lay is not None else Size(rest)
                    t._strides = st[1:]
                    t._offset = self._offset + idx * st[0]
                    t.dtype = self.dtype
                    return t
            elif cls is slice and idx.step is None:
                start, stop, _ = idx.indices(shape[0])
                n = stop - start if stop > start else 0
                st = self._strides
                t = _new_object(Tensor)
                t._storage = self._storage
                t.shape = Size((n,) + shape[1:])
                t._strides = st
                t._offset = self._offset + start * st[0] if n else self._offset
                t.dtype = self.dtype
                return t
        return _indexing.getitem(self, idx)

    def __setitem__(self, idx, value):
        _indexing.setitem(self, idx, value)

    def copy_(self, src, non_blocking=False):
        if not isinstance(src, Tensor):  # in-place ops pass tensors: no import per call
            from ._creation import as_tensor_like
            src = as_tensor_like(src, self.dtype)
        if src._storage is self._storage:  # overlapping views: read everything first
            src = src.clone()
        elif src._storage.device is not self._storage.device:   # torch copies across devices
            src = src.to(self._storage.device)
        dispatch("copy", self, src if src.shape == self.shape else src.expand(self.shape))
        if _TRACK[0]:
            _bump(self)
        return self

    def fill_(self, value):
        if isinstance(value, Tensor):
            if value.dim():
                raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor "
                                   f"with {value.dim()} dimensions.")
            value = value.item()  # a tensor value is cast (wraps), a Python scalar is checked
        elif self.numel():
            D.check_scalar(value, self.dtype, _CTYPE.get(self.dtype.name))
        dispatch("fill", self, value)
        if _TRACK[0]:
            _bump(self)
        return self

    def zero_(self):
        return self.fill_(0)


from . import _indexing, _tensor_transfer  # noqa: E402,F401  (they import Tensor from here)
from . import _dispatch  # noqa: E402
from ._dispatch import dispatch  # noqa: E402
_dispatch.Tensor = Tensor


def _cast(dtype):
    def cast(self, memory_format=None):
        return self.to(dtype)
    return cast


# x.float(), x.long(), ...: x.to(dtype)
for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16),
                   ("bfloat16", D.bfloat16), ("long", D.int64), ("int", D.int32),
                   ("short", D.int16), ("char", D.int8), ("byte", D.uint8), ("bool", D.bool_)):
    setattr(Tensor, _name, _cast(_dt))


def _on_view(src, t, name):
    from .autograd.tape import on_view
    return on_view(src, t, name)


def _bump(t):
    from .autograd.graph import bump
    bump(t)


def _set_requires_grad(self, value):
    from .autograd.tape import set_requires_grad
    set_requires_grad(self, value)


Tensor.requires_grad = property(__import__("operator").attrgetter("_requires_grad"),
                                _set_requires_grad)
