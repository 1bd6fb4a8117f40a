#define WT_RELAXED 1
#include "f32_q4_1_gemm_2x4_wasmsimd.c"
