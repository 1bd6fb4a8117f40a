#define WT_RELAXED 1
#include "qd16_f32_gemv_1x4_wasmsimd.c"
