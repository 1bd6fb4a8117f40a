"""torch.OutOfMemoryError's counterpart, for every device (stdlib only, no imports: the core
imports it). The loaders' LoadError hierarchy lives in serialization/_errors.py."""


class OutOfMemoryError(RuntimeError):
    """torch.OutOfMemoryError's counterpart: an allocation the heap (the wasm heap in Pyodide,
    the WebGPU device) cannot hold. Says how many bytes were asked for."""
