#define WT_RELAXED 1
#include "xN_random_wasmsimd.c"
