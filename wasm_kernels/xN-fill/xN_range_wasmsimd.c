/* arange and linspace filling a contiguous output:
 *   void wt_<dt>_arange_<isa>(size_t n, const P* p, T* y)     y[i] = p[0] + i * p[1]
 *   void wt_<dt>_linspace_<isa>(size_t n, const double* p, T* y)
 *       p = {start, end, step}: y[i] = start + i * step for i < n / 2, else
 *       end - (n - 1 - i) * step (torch's two-sided form, exact at both ends; n == 1: start)
 * P is double for float outputs (computed in double, then rounded once, as torch's CPU
 * kernels and the reference backend), int64 for integer outputs (wrap-around).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define ARANGE(dt, T, P, U)                                                                 \
  WT_EXPORT void WT_SYM(dt##_arange)(size_t n, const P* p, T* y) {                          \
    const P start = p[0], step = p[1];                                                      \
    for (size_t i = 0; i < n; i++) y[i] = (T)(P)((U)start + (U)i * (U)step);                \
  }
#define LINSPACE(dt, T)                                                                     \
  WT_EXPORT void WT_SYM(dt##_linspace)(size_t n, const double* p, T* y) {                   \
    const double start = p[0], end = p[1], step = p[2];                                     \
    const size_t half = n == 1 ? 1 : n / 2;               /* one step: start itself */       \
    for (size_t i = 0; i < n; i++)                                                          \
      y[i] = (T)(i < half ? start + (double)i * step : end - (double)(n - 1 - i) * step);   \
  }

ARANGE(f32, float, double, double)
ARANGE(f64, double, double, double)
ARANGE(i64, int64_t, int64_t, uint64_t)
ARANGE(i32, int32_t, int64_t, uint64_t)
LINSPACE(f32, float)
LINSPACE(f64, double)

WT_SMALL_END
