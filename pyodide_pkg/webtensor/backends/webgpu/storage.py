"""GPU storage: one pooled WebGPU buffer per tensor storage.

Buffers come in size classes (256 bytes, then 2^k and 1.5 * 2^k), are reused, and go back to
the pool when their storage is collected (__del__). The device registry promises zeroed storage:
a reused buffer is handed out "pending" (host.pending) and its zero fill is recorded only when
something reads it before a dispatch has written all of it (host._note), so an op's output, which
its kernel overwrites, costs no fill. COUNTERS holds the pool's state.

A buffer that a live captured graph uses (GRAPH_HELD) never goes back to the pool: the graph
writes it on every replay. Buffers released during a capture are not reused before it ends.
"""
from . import _host

POOL_LIMIT = 256 << 20          # pooled bytes kept for reuse; beyond this, destroyed
COUNTERS = {"live_buffers": 0, "live_bytes": 0, "pooled_buffers": 0, "pooled_bytes": 0,
            "created": 0, "reused": 0}
_free = {}                      # size class -> [handle]
GRAPH_HELD = {}                 # handle -> number of live graphs that use it
_held_free = {}                 # handle -> cap: released while a graph holds it


def size_class(nbytes):
    if nbytes <= 256:
        return 256
    p = 1 << (nbytes - 1).bit_length()
    return p * 3 // 4 if nbytes <= p * 3 // 4 else p


class GPUStorage:
    """A tensor's bytes in a WebGPU buffer. `device` is set by _device.register_device."""
    __slots__ = ("handle", "nbytes", "host", "cap", "__weakref__")
    device = None

    def __del__(self):
        try:
            release(self.host, self.handle, self.cap)
        except Exception:  # noqa: BLE001 - interpreter shutdown: nothing left to free
            pass


def _acquire(host, cap):
    lst = _free.get(cap)
    if lst:
        h = lst.pop()
        COUNTERS["pooled_buffers"] -= 1
        COUNTERS["pooled_bytes"] -= cap
        COUNTERS["reused"] += 1
        host.pending[h] = cap
        return h
    try:
        h = host.buffer(cap)
    except Exception:
        trim(0)                 # give the pool back to the device and try once more
        h = host.buffer(cap)
    COUNTERS["created"] += 1
    return h


def release(host, handle, cap):
    COUNTERS["live_buffers"] -= 1
    COUNTERS["live_bytes"] -= cap
    if host.lost is not None:
        return
    if handle in GRAPH_HELD or host.capturing is not None:
        _held_free[handle] = cap        # no reuse during a capture: the graph may read it
        return                          # (a constant uploaded for the capture, say)
    _pool(host, handle, cap)


def hold(handles):
    """A graph now uses these buffers (graphs.py): those in the pool leave it, and those
    released during the capture stay out of it."""
    pooled = {h: cap for cap, lst in _free.items() for h in lst}
    handles = set(handles) | set(_held_free).difference(GRAPH_HELD)
    for h in handles:
        GRAPH_HELD[h] = GRAPH_HELD.get(h, 0) + 1
        cap = pooled.pop(h, None)
        if cap is not None:
            _free[cap].remove(h)
            COUNTERS["pooled_buffers"] -= 1
            COUNTERS["pooled_bytes"] -= cap
            _held_free[h] = cap
    return handles


def release_unheld(host):
    """After an aborted capture: what it released goes back to the pool."""
    for h in set(_held_free).difference(GRAPH_HELD):
        _pool(host, h, _held_free.pop(h))


def unhold(host, handles):
    """A graph released: its buffers that no tensor holds any more go back to the pool."""
    for h in handles:
        n = GRAPH_HELD.pop(h, 0) - 1
        if n > 0:
            GRAPH_HELD[h] = n
        elif h in _held_free:
            _pool(host, h, _held_free.pop(h))


def _pool(host, handle, cap):
    if COUNTERS["pooled_bytes"] + cap > POOL_LIMIT:
        host.destroy(handle)
        return
    _free.setdefault(cap, []).append(handle)
    COUNTERS["pooled_buffers"] += 1
    COUNTERS["pooled_bytes"] += cap


def trim(keep=0):
    """Destroy pooled buffers until at most `keep` bytes stay pooled."""
    host = _host.current()
    if host is None:
        return
    for cap in sorted(_free, reverse=True):
        lst = _free[cap]
        while lst and COUNTERS["pooled_bytes"] > keep:
            host.destroy(lst.pop())
            COUNTERS["pooled_buffers"] -= 1
            COUNTERS["pooled_bytes"] -= cap


def covers(t):
    """True when writing every element of tensor t writes every byte of its storage."""
    return t._offset == 0 and t.numel() * t.dtype.itemsize == t._storage.nbytes


def allocate(nbytes):
    """A zeroed GPUStorage of nbytes (the device registry's `storage`)."""
    host = _host.get()
    if host.zero is None:
        from .backend import zero_buffer
        host.zero = lambda h, n: zero_buffer(host, h, n)
    cap = size_class(nbytes)
    s = GPUStorage.__new__(GPUStorage)
    s.host, s.nbytes, s.cap = host, nbytes, cap
    s.handle = _acquire(host, cap)
    if host.capturing is not None:
        host.capture_new.add(s.handle)
    COUNTERS["live_buffers"] += 1
    COUNTERS["live_bytes"] += cap
    return s


def read_bytes(storage, offset, nbytes):
    return storage.host.read(storage.handle, offset, nbytes)


async def read_bytes_async(storage, offset, nbytes):
    return await storage.host.read_async(storage.handle, offset, nbytes)


def from_bytes(data):
    s = allocate(len(data))
    n = len(data)
    if n:
        body = n & ~3
        if body:
            s.host.write(s.handle, 0, bytes(data[:body]))
        if n > body:            # the tail word: the rest of it is zero (a fresh storage)
            s.host.write(s.handle, body, bytes(data[body:]).ljust(4, b"\0"))
    return s
