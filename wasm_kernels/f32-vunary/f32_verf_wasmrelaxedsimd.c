#define WT_RELAXED 1
#include "f32_verf_wasmsimd.c"
