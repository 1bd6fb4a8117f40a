#define WT_RELAXED 1
#include "qd8_f32_q4_1_gemv_1x4_wasmsimd.c"
