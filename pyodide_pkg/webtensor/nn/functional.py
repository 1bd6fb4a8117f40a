"""torch.nn.functional over webtensor's op table. Ops with a kernel come straight from the op
table; the rest are short decompositions into ops. Names listed in `_FROM_OP_TABLE` are taken
from the op table when it has them (losses, pad, interpolate)."""
import warnings

from .._grad_mode import no_grad as _no_grad
from ..ops import FUNCTIONS as _OPS
from ..ops import elementwise as _E
from ..ops.linalg import linear_act as _linear_act

linear = _OPS["linear"]
conv1d, conv2d = _OPS["conv1d"], _OPS["conv2d"]
max_pool1d, max_pool2d = _OPS["max_pool1d"], _OPS["max_pool2d"]
avg_pool1d, avg_pool2d = _OPS["avg_pool1d"], _OPS["avg_pool2d"]
adaptive_avg_pool2d, adaptive_max_pool2d = _OPS["adaptive_avg_pool2d"], \
    _OPS["adaptive_max_pool2d"]
layer_norm, rms_norm, group_norm = _OPS["layer_norm"], _OPS["rms_norm"], _OPS["group_norm"]
embedding = _OPS["embedding"]
scaled_dot_product_attention = _OPS["scaled_dot_product_attention"]
one_hot = _OPS["one_hot"]
tanh, sigmoid = _OPS["tanh"], _OPS["sigmoid"]

_FROM_OP_TABLE = ("pad", "interpolate", "cross_entropy", "nll_loss", "mse_loss", "l1_loss",
                  "binary_cross_entropy", "binary_cross_entropy_with_logits",
                  "smooth_l1_loss", "huber_loss", "kl_div", "grid_sample", "unfold", "fold",
                  "pixel_shuffle", "pixel_unshuffle", "cosine_similarity", "pairwise_distance",
                  "adaptive_avg_pool1d", "adaptive_max_pool1d", "upsample")
globals().update({_n: _OPS[_n] for _n in _FROM_OP_TABLE if _n in _OPS})


def _inplace(x, result, inplace):
    return x.copy_(result) if inplace else result


def relu(input, inplace=False):
    return _inplace(input, input.relu(), inplace)


def relu_(input):
    return relu(input, inplace=True)


def gelu(input, approximate="none"):
    return _E.gelu(input, approximate=approximate)


def silu(input, inplace=False):
    return _inplace(input, input.silu(), inplace)


def mish(input, inplace=False):
    return _inplace(input, input * softplus(input).tanh(), inplace)


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return _inplace(input, input.clamp(min_val, max_val), inplace)


def hardsigmoid(input, inplace=False):
    return _inplace(input, (input + 3.0).clamp(0.0, 6.0) / 6.0, inplace)


def hardswish(input, inplace=False):
    return _inplace(input, input * (input + 3.0).clamp(0.0, 6.0) / 6.0, inplace)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return _inplace(input, _E.where(input > 0, input, input * negative_slope), inplace)


def elu(input, alpha=1.0, inplace=False):
    return _inplace(input, _E.where(input > 0, input, input.expm1() * alpha), inplace)


def selu(input, inplace=False):
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    return _inplace(input, elu(input, alpha) * scale, inplace)


def celu(input, alpha=1.0, inplace=False):
    return _inplace(input, _E.where(input > 0, input, (input / alpha).expm1() * alpha), inplace)


def softplus(input, beta=1.0, threshold=20.0):
    bx = input * beta
    # log1p(exp(bx)) overflows for large bx; torch returns x above the threshold
    return _E.where(bx > threshold, input, bx.clamp(max=threshold).exp().log1p() / beta)


def softsign(input):
    return input / (input.abs() + 1)


def logsigmoid(input):
    return -softplus(-input)


def tanhshrink(input):
    return input - input.tanh()


def threshold(input, threshold, value, inplace=False):
    return _inplace(input, _E.where(input > threshold, input, value), inplace)


def prelu(input, weight):
    if input.dim() >= 2 and weight.numel() != 1:
        weight = weight.reshape([1, -1] + [1] * (input.dim() - 2))
    return _E.where(input > 0, input, input * weight)


def glu(input, dim=-1):
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    d = dim % input.dim()
    if input.shape[d] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size "
                           f"{input.shape[d]}")
    a, b = input.chunk(2, dim)
    return a * b.sigmoid()


def _softmax_dim(name, ndim):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim("softmax", input.dim())
    return input.softmax(dim, dtype=dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim("softmin", input.dim())
    return (-input).softmax(dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    if dim is None:
        dim = _softmax_dim("log_softmax", input.dim())
    return input.log_softmax(dim, dtype=dtype)


def dropout(input, p=0.5, training=True, inplace=False):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return _inplace(input, input * 0, inplace)
    from .._generator import dropout_noise
    return _inplace(input, input * dropout_noise(input.shape, input.dtype, p, input.device),
                    inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    if training and p > 0:
        raise NotImplementedError("webtensor: alpha_dropout in training mode is not supported")
    return input


def dropout1d(input, p=0.5, training=True, inplace=False):
    return _channel_dropout(input, p, training, inplace, 1)


def dropout2d(input, p=0.5, training=True, inplace=False):
    return _channel_dropout(input, p, training, inplace, 2)


def _channel_dropout(input, p, training, inplace, spatial):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return _inplace(input, input * 0, inplace)
    from .._generator import dropout_noise
    shape = input.shape[:-spatial] + (1,) * spatial       # one draw per channel
    return _inplace(input, input * dropout_noise(shape, input.dtype, p, input.device),
                    inplace)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    r = input / denom
    return out.copy_(r) if out is not None else r


def _adaptive_avg_pool1d(input, output_size):
    o = output_size[0] if isinstance(output_size, (tuple, list)) else output_size
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, o)).squeeze(-2)


if "adaptive_avg_pool1d" not in globals():
    adaptive_avg_pool1d = _adaptive_avg_pool1d


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """Decomposed: normalise over every dim but 1 (channels). In training the batch statistics
    are used and, when given, running_mean/var are updated in place (unbiased variance)."""
    if input.dim() < 2:
        raise ValueError(f"expected 2D or more input (got {input.dim()}D input)")
    c = input.shape[1]
    dims = [0] + list(range(2, input.dim()))
    shape = [1, c] + [1] * (input.dim() - 2)
    if training:
        n = input.numel() // c if c else 0
        if n <= 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {list(input.shape)}")
        mean = input.mean(dims)
        var = input.var(dims, correction=0)
        with _no_grad():        # running statistics are buffers, not part of the graph
            if running_mean is not None:
                running_mean.copy_(running_mean * (1 - momentum) + mean * momentum)
            if running_var is not None:
                running_var.copy_(running_var * (1 - momentum) + var * (n / (n - 1)) * momentum)
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean and running_var must be defined in evaluation "
                               "mode")
        mean, var = running_mean, running_var
    out = (input - mean.reshape(shape)) * (var.reshape(shape) + eps).rsqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05):
    if not use_input_stats or running_mean is not None:
        raise NotImplementedError("webtensor: instance_norm with running statistics is not "
                                  "supported")
    n, c = input.shape[:2]
    out = group_norm(input.reshape((1, n * c) + input.shape[2:]), n * c, None, None, eps)
    out = out.reshape(input.shape)
    shape = [1, c] + [1] * (input.dim() - 2)
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def linear_act(input, weight, bias=None, activation=None):
    """webtensor extra: activation(linear(...)) in one fused kernel (relu/gelu/silu)."""
    return _linear_act(input, weight, bias, activation)


def multi_head_attention_forward(*args, **kwargs):
    from .modules.attention import multi_head_attention_forward as f
    return f(*args, **kwargs)


def _unsupported(name):
    def f(*args, **kwargs):
        raise NotImplementedError(f"webtensor: torch.nn.functional.{name} is not supported")
    f.__name__ = name
    return f


for _n in ("conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "max_pool3d",
           "avg_pool3d", "ctc_loss", "embedding_bag", "lp_pool2d", "fractional_max_pool2d",
           "max_unpool2d", "local_response_norm", "rrelu", "gumbel_softmax"):
    if _n not in globals():
        globals()[_n] = _unsupported(_n)
