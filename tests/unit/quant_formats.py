"""Test data for the read-only GGUF kinds (q4_0 q5_0 q5_1 q4_k q6_k), with gguf-py (llama.cpp's
own Python package) as the oracle: gguf.quants.quantize where it can (Q4_0, Q5_0, Q5_1) and
random valid blocks (finite float16 scales) where it cannot (Q4_K, Q6_K)."""
import numpy as np
from gguf import GGMLQuantizationType
from gguf import quants as gq

from webtensor.backends.reference.quant import BLOCKS

KINDS = ("q4_0", "q5_0", "q5_1", "q4_k", "q6_k")
GGUF_QUANTIZES = ("q4_0", "q5_0", "q5_1")
# byte offsets of each block's float16 fields
HALVES = {"q4_0": (0,), "q5_0": (0,), "q5_1": (0, 2), "q4_k": (0, 2), "q6_k": (208,),
          "q8_0": (0,)}


def gtype(kind):
    return getattr(GGMLQuantizationType, kind.upper())


def random_blocks(nblocks, kind, seed=0):
    """nblocks valid blocks: random quants and scales, float16 fields finite (|h| < 2; some
    subnormal or signed zero)."""
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 256, size=(nblocks, BLOCKS[kind][1]), dtype=np.uint8)
    for o in HALVES[kind]:
        h = raw[:, o:o + 2].copy().view(np.uint16)
        h &= np.uint16(0xBFFF)
        h[::5] &= np.uint16(0x83FF)
        raw[:, o:o + 2] = h.view(np.uint8)
    return raw


def blocks_for(w, kind, seed=0):
    """[N, K] weights as `kind` blocks: gguf-py's quantiser where it has one, else random
    blocks of the right count (the weights then only fix the shape)."""
    n, k = w.shape
    if kind in GGUF_QUANTIZES:
        w = np.ascontiguousarray(w, np.float32)
        return gq.quantize(w, gtype(kind)).reshape(-1, BLOCKS[kind][1])
    return random_blocks(n * k // BLOCKS[kind][0], kind, seed)


def dequantize(blocks, kind, shape):
    """gguf-py's dequantisation, float32 [N, K]."""
    return gq.dequantize(np.asarray(blocks, np.uint8).reshape(shape[0], -1),
                         gtype(kind)).astype(np.float32).reshape(shape)


def magnitudes(blocks, kind, shape):
    """An upper bound of |s (c - o)| + |m| per weight (the terms the kernels add): |w| + 2|m|,
    m the block's (sub-block's) additive term (q5_1's m, q4_k's dmin * min)."""
    w = np.abs(dequantize(blocks, kind, shape).astype(np.float64))
    raw = np.asarray(blocks, np.uint8).reshape(-1, BLOCKS[kind][1])
    if kind == "q5_1":
        m = raw[:, 2:4].copy().view(np.float16).astype(np.float64)      # [nb, 1]
        return w + 2 * np.abs(np.repeat(m, 32, axis=1)).reshape(shape)
    if kind == "q4_k":
        dmin = raw[:, 2:4].copy().view(np.float16).astype(np.float64)
        sc = raw[:, 4:16].astype(np.int64)
        mins = np.concatenate([sc[:, 4:8] & 63, (sc[:, 8:12] >> 4) | ((sc[:, 4:8] >> 6) << 4)],
                              axis=1)
        return w + 2 * np.repeat(np.abs(dmin) * mins, 32, axis=1).reshape(shape)
    return w
