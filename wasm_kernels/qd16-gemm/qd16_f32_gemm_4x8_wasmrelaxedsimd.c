#define WT_RELAXED 1
#include "qd16_f32_gemm_4x8_wasmsimd.c"
