#define WT_RELAXED 1
#include "f32_dot_rows_wasmsimd.c"
