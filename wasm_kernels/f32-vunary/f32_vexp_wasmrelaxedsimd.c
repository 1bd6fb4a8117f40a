#define WT_RELAXED 1
#include "f32_vexp_wasmsimd.c"
