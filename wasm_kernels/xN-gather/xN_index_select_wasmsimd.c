/* Row gather for index_select / embedding, any element size (rows are copied as bytes):
 *   void wt_<i64|i32>_index_select_<isa>(size_t outer, size_t n, size_t nidx, size_t row_bytes,
 *                                        const uint8_t* x, const I* idx, uint8_t* y,
 *                                        int32_t* status)
 * x is contiguous [outer, n, row_bytes], y is [outer, nidx, row_bytes]:
 *   y[o, j, :] = x[o, idx[j], :].
 * Every index is checked first: if some idx[j] is outside [0, n), status[0] = j (the first
 * such position) and y is not written; otherwise status[0] = -1. Never reads out of bounds.
 */
#include "wt_common.h"
#include "wt_index.h"

/* Rows of 1/2/4/8 bytes (index_select along a last dim: nearest interpolate's columns,
 * repeat_interleave): with several outer rows, each 16-byte block of an output row whose
 * sources span at most 16 bytes (upsampling) is one swizzle of the 16 input bytes from its
 * lowest source byte, planned once per call (the same for every row); other blocks and the
 * tail element by element. */
#define WT_SEL_PLAN 4096 /* output row bytes that get a plan */
static int32_t sel_base[WT_SEL_PLAN / 16];
static uint8_t sel_mask[WT_SEL_PLAN];

/* y[j] = x[idx[j]] for j in [j0, j1), elements of rb (1/2/4/8) bytes: one small loop per
 * width (gathers do not vectorise; not unrolled: module size) */
#define SEL_TYPED(U)                                                                       \
  _Pragma("clang loop vectorize(disable) unroll(disable)")                                 \
  for (size_t j = j0; j < j1; j++) ((U*)y)[j] = ((const U*)x)[idx[j]]
#define DEFINE_SEL_ELEMS(name, I)                                                          \
  __attribute__((noinline)) static void name(size_t rb, const uint8_t* x, const I* idx,    \
                                             uint8_t* y, size_t j0, size_t j1) {           \
    if (rb == 1) SEL_TYPED(uint8_t);                                                       \
    else if (rb == 2) SEL_TYPED(uint16_t);                                                 \
    else if (rb == 4) SEL_TYPED(uint32_t);                                                 \
    else SEL_TYPED(uint64_t);                                                              \
  }
DEFINE_SEL_ELEMS(sel_i64, int64_t)
DEFINE_SEL_ELEMS(sel_i32, int32_t)

#define DEFINE_INDEX_SELECT(name, I, SEL)                                                     \
  WT_EXPORT void WT_SYM(name)(size_t outer, size_t n, size_t nidx, size_t row_bytes,      \
                              const uint8_t* x, const I* idx, uint8_t* y,                 \
                              int32_t* status) {                                          \
    for (size_t j = 0; j < nidx; j++) {                                                   \
      if (idx[j] < 0 || (uint64_t)idx[j] >= (uint64_t)n) {                                \
        status[0] = (int32_t)j;                                                           \
        return;                                                                           \
      }                                                                                   \
    }                                                                                     \
    status[0] = -1;                                                                       \
    const size_t in_stride = n * row_bytes, rb = row_bytes, R = nidx * rb;                \
    const int typed = rb == 1 || rb == 2 || rb == 4 || rb == 8;                           \
    const size_t blocks = typed && outer > 1 && R <= WT_SEL_PLAN ? R / 16 : 0;            \
    const size_t per = typed ? 16 / rb : 1; /* rb may be 0 (empty rows) */                \
    for (size_t b = 0; b < blocks; b++) {                                                 \
      I lo = idx[b * per], hi = lo;                                                       \
      for (size_t k = 1; k < per; k++) {                                                  \
        const I v = idx[b * per + k];                                                     \
        lo = v < lo ? v : lo;                                                             \
        hi = v > hi ? v : hi;                                                             \
      }                                                                                   \
      sel_base[b] = (size_t)(hi - lo + 1) * rb <= 16 ? (int32_t)((size_t)lo * rb) : -1;   \
      for (size_t k = 0; k < 16; k++)                                                     \
        sel_mask[b * 16 + k] = (uint8_t)((size_t)(idx[b * per + k / rb] - lo) * rb + k % rb); \
    }                                                                                     \
    const size_t end = outer * in_stride;                                                 \
    for (size_t o = 0; o < outer; o++, x += in_stride, y += R) {                          \
      if (!typed) {                                                                       \
        for (size_t j = 0; j < nidx; j++)                                                 \
          wt_copy_bytes(y + j * rb, x + (size_t)idx[j] * rb, rb);                         \
        continue;                                                                         \
      }                                                                                   \
      const size_t left = end - o * in_stride; /* bytes of x from this row on */          \
      for (size_t b = 0; b < blocks; b++) {                                               \
        const int32_t base = sel_base[b];                                                 \
        if (base >= 0 && (size_t)base + 16 <= left)                                       \
          wasm_v128_store(y + b * 16, wasm_i8x16_swizzle(wasm_v128_load(x + base),        \
                                                         wasm_v128_load(sel_mask + b * 16))); \
        else                                                                              \
          SEL(rb, x, idx, y, b * per, b * per + per);                                  \
      }                                                                                   \
      SEL(rb, x, idx, y, blocks * per, nidx);                                          \
    }                                                                                     \
  }

DEFINE_INDEX_SELECT(i64_index_select, int64_t, sel_i64)
DEFINE_INDEX_SELECT(i32_index_select, int32_t, sel_i32)
