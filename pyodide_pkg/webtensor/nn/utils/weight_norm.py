"""Weight normalisation, w = g * v / |v|: the old hook form torch.nn.utils.weight_norm
(weight_g / weight_v parameters, recomputed before each forward) and the parametrization
torch.nn.utils.parametrizations.weight_norm (parametrizations.weight.original0 / original1)."""
import warnings

from ... import _grad_mode
from ..modules.module import Module
from ..parameter import Parameter


def norm_except_dim(v, pow=2, dim=0):
    """|v| over every dim but `dim` (kept as size-1 dims); dim -1: the whole tensor's norm."""
    if dim == -1:
        return v.norm(pow)
    dims = [k for k in range(v.dim()) if k != dim]
    a = v.abs()
    s = (a * a if pow == 2 else a ** pow).sum(dims, keepdim=True)
    return s.sqrt() if pow == 2 else s ** (1.0 / pow)


def _weight_norm(v, g, dim=0):
    return v * (g / norm_except_dim(v, 2, dim))


class _WeightNormHook:
    def __init__(self, name, dim):
        self.name, self.dim = name, dim

    def compute_weight(self, module):
        return _weight_norm(getattr(module, self.name + "_v"), getattr(module, self.name + "_g"),
                            self.dim)

    def __call__(self, module, inputs):
        setattr(module, self.name, self.compute_weight(module))


def weight_norm(module, name="weight", dim=0):
    warnings.warn("torch.nn.utils.weight_norm is deprecated in favor of "
                  "torch.nn.utils.parametrizations.weight_norm.", FutureWarning, stacklevel=2)
    if dim is None:
        dim = -1
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, _WeightNormHook) and hook.name == name:
            raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter "
                               f"{name}")
    weight = getattr(module, name)
    del module._parameters[name]
    with _grad_mode.no_grad():
        g = norm_except_dim(weight, 2, dim).detach().clone()
    module.register_parameter(name + "_g", Parameter(g))
    module.register_parameter(name + "_v", Parameter(weight.detach().clone()))
    fn = _WeightNormHook(name, dim)
    setattr(module, name, fn.compute_weight(module))
    module.register_forward_pre_hook(fn)
    return module


def remove_weight_norm(module, name="weight"):
    for k, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, _WeightNormHook) and hook.name == name:
            with _grad_mode.no_grad():
                weight = hook.compute_weight(module).detach().clone()
            delattr(module, name)
            del module._parameters[name + "_g"]
            del module._parameters[name + "_v"]
            module.register_parameter(name, Parameter(weight))
            del module._forward_pre_hooks[k]
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {module}")


class _WeightNorm(Module):
    """The parametrization: forward(g, v) -> the weight; right_inverse(weight) -> (g, v)."""

    def __init__(self, dim=0):
        super().__init__()
        self.dim = -1 if dim is None else dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        return norm_except_dim(weight, 2, self.dim), weight


def parametrized_weight_norm(module, name="weight", dim=0):
    from .parametrize import register_parametrization
    return register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
