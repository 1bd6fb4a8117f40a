#define WT_RELAXED 1
#include "f32_dwconv2d_wasmsimd.c"
