"""webtensor.webgpu: the WebGPU device's state (torch.cuda's role for device "webgpu").

A lost device (driver reset, GPU removed, `device.destroy()`) stays lost for the process / page:
every op, read and allocation on it raises RuntimeError naming the loss, is_available() turns
False and init() says why no new device is made (see _lost). The CPU is untouched.
"""
import sys

from .backends.webgpu import _host, fallback as _fallback, storage as _storage


def set_cpu_fallback(enabled=True):
    """Run primitives that have no WebGPU kernel on the CPU (copying their tensors there and
    back, with a warning once per primitive) instead of raising NotImplementedError: torch's
    PYTORCH_ENABLE_MPS_FALLBACK. Off by default: an op never moves data behind your back."""
    _fallback.ENABLED[0] = bool(enabled)


def is_available():
    """True if a WebGPU adapter and device can be had and the device is not lost (creates the
    host); never raises. In a page without JSPI it is False until `await init()` has run
    (asking first does not spoil that)."""
    if _host.current() is None and sys.platform == "emscripten":
        from .backends.webgpu.host_browser import can_run_sync
        if not can_run_sync():
            return False
    try:
        return _host.get().lost is None
    except Exception:  # noqa: BLE001
        return False


def is_initialized():
    """True once the device was created (torch.cuda.is_initialized)."""
    return _host.current() is not None


def unavailable_reason():
    """Why is_available() is False (a sentence), or None when it is True."""
    if is_available():
        return None
    h = _host.current()
    if h is not None:
        return f"the WebGPU device was lost ({h.lost})"
    return _host._state["error"] or ("in a page without JSPI, `await webtensor.webgpu.init()` "
                                     "creates the device")


async def init():
    """Create the WebGPU device without blocking; in a browser page without JSPI, call this
    (`await webtensor.webgpu.init()`) before the first tensor goes to "webgpu". After the
    device was lost it raises RuntimeError saying why no new one is made."""
    h = _host.current()
    if h is not None and h.lost is not None:
        raise _lost(h)
    await _host.init()


def _lost(h):
    # Why not a fresh device: tensors made on the lost one (a model's weights) keep buffer
    # handles that a new device would give to other buffers, and nothing checks an op's inputs
    # against the device that runs it; the kernels' pipeline caches and the buffer pool hold
    # the lost device's objects too. So the loss is final for this process / page.
    return RuntimeError(f"webtensor: the WebGPU device was lost ({h.lost}); this process keeps "
                        "no second device: restart Python or reload the page, then move the "
                        "tensors there again from the CPU (tensors on the CPU are unaffected)")


def adapter_info():
    """The host's info: adapter, backend, fallback, features, limits (raises if unavailable)."""
    return _host.get().info


def memory_stats():
    """The buffer pool's counters: live_buffers, live_bytes, pooled_buffers, pooled_bytes,
    created, reused."""
    return dict(_storage.COUNTERS)


def empty_cache():
    """Destroy the pooled (unused) buffers."""
    _storage.trim(0)


def synchronize():
    """Submit every recorded dispatch and wait until the GPU has done them (torch.cuda.
    synchronize); in a page without JSPI it only submits (reads wait by themselves). Raises if
    the device was lost."""
    h = _host.current()
    if h is not None:
        h.wait()
