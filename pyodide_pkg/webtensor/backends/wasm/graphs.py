"""Graph capture on the CPU (the "cpu" device's `graphs`, used by webtensor.graphs).

While capturing, every kernel call is recorded (the bound kernel, its arguments, its pointer
regions) and also runs. At capture end the calls become one buffer of records in wasm memory,
[function-table index, signature id, args...] with pointers resolved to addresses, and a replay
is ONE call into the module's replay loop (wasm_kernels/graph-replay/), none of the Python op
layer and no Python per kernel. The storages the calls touch are held by the graph, so their
addresses stay valid. (Under wasmtime the loader copies those storages into its memory around
the call: loader_wasmtime.GraphRunner.)

What cannot be replayed raises at capture time: a primitive with no WASM kernel for its case
(the reference backend computes in Python), reading values back to Python (item, tolist,
numpy). To make that hold, the kernels take their checked path while capturing (the raw fast
paths check _guards) and the reference backend is replaced in the CPU chain by a refusal.
Every recorded call is checked against its kernel's signature in kernel_table when the buffer
is built (a call that does not fit raises there); the loop itself stops at a record whose
signature id it does not know, and replay() raises naming that kernel.

`replay_loop = False` replays call by call from Python instead (the benchmark's comparison).

Memory: a storage whose first recorded use is a kernel that overwrites it whole (_OVERWRITES)
is held weakly while capturing (a _Slot in the records), so it is freed when its last tensor
goes, as in eager mode: no later call can use it, and its contents never reach a replay. Any
other storage is held by the graph. At capture end the slots still alive get their storages
back, and the intermediates -- dead slots and storages no tensor outside the graph refers to
any more, first overwritten whole -- move into one pool where those with disjoint lifetimes
(first to last call) share bytes. Anything else keeps its storage.
"""
import weakref
import struct
import sys
from array import array

from ... import _dispatch
from ..._storage import _capture, _guard_bytes, _guards, new_storage
from . import backend, kernel_table
from .loader import Region

replay_loop = True
_SIG_ID = {s: i for i, s in enumerate(kernel_table.graph_signatures())}
_LIMITS = {"size": (0, 1 << 32), "i32": (-(1 << 31), 1 << 31)}
# kernel families that write their out arguments whole without reading them first
_OVERWRITES = frozenset((
    "unary", "binary", "compare", "binary_flat", "compare_flat", "binary_flatc",
    "compare_flatc", "reduce", "var", "argreduce", "rowwise", "gemm", "gemv", "linear", "copy",
    "layer_norm", "rms_norm", "sdpa", "convert", "fill", "where", "xbinary", "xcompare",
    "xreduce", "xscan", "xunary", "qgemv", "qgemm", "dequantize", "qd8gemv"))
_POOL_ALIGN = 64
_f32_bits = struct.Struct("<f")
_i32 = struct.Struct("<i")


class _Slot:
    """A storage first overwritten whole, held weakly while capturing (ref() is None once
    its tensors are gone)."""
    __slots__ = ("ref", "nbytes")


class Captured:
    """The recorded kernel calls of one graph, the storages they use, and their replay buffer."""
    __slots__ = ("calls", "storages", "dispatches", "buf", "plan", "runner", "_per_call",
                 "pooled", "slots", "__weakref__")

    def __init__(self):
        self.calls, self.storages, self.slots = [], {}, {}
        self.buf = self.plan = self.runner = self._per_call = None
        self.pooled = (0, 0, 0)     # intermediates pooled, their bytes, the pool's bytes

    def record(self, call, args, regions):
        slots, storages = self.slots, self.storages
        if all(id(r.storage) in storages or id(r.storage) in slots for r in regions):
            args = tuple(Region(slots[id(a.storage)], *a[1:])
                         if type(a) is Region and id(a.storage) in slots else a for a in args)
        else:
            k = kernel_table.KERNELS[call.__name__]
            fresh = k.family in _OVERWRITES
            reads = {id(a.storage) for (kind, _), a in zip(k.args, args) if kind == "in"}
            out = []
            for (kind, _), a in zip(k.args, args):
                if type(a) is Region:
                    s = a.storage
                    key = id(s)
                    if key not in storages and key not in slots:
                        if fresh and kind == "out" and key not in reads and a.offset == 0 \
                                and a.nbytes == s.nbytes > 0:
                            slot = slots[key] = _Slot()
                            slot.nbytes = s.nbytes
                            slot.ref = weakref.ref(s, _forget(self, key))
                        else:
                            storages[key] = s
                    if key in slots:
                        a = Region(slots[key], *a[1:])
                out.append(a)
            args = tuple(out)
        self.calls.append((call, args))

    def resolve(self):
        """At capture end: live slots get their storages back; dead ones stay for the pool."""
        live = {}
        for slot in self.slots.values():
            s = slot.ref()
            if s is not None:
                live[id(slot)] = s
                self.storages[id(s)] = s
        for slot in _dead_slots(self):
            self.storages[id(slot)] = slot
        self.slots = {}
        self.calls = [(call, tuple(Region(live[id(a.storage)], *a[1:])
                                   if type(a) is Region and id(a.storage) in live else a
                                   for a in args))
                      for call, args in self.calls]


def _forget(c, key):
    """Weakref callback: the storage died, so its id may be reused by a new storage."""
    cref = weakref.ref(c)

    def forget(_):
        cap = cref()
        if cap is not None:
            cap.slots.pop(key, None)
    return forget


def _dead_slots(c):
    seen = {}
    for _, args in c.calls:
        for a in args:
            if type(a) is Region and type(a.storage) is _Slot and a.storage.ref() is None:
                seen[id(a.storage)] = a.storage
    return seen.values()


def _refusal(name):
    def refuse(*args, **kwargs):
        kinds = sorted({f"{a.dtype}" for a in args if isinstance(a, _dispatch.Tensor)})
        raise RuntimeError(f"webtensor: primitive {name!r} ({', '.join(kinds) or 'no tensors'}) "
                           f"has no WASM kernel for this case, so it cannot be captured in a "
                           f"CPU graph")
    return refuse


def available():
    """Capture needs the WASM kernels first in the CPU chain (not set_backend("reference"))."""
    return _dispatch.get_backend("cpu") == "wasm"


def begin():
    if _capture[0] is not None:
        raise RuntimeError("webtensor: a CPU graph is already being captured")
    if not available():
        raise RuntimeError("webtensor: CPU graph capture needs the WASM kernels as the first "
                           "backend (set_backend('wasm'))")
    chain = _dispatch.CHAINS["cpu"]
    chain[-1] = {name: _refusal(name) for name in chain[-1]}
    _capture[0] = Captured()
    _guards[0] = True


def _stop():
    c = _capture[0]
    _capture[0] = None
    _guards[0] = _guard_bytes[0]
    _dispatch._rebuild()         # the reference backend back at the end of the chain
    return c


def abort():
    _stop()


def end():
    c = _stop()
    c.resolve()
    c.dispatches = len(c.calls)
    ks = backend.kernels()
    _check(c, ks)
    _share_intermediates(c)
    _encode(c, ks)
    return c


def _refs(storages, nregions):
    """{key: references to the storage, less one per Region of it in the calls}."""
    return {key: sys.getrefcount(s) - nregions.get(key, 0) for key, s in storages.items()}


def _base_refs():
    """_refs of a storage held by the dict alone (what the interpreter itself adds differs
    between Python versions: measured through the same code, not assumed)."""
    probe = new_storage(0)
    storages = {0: probe}
    del probe
    return _refs(storages, {})[0]


def _share_intermediates(c):
    """Put the graph's intermediates into one pool, sharing bytes across disjoint lifetimes."""
    regions, first, last, fresh = {}, {}, {}, set()
    for i, (call, args) in enumerate(c.calls):
        k = kernel_table.KERNELS[call.__name__]
        reads = {id(a.storage) for (kind, _), a in zip(k.args, args) if kind == "in"}
        for (kind, _), a in zip(k.args, args):
            if type(a) is not Region:
                continue
            key = id(a.storage)
            regions.setdefault(key, set()).add(id(a))
            if key not in first:
                first[key] = i
                if kind == "out" and k.family in _OVERWRITES and key not in reads and \
                        a.offset == 0 and a.nbytes == a.storage.nbytes > 0:
                    fresh.add(key)
            last[key] = i
    nregions = {key: len(ids) for key, ids in regions.items()}
    unshared = {key for key, n in _refs(c.storages, nregions).items()
                if n == _BASE_REFS or type(c.storages[key]) is _Slot}
    keys = sorted(fresh & unshared,
                  key=lambda key: (-c.storages[key].nbytes, first[key]))
    if not keys:
        return
    placed, offset = [], {}
    for key in keys:        # largest first, each at the lowest offset free over its lifetime
        size, lo, hi = c.storages[key].nbytes, first[key], last[key]
        at = 0
        for o, n in sorted((o, n) for o, n, a, b in placed if a <= hi and lo <= b):
            if at + size <= o:
                break
            at = max(at, -(-(o + n) // _POOL_ALIGN) * _POOL_ALIGN)
        placed.append((at, size, lo, hi))
        offset[key] = at
    pool = new_storage(max(o + n for o, n, _, _ in placed))
    c.calls = [(call, tuple(Region(pool, offset[id(a.storage)] + a.offset, a.nbytes, a.writable)
                            if type(a) is Region and id(a.storage) in offset else a
                            for a in args))
               for call, args in c.calls]
    c.pooled = (len(keys), sum(c.storages[key].nbytes for key in keys), pool.nbytes)
    for key in keys:
        del c.storages[key]
    c.storages[id(pool)] = pool


def _bad(i, name, why):
    return RuntimeError(f"webtensor: CPU graph call {i} ({name}) cannot go into the replay "
                        f"buffer: {why}")


def _check(c, ks):
    """Every recorded call against its kernel's signature in kernel_table."""
    for i, (call, args) in enumerate(c.calls):
        name = call.__name__
        k = kernel_table.KERNELS.get(name)
        if k is None or ks.fn(name) is not call:
            raise _bad(i, name, "not a kernel of the loaded module")
        if len(args) != len(k.args):
            raise _bad(i, name, f"{len(args)} arguments recorded, its signature has "
                                f"{len(k.args)}")
        for (kind, arg), a in zip(k.args, args):
            if kind in ("in", "out"):
                if type(a) is not Region or a.writable != (kind == "out") or \
                        a.offset < 0 or a.offset + a.nbytes > a.storage.nbytes:
                    raise _bad(i, name, f"argument {arg} is not a {kind} region inside its "
                                        f"storage: {a!r}")
            elif kind == "f32":
                if not isinstance(a, (int, float)) or isinstance(a, bool):
                    raise _bad(i, name, f"argument {arg} is not a float: {a!r}")
            else:
                lo, hi = _LIMITS[kind]
                if type(a) is not int or not lo <= a < hi:
                    raise _bad(i, name, f"argument {arg} is not a {kind} value: {a!r}")


def _encode(c, ks):
    """The replay buffer (calls checked by _check): pointers resolved by the loader."""
    runner = ks.graph_runner
    written = {id(a.storage) for _, args in c.calls for a in args
               if type(a) is Region and a.writable}
    plan = runner.plan(c.storages, written)
    words = array("i")
    for call, args in c.calls:
        words.append(runner.table_index(call))
        words.append(_SIG_ID[kernel_table.signature(call.__name__)])
        for (kind, _), a in zip(kernel_table.KERNELS[call.__name__].args, args):
            if kind in ("in", "out"):
                words.append(runner.address(plan, a))
            elif kind == "f32":
                words.append(_i32.unpack(_f32_bits.pack(a))[0])
            else:
                words.append(a - (1 << 32) if a >= 1 << 31 else a)
    buf = new_storage(4 * len(words))
    buf.view()[:] = words.tobytes()
    c.buf, c.plan, c.runner = buf, plan, runner


def replay(c, _cap=_capture):
    if _cap[0] is not None:
        raise RuntimeError("webtensor: replay() while a CPU graph is being captured")
    if not replay_loop:
        if c._per_call is None:
            c._per_call = [c.runner.per_call(call, args) for call, args in c.calls]
        for fn, args in c._per_call:
            fn(*args)
        return
    rc = c.runner.run(c.plan, c.buf, len(c.calls))
    if rc:
        raise RuntimeError(f"webtensor: CPU graph replay stopped before call {rc - 1} "
                           f"({c.calls[rc - 1][0].__name__}): its record's signature id is "
                           f"not one of this module's (calls before it ran)")


_BASE_REFS = _base_refs()


def release(c):
    c.calls, c.storages, c.buf, c.plan, c._per_call = [], {}, None, None, None
