/* Fill a contiguous output with one element, for element sizes 1/2/4/8 bytes:
 *   void wt_x<bits>_fill_<isa>(size_t n, const T* value, T* y)
 * value points at one element already in the output's dtype (the caller converts). */
#include "wt_common.h"

#define DEFINE_FILL(bits, T, SPLAT)                                                        \
  WT_EXPORT void WT_SYM(x##bits##_fill)(size_t n, const T* value, T* y) {                  \
    const T v = value[0];                                                                  \
    const v128_t s = SPLAT(value);                                                         \
    const size_t per = 16 / sizeof(T);                                                     \
    size_t i = 0;                                                                          \
    for (; i + 4 * per <= n; i += 4 * per) {                                               \
      wasm_v128_store(y + i, s);                                                           \
      wasm_v128_store(y + i + per, s);                                                     \
      wasm_v128_store(y + i + 2 * per, s);                                                 \
      wasm_v128_store(y + i + 3 * per, s);                                                 \
    }                                                                                      \
    for (; i + per <= n; i += per) wasm_v128_store(y + i, s);                              \
    for (; i < n; i++) y[i] = v;                                                           \
  }

DEFINE_FILL(8, uint8_t, wasm_v128_load8_splat)
DEFINE_FILL(16, uint16_t, wasm_v128_load16_splat)
DEFINE_FILL(32, uint32_t, wasm_v128_load32_splat)
DEFINE_FILL(64, uint64_t, wasm_v128_load64_splat)
