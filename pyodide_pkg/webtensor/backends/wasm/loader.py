"""Load the kernel side module for this platform and bind every kernel in kernel_table.

    ks = load()                      # or load("simd128"); cached per ISA
    ks.isa, ks.runtime               # "relaxedsimd" | "simd128", "pyodide" | "wasmtime"
    ks.f32_exp(n, Region(x_storage, x_off, 4 * n, False), Region(y_storage, y_off, 4 * n, True))

Arguments follow the kernel's signature in kernel_table: Python ints for size/i32, floats for
f32, and a Region (storage, byte offset from the storage's data start, nbytes, writable) for
each pointer. In Pyodide a Region becomes a plain heap address (zero copy); under wasmtime
(CPython) it is copied into the module's memory between guard bytes and writable regions are
copied back.

ISA: WEBTENSOR_WASM_ISA=simd128|relaxedsimd forces a build; otherwise relaxed SIMD is used
when the engine validates it (always under wasmtime).
"""
import os
import sys
from collections import namedtuple

from . import kernel_table

Region = namedtuple("Region", "storage offset nbytes writable")
Region.__doc__ = "A pointer argument: bytes [offset, offset + nbytes) of storage's data."

ENV_ISA = "WEBTENSOR_WASM_ISA"
IS_PYODIDE = sys.platform == "emscripten"


class LoadError(RuntimeError):
    """The kernels cannot be used here; the message says why."""


def kernels_dir():
    return os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "kernels")


def module_path(isa):
    return os.path.join(kernels_dir(), kernel_table.MODULE_FILE[isa])


# A tiny module whose only function uses f32x4.relaxed_madd: it validates iff the engine
# has relaxed SIMD.
RELAXED_PROBE = bytes(
    b"\0asm\1\0\0\0"
    b"\x01\x05\x01\x60\x00\x01\x7b"          # type: () -> v128
    b"\x03\x02\x01\x00"                      # one function of that type
    b"\x0a\x3d\x01\x3b\x00"                  # code: 1 body, 59 bytes, no locals
    + (b"\xfd\x0c" + bytes(16)) * 3          # v128.const 0 (x3)
    + b"\xfd\x85\x02"                        # f32x4.relaxed_madd (0xfd 0x105)
    + b"\x0b")


def engine_has_relaxed_simd():
    if IS_PYODIDE:
        try:
            import js
            from pyodide.ffi import to_js
            return bool(js.WebAssembly.validate(to_js(RELAXED_PROBE)))
        except Exception:
            return False
    return True   # wasmtime implements relaxed SIMD


def choose_isa(isa=None):
    isa = isa or os.environ.get(ENV_ISA) or None
    if isa is None:
        return "relaxedsimd" if engine_has_relaxed_simd() else "simd128"
    if isa not in kernel_table.ISAS:
        raise LoadError(f"{ENV_ISA}={isa!r}: expected one of {', '.join(kernel_table.ISAS)}")
    if isa == "relaxedsimd" and not engine_has_relaxed_simd():
        raise LoadError("relaxed SIMD was requested but this WebAssembly engine lacks it")
    return isa


class Kernels:
    """Bound kernels of one module: attribute per kernel name, plus fn(name)."""

    def __init__(self, isa, runtime, path, fns, graph_runner=None):
        self.isa = isa
        self.graph_runner = graph_runner     # replays captured graphs (backends/wasm/graphs.py)
        self.runtime = runtime
        self.path = path
        self._fns = fns
        for name, f in fns.items():
            setattr(self, name, f)

    def fn(self, name):
        return self._fns[name]

    def names(self):
        return sorted(self._fns)

    def __repr__(self):
        return f"<webtensor wasm kernels {self.isa} via {self.runtime}: {len(self._fns)} kernels>"


_cache = {}


def load(isa=None):
    """Load (once per ISA) and return Kernels; raises LoadError with the reason."""
    isa = choose_isa(isa)
    if isa in _cache:
        return _cache[isa]
    path = module_path(isa)
    if not os.path.exists(path):
        raise LoadError(f"kernel module {path} is missing "
                        "(build it: python scripts/build_kernels.py)")
    if IS_PYODIDE:
        from .loader_pyodide import bind_all
        runtime = "pyodide"
    else:
        try:
            import wasmtime  # noqa: F401
        except ImportError:
            raise LoadError("the wasmtime package is not installed (pip install wasmtime); "
                            "on CPython the kernels run under wasmtime") from None
        from .loader_wasmtime import bind_all
        runtime = "wasmtime"
    try:
        fns, runner = bind_all(path, isa)
    except LoadError:
        raise
    except Exception as e:
        raise LoadError(f"could not load {path}: {type(e).__name__}: {e}") from e
    ks = Kernels(isa, runtime, path, fns, runner)
    _cache[isa] = ks
    return ks
