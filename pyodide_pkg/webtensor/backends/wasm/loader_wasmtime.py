"""CPython runtime: run the same side module under wasmtime.

We play Emscripten's dynamic linker: one linear memory laid out as
    [0, 1 KiB) unused | module data at __memory_base | 256 KiB stack | call arena
and the env/GOT imports the module asks for. Each call copies its pointer regions into the
arena, each between GUARD bytes of GUARD_BYTE (identical regions, as in an in-place call,
share one copy), runs the kernel, checks those guards (always) and copies writable regions
back. So the wasm path is tested on the desktop with real
bounds checking; the copies cost O(bytes), negligible next to the kernels we test.

A captured graph (graphs.py) replays through GraphRunner: every storage it uses is copied into
the arena between guard bytes, the module's replay loop runs the record buffer once, the guards
are checked and the storages the graph writes are copied back.
"""
import atexit
import ctypes

import wasmtime

from ..._storage import _capture
from . import guards, kernel_table, wasm_module_info
from .loader import LoadError

PAGE = 65536
STACK_SIZE = 256 * 1024
GUARD = 64
GUARD_BYTE = 0xA5
_PAT = bytes([GUARD_BYTE]) * GUARD


def _align(x, a):
    return (x + a - 1) // a * a


class Instance:
    def __init__(self, path, isa):
        with open(path, "rb") as f:
            data = f.read()
        info = wasm_module_info.parse(data)
        bad = wasm_module_info.unexpected_imports(info)
        if bad:
            raise LoadError(f"{path} needs imports we do not provide: {bad}")
        cfg = wasmtime.Config()
        cfg.wasm_simd = True
        # only the relaxed build may use relaxed instructions: prove it by refusing them
        cfg.wasm_relaxed_simd = isa == "relaxedsimd"
        self.engine = wasmtime.Engine(cfg)
        self.store = wasmtime.Store(self.engine)
        module = wasmtime.Module(self.engine, data)

        self.memory_base = _align(1024, 1 << info.mem_align)
        stack_lo = _align(self.memory_base + info.mem_size, 16)
        self.stack_top = stack_lo + STACK_SIZE
        self.arena = _align(self.stack_top + GUARD, 64)
        pages = _align(self.arena + PAGE, PAGE) // PAGE
        self.memory = wasmtime.Memory(self.store, wasmtime.MemoryType(wasmtime.Limits(pages, None)))

        i32 = wasmtime.ValType.i32()
        got = {}
        imports = []
        for imp in module.imports:
            mod, name = imp.module, imp.name
            if mod == "env" and name == "memory":
                imports.append(self.memory)
            elif mod == "env" and name == "__memory_base":
                imports.append(self._global(i32, False, self.memory_base))
            elif mod == "env" and name == "__table_base":
                imports.append(self._global(i32, False, 0))
            elif mod == "env" and name == "__stack_pointer":
                imports.append(self._global(i32, True, self.stack_top))
            elif mod == "env" and name == "__indirect_function_table":
                ty = wasmtime.TableType(wasmtime.ValType.funcref(),
                                        wasmtime.Limits(max(info.table_size, 1), None))
                self.table = wasmtime.Table(self.store, ty, None)
                imports.append(self.table)
            elif mod == "GOT.mem":
                g = self._global(i32, True, 0)
                got[name] = g
                imports.append(g)
            else:
                raise LoadError(f"unsupported import {mod}.{name}")
        self.instance = wasmtime.Instance(self.store, module, imports)
        self.exports = self.instance.exports(self.store)
        # GOT.mem entries hold absolute addresses of the module's exported data
        for name, g in got.items():
            g.set_value(self.store, self.memory_base + self.exports[name].value(self.store))
        for init in ("__wasm_apply_data_relocs", "__wasm_call_ctors"):
            f = self.exports.get(init)
            if f is not None:
                f(self.store)

    def close(self):
        # release wasmtime objects while the interpreter is still whole (avoids noisy
        # finaliser errors at exit)
        for attr in ("exports", "instance", "memory", "store", "engine"):
            obj = self.__dict__.pop(attr, None)
            if hasattr(obj, "close"):
                obj.close()

    def _global(self, ty, mutable, value):
        return wasmtime.Global(self.store, wasmtime.GlobalType(ty, mutable),
                               wasmtime.Val.i32(value))

    def base_address(self, needed_end):
        """Address of wasm memory byte 0 in this process, growing memory to needed_end."""
        have = self.memory.data_len(self.store)
        if needed_end > have:
            self.memory.grow(self.store, _align(needed_end - have, PAGE) // PAGE)
        return ctypes.addressof(self.memory.data_ptr(self.store).contents)


def _bind(inst, name, sym, spec):
    func = inst.exports[sym]
    store = inst.store
    nargs = len(spec)
    ptr_pos = [i for i, (kind, _) in enumerate(spec) if kind in ("in", "out")]
    out_pos = {i for i, (kind, _) in enumerate(spec) if kind == "out"}

    def call(*args):
        if len(args) != nargs:
            raise TypeError(f"{name} takes {nargs} arguments ({len(args)} given)")
        regions = [args[i] for i in ptr_pos]
        for i in ptr_pos:
            if bool(args[i].writable) != (i in out_pos):
                raise ValueError(f"{name}: argument {spec[i][1]} must be "
                                 f"{'writable' if i in out_pos else 'read-only'}")
        guards.check_bounds(name, regions)
        if _capture[0] is not None:        # a CPU graph: recorded for its replay buffer
            _capture[0].record(call, args, regions)
        debug = guards.any_guarded(regions)
        snaps = guards.snapshot(regions) if debug else None
        # identical regions (an in-place call: y is x) share one copy, so aliasing is as real
        # as in Pyodide; partially overlapping regions get separate copies
        slots = {}
        places = []
        end = inst.arena
        for r in regions:
            key = (id(r.storage), r.offset, r.nbytes)
            if key not in slots:
                slots[key] = [end + GUARD, r, False]
                end = _align(end + GUARD + r.nbytes + GUARD, 16)
            slot = slots[key]
            slot[2] = slot[2] or r.writable
            places.append(slot[0])
        base = inst.base_address(end)
        for a, r, _ in slots.values():
            ctypes.memset(base + a - GUARD, GUARD_BYTE, GUARD)
            ctypes.memset(base + a + r.nbytes, GUARD_BYTE, GUARD)
            if r.nbytes:
                s = r.storage
                ctypes.memmove(base + a, s.address() + s.base + r.offset, r.nbytes)
        cargs = list(args)
        for i, a in zip(ptr_pos, places):
            cargs[i] = a
        func(store, *cargs)
        for a, r, writable in slots.values():
            if ctypes.string_at(base + a - GUARD, GUARD) != _PAT or \
                    ctypes.string_at(base + a + r.nbytes, GUARD) != _PAT:
                raise RuntimeError(f"webtensor kernel {name}: wrote outside a pointer argument "
                                   f"of {r.nbytes} bytes in wasm memory")
            if debug and not writable and \
                    ctypes.string_at(base + a, r.nbytes) != _host_bytes(r):
                raise RuntimeError(f"webtensor kernel {name}: modified a read-only input")
        for a, r, writable in slots.values():
            if writable and r.nbytes:
                s = r.storage
                ctypes.memmove(s.address() + s.base + r.offset, base + a, r.nbytes)
        if debug:
            guards.verify(name, regions, snaps)

    call.__name__ = name
    call.__doc__ = f"{sym}({', '.join(n for _, n in spec)})"
    return call


def _host_bytes(r):
    s = r.storage
    return bytes(s.buf[s.base + r.offset:s.base + r.offset + r.nbytes])


class GraphRunner:
    """Replays a captured graph's record buffer (graphs.py) in one call into the module."""

    def __init__(self, inst):
        self.inst = inst
        self._replay = inst.exports[kernel_table.GRAPH_REPLAY_SYMBOL]

    def plan(self, storages, written):
        """Where each storage of the graph sits in the arena during a replay."""
        slots, end = {}, self.inst.arena
        for key, s in storages.items():
            slots[key] = (end + GUARD, s, key in written)
            end = _align(end + GUARD + s.nbytes + GUARD, 16)
        return slots, end

    @staticmethod
    def address(plan, region):
        return plan[0][id(region.storage)][0] + region.offset

    @staticmethod
    def table_index(call):
        return call.table_index      # the slot bind_all gave the kernel

    def run(self, plan, buf, ncalls):
        slots, end = plan
        inst = self.inst
        at = end + GUARD
        base = inst.base_address(_align(at + buf.nbytes + GUARD, 16))
        for a, s, _ in list(slots.values()) + [(at, buf, False)]:
            ctypes.memset(base + a - GUARD, GUARD_BYTE, GUARD)
            ctypes.memset(base + a + s.nbytes, GUARD_BYTE, GUARD)
            if s.nbytes:
                ctypes.memmove(base + a, s.address() + s.base, s.nbytes)
        rc = self._replay(inst.store, at, ncalls)
        for a, s, _ in slots.values():
            if ctypes.string_at(base + a - GUARD, GUARD) != _PAT or \
                    ctypes.string_at(base + a + s.nbytes, GUARD) != _PAT:
                raise RuntimeError(f"webtensor: a CPU graph replay wrote outside a storage of "
                                   f"{s.nbytes} bytes in wasm memory")
        for a, s, written in slots.values():
            if written and s.nbytes:
                ctypes.memmove(s.address() + s.base, base + a, s.nbytes)
        return rc

    @staticmethod
    def per_call(call, args):
        """(function, arguments) replaying one call by itself: the checked call."""
        return call, args


def bind_all(path, isa):
    """({kernel name: bound call}, GraphRunner)."""
    inst = Instance(path, isa)
    atexit.register(inst.close)
    fns = {}
    syms = kernel_table.symbols(isa)
    first = inst.table.grow(inst.store, len(syms), None)   # a table slot per kernel: replays
    for i, (name, sym) in enumerate(syms.items()):        # call them by index
        func = inst.exports.get(sym)
        if func is None:
            raise LoadError(f"{path} lacks kernel {sym}")
        fns[name] = _bind(inst, name, sym, kernel_table.KERNELS[name].args)
        inst.table.set(inst.store, first + i, func)
        fns[name].table_index = first + i
    return fns, GraphRunner(inst)
