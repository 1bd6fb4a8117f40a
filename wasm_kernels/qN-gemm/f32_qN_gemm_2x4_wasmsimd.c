/* y = x @ W^T with W in Q4_0 / Q5_0 / Q5_1 / Q4_K / Q6_K blocks (linear's M > 1 path, and
 * M == 1 with float activations): f32_<kind>_gemm_2x4, see include/wt_qgemm.h. One driver
 * for the five (module size): the panel rows are filled by the dequantize kernels of
 * qN-convert (wt_<kind>_dequantize_run), called through a pointer once per panel row. */
#define WT_QGEMM_NAME wt_qgemm_any
#define WT_QGEMM_GENERIC 1
#include "wt_qgemm.h"

#define WT_QGEMM_KIND(kind, bytes, blk)                                                       \
  WT_HIDDEN void wt_##kind##_dequantize_run(size_t nblocks, const uint8_t* blocks, float* y);   \
  WT_EXPORT void WT_SYM(f32_##kind##_gemm_2x4)(size_t m, size_t n, size_t k, const float* x,  \
                                               const uint8_t* w, float* y) {                  \
    wt_qgemm_any(m, n, k, x, w, y, (bytes), (blk), wt_##kind##_dequantize_run);              \
  }
WT_QGEMM_KIND(q4_0, WT_Q4_0_BYTES, WT_QK)
WT_QGEMM_KIND(q5_0, WT_Q5_0_BYTES, WT_QK)
WT_QGEMM_KIND(q5_1, WT_Q5_1_BYTES, WT_QK)
WT_QGEMM_KIND(q4_k, WT_Q4_K_BYTES, WT_QK_K)
WT_QGEMM_KIND(q6_k, WT_Q6_K_BYTES, WT_QK_K)
