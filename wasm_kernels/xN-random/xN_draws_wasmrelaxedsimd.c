#define WT_RELAXED 1
#include "xN_draws_wasmsimd.c"
