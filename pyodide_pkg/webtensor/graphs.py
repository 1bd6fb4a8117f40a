"""Captured graphs: torch.cuda.CUDAGraph's counterpart, for any device that supports capture
("webgpu": one submit per replay; "cpu" with the WASM kernels: one call into a replay loop
in the kernel module that runs the recorded kernel calls, none of the Python op layer).

    g = webtensor.graphs.Graph()
    with webtensor.graphs.graph(g, device="webgpu"):
        out = step(static_in)           # runs once, and its kernels are recorded
    static_in.copy_(new_input)          # inputs: update the same tensors in place
    g.replay()                          # the same kernels on the same buffers: no Python op
    out.tolist()                        #   layer, one submit

As with CUDA graphs: shapes are static, the step must not read values back to Python or copy
host data to the device while capturing (that raises at capture time: it could not be
replayed; on the CPU so does a primitive with no WASM kernel for its case), the tensors it
uses stay valid for replays (their buffers are held by the graph), and Python work inside the
step is not part of the graph. Index checks run at capture time only: a replay whose index
tensors went out of range touches no memory outside its tensors, but those rows are left
unspecified. Unlike torch, the capture also executes the step once (so `out` is valid right
after the `with` block).
"""
from ._device import DEVICES, as_device


class Graph:
    """A captured sequence of kernels on one device (torch.cuda.CUDAGraph)."""

    def __init__(self):
        self._dev = None
        self._captured = None

    def _graphs(self, device):
        dev = as_device(device if device is not None else _default_device())
        g = DEVICES[dev.type].graphs
        if g is None:
            raise NotImplementedError(f"webtensor: graph capture is not supported on device "
                                      f"'{dev.type}'")
        return dev, g

    def capture_begin(self, device=None):
        if self._captured is not None:
            raise RuntimeError("webtensor: this graph was already captured; call reset() "
                               "before capturing again")
        dev, g = self._graphs(device)
        g.begin()
        self._dev = dev

    def capture_end(self):
        if self._dev is None:
            raise RuntimeError("webtensor: capture_end() without capture_begin()")
        self._captured = DEVICES[self._dev.type].graphs.end()

    def replay(self):
        if self._captured is None:
            raise RuntimeError("webtensor: replay() of a graph that was not captured")
        DEVICES[self._dev.type].graphs.replay(self._captured)

    def reset(self):
        """Release the kernels and the buffers held for them."""
        if self._captured is not None:
            DEVICES[self._dev.type].graphs.release(self._captured)
        self._captured = self._dev = None

    @property
    def num_kernels(self):
        return 0 if self._captured is None else self._captured.dispatches

    def __del__(self):
        try:
            self.reset()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def is_supported(device):
    """True when graphs can be captured on `device` (a str or torch.device)."""
    d = DEVICES.get(as_device(device).type)
    return d is not None and d.graphs is not None and \
        getattr(d.graphs, "available", lambda: True)()


def _default_device():
    capable = [name for name, d in DEVICES.items() if d.graphs is not None]
    if len(capable) != 1:
        raise RuntimeError("webtensor: name the device to capture on, e.g. "
                           "graph(g, device='webgpu')")
    return capable[0]


class graph:
    """Context manager capturing into `g` (torch.cuda.graph)."""

    def __init__(self, g, device=None):
        self.g, self.device = g, device

    def __enter__(self):
        self.g.capture_begin(self.device)
        return self.g

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:            # a failed capture leaves nothing behind
            DEVICES[self.g._dev.type].graphs.abort()
            self.g._dev = None
            return False
        self.g.capture_end()
        return False


__all__ = ["Graph", "graph", "is_supported"]
