"""Tensors over raw little-endian bytes (shared by the safetensors, torch and GGUF readers)."""
from .. import _dtype as D
from .._storage import Storage
from .._tensor import Tensor


def writable(data):
    """`data` as a writable buffer: bytearrays and writable memoryviews as they are (tensors view
    them without a copy), read-only bytes copied once."""
    if isinstance(data, bytearray):
        return data
    mv = memoryview(data)
    if mv.readonly:
        return bytearray(mv)
    return mv.cast("B") if mv.format != "B" or mv.ndim != 1 else mv


def storage_over(buf, start, nbytes):
    """A Storage viewing buf[start:start + nbytes] (no copy)."""
    return Storage(nbytes, buf=memoryview(buf)[start:start + nbytes])


def tensor_over(buf, start, dtype, shape, strides=None, offset=0, nbytes=None):
    """A tensor viewing buf from byte `start`; contiguous unless strides are given."""
    if strides is None:
        strides, acc = [], 1
        for s in reversed(shape):
            strides.append(acc)
            acc *= s
        strides = tuple(reversed(strides))
    if nbytes is None:
        n = 1
        for s in shape:
            n *= s
        nbytes = n * dtype.itemsize
    return Tensor._make(storage_over(buf, start, nbytes), tuple(shape), tuple(strides), offset,
                        dtype)


def to_float32(t):
    """float16/bfloat16 -> float32 (what the loaders do by default); others unchanged."""
    return t.to(D.float32) if t.dtype in (D.float16, D.bfloat16) else t
