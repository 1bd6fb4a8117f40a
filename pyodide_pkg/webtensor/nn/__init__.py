"""webtensor.nn: torch.nn's modules, functional, init and utils (gradient clipping) over
webtensor."""
from . import functional, init, parameter, utils  # noqa: F401
from . import modules  # noqa: F401
from .modules import *  # noqa: F401,F403
from .parameter import Buffer, Parameter, UninitializedParameter  # noqa: F401

# torch.nn names webtensor does not provide: NotImplementedError naming them (also an
# AttributeError, so hasattr() probes stay False)
_UNSUPPORTED = (
    "Bilinear LazyConv1d LazyConv2d LazyConv3d Conv3d ConvTranspose3d LazyConvTranspose1d "
    "LazyConvTranspose2d MaxPool3d AvgPool3d AdaptiveAvgPool3d AdaptiveMaxPool1d "
    "AdaptiveMaxPool3d LazyBatchNorm1d LazyBatchNorm2d InstanceNorm3d "
    "LocalResponseNorm CrossMapLRN2d LPPool1d LPPool2d FractionalMaxPool2d MaxUnpool1d "
    "MaxUnpool2d EmbeddingBag ChannelShuffle RNNCell "
    "LSTMCell GRUCell Threshold Hardshrink Softshrink RReLU Softmax2d "
    "AdaptiveLogSoftmaxWithLoss CTCLoss PoissonNLLLoss GaussianNLLLoss MarginRankingLoss "
    "HingeEmbeddingLoss MultiLabelMarginLoss SoftMarginLoss MultiLabelSoftMarginLoss "
    "CosineEmbeddingLoss MultiMarginLoss TripletMarginLoss TripletMarginWithDistanceLoss "
    "SyncBatchNorm DataParallel parallel quantized qat intrinsic attention "
    "UninitializedBuffer").split()


def __getattr__(name):
    from .._torch_compat import unsupported
    if name in _UNSUPPORTED:
        raise unsupported(f"torch.nn.{name}")
    raise AttributeError(f"module 'webtensor.nn' has no attribute '{name}'")
