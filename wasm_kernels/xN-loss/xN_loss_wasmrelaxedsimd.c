#define WT_RELAXED 1
#include "xN_loss_wasmsimd.c"
