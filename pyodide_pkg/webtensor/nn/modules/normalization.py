"""LayerNorm, RMSNorm, GroupNorm (fused layer_norm / rms_norm kernels)."""
from ... import _creation as C
from ..._grad_mode import no_grad
from .. import functional as F
from ..parameter import Parameter
from .module import Module


def affine_params(module, shape, affine, bias, dtype):
    """weight = ones, bias = zeros (or None) of `shape` when affine, else both None."""
    module.register_parameter("weight", Parameter(C.ones(shape, dtype=dtype)) if affine
                              else None)
    module.register_parameter("bias", Parameter(C.zeros(shape, dtype=dtype))
                              if affine and bias else None)


@no_grad()
def reset_affine(module):
    if module.weight is not None:
        module.weight.fill_(1)
    if module.bias is not None:
        module.bias.zero_()


def _shape(normalized_shape):
    if isinstance(normalized_shape, int):
        return (normalized_shape,)
    return tuple(normalized_shape)


class LayerNorm(Module):
    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        affine_params(self, self.normalized_shape, elementwise_affine, bias, dtype)

    def reset_parameters(self):
        reset_affine(self)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        self.normalized_shape = _shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(C.ones(self.normalized_shape, dtype=dtype))
        else:
            self.register_parameter("weight", None)

    @no_grad()
    def reset_parameters(self):
        if self.elementwise_affine:
            self.weight.fill_(1)

    def forward(self, x):
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups "
                             f"({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        affine_params(self, num_channels, affine, bias, dtype)

    def reset_parameters(self):
        reset_affine(self)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class _InstanceNorm(Module):
    _dims = 3

    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__()
        if track_running_stats:
            raise NotImplementedError("webtensor: InstanceNorm with track_running_stats=True is "
                                      "not supported")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        affine_params(self, num_features, affine, bias, dtype)
        self.register_buffer("running_mean", None)
        self.register_buffer("running_var", None)

    def forward(self, input):
        if input.dim() not in (self._dims - 1, self._dims):
            raise ValueError(f"expected {self._dims - 1}D or {self._dims}D input (got "
                             f"{input.dim()}D input)")
        batched = input.dim() == self._dims
        x = input if batched else input.unsqueeze(0)
        out = F.instance_norm(x, None, None, self.weight, self.bias, True, self.momentum,
                              self.eps)
        return out if batched else out.squeeze(0)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    _dims = 3


class InstanceNorm2d(_InstanceNorm):
    _dims = 4
