"""Serve `import torch` from webtensor: install_as_torch() registers the alias in sys.modules
for the rest of the process; as_torch() does it for a `with` block and restores sys.modules
on exit (so real torch, when installed, can be used again afterwards).

install_as_torch(cuda="webgpu") also makes "cuda" the WebGPU device for the rest of the
process: torch.cuda.is_available() is webtensor.webgpu.is_available(), "cuda" / "cuda:0" /
torch.device("cuda") / .cuda() put tensors and modules there, and those tensors show
device(type='cuda', index=0) (str "cuda:0", is_cuda True), exactly as torch's CUDA tensors do,
because scripts test `t.device.type == "cuda"`, pass `t.device.type` to autocast or compare
str(t.device) with "cuda:0"; "webgpu" keeps meaning the same device."""
import contextlib
import sys

# torch module name -> webtensor module name (those that exist are registered)
_ALIASES = {
    "torch": "webtensor",
    "torch.nn": "webtensor.nn",
    "torch.nn.functional": "webtensor.nn.functional",
    "torch.nn.init": "webtensor.nn.init",
    "torch.nn.parameter": "webtensor.nn.parameter",
    "torch.nn.modules": "webtensor.nn.modules",
    "torch.nn.modules.module": "webtensor.nn.modules.module",
    "torch.nn.modules.container": "webtensor.nn.modules.container",
    "torch.nn.modules.linear": "webtensor.nn.modules.linear",
    "torch.nn.modules.activation": "webtensor.nn.modules.activation",
    "torch.nn.modules.normalization": "webtensor.nn.modules.normalization",
    "torch.nn.modules.sparse": "webtensor.nn.modules.sparse",
    "torch.nn.modules.dropout": "webtensor.nn.modules.dropout",
    "torch.nn.modules.flatten": "webtensor.nn.modules.flatten",
    "torch.nn.modules.conv": "webtensor.nn.modules.conv",
    "torch.nn.modules.pooling": "webtensor.nn.modules.pooling",
    "torch.nn.modules.batchnorm": "webtensor.nn.modules.batchnorm",
    "torch.nn.modules.loss": "webtensor.nn.modules.loss",
    "torch.nn.modules.transformer": "webtensor.nn.modules.transformer",
    "torch.nn.utils": "webtensor.nn.utils",
    "torch.nn.utils.parametrize": "webtensor.nn.utils.parametrize",
    "torch.nn.utils.parametrizations": "webtensor.nn.utils.parametrizations",
    "torch.linalg": "webtensor.linalg",
    "torch.nn.utils.rnn": "webtensor.nn.utils.rnn",
    "torch.autograd": "webtensor.autograd",
    "torch.serialization": "webtensor.serialization",
    "torch.cuda": "webtensor.cuda",
    "torch.jit": "webtensor.jit",
    "torch.amp": "webtensor.amp",
    "torch.utils": "webtensor.utils",
    "torch.utils.checkpoint": "webtensor.utils.checkpoint",
    "torch.utils.data": "webtensor.utils.data",
    "torch.utils.data.dataset": "webtensor.utils.data.dataset",
    "torch.utils.data.sampler": "webtensor.utils.data.sampler",
    "torch.utils.data.dataloader": "webtensor.utils.data.dataloader",
}


def _targets():
    import importlib
    out = {}
    for alias, real in _ALIASES.items():
        try:
            out[alias] = importlib.import_module(real)
        except ImportError:
            continue
    return out


def _is_torch_name(name):
    return name == "torch" or name.startswith("torch.")


def install_as_torch(force=False, cuda=None):
    """Register webtensor as `torch` (and torch.nn, torch.nn.functional, ...) in sys.modules,
    so `import torch` in unchanged model code gets webtensor. Refuses when a different real
    `torch` is already imported, unless force=True (which then drops every torch.* entry).
    cuda="webgpu": "cuda" means the WebGPU device from now on (module docstring; off by
    default: torch.cuda.is_available() is False and "cuda" is refused)."""
    import webtensor
    if cuda is not None:
        _cuda_means(cuda)
    current = sys.modules.get("torch")
    if current is not None and current is not webtensor:
        if not force:
            raise RuntimeError(
                "install_as_torch: a different 'torch' module is already imported "
                f"({getattr(current, '__file__', current)!r}); code that imported it keeps "
                "using it. Call install_as_torch() before anything imports torch, use "
                "`with webtensor.as_torch():`, or pass force=True to replace it.")
        for name in [n for n in sys.modules if _is_torch_name(n)]:
            del sys.modules[name]
    sys.modules.update(_targets())
    return webtensor


@contextlib.contextmanager
def as_torch(reimport=()):
    """`with webtensor.as_torch(): import model_file`: inside the block `import torch` gives
    webtensor, even when real torch is imported; on exit sys.modules' torch entries are put
    back as they were. Modules named in `reimport` (e.g. a model file) are dropped from
    sys.modules on entry and on exit, so they bind to webtensor inside the block and import
    afresh (against real torch) after it."""
    import webtensor
    if isinstance(reimport, str):
        reimport = (reimport,)
    saved = {n: m for n, m in sys.modules.items() if _is_torch_name(n)}
    for n in list(saved):
        del sys.modules[n]
    for n in reimport:
        sys.modules.pop(n, None)
    try:
        sys.modules.update(_targets())
        yield webtensor
    finally:
        for n in [n for n in sys.modules if _is_torch_name(n)]:
            del sys.modules[n]
        for n in reimport:
            sys.modules.pop(n, None)
        sys.modules.update(saved)


# ---- install_as_torch(cuda="webgpu") ------------------------------------------------------------

def _cuda_means(target):
    from . import _device, _dispatch
    if target != "webgpu":
        raise ValueError(f"install_as_torch(cuda=...): only 'webgpu' can stand for CUDA, got "
                         f"{target!r}")
    if "cuda" in _device.DEVICES:
        return
    _device.alias_device("cuda", "webgpu")
    _dispatch.CHAINS["cuda"] = _dispatch.CHAINS["webgpu"]     # the same list (updated in place)
    from ._tensor import Tensor
    from ._torch_compat import cuda as cuda_module
    from .nn import Module
    cuda_module.__dict__.update(_cuda_api())   # in place: `import torch.cuda` done before sees it
    # the methods that refuse CUDA until now
    Tensor.cuda = lambda self, device=None, non_blocking=False, memory_format=None: \
        self.to(_cuda_device(device))
    Tensor.is_cuda = property(lambda self: self._storage.device.type == "cuda")
    Tensor.get_device = lambda self: 0 if self._storage.device.type == "cuda" else -1
    Module.cuda = lambda self, device=None: self.to(_cuda_device(device))


def _cuda_device(device=None):
    """torch.device('cuda', index=0) for None / 0 / "cuda" / "cuda:0" / a device; refuses
    other indices as torch does for a GPU it does not have."""
    from ._device import device as _dev
    d = _dev("cuda", device) if isinstance(device, int) else _dev(device or "cuda")
    if d.type != "cuda" or d.index not in (None, 0):
        raise RuntimeError(f"CUDA error: invalid device ordinal ({d}: webtensor's 'cuda' is the "
                           "one WebGPU device, cuda:0)")
    return d


def _cuda_api():
    """torch.cuda's functions for the WebGPU device (the rest raise, naming the function)."""
    from . import webgpu
    from ._torch_compat import unsupported

    def need_gpu():
        if not webgpu.is_available():
            raise RuntimeError(f"No CUDA GPUs are available (webtensor: 'cuda' is the WebGPU "
                               f"device here: {webgpu.unavailable_reason()})")

    def current_device():
        need_gpu()
        return 0

    def get_device_name(device=None):
        _cuda_device(device)
        need_gpu()
        return webgpu.adapter_info()["adapter"] or "WebGPU adapter"

    def __getattr__(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise unsupported(f"torch.cuda.{attr}", "'cuda' is the WebGPU device here; this part "
                          "of torch.cuda is not provided")

    return {"is_available": webgpu.is_available,
            "device_count": lambda: 1 if webgpu.is_available() else 0,
            "current_device": current_device, "get_device_name": get_device_name,
            "set_device": lambda device: _cuda_device(device) and None,
            "synchronize": lambda device=None: webgpu.synchronize(),
            "empty_cache": webgpu.empty_cache,
            "memory_allocated": lambda device=None: webgpu.memory_stats()["live_bytes"],
            "is_initialized": webgpu.is_initialized, "__getattr__": __getattr__}
