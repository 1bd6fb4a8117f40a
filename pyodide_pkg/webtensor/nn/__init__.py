"""webtensor.nn: torch.nn's modules, functional and init over webtensor (inference; no
autograd yet)."""
from . import functional, init, parameter  # noqa: F401
from . import modules  # noqa: F401
from .modules import *  # noqa: F401,F403
from .parameter import Buffer, Parameter, UninitializedParameter  # noqa: F401
