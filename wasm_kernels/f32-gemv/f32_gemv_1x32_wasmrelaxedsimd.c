#define WT_RELAXED 1
#include "f32_gemv_1x32_wasmsimd.c"
