"""Loading weights safely: safetensors (read/write), torch.save checkpoints (read, weights
only), from bytes, paths or URLs the caller passes.

Every loader raises a LoadError subclass for a malformed, hostile or unsupported file (one
`except LoadError` catches them all): SafetensorError, GGUFError, UnpicklingError (also a
pickle.UnpicklingError and a RuntimeError, what torch.load raises), TokenizerError and
UnsupportedFormatError (also a NotImplementedError). Nesting, counts and declared sizes are
checked before anything is parsed or allocated."""
from ._errors import (GGUFError, LoadError, SafetensorError, TokenizerError, UnpicklingError,
                       UnsupportedFormatError)
from . import gguf, safetensors
from ._source import fetch_async, read_bytes, text_progress
from .torch_load import load

__all__ = ["gguf", "safetensors", "load", "read_bytes", "fetch_async", "text_progress",
           "LoadError", "SafetensorError", "GGUFError", "UnpicklingError", "TokenizerError",
           "UnsupportedFormatError"]
