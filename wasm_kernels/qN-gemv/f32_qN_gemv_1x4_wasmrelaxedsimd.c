#define WT_RELAXED 1
#include "f32_qN_gemv_1x4_wasmsimd.c"
