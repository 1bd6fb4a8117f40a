"""Quantised-weight primitives on the WASM kernels (wasm_kernels/q*-*), for webtensor.quant.

quant_linear: M == 1 -> f32_<kind>_gemv_1x4 (decode: reads the blocks once, dequantising in
registers); M > 1 -> f32_<kind>_gemm_2x4 (prefill: a dequantised panel reused by every row).
dequantize / quantize: the block <-> float32 conversions (ggml's quantiser bit for bit).
Everything else (other dtypes, odd layouts) returns NotImplemented before writing; the
reference backend then runs it.
"""
from ... import _dtype as D
from . import kernel_table as KT
from . import loader
from .loader import Region
from .views import fits_i32, region

try:
    K = loader.load()
except loader.LoadError:
    K = None

F32 = D.float32
QK = 32
if K is not None:
    GEMV = {q: K.fn(f"f32_{q}_gemv_1x4") for q in KT.QUANT_KINDS}
    GEMM = {q: K.fn(f"f32_{q}_gemm_2x4") for q in KT.QUANT_KINDS}
    DEQUANTIZE = {q: K.fn(f"{q}_dequantize") for q in KT.QUANT_KINDS}
    QUANTIZE = {q: K.fn(f"{q}_quantize") for q in KT.QUANT_KINDS}
else:
    GEMV = GEMM = DEQUANTIZE = QUANTIZE = {}


def _blocks(q, writable=False):
    return Region(q._storage, 0, q._storage.nbytes, writable)


def _dense(t):
    """Region of a contiguous float32 tensor, else None."""
    if t.dtype is not F32 or not t.is_contiguous():
        return None
    return region(t)


def dequantize(out, q):
    fn = DEQUANTIZE.get(q.kind)
    if fn is None or out.dtype is not F32 or not out.is_contiguous():
        return NotImplemented
    nblocks = out.numel() // QK
    if nblocks:
        fn(nblocks, _blocks(q), region(out, True))
    return None


def quantize(q, w):
    fn = QUANTIZE.get(q.kind)
    rw = _dense(w)
    if fn is None or rw is None:
        return NotImplemented
    nblocks = w.numel() // QK
    if nblocks:
        fn(nblocks, rw, _blocks(q, True))
    return None


def quant_linear(out, x, q):
    """out [M, N] = x [M, K] @ W^T, out and x contiguous float32."""
    gemv = GEMV.get(q.kind)
    rx = _dense(x)
    if gemv is None or rx is None or out.dtype is not F32 or not out.is_contiguous():
        return NotImplemented
    m, k = x.shape
    n = q.shape[0]
    if not fits_i32(m * k, m * n, q._storage.nbytes):
        return NotImplemented
    if m == 1:
        gemv(n, k, rx, _blocks(q), region(out, True))
    else:
        GEMM[q.kind](m, n, k, rx, _blocks(q), region(out, True))
    return None


IMPL = {"dequantize": dequantize, "quantize": quantize, "quant_linear": quant_linear}
