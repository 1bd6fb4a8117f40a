"""Pyodide runtime: ctypes.CDLL on the side module (Pyodide's dynamic linker gives it its own
data block and the shared stack). Storage buffers live in the same wasm heap, so a Region
becomes the plain address storage.address() + storage.base + offset: zero copy.

No argtypes: ctypes' per-argument converters cost ~0.3 us each (2.6 us of a 9-argument call),
while its default conversion of a Python int is exactly a wasm32 i32 (sizes, strides and heap
addresses below 4 GB). Only f32 arguments are wrapped, in c_float. Each call does the address
arithmetic and nothing else; the checked path runs only when a storage carries guard bytes
(debug) or a CPU graph is being captured (the call is recorded: graphs.py).

A captured graph replays through GraphRunner: one ctypes call into the module's replay loop
(wasm_kernels/graph-replay/) with a buffer of records whose pointers are these heap addresses.
"""
import ctypes

from ..._storage import _capture, _guards
from . import guards, kernel_table


def _bind(lib, name, sym, spec):
    f = getattr(lib, sym)
    f.restype = None
    ptrs = [i for i, (kind, _) in enumerate(spec) if kind in ("in", "out")]
    floats = [i for i, (kind, _) in enumerate(spec) if kind == "f32"]

    def checked(args):
        """While guard bytes or a CPU graph capture are on: bounds and guards checked, the
        call (heap addresses) recorded for the graph."""
        regions = [args[i] for i in ptrs]
        guarded = any(r.storage.base for r in regions)
        if guarded:
            guards.check_bounds(name, regions)
            snaps = guards.snapshot(regions)
        conv = tuple(_address(a) if i in ptrs else ctypes.c_float(a) if i in floats else a
                     for i, a in enumerate(args))
        if _capture[0] is not None:
            _capture[0].record(call, args, regions)
        f(*conv)
        if guarded:
            guards.verify(name, regions, snaps)

    call = _maker(len(spec), tuple(ptrs), tuple(floats))(f, checked, ctypes.c_float, _guards)
    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{sym}({', '.join(n for _, n in spec)})"
    call.raw = f  # plain ints in (heap addresses for pointers): for the shortcuts
    return call


_MAKERS = {}


def _maker(n, ptrs, floats):
    """A wrapper specialised to one argument pattern (like namedtuple does): no per-call
    loops, since Python overhead adds directly to every small op. The ~150 kernels share ~25
    patterns: each pattern's source is compiled once (compiling costs import time in Pyodide),
    then closed over each kernel's function.
    Storage.base is 0 unless the storage carries guards, so the plain path adds no base; _g is
    storage._guards (guard bytes on, or a CPU graph capturing: the checked path)."""
    key = (n, ptrs, floats)
    if key not in _MAKERS:
        params = [f"a{i}" for i in range(n)]
        conv = [f"s{i}.address() + a{i}[1]" if i in ptrs else
                f"_c_float(a{i})" if i in floats else f"a{i}" for i in range(n)]
        storages = "".join(f"        s{i} = a{i}[0]\n" for i in ptrs)
        guard_test = "".join(f" or s{i}.base" for i in ptrs)
        src = (f"def make(_f, _checked, _c_float, _g):\n"
               f"    def kernel({', '.join(params)}):\n"
               f"{storages}"
               f"        if _g[0]{guard_test}:\n"
               f"            return _checked(({', '.join(params)},))\n"
               f"        _f({', '.join(conv)})\n"
               f"    return kernel\n")
        ns = {}
        exec(src, ns)  # noqa: S102 - source built above from the kernel table only
        _MAKERS[key] = ns["make"]
    return _MAKERS[key]


def _address(r):
    s = r.storage
    return s.address() + s.base + r.offset


class GraphRunner:
    """Runs a captured graph's record buffer (graphs.py) in place: storages are in the heap."""

    def __init__(self, lib):
        self._replay = getattr(lib, kernel_table.GRAPH_REPLAY_SYMBOL)
        self._replay.restype = ctypes.c_int32

    def plan(self, storages, written):
        return None

    address = staticmethod(lambda plan, region: _address(region))

    @staticmethod
    def table_index(call):
        """The kernel's slot in the function table (what dlsym gave ctypes)."""
        return ctypes.cast(call.raw, ctypes.c_void_p).value

    def run(self, plan, buf, ncalls):
        return self._replay(buf.address(), ncalls)

    @staticmethod
    def per_call(call, args):
        """(function, arguments) replaying one call by itself: the raw ctypes function."""
        spec = kernel_table.KERNELS[call.__name__].args
        return call.raw, tuple(_address(a) if kind in ("in", "out") else
                               ctypes.c_float(a) if kind == "f32" else a
                               for (kind, _), a in zip(spec, args))


def bind_all(path, isa):
    """({kernel name: bound call}, GraphRunner)."""
    lib = ctypes.CDLL(path)
    return ({name: _bind(lib, name, sym, kernel_table.KERNELS[name].args)
             for name, sym in kernel_table.symbols(isa).items()}, GraphRunner(lib))
