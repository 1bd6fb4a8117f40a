/* Element scatter along one dim (torch.Tensor.scatter_ without reduce, index_copy_):
 *   void wt_x<bits>_scatter_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *                                 const int64_t* idx, const T* src, T* y, int32_t* status)
 * idx and src are contiguous [outer, m, inner], y is contiguous [outer, n, inner]:
 *   y[o, idx[o, j, i], i] = src[o, j, i]   (later j win where indices repeat, as on torch's CPU).
 * Every index is checked first: if one is outside [0, n), status[0] = its flat position and y
 * is not written; otherwise status[0] = -1. Never writes out of bounds.
 */
#include "wt_common.h"
#include "wt_index.h"

#define DEFINE_SCATTER(name, T)                                                            \
  WT_EXPORT void WT_SYM(name)(size_t outer, size_t n, size_t m, size_t inner,             \
                              const int64_t* idx, const T* src, T* y, int32_t* status) {  \
    status[0] = wt_first_bad_index(idx, outer * m * inner, n);                            \
    if (status[0] != -1) return;                                                          \
    if (inner == 1) { /* one flat loop */                                                 \
      for (size_t o = 0; o < outer; o++, y += n, idx += m, src += m)                      \
        for (size_t j = 0; j < m; j++) y[idx[j]] = src[j];                                \
      return;                                                                             \
    }                                                                                     \
    for (size_t o = 0; o < outer; o++, y += n * inner) {                                  \
      for (size_t j = 0; j < m; j++, idx += inner, src += inner) {                        \
        for (size_t i = 0; i < inner; i++) y[(size_t)idx[i] * inner + i] = src[i];        \
      }                                                                                   \
    }                                                                                     \
  }

DEFINE_SCATTER(x8_scatter, uint8_t)
DEFINE_SCATTER(x16_scatter, uint16_t)
DEFINE_SCATTER(x32_scatter, uint32_t)
DEFINE_SCATTER(x64_scatter, uint64_t)
