"""Tensor methods that move values off a tensor's device: to another device (through host
bytes: the source's read_bytes, then the destination's from_bytes), to the host without
blocking (`cpu_async`: a device's read_bytes_async, WebGPU's mapAsync), to Python values
(item, tolist) and to numpy (sharing memory, as torch)."""
from . import _dtype as D
from ._device import CPU, DEVICES
from ._memory import read
from ._shape import prod
from ._storage import _capture
from ._tensor import _LAYOUTS, Tensor, _layout


def _dense(t):
    """(t or a contiguous copy, its byte offset, its byte count)."""
    src = t if t.is_contiguous() else t.contiguous()
    isz = src.dtype.itemsize
    return src, src._offset * isz, src.numel() * isz


def _tensor_of(src, storage):
    lay = _LAYOUTS.get(src.shape) or _layout(tuple(src.shape))
    return Tensor._make(storage, lay[0], lay[1], 0, src.dtype)


def _to_device(self, dst):
    """This tensor's values in a new contiguous tensor on device type dst."""
    src, off, n = _dense(self)
    data = DEVICES[src._storage.device.type].read_bytes(src._storage, off, n)
    return _tensor_of(src, dst.from_bytes(data))


async def cpu_async(self):
    """self.cpu() without blocking: awaits the device's read_bytes_async where it has one;
    a CPU tensor is returned as is."""
    if self._storage.device is CPU:
        return self
    entry = DEVICES[self._storage.device.type]
    if entry.read_bytes_async is None:
        return self.cpu()
    src, off, n = _dense(self)
    data = await entry.read_bytes_async(src._storage, off, n)
    return _tensor_of(src, DEVICES["cpu"].from_bytes(data))


async def tolist_async(self):
    """self.tolist() without blocking (see cpu_async)."""
    return (await self.cpu_async()).tolist()


def _values(self):
    if _capture[0] is not None:
        raise RuntimeError("webtensor: reading a tensor's values (item, tolist, bool) while "
                           "capturing a CPU graph: a replay could not repeat it")
    return read(self if self._storage.device is CPU else self.cpu())


def item(self):
    n = self.numel()
    if n != 1:
        raise RuntimeError(f"a Tensor with {n} elements cannot be converted to Scalar")
    return self._values()[0]


def tolist(self):
    vals = self._values()
    if not self.shape:
        return vals[0]

    def nest(vals, shape):
        if len(shape) == 1:
            return vals
        step = prod(shape[1:])
        return [nest(vals[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]
    return nest(vals, self.shape)


def numpy(self, force=False):
    """A numpy array sharing this tensor's memory (like torch)."""
    import numpy as np
    if self._storage.device is not CPU:
        raise TypeError(f"can't convert {self._storage.device} device type tensor to numpy. "
                        "Use Tensor.cpu() to copy the tensor to host memory first.")
    if self.dtype is D.bfloat16:
        raise TypeError("Got unsupported ScalarType BFloat16")
    npd = np.dtype({"?": "bool"}.get(self.dtype.fmt, "<" + self.dtype.fmt))
    st = self._storage
    isz = self.dtype.itemsize
    flat = np.frombuffer(st.buf, dtype=npd, count=st.nbytes // isz, offset=st.base)
    return np.lib.stride_tricks.as_strided(
        flat[self._offset:] if flat.size else flat, shape=self.shape,
        strides=[s * isz for s in self._strides])


def __array__(self, dtype=None, copy=None):
    a = self.numpy()
    if dtype is not None:
        a = a.astype(dtype)
    return a.copy() if copy else a


for _f in (_to_device, cpu_async, tolist_async, _values, item, tolist, numpy, __array__):
    setattr(Tensor, _f.__name__, _f)
