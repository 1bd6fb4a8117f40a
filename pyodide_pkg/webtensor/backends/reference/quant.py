"""Quantised-weight primitives in pure Python (the oracle): GGUF block codecs and
quant_linear as dequantise-then-matmul, the decomposition any backend without kernels uses.

Block formats (ggml's, little-endian): a weight [N, K] is N rows of K/B blocks of B weights
(B = 32, or 256 for the K-quants).
  q8_0: {float16 d; int8 qs[32]}             34 bytes   w[j] = d * qs[j]
  q4_1: {float16 d; float16 m; uint8 qs[16]} 20 bytes   w[j] = d * (qs[j] & 15) + m,
                                                        w[j + 16] = d * (qs[j] >> 4) + m
  q4_0: {float16 d; uint8 qs[16]}            18 bytes   as q4_1 with w = d * (q - 8)
  q5_0: {float16 d; uint32 qh; uint8 qs[16]} 22 bytes   q = nibble | (bit j of qh) << 4,
                                                        w = d * (q - 16)
  q5_1: {float16 d, m; uint32 qh; uint8 qs[16]} 24 bytes  w = d * q + m
  q4_k: {float16 d, dmin; uint8 scales[12]; uint8 qs[128]} 144 bytes / 256 weights: eight
        sub-blocks of 32 with 6-bit scale/min (ggml's get_scale_min_k4), w = d sc q - dmin m
  q6_k: {uint8 ql[128]; uint8 qh[64]; int8 scales[16]; float16 d} 210 bytes / 256 weights:
        6-bit q (4 bits in ql, 2 in qh), w = d * scales[j / 16] * (q - 32)
Only q8_0 and q4_1 have quantisers here; the others are read from GGUF files. Dequantised
values are ggml's (and gguf-py's) bit for bit: every product is exact and a sum is rounded
to float32 once.
Quantisation follows ggml's reference quantisers bit for bit: every step is rounded to float32
as ggml's C code does (a double result rounded to float is the correctly rounded float result
for + - * /, so Python floats plus one float32 rounding per step reproduce it exactly).
"""
import array
import math
import struct

QK = 32
QK_K = 256
# kind -> (weights per block, bytes per block)
BLOCKS = {"q8_0": (32, 34), "q4_1": (32, 20), "q4_0": (32, 18), "q5_0": (32, 22),
          "q5_1": (32, 24), "q4_k": (256, 144), "q6_k": (256, 210)}
BLOCK_BYTES = {k: b for k, (_, b) in BLOCKS.items()}
BLOCK_SIZE = {k: n for k, (n, _) in BLOCKS.items()}
QUANTIZERS = ("q8_0", "q4_1")
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


def _q5(qs, h, j0):
    """The 5-bit values of elements j0..j0+15 (j0 = 0: low nibbles, 16: high nibbles)."""
    if j0 == 0:
        return [(b & 15) | ((h >> j) & 1) << 4 for j, b in enumerate(qs)]
    return [(b >> 4) | ((h >> (j + 16)) & 1) << 4 for j, b in enumerate(qs)]


def _scale_min_k4(sc, j):
    """ggml's get_scale_min_k4: the 6-bit scale and min of Q4_K sub-block j."""
    if j < 4:
        return sc[j] & 63, sc[j + 4] & 63
    return (sc[j + 4] & 15) | ((sc[j - 4] >> 6) << 4), (sc[j + 4] >> 4) | ((sc[j] >> 6) << 4)


def _dequantize_q4_k(out, data):
    for d, dmin, sc, qs in struct.iter_unpack("<ee12s128s", data):
        for c in range(4):
            q = qs[32 * c:32 * c + 32]
            for s, shift in ((2 * c, 0), (2 * c + 1, 4)):
                a, m = _scale_min_k4(sc, s)
                d1, m1 = d * a, dmin * m
                out.extend([d1 * ((b >> shift) & 15) - m1 for b in q])


def _dequantize_q6_k(out, data):
    for ql, qh, sc, d in struct.iter_unpack("<128s64s16se", data):
        sc = struct.unpack("<16b", sc)
        for h in range(2):
            lo, hi, s = ql[64 * h:64 * h + 64], qh[32 * h:32 * h + 32], sc[8 * h:8 * h + 8]
            for t in range(4):               # elements 32t..32t+31 of this half
                src = lo[32 * (t & 1):32 * (t & 1) + 32]
                shift = 4 * (t >> 1)
                q = [((b >> shift) & 15) | ((c >> 2 * t) & 3) << 4 for b, c in zip(src, hi)]
                d0, d1 = d * s[2 * t], d * s[2 * t + 1]
                out.extend([d0 * (v - 32) for v in q[:16]])
                out.extend([d1 * (v - 32) for v in q[16:]])


def dequantize_values(kind, data):
    """Block bytes -> array('f') of the weights (d*q exact; a min added with one rounding)."""
    out = []
    if kind == "q8_0":
        for blk in struct.iter_unpack("<e32b", data):
            d = blk[0]
            out.extend([d * q for q in blk[1:]])
    elif kind == "q4_1":
        for blk in struct.iter_unpack("<ee16B", data):
            d, m = blk[0], blk[1]
            qs = blk[2:]
            out.extend([d * (b & 15) + m for b in qs])
            out.extend([d * (b >> 4) + m for b in qs])
    elif kind == "q4_0":
        for d, qs in struct.iter_unpack("<e16s", data):
            out.extend([d * ((b & 15) - 8) for b in qs])
            out.extend([d * ((b >> 4) - 8) for b in qs])
    elif kind == "q5_0":
        for d, h, qs in struct.iter_unpack("<eI16s", data):
            out.extend([d * (q - 16) for q in _q5(qs, h, 0)])
            out.extend([d * (q - 16) for q in _q5(qs, h, 16)])
    elif kind == "q5_1":
        for d, m, h, qs in struct.iter_unpack("<eeI16s", data):
            out.extend([d * q + m for q in _q5(qs, h, 0)])
            out.extend([d * q + m for q in _q5(qs, h, 16)])
    elif kind == "q4_k":
        _dequantize_q4_k(out, data)
    else:
        _dequantize_q6_k(out, data)
    # the products and sums above are exact in double (|terms| < 2^26, units >= 2^-24 * ...):
    # this is the one float32 rounding ggml's float arithmetic does
    return array.array("f", out)


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
    rb = k // BLOCK_SIZE[q.kind] * BLOCK_BYTES[q.kind]
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


def round_int16(vals):
    """The int16 activation rounding (wasm_kernels/include/wt_qd16.h) of float32 values (a
    multiple of 32): per block amax = max |x|, d = amax / 32767, id = d ? 1/d : 0,
    q = nearest-even(x id), xh = d q (each step rounded to float32; a block holding inf or NaN
    gives NaN)."""
    out = array.array("f")
    for b in range(0, len(vals), QK):
        xs = vals[b:b + QK]
        if not all(math.isfinite(v) for v in xs):
            out.extend([math.nan] * len(xs))
            continue
        d = _f32(max(abs(v) for v in xs) / 32767.0)
        id = _f32(1.0 / d) if d else 0.0
        out.extend([d * round(_f32(v * id)) for v in xs])
    return out


def quant_linear(out, x, q, activations="float32"):
    """out [M, N] = x [M, K] @ W^T: dequantise W, then the reference matmul. With
    activations="int8" / "int16", x is replaced first by xh = x rounded to Q8_0 blocks
    (dequantise(quantise_q8_0(x))) / to int16 blocks (round_int16)."""
    from ..._tensor import Tensor
    from ..._dtype import float32
    from .index import matmul
    if activations != "float32":
        n = x.numel()
        vals = array.array("f", bytes(x._storage.view()[x._offset * 4:(x._offset + n) * 4]))
        xh = Tensor._empty(tuple(x.shape), float32)
        xh._storage.view()[:] = (
            dequantize_values("q8_0", quantize_bytes("q8_0", vals)) if activations == "int8"
            else round_int16(vals)).tobytes()
        x = xh
    w = Tensor._empty(tuple(q.shape), float32)
    dequantize(w, q)
    matmul(out, x, w.t())


IMPL = {"dequantize": dequantize, "dequantize_rows": dequantize_rows, "quantize": quantize, "quant_linear": quant_linear}
