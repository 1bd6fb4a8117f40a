"""Pyodide runtime: ctypes.CDLL on the side module (Pyodide's dynamic linker gives it its own
data block and the shared stack). Storage bytearrays live in the same wasm heap, so a Region
becomes the plain address storage.address() + storage.base + offset: zero copy.

Argument types are set once per kernel and each call does only the address arithmetic, since
ctypes dispatch overhead (~2 us) is the floor for small tensors. Guard checks run only when a
storage carries guard bytes (debug mode).
"""
import ctypes

from . import guards, kernel_table

_CTYPE = {"size": ctypes.c_uint32, "i32": ctypes.c_int32, "f32": ctypes.c_float,
          "in": ctypes.c_size_t, "out": ctypes.c_size_t}


def _bind(lib, name, sym, spec):
    f = getattr(lib, sym)
    f.argtypes = [_CTYPE[kind] for kind, _ in spec]
    f.restype = None
    ptrs = [i for i, (kind, _) in enumerate(spec) if kind in ("in", "out")]

    def guarded(args):
        regions = [args[i] for i in ptrs]
        guards.check_bounds(name, regions)
        snaps = guards.snapshot(regions)
        f(*[_address(a) if i in ptrs else a for i, a in enumerate(args)])
        guards.verify(name, regions, snaps)

    # A wrapper specialised to this signature (like namedtuple does): no per-call loops,
    # since Python overhead adds directly to every small op.
    params = [f"a{i}" for i in range(len(spec))]
    conv = [f"a{i}[0].address() + a{i}[0].base + a{i}[1]" if i in ptrs else f"a{i}"
            for i in range(len(spec))]
    guard_test = " or ".join(f"a{i}[0].base" for i in ptrs) or "False"
    src = (f"def {name}({', '.join(params)}):\n"
           f"    if {guard_test}:\n"
           f"        return _guarded(({', '.join(params)},))\n"
           f"    _f({', '.join(conv)})\n")
    ns = {"_f": f, "_guarded": guarded}
    exec(src, ns)  # noqa: S102 - source built above from the kernel table only
    call = ns[name]
    call.__doc__ = f"{sym}({', '.join(n for _, n in spec)})"
    return call


def _address(r):
    s = r.storage
    return s.address() + s.base + r.offset


def bind_all(path, isa):
    lib = ctypes.CDLL(path)
    return {name: _bind(lib, name, sym, kernel_table.KERNELS[name].args)
            for name, sym in kernel_table.symbols(isa).items()}
