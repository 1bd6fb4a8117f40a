/* Element gather along one dim (torch.gather) (its adjoint, scatter with a reduction, is
 * xN_scatter_reduce_wasmsimd.c):
 *   void wt_x<bits>_gather_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *                                const int64_t* idx, const T* x, T* y, int32_t* status)
 *     idx and y are contiguous [outer, m, inner], x is contiguous [outer, n, inner]:
 *     y[o, j, i] = x[o, idx[o, j, i], i]
 * Every index is checked before it is used: if one is outside [0, n), status[0] = its flat
 * position (y is then partly written: the caller raises); otherwise status[0] = -1. Never
 * reads or writes out of bounds. inner == 1 (gather along the last dim): one flat loop over
 * each row, its indices checked a block at a time while they are in cache.
 */
#include "wt_common.h"
#include "wt_index.h"

#define WT_GATHER_BLOCK 1024

#define DEFINE_GATHER(name, T)                                                             \
  WT_EXPORT void WT_SYM(name)(size_t outer, size_t n, size_t m, size_t inner,             \
                              const int64_t* idx, const T* x, T* y, int32_t* status) {    \
    if (inner == 1) {                                                                     \
      status[0] = -1;                                                                     \
      for (size_t k = 0, o = 0; o < outer; o++, x += n) {                                 \
        for (size_t j0 = 0; j0 < m; j0 += WT_GATHER_BLOCK) {                              \
          const size_t e = k + wt_min_size(WT_GATHER_BLOCK, m - j0);                      \
          const int32_t bad = wt_first_bad_index(idx + k, e - k, n);                      \
          if (bad != -1) {                                                                \
            status[0] = (int32_t)k + bad;                                                 \
            return;                                                                       \
          }                                                                               \
          for (; k < e; k++) y[k] = x[idx[k]];                                            \
        }                                                                                 \
      }                                                                                   \
      return;                                                                             \
    }                                                                                     \
    status[0] = wt_first_bad_index(idx, outer * m * inner, n);                            \
    if (status[0] != -1) return;                                                          \
    for (size_t o = 0; o < outer; o++, x += n * inner) {                                  \
      for (size_t j = 0; j < m; j++, idx += inner, y += inner) {                          \
        for (size_t i = 0; i < inner; i++) y[i] = x[(size_t)idx[i] * inner + i];          \
      }                                                                                   \
    }                                                                                     \
  }

DEFINE_GATHER(x8_gather, uint8_t)
DEFINE_GATHER(x16_gather, uint16_t)
DEFINE_GATHER(x32_gather, uint32_t)
DEFINE_GATHER(x64_gather, uint64_t)
