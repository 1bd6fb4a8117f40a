#define WT_RELAXED 1
#include "f32_linear_4x8_wasmsimd.c"
