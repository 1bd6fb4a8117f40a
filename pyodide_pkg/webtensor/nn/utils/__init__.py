"""torch.nn.utils: gradient clipping, weight_norm, parametrize / parametrizations, rnn
(pad_sequence)."""
from . import parametrizations, parametrize, rnn  # noqa: F401
from .clip_grad import clip_grad_norm_, clip_grad_value_  # noqa: F401
from .weight_norm import remove_weight_norm, weight_norm  # noqa: F401
