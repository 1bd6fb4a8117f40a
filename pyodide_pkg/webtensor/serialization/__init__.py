"""Loading weights safely: safetensors (read/write), torch.save checkpoints (read, weights
only), from bytes, paths or URLs the caller passes."""
from . import gguf, safetensors
from ._source import fetch_async, read_bytes, text_progress
from .torch_load import load

__all__ = ["gguf", "safetensors", "load", "read_bytes", "fetch_async", "text_progress"]
