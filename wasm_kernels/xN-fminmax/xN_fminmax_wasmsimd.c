/* fmax / fmin of float32 / float64 (NaN-ignoring: a NaN operand gives the other one, two NaNs
 * give NaN; a == b gives a, as torch), in the binary 2-D broadcast form:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y)
 * Scalar loops (size-optimised): these ops are rare in hot paths.
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define FMINMAX(dt, T, op, CMP)                                                             \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y) {                                                  \
    for (size_t i = 0; i < m; i++)                                                          \
      for (size_t j = 0; j < n; j++) {                                                      \
        const T x = a[(ptrdiff_t)i * a_rs + (ptrdiff_t)j * a_cs];                           \
        const T z = b[(ptrdiff_t)i * b_rs + (ptrdiff_t)j * b_cs];                           \
        *y++ = x != x ? z : (z != z || x CMP z) ? x : z;                                    \
      }                                                                                     \
  }

FMINMAX(f32, float, fmax, >=)
FMINMAX(f32, float, fmin, <=)
FMINMAX(f64, double, fmax, >=)
FMINMAX(f64, double, fmin, <=)

WT_SMALL_END
