"""torch.nn.modules: the layer classes."""
from .activation import (CELU, ELU, GELU, GLU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU,
                         LogSigmoid, LogSoftmax, Mish, PReLU, ReLU, ReLU6, SELU, SiLU,
                         Sigmoid, Softmax, Softmin, Softplus, Softsign, Tanh, Tanhshrink)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d
from .flatten import Flatten, Unflatten
from .linear import Identity, LazyLinear, Linear
from .module import Module
from .normalization import GroupNorm, LayerNorm, RMSNorm
from .sparse import Embedding

__all__ = [
    'AlphaDropout', 'CELU', 'Dropout', 'Dropout1d', 'Dropout2d', 'ELU', 'Embedding', 'Flatten',
    'GELU', 'GLU', 'GroupNorm', 'Hardsigmoid', 'Hardswish', 'Hardtanh', 'Identity',
    'LayerNorm', 'LazyLinear', 'LeakyReLU', 'Linear', 'LogSigmoid', 'LogSoftmax', 'Mish',
    'Module', 'ModuleDict', 'ModuleList', 'PReLU', 'ParameterDict', 'ParameterList', 'RMSNorm',
    'ReLU', 'ReLU6', 'SELU', 'Sequential', 'SiLU', 'Sigmoid', 'Softmax', 'Softmin', 'Softplus',
    'Softsign', 'Tanh', 'Tanhshrink', 'Unflatten',
]
