"""Quantised-weight primitives on the WASM kernels (wasm_kernels/q*-*), for webtensor.quant.

quant_linear: M == 1 -> f32_<kind>_gemv_1x4 (decode: reads the blocks once, dequantising in
registers); M > 1 -> f32_<kind>_gemm_2x4 (prefill: a dequantised panel reused by every row);
activations="int16", M > 1, Q8_0 / Q4_1 -> qd16_quantize then qd16_f32_<kind>_gemm_4x8
(prefill: integer dots on a packed int16 panel, ~1.2x the float GEMM; other kinds round x
and run the float GEMM);
activations="int8", M == 1 -> qd8_f32_<kind>_gemv_1x4 (integer dots, llama.cpp style);
activations="int16", M == 1 -> qd16_quantize then qd16_f32_<kind>_gemv_1x4 (the same, on
x rounded to int16 per block of 32: the decode default of the GGUF models).
dequantize / dequantize_rows (embedding lookups) / quantize: the block <-> float32 conversions (ggml's quantiser bit for bit).
Everything else (other dtypes, odd layouts) returns NotImplemented before writing; the
reference backend then runs it.
"""
from ... import _dtype as D
from ..._storage import Storage
from ..._tensor import Tensor
from ..reference.quant import BLOCK_BYTES, BLOCK_SIZE
from . import kernel_table as KT
from .gather import bad_index
from .loader import Region
from .views import fits_i32, region

F32 = D.float32
QK = 32
GEMV, GEMM, DEQUANTIZE, QUANTIZE, QD8_GEMV, QD16_GEMV, QD16_GEMM, SELECT = ({}, {}, {}, {}, {},
                                                                       {}, {}, {})
# the activation block formats: (quantiser, dequantiser, bytes per 32 activations)
ACT_BLOCKS = {"int8": ("q8_0", 34), "int16": ("qd16", 72)}


def bind(ctx):
    """Bind the kernel dicts to ctx.K; returns (primitives, no shortcuts)."""
    for d, names in ((GEMV, KT.QGEMV), (GEMM, KT.QGEMM), (DEQUANTIZE, KT.DEQUANTIZE),
                     (QUANTIZE, KT.QUANTIZE), (QD8_GEMV, KT.QD8_GEMV),
                     (QD16_GEMV, KT.QD16_GEMV), (QD16_GEMM, KT.QD16_GEMM)):
        d.update({q: ctx.K.fn(name) for q, name in names.items()})
    QUANTIZE["qd16"] = ctx.K.fn(KT.QD16_QUANTIZE)
    DEQUANTIZE["qd16"] = ctx.K.fn(KT.QD16_DEQUANTIZE)
    SELECT.update({D.int64: ctx.K.fn(KT.INDEX_SELECT["i64"]),
                   D.int32: ctx.K.fn(KT.INDEX_SELECT["i32"])})
    return dict(IMPL), {}


def plan_quant_linear(m, kind, activations):
    """(kernel dict, quantise x first?) for quant_linear: M == 1 GEMV (int8 / int16
    activations: the qd8 / qd16 GEMV), M > 1 GEMM (int16 on Q8_0 / Q4_1: the qd16 GEMM;
    else int8 / int16: the float GEMM on the rounded x)."""
    if activations != "float32":
        if m == 1:
            return (QD8_GEMV if activations == "int8" else QD16_GEMV), True
        return (QD16_GEMM if activations == "int16" and kind in QD16_GEMM else GEMM), True
    return (GEMV if m == 1 else GEMM), False


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
    nblocks = out.numel() // BLOCK_SIZE[q.kind]
    if nblocks:
        fn(nblocks, _blocks(q), region(out, True))
    return None


def dequantize_rows(out, q, rows):
    """The rows' blocks gathered by the index_select kernel (which checks the indices), then
    dequantised: two kernel calls whatever the row count, and no index read in Python (so a
    CPU graph can capture an embedding lookup)."""
    fn, sel = DEQUANTIZE.get(q.kind), SELECT.get(rows.dtype)
    if fn is None or sel is None or out.dtype is not F32 or not out.is_contiguous() or \
            not rows.is_contiguous():
        return NotImplemented
    n, k = q.shape
    m = rows.numel()
    rb = k // BLOCK_SIZE[q.kind] * BLOCK_BYTES[q.kind]
    if not fits_i32(n * rb, m * rb):
        return NotImplemented
    blocks = Storage(m * rb)
    if bad_index(sel, 1, n, m, rb, _blocks(q), region(rows),
                 Region(blocks, 0, m * rb, True)) != -1:
        raise IndexError("index out of range in self")
    fn(m * k // BLOCK_SIZE[q.kind], Region(blocks, 0, m * rb, False), region(out, True))
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


def quant_linear(out, x, q, activations="float32"):
    """out [M, N] = x [M, K] @ W^T, out and x contiguous float32. activations="int8" /
    "int16": x is first rounded to Q8_0 / int16 blocks (xh); M == 1 then runs the integer-dot
    gemv, M > 1 the float gemm on xh (the same result up to float rounding)."""
    rx = _dense(x)
    if q.kind not in GEMM or rx is None or out.dtype is not F32 or not out.is_contiguous():
        return NotImplemented
    m, k = x.shape
    n = q.shape[0]
    if not fits_i32(m * k, m * n, q._storage.nbytes):
        return NotImplemented
    kernels, quantize_x = plan_quant_linear(m, q.kind, activations)
    if quantize_x:
        fmt, nbytes = ACT_BLOCKS[activations]
        nb = m * k // QK
        xq = Storage(nb * nbytes)
        rq = Region(xq, 0, xq.nbytes, True)
        QUANTIZE[fmt](nb, rx, rq)
        rq = Region(xq, 0, xq.nbytes, False)
        if m == 1:
            kernels[q.kind](n, k, rq, _blocks(q), region(out, True))
            return None
        if kernels is QD16_GEMM:
            kernels[q.kind](m, n, k, rq, _blocks(q), region(out, True))
            return None
        xh = Tensor._empty((m, k), F32)
        rx = region(xh, True)
        DEQUANTIZE[fmt](nb, rq, rx)
        rx = region(xh)
    if m == 1:
        kernels[q.kind](n, k, rx, _blocks(q), region(out, True))
    else:
        kernels[q.kind](m, n, k, rx, _blocks(q), region(out, True))
    return None

IMPL = {"dequantize": dequantize, "dequantize_rows": dequantize_rows, "quantize": quantize,
        "quant_linear": quant_linear}
