#define WT_RELAXED 1
#include "f32_gemm_4x8_wasmsimd.c"
