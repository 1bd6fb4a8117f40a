/* y = x @ W^T with W in Q4_1 blocks (linear's M > 1 path); see include/wt_qgemm.h. */
#define WT_QGEMM_NAME f32_q4_1_gemm_2x4
#define WT_QBYTES WT_Q4_1_BYTES
#define WT_QDEQUANT wt_q4_1_dequant_block
#include "wt_qgemm.h"
