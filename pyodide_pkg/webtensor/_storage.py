"""CPU storage: one buffer in the Python heap.

A storage's own buffer is an array.array("B"): it costs less to make than a bytearray and
gives its address for free (buffer_info), and every op allocates one. In Pyodide that address
is an address in the wasm heap, so kernels read and write it in place (zero copy). With
guards enabled (tests), every storage carries GUARD bytes of a known pattern on both sides,
and the WASM backend checks them after every kernel call.
"""
import ctypes
import sys
from array import array

from ._errors import OutOfMemoryError

_addressof, _c_char = ctypes.addressof, ctypes.c_char
GUARD = 64
GUARD_BYTE = 0xA5
# _guards[0]: kernels take their checked path (guard bytes on, or a CPU graph capturing);
# _guard_bytes[0]: new storages carry guard bytes; _capture[0]: the CPU graph being captured
# (backends/wasm/graphs.py), or None.
_guards, _guard_bytes, _capture = [False], [False], [None]
_ZERO = array("B", b"\0")
_GUARD_PAT = array("B", [GUARD_BYTE])


def set_guards(on: bool):
    """Debug mode: surround every new storage with guard bytes (checked after kernel calls)."""
    _guard_bytes[0] = bool(on)
    _guards[0] = _guard_bytes[0] or _capture[0] is not None


def guards_enabled():
    return _guard_bytes[0]


def _heap_bytes():
    """The wasm heap's current size in Pyodide (None elsewhere / if it cannot be read)."""
    if sys.platform != "emscripten":
        return None
    try:
        import pyodide_js
        return int(pyodide_js._module.HEAPU8.length)
    except Exception:        # an older or different runtime: the message just says less
        return None


def out_of_memory(nbytes):
    """torch's error for an allocation the heap cannot hold: how much, and the limit. Raised
    before anything is allocated past sys.maxsize (wasm32: 2 GiB - 1, where the bare error
    was OverflowError), and when the allocator (the browser growing the wasm heap) says no."""
    if nbytes > sys.maxsize:
        where = "the wasm heap (wasm32)" if sys.platform == "emscripten" else "this process"
        why = f"more than the largest allocation {where} allows: {sys.maxsize} bytes"
    else:
        heap = _heap_bytes()
        why = "the allocator could not provide it" + (
            f" (the wasm heap is {heap} bytes now and at most 4 GiB; the browser may grant "
            f"less)" if heap is not None else "")
    return OutOfMemoryError(f"webtensor: out of memory on the cpu: tried to allocate {nbytes} "
                            f"bytes ({nbytes / 2 ** 30:.2f} GiB), {why}")


def _zeros(pattern, nbytes):
    try:
        return pattern * nbytes
    except (OverflowError, MemoryError):
        raise out_of_memory(nbytes) from None


class Storage:
    __slots__ = ("buf", "base", "nbytes", "_addr", "__weakref__")

    def __init__(self, nbytes, buf=None):
        self.nbytes = nbytes
        if buf is not None:          # wrap existing bytes (no guards); address on demand
            self.buf = buf
            self.base = 0
            self._addr = None
        elif _guard_bytes[0]:
            data = _zeros(_ZERO, nbytes)           # first: the error names the data bytes
            self.buf = b = _zeros(_GUARD_PAT, nbytes + 2 * GUARD)
            b[GUARD:GUARD + nbytes] = data
            self.base = GUARD
            self._addr = b.buffer_info()[0]
        else:
            self.buf = b = _zeros(_ZERO, nbytes)
            self.base = 0
            self._addr = b.buffer_info()[0]

    def has_guards(self):
        return self.base == GUARD and len(self.buf) == self.nbytes + 2 * GUARD

    def guards_intact(self):
        if not self.has_guards():
            return True
        pat = bytes([GUARD_BYTE]) * GUARD
        return bytes(self.buf[:GUARD]) == pat and bytes(self.buf[GUARD + self.nbytes:]) == pat

    def address(self):
        """Address of buf[0] in this process's memory (the wasm heap in Pyodide)."""
        a = self._addr
        if a is None:
            if not self.buf:
                return 0
            # Stable: a storage's buffer is never resized.
            a = self._addr = _addressof(_c_char.from_buffer(self.buf))
        return a

    def view(self):
        """A writable memoryview of the data bytes (without guards)."""
        return memoryview(self.buf)[self.base:self.base + self.nbytes]


def new_storage(nbytes, _new=object.__new__, _S=Storage, _Z=_ZERO, _g=_guard_bytes):
    """Storage(nbytes) without the Python-level __init__ call: every op output is one."""
    if _g[0]:
        return _S(nbytes)
    s = _new(_S)
    try:
        s.buf = b = _Z * nbytes
    except (OverflowError, MemoryError):      # OutOfMemoryError, as torch's
        raise out_of_memory(nbytes) from None
    s.base = 0
    s.nbytes = nbytes
    s._addr = b.buffer_info()[0]
    return s
