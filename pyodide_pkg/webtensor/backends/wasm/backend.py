"""The WASM backend: webtensor's primitives and shortcuts on the SIMD kernels, for float32 (plus
dtype conversion, fill, where, index_select for every dtype and int64 binary ops).

Registers itself as "wasm" on import when the kernels load; load_error() says why not.
This module only assembles: it loads the kernels, builds the shared context (common.Ctx: the
Kernels, the Copier, the Converter, operand helpers) and asks every family for its primitives
and shortcuts the same way, `family.bind(ctx) -> (impl, shortcuts)`:

  elementwise  unary, binary (+ int64), their shortcuts and the in-place ones (x.add_(y))
  reduce       reduce, softmax, log_softmax, cumsum; x.sum() & co
  matmul       matmul, linear (GEMM / GEMV / linear kernel); a @ b, F.linear
  attention    sdpa; F.scaled_dot_product_attention
  norm         layer_norm, rms_norm
  conv         conv2d, max/avg/adaptive pooling
  gather       where, index_select, gather, scatter (+ reductions), nonzero
  sort         sort (radix, stable)
  search       searchsorted, isin, histc, bincount, unique_runs, masked_select/_scatter
  convert      copy (strided, into views, dtype conversion), fill
  quant        quantised-weight primitives
  optim        adam_step, sgd_step, rmsprop_step, adagrad_step (one call per parameter)
  backward     act_backward, softmax_backward, norm_backward, cross_entropy
  random       the random fills (torch's CPU generator)
  loss         pointwise_map, grid_sample, rowwise_dist (fused composite ops)

Each primitive either computes the whole result with kernels or returns NotImplemented before
writing anything (the reference backend then runs it); each shortcut returns None to decline.
"""
from ... import _dispatch
from ..._device import DEVICES
from . import loader
from .views import Copier

try:
    K = loader.load()
    _error = ""
except loader.LoadError as e:
    K = None
    _error = str(e)


def load_error():
    """Why the kernels did not load ("" when they did)."""
    return _error


def kernels():
    """The loaded Kernels (None if they did not load)."""
    return K


IMPL, SHORTCUTS = {}, {}
_copier = _converter = ctx = None
if K is not None:
    from . import (attention, backward, common, conv, convert, elementwise, gather, loss, matmul,
                   norm, optim, quant, random, reduce, search, sort)
    _copier = Copier(K)
    _converter = convert.make(K, _copier)
    ctx = common.Ctx(K, _copier, _converter)
    for _family in (elementwise, reduce, matmul, attention, norm, conv, gather, convert, quant,
                    optim, random, search, sort, backward, loss):
        _impl, _short = _family.bind(ctx)
        IMPL.update(_impl)
        SHORTCUTS.update(_short)
    _dispatch.register_backend("cpu", "wasm", IMPL, SHORTCUTS)
    from . import graphs
    DEVICES["cpu"].graphs = graphs      # graph capture needs the kernels
