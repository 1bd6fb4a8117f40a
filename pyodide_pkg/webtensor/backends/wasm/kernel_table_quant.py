"""The quantised-weight rows of kernel_table (webtensor.quant, smollm2_gguf): W [n, k] in GGUF
blocks of 32, y = x @ W^T; float, int8 and int16 activations. kernel_table imports them; use
them through it."""

QUANT_KINDS = ("q8_0", "q4_1")
# decoded per sub-block (include/wt_quant.h): gemv (float and int8 activations), gemm and
# dequantize; no quantiser (read from GGUF files)
QUANT_KINDS_SUB = ("q4_0", "q5_0", "q5_1", "q4_k", "q6_k")
_QGEMV = (("size", "n"), ("size", "k"), ("in", "x"), ("in", "w"), ("out", "y"))
_QGEMM = (("size", "m"), ("size", "n"), ("size", "k"), ("in", "x"), ("in", "w"), ("out", "y"))
_QD8GEMV = (("size", "n"), ("size", "k"), ("in", "xq"), ("in", "w"), ("out", "y"))
_QD16GEMM = (("size", "m"), ("size", "n"), ("size", "k"), ("in", "xq"), ("in", "w"),
             ("out", "y"))
_DEQUANTIZE = (("size", "nblocks"), ("in", "blocks"), ("out", "y"))
_QUANTIZE = (("size", "nblocks"), ("in", "x"), ("out", "blocks"))

QGEMV = {q: "f32_" + q + "_gemv_1x4" for q in QUANT_KINDS + QUANT_KINDS_SUB}
QGEMM = {q: "f32_" + q + "_gemm_2x4" for q in QUANT_KINDS + QUANT_KINDS_SUB}
DEQUANTIZE = {q: q + "_dequantize" for q in QUANT_KINDS + QUANT_KINDS_SUB}
QUANTIZE = {q: q + "_quantize" for q in QUANT_KINDS}
QD8_GEMV = {q: "qd8_f32_" + q + "_gemv_1x4" for q in QUANT_KINDS + QUANT_KINDS_SUB}
QD16_GEMV = {q: "qd16_f32_" + q + "_gemv_1x4" for q in QUANT_KINDS + QUANT_KINDS_SUB}
QD16_GEMM = {q: "qd16_f32_" + q + "_gemm_4x8" for q in QUANT_KINDS}
QD16_QUANTIZE, QD16_DEQUANTIZE = "qd16_quantize", "qd16_dequantize"


def quant_kernels(Kernel):
    """kernel_table.Kernel rows of the quantised kernels."""
    ks = []
    for q in QUANT_KINDS:
        ks.append(Kernel(QGEMV[q], "qgemv", "gemv", _QGEMV, True))
        ks.append(Kernel(QGEMM[q], "qgemm", "gemm", _QGEMM, True))
        ks.append(Kernel(DEQUANTIZE[q], "dequantize", "dequantize", _DEQUANTIZE, False))
        ks.append(Kernel(QUANTIZE[q], "quantize", "quantize", _QUANTIZE, False))
        # int8 (Q8_0) activations, llama.cpp style: linear(..., activations="int8"), M == 1
        ks.append(Kernel(QD8_GEMV[q], "qd8gemv", "gemv", _QD8GEMV, True))
    for q in QUANT_KINDS_SUB:
        ks.append(Kernel(QGEMV[q], "qgemv", "gemv", _QGEMV, True))
        ks.append(Kernel(QGEMM[q], "qgemm", "gemm", _QGEMM, True))
        ks.append(Kernel(DEQUANTIZE[q], "dequantize", "dequantize", _DEQUANTIZE, False))
        ks.append(Kernel(QD8_GEMV[q], "qd8gemv", "gemv", _QD8GEMV, True))
    # int16 activations (linear(..., activations="int16"), the decode default), M == 1
    for q in QUANT_KINDS + QUANT_KINDS_SUB:
        ks.append(Kernel(QD16_GEMV[q], "qd16gemv", "gemv", _QD8GEMV, True))
    for q in QUANT_KINDS:   # int16 activations, M > 1 (prefill)
        ks.append(Kernel(QD16_GEMM[q], "qgemm", "gemm", _QD16GEMM, True))
    ks.append(Kernel(QD16_QUANTIZE, "quantize", "quantize", _QUANTIZE, False))
    ks.append(Kernel(QD16_DEQUANTIZE, "dequantize", "dequantize", _DEQUANTIZE, False))
    return ks
