"""Tensors over raw little-endian bytes (shared by the safetensors, torch and GGUF readers)."""
import io

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


class _BufferFile(io.RawIOBase):
    """A read-only, seekable file over a buffer. io.BytesIO(bytearray) would copy the whole
    file, and in wasm that copy's memory stays with the heap for good. read(n) returns at most
    what is left, allocating no more (a BufferedReader allocates n first: a lying size field in
    a hostile zip would cost its claimed size)."""

    def __init__(self, buf):
        self._mv, self._pos = memoryview(buf).cast("B"), 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def read(self, n=-1):
        end = len(self._mv) if n is None or n < 0 else min(len(self._mv), self._pos + n)
        out = self._mv[self._pos:end].tobytes()
        self._pos += len(out)
        return out

    readall = read

    def readinto(self, b):
        n = max(0, min(len(b), len(self._mv) - self._pos))
        b[:n] = self._mv[self._pos:self._pos + n]
        self._pos += n
        return n

    def readline(self, size=-1):
        end = len(self._mv) if size is None or size < 0 else min(len(self._mv), self._pos + size)
        at = self._pos
        while at < end:                     # pickle's text opcodes: short lines
            chunk = self._mv[at:min(end, at + 256)].tobytes()
            i = chunk.find(b"\n")
            if i >= 0:
                end = at + i + 1
                break
            at += len(chunk)
        return self.read(end - self._pos)

    def seek(self, pos, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._mv)}[whence]
        if base + pos < 0:
            raise ValueError(f"negative seek position {base + pos}")
        self._pos = base + pos
        return self._pos

    def tell(self):
        return self._pos

    def getbuffer(self):      # as io.BytesIO's (the pickle checker sizes the stream with it)
        return self._mv


def reader(buf):
    """A binary file object reading `buf` in place (no copy)."""
    return _BufferFile(buf)


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
