#define WT_RELAXED 1
#include "f32_sdpa_wasmsimd.c"
