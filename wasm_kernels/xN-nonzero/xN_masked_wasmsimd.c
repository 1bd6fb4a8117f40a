/* masked_select / masked_scatter: one pass over a bool mask, elements of 1/2/4/8 bytes:
 *   void wt_x<bits>_masked_select(size_t n, size_t cap, const T* x, const uint8_t* mask, T* y)
 *     y = the x[i] whose mask[i] is nonzero, in order; at most cap written (the count pass,
 *     b8_nonzero_count, sizes y).
 *   void wt_x<bits>_masked_scatter(size_t n, size_t cap, const uint8_t* mask, const T* src,
 *                                  T* y)
 *     in place: y[i] = the next of src's cap elements where mask[i] is nonzero (the caller
 *     checked the count); y elsewhere unchanged.
 * All-zero 16-byte runs of the mask are skipped with one test.
 */
#include "wt_common.h"

#define DEFINE_MASKED(bits, T)                                                              \
  WT_EXPORT void WT_SYM(x##bits##_masked_select)(size_t n, size_t cap, const T* x,          \
                                                 const uint8_t* mask, T* y) {               \
    size_t j = 0;                                                                           \
    for (size_t i = 0; i < n;) {                                                            \
      if (i + 16 <= n && !wasm_v128_any_true(wasm_v128_load(mask + i))) {                   \
        i += 16;                                                                            \
        continue;                                                                           \
      }                                                                                     \
      const size_t end = i + 16 <= n ? i + 16 : n;                                          \
      for (; i < end; i++) {                                                                \
        if (j == cap) return;                                                               \
        y[j] = x[i];                                 /* written always, kept when set */    \
        j += mask[i] != 0;                                                                  \
      }                                                                                     \
    }                                                                                       \
  }                                                                                         \
  WT_EXPORT void WT_SYM(x##bits##_masked_scatter)(size_t n, size_t cap, const uint8_t* mask,\
                                                  const T* src, T* y) {                     \
    size_t j = 0;                                                                           \
    for (size_t i = 0; i < n;) {                                                            \
      if (i + 16 <= n && !wasm_v128_any_true(wasm_v128_load(mask + i))) {                   \
        i += 16;                                                                            \
        continue;                                                                           \
      }                                                                                     \
      const size_t end = i + 16 <= n ? i + 16 : n;                                          \
      for (; i < end; i++) {                                                                \
        if (!mask[i]) continue;                                                             \
        if (j == cap) return;                                                               \
        y[i] = src[j++];                                                                    \
      }                                                                                     \
    }                                                                                       \
  }

DEFINE_MASKED(8, uint8_t)
DEFINE_MASKED(16, uint16_t)
DEFINE_MASKED(32, uint32_t)
DEFINE_MASKED(64, uint64_t)
