"""Creation functions: tensor, zeros/ones/empty/full(+_like), arange, linspace, eye (the
random ones are in _generator.py)."""
import math
from array import array

from . import _dtype as D
from ._shape import as_shape
from ._device import CPU, as_device
from ._dispatch import dispatch
from ._memory import write
from ._storage import Storage
from ._tensor import Tensor


def _place(t, device):
    """t (built on the CPU from Python values) moved to device (None: stays)."""
    device = as_device(device)
    return t if device is None or device is CPU else t.to(device)


def _infer_dtype(flat):
    if not flat:  # torch.tensor([]) is float32 (the default dtype), not bool
        return D.get_default_dtype()
    if all(isinstance(v, bool) for v in flat):
        return D.bool_
    if any(isinstance(v, float) for v in flat):
        return D.get_default_dtype()
    return D.int64


_PY_SCALARS = {bool, int, float}


def _check_range(flat, dtype):
    """torch.tensor([300], dtype=int8) raises (no silent wrap-around)."""
    if any(type(v) is float for v in flat):
        for v in flat:
            D.check_scalar(v, dtype, float_limits=False)
    elif flat:
        D.check_scalar(min(flat), dtype)
        D.check_scalar(max(flat), dtype)


def _scalar_dtype(v):
    if isinstance(v, bool):
        return D.bool_
    if isinstance(v, int):
        return D.int64
    return D.get_default_dtype()


def _flatten_nested(data):
    """Nested sequences -> (flat values, shape, dtype), with torch's message for ragged input.
    dtype promotes the elements' types (a numpy scalar keeps its own); None when empty."""
    if isinstance(data, Tensor):
        return data._values(), tuple(data.shape), data.dtype
    if _is_ndarray(data):  # e.g. a list of arrays
        return _flatten_nested(_from_numpy(data, None))
    if isinstance(data, (list, tuple)):
        if not data:
            return [], (0,), None
        kinds = set(map(type, data))
        if kinds <= _PY_SCALARS:  # fast path: a flat list of Python numbers
            dt = D.get_default_dtype() if float in kinds else D.int64 if int in kinds else D.bool_
            return list(data), (len(data),), dt
        parts = [_flatten_nested(x) for x in data]
        shape0 = parts[0][1]
        flat, dt = [], None
        for i, (f, s, d) in enumerate(parts):
            if s != shape0:
                if len(s) != len(shape0):
                    raise ValueError(f"expected sequence of length {shape0[0] if shape0 else 0} "
                                     f"at dim 1 (got {s[0] if s else 0})")
                raise ValueError(f"expected sequence of length {shape0[0]} at dim "
                                 f"{len(s) - len(shape0) + 1} (got {s[0]})")
            flat.extend(f)
            if d is not None:
                dt = d if dt is None or dt is d else D.promote_types(dt, d)
        return flat, (len(data),) + shape0, dt
    if hasattr(data, "item") and hasattr(data, "dtype") and getattr(data, "ndim", 1) == 0:
        v = data.item()  # a numpy scalar (np.float64 is also a float): its own dtype, like torch
        return [v], (), _NP_DTYPES.get(data.dtype.str.lstrip("<>=|")) or _scalar_dtype(v)
    if isinstance(data, (bool, int, float)):
        return [data], (), _scalar_dtype(data)
    raise TypeError(f"new(): invalid data type '{type(data).__name__}'")


_NP_DTYPES = {"f4": D.float32, "f8": D.float64, "f2": D.float16, "i8": D.int64, "i4": D.int32,
              "i2": D.int16, "i1": D.int8, "u1": D.uint8, "b1": D.bool_}


def _np_dtype(arr):
    if arr.dtype.byteorder == ">":
        raise ValueError("given numpy array has byte order different from the native byte "
                         "order. Conversion between byte orders is currently not supported.")
    dt = _NP_DTYPES.get(arr.dtype.str.lstrip("<>=|"))
    if dt is None:
        raise TypeError(f"can't convert np.ndarray of type numpy.{arr.dtype}. The only supported "
                        "types are: float64, float32, float16, int64, int32, int16, int8, uint8, "
                        "and bool.")
    return dt


def _share_numpy(arr):
    """A tensor viewing arr's memory (torch.from_numpy): writes show through both ways."""
    import numpy as np
    if isinstance(arr, np.generic):  # a numpy scalar is immutable: nothing to share, copy it
        arr = np.asarray(arr)
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(arr).__name__})")
    dt = _np_dtype(arr)
    isz = dt.itemsize
    if any(s < 0 for s in arr.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    if any(s % isz for s in arr.strides):
        raise ValueError("given numpy array strides not a multiple of the element byte size. "
                         "Copy the numpy array to reallocate the memory.")
    strides = tuple(s // isz for s in arr.strides)
    if not arr.flags.writeable:  # torch shares read-only memory with a warning; we copy
        arr = arr.copy()
        strides = tuple(s // isz for s in arr.strides)
    n = 0 if arr.size == 0 else 1 + sum((k - 1) * s for k, s in zip(arr.shape, strides))
    # The span of elements the view touches, as one contiguous 1-d array over the same memory.
    flat = np.lib.stride_tricks.as_strided(arr, shape=(n,), strides=(isz,))
    mv = memoryview(flat).cast("B") if n else memoryview(bytearray(0))
    st = Storage(n * isz, buf=mv)
    return Tensor._make(st, arr.shape, strides, 0, dt)


def _from_numpy(arr, dtype):
    """tensor(ndarray): a copy, like torch."""
    import numpy as np
    dt = _np_dtype(arr)
    shape = arr.shape  # ascontiguousarray turns a 0-d array (or numpy scalar) into 1-d
    arr = np.ascontiguousarray(arr)
    t = Tensor._empty(shape, dt)
    t._storage.view()[:] = arr.tobytes()
    return t if dtype is None or dtype is dt else t.to(dtype)


def _is_ndarray(data):
    return type(data).__name__ == "ndarray" and type(data).__module__ == "numpy"


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    device = as_device(device)
    dtype = D.as_dtype(dtype)
    if isinstance(data, Tensor):       # torch.tensor(t) copies t's values, not its graph
        out = data.detach().to(dtype or data.dtype, copy=True)
    elif _is_ndarray(data):
        out = _from_numpy(data, dtype)
    else:
        if isinstance(data, (bytes, bytearray, memoryview)) or type(data).__name__ == "array":
            data = data.tolist() if hasattr(data, "tolist") else list(data)  # a sequence to torch
        flat, shape, inner = _flatten_nested(data)
        if dtype is None:
            dtype = inner or D.get_default_dtype()
        out = Tensor._empty(shape, dtype)
        if not _fill_packed(out, flat):
            if dtype.category == 1:
                _check_range(flat, dtype)
            write(out, flat)
    return _grad(_place(out, device), requires_grad)


_ARRAY_CODES = {"float32": "f", "float64": "d", "int64": "q", "int32": "i", "int16": "h",
                "int8": "b", "uint8": "B", "bool": "B"}


def _fill_packed(out, flat):
    """Fill the fresh tensor `out` from a flat list of Python numbers at C speed (array's
    conversion: a float rounds as torch's cast, an out-of-range float32 is inf). False where
    array refuses -- an integer out of the dtype's range, a float for an integer dtype, a
    bool from anything but 0/1 -- and the caller's checked path converts or raises as torch."""
    if out.dtype in (D.float16, D.bfloat16):     # torch: through float (rounded twice)
        tmp = Tensor._empty(out.shape, D.float32)
        if not _fill_packed(tmp, flat):
            return False
        out.copy_(tmp)
        return True
    code = _ARRAY_CODES.get(out.dtype.name)
    if code is None:
        return False
    try:
        data = array(code, flat)
    except (TypeError, OverflowError):
        return False
    if code == "B" and out.dtype is D.bool_ and data and max(data) > 1:
        return False
    out._storage.view()[:] = memoryview(data).cast("B")
    return True


def as_tensor(data, dtype=None, device=None):
    dtype = D.as_dtype(dtype)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if _is_ndarray(data):  # shares the array's memory when no conversion is needed (torch)
        t = _share_numpy(data)
        return t if dtype is None or dtype is t.dtype else t.to(dtype)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(arr):
    return _share_numpy(arr)


def as_tensor_like(value, dtype):
    """A Python scalar, list or tensor as a tensor; scalars/lists take dtype."""
    if isinstance(value, Tensor):
        return value
    return tensor(value, dtype=dtype)


def _new(size, dtype, device):
    return Tensor._empty(as_shape(size), D.as_dtype(dtype) or D.get_default_dtype(),
                         as_device(device))


def _grad(t, requires_grad):
    """t, made a leaf that requires grad if asked (once its values are written)."""
    if requires_grad:
        t.requires_grad = True
    return t


def _ints(size):
    """size if it is a non-empty tuple of plain ints (f(2, 3)), else None."""
    for s in size:
        if s.__class__ is not int:
            return None
    return size or None


def empty(*size, dtype=None, device=None, requires_grad=False, **_):
    if dtype is None and device is None and not requires_grad and _ints(size):
        return Tensor._empty(size, D.get_default_dtype())
    return _grad(_new(size, dtype, device), requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, **_):
    if dtype is None and device is None and not requires_grad and _ints(size):
        return Tensor._empty(size, D.get_default_dtype())   # storage starts zeroed
    return _grad(_new(size, dtype, device), requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False, **_):
    return full(as_shape(size), 1, dtype=dtype or D.get_default_dtype(), device=device,
                requires_grad=requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False, **_):
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    if dtype is None:
        dtype = _infer_dtype([fill_value])
    t = _new(as_shape((size,) if isinstance(size, int) else size), dtype, device)
    D.check_scalar(fill_value, t.dtype)  # torch.full((2,), 300, dtype=int8) raises
    dispatch("fill", t, fill_value)
    return _grad(t, requires_grad)


def _like(x, dtype):
    return D.as_dtype(dtype) or x.dtype


def empty_like(x, dtype=None, device=None, **_):
    return empty(x.shape, dtype=_like(x, dtype), device=device or x.device)


def zeros_like(x, dtype=None, device=None, **_):
    return zeros(x.shape, dtype=_like(x, dtype), device=device or x.device)


def ones_like(x, dtype=None, device=None, **_):
    return ones(x.shape, dtype=_like(x, dtype), device=device or x.device)


def full_like(x, fill_value, dtype=None, device=None, **_):
    return full(x.shape, fill_value, dtype=_like(x, dtype), device=device or x.device)


def _scalar(v):
    return v.item() if isinstance(v, Tensor) else v


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False, **_):
    start, end, step = _scalar(start), _scalar(end), _scalar(step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = _infer_dtype([start, end, step])
    dtype = D.as_dtype(dtype)
    n = max(0, math.ceil((end - start) / step))
    t = Tensor._empty((n,), dtype)
    dispatch("arange", t, start, step)
    return _grad(_place(t, device), requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False, **_):
    start, end = _scalar(start), _scalar(end)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = D.as_dtype(dtype) or D.get_default_dtype()
    t = Tensor._empty((steps,), dtype)
    dispatch("linspace", t, start, end)
    return _grad(_place(t, device), requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False, **_):
    m = n if m is None else m
    if n < 0 or m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {min(n, m)}")
    t = Tensor._empty((n, m), D.as_dtype(dtype) or D.get_default_dtype())
    write(t, [1 if i == j else 0 for i in range(n) for j in range(m)])
    return _grad(_place(t, device), requires_grad)


