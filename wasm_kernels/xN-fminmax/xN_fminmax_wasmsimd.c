/* fmax / fmin of float32 / float64 (NaN-ignoring: a NaN operand gives the other one, two NaNs
 * give NaN; a == b gives a, as torch), in the binary 2-D broadcast form:
 *   void wt_<dt>_<op>_<isa>(size_t m, size_t n, const T* a, int32_t a_rs, int32_t a_cs,
 *                           const T* b, int32_t b_rs, int32_t b_cs, T* y)
 * Rows with unit column strides run 128 bits at a time (size-optimised code otherwise).
 */
#include "wt_common.h"

WT_SMALL_BEGIN

#define FMINMAX(dt, T, op, CMP, VCMP, VNE, L)                                                \
  WT_EXPORT void WT_SYM(dt##_##op)(size_t m, size_t n, const T* a, int32_t a_rs,            \
                                   int32_t a_cs, const T* b, int32_t b_rs, int32_t b_cs,    \
                                   T* y) {                                                  \
    for (size_t i = 0; i < m; i++) {                                                        \
      size_t j = 0;                                                                         \
      if (a_cs == 1 && b_cs == 1)                                                           \
        for (; j + L <= n; j += L) {                                                        \
          const v128_t x = wasm_v128_load(a + (ptrdiff_t)i * a_rs + j);                     \
          const v128_t z = wasm_v128_load(b + (ptrdiff_t)i * b_rs + j);                     \
          const v128_t r = wasm_v128_bitselect(x, z, wasm_v128_or(VCMP(x, z), VNE(z, z))); \
          wasm_v128_store(y, wasm_v128_bitselect(z, r, VNE(x, x)));                         \
          y += L;                                                                           \
        }                                                                                   \
      for (; j < n; j++) {                                                                  \
        const T x = a[(ptrdiff_t)i * a_rs + (ptrdiff_t)j * a_cs];                           \
        const T z = b[(ptrdiff_t)i * b_rs + (ptrdiff_t)j * b_cs];                           \
        *y++ = x != x ? z : (z != z || x CMP z) ? x : z;                                    \
      }                                                                                     \
    }                                                                                       \
  }

FMINMAX(f32, float, fmax, >=, wasm_f32x4_ge, wasm_f32x4_ne, 4)
FMINMAX(f32, float, fmin, <=, wasm_f32x4_le, wasm_f32x4_ne, 4)
FMINMAX(f64, double, fmax, >=, wasm_f64x2_ge, wasm_f64x2_ne, 2)
FMINMAX(f64, double, fmin, <=, wasm_f64x2_le, wasm_f64x2_ne, 2)

WT_SMALL_END
