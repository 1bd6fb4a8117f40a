#define WT_RELAXED 1
#include "f32_qN_gemm_2x4_wasmsimd.c"
