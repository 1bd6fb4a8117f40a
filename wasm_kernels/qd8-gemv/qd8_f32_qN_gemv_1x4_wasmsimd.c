/* Decode GEMV, int8 (Q8_0) activations times Q4_0 / Q5_0 / Q5_1 / Q4_K / Q6_K weights:
 * qd8_f32_<kind>_gemv_1x4, see include/wt_qd8.h. */
#define WT_QD8_NAME qd8_f32_q4_0_gemv_1x4
#define WT_QBYTES WT_Q4_0_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q4_0_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"

#define WT_QD8_NAME qd8_f32_q5_0_gemv_1x4
#define WT_QBYTES WT_Q5_0_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q5_0_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"

#define WT_QD8_NAME qd8_f32_q5_1_gemv_1x4
#define WT_QBYTES WT_Q5_1_BYTES
#define WT_QBLK WT_QK
#define WT_QSUB wt_q5_1_sub
#define WT_QHAS_M 1
#include "wt_qd8.h"

#define WT_QD8_NAME qd8_f32_q4_k_gemv_1x4
#define WT_QBYTES WT_Q4_K_BYTES
#define WT_QBLK WT_QK_K
#define WT_QSUB wt_q4_k_sub
#define WT_QHAS_M 1
#include "wt_qd8.h"

#define WT_QD8_NAME qd8_f32_q6_k_gemv_1x4
#define WT_QBYTES WT_Q6_K_BYTES
#define WT_QBLK WT_QK_K
#define WT_QSUB wt_q6_k_sub
#define WT_QHAS_M 0
#include "wt_qd8.h"
