/* sign of float64 / int64 / int32 in the xN_unary form (void wt_<dt>_sign_<isa>(size_t n,
 * const T* x, T* y)): (x > 0) - (x < 0), so +-0 and NaN give +0 (torch 2.13's CPU result).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define SIGN(dt, T)                                                                         \
  WT_EXPORT void WT_SYM(dt##_sign)(size_t n, const T* x, T* y) {                            \
    for (size_t i = 0; i < n; i++) y[i] = (T)((x[i] > 0) - (x[i] < 0));                     \
  }

SIGN(f64, double)
SIGN(i64, int64_t)
SIGN(i32, int32_t)

WT_SMALL_END
