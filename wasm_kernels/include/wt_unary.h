/* The one loop shape of every contiguous elementwise unary kernel:
 *   void wt_f32_<op>_<isa>(size_t n, const float* x, float* y)
 * x == y (in place) is allowed. The tail (n % 4) goes through a padded temporary so nothing
 * outside [x, x+n) is read or outside [y, y+n) written. */
#pragma once
#include "wt_common.h"

#define WT_UNARY_KERNEL(op, VFN)                                          \
  WT_EXPORT void WT_SYM(f32_##op)(size_t n, const float* x, float* y) {  \
    size_t i = 0;                                                         \
    for (; i + 8 <= n; i += 8) {                                          \
      const v128_t v0 = wasm_v128_load(x + i);                            \
      const v128_t v1 = wasm_v128_load(x + i + 4);                        \
      wasm_v128_store(y + i, VFN(v0));                                    \
      wasm_v128_store(y + i + 4, VFN(v1));                                \
    }                                                                     \
    for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, VFN(wasm_v128_load(x + i))); \
    if (i < n) wt_store_partial(y + i, n - i, VFN(wt_load_partial(x + i, n - i, 0.0f))); \
  }
