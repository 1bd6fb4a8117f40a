"""CPU storage: one bytearray in the Python heap.

In Pyodide the bytearray's address is an address in the wasm heap, so kernels read and write
it in place (zero copy). With guards enabled (tests), every storage carries GUARD bytes of a
known pattern on both sides, and the WASM backend checks them after every kernel call.
"""
import ctypes

_addressof, _c_char = ctypes.addressof, ctypes.c_char
GUARD = 64
GUARD_BYTE = 0xA5
_guards = [False]


def set_guards(on: bool):
    """Debug mode: surround every new storage with guard bytes (checked after kernel calls)."""
    _guards[0] = bool(on)


def guards_enabled():
    return _guards[0]


class Storage:
    __slots__ = ("buf", "base", "nbytes", "_addr", "__weakref__")

    def __init__(self, nbytes, buf=None):
        self.nbytes = nbytes
        self._addr = None
        if buf is not None:          # wrap existing bytes (no guards)
            self.buf = buf
            self.base = 0
        elif _guards[0]:
            self.buf = bytearray([GUARD_BYTE]) * (nbytes + 2 * GUARD)
            self.buf[GUARD:GUARD + nbytes] = bytes(nbytes)
            self.base = GUARD
        else:
            self.buf = bytearray(nbytes)
            self.base = 0

    def has_guards(self):
        return self.base == GUARD and len(self.buf) == self.nbytes + 2 * GUARD

    def guards_intact(self):
        if not self.has_guards():
            return True
        pat = bytes([GUARD_BYTE]) * GUARD
        return self.buf[:GUARD] == pat and self.buf[GUARD + self.nbytes:] == pat

    def address(self):
        """Address of buf[0] in this process's memory (the wasm heap in Pyodide)."""
        a = self._addr
        if a is None:
            if not self.buf:
                return 0
            # Stable: a storage's bytearray is never resized.
            a = self._addr = _addressof(_c_char.from_buffer(self.buf))
        return a

    def view(self):
        """A writable memoryview of the data bytes (without guards)."""
        return memoryview(self.buf)[self.base:self.base + self.nbytes]
