"""Graph capture on the CPU (the "cpu" device's `graphs`, used by webtensor.graphs).

While capturing, every kernel call is recorded as the bound function and its final arguments
(in Pyodide: the ctypes function and heap addresses) and also runs; a replay calls them again
in order, with none of the Python op layer (shape checks, promotion, allocation, dispatch).
The storages the calls touch are held by the graph, so their addresses stay valid.

What cannot be replayed raises at capture time: a primitive with no WASM kernel for its case
(the reference backend computes in Python), reading values back to Python (item, tolist,
numpy). To make that hold, the kernels take their checked path while capturing (the raw fast
paths check _guards) and the reference backend is replaced in the CPU chain by a refusal.
"""
from ... import _dispatch
from ..._storage import _capture, _guard_bytes, _guards


class Captured:
    """The recorded kernel calls of one graph and the storages they use."""
    __slots__ = ("calls", "storages", "dispatches")

    def __init__(self):
        self.calls, self.storages = [], {}

    def record(self, fn, args, regions):
        self.calls.append((fn, args))
        for r in regions:
            self.storages[id(r.storage)] = r.storage


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
    c.dispatches = len(c.calls)
    return c


def replay(c, _cap=_capture):
    if _cap[0] is not None:
        raise RuntimeError("webtensor: replay() while a CPU graph is being captured")
    for fn, args in c.calls:
        fn(*args)


def release(c):
    c.calls, c.storages = [], {}
