/* y = x @ W^T with W in Q8_0 blocks (linear's M > 1 path); see include/wt_qgemm.h. */
#define WT_QGEMM_NAME f32_q8_0_gemm_2x4
#define WT_QBYTES WT_Q8_0_BYTES
#define WT_QDEQUANT wt_q8_0_dequant_block
#include "wt_qgemm.h"
