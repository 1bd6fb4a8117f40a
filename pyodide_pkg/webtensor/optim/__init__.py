"""torch.optim: SGD, Adam, AdamW, RMSprop, Adagrad over webtensor parameters (updates run under
no_grad with webtensor ops, in torch's single-tensor order of operations) and lr_scheduler."""
from . import lr_scheduler  # noqa: F401
from .adagrad import Adagrad  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .rmsprop import RMSprop  # noqa: F401
from .sgd import SGD  # noqa: F401
