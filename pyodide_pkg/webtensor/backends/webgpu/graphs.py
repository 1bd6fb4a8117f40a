"""Graph capture on the webgpu device (the device registry's `graphs`, used by webtensor.graphs).

A capture records the dispatches the host receives (they also run, as usual); the host keeps
them with their own params buffer and bind groups, so a replay is one encode + submit (one JS
call in the browser). The buffers they use are held (storage.hold): none goes back to the pool
while the graph lives, whether its tensor is collected or not.
"""
from . import _host, storage


class Captured:
    __slots__ = ("host", "graph", "handles", "dispatches")

    def __init__(self, host, graph, handles, dispatches):
        self.host, self.graph, self.handles, self.dispatches = host, graph, handles, dispatches


def begin():
    _host.get().capture_begin()


def abort():
    host = _host.get()
    host.capturing = None
    storage.release_unheld(host)


def end():
    host = _host.get()
    n = len(host.capturing or ())
    graph, handles = host.capture_end()
    return Captured(host, graph, storage.hold(handles), n)


def replay(c):
    c.host.replay(c.graph)


def release(c):
    if c.host.lost is None:
        c.host.release(c.graph)
        storage.unhold(c.host, c.handles)
