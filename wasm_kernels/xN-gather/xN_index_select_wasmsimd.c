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

#define DEFINE_INDEX_SELECT(name, I)                                                       \
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
    const size_t in_stride = n * row_bytes;                                               \
    for (size_t o = 0; o < outer; o++, x += in_stride) {                                  \
      if (row_bytes == 4) {                                                               \
        uint32_t* yo = (uint32_t*)y;                                                      \
        const uint32_t* xo = (const uint32_t*)x;                                          \
        for (size_t j = 0; j < nidx; j++) yo[j] = xo[idx[j]];                             \
      } else if (row_bytes == 8) {                                                        \
        uint64_t* yo = (uint64_t*)y;                                                      \
        const uint64_t* xo = (const uint64_t*)x;                                          \
        for (size_t j = 0; j < nidx; j++) yo[j] = xo[idx[j]];                             \
      } else {                                                                            \
        for (size_t j = 0; j < nidx; j++)                                                 \
          wt_copy_bytes(y + j * row_bytes, x + (size_t)idx[j] * row_bytes, row_bytes);         \
      }                                                                                   \
      y += nidx * row_bytes;                                                              \
    }                                                                                     \
  }

DEFINE_INDEX_SELECT(i64_index_select, int64_t)
DEFINE_INDEX_SELECT(i32_index_select, int32_t)
