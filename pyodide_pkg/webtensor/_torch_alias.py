"""Serve `import torch` from webtensor: install_as_torch() registers the alias in sys.modules
for the rest of the process; as_torch() does it for a `with` block and restores sys.modules
on exit (so real torch, when installed, can be used again afterwards)."""
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
    "torch.autograd": "webtensor.autograd",
    "torch.serialization": "webtensor.serialization",
    "torch.cuda": "webtensor.cuda",
    "torch.jit": "webtensor.jit",
    "torch.amp": "webtensor.amp",
    "torch.utils": "webtensor.utils",
    "torch.utils.checkpoint": "webtensor.utils.checkpoint",
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


def install_as_torch(force=False):
    """Register webtensor as `torch` (and torch.nn, torch.nn.functional, ...) in sys.modules,
    so `import torch` in unchanged model code gets webtensor. Refuses when a different real
    `torch` is already imported, unless force=True (which then drops every torch.* entry)."""
    import webtensor
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
