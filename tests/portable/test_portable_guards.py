"""Memory safety inside the runtime at hand (Pyodide's ctypes path in Node and Chromium, wasmtime
on CPython): every kernel in the kernel table runs on regions embedded at odd offsets inside
guarded storages; nothing outside its output regions may change. A deliberate overrun must be
caught. Only the standard library: this file also runs inside Pyodide."""
import array
import random
import struct

import pytest

from webtensor import _random
from webtensor._storage import Storage
from webtensor.backends.wasm import kernel_table, loader
from webtensor.backends.reference.quant import BLOCKS
from webtensor.backends.wasm.loader import Region
from wtcheck import quant_blocks

PAD_BEFORE, PAD_AFTER = 13, 29
# Both builds wherever the engine runs relaxed SIMD (not Node 20 without its flag).
ISAS = ["simd128"] + (["relaxedsimd"] if loader.engine_has_relaxed_simd() else [])


def _floats(rng, n):
    return array.array("f", [rng.uniform(-2, 2) for _ in range(n)]).tobytes()


def _fill(n, code, value=77):
    return array.array(code, [value] * n).tobytes()


def example(kernel, rng):
    """Arguments for one call: ints/floats, and bytes for pointer regions."""
    fam = kernel.family
    if fam == "unary":
        return [37, _floats(rng, 37), _fill(37, "f")]
    if fam in ("binary", "compare"):
        return [5, 7, _floats(rng, 35), 7, 1, _floats(rng, 7), 0, 1,
                _fill(35, "B" if fam == "compare" else "f")]
    if fam in ("binary_flat", "compare_flat", "binary_flatc", "compare_flatc"):
        nb = 1 if fam.endswith("c") else 37
        return [37, _floats(rng, 37), _floats(rng, nb),
                _fill(37, "B" if fam.startswith("compare") else "f")]
    if fam in ("reduce", "argreduce", "var"):
        extra = [1.0] if fam == "var" else []
        if kernel.name.startswith("f64"):   # f64_var: the f32 form in float64
            return [3, 5, 4] + extra + [_typed(rng, "f64", 60), _fill(12, "d")]
        return [3, 5, 4] + extra + [_floats(rng, 60), _fill(12, "q" if fam == "argreduce"
                                                              else "f")]
    if fam == "rowwise":
        return [3, 5, 4, _floats(rng, 60), _fill(60, "f")]
    if fam == "gemm":
        return [2, 5, 9, 6, _floats(rng, 60), 30, 6, 1, _floats(rng, 108), 54, 9,
                _fill(90, "f"), 45, 9]
    if fam == "xgemm":     # f64/i64/i32, the gemm example's shapes and strides
        short = kernel.name.split("_", 1)[0]
        return [2, 5, 9, 6, _typed(rng, short, 60), 30, 6, 1, _typed(rng, short, 108), 54, 9,
                _fill(90, _CODE[short], 0), 45, 9]
    if fam == "gemv":      # n = 37: a 32-column sweep, a 4-column block and a 1-column tail
        return [2, 37, 5, _floats(rng, 20), 10, 2, _floats(rng, 400), 200, 40,
                _fill(74, "f"), 37]
    if fam == "linear":    # m = 5: the packed form; bias and gelu epilogue; batch of 2
        return [2, 5, 9, 6, _floats(rng, 60), 30, 6, 1, _floats(rng, 108), 54, 6,
                _floats(rng, 9), 1, _fill(90, "f"), 45, 9, 2]
    if fam == "copy":
        bits = int(kernel.name[1:kernel.name.index("_")])
        code = {8: "B", 16: "H", 32: "I", 64: "Q"}[bits]
        if bits in (8, 32):    # [2, 20, 2] with the last dim 20 apart: two rows zipped
            src = array.array(code, [rng.randrange(200) for _ in range(80)]).tobytes()
            return [3, array.array("i", [2, 20, 2]).tobytes(),
                    array.array("i", [40, 1, 20]).tobytes(), src, _fill(80, code)]
        src = array.array(code, [rng.randrange(200) for _ in range(60)]).tobytes()
        return [3, array.array("i", [4, 5, 3]).tobytes(), array.array("i", [1, 4, 20]).tobytes(),
                src, _fill(60, code)]
    if fam == "tri":       # [2, 5, 13] of 3-byte elements: rows cut, kept whole and zeroed
        x = bytes(rng.randrange(1, 256) for _ in range(2 * 5 * 13 * 3))
        return [2, 5, 13, 3, -2 if kernel.name.endswith("tril") else 9, x, _fill(390, "B")]
    if fam == "copy_strided":   # [4, 5, 3] from a permuted source into a gapped view
        bits = int(kernel.name[1:kernel.name.index("_")])
        code = {8: "B", 16: "H", 32: "I", 64: "Q"}[bits]
        src = array.array(code, [rng.randrange(200) for _ in range(60)]).tobytes()
        return [3, array.array("i", [4, 5, 3]).tobytes(), array.array("i", [1, 4, 20]).tobytes(),
                array.array("i", [40, 8, 2]).tobytes(), src, _fill(160, code)]
    # conv / pool: 2 planes of 7x11, 3x3 windows, stride 2, padding 1 -> 4x6 outputs
    win = [3, 3, 2, 2, 1, 1, 1, 1]
    if fam == "im2col":
        return [2, 7, 11] + win + [4, 6, 27, _floats(rng, 154), _fill(17 * 27 + 24, "f")]
    if fam == "x64_im2col":
        return [2, 7, 11] + win + [4, 6, 27, _typed(rng, "f64", 154), _fill(17 * 27 + 24, "d")]
    if fam == "dwconv":   # 2 images x 4 output channels (multiplier 2) over 2 input channels
        return [8, 4, 2, 7, 11] + win + [4, 6, _floats(rng, 308), _floats(rng, 36),
                                         _floats(rng, 4), _fill(192, "f")]
    if fam in ("maxpool", "maxpool_indices"):
        extra = [_fill(48, "q")] if fam == "maxpool_indices" else []
        return [2, 7, 11, 4, 6] + win + [_floats(rng, 154), _fill(48, "f")] + extra
    if fam == "avgpool":
        return [2, 7, 11, 4, 6] + win[:6] + [0, 0, _floats(rng, 154), _fill(48, "f")]
    if fam in ("adaptive_avgpool", "adaptive_maxpool"):
        extra = [_fill(30, "q")] if fam == "adaptive_maxpool" else []
        return [2, 7, 11, 3, 5, _floats(rng, 154), _fill(30, "f")] + extra
    if fam.startswith("x") and fam[1:] in ("maxpool_indices", "avgpool", "adaptive_avgpool",
                                            "adaptive_maxpool"):   # f64/i64/i32, same forms
        short = kernel.name.split("_", 1)[0]
        x, code = _typed(rng, short, 154), _CODE[short]
        if fam == "xmaxpool_indices":
            return [2, 7, 11, 4, 6] + win + [x, _fill(48, code), _fill(48, "q")]
        if fam == "xavgpool":
            return [2, 7, 11, 4, 6] + win[:6] + [1, 0, x, _fill(48, code)]
        extra = [_fill(30, "q")] if fam == "xadaptive_maxpool" else []
        return [2, 7, 11, 3, 5, x, _fill(30, code)] + extra
    if fam == "layer_norm":   # n = 37: vector body, scalar tail; weight and bias given
        return [3, 37, 3, 1e-5, _floats(rng, 111), _floats(rng, 37), _floats(rng, 37),
                _fill(111, "f")]
    if fam == "rms_norm":
        return [3, 37, 1, 1e-5, _floats(rng, 111), _floats(rng, 37), _fill(111, "f")]
    if fam == "f64_sdpa":   # the sdpa example in float64, causal
        f = lambda n: _typed(rng, "f64", n)  # noqa: E731
        return [2, 4, 2, 1, 5, 67, 7, 7, 3, array.array("d", [0.4]).tobytes(), f(280), 140, 35,
                7, f(1876), 938, 469, 7, f(938), 469, 469, 7, f(335), 0, 0, 67, _fill(280, "d")]
    if fam == "f64_softmax":   # log_softmax of 3 rows of 7 (vector body and a scalar tail)
        return [3, 7, 2, _typed(rng, "f64", 21), _fill(21, "d")]
    if fam == "h16_softmax":   # float16 log_softmax: the row form and the column form
        return [3, 5, 4, 2, _typed(rng, "f16", 60), _fill(60, "H")]
    if fam == "h16_layer_norm":   # bfloat16, n = 37 (8-wide staging and its tail)
        return [3, 37, 7, 1e-5, _typed(rng, "bf16", 111), _typed(rng, "bf16", 37),
                _typed(rng, "bf16", 37), _fill(111, "H")]
    if fam == "h16_rms_norm":
        return [3, 37, 1, 1e-5, _typed(rng, "f16", 111), _typed(rng, "f16", 37), _fill(111, "H")]
    if fam == "f64_layer_norm":
        eps = array.array("d", [1e-5]).tobytes()
        return [3, 37, 3, eps, _typed(rng, "f64", 111), _typed(rng, "f64", 37),
                _typed(rng, "f64", 37), _fill(111, "d")]
    if fam == "f64_rms_norm":
        eps = array.array("d", [1e-5]).tobytes()
        return [3, 37, 1, eps, _typed(rng, "f64", 111), _typed(rng, "f64", 37), _fill(111, "d")]
    if fam == "sdpa":   # 2 x 4 query heads on 2 key / 1 value heads, E = Ev = 7, S = 67
        return [2, 4, 2, 1, 5, 67, 7, 7, 2, 0.4, _floats(rng, 280), 140, 35, 7,
                _floats(rng, 1876), 938, 469, 7, _floats(rng, 938), 469, 469, 7,
                _floats(rng, 335), 0, 0, 67, _fill(280, "f")]
    # dtype conversion / fill / where / index_select (backends/wasm/convert.py, gather.py)
    if fam == "convert":   # n = 37: vector blocks of 4/8/16 and a scalar tail
        src, dst = kernel.name.split("_")[:2]
        return [37, _typed(rng, src, 37), _fill(37, _CODE[dst], 0)]
    if fam == "fill":
        code = _BITS_CODE[int(kernel.name[1:kernel.name.index("_")])]
        return [37, _fill(1, code, 3), _fill(37, code, 0)]
    if fam == "where":     # [5, 7] with a row-broadcast b and a strided a: both loop kinds
        code = _BITS_CODE[int(kernel.name[1:kernel.name.index("_")])]
        cond = bytes(rng.randrange(2) for _ in range(35))
        a = array.array(code, [rng.randrange(100) for _ in range(70)]).tobytes()
        return [5, 7, cond, 7, 1, a, 14, 2, _fill(7, code, 5), 0, 1, _fill(35, code, 0)]
    if fam == "index_select" and kernel.name.startswith("i64"):  # 2-byte rows: 16-byte
        x = bytes(rng.randrange(256) for _ in range(3 * 9 * 2))      # blocks and a tail
        idx = array.array("q", [j * 9 // 21 for j in range(21)]).tobytes()
        return [3, 9, 21, 2, x, idx, _fill(3 * 21 * 2, "B", 0), _fill(1, "i", 9)]
    if fam == "index_select":   # [outer 3, n 5, 12-byte rows] gathered by 4 indices
        code = "i"
        x = bytes(rng.randrange(256) for _ in range(3 * 5 * 12))
        return [3, 5, 4, 12, x, array.array(code, [4, 0, 2, 4]).tobytes(),
                _fill(3 * 4 * 12, "B", 0), _fill(1, "i", 9)]
    if fam == "optim":     # adam_step, n = 37, amsgrad + maximize
        return [37, _floats(rng, 37), _floats(rng, 37), _floats(rng, 37),
                array.array("f", [abs(v) for v in array.array("f", _floats(rng, 37))]).tobytes(),
                _fill(37, "f", 0), 0.1, 0.999, 0.001, 0.01, 0.5, 1e-8, 1.0, 0.01, 3]
    if fam in ("sgd", "adagrad"):   # n = 37, momentum (nesterov) / weight decay + maximize
        state = _floats(rng, 37)
        if fam == "sgd":
            return [37, _floats(rng, 37), _floats(rng, 37), state, 0.1, 0.9, 0.0, 0.01, 12]
        return [37, _floats(rng, 37), _floats(rng, 37), _fill(37, "f", 1), 0.1, 1e-10, 0.01, 2]
    if fam == "rmsprop":   # centered, momentum
        return [37, _floats(rng, 37), _floats(rng, 37), _fill(37, "f", 1), _floats(rng, 37),
                _floats(rng, 37), 0.01, 0.99, 1e-8, 0.9, 0.01, 40]
    if fam == "act_backward":   # silu (vector body + tail)
        return [37, 3, _floats(rng, 37), _floats(rng, 37), _fill(37, "f")]
    if fam == "softmax_backward":   # log_softmax over the middle axis of [3, 5, 4]
        return [3, 5, 4, 1, _floats(rng, 60), _floats(rng, 60), _fill(60, "f")]
    if fam == "cross_entropy":   # 3 rows of 7 classes, mean, gradient, smoothing, one ignored
        return [3, 7, 6, 0.1, -100, array.array("q", [2, -100, 6]).tobytes(),
                _floats(rng, 21), _fill(1, "f"), _fill(21, "f"), _fill(1, "i", 9)]
    if fam == "norm_backward":   # layer_norm of 3 rows of 9 with weight, dw and db
        return [3, 9, 7, 1e-5, _floats(rng, 27), _floats(rng, 27), _floats(rng, 9),
                _fill(27, "f"), _fill(9, "f"), _fill(9, "f")]
    if fam == "sdpa_backward":   # 2 query heads on 1 key head, L 3, S 5, E 6, Ev 5, causal+mask
        return [1, 2, 1, 1, 3, 5, 6, 5, 3, 0.5, _floats(rng, 36), _floats(rng, 30),
                _floats(rng, 25), _floats(rng, 30), _floats(rng, 30), 0, 15, 5,
                _fill(36, "f"), _fill(30, "f"), _fill(25, "f"), _fill(10, "f")]
    if fam == "scatter":   # [outer 2, n 5, inner 3] <- [2, m 4, 3] at int64 positions
        code = _BITS_CODE[int(kernel.name[1:kernel.name.index("_")])]
        idx = array.array("q", [rng.randrange(5) for _ in range(24)]).tobytes()
        src = array.array(code, [rng.randrange(100) for _ in range(24)]).tobytes()
        return [2, 5, 4, 3, idx, src, _fill(30, code, 0), _fill(1, "i", 9)]
    if fam in ("xbinary", "xcompare"):   # f64/i64/i32/u8, same [5, 7] form as the f32 one
        short = kernel.name.split("_", 1)[0]
        code = _CODE[short]
        return [5, 7, _typed(rng, short, 35), 7, 1, _typed(rng, short, 7), 0, 1,
                _fill(35, "B" if fam == "xcompare" else code, 2)]
    if fam == "divide":    # the xbinary form + a status word; no zero divisors among these
        short = kernel.name.split("_", 1)[0]
        code = _CODE[short]
        return [5, 7, _typed(rng, short, 35), 7, 1, _typed(rng, short, 7), 0, 1,
                _fill(35, code, 2), _fill(1, "i", 9)]
    if fam in ("xreduce", "xscan"):     # [3, 5, 4] like the f32 reductions
        short, op = kernel.name.split("_", 1)
        ny = 60 if fam == "xscan" else 12
        wide = op in ("sum", "prod", "cumsum", "cumprod") and short[0] in "iu"  # int64 out
        out = "q" if op in kernel_table.ARGREDUCE_OPS or op == "count_nonzero" or wide else \
            "B" if op in ("all", "any") else _CODE[short]
        return [3, 5, 4, _typed(rng, short, 60), _fill(ny, out)]
    if fam in ("arange", "linspace"):
        short = kernel.name.split("_", 1)[0]
        p = array.array("q", [3, -2]).tobytes() if short.startswith("i") else \
            array.array("d", [0.5, 7.25, 0.125]).tobytes()
        return [37, p, _fill(37, _CODE[short])]
    if fam == "sort":      # 2 rows of 19
        short = kernel.name.split("_", 1)[0]
        ksz = 8 if short.endswith("64") else 4
        return [2, 19, 1, _typed(rng, short, 38), _fill(38, _CODE[short]), _fill(38, "q"),
                _fill(19 * (2 * ksz + 8) + 8, "B")]   # + 8: the kernel aligns its keys
    if fam == "clamp":     # bounds {lo, hi} in the dtype (halves: patterns)
        short = kernel.name.split("_", 1)[0]
        return [37, _typed(rng, short, 37), _typed(rng, short, 8), _fill(37, _CODE[short], 2)]
    if fam == "hlerp":
        return [37, _typed(rng, "f16", 37), _typed(rng, "f16", 37), 0.25, _fill(37, "H", 2)]
    if fam == "xunary":
        short = kernel.name.split("_", 1)[0]
        return [37, _typed(rng, short, 37), _fill(37, _CODE[short], 2)]
    if fam == "gather":    # [2, m 4, 3] <- [outer 2, n 5, inner 3] at int64 positions
        code = _BITS_CODE[int(kernel.name[1:kernel.name.index("_")])]
        idx = array.array("q", [rng.randrange(5) for _ in range(24)]).tobytes()
        x = array.array(code, [rng.randrange(100) for _ in range(30)]).tobytes()
        if kernel.name in ("x8_gather", "x16_gather"):    # inner 1: [2, 7] <- [2, 5]
            return [2, 5, 7, 1, idx[:14 * 8], x[:10 * len(x) // 30], _fill(14, code, 0),
                    _fill(1, "i", 9)]
        return [2, 5, 4, 3, idx, x, _fill(24, code, 0), _fill(1, "i", 9)]
    if fam in ("nonzero_count", "nonzero"):   # a [3, 37] bool mask with vector-wide holes
        x = bytes(rng.randrange(2) * (k % 40 > 20) for k in range(111))
        if fam == "nonzero_count":
            return [111, x, _fill(1, "q", 0)]
        return [2, array.array("i", [3, 37]).tobytes(), 9, x, _fill(18, "q", 0)]
    if fam in ("masked_select", "masked_scatter"):   # 37 elements, 9 of them masked
        code = _BITS_CODE[int(kernel.name[1:kernel.name.index("_")])]
        mask = bytes(1 if k % 4 == 1 and k < 36 else 0 for k in range(37))
        x = array.array(code, [rng.randrange(100) for _ in range(37)]).tobytes()
        if fam == "masked_select":
            return [37, 9, x, mask, _fill(9, code, 0)]
        return [37, 9, mask, x[:9 * array.array(code).itemsize], _fill(37, code, 0)]
    if fam in ("searchsorted", "isin"):   # 2 rows of 13 values in 2 rows of 7 sorted entries
        short = kernel.name.split("_", 1)[0]
        seq = _typed(rng, short, 14)
        vals = array.array(_CODE[short], seq)
        seq = array.array(_CODE[short], sorted(vals[:7]) + sorted(vals[7:])).tobytes()
        x = _typed(rng, short, 26)
        if fam == "isin":
            return [26, 7, 1, x, seq, _fill(26, "B", 0)]
        if short in kernel_table.KEY_DTYPES:   # float32 boundaries (not sorted: torch's loop)
            seq = array.array("f", [rng.uniform(-300, 300) for _ in range(14)]).tobytes()
        return [2, 7, 13, rng.randrange(4), 7, seq, x, _fill(26, "q", 0)]
    if fam == "unravel_index":   # 37 indices (negative ones wrapped) in a [3, 5, 7] tensor
        short = kernel.name.split("_", 1)[0]
        return [37, 3, array.array("q", [3, 5, 7]).tobytes(), _typed(rng, short, 37),
                _fill(111, "q", 0)]
    if fam == "histc":
        short = kernel.name.split("_", 1)[0]
        rc = "d" if short == "f64" else "f"    # the range: float32 (halves too) / float64
        return [37, 5, array.array(rc, [-100, 250]).tobytes(), _typed(rng, short, 37),
                _fill(5, _CODE[short], 0)]
    if fam == "bincount":
        short = kernel.name.split("_", 1)[0]
        return [37, array.array(_CODE[short], [rng.randrange(9) for _ in range(37)]).tobytes(),
                _fill(9, "q", 0)]
    if fam == "unique_runs":
        short = kernel.name.split("_", 1)[0]
        code = _CODE.get(short) or _BITS_CODE[int(short[1:])]
        x = array.array(code, [rng.randrange(3) for _ in range(37)]).tobytes()
        return [37, 3, x, _fill(37, code, 0), _fill(38, "q", 0), _fill(37, "q", 0),
                _fill(1, "q", 0)]
    if fam == "scatter_reduce":   # [2, 5, 3] (op)= [2, 4, 3], repeated positions, every mode
        short = kernel.name.split("_", 1)[0]
        idx = array.array("q", [rng.randrange(5) for _ in range(24)]).tobytes()
        return [2, 5, 4, 3, rng.randrange(4), idx, _typed(rng, short, 24), _typed(rng, short, 30),
                _fill(1, "i", 9)]
    if fam == "scatter_rows":   # rows [2, 5, 3] (sum / copy / fill)= [2, 4, 3] at 4 positions
        short = kernel.name.split("_", 1)[0]
        idx = array.array("q", rng.sample(range(5), 4)).tobytes()
        return [2, 5, 4, 3, rng.randrange(3), idx, _typed(rng, short, 24), _typed(rng, short, 30),
                _fill(1, "i", 9)]
    if fam == "fold":   # [2, 5, 6] from [2, 2, 3, 6, 2]: padded rows, strided columns
        short = kernel.name.split("_", 1)[0]
        geo = array.array("i", [2, 3, 1, 1, 1, 0, 1, 2, 6, 2]).tobytes()
        return [2, 5, 6, geo, _typed(rng, short, 144), _fill(60, _CODE[short], 0),
                _fill(1, "i", 9)]
    if kernel.name == "qd16_quantize":     # 3 blocks of 32 floats -> 3 int16 blocks
        return [3, _floats(rng, 96), _fill(3 * 72, "B")]
    if kernel.name == "qd16_dequantize":
        return [3, _qd16_blocks(rng, 3), _fill(96, "f")]
    if fam in ("qgemv", "qgemm", "dequantize", "quantize", "qd8gemv", "qd16gemv"):
        kind = next(q for q in BLOCKS if f"{q}_" in kernel.name)
        per, bb = BLOCKS[kind]
        k = 2 * per            # two blocks a row
        if fam == "qgemv":     # n = 7: a 4-row step and a 3-row tail
            return [7, k, _floats(rng, k), quant_blocks(rng, 14, kind), _fill(7, "f")]
        if fam == "qd16gemv":  # x as k/32 int16 blocks
            return [7, k, _qd16_blocks(rng, k // 32), quant_blocks(rng, 14, kind),
                    _fill(7, "f")]
        if fam == "qd8gemv":   # x as k/32 Q8_0 blocks
            return [7, k, quant_blocks(rng, k // 32, "q8_0"), quant_blocks(rng, 14, kind),
                    _fill(7, "f")]
        if fam == "qgemm":     # m = 3 (2-row tile + 1), n = 11 (8-row panel + 3)
            return [3, 11, k, _floats(rng, 3 * k), quant_blocks(rng, 22, kind), _fill(33, "f")]
        if fam == "dequantize":
            return [3, quant_blocks(rng, 3, kind), _fill(3 * per, "f")]
        return [3, _floats(rng, 3 * per), _fill(3 * bb, "B")]
    if fam == "random":    # n = 37: normal's two blocks of 16 and a redrawn tail; state advanced
        state = bytearray(_random.STATE_SIZE)
        _random.seed_state(memoryview(state), rng.randrange(2 ** 32))
        code = {"f64": "d", "i64": "q"}.get(kernel.name[:3], "f")
        params = array.array("d", [-1.5, 2.5, 1 + 2.0 ** -12, -(1 + 2.0 ** -11)]).tobytes()
        if kernel.op == "randint":            # {range, base, 64-bit draws}
            params = array.array("Q", [2 ** 40, 5, 1]).tobytes()
        elif kernel.op == "bernoulli_tensor":  # the probabilities
            params = array.array(code, [rng.random() for _ in range(37)]).tobytes()
        elif kernel.op == "exponential":
            params = array.array("d", [1.5]).tobytes()
        return [37, bytes(state), params, _fill(37, code, 0)]
    if fam == "multinomial":   # 3 rows of 5 categories, 4 samples each
        state = bytearray(_random.STATE_SIZE)
        _random.seed_state(memoryview(state), rng.randrange(2 ** 32))
        code = "d" if kernel.name.startswith("f64") else "f"
        probs = array.array(code, [rng.random() + 0.1 for _ in range(15)]).tobytes()
        return [3, 5, 4, bytes(state), probs, _fill(5, code, 0), _fill(12, "q", 0),
                _fill(1, "i", 0)]
    if fam == "pointwise_map":   # n = 37 (8-wide body, 4-wide and partial tails): huber, 'none'
        short = kernel.name.split("_", 1)[0]
        if short == "h16":   # float16 data, a float32 parameter
            return [37, 3, array.array("f", [0.7]).tobytes(), _typed(rng, "f16", 37),
                    _typed(rng, "f16", 37), _fill(37, "H", 2), _fill(1, "i", 9)]
        return [37, 3, array.array(_CODE[short], [0.7]).tobytes(), _typed(rng, short, 37),
                _typed(rng, short, 37), _fill(37, _CODE[short], 2), _fill(1, "i", 9)]
    if fam == "grid_sample":   # bilinear, reflection, 2 x 3 channels of 4 x 5 onto 3 x 2
        short = kernel.name.split("_", 1)[0]
        vals = [rng.uniform(-1.5, 1.5) for _ in range(24)]
        if short in ("f16", "bf16"):     # the halves' bits (bfloat16: float32's top half)
            grid = array.array("H", struct.pack(f"<{len(vals)}e", *vals)) if short == "f16" \
                else array.array("H", [b >> 16 for b in
                                       array.array("I", array.array("f", vals).tobytes())])
        else:
            grid = array.array(_CODE[short], vals)
        return [2, 3, 4, 5, 3, 2, 4, _typed(rng, short, 120), grid.tobytes(),
                _fill(36, _CODE[short], 2),
                _fill(4 * 21, "d" if short == "f64" else "f", 2)]   # one group's stage
    if fam == "rowwise_dist":   # 3 rows of 9, p = 2
        short = kernel.name.split("_", 1)[0]
        if short == "h16":   # 3 rows of 19 float16 (two groups of 8 and a tail), float32 out
            return [3, 19, 1, array.array("f", [1e-6, 2.0]).tobytes(), _typed(rng, "f16", 57),
                    _typed(rng, "f16", 57), _fill(3, "f", 2)]
        return [3, 9, 1, array.array(_CODE[short], [1e-6, 2.0]).tobytes(),
                _typed(rng, short, 27), _typed(rng, short, 27), _fill(3, _CODE[short], 2)]
    if fam == "outer":   # float16 3 x 13: one 8-column step and a tail of 5
        return [3, 13, 0, _typed(rng, "f16", 3), _typed(rng, "f16", 13), _fill(39, "H", 2)]
    if fam in ("cvunary", "classify"):   # 8-bit inputs past 256 elements: the table path
        short = kernel.name.split("_", 1)[0]
        n = 300 if short in ("i8", "u8") else 37
        out = "B" if fam == "classify" else "H" if short in ("f16", "bf16") else "f"
        return [n, _typed(rng, short, n), _fill(n, out, 2)]
    if fam in ("halfrows", "dotrows"):   # 3 rows of 13 (halves into float32)
        short = kernel.name.split("_", 1)[0]
        extra = [1.0] if kernel.op == "var" else []
        b = [_typed(rng, short, 13)] if fam == "dotrows" else []
        out = "f" if short in ("f16", "bf16") else _CODE[short]
        return [3, 13] + extra + [_typed(rng, short, 39)] + b + [_fill(3, out, 2)]
    if fam == "xmaxpool":   # the maxpool example, one scratch row of the input dtype
        short = kernel.name.split("_", 1)[0]
        code = _CODE[short]
        return [2, 7, 11, 4, 6] + win + [_typed(rng, short, 154), _fill(48, code),
                                         _fill(13, code)]   # (ow - 1) sw + (kw - 1) dw + 1
    if fam == "unique":     # 37 values, inverse and counts, scratch as sort.py sizes it
        short = kernel.name.split("_", 1)[0]
        code = _CODE[short]
        cap = 37 * (2 * array.array(code).itemsize + 8) + 8
        return [37, 3, _typed(rng, short, 37), _fill(37, code, 0), _fill(37, "q", 0), _fill(37, "q", 0),
                _fill(1, "q", 0), cap, _fill(cap, "B", 0)]
    raise AssertionError(f"no example for kernel family {fam}")


def _qd16_blocks(rng, n):
    """n int16 activation blocks {float32 d; int32 sum; int16 q[32]} (include/wt_qd16.h)."""
    out = bytearray()
    for _ in range(n):
        q = [rng.randrange(-32767, 32768) for _ in range(32)]
        out += array.array("f", [rng.uniform(1e-5, 1e-3)]).tobytes()
        out += array.array("i", [sum(q)]).tobytes() + array.array("h", q).tobytes()
    return bytes(out)


_CODE = {"f32": "f", "f64": "d", "f16": "H", "bf16": "H", "i64": "q", "i32": "i", "i16": "h",
         "i8": "b", "u8": "B", "b8": "B", "x8": "B", "x16": "h", "h16": "H", "x32": "i",
         "x64": "q"}
_BITS_CODE = {8: "B", 16: "H", 32: "I", 64: "Q"}


def _typed(rng, short, n):
    """n values of a short dtype name (floats in [-300, 300], some NaN/inf among f32)."""
    short = {"x16": "i16", "x32": "i32", "x64": "i64", "h16": "f16"}.get(short, short)
    if short in ("f32", "f64"):
        vals = [rng.uniform(-300, 300) for _ in range(n)]
        vals[3], vals[5] = float("nan"), float("inf")
        return array.array(_CODE[short], vals).tobytes()
    if short in ("f16", "bf16"):
        return array.array("H", [rng.randrange(65536) for _ in range(n)]).tobytes()
    if short in ("u8", "b8", "x8"):
        return bytes(rng.randrange(2 if short == "b8" else 256) for _ in range(n))
    lim = {"i8": 127, "i16": 2 ** 15 - 1, "i32": 2 ** 31 - 1, "i64": 2 ** 63 - 1}[short]
    return array.array(_CODE[short], [rng.randint(-lim, lim) for _ in range(n)]).tobytes()


def embed(data, writable, rng):
    st = Storage(PAD_BEFORE + len(data) + PAD_AFTER)
    st.view()[:] = bytes(rng.randrange(256) for _ in range(st.nbytes))
    st.view()[PAD_BEFORE:PAD_BEFORE + len(data)] = data
    return st, Region(st, PAD_BEFORE, len(data), writable)


@pytest.mark.parametrize("isa", ISAS)
@pytest.mark.parametrize("name", sorted(kernel_table.KERNELS))
def test_kernel_writes_only_its_outputs(guarded, name, isa):
    ks = loader.load(isa)
    kernel = kernel_table.KERNELS[name]
    rng = random.Random(name)
    cargs, checks = [], []
    for (kind, _), v in zip(kernel.args, example(kernel, rng)):
        if kind in ("in", "out"):
            st, r = embed(v, kind == "out", rng)
            assert st.has_guards()
            cargs.append(r)
            checks.append((st, r, bytes(st.buf)))
        else:
            cargs.append(v)
    ks.fn(name)(*cargs)
    for st, r, before in checks:
        after = bytes(st.buf)
        lo, hi = st.base + r.offset, st.base + r.offset + r.nbytes
        assert st.guards_intact(), f"{name}: storage guard bytes changed"
        assert after[:lo] == before[:lo] and after[hi:] == before[hi:], \
            f"{name}: bytes outside a pointer region changed"
        if not r.writable:
            assert after == before, f"{name}: an input was modified"
    assert any(bytes(st.buf) != before for st, r, before in checks if r.writable), \
        f"{name}: wrote nothing (the example must produce visible output)"


@pytest.mark.parametrize("isa", ISAS)
def test_overrun_is_caught(guarded, isa):
    """n larger than the output: the write lands in guard bytes and the call raises."""
    ks = loader.load(isa)
    x, y = Storage(4 * 40), Storage(4 * 37)
    with pytest.raises(RuntimeError, match="f32_exp"):
        ks.fn("f32_exp")(40, Region(x, 0, 4 * 40, False), Region(y, 0, 4 * 37, True))
