"""torch.utils: checkpoint (a plain call: no recomputation needed without a tape) and data
(datasets, samplers, DataLoader). Other torch.utils names raise UnsupportedFeature."""
from . import checkpoint, data  # noqa: F401


def __getattr__(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    from .._torch_compat import unsupported
    raise unsupported(f"torch.utils.{attr}", "torch.utils")
