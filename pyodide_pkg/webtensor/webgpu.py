"""webtensor.webgpu: the WebGPU device's state (torch.cuda's role for device "webgpu")."""
from .backends.webgpu import _host, fallback as _fallback, storage as _storage


def set_cpu_fallback(enabled=True):
    """Run primitives that have no WebGPU kernel on the CPU (copying their tensors there and
    back, with a warning once per primitive) instead of raising NotImplementedError: torch's
    PYTORCH_ENABLE_MPS_FALLBACK. Off by default: an op never moves data behind your back."""
    _fallback.ENABLED[0] = bool(enabled)


def is_available():
    """True if a WebGPU adapter and device can be had (creates the host); never raises."""
    try:
        _host.get()
        return True
    except Exception:  # noqa: BLE001
        return False


async def init():
    """Create the WebGPU device without blocking; in a browser page without JSPI, call this
    (`await webtensor.webgpu.init()`) before the first tensor goes to "webgpu"."""
    await _host.init()


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
    """Submit every recorded dispatch (reads synchronise by themselves)."""
    h = _host.current()
    if h is not None:
        h.flush()
