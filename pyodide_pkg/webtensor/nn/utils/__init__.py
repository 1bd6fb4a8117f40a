"""torch.nn.utils: gradient clipping, weight_norm, parametrize / parametrizations."""
from . import parametrizations, parametrize  # noqa: F401
from .clip_grad import clip_grad_norm_, clip_grad_value_  # noqa: F401
from .weight_norm import remove_weight_norm, weight_norm  # noqa: F401
