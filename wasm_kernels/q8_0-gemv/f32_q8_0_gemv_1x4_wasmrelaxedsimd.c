#define WT_RELAXED 1
#include "f32_q8_0_gemv_1x4_wasmsimd.c"
