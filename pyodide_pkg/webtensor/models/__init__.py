"""Reference models, each one ordinary PyTorch source file.

The rule for files in this package: a model file is written exactly as for PyTorch —
`import torch`, `from torch import nn`, `import torch.nn.functional as F` — and never imports
webtensor. Importing it through this package (`from webtensor.models import minilm` or
`import webtensor.models.minilm`) executes it inside `webtensor._torch_alias.as_torch()`, so
those names bind to webtensor; `sys.modules` is restored afterwards. The same file loaded by
path while real torch is imported runs on torch (that is how the tests prove "unchanged").
Model files import torch at module level only (a lazy `import torch` inside a function would
see whatever `torch` is at call time). Helper modules that use webtensor itself (`sentence`)
import it explicitly as `webtensor`; they are imported the same way, which does no harm.
"""
import importlib.abc
import importlib.machinery
import sys


class _AsTorchLoader(importlib.abc.Loader):
    """Runs the wrapped source loader with torch aliased to webtensor."""

    def __init__(self, inner):
        self._inner = inner

    def create_module(self, spec):
        return self._inner.create_module(spec)

    def exec_module(self, module):
        from .._torch_alias import as_torch
        with as_torch():
            self._inner.exec_module(module)

    def __getattr__(self, name):   # get_source, get_filename, resources: the inner loader's
        return getattr(self._inner, name)


class _ModelFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        prefix = __name__ + "."
        if not fullname.startswith(prefix) or "." in fullname[len(prefix):]:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, __path__)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _AsTorchLoader(spec.loader)
        return spec


if not any(isinstance(f, _ModelFinder) for f in sys.meta_path):
    sys.meta_path.insert(0, _ModelFinder())
