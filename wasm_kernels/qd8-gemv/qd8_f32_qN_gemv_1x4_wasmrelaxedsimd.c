#define WT_RELAXED 1
#include "qd8_f32_qN_gemv_1x4_wasmsimd.c"
