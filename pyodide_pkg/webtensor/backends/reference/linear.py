"""The `linear` primitive as its decomposition: matmul, then add the bias, then the unary
activation -- the reference primitives themselves, so the oracle is the unfused op chain."""
from . import elementwise as _e, index as _i


def linear(out, x, w, bias, activation):
    """out [*, N] = activation(x [*, K] @ w[N, K]^T + bias [N])"""
    n, k = w.shape
    m = out.numel() // n if n else 0
    if m * n == 0:
        return
    o = out.view(m, n)
    _i.matmul(o, x.reshape(m, k), w.t())
    if bias is not None:
        _e.binary("add", o, o, bias.expand(m, n))
    if activation == "gelu_tanh":
        _e.unary("gelu", o, o, approximate="tanh")
    elif activation is not None:
        _e.unary(activation, o, o)
