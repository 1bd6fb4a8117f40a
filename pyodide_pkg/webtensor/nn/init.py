"""torch.nn.init: in-place initialisers. Random ones draw from torch's CPU generator (the same
numbers as torch for the same seed), except trunc_normal_ (rejection sampling here: torch
uses erfinv)."""
import math
import warnings

from .._grad_mode import no_grad as _no_grad


def calculate_gain(nonlinearity, param=None):
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif not isinstance(param, bool) and isinstance(param, (int, float)):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer than 2 "
                         "dimensions")
    fan_in, fan_out = tensor.shape[1], tensor.shape[0]
    receptive = 1
    for s in tensor.shape[2:]:
        receptive *= s
    return fan_in * receptive, fan_out * receptive


def _calculate_correct_fan(tensor, mode):
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    return tensor.normal_(mean, std, generator=generator)


def constant_(tensor, val):
    return tensor.fill_(val)


def zeros_(tensor):
    return tensor.zero_()


def ones_(tensor):
    return tensor.fill_(1)


def eye_(tensor):
    if tensor.dim() != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    from .._creation import eye
    return tensor.copy_(eye(tensor.shape[0], tensor.shape[1], dtype=tensor.dtype,
                               device=tensor.device))


def dirac_(tensor, groups=1):
    dims = tensor.dim()
    if dims not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    out_per = tensor.shape[0] // groups
    if tensor.shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    tensor.zero_()
    for g in range(groups):
        for d in range(min(out_per, tensor.shape[1])):
            idx = (g * out_per + d, d) + tuple(s // 2 for s in tensor.shape[2:])
            tensor[idx] = 1
    return tensor


def xavier_uniform_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return tensor.uniform_(-a, a, generator=generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return tensor.normal_(0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)),
                          generator=generator)


def _zero_numel(tensor):
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op")
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _zero_numel(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return tensor.uniform_(-bound, bound, generator=generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    if _zero_numel(tensor):
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    return tensor.normal_(0, calculate_gain(nonlinearity, a) / math.sqrt(fan),
                          generator=generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """N(mean, std) restricted to [a, b] by rejection sampling, vectorised."""
    from .._generator import randn
    from ..ops.elementwise import where
    from ..ops.shape import cat
    if a > b or std > 0 and ((a - mean) / std > 6 or (mean - b) / std > 6):
        # rejection would take too long; torch's inverse-CDF sampler has no such limit
        raise ValueError("trunc_normal_: [a, b] is empty or too far in the tail of "
                         "N(mean, std) to sample by rejection")
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
                      "distribution of values may be incorrect.", stacklevel=2)
    if std == 0:
        raise ZeroDivisionError("float division by zero")     # torch's, from its CDF
    n = tensor.numel()
    x = randn(n, generator=generator) * std + mean
    bad = (x < a).logical_or(x > b)
    nbad = int(bad.sum().item())
    if nbad * 2 <= n:
        # a wide window (the usual +-2 std): redraw the outside values in place, whole-tensor
        # kernels only, until none is left (each round leaves a fraction nbad/n of them)
        for _ in range(200):
            if not nbad:
                return tensor.copy_(x.reshape(tensor.shape))
            x = where(bad, randn(n, generator=generator) * std + mean, x)
            bad = (x < a).logical_or(x > b)
            nbad = int(bad.sum().item())
    # a narrow window: keep what falls inside (masked_select) and draw again for the rest
    parts, count, accept = [], 0, max((n - nbad) / max(n, 1), 1e-6)
    while count < n:
        size = min(max(int(1.1 * (n - count) / accept) + 64, 64), 1 << 22)
        draw = randn(size, generator=generator) * std + mean
        kept = draw.masked_select((draw >= a).logical_and(draw <= b))
        parts.append(kept)
        count += kept.numel()
    x = parts[0] if len(parts) == 1 else cat(parts)
    return tensor.copy_(x[:n].reshape(tensor.shape))


def orthogonal_(tensor, gain=1, generator=None):
    raise NotImplementedError("webtensor: nn.init.orthogonal_ (needs a QR decomposition) is "
                              "not implemented")


def sparse_(tensor, sparsity, std=0.01, generator=None):
    raise NotImplementedError("webtensor: nn.init.sparse_ is not implemented")


# torch fills parameters under no_grad (they are leaves that require grad)
for _name in ("uniform_", "normal_", "constant_", "zeros_", "ones_", "eye_", "dirac_",
              "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
              "trunc_normal_", "orthogonal_", "sparse_"):
    globals()[_name] = _no_grad()(globals()[_name])


def _deprecated(fn):
    def f(*args, **kwargs):
        return fn(*args, **kwargs)
    f.__name__ = fn.__name__[:-1]
    return f


uniform, normal, constant, eye, dirac = (_deprecated(f) for f in
                                         (uniform_, normal_, constant_, eye_, dirac_))
xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal = (
    _deprecated(f) for f in (xavier_uniform_, xavier_normal_, kaiming_uniform_,
                             kaiming_normal_))
