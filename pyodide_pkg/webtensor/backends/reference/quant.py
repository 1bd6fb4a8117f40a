"""Quantised-weight primitives in pure Python (the oracle): GGUF block codecs and
quant_linear as dequantise-then-matmul, the decomposition any backend without kernels uses.

Block formats (ggml's, little-endian): a weight [N, K] is N rows of K/32 blocks of 32 weights.
  q8_0: {float16 d; int8 qs[32]}             34 bytes   w[j] = d * qs[j]
  q4_1: {float16 d; float16 m; uint8 qs[16]} 20 bytes   w[j] = d * (qs[j] & 15) + m,
                                                        w[j + 16] = d * (qs[j] >> 4) + m
Quantisation follows ggml's reference quantisers bit for bit: every step is rounded to float32
as ggml's C code does (a double result rounded to float is the correctly rounded float result
for + - * /, so Python floats plus one float32 rounding per step reproduce it exactly).
"""
import array
import math
import struct

QK = 32
BLOCK_BYTES = {"q8_0": 34, "q4_1": 20}
_F32_MAX = 3.4028234663852886e38


def _f32(v):
    """v rounded to float32 (overflow gives +-inf, as a C cast does)."""
    return array.array("f", (v,))[0]


def _half_bits(v):
    """float -> binary16 bits, round to nearest even; overflow gives inf (like F16C)."""
    try:
        return struct.unpack("<H", struct.pack("<e", v))[0]
    except OverflowError:
        return 0xFC00 if v < 0 else 0x7C00


def _roundf(v):
    """C's roundf: nearest, halves away from zero."""
    t = float(math.trunc(v))
    return t + math.copysign(1.0, v) if abs(v - t) >= 0.5 else t


def quantize_block_q8_0(xs):
    """32 float32 values -> 34 bytes."""
    amax = 0.0
    for v in xs:
        a = abs(v)
        amax = amax if amax > a else a
    d = _f32(amax / 127.0)
    inv = _f32(1.0 / d) if d != 0.0 else 0.0
    qs = []
    for v in array.array("f", [v * inv for v in xs]):
        qs.append(0 if v != v else 127 if v >= 127 else -128 if v <= -128 else int(_roundf(v)))
    return struct.pack("<H32b", _half_bits(d), *qs)


def quantize_block_q4_1(xs):
    """32 float32 values -> 20 bytes."""
    lo, hi = _F32_MAX, -_F32_MAX
    for v in xs:
        if v < lo:
            lo = v
        if v > hi:
            hi = v
    d = _f32(_f32(hi - lo) / 15.0)
    inv = _f32(1.0 / d) if d != 0.0 else 0.0
    shifted = array.array("f", [v - lo for v in xs])
    scaled = array.array("f", [v * inv for v in shifted])
    ts = array.array("f", [v + 0.5 for v in scaled])
    q = [15 if t >= 15.0 else int(t) if t >= 1.0 else 0 for t in ts]
    return struct.pack("<HH", _half_bits(d), _half_bits(lo)) + \
        bytes(q[j] | (q[j + 16] << 4) for j in range(16))


def quantize_bytes(kind, values):
    """float32 values (a sequence whose length is a multiple of 32) -> block bytes."""
    fn = quantize_block_q8_0 if kind == "q8_0" else quantize_block_q4_1
    return b"".join(fn(values[i:i + QK]) for i in range(0, len(values), QK))


def dequantize_values(kind, data):
    """Block bytes -> array('f') of the weights (exact d*q; Q4_1 adds m with one rounding)."""
    out = []
    if kind == "q8_0":
        for blk in struct.iter_unpack("<e32b", data):
            d = blk[0]
            out.extend([d * q for q in blk[1:]])
    else:
        for blk in struct.iter_unpack("<ee16B", data):
            d, m = blk[0], blk[1]
            qs = blk[2:]
            out.extend([d * (b & 15) + m for b in qs])
            out.extend([d * (b >> 4) + m for b in qs])
    return array.array("f", out)   # the one float32 rounding of d*q + m


# ---- primitives ------------------------------------------------------------------------------
def dequantize(out, q):
    """out (contiguous float32, q's shape) = the weights of QuantizedTensor q."""
    vals = dequantize_values(q.kind, q._storage.view())
    st = out._storage
    st.view()[out._offset * 4:out._offset * 4 + len(vals) * 4] = vals.tobytes()


def dequantize_rows(out, q, rows):
    """out (contiguous float32 [len(rows), K] in effect) row j = q's row rows[j] (rows: an
    int64 tensor)."""
    k = q.shape[1]
    rb = k // QK * BLOCK_BYTES[q.kind]
    src, dst = q._storage.view(), out._storage.view()
    o = out._offset * 4
    n = q.shape[0]
    for j, r in enumerate(rows.tolist()):
        if not 0 <= r < n:
            raise IndexError("index out of range in self")
        dst[o + j * k * 4:o + (j + 1) * k * 4] = \
            dequantize_values(q.kind, src[r * rb:(r + 1) * rb]).tobytes()


def quantize(q, w):
    """Write the blocks of contiguous float32 w into QuantizedTensor q's (writable) storage."""
    n = w.numel()
    vals = array.array("f", bytes(w._storage.view()[w._offset * 4:(w._offset + n) * 4]))
    q._storage.view()[:] = quantize_bytes(q.kind, vals)


def quant_linear(out, x, q, activations="float32"):
    """out [M, N] = x [M, K] @ W^T: dequantise W, then the reference matmul. With
    activations="int8", x is replaced by xh = dequantise(quantise_q8_0(x)) first."""
    from ..._tensor import Tensor
    from ..._dtype import float32
    from .index import matmul
    if activations == "int8":
        n = x.numel()
        vals = array.array("f", bytes(x._storage.view()[x._offset * 4:(x._offset + n) * 4]))
        xh = Tensor._empty(tuple(x.shape), float32)
        xh._storage.view()[:] = dequantize_values("q8_0", quantize_bytes("q8_0", vals)).tobytes()
        x = xh
    w = Tensor._empty(tuple(q.shape), float32)
    dequantize(w, q)
    matmul(out, x, w.t())


IMPL = {"dequantize": dequantize, "dequantize_rows": dequantize_rows, "quantize": quantize, "quant_linear": quant_linear}
