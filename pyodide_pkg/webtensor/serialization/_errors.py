"""The exceptions the loaders raise for bad files (stdlib only).

Every loader (safetensors, torch.load, GGUF, tokenizer.json) raises a LoadError subclass for a
malformed, hostile or unsupported file, so one `except webtensor.serialization.LoadError`
catches them all; each subclass also derives from what the library webtensor stands in for
raises (torch.load: pickle.UnpicklingError / RuntimeError, unsupported: NotImplementedError).
"""
import pickle


class LoadError(ValueError):
    """A file webtensor was asked to read is malformed, hostile or unsupported."""


class UnsupportedFormatError(LoadError, NotImplementedError):
    """A well-formed file using a feature webtensor does not read (big-endian, quantised ...)."""


class SafetensorError(LoadError):
    """A malformed or unsupported safetensors file."""


class GGUFError(LoadError):
    """A malformed or unsupported GGUF file."""


class UnpicklingError(LoadError, pickle.UnpicklingError, RuntimeError):
    """A malformed or refused torch checkpoint (torch.load raises pickle.UnpicklingError for
    refused globals and RuntimeError for damaged archives: this is both)."""


class TokenizerError(LoadError):
    """A malformed or unsupported tokenizer.json (or GGUF tokenizer metadata)."""
