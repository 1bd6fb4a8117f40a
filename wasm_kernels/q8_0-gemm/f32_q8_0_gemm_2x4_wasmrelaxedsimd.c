#define WT_RELAXED 1
#include "f32_q8_0_gemm_2x4_wasmsimd.c"
