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
import contextlib
import importlib.abc
import importlib.machinery
import sys

# nn.init functions that draw random numbers (what layers call in reset_parameters)
_RANDOM_INITS = ("uniform_", "normal_", "trunc_normal_", "kaiming_uniform_", "kaiming_normal_",
                 "xavier_uniform_", "xavier_normal_", "orthogonal_", "sparse_")


@contextlib.contextmanager
def no_init_weights():
    """Build modules without random initialisation, for weights that a checkpoint is about
    to overwrite (like transformers' no_init_weights): the random fill of a 30522 x 384
    embedding costs seconds in pure Python. Load with strict=True so nothing stays unset."""
    from ..nn import init
    saved = {name: getattr(init, name) for name in _RANDOM_INITS if hasattr(init, name)}
    for name in saved:
        setattr(init, name, lambda tensor, *args, **kwargs: tensor)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(init, name, fn)


@contextlib.contextmanager
def init_empty_weights():
    """Build modules without allocating or initialising their weights, for a checkpoint loaded
    with load_state_dict(strict=True, assign=True) right after (accelerate's name; torch builds
    on the "meta" device): every nn.Linear/nn.Embedding weight is a 4-byte tensor broadcast to
    its shape, so the model never holds a second copy of the file's weights (86 MB for
    all-MiniLM-L6-v2, 540 MB for SmolLM2 in float32) and no random init runs."""
    from .. import _creation
    from .._tensor import Tensor
    saved = _creation.empty, Tensor.uniform_, Tensor.normal_

    def placeholder(*size, dtype=None, **_):
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) \
            else size
        return saved[0](1, dtype=dtype).expand(shape)

    def skip(self, *a, **k):
        return self

    _creation.empty, Tensor.uniform_, Tensor.normal_ = placeholder, skip, skip
    try:
        yield
    finally:
        _creation.empty, Tensor.uniform_, Tensor.normal_ = saved


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
