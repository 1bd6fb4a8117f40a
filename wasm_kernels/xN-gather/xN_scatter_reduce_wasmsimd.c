/* Scatter with a reduction along one dim (scatter_add, scatter_reduce, scatter(reduce=...),
 * index_add, fold's column sums; gather's and embedding's backward):
 *   void wt_<f32|f64|i64|i32>_scatter_reduce_<isa>(size_t outer, size_t n, size_t m,
 *       size_t inner, size_t mode, const int64_t* idx, const T* src, T* y, int32_t* status)
 * idx and src are contiguous [outer, m, inner], y is contiguous [outer, n, inner]:
 *   y[o, idx[o, j, i], i] = op(y[o, idx[o, j, i], i], src[o, j, i])   in j order
 * with op by mode: 0 sum, 1 prod, 2 amax, 3 amin. That is torch's CPU loop, so float sums and
 * products round as torch's do; integers wrap (two's complement, like torch's int64); a NaN
 * source wins amax/amin and a NaN already in y stays (torch's isnan(src) ? src : max(y, src)).
 * Every index is checked first: if one is outside [0, n), status[0] = its flat position and y
 * is not written; otherwise status[0] = -1. Never writes out of bounds.
 */
#include "wt_common.h"
#include "wt_index.h"

WT_SMALL_BEGIN

/* one loop per mode: the reduction is inlined, not a call per element */
#define SCATTER_LOOP(T, EXPR)                                                              \
  for (size_t o = 0; o < outer; o++, y += n * inner) {                                    \
    for (size_t j = 0; j < m; j++, idx += inner, src += inner) {                          \
      for (size_t i = 0; i < inner; i++) {                                                \
        T* p = y + (size_t)idx[i] * inner + i;                                            \
        const T a = *p, v = src[i];                                                       \
        *p = (EXPR);                                                                      \
      }                                                                                   \
    }                                                                                     \
  }

/* T: storage and comparison type; U: the type sums and products are computed in (unsigned
 * for integers: wrap-around without undefined behaviour) */
#define DEFINE_SCATTER_REDUCE(name, T, U)                                                  \
  WT_EXPORT void WT_SYM(name)(size_t outer, size_t n, size_t m, size_t inner, size_t mode, \
                              const int64_t* idx, const T* src, T* y, int32_t* status) {  \
    status[0] = wt_first_bad_index(idx, outer * m * inner, n);                            \
    if (status[0] != -1) return;                                                          \
    switch (mode) {                                                                       \
      case 0: SCATTER_LOOP(T, (T)((U)a + (U)v)) break;                                    \
      case 1: SCATTER_LOOP(T, (T)((U)a * (U)v)) break;                                    \
      case 2: SCATTER_LOOP(T, (v != v || a < v) ? v : a) break;                           \
      case 3: SCATTER_LOOP(T, (v != v || v < a) ? v : a) break;                           \
      default: break;                                                                     \
    }                                                                                     \
  }

DEFINE_SCATTER_REDUCE(f32_scatter_reduce, float, float)
DEFINE_SCATTER_REDUCE(f64_scatter_reduce, double, double)
DEFINE_SCATTER_REDUCE(i64_scatter_reduce, int64_t, uint64_t)
DEFINE_SCATTER_REDUCE(i32_scatter_reduce, int32_t, uint32_t)

WT_SMALL_END
