/* Element gather along one dim (torch.gather), and its adjoint, scatter with reduce="add":
 *   void wt_x<bits>_gather_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *                                const int64_t* idx, const T* x, T* y, int32_t* status)
 *     idx and y are contiguous [outer, m, inner], x is contiguous [outer, n, inner]:
 *     y[o, j, i] = x[o, idx[o, j, i], i]
 *   void wt_f32_scatter_add_<isa>(size_t outer, size_t n, size_t m, size_t inner,
 *                                 const int64_t* idx, const float* src, float* y,
 *                                 int32_t* status)
 *     idx and src [outer, m, inner], y [outer, n, inner]: y[o, idx[o, j, i], i] += src[o, j, i]
 *     in j order (torch's CPU order: cross-entropy's and embedding's backward).
 * Every index is checked first: if one is outside [0, n), status[0] = its flat position and y
 * is not written; otherwise status[0] = -1. Never reads or writes out of bounds.
 */
#include "wt_common.h"

static int32_t first_bad(const int64_t* idx, size_t total, size_t n) {
  for (size_t k = 0; k < total; k++) {
    if (idx[k] < 0 || (uint64_t)idx[k] >= (uint64_t)n) return (int32_t)k;
  }
  return -1;
}

#define DEFINE_GATHER(name, T)                                                             \
  WT_EXPORT void WT_SYM(name)(size_t outer, size_t n, size_t m, size_t inner,             \
                              const int64_t* idx, const T* x, T* y, int32_t* status) {    \
    status[0] = first_bad(idx, outer * m * inner, n);                                     \
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

WT_EXPORT void WT_SYM(f32_scatter_add)(size_t outer, size_t n, size_t m, size_t inner,
                                       const int64_t* idx, const float* src, float* y,
                                       int32_t* status) {
  status[0] = first_bad(idx, outer * m * inner, n);
  if (status[0] != -1) return;
  for (size_t o = 0; o < outer; o++, y += n * inner) {
    for (size_t j = 0; j < m; j++, idx += inner, src += inner) {
      for (size_t i = 0; i < inner; i++) y[(size_t)idx[i] * inner + i] += src[i];
    }
  }
}
