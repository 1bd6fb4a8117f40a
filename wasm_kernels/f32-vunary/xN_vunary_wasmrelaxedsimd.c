#define WT_RELAXED 1
#include "xN_vunary_wasmsimd.c"
