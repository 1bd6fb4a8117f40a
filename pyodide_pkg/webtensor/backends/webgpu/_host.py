"""The one lazily created Host of the process (host_browser in Pyodide, host_wgpu elsewhere)."""
import sys

_state = {"host": None, "error": None}


def get():
    """The Host, created on first use; raises RuntimeError when no WebGPU device can be had."""
    h = _state["host"]
    if h is not None:
        return h
    if _state["error"] is not None:
        raise RuntimeError(_state["error"])
    try:
        if sys.platform == "emscripten":    # the adapter request is a promise: JSPI, or init()
            from .host_browser import Host
            h = _state["host"] = Host.create_sync()
        else:
            from .host_wgpu import Host
            h = _state["host"] = Host()
    except Exception as e:  # noqa: BLE001 - remembered: one clear error from now on
        _fail(e)
    return h


async def init():
    """Create the host without blocking (the browser's way: `await webtensor.webgpu.init()`)."""
    if _state["host"] is None and _state["error"] is None and sys.platform == "emscripten":
        from .host_browser import Host
        try:
            _state["host"] = await Host.create()
        except Exception as e:  # noqa: BLE001
            _fail(e)
    return get()


def _fail(e):
    _state["error"] = (f"webtensor: the 'webgpu' device is not available: "
                       f"{type(e).__name__}: {e}")
    raise RuntimeError(_state["error"]) from None


def current():
    return _state["host"]
