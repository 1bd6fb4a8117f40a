"""torch.optim: SGD, Adam, AdamW over webtensor parameters (updates run under no_grad with
webtensor ops, in torch's single-tensor order of operations)."""
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .sgd import SGD  # noqa: F401
